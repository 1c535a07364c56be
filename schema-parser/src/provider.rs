//! What each database can do, as data.
//!
//! Validation asks [`Provider::capabilities`] instead of branching on the provider, so adding
//! a capability or a provider is a change to this table only.

use crate::schema::{ReferentialAction, ScalarType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Sqlite,
    Postgres,
    Mysql,
}

/// What a `provider = "…"` string means to `orm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderName {
    Supported(Provider),
    /// A Prisma provider `orm` does not serve.
    Unsupported(&'static str),
    Unknown,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Sqlite, Provider::Postgres, Provider::Mysql];

    pub fn parse(name: &str) -> ProviderName {
        match name {
            "sqlite" => ProviderName::Supported(Provider::Sqlite),
            "postgresql" | "postgres" => ProviderName::Supported(Provider::Postgres),
            "mysql" => ProviderName::Supported(Provider::Mysql),
            "sqlserver" => ProviderName::Unsupported("sqlserver"),
            "mongodb" => ProviderName::Unsupported("mongodb"),
            "cockroachdb" => ProviderName::Unsupported("cockroachdb"),
            _ => ProviderName::Unknown,
        }
    }

    /// The canonical provider string.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Sqlite => "sqlite",
            Provider::Postgres => "postgresql",
            Provider::Mysql => "mysql",
        }
    }

    pub fn capabilities(self) -> &'static Capabilities {
        match self {
            Provider::Sqlite => &SQLITE,
            Provider::Postgres => &POSTGRES,
            Provider::Mysql => &MYSQL,
        }
    }
}

/// The capabilities that validation consults.
#[derive(Debug)]
pub struct Capabilities {
    /// `String[]` and friends as columns.
    pub scalar_lists: bool,
    /// `autoincrement()` on a field that is not the primary key.
    pub autoincrement_outside_id: bool,
    /// More than one `autoincrement()` per table.
    pub multiple_autoincrement: bool,
    /// `map:` on a primary key (a named primary key constraint).
    pub named_primary_keys: bool,
    /// `@@fulltext`.
    pub fulltext_index: bool,
    /// Values allowed for `@@index(type: …)`.
    pub index_types: &'static [&'static str],
    /// `sort:` on index fields.
    pub index_sort: bool,
    /// `length:` on index fields.
    pub index_length: bool,
    /// Text and blob columns can only be indexed with a prefix `length:`.
    pub text_index_needs_length: bool,
    /// `ops:` (operator classes) on index fields.
    pub index_operator_classes: bool,
    /// An auto-increment column must be the first column of some index.
    pub autoincrement_needs_index: bool,
    /// Index and constraint names are unique per table (else per schema).
    pub constraint_names_per_table: bool,
    /// `map:` on `@default` (a named default constraint).
    pub named_default_constraints: bool,
    /// `map:` on `@relation` (a named foreign key).
    pub named_foreign_keys: bool,
    /// `schemas = [...]` and `@@schema`.
    pub multi_schema: bool,
    /// `extensions = [...]` in the datasource.
    pub extensions: bool,
    /// `sort:` on the fields of a `Hash` index.
    pub sorted_hash_index: bool,
    /// A `Hash` index over more than one column.
    pub multi_column_hash_index: bool,
    /// `SetNull` on required fields is only a warning (the database refuses it at run time)
    /// rather than an error, as Prisma has it.
    pub set_null_on_required_warns: bool,
    pub referential_actions: &'static [ReferentialAction],
    pub native_types: &'static [NativeTypeSpec],
}

/// One `@db.*` type: its name in SQL, the scalar types it may annotate and how many arguments
/// it takes. Codegen spells DDL from `sql` and `db pull` reads it back, so this table is the
/// only list of native types.
#[derive(Debug)]
pub struct NativeTypeSpec {
    pub name: &'static str,
    /// The type in DDL, without arguments (`VarChar` → `VARCHAR`).
    pub sql: &'static str,
    pub scalars: &'static [ScalarType],
    pub min_args: usize,
    pub max_args: usize,
}

impl Capabilities {
    pub fn native_type(&self, name: &str) -> Option<&'static NativeTypeSpec> {
        self.native_types.iter().find(|t| t.name == name)
    }
}

use ReferentialAction as RA;
use ScalarType as S;

const fn nt(
    name: &'static str,
    sql: &'static str,
    scalars: &'static [ScalarType],
    min_args: usize,
    max_args: usize,
) -> NativeTypeSpec {
    NativeTypeSpec { name, sql, scalars, min_args, max_args }
}

static SQLITE: Capabilities = Capabilities {
    scalar_lists: false,
    autoincrement_outside_id: false,
    multiple_autoincrement: false,
    named_primary_keys: false,
    fulltext_index: false,
    index_types: &[],
    index_sort: true,
    index_length: false,
    text_index_needs_length: false,
    index_operator_classes: false,
    autoincrement_needs_index: false,
    named_default_constraints: false,
    named_foreign_keys: false,
    multi_schema: false,
    extensions: false,
    sorted_hash_index: false,
    multi_column_hash_index: false,
    set_null_on_required_warns: false,
    constraint_names_per_table: false,
    referential_actions: &[RA::Cascade, RA::Restrict, RA::NoAction, RA::SetNull, RA::SetDefault],
    native_types: &[],
};

