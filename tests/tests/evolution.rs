//! A schema that evolves under live data, on every backend. Starting from a small blog schema
//! with rows in it, each of the edits below (columns, tables, types, nullability, defaults,
//! unique and plain indexes, foreign keys, enum values, an implicit many-to-many relation, a
//! primary key) is migrated with `diff(introspect(db), from_schema(next))` rendered for the
//! backend, and then:
//!
//! - the database diffs clean against the new schema (`diff(introspect(db), next)` is empty);
//! - the migration's down script takes it back to the previous schema (clean again), and the
//!   up script forward once more (clean again), so both directions run on real data;
//! - the rows' kept values are still there (checked by primary key, as text).
//!
//! The same edits run a second time through `migrate dev` (`orm_migrate::dev`): a project
//! folder gains one migration per edit, with shadow replay, drift check and data-loss checks.
//!
//! SQLite always runs (a temporary file); PostgreSQL and MySQL/MariaDB run when
//! `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` are set (a throwaway database). A set URL
//! whose server cannot be reached fails the test.

use std::collections::BTreeMap;

use orm_codegen::{db_schema, diff, render};
use orm_db_schema::{DbSchema, Dialect};
use orm_tests::connection::Conn;
use orm_tests::scratch::ScratchDb;

/// The first schema; every edit below rewrites part of the previous one.
const START: &str = r#"
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  age   Int?
  score String
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  views    Int    @default(0)
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
"#;

/// One edit of the schema, with the rows it brings and the values it changes.
struct Edit {
    what: &'static str,
    /// Text replacements on the previous schema, each of which must apply.
    replace: &'static [(&'static str, &'static str)],
    /// Rows inserted once the edit is migrated: table and `(column, value)` pairs, the values
    /// written as SQL string literals (every backend casts them to the column's type).
    insert: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    /// Values expected from now on: table, primary key, column, value as text.
    expect: &'static [(&'static str, &'static str, &'static str, Option<&'static str>)],
    /// Columns (table, column; `*` for the whole table) whose values are no longer checked.
    forget: &'static [(&'static str, &'static str)],
}

