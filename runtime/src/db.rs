//! The handle on a database: the pool (its backend chosen by the URL), transactions, and
//! running one rendered statement with its values bound.
//!
//! [`Db`] is what a generated `Client` wraps. It is either a pool or one open transaction; a
//! query takes a [`Conn`] from it for the few statements it needs (MySQL, lacking `RETURNING`,
//! reads back on the same connection), so the query code is the same in and out of a
//! transaction. Running a statement is written once, generic over [`Backend`]; what a driver
//! does its own way is in `backend/`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use orm_db_schema::Dialect;
use sqlx::{AssertSqlSafe, Executor};
use tokio::sync::{Mutex, MutexGuard};

use crate::backend::{Backend, ConnectOptions, Done, UrlOptions, dispatch, redact};
use crate::error::Error;
use crate::model::Table;
use crate::pool;
use crate::query::Sql;
use crate::row::Row;

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
    #[cfg(feature = "sqlite")]
    Sqlite(pool::Pool<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(pool::Pool<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    Mysql(pool::Pool<sqlx::MySql>),
}

pub(crate) enum Tx {
    #[cfg(feature = "sqlite")]
    Sqlite(pool::Transaction<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(pool::Transaction<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    Mysql(pool::Transaction<sqlx::MySql>),
}

/// sqlx's defaults, which these pools had before they were deadpool's.
const DEFAULT_MAX_CONNECTIONS: u32 = 10;
const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

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
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
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
        let UrlOptions { connect, max_connections, acquire_timeout, in_memory } = ConnectOptions::from_url(&self.url)?;
        let max = if in_memory { Some(1) } else { self.max_connections.or(max_connections) };
        let max = max.unwrap_or(DEFAULT_MAX_CONNECTIONS).max(1) as usize;
        let timeout = self.acquire_timeout.or(acquire_timeout).unwrap_or(DEFAULT_ACQUIRE_TIMEOUT);
        let pool = match connect {
            #[cfg(feature = "sqlite")]
            ConnectOptions::Sqlite(o) => Pool::Sqlite(build_pool(o, max, timeout)?),
            #[cfg(feature = "postgres")]
            ConnectOptions::Postgres(o) => Pool::Postgres(build_pool(o, max, timeout)?),
            #[cfg(feature = "mysql")]
            ConnectOptions::Mysql(o) => Pool::Mysql(build_pool(o, max, timeout)?),
        };
        let db = Db { inner: Arc::new(Inner::Pool(pool)) };
        // One connection now, so that a bad URL or an unreachable server fails here.
        db.conn().await.map_err(|e| naming_url(e, &self.url))?;
        Ok(db)
    }
}

fn build_pool<B: Backend>(
    options: <B::Connection as sqlx::Connection>::Options,
    max: usize,
    timeout: Duration,
) -> Result<pool::Pool<B>, Error> {
    pool::Pool::builder(pool::Manager::new(options))
        .max_size(max)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| Error::Connection(format!("the connection pool: {e}")))
}

/// A connection the pool could not lend.
fn pool_error<B: Backend>(e: deadpool::managed::PoolError<sqlx::Error>, pool: &pool::Pool<B>) -> Error {
    use deadpool::managed::{PoolError, TimeoutType};
    match e {
        PoolError::Backend(e) => Error::from_sqlx(e, None),
        PoolError::Timeout(TimeoutType::Create) => Error::Timeout(format!(
            "no connection to the database within {:?}",
            pool.timeouts().create.unwrap_or(DEFAULT_ACQUIRE_TIMEOUT)
        )),
        PoolError::Timeout(_) => Error::Timeout(format!(
            "no connection was free within {:?}: all {} of the pool's connections were busy \
             (raise `connection_limit` or `pool_timeout` in the URL)",
            pool.timeouts().wait.unwrap_or(DEFAULT_ACQUIRE_TIMEOUT),
            pool.status().max_size
        )),
        PoolError::Closed => Error::Connection("the client was closed".into()),
        other => Error::Connection(other.to_string()),
    }
}

/// A connection failure, naming the URL (without its password).
#[cfg(feature = "migrate")]
pub(crate) fn connect_error(e: sqlx::Error, url: &str) -> Error {
    naming_url(Error::from_sqlx(e, None), url)
}

fn naming_url(e: Error, url: &str) -> Error {
    match e {
        Error::Connection(m) => Error::Connection(format!("{}: {m}", redact(url))),
        Error::Timeout(m) => Error::Timeout(format!("{}: {m}", redact(url))),
        other => other,
    }
}

