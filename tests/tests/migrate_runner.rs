//! The migration runner on every backend: history, checksums, failures and their resolution,
//! atomicity where the database has transactional DDL, and two deploys at once.
//!
//! SQLite always runs; PostgreSQL and MySQL/MariaDB run when `ORM_TEST_POSTGRES_URL` /
//! `ORM_TEST_MYSQL_URL` are set (a throwaway database per test).

use orm_db_schema::Dialect;
use orm_runtime::migrate::{MigrateError, Migration, MigrationState, Migrator, Resolution};
use orm_tests::scratch::ScratchDb;

const DIALECTS: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

fn q(dialect: Dialect, name: &str) -> String {
    dialect.quote_identifier(name)
}

fn create_table(dialect: Dialect, table: &str) -> String {
    format!("CREATE TABLE {} ({} INTEGER NOT NULL PRIMARY KEY);\n", q(dialect, table), q(dialect, "id"))
}

async fn tables(url: &str) -> Vec<String> {
    let mut m = Migrator::connect(url).await.expect("connect");
    let db = orm_migrate::introspect::database(&mut m).await.expect("introspect");
    m.close().await.expect("close");
    db.tables.into_iter().map(|t| t.name).collect()
}

async fn states(url: &str, local: &[Migration]) -> Vec<(String, MigrationState)> {
    let mut m = Migrator::connect(url).await.expect("connect");
    let status = m.status(local).await.expect("status");
    m.close().await.expect("close");
    status.migrations.into_iter().map(|s| (s.name, s.state)).collect()
}

#[tokio::test]
async fn deploy_applies_each_migration_once_and_notices_edits() {
    for dialect in DIALECTS {
        let Some(db) = ScratchDb::create(dialect).await else { continue };
        let mut local = vec![
            Migration::new("20260101000000_a", create_table(dialect, "A")),
            Migration::new("20260101000001_b", create_table(dialect, "B")),
        ];
        let pending = states(&db.url, &local).await;
        assert!(pending.iter().all(|(_, s)| *s == MigrationState::Pending), "{dialect:?}: {pending:?}");

        let mut m = Migrator::connect(&db.url).await.expect("connect");
        assert_eq!(m.deploy(&local).await.expect("deploy"), ["20260101000000_a", "20260101000001_b"]);
        assert_eq!(m.deploy(&local).await.expect("second deploy"), Vec::<String>::new(), "{dialect:?}");
        local.push(Migration::new("20260101000002_c", create_table(dialect, "C")));
        assert_eq!(m.deploy(&local).await.expect("third deploy"), ["20260101000002_c"]);
        assert!(m.status(&local).await.expect("status").is_up_to_date());
        m.close().await.expect("close");
        assert_eq!(tables(&db.url).await, ["A", "B", "C"]);

        // CRLF line endings are the same migration; a changed statement is not.
        local[0].script = local[0].script.replace('\n', "\r\n");
        assert!(states(&db.url, &local).await.iter().all(|(_, s)| *s == MigrationState::Applied));
        local[1].script.push_str("-- edited\n");
        let mut m = Migrator::connect(&db.url).await.expect("connect");
        assert!(matches!(m.deploy(&local).await, Err(MigrateError::Modified { name }) if name == "20260101000001_b"));
        // A migration the folder lost is reported.
        let status = m.status(&local[2..]).await.expect("status");
        assert_eq!(status.names(&MigrationState::MissingLocally), ["20260101000000_a", "20260101000001_b"]);
        m.close().await.expect("close");
    }
}

#[tokio::test]
async fn a_failed_migration_is_recorded_rolled_back_where_possible_and_blocks_until_resolved() {
    for dialect in DIALECTS {
        let Some(db) = ScratchDb::create(dialect).await else { continue };
        let good = Migration::new("20260101000000_good", create_table(dialect, "Kept"));
        let bad_script = format!(
            "{}INSERT INTO {} VALUES (1);\nINSERT INTO {} VALUES (1);\n",
            create_table(dialect, "Half"),
            q(dialect, "Half"),
            q(dialect, "Missing")
        );
        let mut local = vec![good, Migration::new("20260101000001_bad", bad_script)];

        let mut m = Migrator::connect(&db.url).await.expect("connect");
        let err = m.deploy(&local).await.expect_err("the second migration fails");
        let MigrateError::Failed { name, statement, total, applied, .. } = &err else { panic!("{dialect:?}: {err}") };
        assert_eq!((name.as_str(), *statement, *total), ("20260101000001_bad", 3, 3), "{dialect:?}");
        assert!(err.help().is_some_and(|h| h.contains("--rolled-back 20260101000001_bad")));
        m.close().await.expect("close");

        // PostgreSQL and SQLite undid the whole migration; MySQL kept the two statements it ran.
        let expected_tables: &[&str] = if dialect == Dialect::Mysql { &["Half", "Kept"] } else { &["Kept"] };
        assert_eq!(tables(&db.url).await, expected_tables, "{dialect:?}");
        assert_eq!(*applied, if dialect == Dialect::Mysql { 2 } else { 0 });
        let s = states(&db.url, &local).await;
        let MigrationState::Failed { logs: Some(logs), applied_steps } = &s[1].1 else { panic!("{dialect:?}: {s:?}") };
        assert!(logs.contains("statement 3 of 3") && logs.contains("Missing"), "{logs}");
        assert_eq!(*applied_steps as usize, *applied);

        // Deploy refuses until the failure is resolved.
        let mut m = Migrator::connect(&db.url).await.expect("connect");
        assert!(matches!(m.deploy(&local).await, Err(MigrateError::Unresolved { .. })));
        assert!(matches!(
            m.resolve(&local, "20260101000000_good", Resolution::RolledBack).await,
            Err(MigrateError::NotFailed { .. })
        ));
        if dialect == Dialect::Mysql {
            // Nothing rolled MySQL back: finish the migration by hand and say so.
            let rest = format!("{}INSERT INTO {} VALUES (1);", create_table(dialect, "Missing"), q(dialect, "Missing"));
            m.execute_script("by hand", &rest).await.expect("the rest by hand");
            m.resolve(&local, "20260101000001_bad", Resolution::Applied).await.expect("resolve applied");
        } else {
            m.resolve(&local, "20260101000001_bad", Resolution::RolledBack).await.expect("resolve rolled back");
            local[1].script =
                format!("{}INSERT INTO {} VALUES (1);\n", create_table(dialect, "Half"), q(dialect, "Half"));
            assert_eq!(m.deploy(&local).await.expect("deploy the fixed migration"), ["20260101000001_bad"]);
        }
        assert!(m.status(&local).await.expect("status").is_up_to_date(), "{dialect:?}");
        m.close().await.expect("close");
    }
}

