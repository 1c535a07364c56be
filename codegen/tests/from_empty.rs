//! From-empty SQL, checked against files: `from_empty/<name>_<provider>.prisma` next to the
//! `.sql` it must produce. The SQLite and PostgreSQL files are what Prisma's own engine printed
//! (`../shared/tools/prisma-oracle/diff.mjs`), except where its SQL is wrong (see the
//! `deliberate_differences` test); the MySQL files follow Prisma's documented MySQL output.
//! `UPDATE_EXPECT=1` rewrites the `.sql` files.

use std::path::{Path, PathBuf};

use orm_codegen::{db_schema, diff, render_script};
use orm_db_schema::DbSchema;
use pretty_assertions::assert_eq;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/from_empty");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "prisma"))
        .collect();
    files.sort();
    files
}

fn from_empty_sql(text: &str) -> String {
    let checked = orm_schema::check_str(text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
    let steps = diff(&DbSchema::default(), &db_schema::from_schema(&checked.schema));
    render_script(&steps, db_schema::dialect_of(&checked.schema)).expect("renders")
}

#[test]
fn from_empty_sql_matches_the_expected_files() {
    let files = fixtures();
    assert!(files.len() >= 9, "fixtures missing");
    let mut failures = Vec::new();
    for schema in files {
        let text = std::fs::read_to_string(&schema).expect("read schema");
        let actual = from_empty_sql(&text);
        let expected_path = schema.with_extension("sql");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected.trim_end() != actual.trim_end() {
            failures.push(schema.display().to_string());
            assert_eq!(expected.trim_end(), actual.trim_end(), "{}", schema.display());
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// Where `orm` departs from Prisma on purpose: Prisma writes enum values, SQLite JSON defaults
/// and SQLite `Bytes` defaults into SQL unescaped or as text; `orm` escapes them and writes bytes.
/// Prisma writes SQLite expression defaults bare, which SQLite rejects; `orm` parenthesises them.
#[test]
fn deliberate_differences() {
    let pg =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/from_empty/types_postgresql.sql"))
            .expect("read");
    // Prisma: ENUM ('A', 'b'q')
    assert!(pg.contains(r#"CREATE TYPE "Kind" AS ENUM ('A', 'b''q');"#));
    let sqlite =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/from_empty/types_sqlite.sql"))
            .expect("read");
    // Prisma: DEFAULT {"a": 1}
    assert!(sqlite.contains(r#""j" JSONB NOT NULL DEFAULT '{"a": 1}',"#));
    // Prisma: DEFAULT '010203' (the text, not the bytes)
    assert!(sqlite.contains(r#""by" BLOB NOT NULL DEFAULT X'010203',"#));
    // Prisma: DEFAULT gen_random_uuid() (a syntax error on SQLite)
    assert!(sqlite.contains(r#""g" TEXT NOT NULL DEFAULT (gen_random_uuid()),"#));
}
