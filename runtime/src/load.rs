//! Includes: loading related records, never one statement per record.
//!
//! Two ways, chosen per backend by measurement (ARCHITECTURE.md, "Loading related records"):
//!
//! - **Per level** (PostgreSQL, MySQL, and selections everywhere): for a level, the keys of
//!   every parent record are collected and sent in one statement (`= ANY($1)` as one array on
//!   PostgreSQL; `IN (…)` chunked under the bind limit elsewhere), the rows are stitched to
//!   their parents by key in memory, and the level's own includes run on all the loaded records
//!   at once. The level's filter and order are the statement's; its `skip`/`take` apply per
//!   parent, in memory, after the rows are grouped.
//! - **Inline** (SQLite queries of records): each include is one more column of the parents'
//!   own statement, a correlated sub-select aggregating the related rows into a JSON array
//!   (filter, order and per-parent `skip`/`take` in SQL, nested includes as columns of those
//!   rows); [`Loader::fill`] reads it back through [`JsonRow`] with the same `from_row`. One
//!   statement for the whole tree, with no keys to bind.

/// Keys come from the application's own database; foldhash is seeded per process.
type HashMap<K, V> = foldhash::HashMap<K, V>;
use std::future::Future;
use std::pin::Pin;

use crate::db::Db;
use crate::error::{Error, decode_error};
use crate::field::{Filter, FilterNode, OrderBy};
use crate::json_row::JsonRow;
use crate::model::{Model, Table};
use crate::query::{Aliases, Expr, Join, JoinKind, Scope, Select, SelectItem, TableRef, bind_limit, render};
use crate::relation::{Link, Loaded, RelationDef};
use crate::row::Row;
use crate::value::Value;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that fills a relation slot of `M` records: an [`Include`].
pub trait Loader<M>: Send + Sync {
    /// Loads the relation of every record of `parents` (one statement per level, or a few
    /// when the keys exceed the bind limit).
    fn load<'a>(&'a self, db: &'a Db, parents: &'a mut [M]) -> BoxFuture<'a, Result<(), Error>>;

    /// SQLite: the relation as one more column of the parent's statement, the related rows
    /// aggregated into JSON (nested includes inside them).
    #[doc(hidden)]
    fn json_column(&self, parent: &mut JsonParent<'_>) -> JsonColumn;

    /// Fills `record`'s slot from column `index` of its `row`, the column [`Loader::json_column`]
    /// made.
    #[doc(hidden)]
    fn fill(&self, record: &mut M, row: &mut Row, index: usize) -> Result<(), Error>;

    /// Whether this relation, and every one included below it, finds its records through an
    /// index (see [`RelationDef::indexed`]).
    #[doc(hidden)]
    fn indexed(&self) -> bool;
}

/// The parent a relation's JSON column is correlated to: its table, how the sub-select names
/// it, and the statement's aliases.
#[doc(hidden)]
pub struct JsonParent<'a> {
    table: &'static Table,
    scope: Scope,
    aliases: &'a mut Aliases,
}

/// A relation's column of its parent's statement.
#[doc(hidden)]
pub struct JsonColumn(Expr);

/// Whether a query on `db` reads its includes inside its own statement (SQLite: measured
/// faster there at every size, see ARCHITECTURE.md) rather than one statement per level:
/// on SQLite, when every relation of the tree is found through an index (without one, each
/// correlated sub-select scans its table once per parent row: 23× the per-level time for
/// 100 users, 1,000 posts and 10,000 comments in BENCHMARKS.md).
pub(crate) fn includes_inline<M>(db: &Db, includes: &[Box<dyn Loader<M>>]) -> bool {
    db.dialect() == orm_db_schema::Dialect::Sqlite && !includes.is_empty() && includes.iter().all(|i| i.indexed())
}

/// The includes' columns, appended to a statement over `table` (unaliased) that uses
/// `aliases` so far.
pub(crate) fn json_items<M>(
    includes: &[Box<dyn Loader<M>>],
    table: &'static Table,
    aliases: &mut Aliases,
) -> Vec<SelectItem> {
    let mut parent = JsonParent { table, scope: Scope::Bare, aliases };
    includes.iter().map(|include| SelectItem::Expr(include.json_column(&mut parent).0, None)).collect()
}

