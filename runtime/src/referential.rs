//! Referential actions the client carries out under `relationMode = "prisma"`, where the
//! database has no foreign keys (PlanetScale-style MySQL): before rows are deleted, or their
//! referenced key columns changed, the rows pointing at them are checked (`Restrict`,
//! `NoAction`), deleted (`Cascade`, recursively), or have their key set to null (`SetNull`) or
//! to its default (`SetDefault`), as the schema says. A table's [`Table::referenced_by`] is
//! empty when the database keeps its foreign keys, and nothing here runs.
//!
//! Callers run these in the transaction of the write itself, so a `Restrict` three levels down
//! leaves nothing written.

use crate::db::Db;
use crate::error::Error;
use crate::field::{Set, SetOp};
use crate::model::{Action, Reference, Table};
use crate::nested::BoxFuture;
use crate::query::{Assignment, ColumnRef, Delete, Expr, Scope, Select, SelectItem, TableRef, Update, render};
use crate::value::Value;

/// Whether a write on `table` needs the client's referential actions.
pub(crate) fn emulated(table: &Table) -> bool {
    !table.referenced_by.is_empty()
}

/// Whether `sets` change a column some foreign key of `table` references.
pub(crate) fn touches_references<M>(table: &Table, sets: &[Set<M>]) -> bool {
    table.referenced_by.iter().any(|r| r.references.iter().any(|c| sets.iter().any(|s| s.column == *c)))
}

/// The plain assignments of `sets`: the new values of the columns they change.
pub(crate) fn new_values<M>(sets: &[Set<M>]) -> Vec<(usize, Value)> {
    sets.iter()
        .filter_map(|s| match &s.op {
            SetOp::Value(v) => Some((s.column, v.clone())),
            SetOp::Arithmetic(..) => None,
        })
        .collect()
}

/// Carries out the `onDelete` actions of the rows of `table` that `filter` matches, before
/// they are deleted.
pub(crate) fn before_delete<'a>(
    db: &'a Db,
    table: &'static Table,
    filter: &'a Expr,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move {
        if !emulated(table) {
            return Ok(());
        }
        for reference in table.referenced_by {
            let Some(pointing) = pointing_rows(db, table, reference, filter, None).await? else { continue };
            let child = (reference.table)();
            match reference.on_delete {
                Action::Restrict | Action::NoAction => refuse_if_any(db, table, reference, child, &pointing).await?,
                Action::Cascade => {
                    before_delete(db, child, &pointing).await?;
                    let delete = Delete { table: child, filter: Some(pointing), returning: Vec::new() };
                    db.conn().await?.execute(render(db.dialect(), delete), Some(child)).await?;
                }
                action @ (Action::SetNull | Action::SetDefault) => {
                    set_keys(db, reference, child, pointing, Err(action)).await?
                }
            }
        }
        Ok(())
    })
}

/// Carries out the `onUpdate` actions of the rows of `table` that `filter` matches, before
/// `sets` (column, new value) change their referenced columns.
pub(crate) async fn before_update(
    db: &Db,
    table: &'static Table,
    filter: &Expr,
    sets: &[(usize, Value)],
) -> Result<(), Error> {
    for reference in table.referenced_by {
        let changed: Vec<Option<Value>> = reference
            .references
            .iter()
            .map(|c| sets.iter().rev().find(|(s, _)| s == c).map(|(_, v)| v.clone()))
            .collect();
        if changed.iter().all(Option::is_none) {
            continue;
        }
        let Some(pointing) = pointing_rows(db, table, reference, filter, Some(&changed)).await? else { continue };
        let child = (reference.table)();
        match reference.on_update {
            Action::Restrict | Action::NoAction => refuse_if_any(db, table, reference, child, &pointing).await?,
            Action::Cascade => set_keys(db, reference, child, pointing, Ok(&changed)).await?,
            action @ (Action::SetNull | Action::SetDefault) => {
                set_keys(db, reference, child, pointing, Err(action)).await?
            }
        }
    }
    Ok(())
}

/// The rows of `child` whose key points at a row `filter` matches (skipping, with `changed`,
/// rows whose referenced values stay the same); `None` when there are none to look at.
async fn pointing_rows(
    db: &Db,
    table: &'static Table,
    reference: &Reference,
    filter: &Expr,
    changed: Option<&[Option<Value>]>,
) -> Result<Option<Expr>, Error> {
    let items = reference
        .references
        .iter()
        .map(|&c| SelectItem::Column(ColumnRef { scope: Scope::Bare, column: &table.columns[c] }))
        .collect();
    let mut select = Select::new(TableRef { table, alias: None }, items);
    select.filter = Some(filter.clone());
    let rows = db.conn().await?.fetch_all(render(db.dialect(), select), Some(table)).await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = reference
            .references
            .iter()
            .enumerate()
            .map(|(i, &c)| row.value(i, table.columns[c].kind))
            .collect::<Result<Vec<_>, _>>()?;
        let unchanged = changed
            .is_some_and(|changed| key.iter().zip(changed).all(|(old, new)| new.as_ref().is_none_or(|new| new == old)));
        if !unchanged && !key.iter().any(|v| matches!(v, Value::Null(_))) {
            keys.push(key);
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let child = (reference.table)();
    Ok(Some(crate::load::key_condition(child, Scope::Bare, reference.columns, keys)))
}

async fn refuse_if_any(
    db: &Db,
    table: &'static Table,
    reference: &Reference,
    child: &'static Table,
    pointing: &Expr,
) -> Result<(), Error> {
    let rows = db
        .conn()
        .await?
        .fetch_all(render(db.dialect(), Select::count(child, Some(pointing.clone()))), Some(child))
        .await?;
    let n: i64 = rows.first().map_or(Ok(0), |r| r.get(0))?;
    if n == 0 {
        return Ok(());
    }
    Err(Error::ForeignKeyViolation {
        model: table.model,
        constraint: Some(reference.relation.to_owned()),
        message: format!(
            "{n} `{}` records still point at this `{}` through `{}` (its referential action forbids it)",
            child.model, table.model, reference.relation
        ),
    })
}

/// Sets the key columns of the pointing rows: to `to` (the new referenced values, for a
/// cascading update), or as `SetNull` says. `SetDefault` is not emulated (the schema
/// validator refuses it with `relationMode = "prisma"`, as Prisma does).
async fn set_keys(
    db: &Db,
    reference: &Reference,
    child: &'static Table,
    pointing: Expr,
    to: Result<&[Option<Value>], Action>,
) -> Result<(), Error> {
    let mut sets = Vec::new();
    for (i, &c) in reference.columns.iter().enumerate() {
        let column = &child.columns[c];
        let value = match to {
            Ok(values) => match &values[i] {
                Some(v) => v.clone(),
                None => continue,
            },
            Err(Action::SetNull) => Value::Null(column.kind),
            Err(_) => {
                return Err(Error::Validation(format!(
                    "`{}`: SetDefault is not emulated with `relationMode = \"prisma\"`",
                    reference.relation
                )));
            }
        };
        sets.push(Assignment { column, value: Expr::value_for(value, column) });
    }
    let update = Update { table: child, sets, filter: Some(pointing), returning: Vec::new() };
    db.conn().await?.execute(render(db.dialect(), update), Some(child)).await?;
    Ok(())
}
