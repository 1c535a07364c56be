//! A Prisma project switches to `orm` on every backend: its schema, its migrations folder and a
//! database Prisma migrated (the scripts applied and `_prisma_migrations` written as Prisma's
//! schema engine writes it). `orm` sees the history, applies nothing, finds no drift, adds the
//! next migration to the same table, and writes rows Prisma reads back.

mod common;

use std::path::Path;

use common::{App, DIALECTS, ok, out};
use orm_db_schema::Dialect;
use orm_tests::scratch::ScratchDb;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Connection as _};

/// `_prisma_migrations` as Prisma's schema engine creates it, per provider.
fn prisma_history_table(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            r#"CREATE TABLE "_prisma_migrations" (
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
            r#"CREATE TABLE "_prisma_migrations" (
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
            r#"CREATE TABLE `_prisma_migrations` (
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
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What Prisma's `migrate deploy` does with each migration folder, in order: a history row
/// started (id, checksum of the file's bytes, name, start time), the script run as one
/// command, one step counted, the finish time set. Prisma binds its timestamps, which SQLite
/// keeps as milliseconds since the epoch.
macro_rules! prisma_deploy {
    ($conn:expr, $dialect:expr, $migrations:expr, $now:expr) => {{
        let c = $conn;
        let p = |n: usize| if $dialect == Dialect::Postgres { format!("${n}") } else { "?".to_owned() };
        let q = |name: &str| $dialect.quote_identifier(name);
        sqlx::raw_sql(AssertSqlSafe(prisma_history_table($dialect))).execute(&mut *c).await.unwrap();
        for (name, script) in $migrations {
            let id = uuid::Uuid::new_v4().to_string();
            let insert = format!(
                "INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, {}, {})",
                q("_prisma_migrations"),
                q("id"),
                q("checksum"),
                q("started_at"),
                q("migration_name"),
                p(1),
                p(2),
                p(3),
                p(4)
            );
            sqlx::query(AssertSqlSafe(insert))
                .bind(&id)
                .bind(sha256_hex(script.as_bytes()))
                .bind($now())
                .bind(name)
                .execute(&mut *c)
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(script.clone())).execute(&mut *c).await.unwrap();
            let step = format!(
                "UPDATE {t} SET {s} = {s} + 1 WHERE {id} = {}",
                p(1),
                t = q("_prisma_migrations"),
                s = q("applied_steps_count"),
                id = q("id")
            );
            sqlx::query(AssertSqlSafe(step)).bind(&id).execute(&mut *c).await.unwrap();
            let finish = format!(
                "UPDATE {} SET {} = {} WHERE {} = {}",
                q("_prisma_migrations"),
                q("finished_at"),
                p(1),
                q("id"),
                p(2)
            );
            sqlx::query(AssertSqlSafe(finish)).bind($now()).bind(&id).execute(&mut *c).await.unwrap();
        }
    }};
}

async fn migrate_as_prisma(db: &ScratchDb, migrations: &[(String, String)]) {
    match db.dialect {
        Dialect::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            prisma_deploy!(&mut c, Dialect::Sqlite, migrations, || chrono::Utc::now().timestamp_millis());
            c.close().await.unwrap();
        }
        Dialect::Postgres => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            prisma_deploy!(&mut c, Dialect::Postgres, migrations, chrono::Utc::now);
            c.close().await.unwrap();
        }
        Dialect::Mysql => {
            let mut c = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            prisma_deploy!(&mut c, Dialect::Mysql, migrations, chrono::Utc::now);
            c.close().await.unwrap();
        }
    }
}

/// The migrations of a folder as `(name, script)`, oldest first.
fn read_migrations(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let script = std::fs::read_to_string(e.path().join("migration.sql")).unwrap();
            (e.file_name().to_string_lossy().into_owned(), script)
        })
        .collect();
    out.sort();
    out
}

/// The history table's columns as the catalog describes them.
async fn history_columns(db: &ScratchDb) -> Vec<Vec<Option<String>>> {
    let mut conn = orm_tests::connection::Conn::open(db).await;
    let sql = match db.dialect {
        Dialect::Sqlite => "SELECT name, type, CAST(\"notnull\" AS TEXT), dflt_value, CAST(pk AS TEXT) \
                            FROM pragma_table_info('_prisma_migrations') ORDER BY cid"
            .to_owned(),
        Dialect::Postgres => "SELECT column_name::text, data_type::text, is_nullable::text, column_default::text \
                              FROM information_schema.columns WHERE table_name = '_prisma_migrations' \
                              AND table_schema = current_schema() ORDER BY ordinal_position"
            .to_owned(),
        Dialect::Mysql => "SELECT CAST(column_name AS CHAR), CAST(column_type AS CHAR), CAST(is_nullable AS CHAR), \
                           CAST(column_default AS CHAR), CAST(column_key AS CHAR) FROM information_schema.columns \
                           WHERE table_name = '_prisma_migrations' AND table_schema = DATABASE() \
                           ORDER BY ordinal_position"
            .to_owned(),
    };
    let rows = conn.text_rows(&sql).await.unwrap();
    conn.close().await;
    rows
}

