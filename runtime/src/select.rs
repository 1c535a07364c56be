//! `select` and `omit`: reading part of a record.
//!
//! A selection is a tuple of [`Pick`]s, each reading one element of the result: a field (its
//! column), a relation (its records, loaded one statement per level as includes are) or a
//! relation count. The query reads the fields' columns and the relations' key columns; each
//! element then turns the rows into its values, and the tuple zips them. So
//! `select((user::email, user::posts.load().take(3)))` is `Vec<(String, Vec<Post>)>`, with no
//! struct generated for it. `omit` reads every column but some into [`Partial`] records, whose
//! fields are read by field and refuse the omitted ones with [`Error::Omitted`].

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use crate::db::Db;
use crate::error::Error;
use crate::field::Field;
use crate::load::{Include, ParentKeys, Shape, from_columns};
use crate::model::Model;
use crate::read::FindMany;
use crate::relation::{RelationCount, ToMany, ToOne};
use crate::row::Row;
use crate::value::DbType;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One element of a selection: a field, a relation or a relation count of `M`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't be selected from `{M}`",
    label = "not a field, relation or relation count of `{M}`"
)]
pub trait Pick<M>: Send + Sync {
    type Value: Send;
    /// The columns of `M` it reads (a relation reads its key).
    fn columns(&self) -> Vec<usize>;
    /// Whether it loads related records (which `SELECT DISTINCT` can't tell apart).
    fn is_relation(&self) -> bool {
        true
    }
    /// Its value in each row, its columns starting at `offset`.
    fn values<'a>(
        &'a self,
        db: &'a Db,
        rows: &'a [Row],
        offset: usize,
    ) -> BoxFuture<'a, Result<Vec<Self::Value>, Error>>;
}

impl<M: Send + Sync, T: DbType + Sync + 'static> Pick<M> for Field<M, T> {
    type Value = T;
    fn columns(&self) -> Vec<usize> {
        vec![self.index()]
    }
    fn is_relation(&self) -> bool {
        false
    }
    fn values<'a>(&'a self, _: &'a Db, rows: &'a [Row], offset: usize) -> BoxFuture<'a, Result<Vec<T>, Error>> {
        Box::pin(std::future::ready(rows.iter().map(|row| T::decode(row, offset)).collect()))
    }
}

impl<M: Model, R: Model, S: Shape<R>> Pick<M> for Include<M, R, S> {
    type Value = S::Out;
    fn columns(&self) -> Vec<usize> {
        from_columns(self.def())
    }
    fn values<'a>(&'a self, db: &'a Db, rows: &'a [Row], offset: usize) -> BoxFuture<'a, Result<Vec<S::Out>, Error>> {
        Box::pin(async move { self.related(db, ParentKeys::of_rows::<M>(self.def(), rows, offset)?).await })
    }
}

macro_rules! pick_relation {
    ($ty:ident, $value:ty) => {
        impl<M: Model, R: Model, W, D> Pick<M> for $ty<M, R, W, D> {
            type Value = $value;
            fn columns(&self) -> Vec<usize> {
                from_columns(self.def)
            }
            fn values<'a>(
                &'a self,
                db: &'a Db,
                rows: &'a [Row],
                offset: usize,
            ) -> BoxFuture<'a, Result<Vec<$value>, Error>> {
                Box::pin(async move {
                    let include = self.load();
                    include.related(db, ParentKeys::of_rows::<M>(self.def, rows, offset)?).await
                })
            }
        }
    };
}
pick_relation!(ToMany, Vec<R>);
pick_relation!(ToOne, Option<R>);

impl<M: Model, R: Model> Pick<M> for RelationCount<M, R> {
    type Value = u64;
    fn columns(&self) -> Vec<usize> {
        from_columns(self.def)
    }
    fn values<'a>(&'a self, db: &'a Db, rows: &'a [Row], offset: usize) -> BoxFuture<'a, Result<Vec<u64>, Error>> {
        Box::pin(async move { self.counts(db, ParentKeys::of_rows::<M>(self.def, rows, offset)?).await })
    }
}

/// What `select` takes: a tuple of [`Pick`]s, read back as a tuple of their values.
pub trait Selection<M>: Send + Sync {
    type Values: Send;
    /// The columns the statement reads, element after element.
    fn columns(&self) -> Vec<usize>;
    fn has_relations(&self) -> bool;
    /// The tuples of `rows`, in order.
    fn values<'a>(&'a self, db: &'a Db, rows: &'a [Row]) -> BoxFuture<'a, Result<Vec<Self::Values>, Error>>;
}

