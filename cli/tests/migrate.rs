//! `orm migrate …` and `orm db …` as a user runs them, on every backend: exit codes, messages,
//! files written or not, and the data kept.
//!
//! SQLite always runs; PostgreSQL and MySQL/MariaDB run when `ORM_TEST_POSTGRES_URL` /
//! `ORM_TEST_MYSQL_URL` are set (a throwaway database per test; a set URL whose server is
//! unreachable fails the test).

mod common;

use std::path::Path;
use std::process::Command;

use common::{App, DIALECTS, fails, ok, out};
use orm_db_schema::Dialect;
use orm_tests::scratch::ScratchDb;

const V1: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  bio   String?\n}\n";

#[tokio::test]
async fn dev_deploy_status_and_diff_on_a_database_with_rows() {
    for dialect in DIALECTS {
        let Some(app) = App::new(dialect).await else { continue };
        app.schema(V1);
        assert!(ok(&app.orm(&["migrate", "status"])).contains("pending") || app.migrations().is_empty());
        ok(&app.orm(&["migrate", "dev", "--name", "init"]));
        assert_eq!(app.migrations().len(), 1, "{dialect:?}");
        assert!(
            std::fs::read_to_string(app.path("migrations/migration_lock.toml")).unwrap().contains(dialect.provider())
        );
        assert!(ok(&app.orm(&["migrate", "dev"])).contains("Already in sync"), "{dialect:?}");
        assert_eq!(app.migrations().len(), 1, "nothing written when nothing changed");
        app.sql(&[
            "INSERT INTO \"User\" (\"email\", \"name\", \"bio\") VALUES ('a@x', 'Ann', 'hi'), ('b@x', NULL, NULL)",
        ])
        .await;

        // A required column without a default can't be added to rows: refused, nothing written.
        app.schema(&V1.replace("  bio   String?\n", "  bio   String?\n  age   Int\n"));
        fails(
            &app.orm(&["migrate", "dev", "--name", "age"]),
            1,
            "adding the required column `age` to `User` without a default, but the table has 2 row(s)",
        );
        assert_eq!(app.migrations().len(), 1);

        // A rename keeps the values; without saying so it would be a drop, which needs a yes.
        app.schema(&V1.replace("  name  String?\n", "  fullName String?\n"));
        fails(
            &app.orm(&["migrate", "dev", "--name", "rename"]),
            1,
            "dropping column `name` of `User`, which has 1 non-null value(s)",
        );
        fails(&app.orm(&["migrate", "dev", "--name", "rename"]), 1, "--rename User.name=fullName");
        ok(&app.orm(&["migrate", "dev", "--name", "rename", "--rename", "User.name=fullName"]));
        assert_eq!(
            app.texts("SELECT \"fullName\" FROM \"User\" ORDER BY \"id\"").await,
            [[Some("Ann".to_owned())], [None]]
        );

        // Dropping a column with values needs --accept-data-loss, and the script says so.
        let v3 = V1.replace("  name  String?\n", "  fullName String?\n").replace("  bio   String?\n", "");
        app.schema(&v3);
        ok(&app.orm(&["migrate", "dev", "--name", "drop bio", "--accept-data-loss"]));
        let names = app.migrations();
        assert!(names[2].ends_with("_drop_bio"), "{names:?}");
        let script = std::fs::read_to_string(app.path(&format!("migrations/{}/migration.sql", names[2]))).unwrap();
        assert!(script.contains("dropping column `bio` of `User`, which has 1 non-null value(s)"), "{script}");
        assert!(ok(&app.orm(&["migrate", "status"])).contains("The database is up to date"));

        // migrate diff between every kind of side.
        let created = ok(&app.orm(&["migrate", "diff", "--from-empty", "--to-schema", "schema.orm", "--script"]));
        assert!(created.contains("CREATE TABLE"), "{created}");
        ok(&app.orm(&["migrate", "diff", "--from-url", &app.db.url, "--to-schema", "schema.orm", "--exit-code"]));
        let shadow = ScratchDb::create(dialect).await.expect("a second database");
        let mut replay =
            vec!["migrate", "diff", "--from-migrations", "migrations", "--to-schema", "schema.orm", "--exit-code"];
        if dialect != Dialect::Sqlite {
            replay.extend(["--shadow-database-url", &shadow.url]);
        }
        ok(&app.orm(&replay));
        let differs = app.orm(&["migrate", "diff", "--from-schema", "schema.orm", "--to-empty", "--exit-code"]);
        fails(&differs, 2, "drop table `User`");

        // A fresh database gets the whole history with deploy.
        let fresh = ScratchDb::create(dialect).await.expect("a fresh database");
        let deployed = ok(&app.orm(&["migrate", "deploy", "--url", &fresh.url]));
        assert_eq!(deployed.matches("Applied ").count(), 3, "{deployed}");
        assert!(ok(&app.orm(&["migrate", "deploy", "--url", &fresh.url])).contains("No pending migrations"));

        // An applied migration edited afterwards: status and deploy both refuse.
        let first = app.path(&format!("migrations/{}/migration.sql", names[0]));
        let text = std::fs::read_to_string(&first).unwrap();
        std::fs::write(&first, format!("{text}\n-- edited\n")).unwrap();
        fails(&app.orm(&["migrate", "status"]), 1, "MODIFIED");
        fails(&app.orm(&["migrate", "deploy", "--url", &fresh.url]), 1, "was edited after it was applied");
        std::fs::write(&first, text).unwrap();

        // Drift: a table made by hand is explained, and nothing is reset without a yes.
        app.sql(&["CREATE TABLE \"Extra\" (\"id\" INTEGER PRIMARY KEY)"]).await;
        fails(&app.orm(&["migrate", "dev"]), 1, "create table `Extra`");
        assert_eq!(app.count("User").await, 2);

        // Reset (forced) rebuilds from the files and runs the seed command.
        app.schema(&format!(
            "generator client {{\n  provider = \"orm\"\n  seed     = \"echo seeded > seeded.txt\"\n}}\n\n{v3}"
        ));
        ok(&app.orm(&["migrate", "reset", "--force"]));
        assert_eq!(app.count("User").await, 0);
        assert!(app.path("seeded.txt").exists(), "the seed command ran");
        assert!(ok(&app.orm(&["migrate", "status"])).contains("The database is up to date"));
    }
}

