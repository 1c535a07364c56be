//! Relations: the generated `user::posts`, `post::author`, … constants, what a relation joins,
//! and the slots loaded relations live in.
//!
//! A relation is static data ([`RelationDef`]: which columns of the two tables meet, directly
//! or through an implicit many-to-many join table) plus a typed handle ([`ToMany`] or
//! [`ToOne`]) that knows the two models and where the loaded records go in the parent struct.
//! The handles build relation filters (`some` / `every` / `none`, `is` / `is_not`), sort keys
//! (`count()`) and includes (`load()`); `load.rs` runs the includes.

use std::marker::PhantomData;

use crate::error::Error;
use crate::field::{Filter, FilterNode, OrderBy};
use crate::load::{Include, Many, One};
use crate::model::{Model, Table};
use crate::query::{Aliases, Expr, Join, JoinKind, Scope, Select, SelectItem, TableRef};

/// How the rows of two tables are related.
#[derive(Debug)]
pub enum Link {
    /// `parent.columns[from[i]] = child.columns[to[i]]` for every `i`: a foreign key on
    /// either side (composite keys included).
    Direct { from: &'static [usize], to: &'static [usize] },
    /// An implicit many-to-many join table (`_PostToTag`): `table.columns[near]` holds the
    /// parent's `from` column, `table.columns[far]` the child's `to` column.
    Join { table: &'static Table, near: usize, far: usize, from: usize, to: usize },
}

/// A relation field as the runtime sees it.
#[derive(Debug)]
pub struct RelationDef {
    /// The parent model's name and the relation field's, for messages.
    pub model: &'static str,
    pub field: &'static str,
    pub link: Link,
    /// The parent's `from` columns are the foreign key (`Post.author`): a nested write of the
    /// related record sets them before the parent is written. Otherwise the related records
    /// hold the key (`User.posts`) or a join table does.
    pub holds_key: bool,
    /// The schema declares an index that finds the related records by their side of the link.
    /// SQLite reads includes inline (correlated sub-selects, one per parent row) only when it
    /// does: without one, each parent row would scan the related table.
    pub indexed: bool,
}

impl RelationDef {
    /// A relation over a foreign key: `parent.columns[from[i]] = child.columns[to[i]]`.
    pub const fn direct(
        model: &'static str,
        field: &'static str,
        from: &'static [usize],
        to: &'static [usize],
    ) -> Self {
        RelationDef { model, field, link: Link::Direct { from, to }, holds_key: false, indexed: true }
    }

    /// The same relation, with no index on the related records' side (see [`Self::indexed`]).
    pub const fn unindexed(mut self) -> Self {
        self.indexed = false;
        self
    }

    /// The same relation, its foreign key on the parent's side.
    pub const fn holding_key(mut self) -> Self {
        self.holds_key = true;
        self
    }

