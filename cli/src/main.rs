//! The `orm` command. Each subcommand lives in `commands/`; this file parses arguments and
//! turns outcomes into exit codes: 0 success, 1 a problem with the user's input, files or
//! database, 2 a usage error (clap's own) or, for `migrate diff --exit-code`, a difference.

mod commands;
mod output;
mod schema_path;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "orm",
    version,
    about = "Schema-first ORM toolkit: check schemas, generate clients, migrate databases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a schema and report every problem in it.
    Validate {
        /// The schema file, or a folder of `.orm` / `.prisma` files [default: ./schema.orm, then ./schema.prisma]
        #[arg(long)]
        schema: Option<PathBuf>,
    },
    /// Rewrite a schema in canonical form (what `prisma format` writes).
    Format {
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Write nothing; exit 1 when a file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Generate the typed Rust client.
    Generate {
        #[arg(long)]
        schema: Option<PathBuf>,
        /// The folder to write `mod.rs` and the model modules into [default: the generator block's `output`]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Create, apply and inspect migrations.
    #[command(subcommand)]
    Migrate(commands::migrate::MigrateCommand),
    /// Work on the database without migrations: push, pull, seed.
    #[command(subcommand)]
    Db(commands::db::DbCommand),
    /// Write a starter `schema.orm` and `.env` in the current folder.
    Init {
        #[arg(long, value_enum, default_value_t = commands::init::InitProvider::Sqlite)]
        provider: commands::init::InitProvider,
    },
}

/// What went wrong, for the exit code: the message has already been printed.
pub struct Failed;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { schema } => commands::validate::run(schema.as_deref()),
        Command::Format { schema, check } => commands::format::run(schema.as_deref(), check),
        Command::Generate { schema, out } => commands::generate::run(schema.as_deref(), out.as_deref()),
        Command::Init { provider } => commands::init::run(provider),
        Command::Migrate(command) => return commands::migrate::run(command).unwrap_or(ExitCode::from(1)),
        Command::Db(command) => return commands::db::run(command).unwrap_or(ExitCode::from(1)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed) => ExitCode::from(1),
    }
}