macro_rules! selection {
    ($($t:ident $v:ident $i:tt),*) => {
        impl<M: Send + Sync, $($t: Pick<M>,)*> Selection<M> for ($($t,)*) {
            type Values = ($($t::Value,)*);
            fn columns(&self) -> Vec<usize> {
                let mut columns = Vec::new();
                $(columns.extend(self.$i.columns());)*
                columns
            }
            fn has_relations(&self) -> bool {
                $(self.$i.is_relation())||*
            }
            fn values<'a>(&'a self, db: &'a Db, rows: &'a [Row]) -> BoxFuture<'a, Result<Vec<Self::Values>, Error>> {
                Box::pin(async move {
                    let mut offset = 0;
                    $(
                        let mut $v = self.$i.values(db, rows, offset).await?.into_iter();
                        offset += self.$i.columns().len();
                    )*
                    let _ = offset;
                    let mut out = Vec::with_capacity(rows.len());
                    while let ($(Some($v),)*) = ($($v.next(),)*) {
                        out.push(($($v,)*));
                    }
                    Ok(out)
                })
            }
        }
    };
}
selection!(A a 0);
selection!(A a 0, B b 1);
selection!(A a 0, B b 1, C c 2);
selection!(A a 0, B b 1, C c 2, D d 3);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6, H h 7);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6, H h 7, I i 8);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6, H h 7, I i 8, J j 9);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6, H h 7, I i 8, J j 9, K k 10);
selection!(A a 0, B b 1, C c 2, D d 3, E e 4, F f 5, G g 6, H h 7, I i 8, J j 9, K k 10, L l 11);

/// `find_many().select(…)`: tuples of the selection's values.
pub struct SelectMany<M: Model, S> {
    find: FindMany<M>,
    selection: S,
    distinct: bool,
}

impl<M: Model, S: Selection<M>> SelectMany<M, S> {
    pub(crate) fn new(find: FindMany<M>, selection: S) -> Self {
        SelectMany { find, selection, distinct: false }
    }

    /// Leaves out repeated tuples (`SELECT DISTINCT`; fields only).
    pub fn distinct(mut self) -> Self {
        self.distinct = true;
        self
    }

    pub async fn exec(mut self) -> Result<Vec<S::Values>, Error> {
        if !self.find.includes.is_empty() {
            return Err(Error::Validation(
                "`select` names what it reads: select the relation (`.select((…, user::posts))`) instead of `include`"
                    .into(),
            ));
        }
        if self.distinct && self.selection.has_relations() {
            return Err(Error::Validation("`distinct()` of a selection compares fields: leave relations out".into()));
        }
        let columns = self.selection.columns();
        let rows = self.find.rows(&columns, self.distinct).await?;
        self.selection.values(&self.find.db, &rows).await
    }
}

/// `find_first().select(…)` / `find_unique(…).select(…)`: the selection of one record.
pub struct SelectOne<M: Model, S>(pub(crate) SelectMany<M, S>);

impl<M: Model, S: Selection<M>> SelectOne<M, S> {
    pub async fn exec(self) -> Result<Option<S::Values>, Error> {
        Ok(self.0.exec().await?.into_iter().next())
    }
}

/// A record read without some of its fields (`omit`): read the others with `get(field)`.
pub struct Partial<M> {
    row: Row,
    /// Where each column of `M` is in `row`; `None` for an omitted one.
    positions: std::sync::Arc<[Option<usize>]>,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Partial<M> {
    /// The value of `field`; [`Error::Omitted`] when the query left it out.
    pub fn get<T: DbType>(&self, field: Field<M, T>) -> Result<T, Error> {
        match self.positions.get(field.index()).copied().flatten() {
            Some(at) => T::decode(&self.row, at),
            None => Err(Error::Omitted {
                model: M::TABLE.model,
                field: M::TABLE.columns.get(field.index()).map_or("?", |c| c.field),
            }),
        }
    }

    /// Whether the query read `field`.
    pub fn has<T>(&self, field: Field<M, T>) -> bool {
        self.positions.get(field.index()).copied().flatten().is_some()
    }
}

impl<M> std::fmt::Debug for Partial<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Partial").field("positions", &self.positions).finish_non_exhaustive()
    }
}

/// `find_many().omit(…)`: records without some fields.
pub struct OmitMany<M: Model> {
    find: FindMany<M>,
    omitted: Vec<usize>,
}

impl<M: Model> OmitMany<M> {
    pub(crate) fn new(find: FindMany<M>, omitted: Vec<usize>) -> Self {
        OmitMany { find, omitted }
    }

    pub async fn exec(mut self) -> Result<Vec<Partial<M>>, Error> {
        if !self.find.includes.is_empty() {
            return Err(Error::Validation(
                "`omit` reads fields only: to read relations too, `select` the fields and relations".into(),
            ));
        }
        let columns: Vec<usize> = (0..M::TABLE.columns.len()).filter(|c| !self.omitted.contains(c)).collect();
        if columns.is_empty() {
            return Err(Error::Validation(format!("`omit` leaves no field of `{}` to read", M::TABLE.model)));
        }
        let mut positions = vec![None; M::TABLE.columns.len()];
        for (at, &c) in columns.iter().enumerate() {
            positions[c] = Some(at);
        }
        let positions: std::sync::Arc<[Option<usize>]> = positions.into();
        let rows = self.find.rows(&columns, false).await?;
        Ok(rows.into_iter().map(|row| Partial { row, positions: positions.clone(), _model: PhantomData }).collect())
    }
}

/// `find_first().omit(…)` / `find_unique(…).omit(…)`.
pub struct OmitOne<M: Model>(pub(crate) OmitMany<M>);

impl<M: Model> OmitOne<M> {
    pub async fn exec(self) -> Result<Option<Partial<M>>, Error> {
        Ok(self.0.exec().await?.into_iter().next())
    }
}
