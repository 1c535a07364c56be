//! From-empty SQL on real databases: for `schema.example.orm` with its provider switched to each
//! backend, and for every `codegen/tests/from_empty/*_<provider>.prisma` fixture, the SQL that
//! creates the database from empty runs on a fresh database of that backend, every table of the
//! `DbSchema` then exists with exactly its columns (read back from the catalog), and a row whose
//! foreign key points at a missing parent is refused with a foreign-key violation.
//!
//! SQLite always runs, in memory. PostgreSQL runs when `ORM_TEST_POSTGRES_URL` is set, MySQL or
//! MariaDB when `ORM_TEST_MYSQL_URL` is set (a server URL; each case creates its own database
//! `orm_test_<pid>_<n>` there and drops it afterwards). A set URL whose server cannot be reached
//! fails the test; an unset one prints that the backend did not run.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use orm_codegen::{db_schema, diff, render};
use orm_db_schema::{Column, ColumnArity, ColumnType, DbSchema, Dialect, Table};
use sqlx::error::ErrorKind;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

// ---------------------------------------------------------------------------------------------
// The cases

fn provider_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgresql",
        Dialect::Mysql => "mysql",
    }
}

/// `(name, schema text)`: the example schema on this provider, then the codegen fixtures of it.
fn cases(dialect: Dialect) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let example = std::fs::read_to_string(root.join("schema.example.orm")).expect("read schema.example.orm");
    let sqlite_provider = r#"provider = "sqlite""#;
    assert!(example.contains(sqlite_provider), "schema.example.orm no longer says {sqlite_provider}");
    let example = example.replacen(sqlite_provider, &format!(r#"provider = "{}""#, provider_name(dialect)), 1);
    let mut out = vec![("schema.example.orm".to_owned(), example)];

    let dir = root.join("codegen/tests/from_empty");
    let suffix = format!("_{}.prisma", provider_name(dialect));
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(&suffix)))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no {suffix} fixtures in {}", dir.display());
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        out.push((path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), text));
    }
    out
}

/// The schema's database and the statements that create it from empty.
fn from_empty(name: &str, text: &str, dialect: Dialect) -> (DbSchema, Vec<String>) {
    let checked = orm_schema::check_str(text);
    assert!(!checked.has_errors(), "{name} ({dialect:?}) does not validate: {:?}", checked.sorted_diagnostics());
    let db = db_schema::from_schema(&checked.schema);
    let statements = render(&diff(&DbSchema::default(), &db), dialect)
        .unwrap_or_else(|e| panic!("{name} ({dialect:?}): rendering failed: {e}"));
    (db, statements)
}

// ---------------------------------------------------------------------------------------------
// Connections

enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
    Mysql(MySqlConnection),
}

impl Conn {
    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let q = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        match self {
            Conn::Sqlite(c) => q.execute(c).await.map(drop),
            Conn::Postgres(c) => q.execute(c).await.map(drop),
            Conn::Mysql(c) => q.execute(c).await.map(drop),
        }
    }

    /// The names of the tables in the current database (schema), sorted.
    async fn tables(&mut self) -> Result<Vec<String>, sqlx::Error> {
        let mut names: Vec<String> = match self {
            Conn::Sqlite(c) => {
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .fetch_all(c)
                    .await?
            }
            Conn::Postgres(c) => {
                sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                )
                .fetch_all(c)
                .await?
            }
            Conn::Mysql(c) => {
                sqlx::query_scalar(
                    "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
                     WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
                )
                .fetch_all(c)
                .await?
            }
        };
        names.sort();
        Ok(names)
    }

    /// The column names of `table`, sorted.
    async fn columns(&mut self, table: &str) -> Result<Vec<String>, sqlx::Error> {
        let mut names: Vec<String> = match self {
            Conn::Sqlite(c) => {
                sqlx::query_scalar("SELECT name FROM pragma_table_info(?1)").bind(table).fetch_all(c).await?
            }
            Conn::Postgres(c) => {
                sqlx::query_scalar(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1",
                )
                .bind(table)
                .fetch_all(c)
                .await?
            }
            Conn::Mysql(c) => {
                sqlx::query_scalar(
                    "SELECT CAST(column_name AS CHAR) FROM information_schema.columns \
                     WHERE table_schema = DATABASE() AND table_name = ?",
                )
                .bind(table)
                .fetch_all(c)
                .await?
            }
        };
        names.sort();
        Ok(names)
    }

    async fn close(self) {
        // A failed close only leaves a connection for the database drop to end.
        let _ = match self {
            Conn::Sqlite(c) => c.close().await,
            Conn::Postgres(c) => c.close().await,
            Conn::Mysql(c) => c.close().await,
        };
    }
}