/// Fills every include of `record` from its `row`, whose include columns start at `offset`.
pub(crate) fn fill_all<M>(
    includes: &[Box<dyn Loader<M>>],
    record: &mut M,
    row: &mut Row,
    offset: usize,
) -> Result<(), Error> {
    for (i, include) in includes.iter().enumerate() {
        include.fill(record, row, offset + i)?;
    }
    Ok(())
}

/// The child's statement inside its parent's: `child.to = parent.from` (through the join table
/// of an implicit many-to-many relation), and the level's filter.
fn correlated(
    def: &RelationDef,
    child_table: &'static Table,
    filter: Option<&FilterNode>,
    parent: &mut JsonParent<'_>,
) -> Select {
    let child = TableRef { table: child_table, alias: Some(parent.aliases.next()) };
    let outer = parent.scope.qualified(parent.table);
    let mut select = Select::new(child, Vec::new());
    let mut conditions = Vec::new();
    match &def.link {
        Link::Direct { from, to } => {
            for (&f, &t) in from.iter().zip(to.iter()) {
                conditions.push(Expr::eq(
                    Expr::column(child.scope(), &child_table.columns[t]),
                    Expr::column(outer, &parent.table.columns[f]),
                ));
            }
        }
        Link::Join { table, near, far, from, to } => {
            let join = join_table(table, *far, child, *to, parent.aliases);
            conditions.push(Expr::eq(
                Expr::column(join.table.scope(), &table.columns[*near]),
                Expr::column(outer, &parent.table.columns[*from]),
            ));
            select.joins.push(join);
        }
    }
    if let Some(filter) = filter {
        conditions.push(filter.clone().into_expr(child_table, child.scope(), parent.aliases));
    }
    select.filter = Some(Expr::And(conditions));
    select
}

/// An implicit many-to-many `table` joined to `child`: its `far` column meets the child's `to`.
fn join_table(table: &'static Table, far: usize, child: TableRef, to: usize, aliases: &mut Aliases) -> Join {
    let join = TableRef { table, alias: Some(aliases.next()) };
    Join {
        kind: JoinKind::Inner,
        table: join,
        on: Expr::eq(
            Expr::column(join.scope(), &table.columns[far]),
            Expr::column(child.scope(), &child.table.columns[to]),
        ),
    }
}

/// What `.include(…)` takes: an [`Include`], or a relation as it is (`user::posts`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't be included in a query of `{M}`",
    label = "not a relation (or relation count) of `{M}`"
)]
pub trait IntoInclude<M> {
    fn into_include(self) -> Box<dyn Loader<M>>;
}

impl<M: Model, R: Model, S: Shape<R>> IntoInclude<M> for Include<M, R, S> {
    fn into_include(self) -> Box<dyn Loader<M>> {
        Box::new(self)
    }
}

impl<M: Model, R: Model, W, D> IntoInclude<M> for crate::relation::ToMany<M, R, W, D> {
    fn into_include(self) -> Box<dyn Loader<M>> {
        Box::new(self.load())
    }
}

impl<M: Model, R: Model, W, D> IntoInclude<M> for crate::relation::ToOne<M, R, W, D> {
    fn into_include(self) -> Box<dyn Loader<M>> {
        Box::new(self.load())
    }
}

/// What a relation holds for one record: the records of a to-many relation ([`Many`]), or
/// the record of a to-one relation, if any ([`One`]).
pub trait Shape<R>: Send + Sync + 'static {
    /// What a selection reads: `Vec<R>`, or `Option<R>`.
    type Out: Send;
    /// What the record's slot holds: `Vec<R>`, or `Option<Box<R>>`.
    type Slot: crate::relation::SlotValue;
    fn from_records(records: Vec<R>) -> Self::Out;
    fn into_slot(out: Self::Out) -> Self::Slot;
}

/// The shape of a to-many relation.
pub struct Many;

/// The shape of a to-one relation.
pub struct One;

impl<R: crate::relation::SlotValue> Shape<R> for Many {
    type Out = Vec<R>;
    type Slot = Vec<R>;
    fn from_records(records: Vec<R>) -> Vec<R> {
        records
    }
    fn into_slot(out: Vec<R>) -> Vec<R> {
        out
    }
}

impl<R: crate::relation::SlotValue> Shape<R> for One {
    type Out = Option<R>;
    type Slot = Option<Box<R>>;
    fn from_records(records: Vec<R>) -> Option<R> {
        records.into_iter().next()
    }
    fn into_slot(out: Option<R>) -> Option<Box<R>> {
        out.map(Box::new)
    }
}

