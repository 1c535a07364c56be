//! Diffs beyond from-empty: adding and dropping tables, columns and indexes, and what SQLite
//! refuses instead of silently skipping.

use orm_codegen::{RenderError, Step, db_schema, diff, render};
use orm_db_schema::{DbSchema, Dialect};
use pretty_assertions::assert_eq;

fn db(provider: &str, models: &str) -> DbSchema {
    let text = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n{models}");
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
    db_schema::from_schema(&checked.schema)
}

fn sql(provider: &str, from: &str, to: &str) -> Result<Vec<String>, RenderError> {
    let dialect = match provider {
        "sqlite" => Dialect::Sqlite,
        "postgresql" => Dialect::Postgres,
        _ => Dialect::Mysql,
    };
    render(&diff(&db(provider, from), &db(provider, to)), dialect)
}

const USER: &str = "model User {\n  id Int @id @default(autoincrement())\n  email String\n}\n";
const USER_NAME: &str =
    "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n  name String?\n}\n";
const POST: &str = "model Post {\n  id Int @id\n  title String\n}\n";

#[test]
fn equal_schemas_give_no_steps() {
    for provider in ["sqlite", "postgresql", "mysql"] {
        let path = format!("{}/tests/from_empty/example_{provider}.prisma", env!("CARGO_MANIFEST_DIR"));
        let checked = orm_schema::check_str(&std::fs::read_to_string(path).expect("read"));
        let a = db_schema::from_schema(&checked.schema);
        assert!(!a.tables.is_empty());
        assert_eq!(diff(&a, &a), Vec::<Step>::new());
    }
    assert_eq!(diff(&DbSchema::default(), &DbSchema::default()), Vec::<Step>::new());
}

#[test]
fn add_and_drop_a_table() {
    let both = format!("{USER}{POST}");
    assert_eq!(
        sql("postgresql", USER, &both).unwrap(),
        [
            "CREATE TABLE \"Post\" (\n    \"id\" INTEGER NOT NULL,\n    \"title\" TEXT NOT NULL,\n\n    CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\")\n)"
        ]
    );
    assert_eq!(sql("postgresql", &both, USER).unwrap(), ["DROP TABLE \"Post\""]);
    assert_eq!(sql("mysql", &both, USER).unwrap(), ["DROP TABLE `Post`"]);
    assert_eq!(
        sql("sqlite", &both, USER).unwrap(),
        ["PRAGMA foreign_keys=off", "DROP TABLE \"Post\"", "PRAGMA foreign_keys=on"]
    );
}

#[test]
fn add_and_drop_columns_and_indexes() {
    assert_eq!(
        sql("postgresql", USER, USER_NAME).unwrap(),
        [
            "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT",
            "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\")",
        ]
    );
    assert_eq!(
        sql("postgresql", USER_NAME, USER).unwrap(),
        ["DROP INDEX \"User_email_key\"", "ALTER TABLE \"User\" DROP COLUMN \"name\""]
    );
    assert_eq!(
        sql("mysql", USER, USER_NAME).unwrap(),
        [
            "ALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL",
            "CREATE UNIQUE INDEX `User_email_key` ON `User`(`email`)",
        ]
    );
    assert_eq!(
        sql("mysql", USER_NAME, USER).unwrap(),
        ["DROP INDEX `User_email_key` ON `User`", "ALTER TABLE `User` DROP COLUMN `name`"]
    );
    assert_eq!(
        sql("sqlite", USER, USER_NAME).unwrap(),
        [
            "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT",
            "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\")"
        ]
    );
    assert_eq!(
        sql("sqlite", USER_NAME, USER).unwrap(),
        ["DROP INDEX \"User_email_key\"", "ALTER TABLE \"User\" DROP COLUMN \"name\""]
    );
}

