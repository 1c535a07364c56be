//! One room per database: everything a driver does differently lives in its own file.
//!
//! `sqlite.rs`, `postgres.rs` and `mysql.rs` each hold their backend's connect options, how a
//! [`Value`] is bound, how a column is decoded where the backends store a type differently,
//! and how the driver's errors are classified; each is compiled only with its cargo feature
//! (`sqlite`, `postgres`, `mysql`, all on by default), so an application builds only the
//! drivers it uses. The rest of the runtime is written once, over the [`Backend`] trait and
//! the [`dispatch!`] macro that opens the enums (`Pool`, `Conn`, `Row`, …) whose variants are
//! the compiled backends.

use std::time::Duration;

use orm_db_schema::Dialect;

use crate::error::Error;
use crate::value::Value;

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("orm-runtime needs at least one of its features `sqlite`, `postgres`, `mysql`");

/// Runs `$body` on the value inside whichever backend variant `$value` is, with `$db` naming
/// that backend's `sqlx::Database` type. Variants of backends compiled out don't exist.
macro_rules! dispatch {
    ($value:expr, $enum:ident, $inner:pat, $db:ident => $body:expr) => {
        match $value {
            #[cfg(feature = "sqlite")]
            $enum::Sqlite($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::Sqlite;
                $body
            }
            #[cfg(feature = "postgres")]
            $enum::Postgres($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::Postgres;
                $body
            }
            #[cfg(feature = "mysql")]
            $enum::Mysql($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::MySql;
                $body
            }
        }
    };
    // The backend variants, and one more that is not a backend's (`Row::Json`).
    ($value:expr, $enum:ident, $inner:pat, $db:ident => $body:expr; $other:ident($o:pat) => $else:expr) => {
        match $value {
            $enum::$other($o) => $else,
            #[cfg(feature = "sqlite")]
            $enum::Sqlite($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::Sqlite;
                $body
            }
            #[cfg(feature = "postgres")]
            $enum::Postgres($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::Postgres;
                $body
            }
            #[cfg(feature = "mysql")]
            $enum::Mysql($inner) => {
                #[allow(dead_code)]
                type $db = ::sqlx::MySql;
                $body
            }
        }
    };
}
pub(crate) use dispatch;

/// What an executed statement reports.
pub(crate) struct Done {
    pub rows_affected: u64,
    pub last_insert_id: Option<i64>,
}

/// What one driver does its own way. The generic query path (`db.rs`) calls these.
pub(crate) trait Backend: sqlx::Database {
    const DIALECT: Dialect;
    /// The binds of a statement as the driver's arguments.
    fn arguments(binds: Vec<Value>) -> Result<Self::Arguments, Error>;
    fn done(result: &Self::QueryResult) -> Done;
    fn row(row: Self::Row) -> crate::row::Row;
    /// A `Decimal` column.
    fn decimal(row: &Self::Row, index: usize) -> Result<rust_decimal::Decimal, Error>;
    /// A `DateTime` column, in UTC.
    fn datetime(row: &Self::Row, index: usize) -> Result<chrono::DateTime<chrono::Utc>, Error>;
    /// An enum column's stored text.
    fn enum_text(row: &Self::Row, index: usize) -> Result<String, Error>;
    /// Settings a new pooled connection gets before its first statement.
    fn after_connect(conn: &mut Self::Connection) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = conn;
        std::future::ready(Ok(()))
    }
}

/// Which backend a URL names, from its scheme. SQLite accepts `sqlite://path`, `sqlite:path`
/// and Prisma's `file:path`. A backend this build leaves out is an [`Error::InvalidUrl`]
/// naming the feature that brings it.
pub fn dialect_of_url(url: &str) -> Result<Dialect, Error> {
    let scheme = url.split_once(':').map_or("", |(s, _)| s).to_ascii_lowercase();
    let (dialect, feature) = match scheme.as_str() {
        "sqlite" | "file" => (Dialect::Sqlite, "sqlite"),
        "postgres" | "postgresql" => (Dialect::Postgres, "postgres"),
        "mysql" | "mariadb" => (Dialect::Mysql, "mysql"),
        "" => {
            return Err(Error::InvalidUrl(format!(
                "`{url}` has no scheme; use sqlite:path, postgres://… or mysql://…"
            )));
        }
        other => {
            return Err(Error::InvalidUrl(format!(
                "`{other}:` is not a supported database; use sqlite:path, postgres://… or mysql://…"
            )));
        }
    };
    if compiled(dialect) { Ok(dialect) } else { Err(not_compiled(&scheme, feature)) }
}

