//! `orm migrate …`: arguments, questions and output around `orm-migrate`, which decides.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use orm_migrate::{
    Ask, DevOptions, DevOutcome, DownOptions, DownTarget, Error, MigrationState, Migrator, Project, Resolution, Source,
};

use crate::{Failed, output, schema_path};

#[derive(Subcommand)]
pub enum MigrateCommand {
    /// Create a migration from the schema's changes and apply it to the development database.
    Dev {
        #[command(flatten)]
        target: Target,
        /// The migration's name (asked for on a terminal).
        #[arg(long)]
        name: Option<String>,
        /// Write the migration without applying it.
        #[arg(long)]
        create_only: bool,
        /// Apply steps that lose data without asking.
        #[arg(long)]
        accept_data_loss: bool,
        /// A rename the diff can't see: `Model.oldField=newField` or `OldModel=NewModel`.
        #[arg(long = "rename", value_name = "OLD=NEW")]
        renames: Vec<String>,
        #[arg(long)]
        shadow_database_url: Option<String>,
        /// Don't regenerate the client afterwards.
        #[arg(long)]
        skip_generate: bool,
    },
    /// Apply every pending migration (production, CI).
    Deploy {
        #[command(flatten)]
        target: Target,
    },
    /// Compare the migrations folder with the database; exit 0 only when all are applied and unmodified.
    Status {
        #[command(flatten)]
        target: Target,
    },
    /// Drop everything in the database and apply every migration again, then seed.
    Reset {
        #[command(flatten)]
        target: Target,
        /// Don't ask.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        skip_seed: bool,
    },
    /// Roll back the last applied migrations with their down.sql (one, unless told).
    Down {
        #[command(flatten)]
        target: Target,
        /// How many migrations to roll back.
        #[arg(value_name = "N", conflicts_with = "to")]
        steps: Option<usize>,
        /// Roll back every migration applied after this one.
        #[arg(long, value_name = "MIGRATION")]
        to: Option<String>,
        /// Roll back even when it loses data, without asking.
        #[arg(long)]
        accept_data_loss: bool,
        #[arg(long)]
        shadow_database_url: Option<String>,
    },
    /// Record what happened to a failed migration.
    Resolve {
        #[command(flatten)]
        target: Target,
        /// It was completed by hand: record it applied.
        #[arg(long, value_name = "MIGRATION", conflicts_with = "rolled_back", required_unless_present = "rolled_back")]
        applied: Option<String>,
        /// It was undone: it will be applied again.
        #[arg(long, value_name = "MIGRATION")]
        rolled_back: Option<String>,
    },
    /// Compare two database states (schema, migrations, live database, empty) and print the steps or SQL.
    Diff(DiffArgs),
}

/// Which schema and database.
#[derive(Args)]
pub struct Target {
    #[arg(long)]
    schema: Option<PathBuf>,
    /// The database [default: the datasource's url, else DATABASE_URL]
    #[arg(long)]
    url: Option<String>,
}

#[derive(Args)]
#[group(id = "from", required = true, multiple = false)]
pub struct DiffFrom {
    #[arg(long)]
    from_empty: bool,
    #[arg(long, value_name = "SCHEMA")]
    from_schema: Option<PathBuf>,
    #[arg(long, value_name = "DIR")]
    from_migrations: Option<PathBuf>,
    #[arg(long, value_name = "URL")]
    from_url: Option<String>,
}

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    from: DiffFrom,
    #[arg(long, group = "to", value_name = "SCHEMA")]
    to_schema: Option<PathBuf>,
    #[arg(long, group = "to", value_name = "URL")]
    to_url: Option<String>,
    #[arg(long, group = "to")]
    to_empty: bool,
    #[arg(long, group = "to", value_name = "DIR")]
    to_migrations: Option<PathBuf>,
    /// Print SQL instead of a summary.
    #[arg(long)]
    script: bool,
    /// Exit 2 when there is a difference, 0 when there is none.
    #[arg(long)]
    exit_code: bool,
    /// Where `--from-migrations` / `--to-migrations` replay on PostgreSQL and MySQL.
    #[arg(long)]
    shadow_database_url: Option<String>,
}

/// Questions on a terminal; none otherwise.
pub struct Terminal;

impl Ask for Terminal {
    fn interactive(&self) -> bool {
        std::io::stdin().is_terminal()
    }

    fn confirm(&mut self, question: &str) -> bool {
        if !self.interactive() {
            return false;
        }
        eprint!("{question} [y/N] ");
        let _ = std::io::stderr().flush();
        read_line().is_some_and(|a| matches!(a.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
    }

    fn text(&mut self, question: &str) -> Option<String> {
        if !self.interactive() {
            return None;
        }
        eprint!("{question}: ");
        let _ = std::io::stderr().flush();
        read_line().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())
    }
}

fn read_line() -> Option<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line)
}

pub fn runtime() -> Result<tokio::runtime::Runtime, Failed> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| {
        output::error(format!("could not start the async runtime: {e}"));
        Failed
    })
}

