//! Every real-world schema in the shared corpus: validates (or fails exactly where expected),
//! and `format` is idempotent and keeps its meaning.

use std::path::{Path, PathBuf};

use orm_schema::{Code, Diagnostics, SourceFiles};

/// Corpus entries orm rejects on purpose, with the one code it must give.
const EXPECTED_ERRORS: &[(&str, Code)] = &[
    ("prisma__prisma-examples__databases-cockroachdb", Code::UnsupportedProvider),
    ("prisma__prisma-examples__databases-mongodb", Code::UnsupportedProvider),
    ("prisma__prisma-examples__databases-sql-server", Code::UnsupportedProvider),
    // Prisma 2's `provider = ["sqlite", "postgresql"]`, which Prisma itself no longer accepts.
    ("redwoodjs__example-invoice", Code::InvalidConfigProperty),
];

/// Each project's schema: the joined `schema.prisma` and, for multi-file projects, the folder.
fn schemas() -> Vec<(String, PathBuf)> {
    let dir = orm_tests::corpus_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus is missing at {} ({e}); set ORM_CORPUS_DIR", dir.display()));
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.expect("corpus entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if path.join("schema.prisma").is_file() {
            out.push((name.clone(), path.join("schema.prisma")));
        }
        if path.join("schema").is_dir() {
            out.push((format!("{name} (folder)"), path.join("schema")));
        }
    }
    out.sort();
    assert!(out.len() >= 15, "expected the corpus's schemas, found {}", out.len());
    out
}

fn load(path: &Path) -> orm_schema::CheckedSchema {
    let mut diags = Diagnostics::default();
    let files = SourceFiles::load(path, &mut diags).expect("corpus file is readable");
    orm_schema::check(files, diags)
}

#[test]
fn every_corpus_schema_validates_or_fails_as_expected() {
    let mut failures = Vec::new();
    for (name, path) in schemas() {
        let checked = load(&path);
        let errors: Vec<_> = checked.sorted_diagnostics().into_iter().filter(|d| d.is_error()).collect();
        let project = name.trim_end_matches(" (folder)");
        match EXPECTED_ERRORS.iter().find(|(p, _)| *p == project) {
            Some((_, code)) => {
                if errors.len() != 1 || errors[0].code != *code {
                    failures.push(format!("{name}: expected exactly one {code:?}, got {errors:?}"));
                }
            }
            None => {
                for e in errors {
                    failures.push(checked.files.short(&e));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `Debug` of the resolved schema without spans: what the schema means, not where it was.
fn meaning(schema: &orm_schema::Schema) -> String {
    let text = format!("{schema:#?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').map_or(rest.len(), |j| i + j + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn format_is_idempotent_and_keeps_the_meaning_of_every_corpus_schema() {
    for (name, path) in schemas() {
        let checked = load(&path);
        if checked.has_errors() {
            continue;
        }
        let mut formatted = SourceFiles::new();
        for ((_, file), ast) in checked.files.iter().zip(&checked.asts) {
            let once = orm_schema::format::format_file(ast, &file.text, &[]);
            let recheck = orm_schema::check_str(&once);
            let twice = orm_schema::format::format_file(&recheck.asts[0], &once, &[]);
            assert_eq!(once, twice, "{name}: format is not idempotent on {}", file.path.display());
            formatted.add(file.path.clone(), once);
        }
        let reformatted = orm_schema::check(formatted, Diagnostics::default());
        assert!(
            !reformatted.has_errors(),
            "{name}: the formatted schema has errors: {:?}",
            reformatted.sorted_diagnostics()
        );
        assert_eq!(
            meaning(&checked.schema),
            meaning(&reformatted.schema),
            "{name}: formatting changed the schema's meaning"
        );
    }
}
