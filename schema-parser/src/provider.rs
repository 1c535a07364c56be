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

/// One `@db.*` type: the scalar types it may annotate and how many arguments it takes.
#[derive(Debug)]
pub struct NativeTypeSpec {
    pub name: &'static str,
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

const fn nt(name: &'static str, scalars: &'static [ScalarType], min_args: usize, max_args: usize) -> NativeTypeSpec {
    NativeTypeSpec { name, scalars, min_args, max_args }
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
        nt("Text", &[S::String], 0, 0),
        nt("Char", &[S::String], 0, 1),
        nt("VarChar", &[S::String], 0, 1),
        nt("Bit", &[S::String], 0, 1),
        nt("VarBit", &[S::String], 0, 1),
        nt("Uuid", &[S::String], 0, 0),
        nt("Xml", &[S::String], 0, 0),
        nt("Inet", &[S::String], 0, 0),
        nt("Citext", &[S::String], 0, 0),
        nt("Boolean", &[S::Boolean], 0, 0),
        nt("Integer", &[S::Int], 0, 0),
        nt("SmallInt", &[S::Int], 0, 0),
        nt("Oid", &[S::Int], 0, 0),
        nt("BigInt", &[S::BigInt], 0, 0),
        nt("DoublePrecision", &[S::Float], 0, 0),
        nt("Real", &[S::Float], 0, 0),
        nt("Decimal", &[S::Decimal], 0, 2),
        nt("Money", &[S::Decimal], 0, 0),
        nt("Timestamp", &[S::DateTime], 0, 1),
        nt("Timestamptz", &[S::DateTime], 0, 1),
        nt("Date", &[S::DateTime], 0, 0),
        nt("Time", &[S::DateTime], 0, 1),
        nt("Timetz", &[S::DateTime], 0, 1),
        nt("Json", &[S::Json], 0, 0),
        nt("JsonB", &[S::Json], 0, 0),
        nt("ByteA", &[S::Bytes], 0, 0),
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
        nt("VarChar", &[S::String], 1, 1),
        nt("Text", &[S::String], 0, 0),
        nt("Char", &[S::String], 1, 1),
        nt("TinyText", &[S::String], 0, 0),
        nt("MediumText", &[S::String], 0, 0),
        nt("LongText", &[S::String], 0, 0),
        nt("Bit", &[S::Boolean, S::Bytes], 1, 1),
        nt("Binary", &[S::Bytes], 1, 1),
        nt("VarBinary", &[S::Bytes], 1, 1),
        nt("TinyBlob", &[S::Bytes], 0, 0),
        nt("Blob", &[S::Bytes], 0, 0),
        nt("MediumBlob", &[S::Bytes], 0, 0),
        nt("LongBlob", &[S::Bytes], 0, 0),
        nt("Int", &[S::Int], 0, 0),
        nt("UnsignedInt", &[S::Int], 0, 0),
        nt("SmallInt", &[S::Int], 0, 0),
        nt("UnsignedSmallInt", &[S::Int], 0, 0),
        nt("MediumInt", &[S::Int], 0, 0),
        nt("UnsignedMediumInt", &[S::Int], 0, 0),
        nt("TinyInt", &[S::Int, S::Boolean], 0, 0),
        nt("UnsignedTinyInt", &[S::Int, S::Boolean], 0, 0),
        nt("Year", &[S::Int], 0, 0),
        nt("BigInt", &[S::BigInt], 0, 0),
        nt("UnsignedBigInt", &[S::BigInt], 0, 0),
        nt("Float", &[S::Float], 0, 0),
        nt("Double", &[S::Float], 0, 0),
        nt("Decimal", &[S::Decimal], 0, 2),
        nt("DateTime", &[S::DateTime], 0, 1),
        nt("Timestamp", &[S::DateTime], 0, 1),
        nt("Date", &[S::DateTime], 0, 0),
        nt("Time", &[S::DateTime], 0, 1),
        nt("Json", &[S::Json], 0, 0),
    ],
};
