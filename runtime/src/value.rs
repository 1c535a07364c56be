//! Values on their way into a query, and the Rust types a field can have.
//!
//! Every value a query sends is a [`Value`], bound as a parameter by the backend's binder
//! (`connection.rs`); none is ever written into SQL text. [`DbType`] ties each Rust field type
//! to its [`ScalarKind`], how it becomes a `Value`, and how it is read back from a row.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::Error;
use crate::row::Row;

/// The schema's scalar types, as far as binding and decoding care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    Int,
    BigInt,
    Float,
    Decimal,
    String,
    Boolean,
    DateTime,
    Json,
    Bytes,
    Enum,
}

/// A value to bind. `Null` and `List` carry the element kind, because PostgreSQL types every
/// parameter, nulls and empty arrays included.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null(ScalarKind),
    Int(i32),
    BigInt(i64),
    Float(f64),
    Decimal(Decimal),
    String(String),
    Boolean(bool),
    DateTime(DateTime<Utc>),
    Json(serde_json::Value),
    Bytes(Vec<u8>),
    /// An enum value as the database stores it (its `@map`).
    Enum(&'static str),
    List(ScalarKind, Vec<Value>),
}

impl Value {
    /// The value as an error message shows it.
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::Null(_) => "null".to_owned(),
            Value::Int(v) => v.to_string(),
            Value::BigInt(v) => v.to_string(),
            Value::Float(v) => v.to_string(),
            Value::Decimal(v) => v.to_string(),
            Value::String(v) => format!("{v:?}"),
            Value::Boolean(v) => v.to_string(),
            Value::DateTime(v) => v.to_rfc3339(),
            Value::Json(v) => v.to_string(),
            Value::Bytes(v) => format!("{} bytes", v.len()),
            Value::Enum(v) => (*v).to_owned(),
            Value::List(_, items) => format!("[{}]", items.iter().map(Value::describe).collect::<Vec<_>>().join(", ")),
        }
    }
}

/// A Rust type a field can have.
pub trait DbType: Sized + Send {
    const KIND: ScalarKind;
    fn into_value(self) -> Value;
    /// Reads column `index` of `row`.
    fn decode(row: &Row, index: usize) -> Result<Self, Error>;
}

macro_rules! db_type {
    ($ty:ty, $kind:ident, $decode:ident) => {
        impl DbType for $ty {
            const KIND: ScalarKind = ScalarKind::$kind;
            fn into_value(self) -> Value {
                Value::$kind(self)
            }
            fn decode(row: &Row, index: usize) -> Result<Self, Error> {
                row.$decode(index)
            }
        }
    };
}

db_type!(i32, Int, get);
db_type!(i64, BigInt, get);
db_type!(f64, Float, get);
db_type!(String, String, get);
db_type!(bool, Boolean, get);
db_type!(Vec<u8>, Bytes, get);
db_type!(serde_json::Value, Json, get);
db_type!(Decimal, Decimal, get_decimal);
db_type!(DateTime<Utc>, DateTime, get_datetime);

impl<T: DbType> DbType for Option<T> {
    const KIND: ScalarKind = T::KIND;
    fn into_value(self) -> Value {
        match self {
            Some(v) => v.into_value(),
            None => Value::Null(T::KIND),
        }
    }
    fn decode(row: &Row, index: usize) -> Result<Self, Error> {
        if row.is_null(index)? { Ok(None) } else { T::decode(row, index).map(Some) }
    }
}

/// Scalar lists (`String[]`), stored as arrays on PostgreSQL.
impl<T: ListElement> DbType for Vec<T> {
    const KIND: ScalarKind = T::KIND;
    fn into_value(self) -> Value {
        Value::List(T::KIND, self.into_iter().map(DbType::into_value).collect())
    }
    fn decode(row: &Row, index: usize) -> Result<Self, Error> {
        T::decode_list(row, index)
    }
}

/// The element types of scalar lists.
pub trait ListElement: DbType {
    fn decode_list(row: &Row, index: usize) -> Result<Vec<Self>, Error>;
}

macro_rules! list_element {
    ($($ty:ty),*) => {$(
        impl ListElement for $ty {
            fn decode_list(row: &Row, index: usize) -> Result<Vec<Self>, Error> {
                row.get_pg_array(index)
            }
        }
    )*};
}
list_element!(i32, i64, f64, String, bool, Decimal, serde_json::Value);

impl ListElement for DateTime<Utc> {
    fn decode_list(row: &Row, index: usize) -> Result<Vec<Self>, Error> {
        row.get_pg_array::<chrono::NaiveDateTime>(index).map(|v| v.into_iter().map(|d| d.and_utc()).collect())
    }
}

/// A generated enum: the values the database stores, and the enum's type name on PostgreSQL.
pub trait DbEnum: Sized + Copy + Send + 'static {
    /// The enum's database type name (`@@map`).
    const DB_TYPE: &'static str;
    fn as_db(self) -> &'static str;
    fn from_db(value: &str) -> Option<Self>;
}

/// Implements [`DbType`] and [`ListElement`] for a generated enum.
#[macro_export]
macro_rules! db_enum {
    ($ty:ty) => {
        impl $crate::DbType for $ty {
            const KIND: $crate::ScalarKind = $crate::ScalarKind::Enum;
            fn into_value(self) -> $crate::Value {
                $crate::Value::Enum($crate::DbEnum::as_db(self))
            }
            fn decode(row: &$crate::Row, index: usize) -> ::std::result::Result<Self, $crate::Error> {
                row.get_enum(index)
            }
        }
        impl $crate::Scalar for $ty {}
        impl $crate::ListElement for $ty {
            fn decode_list(
                row: &$crate::Row,
                index: usize,
            ) -> ::std::result::Result<::std::vec::Vec<Self>, $crate::Error> {
                row.get_enum_list(index)
            }
        }
    };
}

/// Types a text filter (`contains`, `starts_with`, …) applies to.
pub trait Text: DbType {}
impl Text for String {}

/// Types with an order (`lt`, `gte`, …).
pub trait Ordered: DbType {}
impl Ordered for i32 {}
impl Ordered for i64 {}
impl Ordered for f64 {}
impl Ordered for Decimal {}
impl Ordered for String {}
impl Ordered for DateTime<Utc> {}

/// Types with arithmetic (`increment`, `multiply`, …).
pub trait Numeric: DbType {}
impl Numeric for i32 {}
impl Numeric for i64 {}
impl Numeric for f64 {}
impl Numeric for Decimal {}
