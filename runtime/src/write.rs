//! Write queries: create, create_many, update, update_many, upsert, delete, delete_many.
//!
//! PostgreSQL and SQLite return written rows with `RETURNING`. MySQL can't, so there a write
//! that returns a record reads it back by its key on the same connection, inside a transaction
//! when it takes more than one statement. Client-side defaults (`uuid()`, `cuid()`, `now()`,
//! `@updatedAt`) are filled in here, before the SQL is rendered.

use chrono::Utc;
use orm_db_schema::Dialect;

use crate::db::{Conn, Db};
use crate::error::Error;
use crate::field::{Filter, FilterNode, Set, SetOp};
use crate::model::{CreateData, Model, Pending, Table, UniqueInput};
use crate::query::{Assignment, CmpOp, Conflict, Delete as DeleteStatement, Expr, Insert, Scope, Select, SelectItem};
use crate::query::{Update as UpdateStatement, render};
use crate::referential;
use crate::value::Value;

/// The most parameters one statement may bind on each backend.
fn bind_limit(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Sqlite => 32_766,
        Dialect::Postgres | Dialect::Mysql => 65_535,
    }
}

/// A create's column values, defaults filled in, one per column, in column order.
pub(crate) fn create_row<M: Model>(
    row: Pending<M>,
    now: chrono::DateTime<Utc>,
) -> Result<(Vec<usize>, Vec<Value>), Error> {
    // (column, value) pairs, then sorted: no slot per column of the table.
    let columns = M::TABLE.columns;
    let mut pairs = row.values;
    for set in row.extra {
        let (column, value) = set.into_plain_value()?;
        match pairs.iter_mut().find(|(c, _)| *c == column) {
            Some(pair) => pair.1 = value,
            None => pairs.push((column, value)),
        }
    }
    for (i, column) in columns.iter().enumerate() {
        if (column.updated_at || column.client_default.is_some()) && !pairs.iter().any(|(c, _)| *c == i) {
            let value = match column.client_default {
                Some(default) if !column.updated_at => default.value(column, now),
                _ => Value::DateTime(now),
            };
            pairs.push((i, value));
        }
    }
    if !pairs.is_sorted_by_key(|(c, _)| *c) {
        pairs.sort_by_key(|(c, _)| *c);
    }
    let mut out = (Vec::with_capacity(pairs.len()), Vec::with_capacity(pairs.len()));
    for (column, value) in pairs {
        out.0.push(column);
        out.1.push(value);
    }
    Ok(out)
}

/// An update's assignments, `@updatedAt` fields added unless set explicitly.
pub(crate) fn update_sets<M: Model>(sets: Vec<Set<M>>, now: chrono::DateTime<Utc>) -> Vec<(usize, SetOp)> {
    let mut out: Vec<(usize, SetOp)> = sets.into_iter().map(|s| (s.column, s.op)).collect();
    if !out.is_empty() {
        for (i, column) in M::TABLE.columns.iter().enumerate() {
            if column.updated_at && !out.iter().any(|(c, _)| *c == i) {
                out.push((i, SetOp::Value(Value::DateTime(now))));
            }
        }
    }
    out
}

/// An insert of rows holding values for `columns` (indexes into the table's columns).
pub(crate) fn insert(
    table: &'static Table,
    columns: &[usize],
    rows: Vec<Vec<Value>>,
    conflict: Option<Conflict>,
) -> Insert {
    let columns = columns.iter().map(|&c| &table.columns[c]).collect();
    Insert { table, columns, rows, conflict, returning: Vec::new() }
}

pub(crate) fn assignments(table: &'static Table, sets: Vec<(usize, SetOp)>, scope: Scope) -> Vec<Assignment> {
    sets.into_iter().map(|(column, op)| op.into_assignment(table, column, scope)).collect()
}

/// Every column of the written rows (PostgreSQL and SQLite).
pub(crate) fn returning(table: &'static Table) -> Vec<SelectItem> {
    SelectItem::all_columns(table, Scope::Bare)
}