/// A relation to load with the records a query returns, with its own filter, order, `skip`,
/// `take` and nested includes: `user::posts.load().filter(…).order_by(…).take(3)`.
pub struct Include<M, R, S: Shape<R> = Many> {
    def: &'static RelationDef,
    slot: fn(&mut M) -> &mut Loaded<S::Slot>,
    filter: Option<FilterNode>,
    order: Vec<OrderBy<R>>,
    skip: usize,
    take: Option<usize>,
    includes: Vec<Box<dyn Loader<R>>>,
}

impl<M: Model, R: Model, S: Shape<R>> Include<M, R, S> {
    pub(crate) fn new(def: &'static RelationDef, slot: fn(&mut M) -> &mut Loaded<S::Slot>) -> Self {
        Include { def, slot, filter: None, order: Vec::new(), skip: 0, take: None, includes: Vec::new() }
    }

    pub(crate) fn def(&self) -> &'static RelationDef {
        self.def
    }

    /// Loads only the related records matching `filter`; called again, both must match.
    pub fn filter(mut self, filter: Filter<R>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    /// Sorts each record's related records; earlier keys sort first.
    pub fn order_by(mut self, key: OrderBy<R>) -> Self {
        self.order.push(key);
        self
    }

    /// Skips the first `n` related records of each record.
    pub fn skip(mut self, n: u64) -> Self {
        self.skip = usize::try_from(n).unwrap_or(usize::MAX);
        self
    }

    /// Keeps at most `n` related records per record.
    pub fn take(mut self, n: u64) -> Self {
        self.take = Some(usize::try_from(n).unwrap_or(usize::MAX));
        self
    }

    /// Also loads a relation of the related records (any depth).
    pub fn include(mut self, include: impl IntoInclude<R>) -> Self {
        self.includes.push(include.into_include());
        self
    }
}

/// A key value that can be hashed: the same key read from either table compares equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyPart {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    Other(String),
}

/// Most keys are one column: no allocation for those (or for two).
pub(crate) type Key = smallvec::SmallVec<[KeyPart; 2]>;

/// The key of `values`; `None` when a part is null (such a record has no related records).
pub(crate) fn key(values: impl IntoIterator<Item = Value>) -> Option<Key> {
    values.into_iter().map(key_part).collect()
}

/// One column of a key; `None` when it is null.
fn key_part(value: Value) -> Option<KeyPart> {
    match value {
        Value::Null(_) => None,
        Value::Int(i) => Some(KeyPart::Int(i64::from(i))),
        Value::BigInt(i) => Some(KeyPart::Int(i)),
        Value::String(s) => Some(KeyPart::Text(s)),
        Value::Enum(s) => Some(KeyPart::Text(s.to_owned())),
        Value::Bytes(b) => Some(KeyPart::Bytes(b)),
        Value::Boolean(b) => Some(KeyPart::Int(i64::from(b))),
        Value::DateTime(d) => Some(KeyPart::Int(d.timestamp_micros())),
        Value::Decimal(d) => Some(KeyPart::Other(d.normalize().to_string())),
        other => Some(KeyPart::Other(format!("{other:?}"))),
    }
}

impl<M: Model, R: Model, S: Shape<R>> Loader<M> for Include<M, R, S> {
    fn load<'a>(&'a self, db: &'a Db, parents: &'a mut [M]) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let keys = ParentKeys::of_records(self.def, parents);
            let groups = self.related(db, keys).await?;
            for (parent, records) in parents.iter_mut().zip(groups) {
                *(self.slot)(parent) = Loaded::new(S::into_slot(records));
            }
            Ok(())
        })
    }

    fn json_column(&self, parent: &mut JsonParent<'_>) -> JsonColumn {
        let mut select = correlated(self.def, R::TABLE, self.filter.as_ref(), parent);
        let scope = select.from.scope();
        select.order_by = self.order.iter().map(|o| o.to_order(R::TABLE, scope, parent.aliases)).collect();
        select.limit = self.take.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        select.offset = (self.skip > 0).then(|| i64::try_from(self.skip).unwrap_or(i64::MAX));
        select.items = SelectItem::all_columns(R::TABLE, scope);
        let mut child = JsonParent { table: R::TABLE, scope, aliases: parent.aliases };
        for include in &self.includes {
            select.items.push(SelectItem::Expr(include.json_column(&mut child).0, None));
        }
        JsonColumn(Expr::JsonRows(Box::new(select)))
    }

    fn indexed(&self) -> bool {
        self.def.indexed && self.includes.iter().all(|i| i.indexed())
    }

    fn fill(&self, record: &mut M, row: &mut Row, index: usize) -> Result<(), Error> {
        let serde_json::Value::Array(rows) = row.take_json(index)? else {
            return Err(decode_error(index, format!("the rows of `{}` are not a JSON array", self.def.field)));
        };
        let width = R::TABLE.columns.len();
        let mut records = Vec::with_capacity(rows.len());
        for cells in rows {
            let mut child = Row::Json(JsonRow::new(cells)?);
            let mut related = R::from_row(&child, 0)?;
            fill_all(&self.includes, &mut related, &mut child, width)?;
            records.push(related);
        }
        *(self.slot)(record) = Loaded::new(S::into_slot(S::from_records(records)));
        Ok(())
    }
}

