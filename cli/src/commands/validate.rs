//! `orm validate`: every diagnostic on stderr; exit 1 when there is an error.

use std::path::Path;

use crate::output::{count, print_diagnostics};
use crate::{Failed, schema_path};

pub fn run(schema: Option<&Path>) -> Result<(), Failed> {
    let checked = schema_path::load(schema)?;
    let diagnostics = checked.sorted_diagnostics();
    print_diagnostics(&checked.files, &diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let name = schema_name(&checked);
    if errors > 0 {
        eprintln!(
            "{name} is invalid: {}{}",
            count(errors, "error"),
            if warnings > 0 { format!(", {}", count(warnings, "warning")) } else { String::new() }
        );
        return Err(Failed);
    }
    let s = &checked.schema;
    println!(
        "{name} is valid: {}, {}{}",
        count(s.models.len(), "model"),
        count(s.enums.len(), "enum"),
        if warnings > 0 { format!(" ({})", count(warnings, "warning")) } else { String::new() }
    );
    Ok(())
}

pub fn schema_name(checked: &orm_schema::CheckedSchema) -> String {
    match checked.files.len() {
        1 => checked.files.get(orm_schema::FileId(0)).display_name(),
        n => format!("the schema ({n} files)"),
    }
}
