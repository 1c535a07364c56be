//! Migration speed, as the issue sets targets for it (a benchmark, never a timed test):
//!
//! - `diff_from_empty/3000_lines`: a 3,000-line schema checked, turned into its database and
//!   diffed from empty, then rendered (target: under 20 ms), and the diff and rendering
//!   alone;
//! - `migrate_dev_noop/100_models_sqlite`: `migrate dev` on a 100-model SQLite project whose
//!   database is up to date — shadow replay, drift check, diff (target: under 0.5 s).
//!
//! Run with `cargo bench -p orm-migrate`.

use std::fmt::Write as _;

use criterion::{Criterion, criterion_group, criterion_main};
use orm_db_schema::{DbSchema, Dialect};
use orm_migrate::{DevOptions, DevOutcome, NoPrompt, Project};

/// A schema of `models` models with relations, indexes, enums and defaults: ~20 lines each.
fn schema(provider: &str, url: &str, models: usize) -> String {
    let mut s = format!("datasource db {{\n  provider = \"{provider}\"\n  url      = \"{url}\"\n}}\n\n");
    s.push_str("enum Status {\n  DRAFT\n  PUBLISHED\n  ARCHIVED\n}\n\n");
    for i in 0..models {
        let _ = writeln!(s, "model M{i} {{");
        s.push_str("  id        Int      @id @default(autoincrement())\n");
        s.push_str("  email     String   @unique\n  name      String?\n  bio       String?\n  age       Int      @default(0)\n");
        s.push_str("  score     Float?\n  active    Boolean  @default(true)\n  status    Status   @default(DRAFT)\n");
        s.push_str("  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n  data      Json?\n");
        if i > 0 {
            let _ =
                writeln!(s, "  parentId  Int\n  parent    M{} @relation(fields: [parentId], references: [id])", i - 1);
        }
        if i + 1 < models {
            let _ = writeln!(s, "  children  M{}[]", i + 1);
        }
        s.push_str("\n  @@index([name, age])\n  @@index([createdAt])\n}\n\n");
    }
    s
}

fn diff_from_empty(c: &mut Criterion) {
    let text = schema("postgresql", "postgres://localhost/x", 150);
    let lines = text.lines().count();
    assert!(lines >= 3000, "{lines} lines");
    c.bench_function("diff_from_empty/3000_lines", |b| {
        b.iter(|| {
            let checked = orm_schema::check_str(&text);
            let db = orm_codegen::db_schema::from_schema_for(&checked.schema, Dialect::Postgres);
            let steps = orm_codegen::diff(&DbSchema::default(), &db);
            orm_codegen::render_script(&steps, Dialect::Postgres).expect("renders")
        })
    });
    // The engine alone, the schema already checked.
    let db = orm_codegen::db_schema::from_schema_for(&orm_schema::check_str(&text).schema, Dialect::Postgres);
    c.bench_function("diff_from_empty/3000_lines_engine_only", |b| {
        b.iter(|| {
            let steps = orm_codegen::diff(&DbSchema::default(), &db);
            orm_codegen::render_script(&steps, Dialect::Postgres).expect("renders")
        })
    });
}

fn migrate_dev_noop(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("schema.orm");
    std::fs::write(&path, schema("sqlite", "file:./dev.db", 100)).expect("schema");
    let checked = orm_schema::check_str(&std::fs::read_to_string(&path).expect("read"));
    let project = Project::new(checked.schema, &path).expect("project");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let options = DevOptions { name: Some("init".into()), ..DevOptions::default() };
    let first = runtime.block_on(orm_migrate::dev(&project, &options, &mut NoPrompt)).expect("first migrate dev");
    assert!(matches!(first, DevOutcome::Created { .. }));
    let mut group = c.benchmark_group("migrate_dev_noop");
    group.sample_size(10);
    group.bench_function("100_models_sqlite", |b| {
        b.iter(|| {
            let outcome = runtime.block_on(orm_migrate::dev(&project, &options, &mut NoPrompt)).expect("no-op");
            assert!(matches!(outcome, DevOutcome::NoChanges { .. }));
        })
    });
    group.finish();
}

criterion_group!(benches, diff_from_empty, migrate_dev_noop);
criterion_main!(benches);
