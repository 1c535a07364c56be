//! Pass 5: `fields` / `references` resolved, relation fields paired into relations.
//!
//! Two relation fields pair when they point at each other's models under the same relation
//! name (no name counts as a name). What cannot be paired is reported here; rules about paired
//! relations (one-to-one sides, types, referential actions) live in `validate::relations`.

use heck::{ToLowerCamelCase, ToUpperCamelCase};
use indexmap::IndexMap;

use crate::diagnostics::{Code, did_you_mean};
use crate::resolve::Ctx;
use crate::resolve::block_attributes::field_names;
use crate::schema::*;

/// A field `orm format` adds because a relation lacks its opposite side.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingOppositeField {
    /// The model that receives the new field.
    pub model: String,
    pub name: String,
    /// `Post[]`, `User?` …
    pub ty: String,
    pub attributes: Vec<String>,
}

pub(crate) fn resolve(schema: &mut Schema, ctx: &mut Ctx) -> Vec<MissingOppositeField> {
    resolve_arguments(schema, ctx);
    pair(schema, ctx)
}

fn resolve_arguments(schema: &mut Schema, ctx: &mut Ctx) {
    for pending in std::mem::take(&mut ctx.pending_relations) {
        let model = schema.model(pending.model);
        let Some(field_id) = model.field_id(&pending.field) else { continue };
        let FieldType::Model(target) = model.field(field_id).ty else { continue };
        let mut fields = Vec::new();
        for (name, span) in &pending.fields {
            match model.field_id(name) {
                Some(id) if !model.field(id).is_relation() => fields.push(id),
                Some(_) => ctx.push_help(
                    Code::UnknownRelationField,
                    *span,
                    format!("`{name}` is a relation field; `fields` lists scalar fields"),
                    "list the scalar fields that hold the foreign key",
                ),
                None if ctx.broken_fields.contains(&(pending.model, name.clone())) => {}
                None => {
                    let help = did_you_mean(name, model.scalar_fields().map(|(_, f)| f.name.as_str()))
                        .unwrap_or_else(|| format!("add a field `{name}` to `{}` to hold the foreign key", model.name));
                    ctx.push_help(
                        Code::UnknownRelationField,
                        *span,
                        format!("`fields` names `{name}`, which model `{}` does not have", model.name),
                        help,
                    );
                }
            }
        }
        let target_model = schema.model(target);
        let mut references = Vec::new();
        for (name, span) in &pending.references {
            match target_model.field_id(name) {
                Some(id) if !target_model.field(id).is_relation() => references.push(id),
                Some(_) => ctx.push(
                    Code::UnknownRelationField,
                    *span,
                    format!(
                        "`{name}` is a relation field; `references` lists scalar fields of `{}`",
                        target_model.name
                    ),
                ),
                None if ctx.broken_fields.contains(&(target, name.clone())) => {}
                None => {
                    let help = did_you_mean(name, target_model.scalar_fields().map(|(_, f)| f.name.as_str()))
                        .unwrap_or_else(|| {
                            format!("the fields of `{}` are {}", target_model.name, field_names(target_model))
                        });
                    ctx.push_help(
                        Code::UnknownRelationField,
                        *span,
                        format!("`references` names `{name}`, which model `{}` does not have", target_model.name),
                        help,
                    );
                }
            }
        }
        let both_or_neither = pending.fields_given == pending.references_given;
        let complete = fields.len() == pending.fields.len() && references.len() == pending.references.len();
        let field = &mut schema.models[pending.model.0].fields[field_id.0];
        if !both_or_neither {
            let (given, missing) =
                if pending.fields_given { ("fields", "references") } else { ("references", "fields") };
            let span = field.relation.as_ref().map_or(field.span, |r| r.span);
            ctx.push_help(
                Code::IncompleteRelationArguments,
                span,
                format!("the relation field `{}` sets `{given}` but not `{missing}`", field.name),
                "write both: `@relation(fields: [authorId], references: [id])`",
            );
        }
        if let Some(rel) = &mut field.relation
            && complete
        {
            rel.fields = fields;
            rel.references = references;
        }
    }
}

