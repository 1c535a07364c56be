//! Generates the orm client of `schema.orm`, as an application's build script would.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    orm_codegen::Builder::new("schema.orm").module("bench").generate();
}
