//! Scratch databases for tests that go through the generated client: one fresh database per
//! test, on every backend, reachable by URL, and dropped afterwards.
//!
//! SQLite always runs, in a temporary file. PostgreSQL runs when `ORM_TEST_POSTGRES_URL` is
//! set and MySQL/MariaDB when `ORM_TEST_MYSQL_URL` is: a database `orm_client_<pid>_<n>` is
//! created on that server and dropped when the [`ScratchDb`] is. A set URL whose server can't
//! be reached fails the test; an unset one is reported as not run.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use orm_db_schema::{DbSchema, Dialect};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

/// A fresh, empty database.
pub struct ScratchDb {
    pub dialect: Dialect,
    /// What the generated client connects with.
    pub url: String,
    server: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

/// The variable naming a server backend's URL.
pub fn env_var(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Sqlite => None,
        Dialect::Postgres => Some("ORM_TEST_POSTGRES_URL"),
        Dialect::Mysql => Some("ORM_TEST_MYSQL_URL"),
    }
}

impl ScratchDb {
    /// A new database on `dialect`'s backend; `None` (with a note on stderr) when that backend
    /// is not configured.
    pub async fn create(dialect: Dialect) -> Option<ScratchDb> {
        let Some(var) = env_var(dialect) else {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite:{}?mode=rwc", dir.path().join("test.db").display());
            return Some(ScratchDb { dialect, url, server: None, _dir: Some(dir) });
        };
        let Ok(admin_url) = std::env::var(var) else {
            eprintln!("{var} is not set: the {dialect:?} backend did not run");
            return None;
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!("orm_client_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let ident = dialect.quote_identifier(&name);
        admin_execute(
            dialect,
            &admin_url,
            &[format!("DROP DATABASE IF EXISTS {ident}"), format!("CREATE DATABASE {ident}")],
        )
        .await
        .unwrap_or_else(|e| panic!("{var} is set to {admin_url}, but creating a database there failed: {e}"));
        let url = with_database(&admin_url, &name);
        Some(ScratchDb { dialect, url, server: Some((admin_url, name)), _dir: None })
    }

    /// Runs statements (the from-empty migration of a schema) on the database.
    pub async fn execute(&self, statements: &[String]) -> Result<(), sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await?;
                for s in statements {
                    sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut c).await?;
                }
                c.close().await
            }
            Dialect::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await?;
                for s in statements {
                    sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut c).await?;
                }
                c.close().await
            }
            Dialect::Mysql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await?;
                for s in statements {
                    sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut c).await?;
                }
                c.close().await
            }
        }
    }

    /// Creates the tables of a schema (its from-empty migration for this backend).
    pub async fn migrate(&self, schema_text: &str) {
        let checked = orm_schema::check_str(schema_text);
        assert!(!checked.has_errors(), "the schema does not validate: {:?}", checked.sorted_diagnostics());
        let db = orm_codegen::db_schema::from_schema_for(&checked.schema, self.dialect);
        let statements = orm_codegen::render(&orm_codegen::diff(&DbSchema::default(), &db), self.dialect)
            .unwrap_or_else(|e| panic!("rendering the from-empty SQL for {:?}: {e}", self.dialect));
        self.execute(&statements).await.unwrap_or_else(|e| panic!("creating the tables on {:?}: {e}", self.dialect));
    }
}

fn with_database(url: &str, name: &str) -> String {
    orm_runtime::migrate::database_url(url, name)
}

async fn admin_execute(dialect: Dialect, url: &str, statements: &[String]) -> Result<(), sqlx::Error> {
    match dialect {
        Dialect::Postgres => {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(url)?.connect().await?;
            for s in statements {
                sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut c).await?;
            }
            c.close().await
        }
        Dialect::Mysql => {
            let mut c = sqlx::mysql::MySqlConnectOptions::from_str(url)?.connect().await?;
            for s in statements {
                sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut c).await?;
            }
            c.close().await
        }
        Dialect::Sqlite => Ok(()),
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.server.take() else { return };
        let dialect = self.dialect;
        let ident = dialect.quote_identifier(&name);
        let sql = match dialect {
            // Ends connections a pool may still hold.
            Dialect::Postgres => format!("DROP DATABASE IF EXISTS {ident} WITH (FORCE)"),
            _ => format!("DROP DATABASE IF EXISTS {ident}"),
        };
        // `Drop` can't await: drop on a thread with a runtime of its own.
        let result = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(admin_execute(dialect, &admin_url, &[sql])).map_err(|e| e.to_string())
        })
        .join();
        if !matches!(result, Ok(Ok(()))) {
            eprintln!("could not drop the scratch database {name}: {result:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_replace_the_url_path() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(super::with_database("mysql://root@127.0.0.1:3306", "x"), "mysql://root@127.0.0.1:3306/x");
        assert_eq!(super::with_database("postgres://h/db?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
    }
}
