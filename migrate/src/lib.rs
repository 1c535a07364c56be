//! `orm-migrate`: what the `orm migrate …` and `orm db …` commands do, as a library.
//!
//! It joins the three halves of migrations: the schema ([`orm_schema`]), the engine that
//! diffs and renders ([`orm_codegen`]: `from_schema`, `diff`, `render`, renames, data-loss
//! checks) and the runner that applies and remembers ([`orm_runtime::migrate`]: history,
//! lock, shadow databases). Introspection of live databases ([`introspect`]) is here too:
//! only tooling needs it, so applications never compile it. The CLI parses arguments, asks questions through
//! [`Ask`] and prints; everything it decides is here, so tests drive the same code.

mod dev;
mod diff;
mod down;
mod error;
pub mod introspect;
mod project;
mod pull;
mod push;
pub mod url;

pub use dev::{DevOptions, DevOutcome, dev};
pub use diff::{DiffOutcome, diff, diff_source};
pub use down::{DownOptions, DownOutcome, DownTarget, down};
pub use error::{Error, Finding};
pub use orm_codegen::Rename;
pub use orm_runtime::migrate::{
    MigrateError, Migration, MigrationState, MigrationStatus, MigrationsDir, Migrator, Resolution, Status,
};
pub use project::Project;
pub use pull::{Pulled, pull};
pub use push::{PushOutcome, push, reset};

/// The questions a command may ask. A run that can't ask (no terminal, CI) answers no and
/// explains which flag says yes.
pub trait Ask {
    /// Whether anyone is there to answer.
    fn interactive(&self) -> bool;
    /// A yes/no question; `false` unless answered yes.
    fn confirm(&mut self, question: &str) -> bool;
    /// A line of text (the migration's name); `None` when nothing was typed.
    fn text(&mut self, question: &str) -> Option<String>;
}

/// Answers nothing: for scripts and tests.
pub struct NoPrompt;

impl Ask for NoPrompt {
    fn interactive(&self) -> bool {
        false
    }
    fn confirm(&mut self, _: &str) -> bool {
        false
    }
    fn text(&mut self, _: &str) -> Option<String> {
        None
    }
}

/// Where `migrate diff` reads one side from.
#[derive(Debug, Clone)]
pub enum Source {
    Empty,
    /// A schema, checked by the caller.
    Schema(Box<orm_schema::Schema>),
    /// A migrations folder, replayed on a shadow database.
    Migrations(std::path::PathBuf),
    /// A live database.
    Url(String),
}
