//! `orm-db-schema`: what a database holds, independent of how it was learned.
//!
//! Codegen computes a [`DbSchema`] from a schema file; the runtime will introspect one from a
//! live database. A migration is the diff of two values of this one type, so nothing here knows
//! about schema files or drivers. [`Dialect`] owns the only identifier quoting and string-literal
//! escaping in the project, so every SQL text built from a `DbSchema` escapes the same way.

mod datetime;
mod dialect;
mod schema;

pub use datetime::stored_datetime;
pub use dialect::Dialect;
pub use schema::*;