#[tokio::test]
async fn db_push_and_pull() {
    for dialect in DIALECTS {
        let Some(app) = App::new(dialect).await else { continue };
        app.schema(V1);
        let pushed = ok(&app.orm(&["db", "push"]));
        assert!(pushed.contains("create table `User`"), "{pushed}");
        assert!(ok(&app.orm(&["db", "push"])).contains("already matches"));
        let pulled = ok(&app.orm(&["db", "pull", "--print"]));
        assert!(pulled.contains("model User {") && pulled.contains("env(\"DATABASE_URL\")"), "{pulled}");
        // The pulled schema builds the same database.
        std::fs::write(app.path("pulled.orm"), &pulled).unwrap();
        ok(&app.orm(&["migrate", "diff", "--from-url", &app.db.url, "--to-schema", "pulled.orm", "--exit-code"]));
    }
}

#[test]
fn bad_urls_missing_variables_and_changed_providers_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let orm = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_orm"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let schema = |url: &str| {
        std::fs::write(
            dir.path().join("schema.orm"),
            format!("datasource db {{\n  provider = \"sqlite\"\n  url      = {url}\n}}\n\n{V1}"),
        )
        .unwrap()
    };
    schema("env(\"ORM_SURELY_UNSET\")");
    fails(&orm(&["migrate", "deploy"]), 1, "`ORM_SURELY_UNSET` is not set");
    fails(&orm(&["migrate", "deploy", "--url", "redis://localhost"]), 1, "`redis:` is not a supported database");
    fails(&orm(&["migrate", "deploy", "--url", "postgres://h/db"]), 1, "the schema's provider is `sqlite`");
    schema("\"file:./dev.db\"");
    std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
    std::fs::write(dir.path().join("migrations/migration_lock.toml"), "provider = \"postgresql\"\n").unwrap();
    fails(&orm(&["migrate", "dev"]), 1, "locked to provider `postgresql`");
    fails(&orm(&["migrate", "deploy"]), 1, "locked to provider `postgresql`");
    assert!(!Path::new(&dir.path().join("dev.db")).exists() || orm(&["migrate", "status"]).status.code() == Some(0));

    // An unreachable server is a connection error naming it, without the password.
    let pg = dir.path().join("pg.orm");
    std::fs::write(
        &pg,
        format!(
            "datasource db {{\n  provider = \"postgresql\"\n  url = \"postgres://u:secret@127.0.0.1:1/x\"\n}}\n\n{V1}"
        ),
    )
    .unwrap();
    let o = orm(&["migrate", "deploy", "--schema", "pg.orm"]);
    fails(&o, 1, "127.0.0.1:1");
    assert!(!out(&o).contains("secret"), "{}", out(&o));
}

const POSTS: &str = "model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n";

/// `V1` with an `age` column and posts.
fn v2() -> String {
    format!("{}\n{POSTS}", V1.replace("  bio   String?\n", "  bio   String?\n  age   Int?\n  posts Post[]\n"))
}

