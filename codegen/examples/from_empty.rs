//! Prints the SQL that creates a schema on an empty database, as `migration.sql`:
//! `cargo run -p orm-codegen --example from_empty -- schema.orm`. Used to compare `orm` with
//! Prisma's engine (`../shared/tools/prisma-oracle/diff.mjs`).

use std::process::ExitCode;

use orm_codegen::{db_schema, diff, render_script};
use orm_db_schema::DbSchema;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: from_empty SCHEMA");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let checked = orm_schema::check_str(&text);
    for d in checked.sorted_diagnostics() {
        eprintln!("{d:?}");
    }
    let dialect = db_schema::dialect_of(&checked.schema);
    let steps = diff(&DbSchema::default(), &db_schema::from_schema(&checked.schema));
    match render_script(&steps, dialect) {
        Ok(sql) => {
            print!("{sql}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
