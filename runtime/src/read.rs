//! Read queries: `find_unique`, `find_first`, `find_many`, `count`.
//!
//! Each builder is plain data until `.exec().await`, which renders it once and runs one
//! statement: one visible round trip per call.

use crate::aggregate::Fields;
use crate::db::Db;
use crate::error::Error;
use crate::field::{Filter, FilterNode, OrderBy, SortKey};
use crate::load::{IntoInclude, Loader, includes_inline};
use crate::model::{Model, Table, UniqueInput};
use crate::query::{Aliases, CmpOp, ColumnRef, Expr, Nulls, Order, Scope, Select, SelectItem, TableRef, render};
use crate::select::{OmitMany, OmitOne, SelectMany, SelectOne, Selection};

/// A record and its includes from one row whose include columns follow the record's `width`.
fn inline_record<M: Model>(
    includes: &[Box<dyn Loader<M>>],
    mut row: crate::row::Row,
    width: usize,
) -> Result<M, Error> {
    let mut record = M::from_row(&row, 0)?;
    crate::load::fill_all(includes, &mut record, &mut row, width)?;
    Ok(record)
}

/// Runs each include on the records a query read: one statement per relation level.
async fn load_includes<M: Model>(db: &Db, includes: &[Box<dyn Loader<M>>], records: &mut [M]) -> Result<(), Error> {
    for include in includes {
        include.load(db, records).await?;
    }
    Ok(())
}

/// `find_many`, and `find_first` (which is `find_many` with `take(1)`).
pub struct FindMany<M: Model> {
    pub(crate) db: Db,
    filter: Option<FilterNode>,
    order: Vec<OrderBy<M>>,
    skip: Option<i64>,
    take: Option<i64>,
    /// `take_last`: the order is reversed for the statement and the rows put back after.
    backwards: bool,
    /// The unique criterion of the record pages start at.
    cursor: Option<FilterNode>,
    /// Columns whose values no two returned records share (the first in order is kept).
    distinct: Vec<usize>,
    pub(crate) includes: Vec<Box<dyn Loader<M>>>,
}

impl<M: Model> FindMany<M> {
    pub(crate) fn new(db: Db) -> Self {
        FindMany {
            db,
            filter: None,
            order: Vec::new(),
            skip: None,
            take: None,
            backwards: false,
            cursor: None,
            distinct: Vec::new(),
            includes: Vec::new(),
        }
    }

    /// Keeps the first record (in the query's order) of each combination of `fields`' values.
    /// As in Prisma, the records are read and told apart in memory, and `skip`/`take` count
    /// the distinct ones.
    pub fn distinct<S: Fields<M>>(mut self, fields: S) -> Self {
        self.distinct = fields.columns();
        self
    }

    /// Starts at the record `unique` names (included; `.skip(1)` leaves it out), in the
    /// query's order with the primary key as the last tie-breaker: cursor pagination.
    pub fn cursor(mut self, unique: M::Unique) -> Self {
        self.cursor = Some(unique.into_filter().node);
        self
    }

    /// The last `n` records in the query's order (with a cursor: up to and including it),
    /// returned in that order: paging backwards.
    pub fn take_last(mut self, n: u64) -> Self {
        self.take = Some(i64::try_from(n).unwrap_or(i64::MAX));
        self.backwards = true;
        self
    }

    /// Reads only what `selection` names, as tuples: fields, relations and relation counts.
    /// `.select((user::id, user::email))` returns `Vec<(i32, String)>`;
    /// `.select((user::email, user::posts.load().take(3), user::posts.count()))` returns
    /// `Vec<(String, Vec<Post>, u64)>`, one more statement per relation.
    pub fn select<S: Selection<M>>(self, selection: S) -> SelectMany<M, S> {
        SelectMany::new(self, selection)
    }

