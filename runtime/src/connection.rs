//! Connections: the backend chosen by the URL, the pool, transactions, and running one
//! rendered statement with its values bound.
//!
//! [`Db`] is what a generated `Client` wraps. It is either a pool or one open transaction; a
//! query takes a [`Conn`] from it for the few statements it needs (MySQL, lacking `RETURNING`,
//! reads back on the same connection), so the query code is the same in and out of a
//! transaction.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use orm_db_schema::Dialect;
use sqlx::pool::PoolConnection;
use sqlx::{Arguments as _, AssertSqlSafe, MySql, Postgres, Sqlite};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::Error;
use crate::model::Table;
use crate::row::Row;
use crate::sql::Sql;
use crate::value::{ScalarKind, Value};

/// A handle on the database: a pool, or (inside [`Db::transaction`]) one transaction. Cheap to
/// clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

enum Inner {
    Pool(Pool),
    /// The transaction, shared with [`Db::transaction`], which takes it out to end it.
    Transaction(Dialect, Arc<Mutex<Option<Tx>>>),
}

enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
    Mysql(sqlx::MySqlPool),
}

pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
    Mysql(sqlx::Transaction<'static, MySql>),
}

/// How a [`Db`] connects; see [`Db::builder`].
#[derive(Debug, Clone)]
pub struct DbBuilder {
    url: String,
    max_connections: Option<u32>,
    acquire_timeout: Option<Duration>,
}

/// Transaction isolation levels. SQLite transactions are always serializable, so SQLite
/// ignores the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsolationLevel {
    ReadUncommitted,
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl IsolationLevel {
    fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}

/// Which backend a URL names, from its scheme. SQLite accepts `sqlite://path`, `sqlite:path`
/// and Prisma's `file:path`.
pub fn dialect_of_url(url: &str) -> Result<Dialect, Error> {
    let scheme = url.split_once(':').map_or("", |(s, _)| s).to_ascii_lowercase();
    match scheme.as_str() {
        "sqlite" | "file" => Ok(Dialect::Sqlite),
        "postgres" | "postgresql" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::Mysql),
        "" => Err(Error::InvalidUrl(format!("`{url}` has no scheme; use sqlite:path, postgres://… or mysql://…"))),
        other => Err(Error::InvalidUrl(format!(
            "`{other}:` is not a supported database; use sqlite:path, postgres://… or mysql://…"
        ))),
    }
}

impl DbBuilder {
    /// The largest number of open connections (also `?connection_limit=` in the URL).
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = Some(n);
        self
    }

    /// How long a query waits for a free connection (also `?pool_timeout=` seconds in the URL).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = Some(timeout);
        self
    }

    pub async fn connect(self) -> Result<Db, Error> {
        let (options, max, timeout) = ConnectOptions::from_url(&self.url)?;
        let max = self.max_connections.or(max);
        let timeout = self.acquire_timeout.or(timeout);
        let pool = match options {
            ConnectOptions::Sqlite(options, memory) => {
                let max = if memory { Some(1) } else { max };
                let pool = pool_options(max, timeout).connect_with(options).await;
                Pool::Sqlite(pool.map_err(|e| connect_error(e, &self.url))?)
            }
            ConnectOptions::Postgres(options) => {
                let pool = pool_options(max, timeout).connect_with(options).await;
                Pool::Postgres(pool.map_err(|e| connect_error(e, &self.url))?)
            }
            ConnectOptions::Mysql(options) => {
                let pool = pool_options(max, timeout).connect_with(options).await;
                Pool::Mysql(pool.map_err(|e| connect_error(e, &self.url))?)
            }
        };
        Ok(Db { inner: Arc::new(Inner::Pool(pool)) })
    }
}

/// How to open one connection to the database a URL names (for a pool, or for the migration
/// runner's single session).
pub(crate) enum ConnectOptions {
    /// The options, and whether the database lives in memory (then one connection is all of it).
    Sqlite(sqlx::sqlite::SqliteConnectOptions, bool),
    Postgres(sqlx::postgres::PgConnectOptions),
    Mysql(sqlx::mysql::MySqlConnectOptions),
}

