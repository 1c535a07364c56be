//! The resolved schema: what every other crate reads.
//!
//! Names are resolved to typed ids, attributes to typed values, relations paired. Collections
//! are `IndexMap`s in source order, so everything built from a `Schema` is deterministic.
//! A `Schema` is only complete when its diagnostics hold no error; with errors it holds what
//! could be resolved, for the formatter and for tooling.

use indexmap::IndexMap;

use crate::provider::Provider;
use crate::span::Span;

pub use crate::ast::Arity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub usize);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub datasource: Option<Datasource>,
    pub generators: Vec<Generator>,
    /// Models and views, by name.
    pub models: IndexMap<String, Model>,
    pub enums: IndexMap<String, Enum>,
    /// Every relation, once, in the order of its first field.
    pub relations: Vec<Relation>,
}

impl Schema {
    pub fn provider(&self) -> Option<Provider> {
        self.datasource.as_ref().map(|d| d.provider)
    }

    pub fn model(&self, id: ModelId) -> &Model {
        &self.models[id.0]
    }

    pub fn model_id(&self, name: &str) -> Option<ModelId> {
        self.models.get_index_of(name).map(ModelId)
    }

    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id.0]
    }

    pub fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enums.get_index_of(name).map(EnumId)
    }

    pub fn model_ids(&self) -> impl Iterator<Item = ModelId> + '_ {
        (0..self.models.len()).map(ModelId)
    }

    /// `Model.field` for messages.
    pub fn field_path(&self, model: ModelId, field: FieldId) -> String {
        let m = self.model(model);
        format!("{}.{}", m.name, m.field(field).name)
    }

    /// The generator block whose provider is `orm`, if any.
    pub fn orm_generator(&self) -> Option<&Generator> {
        self.generators.iter().find(|g| g.is_orm())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    pub name: String,
    pub provider: Provider,
    pub url: Option<ConfigValue>,
    pub direct_url: Option<ConfigValue>,
    pub shadow_database_url: Option<ConfigValue>,
    pub relation_mode: RelationMode,
    /// `schemas = ["a", "b"]` (PostgreSQL multi-schema).
    pub schemas: Vec<String>,
    pub span: Span,
}