/// A connection held for the statements of one query.
pub(crate) enum Conn<'a> {
    Pooled(Pooled),
    Transaction(MutexGuard<'a, Option<Tx>>),
}

pub(crate) enum Pooled {
    #[cfg(feature = "sqlite")]
    Sqlite(pool::Object<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(pool::Object<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    Mysql(pool::Object<sqlx::MySql>),
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
            Inner::Pool(pool) => dispatch!(pool, Pool, _, DB => <DB as Backend>::DIALECT),
            Inner::Transaction(d, _) => *d,
        }
    }

    pub(crate) async fn conn(&self) -> Result<Conn<'_>, Error> {
        match &*self.inner {
            Inner::Pool(pool) => Ok(Conn::Pooled(match pool {
                #[cfg(feature = "sqlite")]
                Pool::Sqlite(p) => Pooled::Sqlite(p.get().await.map_err(|e| pool_error(e, p))?),
                #[cfg(feature = "postgres")]
                Pool::Postgres(p) => Pooled::Postgres(p.get().await.map_err(|e| pool_error(e, p))?),
                #[cfg(feature = "mysql")]
                Pool::Mysql(p) => Pooled::Mysql(p.get().await.map_err(|e| pool_error(e, p))?),
            })),
            Inner::Transaction(_, tx) => {
                let guard = tx.lock().await;
                if guard.is_none() {
                    return Err(Error::Validation("this transaction has already been committed or rolled back".into()));
                }
                Ok(Conn::Transaction(guard))
            }
        }
    }

    /// Closes the pool: its idle connections now, the ones in use when they are given back.
    pub async fn close(&self) {
        if let Inner::Pool(pool) = &*self.inner {
            dispatch!(pool, Pool, p, _DB => p.close());
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
        let err = |e| Error::from_sqlx(e, None);
        match outcome {
            Ok(Ok(value)) => {
                if let Some(tx) = tx {
                    dispatch!(tx, Tx, t, _DB => t.commit().await).map_err(err)?;
                }
                Ok(value)
            }
            Ok(Err(e)) => {
                if let Some(tx) = tx {
                    dispatch!(tx, Tx, t, _DB => t.rollback().await).map_err(err)?;
                }
                Err(e)
            }
            Err(panic) => {
                if let Some(tx) = tx {
                    let _ = dispatch!(tx, Tx, t, _DB => t.rollback().await);
                }
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Runs `f` in a transaction, or in a savepoint of the current one when there is one: for
    /// queries of several statements that must all happen or none, even when the application
    /// handles the error and commits its own transaction.
    pub(crate) async fn atomically<T, F, Fut>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(Db) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        match &*self.inner {
            Inner::Transaction(dialect, _) => {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let name = dialect.quote_identifier(&format!("orm_{n}"));
                let run = |text: String| async move {
                    self.conn().await?.execute(Sql { text, binds: Vec::new() }, None).await.map(|_| ())
                };
                run(format!("SAVEPOINT {name}")).await?;
                match f(self.clone()).await {
                    Ok(value) => {
                        run(format!("RELEASE SAVEPOINT {name}")).await?;
                        Ok(value)
                    }
                    Err(e) => {
                        // The error is what the caller must see; a failed rollback to the
                        // savepoint leaves the transaction to the caller's rollback.
                        let _ = run(format!("ROLLBACK TO SAVEPOINT {name}")).await;
                        Err(e)
                    }
                }
            }
            Inner::Pool(_) => self.transaction(None, f).await,
        }
    }

    async fn begin(&self, isolation: Option<IsolationLevel>) -> Result<Tx, Error> {
        let err = |e| Error::from_sqlx(e, None);
        let Inner::Pool(pool) = &*self.inner else {
            return Err(Error::Validation("transactions don't nest: run the queries in the outer one".into()));
        };
        Ok(match (pool, isolation) {
            #[cfg(feature = "sqlite")]
            (Pool::Sqlite(p), _) => {
                let link = p.get().await.map_err(|e| pool_error(e, p))?;
                Tx::Sqlite(pool::Transaction::begin(link, None).await.map_err(err)?)
            }
            #[cfg(feature = "postgres")]
            (Pool::Postgres(p), level) => {
                let link = p.get().await.map_err(|e| pool_error(e, p))?;
                let begin = level.map(|level| format!("BEGIN ISOLATION LEVEL {}", level.sql()));
                Tx::Postgres(pool::Transaction::begin(link, begin).await.map_err(err)?)
            }
            #[cfg(feature = "mysql")]
            (Pool::Mysql(p), level) => {
                let mut link = p.get().await.map_err(|e| pool_error(e, p))?;
                if let Some(level) = level {
                    // MySQL sets the level of the next transaction with a statement of its own.
                    let set = format!("SET TRANSACTION ISOLATION LEVEL {}", level.sql());
                    sqlx::query(AssertSqlSafe(set)).execute(&mut link.conn).await.map_err(err)?;
                }
                Tx::Mysql(pool::Transaction::begin(link, None).await.map_err(err)?)
            }
        })
    }
}

/// The driver connection under a [`Conn`], whichever backend.
enum Raw<'c> {
    #[cfg(feature = "sqlite")]
    Sqlite(&'c mut sqlx::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(&'c mut sqlx::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(&'c mut sqlx::MySqlConnection),
}

impl Conn<'_> {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::Pooled(pooled) => match pooled {
                #[cfg(feature = "sqlite")]
                Pooled::Sqlite(link) => Raw::Sqlite(&mut link.conn),
                #[cfg(feature = "postgres")]
                Pooled::Postgres(link) => Raw::Postgres(&mut link.conn),
                #[cfg(feature = "mysql")]
                Pooled::Mysql(link) => Raw::Mysql(&mut link.conn),
            },
            Conn::Transaction(guard) => match guard.as_mut().expect("checked when the guard was taken") {
                #[cfg(feature = "sqlite")]
                Tx::Sqlite(t) => Raw::Sqlite(t.conn()),
                #[cfg(feature = "postgres")]
                Tx::Postgres(t) => Raw::Postgres(t.conn()),
                #[cfg(feature = "mysql")]
                Tx::Mysql(t) => Raw::Mysql(t.conn()),
            },
        }
    }

    /// Marks a pooled connection to be pinged before it is lent again: set while a statement
    /// runs (so a query future dropped half-way leaves it marked), cleared unless the statement
    /// failed (the failure may have been the connection's).
    fn suspect(&mut self, suspect: bool) {
        if let Conn::Pooled(pooled) = self {
            dispatch!(pooled, Pooled, link, _DB => link.suspect = suspect);
        }
    }

    /// Runs a statement that returns rows.
    pub(crate) async fn fetch_all(&mut self, sql: Sql, table: Option<&'static Table>) -> Result<Vec<Row>, Error> {
        let started = Instant::now();
        let text = sql.text;
        self.suspect(true);
        let result = dispatch!(self.raw(), Raw, c, DB => fetch::<DB>(c, &text, sql.binds).await);
        // A value that could not be bound: nothing was sent.
        let result = result.inspect_err(|_| self.suspect(false))?;
        log(&text, started, result.as_ref().map(Vec::len));
        self.suspect(result.is_err());
        result.map_err(|e| Error::from_sqlx(e, table))
    }

    /// Runs a statement that returns no rows.
    pub(crate) async fn execute(&mut self, sql: Sql, table: Option<&'static Table>) -> Result<Done, Error> {
        let started = Instant::now();
        let text = sql.text;
        self.suspect(true);
        let result = dispatch!(self.raw(), Raw, c, DB => execute::<DB>(c, &text, sql.binds).await);
        // A value that could not be bound: nothing was sent.
        let result = result.inspect_err(|_| self.suspect(false))?;
        log(&text, started, result.as_ref().map(|d| d.rows_affected as usize));
        self.suspect(result.is_err());
        result.map_err(|e| Error::from_sqlx(e, table))
    }
}

