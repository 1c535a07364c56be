//! `aggregate()` and `group_by`: counts, sums, averages, minimums and maximums, returned as
//! typed tuples in the order they were asked for.
//!
//! Each `.count()` / `.sum(field)` / … adds one element to the result's type, so
//! `aggregate().count().sum(post::views)` returns `(u64, Option<i64>)`. What the backends
//! return differs (PostgreSQL sums `bigint` into `numeric`, MySQL sums integers into
//! `DECIMAL`): integer sums are cast to `BIGINT` and integer or float averages to a double in
//! the statement, so one Rust type reads every backend.

use std::marker::PhantomData;

use rust_decimal::Decimal;

use crate::db::Db;
use crate::error::Error;
use crate::field::{Field, FieldValue, Filter, FilterNode, OrderBy};
use crate::model::Model;
use crate::query::{Aggregate as Function, Aliases, CastTo, Expr, Scope, Select, SelectItem, TableRef, render};
use crate::row::Row;
use crate::value::{DbType, Ordered};

/// A value an aggregate returns, read from its column of the result.
pub trait AggregateValue: Sized + Send {
    fn decode(row: &Row, index: usize) -> Result<Self, Error>;
}

impl AggregateValue for u64 {
    fn decode(row: &Row, index: usize) -> Result<Self, Error> {
        let n: i64 = row.get(index)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl<T: DbType> AggregateValue for Option<T> {
    fn decode(row: &Row, index: usize) -> Result<Self, Error> {
        <Option<T> as DbType>::decode(row, index)
    }
}

/// Types a sum applies to, and the type of their sum.
pub trait Summable: DbType {
    type Sum: DbType;
    #[doc(hidden)]
    const CAST: Option<CastTo>;
}
impl Summable for i32 {
    type Sum = i64;
    const CAST: Option<CastTo> = Some(CastTo::BigInt);
}
impl Summable for i64 {
    type Sum = i64;
    const CAST: Option<CastTo> = Some(CastTo::BigInt);
}
impl Summable for f64 {
    type Sum = f64;
    const CAST: Option<CastTo> = Some(CastTo::Double);
}
impl Summable for Decimal {
    type Sum = Decimal;
    const CAST: Option<CastTo> = None;
}

/// Types an average applies to, and the type of their average.
pub trait Averageable: DbType {
    type Avg: DbType;
    #[doc(hidden)]
    const CAST: Option<CastTo>;
}
impl Averageable for i32 {
    type Avg = f64;
    const CAST: Option<CastTo> = Some(CastTo::Double);
}
impl Averageable for i64 {
    type Avg = f64;
    const CAST: Option<CastTo> = Some(CastTo::Double);
}
impl Averageable for f64 {
    type Avg = f64;
    const CAST: Option<CastTo> = Some(CastTo::Double);
}
impl Averageable for Decimal {
    type Avg = Decimal;
    const CAST: Option<CastTo> = None;
}

/// A tuple of results that can grow by one element.
pub trait Push<T> {
    type Out;
}

/// A tuple of aggregate results, read from consecutive columns.
pub trait Outputs: Sized + Send {
    /// How many columns it reads.
    const LEN: usize;
    fn decode(row: &Row, offset: usize) -> Result<Self, Error>;
}

impl Outputs for () {
    const LEN: usize = 0;
    fn decode(_: &Row, _: usize) -> Result<Self, Error> {
        Ok(())
    }
}

macro_rules! tuples {
    ($($t:ident $i:tt),*) => {
        impl<$($t: AggregateValue,)*> Outputs for ($($t,)*) {
            const LEN: usize = [$($i),*].len();
            fn decode(row: &Row, offset: usize) -> Result<Self, Error> {
                Ok(($($t::decode(row, offset + $i)?,)*))
            }
        }
    };
}
tuples!(A 0);
tuples!(A 0, B 1);
tuples!(A 0, B 1, C 2);
tuples!(A 0, B 1, C 2, D 3);
tuples!(A 0, B 1, C 2, D 3, E 4);
tuples!(A 0, B 1, C 2, D 3, E 4, F 5);
tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

impl<T> Push<T> for () {
    type Out = (T,);
}
macro_rules! push {
    ($($t:ident),*) => {
        impl<$($t,)* T> Push<T> for ($($t,)*) {
            type Out = ($($t,)* T);
        }
    };
}
push!(A);
push!(A, B);
push!(A, B, C);
push!(A, B, C, D);
push!(A, B, C, D, E);
push!(A, B, C, D, E, F);
push!(A, B, C, D, E, F, G);

/// One aggregate of a statement: the function and the column it reads (none for `COUNT(*)`).
#[derive(Debug, Clone, Copy)]
struct Item {
    function: Function,
    column: Option<usize>,
    cast: Option<CastTo>,
}

impl Item {
    fn expr(self, table: &'static crate::model::Table) -> Expr {
        let argument = self.column.map(|c| Box::new(Expr::column(Scope::Bare, &table.columns[c])));
        let aggregate = Expr::Aggregate(self.function, argument);
        match self.cast {
            Some(to) => Expr::Cast(Box::new(aggregate), to),
            None => aggregate,
        }
    }
}

/// The aggregates being built, shared by [`Aggregate`] and [`GroupBy`].
struct Items<M, Out> {
    items: Vec<Item>,
    _marker: PhantomData<fn() -> (M, Out)>,
}

impl<M, Out> Items<M, Out> {
    fn push<T>(mut self, item: Item) -> Items<M, <Out as Push<T>>::Out>
    where
        Out: Push<T>,
    {
        self.items.push(item);
        Items { items: self.items, _marker: PhantomData }
    }
}

macro_rules! aggregate_methods {
    ($ty:ident $(, $extra:ident)*) => {
        impl<M: Model, $($extra,)* Out> $ty<M, $($extra,)* Out> {
            /// The number of records.
            pub fn count(self) -> $ty<M, $($extra,)* <Out as Push<u64>>::Out>
            where
                Out: Push<u64>,
            {
                let item = Item { function: Function::Count, column: None, cast: None };
                self.with(|items| items.push::<u64>(item))
            }

            /// The sum of a field (`None` without records, or with only nulls).
            pub fn sum<T: FieldValue>(
                self,
                field: Field<M, T>,
            ) -> $ty<M, $($extra,)* <Out as Push<Option<<T::Inner as Summable>::Sum>>>::Out>
            where
                T::Inner: Summable,
                Out: Push<Option<<T::Inner as Summable>::Sum>>,
            {
                let item = Item { function: Function::Sum, column: Some(field.index()), cast: <T::Inner as Summable>::CAST };
                self.with(|items| items.push::<Option<<T::Inner as Summable>::Sum>>(item))
            }

            /// The average of a field.
            pub fn avg<T: FieldValue>(
                self,
                field: Field<M, T>,
            ) -> $ty<M, $($extra,)* <Out as Push<Option<<T::Inner as Averageable>::Avg>>>::Out>
            where
                T::Inner: Averageable,
                Out: Push<Option<<T::Inner as Averageable>::Avg>>,
            {
                let item =
                    Item { function: Function::Avg, column: Some(field.index()), cast: <T::Inner as Averageable>::CAST };
                self.with(|items| items.push::<Option<<T::Inner as Averageable>::Avg>>(item))
            }

            /// The smallest value of a field.
            pub fn min<T: FieldValue>(self, field: Field<M, T>) -> $ty<M, $($extra,)* <Out as Push<Option<T::Inner>>>::Out>
            where
                T::Inner: Ordered,
                Out: Push<Option<T::Inner>>,
            {
                let item = Item { function: Function::Min, column: Some(field.index()), cast: None };
                self.with(|items| items.push::<Option<T::Inner>>(item))
            }

            /// The largest value of a field.
            pub fn max<T: FieldValue>(self, field: Field<M, T>) -> $ty<M, $($extra,)* <Out as Push<Option<T::Inner>>>::Out>
            where
                T::Inner: Ordered,
                Out: Push<Option<T::Inner>>,
            {
                let item = Item { function: Function::Max, column: Some(field.index()), cast: None };
                self.with(|items| items.push::<Option<T::Inner>>(item))
            }

            /// Keeps the records matching `filter` (before grouping).
            pub fn filter(mut self, filter: Filter<M>) -> Self {
                self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
                self
            }
        }
    };
}

/// `aggregate()`: aggregates over the records matching a filter, as one tuple.
pub struct Aggregate<M, Out> {
    db: Db,
    filter: Option<FilterNode>,
    items: Items<M, Out>,
}

impl<M: Model> Aggregate<M, ()> {
    pub(crate) fn new(db: Db) -> Self {
        Aggregate { db, filter: None, items: Items { items: Vec::new(), _marker: PhantomData } }
    }
}

impl<M: Model, Out> Aggregate<M, Out> {
    fn with<O>(self, f: impl FnOnce(Items<M, Out>) -> Items<M, O>) -> Aggregate<M, O> {
        Aggregate { db: self.db, filter: self.filter, items: f(self.items) }
    }
}

aggregate_methods!(Aggregate);

impl<M: Model, Out: Outputs> Aggregate<M, Out> {
    pub async fn exec(self) -> Result<Out, Error> {
        let table = M::TABLE;
        if self.items.items.is_empty() {
            return Err(Error::Validation("an aggregate needs at least one of count, sum, avg, min, max".into()));
        }
        let items = self.items.items.iter().map(|i| SelectItem::Expr(i.expr(table), None)).collect();
        let mut select = Select::new(TableRef { table, alias: None }, items);
        select.filter = self.filter.map(|f| f.top_level(table));
        let rows = self.db.conn().await?.fetch_all(render(self.db.dialect(), select), Some(table)).await?;
        let row = rows.first().ok_or(Error::NotFound { model: table.model })?;
        Out::decode(row, 0)
    }
}

/// A tuple of fields of `M` (what `group_by` groups on, what `select` reads), read back as a
/// tuple of their values.
pub trait Fields<M>: Send {
    type Values: Send;
    fn columns(&self) -> Vec<usize>;
    fn decode(row: &Row) -> Result<Self::Values, Error>;
}

macro_rules! fields {
    ($($t:ident $i:tt),*) => {
        impl<M: Send, $($t: DbType + Send + 'static,)*> Fields<M> for ($(Field<M, $t>,)*) {
            type Values = ($($t,)*);
            fn columns(&self) -> Vec<usize> {
                vec![$(self.$i.index()),*]
            }
            fn decode(row: &Row) -> Result<Self::Values, Error> {
                Ok(($($t::decode(row, $i)?,)*))
            }
        }
    };
}
fields!(A 0);
fields!(A 0, B 1);
fields!(A 0, B 1, C 2);
fields!(A 0, B 1, C 2, D 3);
fields!(A 0, B 1, C 2, D 3, E 4);
fields!(A 0, B 1, C 2, D 3, E 4, F 5);
fields!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
fields!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// `group_by((post::status,))`: one row per distinct combination of the keys, with its
/// aggregates: `Vec<(keys, aggregates)>`.
pub struct GroupBy<M, K, Out> {
    db: Db,
    keys: K,
    filter: Option<FilterNode>,
    having: Option<FilterNode>,
    order: Vec<OrderBy<M>>,
    skip: Option<i64>,
    take: Option<i64>,
    items: Items<M, Out>,
}

impl<M: Model, K: Fields<M>> GroupBy<M, K, ()> {
    pub(crate) fn new(db: Db, keys: K) -> Self {
        GroupBy {
            db,
            keys,
            filter: None,
            having: None,
            order: Vec::new(),
            skip: None,
            take: None,
            items: Items { items: Vec::new(), _marker: PhantomData },
        }
    }
}

impl<M: Model, K, Out> GroupBy<M, K, Out> {
    fn with<O>(self, f: impl FnOnce(Items<M, Out>) -> Items<M, O>) -> GroupBy<M, K, O> {
        GroupBy {
            db: self.db,
            keys: self.keys,
            filter: self.filter,
            having: self.having,
            order: self.order,
            skip: self.skip,
            take: self.take,
            items: f(self.items),
        }
    }

    /// Keeps the groups matching `filter`, over aggregates (`post::views.sum().gt(100)`) or
    /// the keys.
    pub fn having(mut self, filter: Filter<M>) -> Self {
        self.having = Some(FilterNode::conjoin(self.having.take(), filter.node));
        self
    }

    /// Sorts the groups, by a key or an aggregate (`post::views.sum().desc()`).
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
}

aggregate_methods!(GroupBy, K);

impl<M: Model, K: Fields<M>, Out: Outputs> GroupBy<M, K, Out> {
    pub async fn exec(self) -> Result<Vec<(K::Values, Out)>, Error> {
        let table = M::TABLE;
        let keys = self.keys.columns();
        let mut items: Vec<SelectItem> = keys
            .iter()
            .map(|&c| SelectItem::Column(crate::query::ColumnRef { scope: Scope::Bare, column: &table.columns[c] }))
            .collect();
        items.extend(self.items.items.iter().map(|i| SelectItem::Expr(i.expr(table), None)));
        let mut aliases = Aliases::default();
        let mut select = Select::new(TableRef { table, alias: None }, items);
        select.filter = self.filter.map(|f| f.into_expr(table, Scope::Bare, &mut aliases));
        select.group_by = keys.iter().map(|&c| Expr::column(Scope::Bare, &table.columns[c])).collect();
        select.having = self.having.map(|f| f.into_expr(table, Scope::Bare, &mut aliases));
        select.order_by = self.order.iter().map(|o| o.to_order(table, Scope::Bare, &mut aliases)).collect();
        (select.limit, select.offset) = (self.take, self.skip);
        let rows = self.db.conn().await?.fetch_all(render(self.db.dialect(), select), Some(table)).await?;
        let offset = keys.len();
        rows.iter().map(|row| Ok((K::decode(row)?, Out::decode(row, offset)?))).collect()
    }
}