    pub(crate) fn not_loaded(&'static self) -> Error {
        Error::NotLoaded { model: self.model, relation: self.field }
    }
}

/// The join table of an implicit many-to-many relation (generated `Reference`s name it);
/// for another relation, an empty table without columns.
pub fn join_table(def: &'static RelationDef) -> &'static Table {
    static NONE: Table =
        Table { model: "", name: "", schema: None, columns: &[], primary_key: &[], uniques: &[], referenced_by: &[] };
    match &def.link {
        Link::Join { table, .. } => table,
        Link::Direct { .. } => &NONE,
    }
}

/// A relation that was or wasn't loaded by the query that read the record. Reading one that
/// wasn't is [`Error::NotLoaded`], through the generated accessor (`user.posts()?`).
///
/// The value is held behind a `dyn` box, so that a record's type doesn't contain its related
/// records' types: proving `Send`/`Sync` or drop-checking a record would otherwise walk every
/// model a chain of relations reaches, and a chain of 100 models overflows the compiler's
/// recursion limit (found by the compile measurement of `benches/`).
pub struct Loaded<T> {
    value: Option<Box<dyn Slot>>,
    _of: std::marker::PhantomData<fn() -> T>,
}

/// What a relation slot can hold: a record's related records, as `Vec<R>` or `Option<Box<R>>`.
#[doc(hidden)]
pub trait SlotValue: std::any::Any + Clone + PartialEq + std::fmt::Debug + Send + Sync {}

impl<T: std::any::Any + Clone + PartialEq + std::fmt::Debug + Send + Sync> SlotValue for T {}

/// A [`SlotValue`] with its type erased.
trait Slot: Send + Sync {
    fn as_any(&self) -> &dyn std::any::Any;
    fn clone_slot(&self) -> Box<dyn Slot>;
    fn eq_slot(&self, other: &dyn Slot) -> bool;
    fn fmt_slot(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result;
}

impl<T: SlotValue> Slot for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn clone_slot(&self) -> Box<dyn Slot> {
        Box::new(self.clone())
    }
    fn eq_slot(&self, other: &dyn Slot) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
    fn fmt_slot(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded { value: None, _of: std::marker::PhantomData }
    }
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        Loaded { value: self.value.as_ref().map(|v| v.clone_slot()), _of: std::marker::PhantomData }
    }
}

impl<T> PartialEq for Loaded<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.value, &other.value) {
            (Some(a), Some(b)) => a.eq_slot(&**b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl<T> std::fmt::Debug for Loaded<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(v) => {
                f.write_str("Loaded(")?;
                v.fmt_slot(f)?;
                f.write_str(")")
            }
            None => f.write_str("NotLoaded"),
        }
    }
}

impl<T: SlotValue> Loaded<T> {
    /// A loaded relation.
    pub fn new(value: T) -> Self {
        Loaded { value: Some(Box::new(value)), _of: std::marker::PhantomData }
    }
}

impl<T: 'static> Loaded<T> {
    /// The loaded value, or `None` when the query didn't include the relation.
    pub fn get(&self) -> Option<&T> {
        self.value.as_deref().and_then(|v| v.as_any().downcast_ref())
    }
}

impl<T> Loaded<T> {
    /// A relation the query didn't include.
    pub fn not_loaded() -> Self {
        Self::default()
    }

    pub fn is_loaded(&self) -> bool {
        self.value.is_some()
    }

    pub fn is_not_loaded(&self) -> bool {
        !self.is_loaded()
    }
}

impl<T: SlotValue + serde::Serialize> serde::Serialize for Loaded<T> {
    /// A relation that wasn't loaded serializes as `null` (generated structs skip it).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            Some(v) => v.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de, T: SlotValue + serde::Deserialize<'de>> serde::Deserialize<'de> for Loaded<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Loaded::new)
    }
}

/// Reads a to-many slot: the accessor generated code calls.
pub fn loaded_many<'a, R: 'static>(slot: &'a Loaded<Vec<R>>, def: &'static RelationDef) -> Result<&'a [R], Error> {
    slot.get().map(Vec::as_slice).ok_or_else(|| def.not_loaded())
}

/// Reads an optional to-one slot.
pub fn loaded_optional<'a, R: 'static>(
    slot: &'a Loaded<Option<Box<R>>>,
    def: &'static RelationDef,
) -> Result<Option<&'a R>, Error> {
    slot.get().map(|r| r.as_deref()).ok_or_else(|| def.not_loaded())
}

/// Reads a required to-one slot (the foreign key guarantees the record).
pub fn loaded_required<'a, R: 'static>(
    slot: &'a Loaded<Option<Box<R>>>,
    def: &'static RelationDef,
) -> Result<&'a R, Error> {
    match slot.get() {
        Some(Some(r)) => Ok(r),
        Some(None) => Err(Error::Validation(format!(
            "`{}.{}` is required, but its record is missing (is a foreign key missing?)",
            def.model, def.field
        ))),
        None => Err(def.not_loaded()),
    }
}

