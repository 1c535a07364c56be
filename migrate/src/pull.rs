//! `db pull`: the schema of an existing database, written as a schema file. Pulling into an
//! existing schema keeps its `datasource` and `generator` blocks as written and replaces the
//! rest.

use orm_runtime::migrate::Migrator;

use crate::{Error, introspect};

/// A pulled schema.
#[derive(Debug)]
pub struct Pulled {
    /// The schema file's text, formatted canonically.
    pub text: String,
    pub tables: usize,
    pub enums: usize,
}

/// Introspects the database at `url` into a schema; `existing`, the text of the schema being
/// pulled into, gives the configuration blocks to keep.
pub async fn pull(url: &str, existing: Option<&str>) -> Result<Pulled, Error> {
    let dialect = orm_runtime::dialect_of_url(url).map_err(|e| Error::Url(e.to_string()))?;
    let mut migrator = Migrator::connect(url).await?;
    let db = introspect::database(&mut migrator).await;
    migrator.close().await?;
    let db = db?;
    let pulled = orm_codegen::pull::schema_from_db(&db, dialect);
    let text = match existing {
        Some(current) => format!("{}\n{}", config_blocks(current), models_part(&pulled)),
        None => pulled,
    };
    Ok(Pulled { text, tables: db.tables.len(), enums: db.enums.len() })
}

/// The `datasource` and `generator` blocks of a schema, as written.
fn config_blocks(text: &str) -> String {
    blocks(text).into_iter().filter(|b| is_config(b)).collect::<Vec<_>>().join("\n")
}

/// Everything of a pulled schema but its `datasource` and `generator` blocks.
fn models_part(text: &str) -> String {
    blocks(text).into_iter().filter(|b| !is_config(b)).collect::<Vec<_>>().join("\n")
}

fn is_config(block: &str) -> bool {
    let first = block.lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//")).unwrap_or("");
    first.starts_with("datasource ") || first.starts_with("generator ")
}

/// Top-level blocks with the comments above them: each ends at a line that is `}`.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        current.push_str(line);
        current.push('\n');
        if line.trim_end() == "}" {
            out.push(std::mem::take(&mut current));
        }
    }
    out.into_iter().map(|b| b.trim_start_matches('\n').to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_blocks_are_kept_and_models_replaced() {
        let current = "// the app\ndatasource db {\n  provider = \"sqlite\"\n}\n\ngenerator client {\n  provider = \"orm\"\n}\n\nmodel Old {\n  id Int @id\n}\n";
        let pulled = "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel New {\n  id Int @id\n}\n";
        let kept = config_blocks(current);
        assert!(kept.starts_with("// the app\ndatasource db {"), "{kept}");
        assert!(kept.contains("generator client {"), "{kept}");
        assert!(!kept.contains("model Old"), "{kept}");
        assert_eq!(models_part(pulled), "model New {\n  id Int @id\n}\n");
    }
}
