//! View-models: everything the templates print, computed here so the templates only loop and
//! substitute. Names, Rust types, string literals and column metadata are all decided in this
//! file (and `names.rs`), where they can be tested.

use orm_db_schema::{DbSchema, IndexKind};
use orm_schema::{
    Arity, DefaultKind, Field, FieldId, FieldType, Model, ModelId, ModelKind, RelationKind, ScalarType, Schema,
};

use super::names::{camel, distinct, ident, snake};

/// Client methods a model accessor must not shadow.
const CLIENT_METHODS: &[&str] =
    &["connect", "builder", "from_db", "db", "transaction", "transaction_with", "raw", "close"];
/// Module names the generated tree uses itself.
const RESERVED_MODULES: &[&str] = &["enums"];

/// The Rust type names of models and enums: UpperCamelCase (a model `jwks` is `Jwks`), kept
/// distinct across both, since `mod.rs` re-exports them side by side.
pub struct TypeNames {
    models: std::collections::HashMap<String, String>,
    enums: std::collections::HashMap<String, String>,
    /// Each model's module (and file stem).
    modules: std::collections::HashMap<String, String>,
}

impl TypeNames {
    pub fn new(schema: &Schema) -> TypeNames {
        let models = client_models(schema);
        let names: Vec<&str> =
            models.iter().map(|m| m.name.as_str()).chain(schema.enums.keys().map(String::as_str)).collect();
        let rust = distinct(&names, camel, &["Client"]);
        let (model_names, enum_names) = rust.split_at(models.len());
        let model_names: Vec<String> = model_names.iter().map(|n| ident(n)).collect();
        let modules = distinct(&names[..models.len()], snake, RESERVED_MODULES)
            .into_iter()
            .zip(&model_names)
            // A module can't share its name with the struct it exports.
            .map(|(module, struct_name)| if module == *struct_name { format!("{module}_model") } else { module });
        TypeNames {
            modules: models.iter().map(|m| m.name.clone()).zip(modules).collect(),
            models: models.iter().map(|m| m.name.clone()).zip(model_names).collect(),
            enums: schema.enums.keys().cloned().zip(enum_names.iter().map(|n| ident(n))).collect(),
        }
    }

    /// The module of a model's file, as a path segment.
    pub(super) fn module(&self, name: &str) -> String {
        ident(&self.modules.get(name).cloned().unwrap_or_else(|| snake(name)))
    }

    pub(super) fn model(&self, name: &str) -> String {
        self.models.get(name).cloned().unwrap_or_else(|| ident(name))
    }

    fn enum_(&self, name: &str) -> String {
        self.enums.get(name).cloned().unwrap_or_else(|| ident(name))
    }
}

/// A Rust string literal for `s` (Debug formatting escapes quotes, backslashes, controls).
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

pub(super) fn doc_lines(docs: Option<&str>) -> Vec<String> {
    docs.map(|d| d.lines().map(|l| l.trim_end().to_owned()).collect()).unwrap_or_default()
}

/// The client module (`mod.rs`).
pub struct ClientView {
    pub models: Vec<ModelRef>,
    pub has_enums: bool,
    /// The files are `include!`d from `OUT_DIR` rather than found by `mod x;`.
    pub out_dir_module: Option<String>,
}

pub struct ModelRef {
    /// `#[allow(non_snake_case)]` when the accessor keeps the model's spelling.
    pub accessor_attr: &'static str,
    /// `Delegate` for a model, `ViewDelegate` (reads only) for a view.
    pub delegate: &'static str,
    pub module: String,
    pub file_stem: String,
    pub struct_name: String,
    pub accessor: String,
}

pub struct ModelView {
    pub struct_name: String,
    pub docs: Vec<String>,
    pub model_lit: String,
    pub table_lit: String,
    pub schema_lit: String,
    pub fields: Vec<FieldView>,
    /// `Reference` literals of the foreign keys the client emulates (`relationMode = "prisma"`).
    pub referenced_by: Vec<String>,
    /// `Create`, then a `CreateWithout…` per relation whose key the model holds.
    pub creates: Vec<super::create::CreateView>,
    /// The wrappers of required relations in `Create`.
    pub parent_inputs: Vec<super::create::ParentInputView>,
    pub uniques: Vec<UniqueView>,
    pub primary_key: String,
    pub unique_metas: Vec<(String, String)>,
    /// Some field keeps a schema spelling that isn't snake_case.
    pub allow_non_snake: bool,
    pub relations: Vec<RelationView>,
    /// `(column index, field ident)` of the fields relations join on.
    pub key_fields: Vec<(usize, String)>,
    /// The record has a `_count` slot: the model has a to-many relation.
    pub has_counts: bool,
    /// A view: no `Create`, and reads only.
    pub is_view: bool,
}

