//! Pass 2: every model, view and enum registered by name, with its enum values.

use heck::ToSnakeCase;
use indexmap::IndexMap;

use crate::ast::{Block, BlockKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{Ctx, docs_at, indexed_members, is_valid_name};
use crate::schema::{Enum, EnumValue, Model, ModelKind, ScalarType, Schema};
use crate::span::Span;

/// Names the generated client defines next to the models, or that Rust reserves outright.
/// (Generated code uses fully qualified paths, so `Option` or `Error` are fine model names.)
const RESERVED_TYPE_NAMES: &[&str] = &["Client", "Self"];
/// snake_case names that cannot be module or field names even as raw identifiers.
const RESERVED_SNAKE_NAMES: &[&str] = &["self", "super", "crate", "_"];

/// The blocks that define models and views, in schema order, with the id each got (blocks
/// with a duplicate name are left out, so later passes skip them).
pub(crate) struct Registered<'a> {
    pub models: Vec<(&'a Block, crate::schema::ModelId)>,
}

pub(crate) fn register<'a>(
    blocks: &[(&'a Block, Option<String>)],
    schema: &mut Schema,
    ctx: &mut Ctx,
) -> Registered<'a> {
    let mut registered = Registered { models: Vec::new() };
    let mut top_names: IndexMap<String, Span> = IndexMap::new();
    for (block, docs) in blocks {
        let block: &'a Block = block;
        let Some(kind) = block.kind else { continue };
        if matches!(kind, BlockKind::Datasource | BlockKind::Generator) {
            continue;
        }
        let name = &block.name;
        if kind == BlockKind::Type {
            ctx.composite_types.insert(name.name.clone());
            ctx.push_help(
                Code::CompositeTypeUnsupported,
                block.keyword.span,
                format!("composite type `{}` is only supported on MongoDB", name.name),
                "use a model with a relation, or a `Json` field",
            );
            continue;
        }
        if let Some(_first) = top_names.get(&name.name) {
            ctx.push_help(
                Code::DuplicateTopLevelName,
                name.span,
                format!("`{}` is already defined", name.name),
                "models, views and enums share one namespace; rename one of them",
            );
            continue;
        }
        top_names.insert(name.name.clone(), name.span);
        check_type_name(&name.name, name.span, kind.keyword(), ctx);

        let docs = docs.clone();
        match kind {
            BlockKind::Model | BlockKind::View => {
                let model = Model {
                    name: name.name.clone(),
                    db_name: name.name.clone(),
                    kind: if kind == BlockKind::View { ModelKind::View } else { ModelKind::Model },
                    fields: IndexMap::new(),
                    primary_key: None,
                    indexes: Vec::new(),
                    ignored: false,
                    incomplete: false,
                    schema: None,
                    docs,
                    span: block.span,
                    name_span: name.span,
                };
                let (idx, _) = schema.models.insert_full(name.name.clone(), model);
                registered.models.push((block, crate::schema::ModelId(idx)));
            }
            BlockKind::Enum => {
                let e = enum_block(block, docs, ctx);
                schema.enums.insert(name.name.clone(), e);
            }
            _ => {}
        }
    }
    registered
}

fn check_type_name(name: &str, span: Span, what: &str, ctx: &mut Ctx) {
    if !is_valid_name(name) {
        ctx.push_help(
            Code::InvalidName,
            span,
            format!("`{name}` is not a valid {what} name"),
            "names start with a letter and contain only letters, digits and underscores",
        );
    } else if ScalarType::parse(name).is_some() {
        ctx.push_help(
            Code::ReservedName,
            span,
            format!("`{name}` is a scalar type and cannot name a {what}"),
            format!("rename it, e.g. `{name}Value`"),
        );
    } else if RESERVED_TYPE_NAMES.contains(&name) || RESERVED_SNAKE_NAMES.contains(&name.to_snake_case().as_str()) {
        ctx.push_help(
            Code::ReservedName,
            span,
            format!("`{name}` is reserved: the generated Rust client uses it"),
            format!("rename the {what} and keep its database name with `@@map(\"{name}\")`"),
        );
    }
}

fn enum_block(block: &Block, docs: Option<String>, ctx: &mut Ctx) -> Enum {
    let mut values: IndexMap<String, EnumValue> = IndexMap::new();
    for (index, member) in indexed_members(block) {
        if member.ty.is_some() || member.value.is_some() {
            ctx.push_help(
                Code::InvalidMember,
                member.span,
                format!("`{}` is not a valid enum value", member.name.name),
                "each enum value is a name on its own line, optionally with `@map(\"…\")`",
            );
            continue;
        }
        let name = &member.name;
        if values.contains_key(&name.name) {
            ctx.push(Code::DuplicateEnumValue, name.span, format!("the value `{}` is already defined", name.name));
            continue;
        }
        if name.name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            ctx.push_help(
                Code::InvalidName,
                name.span,
                format!("the enum value `{}` starts with a digit", name.name),
                "start it with a letter and keep the database value with `@map(\"…\")`",
            );
        }
        let mut db_name = name.name.clone();
        let mut seen_map = false;
        for attr in &member.attributes {
            match attr.name.name.as_str() {
                "map" => {
                    if seen_map {
                        ctx.push(Code::DuplicateAttribute, attr.span, "`@map` is given twice");
                        continue;
                    }
                    seen_map = true;
                    let mut args = crate::resolve::Args::new(attr);
                    if let Some((s, _)) = args.string("name", true, ctx) {
                        db_name = s;
                    }
                    args.finish(&["name"], ctx);
                }
                other => ctx.diags.push(
                    Diagnostic::new(
                        Code::UnknownAttribute,
                        attr.span,
                        format!("`@{other}` is not allowed on an enum value"),
                    )
                    .with_help("enum values take `@map(\"…\")` only"),
                ),
            }
        }
        values.insert(
            name.name.clone(),
            EnumValue { name: name.name.clone(), db_name, docs: docs_at(block, index), span: member.span },
        );
    }
    let mut db_name = block.name.name.clone();
    let mut schema_name = None;
    let mut seen = Vec::new();
    for attr in block.attributes() {
        let n = attr.name.name.as_str();
        if seen.contains(&n) {
            ctx.push(Code::DuplicateAttribute, attr.span, format!("`@@{n}` is given twice"));
            continue;
        }
        seen.push(n);
        let mut args = crate::resolve::Args::new(attr);
        match n {
            "map" => {
                if let Some((s, _)) = args.string("name", true, ctx) {
                    db_name = s;
                }
                args.finish(&["name"], ctx);
            }
            "schema" => {
                schema_name = args.string("name", true, ctx).map(|(s, _)| s);
                args.finish(&["name"], ctx);
            }
            other => ctx.push_help(
                Code::UnknownAttribute,
                attr.span,
                format!("`@@{other}` is not allowed on an enum"),
                "enums take `@@map(\"…\")` and `@@schema(\"…\")`",
            ),
        }
    }
    if values.is_empty() {
        ctx.push_help(
            Code::InvalidMember,
            block.name.span,
            format!("enum `{}` has no values", block.name.name),
            "add at least one value, each on its own line",
        );
    }
    Enum {
        name: block.name.name.clone(),
        db_name,
        values,
        schema: schema_name,
        docs,
        span: block.span,
        name_span: block.name.span,
    }
}