fn update_statement(table: &'static Table, sets: Vec<(usize, SetOp)>, filter: Option<FilterNode>) -> UpdateStatement {
    let sets = assignments(table, sets, Scope::Bare);
    UpdateStatement { table, sets, filter: filter.map(|f| f.top_level(table)), returning: Vec::new() }
}

fn delete_statement(table: &'static Table, filter: Option<FilterNode>) -> DeleteStatement {
    DeleteStatement { table, filter: filter.map(|f| f.top_level(table)), returning: Vec::new() }
}

fn equals(column: usize, value: Value) -> FilterNode {
    FilterNode::Compare { column, op: CmpOp::Eq, value, insensitive: false }
}

/// A filter on the primary key (or another unique criterion) from known column values, to
/// read a row back on MySQL.
fn key_filter<M: Model>(columns: &[usize], values: &[Value], inserted_id: Option<i64>) -> Result<FilterNode, Error> {
    let table = M::TABLE;
    let value_of = |c: usize| -> Option<Value> {
        if let Some(pos) = columns.iter().position(|&x| x == c) {
            return Some(values[pos].clone());
        }
        let column = &table.columns[c];
        match (column.autoincrement, inserted_id) {
            (true, Some(id)) => Some(match column.kind {
                crate::ScalarKind::Int => Value::Int(i32::try_from(id).ok()?),
                _ => Value::BigInt(id),
            }),
            _ => None,
        }
    };
    let criteria = std::iter::once(table.primary_key).chain(table.uniques.iter().map(|u| u.columns));
    for criterion in criteria.filter(|c| !c.is_empty()) {
        let known: Option<Vec<FilterNode>> = criterion.iter().map(|&c| value_of(c).map(|v| equals(c, v))).collect();
        if let Some(nodes) = known {
            return Ok(FilterNode::And(nodes));
        }
    }
    Err(Error::Validation(format!(
        "MySQL can't return the created `{}`: none of its unique criteria has a value the client knows (a database-generated key other than autoincrement)",
        table.model
    )))
}

async fn select_one<M: Model>(conn: &mut Conn<'_>, dialect: Dialect, filter: FilterNode) -> Result<Option<M>, Error> {
    let select = Select::records(M::TABLE, Some(filter.top_level(M::TABLE)));
    let rows = conn.fetch_all(render(dialect, select), Some(M::TABLE)).await?;
    rows.first().map(|r| M::from_row(r, 0)).transpose()
}

pub(crate) async fn insert_returning<M: Model>(
    conn: &mut Conn<'_>,
    dialect: Dialect,
    columns: Vec<usize>,
    row: Vec<Value>,
) -> Result<M, Error> {
    let table = M::TABLE;
    if dialect == Dialect::Mysql {
        let statement = insert(table, &columns, vec![row.clone()], None);
        let done = conn.execute(render(dialect, statement), Some(table)).await?;
        let filter = key_filter::<M>(&columns, &row, done.last_insert_id)?;
        return select_one(conn, dialect, filter).await?.ok_or(Error::NotFound { model: table.model });
    }
    let mut statement = insert(table, &columns, vec![row], None);
    statement.returning = returning(table);
    let rows = conn.fetch_all(render(dialect, statement), Some(table)).await?;
    rows.first().ok_or(Error::NotFound { model: M::TABLE.model }).and_then(|r| M::from_row(r, 0))
}

/// `create`: inserts one record and returns it as stored, with its nested writes (parents
/// found or created first, related records after) in one transaction.
pub struct Create<M: Model> {
    db: Db,
    row: Pending<M>,
}

impl<M: Model> Create<M> {
    pub(crate) fn new(db: Db, data: CreateData<M>) -> Self {
        Create { db, row: data.into_row() }
    }

    /// Sets an optional field, or one with a default.
    pub fn data(mut self, set: Set<M>) -> Self {
        self.row.extra.push(set);
        self
    }

    /// Also writes related records; see [`CreateData::related`].
    pub fn related(mut self, write: crate::nested::Related<M>) -> Self {
        self.row.related.push(write);
        self
    }

