//! Generates the clients the end-to-end tests compile and run: the README's example schema,
//! the kitchen-sink fixture, and every schema of the shared corpus that validates (so a corpus
//! schema whose client doesn't compile fails the build; see `tests/corpus_clients.rs`).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    orm_codegen::Builder::new("../schema.example.orm").module("example").generate();
    orm_codegen::Builder::new("schemas/kitchen.orm").module("kitchen").generate();
    orm_codegen::Builder::new("schemas/lists.orm").module("lists").generate();
    orm_codegen::Builder::new("schemas/actions.orm").module("actions").generate();
    orm_codegen::Builder::new("schemas/actions_emulated.orm").module("actions_emulated").generate();
    corpus_clients();
    chain_client();
}

/// A chain of 130 models, each with the next one's records: a record's type must not contain
/// its related records' types, or proving `Send` and drop-checking walk the whole chain and
/// overflow the compiler's recursion limit (`tests/chain.rs`).
fn chain_client() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut schema = String::from("datasource db {\n  provider = \"sqlite\"\n  url      = env(\"DATABASE_URL\")\n}\n");
    for i in 0..130 {
        let _ = write!(schema, "\nmodel Link{i} {{\n  id   Int @id @default(autoincrement())\n");
        if i > 0 {
            let _ = writeln!(schema, "  upId Int?\n  up   Link{}? @relation(fields: [upId], references: [id])", i - 1);
        }
        if i < 129 {
            let _ = writeln!(schema, "  next Link{}[]", i + 1);
        }
        schema.push_str("}\n");
    }
    let path = out_dir.join("chain.orm");
    std::fs::write(&path, &schema).expect("OUT_DIR is writable");
    orm_codegen::Builder::new(path).module("chain").generate();
}

/// The same folder `orm_tests::corpus_dir` reads.
fn corpus_dir() -> PathBuf {
    println!("cargo:rerun-if-env-changed=ORM_CORPUS_DIR");
    match std::env::var_os("ORM_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

fn corpus_clients() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dir = corpus_dir();
    let mut projects: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.join("schema.prisma").is_file()).collect())
        .unwrap_or_default();
    projects.sort();
    let mut list = String::new();
    let mut modules = String::new();
    for project in projects {
        let name = project.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let module = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("_");
        let folder = format!("corpus/{module}");
        // Schemas orm rejects (see tests/corpus.rs) have no client.
        let Ok(written) = orm_codegen::Builder::new(project.join("schema.prisma")).module(&folder).try_generate()
        else {
            continue;
        };
        let (mut files, mut bytes) = (0, 0);
        for entry in std::fs::read_dir(&written).expect("just written").flatten() {
            files += 1;
            bytes += entry.metadata().map_or(0, |m| m.len());
        }
        let _ = writeln!(list, "    ({name:?}, {files}, {bytes}),");
        let _ = writeln!(modules, "pub mod {module} {{ orm_runtime::include_client!({folder:?}); }}");
    }
    let source = format!(
        "/// `(project, files, bytes)` of each corpus client compiled below.\npub const CLIENTS: &[(&str, usize, u64)] = &[\n{list}];\n{modules}"
    );
    std::fs::write(out_dir.join("corpus_clients.rs"), source).expect("OUT_DIR is writable");
}