const EDITS: &[Edit] = &[
    Edit {
        what: "add a nullable column",
        replace: &[("  age   Int?\n", "  age   Int?\n  bio   String?\n")],
        insert: &[],
        expect: &[("User", "1", "bio", None)],
        forget: &[],
    },
    Edit {
        what: "add a required column with a default",
        replace: &[("  bio   String?\n", "  bio   String?\n  level Int     @default(3)\n")],
        insert: &[],
        expect: &[("User", "1", "level", Some("3")), ("User", "2", "level", Some("3"))],
        forget: &[],
    },
    Edit {
        what: "add a table",
        replace: &[("", "model Tag {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n")],
        insert: &[("Tag", &[("id", "1"), ("name", "rust")]), ("Tag", &[("id", "2"), ("name", "sql")])],
        expect: &[("Tag", "1", "name", Some("rust")), ("Tag", "2", "name", Some("sql"))],
        forget: &[],
    },
    Edit {
        what: "make a column required",
        replace: &[("  name  String?\n", "  name  String\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "make a column nullable",
        replace: &[("  score String\n", "  score String?\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add a default",
        replace: &[("  age   Int?\n", "  age   Int?    @default(18)\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "change a default",
        replace: &[("  views    Int    @default(0)\n", "  views    Int    @default(1)\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "drop a default",
        replace: &[("  views    Int    @default(1)\n", "  views    Int\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "change Int to BigInt",
        replace: &[("  views    Int\n", "  views    BigInt\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "change String to Int (the values are numbers)",
        replace: &[("  score String?\n", "  score Int?\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add a unique constraint",
        replace: &[("  title    String\n", "  title    String @unique\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add an index",
        replace: &[(
            "  author   User   @relation(fields: [authorId], references: [id])\n",
            "  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([views(sort: Desc)])\n",
        )],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "drop the unique constraint",
        replace: &[("  title    String @unique\n", "  title    String\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "drop the index",
        replace: &[("\n  @@index([views(sort: Desc)])\n", "")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add an enum and a column of it",
        replace: &[
            ("", "enum Role {\n  USER\n  ADMIN\n}\n"),
            ("  level Int     @default(3)\n", "  level Int     @default(3)\n  role  Role    @default(USER)\n"),
        ],
        insert: &[],
        expect: &[("User", "1", "role", Some("USER"))],
        forget: &[],
    },
    Edit {
        what: "add an enum value in the middle",
        replace: &[("  USER\n  ADMIN\n", "  USER\n  EDITOR\n  ADMIN\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "remove an enum value",
        replace: &[("  USER\n  EDITOR\n  ADMIN\n", "  USER\n  ADMIN\n")],
        insert: &[],
        expect: &[("User", "1", "role", Some("USER"))],
        forget: &[],
    },
    Edit {
        what: "change an enum default",
        replace: &[("  role  Role    @default(USER)\n", "  role  Role    @default(ADMIN)\n")],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add a foreign key (and its column)",
        replace: &[
            (
                "  name String\n}\n",
                "  name String\n  postId Int?\n  post Post? @relation(fields: [postId], references: [id])\n}\n",
            ),
            (
                "  author   User   @relation(fields: [authorId], references: [id])\n",
                "  author   User   @relation(fields: [authorId], references: [id])\n  tagged   Tag[]\n",
            ),
        ],
        insert: &[],
        expect: &[("Tag", "1", "postId", None)],
        forget: &[],
    },
    Edit {
        what: "drop the foreign key, keep its column",
        replace: &[
            ("  postId Int?\n  post Post? @relation(fields: [postId], references: [id])\n", "  postId Int?\n"),
            ("  tagged   Tag[]\n", ""),
        ],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add an implicit many-to-many relation",
        replace: &[
            ("  postId Int?\n", "  postId Int?\n  posts Post[]\n"),
            (
                "  author   User   @relation(fields: [authorId], references: [id])\n",
                "  author   User   @relation(fields: [authorId], references: [id])\n  tags     Tag[]\n",
            ),
        ],
        insert: &[("_PostToTag", &[("A", "1"), ("B", "2")])],
        expect: &[("_PostToTag", "1", "B", Some("2"))],
        forget: &[],
    },
    Edit {
        what: "drop a column",
        replace: &[("  bio   String?\n", "")],
        insert: &[],
        expect: &[],
        forget: &[("User", "bio")],
    },
    Edit {
        what: "add a table with a text primary key",
        replace: &[(
            "",
            "model Setting {\n  key   String @id\n  scope String @default(\"global\")\n  value String\n}\n",
        )],
        insert: &[("Setting", &[("key", "theme"), ("value", "dark")])],
        expect: &[("Setting", "theme", "value", Some("dark")), ("Setting", "theme", "scope", Some("global"))],
        forget: &[],
    },
    Edit {
        what: "change a primary key to a compound one",
        replace: &[
            ("  key   String @id\n", "  key   String\n"),
            ("  value String\n}\n", "  value String\n\n  @@id([key, scope])\n}\n"),
        ],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "widen both sides of a foreign key from Int to BigInt",
        replace: &[
            ("  id    Int     @id @default(autoincrement())\n", "  id    BigInt  @id @default(autoincrement())\n"),
            ("  authorId Int\n", "  authorId BigInt\n"),
        ],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "change a foreign key's actions",
        replace: &[(
            "  author   User   @relation(fields: [authorId], references: [id])\n",
            "  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n",
        )],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "add a compound unique constraint",
        replace: &[(
            "  score Int?\n  posts Post[]\n}\n",
            "  score Int?\n  posts Post[]\n\n  @@unique([email, name])\n}\n",
        )],
        insert: &[],
        expect: &[],
        forget: &[],
    },
    Edit {
        what: "drop a table",
        replace: &[(
            "model Setting {\n  key   String\n  scope String @default(\"global\")\n  value String\n\n  @@id([key, scope])\n}\n",
            "",
        )],
        insert: &[],
        expect: &[],
        forget: &[("Setting", "*")],
    },
];

/// Rows written before the first edit.
const SEED: &[(&str, &[(&str, &str)])] = &[
    ("User", &[("id", "1"), ("email", "ann@example.com"), ("name", "Ann"), ("age", "30"), ("score", "10")]),
    ("User", &[("id", "2"), ("email", "bob@example.com"), ("name", "Bob"), ("score", "20")]),
    ("Post", &[("id", "1"), ("title", "Hello"), ("views", "5"), ("authorId", "1")]),
    ("Post", &[("id", "2"), ("title", "World"), ("authorId", "2")]),
];

const SEED_EXPECT: &[(&str, &str, &str, Option<&str>)] = &[
    ("User", "1", "email", Some("ann@example.com")),
    ("User", "2", "email", Some("bob@example.com")),
    ("User", "1", "name", Some("Ann")),
    ("User", "2", "name", Some("Bob")),
    ("User", "1", "age", Some("30")),
    ("User", "2", "age", None),
    ("User", "1", "score", Some("10")),
    ("User", "2", "score", Some("20")),
    ("Post", "1", "title", Some("Hello")),
    ("Post", "1", "views", Some("5")),
    ("Post", "2", "views", Some("0")),
    ("Post", "2", "authorId", Some("2")),
];

/// The primary-key column of each checked table (the join table is checked by `A`).
fn key_column(table: &str) -> &'static str {
    match table {
        "Setting" => "key",
        "_PostToTag" => "A",
        _ => "id",
    }
}

fn schema(dialect: Dialect, models: &str) -> DbSchema {
    let text = format!("datasource db {{\n  provider = \"{}\"\n}}\n{models}", dialect.provider());
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "the schema does not validate: {:?}\n{text}", checked.sorted_diagnostics());
    db_schema::from_schema(&checked.schema)
}

fn apply_edit(text: &str, edit: &Edit) -> String {
    let mut text = text.to_owned();
    for (old, new) in edit.replace {
        if old.is_empty() {
            text = format!("{new}{text}");
        } else {
            assert!(text.contains(old), "{}: {old:?} is not in the schema:\n{text}", edit.what);
            text = text.replacen(old, new, 1);
        }
    }
    text
}

fn insert_sql(dialect: Dialect, table: &str, values: &[(&str, &str)]) -> String {
    let columns: Vec<String> = values.iter().map(|(c, _)| dialect.quote_identifier(c)).collect();
    let literals: Vec<String> = values.iter().map(|(_, v)| dialect.quote_string_literal(v)).collect();
    format!("INSERT INTO {} ({}) VALUES ({})", dialect.quote_identifier(table), columns.join(", "), literals.join(", "))
}

/// Runs the migration from `from` to `to` (as rendered for the backend) and checks that the
/// database then diffs clean against `to`.
async fn migrate(conn: &mut Conn, from: &DbSchema, to: &DbSchema, label: &str) {
    let dialect = conn.dialect();
    let statements =
        render(&diff(from, to), dialect).unwrap_or_else(|e| panic!("{label} ({dialect:?}): does not render: {e}"));
    if let Err(e) = conn.execute_all(&statements).await {
        panic!("{label} ({dialect:?}): the migration failed: {e}\nthe whole migration:\n{}", statements.join(";\n"));
    }
    let actual = conn.introspect().await.unwrap_or_else(|e| panic!("{label} ({dialect:?}): introspection: {e}"));
    let left = diff(&actual, to);
    assert!(
        left.is_empty(),
        "{label} ({dialect:?}): after the migration the database still differs from the schema:\n{left:#?}\n\
         the migration was:\n{}",
        statements.join(";\n")
    );
}

/// Every expected value, read back by primary key.
async fn check_values(conn: &mut Conn, expected: &BTreeMap<(String, String, String), Option<String>>, label: &str) {
    let dialect = conn.dialect();
    for ((table, key, column), value) in expected {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = {}",
            conn.as_text(column),
            dialect.quote_identifier(table),
            conn.as_text(key_column(table)),
            dialect.quote_string_literal(key)
        );
        let rows = conn.text_rows(&sql).await.unwrap_or_else(|e| panic!("{label} ({dialect:?}): {sql}: {e}"));
        let actual: Vec<Option<String>> = rows.into_iter().map(|mut r| r.remove(0)).collect();
        assert_eq!(actual, vec![value.clone()], "{label} ({dialect:?}): {table}.{column} of row {key}");
    }
}

/// How each edit reaches the database.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// The diff rendered and run, then its down script, then up again.
    UpDownUp,
    /// `migrate dev` (`orm_migrate::dev`) on a project folder: a migrations folder, history,
    /// shadow replay and drift check, data-loss checks accepted.
    MigrateDev,
}

/// Writes `models` as the project's schema and runs `migrate dev` on it; then checks the
/// database diffs clean against it.
async fn migrate_dev(conn: &mut Conn, dir: &std::path::Path, url: &str, models: &str, label: &str) {
    let dialect = conn.dialect();
    let text =
        format!("datasource db {{\n  provider = \"{}\"\n  url      = \"{url}\"\n}}\n{models}", dialect.provider());
    let path = dir.join("schema.orm");
    std::fs::write(&path, &text).expect("write the schema");
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{label}: {:?}", checked.sorted_diagnostics());
    let project = orm_migrate::Project::new(checked.schema, &path).expect("project");
    let target = project.target();
    let options =
        orm_migrate::DevOptions { name: Some(label.to_owned()), accept_data_loss: true, ..Default::default() };
    if let Err(e) = orm_migrate::dev(&project, &options, &mut orm_migrate::NoPrompt).await {
        panic!("{label} ({dialect:?}): migrate dev failed: {e}\nhelp: {:?}", e.help());
    }
    let actual = conn.introspect().await.unwrap_or_else(|e| panic!("{label} ({dialect:?}): introspection: {e}"));
    let left = diff(&actual, &target);
    assert!(
        left.is_empty(),
        "{label} ({dialect:?}): after migrate dev the database differs from the schema:\n{left:#?}"
    );
}

async fn evolve(dialect: Dialect, via: Via) {
    assert!(EDITS.len() >= 25, "the evolution should cover at least 25 edits");
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    let mut conn = Conn::open(&scratch).await;
    let project_dir = tempfile::tempdir().expect("a project folder");

    let mut text = START.to_owned();
    let mut current = schema(dialect, &text);
    match via {
        Via::UpDownUp => migrate(&mut conn, &DbSchema::default(), &current, "the first schema").await,
        Via::MigrateDev => migrate_dev(&mut conn, project_dir.path(), &scratch.url, &text, "init").await,
    }
    let mut expected: BTreeMap<(String, String, String), Option<String>> = BTreeMap::new();
    for (table, values) in SEED {
        let sql = insert_sql(dialect, table, values);
        conn.execute(&sql).await.unwrap_or_else(|e| panic!("seeding ({dialect:?}): {sql}: {e}"));
    }
    for (table, key, column, value) in SEED_EXPECT {
        expected.insert((table.to_string(), key.to_string(), column.to_string()), value.map(str::to_owned));
    }
    check_values(&mut conn, &expected, "the seed").await;

    for (i, edit) in EDITS.iter().enumerate() {
        let label = format!("edit {}: {}", i + 1, edit.what);
        let next_text = apply_edit(&text, edit);
        let next = schema(dialect, &next_text);
        if via == Via::MigrateDev {
            migrate_dev(&mut conn, project_dir.path(), &scratch.url, &next_text, &label).await;
            println!("{label} ({dialect:?}): migrate dev");
        } else if diff(&current, &next).is_empty() {
            // Enum values on SQLite, whose enum columns are plain text.
            assert_eq!(dialect, Dialect::Sqlite, "{label}: the edit changes nothing");
            println!("{label} ({dialect:?}): nothing to migrate on this backend");
        } else {
            migrate(&mut conn, &current, &next, &label).await;
            migrate(&mut conn, &next, &current, &format!("{label} (down)")).await;
            migrate(&mut conn, &current, &next, &format!("{label} (up again)")).await;
            println!("{label} ({dialect:?}): migrated, down and up again");
        }

        for (table, values) in edit.insert {
            let sql = insert_sql(dialect, table, values);
            conn.execute(&sql).await.unwrap_or_else(|e| panic!("{label} ({dialect:?}): {sql}: {e}"));
        }
        for (table, column) in edit.forget {
            expected.retain(|(t, _, c), _| !(t == table && (c == column || *column == "*")));
        }
        for (table, key, column, value) in edit.expect {
            expected.insert((table.to_string(), key.to_string(), column.to_string()), value.map(str::to_owned));
        }
        check_values(&mut conn, &expected, &label).await;
        println!("{label} ({dialect:?}): {} values kept", expected.len());
        text = next_text;
        current = next;
    }
    if via == Via::MigrateDev {
        // Every edit left a migration behind, and the history replays to the same database.
        let migrations = orm_migrate::MigrationsDir::new(project_dir.path().join("migrations")).migrations().unwrap();
        assert!(migrations.len() >= 25, "{dialect:?}: {} migrations", migrations.len());
        let mut m = orm_migrate::Migrator::connect(&scratch.url).await.unwrap();
        assert!(m.status(&migrations).await.unwrap().is_up_to_date(), "{dialect:?}");
        m.close().await.unwrap();
    }
    conn.close().await;
}

#[tokio::test]
async fn the_schema_evolves_on_sqlite() {
    evolve(Dialect::Sqlite, Via::UpDownUp).await;
}

#[tokio::test]
async fn the_schema_evolves_on_postgres() {
    evolve(Dialect::Postgres, Via::UpDownUp).await;
}

#[tokio::test]
async fn the_schema_evolves_on_mysql() {
    evolve(Dialect::Mysql, Via::UpDownUp).await;
}

#[tokio::test]
async fn the_schema_evolves_with_migrate_dev_on_sqlite() {
    evolve(Dialect::Sqlite, Via::MigrateDev).await;
}

#[tokio::test]
async fn the_schema_evolves_with_migrate_dev_on_postgres() {
    evolve(Dialect::Postgres, Via::MigrateDev).await;
}

#[tokio::test]
async fn the_schema_evolves_with_migrate_dev_on_mysql() {
    evolve(Dialect::Mysql, Via::MigrateDev).await;
}
