//! BENCHMARKS.md's tables.
//!
//! - `report instructions [BACKEND…]`: client instructions per call, counted by callgrind.
//!   For each workload, size and contender it prepares the rows, then runs `report run …`
//!   under `valgrind --tool=callgrind` twice, with `a` and `b` calls after one warm-up call,
//!   and divides the difference by `b - a`: start-up, connecting and the first (preparing)
//!   call cancel out. The count is of the client process only (with SQLite, that includes
//!   SQLite's own engine); the server's work is not in it.
//! - `report medians`: criterion's medians from `target/criterion`, after `cargo bench`.
//! - `report run BACKEND URL CONTENDER WORKLOAD SIZE CALLS`: the process callgrind measures.
//! - `report compile MODELS…`: how long `cargo check` and `cargo build` of an application take
//!   after its schema changed, for a synthetic schema of each size: the application calls every
//!   model's `find_many`, `create` and one include (dependencies compiled beforehand, once).
//! - `report prepare BACKEND WORKLOAD SIZE`: a database with the rows of one workload, left in
//!   place for profiling by hand (its URL is printed), e.g.
//!   `valgrind --tool=callgrind target/release/report run postgres URL orm trivial_query 10000 3`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use orm_benches::{Backend, CONTENDERS, Database, Workload, contender};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("instructions") => instructions(&args[1..]),
        Some("medians") => medians(),
        Some("prepare") => prepare(&args[1..]),
        Some("compile") => compile(&args[1..]),
        _ => {
            eprintln!("usage: report instructions [sqlite|postgres|mysql…] | report medians");
            std::process::exit(2);
        }
    }
}

fn run(args: &[String]) {
    let [backend, url, name, workload, size, calls] = args else {
        eprintln!("usage: report run BACKEND URL CONTENDER WORKLOAD SIZE CALLS");
        std::process::exit(2);
    };
    let backend = Backend::parse(backend).expect("a backend");
    let workload = Workload::parse(workload).expect("a workload");
    let size: usize = size.parse().expect("a size");
    let calls: usize = calls.parse().expect("a number of calls");
    let mut contender = contender(name, backend, url).expect("a contender");
    let expected = workload.expected(size);
    assert_eq!(contender.run(workload, size), expected);
    for _ in 0..calls {
        assert_eq!(std::hint::black_box(contender.run(workload, size)), expected);
    }
}

fn prepare(args: &[String]) {
    let [backend, workload, size] = args else {
        eprintln!("usage: report prepare BACKEND WORKLOAD SIZE");
        std::process::exit(2);
    };
    let db = Database::open(Backend::parse(backend).expect("a backend"), true);
    db.prepare(Workload::parse(workload).expect("a workload"), size.parse().expect("a size"));
    println!("{}", db.url);
    db.keep();
}

/// The sizes counted: diesel_bench's, without the ones in between.
fn counted_sizes(workload: Workload) -> &'static [usize] {
    match workload {
        Workload::Trivial | Workload::Medium => &[1, 100, 10_000],
        Workload::Insert => &[1, 100],
        Workload::Associations => workload.sizes(),
    }
}

fn instructions(args: &[String]) {
    let backends: Vec<Backend> = if args.is_empty() {
        Backend::configured()
    } else {
        args.iter().map(|a| Backend::parse(a).unwrap_or_else(|| panic!("unknown backend {a}"))).collect()
    };
    let exe = std::env::current_exe().expect("the report binary");
    let mut table = header(&["backend", "workload", "size"]);
    for backend in backends {
        let db = Database::open(backend, true);
        for workload in Workload::ALL {
            for &size in counted_sizes(workload) {
                db.prepare(workload, size);
                let (a, b) = if size >= 1_000 { (1, 3) } else { (2, 12) };
                let counts: Vec<f64> = CONTENDERS
                    .iter()
                    .map(|name| {
                        let at = |calls: usize| callgrind(&exe, backend, &db.url, name, workload, size, calls);
                        let (low, high) = (at(a), at(b));
                        high.saturating_sub(low) as f64 / (b - a) as f64
                    })
                    .collect();
                eprintln!("{backend} {} {size}: {counts:?}", workload.name());
                row(&mut table, &[backend.name(), workload.name(), &size.to_string()], &counts, |n| format_count(*n));
            }
        }
        db.drop_database();
    }
    print!("{table}");
}

fn callgrind(
    exe: &Path,
    backend: Backend,
    url: &str,
    name: &str,
    workload: Workload,
    size: usize,
    calls: usize,
) -> u64 {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(["run", backend.name(), url, name, workload.name(), &size.to_string(), &calls.to_string()])
        .output()
        .expect("valgrind (apt-get install valgrind)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{name} {} {size} under callgrind failed:\n{stderr}", workload.name());
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :").map(|(_, n)| n.trim().parse::<u64>().expect("a count")))
        .unwrap_or_else(|| panic!("no callgrind total in:\n{stderr}"))
}

fn medians() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/criterion");
    let mut table = header(&["backend", "workload", "size"]);
    for backend in Backend::ALL {
        for workload in Workload::ALL {
            for &size in workload.sizes() {
                let times: Vec<Option<f64>> = CONTENDERS
                    .iter()
                    .map(|name| {
                        let file = root
                            .join(format!("{backend}_{}", workload.name()))
                            .join(name)
                            .join(size.to_string())
                            .join("new/estimates.json");
                        let text = std::fs::read_to_string(file).ok()?;
                        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
                        json["median"]["point_estimate"].as_f64()
                    })
                    .collect();
                if times.iter().all(Option::is_none) {
                    continue;
                }
                let times: Vec<f64> = times.into_iter().map(|t| t.unwrap_or(f64::NAN)).collect();
                row(&mut table, &[backend.name(), workload.name(), &size.to_string()], &times, |ns| format_time(*ns));
            }
        }
    }
    print!("{table}");
}

