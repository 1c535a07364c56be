//! The connection pool: deadpool's, holding sqlx connections.
//!
//! Why not sqlx's own pool: it pings a connection when it lends it (by default) and again when
//! it takes it back, so every query through it costs three round trips where hand-written sqlx
//! on one connection costs one (BENCHMARKS.md: a one-row read took 2.9× as long on
//! PostgreSQL). This pool sends nothing but the queries. A connection is checked (pinged) when
//! it is lent again only if it has come back suspect (its last statement failed or was dropped
//! half-way, or a transaction on it was dropped unfinished) or has sat idle long enough for a server or a
//! proxy to have closed it; one that fails the check is closed and replaced.

use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleResult};
use sqlx::{ConnectOptions as _, Connection as _};
use sqlx_core::sql_str::SqlSafeStr as _;
use sqlx_core::transaction::TransactionManager as _;

use crate::backend::Backend;

/// How long a connection may sit idle before it is pinged when lent again.
const IDLE_CHECK: Duration = Duration::from_secs(10);

pub(crate) type Pool<B> = managed::Pool<Manager<B>>;
pub(crate) type Object<B> = managed::Object<Manager<B>>;

/// A pooled connection, and whether it must be checked before it is lent again.
pub(crate) struct Link<C> {
    pub conn: C,
    pub suspect: bool,
}

/// Opens and checks the connections of one backend.
pub(crate) struct Manager<B: Backend> {
    options: <B::Connection as sqlx::Connection>::Options,
}

impl<B: Backend> Manager<B> {
    pub(crate) fn new(options: <B::Connection as sqlx::Connection>::Options) -> Self {
        Manager { options }
    }
}

impl<B: Backend> managed::Manager for Manager<B> {
    type Type = Link<B::Connection>;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Link<B::Connection>, sqlx::Error> {
        let mut conn = self.options.connect().await?;
        B::after_connect(&mut conn).await?;
        Ok(Link { conn, suspect: false })
    }

    async fn recycle(&self, link: &mut Link<B::Connection>, metrics: &Metrics) -> RecycleResult<sqlx::Error> {
        if link.conn.is_in_transaction() {
            // A query future dropped half-way through a transaction's statement.
            B::TransactionManager::rollback(&mut link.conn).await?;
        }
        if link.suspect || metrics.last_used() >= IDLE_CHECK {
            // Also sends what is queued (the rollback of a dropped transaction).
            link.conn.ping().await?;
            link.suspect = false;
        }
        Ok(())
    }
}

/// A transaction on a connection taken out of the pool for as long as it lasts.
pub(crate) struct Transaction<B: Backend> {
    link: Option<Object<B>>,
}

impl<B: Backend> Transaction<B> {
    /// `BEGIN`, or `begin` when given (an isolation level).
    pub(crate) async fn begin(mut link: Object<B>, begin: Option<String>) -> Result<Self, sqlx::Error> {
        let statement = begin.map(|s| sqlx::AssertSqlSafe(s).into_sql_str());
        B::TransactionManager::begin(&mut link.conn, statement).await?;
        Ok(Transaction { link: Some(link) })
    }

    pub(crate) fn conn(&mut self) -> &mut B::Connection {
        &mut self.link.as_mut().expect("a transaction holds its connection until it ends").conn
    }

    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        B::TransactionManager::commit(self.conn()).await
    }

    pub(crate) async fn rollback(mut self) -> Result<(), sqlx::Error> {
        B::TransactionManager::rollback(self.conn()).await
    }
}

impl<B: Backend> Drop for Transaction<B> {
    /// A transaction dropped unfinished (its future cancelled, or its commit failed) is rolled
    /// back: at once in a task when there is a runtime, else before the connection is lent again.
    fn drop(&mut self) {
        let Some(mut link) = self.link.take() else { return };
        if !link.conn.is_in_transaction() {
            return;
        }
        B::TransactionManager::start_rollback(&mut link.conn);
        link.suspect = true;
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if link.conn.ping().await.is_ok() {
                    link.suspect = false;
                } else {
                    drop(managed::Object::take(link));
                }
            });
        }
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use std::time::Duration;

    use crate::{Db, Error};

    fn file_url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}?mode=rwc", dir.path().join("pool.db").display())
    }

    #[tokio::test]
    async fn a_busy_pool_times_out_naming_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::builder(file_url(&dir))
            .max_connections(1)
            .acquire_timeout(Duration::from_millis(100))
            .connect()
            .await
            .unwrap();
        let holder = db.transaction(None, |_tx| async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            Ok::<_, Error>(())
        });
        let waiter = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            db.raw("SELECT 1").fetch_all::<(i64,)>().await
        };
        let (held, waited) = tokio::join!(holder, waiter);
        held.unwrap();
        match waited {
            Err(Error::Timeout(message)) => {
                assert!(message.contains("all 1 of the pool's connections were busy"), "{message}")
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        // Once the transaction ends, the connection is lent again.
        assert_eq!(db.raw("SELECT 1").fetch_all::<(i64,)>().await.unwrap(), vec![(1,)]);
    }

    #[tokio::test]
    async fn a_transaction_dropped_half_way_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::builder(file_url(&dir)).max_connections(1).connect().await.unwrap();
        db.raw("CREATE TABLE t (x INTEGER)").execute().await.unwrap();
        let cancelled = tokio::time::timeout(
            Duration::from_millis(100),
            db.transaction(None, |tx| async move {
                tx.raw("INSERT INTO t VALUES (1)").execute().await?;
                std::future::pending::<()>().await;
                Ok::<_, Error>(())
            }),
        )
        .await;
        assert!(cancelled.is_err(), "the transaction never ends by itself");
        // The one connection comes back outside any transaction: the insert is gone, and what
        // is written next is committed (another client sees it).
        assert_eq!(db.raw("SELECT count(*) FROM t").fetch_all::<(i64,)>().await.unwrap(), vec![(0,)]);
        db.raw("INSERT INTO t VALUES (2)").execute().await.unwrap();
        let other = Db::connect(&file_url(&dir)).await.unwrap();
        assert_eq!(other.raw("SELECT x FROM t").fetch_all::<(i64,)>().await.unwrap(), vec![(2,)]);
    }

    #[tokio::test]
    async fn a_statement_dropped_half_way_leaves_the_connection_usable() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) \
                    SELECT count(*) FROM n";
        let cancelled = tokio::time::timeout(Duration::from_millis(20), db.raw(slow).fetch_all::<(i64,)>()).await;
        assert!(cancelled.is_err(), "the statement outlasts the timeout");
        // The connection came back marked, was pinged when lent again, and answers.
        assert_eq!(db.raw("SELECT 1").fetch_all::<(i64,)>().await.unwrap(), vec![(1,)]);
    }

    #[tokio::test]
    async fn a_failed_statement_leaves_the_connection_usable() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        db.raw("CREATE TABLE t (x INTEGER)").execute().await.unwrap();
        assert!(db.raw("SELECT * FROM missing").execute().await.is_err());
        // The suspect connection is pinged and lent again: the in-memory database is still there.
        assert_eq!(db.raw("SELECT count(*) FROM t").fetch_all::<(i64,)>().await.unwrap(), vec![(0,)]);
    }
}
