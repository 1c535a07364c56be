//! Rules about relations: which side holds the foreign key, what it references, and the
//! referential actions.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::schema::*;

/// `fields` and `references` on one relation field agree with each other and with the models.
pub(super) fn arguments_are_consistent(model_id: ModelId, field_id: FieldId, schema: &Schema, diags: &mut Diagnostics) {
    let model = schema.model(model_id);
    let field = model.field(field_id);
    let (Some(rel), FieldType::Model(target_id)) = (&field.relation, &field.ty) else { return };
    let target = schema.model(*target_id);
    if let Some(p) = schema.provider()
        && rel.map.is_some()
        && !p.capabilities().named_foreign_keys
    {
        diags.push(
            Diagnostic::new(
                Code::ProviderUnsupportedArgument,
                rel.span,
                format!("naming the foreign key constraint (`map:`) is not supported on {}", p.as_str()),
            )
            .with_help("remove `map:` from `@relation`"),
        );
    }
    // A list field with `fields` is reported by `sides_are_well_formed`; checking what its
    // arguments reference would only pile on.
    if field.is_list() {
        return;
    }
    if rel.fields.is_empty() || rel.references.is_empty() {
        return;
    }
    if rel.fields.len() != rel.references.len() {
        diags.push(
            Diagnostic::new(
                Code::RelationArgumentCountMismatch,
                rel.span,
                format!("`fields` lists {} field(s) but `references` lists {}", rel.fields.len(), rel.references.len()),
            )
            .with_help("each field in `fields` references the field at the same position in `references`"),
        );
        return;
    }
    for (f, r) in rel.fields.iter().zip(&rel.references) {
        let (local, remote) = (model.field(*f), target.field(*r));
        if local.ty != remote.ty {
            diags.push(
                Diagnostic::new(
                    Code::RelationTypeMismatch,
                    rel.span,
                    format!(
                        "`{}.{}` and `{}.{}` have different types, so one cannot reference the other",
                        model.name, local.name, target.name, remote.name
                    ),
                )
                .with_help(format!("give `{}` the same type as `{}.{}`", local.name, target.name, remote.name)),
            );
        }
    }
    if !target.is_unique_criterion(&rel.references) {
        let names: Vec<&str> = rel.references.iter().map(|r| target.field(*r).name.as_str()).collect();
        diags.push(
            Diagnostic::new(
                Code::ReferencesNotUnique,
                rel.span,
                format!("`references: [{}]` is not a unique criterion of `{}`", names.join(", "), target.name),
            )
            .with_help(format!(
                "reference `{}`'s `@id`, or add `@@unique([{}])` to it",
                target.name,
                names.join(", ")
            )),
        );
    }
    if !field.is_optional() && !field.is_list() && rel.fields.iter().any(|f| model.field(*f).is_optional()) {
        diags.push(
            Diagnostic::new(
                Code::RequiredRelationOverOptionalFields,
                field.span,
                format!("the relation field `{}` is required, but some of its `fields` are optional", field.name),
            )
            .with_help(format!("make it optional (`{}?`), or make its fields required", target.name)),
        );
    }
    let provider = schema.provider();
    let mode = schema.datasource.as_ref().map(|d| d.relation_mode).unwrap_or_default();
    for (key, action) in [("onDelete", rel.on_delete), ("onUpdate", rel.on_update)] {
        let Some(action) = action else { continue };
        if let Some(p) = provider {
            let allowed = match mode {
                RelationMode::ForeignKeys => p.capabilities().referential_actions,
                RelationMode::Prisma => &[
                    ReferentialAction::Cascade,
                    ReferentialAction::Restrict,
                    ReferentialAction::NoAction,
                    ReferentialAction::SetNull,
                ][..],
            };
            if !allowed.contains(&action) {
                let names: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                let context = match mode {
                    RelationMode::ForeignKeys => format!("on {}", p.as_str()),
                    RelationMode::Prisma => "with `relationMode = \"prisma\"`".to_string(),
                };
                diags.push(
                    Diagnostic::new(
                        Code::UnsupportedReferentialAction,
                        rel.span,
                        format!("`{key}: {}` is not supported {context}", action.as_str()),
                    )
                    .with_help(format!("choose one of {}", names.join(", "))),
                );
            }
        }
        if action == ReferentialAction::SetNull && rel.fields.iter().any(|f| !model.field(*f).is_optional()) {
            let warns = mode == RelationMode::ForeignKeys
                && provider.is_some_and(|p| p.capabilities().set_null_on_required_warns);
            let d = if warns {
                Diagnostic::new(
                    Code::SetNullOnRequiredFieldWarning,
                    rel.span,
                    format!(
                        "`{key}: SetNull` on required fields: the database will refuse to set them to NULL at run time"
                    ),
                )
            } else {
                Diagnostic::new(
                    Code::SetNullOnRequiredField,
                    rel.span,
                    format!("`{key}: SetNull` cannot work: the field(s) it would set to NULL are required"),
                )
            };
            diags.push(d.with_help("choose another referential action, or make the fields in `fields` optional"));
        }
    }
}