/// The header of a table with one column per contender, then orm's ratios.
fn header(keys: &[&str]) -> String {
    let mut columns: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    columns.extend(CONTENDERS.iter().map(|c| c.to_string()));
    columns.extend(CONTENDERS.iter().filter(|c| **c != "orm").map(|c| format!("orm / {c}")));
    let mut out = format!("| {} |\n", columns.join(" | "));
    let _ = writeln!(out, "|{}", columns.iter().map(|_| "---|").collect::<String>());
    out
}

fn row(table: &mut String, keys: &[&str], values: &[f64], show: impl Fn(&f64) -> String) {
    let orm = CONTENDERS.iter().position(|c| *c == "orm").expect("orm is a contender");
    let mut cells: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    cells.extend(values.iter().map(&show));
    for (i, name) in CONTENDERS.iter().enumerate() {
        if *name != "orm" {
            let ratio = values[orm] / values[i];
            cells.push(if ratio.is_finite() { format!("{ratio:.2}") } else { "–".into() });
        }
    }
    let _ = writeln!(table, "| {} |", cells.join(" | "));
}

fn format_count(n: f64) -> String {
    if n >= 1e6 { format!("{:.2} M", n / 1e6) } else { format!("{:.1} k", n / 1e3) }
}

fn format_time(ns: f64) -> String {
    if ns.is_nan() {
        "–".into()
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// A chain of `models` models, each with the next one's records.
fn synthetic_schema(models: usize) -> String {
    let mut out = String::from(
        "datasource db {\n  provider = \"sqlite\"\n  url      = env(\"DATABASE_URL\")\n}\n\n\
         generator client {\n  provider = \"orm\"\n}\n",
    );
    for i in 0..models {
        let _ = write!(
            out,
            "\nmodel M{i} {{\n  id    Int     @id @default(autoincrement())\n  name  String\n  \
             email String  @unique\n  score Float?\n"
        );
        if i > 0 {
            let _ = writeln!(out, "  upId  Int?\n  up    M{}?    @relation(fields: [upId], references: [id])", i - 1);
        }
        if i + 1 < models {
            let _ = writeln!(out, "  downs M{}[]", i + 1);
        }
        out.push_str("}\n");
    }
    out
}

fn application(models: usize) -> String {
    let mut calls = String::new();
    for i in 0..models {
        let _ = writeln!(calls, "    let _ = client.m{i}().find_many().exec().await;");
        let _ = writeln!(
            calls,
            "    let _ = client.m{i}().create(m{i}::Create {{ name: \"n\".into(), email: \"e{i}\".into() }}).exec().await;"
        );
        if i + 1 < models {
            let _ = writeln!(calls, "    let _ = client.m{i}().find_many().include(m{i}::downs).exec().await;");
        }
    }
    format!(
        "mod db {{\n    orm_runtime::include_client!();\n}}\nuse db::*;\n\n\
         #[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    \
         let client = Client::connect(\"sqlite::memory:\").await.unwrap();\n{calls}}}\n"
    )
}

fn compile(args: &[String]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = root.parent().expect("benches/ sits in the project");
    let target = root.join("target/compile-app-target");
    println!("| models | cargo check | cargo build |\n|---|---|---|");
    for models in args.iter().map(|a| a.parse::<usize>().expect("a number of models")) {
        let app = root.join(format!("target/compile-app-{models}"));
        std::fs::create_dir_all(app.join("src")).expect("the application's folder");
        let manifest = format!(
            "[package]\nname = \"app{models}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n\n\
             [dependencies]\norm-runtime = {{ path = {:?}, default-features = false, features = [\"sqlite\"] }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n\
             [build-dependencies]\norm-codegen = {{ path = {:?} }}\n",
            project.join("runtime"),
            project.join("codegen"),
        );
        std::fs::write(app.join("Cargo.toml"), manifest).expect("Cargo.toml");
        std::fs::write(
            app.join("build.rs"),
            "fn main() {\n    orm_codegen::Builder::new(\"schema.orm\").generate();\n}\n",
        )
        .expect("build.rs");
        std::fs::write(app.join("src/main.rs"), application(models)).expect("main.rs");
        let cargo = |verb: &str| {
            let started = std::time::Instant::now();
            let status = Command::new("cargo")
                .arg(verb)
                .arg("--quiet")
                .current_dir(&app)
                .env("CARGO_TARGET_DIR", &target)
                .status()
                .expect("cargo");
            assert!(status.success(), "cargo {verb} of the {models}-model application failed");
            started.elapsed()
        };
        // Dependencies first; then the measured runs, each after the schema changed.
        let mut times = Vec::new();
        for verb in ["check", "build"] {
            std::fs::write(app.join("schema.orm"), synthetic_schema(models)).expect("schema.orm");
            cargo(verb);
            std::fs::write(app.join("schema.orm"), synthetic_schema(models) + "\n// changed\n").expect("schema.orm");
            times.push(cargo(verb));
        }
        println!("| {models} | {:.1} s | {:.1} s |", times[0].as_secs_f64(), times[1].as_secs_f64());
    }
}