/// A relation field: its slot in the record, its constant and its accessor.
pub struct RelationView {
    pub ident: String,
    pub docs: Vec<String>,
    pub serde_rename: Option<String>,
    /// The slot's type: `Loaded<Vec<super::Post>>` or `Loaded<Option<Box<super::User>>>`.
    pub slot_ty: String,
    /// `ToMany<User, super::Post>` or `ToOne<…>`.
    pub const_ty: String,
    /// `ToMany` or `ToOne`.
    pub handle: &'static str,
    /// The accessor's return type and the runtime function that reads the slot.
    pub accessor_ty: String,
    pub accessor_fn: &'static str,
    /// The `RelationDef` literal.
    pub def: String,
    /// What the relation's doc line says it is.
    pub summary: String,
}

pub struct FieldView {
    pub ident: String,
    pub index: usize,
    /// Where `from_row` reads the field: `__offset + index`.
    pub row_index: String,
    pub docs: Vec<String>,
    /// `#[serde(rename = …)]` when the Rust name differs from the schema's.
    pub serde_rename: Option<String>,
    pub ty: String,
    pub inner_ty: String,
    pub column: String,
}

pub struct UniqueView {
    pub variant: String,
    /// `(field ident, inner type)`; one element for a single-field criterion.
    pub fields: Vec<(String, String)>,
    pub columns: String,
}

pub struct EnumView {
    pub name: String,
    pub docs: Vec<String>,
    pub db_type_lit: String,
    /// `(variant, schema name literal, database value literal, docs)`.
    pub variants: Vec<EnumVariantView>,
}

pub struct EnumVariantView {
    pub ident: String,
    pub name_lit: String,
    pub db_lit: String,
    pub docs: Vec<String>,
}

/// The models and views the client covers: those not `@@ignore`d (views read-only).
pub fn client_models(schema: &Schema) -> Vec<&Model> {
    schema.models.values().filter(|m| !m.ignored).collect()
}

/// The fields a client reads and writes: scalars and enums, not ignored, not `Unsupported`.
pub(super) fn client_fields(model: &Model) -> Vec<&Field> {
    model.fields.values().filter(|f| !f.ignored && matches!(f.ty, FieldType::Scalar(_) | FieldType::Enum(_))).collect()
}

pub fn client_view(schema: &Schema, types: &TypeNames, out_dir_module: Option<String>) -> ClientView {
    let models = client_models(schema);
    let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
    let accessors = distinct(&names, snake, CLIENT_METHODS);
    let models = models
        .iter()
        .zip(accessors)
        .map(|(m, accessor)| {
            let struct_name = types.model(&m.name);
            let module = types.modules.get(&m.name).cloned().unwrap_or_else(|| snake(&m.name));
            ModelRef {
                accessor_attr: if accessor == snake(&accessor) { "" } else { "#[allow(non_snake_case)]" },
                delegate: if m.kind == ModelKind::View { "ViewDelegate" } else { "Delegate" },
                file_stem: module.clone(),
                module: ident(&module),
                struct_name,
                accessor: ident(&accessor),
            }
        })
        .collect();
    ClientView { models, has_enums: !schema.enums.is_empty(), out_dir_module }
}

pub(super) fn base_type(schema: &Schema, types: &TypeNames, ty: &FieldType) -> String {
    match ty {
        FieldType::Scalar(s) => match s {
            ScalarType::Int => "i32",
            ScalarType::BigInt => "i64",
            ScalarType::Float => "f64",
            ScalarType::Decimal => "::orm_runtime::rust_decimal::Decimal",
            ScalarType::String => "::std::string::String",
            ScalarType::Boolean => "bool",
            ScalarType::DateTime => "::orm_runtime::chrono::DateTime<::orm_runtime::chrono::Utc>",
            ScalarType::Json => "::orm_runtime::serde_json::Value",
            ScalarType::Bytes => "::std::vec::Vec<u8>",
        }
        .to_owned(),
        FieldType::Enum(id) => format!("super::enums::{}", types.enum_(&schema.enum_(*id).name)),
        FieldType::Model(_) | FieldType::Unsupported(_) => unreachable!("only scalar and enum fields reach the client"),
    }
}

