//! The one error type of generated clients, with messages a person can act on.
//!
//! Database errors are classified here (unique and foreign-key violations, connection
//! failures, timeouts) so an application matches on a variant instead of parsing driver
//! messages, and a unique violation names the schema's fields, not an index.

use crate::backend;
use crate::model::Table;

/// Everything a query can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `find_unique_or_error`, `update` or `delete` found no record.
    #[error("no `{model}` record matches the given criterion")]
    NotFound { model: &'static str },

    /// A nested write (`operation`: `connect`, `update`, `delete`) named a related record
    /// that doesn't exist, or isn't related; nothing was written.
    #[error("no `{model}` record matches {criterion}, to {operation} through `{relation}`")]
    RelatedNotFound { model: &'static str, relation: String, criterion: String, operation: &'static str },

    /// A relation was read that the query didn't include (`.include(…)` loads it).
    #[error("`{model}.{relation}` was not loaded: add the relation to the query with `.include(…)`")]
    NotLoaded { model: &'static str, relation: &'static str },

    /// A field was read that the query left out (`omit`).
    #[error("`{model}.{field}` was omitted by the query: leave it out of `omit(…)` to read it")]
    Omitted { model: &'static str, field: &'static str },

    /// A create or update would duplicate a unique value.
    #[error("a `{model}` record with the same {} already exists", describe_fields(.fields))]
    UniqueViolation {
        model: &'static str,
        /// The schema fields of the violated unique criterion (empty if the database didn't say).
        fields: Vec<&'static str>,
        /// The database's message.
        message: String,
    },

    /// A write refers to a record that doesn't exist, or a delete would orphan records.
    #[error("foreign key violation on `{model}`: {message}")]
    ForeignKeyViolation { model: &'static str, constraint: Option<String>, message: String },

    /// The query was refused before any SQL was sent.
    #[error("invalid query: {0}")]
    Validation(String),

    /// The URL is not one `orm` can connect with.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),

    /// The database couldn't be reached or the connection broke.
    #[error("cannot connect to the database: {0}")]
    Connection(String),

    /// No connection became free in time, or a statement timed out.
    #[error("timed out waiting for the database: {0}")]
    Timeout(String),

    /// A column didn't hold what the schema says it holds (the database has drifted from it).
    #[error("column {column} of the result could not be read: {message}")]
    Decode { column: usize, message: String },

    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

fn describe_fields(fields: &[&str]) -> String {
    match fields {
        [] => "unique value".to_owned(),
        [one] => format!("`{one}`"),
        many => format!("({})", many.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A column of a result that could not be read.
pub(crate) fn decode_error(index: usize, e: impl std::fmt::Display) -> Error {
    Error::Decode { column: index, message: e.to_string() }
}

impl Error {
    /// Classifies a driver error from a statement on `table`; what a driver reports its own
    /// way is read by its room in `backend/`.
    pub(crate) fn from_sqlx(e: sqlx::Error, table: Option<&'static Table>) -> Error {
        use sqlx::error::ErrorKind;
        let model = table.map_or("?", |t| t.model);
        match e {
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                match db.kind() {
                    ErrorKind::UniqueViolation => {
                        let fields = table.map_or_else(Vec::new, |t| {
                            let violated = backend::violated_unique(&*db);
                            let columns: Vec<&str> = violated.columns.iter().map(String::as_str).collect();
                            t.unique_fields(violated.name.as_deref(), &columns)
                        });
                        Error::UniqueViolation { model, fields, message }
                    }
                    _ if backend::is_unclassified_foreign_key_violation(&*db) => {
                        Error::ForeignKeyViolation { model, constraint: None, message }
                    }
                    ErrorKind::ForeignKeyViolation => {
                        Error::ForeignKeyViolation { model, constraint: db.constraint().map(str::to_owned), message }
                    }
                    _ => Error::Database(sqlx::Error::Database(db)),
                }
            }
            sqlx::Error::PoolTimedOut => Error::Timeout("no connection of the pool became free".into()),
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Error::Timeout(io.to_string()),
            e @ (sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed) => {
                Error::Connection(e.to_string())
            }
            sqlx::Error::Configuration(c) => Error::InvalidUrl(c.to_string()),
            e => Error::Database(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_fields() {
        let e = Error::UniqueViolation { model: "User", fields: vec!["email"], message: String::new() };
        assert_eq!(e.to_string(), "a `User` record with the same `email` already exists");
        let e = Error::UniqueViolation { model: "Post", fields: vec!["title", "authorId"], message: String::new() };
        assert_eq!(e.to_string(), "a `Post` record with the same (`title`, `authorId`) already exists");
    }
}