/// The two models (lower id first) and the relation name.
type GroupKey = (ModelId, ModelId, Option<String>);

/// Groups relation fields by (model pair, relation name) and pairs each group.
fn pair(schema: &mut Schema, ctx: &mut Ctx) -> Vec<MissingOppositeField> {
    // (lower model, higher model, name) → fields, in schema order.
    let mut groups: IndexMap<GroupKey, Vec<(ModelId, FieldId)>> = IndexMap::new();
    for model_id in schema.model_ids() {
        for (field_id, field) in schema.model(model_id).relation_fields() {
            let FieldType::Model(target) = field.ty else { continue };
            let name = field.relation.as_ref().and_then(|r| r.name.clone());
            let key = (model_id.min(target), model_id.max(target), name);
            groups.entry(key).or_default().push((model_id, field_id));
        }
    }

    let mut missing = Vec::new();
    for ((a, b, name), fields) in groups {
        let relation_name =
            name.clone().unwrap_or_else(|| default_relation_name(&schema.model(a).name, &schema.model(b).name));
        if a == b {
            match fields.as_slice() {
                [f1, f2] => push_relation(schema, relation_name, *f1, *f2),
                [single] => {
                    let f = schema.model(single.0).field(single.1);
                    ctx.push_help(
                        Code::InvalidRelationName,
                        f.span,
                        format!(
                            "the self relation `{}` on `{}` needs a second field with the same relation name",
                            f.name,
                            schema.model(a).name
                        ),
                        "a self relation has two fields, e.g. `parent` and `children`, both with `@relation(\"Name\")`",
                    );
                }
                many => report_ambiguous(schema, many, name.as_deref(), ctx),
            }
            continue;
        }
        let (on_a, on_b): (Vec<_>, Vec<_>) = fields.iter().partition(|(m, _)| *m == a);
        match (on_a.as_slice(), on_b.as_slice()) {
            ([f1], [f2]) => push_relation(schema, relation_name, *f1, *f2),
            ([single], []) | ([], [single]) => {
                report_missing(schema, *single, ctx);
                missing.extend(missing_field(schema, *single, name.as_deref()));
            }
            _ => {
                if on_a.len() > 1 {
                    report_ambiguous(schema, &on_a, name.as_deref(), ctx);
                }
                if on_b.len() > 1 {
                    report_ambiguous(schema, &on_b, name.as_deref(), ctx);
                }
            }
        }
    }
    missing
}

fn push_relation(schema: &mut Schema, name: String, f1: (ModelId, FieldId), f2: (ModelId, FieldId)) {
    let field1 = schema.model(f1.0).field(f1.1);
    let field2 = schema.model(f2.0).field(f2.1);
    let kind = match (field1.is_list(), field2.is_list()) {
        (true, true) => RelationKind::ManyToMany,
        (false, false) => RelationKind::OneToOne,
        _ => RelationKind::OneToMany,
    };
    let defines = |f: &Field| f.relation.as_ref().is_some_and(|r| !r.fields.is_empty() || !r.references.is_empty());
    let (from, to) = match kind {
        RelationKind::ManyToMany => {
            if schema.model(f1.0).name <= schema.model(f2.0).name {
                (f1, f2)
            } else {
                (f2, f1)
            }
        }
        RelationKind::OneToMany => {
            if field1.is_list() {
                (f2, f1)
            } else {
                (f1, f2)
            }
        }
        RelationKind::OneToOne => {
            if defines(field2) && !defines(field1) {
                (f2, f1)
            } else {
                (f1, f2)
            }
        }
    };
    schema.relations.push(Relation { name, kind, from, to });
}

fn report_missing(schema: &Schema, (model_id, field_id): (ModelId, FieldId), ctx: &mut Ctx) {
    let model = schema.model(model_id);
    let field = model.field(field_id);
    let FieldType::Model(target) = field.ty else { return };
    ctx.push_help(
        Code::MissingOppositeRelationField,
        field.span,
        format!(
            "the relation field `{}` on model `{}` is missing an opposite relation field on the model `{}`",
            field.name,
            model.name,
            schema.model(target).name
        ),
        "run `orm format` to add it, or add it by hand",
    );
}

