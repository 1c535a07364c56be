//! A model's create inputs: `Create` (what a create must give), `CreateWithout<Relation>`
//! (the same inside a nested create of the parent's side of that relation, which fills in
//! the key), and the wrappers of required relations (`post::Author`), given as the parent's
//! key or as a nested `connect` / `create` — one of them, by construction.

use orm_schema::{Arity, Field, ModelKind, Schema};

use super::names::{camel, distinct};
use super::view::{ClientRelation, FieldView, LinkView, TypeNames, client_relations};

/// A create input struct.
pub struct CreateView {
    pub name: String,
    pub docs: Vec<String>,
    /// Scalar fields: `(ident, type, column index)`.
    pub fields: Vec<(String, String, usize)>,
    /// Required relations: `(field ident, wrapper type)`.
    pub parents: Vec<(String, String)>,
}

/// The wrapper of a required relation whose key the model holds.
pub struct ParentInputView {
    pub name: String,
    /// `Post.author`, for docs.
    pub relation_lit: String,
    /// The relation constant.
    pub relation: String,
    /// `super::User`.
    pub target: String,
    /// The key's Rust type: the foreign key field's, a tuple for a composite key.
    pub key_ty: String,
    /// How `From` binds it: `__key`, or `(__v0, __v1)`.
    pub key_pattern: String,
    /// The key's values, as runtime values.
    pub key_values: String,
}

