//! What `orm generate` costs (check the schema, generate the client, format it) for synthetic
//! schemas of 10, 100 and 1,000 models, each with six scalar fields, a unique, an optional
//! parent in the model before it and its children in the model after it. Prints the
//! generated size per model once per schema. BENCHMARKS.md has the figures.
//!
//! `cargo bench -p orm-codegen --bench generate`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use orm_codegen::client::{Layout, generate};

/// `models` models in a chain of one-to-many relations.
pub fn synthetic_schema(models: usize) -> String {
    let mut out = String::from(
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\n\
         generator client {\n  provider = \"orm\"\n}\n",
    );
    for i in 0..models {
        let parent = if i > 0 {
            format!("  parentId  Int?\n  parent    Model{}? @relation(fields: [parentId], references: [id])\n", i - 1)
        } else {
            String::new()
        };
        let children = if i + 1 < models { format!("  children  Model{}[]\n", i + 1) } else { String::new() };
        out.push_str(&format!(
            "\nmodel Model{i} {{\n  id        Int      @id @default(autoincrement())\n  name      String\n  \
             email     String   @unique\n  score     Float?\n  active    Boolean  @default(true)\n  \
             createdAt DateTime @default(now())\n{parent}{children}}}\n"
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for models in [10, 100, 1_000] {
        let text = synthetic_schema(models);
        let run = || {
            let checked = orm_schema::check_str(&text);
            assert!(!checked.has_errors(), "the synthetic schema checks");
            generate(&checked.schema, &Layout::SourceTree).expect("a client")
        };
        let files = run();
        let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
        println!("{models} models: {} files, {:.1} KB per model", files.len(), bytes as f64 / models as f64 / 1024.0);
        group.bench_with_input(BenchmarkId::from_parameter(models), &models, |b, _| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