/// The columns of the parent a relation joins on.
pub(crate) fn from_columns(def: &RelationDef) -> Vec<usize> {
    match &def.link {
        Link::Direct { from, .. } => from.to_vec(),
        Link::Join { from, .. } => vec![*from],
    }
}

/// The parents of a level as a relation sees them: each parent's key (none where a part is
/// null), and the distinct keys to ask for, in the parents' order.
pub(crate) struct ParentKeys {
    width: usize,
    keys: Vec<Option<Key>>,
    wanted: Vec<Vec<Value>>,
}

impl ParentKeys {
    fn of_records<M: Model>(def: &RelationDef, parents: &[M]) -> ParentKeys {
        let from = from_columns(def);
        ParentKeys::new(from.len(), parents.iter().map(|p| from.iter().map(|&c| p.value(c)).collect()))
    }

    /// The keys of `rows`, whose key columns (the relation's `from` columns, of `M`) start at
    /// `offset`.
    pub(crate) fn of_rows<M: Model>(
        def: &RelationDef,
        rows: &[crate::row::Row],
        offset: usize,
    ) -> Result<ParentKeys, Error> {
        let from = from_columns(def);
        let values =
            rows.iter()
                .map(|row| {
                    from.iter()
                        .enumerate()
                        .map(|(i, &c)| row.value(offset + i, M::TABLE.columns[c].kind))
                        .collect::<Result<Vec<Value>, Error>>()
                })
                .collect::<Result<Vec<_>, Error>>()?;
        Ok(ParentKeys::new(from.len(), values.into_iter()))
    }

    fn new(width: usize, parents: impl Iterator<Item = Vec<Value>>) -> ParentKeys {
        let mut keys = Vec::new();
        let mut wanted: Vec<Vec<Value>> = Vec::new();
        let mut seen = foldhash::HashSet::default();
        for values in parents {
            let k = key(values.iter().cloned());
            if let Some(k) = &k
                && seen.insert(k.clone())
            {
                wanted.push(values);
            }
            keys.push(k);
        }
        ParentKeys { width, keys, wanted }
    }
}

/// A level's statement before its select list: the child table aliased `t0`, joined to the
/// join table when there is one, filtered to the parents' `keys` (and `filter`).
struct Level {
    select: Select,
    aliases: Aliases,
    /// Where the parent's key is read: the child's own columns, or the join table's.
    key_table: &'static Table,
    key_scope: Scope,
    key_columns: Vec<usize>,
}

impl Level {
    fn new(def: &RelationDef, child_table: &'static Table, keys: Vec<Vec<Value>>, filter: Option<FilterNode>) -> Level {
        let child = TableRef { table: child_table, alias: Some(0) };
        let mut aliases = Aliases::starting_at(1);
        let mut select = Select::new(child, Vec::new());
        let (key_table, key_scope, key_columns) = match &def.link {
            Link::Direct { to, .. } => (child_table, child.scope(), to.to_vec()),
            Link::Join { table, near, far, to, .. } => {
                let join = join_table(table, *far, child, *to, &mut aliases);
                let scope = join.table.scope();
                select.joins.push(join);
                (*table, scope, vec![*near])
            }
        };
        let mut conditions = vec![key_condition(key_table, key_scope, &key_columns, keys)];
        if let Some(filter) = filter {
            conditions.push(filter.into_expr(child_table, child.scope(), &mut aliases));
        }
        select.filter = Some(Expr::And(conditions));
        Level { select, aliases, key_table, key_scope, key_columns }
    }

    /// The statement, leaving an empty one (the level still reads the keys of its rows).
    fn take_select(&mut self) -> Select {
        let from = self.select.from;
        std::mem::replace(&mut self.select, Select::new(from, Vec::new()))
    }

