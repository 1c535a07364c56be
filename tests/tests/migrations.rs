//! Migration SQL over every schema in the shared corpus, valid or not, for every dialect:
//! computing the database, diffing it and rendering it never panics, a schema diffed with
//! itself gives no steps, and every valid schema renders from empty on its own provider.

use std::path::PathBuf;

use orm_codegen::{db_schema, diff, render_script};
use orm_db_schema::{DbSchema, Dialect};

fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![orm_tests::corpus_dir()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "prisma") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 50, "expected the corpus, found {} files", out.len());
    out
}

#[test]
fn every_corpus_schema_diffs_and_renders_without_panicking() {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let checked = orm_schema::check_str(&text);
        for dialect in Dialect::ALL {
            let db = db_schema::from_schema_for(&checked.schema, dialect);
            // Multi-schema databases (`@@schema`) are not modelled yet: names may repeat.
            let multi_schema = checked.schema.models.values().any(|m| m.schema.is_some())
                || checked.schema.enums.values().any(|e| e.schema.is_some());
            if !multi_schema {
                assert!(diff(&db, &db).is_empty(), "{}: {dialect:?}", path.display());
            }
            let steps = diff(&DbSchema::default(), &db);
            let rendered = render_script(&steps, dialect);
            if !checked.has_errors() && dialect == db_schema::dialect_of(&checked.schema) {
                assert!(rendered.is_ok(), "{}: {rendered:?}", path.display());
            }
            // And back to empty.
            let _ = render_script(&diff(&db, &DbSchema::default()), dialect);
        }
    }
}