fn scalar_kind(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Scalar(s) => match s {
            ScalarType::Int => "Int",
            ScalarType::BigInt => "BigInt",
            ScalarType::Float => "Float",
            ScalarType::Decimal => "Decimal",
            ScalarType::String => "String",
            ScalarType::Boolean => "Boolean",
            ScalarType::DateTime => "DateTime",
            ScalarType::Json => "Json",
            ScalarType::Bytes => "Bytes",
        },
        _ => "Enum",
    }
}

/// The `ClientDefault` variant for defaults the client computes.
fn client_default(field: &Field) -> Option<&'static str> {
    Some(match field.default.as_ref().map(|d| &d.kind)? {
        DefaultKind::Uuid(7) => "UuidV7",
        DefaultKind::Uuid(_) => "Uuid",
        DefaultKind::Cuid(2) => "Cuid2",
        DefaultKind::Cuid(_) => "Cuid",
        DefaultKind::Ulid => "Ulid",
        DefaultKind::Nanoid(_) => "Nanoid",
        DefaultKind::Now => "Now",
        _ => return None,
    })
}

pub fn model_view(schema: &Schema, types: &TypeNames, db: &DbSchema, model: &Model) -> ModelView {
    let fields = client_fields(model);
    let (relations, key_columns) = client_relations(schema, model);
    let names: Vec<&str> =
        fields.iter().map(|f| f.name.as_str()).chain(relations.iter().map(|r| r.field.name.as_str())).collect();
    let all_idents = distinct(&names, snake, &[]);
    let (idents, relation_idents) = all_idents.split_at(fields.len());
    let mut views = Vec::with_capacity(fields.len());
    for (index, (field, rust_name)) in fields.iter().zip(idents).enumerate() {
        let base = base_type(schema, types, &field.ty);
        let ty = match field.arity {
            Arity::Required => base.clone(),
            Arity::Optional => format!("::std::option::Option<{base}>"),
            Arity::List => format!("::std::vec::Vec<{base}>"),
        };
        let mut column = format!(
            "::orm_runtime::Column::new({}, {}, ::orm_runtime::ScalarKind::{})",
            lit(&field.name),
            lit(&field.db_name),
            scalar_kind(&field.ty)
        );
        match field.arity {
            Arity::Required => {}
            Arity::Optional => column.push_str(".optional()"),
            Arity::List => column.push_str(".list()"),
        }
        if let FieldType::Enum(id) = &field.ty {
            column.push_str(&format!(".enum_type({})", lit(&schema.enum_(*id).db_name)));
        }
        if matches!(field.default.as_ref().map(|d| &d.kind), Some(DefaultKind::Autoincrement)) {
            column.push_str(".autoincrement()");
        }
        if let Some(default) = client_default(field) {
            column.push_str(&format!(".client_default(::orm_runtime::ClientDefault::{default})"));
        }
        if let Some(DefaultKind::Nanoid(Some(n))) = field.default.as_ref().map(|d| &d.kind) {
            column.push_str(&format!(".nanoid_length({n})"));
        }
        if field.updated_at {
            column.push_str(".updated_at()");
        }
        views.push(FieldView {
            ident: ident(rust_name),
            index,
            row_index: if index == 0 { "__offset".to_owned() } else { format!("__offset + {index}") },
            docs: doc_lines(field.docs.as_deref()),
            serde_rename: (*rust_name != field.name).then(|| lit(&field.name)),
            inner_ty: base,
            ty,
            column,
        });
    }
    let position = |field_name: &str| fields.iter().position(|f| f.name == field_name);
    let table = db.tables.iter().find(|t| t.name == model.db_name);
    let mut criteria: Vec<(Option<String>, Vec<usize>, String)> = Vec::new();
    if let Some(pk) = &model.primary_key {
        let cols: Option<Vec<usize>> = pk.fields.iter().map(|f| position(&model.field(f.field).name)).collect();
        if let Some(cols) = cols {
            let db_name = table.and_then(|t| t.primary_key.as_ref()).and_then(|p| p.name.clone());
            // PostgreSQL names the key `<table>_pkey`; MySQL calls every one `PRIMARY`.
            let db_name = db_name.unwrap_or_else(|| format!("{}_pkey", model.db_name));
            criteria.push((pk.name.clone(), cols, db_name));
        }
    }
    for unique in model.uniques() {
        let cols: Option<Vec<usize>> = unique.fields.iter().map(|f| position(&model.field(f.field).name)).collect();
        let Some(cols) = cols else { continue };
        if criteria.iter().any(|(_, c, _)| same_set(c, &cols)) {
            continue;
        }
        let column_names: Vec<&str> = cols.iter().map(|&i| fields[i].db_name.as_str()).collect();
        let db_name = table
            .and_then(|t| {
                t.indexes.iter().find(|ix| {
                    ix.kind == IndexKind::Unique
                        && ix.columns.len() == column_names.len()
                        && ix.columns.iter().all(|c| column_names.contains(&c.name.as_str()))
                })
            })
            .map(|ix| ix.name.clone())
            .unwrap_or_default();
        criteria.push((unique.name.clone(), cols, db_name));
    }

    let variant_names: Vec<String> = criteria
        .iter()
        .map(|(name, cols, _)| match name {
            Some(n) => camel(n),
            None => camel(&cols.iter().map(|&i| fields[i].name.as_str()).collect::<Vec<_>>().join("_")),
        })
        .collect();
    let variant_refs: Vec<&str> = variant_names.iter().map(String::as_str).collect();
    let variants = distinct(&variant_refs, |s| s.to_owned(), &[]);
    let index_list =
        |cols: &[usize]| format!("&[{}]", cols.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "));
    let uniques = criteria
        .iter()
        .zip(variants)
        .map(|((_, cols, _), variant)| UniqueView {
            variant: ident(&variant),
            fields: cols.iter().map(|&i| (views[i].ident.clone(), views[i].inner_ty.clone())).collect(),
            columns: index_list(cols),
        })
        .collect();
    let primary_key =
        criteria.first().filter(|_| model.primary_key.is_some()).map_or("&[]".to_owned(), |c| index_list(&c.1));
    let unique_metas = criteria.iter().map(|(_, cols, db_name)| (lit(db_name), index_list(cols))).collect();

    let struct_name = types.model(&model.name);
    let relation_rust: Vec<String> = relation_idents.iter().map(|n| ident(n)).collect();
    let referenced_by = super::references::referenced_by(schema, types, model, &relations, &relation_rust);
    let (creates, parent_inputs) =
        super::create::create_inputs(types, &struct_name, &fields, &views, &relations, &relation_rust, &model.name);
    let relations: Vec<RelationView> = relations
        .iter()
        .zip(relation_idents)
        .map(|(r, rust_name)| relation_view(schema, types, model, &struct_name, r, rust_name))
        .collect();
    let key_fields = key_columns.iter().map(|&i| (i, views[i].ident.clone())).collect();
    ModelView {
        is_view: model.kind == ModelKind::View,
        has_counts: relations.iter().any(|r| r.handle == "ToMany"),
        relations,
        key_fields,
        struct_name,
        docs: doc_lines(model.docs.as_deref()),
        model_lit: lit(&model.name),
        table_lit: lit(&model.db_name),
        schema_lit: model.schema.as_ref().map_or("None".to_owned(), |s| format!("Some({})", lit(s))),
        allow_non_snake: views
            .iter()
            .map(|v| &v.ident)
            .chain(relation_idents)
            .any(|i| i.trim_start_matches("r#") != snake(i.trim_start_matches("r#"))),
        fields: views,
        creates,
        parent_inputs,
        referenced_by,
        uniques,
        primary_key,
        unique_metas,
    }
}

/// A relation field the client can load and filter by, with how its rows meet the other
/// model's.
pub(super) struct ClientRelation<'a> {
    pub(super) field: &'a Field,
    pub(super) target: &'a Model,
    pub(super) many: bool,
    pub(super) link: LinkView,
    /// The model's own fields are the foreign key (`Post.author`).
    pub(super) holds_key: bool,
    /// The relation field on the other side (`User.posts` for `Post.author`).
    pub(super) back: &'a Field,
    /// The schema declares an index (a key, a unique constraint or an `@@index`) that finds
    /// the related records by their side of the link.
    pub(super) indexed: bool,
}