fn report_ambiguous(schema: &Schema, fields: &[(ModelId, FieldId)], name: Option<&str>, ctx: &mut Ctx) {
    let names: Vec<String> = fields.iter().map(|(m, f)| format!("`{}`", schema.model(*m).field(*f).name)).collect();
    let (m, f) = fields[0];
    let model = schema.model(m);
    let FieldType::Model(target) = model.field(f).ty else { return };
    for (m, f) in fields {
        let field = schema.model(*m).field(*f);
        match name {
            None => ctx.push_help(
                Code::AmbiguousRelation,
                field.span,
                format!(
                    "ambiguous relation: the fields {} of `{}` all refer to `{}`",
                    names.join(", "),
                    model.name,
                    schema.model(target).name
                ),
                "give each relation its own name: `@relation(\"Name\")` on both of its fields",
            ),
            Some(n) => ctx.push_help(
                Code::InvalidRelationName,
                field.span,
                format!("the relation name \"{n}\" is used by more than two fields: {}", names.join(", ")),
                "a relation name belongs to exactly one field on each side",
            ),
        }
    }
}

/// The field `prisma format` would add on the other side of `(model, field)`.
fn missing_field(
    schema: &Schema,
    (model_id, field_id): (ModelId, FieldId),
    name: Option<&str>,
) -> Vec<MissingOppositeField> {
    missing_field_inner(schema, (model_id, field_id), name).unwrap_or_default()
}

fn missing_field_inner(
    schema: &Schema,
    (model_id, field_id): (ModelId, FieldId),
    name: Option<&str>,
) -> Option<Vec<MissingOppositeField>> {
    let model = schema.model(model_id);
    let field = model.field(field_id);
    let FieldType::Model(target_id) = field.ty else { return None };
    let target = schema.model(target_id);
    let base = model.name.to_lower_camel_case();
    let name_arg = name.map(|n| format!("\"{n}\""));
    let rel = field.relation.as_ref()?;
    let (new_name, ty, attributes, extra) = if field.is_list() {
        // The other side holds the foreign key, to this model's primary key.
        let pk = model.primary_key.as_ref()?;
        let mut fk_names = Vec::new();
        let mut extra = Vec::new();
        for f in &pk.fields {
            let pk_field = model.field(f.field);
            let scalar = match &pk_field.ty {
                FieldType::Scalar(s) => s.as_str().to_string(),
                FieldType::Enum(e) => schema.enum_(*e).name.clone(),
                _ => return None,
            };
            let fk = format!("{base}{}", pk_field.name.to_upper_camel_case());
            fk_names.push(fk.clone());
            extra.push(MissingOppositeField {
                model: target.name.clone(),
                name: fk,
                ty: format!("{scalar}?"),
                attributes: vec![],
            });
        }
        let refs: Vec<&str> = pk.fields.iter().map(|f| model.field(f.field).name.as_str()).collect();
        let mut args: Vec<String> = name_arg.into_iter().collect();
        args.push(format!("fields: [{}]", fk_names.join(", ")));
        args.push(format!("references: [{}]", refs.join(", ")));
        (base, format!("{}?", model.name), vec![format!("@relation({})", args.join(", "))], extra)
    } else if !rel.fields.is_empty() {
        let attributes = name_arg.map(|n| vec![format!("@relation({n})")]).unwrap_or_default();
        if model.is_unique_criterion(&rel.fields) {
            (base, format!("{}?", model.name), attributes, vec![])
        } else {
            (format!("{base}s"), format!("{}[]", model.name), attributes, vec![])
        }
    } else {
        return None;
    };
    if target.fields.contains_key(&new_name) || extra.iter().any(|e| target.fields.contains_key(&e.name)) {
        return None;
    }
    // The relation field first, then its scalar fields, as prisma format writes them.
    let mut out = vec![MissingOppositeField { model: target.name.clone(), name: new_name, ty, attributes }];
    out.extend(extra);
    Some(out)
}
