//! One connection to the database being migrated, and everything the runner says to it: the
//! lock, the history table, a statement of a migration, a reset.
//!
//! A pool would not do: PostgreSQL's and MySQL's advisory locks belong to the session that
//! took them, and SQLite's write lock to the transaction. History values are bound, names
//! quoted by the dialect; migration statements are sent as written (they are the user's SQL).

use orm_db_schema::Dialect;
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};

use super::MigrateError;
use crate::backend::{Backend, ConnectOptions, dispatch};
use crate::db::connect_error;
use crate::error::Error;

pub(crate) enum Session {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::MySqlConnection),
}

/// Runs `$body` with `$c` bound to the connection, whatever the backend.
macro_rules! each {
    ($session:expr, $c:ident => $body:expr) => {
        dispatch!($session, Session, $c, _DB => $body)
    };
}

/// The one connection of a [`super::Migrator`], for tooling that reads the database it
/// migrates (introspection, in `orm-migrate`).
pub enum Connection<'a> {
    #[cfg(feature = "sqlite")]
    Sqlite(&'a mut sqlx::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(&'a mut sqlx::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(&'a mut sqlx::MySqlConnection),
}

/// The history table: Prisma's, so a database Prisma migrated keeps its history.
pub const HISTORY_TABLE: &str = "_prisma_migrations";

/// The key of the PostgreSQL advisory lock (per database).
#[cfg(feature = "postgres")]
const PG_LOCK_KEY: i64 = 72_707_369;

/// MySQL's lock name: one per database (`GET_LOCK` names are server-wide).
#[cfg(feature = "mysql")]
const MYSQL_LOCK_NAME: &str = "LEFT(CONCAT('orm_migrate:', IFNULL(DATABASE(), '')), 64)";

/// How long a run waits for another one to finish (MySQL's `GET_LOCK`, SQLite's busy timeout).
#[cfg(any(feature = "sqlite", feature = "mysql"))]
const LOCK_WAIT_SECONDS: i32 = 3600;

/// A row of the history table.
#[derive(Debug, Clone)]
pub(crate) struct HistoryRow {
    pub checksum: String,
    pub name: String,
    pub finished: bool,
    pub rolled_back: bool,
    pub logs: Option<String>,
    pub applied_steps_count: i32,
}

fn db_error(e: sqlx::Error) -> MigrateError {
    MigrateError::Database(Error::from_sqlx(e, None))
}

impl Session {
    pub(crate) async fn connect(url: &str) -> Result<Session, MigrateError> {
        let connected = match ConnectOptions::from_url(url)?.connect {
            #[cfg(feature = "sqlite")]
            ConnectOptions::Sqlite(o) => o.connect().await.map(Session::Sqlite),
            #[cfg(feature = "postgres")]
            ConnectOptions::Postgres(o) => o.connect().await.map(Session::Postgres),
            #[cfg(feature = "mysql")]
            ConnectOptions::Mysql(o) => o.connect().await.map(Session::Mysql),
        };
        connected.map_err(|e| MigrateError::Database(connect_error(e, url)))
    }

    pub(crate) fn dialect(&self) -> Dialect {
        dispatch!(self, Session, _, DB => <DB as Backend>::DIALECT)
    }

    pub(crate) fn connection(&mut self) -> Connection<'_> {
        match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(c) => Connection::Sqlite(c),
            #[cfg(feature = "postgres")]
            Session::Postgres(c) => Connection::Postgres(c),
            #[cfg(feature = "mysql")]
            Session::Mysql(c) => Connection::Mysql(c),
        }
    }

    pub(crate) async fn close(self) {
        let _ = each!(self, c => c.close().await);
    }

    /// Sends one statement as it is written (no values to bind).
    pub(crate) async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        each!(self, c => sqlx::raw_sql(sql).execute(&mut *c).await.map(|_| ()))
    }

    async fn run(&mut self, sql: &str) -> Result<(), MigrateError> {
        self.execute(sql).await.map_err(db_error)
    }

    /// Takes the migration lock, waiting while another run holds it. On SQLite this opens the
    /// write transaction the whole run happens in (each migration in a savepoint of its own),
    /// with foreign keys off, as a table rebuild needs; [`Session::unlock`] commits it.
    pub(crate) async fn lock(&mut self) -> Result<(), MigrateError> {
        match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(_) => {
                self.run(&format!("PRAGMA busy_timeout = {}", LOCK_WAIT_SECONDS * 1000)).await?;
                self.run("PRAGMA foreign_keys = OFF").await?;
                self.run("BEGIN IMMEDIATE").await
            }
            #[cfg(feature = "postgres")]
            Session::Postgres(c) => {
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(PG_LOCK_KEY)
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
            #[cfg(feature = "mysql")]
            Session::Mysql(c) => {
                let got: Option<i64> =
                    sqlx::query_scalar(AssertSqlSafe(format!("SELECT GET_LOCK({MYSQL_LOCK_NAME}, ?)")))
                        .bind(LOCK_WAIT_SECONDS)
                        .fetch_one(&mut *c)
                        .await
                        .map_err(db_error)?;
                match got {
                    Some(1) => Ok(()),
                    _ => Err(MigrateError::Database(Error::Timeout(format!(
                        "another migration run held the lock for {LOCK_WAIT_SECONDS} seconds"
                    )))),
                }
            }
        }
    }

    /// Releases the lock (commits SQLite's run).
    pub(crate) async fn unlock(&mut self) -> Result<(), MigrateError> {
        match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(_) => {
                self.run("COMMIT").await?;
                self.run("PRAGMA foreign_keys = ON").await
            }
            #[cfg(feature = "postgres")]
            Session::Postgres(c) => {
                sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(PG_LOCK_KEY)
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
            #[cfg(feature = "mysql")]
            Session::Mysql(c) => {
                sqlx::query(AssertSqlSafe(format!("SELECT RELEASE_LOCK({MYSQL_LOCK_NAME})")))
                    .execute(&mut *c)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
        }
    }

    /// Gives the lock up after a failure: SQLite's run is rolled back.
    pub(crate) async fn abandon(&mut self) {
        let _ = match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(_) => self.run("ROLLBACK").await,
            #[allow(unreachable_patterns)]
            _ => self.unlock().await,
        };
    }

    /// Creates the history table as Prisma creates it, column for column (types included, so
    /// Prisma reads the rows back and `db pull` sees the same table either way).
    pub(crate) async fn ensure_history(&mut self) -> Result<(), MigrateError> {
        let sql = match self.dialect() {
            Dialect::Sqlite => {
                r#"CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)"#
            }
            Dialect::Postgres => {
                r#"CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)"#
            }
            Dialect::Mysql => {
                r#"CREATE TABLE IF NOT EXISTS `_prisma_migrations` (
    `id`                    VARCHAR(36) PRIMARY KEY NOT NULL,
    `checksum`              VARCHAR(64) NOT NULL,
    `finished_at`           DATETIME(3),
    `migration_name`        VARCHAR(255) NOT NULL,
    `logs`                  TEXT,
    `rolled_back_at`        DATETIME(3),
    `started_at`            DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `applied_steps_count`   INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"#
            }
        };
        self.run(sql).await
    }

    /// Whether the history table exists (status reads without creating it).
    pub(crate) async fn has_history(&mut self) -> Result<bool, MigrateError> {
        let found: Option<i64> = match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(c) => sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
                .bind(HISTORY_TABLE)
                .fetch_optional(&mut *c)
                .await
                .map_err(db_error)?
                .map(|v: i32| i64::from(v)),
            #[cfg(feature = "postgres")]
            Session::Postgres(c) => sqlx::query_scalar("SELECT 1::int8 WHERE to_regclass($1) IS NOT NULL")
                .bind(Dialect::Postgres.quote_identifier(HISTORY_TABLE))
                .fetch_optional(&mut *c)
                .await
                .map_err(db_error)?,
            #[cfg(feature = "mysql")]
            Session::Mysql(c) => sqlx::query_scalar(
                "SELECT CAST(1 AS SIGNED) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            )
            .bind(HISTORY_TABLE)
            .fetch_optional(&mut *c)
            .await
            .map_err(db_error)?,
        };
        Ok(found.is_some())
    }

    /// The history, in the order migrations started. Timestamps are only tested for NULL
    /// (Prisma keeps them as milliseconds since the epoch on SQLite, which sqlx would read as
    /// seconds), and the step count is read as a signed 64-bit number whatever its column.
    pub(crate) async fn history(&mut self) -> Result<Vec<HistoryRow>, MigrateError> {
        type Tuple = (String, String, i64, i64, Option<String>, i64);
        let sql = self.sql(
            "SELECT {checksum}, {migration_name}, CAST(CASE WHEN {finished_at} IS NULL THEN 0 ELSE 1 END AS {int64}), \
             CAST(CASE WHEN {rolled_back_at} IS NULL THEN 0 ELSE 1 END AS {int64}), {logs}, \
             CAST({applied_steps_count} AS {int64}) FROM {table} ORDER BY {started_at}, {migration_name}",
        );
        let rows: Vec<Tuple> =
            each!(self, c => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *c).await.map_err(db_error)?);
        Ok(rows
            .into_iter()
            .map(|(checksum, name, finished, rolled_back, logs, steps)| HistoryRow {
                checksum,
                name,
                finished: finished != 0,
                rolled_back: rolled_back != 0,
                logs,
                applied_steps_count: i32::try_from(steps).unwrap_or(i32::MAX),
            })
            .collect())
    }

    /// Records that a migration started; returns the row's id.
    pub(crate) async fn record_started(&mut self, name: &str, checksum: &str) -> Result<String, MigrateError> {
        let id = uuid::Uuid::new_v4().to_string();
        let sql = self.sql(
            "INSERT INTO {table} ({id}, {checksum}, {migration_name}, {started_at}, {applied_steps_count}) \
             VALUES (?, ?, ?, {now}, 0)",
        );
        each!(self, c => sqlx::query(AssertSqlSafe(sql))
            .bind(&id)
            .bind(checksum)
            .bind(name)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
            .map_err(db_error)?);
        Ok(id)
    }

    /// Records a migration applied with `steps` statements (also for `resolve --applied`).
    pub(crate) async fn record_finished(&mut self, id: &str, steps: usize) -> Result<(), MigrateError> {
        let sql = self.sql("UPDATE {table} SET {finished_at} = {now}, {applied_steps_count} = ? WHERE {id} = ?");
        let steps = i32::try_from(steps).unwrap_or(i32::MAX);
        each!(self, c => sqlx::query(AssertSqlSafe(sql)).bind(steps).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()).map_err(db_error)?);
        Ok(())
    }

    /// Records how a migration failed, after `steps` statements took effect.
    pub(crate) async fn record_failed(&mut self, id: &str, steps: usize, logs: &str) -> Result<(), MigrateError> {
        let sql = self.sql("UPDATE {table} SET {logs} = ?, {applied_steps_count} = ? WHERE {id} = ?");
        let steps = i32::try_from(steps).unwrap_or(i32::MAX);
        each!(self, c => sqlx::query(AssertSqlSafe(sql)).bind(logs).bind(steps).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()).map_err(db_error)?);
        Ok(())
    }

    /// Records MySQL's progress through a migration it cannot roll back.
    pub(crate) async fn record_steps(&mut self, id: &str, steps: usize) -> Result<(), MigrateError> {
        let sql = self.sql("UPDATE {table} SET {applied_steps_count} = ? WHERE {id} = ?");
        let steps = i32::try_from(steps).unwrap_or(i32::MAX);
        each!(self, c => sqlx::query(AssertSqlSafe(sql)).bind(steps).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()).map_err(db_error)?);
        Ok(())
    }

    /// Marks every failed attempt of `name` rolled back; returns how many there were.
    pub(crate) async fn record_rolled_back(&mut self, name: &str) -> Result<u64, MigrateError> {
        let sql = self.sql(
            "UPDATE {table} SET {rolled_back_at} = {now} WHERE {migration_name} = ? AND {finished_at} IS NULL \
             AND {rolled_back_at} IS NULL",
        );
        let done = each!(self, c => sqlx::query(AssertSqlSafe(sql)).bind(name).execute(&mut *c).await.map(|r| r.rows_affected()).map_err(db_error)?);
        Ok(done)
    }

    /// Marks the applied migration `name` rolled back (its `down.sql` ran): it is pending again.
    pub(crate) async fn record_undone(&mut self, name: &str) -> Result<(), MigrateError> {
        let sql = self.sql(
            "UPDATE {table} SET {rolled_back_at} = {now} WHERE {migration_name} = ? AND {finished_at} IS NOT NULL \
             AND {rolled_back_at} IS NULL",
        );
        each!(self, c => sqlx::query(AssertSqlSafe(sql)).bind(name).execute(&mut *c).await.map(|r| r.rows_affected()).map_err(db_error)?);
        Ok(())
    }

    /// `template` with `{table}` and `{column}` names quoted, `?` placeholders numbered for
    /// PostgreSQL, `{now}` the database's clock as Prisma stores it (milliseconds since the
    /// epoch on SQLite, a UTC timestamp elsewhere) and `{int64}` the dialect's signed 64-bit
    /// type for `CAST`.
    fn sql(&self, template: &str) -> String {
        let dialect = self.dialect();
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        let mut n = 0;
        while let Some(at) = rest.find(['{', '?']) {
            out.push_str(&rest[..at]);
            if rest[at..].starts_with('?') {
                n += 1;
                match dialect {
                    Dialect::Postgres => out.push_str(&format!("${n}")),
                    _ => out.push('?'),
                }
                rest = &rest[at + 1..];
            } else {
                let end = rest[at..].find('}').map_or(rest.len(), |e| at + e);
                match &rest[at + 1..end] {
                    "now" => out.push_str(match dialect {
                        Dialect::Sqlite => "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
                        // Not `now()`: that is when the transaction began, and a migration's
                        // `finished_at` is written at the end of its own.
                        Dialect::Postgres => "clock_timestamp()",
                        Dialect::Mysql => "UTC_TIMESTAMP(3)",
                    }),
                    "int64" => out.push_str(match dialect {
                        Dialect::Mysql => "SIGNED",
                        _ => "BIGINT",
                    }),
                    "table" => dialect.push_identifier(&mut out, HISTORY_TABLE),
                    name => dialect.push_identifier(&mut out, name),
                }
                rest = &rest[(end + 1).min(rest.len())..];
            }
        }
        out.push_str(rest);
        out
    }

    /// Rows that break a foreign key, as SQLite's `foreign_key_check` lists them (a table
    /// rebuild ran with the keys off): `(table, rowid, referenced table)`.
    pub(crate) async fn sqlite_foreign_key_violations(
        &mut self,
    ) -> Result<Vec<(String, Option<i64>, String)>, MigrateError> {
        match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(c) => {
                let rows: Vec<(String, Option<i64>, String, i64)> =
                    sqlx::query_as("PRAGMA foreign_key_check").fetch_all(&mut *c).await.map_err(db_error)?;
                Ok(rows.into_iter().map(|(table, rowid, parent, _)| (table, rowid, parent)).collect())
            }
            #[allow(unreachable_patterns)]
            _ => Ok(Vec::new()),
        }
    }

    /// Drops every table, view and (PostgreSQL) type of the database, history included.
    pub(crate) async fn drop_everything(&mut self) -> Result<(), MigrateError> {
        match self {
            #[cfg(feature = "sqlite")]
            Session::Sqlite(c) => {
                let objects: Vec<(String, String)> = sqlx::query_as(
                    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' \
                     ORDER BY type DESC",
                )
                .fetch_all(&mut *c)
                .await
                .map_err(db_error)?;
                self.run("PRAGMA foreign_keys = OFF").await?;
                for (kind, name) in objects {
                    let kind = if kind == "view" { "VIEW" } else { "TABLE" };
                    self.run(&format!("DROP {kind} IF EXISTS {}", Dialect::Sqlite.quote_identifier(&name))).await?;
                }
                self.run("PRAGMA foreign_keys = ON").await
            }
            #[cfg(feature = "postgres")]
            Session::Postgres(c) => {
                let schema: String =
                    sqlx::query_scalar("SELECT current_schema()::text").fetch_one(&mut *c).await.map_err(db_error)?;
                let schema = Dialect::Postgres.quote_identifier(&schema);
                self.run(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await?;
                self.run(&format!("CREATE SCHEMA {schema}")).await
            }
            #[cfg(feature = "mysql")]
            Session::Mysql(c) => {
                let objects: Vec<(String, String)> = sqlx::query_as(
                    "SELECT CAST(table_type AS CHAR), CAST(table_name AS CHAR) FROM information_schema.tables \
                     WHERE table_schema = DATABASE()",
                )
                .fetch_all(&mut *c)
                .await
                .map_err(db_error)?;
                self.run("SET FOREIGN_KEY_CHECKS = 0").await?;
                for (kind, name) in objects {
                    let kind = if kind == "VIEW" { "VIEW" } else { "TABLE" };
                    self.run(&format!("DROP {kind} IF EXISTS {}", Dialect::Mysql.quote_identifier(&name))).await?;
                }
                self.run("SET FOREIGN_KEY_CHECKS = 1").await
            }
        }
    }

    /// `SELECT COUNT(*)`-like query whose one value is a count.
    pub(crate) async fn count(&mut self, sql: &str, binds: &[String]) -> Result<i64, MigrateError> {
        let sql = AssertSqlSafe(sql.to_owned());
        let n: i64 = each!(self, c => {
            let mut query = sqlx::query_scalar(sql);
            for b in binds {
                query = query.bind(b);
            }
            query.fetch_one(&mut *c).await.map_err(db_error)?
        });
        Ok(n)
    }
}