/// `SELECT <items> FROM child AS t<n>` joined to the parent rows in `parent_scope`: the
/// sub-select of relation filters and counts. `child` is the child table's alias; a join
/// table, when the relation has one, gets the next alias.
pub(crate) fn related_select(
    def: &'static RelationDef,
    parent: &'static Table,
    parent_scope: Scope,
    child: TableRef,
    items: Vec<SelectItem>,
    aliases: &mut Aliases,
) -> Select {
    let mut select = Select::new(child, items);
    let child_scope = child.scope();
    let link = match &def.link {
        Link::Direct { from, to } => Expr::And(
            from.iter()
                .zip(to.iter())
                .map(|(&f, &t)| {
                    Expr::eq(
                        Expr::column(child_scope, &child.table.columns[t]),
                        Expr::column(parent_scope, &parent.columns[f]),
                    )
                })
                .collect(),
        ),
        Link::Join { table, near, far, from, to } => {
            let join = TableRef { table, alias: Some(aliases.next()) };
            select.joins.push(Join {
                kind: JoinKind::Inner,
                table: join,
                on: Expr::eq(
                    Expr::column(join.scope(), &table.columns[*far]),
                    Expr::column(child_scope, &child.table.columns[*to]),
                ),
            });
            Expr::eq(
                Expr::column(join.scope(), &table.columns[*near]),
                Expr::column(parent_scope, &parent.columns[*from]),
            )
        }
    };
    select.filter = Some(link);
    select
}

/// The quantifiers of relation filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quantifier {
    /// Some related record matches (`some`, `is`).
    Some,
    /// No related record matches (`none`, `is_not`).
    None,
    /// Every related record matches (`every`; true without related records).
    Every,
}

/// A to-many relation of `M` (`user::posts`, `post::tags`). `W` is what a nested create of
/// its records takes (`post::CreateWithoutAuthor`: the parent fills in the key), `D` whether
/// its records can be disconnected ([`KeyOptional`]) or not ([`KeyRequired`]).
pub struct ToMany<M, R, W, D> {
    pub(crate) def: &'static RelationDef,
    pub(crate) slot: fn(&mut M) -> &mut Loaded<Vec<R>>,
    _input: PhantomData<fn() -> (W, D)>,
}

/// A to-one relation of `M` (`post::author`, `user::profile`); `W` and `D` as for [`ToMany`].
pub struct ToOne<M, R, W, D> {
    pub(crate) def: &'static RelationDef,
    pub(crate) slot: fn(&mut M) -> &mut Loaded<Option<Box<R>>>,
    _input: PhantomData<fn() -> (W, D)>,
}

/// A relation whose records can be disconnected: the key that joins them is optional (or a
/// join table's).
#[derive(Debug, Clone, Copy)]
pub enum KeyOptional {}

/// A relation whose records can't be disconnected, only moved or deleted: the key that joins
/// them is required.
#[derive(Debug, Clone, Copy)]
pub enum KeyRequired {}

macro_rules! copy {
    ($ty:ident) => {
        impl<M, R, W, D> Clone for $ty<M, R, W, D> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<M, R, W, D> Copy for $ty<M, R, W, D> {}
    };
}
copy!(ToMany);
copy!(ToOne);

fn relation_filter<M, R: Model>(def: &'static RelationDef, quantifier: Quantifier, filter: Filter<R>) -> Filter<M> {
    Filter::from_node(FilterNode::Relation { def, target: R::TABLE, quantifier, filter: Box::new(filter.node) })
}

impl<M: Model, R: Model, W, D> ToMany<M, R, W, D> {
    pub const fn new(def: &'static RelationDef, slot: fn(&mut M) -> &mut Loaded<Vec<R>>) -> Self {
        ToMany { def, slot, _input: PhantomData }
    }