/// The outer error is a value that could not be bound (nothing was sent); the inner one the
/// database's.
async fn fetch<B: Backend>(
    c: &mut B::Connection,
    text: &str,
    binds: Vec<crate::Value>,
) -> Result<Result<Vec<Row>, sqlx::Error>, Error>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
    B::Arguments: sqlx::IntoArguments<B>,
{
    let args = B::arguments(binds)?;
    Ok(sqlx::query_with(AssertSqlSafe(text), args)
        .fetch_all(c)
        .await
        .map(|rows| rows.into_iter().map(B::row).collect()))
}

async fn execute<B: Backend>(
    c: &mut B::Connection,
    text: &str,
    binds: Vec<crate::Value>,
) -> Result<Result<Done, sqlx::Error>, Error>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
    B::Arguments: sqlx::IntoArguments<B>,
{
    let args = B::arguments(binds)?;
    Ok(sqlx::query_with(AssertSqlSafe(text), args).execute(c).await.map(|r| B::done(&r)))
}

fn log(sql: &str, started: Instant, result: Result<usize, &sqlx::Error>) {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(rows) => tracing::debug!(target: "orm::query", sql, rows, elapsed_ms, "query"),
        Err(error) => tracing::debug!(target: "orm::query", sql, %error, elapsed_ms, "query failed"),
    }
}
