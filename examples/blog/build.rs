//! Generates the client for `schema.example.orm` into `OUT_DIR/orm`, and embeds the migrations
//! `orm migrate dev` wrote for each backend (`migrations/<provider>/`) into
//! `OUT_DIR/migrations.rs`, so the binary migrates its database wherever it runs.

use std::fmt::Write as _;
use std::path::Path;

const SCHEMA: &str = "../../schema.example.orm";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=migrations");
    orm_codegen::Builder::new(SCHEMA).generate();

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut out = String::from("// The example's migrations per backend: (folder name, migration.sql, down.sql).\n");
    for (name, provider) in [("SQLITE", "sqlite"), ("POSTGRES", "postgresql"), ("MYSQL", "mysql")] {
        let dir = root.join(provider);
        let mut folders: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.path())
            .collect();
        folders.sort();
        let _ = writeln!(out, "pub const {name}: &[(&str, &str, &str)] = &[");
        for folder in folders {
            let folder_name = folder.file_name().and_then(|n| n.to_str()).expect("folder names are UTF-8");
            let script = folder.join("migration.sql");
            let down = folder.join("down.sql");
            let _ = writeln!(
                out,
                "    ({folder_name:?}, include_str!({:?}), include_str!({:?})),",
                script.display().to_string(),
                down.display().to_string()
            );
        }
        out.push_str("];\n");
    }
    let path = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}
