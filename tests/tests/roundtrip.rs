//! The invariant of the migration engine, on real databases: a database a migration just
//! produced diffs clean against the schema it was migrated to. For every schema of
//! `orm_tests::schemas` (the example, the codegen fixtures, real-world corpus schemas) on every
//! backend: the from-empty SQL runs on a fresh database, `orm_runtime::introspect` reads it
//! back, and `diff(introspected, from_schema)` is empty. A failure prints the steps and the SQL
//! they would run, which names exactly what introspection or `from_schema` got wrong. Also:
//! the migration history tables are never part of an introspected schema.
//!
//! SQLite always runs (a temporary file per case); PostgreSQL and MySQL/MariaDB run when
//! `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` are set (a throwaway database per case). A set
//! URL whose server cannot be reached fails the test.

use orm_codegen::{db_schema, diff, render, render_script};
use orm_db_schema::{DbSchema, Dialect};
use orm_tests::connection::Conn;
use orm_tests::schemas::{Case, corpus_cases, own_cases};
use orm_tests::scratch::ScratchDb;

/// Migrates a fresh database to `case` and re-diffs it; a problem is returned as text.
async fn round_trip(case: &Case, dialect: Dialect) -> Result<Option<usize>, String> {
    let name = &case.name;
    let checked = orm_schema::check_str(&case.text);
    if checked.has_errors() {
        return Err(format!("{name} ({dialect:?}) does not validate: {:?}", checked.sorted_diagnostics()));
    }
    let expected = db_schema::from_schema_for(&checked.schema, dialect);
    let statements = render(&diff(&DbSchema::default(), &expected), dialect)
        .map_err(|e| format!("{name} ({dialect:?}): rendering the from-empty SQL failed: {e}"))?;
    let Some(scratch) = ScratchDb::create(dialect).await else { return Ok(None) };
    let mut conn = Conn::open(&scratch).await;
    let setup: Vec<String> = case.setup.iter().map(|s| (*s).to_owned()).collect();
    let result = async {
        conn.execute_all(&setup).await.map_err(|e| format!("{name} ({dialect:?}): setup failed: {e}"))?;
        conn.execute_all(&statements).await.map_err(|e| format!("{name} ({dialect:?}): the migration failed: {e}"))?;
        let actual = conn.introspect().await.map_err(|e| format!("{name} ({dialect:?}): introspection failed: {e}"))?;
        let steps = diff(&actual, &expected);
        if !steps.is_empty() {
            let sql = render_script(&steps, dialect).unwrap_or_else(|e| format!("(does not render: {e})"));
            return Err(format!(
                "{name} ({dialect:?}): the migrated database differs from the schema by {} step(s):\n{steps:#?}\n\
                 which would run:\n{sql}",
                steps.len()
            ));
        }
        // And the other way round: the schema's database is not missing anything either.
        if !diff(&expected, &actual).is_empty() {
            return Err(format!("{name} ({dialect:?}): diff(schema, database) is not empty"));
        }
        Ok(Some(expected.tables.len()))
    }
    .await;
    conn.close().await;
    result
}

async fn run(dialect: Dialect, cases: Vec<Case>) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        match round_trip(case, dialect).await {
            Ok(Some(tables)) => {
                ran += 1;
                println!("{} ({dialect:?}): {tables} tables, no difference", case.name);
            }
            Ok(None) => return,
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
    assert_eq!(ran, cases.len());
}

#[tokio::test]
async fn own_schemas_round_trip_on_sqlite() {
    run(Dialect::Sqlite, own_cases(Dialect::Sqlite)).await;
}

#[tokio::test]
async fn own_schemas_round_trip_on_postgres() {
    run(Dialect::Postgres, own_cases(Dialect::Postgres)).await;
}

#[tokio::test]
async fn own_schemas_round_trip_on_mysql() {
    run(Dialect::Mysql, own_cases(Dialect::Mysql)).await;
}

#[tokio::test]
async fn corpus_schemas_round_trip_on_sqlite() {
    run(Dialect::Sqlite, corpus_cases(Dialect::Sqlite)).await;
}

#[tokio::test]
async fn corpus_schemas_round_trip_on_postgres() {
    run(Dialect::Postgres, corpus_cases(Dialect::Postgres)).await;
}

#[tokio::test]
async fn corpus_schemas_round_trip_on_mysql() {
    run(Dialect::Mysql, corpus_cases(Dialect::Mysql)).await;
}

/// The migration history (Prisma's table, which `orm` shares) is not part of the schema.
async fn history_tables_are_skipped(dialect: Dialect) {
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    let mut conn = Conn::open(&scratch).await;
    let create = |name: &str| format!("CREATE TABLE {} (id VARCHAR(36) PRIMARY KEY)", dialect.quote_identifier(name));
    for table in ["_prisma_migrations", "kept"] {
        conn.execute(&create(table)).await.unwrap_or_else(|e| panic!("creating {table} ({dialect:?}): {e}"));
    }
    let db = conn.introspect().await.unwrap_or_else(|e| panic!("introspection ({dialect:?}): {e}"));
    let names: Vec<&str> = db.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["kept"], "{dialect:?}");
    if let Conn::Postgres(pg) = &mut conn {
        // Naming the schema is the same as the connection's current one; another one is empty.
        let public = orm_migrate::introspect::postgres(pg, &["public".to_owned()]).await.expect("introspect public");
        assert_eq!(public, db);
        let other = orm_migrate::introspect::postgres(pg, &["elsewhere".to_owned()]).await.expect("introspect");
        assert!(other.tables.is_empty() && other.enums.is_empty());
    }
    conn.close().await;
}

#[tokio::test]
async fn history_tables_are_skipped_on_sqlite() {
    history_tables_are_skipped(Dialect::Sqlite).await;
}

#[tokio::test]
async fn history_tables_are_skipped_on_postgres() {
    history_tables_are_skipped(Dialect::Postgres).await;
}

#[tokio::test]
async fn history_tables_are_skipped_on_mysql() {
    history_tables_are_skipped(Dialect::Mysql).await;
}