    pub async fn exec(self) -> Result<M, Error> {
        if self.row.is_alone() {
            let (columns, row) = create_row(self.row, Utc::now())?;
            let dialect = self.db.dialect();
            let mut conn = self.db.conn().await?;
            return insert_returning(&mut conn, dialect, columns, row).await;
        }
        let row = self.row;
        self.db
            .atomically(move |tx| async move {
                let mut created = crate::nested::create_all::<M>(&tx, vec![row]).await?;
                created.pop().ok_or(Error::NotFound { model: M::TABLE.model })
            })
            .await
    }
}

/// Refuses nested writes where a query can't run them.
pub(crate) fn no_related<M: Model>(rows: &[Pending<M>], query: &str) -> Result<(), Error> {
    if !rows.iter().all(Pending::is_alone) {
        return Err(Error::Validation(format!(
            "`{query}` of `{}` takes no nested writes of related records (nor parents given by `connect` or \
             `create`): create the records one by one with `create`, or give foreign keys",
            M::TABLE.model
        )));
    }
    Ok(())
}

/// `create_many`: inserts many records, in statements as large as the backend's parameter
/// limit allows, in one transaction when there is more than one statement. Returns how many
/// were inserted.
pub struct CreateMany<M: Model> {
    db: Db,
    rows: Vec<Pending<M>>,
    skip_duplicates: bool,
}

impl<M: Model> CreateMany<M> {
    pub(crate) fn new(db: Db, rows: Vec<CreateData<M>>) -> Self {
        CreateMany { db, rows: rows.into_iter().map(CreateData::into_row).collect(), skip_duplicates: false }
    }

    /// Leaves out rows that would violate a unique constraint instead of failing.
    pub fn skip_duplicates(mut self) -> Self {
        self.skip_duplicates = true;
        self
    }

    pub async fn exec(self) -> Result<u64, Error> {
        no_related(&self.rows, "create_many")?;
        let now = Utc::now();
        let rows = self.rows.into_iter().map(|r| create_row(r, now)).collect::<Result<Vec<_>, _>>()?;
        let conflict = self.skip_duplicates.then_some(Conflict::Ignore);
        let dialect = self.db.dialect();
        let mut chunks = chunks(rows, dialect);
        if chunks.len() <= 1 {
            // One statement is atomic by itself: no transaction around it.
            let Some((columns, chunk)) = chunks.pop() else { return Ok(0) };
            let statement = insert(M::TABLE, &columns, chunk, conflict);
            return Ok(self.db.conn().await?.execute(render(dialect, statement), Some(M::TABLE)).await?.rows_affected);
        }
        self.db
            .atomically(move |tx| async move {
                let mut conn = tx.conn().await?;
                let mut inserted = 0;
                for (columns, chunk) in chunks {
                    let statement = insert(M::TABLE, &columns, chunk, conflict.clone());
                    inserted += conn.execute(render(dialect, statement), Some(M::TABLE)).await?.rows_affected;
                }
                Ok::<u64, Error>(inserted)
            })
            .await
    }
}

/// Groups consecutive rows with the same columns into statements under the bind limit.
pub(crate) fn chunks(rows: Vec<(Vec<usize>, Vec<Value>)>, dialect: Dialect) -> Vec<(Vec<usize>, Vec<Vec<Value>>)> {
    let limit = bind_limit(dialect);
    let mut out: Vec<(Vec<usize>, Vec<Vec<Value>>)> = Vec::new();
    for (columns, row) in rows {
        // Without columns, PostgreSQL and SQLite insert one `DEFAULT VALUES` row per statement.
        let per_statement = match columns.len() {
            0 if dialect != Dialect::Mysql => 1,
            0 => 1000,
            n => (limit / n).max(1),
        };
        match out.last_mut() {
            Some((c, rows)) if *c == columns && rows.len() < per_statement => rows.push(row),
            _ => out.push((columns, vec![row])),
        }
    }
    out
}

/// `update`: changes the record a unique criterion names and returns it; [`Error::NotFound`]
/// when there is none.
pub struct Update<M: Model> {
    db: Db,
    filter: FilterNode,
    sets: Vec<Set<M>>,
    related: Vec<crate::nested::Related<M>>,
}