/// Prints an error with its help line.
pub fn report(e: &Error) -> Failed {
    output::error(e);
    if let Some(help) = e.help().filter(|h| !h.is_empty()) {
        for line in help.lines() {
            eprintln!("help: {line}");
        }
    }
    Failed
}

/// The checked schema and its project; schema errors are printed.
pub fn project(schema: Option<&Path>) -> Result<(Project, PathBuf), Failed> {
    let path = schema_path::resolve(schema)?;
    let checked = schema_path::load(Some(&path))?;
    output::print_diagnostics(&checked.files, &checked.sorted_diagnostics());
    if checked.has_errors() {
        eprintln!("the schema has errors: fix them first");
        return Err(Failed);
    }
    let project = Project::new(checked.schema, &path).map_err(|e| report(&e))?;
    Ok((project, path))
}

pub fn run(command: MigrateCommand) -> Result<std::process::ExitCode, Failed> {
    let ok = Ok(std::process::ExitCode::SUCCESS);
    match command {
        MigrateCommand::Dev {
            target,
            name,
            create_only,
            accept_data_loss,
            renames,
            shadow_database_url,
            skip_generate,
        } => {
            let (project, path) = project(target.schema.as_deref())?;
            let options = DevOptions {
                name,
                create_only,
                accept_data_loss,
                renames,
                url: target.url,
                shadow_url: shadow_database_url,
            };
            let outcome =
                runtime()?.block_on(orm_migrate::dev(&project, &options, &mut Terminal)).map_err(|e| report(&e))?;
            match outcome {
                DevOutcome::NoChanges { applied } => {
                    print_applied(&applied);
                    println!("Already in sync: the schema and the database match; no migration written.");
                }
                DevOutcome::Created { migration, applied, accepted } => {
                    for warning in accepted {
                        eprintln!("warning: {warning}");
                    }
                    let folder = project.migrations.path.join(&migration);
                    if create_only {
                        println!(
                            "Created {} (not applied: run `orm migrate dev` or `deploy` to apply it).",
                            folder.display()
                        );
                    } else {
                        println!("Created {}", folder.display());
                    }
                    print_applied(&applied);
                    if !skip_generate && project.schema.orm_generator().and_then(|g| g.output.as_ref()).is_some() {
                        super::generate::run(Some(&path), None)?;
                    }
                }
            }
            ok
        }
        MigrateCommand::Deploy { target } => {
            let (project, _) = project(target.schema.as_deref())?;
            let url = project.url(target.url.as_deref()).map_err(|e| report(&e))?;
            let local = project.local_migrations().map_err(|e| report(&e))?;
            let applied = runtime()?
                .block_on(async {
                    let mut m = Migrator::connect(&url).await?;
                    let applied = m.deploy(&local).await;
                    m.close().await?;
                    applied
                })
                .map_err(|e| report(&e.into()))?;
            if applied.is_empty() {
                println!("No pending migrations ({} applied).", local.len());
            }
            print_applied(&applied);
            ok
        }
        MigrateCommand::Status { target } => {
            let (project, _) = project(target.schema.as_deref())?;
            let url = project.url(target.url.as_deref()).map_err(|e| report(&e))?;
            let local = project.local_migrations().map_err(|e| report(&e))?;
            let status = runtime()?
                .block_on(async {
                    let mut m = Migrator::connect(&url).await?;
                    let status = m.status(&local).await;
                    m.close().await?;
                    status
                })
                .map_err(|e| report(&e.into()))?;
            println!("{} migration(s) in {}", local.len(), project.migrations.path.display());
            for m in &status.migrations {
                let state = match &m.state {
                    MigrationState::Applied => "applied".to_owned(),
                    MigrationState::Pending => "pending".to_owned(),
                    MigrationState::Failed { logs, .. } => {
                        format!("FAILED{}", logs.as_deref().map(|l| format!(": {}", first_line(l))).unwrap_or_default())
                    }
                    MigrationState::Modified => "MODIFIED after it was applied".to_owned(),
                    MigrationState::MissingLocally => "applied, but missing from the folder".to_owned(),
                };
                println!("  {}  {state}", m.name);
            }
            if status.is_up_to_date() {
                println!("The database is up to date.");
                ok
            } else {
                output::error("the database is not up to date with the migrations folder");
                if !status.names(&MigrationState::Pending).is_empty() {
                    eprintln!("help: run `orm migrate deploy` to apply the pending migrations");
                }
                Err(Failed)
            }
        }
        MigrateCommand::Reset { target, force, skip_seed } => {
            let (project, _) = project(target.schema.as_deref())?;
            let url = project.url(target.url.as_deref()).map_err(|e| report(&e))?;
            let question = format!(
                "Drop every table of {} and apply the migrations again? All data will be lost.",
                orm_runtime::redact(&url)
            );
            if !force && !Terminal.confirm(&question) {
                output::error("reset needs a yes: run it on a terminal, or pass `--force`");
                return Err(Failed);
            }
            let applied = runtime()?.block_on(orm_migrate::reset(&project, &url)).map_err(|e| report(&e))?;
            println!("Reset the database.");
            print_applied(&applied);
            if !skip_seed {
                seed(&project, &url)?;
            }
            ok
        }
        MigrateCommand::Resolve { target, applied, rolled_back } => {
            let (project, _) = project(target.schema.as_deref())?;
            let url = project.url(target.url.as_deref()).map_err(|e| report(&e))?;
            let local = project.local_migrations().map_err(|e| report(&e))?;
            let (name, resolution) = match (applied, rolled_back) {
                (Some(name), _) => (name, Resolution::Applied),
                (None, Some(name)) => (name, Resolution::RolledBack),
                (None, None) => unreachable_usage()?,
            };
            runtime()?
                .block_on(async {
                    let mut m = Migrator::connect(&url).await?;
                    let done = m.resolve(&local, &name, resolution).await;
                    m.close().await?;
                    done
                })
                .map_err(|e| report(&e.into()))?;
            match resolution {
                Resolution::Applied => println!("Recorded `{name}` as applied."),
                Resolution::RolledBack => {
                    println!("Recorded `{name}` as rolled back: the next deploy applies it again.")
                }
            }
            ok
        }
        MigrateCommand::Down { target, steps, to, accept_data_loss, shadow_database_url } => {
            let (project, _) = project(target.schema.as_deref())?;
            let options = DownOptions {
                target: match to {
                    Some(name) => DownTarget::To(name),
                    None => DownTarget::Steps(steps.unwrap_or(1)),
                },
                accept_data_loss,
                url: target.url,
                shadow_url: shadow_database_url,
            };
            let outcome =
                runtime()?.block_on(orm_migrate::down(&project, &options, &mut Terminal)).map_err(|e| report(&e))?;
            for warning in &outcome.accepted {
                eprintln!("warning: {warning}");
            }
            if outcome.rolled_back.is_empty() {
                println!("Nothing to roll back.");
            }
            for name in &outcome.rolled_back {
                println!("Rolled back {name}");
            }
            ok
        }
        MigrateCommand::Diff(args) => diff(args),
    }
}