fn not_compiled(scheme: &str, feature: &str) -> Error {
    Error::InvalidUrl(format!(
        "`{scheme}:` URLs need orm-runtime's `{feature}` feature, which this build leaves out \
         (add it to `features` where the application depends on orm-runtime)"
    ))
}

/// Whether this build has the backend of `dialect`.
pub fn compiled(dialect: Dialect) -> bool {
    match dialect {
        Dialect::Sqlite => cfg!(feature = "sqlite"),
        Dialect::Postgres => cfg!(feature = "postgres"),
        Dialect::Mysql => cfg!(feature = "mysql"),
    }
}

/// How to open one connection to the database a URL names (for a pool, or for the migration
/// runner's single session).
pub(crate) enum ConnectOptions {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::sqlite::SqliteConnectOptions),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::postgres::PgConnectOptions),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::mysql::MySqlConnectOptions),
}

/// A URL's options, with Prisma's pool parameters (`connection_limit`, `pool_timeout`)
/// taken out of it.
pub(crate) struct UrlOptions {
    pub connect: ConnectOptions,
    pub max_connections: Option<u32>,
    pub acquire_timeout: Option<Duration>,
    /// An in-memory SQLite database: one connection is all of it (a second would be another).
    pub in_memory: bool,
}

impl ConnectOptions {
    pub(crate) fn from_url(url: &str) -> Result<UrlOptions, Error> {
        let dialect = dialect_of_url(url)?;
        let (stripped, max_connections, acquire_timeout) = pool_params(url)?;
        let bad_url = |e: sqlx::Error| Error::InvalidUrl(format!("{}: {e}", redact(url)));
        let (connect, in_memory) = match dialect {
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => {
                let (options, in_memory) = sqlite::connect_options(&stripped).map_err(bad_url)?;
                (ConnectOptions::Sqlite(options), in_memory)
            }
            #[cfg(feature = "postgres")]
            Dialect::Postgres => {
                (ConnectOptions::Postgres(postgres::connect_options(&stripped).map_err(bad_url)?), false)
            }
            #[cfg(feature = "mysql")]
            Dialect::Mysql => (ConnectOptions::Mysql(mysql::connect_options(&stripped).map_err(bad_url)?), false),
            #[allow(unreachable_patterns)]
            other => return Err(Error::InvalidUrl(format!("this build of orm-runtime has no {other:?} backend"))),
        };
        Ok(UrlOptions { connect, max_connections, acquire_timeout, in_memory })
    }
}