#[tokio::test]
async fn a_database_prisma_migrated_carries_on_with_orm() {
    for dialect in DIALECTS {
        let Some(app) = App::new(dialect).await else { continue };
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prisma_project").join(dialect.provider());
        copy_tree(&fixture, app.dir.path());
        let prisma_applied = read_migrations(&app.path("migrations"));
        assert_eq!(prisma_applied.len(), 2);
        migrate_as_prisma(&app.db, &prisma_applied).await;
        app.sql(&["INSERT INTO \"User\" (\"email\", \"name\") VALUES ('ann@example.com', 'Ann')"]).await;

        // The history is Prisma's: nothing pending, nothing to apply, no drift.
        let status = ok(&app.orm(&["migrate", "status", "--schema", "schema.prisma"]));
        assert!(status.contains("The database is up to date"), "{dialect:?}: {status}");
        let deployed = ok(&app.orm(&["migrate", "deploy", "--schema", "schema.prisma"]));
        assert!(deployed.contains("No pending migrations (2 applied)"), "{dialect:?}: {deployed}");
        let url = app.db.url.clone();
        let diff = ["migrate", "diff", "--from-url", &url, "--to-schema", "schema.prisma", "--exit-code"];
        assert!(ok(&app.orm(&diff)).contains("No difference detected"), "{dialect:?}");

        // A checkout with Windows line endings is still the migration Prisma applied.
        let first = app.path(&format!("migrations/{}/migration.sql", prisma_applied[0].0));
        std::fs::write(&first, prisma_applied[0].1.replace('\n', "\r\n")).unwrap();
        ok(&app.orm(&["migrate", "status", "--schema", "schema.prisma"]));
        std::fs::write(&first, &prisma_applied[0].1).unwrap();

        // An edit becomes exactly one new migration, recorded in the same table.
        let schema = std::fs::read_to_string(app.path("schema.prisma")).unwrap();
        let edited = schema.replace("  name      String?\n", "  name      String?\n  bio       String?\n");
        assert_ne!(schema, edited);
        std::fs::write(app.path("schema.prisma"), edited).unwrap();
        let before = chrono::Utc::now();
        ok(&app.orm(&["migrate", "dev", "--schema", "schema.prisma", "--name", "add bio"]));
        let after = chrono::Utc::now();
        let names = app.migrations();
        assert_eq!(names.len(), 3, "{dialect:?}: {names:?}");
        assert!(names[2].ends_with("_add_bio"), "{names:?}");
        let script = std::fs::read_to_string(app.path(&format!("migrations/{}/migration.sql", names[2]))).unwrap();
        assert!(script.contains("bio"), "{script}");
        assert_eq!(app.texts("SELECT \"email\" FROM \"User\"").await, [[Some("ann@example.com".to_owned())]]);
        ok(&app.orm(&diff));

        // The rows as Prisma's engine reads them: ordered by `started_at`, every field there.
        let mut conn = orm_tests::connection::Conn::open(&app.db).await;
        let text = |c: &str| conn.as_text(c);
        let sql = format!(
            "SELECT {}, {}, {}, {}, {}, {}, {} FROM {} ORDER BY {}",
            text("id"),
            text("checksum"),
            text("migration_name"),
            text("finished_at"),
            text("rolled_back_at"),
            text("started_at"),
            text("applied_steps_count"),
            dialect.quote_identifier("_prisma_migrations"),
            dialect.quote_identifier("started_at"),
        );
        let rows = conn.text_rows(&sql).await.unwrap();
        let kinds = if dialect == Dialect::Sqlite {
            conn.text_rows(
                "SELECT typeof(started_at), typeof(finished_at) FROM _prisma_migrations WHERE migration_name LIKE '%add_bio'",
            )
            .await
            .unwrap()
        } else {
            Vec::new()
        };
        conn.close().await;
        let listed: Vec<&str> = rows.iter().map(|r| r[2].as_deref().unwrap()).collect();
        assert_eq!(listed, names.iter().map(String::as_str).collect::<Vec<_>>(), "{dialect:?}");
        let new = &rows[2];
        let id = new[0].as_deref().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok() && id.len() == 36, "{id}");
        assert_eq!(new[1].as_deref(), Some(sha256_hex(script.as_bytes()).as_str()), "Prisma's checksum");
        assert!(new[3].is_some() && new[4].is_none(), "finished, not rolled back: {new:?}");
        let steps: i64 = new[6].as_deref().unwrap().parse().unwrap();
        assert!(steps >= 1, "{new:?}");
        if dialect == Dialect::Sqlite {
            // Milliseconds since the epoch, as Prisma binds them, so Prisma reads a time back.
            assert_eq!(kinds, [[Some("integer".to_owned()), Some("integer".to_owned())]]);
            for at in [&new[3], &new[5]] {
                let ms: i64 = at.as_deref().unwrap().parse().unwrap();
                assert!((before.timestamp_millis() - 1000..=after.timestamp_millis() + 1000).contains(&ms), "{ms}");
            }
        }

        // A database `orm` migrates from empty gets Prisma's history table, column for column.
        let fresh = ScratchDb::create(dialect).await.expect("a second database");
        let deployed = app.orm(&["migrate", "deploy", "--schema", "schema.prisma", "--url", &fresh.url]);
        assert_eq!(deployed.status.code(), Some(0), "{}", out(&deployed));
        assert_eq!(history_columns(&fresh).await, history_columns(&app.db).await, "{dialect:?}");
    }
}
