//! Every way a migrate or db command can fail, each with what to do about it.

use orm_codegen::checks::Severity;
use orm_runtime::migrate::MigrateError;

/// A data-loss check that found rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The sentence with its count.
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error("the schema has no `datasource` block")]
    NoDatasource,
    #[error("{0}")]
    Url(String),
    #[error("rendering the migration: {0}")]
    Render(#[from] orm_codegen::RenderError),
    #[error("the database has drifted from the migration history:\n{}", list(.changes))]
    Drift { changes: Vec<String> },
    #[error("the migration would fail on the data there:\n{}", list(&.findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>()))]
    Unexecutable { findings: Vec<Finding> },
    #[error("the migration would lose data:\n{}", list(&.findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>()))]
    DataLoss { findings: Vec<Finding>, possible_renames: Vec<String> },
    #[error("`--rename {0}`: write `Model.oldField=newField` or `OldModel=NewModel`")]
    BadRename(String),
    #[error("{0}")]
    Seed(String),
    #[error("neither side says which database")]
    UnknownDialect,
    #[error("asked to roll back {asked} migration(s), but {applied} are applied")]
    TooFarDown { asked: usize, applied: usize },
    /// `migrate down` undid some migrations, then one's `down.sql` failed.
    #[error("rolled back {} (now pending), then {failed}", rolled_back.join(", "))]
    RolledBackPart { rolled_back: Vec<String>, failed: Box<MigrateError> },
}

fn list(lines: &[String]) -> String {
    lines.iter().map(|l| format!("  - {l}")).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn help(&self) -> Option<String> {
        match self {
            Error::Migrate(e) => e.help(),
            Error::RolledBackPart { failed, .. } => failed.help(),
            Error::UnknownDialect => {
                Some("give a schema, a URL, or a migrations folder with migration_lock.toml".into())
            }
            Error::NoDatasource => Some("add `datasource db { provider = \"sqlite\" url = \"file:./dev.db\" }`".into()),
            Error::Drift { .. } => Some(
                "run `orm migrate reset` to rebuild the database from the migrations (its data is lost), or put the \
                 changes in the schema and a migration"
                    .into(),
            ),
            Error::Unexecutable { findings } => {
                Some(findings.iter().filter_map(|f| f.help.clone()).collect::<Vec<_>>().join("\n"))
            }
            Error::TooFarDown { .. } => Some("`orm migrate status` lists what is applied".into()),
            Error::DataLoss { possible_renames, .. } => {
                let mut help = "run again with `--accept-data-loss` to go ahead".to_owned();
                for rename in possible_renames {
                    help.push_str(&format!("\nif it was a rename, say so instead: `--rename {rename}`"));
                }
                Some(help)
            }
            _ => None,
        }
    }
}
