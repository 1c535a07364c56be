//! Raw SQL: the application's own statements, with values bound, never formatted in.

use crate::db::Db;
use crate::error::Error;
use crate::query::Sql;
use crate::row::FromRow;
use crate::value::DbType;

/// A raw statement. Placeholders are the backend's own (`$1` on PostgreSQL, `?` elsewhere).
pub struct Raw {
    db: Db,
    sql: Sql,
}

impl Raw {
    pub(crate) fn new(db: Db, sql: String) -> Self {
        Raw { db, sql: Sql { text: sql, binds: Vec::new() } }
    }

    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl DbType) -> Self {
        self.sql.binds.push(value.into_value());
        self
    }

    /// Runs a query and decodes each row as `T`: a [`DbType`] in a one-element tuple, or a
    /// tuple of them, by position.
    pub async fn fetch_all<T: FromRow>(self) -> Result<Vec<T>, Error> {
        let rows = self.db.conn().await?.fetch_all(self.sql, None).await?;
        rows.iter().map(T::from_row).collect()
    }

    /// Runs a statement; returns the number of rows it affected.
    pub async fn execute(self) -> Result<u64, Error> {
        Ok(self.db.conn().await?.execute(self.sql, None).await?.rows_affected)
    }
}

impl Db {
    /// A raw statement; see [`Raw`].
    pub fn raw(&self, sql: impl Into<String>) -> Raw {
        Raw::new(self.clone(), sql.into())
    }
}