    fn key_items(&self) -> impl Iterator<Item = SelectItem> + '_ {
        self.key_columns.iter().map(|&c| {
            SelectItem::Column(crate::query::ColumnRef { scope: self.key_scope, column: &self.key_table.columns[c] })
        })
    }

    /// The key of a row whose key columns start at `offset`.
    fn row_key(&self, row: &crate::row::Row, offset: usize) -> Result<Option<Key>, Error> {
        let mut key = Key::new();
        for (i, &c) in self.key_columns.iter().enumerate() {
            match key_part(row.value(offset + i, self.key_table.columns[c].kind)?) {
                Some(part) => key.push(part),
                None => return Ok(None),
            }
        }
        Ok(Some(key))
    }
}

impl<M: Model, R: Model> Loader<M> for crate::relation::RelationCount<M, R> {
    fn load<'a>(&'a self, db: &'a Db, parents: &'a mut [M]) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let keys = ParentKeys::of_records(self.def, parents);
            let counts = self.counts(db, keys).await?;
            for (parent, n) in parents.iter_mut().zip(counts) {
                match parent.counts() {
                    Some(counts) => counts.set(self.def.field, n),
                    None => return Err(Error::Validation(format!("`{}` has no relation counts", self.def.model))),
                }
            }
            Ok(())
        })
    }

    fn json_column(&self, parent: &mut JsonParent<'_>) -> JsonColumn {
        let mut select = correlated(self.def, R::TABLE, self.filter.as_ref(), parent);
        select.items = vec![SelectItem::Expr(Expr::Aggregate(crate::query::Aggregate::Count, None), None)];
        JsonColumn(Expr::Subquery(Box::new(select)))
    }

    fn indexed(&self) -> bool {
        self.def.indexed
    }

    fn fill(&self, record: &mut M, row: &mut Row, index: usize) -> Result<(), Error> {
        let n: i64 = row.get(index)?;
        match record.counts() {
            Some(counts) => counts.set(self.def.field, u64::try_from(n).unwrap_or(0)),
            None => return Err(Error::Validation(format!("`{}` has no relation counts", self.def.model))),
        }
        Ok(())
    }
}

impl<M: Model, R: Model> crate::relation::RelationCount<M, R> {
    /// The number of related records (matching the filter) of each parent.
    pub(crate) async fn counts(&self, db: &Db, parents: ParentKeys) -> Result<Vec<u64>, Error> {
        let mut counts: HashMap<Key, u64> = HashMap::default();
        if !parents.wanted.is_empty() {
            for chunk in chunks(db.dialect(), parents.wanted, parents.width) {
                // SELECT key, COUNT(*) … WHERE key IN (…) AND filter GROUP BY key
                let mut level = Level::new(self.def, R::TABLE, chunk, self.filter.clone());
                level.select.items = level.key_items().collect();
                level.select.group_by = level
                    .key_columns
                    .iter()
                    .map(|&c| Expr::column(level.key_scope, &level.key_table.columns[c]))
                    .collect();
                let width = level.key_columns.len();
                level.select.items.push(SelectItem::Expr(Expr::Aggregate(crate::query::Aggregate::Count, None), None));
                let select = level.take_select();
                let rows = db.conn().await?.fetch_all(render(db.dialect(), select), Some(R::TABLE)).await?;
                for row in &rows {
                    let n: i64 = row.get(width)?;
                    if let Some(k) = level.row_key(row, 0)? {
                        counts.insert(k, u64::try_from(n).unwrap_or(0));
                    }
                }
            }
        }
        Ok(parents.keys.iter().map(|k| k.as_ref().and_then(|k| counts.get(k)).copied().unwrap_or(0)).collect())
    }
}

impl<M: Model, R: Model> IntoInclude<M> for crate::relation::RelationCount<M, R> {
    fn into_include(self) -> Box<dyn Loader<M>> {
        Box::new(self)
    }
}

/// The parents' keys in groups small enough for one statement.
pub(crate) fn chunks(dialect: orm_db_schema::Dialect, keys: Vec<Vec<Value>>, width: usize) -> Vec<Vec<Vec<Value>>> {
    if keys.is_empty() {
        return Vec::new();
    }
    // PostgreSQL takes a single-column key as one array parameter, however many there are.
    if dialect == orm_db_schema::Dialect::Postgres && width == 1 {
        return vec![keys];
    }
    // Leave room for the binds of the level's filter.
    let per_statement = ((bind_limit(dialect) - 1_000) / width.max(1)).max(1);
    let mut out = Vec::new();
    let mut keys = keys.into_iter().peekable();
    while keys.peek().is_some() {
        out.push(keys.by_ref().take(per_statement).collect());
    }
    out
}