impl ConnectOptions {
    /// The options of `url`, and Prisma's pool parameters taken out of it. SQLite databases are
    /// created when missing and enforce foreign keys; PostgreSQL's `?schema=` (Prisma's) becomes
    /// the search path.
    pub(crate) fn from_url(url: &str) -> Result<(ConnectOptions, Option<u32>, Option<Duration>), Error> {
        let dialect = dialect_of_url(url)?;
        let (stripped, max, timeout) = pool_params(url)?;
        let bad_url = |e: sqlx::Error| Error::InvalidUrl(format!("{}: {e}", redact(url)));
        let options = match dialect {
            Dialect::Sqlite => {
                let url = stripped.strip_prefix("file:").map_or(stripped.clone(), |path| format!("sqlite:{path}"));
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                    .map_err(bad_url)?
                    .create_if_missing(true)
                    .foreign_keys(true);
                let memory = url.contains(":memory:") || url.contains("mode=memory");
                ConnectOptions::Sqlite(options, memory)
            }
            Dialect::Postgres => {
                let (rest, schema) = take_param(&stripped, "schema");
                let mut options = sqlx::postgres::PgConnectOptions::from_str(&rest).map_err(bad_url)?;
                if let Some(schema) = schema {
                    options = options.options([("search_path", schema)]);
                }
                ConnectOptions::Postgres(options)
            }
            Dialect::Mysql => {
                let url = stripped.strip_prefix("mariadb:").map_or(stripped.clone(), |rest| format!("mysql:{rest}"));
                ConnectOptions::Mysql(sqlx::mysql::MySqlConnectOptions::from_str(&url).map_err(bad_url)?)
            }
        };
        Ok((options, max, timeout))
    }
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

fn pool_options<DB: sqlx::Database>(max: Option<u32>, timeout: Option<Duration>) -> sqlx::pool::PoolOptions<DB> {
    let mut options = sqlx::pool::PoolOptions::<DB>::new();
    if let Some(max) = max {
        options = options.max_connections(max.max(1));
    }
    if let Some(timeout) = timeout {
        options = options.acquire_timeout(timeout);
    }
    options
}

pub(crate) fn connect_error(e: sqlx::Error, url: &str) -> Error {
    match Error::from_sqlx(e, None) {
        Error::Connection(m) => Error::Connection(format!("{}: {m}", redact(url))),
        Error::Timeout(m) => Error::Timeout(format!("{}: {m}", redact(url))),
        other => other,
    }
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

/// What an executed statement reports.
pub(crate) struct Done {
    pub rows_affected: u64,
    pub last_insert_id: Option<i64>,
}

/// A connection held for the statements of one query.
pub(crate) enum Conn<'a> {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
    Mysql(PoolConnection<MySql>),
    Transaction(MutexGuard<'a, Option<Tx>>),
}

impl Db {
    /// Connects with default pool settings; the URL's scheme picks the backend.
    pub async fn connect(url: &str) -> Result<Db, Error> {
        Db::builder(url).connect().await
    }

    pub fn builder(url: impl Into<String>) -> DbBuilder {
        DbBuilder { url: url.into(), max_connections: None, acquire_timeout: None }
    }

    pub fn dialect(&self) -> Dialect {
        match &*self.inner {
            Inner::Pool(Pool::Sqlite(_)) => Dialect::Sqlite,
            Inner::Pool(Pool::Postgres(_)) => Dialect::Postgres,
            Inner::Pool(Pool::Mysql(_)) => Dialect::Mysql,
            Inner::Transaction(d, _) => *d,
        }
    }

    pub(crate) async fn conn(&self) -> Result<Conn<'_>, Error> {
        let conn = match &*self.inner {
            Inner::Pool(Pool::Sqlite(p)) => Conn::Sqlite(p.acquire().await.map_err(|e| Error::from_sqlx(e, None))?),
            Inner::Pool(Pool::Postgres(p)) => Conn::Postgres(p.acquire().await.map_err(|e| Error::from_sqlx(e, None))?),
            Inner::Pool(Pool::Mysql(p)) => Conn::Mysql(p.acquire().await.map_err(|e| Error::from_sqlx(e, None))?),
            Inner::Transaction(_, tx) => {
                let guard = tx.lock().await;
                if guard.is_none() {
                    return Err(Error::Validation("this transaction has already been committed or rolled back".into()));
                }
                Conn::Transaction(guard)
            }
        };
        Ok(conn)
    }

    /// Closes the pool's connections, waiting for queries in flight.
    pub async fn close(&self) {
        match &*self.inner {
            Inner::Pool(Pool::Sqlite(p)) => p.close().await,
            Inner::Pool(Pool::Postgres(p)) => p.close().await,
            Inner::Pool(Pool::Mysql(p)) => p.close().await,
            Inner::Transaction(..) => {}
        }
    }

    /// Runs `f` in a transaction: committed when it returns `Ok`, rolled back when it returns
    /// `Err` or panics. `f` gets a `Db` bound to the transaction; queries through it run inside.
    pub async fn transaction<T, E, F, Fut>(&self, isolation: Option<IsolationLevel>, f: F) -> Result<T, E>
    where
        F: FnOnce(Db) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        let slot = Arc::new(Mutex::new(Some(self.begin(isolation).await?)));
        let tx_db = Db { inner: Arc::new(Inner::Transaction(self.dialect(), Arc::clone(&slot))) };
        let outcome = AssertUnwindSafe(f(tx_db)).catch_unwind().await;
        let tx = slot.lock().await.take();
        match outcome {
            Ok(Ok(value)) => {
                if let Some(tx) = tx {
                    tx.commit().await.map_err(|e| Error::from_sqlx(e, None))?;
                }
                Ok(value)
            }
            Ok(Err(e)) => {
                if let Some(tx) = tx {
                    tx.rollback().await.map_err(|e| Error::from_sqlx(e, None))?;
                }
                Err(e)
            }
            Err(panic) => {
                if let Some(tx) = tx {
                    let _ = tx.rollback().await;
                }
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Runs `f` in a transaction, or in the current one when there is one: for queries of
    /// several statements that must all happen or none.
    pub(crate) async fn atomically<T, F, Fut>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(Db) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        match &*self.inner {
            Inner::Transaction(..) => f(self.clone()).await,
            Inner::Pool(_) => self.transaction(None, f).await,
        }
    }

    async fn begin(&self, isolation: Option<IsolationLevel>) -> Result<Tx, Error> {
        let err = |e| Error::from_sqlx(e, None);
        let Inner::Pool(pool) = &*self.inner else {
            return Err(Error::Validation("transactions don't nest: run the queries in the outer one".into()));
        };
        Ok(match (pool, isolation) {
            (Pool::Sqlite(p), _) => Tx::Sqlite(p.begin().await.map_err(err)?),
            (Pool::Postgres(p), None) => Tx::Postgres(p.begin().await.map_err(err)?),
            (Pool::Postgres(p), Some(level)) => {
                let begin = format!("BEGIN ISOLATION LEVEL {}", level.sql());
                Tx::Postgres(p.begin_with(AssertSqlSafe(begin)).await.map_err(err)?)
            }
            (Pool::Mysql(p), None) => Tx::Mysql(p.begin().await.map_err(err)?),
            (Pool::Mysql(p), Some(level)) => {
                // MySQL sets the level of the next transaction with a statement of its own.
                let mut conn = p.acquire().await.map_err(err)?;
                let set = format!("SET TRANSACTION ISOLATION LEVEL {}", level.sql());
                sqlx::query(AssertSqlSafe(set)).execute(&mut *conn).await.map_err(err)?;
                Tx::Mysql(sqlx::Transaction::begin(conn, None).await.map_err(err)?)
            }
        })
    }
}

impl Tx {
    async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
            Tx::Mysql(t) => t.commit().await,
        }
    }

