//! Nested updates, upserts and deletes: the related records of the record written, changed
//! or deleted by a unique criterion or a filter, never beyond the relation.
//!
//! Every statement is scoped to the relation: over a foreign key, the related records whose
//! key columns hold the record's (or, from the side that holds the key, the record it points
//! at); through a join table, the records its join rows name, read first.

use std::marker::PhantomData;
use std::sync::Arc;

use chrono::Utc;

use super::connect::{columns_equal, missing};
use super::{BoxFuture, Kind, NestedWrite, Related};
use crate::db::Db;
use crate::error::Error;
use crate::field::{FilterNode, Set};
use crate::model::{Model, Pending};
use crate::query::{ColumnRef, Delete, Expr, Scope, Select, SelectItem, TableRef, Update, render};
use crate::relation::{Link, RelationDef};
use crate::value::Value;
use crate::write::{assignments, update_sets};

/// What happens to the related records a criterion or filter picks.
pub(super) enum Change<R> {
    /// `update` (`one`: the criterion must name a related record) or `update_many`.
    Update { filter: Option<FilterNode>, sets: Vec<Set<R>>, one: bool },
    /// Updates the record the criterion names, or creates it (connected) when there is none.
    Upsert { filter: Option<FilterNode>, create: Pending<R>, sets: Vec<Set<R>> },
    /// `delete` (`one`) or `delete_many`.
    Delete { filter: Option<FilterNode>, one: bool },
}

impl<R> Clone for Change<R> {
    fn clone(&self) -> Self {
        match self {
            Change::Update { filter, sets, one } => {
                Change::Update { filter: filter.clone(), sets: sets.clone(), one: *one }
            }
            Change::Upsert { filter, create, sets } => {
                Change::Upsert { filter: filter.clone(), create: create.clone(), sets: sets.clone() }
            }
            Change::Delete { filter, one } => Change::Delete { filter: filter.clone(), one: *one },
        }
    }
}

struct ChangeWrite<M, R> {
    def: &'static RelationDef,
    changes: Vec<Change<R>>,
    _model: PhantomData<fn() -> M>,
}

pub(super) fn change<M: Model, R: Model>(def: &'static RelationDef, changes: Vec<Change<R>>) -> Related<M> {
    Related(Kind::After(Arc::new(ChangeWrite::<M, R> { def, changes, _model: PhantomData })))
}

/// The related records of `parent`, as a condition on `R`'s table; `None` when a join table
/// names none.
async fn scope<M: Model, R: Model>(db: &Db, def: &RelationDef, parent: &M) -> Result<Option<Expr>, Error> {
    let table = R::TABLE;
    match &def.link {
        Link::Direct { from, to } => {
            let key: Vec<Value> = from.iter().map(|&c| parent.value(c)).collect();
            if key.iter().any(|v| matches!(v, Value::Null(_))) {
                return Ok(None);
            }
            Ok(Some(columns_equal(table, to, &key)))
        }
        Link::Join { table: join, near, far, from, to } => {
            let far_column = &join.columns[*far];
            let item = SelectItem::Column(ColumnRef { scope: Scope::Bare, column: far_column });
            let mut select = Select::new(TableRef { table: join, alias: None }, vec![item]);
            let near_column = &join.columns[*near];
            select.filter = Some(Expr::eq(
                Expr::column(Scope::Bare, near_column),
                Expr::value_for(parent.value(*from), near_column),
            ));
            let rows = db.conn().await?.fetch_all(render(db.dialect(), select), None).await?;
            if rows.is_empty() {
                return Ok(None);
            }
            let values = rows.iter().map(|r| r.value(0, far_column.kind)).collect::<Result<Vec<_>, _>>()?;
            let column = &table.columns[*to];
            Ok(Some(Expr::AnyOf { expr: Box::new(Expr::column(Scope::Bare, column)), values, column }))
        }
    }
}