impl<M: Model> Update<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        Update { db, filter: unique.into_filter().node, sets: Vec::new(), related: Vec::new() }
    }

    /// An assignment: `post::title.set("…")`, `post::views.increment(1)`.
    pub fn data(mut self, set: Set<M>) -> Self {
        self.sets.push(set);
        self
    }

    /// Also writes related records (`post::tags.set([…])`), after the update, in its
    /// transaction.
    pub fn related(mut self, write: crate::nested::Related<M>) -> Self {
        self.related.push(write);
        self
    }

    pub async fn exec(mut self) -> Result<M, Error> {
        let related = std::mem::take(&mut self.related);
        if related.is_empty() && !referential::touches_references(M::TABLE, &self.sets) {
            return self.exec_alone().await;
        }
        let Update { db, filter, mut sets, .. } = self;
        db.atomically(move |tx| async move {
            // Parents are found or created first; their keys are assignments of the update.
            let mut after = Vec::with_capacity(related.len());
            for write in related {
                match write.0 {
                    crate::nested::Kind::Parent(parent) => {
                        sets.extend(parent.resolve(&tx).await?.into_iter().map(|(c, v)| Set::plain(c, v)));
                    }
                    other => after.push(crate::nested::Related(other)),
                }
            }
            if referential::touches_references(M::TABLE, &sets) {
                let condition = filter.clone().top_level(M::TABLE);
                referential::before_update(&tx, M::TABLE, &condition, &referential::new_values(&sets)).await?;
            }
            let record = Update { db: tx.clone(), filter, sets, related: Vec::new() }.exec_alone().await?;
            crate::nested::run_after(&tx, std::slice::from_ref(&record), vec![after]).await?;
            Ok(record)
        })
        .await
    }

    async fn exec_alone(self) -> Result<M, Error> {
        let not_found = || Error::NotFound { model: M::TABLE.model };
        let filter = self.filter;
        let sets = update_sets(self.sets, Utc::now());
        let dialect = self.db.dialect();
        if sets.is_empty() {
            let mut conn = self.db.conn().await?;
            return select_one(&mut conn, dialect, filter).await?.ok_or_else(not_found);
        }
        if dialect != Dialect::Mysql {
            let mut statement = update_statement(M::TABLE, sets, Some(filter));
            statement.returning = returning(M::TABLE);
            let rows = self.db.conn().await?.fetch_all(render(dialect, statement), Some(M::TABLE)).await?;
            return rows.first().ok_or_else(not_found).and_then(|r| M::from_row(r, 0));
        }
        self.db
            .atomically(move |tx| async move {
                let mut conn = tx.conn().await?;
                let key = primary_key_after::<M>(&mut conn, dialect, filter.clone(), &sets).await?;
                let statement = update_statement(M::TABLE, sets, Some(filter));
                conn.execute(render(dialect, statement), Some(M::TABLE)).await?;
                select_one(&mut conn, dialect, key).await?.ok_or_else(not_found)
            })
            .await
    }
}

/// MySQL: the primary key of the row `filter` names, as it will be after `sets`.
async fn primary_key_after<M: Model>(
    conn: &mut Conn<'_>,
    dialect: Dialect,
    filter: FilterNode,
    sets: &[(usize, SetOp)],
) -> Result<FilterNode, Error> {
    let table = M::TABLE;
    let select = Select::records(table, Some(filter.top_level(table)));
    let rows = conn.fetch_all(render(dialect, select), Some(table)).await?;
    let row = rows.first().ok_or(Error::NotFound { model: table.model })?;
    let mut nodes = Vec::new();
    for &c in table.primary_key {
        let value = match sets.iter().rev().find(|(col, _)| *col == c) {
            Some((_, SetOp::Value(v))) => v.clone(),
            Some((_, SetOp::Arithmetic(..))) => {
                return Err(Error::Validation(format!(
                    "arithmetic on `{}.{}`, part of the primary key, is not supported",
                    table.model, table.columns[c].field
                )));
            }
            None => row.value(c, table.columns[c].kind)?,
        };
        nodes.push(equals(c, value));
    }
    Ok(FilterNode::And(nodes))
}