impl<M: Model, R: Model, S: Shape<R>> Include<M, R, S> {
    /// The related records of each parent, after the level's `skip`/`take`, with the level's
    /// own includes loaded: one statement (or one per chunk of keys) plus one per nested level.
    pub(crate) async fn related(&self, db: &Db, parents: ParentKeys) -> Result<Vec<S::Out>, Error> {
        let mut related: Vec<(Key, R)> = Vec::new();
        let width = parents.width;
        let ParentKeys { keys, wanted, .. } = parents;
        for chunk in chunks(db.dialect(), wanted, width) {
            related.extend(self.fetch(db, chunk).await?);
        }
        // Nested includes run once for the whole level.
        if !self.includes.is_empty() {
            let (keys, mut records): (Vec<Key>, Vec<R>) = related.into_iter().unzip();
            for include in &self.includes {
                include.load(db, &mut records).await?;
            }
            related = keys.into_iter().zip(records).collect();
        }
        Ok(self.stitch(&keys, related))
    }

    /// One statement: the related records of the parents whose keys are `keys`, each with the
    /// parent key it belongs to.
    async fn fetch(&self, db: &Db, keys: Vec<Vec<Value>>) -> Result<Vec<(Key, R)>, Error> {
        let child_table = R::TABLE;
        let mut level = Level::new(self.def, child_table, keys, self.filter.clone());
        let child_scope = Scope::Alias(0);
        level.select.items = SelectItem::all_columns(child_table, child_scope);
        level.select.items.extend(level.key_items().collect::<Vec<_>>());
        level.select.order_by =
            self.order.iter().map(|o| o.to_order(child_table, child_scope, &mut level.aliases)).collect();
        let select = level.take_select();
        let rows = db.conn().await?.fetch_all(render(db.dialect(), select), Some(child_table)).await?;
        let offset = child_table.columns.len();
        let mut related = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(k) = level.row_key(row, offset)? {
                related.push((k, R::from_row(row, 0)?));
            }
        }
        Ok(related)
    }

    /// Each parent's related records, in the statement's order.
    fn stitch(&self, parent_keys: &[Option<Key>], related: Vec<(Key, R)>) -> Vec<S::Out> {
        let mut groups: HashMap<Key, Vec<R>> = HashMap::default();
        for (k, record) in related {
            groups.entry(k).or_default().push(record);
        }
        // Parents sharing a key share the records: all but the last get copies.
        let mut uses: HashMap<&Key, usize> = HashMap::default();
        for k in parent_keys.iter().flatten() {
            *uses.entry(k).or_default() += 1;
        }
        let mut out = Vec::with_capacity(parent_keys.len());
        for k in parent_keys {
            let mut records = match k {
                Some(k) => {
                    let left = uses.get_mut(k).map(|n| {
                        *n -= 1;
                        *n
                    });
                    match left {
                        Some(0) => groups.remove(k).unwrap_or_default(),
                        _ => groups.get(k).cloned().unwrap_or_default(),
                    }
                }
                None => Vec::new(),
            };
            if self.skip > 0 {
                records.drain(..self.skip.min(records.len()));
            }
            if let Some(take) = self.take {
                records.truncate(take);
            }
            out.push(S::from_records(records));
        }
        out
    }
}

/// `key IN (…)` over one column, or `(a, b) IN ((…), …)` over several.
pub(crate) fn key_condition(table: &'static Table, scope: Scope, columns: &[usize], keys: Vec<Vec<Value>>) -> Expr {
    if let [column] = columns {
        let column = &table.columns[*column];
        let values = keys.into_iter().filter_map(|k| k.into_iter().next()).collect();
        return Expr::AnyOf { expr: Box::new(Expr::column(scope, column)), values, column };
    }
    let tuple = Expr::Tuple(columns.iter().map(|&c| Expr::column(scope, &table.columns[c])).collect());
    let list = keys
        .into_iter()
        .map(|k| Expr::Tuple(k.into_iter().zip(columns).map(|(v, &c)| Expr::value_for(v, &table.columns[c])).collect()))
        .collect();
    Expr::In { expr: Box::new(tuple), list, negated: false }
}
