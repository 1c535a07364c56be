//! Connects, disconnects and `set` of related records, after the record's own statement.
//!
//! Over a foreign key on the related records (`Link::Direct`), connecting sets their key
//! columns to the record's and disconnecting sets them to null; through an implicit
//! many-to-many table (`Link::Join`), connecting inserts join rows (those already there are
//! kept) and disconnecting deletes them.

use std::marker::PhantomData;
use std::sync::Arc;

use orm_db_schema::Dialect;

use super::{BoxFuture, Kind, NestedWrite, Related};
use crate::db::{Conn, Db};
use crate::error::Error;
use crate::field::FilterNode;
use crate::model::{Model, Table};
use crate::query::{CmpOp, Conflict, Delete, Expr, Scope, Select, SelectItem, Update, render};
use crate::relation::{Link, RelationDef};
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Connect,
    Disconnect,
    /// Disconnects every related record but the given ones, then connects those.
    Set,
}

/// One operation on a relation whose related records hold the key (or a join table does),
/// with the unique criteria of the related records.
struct ConnectWrite<M, R> {
    def: &'static RelationDef,
    op: Op,
    criteria: Vec<FilterNode>,
    _models: PhantomData<fn() -> (M, R)>,
}

pub(super) fn write<M: Model, R: Model>(def: &'static RelationDef, op: Op, criteria: Vec<FilterNode>) -> Related<M> {
    Related(Kind::After(Arc::new(ConnectWrite::<M, R> { def, op, criteria, _models: PhantomData })))
}

impl<M: Model, R: Model> NestedWrite<M> for ConnectWrite<M, R> {
    fn def(&self) -> &'static RelationDef {
        self.def
    }

    fn run<'a>(&'a self, db: &'a Db, parent: &'a M) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let def = self.def;
            match &def.link {
                Link::Direct { from, to } => {
                    let key: Vec<Value> = from.iter().map(|&c| parent.value(c)).collect();
                    self.over_foreign_key(db, def, to, key).await
                }
                Link::Join { table, near, far, from, to } => {
                    self.through_join_table(db, def, table, (*near, *far), parent.value(*from), *to).await
                }
            }
        })
    }
}

impl<M: Model, R: Model> ConnectWrite<M, R> {
    /// The related table holds the key (`to`) of its parent (`key`).
    async fn over_foreign_key(&self, db: &Db, def: &RelationDef, to: &[usize], key: Vec<Value>) -> Result<(), Error> {
        let table = R::TABLE;
        let dialect = db.dialect();
        if self.op != Op::Connect
            && let Some(&required) = to.iter().find(|&&c| !table.columns[c].nullable)
        {
            return Err(Error::Validation(format!(
                "`{}.{}` can't disconnect `{}` records: their `{}` is required; delete them, or connect them \
                 to another record",
                def.model, def.field, table.model, table.columns[required].field
            )));
        }
        let parent_key = || columns_equal(table, to, &key);
        let nulls: Vec<(usize, Value)> = to.iter().map(|&c| (c, Value::Null(table.columns[c].kind))).collect();
        let mut conn = db.conn().await?;
        match self.op {
            Op::Disconnect => {
                for chunk in self.criteria.chunks(CRITERIA_PER_STATEMENT) {
                    let filter = Expr::And(vec![parent_key(), any_of::<R>(chunk)]);
                    conn.execute(render(dialect, update(table, &nulls, filter)), Some(table)).await?;
                }
                return Ok(());
            }
            // Every record is disconnected, then the given ones connected again.
            Op::Set => {
                conn.execute(render(dialect, update(table, &nulls, parent_key())), Some(table)).await?;
            }
            Op::Connect => {}
        }
        let sets: Vec<(usize, Value)> = to.iter().copied().zip(key.iter().cloned()).collect();
        for criterion in &self.criteria {
            let filter = criterion.clone().top_level(table);
            let done = conn.execute(render(dialect, update(table, &sets, filter)), Some(table)).await?;
            if done.rows_affected == 0 {
                return Err(not_found(def, table, criterion));
            }
        }
        Ok(())
    }

