//! `orm-codegen`: what is generated from a resolved [`orm_schema::Schema`].
//!
//! The typed client: [`client::generate`] (Rust modules from askama templates) and
//! [`Builder`], its `build.rs` entry point.
//!
//! Migrations are three pure steps, so each can be tested alone and the runtime can reuse the
//! last two with an introspected database on either side:
//! [`db_schema::from_schema`] (the database Prisma would create for the schema) →
//! [`diff::diff`] (ordered [`diff::Step`]s between two [`orm_db_schema::DbSchema`]s) →
//! [`render::render`] (SQL per dialect). This crate must not depend on sqlx or tokio: it runs
//! in users' build scripts.
//!
//! The way back, for `orm db pull`: [`pull::schema_from_db`] writes the schema file that
//! re-creates an (introspected) [`orm_db_schema::DbSchema`].

pub mod builder;
pub mod checks;
pub mod client;
pub mod db_schema;
pub mod diff;
pub mod pull;
pub mod renames;
pub mod render;

pub use builder::Builder;
pub use diff::{Step, diff, diff_with_renames};
pub use renames::Rename;
pub use render::{RenderError, render, render_down, render_down_with_renames, render_script};
