//! Prints the migration between two schemas, up (`migration.sql`) then down (`down.sql`):
//! `cargo run -p orm-codegen --example migration -- old.orm new.orm`. Used to compare `orm`'s
//! alters and SQLite rebuilds with Prisma's engine (its `migrate diff` between two schemas).

use std::process::ExitCode;

use orm_codegen::{db_schema, diff, render_down, render_script};
use orm_db_schema::DbSchema;

fn load(path: &str) -> Result<(DbSchema, orm_db_schema::Dialect), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let checked = orm_schema::check_str(&text);
    for d in checked.sorted_diagnostics() {
        eprintln!("{path}: {d:?}");
    }
    Ok((db_schema::from_schema(&checked.schema), db_schema::dialect_of(&checked.schema)))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new] = args.as_slice() else {
        eprintln!("usage: migration OLD_SCHEMA NEW_SCHEMA");
        return ExitCode::from(2);
    };
    let ((from, _), (to, dialect)) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match (render_script(&diff(&from, &to), dialect), render_down(&from, &to, dialect)) {
        (Ok(up), Ok(down)) => {
            println!("-- up\n{up}\n-- down\n{down}");
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
