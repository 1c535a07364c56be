//! Data-driven validation tests: every `tests/fixtures/validation/**/*.orm` is a schema whose
//! expected diagnostics are written at its end, one per line:
//!
//! ```text
//! // expect: E0201 6:8 type `Strin` is neither a built-in type, nor refers to another model or enum
//! ```
//!
//! A file without `// expect:` lines must be valid with no warnings. Run with
//! `UPDATE_EXPECT=1` to rewrite the expectations from what the validator says now (then
//! review the diff).

use std::path::{Path, PathBuf};

const MARKER: &str = "// expect: ";

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixture folder is readable") {
        let path = entry.expect("fixture entry").path();
        if path.is_dir() {
            fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "orm") {
            out.push(path);
        }
    }
}

/// What the validator says about `text`, in the expectation format.
fn actual(text: &str) -> Vec<String> {
    let checked = orm_schema::check_str(text);
    checked
        .sorted_diagnostics()
        .iter()
        .map(|d| {
            let (line, col) = checked.files.get(d.span.file).line_col(d.span.start);
            format!("{} {line}:{col} {}", d.code.as_str(), d.message)
        })
        .collect()
}

#[test]
fn validation_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validation");
    let mut files = Vec::new();
    fixtures(&root, &mut files);
    files.sort();
    assert!(files.len() >= 80, "expected at least 80 validation fixtures, found {}", files.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let body: String = text.lines().filter(|l| !l.starts_with(MARKER)).map(|l| format!("{l}\n")).collect();
        let expected: Vec<String> = text.lines().filter_map(|l| l.strip_prefix(MARKER)).map(str::to_string).collect();
        let got = actual(&body);
        if got == expected {
            continue;
        }
        if update {
            let mut new = body.trim_end().to_string();
            new.push('\n');
            for g in &got {
                new.push_str(MARKER);
                new.push_str(g);
                new.push('\n');
            }
            std::fs::write(path, new).expect("fixture is writable");
        } else {
            failures.push(format!(
                "{}\n  expected:\n    {}\n  got:\n    {}",
                path.strip_prefix(&root).unwrap_or(path).display(),
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECT=1 rewrites):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Codes a single UTF-8 fixture cannot produce, tested in `tests/robustness.rs`.
const TESTED_ELSEWHERE: &[&str] = &["E0001"];

/// Every diagnostic code in the catalogue is exercised by at least one fixture.
#[test]
fn every_code_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validation");
    let mut files = Vec::new();
    fixtures(&root, &mut files);
    let all: String = files.iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect();
    let missing: Vec<&str> = orm_schema::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !TESTED_ELSEWHERE.contains(c) && !all.contains(&format!("{MARKER}{c} ")))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}
