//! The `orm` binary as a user runs it: exit codes, output streams, files written or not.

use std::path::Path;
use std::process::{Command, Output};

fn orm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the orm binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const VALID: &str =
    "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel User {\n  id    Int    @id\n  email String @unique\n}\n";

const UNFORMATTED: &str = "datasource db {\nprovider = \"postgres\"\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n}\n";

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, contents).expect("write");
    }
    dir
}

#[test]
fn validate_a_valid_schema_exits_0_with_one_line() {
    let dir = dir_with(&[("schema.orm", VALID.as_bytes())]);
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "schema.orm is valid: 1 model, 0 enums\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn validate_reports_every_error_with_code_and_location_and_exits_1() {
    let text = "datasource db {\n  provider = \"sqlite\"\n}\nmodel User {\n  id Int @id\n  name Strin\n  age Int @default(\"x\")\n}\n";
    let dir = dir_with(&[("schema.orm", text.as_bytes())]);
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0201]"), "{err}");
    assert!(err.contains("schema.orm:6:8"), "{err}");
    assert!(err.contains("did you mean `String`?"), "{err}");
    assert!(err.contains("error[E0304]"), "{err}");
    assert!(err.contains("schema.orm:7:20"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn validate_falls_back_to_schema_prisma_and_takes_folders() {
    let dir = dir_with(&[("schema.prisma", VALID.as_bytes())]);
    assert_eq!(orm(dir.path(), &["validate"]).status.code(), Some(0));

    let dir = dir_with(&[
        ("db/base.prisma", b"datasource db {\n  provider = \"sqlite\"\n}\n"),
        ("db/models/user.orm", b"model User {\n  id    Int    @id\n  posts Post[]\n}\n"),
        ("db/models/post.orm", b"model Post {\n  id     Int  @id\n  userId Int\n  user   User @relation(fields: [userId], references: [id])\n}\n"),
    ]);
    let out = orm(dir.path(), &["validate", "--schema", "db"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("(3 files)"), "{}", stdout(&out));

    let dir = dir_with(&[(
        "db/a.orm",
        b"datasource db {\n  provider = \"sqlite\"\n}\nmodel A {\n  id Int @id\n  b  Bee\n}\n",
    )]);
    let out = orm(dir.path(), &["validate", "--schema", "db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!("db{}a.orm:6:6", std::path::MAIN_SEPARATOR)), "{}", stderr(&out));
}

#[test]
fn a_missing_schema_is_exit_1_with_advice() {
    let dir = dir_with(&[]);
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("orm init"), "{}", stderr(&out));
    let out = orm(dir.path(), &["validate", "--schema", "nope.orm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.orm"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let dir = dir_with(&[]);
    assert_eq!(orm(dir.path(), &["validate", "--bogus"]).status.code(), Some(2));
    assert_eq!(orm(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(orm(dir.path(), &["init", "--provider", "oracle"]).status.code(), Some(2));
}

#[test]
fn unsupported_providers_get_one_clear_error() {
    let text = "datasource db {\n  provider = \"mongodb\"\n}\nmodel A {\n  id String @id @default(auto()) @map(\"_id\") @db.ObjectId\n}\n";
    let dir = dir_with(&[("schema.orm", text.as_bytes())]);
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert!(err.contains("mongodb") && err.contains("\"postgresql\""), "{err}");
}

#[test]
fn invalid_utf8_is_reported_not_a_crash() {
    let dir = dir_with(&[("schema.orm", b"datasource db {\n  provider = \"sqlite\"\n}\n// \xff\xfe\n")]);
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0001"), "{}", stderr(&out));
}

#[test]
fn format_check_reports_without_writing_then_format_writes_and_is_idempotent() {
    let dir = dir_with(&[("schema.orm", UNFORMATTED.as_bytes())]);
    let out = orm(dir.path(), &["format", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(dir.path().join("schema.orm")).unwrap(), UNFORMATTED);

    let out = orm(dir.path(), &["format"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let formatted = std::fs::read_to_string(dir.path().join("schema.orm")).unwrap();
    let expected = "datasource db {\n  provider = \"postgres\"\n}\n\nmodel User {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id     Int   @id\n  user   User? @relation(fields: [userId], references: [id])\n  userId Int?\n}\n";
    assert_eq!(formatted, expected);

    let out = orm(dir.path(), &["format", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn format_refuses_a_file_with_syntax_errors_and_leaves_it_alone() {
    let text = "datasource db {\n  provider = \"sqlite\"\n}\nthis is not a block\nmodel A {\n  id Int @id\n}\n";
    let dir = dir_with(&[("schema.orm", text.as_bytes())]);
    let out = orm(dir.path(), &["format"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0002"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("schema.orm")).unwrap(), text);
}

#[test]
fn init_writes_a_valid_starter_and_refuses_to_overwrite() {
    for provider in ["sqlite", "postgresql", "mysql"] {
        let dir = dir_with(&[]);
        let out = orm(dir.path(), &["init", "--provider", provider]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let schema = std::fs::read_to_string(dir.path().join("schema.orm")).unwrap();
        assert!(schema.contains(&format!("provider = \"{provider}\"")));
        assert!(std::fs::read_to_string(dir.path().join(".env")).unwrap().contains("DATABASE_URL="));
        let out = orm(dir.path(), &["validate"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let out = orm(dir.path(), &["format", "--check"]);
        assert_eq!(out.status.code(), Some(0), "starter is not formatted: {}", stderr(&out));

        std::fs::write(dir.path().join("schema.orm"), "// mine\n").unwrap();
        let out = orm(dir.path(), &["init"]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(std::fs::read_to_string(dir.path().join("schema.orm")).unwrap(), "// mine\n");
    }
}

#[test]
fn the_example_schema_is_valid_and_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = orm(&root, &["validate", "--schema", "schema.example.orm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = orm(&root, &["format", "--check", "--schema", "schema.example.orm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn generate_writes_the_client_where_the_generator_block_says() {
    let schema = format!("{VALID}\ngenerator client {{\n  provider = \"orm\"\n  output   = \"src/db\"\n}}\n");
    let dir = dir_with(&[("schema.orm", schema.as_bytes())]);
    let out = orm(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in ["mod.rs", "user.rs"] {
        let text = std::fs::read_to_string(dir.path().join("src/db").join(file)).expect("a generated file");
        assert!(text.starts_with("// @generated by orm"), "{file}");
    }
    assert!(stdout(&out).contains("include it with `mod db;`"), "{}", stdout(&out));

    let elsewhere = orm(dir.path(), &["generate", "--out", "other"]);
    assert_eq!(elsewhere.status.code(), Some(0), "{}", stderr(&elsewhere));
    assert!(dir.path().join("other/mod.rs").is_file());
}

#[test]
fn generate_without_an_output_folder_or_with_schema_errors_exits_1() {
    let dir = dir_with(&[("schema.orm", VALID.as_bytes())]);
    let out = orm(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no output folder: pass `--out DIR`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("generator client"), "the help names the generator block");

    let broken = dir_with(&[("schema.orm", VALID.replace("String", "Strin").as_bytes())]);
    let out = orm(broken.path(), &["generate", "--out", "db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E0201]"), "{}", stderr(&out));
    assert!(!broken.path().join("db").exists(), "nothing is written");
}