/// Takes Prisma's pool parameters (`connection_limit`, `pool_timeout`) out of the URL, leaving
/// the rest for the driver.
fn pool_params(url: &str) -> Result<(String, Option<u32>, Option<Duration>), Error> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_owned(), None, None)) };
    let (mut max, mut timeout, mut kept) = (None, None, Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number =
            || value.parse::<u64>().map_err(|_| Error::InvalidUrl(format!("`{key}={value}` must be a whole number")));
        match key {
            "connection_limit" => max = Some(u32::try_from(number()?).unwrap_or(u32::MAX)),
            "pool_timeout" => timeout = Some(Duration::from_secs(number()?)),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, max, timeout))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Binds `binds` in order: the values every driver encodes alike here, the rest (nulls,
/// decimals, date-times, JSON, lists: where the backends' storage differs) through `own`, the
/// backend's own binder.
fn bind_all<DB: sqlx::Database>(
    binds: Vec<Value>,
    mut own: impl FnMut(&mut DB::Arguments, Value) -> Result<(), sqlx::error::BoxDynError>,
) -> Result<DB::Arguments, Error>
where
    for<'t> i32: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> f64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> bool: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> &'static str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Vec<u8>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    use sqlx::Arguments as _;
    let mut args = DB::Arguments::default();
    args.reserve(binds.len(), binds.len() * 8);
    for value in binds {
        match value {
            Value::Int(v) => args.add(v),
            Value::BigInt(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Boolean(v) => args.add(v),
            Value::String(v) => args.add(v),
            Value::Enum(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            other => own(&mut args, other),
        }
        .map_err(bind_error)?;
    }
    Ok(args)
}

fn bind_error(e: sqlx::error::BoxDynError) -> Error {
    Error::Validation(format!("a value could not be encoded: {e}"))
}

#[cfg(any(feature = "sqlite", feature = "mysql"))]
fn lists_unsupported() -> sqlx::error::BoxDynError {
    "scalar lists are only supported on PostgreSQL".into()
}

/// What a unique violation says about the constraint: its name, or (SQLite) its columns.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ViolatedUnique {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// Reads a unique violation's constraint out of whichever driver raised it.
pub(crate) fn violated_unique(e: &(dyn sqlx::error::DatabaseError + 'static)) -> ViolatedUnique {
    #[cfg(feature = "sqlite")]
    if let Some(found) = sqlite::violated_unique(e) {
        return found;
    }
    #[cfg(feature = "mysql")]
    if let Some(found) = mysql::violated_unique(e) {
        return found;
    }
    ViolatedUnique { name: e.constraint().map(str::to_owned), columns: Vec::new() }
}

/// Whether a database error is a foreign-key violation the driver doesn't classify as one.
pub(crate) fn is_unclassified_foreign_key_violation(e: &(dyn sqlx::error::DatabaseError + 'static)) -> bool {
    #[cfg(feature = "sqlite")]
    if sqlite::is_restrict_violation(e) {
        return true;
    }
    let _ = e;
    false
}

/// Decoding bounds that hold for every compiled backend, so `Row::get` can ask the driver for
/// a type without naming backends left out of the build.
pub trait Decode: DecodeSqlite + DecodePostgres + DecodeMysql + crate::json_row::FromCell {}
impl<T: DecodeSqlite + DecodePostgres + DecodeMysql + crate::json_row::FromCell> Decode for T {}

macro_rules! decode_bound {
    ($name:ident, $feature:literal, $db:ty) => {
        #[doc(hidden)]
        #[cfg(feature = $feature)]
        pub trait $name: for<'r> sqlx::Decode<'r, $db> + sqlx::Type<$db> {}
        #[cfg(feature = $feature)]
        impl<T: for<'r> sqlx::Decode<'r, $db> + sqlx::Type<$db>> $name for T {}
        #[doc(hidden)]
        #[cfg(not(feature = $feature))]
        pub trait $name {}
        #[cfg(not(feature = $feature))]
        impl<T> $name for T {}
    };
}
decode_bound!(DecodeSqlite, "sqlite", sqlx::Sqlite);
decode_bound!(DecodePostgres, "postgres", sqlx::Postgres);
decode_bound!(DecodeMysql, "mysql", sqlx::MySql);

/// The element types of PostgreSQL arrays (scalar lists), whether or not PostgreSQL is built.
#[doc(hidden)]
#[cfg(feature = "postgres")]
pub trait PgArrayElement:
    for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + sqlx::postgres::PgHasArrayType
{
}
#[cfg(feature = "postgres")]
impl<T> PgArrayElement for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + sqlx::postgres::PgHasArrayType
{
}
#[doc(hidden)]
#[cfg(not(feature = "postgres"))]
pub trait PgArrayElement {}
#[cfg(not(feature = "postgres"))]
impl<T> PgArrayElement for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(dialect_of_url("sqlite://dev.db").unwrap(), Dialect::Sqlite);
        assert_eq!(dialect_of_url("file:./dev.db").unwrap(), Dialect::Sqlite);
        assert_eq!(dialect_of_url("postgresql://u@h/db").unwrap(), Dialect::Postgres);
        assert_eq!(dialect_of_url("mariadb://root@h/db").unwrap(), Dialect::Mysql);
        let e = dialect_of_url("oracle://x").unwrap_err().to_string();
        assert!(e.contains("`oracle:` is not a supported database"), "{e}");
        assert!(dialect_of_url("dev.db").is_err());
    }

    /// Runs in CI's postgres-only build (`.ci/run`).
    #[cfg(not(feature = "sqlite"))]
    #[test]
    fn a_backend_left_out_is_an_invalid_url_naming_its_feature() {
        let e = dialect_of_url("sqlite:dev.db").unwrap_err();
        assert!(matches!(e, Error::InvalidUrl(_)), "{e:?}");
        assert!(e.to_string().contains("orm-runtime's `sqlite` feature"), "{e}");
        assert!(!compiled(Dialect::Sqlite));
    }

    #[test]
    fn pool_parameters_are_taken_out_of_the_url() {
        let (url, max, timeout) =
            pool_params("postgres://h/db?connection_limit=5&sslmode=disable&pool_timeout=2").unwrap();
        assert_eq!(url, "postgres://h/db?sslmode=disable");
        assert_eq!(max, Some(5));
        assert_eq!(timeout, Some(Duration::from_secs(2)));
        assert!(pool_params("postgres://h/db?connection_limit=many").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://me:secret@h:5432/db"), "postgres://me:***@h:5432/db");
        assert_eq!(redact("sqlite:dev.db"), "sqlite:dev.db");
    }
}
