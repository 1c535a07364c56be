//! `orm db …`: the database without migrations — push the schema onto it, pull a schema out
//! of it, seed it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use orm_migrate::Project;

use super::migrate::{Terminal, project, report, runtime};
use crate::{Failed, output, schema_path};

#[derive(Subcommand)]
pub enum DbCommand {
    /// Make the database match the schema, without a migration (prototyping).
    Push {
        #[arg(long)]
        schema: Option<PathBuf>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        accept_data_loss: bool,
        #[arg(long)]
        skip_generate: bool,
    },
    /// Write the schema of an existing database (models and enums; the schema's datasource and generators are kept).
    Pull {
        #[arg(long)]
        schema: Option<PathBuf>,
        #[arg(long)]
        url: Option<String>,
        /// Print the schema instead of writing it.
        #[arg(long)]
        print: bool,
    },
    /// Run the seed command the schema's `orm` generator names (`seed = "cargo run --bin seed"`).
    Seed {
        #[arg(long)]
        schema: Option<PathBuf>,
        #[arg(long)]
        url: Option<String>,
    },
}

pub fn run(command: DbCommand) -> Result<ExitCode, Failed> {
    match command {
        DbCommand::Push { schema, url, accept_data_loss, skip_generate } => {
            let (project, path) = project(schema.as_deref())?;
            let url = project.url(url.as_deref()).map_err(|e| report(&e))?;
            let outcome = runtime()?
                .block_on(orm_migrate::push(&project, &url, accept_data_loss, &mut Terminal))
                .map_err(|e| report(&e))?;
            if outcome.changes.is_empty() {
                println!("The database already matches the schema.");
            } else {
                for warning in &outcome.accepted {
                    eprintln!("warning: {warning}");
                }
                for change in &outcome.changes {
                    println!("- {change}");
                }
                println!("The database now matches the schema.");
                if !skip_generate && project.schema.orm_generator().and_then(|g| g.output.as_ref()).is_some() {
                    super::generate::run(Some(&path), None)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Pull { schema, url, print } => pull(schema, url, print),
        DbCommand::Seed { schema, url } => {
            let (project, _) = project(schema.as_deref())?;
            let url = project.url(url.as_deref()).map_err(|e| report(&e))?;
            if project.seed_command().is_none() {
                output::error("the schema names no seed command");
                eprintln!(
                    "help: add `seed = \"cargo run --bin seed\"` to the `generator` block with `provider = \"orm\"`"
                );
                return Err(Failed);
            }
            super::migrate::seed(&project, &url)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn pull(schema: Option<PathBuf>, url: Option<String>, print: bool) -> Result<ExitCode, Failed> {
    // With a schema, its datasource and generators stay and its URL is the default.
    let existing = match &schema {
        Some(p) => Some(p.clone()),
        None => schema_path::resolve(None).ok(),
    };
    let (project, path): (Option<Project>, PathBuf) = match &existing {
        Some(p) if p.is_file() => {
            let (project, path) = project(Some(p))?;
            (Some(project), path)
        }
        _ => (None, schema.unwrap_or_else(|| PathBuf::from("schema.orm"))),
    };
    let url = match (&project, url) {
        (Some(project), explicit) => project.url(explicit.as_deref()).map_err(|e| report(&e))?,
        (None, Some(url)) => url,
        (None, None) => std::env::var("DATABASE_URL").map_err(|_| {
            output::error("no database to pull from: pass `--url`, or set DATABASE_URL");
            Failed
        })?,
    };
    let existing = match &project {
        Some(_) => Some(std::fs::read_to_string(&path).map_err(|e| {
            output::error(format!("{}: {e}", path.display()));
            Failed
        })?),
        None => None,
    };
    let pulled = runtime()?.block_on(orm_migrate::pull(&url, existing.as_deref())).map_err(|e| report(&e))?;
    let text = pulled.text;
    if print {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&path, &text).map_err(|e| {
        output::error(format!("{}: {e}", path.display()));
        Failed
    })?;
    println!("Wrote {} ({} tables, {} enums).", path.display(), pulled.tables, pulled.enums);
    Ok(ExitCode::SUCCESS)
}
