//! `orm generate`: writes the typed client into a source folder (`--out`, else the `output` of
//! the schema's `generator` block with `provider = "orm"`, relative to the schema file).

use std::path::{Path, PathBuf};

use orm_codegen::client::{Layout, generate};

use crate::output::{self, print_diagnostics};
use crate::{Failed, schema_path};

pub fn run(schema: Option<&Path>, out: Option<&Path>) -> Result<(), Failed> {
    let schema_file = schema_path::resolve(schema)?;
    let checked = schema_path::load(Some(&schema_file))?;
    let diagnostics = checked.sorted_diagnostics();
    print_diagnostics(&checked.files, &diagnostics);
    if checked.has_errors() {
        eprintln!("the client was not generated: the schema has errors");
        return Err(Failed);
    }
    let out = match out {
        Some(dir) => dir.to_path_buf(),
        None => match checked.schema.orm_generator().and_then(|g| g.output.as_deref()) {
            Some(dir) => schema_folder(&schema_file).join(dir),
            None => {
                output::error("no output folder: pass `--out DIR`");
                eprintln!(
                    "help: or name one in the schema: generator client {{ provider = \"orm\" output = \"src/db\" }}"
                );
                return Err(Failed);
            }
        },
    };
    let files = generate(&checked.schema, &Layout::SourceTree).map_err(|e| {
        output::error(e);
        Failed
    })?;
    orm_codegen::builder::write_files(&out, &files).map_err(|e| {
        output::error(e);
        Failed
    })?;
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "generated the client in {} ({} files, {} bytes); include it with `mod {};`",
        out.display(),
        files.len(),
        bytes,
        module_name(&out)
    );
    Ok(())
}

/// The folder a schema path's relative `output` is resolved against.
fn schema_folder(schema: &Path) -> PathBuf {
    if schema.is_dir() { schema.to_path_buf() } else { schema.parent().map(Path::to_path_buf).unwrap_or_default() }
}

fn module_name(out: &Path) -> String {
    out.file_name().map_or("db".to_owned(), |n| n.to_string_lossy().into_owned())
}
