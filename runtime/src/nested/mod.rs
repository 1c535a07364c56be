//! Nested writes: related records created, connected, disconnected or replaced inside a
//! create or an update, in its transaction.
//!
//! A nested write is a [`Related`] write of the record being written, of one of three kinds,
//! by where the key that joins the two records lives:
//! - the record's own foreign key (`post::author`): the parent is found or created first
//!   (`parent.rs`), and its key becomes part of the insert (or of the update's assignments);
//! - the related records' key, or a join table (`user::posts`, `post::tags`): they are
//!   created after the record (`create.rs`), batched with the same relation's records of the
//!   record's siblings, so a level of a nested create is one insert however many parents it
//!   has; connects, disconnects and `set` (`connect.rs`) run record by record.
//!
//! Everything runs in one transaction (a savepoint inside the application's own): a failure
//! anywhere, three levels down, leaves nothing written.

mod change;
mod connect;
mod create;
mod parent;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::db::Db;
use crate::error::Error;
use crate::field::{Filter, FilterNode, Set};
use crate::model::{CreateData, Model, UniqueInput};
use crate::relation::{KeyOptional, Link, RelationDef, ToMany, ToOne};

pub(crate) use create::{create_all, run_after};
pub use parent::Parent;
pub(crate) use parent::ParentWrite;

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A write of the records related to an `M` record: `user::posts.create([…])`,
/// `post::tags.connect([…])`, `post::author.connect(…)`.
pub struct Related<M>(pub(crate) Kind<M>);

pub(crate) enum Kind<M> {
    /// Finds or creates the record `M`'s foreign key points at, before `M`'s own statement.
    Parent(ParentWrite<M>),
    /// Creates related records that hold `M`'s key or join to it, after `M`'s insert.
    Children(Arc<dyn create::ChildCreate<M>>),
    /// Runs after `M`'s own statement, against the record written.
    After(Arc<dyn NestedWrite<M>>),
}

impl<M> Clone for Related<M> {
    fn clone(&self) -> Self {
        Related(match &self.0 {
            Kind::Parent(p) => Kind::Parent(p.clone()),
            Kind::Children(c) => Kind::Children(Arc::clone(c)),
            Kind::After(a) => Kind::After(Arc::clone(a)),
        })
    }
}

impl<M> std::fmt::Debug for Related<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, def) = match &self.0 {
            Kind::Parent(p) => ("parent", p.def()),
            Kind::Children(c) => ("create", c.def()),
            Kind::After(a) => ("write", a.def()),
        };
        write!(f, "Related({kind} of {}.{})", def.model, def.field)
    }
}

pub(crate) trait NestedWrite<M>: Send + Sync {
    fn def(&self) -> &'static RelationDef;
    fn run<'a>(&'a self, db: &'a Db, parent: &'a M) -> BoxFuture<'a, Result<(), Error>>;
}

fn criteria<R: Model>(uniques: impl IntoIterator<Item = R::Unique>) -> Vec<FilterNode> {
    uniques.into_iter().map(|u| u.into_filter().node).collect()
}

impl<M: Model, R: Model, W, D> ToMany<M, R, W, D> {
    /// Connects the records `uniques` name to the record written (moving them from another
    /// parent over a foreign key); [`Error::RelatedNotFound`] when one names no record.
    pub fn connect(self, uniques: impl IntoIterator<Item = R::Unique>) -> Related<M> {
        connect::write::<M, R>(self.def, connect::Op::Connect, criteria::<R>(uniques))
    }

    /// Creates related records (`post::CreateWithoutAuthor { … }`, the key filled in from the
    /// record written), each with its own nested writes: one insert per level for all of
    /// them, and for the same relation of sibling records.
    pub fn create<I: Into<CreateData<R, W>>>(self, rows: impl IntoIterator<Item = I>) -> Related<M> {
        create::children::<M, R>(self.def, rows.into_iter().map(|r| r.into().into_row()).collect(), false)
    }

    /// Like [`ToMany::create`], for rows without nested writes of their own (Prisma's
    /// `createMany`): one that has some is a [`Error::Validation`].
    pub fn create_many<I: Into<CreateData<R, W>>>(self, rows: impl IntoIterator<Item = I>) -> Related<M> {
        create::children::<M, R>(self.def, rows.into_iter().map(|r| r.into().into_row()).collect(), true)
    }

    /// Connects the record each criterion names, or creates it from the data beside it when
    /// there is none.
    pub fn connect_or_create<I: Into<CreateData<R, W>>>(
        self,
        items: impl IntoIterator<Item = (R::Unique, I)>,
    ) -> Related<M> {
        let items = items.into_iter().map(|(u, d)| (u.into_filter().node, d.into().into_row())).collect();
        create::connect_or_create::<M, R>(self.def, items, false)
    }

    /// Updates the related record `unique` names; [`Error::RelatedNotFound`] when it isn't one
    /// of the record's.
    pub fn update(self, unique: R::Unique, sets: impl IntoIterator<Item = Set<R>>) -> Related<M> {
        let filter = Some(unique.into_filter().node);
        change::change::<M, R>(
            self.def,
            vec![change::Change::Update { filter, sets: sets.into_iter().collect(), one: true }],
        )
    }

    /// Updates every related record `filter` matches.
    pub fn update_many(self, filter: Filter<R>, sets: impl IntoIterator<Item = Set<R>>) -> Related<M> {
        let filter = Some(filter.node);
        change::change::<M, R>(
            self.def,
            vec![change::Change::Update { filter, sets: sets.into_iter().collect(), one: false }],
        )
    }

