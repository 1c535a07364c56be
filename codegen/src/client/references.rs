//! The foreign keys pointing at a model, for `Table::referenced_by`: under
//! `relationMode = "prisma"` the database has none, and the runtime carries out their
//! referential actions (`onDelete`, `onUpdate`, with Prisma's defaults) itself. With foreign
//! keys in the database the list stays empty.

use orm_schema::{Arity, Model, ModelId, ReferentialAction, RelationKind, RelationMode, Schema};

use super::view::{ClientRelation, LinkView, TypeNames, client_fields, lit};

fn action(a: ReferentialAction) -> &'static str {
    match a {
        ReferentialAction::Cascade => "Cascade",
        ReferentialAction::Restrict => "Restrict",
        ReferentialAction::NoAction => "NoAction",
        ReferentialAction::SetNull => "SetNull",
        ReferentialAction::SetDefault => "SetDefault",
    }
}

/// `::orm_runtime::Reference { … }` literals of the keys that point at `model`.
pub(super) fn referenced_by(
    schema: &Schema,
    types: &TypeNames,
    model: &Model,
    relations: &[ClientRelation<'_>],
    relation_idents: &[String],
) -> Vec<String> {
    if schema.datasource.as_ref().is_none_or(|d| d.relation_mode != RelationMode::Prisma) {
        return Vec::new();
    }
    let model_id = ModelId(schema.models.get_index_of(&model.name).unwrap_or(usize::MAX));
    let position = |m: &Model, name: &str| client_fields(m).iter().position(|f| f.name == name);
    let list = |items: &[usize]| items.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    for relation in &schema.relations {
        if relation.kind == RelationKind::ManyToMany {
            continue;
        }
        let (holder_id, holder_field) = relation.from;
        let holder = schema.model(holder_id);
        let field = holder.field(holder_field);
        let Some(attr) = field.relation.as_ref() else { continue };
        if relation.to.0 != model_id || holder.ignored || field.ignored {
            continue;
        }
        let columns: Option<Vec<usize>> =
            attr.fields.iter().map(|&f| position(holder, &holder.field(f).name)).collect();
        let references: Option<Vec<usize>> =
            attr.references.iter().map(|&f| position(model, &model.field(f).name)).collect();
        let (Some(columns), Some(references)) = (columns, references) else { continue };
        // Prisma's defaults: a required relation restricts deletes, an optional one is set
        // to null; updates of the referenced key cascade.
        let optional = attr.fields.iter().any(|&f| holder.field(f).arity == Arity::Optional);
        let on_delete =
            attr.on_delete.unwrap_or(if optional { ReferentialAction::SetNull } else { ReferentialAction::Restrict });
        let on_update = attr.on_update.unwrap_or(ReferentialAction::Cascade);
        out.push(format!(
            "::orm_runtime::Reference {{ table: || <super::{} as ::orm_runtime::Model>::TABLE, relation: {}, columns: &[{}], references: &[{}], on_delete: ::orm_runtime::Action::{}, on_update: ::orm_runtime::Action::{} }}",
            types.model(&holder.name),
            lit(&format!("{}.{}", holder.name, field.name)),
            list(&columns),
            list(&references),
            action(on_delete),
            action(on_update),
        ));
    }
    // An implicit many-to-many table's rows go with either record.
    for (r, ident) in relations.iter().zip(relation_idents) {
        if let LinkView::Join { table, near, from, .. } = &r.link {
            out.push(format!(
                "::orm_runtime::Reference {{ table: || ::orm_runtime::join_table(self::{ident}.def()), relation: {}, columns: &[{near}], references: &[{from}], on_delete: ::orm_runtime::Action::Cascade, on_update: ::orm_runtime::Action::Cascade }}",
                lit(table),
            ));
        }
    }
    out
}
