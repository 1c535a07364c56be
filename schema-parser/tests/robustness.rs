//! Inputs that must never make the parser or validator panic, and never hang.

use orm_schema::{Code, Diagnostics, SourceFiles};

fn check_bytes(bytes: Vec<u8>) -> orm_schema::CheckedSchema {
    let mut diags = Diagnostics::default();
    let mut files = SourceFiles::new();
    files.add_bytes("schema.orm", bytes, &mut diags);
    orm_schema::check(files, diags)
}

#[test]
fn empty_file_reports_only_the_missing_datasource() {
    let checked = orm_schema::check_str("");
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::MissingDatasource]);
}

#[test]
fn invalid_utf8_is_a_diagnostic_and_the_rest_is_still_checked() {
    let mut bytes = b"datasource db {\n  provider = \"sqlite\"\n}\n// caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\nmodel User {\n  id Int @id\n  name Strin\n}\n");
    let checked = check_bytes(bytes);
    let codes: Vec<Code> = checked.sorted_diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::InvalidUtf8, Code::UnknownType]);
    let utf8 = checked.sorted_diagnostics()[0].clone();
    assert_eq!(checked.files.location(utf8.span), "schema.orm:4:7");
}

#[test]
fn deep_nesting_is_reported_not_overflowed() {
    for open in ["[", "("] {
        let text = format!(
            "datasource db {{\n  provider = \"sqlite\"\n}}\nmodel A {{\n  id Int @id @default({})\n}}\n",
            open.repeat(200_000)
        );
        let checked = orm_schema::check_str(&text);
        assert!(checked.diagnostics.iter().any(|d| d.message.contains("nested more than")));
    }
    // Object values nest too, and an unterminated `/*` hides nothing from the check.
    for text in [
        format!("generator g {{\n  provider = \"x\"\n  a = {}\n}}\n", "{k:".repeat(200_000)),
        format!("/*\nmodel A {{\n  id Int @id @default({})\n}}\n", "[".repeat(200_000)),
        format!("model A {{\n  x y z /*\n  id Int @id @default({})\n}}\n", "(".repeat(200_000)),
    ] {
        let checked = orm_schema::check_str(&text);
        assert!(checked.diagnostics.iter().any(|d| d.message.contains("nested more than")));
    }
    // Blocks are not nesting: a hundred of them, unclosed, are still parsed.
    let blocks: String = (0..100).map(|i| format!("model M{i} {{\n  id Int @id\n")).collect();
    let checked = orm_schema::check_str(&blocks);
    assert!(!checked.diagnostics.iter().any(|d| d.message.contains("nested more than")));
}

#[test]
fn nesting_inside_strings_and_comments_does_not_count() {
    let text = format!(
        "datasource db {{\n  provider = \"sqlite\"\n}}\n// {}\nmodel A {{\n  id String @id @default(\"{}\")\n}}\n",
        "(".repeat(500),
        "[".repeat(500)
    );
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
}

#[test]
fn ten_megabytes_of_schema_are_checked() {
    let mut text = String::from("datasource db {\n  provider = \"postgresql\"\n}\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "model M{i} {{\n  id    Int    @id @default(autoincrement())\n  name  String @db.VarChar(255)\n  tags  String[]\n  score Float  @default(1.5)\n\n  @@index([name])\n}}\n"
        ));
        i += 1;
    }
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics().first());
    assert_eq!(checked.schema.models.len(), i);
}

#[test]
fn ten_megabytes_of_garbage_are_reported_line_by_line() {
    let line = "this is not { a schema ] \" at all @@ (\n";
    let text = line.repeat(10 * 1024 * 1024 / line.len());
    let checked = orm_schema::check_str(&text);
    assert!(checked.has_errors());
}

#[test]
fn control_characters_nul_bytes_and_unicode_do_not_panic() {
    for text in [
        "\0\0\0",
        "model \u{1F600} {\n}\n",
        "model A {\n  id Int @id @default(\"\\u12\")\n}\n",
        "model A {\r\n  id Int @id\r\n}\r\n",
        "}}}}{{{{",
        "model A {",
        "model A {\n  id Int @id @default(",
        "datasource db { provider = }",
        "\u{FEFF}datasource db {\n  provider = \"sqlite\"\n}\n",
        "enum E {\n  1A\n}\n",
        "model A {\n  @@\n  @\n  id Int @id @db.\n}\n",
    ] {
        let _ = orm_schema::check_str(text);
    }
}
