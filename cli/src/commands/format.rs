//! `orm format`: rewrites every file of the schema in canonical form, adding missing opposite
//! relation fields. A file with syntax errors is not touched.

use std::path::Path;

use orm_schema::Code;
use orm_schema::format::format_file;

use crate::output::{self, print_diagnostics};
use crate::{Failed, schema_path};

/// Errors that mean the text was not understood; formatting would guess, so it refuses.
const SYNTAX_ERRORS: &[Code] = &[
    Code::InvalidUtf8,
    Code::InvalidTopLevelLine,
    Code::InvalidBlockLine,
    Code::UnknownBlockKind,
    Code::UnclosedBlock,
    Code::InvalidTypeSuffix,
    Code::InvalidString,
];

pub fn run(schema: Option<&Path>, check: bool) -> Result<(), Failed> {
    let checked = schema_path::load(schema)?;
    let syntax: Vec<_> = checked.sorted_diagnostics().into_iter().filter(|d| SYNTAX_ERRORS.contains(&d.code)).collect();
    if !syntax.is_empty() {
        print_diagnostics(&checked.files, &syntax);
        eprintln!("not formatted: fix the syntax errors above first");
        return Err(Failed);
    }
    // As `prisma format`: missing relation fields are added only when nothing else is wrong,
    // so a guess is never built on a schema that is broken in other ways.
    let only_missing_fields = checked.diagnostics.errors().all(|d| d.code == Code::MissingOppositeRelationField);
    let additions = if only_missing_fields { &checked.missing_opposite_fields[..] } else { &[] };
    let mut unformatted = Vec::new();
    for ((_, file), ast) in checked.files.iter().zip(&checked.asts) {
        let formatted = format_file(ast, &file.text, additions);
        if formatted == *file.text {
            continue;
        }
        unformatted.push(file.display_name());
        if !check && let Err(e) = std::fs::write(&file.path, formatted) {
            output::error(format!("could not write `{}`: {e}", file.path.display()));
            return Err(Failed);
        }
    }
    match (check, unformatted.is_empty()) {
        (_, true) => println!("{} already formatted", crate::commands::validate::schema_name(&checked)),
        (true, false) => {
            for f in &unformatted {
                eprintln!("not formatted: {f}");
            }
            eprintln!("run `orm format` to format");
            return Err(Failed);
        }
        (false, false) => {
            for f in &unformatted {
                println!("formatted {f}");
            }
        }
    }
    Ok(())
}
