//! MySQL and MariaDB through sqlx: `mariadb://` URLs, enums and DATE columns as their text and
//! midnight, and the key names MySQL's duplicate-entry messages carry.

use std::str::FromStr as _;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sqlx::mysql::{MySqlArguments, MySqlConnectOptions, MySqlQueryResult, MySqlRow};
use sqlx::{Arguments as _, Row as _, TypeInfo as _, ValueRef as _};

use super::{Backend, Done, ViolatedUnique, bind_all, lists_unsupported};
use crate::error::{Error, decode_error};
use crate::row::Row;
use crate::value::Value;

/// The options of a `mysql://` or `mariadb://` URL.
pub(crate) fn connect_options(url: &str) -> Result<MySqlConnectOptions, sqlx::Error> {
    let url = url.strip_prefix("mariadb:").map_or_else(|| url.to_owned(), |rest| format!("mysql:{rest}"));
    MySqlConnectOptions::from_str(&url)
}

impl Backend for sqlx::MySql {
    const DIALECT: orm_db_schema::Dialect = orm_db_schema::Dialect::Mysql;

    fn arguments(binds: Vec<Value>) -> Result<MySqlArguments, Error> {
        bind_all::<sqlx::MySql>(binds, |args, value| match value {
            Value::Decimal(v) => args.add(v),
            Value::DateTime(v) => args.add(v),
            Value::Json(v) => args.add(v),
            Value::List(..) => Err(lists_unsupported()),
            Value::Null(_) => args.add(None::<i64>),
            other => Err(format!("{other:?} is bound by the common binder").into()),
        })
    }

    fn done(result: &MySqlQueryResult) -> Done {
        Done { rows_affected: result.rows_affected(), last_insert_id: i64::try_from(result.last_insert_id()).ok() }
    }

    fn row(row: MySqlRow) -> Row {
        Row::Mysql(row)
    }

    fn decimal(row: &MySqlRow, index: usize) -> Result<rust_decimal::Decimal, Error> {
        row.try_get(index).map_err(|e| decode_error(index, e))
    }

    /// `DATETIME` in UTC; `DATE` columns become midnight.
    fn datetime(row: &MySqlRow, index: usize) -> Result<DateTime<Utc>, Error> {
        let err = |e: sqlx::Error| decode_error(index, e);
        let raw = row.try_get_raw(index).map_err(err)?;
        match raw.type_info().name() {
            "DATE" => row.try_get::<NaiveDate, _>(index).map_err(err).map(|d| NaiveDateTime::from(d).and_utc()),
            _ => row.try_get(index).map_err(err),
        }
    }

    /// Enum columns are MySQL `ENUM`s, which sqlx reports as their own type: read the text.
    fn enum_text(row: &MySqlRow, index: usize) -> Result<String, Error> {
        row.try_get_unchecked(index).map_err(|e| decode_error(index, e))
    }
}

/// MySQL names the key: `Duplicate entry 'a' for key 'User_email_key'` (8.0: `'User.User_email_key'`).
pub(crate) fn violated_unique(e: &(dyn sqlx::error::DatabaseError + 'static)) -> Option<ViolatedUnique> {
    e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()?;
    let name = e.constraint().map(str::to_owned).or_else(|| key_name(e.message()));
    Some(ViolatedUnique { name, columns: Vec::new() })
}

fn key_name(message: &str) -> Option<String> {
    let rest = &message[message.rfind(" for key '")? + 10..];
    Some(rest.strip_suffix('\'')?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_entries_name_the_key() {
        assert_eq!(key_name("Duplicate entry 'a@x' for key 'User_email_key'").as_deref(), Some("User_email_key"));
        assert_eq!(
            key_name("Duplicate entry 'it's' for key 'User.User_email_key'").as_deref(),
            Some("User.User_email_key")
        );
    }
}