/// A server backend: the variable naming its URL and how to reach it.
#[derive(Clone, Copy)]
enum Server {
    Postgres,
    Mysql,
}

impl Server {
    fn env_var(self) -> &'static str {
        match self {
            Server::Postgres => "ORM_TEST_POSTGRES_URL",
            Server::Mysql => "ORM_TEST_MYSQL_URL",
        }
    }

    fn dialect(self) -> Dialect {
        match self {
            Server::Postgres => Dialect::Postgres,
            Server::Mysql => Dialect::Mysql,
        }
    }

    /// A connection to `database` on the server at `url` (`None`: the URL's own database).
    async fn connect(self, url: &str, database: Option<&str>) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Server::Postgres => {
                let mut options = PgConnectOptions::from_str(url)?;
                if let Some(db) = database {
                    options = options.database(db);
                }
                Conn::Postgres(options.connect().await?)
            }
            Server::Mysql => {
                let mut options = MySqlConnectOptions::from_str(url)?;
                if let Some(db) = database {
                    options = options.database(db);
                }
                Conn::Mysql(options.connect().await?)
            }
        })
    }
}

/// A uniquely named database on a server, dropped when this is dropped (also when a test
/// panics): the drop runs on its own thread and runtime, since `Drop` cannot await.
struct TempDatabase {
    server: Server,
    url: String,
    name: String,
}