pub(super) enum LinkView {
    /// Indexes into the client fields of the model and of the target.
    Direct { from: Vec<usize>, to: Vec<usize> },
    /// The join table's name, the kinds of its `A` and `B` columns, which of them holds this
    /// model's key, and the two keys' positions.
    Join { table: String, kinds: [&'static str; 2], near: usize, from: usize, to: usize },
}

/// The relation fields of `model` the client covers: the other side is a client model, and
/// every key column is a field the client reads (views, ignored models and `Unsupported` keys
/// are left out).
/// Also returns the positions of the fields relations join on (of ignored relation fields
/// too: the other side reads them), which `Model::value` covers.
pub(super) fn client_relations<'a>(schema: &'a Schema, model: &'a Model) -> (Vec<ClientRelation<'a>>, Vec<usize>) {
    let model_id = ModelId(schema.models.get_index_of(&model.name).unwrap_or(usize::MAX));
    let position = |m: &Model, field: FieldId| -> Option<usize> {
        let name = &m.fields.get_index(field.0)?.1.name;
        client_fields(m).iter().position(|f| &f.name == name)
    };
    let positions = |m: &Model, ids: &[FieldId]| -> Option<Vec<usize>> {
        let p: Option<Vec<usize>> = ids.iter().map(|&f| position(m, f)).collect();
        p.filter(|p| !p.is_empty())
    };
    let single_id = |m: &Model| -> Option<(usize, &'static str)> {
        let [field] = m.primary_key.as_ref()?.fields.as_slice() else { return None };
        let f = m.field(field.field);
        Some((position(m, field.field)?, scalar_kind(&f.ty)))
    };
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for (field_id, field) in model.relation_fields() {
        let Some(relation) =
            schema.relations.iter().find(|r| r.from == (model_id, field_id) || r.to == (model_id, field_id))
        else {
            continue;
        };
        let this_is_from = relation.from == (model_id, field_id);
        let (other_model, other_field) = if this_is_from { relation.to } else { relation.from };
        let target = schema.model(other_model);
        if target.ignored {
            continue;
        }
        // Join tables are made with an index on each side.
        let mut indexed = true;
        let link = match relation.kind {
            RelationKind::OneToOne | RelationKind::OneToMany => {
                let (holder, holder_field) = relation.from;
                let Some(attr) = schema.model(holder).field(holder_field).relation.as_ref() else { continue };
                let link = if this_is_from {
                    positions(model, &attr.fields).zip(positions(target, &attr.references))
                } else {
                    positions(model, &attr.references).zip(positions(target, &attr.fields))
                };
                match link {
                    Some((from, to)) if from.len() == to.len() => {
                        // The referenced side is unique by the validator's rules; the holding
                        // side is looked up through an index only when the schema has one.
                        indexed = this_is_from || leads_an_index(target, &attr.fields);
                        LinkView::Direct { from, to }
                    }
                    _ => continue,
                }
            }
            RelationKind::ManyToMany => {
                let (Some((from, from_kind)), Some((to, to_kind))) = (single_id(model), single_id(target)) else {
                    continue;
                };
                // `A` holds the key of the model whose name sorts first. In a self relation
                // Prisma's `A` holds the records of the field whose name sorts first.
                let near = if relation.from.0 == relation.to.0 {
                    let other = &target.field(other_field).name;
                    usize::from(field.name < *other)
                } else {
                    usize::from(!this_is_from)
                };
                let kinds = if near == 0 { [from_kind, to_kind] } else { [to_kind, from_kind] };
                LinkView::Join { table: format!("_{}", relation.name), kinds, near, from, to }
            }
        };
        match &link {
            LinkView::Direct { from, .. } => keys.extend(from),
            LinkView::Join { from, .. } => keys.push(*from),
        }
        if !field.ignored {
            let holds_key = this_is_from && relation.kind != RelationKind::ManyToMany;
            let back = target.field(other_field);
            out.push(ClientRelation {
                field,
                target,
                many: field.arity == Arity::List,
                link,
                holds_key,
                back,
                indexed,
            });
        }
    }
    keys.sort_unstable();
    keys.dedup();
    (out, keys)
}

/// Whether `fields` (in any order) are the leading fields of `model`'s primary key or of one
/// of its unique constraints or indexes.
fn leads_an_index(model: &Model, fields: &[FieldId]) -> bool {
    let leads = |index: &[orm_schema::IndexField]| {
        index.len() >= fields.len() && index[..fields.len()].iter().all(|f| fields.contains(&f.field))
    };
    model.primary_key.as_ref().is_some_and(|pk| leads(&pk.fields))
        || model.indexes.iter().any(|ix| ix.kind != orm_schema::IndexKind::Fulltext && leads(&ix.fields))
}

fn relation_view(
    schema: &Schema,
    types: &TypeNames,
    model: &Model,
    struct_name: &str,
    relation: &ClientRelation<'_>,
    rust_name: &str,
) -> RelationView {
    let list = |items: &[usize]| items.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    let link = match &relation.link {
        LinkView::Direct { from, to } => {
            return RelationView {
                def: format!(
                    "&::orm_runtime::RelationDef::direct({}, {}, &[{}], &[{}]){}{}",
                    lit(&model.name),
                    lit(&relation.field.name),
                    list(from),
                    list(to),
                    if relation.holds_key { ".holding_key()" } else { "" },
                    if relation.indexed { "" } else { ".unindexed()" }
                ),
                ..relation_view_parts(schema, types, model, struct_name, relation, rust_name)
            };
        }
        LinkView::Join { table, kinds, near, from, to } => {
            let column = |name: &str, kind: &str| {
                format!("::orm_runtime::Column::new({name:?}, {name:?}, ::orm_runtime::ScalarKind::{kind})")
            };
            format!(
                "::orm_runtime::Link::Join {{ table: &::orm_runtime::Table {{ model: {t}, name: {t}, schema: None,                  columns: &[{a}, {b}], primary_key: &[], uniques: &[], referenced_by: &[] }}, near: {near}, far: {far}, from: {from}, to: {to} }}",
                t = lit(table),
                a = column("A", kinds[0]),
                b = column("B", kinds[1]),
                far = 1 - near,
            )
        }
    };
    RelationView {
        def: format!(
            "&::orm_runtime::RelationDef {{ model: {}, field: {}, link: {link}, holds_key: false, indexed: true }}",
            lit(&model.name),
            lit(&relation.field.name)
        ),
        ..relation_view_parts(schema, types, model, struct_name, relation, rust_name)
    }
}

/// Everything of a relation's view but its `RelationDef`.
fn relation_view_parts(
    schema: &Schema,
    types: &TypeNames,
    model: &Model,
    struct_name: &str,
    relation: &ClientRelation<'_>,
    rust_name: &str,
) -> RelationView {
    let target = format!("super::{}", types.model(&relation.target.name));
    let (slot_ty, handle, accessor_ty, accessor_fn) = if relation.many {
        (format!("::std::vec::Vec<{target}>"), "ToMany", format!("&[{target}]"), "loaded_many")
    } else if relation.field.arity == Arity::Required {
        (
            format!("::std::option::Option<::std::boxed::Box<{target}>>"),
            "ToOne",
            format!("&{target}"),
            "loaded_required",
        )
    } else {
        (
            format!("::std::option::Option<::std::boxed::Box<{target}>>"),
            "ToOne",
            format!("::std::option::Option<&{target}>"),
            "loaded_optional",
        )
    };
    RelationView {
        ident: ident(rust_name),
        docs: doc_lines(relation.field.docs.as_deref()),
        serde_rename: (rust_name != relation.field.name).then(|| lit(&relation.field.name)),
        slot_ty: format!("::orm_runtime::Loaded<{slot_ty}>"),
        const_ty: {
            let (input, disconnect) = super::create::relation_input(schema, types, relation);
            format!("::orm_runtime::{handle}<{struct_name}, {target}, {input}, ::orm_runtime::{disconnect}>")
        },
        handle,
        accessor_ty,
        accessor_fn,
        def: String::new(),
        summary: format!("The `{}.{}` relation, for filters and includes.", model.name, relation.field.name),
    }
}

fn same_set(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

pub fn enum_view(types: &TypeNames, e: &orm_schema::Enum) -> EnumView {
    let names: Vec<&str> = e.values.values().map(|v| v.name.as_str()).collect();
    let idents = distinct(&names, camel, &[]);
    EnumView {
        name: types.enum_(&e.name),
        docs: doc_lines(e.docs.as_deref()),
        db_type_lit: lit(&e.db_name),
        variants: e
            .values
            .values()
            .zip(idents)
            .map(|(v, id)| EnumVariantView {
                ident: ident(&id),
                name_lit: lit(&v.name),
                db_lit: lit(&v.db_name),
                docs: doc_lines(v.docs.as_deref()),
            })
            .collect(),
    }
}
