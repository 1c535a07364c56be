//! Finding and reading the schema: `--schema` (a file or a folder), else `./schema.orm`, else
//! `./schema.prisma`.

use std::path::{Path, PathBuf};

use orm_schema::{CheckedSchema, Diagnostics, SourceFiles};

use crate::Failed;
use crate::output;

pub fn resolve(given: Option<&Path>) -> Result<PathBuf, Failed> {
    if let Some(p) = given {
        if !p.exists() {
            output::error(format!("the schema `{}` does not exist", p.display()));
            return Err(Failed);
        }
        return Ok(p.to_path_buf());
    }
    for candidate in ["schema.orm", "schema.prisma"] {
        let p = Path::new(candidate);
        if p.is_file() {
            return Ok(p.to_path_buf());
        }
    }
    output::error("no schema found: looked for ./schema.orm and ./schema.prisma");
    eprintln!("help: pass `--schema PATH`, or run `orm init` to create one");
    Err(Failed)
}

/// Reads and checks the schema; a file that cannot be read at all is reported here.
pub fn load(given: Option<&Path>) -> Result<CheckedSchema, Failed> {
    let path = resolve(given)?;
    let mut diags = Diagnostics::default();
    match SourceFiles::load(&path, &mut diags) {
        Ok(files) => Ok(orm_schema::check(files, diags)),
        Err(e) => {
            output::error(e);
            Err(Failed)
        }
    }
}