#[test]
fn a_required_column_with_a_default_is_added_in_place() {
    let to = "model User {\n  id Int @id @default(autoincrement())\n  email String\n  n Int @default(0)\n}\n";
    assert_eq!(sql("sqlite", USER, to).unwrap(), ["ALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER NOT NULL DEFAULT 0"]);
    assert_eq!(
        sql("postgresql", USER, to).unwrap(),
        ["ALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER NOT NULL DEFAULT 0"]
    );
}

#[test]
fn what_sqlite_cannot_alter_rebuilds_the_table() {
    let required = "model User {\n  id Int @id @default(autoincrement())\n  email String\n  n Int\n}\n";
    assert!(sql("sqlite", USER, required).unwrap().contains(&"ALTER TABLE \"new_User\" RENAME TO \"User\"".to_owned()));
    let with_fk = "model User {\n  id Int @id @default(autoincrement())\n  email String\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  title String\n  userId Int\n  user User @relation(fields: [userId], references: [id])\n}\n";
    let without_fk = format!("{USER}model Post {{\n  id Int @id\n  title String\n  userId Int\n}}\n");
    assert!(sql("sqlite", &without_fk, with_fk).unwrap().contains(&"ALTER TABLE \"new_Post\" RENAME TO \"Post\"".to_owned()));
    // PostgreSQL adds it in place.
    assert_eq!(
        sql("postgresql", &without_fk, with_fk).unwrap(),
        [
            "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_userId_fkey\" FOREIGN KEY (\"userId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE"
        ]
    );
    // Dropping the table with the foreign key drops the key first where it is separate.
    assert_eq!(
        sql("postgresql", with_fk, USER).unwrap(),
        ["ALTER TABLE \"Post\" DROP CONSTRAINT \"Post_userId_fkey\"", "DROP TABLE \"Post\""]
    );
    assert_eq!(
        sql("sqlite", with_fk, USER).unwrap(),
        ["PRAGMA foreign_keys=off", "DROP TABLE \"Post\"", "PRAGMA foreign_keys=on"]
    );
}

#[test]
fn changed_columns_are_steps_even_before_they_render() {
    let to = "model User {\n  id Int @id @default(autoincrement())\n  email String?\n}\n";
    let steps = diff(&db("postgresql", USER), &db("postgresql", to));
    assert!(matches!(steps.as_slice(), [Step::RedefineTable { .. }, Step::AlterColumn { .. }]));
}

#[test]
fn steps_come_in_execution_order() {
    let from = db("postgresql", &format!("{USER_NAME}enum Old {{\n  A\n}}\n"));
    let to = db("postgresql", &format!("{USER}enum New {{\n  B\n}}\n{POST}"));
    let kinds: Vec<&str> = diff(&from, &to).iter().map(Step::kind).collect();
    assert_eq!(kinds, ["DropIndex", "CreateEnum", "CreateTable", "RedefineTables", "AlterTable", "DropEnum"]);
}

#[test]
fn hostile_names_stay_one_identifier() {
    let from = db("postgresql", "");
    let to = db("postgresql", "model A {\n  id Int @id @map(\"x\\\"; DROP TABLE y; --\")\n  @@map(\"t`'\\\"\")\n}\n");
    let sql = render(&diff(&from, &to), Dialect::Postgres).unwrap();
    assert_eq!(
        sql,
        [
            "CREATE TABLE \"t`'\"\"\" (\n    \"x\"\"; DROP TABLE y; --\" INTEGER NOT NULL,\n\n    CONSTRAINT \"t`'\"\"_pkey\" PRIMARY KEY (\"x\"\"; DROP TABLE y; --\")\n)"
        ]
    );
    let mysql = render(
        &diff(&DbSchema::default(), &db("mysql", "model A {\n  id Int @id\n  @@map(\"t`x\")\n}\n")),
        Dialect::Mysql,
    )
    .unwrap();
    assert!(mysql[0].starts_with("CREATE TABLE `t``x` ("), "{mysql:?}");
}