/// The `CreateWithout…` name of each relation whose key `relations`' model holds.
fn without_names(struct_name: &str, relations: &[ClientRelation<'_>]) -> Vec<(String, String)> {
    let holders: Vec<&ClientRelation<'_>> = relations.iter().filter(|r| r.holds_key).collect();
    let wanted: Vec<String> = holders.iter().map(|r| format!("CreateWithout{}", camel(&r.field.name))).collect();
    let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let names = distinct(&wanted, str::to_owned, &["Create", "UniqueWhere", struct_name]);
    holders.iter().map(|r| r.field.name.clone()).zip(names).collect()
}

/// What a nested create of `relation` takes (`W` of its handle), and whether its records
/// can be disconnected (`D`).
pub(super) fn relation_input(
    schema: &Schema,
    types: &TypeNames,
    relation: &ClientRelation<'_>,
) -> (String, &'static str) {
    let optional = |f: &Field| if f.arity == Arity::Optional { "KeyOptional" } else { "KeyRequired" };
    let target = format!("super::{}", types.model(&relation.target.name));
    let full = format!("<{target} as ::orm_runtime::Model>::Create");
    match relation.link {
        LinkView::Join { .. } => (full, "KeyOptional"),
        _ if relation.holds_key => (full, optional(relation.field)),
        _ => {
            let back = optional(relation.back);
            if relation.target.kind == ModelKind::View {
                return ("::orm_runtime::ReadOnly".to_owned(), back);
            }
            let (target_relations, _) = client_relations(schema, relation.target);
            let name = without_names(&types.model(&relation.target.name), &target_relations)
                .into_iter()
                .find(|(field, _)| *field == relation.back.name);
            match name {
                Some((_, name)) => (format!("super::{}::{name}", types.module(&relation.target.name)), back),
                None => ("::orm_runtime::ReadOnly".to_owned(), back),
            }
        }
    }
}

/// The model's create inputs: `Create` first, then a `CreateWithout…` per relation whose key
/// it holds; and the wrappers of its required relations.
#[allow(clippy::too_many_arguments)]
pub(super) fn create_inputs(
    types: &TypeNames,
    struct_name: &str,
    fields: &[&Field],
    views: &[FieldView],
    relations: &[ClientRelation<'_>],
    relation_idents: &[String],
    model_name: &str,
) -> (Vec<CreateView>, Vec<ParentInputView>) {
    let required: Vec<usize> = (0..fields.len())
        .filter(|&i| fields[i].arity == Arity::Required && fields[i].default.is_none() && !fields[i].updated_at)
        .collect();
    let key_of = |r: &ClientRelation<'_>| match &r.link {
        LinkView::Direct { from, .. } if r.holds_key => from.clone(),
        _ => Vec::new(),
    };
    // A required relation is wrapped when its key is its own and must be given.
    let wrapped: Vec<usize> = (0..relations.len())
        .filter(|&i| {
            let r = &relations[i];
            let key = key_of(r);
            r.field.arity == Arity::Required
                && !key.is_empty()
                && key.iter().all(|c| required.contains(c))
                && relations.iter().enumerate().all(|(j, o)| j == i || key_of(o).iter().all(|c| !key.contains(c)))
        })
        .collect();
    let withouts = without_names(struct_name, relations);
    let mut taken: Vec<&str> = vec!["Create", "UniqueWhere", struct_name];
    taken.extend(withouts.iter().map(|(_, n)| n.as_str()));
    taken.extend(views.iter().map(|v| v.ident.as_str()));
    taken.extend(relation_idents.iter().map(String::as_str));
    let wanted: Vec<&str> = wrapped.iter().map(|&i| relations[i].field.name.as_str()).collect();
    let wrapper_names = distinct(&wanted, camel, &taken);

    let wrapped_key: Vec<usize> = wrapped.iter().flat_map(|&i| key_of(&relations[i])).collect();
    let scalar = |i: usize| (views[i].ident.clone(), views[i].ty.clone(), views[i].index);
    let parents = |except: Option<usize>| -> Vec<(String, String)> {
        wrapped
            .iter()
            .zip(&wrapper_names)
            .filter(|(i, _)| Some(**i) != except)
            .map(|(&i, name)| (relation_idents[i].clone(), name.clone()))
            .collect()
    };
    let mut creates = vec![CreateView {
        name: "Create".to_owned(),
        docs: vec![
            "The fields a create must give: required, without a default. Set others with `.with(…)`.".to_owned(),
        ],
        fields: required.iter().filter(|c| !wrapped_key.contains(c)).map(|&c| scalar(c)).collect(),
        parents: parents(None),
    }];
    for (field, name) in &withouts {
        let Some(at) = relations.iter().position(|r| r.holds_key && r.field.name == *field) else { continue };
        let key = key_of(&relations[at]);
        let r = &relations[at];
        creates.push(CreateView {
            name: name.clone(),
            docs: vec![format!(
                "`Create` inside a nested create of `{}.{}`, which gives `{field}`.",
                r.target.name, r.back.name
            )],
            fields: required
                .iter()
                .filter(|c| !wrapped_key.contains(c) && !key.contains(c))
                .map(|&c| scalar(c))
                .collect(),
            parents: parents(Some(at)),
        });
    }
    let wrappers = wrapped
        .iter()
        .zip(wrapper_names)
        .map(|(&i, name)| {
            let key = key_of(&relations[i]);
            let tys: Vec<String> = key.iter().map(|&c| views[c].ty.clone()).collect();
            let value = |v: &str| format!("::orm_runtime::DbType::into_value({v})");
            let (key_ty, key_pattern, key_values) = if let [ty] = tys.as_slice() {
                (ty.clone(), "__key".to_owned(), value("__key"))
            } else {
                let vars: Vec<String> = (0..tys.len()).map(|n| format!("__v{n}")).collect();
                (
                    format!("({})", tys.join(", ")),
                    format!("({})", vars.join(", ")),
                    vars.iter().map(|v| value(v)).collect::<Vec<_>>().join(", "),
                )
            };
            ParentInputView {
                name,
                relation_lit: format!("{model_name}.{}", relations[i].field.name),
                relation: relation_idents[i].clone(),
                target: format!("super::{}", types.model(&relations[i].target.name)),
                key_ty,
                key_pattern,
                key_values,
            }
        })
        .collect();
    (creates, wrappers)
}
