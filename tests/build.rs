//! Generates the clients the end-to-end tests run: the README's example schema and the
//! kitchen-sink fixture, each into its own folder of `OUT_DIR`.

fn main() {
    orm_codegen::Builder::new("../schema.example.orm").module("example").generate();
    orm_codegen::Builder::new("schemas/kitchen.orm").module("kitchen").generate();
}
