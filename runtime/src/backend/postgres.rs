//! PostgreSQL through sqlx: Prisma's `?schema=` as the search path, typed nulls and arrays
//! (PostgreSQL types every parameter), `timestamp(3)` columns read in UTC, `date` as midnight.

use std::str::FromStr as _;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sqlx::postgres::{PgArguments, PgConnectOptions, PgQueryResult, PgRow};
use sqlx::{Arguments as _, Row as _, TypeInfo as _, ValueRef as _};

use super::{Backend, Done, bind_all};
use crate::error::{Error, decode_error};
use crate::row::Row;
use crate::value::{ScalarKind, Value};

/// The options of a `postgres://` URL; Prisma's `?schema=` becomes the search path.
pub(crate) fn connect_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    let (rest, schema) = take_param(url, "schema");
    let mut options = PgConnectOptions::from_str(&rest)?;
    if let Some(schema) = schema {
        options = options.options([("search_path", schema)]);
    }
    Ok(options)
}

/// `url` without the query parameter `key`, and that parameter's value.
fn take_param(url: &str, key: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else { return (url.to_owned(), None) };
    let mut value = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some((k, v)) if k == key => {
                value = Some(v.to_owned());
                false
            }
            _ => !pair.is_empty(),
        })
        .collect();
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    (url, value)
}

impl Backend for sqlx::Postgres {
    const DIALECT: orm_db_schema::Dialect = orm_db_schema::Dialect::Postgres;

    fn arguments(binds: Vec<Value>) -> Result<PgArguments, Error> {
        bind_all::<sqlx::Postgres>(binds, |args, value| match value {
            Value::Decimal(v) => args.add(v),
            // Prisma's columns are `timestamp(3)`; the session's time zone is UTC.
            Value::DateTime(v) => args.add(v.naive_utc()),
            Value::Json(v) => args.add(v),
            Value::List(kind, items) => add_list(args, kind, items),
            Value::Null(kind) => add_null(args, kind),
            other => Err(format!("{other:?} is bound by the common binder").into()),
        })
    }

    fn done(result: &PgQueryResult) -> Done {
        Done { rows_affected: result.rows_affected(), last_insert_id: None }
    }

    fn row(row: PgRow) -> Row {
        Row::Postgres(row)
    }

    /// Decimals are `numeric`.
    fn decimal(row: &PgRow, index: usize) -> Result<rust_decimal::Decimal, Error> {
        row.try_get(index).map_err(|e| decode_error(index, e))
    }

    /// `timestamp` and `timestamptz` share one binary form (the session runs in UTC); `date`
    /// columns become midnight.
    fn datetime(row: &PgRow, index: usize) -> Result<DateTime<Utc>, Error> {
        let err = |e: sqlx::Error| decode_error(index, e);
        let raw = row.try_get_raw(index).map_err(err)?;
        match raw.type_info().name() {
            "DATE" => row.try_get::<NaiveDate, _>(index).map_err(err).map(|d| NaiveDateTime::from(d).and_utc()),
            _ => row.try_get_unchecked(index).map_err(err),
        }
    }

    /// Enum columns are selected cast to text (`query/render.rs`).
    fn enum_text(row: &PgRow, index: usize) -> Result<String, Error> {
        row.try_get(index).map_err(|e| decode_error(index, e))
    }
}

/// PostgreSQL types every parameter, a null included.
fn add_null(args: &mut PgArguments, kind: ScalarKind) -> Result<(), sqlx::error::BoxDynError> {
    match kind {
        ScalarKind::Int => args.add(None::<i32>),
        ScalarKind::BigInt => args.add(None::<i64>),
        ScalarKind::Float => args.add(None::<f64>),
        ScalarKind::Decimal => args.add(None::<rust_decimal::Decimal>),
        ScalarKind::String | ScalarKind::Enum => args.add(None::<String>),
        ScalarKind::Boolean => args.add(None::<bool>),
        ScalarKind::DateTime => args.add(None::<NaiveDateTime>),
        ScalarKind::Json => args.add(None::<serde_json::Value>),
        ScalarKind::Bytes => args.add(None::<Vec<u8>>),
    }
}

/// A scalar list as one array parameter.
fn add_list(args: &mut PgArguments, kind: ScalarKind, items: Vec<Value>) -> Result<(), sqlx::error::BoxDynError> {
    fn collect<T>(items: Vec<Value>, f: impl Fn(Value) -> Option<T>) -> Result<Vec<T>, sqlx::error::BoxDynError> {
        items.into_iter().map(|v| f(v).ok_or_else(|| "a list holds values of different types".into())).collect()
    }
    match kind {
        ScalarKind::Int => args.add(collect(items, |v| if let Value::Int(x) = v { Some(x) } else { None })?),
        ScalarKind::BigInt => args.add(collect(items, |v| if let Value::BigInt(x) = v { Some(x) } else { None })?),
        ScalarKind::Float => args.add(collect(items, |v| if let Value::Float(x) = v { Some(x) } else { None })?),
        ScalarKind::Decimal => args.add(collect(items, |v| if let Value::Decimal(x) = v { Some(x) } else { None })?),
        ScalarKind::String => args.add(collect(items, |v| if let Value::String(x) = v { Some(x) } else { None })?),
        ScalarKind::Enum => {
            args.add(collect(items, |v| if let Value::Enum(x) = v { Some(x.to_owned()) } else { None })?)
        }
        ScalarKind::Boolean => args.add(collect(items, |v| if let Value::Boolean(x) = v { Some(x) } else { None })?),
        ScalarKind::DateTime => {
            args.add(collect(items, |v| if let Value::DateTime(x) = v { Some(x.naive_utc()) } else { None })?)
        }
        ScalarKind::Json => args.add(collect(items, |v| if let Value::Json(x) = v { Some(x) } else { None })?),
        ScalarKind::Bytes => args.add(collect(items, |v| if let Value::Bytes(x) = v { Some(x) } else { None })?),
    }
}

/// A scalar list.
pub(crate) fn array<T: super::PgArrayElement>(row: &PgRow, index: usize) -> Result<Vec<T>, Error> {
    row.try_get(index).map_err(|e| decode_error(index, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisma_schema_parameter_is_taken_out_of_the_url() {
        assert_eq!(
            take_param("postgres://h/db?schema=app&sslmode=disable", "schema"),
            ("postgres://h/db?sslmode=disable".to_owned(), Some("app".to_owned()))
        );
        assert_eq!(
            take_param("postgres://h/db?schema=app", "schema"),
            ("postgres://h/db".to_owned(), Some("app".to_owned()))
        );
        assert_eq!(take_param("postgres://h/db", "schema"), ("postgres://h/db".to_owned(), None));
    }
}
