//! One connection to a scratch database of any backend, for the migration tests: they run
//! generated DDL on it statement by statement (SQLite's foreign-key pragmas only take effect
//! outside a transaction), read the database back with `orm_migrate::introspect`, and read
//! rows as text to check that data survived a migration.

use orm_db_schema::{DbSchema, Dialect};
use sqlx::{AssertSqlSafe, Connection, Row};

use crate::scratch::ScratchDb;

pub enum Conn {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
    Mysql(sqlx::MySqlConnection),
}

impl Conn {
    /// A connection to `db`. Failing to connect to a database just created is a test failure.
    pub async fn open(db: &ScratchDb) -> Conn {
        let connected = match db.dialect {
            Dialect::Sqlite => sqlx::SqliteConnection::connect(&db.url).await.map(Conn::Sqlite),
            Dialect::Postgres => sqlx::PgConnection::connect(&db.url).await.map(Conn::Postgres),
            Dialect::Mysql => sqlx::MySqlConnection::connect(&db.url).await.map(Conn::Mysql),
        };
        connected.unwrap_or_else(|e| panic!("connecting to the scratch database {}: {e}", db.url))
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
            Conn::Mysql(_) => Dialect::Mysql,
        }
    }

    /// Runs one statement (generated DDL, or test SQL built with quoted identifiers).
    pub async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let q = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        match self {
            Conn::Sqlite(c) => q.execute(c).await.map(drop),
            Conn::Postgres(c) => q.execute(c).await.map(drop),
            Conn::Mysql(c) => q.execute(c).await.map(drop),
        }
    }

    /// Runs statements in order; the first failure is returned with its statement.
    pub async fn execute_all(&mut self, statements: &[String]) -> Result<(), String> {
        for sql in statements {
            self.execute(sql).await.map_err(|e| format!("{e}\n    in: {sql}"))?;
        }
        Ok(())
    }

    /// The database as `orm_migrate::introspect` reads it (PostgreSQL: the current schema).
    pub async fn introspect(&mut self) -> Result<DbSchema, sqlx::Error> {
        match self {
            Conn::Sqlite(c) => orm_migrate::introspect::sqlite(c).await,
            Conn::Postgres(c) => orm_migrate::introspect::postgres(c, &[]).await,
            Conn::Mysql(c) => orm_migrate::introspect::mysql(c).await,
        }
    }

    /// The rows of a query whose every column is text (see [`Conn::as_text`]), in order.
    pub async fn text_rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        fn read<R: Row>(rows: Vec<R>) -> Result<Vec<Vec<Option<String>>>, sqlx::Error>
        where
            for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            rows.iter().map(|row| (0..row.len()).map(|i| row.try_get::<Option<String>, _>(i)).collect()).collect()
        }
        let q = AssertSqlSafe(sql.to_owned());
        match self {
            Conn::Sqlite(c) => read(sqlx::query(q).fetch_all(c).await?),
            Conn::Postgres(c) => read(sqlx::query(q).fetch_all(c).await?),
            Conn::Mysql(c) => read(sqlx::query(q).fetch_all(c).await?),
        }
    }

    /// An SQL expression giving `column`'s value as text, on this backend.
    pub fn as_text(&self, column: &str) -> String {
        let c = self.dialect().quote_identifier(column);
        match self {
            Conn::Sqlite(_) => format!("CAST({c} AS TEXT)"),
            Conn::Postgres(_) => format!("{c}::text"),
            Conn::Mysql(_) => format!("CAST({c} AS CHAR)"),
        }
    }

    pub async fn close(self) {
        // A failed close only leaves a connection for the database drop to end.
        let _ = match self {
            Conn::Sqlite(c) => c.close().await,
            Conn::Postgres(c) => c.close().await,
            Conn::Mysql(c) => c.close().await,
        };
    }
}
