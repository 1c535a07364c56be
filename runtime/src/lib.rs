//! `orm-runtime`: what generated clients call at run time.
//!
//! A generated client is data (each model's table and columns) plus thin typed wrappers; the
//! work happens here, once: choosing the backend from the URL, building the query AST
//! (`query/`), rendering it for the dialect with every value bound and every identifier
//! quoted by [`orm_db_schema::Dialect`], decoding rows, mapping database errors to [`Error`].
//! What one driver does differently lives in its room under `backend/`, compiled with its
//! cargo feature (`sqlite`, `postgres`, `mysql`; all on by default). The migration runner
//! that applications call at start-up is behind the `migrate` feature. Generated code depends
//! on this crate alone, so it re-exports what that code names.

mod aggregate;
mod backend;
mod db;
mod delegate;
mod error;
mod field;
mod json_row;
mod load;
#[cfg(feature = "migrate")]
pub mod migrate;
mod model;
mod nested;
mod pool;
mod query;
mod raw;
mod read;
mod referential;
mod relation;
mod row;
mod select;
mod value;
mod write;
mod written;

pub use aggregate::{Aggregate, AggregateValue, Averageable, Fields, GroupBy, Outputs, Push, Summable};
pub use backend::{
    Decode, DecodeMysql, DecodePostgres, DecodeSqlite, PgArrayElement, compiled, dialect_of_url, redact,
};
pub use db::{Db, DbBuilder, IsolationLevel};
pub use delegate::{Delegate, ViewDelegate};
pub use error::{Error, Result};
pub use field::{AggregateOf, Field, FieldValue, Filter, Insensitive, OrderBy, Scalar, Set, and, not, or};
pub use json_row::{FromCell, JsonRow};
pub use load::{Include, IntoInclude, Loader, Many, One, Shape};
pub use model::{
    Action, ClientDefault, Column, CreateData, CreateExt, CreateInput, CreateValues, Model, ReadOnly, Reference, Table,
    Unique, UniqueInput,
};
pub use nested::{Parent, Related};
pub use orm_db_schema::Dialect;
#[doc(hidden)]
pub use query::CastTo;
pub use query::Sql;
pub use raw::Raw;
pub use read::{Count, FindFirst, FindMany, FindUnique, FindUniqueOrError};
pub use relation::{
    Counts, KeyOptional, KeyRequired, Link, Loaded, RelationCount, RelationDef, ToMany, ToOne, join_table, loaded_many,
    loaded_optional, loaded_required,
};
pub use row::{FromRow, Row};
pub use select::{OmitMany, OmitOne, Partial, Pick, SelectMany, SelectOne, Selection};
pub use value::{DbEnum, DbType, ListElement, Numeric, Ordered, ScalarKind, Text, Value};
pub use write::{Create, CreateMany, Delete, DeleteMany, Update, UpdateMany, Upsert};
pub use written::{CreateManyAndReturn, UpdateManyAndReturn};

// What generated code names, so an application depends on `orm-runtime` alone.
pub use chrono;
pub use rust_decimal;
pub use serde;
pub use serde_json;
pub use uuid;

/// Includes the client a build script generated with `orm_codegen::Builder` into `OUT_DIR`:
/// `mod db { orm_runtime::include_client!(); }`, or `include_client!("name")` for a builder
/// given `.module("name")`. Parts of the client an application doesn't use don't warn.
#[macro_export]
macro_rules! include_client {
    () => {
        $crate::include_client!("orm");
    };
    ($name:literal) => {
        #[allow(dead_code, unused_imports)]
        mod __orm_client {
            include!(concat!(env!("OUT_DIR"), "/", $name, "/mod.rs"));
        }
        #[allow(unused_imports)]
        pub use self::__orm_client::*;
    };
}