    /// Updates the related record `unique` names, or creates it from `create` when the record
    /// has none that matches.
    pub fn upsert(
        self,
        unique: R::Unique,
        create: impl Into<CreateData<R, W>>,
        sets: impl IntoIterator<Item = Set<R>>,
    ) -> Related<M> {
        let filter = Some(unique.into_filter().node);
        let (create, sets) = (create.into().into_row(), sets.into_iter().collect());
        change::change::<M, R>(self.def, vec![change::Change::Upsert { filter, create, sets }])
    }

    /// Deletes the related records `uniques` name; [`Error::RelatedNotFound`] when one isn't
    /// one of the record's.
    pub fn delete(self, uniques: impl IntoIterator<Item = R::Unique>) -> Related<M> {
        let changes =
            criteria::<R>(uniques).into_iter().map(|c| change::Change::Delete { filter: Some(c), one: true }).collect();
        change::change::<M, R>(self.def, changes)
    }

    /// Deletes every related record `filter` matches.
    pub fn delete_many(self, filter: Filter<R>) -> Related<M> {
        change::change::<M, R>(self.def, vec![change::Change::Delete { filter: Some(filter.node), one: false }])
    }
}

impl<M: Model, R: Model, W> ToMany<M, R, W, KeyOptional> {
    /// Disconnects the records `uniques` name, if connected (their key is set to null, or
    /// their join rows deleted).
    pub fn disconnect(self, uniques: impl IntoIterator<Item = R::Unique>) -> Related<M> {
        connect::write::<M, R>(self.def, connect::Op::Disconnect, criteria::<R>(uniques))
    }

    /// Makes the records `uniques` name the whole relation: the others are disconnected.
    pub fn set(self, uniques: impl IntoIterator<Item = R::Unique>) -> Related<M> {
        connect::write::<M, R>(self.def, connect::Op::Set, criteria::<R>(uniques))
    }
}

/// Whether the related record's key to `M` may be set to null (a connect replacing the
/// record connected before disconnects that one first).
fn related_key_optional<R: Model>(def: &RelationDef) -> bool {
    match &def.link {
        Link::Direct { to, .. } => to.iter().all(|&c| R::TABLE.columns[c].nullable),
        Link::Join { .. } => true,
    }
}

impl<M: Model, R: Model, W, D> ToOne<M, R, W, D> {
    /// Connects the record `unique` names: over `M`'s own key, that key is set to it; over
    /// the related record's key, it is pointed at the record written (and one connected
    /// before is disconnected, when its key is optional).
    pub fn connect(self, unique: R::Unique) -> Related<M> {
        let criterion = unique.into_filter().node;
        if self.def.holds_key {
            return Parent::<M, R>::connecting(self.def, criterion).into_related();
        }
        let op = if related_key_optional::<R>(self.def) { connect::Op::Set } else { connect::Op::Connect };
        connect::write::<M, R>(self.def, op, vec![criterion])
    }

    /// Creates the related record (with its own nested writes): before the record written
    /// when that one holds the key, after it otherwise.
    pub fn create(self, data: impl Into<CreateData<R, W>>) -> Related<M> {
        let row = data.into().into_row();
        if self.def.holds_key {
            return Parent::<M, R>::creating(self.def, row).into_related();
        }
        create::children::<M, R>(self.def, vec![row], false)
    }

    /// Connects the record `unique` names, or creates it from `data` when there is none.
    pub fn connect_or_create(self, unique: R::Unique, data: impl Into<CreateData<R, W>>) -> Related<M> {
        let criterion = unique.into_filter().node;
        let row = data.into().into_row();
        if self.def.holds_key {
            return Parent::<M, R>::connecting_or_creating(self.def, criterion, row).into_related();
        }
        create::connect_or_create::<M, R>(self.def, vec![(criterion, row)], related_key_optional::<R>(self.def))
    }

    /// Updates the related record; [`Error::RelatedNotFound`] when there is none.
    pub fn update(self, sets: impl IntoIterator<Item = Set<R>>) -> Related<M> {
        let change = change::Change::Update { filter: None, sets: sets.into_iter().collect(), one: true };
        change::change::<M, R>(self.def, vec![change])
    }

    /// Updates the related record, or creates it from `create` when there is none.
    pub fn upsert(self, create: impl Into<CreateData<R, W>>, sets: impl IntoIterator<Item = Set<R>>) -> Related<M> {
        let (create, sets) = (create.into().into_row(), sets.into_iter().collect());
        change::change::<M, R>(self.def, vec![change::Change::Upsert { filter: None, create, sets }])
    }

    /// Deletes the related record; [`Error::RelatedNotFound`] when there is none. Over the
    /// record's own required key the database refuses (or cascades to the record itself).
    pub fn delete(self) -> Related<M> {
        change::change::<M, R>(self.def, vec![change::Change::Delete { filter: None, one: true }])
    }
}

impl<M: Model, R: Model, W> ToOne<M, R, W, KeyOptional> {
    /// Disconnects the related record, if there is one: the key joining them is set to null.
    pub fn disconnect(self) -> Related<M> {
        if self.def.holds_key {
            return Parent::<M, R>::disconnecting(self.def).into_related();
        }
        connect::write::<M, R>(self.def, connect::Op::Set, Vec::new())
    }
}