/// A datasource value: a literal or `env("NAME")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    Literal(String),
    Env(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RelationMode {
    /// Relations are foreign keys in the database.
    #[default]
    ForeignKeys,
    /// Relations are emulated by the client (`relationMode = "prisma"`); no foreign keys.
    Prisma,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    pub name: String,
    pub provider: String,
    pub output: Option<String>,
    pub preview_features: Vec<String>,
    /// Every other property, as written (strings unescaped, other values as source text).
    pub config: IndexMap<String, String>,
    pub span: Span,
}

impl Generator {
    pub fn is_orm(&self) -> bool {
        self.provider == "orm"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    Model,
    View,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    /// The table name: `@@map` or the model name.
    pub db_name: String,
    pub kind: ModelKind,
    pub fields: IndexMap<String, Field>,
    pub primary_key: Option<PrimaryKey>,
    /// `@unique`, `@@unique`, `@@index` and `@@fulltext`, fields' ones first.
    pub indexes: Vec<Index>,
    pub ignored: bool,
    /// A key or `@@schema` attribute of this model could not be resolved (and was reported);
    /// rules that need the model's keys or schema skip it rather than pile on.
    pub incomplete: bool,
    /// `@@schema("…")`.
    pub schema: Option<String>,
    pub docs: Option<String>,
    pub span: Span,
    pub name_span: Span,
}

impl Model {
    pub fn field(&self, id: FieldId) -> &Field {
        &self.fields[id.0]
    }

    pub fn field_id(&self, name: &str) -> Option<FieldId> {
        self.fields.get_index_of(name).map(FieldId)
    }

    pub fn field_ids(&self) -> impl Iterator<Item = FieldId> + '_ {
        (0..self.fields.len()).map(FieldId)
    }

    pub fn scalar_fields(&self) -> impl Iterator<Item = (FieldId, &Field)> {
        self.fields.values().enumerate().filter(|(_, f)| !f.is_relation()).map(|(i, f)| (FieldId(i), f))
    }

    pub fn relation_fields(&self) -> impl Iterator<Item = (FieldId, &Field)> {
        self.fields.values().enumerate().filter(|(_, f)| f.is_relation()).map(|(i, f)| (FieldId(i), f))
    }

    pub fn uniques(&self) -> impl Iterator<Item = &Index> {
        self.indexes.iter().filter(|i| i.kind == IndexKind::Unique)
    }

    /// Whether `fields` (in any order) are exactly the primary key or a unique constraint.
    pub fn is_unique_criterion(&self, fields: &[FieldId]) -> bool {
        let same = |idx: &[IndexField]| idx.len() == fields.len() && idx.iter().all(|f| fields.contains(&f.field));
        self.primary_key.as_ref().is_some_and(|pk| same(&pk.fields)) || self.uniques().any(|u| same(&u.fields))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// The column name: `@map` or the field name.
    pub db_name: String,
    pub arity: Arity,
    pub ty: FieldType,
    pub default: Option<DefaultValue>,
    pub updated_at: bool,
    pub ignored: bool,
    pub native_type: Option<NativeType>,
    /// Present on relation fields (with or without `@relation`).
    pub relation: Option<RelationAttribute>,
    pub docs: Option<String>,
    pub span: Span,
    pub name_span: Span,
    pub type_span: Span,
}

impl Field {
    pub fn is_relation(&self) -> bool {
        matches!(self.ty, FieldType::Model(_))
    }

    pub fn is_optional(&self) -> bool {
        self.arity == Arity::Optional
    }

    pub fn is_list(&self) -> bool {
        self.arity == Arity::List
    }

    pub fn scalar(&self) -> Option<ScalarType> {
        match self.ty {
            FieldType::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    Scalar(ScalarType),
    Enum(EnumId),
    /// A relation to a model or view.
    Model(ModelId),
    /// `Unsupported("…")`: a column the client cannot read.
    Unsupported(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    String,
    Int,
    BigInt,
    Float,
    Decimal,
    Boolean,
    DateTime,
    Json,
    Bytes,
}

impl ScalarType {
    pub const ALL: [ScalarType; 9] = [
        ScalarType::String,
        ScalarType::Int,
        ScalarType::BigInt,
        ScalarType::Float,
        ScalarType::Decimal,
        ScalarType::Boolean,
        ScalarType::DateTime,
        ScalarType::Json,
        ScalarType::Bytes,
    ];

    pub fn parse(name: &str) -> Option<ScalarType> {
        ScalarType::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "String",
            ScalarType::Int => "Int",
            ScalarType::BigInt => "BigInt",
            ScalarType::Float => "Float",
            ScalarType::Decimal => "Decimal",
            ScalarType::Boolean => "Boolean",
            ScalarType::DateTime => "DateTime",
            ScalarType::Json => "Json",
            ScalarType::Bytes => "Bytes",
        }
    }
}

/// `@db.VarChar(255)` → name `VarChar`, args `["255"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct NativeType {
    pub name: String,
    pub args: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DefaultValue {
    pub kind: DefaultKind,
    /// `@default(…, map: "…")`: the name of the default constraint.
    pub map: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefaultKind {
    Value(Literal),
    Autoincrement,
    Now,
    /// `uuid()` or `uuid(7)`.
    Uuid(u8),
    /// `cuid()` or `cuid(2)`.
    Cuid(u8),
    Ulid,
    /// `nanoid()` or `nanoid(n)`.
    Nanoid(Option<u8>),
    /// `dbgenerated("…")`: an SQL expression the database evaluates.
    DbGenerated(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    /// As written, so no precision is lost.
    Number(String),
    Boolean(bool),
    /// An enum value's name (not its `@map`).
    Enum(String),
    List(Vec<Literal>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexField {
    pub field: FieldId,
    pub sort: Option<SortOrder>,
    pub length: Option<u32>,
    /// PostgreSQL operator class (`ops:`).
    pub ops: Option<OperatorClass>,
}

/// An index field's `ops:` argument.
#[derive(Debug, Clone, PartialEq)]
pub enum OperatorClass {
    /// One of Prisma's names (`JsonbPathOps`), as written.
    Named(String),
    /// `raw("gin_trgm_ops")`: the database's own name.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKey {
    pub fields: Vec<IndexField>,
    /// `name:` (the client-side name of a compound id).
    pub name: Option<String>,
    /// `map:` (the constraint name).
    pub map: Option<String>,
    pub clustered: Option<bool>,
    /// Whether it was written as `@id` on one field rather than `@@id`.
    pub from_field: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    Unique,
    Normal,
    Fulltext,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub kind: IndexKind,
    pub fields: Vec<IndexField>,
    pub name: Option<String>,
    pub map: Option<String>,
    /// `type: Hash`, as written.
    pub index_type: Option<String>,
    pub clustered: Option<bool>,
    pub from_field: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferentialAction {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    pub const ALL: [ReferentialAction; 5] = [
        ReferentialAction::Cascade,
        ReferentialAction::Restrict,
        ReferentialAction::NoAction,
        ReferentialAction::SetNull,
        ReferentialAction::SetDefault,
    ];

    pub fn parse(s: &str) -> Option<ReferentialAction> {
        ReferentialAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "Cascade",
            ReferentialAction::Restrict => "Restrict",
            ReferentialAction::NoAction => "NoAction",
            ReferentialAction::SetNull => "SetNull",
            ReferentialAction::SetDefault => "SetDefault",
        }
    }
}

/// What `@relation(…)` says on one relation field (all empty when the attribute is absent).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelationAttribute {
    pub name: Option<String>,
    /// Scalar fields of this model.
    pub fields: Vec<FieldId>,
    /// Fields of the related model.
    pub references: Vec<FieldId>,
    pub on_delete: Option<ReferentialAction>,
    pub on_update: Option<ReferentialAction>,
    /// The foreign key constraint name.
    pub map: Option<String>,
    /// The attribute's span, or the field's when there is none.
    pub span: Span,
    pub has_attribute: bool,
    /// Whether `fields` or `references` was written (even if it did not resolve).
    pub arguments_written: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    OneToOne,
    OneToMany,
    /// Implicit many-to-many, through a `_AToB` join table.
    ManyToMany,
}

/// A relation between two models, paired from its two fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// The `@relation` name, or Prisma's default `AToB` (model names sorted).
    pub name: String,
    pub kind: RelationKind,
    /// The side that holds `fields`/`references` (the foreign key); for many-to-many, the model
    /// that sorts first.
    pub from: (ModelId, FieldId),
    /// The other side.
    pub to: (ModelId, FieldId),
}

/// Prisma's default relation name for two models: names sorted, joined with `To`.
pub fn default_relation_name(a: &str, b: &str) -> String {
    if a <= b { format!("{a}To{b}") } else { format!("{b}To{a}") }
}

/// An enum and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub name: String,
    pub db_name: String,
    pub values: IndexMap<String, EnumValue>,
    pub schema: Option<String>,
    pub docs: Option<String>,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: String,
    /// `@map("…")` or the name.
    pub db_name: String,
    pub docs: Option<String>,
    pub span: Span,
}