    /// Reads every field but `fields`: records as [`Partial`], whose `get(field)` is
    /// [`Error::Omitted`] for a field left out (`.omit((user::password,))`).
    pub fn omit<S: Fields<M>>(self, fields: S) -> OmitMany<M> {
        OmitMany::new(self, fields.columns())
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

    /// The statement, reading `items`; it takes the filter, which is rendered once.
    fn statement(&mut self, items: Vec<SelectItem>) -> Result<Select, Error> {
        let table = M::TABLE;
        let mut aliases = Aliases::default();
        let mut conditions: Vec<Expr> =
            self.filter.take().map(|f| f.into_expr(table, Scope::Bare, &mut aliases)).into_iter().collect();
        let mut order: Vec<Order> =
            self.order.iter().map(|key| key.to_order(table, Scope::Bare, &mut aliases)).collect();
        // Backwards with `distinct`, the rows are read forwards and the last ones kept in memory.
        let flip = self.backwards && self.distinct.is_empty();
        if self.backwards && self.cursor.is_none() {
            // "The last n" needs a total order: the primary key breaks ties.
            for &c in M::TABLE.primary_key {
                if !self.order.iter().any(|o| matches!(o.key, SortKey::Column(k) if k == c)) {
                    order.push(Order { expr: Expr::column(Scope::Bare, &table.columns[c]), desc: false, nulls: None });
                }
            }
        }
        if let Some(cursor) = &self.cursor {
            // Backwards, the statement reads from the cursor down, in the reversed order.
            let keys: Vec<(usize, bool)> = self.cursor_keys()?.into_iter().map(|(c, desc)| (c, desc != flip)).collect();
            conditions.push(cursor_condition(table, &keys, cursor, &mut aliases));
            order = keys
                .iter()
                .map(|&(column, desc)| Order {
                    expr: Expr::column(Scope::Bare, &table.columns[column]),
                    desc,
                    nulls: None,
                })
                .collect();
        } else if flip {
            for key in &mut order {
                key.desc = !key.desc;
                key.nulls = key.nulls.map(|n| match n {
                    Nulls::First => Nulls::Last,
                    Nulls::Last => Nulls::First,
                });
            }
        }
        let mut select = Select::new(TableRef { table, alias: None }, items);
        select.filter = match conditions.len() {
            0 => None,
            1 => conditions.pop(),
            _ => Some(Expr::And(conditions)),
        };
        select.order_by = order;
        if self.distinct.is_empty() {
            (select.limit, select.offset) = (self.take, self.skip);
        }
        Ok(select)
    }

    /// The sort keys a cursor pages by: the query's, then the primary key's columns.
    fn cursor_keys(&self) -> Result<Vec<(usize, bool)>, Error> {
        let mut keys = Vec::new();
        for key in &self.order {
            match key.key {
                SortKey::Column(c) if M::TABLE.columns[c].nullable => {
                    return Err(Error::Validation(format!(
                        "a cursor can't page by `{}`, which may be null: sort by fields that can't",
                        M::TABLE.columns[c].field
                    )));
                }
                SortKey::Column(c) => keys.push((c, key.desc)),
                _ => {
                    return Err(Error::Validation(
                        "a cursor pages by fields: sort by fields, not by counts or aggregates".into(),
                    ));
                }
            }
        }
        for &c in M::TABLE.primary_key {
            if !keys.iter().any(|&(k, _)| k == c) {
                keys.push((c, false));
            }
        }
        if keys.is_empty() {
            return Err(Error::Validation(format!("`{}` has no primary key to page by", M::TABLE.model)));
        }
        Ok(keys)
    }

    /// The rows of the statement reading `columns` (indexes into the table's columns).
    pub(crate) async fn rows(&mut self, columns: &[usize], distinct: bool) -> Result<Vec<crate::row::Row>, Error> {
        self.rows_with(columns, distinct, false).await
    }

    /// [`FindMany::rows`], with each include's column after `columns` when `inline`.
    async fn rows_with(
        &mut self,
        columns: &[usize],
        distinct: bool,
        inline: bool,
    ) -> Result<Vec<crate::row::Row>, Error> {
        let table = M::TABLE;
        let items = columns
            .iter()
            .map(|&c| SelectItem::Column(ColumnRef { scope: Scope::Bare, column: &table.columns[c] }))
            .collect();
        let mut select = self.statement(items)?;
        if inline {
            let mut aliases = Aliases::default();
            select.items.extend(crate::load::json_items(&self.includes, table, &mut aliases));
        }
        if distinct {
            // `SELECT DISTINCT` can only sort by what it selects.
            let unselected = !select.order_by.is_empty()
                && (self.order.iter().any(|o| !matches!(o.key, SortKey::Column(c) if columns.contains(&c)))
                    || self.cursor.is_some()
                    || self.backwards);
            if unselected {
                return Err(Error::Validation(
                    "`distinct()` of a selection sorts by selected fields only (and without cursor or take_last)"
                        .into(),
                ));
            }
            select.distinct = true;
        }
        let rows = self.db.conn().await?.fetch_all(render(self.db.dialect(), select), Some(table)).await?;
        if !self.distinct.is_empty() {
            return self.distinct_rows(rows, columns);
        }
        Ok(if self.backwards { rows.into_iter().rev().collect() } else { rows })
    }

    /// The first row of each combination of the distinct columns' values, then `skip`/`take`.
    fn distinct_rows(&self, rows: Vec<crate::row::Row>, columns: &[usize]) -> Result<Vec<crate::row::Row>, Error> {
        let table = M::TABLE;
        let positions: Vec<usize> = self
            .distinct
            .iter()
            .map(|c| {
                columns.iter().position(|x| x == c).ok_or_else(|| {
                    Error::Validation(format!("`distinct` on `{}` needs the field selected", table.columns[*c].field))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::new();
        for row in rows {
            let key: Vec<String> = positions
                .iter()
                .zip(&self.distinct)
                .map(|(&at, &c)| row.value(at, table.columns[c].kind).map(|v| format!("{v:?}")))
                .collect::<Result<_, _>>()?;
            if seen.insert(key) {
                kept.push(row);
            }
        }
        let skip = self.skip.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let take = self.take.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        if self.backwards {
            // The last `take` before the last `skip`, in order.
            let end = kept.len().saturating_sub(skip);
            let start = end.saturating_sub(take);
            return Ok(kept.drain(start..end).collect());
        }
        Ok(kept.into_iter().skip(skip).take(take).collect())
    }

    pub async fn exec(mut self) -> Result<Vec<M>, Error> {
        let width = M::TABLE.columns.len();
        let all: Vec<usize> = (0..width).collect();
        // With `distinct`, rows are dropped after reading: the includes load for those kept.
        let inline = includes_inline(&self.db, &self.includes) && self.distinct.is_empty();
        let rows = self.rows_with(&all, false, inline).await?;
        if inline {
            return rows.into_iter().map(|row| inline_record(&self.includes, row, width)).collect();
        }
        let mut records = rows.iter().map(|row| M::from_row(row, 0)).collect::<Result<Vec<M>, Error>>()?;
        load_includes(&self.db, &self.includes, &mut records).await?;
        Ok(records)
    }
}

/// Rows at or after the cursor record in the order of `keys` (`(column, descending)`):
/// `k1 > c1 OR (k1 = c1 AND k2 > c2) OR … (… AND kn >= cn)`, each `c` read from the cursor
/// record by a sub-select (so a cursor that names no record gives no rows).
fn cursor_condition(table: &'static Table, keys: &[(usize, bool)], cursor: &FilterNode, aliases: &mut Aliases) -> Expr {
    let mut value_of = |column: usize| {
        let at = TableRef { table, alias: Some(aliases.next()) };
        let item = SelectItem::Expr(Expr::column(at.scope(), &table.columns[column]), None);
        let mut select = Select::new(at, vec![item]);
        select.filter = Some(cursor.clone().into_expr(table, at.scope(), aliases));
        Expr::Subquery(Box::new(select))
    };
    let values: Vec<Expr> = keys.iter().map(|&(c, _)| value_of(c)).collect();
    let column = |c: usize| Expr::column(Scope::Bare, &table.columns[c]);
    let mut alternatives = Vec::new();
    for (i, &(c, desc)) in keys.iter().enumerate() {
        let last = i + 1 == keys.len();
        let op = match (desc, last) {
            (false, false) => CmpOp::Gt,
            (false, true) => CmpOp::Gte,
            (true, false) => CmpOp::Lt,
            (true, true) => CmpOp::Lte,
        };
        let mut all = Vec::with_capacity(i + 1);
        for (&(p, _), value) in keys[..i].iter().zip(&values) {
            all.push(Expr::eq(column(p), value.clone()));
        }
        all.push(Expr::compare(column(c), op, values[i].clone()));
        alternatives.push(Expr::And(all));
    }
    Expr::Or(alternatives)
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
    pub fn cursor(self, unique: M::Unique) -> Self {
        FindFirst(self.0.cursor(unique))
    }
    /// Reads only what `selection` names, as a tuple; see [`FindMany::select`].
    pub fn select<S: Selection<M>>(self, selection: S) -> SelectOne<M, S> {
        SelectOne(self.0.take(1).select(selection))
    }
    /// Reads every field but `fields`; see [`FindMany::omit`].
    pub fn omit<S: Fields<M>>(self, fields: S) -> OmitOne<M> {
        OmitOne(self.0.take(1).omit(fields))
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

    /// Reads only what `selection` names, as a tuple; see [`FindMany::select`].
    pub fn select<S: Selection<M>>(self, selection: S) -> SelectOne<M, S> {
        SelectOne(self.into_find_many().select(selection))
    }

    /// Reads every field but `fields`; see [`FindMany::omit`].
    pub fn omit<S: Fields<M>>(self, fields: S) -> OmitOne<M> {
        OmitOne(self.into_find_many().omit(fields))
    }

    fn into_find_many(self) -> FindMany<M> {
        let mut find = FindMany::new(self.db);
        find.filter = Some(self.filter);
        find.includes = self.includes;
        find.take(1)
    }

    /// Loads a relation with the record; see [`FindMany::include`].
    pub fn include(mut self, include: impl IntoInclude<M>) -> Self {
        self.includes.push(include.into_include());
        self
    }

    pub async fn exec(self) -> Result<Option<M>, Error> {
        let mut select = Select::records(M::TABLE, Some(self.filter.top_level(M::TABLE)));
        if includes_inline(&self.db, &self.includes) {
            select.items.extend(crate::load::json_items(&self.includes, M::TABLE, &mut Aliases::default()));
            let sql = render(self.db.dialect(), select);
            let rows = self.db.conn().await?.fetch_all(sql, Some(M::TABLE)).await?;
            let width = M::TABLE.columns.len();
            return rows.into_iter().next().map(|row| inline_record(&self.includes, row, width)).transpose();
        }
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
