//! The per-model entry point: `db.user()` in a generated client returns a [`Delegate<User>`],
//! whose methods start each kind of query; a view's accessor returns a [`ViewDelegate`], which
//! only reads.

use crate::aggregate::{Aggregate, Fields, GroupBy};
use crate::db::Db;
use crate::model::{CreateData, Model};
use crate::read::{Count, FindFirst, FindMany, FindUnique, FindUniqueOrError};
use crate::write::{Create, CreateMany, Delete, DeleteMany, Update, UpdateMany, Upsert};

/// The reads models and views share.
macro_rules! reads {
    () => {
        /// The record a unique criterion names, or `None`.
        pub fn find_unique(&self, unique: M::Unique) -> FindUnique<M> {
            FindUnique::new(self.db.clone(), unique)
        }

        /// The record a unique criterion names, or [`crate::Error::NotFound`].
        pub fn find_unique_or_error(&self, unique: M::Unique) -> FindUniqueOrError<M> {
            FindUniqueOrError::new(self.db.clone(), unique)
        }

        pub fn find_first(&self) -> FindFirst<M> {
            FindFirst::new(self.db.clone())
        }

        pub fn find_many(&self) -> FindMany<M> {
            FindMany::new(self.db.clone())
        }

        pub fn count(&self) -> Count<M> {
            Count::new(self.db.clone())
        }

        /// Aggregates over the records: `.aggregate().count().sum(post::views)` returns
        /// `(u64, Option<i64>)`.
        pub fn aggregate(&self) -> Aggregate<M, ()> {
            Aggregate::new(self.db.clone())
        }

        /// Groups the records by a tuple of fields: `.group_by((post::status,)).count()` returns
        /// `Vec<((PostStatus,), (u64,))>`.
        pub fn group_by<K: Fields<M>>(&self, keys: K) -> GroupBy<M, K, ()> {
            GroupBy::new(self.db.clone(), keys)
        }
    };
}

/// The queries of model `M`.
pub struct Delegate<M: Model> {
    db: Db,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> Delegate<M> {
    pub fn new(db: Db) -> Self {
        Delegate { db, _marker: std::marker::PhantomData }
    }

    reads!();

    /// Creates a record from the generated `Create` struct (the required fields), with
    /// `.data(…)` or `Create::with(…)` for the others.
    pub fn create(&self, data: impl Into<CreateData<M>>) -> Create<M> {
        Create::new(self.db.clone(), data.into())
    }

    pub fn create_many<D: Into<CreateData<M>>>(&self, rows: impl IntoIterator<Item = D>) -> CreateMany<M> {
        CreateMany::new(self.db.clone(), rows.into_iter().map(Into::into).collect())
    }

    /// Like [`Delegate::create_many`], returning the created records in the order given (on
    /// MySQL too, read back by key in the same transaction).
    pub fn create_many_and_return<D: Into<CreateData<M>>>(
        &self,
        rows: impl IntoIterator<Item = D>,
    ) -> crate::CreateManyAndReturn<M> {
        crate::CreateManyAndReturn::new(self.db.clone(), rows.into_iter().map(Into::into).collect())
    }

    pub fn update(&self, unique: M::Unique) -> Update<M> {
        Update::new(self.db.clone(), unique)
    }

    pub fn update_many(&self) -> UpdateMany<M> {
        UpdateMany::new(self.db.clone())
    }

    /// Like [`Delegate::update_many`], returning the updated records as the update left them.
    pub fn update_many_and_return(&self) -> crate::UpdateManyAndReturn<M> {
        crate::UpdateManyAndReturn::new(self.db.clone())
    }

    /// Creates the record a unique criterion names, or updates it when it exists.
    pub fn upsert(&self, unique: M::Unique, create: impl Into<CreateData<M>>) -> Upsert<M> {
        Upsert::new(self.db.clone(), unique, create.into())
    }

    pub fn delete(&self, unique: M::Unique) -> Delete<M> {
        Delete::new(self.db.clone(), unique)
    }

    pub fn delete_many(&self) -> DeleteMany<M> {
        DeleteMany::new(self.db.clone())
    }
}

/// The queries of a view: reads only (a view is a saved query, not a table to write).
pub struct ViewDelegate<M: Model> {
    db: Db,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> ViewDelegate<M> {
    pub fn new(db: Db) -> Self {
        ViewDelegate { db, _marker: std::marker::PhantomData }
    }

    reads!();
}
