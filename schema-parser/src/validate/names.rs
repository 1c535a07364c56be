//! Names that must stay distinct once mapped to the database or to Rust.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::schema::{Model, Schema};

pub(super) fn database_names_are_unique(schema: &Schema, diags: &mut Diagnostics) {
    let mut tables: HashMap<(Option<&str>, &str), &str> = HashMap::new();
    for model in schema.models.values() {
        if let Some(other) = tables.insert((model.schema.as_deref(), &model.db_name), &model.name) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateDatabaseName,
                    model.name_span,
                    format!("`{}` and `{other}` both map to the table `{}`", model.name, model.db_name),
                )
                .with_help("give one of them another name with `@@map(\"…\")`"),
            );
        }
    }
    let mut enums: HashMap<(Option<&str>, &str), &str> = HashMap::new();
    for e in schema.enums.values() {
        if let Some(other) = enums.insert((e.schema.as_deref(), &e.db_name), &e.name) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateDatabaseName,
                    e.name_span,
                    format!("the enums `{}` and `{other}` both map to the type `{}`", e.name, e.db_name),
                )
                .with_help("give one of them another name with `@@map(\"…\")`"),
            );
        }
        let mut values: HashMap<&str, &str> = HashMap::new();
        for v in e.values.values() {
            if let Some(other) = values.insert(&v.db_name, &v.name) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateDatabaseName,
                        v.span,
                        format!("the values `{}` and `{other}` of `{}` both map to \"{}\"", v.name, e.name, v.db_name),
                    )
                    .with_help("give each value its own `@map(\"…\")`"),
                );
            }
        }
    }
}

pub(super) fn column_names_are_unique(model: &Model, diags: &mut Diagnostics) {
    let mut columns: HashMap<&str, &str> = HashMap::new();
    for field in model.fields.values().filter(|f| !f.is_relation()) {
        if let Some(other) = columns.insert(&field.db_name, &field.name) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateColumnName,
                    field.name_span,
                    format!(
                        "the fields `{}` and `{other}` of `{}` both map to the column `{}`",
                        field.name, model.name, field.db_name
                    ),
                )
                .with_help("give one of them another column name with `@map(\"…\")`"),
            );
        }
    }
}