    async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
            Tx::Mysql(t) => t.rollback().await,
        }
    }
}

enum Backend<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
    Mysql(&'c mut sqlx::MySqlConnection),
}

impl Conn<'_> {
    fn backend(&mut self) -> Backend<'_> {
        match self {
            Conn::Sqlite(c) => Backend::Sqlite(c),
            Conn::Postgres(c) => Backend::Postgres(c),
            Conn::Mysql(c) => Backend::Mysql(c),
            Conn::Transaction(guard) => match guard.as_mut().expect("checked when the guard was taken") {
                Tx::Sqlite(t) => Backend::Sqlite(t),
                Tx::Postgres(t) => Backend::Postgres(t),
                Tx::Mysql(t) => Backend::Mysql(t),
            },
        }
    }

    /// Runs a statement that returns rows.
    pub(crate) async fn fetch_all(&mut self, sql: Sql, table: Option<&'static Table>) -> Result<Vec<Row>, Error> {
        let started = Instant::now();
        let text = sql.text;
        let result = match self.backend() {
            Backend::Sqlite(c) => {
                let args = sqlite_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args)
                    .fetch_all(c)
                    .await
                    .map(|rows| rows.into_iter().map(Row::Sqlite).collect::<Vec<_>>())
            }
            Backend::Postgres(c) => {
                let args = postgres_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args)
                    .fetch_all(c)
                    .await
                    .map(|rows| rows.into_iter().map(Row::Postgres).collect())
            }
            Backend::Mysql(c) => {
                let args = mysql_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args)
                    .fetch_all(c)
                    .await
                    .map(|rows| rows.into_iter().map(Row::Mysql).collect())
            }
        };
        log(&text, started, result.as_ref().map(Vec::len));
        result.map_err(|e| Error::from_sqlx(e, table))
    }

    /// Runs a statement that returns no rows.
    pub(crate) async fn execute(&mut self, sql: Sql, table: Option<&'static Table>) -> Result<Done, Error> {
        let started = Instant::now();
        let text = sql.text;
        let result = match self.backend() {
            Backend::Sqlite(c) => {
                let args = sqlite_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args)
                    .execute(c)
                    .await
                    .map(|r| Done { rows_affected: r.rows_affected(), last_insert_id: Some(r.last_insert_rowid()) })
            }
            Backend::Postgres(c) => {
                let args = postgres_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args)
                    .execute(c)
                    .await
                    .map(|r| Done { rows_affected: r.rows_affected(), last_insert_id: None })
            }
            Backend::Mysql(c) => {
                let args = mysql_args(sql.binds)?;
                sqlx::query_with(AssertSqlSafe(text.as_str()), args).execute(c).await.map(|r| Done {
                    rows_affected: r.rows_affected(),
                    last_insert_id: i64::try_from(r.last_insert_id()).ok(),
                })
            }
        };
        log(&text, started, result.as_ref().map(|d| d.rows_affected as usize));
        result.map_err(|e| Error::from_sqlx(e, table))
    }
}

