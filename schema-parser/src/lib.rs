//! `orm-schema`: reads schema files (Prisma Schema Language) into a resolved, validated
//! [`Schema`], reports every problem as a [`Diagnostic`] with a stable code, and prints schemas
//! in canonical form.
//!
//! The pipeline is `text → parser → ast → resolve (ordered passes) → validate → Schema`.
//! Everything downstream (codegen, migrations) reads [`Schema`], never the syntax tree.

pub mod ast;
pub mod bytes;
pub mod diagnostics;
pub mod format;
pub mod parser;
pub mod provider;
pub mod resolve;
pub mod schema;
pub mod source;
pub mod span;
pub mod validate;

pub use diagnostics::{Code, Diagnostic, Diagnostics, Severity};
pub use provider::{Capabilities, Provider};
pub use resolve::MissingOppositeField;
pub use schema::*;
pub use source::{LoadError, SourceFile, SourceFiles};
pub use span::{FileId, Span};

/// A schema read from its files: the syntax trees, the resolved schema and every diagnostic.
#[derive(Debug)]
pub struct CheckedSchema {
    pub files: SourceFiles,
    pub asts: Vec<ast::SchemaAst>,
    pub schema: Schema,
    pub diagnostics: Diagnostics,
    /// Relation fields whose opposite side is missing (what `orm format` adds).
    pub missing_opposite_fields: Vec<MissingOppositeField>,
}

impl CheckedSchema {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Diagnostics in file order.
    pub fn sorted_diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics.sorted()
    }
}

/// Parses, resolves and validates the files of one schema. Never fails, never panics: every
/// problem is a diagnostic. `diagnostics` may already hold problems found while reading.
pub fn check(files: SourceFiles, mut diagnostics: Diagnostics) -> CheckedSchema {
    let asts: Vec<ast::SchemaAst> = files.iter().map(|(id, f)| parser::parse(&f.text, id, &mut diagnostics)).collect();
    let (schema, out) = resolve::resolve(&asts, &mut diagnostics);
    validate::validate(&schema, &mut diagnostics);
    CheckedSchema { files, asts, schema, diagnostics, missing_opposite_fields: out.missing_opposite_fields }
}

/// Checks one schema given as a string (for tests and tools).
pub fn check_str(text: &str) -> CheckedSchema {
    check(SourceFiles::single("schema.orm", text), Diagnostics::default())
}
