//! Diffs beyond from-empty: adding and dropping tables, columns and indexes, and what SQLite
//! refuses instead of silently skipping.

use orm_codegen::{RenderError, Step, db_schema, diff, render, render_down};
use orm_db_schema::{DbSchema, Dialect};
use pretty_assertions::assert_eq;

fn db(provider: &str, models: &str) -> DbSchema {
    let text = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n{models}");
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
    db_schema::from_schema(&checked.schema)
}

fn sql(provider: &str, from: &str, to: &str) -> Result<Vec<String>, RenderError> {
    let dialect = Dialect::from_provider(provider).expect("a provider with a dialect");
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
    assert!(
        sql("sqlite", &without_fk, with_fk)
            .unwrap()
            .contains(&"ALTER TABLE \"new_Post\" RENAME TO \"Post\"".to_owned())
    );
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

// ---------------------------------------------------------------------------------------------
// Altering columns, enums and keys, per dialect

const ROLE: &str = "enum Role {\n  USER\n  ADMIN\n}\n";

fn member(fields: &str) -> String {
    format!("{ROLE}model M {{\n  id Int @id @default(autoincrement())\n{fields}}}\n")
}

#[test]
fn postgres_changes_a_type_in_place_with_a_cast() {
    assert_eq!(
        sql("postgresql", &member("  n Int?\n"), &member("  n BigInt?\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"n\" SET DATA TYPE BIGINT USING \"n\"::BIGINT"]
    );
    // A default that may not cast goes first and comes back after; NOT NULL in between.
    assert_eq!(
        sql("postgresql", &member("  s String? @default(\"1\")\n"), &member("  s Int @default(2)\n")).unwrap(),
        [
            "ALTER TABLE \"M\" ALTER COLUMN \"s\" DROP DEFAULT,\nALTER COLUMN \"s\" SET DATA TYPE INTEGER USING \"s\"::INTEGER,\nALTER COLUMN \"s\" SET NOT NULL,\nALTER COLUMN \"s\" SET DEFAULT 2"
        ]
    );
    // Enums convert through text.
    assert_eq!(
        sql("postgresql", &member("  r String\n"), &member("  r Role\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"r\" SET DATA TYPE \"Role\" USING \"r\"::text::\"Role\""]
    );
    assert_eq!(
        sql("postgresql", &member("  t String[]\n"), &member("  t Int[]\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"t\" SET DATA TYPE INTEGER[] USING \"t\"::INTEGER[]"]
    );
}

#[test]
fn postgres_changes_nullability_and_defaults() {
    assert_eq!(
        sql("postgresql", &member("  s String?\n"), &member("  s String\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"s\" SET NOT NULL"]
    );
    assert_eq!(
        sql("postgresql", &member("  s String\n"), &member("  s String?\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"s\" DROP NOT NULL"]
    );
    assert_eq!(
        sql("postgresql", &member("  s String\n"), &member("  s String @default(\"it's\")\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"s\" SET DEFAULT 'it''s'"]
    );
    assert_eq!(
        sql("postgresql", &member("  s String @default(\"a\")\n"), &member("  s String @default(\"b\")\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"s\" SET DEFAULT 'b'"]
    );
    assert_eq!(
        sql("postgresql", &member("  s String @default(\"a\")\n"), &member("  s String\n")).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"s\" DROP DEFAULT"]
    );
}

#[test]
fn postgres_autoincrement_gets_an_owned_sequence() {
    let plain = "model M {\n  id Int @id\n}\n";
    let serial = "model M {\n  id Int @id @default(autoincrement())\n}\n";
    assert_eq!(
        sql("postgresql", plain, serial).unwrap(),
        [
            "CREATE SEQUENCE \"M_id_seq\" AS INTEGER",
            "ALTER TABLE \"M\" ALTER COLUMN \"id\" SET DEFAULT nextval('\"M_id_seq\"'::regclass)",
            "ALTER SEQUENCE \"M_id_seq\" OWNED BY \"M\".\"id\"",
        ]
    );
    assert_eq!(
        sql("postgresql", serial, plain).unwrap(),
        ["ALTER TABLE \"M\" ALTER COLUMN \"id\" DROP DEFAULT", "DROP SEQUENCE IF EXISTS \"M_id_seq\""]
    );
    // Widening keeps the sequence (and widens it too).
    let big = "model M {\n  id BigInt @id @default(autoincrement())\n}\n";
    assert_eq!(
        sql("postgresql", serial, big).unwrap(),
        [
            "ALTER TABLE \"M\" ALTER COLUMN \"id\" SET DATA TYPE BIGINT USING \"id\"::BIGINT",
            "ALTER SEQUENCE IF EXISTS \"M_id_seq\" AS BIGINT",
        ]
    );
}

#[test]
fn postgres_enums_grow_in_place_in_declared_order() {
    let grown = "enum Role {\n  GUEST\n  USER\n  EDITOR\n  ADMIN\n  OWNER\n}\n";
    assert_eq!(
        sql("postgresql", ROLE, grown).unwrap(),
        [
            "ALTER TYPE \"Role\" ADD VALUE 'OWNER'",
            "ALTER TYPE \"Role\" ADD VALUE 'EDITOR' BEFORE 'ADMIN'",
            "ALTER TYPE \"Role\" ADD VALUE 'GUEST' BEFORE 'USER'",
        ]
    );
}

#[test]
fn postgres_enums_lose_values_through_a_new_type() {
    let from = "enum Role {\n  USER\n  EDITOR\n  ADMIN\n}\nmodel M {\n  id Int @id\n  r Role @default(EDITOR)\n  rs Role[]\n}\n";
    let to = format!("{ROLE}model M {{\n  id Int @id\n  r Role @default(USER)\n  rs Role[]\n}}\n");
    let statements = sql("postgresql", from, &to).unwrap();
    assert_eq!(
        statements[..8],
        [
            "CREATE TYPE \"Role_new\" AS ENUM ('USER', 'ADMIN')",
            "ALTER TABLE \"M\" ALTER COLUMN \"r\" DROP DEFAULT",
            "ALTER TABLE \"M\" ALTER COLUMN \"r\" TYPE \"Role_new\" USING (\"r\"::text::\"Role_new\")",
            "ALTER TABLE \"M\" ALTER COLUMN \"rs\" TYPE \"Role_new\"[] USING (\"rs\"::text[]::\"Role_new\"[])",
            "ALTER TYPE \"Role\" RENAME TO \"Role_old\"",
            "ALTER TYPE \"Role_new\" RENAME TO \"Role\"",
            "DROP TYPE \"Role_old\"",
            "ALTER TABLE \"M\" ALTER COLUMN \"r\" SET DEFAULT 'USER'",
        ]
    );
}

#[test]
fn primary_keys_are_dropped_before_columns_change_and_added_after() {
    let single = "model S {\n  key String @id\n  scope String\n}\n";
    let compound = "model S {\n  key String\n  scope String\n\n  @@id([key, scope])\n}\n";
    assert_eq!(
        sql("postgresql", single, compound).unwrap(),
        [
            "ALTER TABLE \"S\" DROP CONSTRAINT \"S_pkey\"",
            "ALTER TABLE \"S\" ADD CONSTRAINT \"S_pkey\" PRIMARY KEY (\"key\",\"scope\")"
        ]
    );
    assert_eq!(
        sql("mysql", single, compound).unwrap(),
        ["ALTER TABLE `S` DROP PRIMARY KEY", "ALTER TABLE `S` ADD PRIMARY KEY (`key`, `scope`)"]
    );
    let kinds: Vec<&str> =
        diff(&db("postgresql", single), &db("postgresql", compound)).iter().map(Step::kind).collect();
    assert_eq!(kinds, ["AlterTable", "RedefineTables", "AlterTable"]);
}

#[test]
fn mysql_rewrites_a_changed_column_whole() {
    assert_eq!(
        sql("mysql", &member("  n Int?\n"), &member("  n BigInt @default(0)\n")).unwrap(),
        ["ALTER TABLE `M` MODIFY `n` BIGINT NOT NULL DEFAULT 0"]
    );
    assert_eq!(
        sql("mysql", "model M {\n  id Int @id\n}\n", "model M {\n  id Int @id @default(autoincrement())\n}\n").unwrap(),
        ["ALTER TABLE `M` MODIFY `id` INTEGER NOT NULL AUTO_INCREMENT"]
    );
    // An enum is its column's type.
    let from = "enum Role {\n  USER\n  EDITOR\n}\nmodel M {\n  id Int @id\n  r Role @default(USER)\n}\n";
    let to = "enum Role {\n  USER\n  ADMIN\n}\nmodel M {\n  id Int @id\n  r Role @default(USER)\n}\n";
    assert_eq!(
        sql("mysql", from, to).unwrap(),
        ["ALTER TABLE `M` MODIFY `r` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER'"]
    );
}

const AUTHOR: &str = "model User {\n  id Int @id\n  posts Post[]\n}\n";

fn post(extra: &str) -> String {
    format!(
        "{AUTHOR}model Post {{\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n{extra}}}\n"
    )
}

#[test]
fn mysql_describes_the_index_innodb_makes_for_a_foreign_key() {
    let table = db("mysql", &post("")).table("Post").cloned().unwrap();
    assert_eq!(table.indexes.len(), 1);
    assert_eq!(table.indexes[0].name, "Post_authorId_fkey");
    // An index of the user's that serves the key replaces it: the key is dropped around the
    // swap, since MySQL refuses to drop an index a foreign key needs.
    assert_eq!(
        sql("mysql", &post(""), &post("\n  @@index([authorId])\n")).unwrap(),
        [
            "ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`",
            "DROP INDEX `Post_authorId_fkey` ON `Post`",
            "CREATE INDEX `Post_authorId_idx` ON `Post`(`authorId`)",
            "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
        ]
    );
    // Other databases have no such index.
    assert!(db("postgresql", &post("")).table("Post").unwrap().indexes.is_empty());
}

#[test]
fn foreign_keys_are_recreated_around_a_type_change_they_pin() {
    let wide = "model User {\n  id BigInt @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId BigInt\n  author User @relation(fields: [authorId], references: [id])\n}\n";
    assert_eq!(
        sql("postgresql", &post(""), wide).unwrap(),
        [
            "ALTER TABLE \"Post\" DROP CONSTRAINT \"Post_authorId_fkey\"",
            "ALTER TABLE \"User\" ALTER COLUMN \"id\" SET DATA TYPE BIGINT USING \"id\"::BIGINT",
            "ALTER TABLE \"Post\" ALTER COLUMN \"authorId\" SET DATA TYPE BIGINT USING \"authorId\"::BIGINT",
            "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE",
        ]
    );
}

#[test]
fn sqlite_rebuilds_a_table_as_prisma_does() {
    let from = "model T {\n  id Int @id @default(autoincrement())\n  a String?\n  gone Int?\n\n  @@index([a])\n}\n";
    let to = "model T {\n  id Int @id @default(autoincrement())\n  a String @default(\"x\")\n  added Int @default(1)\n\n  @@index([a])\n}\n";
    assert_eq!(
        sql("sqlite", from, to).unwrap(),
        [
            "PRAGMA defer_foreign_keys=ON",
            "PRAGMA foreign_keys=OFF",
            "CREATE TABLE \"new_T\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"a\" TEXT NOT NULL DEFAULT 'x',\n    \"added\" INTEGER NOT NULL DEFAULT 1\n)",
            "INSERT INTO \"new_T\" (\"id\", \"a\") SELECT \"id\", \"a\" FROM \"T\"",
            "DROP TABLE \"T\"",
            // A view over `T` would point at nothing for a moment: the legacy rename allows it.
            "PRAGMA legacy_alter_table=ON",
            "ALTER TABLE \"new_T\" RENAME TO \"T\"",
            "PRAGMA legacy_alter_table=OFF",
            "CREATE INDEX \"T_a_idx\" ON \"T\"(\"a\")",
            "PRAGMA foreign_key_check",
            "PRAGMA foreign_keys=ON",
            "PRAGMA defer_foreign_keys=OFF",
        ]
    );
}

#[test]
fn sqlite_alters_in_place_what_it_can() {
    // An index swap on a foreign-key column re-creates the key in the steps (for MySQL); on
    // SQLite the key is unchanged, so nothing is rebuilt.
    assert_eq!(
        sql("sqlite", &post(""), &post("\n  @@index([authorId])\n")).unwrap(),
        ["CREATE INDEX \"Post_authorId_idx\" ON \"Post\"(\"authorId\")"]
    );
    // Steps made without `diff` (no table definitions) that need a rebuild are an error.
    let steps: Vec<Step> = diff(&db("sqlite", &member("  n Int\n")), &db("sqlite", &member("  n BigInt\n")))
        .into_iter()
        .filter(|s| !matches!(s, Step::RedefineTable { .. }))
        .collect();
    assert!(matches!(render(&steps, Dialect::Sqlite), Err(RenderError::MissingTableDefinition { .. })));
}

#[test]
fn the_down_migration_is_the_reverse_diff() {
    let from = db("postgresql", USER);
    let to = db("postgresql", USER_NAME);
    assert_eq!(
        render_down(&from, &to, Dialect::Postgres).unwrap(),
        "-- DropIndex\nDROP INDEX \"User_email_key\";\n\n-- AlterTable\nALTER TABLE \"User\" DROP COLUMN \"name\";\n"
    );
    assert_eq!(render_down(&from, &from, Dialect::Postgres).unwrap(), "");
}