    pub const fn def(self) -> &'static RelationDef {
        self.def
    }

    /// Records with at least one related record matching `filter` (`EXISTS`).
    pub fn some(self, filter: Filter<R>) -> Filter<M> {
        relation_filter(self.def, Quantifier::Some, filter)
    }

    /// Records whose related records all match `filter` (also those without any).
    pub fn every(self, filter: Filter<R>) -> Filter<M> {
        relation_filter(self.def, Quantifier::Every, filter)
    }

    /// Records without a related record matching `filter`.
    pub fn none(self, filter: Filter<R>) -> Filter<M> {
        relation_filter(self.def, Quantifier::None, filter)
    }

    /// Records with at least one related record.
    pub fn exists(self) -> Filter<M> {
        relation_filter(self.def, Quantifier::Some, crate::field::and::<R>([]))
    }

    /// The number of related records: a sort key (`.order_by(user::posts.count().desc())`),
    /// or loaded with each record (`.include(user::posts.count())`, read with
    /// `user._count.get(user::posts)`; one count per relation, as in Prisma's `_count`: a
    /// later one replaces an earlier); `.filter(…)` counts only some.
    pub fn count(self) -> RelationCount<M, R> {
        RelationCount { def: self.def, filter: None, _marker: PhantomData }
    }

    /// Includes the related records in what a query returns: `.include(user::posts.load()…)`.
    pub fn load(self) -> Include<M, R, Many> {
        Include::new(self.def, self.slot)
    }
}

impl<M: Model, R: Model, W, D> ToOne<M, R, W, D> {
    pub const fn new(def: &'static RelationDef, slot: fn(&mut M) -> &mut Loaded<Option<Box<R>>>) -> Self {
        ToOne { def, slot, _input: PhantomData }
    }

    pub const fn def(self) -> &'static RelationDef {
        self.def
    }

    /// Records whose related record exists and matches `filter`.
    pub fn is(self, filter: Filter<R>) -> Filter<M> {
        relation_filter(self.def, Quantifier::Some, filter)
    }

    /// Records whose related record doesn't match `filter`, or that have none.
    pub fn is_not(self, filter: Filter<R>) -> Filter<M> {
        relation_filter(self.def, Quantifier::None, filter)
    }

    /// Records that have a related record.
    pub fn exists(self) -> Filter<M> {
        relation_filter(self.def, Quantifier::Some, crate::field::and::<R>([]))
    }

    /// Records that have no related record.
    pub fn is_null(self) -> Filter<M> {
        relation_filter(self.def, Quantifier::None, crate::field::and::<R>([]))
    }

    /// Includes the related record in what a query returns.
    pub fn load(self) -> Include<M, R, One> {
        Include::new(self.def, self.slot)
    }
}

/// The number of a record's related records, to sort by or to load.
pub struct RelationCount<M, R> {
    pub(crate) def: &'static RelationDef,
    pub(crate) filter: Option<FilterNode>,
    _marker: PhantomData<fn() -> (M, R)>,
}

impl<M, R: Model> RelationCount<M, R> {
    /// Counts only the related records matching `filter`.
    pub fn filter(mut self, filter: Filter<R>) -> Self {
        self.filter = Some(FilterNode::conjoin(self.filter.take(), filter.node));
        self
    }

    pub fn asc(self) -> OrderBy<M> {
        OrderBy::relation_count(self.def, R::TABLE, self.filter, false)
    }
    pub fn desc(self) -> OrderBy<M> {
        OrderBy::relation_count(self.def, R::TABLE, self.filter, true)
    }
}

/// The relation counts a query loaded with a record (`.include(user::posts.count())`),
/// serialized as Prisma's `_count` object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counts(Vec<(String, u64)>);

impl Counts {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The loaded count of `relation`; [`Error::NotLoaded`] when the query didn't count it.
    pub fn get<M, R, W, D>(&self, relation: ToMany<M, R, W, D>) -> Result<u64, Error> {
        let def = relation.def;
        self.0.iter().find(|(name, _)| name == def.field).map(|(_, n)| *n).ok_or_else(|| def.not_loaded())
    }

    pub(crate) fn set(&mut self, field: &str, n: u64) {
        match self.0.iter_mut().find(|(name, _)| name == field) {
            Some(slot) => slot.1 = n,
            None => self.0.push((field.to_owned(), n)),
        }
    }
}

impl serde::Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, n) in &self.0 {
            map.serialize_entry(name, n)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, u64>::deserialize(deserializer)?;
        Ok(Counts(map.into_iter().collect()))
    }
}
