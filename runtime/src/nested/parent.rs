//! The record a foreign key of the record being written points at (`Post.author`), given as
//! its key, or found (`connect`) or created (`create`) first, in the same transaction.
//!
//! A required relation's field in a generated `Create` (`author: post::Author`) wraps a
//! [`Parent`], so a create gives the key or a nested write, exactly one, by construction.

use std::marker::PhantomData;
use std::sync::Arc;

use super::connect::not_found;
use super::{BoxFuture, Kind, Related};
use crate::db::Db;
use crate::error::Error;
use crate::field::FilterNode;
use crate::model::{CreateData, CreateValues, Model, Pending, UniqueInput};
use crate::query::{ColumnRef, Scope, Select, SelectItem, TableRef, render};
use crate::relation::{Link, RelationDef, ToOne};
use crate::value::Value;

/// How a create gives the record `M`'s foreign key points at: `author: 1.into()`,
/// `post::Author::connect(…)`, `post::Author::create(…)`.
pub struct Parent<M, R> {
    def: &'static RelationDef,
    how: How<R>,
    _model: PhantomData<fn() -> M>,
}

enum How<R> {
    Key(Vec<Value>),
    Connect(FilterNode),
    Create(Pending<R>),
    ConnectOrCreate(FilterNode, Pending<R>),
    Disconnect,
}

impl<M, R> Clone for Parent<M, R> {
    fn clone(&self) -> Self {
        let how = match &self.how {
            How::Key(v) => How::Key(v.clone()),
            How::Connect(f) => How::Connect(f.clone()),
            How::Create(p) => How::Create(p.clone()),
            How::ConnectOrCreate(f, p) => How::ConnectOrCreate(f.clone(), p.clone()),
            How::Disconnect => How::Disconnect,
        };
        Parent { def: self.def, how, _model: PhantomData }
    }
}

impl<M, R> std::fmt::Debug for Parent<M, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match &self.how {
            How::Key(v) => return write!(f, "{}.{} = {v:?}", self.def.model, self.def.field),
            How::Connect(_) => "connect",
            How::Create(_) => "create",
            How::ConnectOrCreate(..) => "connect_or_create",
            How::Disconnect => "disconnect",
        };
        write!(f, "{}.{}: {how}", self.def.model, self.def.field)
    }
}

impl<M: Model, R: Model> Parent<M, R> {
    /// The parent's key, one value per foreign key column (generated `From` impls call this).
    pub fn key<W, D>(relation: ToOne<M, R, W, D>, key: Vec<Value>) -> Self {
        Parent { def: relation.def, how: How::Key(key), _model: PhantomData }
    }

    /// The record `unique` names; [`Error::RelatedNotFound`] when there is none.
    pub fn connect<W, D>(relation: ToOne<M, R, W, D>, unique: R::Unique) -> Self {
        Self::connecting(relation.def, unique.into_filter().node)
    }

    /// A record created first, with its own nested writes.
    pub fn create<W, D>(relation: ToOne<M, R, W, D>, data: impl Into<CreateData<R>>) -> Self {
        Self::creating(relation.def, data.into().into_row())
    }

    /// The record `unique` names, or one created from `data` when there is none.
    pub fn connect_or_create<W, D>(
        relation: ToOne<M, R, W, D>,
        unique: R::Unique,
        data: impl Into<CreateData<R>>,
    ) -> Self {
        Self::connecting_or_creating(relation.def, unique.into_filter().node, data.into().into_row())
    }

    pub(super) fn connecting(def: &'static RelationDef, criterion: FilterNode) -> Self {
        Parent { def, how: How::Connect(criterion), _model: PhantomData }
    }

    pub(super) fn creating(def: &'static RelationDef, row: Pending<R>) -> Self {
        Parent { def, how: How::Create(row), _model: PhantomData }
    }

    pub(super) fn connecting_or_creating(def: &'static RelationDef, criterion: FilterNode, row: Pending<R>) -> Self {
        Parent { def, how: How::ConnectOrCreate(criterion, row), _model: PhantomData }
    }

    pub(super) fn disconnecting(def: &'static RelationDef) -> Self {
        Parent { def, how: How::Disconnect, _model: PhantomData }
    }

    pub(super) fn into_related(self) -> Related<M> {
        Related(Kind::Parent(ParentWrite(Arc::new(self))))
    }

