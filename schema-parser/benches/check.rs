//! Parse + resolve + validate of a generated large schema (500 models, relations, enums,
//! indexes). Target: under 10 ms for a 3,000-line schema.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A schema with `models` models, each related to the previous one, in about 7 lines a model.
fn large_schema(models: usize) -> String {
    let mut s = String::from("datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\n");
    s.push_str("enum Status {\n  ACTIVE\n  INACTIVE @map(\"inactive\")\n}\n\n");
    for i in 0..models {
        s.push_str(&format!("/// Model number {i}.\nmodel M{i} {{\n"));
        s.push_str("  id        Int      @id @default(autoincrement())\n");
        s.push_str("  name      String   @db.VarChar(255)\n");
        s.push_str("  status    Status   @default(ACTIVE)\n");
        s.push_str("  createdAt DateTime @default(now())\n");
        if i > 0 {
            s.push_str(&format!(
                "  parentId  Int\n  parent    M{} @relation(fields: [parentId], references: [id], onDelete: Cascade)\n",
                i - 1
            ));
        }
        if i + 1 < models {
            s.push_str(&format!("  children  M{}[]\n", i + 1));
        }
        s.push_str("\n  @@index([name, createdAt(sort: Desc)])\n}\n\n");
    }
    s
}

fn bench(c: &mut Criterion) {
    // About 3,000 lines: the size the target is stated for.
    let text = large_schema(230);
    let lines = text.lines().count();
    c.bench_function(&format!("check 230 models ({lines} lines)"), |b| {
        b.iter(|| orm_schema::check_str(black_box(&text)))
    });
    let text = large_schema(500);
    let lines = text.lines().count();
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics().first());
    c.bench_function(&format!("check 500 models ({lines} lines)"), |b| {
        b.iter(|| orm_schema::check_str(black_box(&text)))
    });
    let ast = &checked.asts[0];
    c.bench_function(&format!("format 500 models ({lines} lines)"), |b| {
        b.iter(|| orm_schema::format::format_file(black_box(ast), black_box(&text), &[]))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