#[tokio::test]
async fn two_deploys_at_once_apply_each_migration_exactly_once() {
    for dialect in DIALECTS {
        let Some(db) = ScratchDb::create(dialect).await else { continue };
        // Each migration creates a table: applying one twice would fail.
        let local: Vec<Migration> = (0..6)
            .map(|i| Migration::new(format!("2026010100000{i}_t{i}"), create_table(dialect, &format!("T{i}"))))
            .collect();
        let run = || async {
            let mut m = Migrator::connect(&db.url).await.expect("connect");
            let applied = m.deploy(&local).await;
            m.close().await.expect("close");
            applied
        };
        let (a, b) = tokio::join!(run(), run());
        let (a, b) = (a.expect("first deploy"), b.expect("second deploy"));
        let mut all: Vec<String> = a.iter().chain(&b).cloned().collect();
        all.sort();
        let names: Vec<String> = local.iter().map(|m| m.name.clone()).collect();
        assert_eq!(all, names, "{dialect:?}: each migration applied by exactly one deploy ({a:?} / {b:?})");
        assert!(states(&db.url, &local).await.iter().all(|(_, s)| *s == MigrationState::Applied));
    }
}

#[tokio::test]
async fn postgres_uses_enum_values_added_in_the_same_migration() {
    let Some(db) = ScratchDb::create(Dialect::Postgres).await else { return };
    let first = Migration::new(
        "20260101000000_enum",
        "CREATE TYPE \"Role\" AS ENUM ('USER');\nCREATE TABLE \"U\" (\"id\" INTEGER PRIMARY KEY, \"role\" \"Role\" NOT NULL DEFAULT 'USER');\n",
    );
    let second = Migration::new(
        "20260101000001_admin",
        "-- AlterEnum\nALTER TYPE \"Role\" ADD VALUE 'ADMIN';\n\n-- AlterTable\nALTER TABLE \"U\" ALTER COLUMN \"role\" SET DEFAULT 'ADMIN';\nINSERT INTO \"U\" (\"id\") VALUES (1);\n",
    );
    let mut m = Migrator::connect(&db.url).await.expect("connect");
    m.deploy(&[first, second]).await.expect("the new value is usable after ADD VALUE");
    assert_eq!(m.count("SELECT COUNT(*) FROM \"U\" WHERE \"role\" = 'ADMIN'", &[]).await.expect("count"), 1);
    m.close().await.expect("close");
}

#[tokio::test]
async fn sqlite_rebuilds_leaving_dangling_rows_are_refused_and_undone() {
    let Some(db) = ScratchDb::create(Dialect::Sqlite).await else { return };
    let setup = Migration::new(
        "20260101000000_init",
        "CREATE TABLE \"P\" (\"id\" INTEGER PRIMARY KEY);\nCREATE TABLE \"C\" (\"id\" INTEGER PRIMARY KEY, \"p\" INTEGER REFERENCES \"P\" (\"id\") ON DELETE CASCADE);\n\
         INSERT INTO \"P\" VALUES (1);\nINSERT INTO \"C\" VALUES (1, 1);\n",
    );
    // A rebuild of the parent that loses its row: with keys off nothing cascades, and the
    // check finds the child pointing nowhere.
    let rebuild = Migration::new(
        "20260101000001_rebuild",
        "PRAGMA foreign_keys=OFF;\nCREATE TABLE \"new_P\" (\"id\" INTEGER PRIMARY KEY);\nDROP TABLE \"P\";\n\
         ALTER TABLE \"new_P\" RENAME TO \"P\";\nPRAGMA foreign_keys=ON;\n",
    );
    let mut m = Migrator::connect(&db.url).await.expect("connect");
    let err = m.deploy(&[setup.clone(), rebuild.clone()]).await.expect_err("dangling rows are refused");
    assert!(err.to_string().contains("1 row(s) would break a foreign key"), "{err}");
    assert_eq!(m.count("SELECT COUNT(*) FROM \"C\"", &[]).await.expect("child rows kept"), 1);
    assert_eq!(m.count("SELECT COUNT(*) FROM \"P\"", &[]).await.expect("parent rows kept"), 1);
    m.close().await.expect("close");
}