static POSTGRES: Capabilities = Capabilities {
    scalar_lists: true,
    autoincrement_outside_id: true,
    multiple_autoincrement: true,
    named_primary_keys: true,
    fulltext_index: false,
    index_types: &["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"],
    index_sort: true,
    index_length: false,
    text_index_needs_length: false,
    index_operator_classes: true,
    autoincrement_needs_index: false,
    named_default_constraints: false,
    named_foreign_keys: true,
    multi_schema: true,
    extensions: true,
    sorted_hash_index: false,
    multi_column_hash_index: false,
    set_null_on_required_warns: true,
    constraint_names_per_table: false,
    referential_actions: &[RA::Cascade, RA::Restrict, RA::NoAction, RA::SetNull, RA::SetDefault],
    native_types: &[
        nt("Text", "TEXT", &[S::String], 0, 0),
        nt("Char", "CHAR", &[S::String], 0, 1),
        nt("VarChar", "VARCHAR", &[S::String], 0, 1),
        nt("Bit", "BIT", &[S::String], 0, 1),
        nt("VarBit", "VARBIT", &[S::String], 0, 1),
        nt("Uuid", "UUID", &[S::String], 0, 0),
        nt("Xml", "XML", &[S::String], 0, 0),
        nt("Inet", "INET", &[S::String], 0, 0),
        nt("Citext", "CITEXT", &[S::String], 0, 0),
        nt("Boolean", "BOOLEAN", &[S::Boolean], 0, 0),
        nt("Integer", "INTEGER", &[S::Int], 0, 0),
        nt("SmallInt", "SMALLINT", &[S::Int], 0, 0),
        nt("Oid", "OID", &[S::Int], 0, 0),
        nt("BigInt", "BIGINT", &[S::BigInt], 0, 0),
        nt("DoublePrecision", "DOUBLE PRECISION", &[S::Float], 0, 0),
        nt("Real", "REAL", &[S::Float], 0, 0),
        nt("Decimal", "DECIMAL", &[S::Decimal], 0, 2),
        nt("Money", "MONEY", &[S::Decimal], 0, 0),
        nt("Timestamp", "TIMESTAMP", &[S::DateTime], 0, 1),
        nt("Timestamptz", "TIMESTAMPTZ", &[S::DateTime], 0, 1),
        nt("Date", "DATE", &[S::DateTime], 0, 0),
        nt("Time", "TIME", &[S::DateTime], 0, 1),
        nt("Timetz", "TIMETZ", &[S::DateTime], 0, 1),
        nt("Json", "JSON", &[S::Json], 0, 0),
        nt("JsonB", "JSONB", &[S::Json], 0, 0),
        nt("ByteA", "BYTEA", &[S::Bytes], 0, 0),
    ],
};

static MYSQL: Capabilities = Capabilities {
    scalar_lists: false,
    autoincrement_outside_id: true,
    multiple_autoincrement: false,
    named_primary_keys: false,
    fulltext_index: true,
    index_types: &["BTree"],
    index_sort: true,
    index_length: true,
    text_index_needs_length: true,
    index_operator_classes: false,
    autoincrement_needs_index: true,
    named_default_constraints: false,
    named_foreign_keys: true,
    multi_schema: false,
    extensions: false,
    sorted_hash_index: false,
    multi_column_hash_index: false,
    set_null_on_required_warns: false,
    constraint_names_per_table: true,
    referential_actions: &[RA::Cascade, RA::Restrict, RA::NoAction, RA::SetNull],
    native_types: &[
        nt("VarChar", "VARCHAR", &[S::String], 1, 1),
        nt("Text", "TEXT", &[S::String], 0, 0),
        nt("Char", "CHAR", &[S::String], 1, 1),
        nt("TinyText", "TINYTEXT", &[S::String], 0, 0),
        nt("MediumText", "MEDIUMTEXT", &[S::String], 0, 0),
        nt("LongText", "LONGTEXT", &[S::String], 0, 0),
        nt("Bit", "BIT", &[S::Boolean, S::Bytes], 1, 1),
        nt("Binary", "BINARY", &[S::Bytes], 1, 1),
        nt("VarBinary", "VARBINARY", &[S::Bytes], 1, 1),
        nt("TinyBlob", "TINYBLOB", &[S::Bytes], 0, 0),
        nt("Blob", "BLOB", &[S::Bytes], 0, 0),
        nt("MediumBlob", "MEDIUMBLOB", &[S::Bytes], 0, 0),
        nt("LongBlob", "LONGBLOB", &[S::Bytes], 0, 0),
        nt("Int", "INTEGER", &[S::Int], 0, 0),
        nt("UnsignedInt", "INTEGER UNSIGNED", &[S::Int], 0, 0),
        nt("SmallInt", "SMALLINT", &[S::Int], 0, 0),
        nt("UnsignedSmallInt", "SMALLINT UNSIGNED", &[S::Int], 0, 0),
        nt("MediumInt", "MEDIUMINT", &[S::Int], 0, 0),
        nt("UnsignedMediumInt", "MEDIUMINT UNSIGNED", &[S::Int], 0, 0),
        nt("TinyInt", "TINYINT", &[S::Int, S::Boolean], 0, 0),
        nt("UnsignedTinyInt", "TINYINT UNSIGNED", &[S::Int, S::Boolean], 0, 0),
        nt("Year", "YEAR", &[S::Int], 0, 0),
        nt("BigInt", "BIGINT", &[S::BigInt], 0, 0),
        nt("UnsignedBigInt", "BIGINT UNSIGNED", &[S::BigInt], 0, 0),
        nt("Float", "FLOAT", &[S::Float], 0, 0),
        nt("Double", "DOUBLE", &[S::Float], 0, 0),
        nt("Decimal", "DECIMAL", &[S::Decimal], 0, 2),
        nt("DateTime", "DATETIME", &[S::DateTime], 0, 1),
        nt("Timestamp", "TIMESTAMP", &[S::DateTime], 0, 1),
        nt("Date", "DATE", &[S::DateTime], 0, 0),
        nt("Time", "TIME", &[S::DateTime], 0, 1),
        nt("Json", "JSON", &[S::Json], 0, 0),
    ],
};
