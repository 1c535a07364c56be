//! From-empty SQL on real databases: for every schema of `orm_tests::schemas::own_cases` (the
//! example schema on each backend and the codegen fixtures of each provider), the SQL that
//! creates the database from empty runs on a fresh database, and in every table with foreign
//! keys a row pointing at missing parents is refused with a foreign-key violation. (That the
//! database then holds exactly the tables, columns, keys and indexes of the schema is
//! `roundtrip.rs`.)
//!
//! SQLite always runs (a temporary file per case); PostgreSQL and MySQL/MariaDB run when
//! `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` are set (a throwaway database per case). A
//! set URL whose server cannot be reached fails the test.

use orm_codegen::{db_schema, diff, render};
use orm_db_schema::{Column, ColumnArity, ColumnType, DbSchema, Dialect, Table};
use orm_tests::connection::Conn;
use orm_tests::schemas::{Case, own_cases};
use orm_tests::scratch::ScratchDb;
use sqlx::error::ErrorKind;

/// Applies `case`'s from-empty SQL to a fresh database and tries an orphan row in every table
/// with foreign keys; problems are pushed to `failures`. `false` when the backend is off.
async fn apply_and_check(case: &Case, dialect: Dialect, failures: &mut Vec<String>) -> bool {
    let name = &case.name;
    let checked = orm_schema::check_str(&case.text);
    assert!(!checked.has_errors(), "{name} ({dialect:?}) does not validate: {:?}", checked.sorted_diagnostics());
    let db = db_schema::from_schema_for(&checked.schema, dialect);
    let statements = render(&diff(&DbSchema::default(), &db), dialect)
        .unwrap_or_else(|e| panic!("{name} ({dialect:?}): rendering failed: {e}"));
    let Some(scratch) = ScratchDb::create(dialect).await else { return false };
    let mut conn = Conn::open(&scratch).await;
    if let Err(e) = conn.execute_all(&statements).await {
        failures.push(format!("{name} ({dialect:?}): the generated SQL failed: {e}"));
        conn.close().await;
        return true;
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
    conn.close().await;
    println!("{name} ({dialect:?}): {} tables created, {checked_foreign_keys} refused an orphan row", db.tables.len());
    true
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

async fn run(dialect: Dialect) {
    let mut failures = Vec::new();
    for case in own_cases(dialect) {
        if !apply_and_check(&case, dialect, &mut failures).await {
            return;
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[tokio::test]
async fn from_empty_sql_applies_on_sqlite() {
    run(Dialect::Sqlite).await;
}

#[tokio::test]
async fn from_empty_sql_applies_on_postgres() {
    run(Dialect::Postgres).await;
}

#[tokio::test]
async fn from_empty_sql_applies_on_mysql() {
    run(Dialect::Mysql).await;
}