/// `update_many`: changes every record matching the filter; returns how many matched.
pub struct UpdateMany<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    sets: Vec<Set<M>>,
}

impl<M: Model> UpdateMany<M> {
    pub(crate) fn new(db: Db) -> Self {
        UpdateMany { db, filter: None, sets: Vec::new() }
    }

    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    pub fn data(mut self, set: Set<M>) -> Self {
        self.sets.push(set);
        self
    }

    pub async fn exec(self) -> Result<u64, Error> {
        let table = M::TABLE;
        if referential::touches_references(table, &self.sets) {
            let UpdateMany { db, filter, sets } = self;
            return db
                .atomically(move |tx| async move {
                    let condition = filter.clone().map_or(Expr::And(Vec::new()), |f| f.top_level(table));
                    referential::before_update(&tx, table, &condition, &referential::new_values(&sets)).await?;
                    UpdateMany::<M> { db: tx, filter, sets }.exec_alone().await
                })
                .await;
        }
        self.exec_alone().await
    }

    async fn exec_alone(self) -> Result<u64, Error> {
        let sets = update_sets(self.sets, Utc::now());
        let dialect = self.db.dialect();
        let table = M::TABLE;
        if sets.is_empty() {
            let count = Select::count(table, self.filter.map(|f| f.top_level(table)));
            let rows = self.db.conn().await?.fetch_all(render(dialect, count), Some(table)).await?;
            let n: i64 = rows.first().map_or(Ok(0), |r| r.get(0))?;
            return Ok(u64::try_from(n).unwrap_or(0));
        }
        let statement = update_statement(table, sets, self.filter);
        Ok(self.db.conn().await?.execute(render(dialect, statement), Some(table)).await?.rows_affected)
    }
}

/// `upsert`: one `INSERT … ON CONFLICT DO UPDATE` (`ON DUPLICATE KEY UPDATE` on MySQL) on the
/// unique criterion's columns, so it can't race with itself. Returns the record.
///
/// With nested writes (in the create data, or [`Upsert::related`] for the update), it takes a
/// transaction instead: the record is looked up by the criterion, then updated with the update's
/// nested writes, or created with the create's.
pub struct Upsert<M: Model> {
    db: Db,
    unique: M::Unique,
    create: Pending<M>,
    sets: Vec<Set<M>>,
    related: Vec<crate::nested::Related<M>>,
}

impl<M: Model> Upsert<M> {
    pub(crate) fn new(db: Db, unique: M::Unique, create: CreateData<M>) -> Self {
        Upsert { db, unique, create: create.into_row(), sets: Vec::new(), related: Vec::new() }
    }

    /// An assignment applied when the record exists.
    pub fn update(mut self, set: Set<M>) -> Self {
        self.sets.push(set);
        self
    }

    /// A nested write applied when the record exists (those of the create data apply when it
    /// doesn't).
    pub fn related(mut self, write: crate::nested::Related<M>) -> Self {
        self.related.push(write);
        self
    }

