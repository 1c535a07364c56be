//! Rules about single fields: types, native types, defaults against the provider.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::schema::{DefaultKind, Field, FieldType, Model, ModelKind, ScalarType, Schema};

pub(super) fn updated_at_is_on_a_datetime(field: &Field, diags: &mut Diagnostics) {
    if field.updated_at && (field.scalar() != Some(ScalarType::DateTime) || field.is_list()) {
        diags.push(
            Diagnostic::new(
                Code::InvalidUpdatedAt,
                field.span,
                format!("`@updatedAt` is on `{}`, which is not a `DateTime`", field.name),
            )
            .with_help("use `@updatedAt` on a `DateTime` or `DateTime?` field"),
        );
    }
}

pub(super) fn scalar_lists_are_supported(field: &Field, schema: &Schema, diags: &mut Diagnostics) {
    let Some(provider) = schema.provider() else { return };
    if field.is_list() && !field.is_relation() && !provider.capabilities().scalar_lists {
        diags.push(
            Diagnostic::new(
                Code::ScalarListUnsupported,
                field.type_span,
                format!("the field `{}` is a list, which {} cannot store", field.name, provider.as_str()),
            )
            .with_help("store it as `Json`, or as a related model"),
        );
    }
}

pub(super) fn native_type_fits(field: &Field, schema: &Schema, diags: &mut Diagnostics) {
    let (Some(native), Some(provider)) = (&field.native_type, schema.provider()) else { return };
    let caps = provider.capabilities();
    let Some(spec) = caps.native_type(&native.name) else {
        let names = caps.native_types.iter().map(|t| t.name);
        let help = if caps.native_types.is_empty() {
            format!("{} has no native types; remove the attribute", provider.as_str())
        } else {
            did_you_mean(&native.name, names)
                .unwrap_or_else(|| format!("see the {} native types in the docs", provider.as_str()))
        };
        diags.push(
            Diagnostic::new(
                Code::UnknownNativeType,
                native.span,
                format!("`{}` is not a native type of {}", native.name, provider.as_str()),
            )
            .with_help(help),
        );
        return;
    };
    let scalar = match field.ty {
        FieldType::Scalar(s) => Some(s),
        _ => None,
    };
    if scalar.is_none_or(|s| !spec.scalars.contains(&s)) {
        let fits: Vec<&str> = spec.scalars.iter().map(|s| s.as_str()).collect();
        diags.push(
            Diagnostic::new(
                Code::NativeTypeMismatch,
                native.span,
                format!("the native type `{}` cannot be used on the field `{}`", native.name, field.name),
            )
            .with_help(format!("`{}` fits {} fields", native.name, fits.join(" or "))),
        );
        return;
    }
    let n = native.args.len();
    let numbers_ok = native.args.iter().all(|a| a.parse::<u32>().is_ok());
    if n < spec.min_args || n > spec.max_args || !numbers_ok {
        let expected = match (spec.min_args, spec.max_args) {
            (0, 0) => "no arguments".to_string(),
            (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
            (0, b) => format!("at most {b} argument{}", if b == 1 { "" } else { "s" }),
            (a, b) => format!("{a} to {b} arguments"),
        };
        diags.push(
            Diagnostic::new(
                Code::InvalidNativeTypeArguments,
                native.span,
                format!("the native type `{}` takes {expected} (whole numbers), found {n}", native.name),
            )
            .with_help(if spec.max_args == 0 {
                format!("write `@{}`", native.name)
            } else {
                format!("e.g. `{}(255)`", native.name)
            }),
        );
    }
}

pub(super) fn autoincrement_fits_the_provider(model: &Model, schema: &Schema, diags: &mut Diagnostics) {
    let Some(provider) = schema.provider() else { return };
    let caps = provider.capabilities();
    let auto: Vec<(crate::schema::FieldId, &Field)> = model
        .fields
        .values()
        .enumerate()
        .filter(|(_, f)| matches!(f.default.as_ref().map(|d| &d.kind), Some(DefaultKind::Autoincrement)))
        .map(|(i, f)| (crate::schema::FieldId(i), f))
        .collect();
    if auto.len() > 1 && !caps.multiple_autoincrement {
        for (_, f) in &auto[1..] {
            diags.push(
                Diagnostic::new(
                    Code::InvalidAutoincrement,
                    f.default.as_ref().map_or(f.span, |d| d.span),
                    format!(
                        "`{}` has more than one `autoincrement()` field, which {} does not support",
                        model.name,
                        provider.as_str()
                    ),
                )
                .with_help("keep `autoincrement()` on one field"),
            );
        }
    }
    for (id, f) in auto {
        let is_pk = model.primary_key.as_ref().is_some_and(|pk| pk.fields.len() == 1 && pk.fields[0].field == id);
        if !is_pk && !caps.autoincrement_outside_id {
            diags.push(
                Diagnostic::new(
                    Code::InvalidAutoincrement,
                    f.default.as_ref().map_or(f.span, |d| d.span),
                    format!(
                        "`autoincrement()` on `{}` is only supported on {} for a single-field `@id`",
                        f.name,
                        provider.as_str()
                    ),
                )
                .with_help("make the field the model's `@id`, or set its value yourself"),
            );
            continue;
        }
        let indexed = is_pk || model.indexes.iter().any(|i| i.fields.first().is_some_and(|x| x.field == id));
        if !indexed && caps.autoincrement_needs_index {
            diags.push(
                Diagnostic::new(
                    Code::InvalidAutoincrement,
                    f.default.as_ref().map_or(f.span, |d| d.span),
                    format!("`autoincrement()` on `{}` needs an index on MySQL", f.name),
                )
                .with_help("add `@unique` to the field, or an `@@index` that starts with it"),
            );
        }
    }
}

pub(super) fn default_fits_the_provider(field: &Field, schema: &Schema, diags: &mut Diagnostics) {
    let (Some(default), Some(provider)) = (&field.default, schema.provider()) else { return };
    if default.map.is_some() && !provider.capabilities().named_default_constraints {
        diags.push(
            Diagnostic::new(
                Code::ProviderUnsupportedArgument,
                default.span,
                format!("naming the default value constraint (`map:`) is not supported on {}", provider.as_str()),
            )
            .with_help("remove `map:` from `@default`"),
        );
    }
}

/// Views are read-only: what only matters when writing has no effect there.
pub(super) fn view_fields_have_no_write_attributes(model: &Model, field: &Field, diags: &mut Diagnostics) {
    if model.kind != ModelKind::View {
        return;
    }
    let written =
        [("@default", field.default.as_ref().map(|d| d.span)), ("@updatedAt", field.updated_at.then_some(field.span))];
    for (attr, span) in written {
        if let Some(span) = span {
            diags.push(
                Diagnostic::new(
                    Code::IgnoredAttribute,
                    span,
                    format!("`{attr}` on the view field `{}` has no effect: views are read-only", field.name),
                )
                .with_help("remove it"),
            );
        }
    }
}

/// A relation to a model the client does not generate must be left out of the client too.
pub(super) fn relations_to_ignored_models_are_ignored(field: &Field, schema: &Schema, diags: &mut Diagnostics) {
    let FieldType::Model(target) = field.ty else { return };
    let target = schema.model(target);
    if target.ignored && !field.ignored {
        diags.push(
            Diagnostic::new(
                Code::RelationToIgnoredModel,
                field.span,
                format!("the relation field `{}` points at `{}`, which is `@@ignore`d", field.name, target.name),
            )
            .with_help("add `@ignore` to this field too"),
        );
    }
}
