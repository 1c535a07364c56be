//! SQLite through sqlx: files created when missing with foreign keys enforced, DateTime as
//! Prisma's integer milliseconds, Decimal as text, and the messages SQLite's errors carry.

use std::str::FromStr as _;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteQueryResult, SqliteRow};
use sqlx::{Arguments as _, Row as _, TypeInfo as _, ValueRef as _};

use super::{Backend, Done, ViolatedUnique, bind_all, lists_unsupported};
use crate::error::{Error, decode_error};
use crate::row::Row;
use crate::value::Value;

/// The options of a `sqlite:`/`file:` URL, and whether the database lives in memory.
pub(crate) fn connect_options(url: &str) -> Result<(SqliteConnectOptions, bool), sqlx::Error> {
    let url = url.strip_prefix("file:").map_or_else(|| url.to_owned(), |path| format!("sqlite:{path}"));
    let options = SqliteConnectOptions::from_str(&url)?.create_if_missing(true).foreign_keys(true);
    let memory = url.contains(":memory:") || url.contains("mode=memory");
    Ok((options, memory))
}

/// Turns on SQLite's query planner stability guarantee (QPSG) for a new pooled connection.
///
/// Without it SQLite (3.47 and later) reads the value bound to a `LIMIT ?` while planning and
/// marks the prepared statement stale whenever that parameter is bound again, so every query
/// with `take`/`skip`, and every include limited per parent, would be compiled again on each
/// run: measured, a `find_many().take(1)` cost 107 µs instead of 76 µs, a single-parent include
/// 265 µs instead of 150 µs. Plans chosen without the bound values are what every
/// other statement gets anyway.
pub(crate) async fn stable_plans(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    use std::ffi::c_int;
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the live connection `handle` locks (sqlx's worker makes no call on it
    // while the lock is held), and SQLITE_DBCONFIG_ENABLE_QPSG takes an int and an int pointer
    // that may be null.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(format!("SQLite refused the query planner setting (code {rc})").into()))
    }
}

impl Backend for sqlx::Sqlite {
    const DIALECT: orm_db_schema::Dialect = orm_db_schema::Dialect::Sqlite;

    fn after_connect(
        conn: &mut sqlx::SqliteConnection,
    ) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send {
        stable_plans(conn)
    }

    fn arguments(binds: Vec<Value>) -> Result<SqliteArguments, Error> {
        bind_all::<sqlx::Sqlite>(binds, |args, value| match value {
            // SQLite has no decimal type: text, which the column's numeric affinity converts.
            Value::Decimal(v) => args.add(v.to_string()),
            // Prisma's format: milliseconds since the epoch.
            Value::DateTime(v) => args.add(v.timestamp_millis()),
            Value::Json(v) => args.add(v.to_string()),
            Value::List(..) => Err(lists_unsupported()),
            Value::Null(_) => args.add(None::<i64>),
            other => Err(format!("{other:?} is bound by the common binder").into()),
        })
    }

    fn done(result: &SqliteQueryResult) -> Done {
        Done { rows_affected: result.rows_affected(), last_insert_id: Some(result.last_insert_rowid()) }
    }

    fn row(row: SqliteRow) -> Row {
        Row::Sqlite(row)
    }

    /// Decimals: the column has numeric affinity and holds an integer, a real or text, all read
    /// through their text form.
    fn decimal(row: &SqliteRow, index: usize) -> Result<Decimal, Error> {
        let text: String = row.try_get_unchecked(index).map_err(|e| decode_error(index, e))?;
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|e| decode_error(index, format!("`{text}` is not a decimal: {e}")))
    }

    /// Date-times: Prisma's integer milliseconds (what `orm` writes too), or text.
    fn datetime(row: &SqliteRow, index: usize) -> Result<DateTime<Utc>, Error> {
        let err = |e: sqlx::Error| decode_error(index, e);
        let raw = row.try_get_raw(index).map_err(err)?;
        if raw.type_info().name() == "INTEGER" {
            let millis: i64 = row.try_get_unchecked(index).map_err(err)?;
            DateTime::from_timestamp_millis(millis)
                .ok_or_else(|| decode_error(index, format!("{millis} ms is out of range")))
        } else {
            row.try_get(index).map_err(err)
        }
    }

    /// Enums are text columns.
    fn enum_text(row: &SqliteRow, index: usize) -> Result<String, Error> {
        row.try_get(index).map_err(|e| decode_error(index, e))
    }
}

/// SQLite names the columns, not the constraint: `UNIQUE constraint failed: User.email, User.name`.
pub(crate) fn violated_unique(e: &(dyn sqlx::error::DatabaseError + 'static)) -> Option<ViolatedUnique> {
    e.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    Some(ViolatedUnique { name: None, columns: unique_columns(e.message()) })
}

fn unique_columns(message: &str) -> Vec<String> {
    message
        .strip_prefix("UNIQUE constraint failed: ")
        .map(|rest| rest.split(", ").map(|c| c.rsplit_once('.').map_or(c, |(_, col)| col).to_owned()).collect())
        .unwrap_or_default()
}

/// `onDelete: Restrict` fails as a trigger constraint (code 1811), which sqlx doesn't classify.
pub(crate) fn is_restrict_violation(e: &(dyn sqlx::error::DatabaseError + 'static)) -> bool {
    e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() && e.message() == "FOREIGN KEY constraint failed"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pooled connection plans without reading bound values (see [`stable_plans`]).
    #[tokio::test]
    async fn pooled_connections_plan_without_bound_values() {
        use std::ffi::c_int;
        let db = crate::Db::connect("sqlite::memory:").await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let crate::db::Conn::Pooled(crate::db::Pooled::Sqlite(link)) = &mut conn else {
            panic!("a pooled SQLite connection");
        };
        let mut handle = link.conn.lock_handle().await.unwrap();
        let mut on: c_int = -1;
        // SAFETY: as in `stable_plans`; -1 reads the setting into `on` without changing it.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as c_int,
                &mut on as *mut c_int,
            )
        };
        assert_eq!((rc, on), (libsqlite3_sys::SQLITE_OK, 1));
    }

    #[test]
    fn unique_violations_name_the_columns() {
        assert_eq!(unique_columns("UNIQUE constraint failed: User.email, User.name"), ["email", "name"]);
        assert!(unique_columns("something else").is_empty());
    }
}
