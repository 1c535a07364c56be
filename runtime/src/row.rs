//! A row from any compiled backend, read by column index.
//!
//! Generated `from_row` functions read columns through [`Row`]; where the backends store a
//! type differently (DateTime and Decimal on SQLite, PostgreSQL's `date`, enums) the method
//! hands the column to the backend's own decoder in `backend/`. A related record loaded
//! inside its parent's statement (SQLite's JSON aggregation, `load.rs`) is a [`Row::Json`]:
//! the same columns in the same order, as the cells of a JSON array.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{Row as _, ValueRef as _};

use crate::backend::{self, Backend, dispatch};
use crate::error::{Error, decode_error};
use crate::value::DbEnum;

/// One row of a result.
pub enum Row {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::sqlite::SqliteRow),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::postgres::PgRow),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::mysql::MySqlRow),
    /// A row of a JSON array of rows (see `json_row.rs`).
    Json(crate::json_row::JsonRow),
}

impl Row {
    /// Column `index`, with the driver's own type checks.
    pub fn get<T: backend::Decode>(&self, index: usize) -> Result<T, Error> {
        dispatch!(self, Row, r, _DB => r.try_get(index).map_err(|e| decode_error(index, e)); Json(j) => j.get(index))
    }

    pub fn is_null(&self, index: usize) -> Result<bool, Error> {
        dispatch!(self, Row, r, _DB => r.try_get_raw(index).map(|v| v.is_null()).map_err(|e| decode_error(index, e));
            Json(j) => j.is_null(index))
    }

    pub fn get_decimal(&self, index: usize) -> Result<Decimal, Error> {
        dispatch!(self, Row, r, DB => <DB as Backend>::decimal(r, index); Json(j) => j.decimal(index))
    }

    /// Date-times, always in UTC.
    pub fn get_datetime(&self, index: usize) -> Result<DateTime<Utc>, Error> {
        dispatch!(self, Row, r, DB => <DB as Backend>::datetime(r, index); Json(j) => j.datetime(index))
    }

    /// An enum column, as the schema's enum.
    pub fn get_enum<E: DbEnum>(&self, index: usize) -> Result<E, Error> {
        let text =
            dispatch!(self, Row, r, DB => <DB as Backend>::enum_text(r, index); Json(j) => j.get::<String>(index))?;
        E::from_db(&text).ok_or_else(|| {
            decode_error(index, format!("`{text}` is not a value of the enum `{}` in the schema", E::DB_TYPE))
        })
    }

    /// A list of enum values (PostgreSQL only; selected cast to `text[]`).
    pub fn get_enum_list<E: DbEnum>(&self, index: usize) -> Result<Vec<E>, Error> {
        let texts: Vec<String> = self.get_pg_array(index)?;
        texts
            .iter()
            .map(|t| {
                E::from_db(t).ok_or_else(|| decode_error(index, format!("`{t}` is not a value of `{}`", E::DB_TYPE)))
            })
            .collect()
    }

    /// A PostgreSQL array; scalar lists exist only there.
    pub fn get_pg_array<T: backend::PgArrayElement>(&self, index: usize) -> Result<Vec<T>, Error> {
        match self {
            #[cfg(feature = "postgres")]
            Row::Postgres(r) => backend::postgres::array(r, index),
            #[allow(unreachable_patterns)]
            _ => Err(decode_error(index, "scalar lists are only supported on PostgreSQL")),
        }
    }

    /// Column `index` as a [`Value`] of `kind` (a key read back to filter or group by).
    pub(crate) fn value(&self, index: usize, kind: crate::value::ScalarKind) -> Result<crate::value::Value, Error> {
        use crate::DbType;
        use crate::value::{ScalarKind as K, Value};
        if self.is_null(index)? {
            return Ok(Value::Null(kind));
        }
        Ok(match kind {
            K::Int => Value::Int(i32::decode(self, index)?),
            K::BigInt => Value::BigInt(i64::decode(self, index)?),
            K::Float => Value::Float(f64::decode(self, index)?),
            K::Decimal => Value::Decimal(Decimal::decode(self, index)?),
            K::String | K::Enum => Value::String(String::decode(self, index)?),
            K::Boolean => Value::Boolean(bool::decode(self, index)?),
            K::DateTime => Value::DateTime(DateTime::<Utc>::decode(self, index)?),
            K::Json => Value::Json(serde_json::Value::decode(self, index)?),
            K::Bytes => Value::Bytes(Vec::<u8>::decode(self, index)?),
        })
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        dispatch!(self, Row, r, _DB => r.len(); Json(j) => j.len())
    }

    /// Column `index` as the JSON it holds: the rows a relation's JSON aggregation read, as
    /// text from the database or as a cell of an enclosing aggregation.
    pub(crate) fn take_json(&mut self, index: usize) -> Result<serde_json::Value, Error> {
        match self {
            Row::Json(j) => j.take(index),
            other => {
                let text: String = other.get(index)?;
                serde_json::from_str(&text).map_err(|e| decode_error(index, e))
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Typed rows of raw queries: a [`crate::DbType`] or a tuple of them, read by position.
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self, Error>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: crate::DbType),+> FromRow for ($($t,)+) {
            fn from_row(row: &Row) -> Result<Self, Error> {
                Ok(($($t::decode(row, $i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
