//! Rules about a model as a whole: its keys and indexes.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::schema::{IndexKind, Model, ModelKind, Schema};

pub(super) fn has_a_unique_criterion(model: &Model, diags: &mut Diagnostics) {
    if model.kind == ModelKind::View || model.ignored || model.incomplete {
        return;
    }
    let required = |fields: &[crate::schema::IndexField]| {
        fields.iter().all(|f| !model.field(f.field).is_optional() && !model.field(f.field).ignored)
    };
    if model.primary_key.is_some() || model.uniques().any(|u| required(&u.fields)) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::NoUniqueCriterion,
            model.name_span,
            format!("model `{}` has no unique criterion: no `@id`, `@@id`, or `@unique` over required fields", model.name),
        )
        .with_help("mark a field with `@id` (e.g. `id Int @id @default(autoincrement())`), or add `@@id([…])` / `@@unique([…])`"),
    );
}

pub(super) fn primary_key_fields_are_required(model: &Model, diags: &mut Diagnostics) {
    let Some(pk) = &model.primary_key else { return };
    for f in &pk.fields {
        let field = model.field(f.field);
        if field.is_optional() || field.is_list() {
            diags.push(
                Diagnostic::new(
                    Code::OptionalIdField,
                    if pk.from_field { field.span } else { pk.span },
                    format!(
                        "the primary key of `{}` includes `{}`, which is not a required single value",
                        model.name, field.name
                    ),
                )
                .with_help("primary key fields must be required: remove the `?` (or `[]`)"),
            );
        }
    }
}

pub(super) fn indexes_fit_the_provider(model: &Model, schema: &Schema, diags: &mut Diagnostics) {
    let Some(provider) = schema.provider() else { return };
    let caps = provider.capabilities();
    let unsupported = |diags: &mut Diagnostics, span, what: String| {
        diags.push(
            Diagnostic::new(
                Code::ProviderUnsupportedArgument,
                span,
                format!("{what} is not supported on {}", provider.as_str()),
            )
            .with_help("remove it, or use a provider that supports it"),
        );
    };
    if let Some(pk) = &model.primary_key {
        if pk.map.is_some() && !caps.named_primary_keys {
            unsupported(diags, pk.span, "naming the primary key constraint (`map:`)".into());
        }
        if pk.clustered.is_some() {
            unsupported(diags, pk.span, "`clustered:`".into());
        }
        for f in &pk.fields {
            if f.length.is_some() && !caps.index_length {
                unsupported(diags, pk.span, "`length:` on key fields".into());
            }
        }
    }
    for index in &model.indexes {
        if index.kind == IndexKind::Fulltext && !caps.fulltext_index {
            unsupported(diags, index.span, "`@@fulltext`".into());
        }
        if let Some(t) = &index.index_type
            && !caps.index_types.contains(&t.as_str())
        {
            let help = if caps.index_types.is_empty() {
                format!("{} has one kind of index: remove `type:`", provider.as_str())
            } else {
                format!("index types on {} are {}", provider.as_str(), caps.index_types.join(", "))
            };
            diags.push(
                Diagnostic::new(
                    Code::ProviderUnsupportedArgument,
                    index.span,
                    format!("the index type `{t}` is not supported on {}", provider.as_str()),
                )
                .with_help(help),
            );
        }
        if index.clustered.is_some() {
            unsupported(diags, index.span, "`clustered:`".into());
        }
        if index.index_type.as_deref() == Some("Hash")
            && !caps.sorted_hash_index
            && index.fields.iter().any(|f| f.sort.is_some())
        {
            unsupported(diags, index.span, "`sort:` on a `Hash` index".into());
        }
        if index.index_type.as_deref() == Some("Hash") && !caps.multi_column_hash_index && index.fields.len() > 1 {
            unsupported(diags, index.span, "a `Hash` index over more than one field".into());
        }
        for f in &index.fields {
            if f.length.is_some() && !caps.index_length {
                unsupported(diags, index.span, "`length:` on index fields".into());
            }
            if f.ops.is_some() && !caps.index_operator_classes {
                unsupported(diags, index.span, "`ops:` (operator classes)".into());
            }
        }
        if caps.text_index_needs_length && index.kind != IndexKind::Fulltext {
            for f in &index.fields {
                let field = model.field(f.field);
                let is_text =
                    field.native_type.as_ref().is_some_and(|n| n.name.ends_with("Text") || n.name.ends_with("Blob"));
                if is_text && f.length.is_none() {
                    diags.push(
                        Diagnostic::new(
                            Code::ProviderUnsupportedArgument,
                            index.span,
                            format!(
                                "MySQL cannot index the {} column `{}` without a prefix length",
                                field.native_type.as_ref().map_or("", |n| n.name.as_str()),
                                field.name
                            ),
                        )
                        .with_help(format!("write `{}(length: 100)` in the index", field.name)),
                    );
                }
            }
        }
    }
}