/// clap guarantees one of `--applied` / `--rolled-back`.
fn unreachable_usage<T>() -> Result<T, Failed> {
    output::error("pass `--applied MIGRATION` or `--rolled-back MIGRATION`");
    Err(Failed)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

fn print_applied(applied: &[String]) {
    for name in applied {
        println!("Applied {name}");
    }
}

/// Runs the seed command, if the schema names one.
pub fn seed(project: &Project, url: &str) -> Result<(), Failed> {
    if let Some(command) = project.seed(url).map_err(|e| report(&e))? {
        println!("Ran the seed command `{command}`.");
    }
    Ok(())
}

fn diff(args: DiffArgs) -> Result<std::process::ExitCode, Failed> {
    let load_schema = |p: &Path| -> Result<orm_schema::schema::Schema, Failed> {
        let checked = schema_path::load(Some(p))?;
        output::print_diagnostics(&checked.files, &checked.sorted_diagnostics());
        if checked.has_errors() {
            return Err(Failed);
        }
        Ok(checked.schema)
    };
    let source =
        |empty: bool, schema: Option<PathBuf>, dir: Option<PathBuf>, url: Option<String>| -> Result<Source, Failed> {
            Ok(match (empty, schema, dir, url) {
                (_, Some(p), _, _) => Source::Schema(Box::new(load_schema(&p)?)),
                (_, _, Some(d), _) => Source::Migrations(d),
                (_, _, _, Some(u)) => Source::Url(u),
                _ => Source::Empty,
            })
        };
    let from = source(args.from.from_empty, args.from.from_schema, args.from.from_migrations, args.from.from_url)?;
    if !(args.to_empty || args.to_schema.is_some() || args.to_url.is_some() || args.to_migrations.is_some()) {
        output::error("say what to compare with: `--to-schema`, `--to-url`, `--to-migrations` or `--to-empty`");
        return Err(Failed);
    }
    let to = source(args.to_empty, args.to_schema, args.to_migrations, args.to_url)?;
    let shadow = args.shadow_database_url.as_deref();
    let outcome = runtime()?.block_on(orm_migrate::diff(&from, &to, shadow)).map_err(|e| report(&e))?;
    let steps = &outcome.steps;
    if args.script {
        let script = outcome.script().map_err(|e| report(&e))?;
        if steps.is_empty() {
            println!("-- This is an empty migration.");
        } else {
            print!("{script}");
        }
    } else if steps.is_empty() {
        println!("No difference detected.");
    } else {
        for step in steps {
            println!("- {}", step.describe());
        }
    }
    Ok(match (args.exit_code, steps.is_empty()) {
        (true, false) => std::process::ExitCode::from(2),
        _ => std::process::ExitCode::SUCCESS,
    })
}
