//! Generates the client for `schema.example.orm` into `OUT_DIR/orm`, and the SQL that creates
//! its tables on each backend into `OUT_DIR/create_tables.rs`.

use orm_codegen::{db_schema, diff, render};
use orm_db_schema::{DbSchema, Dialect};

const SCHEMA: &str = "../../schema.example.orm";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    orm_codegen::Builder::new(SCHEMA).generate();

    let text = std::fs::read_to_string(SCHEMA).expect("the builder has read it already");
    let checked = orm_schema::check_str(&text);
    let mut out = String::from("// The statements that create the example's tables, per backend.\n");
    for (name, dialect) in [("SQLITE", Dialect::Sqlite), ("POSTGRES", Dialect::Postgres), ("MYSQL", Dialect::Mysql)] {
        let target = db_schema::from_schema_for(&checked.schema, dialect);
        let statements =
            render(&diff(&DbSchema::default(), &target), dialect).expect("the example renders on every backend");
        out.push_str(&format!("pub const {name}: &[&str] = &{statements:?};\n"));
    }
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("create_tables.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}