/// Explicit constraint names (`map:`) must be unique where the database keeps them: per
/// schema on PostgreSQL and SQLite, per table on MySQL.
pub(super) fn constraint_names_are_unique(schema: &Schema, diags: &mut Diagnostics) {
    let per_table = schema.provider().is_some_and(|p| p.capabilities().constraint_names_per_table);
    let mut seen: HashMap<(Option<&str>, &str), &str> = HashMap::new();
    for model in schema.models.values() {
        if per_table {
            seen.clear();
        }
        for index in &model.indexes {
            let Some(map) = &index.map else { continue };
            if let Some(other) = seen.insert((model.schema.as_deref(), map.as_str()), &model.name) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateConstraintName,
                        index.span,
                        format!("the constraint name \"{map}\" is already used (in `{other}`)"),
                    )
                    .with_help("constraint names must be unique: choose another `map:`"),
                );
            }
        }
        let mut client_names: HashMap<&str, ()> = HashMap::new();
        for name in model
            .uniques()
            .filter_map(|u| u.name.as_deref())
            .chain(model.primary_key.as_ref().and_then(|p| p.name.as_deref()))
        {
            if client_names.insert(name, ()).is_some() || model.fields.contains_key(name) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateConstraintName,
                        model.name_span,
                        format!(
                            "the name `{name}` of a key of `{}` is used twice (or clashes with a field)",
                            model.name
                        ),
                    )
                    .with_help("choose another `name:`"),
                );
            }
        }
    }
}

/// With `schemas = [...]` in the datasource every model and enum says which one it lives in,
/// and only those; without it, `@@schema` has nothing to refer to.
pub(super) fn schema_annotations_match_the_datasource(schema: &Schema, diags: &mut Diagnostics) {
    let Some(ds) = &schema.datasource else { return };
    let items = schema
        .models
        .values()
        .filter(|m| !m.incomplete)
        .map(|m| (m.name.as_str(), m.name_span, m.schema.as_deref()))
        .chain(schema.enums.values().map(|e| (e.name.as_str(), e.name_span, e.schema.as_deref())));
    for (name, name_span, annotation) in items {
        match annotation {
            None if !ds.schemas.is_empty() => diags.push(
                Diagnostic::new(
                    Code::InvalidSchemaAnnotation,
                    name_span,
                    format!("`{name}` has no `@@schema` attribute"),
                )
                .with_help(format!(
                    "the datasource lists schemas, so say which one: `@@schema(\"{}\")`",
                    ds.schemas[0]
                )),
            ),
            Some(s) if !ds.schemas.iter().any(|x| x == s) => diags.push(
                Diagnostic::new(
                    Code::InvalidSchemaAnnotation,
                    name_span,
                    format!("`{name}` is in the schema \"{s}\", which the datasource does not list"),
                )
                .with_help(format!("add \"{s}\" to `schemas = [...]` in the datasource")),
            ),
            _ => {}
        }
    }
}

/// Views are queries the database runs: they have no indexes. (A primary key is allowed: it
/// lets other models relate to the view, as real schemas do.)
pub(super) fn views_have_no_indexes(model: &Model, diags: &mut Diagnostics) {
    if model.kind != ModelKind::View {
        return;
    }
    for index in model.indexes.iter().filter(|i| i.kind != IndexKind::Unique) {
        let attr = if index.kind == IndexKind::Fulltext { "@@fulltext" } else { "@@index" };
        diags.push(
            Diagnostic::new(
                Code::AttributeNotAllowed,
                index.span,
                format!("a view cannot have indexes: `{attr}` is not allowed on a view"),
            )
            .with_help("index the tables the view reads from instead"),
        );
    }
}