/// The two sides of a paired relation: who holds the foreign key, arity rules.
pub(super) fn sides_are_well_formed(relation: &Relation, schema: &Schema, diags: &mut Diagnostics) {
    let (from_model, from_field) =
        (schema.model(relation.from.0), schema.model(relation.from.0).field(relation.from.1));
    let (to_model, to_field) = (schema.model(relation.to.0), schema.model(relation.to.0).field(relation.to.1));
    let rel_of = |f: &Field| f.relation.clone().unwrap_or_default();
    let (from_rel, to_rel) = (rel_of(from_field), rel_of(to_field));
    let defines = |r: &RelationAttribute| !r.fields.is_empty() || !r.references.is_empty();
    let has_actions = |r: &RelationAttribute| r.on_delete.is_some() || r.on_update.is_some();

    match relation.kind {
        RelationKind::ManyToMany => {
            for (model, field, rel) in [(from_model, from_field, &from_rel), (to_model, to_field, &to_rel)] {
                if defines(rel) {
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidManyToMany,
                            rel.span,
                            format!("the many-to-many field `{}.{}` cannot set `fields` or `references`", model.name, field.name),
                        )
                        .with_help("implicit many-to-many relations use a join table; remove `fields` and `references`, or model the join table explicitly"),
                    );
                }
                let single_id = model.primary_key.as_ref().is_some_and(|pk| pk.fields.len() == 1);
                if !single_id {
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidManyToMany,
                            field.span,
                            format!(
                                "the implicit many-to-many relation `{}` needs a single-field `@id` on `{}`",
                                relation.name, model.name
                            ),
                        )
                        .with_help("give the model an `@id` field, or model the join table explicitly"),
                    );
                }
            }
        }
        RelationKind::OneToMany => {
            if defines(&to_rel) {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidRelationSides,
                        to_rel.span,
                        format!(
                            "the list field `{}.{}` cannot set `fields` or `references`",
                            to_model.name, to_field.name
                        ),
                    )
                    .with_help(format!(
                        "put them on `{}.{}`, the side that holds the foreign key",
                        from_model.name, from_field.name
                    )),
                );
            }
            if !defines(&from_rel) && !unresolved_arguments(&from_rel) {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidRelationSides,
                        from_field.span,
                        format!(
                            "the relation field `{}.{}` must set `fields` and `references`",
                            from_model.name, from_field.name
                        ),
                    )
                    .with_help(format!(
                        "e.g. `{} {}{} @relation(fields: [{}Id], references: [id])`",
                        from_field.name,
                        to_model.name,
                        if from_field.is_optional() { "?" } else { "" },
                        from_field.name
                    )),
                );
            }
            if has_actions(&to_rel) {
                actions_on_wrong_side(to_model, to_field, &to_rel, from_model, from_field, diags);
            }
        }
        RelationKind::OneToOne => {
            match (defines(&from_rel), defines(&to_rel)) {
                (true, true) => diags.push(
                    Diagnostic::new(
                        Code::InvalidRelationSides,
                        to_rel.span,
                        format!(
                            "both sides of the one-to-one relation `{}` set `fields` and `references`",
                            relation.name
                        ),
                    )
                    .with_help(format!(
                        "keep them on one side only, e.g. on `{}.{}`",
                        from_model.name, from_field.name
                    )),
                ),
                (false, false) if !unresolved_arguments(&from_rel) && !unresolved_arguments(&to_rel) => diags.push(
                    Diagnostic::new(
                        Code::InvalidRelationSides,
                        from_field.span,
                        format!(
                            "neither side of the one-to-one relation `{}` sets `fields` and `references`",
                            relation.name
                        ),
                    )
                    .with_help(format!(
                        "add `@relation(fields: [{}Id], references: [id])` to the side that holds the foreign key",
                        from_field.name
                    )),
                ),
                _ => {}
            }
            if defines(&from_rel) && !defines(&to_rel) {
                if !to_field.is_optional() {
                    diags.push(
                        Diagnostic::new(
                            Code::OneToOneBackSideRequired,
                            to_field.span,
                            format!(
                                "`{}.{}` must be optional: it is the side of a one-to-one relation without the foreign key",
                                to_model.name, to_field.name
                            ),
                        )
                        .with_help(format!("write `{} {}?`", to_field.name, from_model.name)),
                    );
                }
                if !from_rel.fields.is_empty() && !from_model.is_unique_criterion(&from_rel.fields) {
                    let names: Vec<&str> = from_rel.fields.iter().map(|f| from_model.field(*f).name.as_str()).collect();
                    diags.push(
                        Diagnostic::new(
                            Code::OneToOneFieldsNotUnique,
                            from_rel.span,
                            format!(
                                "a one-to-one relation needs unique `fields`, but [{}] of `{}` is not unique",
                                names.join(", "),
                                from_model.name
                            ),
                        )
                        .with_help(if names.len() == 1 {
                            format!("add `@unique` to `{}`", names[0])
                        } else {
                            format!("add `@@unique([{}])` to `{}`", names.join(", "), from_model.name)
                        }),
                    );
                }
                if has_actions(&to_rel) {
                    actions_on_wrong_side(to_model, to_field, &to_rel, from_model, from_field, diags);
                }
            }
        }
    }
}

/// `@relation` was written with fields/references that did not resolve (already reported, so
/// not reported again as missing).
fn unresolved_arguments(rel: &RelationAttribute) -> bool {
    rel.arguments_written && rel.fields.is_empty() && rel.references.is_empty()
}

fn actions_on_wrong_side(
    model: &Model,
    field: &Field,
    rel: &RelationAttribute,
    other_model: &Model,
    other_field: &Field,
    diags: &mut Diagnostics,
) {
    diags.push(
        Diagnostic::new(
            Code::ActionsOnWrongSide,
            rel.span,
            format!(
                "`{}.{}` cannot set `onDelete` or `onUpdate`: it does not hold the foreign key",
                model.name, field.name
            ),
        )
        .with_help(format!("set them on `{}.{}`", other_model.name, other_field.name)),
    );
}
