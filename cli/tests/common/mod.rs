//! What the CLI tests share: a project folder on a scratch database of any backend, the `orm`
//! binary run in it, and assertions on exit codes and output.

#![allow(dead_code)] // each test file uses its own part of it

use std::path::PathBuf;
use std::process::{Command, Output};

use orm_db_schema::Dialect;
use orm_tests::scratch::ScratchDb;

pub const DIALECTS: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

/// A project folder: `schema.orm` whose url is `env("DATABASE_URL")`, set in `.env`.
pub struct App {
    pub dir: tempfile::TempDir,
    pub db: ScratchDb,
}

impl App {
    pub async fn new(dialect: Dialect) -> Option<App> {
        let db = ScratchDb::create(dialect).await?;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(".env"), format!("DATABASE_URL=\"{}\"\n", db.url)).expect(".env");
        Some(App { dir, db })
    }

    pub fn schema(&self, models: &str) {
        let text = format!(
            "datasource db {{\n  provider = \"{}\"\n  url      = env(\"DATABASE_URL\")\n}}\n\n{models}",
            self.db.dialect.provider()
        );
        std::fs::write(self.dir.path().join("schema.orm"), text).expect("schema");
    }

    pub fn orm(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_orm"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the orm binary runs")
    }

    pub fn migrations(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join("migrations"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub async fn sql(&self, statements: &[&str]) {
        let statements: Vec<String> = statements.iter().map(|s| s.replace('"', &quote(self.db.dialect))).collect();
        self.db.execute(&statements).await.expect("SQL runs");
    }

    pub async fn texts(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let sql = sql.replace('"', &quote(self.db.dialect));
        let mut conn = orm_tests::connection::Conn::open(&self.db).await;
        let rows = conn.text_rows(&sql).await.expect("query");
        conn.close().await;
        rows
    }

    pub async fn count(&self, table: &str) -> i64 {
        let mut m = orm_runtime::migrate::Migrator::connect(&self.db.url).await.expect("connect");
        let sql = format!("SELECT COUNT(*) FROM {}", self.db.dialect.quote_identifier(table));
        let n = m.count(&sql, &[]).await.expect("count");
        m.close().await.expect("close");
        n
    }
}

pub fn quote(dialect: Dialect) -> String {
    if dialect == Dialect::Mysql { "`".into() } else { "\"".into() }
}

pub fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[track_caller]
pub fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", out(o));
    out(o)
}

#[track_caller]
pub fn fails(o: &Output, code: i32, needle: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", out(o));
    assert!(out(o).contains(needle), "expected `{needle}` in:\n{}", out(o));
}