impl TempDatabase {
    async fn create(server: Server, url: &str) -> TempDatabase {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!("orm_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut admin = server
            .connect(url, None)
            .await
            .unwrap_or_else(|e| panic!("{} is set to {url}, but its server cannot be reached: {e}", server.env_var()));
        let ident = server.dialect().quote_identifier(&name);
        for sql in [format!("DROP DATABASE IF EXISTS {ident}"), format!("CREATE DATABASE {ident}")] {
            admin.execute(&sql).await.unwrap_or_else(|e| panic!("{sql} on {url}: {e}"));
        }
        admin.close().await;
        TempDatabase { server, url: url.to_owned(), name }
    }

    async fn connect(&self) -> Conn {
        self.server
            .connect(&self.url, Some(&self.name))
            .await
            .unwrap_or_else(|e| panic!("connecting to the new database {} on {}: {e}", self.name, self.url))
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let (server, url, name) = (self.server, self.url.clone(), self.name.clone());
        let name_ = name.clone();
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut admin = server.connect(&url, None).await.map_err(|e| e.to_string())?;
                let ident = server.dialect().quote_identifier(&name_);
                let sql = match server {
                    // Ends a connection the test may have left open.
                    Server::Postgres => format!("DROP DATABASE IF EXISTS {ident} WITH (FORCE)"),
                    Server::Mysql => format!("DROP DATABASE IF EXISTS {ident}"),
                };
                let result = admin.execute(&sql).await.map_err(|e| format!("{sql}: {e}"));
                admin.close().await;
                result
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {name} on {}: {e}", self.url),
            Err(_) => eprintln!("dropping the test database {name} on {} panicked", self.url),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// Applies `name`'s from-empty SQL on `conn` and checks the result; every problem found is
/// pushed to `failures`.
async fn apply_and_check(conn: &mut Conn, name: &str, text: &str, dialect: Dialect, failures: &mut Vec<String>) {
    let (db, statements) = from_empty(name, text, dialect);
    for sql in &statements {
        if let Err(e) = conn.execute(sql).await {
            failures.push(format!("{name} ({dialect:?}): the generated statement failed: {e}\n{sql}"));
            return;
        }
    }

    let mut expected_tables: Vec<String> = db.tables.iter().map(|t| t.name.clone()).collect();
    expected_tables.sort();
    match conn.tables().await {
        Ok(actual) if actual == expected_tables => {}
        Ok(actual) => failures.push(format!("{name} ({dialect:?}): tables {actual:?}, expected {expected_tables:?}")),
        Err(e) => failures.push(format!("{name} ({dialect:?}): reading the tables: {e}")),
    }
    for table in &db.tables {
        let mut expected: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        expected.sort();
        match conn.columns(&table.name).await {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!(
                "{name} ({dialect:?}): table `{}` has columns {actual:?}, expected {expected:?}",
                table.name
            )),
            Err(e) => failures.push(format!("{name} ({dialect:?}): reading the columns of `{}`: {e}", table.name)),
        }
    }

    let mut checked_foreign_keys = 0;
    for table in db.tables.iter().filter(|t| !t.foreign_keys.is_empty()) {
        let sql = orphan_insert(&db, table, dialect);
        match conn.execute(&sql).await {
            Ok(()) => failures.push(format!(
                "{name} ({dialect:?}): a row of `{}` referencing missing parents was accepted (foreign keys not \
                 enforced):\n{sql}",
                table.name
            )),
            Err(e) => {
                let kind = e.as_database_error().map(|d| d.kind());
                if matches!(kind, Some(ErrorKind::ForeignKeyViolation)) {
                    checked_foreign_keys += 1;
                } else {
                    failures.push(format!(
                        "{name} ({dialect:?}): inserting an orphan row into `{}` failed, but not with a foreign-key \
                         violation: {e}\n{sql}",
                        table.name
                    ));
                }
            }
        }
    }
    println!("{name} ({dialect:?}): {} tables created, {checked_foreign_keys} refused an orphan row", db.tables.len());
}

/// An `INSERT` of one row into `table` giving every column a valid value, where every
/// foreign-key column holds a value no (empty) parent table has, and that differs from the
/// row's own key so a self-relation cannot point at the row itself.
fn orphan_insert(db: &DbSchema, table: &Table, dialect: Dialect) -> String {
    let fk_columns: Vec<&str> =
        table.foreign_keys.iter().flat_map(|fk| fk.columns.iter().map(String::as_str)).collect();
    let columns: Vec<String> = table.columns.iter().map(|c| dialect.quote_identifier(&c.name)).collect();
    let values: Vec<String> =
        table.columns.iter().map(|c| sample_value(db, c, dialect, fk_columns.contains(&c.name.as_str()))).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        dialect.quote_identifier(&table.name),
        columns.join(", "),
        values.join(", ")
    )
}

/// A literal the column accepts: `1`-like, or `2`-like for a foreign-key column.
fn sample_value(db: &DbSchema, column: &Column, dialect: Dialect, foreign: bool) -> String {
    let n = if foreign { 2 } else { 1 };
    if column.arity == ColumnArity::List {
        return "'{}'".to_owned();
    }
    let native = column.native_type.as_deref().unwrap_or_default().to_ascii_uppercase();
    let text = |s: &str| dialect.quote_string_literal(s);
    match &column.ty {
        ColumnType::Int | ColumnType::BigInt | ColumnType::Float | ColumnType::Decimal => n.to_string(),
        ColumnType::Boolean => "true".to_owned(),
        ColumnType::DateTime if native.starts_with("TIME") && !native.starts_with("TIMESTAMP") => text("10:00:00"),
        ColumnType::DateTime if native == "DATE" => text("2020-01-01"),
        ColumnType::DateTime => text("2020-01-01 00:00:00"),
        ColumnType::Json => text("{}"),
        ColumnType::Bytes => match dialect {
            Dialect::Postgres => text("\\x00"),
            Dialect::Sqlite | Dialect::Mysql => "X'00'".to_owned(),
        },
        ColumnType::Enum(name) => match db.enum_(name).and_then(|e| e.values.first()) {
            Some(value) => text(value),
            None => "NULL".to_owned(),
        },
        ColumnType::String if native == "UUID" => text(&format!("00000000-0000-0000-0000-00000000000{n}")),
        ColumnType::String => text(&n.to_string()),
        ColumnType::Unsupported => "NULL".to_owned(),
    }
}

async fn run_on_server(server: Server) {
    let dialect = server.dialect();
    let Some(url) = std::env::var(server.env_var()).ok().filter(|u| !u.is_empty()) else {
        println!("{} is not set: the {dialect:?} from-empty test did not run", server.env_var());
        return;
    };
    let mut failures = Vec::new();
    for (name, text) in cases(dialect) {
        let database = TempDatabase::create(server, &url).await;
        let mut conn = database.connect().await;
        apply_and_check(&mut conn, &name, &text, dialect, &mut failures).await;
        conn.close().await;
        drop(database);
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[tokio::test]
async fn from_empty_sql_applies_on_sqlite() {
    let mut failures = Vec::new();
    for (name, text) in cases(Dialect::Sqlite) {
        // A fresh in-memory database per case. sqlx turns foreign-key enforcement on by
        // default; it is said here because the orphan-row check depends on it.
        let options = SqliteConnectOptions::from_str("sqlite::memory:").expect("sqlite options").foreign_keys(true);
        let mut conn = Conn::Sqlite(options.connect().await.expect("open an in-memory SQLite database"));
        apply_and_check(&mut conn, &name, &text, Dialect::Sqlite, &mut failures).await;
        conn.close().await;
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[tokio::test]
async fn from_empty_sql_applies_on_postgres() {
    run_on_server(Server::Postgres).await;
}

#[tokio::test]
async fn from_empty_sql_applies_on_mysql() {
    run_on_server(Server::Mysql).await;
}