    pub async fn exec(self) -> Result<M, Error> {
        if !self.create.is_alone() || !self.related.is_empty() {
            let Upsert { db, unique, create, sets, related } = self;
            let filter = unique.into_filter().node;
            return db
                .atomically(move |tx| async move {
                    let existing = {
                        let mut conn = tx.conn().await?;
                        select_one::<M>(&mut conn, tx.dialect(), filter.clone()).await?
                    };
                    if existing.is_some() {
                        return Update { db: tx, filter, sets, related }.exec().await;
                    }
                    let mut created = crate::nested::create_all::<M>(&tx, vec![create]).await?;
                    created.pop().ok_or(Error::NotFound { model: M::TABLE.model })
                })
                .await;
        }
        let now = Utc::now();
        let conflict = self.unique.columns();
        let filter = self.unique.into_filter().node;
        let (columns, row) = create_row(self.create, now)?;
        if let Some(&missing) = conflict.iter().find(|c| !columns.contains(c)) {
            return Err(Error::Validation(format!(
                "the create data of an upsert on `{}` must give `{}`, part of its unique criterion",
                M::TABLE.model,
                M::TABLE.columns[missing].field
            )));
        }
        let sets = update_sets(self.sets, now);
        let dialect = self.db.dialect();
        let table = M::TABLE;
        let target = conflict.iter().map(|&c| &table.columns[c]).collect();
        let sets = assignments(table, sets, Scope::Existing);
        let mut statement = insert(table, &columns, vec![row], Some(Conflict::Update { target, sets }));
        let mut conn = self.db.conn().await?;
        if dialect == Dialect::Mysql {
            conn.execute(render(dialect, statement), Some(table)).await?;
            return select_one(&mut conn, dialect, filter).await?.ok_or(Error::NotFound { model: table.model });
        }
        statement.returning = returning(table);
        let rows = conn.fetch_all(render(dialect, statement), Some(table)).await?;
        rows.first().ok_or(Error::NotFound { model: M::TABLE.model }).and_then(|r| M::from_row(r, 0))
    }
}

/// `delete`: deletes the record a unique criterion names and returns it; [`Error::NotFound`]
/// when there is none.
pub struct Delete<M: Model> {
    db: Db,
    filter: FilterNode,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> Delete<M> {
    pub(crate) fn new(db: Db, unique: M::Unique) -> Self {
        Delete { db, filter: unique.into_filter().node, _marker: std::marker::PhantomData }
    }

    pub async fn exec(self) -> Result<M, Error> {
        let table = M::TABLE;
        if !referential::emulated(table) {
            return self.exec_alone().await;
        }
        let Delete { db, filter, .. } = self;
        db.atomically(move |tx| async move {
            referential::before_delete(&tx, table, &filter.clone().top_level(table)).await?;
            Delete::<M> { db: tx, filter, _marker: std::marker::PhantomData }.exec_alone().await
        })
        .await
    }

    async fn exec_alone(self) -> Result<M, Error> {
        let not_found = Error::NotFound { model: M::TABLE.model };
        let filter = self.filter;
        let dialect = self.db.dialect();
        if dialect != Dialect::Mysql {
            let mut statement = delete_statement(M::TABLE, Some(filter));
            statement.returning = returning(M::TABLE);
            let rows = self.db.conn().await?.fetch_all(render(dialect, statement), Some(M::TABLE)).await?;
            return rows.first().ok_or(not_found).and_then(|r| M::from_row(r, 0));
        }
        self.db
            .atomically(move |tx| async move {
                let mut conn = tx.conn().await?;
                let record: M = select_one(&mut conn, dialect, filter.clone()).await?.ok_or(not_found)?;
                let statement = delete_statement(M::TABLE, Some(filter));
                conn.execute(render(dialect, statement), Some(M::TABLE)).await?;
                Ok(record)
            })
            .await
    }
}

/// `delete_many`: deletes every record matching the filter; returns how many.
pub struct DeleteMany<M: Model> {
    db: Db,
    filter: Option<FilterNode>,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> DeleteMany<M> {
    pub(crate) fn new(db: Db) -> Self {
        DeleteMany { db, filter: None, _marker: std::marker::PhantomData }
    }

    pub fn filter(mut self, filter: Filter<M>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    pub async fn exec(self) -> Result<u64, Error> {
        let table = M::TABLE;
        let DeleteMany { db, filter, .. } = self;
        let delete = |db: Db, filter: Option<FilterNode>| async move {
            let statement = delete_statement(table, filter);
            Ok(db.conn().await?.execute(render(db.dialect(), statement), Some(table)).await?.rows_affected)
        };
        if !referential::emulated(table) {
            return delete(db, filter).await;
        }
        db.atomically(move |tx| async move {
            let condition = filter.clone().map_or(Expr::And(Vec::new()), |f| f.top_level(table));
            referential::before_delete(&tx, table, &condition).await?;
            delete(tx, filter).await
        })
        .await
    }
}