fn log(sql: &str, started: Instant, result: Result<usize, &sqlx::Error>) {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(rows) => tracing::debug!(target: "orm::query", sql, rows, elapsed_ms, "query"),
        Err(error) => tracing::debug!(target: "orm::query", sql, %error, elapsed_ms, "query failed"),
    }
}

fn bind_error(e: sqlx::error::BoxDynError) -> Error {
    Error::Validation(format!("a value could not be encoded: {e}"))
}

fn sqlite_args(binds: Vec<Value>) -> Result<sqlx::sqlite::SqliteArguments, Error> {
    let mut args = sqlx::sqlite::SqliteArguments::default();
    for value in binds {
        match value {
            Value::Null(_) => args.add(None::<i64>),
            Value::Int(v) => args.add(v),
            Value::BigInt(v) => args.add(v),
            Value::Float(v) => args.add(v),
            // SQLite has no decimal type: text, which the column's numeric affinity converts.
            Value::Decimal(v) => args.add(v.to_string()),
            Value::String(v) => args.add(v),
            Value::Boolean(v) => args.add(v),
            // Prisma's format: milliseconds since the epoch.
            Value::DateTime(v) => args.add(v.timestamp_millis()),
            Value::Json(v) => args.add(v.to_string()),
            Value::Bytes(v) => args.add(v),
            Value::Enum(v) => args.add(v),
            Value::List(..) => return Err(Error::Validation("scalar lists are only supported on PostgreSQL".into())),
        }
        .map_err(bind_error)?;
    }
    Ok(args)
}

fn mysql_args(binds: Vec<Value>) -> Result<sqlx::mysql::MySqlArguments, Error> {
    let mut args = sqlx::mysql::MySqlArguments::default();
    for value in binds {
        match value {
            Value::Null(_) => args.add(None::<i64>),
            Value::Int(v) => args.add(v),
            Value::BigInt(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Decimal(v) => args.add(v),
            Value::String(v) => args.add(v),
            Value::Boolean(v) => args.add(v),
            Value::DateTime(v) => args.add(v),
            Value::Json(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Enum(v) => args.add(v),
            Value::List(..) => return Err(Error::Validation("scalar lists are only supported on PostgreSQL".into())),
        }
        .map_err(bind_error)?;
    }
    Ok(args)
}

fn postgres_args(binds: Vec<Value>) -> Result<sqlx::postgres::PgArguments, Error> {
    let mut args = sqlx::postgres::PgArguments::default();
    for value in binds {
        match value {
            Value::Null(kind) => add_pg_null(&mut args, kind),
            Value::Int(v) => args.add(v),
            Value::BigInt(v) => args.add(v),
            Value::Float(v) => args.add(v),
            Value::Decimal(v) => args.add(v),
            Value::String(v) => args.add(v),
            Value::Boolean(v) => args.add(v),
            // Prisma's columns are `timestamp(3)`; the session's time zone is UTC.
            Value::DateTime(v) => args.add(v.naive_utc()),
            Value::Json(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Enum(v) => args.add(v),
            Value::List(kind, items) => add_pg_list(&mut args, kind, items),
        }
        .map_err(bind_error)?;
    }
    Ok(args)
}

/// PostgreSQL types every parameter, a null included.
fn add_pg_null(args: &mut sqlx::postgres::PgArguments, kind: ScalarKind) -> Result<(), sqlx::error::BoxDynError> {
    match kind {
        ScalarKind::Int => args.add(None::<i32>),
        ScalarKind::BigInt => args.add(None::<i64>),
        ScalarKind::Float => args.add(None::<f64>),
        ScalarKind::Decimal => args.add(None::<rust_decimal::Decimal>),
        ScalarKind::String | ScalarKind::Enum => args.add(None::<String>),
        ScalarKind::Boolean => args.add(None::<bool>),
        ScalarKind::DateTime => args.add(None::<chrono::NaiveDateTime>),
        ScalarKind::Json => args.add(None::<serde_json::Value>),
        ScalarKind::Bytes => args.add(None::<Vec<u8>>),
    }
}

fn add_pg_list(
    args: &mut sqlx::postgres::PgArguments,
    kind: ScalarKind,
    items: Vec<Value>,
) -> Result<(), sqlx::error::BoxDynError> {
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