    /// An implicit many-to-many table: `near` holds the parent's key, `far` the related
    /// record's `to` column.
    async fn through_join_table(
        &self,
        db: &Db,
        def: &RelationDef,
        join: &'static Table,
        (near, far): (usize, usize),
        key: Value,
        to: usize,
    ) -> Result<(), Error> {
        let table = R::TABLE;
        let dialect = db.dialect();
        let mut conn = db.conn().await?;
        // The related records' `to` values, one criterion at a time (a missing one is named).
        let mut values = Vec::with_capacity(self.criteria.len());
        for criterion in &self.criteria {
            let column = SelectItem::Column(crate::query::ColumnRef { scope: Scope::Bare, column: &table.columns[to] });
            let mut select = Select::new(crate::query::TableRef { table, alias: None }, vec![column]);
            select.filter = Some(criterion.clone().top_level(table));
            let rows = conn.fetch_all(render(dialect, select), Some(table)).await?;
            match rows.first() {
                Some(row) => values.push(row.value(0, table.columns[to].kind)?),
                None if self.op == Op::Disconnect => {}
                None => return Err(not_found(def, table, criterion)),
            }
        }
        let near_is_parent = || {
            Expr::eq(Expr::column(Scope::Bare, &join.columns[near]), Expr::value_for(key.clone(), &join.columns[near]))
        };
        match self.op {
            Op::Disconnect => {
                for chunk in values.chunks(ROWS_PER_STATEMENT) {
                    let far_in = Expr::AnyOf {
                        expr: Box::new(Expr::column(Scope::Bare, &join.columns[far])),
                        values: chunk.to_vec(),
                        column: &join.columns[far],
                    };
                    let filter = Expr::And(vec![near_is_parent(), far_in]);
                    conn.execute(
                        render(dialect, Delete { table: join, filter: Some(filter), returning: Vec::new() }),
                        None,
                    )
                    .await?;
                }
                return Ok(());
            }
            // Every join row of the record goes, then the given ones are inserted again.
            Op::Set => {
                let delete = Delete { table: join, filter: Some(near_is_parent()), returning: Vec::new() };
                conn.execute(render(dialect, delete), None).await?;
            }
            Op::Connect => {}
        }
        let rows = values.into_iter().map(|v| [key.clone(), v]).collect();
        insert_join_rows(&mut conn, dialect, join, (near, far), rows).await
    }
}

/// Inserts join rows `[near, far]`, in statements under every bind limit; rows already there
/// are kept.
pub(super) async fn insert_join_rows(
    conn: &mut Conn<'_>,
    dialect: Dialect,
    join: &'static Table,
    (near, far): (usize, usize),
    rows: Vec<[Value; 2]>,
) -> Result<(), Error> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let insert = crate::query::Insert {
            table: join,
            columns: vec![&join.columns[near], &join.columns[far]],
            rows: chunk.iter().map(|r| r.to_vec()).collect(),
            conflict: Some(Conflict::Ignore),
            returning: Vec::new(),
        };
        conn.execute(render(dialect, insert), None).await?;
    }
    Ok(())
}

/// Criteria `OR`ed in one statement (a unique criterion binds a value per column).
const CRITERIA_PER_STATEMENT: usize = 1_000;
/// Join rows (two binds each) or keys in one statement: under every backend's bind limit.
const ROWS_PER_STATEMENT: usize = 10_000;

/// `columns[i] = key[i]` for every `i`: the rows of `table` whose key columns hold `key`.
pub(super) fn columns_equal(table: &'static Table, columns: &[usize], key: &[Value]) -> Expr {
    let column = |c: usize| &table.columns[c];
    Expr::And(
        columns
            .iter()
            .zip(key)
            .map(|(&c, v)| Expr::eq(Expr::column(Scope::Bare, column(c)), Expr::value_for(v.clone(), column(c))))
            .collect(),
    )
}

/// Any of `criteria`: `(criterion) OR (criterion) …`.
fn any_of<R: Model>(criteria: &[FilterNode]) -> Expr {
    Expr::Or(criteria.iter().map(|c| c.clone().top_level(R::TABLE)).collect())
}

pub(super) fn update(table: &'static Table, sets: &[(usize, Value)], filter: Expr) -> Update {
    let sets = sets.iter().map(|(c, v)| crate::field::SetOp::Value(v.clone()).into_assignment(table, *c, Scope::Bare));
    Update { table, sets: sets.collect(), filter: Some(filter), returning: Vec::new() }
}

/// A connect whose criterion names no record.
pub(super) fn not_found(def: &RelationDef, table: &'static Table, criterion: &FilterNode) -> Error {
    missing(def, table, criterion, "connect")
}

/// A nested `operation` whose criterion names no (related) record.
pub(super) fn missing(
    def: &RelationDef,
    table: &'static Table,
    criterion: &FilterNode,
    operation: &'static str,
) -> Error {
    Error::RelatedNotFound {
        model: table.model,
        relation: format!("{}.{}", def.model, def.field),
        criterion: describe(table, criterion),
        operation,
    }
}

/// A unique criterion as a person reads it: `` `slug` = "a1" ``, `` `a` = 1 and `b` = 2 ``.
fn describe(table: &Table, criterion: &FilterNode) -> String {
    match criterion {
        FilterNode::Compare { column, op: CmpOp::Eq, value, .. } => {
            format!("`{}` = {}", table.columns[*column].field, value.describe())
        }
        FilterNode::And(parts) => parts.iter().map(|p| describe(table, p)).collect::<Vec<_>>().join(" and "),
        _ => "the given criterion".to_owned(),
    }
}
