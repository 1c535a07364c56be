//! Read queries: `find_unique`, `find_first`, `find_many`, `count`.
//!
//! Each builder is plain data until `.exec().await`, which renders it once and runs one
//! statement: one visible round trip per call.

use crate::db::Db;
use crate::error::Error;
use crate::field::{Filter, FilterNode, OrderBy};
use crate::model::{Model, UniqueInput};
use crate::query::{Scope, Select, render};

/// `find_many`, and `find_first` (which is `find_many` with `take(1)`).
pub struct FindMany<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    order: Vec<OrderBy<M>>,
    skip: Option<i64>,
    take: Option<i64>,
}

impl<M: Model> FindMany<M> {
    pub(crate) fn new(db: Db) -> Self {
        FindMany { db, filter: None, order: Vec::new(), skip: None, take: None }
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
        let mut select = Select::records(table, self.filter.map(|f| f.into_expr(table, Scope::Bare)));
        select.order_by = self.order.iter().map(|key| key.to_order(table, Scope::Bare)).collect();
        (select.limit, select.offset) = (self.take, self.skip);
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(table)).await?;
        rows.iter().map(|row| M::from_row(row, 0)).collect()
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
    pub async fn exec(self) -> Result<Option<M>, Error> {
        Ok(self.0.take(1).exec().await?.into_iter().next())
    }
}

/// `find_unique`: the record a unique criterion names.
pub struct FindUnique<M: Model> {
    db: Db,
    filter: FilterNode,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> FindUnique<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        FindUnique { db, filter: unique.into_filter().node, _marker: std::marker::PhantomData }
    }

    pub async fn exec(self) -> Result<Option<M>, Error> {
        let select = Select::records(M::TABLE, Some(self.filter.into_expr(M::TABLE, Scope::Bare)));
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(M::TABLE)).await?;
        rows.first().map(|row| M::from_row(row, 0)).transpose()
    }
}

/// `find_unique_or_error`: like `find_unique`, with [`Error::NotFound`] instead of `None`.
pub struct FindUniqueOrError<M: Model>(FindUnique<M>);

impl<M: Model> FindUniqueOrError<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        FindUniqueOrError(FindUnique::new(db, unique))
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
        let select = Select::count(M::TABLE, self.filter.map(|f| f.into_expr(M::TABLE, Scope::Bare)));
        let sql = render(self.db.dialect(), select);
        let rows = self.db.conn().await?.fetch_all(sql, Some(M::TABLE)).await?;
        let count: i64 = match rows.first() {
            Some(row) => row.get(0)?,
            None => 0,
        };
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