#[tokio::test]
async fn down_rolls_back_with_down_sql_and_up_again_keeps_the_rows() {
    for dialect in DIALECTS {
        let Some(app) = App::new(dialect).await else { continue };
        app.schema(V1);
        ok(&app.orm(&["migrate", "dev", "--name", "init"]));
        app.sql(&[
            "INSERT INTO \"User\" (\"email\", \"name\", \"bio\") VALUES ('a@x', 'Ann', 'hi'), ('b@x', NULL, 'yo')",
        ])
        .await;
        app.schema(&v2());
        ok(&app.orm(&["migrate", "dev", "--name", "posts"]));
        let names = app.migrations();
        assert_eq!(names.len(), 2, "{dialect:?}");
        app.sql(&[
            "UPDATE \"User\" SET \"age\" = 40 WHERE \"email\" = 'a@x'",
            "INSERT INTO \"Post\" (\"title\", \"authorId\") SELECT 'p', \"id\" FROM \"User\"",
        ])
        .await;
        let users = "SELECT \"email\", \"name\", \"bio\" FROM \"User\" ORDER BY \"id\"";
        let before = app.texts(users).await;

        // Dropping the posts and the ages loses data: counted, and refused without a yes.
        let refused = app.orm(&["migrate", "down"]);
        fails(&refused, 1, "dropping table `Post`, which has 2 row(s)");
        fails(&refused, 1, "dropping column `age` of `User`, which has 1 non-null value(s)");
        fails(&refused, 1, "--accept-data-loss");
        assert_eq!(app.count("Post").await, 2, "nothing ran");
        assert!(ok(&app.orm(&["migrate", "status"])).contains("up to date"));

        // With the yes, one step down: the migration is pending again, the rest kept.
        let down = ok(&app.orm(&["migrate", "down", "--accept-data-loss"]));
        assert!(down.contains(&format!("Rolled back {}", names[1])), "{down}");
        fails(&app.orm(&["migrate", "status"]), 1, "pending");
        assert_eq!(app.texts(users).await, before, "{dialect:?}");
        assert!(app.db.execute(&["SELECT 1 FROM \"Post\"".replace('"', &common::quote(dialect))]).await.is_err());
        let diff = ["migrate", "diff", "--from-url", &app.db.url, "--to-migrations", "migrations", "--exit-code"];
        let shadow = ScratchDb::create(dialect).await.expect("a shadow database");
        let mut behind = diff.to_vec();
        if dialect != Dialect::Sqlite {
            behind.extend(["--shadow-database-url", &shadow.url]);
        }
        fails(&app.orm(&behind), 2, "create table `Post`");

        // And up again.
        assert!(ok(&app.orm(&["migrate", "deploy"])).contains(&format!("Applied {}", names[1])));
        assert!(ok(&app.orm(&["migrate", "status"])).contains("up to date"));
        assert_eq!(app.texts(users).await, before, "{dialect:?}");
        ok(&app.orm(&behind));

        // A branch's migration, older by name, applied last: "the last" is the database's order.
        let branch = app.path("migrations/20000101000000_branch");
        std::fs::create_dir_all(&branch).unwrap();
        let q = common::quote(dialect);
        std::fs::write(
            branch.join("migration.sql"),
            format!("CREATE TABLE {q}Branch{q} ({q}id{q} INTEGER PRIMARY KEY);\n"),
        )
        .unwrap();
        std::fs::write(branch.join("down.sql"), format!("DROP TABLE {q}Branch{q};\n")).unwrap();
        assert!(ok(&app.orm(&["migrate", "deploy"])).contains("Applied 20000101000000_branch"));
        let undone = ok(&app.orm(&["migrate", "down"]));
        assert!(undone.contains("Rolled back 20000101000000_branch") && !undone.contains(&names[1]), "{undone}");
        std::fs::remove_dir_all(&branch).unwrap();
        assert!(ok(&app.orm(&["migrate", "status"])).contains("up to date"));

        // Two steps down where the older down.sql fails: the newer one stays rolled back, and
        // the error says so.
        let first_down = app.path(&format!("migrations/{}/down.sql", names[0]));
        let first_kept = std::fs::read_to_string(&first_down).unwrap();
        std::fs::write(&first_down, "THIS IS NOT SQL;\n").unwrap();
        let stopped = app.orm(&["migrate", "down", "2", "--accept-data-loss"]);
        fails(&stopped, 1, &format!("rolled back {} (now pending), then rolling back `{}` failed", names[1], names[0]));
        fails(&app.orm(&["migrate", "status"]), 1, "pending");
        assert_eq!(app.texts(users).await, before, "{dialect:?}");
        std::fs::write(&first_down, first_kept).unwrap();
        assert!(ok(&app.orm(&["migrate", "deploy"])).contains(&format!("Applied {}", names[1])));

        // A migration without down.sql is refused before anything runs.
        let down_sql = app.path(&format!("migrations/{}/down.sql", names[1]));
        let kept = std::fs::read_to_string(&down_sql).unwrap();
        std::fs::remove_file(&down_sql).unwrap();
        fails(&app.orm(&["migrate", "down", "--accept-data-loss"]), 1, "has no down.sql");
        fails(&app.orm(&["migrate", "down", "--accept-data-loss"]), 1, "write `");
        std::fs::write(&down_sql, kept).unwrap();

        // Too far, an unknown name, then `--to` the first migration.
        fails(&app.orm(&["migrate", "down", "5"]), 1, "asked to roll back 5 migration(s), but 2 are applied");
        fails(&app.orm(&["migrate", "down", "--to", "nope"]), 1, "there is no migration `nope`");
        let to = ok(&app.orm(&["migrate", "down", "--to", &names[0], "--accept-data-loss"]));
        assert!(to.contains(&format!("Rolled back {}", names[1])) && !to.contains(&names[0]), "{to}");
        assert!(ok(&app.orm(&["migrate", "down", "--to", &names[0]])).contains("Nothing to roll back"));
        assert_eq!(app.texts(users).await, before);
        // Down to nothing loses the users: refused without a yes.
        fails(&app.orm(&["migrate", "down"]), 1, "dropping table `User`, which has 2 row(s)");
        assert_eq!(app.count("User").await, 2);
        // An applied migration whose folder is gone can be neither undone nor replayed.
        let first = app.path(&format!("migrations/{}", names[0]));
        let away = app.path("away");
        std::fs::rename(&first, &away).unwrap();
        fails(&app.orm(&["migrate", "down", "--accept-data-loss"]), 1, "its folder is not in the migrations folder");
        std::fs::rename(&away, &first).unwrap();
        assert_eq!(app.count("User").await, 2);
    }
}