    /// Adds the key to a create's values, or the write that finds it to its parents.
    pub fn into_values(self, out: &mut CreateValues<M>) {
        match (&self.how, &self.def.link) {
            (How::Key(key), Link::Direct { from, .. }) if key.len() == from.len() => {
                out.values.extend(from.iter().copied().zip(key.iter().cloned()));
            }
            _ => out.parents.push(ParentWrite(Arc::new(self))),
        }
    }

    /// The values of the foreign key columns: the key given, or that of the record found or
    /// created.
    async fn key_values(self, db: &Db) -> Result<Vec<(usize, Value)>, Error> {
        let def = self.def;
        let Link::Direct { from, to } = &def.link else {
            return Err(Error::Validation(format!("`{}.{}` is not over a foreign key", def.model, def.field)));
        };
        let key = match self.how {
            How::Key(key) if key.len() == from.len() => key,
            How::Key(key) => {
                return Err(Error::Validation(format!(
                    "`{}.{}` takes {} key values, not {}",
                    def.model,
                    def.field,
                    from.len(),
                    key.len()
                )));
            }
            How::Disconnect => from.iter().map(|&c| Value::Null(M::TABLE.columns[c].kind)).collect(),
            How::Connect(criterion) => match find_key::<R>(db, to, &criterion).await? {
                Some(key) => key,
                None => return Err(not_found(def, R::TABLE, &criterion)),
            },
            How::Create(row) => created_key::<R>(db, to, row).await?,
            How::ConnectOrCreate(criterion, row) => match find_key::<R>(db, to, &criterion).await? {
                Some(key) => key,
                None => created_key::<R>(db, to, row).await?,
            },
        };
        Ok(from.iter().copied().zip(key).collect())
    }
}

/// The `to` columns of the `R` record `criterion` names, if there is one.
async fn find_key<R: Model>(db: &Db, to: &[usize], criterion: &FilterNode) -> Result<Option<Vec<Value>>, Error> {
    let table = R::TABLE;
    let items =
        to.iter().map(|&c| SelectItem::Column(ColumnRef { scope: Scope::Bare, column: &table.columns[c] })).collect();
    let mut select = Select::new(TableRef { table, alias: None }, items);
    select.filter = Some(criterion.clone().top_level(table));
    let rows = db.conn().await?.fetch_all(render(db.dialect(), select), Some(table)).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    to.iter().enumerate().map(|(i, &c)| row.value(i, table.columns[c].kind)).collect::<Result<_, _>>().map(Some)
}

/// Creates an `R` record and returns its `to` columns.
async fn created_key<R: Model>(db: &Db, to: &[usize], row: Pending<R>) -> Result<Vec<Value>, Error> {
    let record = super::create_all::<R>(db, vec![row]).await?.pop().ok_or(Error::NotFound { model: R::TABLE.model })?;
    Ok(to.iter().map(|&c| record.value(c)).collect())
}

/// A [`Parent`] whose key isn't known yet, of any related model.
pub(crate) struct ParentWrite<M>(Arc<dyn ResolveParent<M>>);

impl<M> Clone for ParentWrite<M> {
    fn clone(&self) -> Self {
        ParentWrite(Arc::clone(&self.0))
    }
}

impl<M> ParentWrite<M> {
    pub(crate) fn def(&self) -> &'static RelationDef {
        self.0.def()
    }

    /// Finds or creates the parent: the foreign key's `(column, value)` pairs.
    pub(crate) async fn resolve(self, db: &Db) -> Result<Vec<(usize, Value)>, Error> {
        self.0.resolve(db).await
    }
}

trait ResolveParent<M>: Send + Sync {
    fn def(&self) -> &'static RelationDef;
    fn resolve<'a>(self: Arc<Self>, db: &'a Db) -> BoxFuture<'a, Result<Vec<(usize, Value)>, Error>>;
}

impl<M: Model, R: Model> ResolveParent<M> for Parent<M, R> {
    fn def(&self) -> &'static RelationDef {
        self.def
    }

    fn resolve<'a>(self: Arc<Self>, db: &'a Db) -> BoxFuture<'a, Result<Vec<(usize, Value)>, Error>> {
        Box::pin(Arc::unwrap_or_clone(self).key_values(db))
    }
}
