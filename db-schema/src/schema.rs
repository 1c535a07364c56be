//! The description itself: plain data, ordered, comparable with `==`.
//!
//! Names are the database's names (after `@@map` / `@map`), never model or field names.
//! Vectors keep a deterministic order (the schema's order when computed, catalog order when
//! introspected); lookups are by name so the order never changes what a diff means.

/// A database: its tables and (where the database has them) enums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbSchema {
    pub tables: Vec<Table>,
    /// PostgreSQL enum types; on MySQL, one per enum column (named `<table>_<column>`, as the
    /// database's own catalog would name it); empty on SQLite.
    pub enums: Vec<DbEnum>,
}

impl DbSchema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn enum_(&self, name: &str) -> Option<&DbEnum> {
        self.enums.iter().find(|e| e.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique, plain and fulltext indexes (unique constraints are unique indexes).
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Whether `column` alone is the primary key.
    pub fn is_single_primary_key(&self, column: &str) -> bool {
        self.primary_key.as_ref().is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0].name == column)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    /// The exact database type (`VARCHAR(191)`, `TIMESTAMP(3)`, `INTEGER UNSIGNED`), without
    /// any array suffix. `None` for enum columns, whose type is the enum.
    pub native_type: Option<String>,
    pub arity: ColumnArity,
    pub default: Option<ColumnDefault>,
}

impl Column {
    pub fn is_required(&self) -> bool {
        self.arity == ColumnArity::Required
    }

    pub fn is_autoincrement(&self) -> bool {
        matches!(self.default, Some(ColumnDefault::Autoincrement))
    }
}

/// The family of a column's type, the same on every database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Int,
    BigInt,
    Float,
    Decimal,
    Boolean,
    DateTime,
    Json,
    Bytes,
    /// An enum, by its [`DbEnum`] name.
    Enum(String),
    /// A type `orm` has no family for; `native_type` says what it is.
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnArity {
    Required,
    Nullable,
    /// An array column (PostgreSQL). Nullable in the database, as Prisma creates it.
    List,
}

/// A column default, typed so that rendering can escape it for each dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnDefault {
    Value(DefaultValue),
    /// The current timestamp.
    Now,
    /// `SERIAL`, `AUTO_INCREMENT`, `INTEGER PRIMARY KEY AUTOINCREMENT`.
    Autoincrement,
    /// An SQL expression evaluated by the database (`dbgenerated("…")`), kept verbatim: it is
    /// the user's SQL, not a value.
    Expression(String),
    /// `nextval` of a named sequence (an introspected PostgreSQL default that is not `SERIAL`).
    Sequence(String),
}

/// A literal default value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultValue {
    String(String),
    /// A number as written, so no precision is lost (always a valid SQL numeric literal when
    /// computed by `orm`; rendered as a string literal otherwise).
    Number(String),
    Boolean(bool),
    Bytes(Vec<u8>),
    /// A timestamp in the database's literal form (`2020-01-01 00:00:00 +00:00`).
    DateTime(String),
    /// JSON text.
    Json(String),
    /// An enum value's database name.
    Enum(String),
    List(Vec<DefaultValue>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// The constraint name where the database keeps one (PostgreSQL).
    pub name: Option<String>,
    pub columns: Vec<IndexColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    Unique,
    Normal,
    /// MySQL `FULLTEXT`.
    Fulltext,
}

/// A PostgreSQL index access method other than the default B-tree, or MySQL's `HASH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexAlgorithm {
    BTree,
    Hash,
    Gist,
    Gin,
    SpGist,
    Brin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub kind: IndexKind,
    pub columns: Vec<IndexColumn>,
    /// `None` is the database's default (B-tree).
    pub algorithm: Option<IndexAlgorithm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexColumn {
    pub name: String,
    /// As declared; `None` when not written (ascending).
    pub sort: Option<SortOrder>,
    /// MySQL prefix length.
    pub length: Option<u32>,
}

impl IndexColumn {
    pub fn new(name: impl Into<String>) -> IndexColumn {
        IndexColumn { name: name.into(), sort: None, length: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint name (SQLite keeps it only in the table's SQL text).
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: ForeignKeyAction,
    pub on_update: ForeignKeyAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForeignKeyAction {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

impl ForeignKeyAction {
    /// The SQL keywords.
    pub fn as_sql(self) -> &'static str {
        match self {
            ForeignKeyAction::Cascade => "CASCADE",
            ForeignKeyAction::Restrict => "RESTRICT",
            ForeignKeyAction::NoAction => "NO ACTION",
            ForeignKeyAction::SetNull => "SET NULL",
            ForeignKeyAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// An enum: a PostgreSQL type, or the value list of a MySQL `ENUM(…)` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbEnum {
    pub name: String,
    /// Database values, in declaration order.
    pub values: Vec<String>,
}