#[tokio::test]
async fn create_only_resolve_and_seed_through_the_binary() {
    for dialect in DIALECTS {
        let Some(app) = App::new(dialect).await else { continue };
        app.schema(V1);
        // --create-only writes the migration and applies nothing.
        let created = ok(&app.orm(&["migrate", "dev", "--name", "init", "--create-only"]));
        assert!(created.contains("not applied"), "{created}");
        assert_eq!(app.migrations().len(), 1);
        fails(&app.orm(&["migrate", "status"]), 1, "pending");
        assert!(ok(&app.orm(&["migrate", "deploy"])).contains("Applied "));

        // A migration that fails is recorded failed and blocks deploys until resolved.
        let bad = app.path("migrations/29990101000000_bad");
        std::fs::create_dir_all(&bad).unwrap();
        std::fs::write(
            bad.join("migration.sql"),
            "SELECT * FROM \"NoSuchTable\";\n".replace('"', &common::quote(dialect)),
        )
        .unwrap();
        fails(&app.orm(&["migrate", "deploy"]), 1, "migration `29990101000000_bad` failed at statement 1 of 1");
        fails(&app.orm(&["migrate", "status"]), 1, "FAILED");
        fails(&app.orm(&["migrate", "deploy"]), 1, "resolve --rolled-back 29990101000000_bad");
        let resolved = ok(&app.orm(&["migrate", "resolve", "--rolled-back", "29990101000000_bad"]));
        assert!(resolved.contains("rolled back"), "{resolved}");
        fails(&app.orm(&["migrate", "resolve", "--rolled-back", "29990101000000_bad"]), 1, "no failed attempt");
        // Finished by hand: recorded applied without running it.
        ok(&app.orm(&["migrate", "resolve", "--applied", "29990101000000_bad"]));
        assert!(ok(&app.orm(&["migrate", "status"])).contains("up to date"));
        fails(&app.orm(&["migrate", "resolve", "--applied", "29990101000000_bad"]), 1, "already applied");

        // db seed runs the generator block's command with DATABASE_URL set to the database.
        app.schema(&format!(
            "generator client {{\n  provider = \"orm\"\n  seed     = \"echo $DATABASE_URL > seeded.txt\"\n}}\n\n{V1}"
        ));
        ok(&app.orm(&["db", "seed"]));
        let seeded = std::fs::read_to_string(app.path("seeded.txt")).unwrap();
        assert_eq!(seeded.trim(), app.db.url, "{dialect:?}");
    }
}
