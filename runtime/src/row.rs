//! A row from any of the three backends, and the decoding rules that differ between them.
//!
//! Generated `from_row` functions read columns by index through [`Row`]; the few places where
//! the backends store a type differently (DateTime and Decimal on SQLite, PostgreSQL's
//! `timestamp` vs `timestamptz`, enums) are settled here once.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};

use crate::error::Error;
use crate::value::DbEnum;

/// One row of a result.
pub enum Row {
    Sqlite(sqlx::sqlite::SqliteRow),
    Postgres(sqlx::postgres::PgRow),
    Mysql(sqlx::mysql::MySqlRow),
}

fn decode_error(index: usize, e: impl std::fmt::Display) -> Error {
    Error::Decode { column: index, message: e.to_string() }
}

impl Row {
    /// Column `index`, with the driver's own type checks.
    pub fn get<T>(&self, index: usize) -> Result<T, Error>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
        T: for<'r> sqlx::Decode<'r, sqlx::MySql> + sqlx::Type<sqlx::MySql>,
    {
        match self {
            Row::Sqlite(r) => r.try_get(index),
            Row::Postgres(r) => r.try_get(index),
            Row::Mysql(r) => r.try_get(index),
        }
        .map_err(|e| decode_error(index, e))
    }

    pub fn is_null(&self, index: usize) -> Result<bool, Error> {
        let null = match self {
            Row::Sqlite(r) => r.try_get_raw(index).map(|v| v.is_null()),
            Row::Postgres(r) => r.try_get_raw(index).map(|v| v.is_null()),
            Row::Mysql(r) => r.try_get_raw(index).map(|v| v.is_null()),
        };
        null.map_err(|e| decode_error(index, e))
    }

    /// Decimals. SQLite has no decimal type: the column has numeric affinity and holds an
    /// integer, a real or text, all read through their text form.
    pub fn get_decimal(&self, index: usize) -> Result<Decimal, Error> {
        match self {
            Row::Sqlite(r) => {
                let text: String = r.try_get_unchecked(index).map_err(|e| decode_error(index, e))?;
                text.parse::<Decimal>()
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_err(|e| decode_error(index, format!("`{text}` is not a decimal: {e}")))
            }
            Row::Postgres(r) => r.try_get(index).map_err(|e| decode_error(index, e)),
            Row::Mysql(r) => r.try_get(index).map_err(|e| decode_error(index, e)),
        }
    }

    /// Date-times, always in UTC. SQLite holds Prisma's integer milliseconds (what `orm`
    /// writes too) or text; PostgreSQL's `timestamp` and `timestamptz` share one binary form
    /// (the session runs in UTC), and `date` columns become midnight.
    pub fn get_datetime(&self, index: usize) -> Result<DateTime<Utc>, Error> {
        let err = |e: sqlx::Error| decode_error(index, e);
        match self {
            Row::Sqlite(r) => {
                let raw = r.try_get_raw(index).map_err(err)?;
                if raw.type_info().name() == "INTEGER" {
                    let millis: i64 = r.try_get_unchecked(index).map_err(err)?;
                    DateTime::from_timestamp_millis(millis)
                        .ok_or_else(|| decode_error(index, format!("{millis} ms is out of range")))
                } else {
                    r.try_get(index).map_err(err)
                }
            }
            Row::Postgres(r) => {
                let raw = r.try_get_raw(index).map_err(err)?;
                match raw.type_info().name() {
                    "DATE" => r.try_get::<NaiveDate, _>(index).map_err(err).map(midnight),
                    _ => r.try_get_unchecked(index).map_err(err),
                }
            }
            Row::Mysql(r) => {
                let raw = r.try_get_raw(index).map_err(err)?;
                match raw.type_info().name() {
                    "DATE" => r.try_get::<NaiveDate, _>(index).map_err(err).map(midnight),
                    _ => r.try_get(index).map_err(err),
                }
            }
        }
    }

    /// An enum column. PostgreSQL enum columns are selected cast to text (see `sql.rs`).
    pub fn get_enum<E: DbEnum>(&self, index: usize) -> Result<E, Error> {
        let text: String = match self {
            Row::Sqlite(r) => r.try_get(index),
            Row::Postgres(r) => r.try_get(index),
            Row::Mysql(r) => r.try_get_unchecked(index),
        }
        .map_err(|e| decode_error(index, e))?;
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
    pub fn get_pg_array<T>(&self, index: usize) -> Result<Vec<T>, Error>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + sqlx::postgres::PgHasArrayType,
    {
        match self {
            Row::Postgres(r) => r.try_get(index).map_err(|e| decode_error(index, e)),
            _ => Err(decode_error(index, "scalar lists are only supported on PostgreSQL")),
        }
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.len(),
            Row::Postgres(r) => r.len(),
            Row::Mysql(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    NaiveDateTime::from(date).and_utc()
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
