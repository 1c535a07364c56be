//! Criterion medians of every workload, size, contender and configured backend (SQLite always;
//! PostgreSQL and MariaDB when `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` are set). Each
//! contender's answer is checked before it is timed. `cargo run --release --bin report --
//! medians` turns the results into BENCHMARKS.md's tables.
//!
//! `cargo bench --manifest-path benches/Cargo.toml` (a filter after `--` picks groups, e.g.
//! `-- postgres/insert`; `ORM_BENCH_CONTENDERS=orm,raw_sqlx` picks contenders)

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use orm_benches::{Backend, CONTENDERS, Database, Workload, contender};

fn suite(c: &mut Criterion) {
    let picked = std::env::var("ORM_BENCH_CONTENDERS").ok();
    let names: Vec<&str> =
        CONTENDERS.into_iter().filter(|n| picked.as_deref().is_none_or(|p| p.split(',').any(|q| q == *n))).collect();
    for backend in Backend::configured() {
        let db = Database::open(backend, true);
        let mut contenders: Vec<_> =
            names.iter().map(|&n| (n, contender(n, backend, &db.url).expect("a known contender"))).collect();
        for workload in Workload::ALL {
            let mut group = c.benchmark_group(format!("{backend}/{}", workload.name()));
            for &size in workload.sizes() {
                db.prepare(workload, size);
                for (name, contender) in &mut contenders {
                    let built = contender.run(workload, size);
                    assert_eq!(built, workload.expected(size), "{name} on {backend}, {} of {size}", workload.name());
                    group.bench_with_input(BenchmarkId::new(*name, size), &size, |b, &size| {
                        b.iter(|| contender.run(workload, size))
                    });
                }
            }
            group.finish();
        }
        drop(contenders);
        db.drop_database();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    targets = suite
}
criterion_main!(benches);
