//! Nested creates: records written with their related records, to any depth, one batched
//! insert per relation and level.
//!
//! [`create_all`] writes rows of one model: it finds or creates each row's parents (the
//! records its foreign keys point at), inserts all rows in statements as large as the bind
//! limit allows, and then runs their nested writes with [`run_after`], which gathers the
//! nested creates of one relation across all the rows into one call of [`create_all`] for
//! the related model. A user with 100 posts with 10 comments each is three inserts.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use chrono::Utc;

use super::connect::{columns_equal, insert_join_rows, update};
use super::{BoxFuture, Kind, NestedWrite, Related};
use crate::db::Db;
use crate::error::Error;
use crate::field::FilterNode;
use crate::model::{Model, Pending};
use crate::query::{ColumnRef, Expr, Scope, Select, SelectItem, TableRef, render};
use crate::relation::{Link, RelationDef};
use crate::value::Value;
use crate::write::create_row;

/// Creates `rows` and their nested writes (in the caller's transaction) and returns the
/// records, in the order given.
pub(crate) fn create_all<M: Model>(db: &Db, rows: Vec<Pending<M>>) -> BoxFuture<'_, Result<Vec<M>, Error>> {
    Box::pin(async move {
        let now = Utc::now();
        let mut inserts = Vec::with_capacity(rows.len());
        let mut related = Vec::with_capacity(rows.len());
        for mut row in rows {
            let mut after = Vec::with_capacity(row.related.len());
            for write in std::mem::take(&mut row.related) {
                match write.0 {
                    Kind::Parent(parent) => row.parents.push(parent),
                    other => after.push(Related(other)),
                }
            }
            for parent in std::mem::take(&mut row.parents) {
                row.values.extend(parent.resolve(db).await?);
            }
            related.push(after);
            inserts.push(create_row(row, now)?);
        }
        let written = {
            let dialect = db.dialect();
            let mut conn = db.conn().await?;
            crate::written::insert_and_return::<M>(&mut conn, dialect, inserts, false).await?
        };
        run_after(db, &written, related).await?;
        Ok(written)
    })
}

/// Runs the nested writes of records just written (`related[i]` of `written[i]`): the
/// creates first, each relation's for all the records at once, then the other writes in
/// the order given, record by record.
pub(crate) async fn run_after<M: Model>(db: &Db, written: &[M], related: Vec<Vec<Related<M>>>) -> Result<(), Error> {
    type Group<'r, M> = (&'static RelationDef, Vec<(&'r M, Arc<dyn ChildCreate<M>>)>);
    let mut groups: Vec<Group<'_, M>> = Vec::new();
    let mut after = Vec::new();
    for (record, writes) in written.iter().zip(related) {
        for write in writes {
            match write.0 {
                Kind::Children(create) => {
                    let def = create.def();
                    let same = |d: &RelationDef| d.model == def.model && d.field == def.field;
                    match groups.iter_mut().find(|(d, _)| same(d)) {
                        Some((_, group)) => group.push((record, create)),
                        None => groups.push((def, vec![(record, create)])),
                    }
                }
                Kind::After(write) => after.push((record, write)),
                Kind::Parent(parent) => {
                    let def = parent.def();
                    return Err(Error::Validation(format!(
                        "`{}.{}` is set before the record is written: give it in the create's data",
                        def.model, def.field
                    )));
                }
            }
        }
    }
    for (_, mut group) in groups {
        let (parent, first) = group.remove(0);
        first.create_for(db, parent, group).await?;
    }
    for (record, write) in after {
        write.run(db, record).await?;
    }
    Ok(())
}

/// Nested creates of one relation of `M`, of any related model.
pub(crate) trait ChildCreate<M>: Send + Sync {
    fn def(&self) -> &'static RelationDef;
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
    /// Creates `self`'s records for `parent` and those of `others` (of the same relation and
    /// related model) for the record beside each, in one batch.
    fn create_for<'a>(
        self: Arc<Self>,
        db: &'a Db,
        parent: &'a M,
        others: Vec<(&'a M, Arc<dyn ChildCreate<M>>)>,
    ) -> BoxFuture<'a, Result<(), Error>>;
}

/// Rows of `R` to create for one record of `M` over `def`.
pub(super) struct Children<M, R> {
    def: &'static RelationDef,
    rows: Vec<Pending<R>>,
    /// `create_many`: the rows take no nested writes of their own.
    plain: bool,
    _model: PhantomData<fn() -> M>,
}

impl<M, R> Clone for Children<M, R> {
    fn clone(&self) -> Self {
        Children { def: self.def, rows: self.rows.clone(), plain: self.plain, _model: PhantomData }
    }
}

impl<M, R> Children<M, R> {
    pub(super) fn new(def: &'static RelationDef, rows: Vec<Pending<R>>) -> Self {
        Children { def, rows, plain: false, _model: PhantomData }
    }
}

pub(super) fn children<M: Model, R: Model>(
    def: &'static RelationDef,
    rows: Vec<Pending<R>>,
    plain: bool,
) -> Related<M> {
    Related(Kind::Children(Arc::new(Children::<M, R> { def, rows, plain, _model: PhantomData })))
}

/// Gives a related row the parent's key, over a foreign key on the related side.
fn with_parent_key<M: Model, R>(def: &RelationDef, parent: &M, row: &mut Pending<R>) {
    if let Link::Direct { from, to } = &def.link {
        row.values.extend(from.iter().zip(to.iter()).map(|(&f, &t)| (t, parent.value(f))));
    }
}

impl<M: Model, R: Model> ChildCreate<M> for Children<M, R> {
    fn def(&self) -> &'static RelationDef {
        self.def
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }

    fn create_for<'a>(
        self: Arc<Self>,
        db: &'a Db,
        parent: &'a M,
        others: Vec<(&'a M, Arc<dyn ChildCreate<M>>)>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        let def = self.def;
        Box::pin(async move {
            let mut batches = vec![(parent, self)];
            for (parent, write) in others {
                let children = write.into_any().downcast::<Children<M, R>>().map_err(|_| {
                    Error::Validation(format!("nested creates of `{}.{}` of two models", def.model, def.field))
                })?;
                batches.push((parent, children));
            }
            let mut rows = Vec::new();
            let mut owners = Vec::new();
            for (parent, children) in batches {
                let children = Arc::unwrap_or_clone(children);
                if children.plain && children.rows.iter().any(|r| !r.related.is_empty()) {
                    return Err(Error::Validation(format!(
                        "`create_many` of `{}.{}` takes no nested writes of related records: use `create`",
                        def.model, def.field
                    )));
                }
                for mut row in children.rows {
                    with_parent_key(def, parent, &mut row);
                    owners.push(parent);
                    rows.push(row);
                }
            }
            let created = create_all::<R>(db, rows).await?;
            if let Link::Join { table, near, far, from, to } = &def.link {
                let pairs = owners.iter().zip(&created).map(|(p, c)| [p.value(*from), c.value(*to)]).collect();
                let mut conn = db.conn().await?;
                insert_join_rows(&mut conn, db.dialect(), table, (*near, *far), pairs).await?;
            }
            Ok(())
        })
    }
}

