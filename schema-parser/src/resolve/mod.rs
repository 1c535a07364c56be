//! AST → [`Schema`], in ordered passes. Each pass may assume what the earlier ones established:
//!
//! 1. [`config`]: the datasource (and so the provider) and the generators.
//! 2. [`names`]: every model, view and enum registered by name; duplicates and bad names reported.
//! 3. [`fields`]: field types resolved, field attributes read into typed values (`@default`
//!    values checked against their field's type in [`defaults`]).
//! 4. [`block_attributes`]: `@@id`, `@@unique`, `@@index`, `@@map` … read into typed values.
//! 5. [`relations`]: relation fields paired into [`Relation`](crate::schema::Relation)s.
//!
//! Resolution reports what it cannot resolve; rules about resolved values live in
//! [`crate::validate`].

mod args;
mod block_attributes;
mod config;
mod defaults;
mod fields;
mod names;
mod relations;

use crate::ast::{Block, BlockItem, SchemaAst};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::provider::Provider;
use std::collections::HashSet;

use crate::schema::{ModelId, Schema};
use crate::span::Span;

pub(crate) use args::Args;
pub use relations::MissingOppositeField;

/// What resolution produced besides the schema: facts the formatter needs.
#[derive(Debug, Default)]
pub struct ResolveOutput {
    /// Relation fields whose opposite field is missing, for `orm format` to add.
    pub missing_opposite_fields: Vec<MissingOppositeField>,
}

/// `@relation(fields: […], references: […])` as written, resolved once every model has fields.
pub(crate) struct PendingRelation {
    pub model: ModelId,
    pub field: String,
    pub fields: Vec<(String, Span)>,
    pub references: Vec<(String, Span)>,
    pub fields_given: bool,
    pub references_given: bool,
}

pub(crate) struct Ctx<'a> {
    pub diags: &'a mut Diagnostics,
    /// Fields that could not be resolved (unknown type …): not reported again where referenced.
    pub broken_fields: HashSet<(ModelId, String)>,
    pub pending_relations: Vec<PendingRelation>,
    /// Names of `type` blocks (refused once where defined, not again where used).
    pub composite_types: HashSet<String>,
    pub provider: Option<Provider>,
    /// The datasource's name: native types are written `@<name>.VarChar`.
    pub datasource_name: Option<String>,
}

impl Ctx<'_> {
    pub fn push(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, span, message));
    }

    pub fn push_help(&mut self, code: Code, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, span, message).with_help(help));
    }
}

/// Resolves the parsed files of one schema.
pub fn resolve(asts: &[SchemaAst], diags: &mut Diagnostics) -> (Schema, ResolveOutput) {
    let documented: Vec<(&Block, Option<String>)> = asts.iter().flat_map(documented_blocks).collect();
    let blocks: Vec<&Block> = documented.iter().map(|(b, _)| *b).collect();

    let mut schema = Schema::default();
    let mut ctx = Ctx {
        diags,
        broken_fields: HashSet::new(),
        pending_relations: Vec::new(),
        composite_types: HashSet::new(),
        provider: None,
        datasource_name: None,
    };
    if !config::resolve(&blocks, &mut schema, &mut ctx) {
        // A provider orm does not serve: one clear error, not a cascade about its features.
        return (schema, ResolveOutput::default());
    }
    let registered = names::register(&documented, &mut schema, &mut ctx);
    fields::resolve(&registered, &mut schema, &mut ctx);
    block_attributes::resolve(&registered, &mut schema, &mut ctx);
    let missing_opposite_fields = relations::resolve(&mut schema, &mut ctx);
    (schema, ResolveOutput { missing_opposite_fields })
}

/// Top-level blocks with the `///` lines directly above them.
fn documented_blocks(ast: &SchemaAst) -> Vec<(&Block, Option<String>)> {
    let mut out = Vec::new();
    let mut docs: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for top in &ast.tops {
        match top {
            crate::ast::Top::Comment(c) if c.doc => docs.push(c.doc_text()),
            crate::ast::Top::Block(b) => {
                out.push((b, if docs.is_empty() { None } else { Some(docs.join("\n")) }));
                docs.clear();
            }
            _ => docs.clear(),
        }
    }
    out
}

/// The `///` lines directly above item `index` of a block, joined.
pub(crate) fn docs_at(block: &Block, index: usize) -> Option<String> {
    let docs = block.docs_before(index);
    if docs.is_empty() { None } else { Some(docs.iter().map(|c| c.doc_text()).collect::<Vec<_>>().join("\n")) }
}

/// Members of a block with their item index (for doc comments).
pub(crate) fn indexed_members(block: &Block) -> impl Iterator<Item = (usize, &crate::ast::Member)> {
    block.items.iter().enumerate().filter_map(|(i, item)| match item {
        BlockItem::Member(m) => Some((i, m)),
        _ => None,
    })
}

/// Whether a name is a valid identifier for a model, field or enum.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic()) && chars.all(|c| c.is_alphanumeric() || c == '_')
}
