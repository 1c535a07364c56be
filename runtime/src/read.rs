//! Read queries: `find_unique`, `find_first`, `find_many`, `count`.
//!
//! Each builder is plain data until `.exec().await`, which renders it once and runs one
//! statement: one visible round trip per call.

use crate::db::Db;
use crate::error::Error;
use crate::field::{Filter, FilterNode, OrderBy};
use crate::load::{IntoInclude, Loader};
use crate::model::{Model, UniqueInput};
use crate::query::{Aliases, Scope, Select, render};

/// Runs each include on the records a query read: one statement per relation level.
async fn load_includes<M: Model>(db: &Db, includes: &[Box<dyn Loader<M>>], records: &mut [M]) -> Result<(), Error> {
    for include in includes {
        include.load(db, records).await?;
    }
    Ok(())
}

/// `find_many`, and `find_first` (which is `find_many` with `take(1)`).
pub struct FindMany<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    order: Vec<OrderBy<M>>,
    skip: Option<i64>,
    take: Option<i64>,
    includes: Vec<Box<dyn Loader<M>>>,
}

impl<M: Model> FindMany<M> {
    pub(crate) fn new(db: Db) -> Self {
        FindMany { db, filter: None, order: Vec::new(), skip: None, take: None, includes: Vec::new() }
    }

    /// Loads a relation with the records: `user::posts`, or `user::posts.load()` with its own
    /// filter, order, skip, take and includes. One more statement per relation level.
    pub fn include(mut self, include: impl IntoInclude<M>) -> Self {
        self.includes.push(include.into_include());
        self
    }

    /// Keeps the records matching `filter`; called again, both must match.
    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    /// Adds a sort key; earlier keys sort first.
    pub fn order_by(mut self, key: OrderBy<M>) -> Self {
        self.order.push(key);
        self
    }

    pub fn skip(mut self, n: u64) -> Self {
        self.skip = Some(i64::try_from(n).unwrap_or(i64::MAX));
        self
    }

    pub fn take(mut self, n: u64) -> Self {
        self.take = Some(i64::try_from(n).unwrap_or(i64::MAX));
        self
    }

    pub async fn exec(self) -> Result<Vec<M>, Error> {
        let table = M::TABLE;
        let mut aliases = Aliases::default();
        let filter = self.filter.map(|f| f.into_expr(table, Scope::Bare, &mut aliases));
        let mut select = Select::records(table, filter);
        select.order_by = self.order.iter().map(|key| key.to_order(table, Scope::Bare, &mut aliases)).collect();
        (select.limit, select.offset) = (self.take, self.skip);
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(table)).await?;
        let mut records = rows.iter().map(|row| M::from_row(row, 0)).collect::<Result<Vec<M>, Error>>()?;
        load_includes(&self.db, &self.includes, &mut records).await?;
        Ok(records)
    }
}

/// `find_first`: the first record in the given order, if any.
pub struct FindFirst<M: Model>(FindMany<M>);

impl<M: Model> FindFirst<M> {
    pub(crate) fn new(db: Db) -> Self {
        FindFirst(FindMany::new(db))
    }
    pub fn filter(self, filter: Filter<M>) -> Self {
        FindFirst(self.0.filter(filter))
    }
    pub fn order_by(self, key: OrderBy<M>) -> Self {
        FindFirst(self.0.order_by(key))
    }
    pub fn skip(self, n: u64) -> Self {
        FindFirst(self.0.skip(n))
    }
    pub fn include(self, include: impl IntoInclude<M>) -> Self {
        FindFirst(self.0.include(include))
    }
    pub async fn exec(self) -> Result<Option<M>, Error> {
        Ok(self.0.take(1).exec().await?.into_iter().next())
    }
}

/// `find_unique`: the record a unique criterion names.
pub struct FindUnique<M: Model> {
    db: Db,
    filter: FilterNode,
    includes: Vec<Box<dyn Loader<M>>>,
}

impl<M: Model> FindUnique<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        FindUnique { db, filter: unique.into_filter().node, includes: Vec::new() }
    }

    /// Loads a relation with the record; see [`FindMany::include`].
    pub fn include(mut self, include: impl IntoInclude<M>) -> Self {
        self.includes.push(include.into_include());
        self
    }

    pub async fn exec(self) -> Result<Option<M>, Error> {
        let select = Select::records(M::TABLE, Some(self.filter.top_level(M::TABLE)));
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(M::TABLE)).await?;
        let mut records = rows.first().map(|row| M::from_row(row, 0)).transpose()?.into_iter().collect::<Vec<_>>();
        load_includes(&self.db, &self.includes, &mut records).await?;
        Ok(records.pop())
    }
}

/// `find_unique_or_error`: like `find_unique`, with [`Error::NotFound`] instead of `None`.
pub struct FindUniqueOrError<M: Model>(FindUnique<M>);

impl<M: Model> FindUniqueOrError<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        FindUniqueOrError(FindUnique::new(db, unique))
    }

    pub fn include(self, include: impl IntoInclude<M>) -> Self {
        FindUniqueOrError(self.0.include(include))
    }

    pub async fn exec(self) -> Result<M, Error> {
        self.0.exec().await?.ok_or(Error::NotFound { model: M::TABLE.model })
    }
}

/// `count`: the number of records matching the filter.
pub struct Count<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> Count<M> {
    pub(crate) fn new(db: Db) -> Self {
        Count { db, filter: None, _marker: std::marker::PhantomData }
    }

    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    pub async fn exec(self) -> Result<u64, Error> {
        let select = Select::count(M::TABLE, self.filter.map(|f| f.top_level(M::TABLE)));
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(M::TABLE)).await?;
        let count: i64 = match rows.first() {
            Some(row) => row.get(0)?,
            None => 0,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