/// `connect_or_create` over a relation whose related records hold the key or a join table
/// does: each criterion's record is connected, or created when there is none.
struct ConnectOrCreate<M, R> {
    def: &'static RelationDef,
    items: Vec<(FilterNode, Pending<R>)>,
    /// A to-one relation: the record connected before is disconnected first.
    replace: bool,
    _model: PhantomData<fn() -> M>,
}

pub(super) fn connect_or_create<M: Model, R: Model>(
    def: &'static RelationDef,
    items: Vec<(FilterNode, Pending<R>)>,
    replace: bool,
) -> Related<M> {
    Related(Kind::After(Arc::new(ConnectOrCreate::<M, R> { def, items, replace, _model: PhantomData })))
}

impl<M: Model, R: Model> NestedWrite<M> for ConnectOrCreate<M, R> {
    fn def(&self) -> &'static RelationDef {
        self.def
    }

    fn run<'a>(&'a self, db: &'a Db, parent: &'a M) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let def = self.def;
            let table = R::TABLE;
            let dialect = db.dialect();
            if self.replace
                && let Link::Direct { from, to } = &def.link
            {
                let nulls: Vec<(usize, Value)> = to.iter().map(|&c| (c, Value::Null(table.columns[c].kind))).collect();
                let key: Vec<Value> = from.iter().map(|&f| parent.value(f)).collect();
                let key = columns_equal(table, to, &key);
                // Only another record: the one the criterion names may be the one connected.
                let others = Expr::And(vec![
                    key,
                    Expr::Not(Box::new(Expr::Or(self.items.iter().map(|(c, _)| c.clone().top_level(table)).collect()))),
                ]);
                db.conn().await?.execute(render(dialect, update(table, &nulls, others)), Some(table)).await?;
            }
            for (criterion, row) in &self.items {
                let connected = match &def.link {
                    Link::Direct { from, to } => {
                        let sets: Vec<(usize, Value)> =
                            to.iter().zip(from.iter()).map(|(&t, &f)| (t, parent.value(f))).collect();
                        let filter = criterion.clone().top_level(table);
                        let statement = render(dialect, update(table, &sets, filter));
                        db.conn().await?.execute(statement, Some(table)).await?.rows_affected > 0
                    }
                    Link::Join { table: join, near, far, from, to } => {
                        let column = &table.columns[*to];
                        let item = SelectItem::Column(ColumnRef { scope: Scope::Bare, column });
                        let mut select = Select::new(TableRef { table, alias: None }, vec![item]);
                        select.filter = Some(criterion.clone().top_level(table));
                        let rows = db.conn().await?.fetch_all(render(dialect, select), Some(table)).await?;
                        match rows.first() {
                            Some(found) => {
                                let pair = [parent.value(*from), found.value(0, column.kind)?];
                                let mut conn = db.conn().await?;
                                insert_join_rows(&mut conn, dialect, join, (*near, *far), vec![pair]).await?;
                                true
                            }
                            None => false,
                        }
                    }
                };
                if !connected {
                    Arc::new(Children::<M, R>::new(def, vec![row.clone()])).create_for(db, parent, Vec::new()).await?;
                }
            }
            Ok(())
        })
    }
}