/// Updates the `R` records `filter` matches; how many it matched (counted when `sets` is
/// empty, which changes nothing).
async fn update_matching<R: Model>(db: &Db, filter: Expr, sets: Vec<Set<R>>) -> Result<u64, Error> {
    let table = R::TABLE;
    let dialect = db.dialect();
    if crate::referential::touches_references(table, &sets) {
        crate::referential::before_update(db, table, &filter, &crate::referential::new_values(&sets)).await?;
    }
    let sets = update_sets(sets, Utc::now());
    if sets.is_empty() {
        let rows = db.conn().await?.fetch_all(render(dialect, Select::count(table, Some(filter))), Some(table)).await?;
        let n: i64 = rows.first().map_or(Ok(0), |r| r.get(0))?;
        return Ok(u64::try_from(n).unwrap_or(0));
    }
    let statement =
        Update { table, sets: assignments(table, sets, Scope::Bare), filter: Some(filter), returning: Vec::new() };
    Ok(db.conn().await?.execute(render(dialect, statement), Some(table)).await?.rows_affected)
}

impl<M: Model, R: Model> NestedWrite<M> for ChangeWrite<M, R> {
    fn def(&self) -> &'static RelationDef {
        self.def
    }

    fn run<'a>(&'a self, db: &'a Db, parent: &'a M) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let def = self.def;
            let table = R::TABLE;
            let dialect = db.dialect();
            for change in self.changes.iter().cloned() {
                let scope = scope::<M, R>(db, def, parent).await?;
                let filter_of = |filter: &Option<FilterNode>| {
                    let mut parts: Vec<Expr> = scope.iter().cloned().collect();
                    parts.extend(filter.clone().map(|f| f.top_level(table)));
                    Expr::And(parts)
                };
                let missing = |filter: &Option<FilterNode>, operation| match filter {
                    Some(criterion) => missing(def, table, criterion, operation),
                    None => Error::RelatedNotFound {
                        model: table.model,
                        relation: format!("{}.{}", def.model, def.field),
                        criterion: "the relation (there is none)".to_owned(),
                        operation,
                    },
                };
                match change {
                    Change::Update { filter, sets, one } => {
                        let matched = match &scope {
                            None => 0,
                            Some(_) => update_matching::<R>(db, filter_of(&filter), sets).await?,
                        };
                        if one && matched == 0 {
                            return Err(missing(&filter, "update"));
                        }
                    }
                    Change::Delete { filter, one } => {
                        if let Link::Direct { from, .. } = &def.link
                            && def.holds_key
                            && from.iter().any(|&c| !M::TABLE.columns[c].nullable)
                        {
                            return Err(Error::Validation(format!(
                                "`{}.{}` is required: deleting its record would leave this `{}` without it; delete \
                                 the `{}` instead, or connect another record",
                                def.model, def.field, def.model, table.model
                            )));
                        }
                        let deleted = match &scope {
                            None => 0,
                            Some(_) => {
                                let condition = filter_of(&filter);
                                crate::referential::before_delete(db, table, &condition).await?;
                                let statement = Delete { table, filter: Some(condition), returning: Vec::new() };
                                db.conn().await?.execute(render(dialect, statement), Some(table)).await?.rows_affected
                            }
                        };
                        if one && deleted == 0 {
                            return Err(missing(&filter, "delete"));
                        }
                    }
                    Change::Upsert { filter, create, sets } => {
                        let matched = match &scope {
                            None => 0,
                            Some(_) => update_matching::<R>(db, filter_of(&filter), sets).await?,
                        };
                        if matched == 0 {
                            if def.holds_key {
                                return Err(Error::Validation(format!(
                                    "`{}.{}` has no record to update: give it with `connect_or_create` or `create`",
                                    def.model, def.field
                                )));
                            }
                            let create = Arc::new(super::create::Children::<M, R>::new(def, vec![create]));
                            super::create::ChildCreate::create_for(create, db, parent, Vec::new()).await?;
                        }
                    }
                }
            }
            Ok(())
        })
    }
}
