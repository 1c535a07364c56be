//! What a generated model tells the runtime: its table as static data, and how to decode a row.
//!
//! Generated code is mostly this data; every query builder in the runtime is generic over
//! [`Model`] and reads table and column names from here, so the SQL for all models is built by
//! one tested code path instead of per-model generated strings.

use crate::error::Error;
use crate::field::{Filter, Set};
use crate::row::Row;
use std::marker::PhantomData;

use crate::value::{ScalarKind, Value};

/// A table as the generated client knows it.
#[derive(Debug)]
pub struct Table {
    /// The model's name in the schema (used in error messages).
    pub model: &'static str,
    /// The table's name in the database (`@@map`).
    pub name: &'static str,
    /// The PostgreSQL schema (`@@schema`), when not the default one.
    pub schema: Option<&'static str>,
    pub columns: &'static [Column],
    /// Indexes into `columns`.
    pub primary_key: &'static [usize],
    /// The unique constraints and indexes, primary key included, to name the fields of a
    /// unique violation.
    pub uniques: &'static [Unique],
    /// Under `relationMode = "prisma"`, the foreign keys that point at this table, whose
    /// referential actions the client carries out (the database has no foreign keys); empty
    /// otherwise, where the database carries them out.
    pub referenced_by: &'static [Reference],
}

/// A foreign key pointing at a table, as the client emulates it.
#[derive(Debug)]
pub struct Reference {
    /// The table holding the key (a model's, or an implicit many-to-many join table).
    pub table: fn() -> &'static Table,
    /// The relation field holding it (`Comment.post`), for messages.
    pub relation: &'static str,
    /// The key's columns, in `table`.
    pub columns: &'static [usize],
    /// The columns it references, in the table pointed at.
    pub references: &'static [usize],
    pub on_delete: Action,
    pub on_update: Action,
}

/// A referential action (`onDelete`, `onUpdate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

impl Table {
    /// The fields of the unique constraint called `name`, or of the one over exactly
    /// `columns` (SQLite reports columns, the others constraint names).
    pub(crate) fn unique_fields(&self, name: Option<&str>, columns: &[&str]) -> Vec<&'static str> {
        // MySQL calls every primary key `PRIMARY`; 8.0 prefixes index names with the table's.
        let by_name = name.and_then(|n| {
            if n == "PRIMARY" {
                return self.uniques.iter().find(|u| u.columns == self.primary_key);
            }
            self.uniques.iter().find(|u| u.name == n || n.strip_suffix(u.name).is_some_and(|p| p.ends_with('.')))
        });
        let by_columns = || {
            self.uniques.iter().find(|u| {
                u.columns.len() == columns.len() && u.columns.iter().all(|&i| columns.contains(&self.columns[i].name))
            })
        };
        match by_name.or_else(by_columns) {
            Some(u) => u.columns.iter().map(|&i| self.columns[i].field).collect(),
            None => Vec::new(),
        }
    }
}

/// A unique criterion of a table.
#[derive(Debug)]
pub struct Unique {
    /// The constraint or index name in the database.
    pub name: &'static str,
    /// Indexes into the table's columns.
    pub columns: &'static [usize],
}

/// A scalar field and the column it is stored in.
#[derive(Debug)]
pub struct Column {
    /// The field's name in the schema.
    pub field: &'static str,
    /// The column's name in the database (`@map`).
    pub name: &'static str,
    pub kind: ScalarKind,
    /// For enum columns on PostgreSQL: the enum type's name, so bound text is cast to it.
    pub enum_type: Option<&'static str>,
    pub nullable: bool,
    pub list: bool,
    pub autoincrement: bool,
    /// A value the client computes when a create doesn't give one.
    pub client_default: Option<ClientDefault>,
    /// The length of `nanoid()` values (21 unless the schema says otherwise).
    pub nanoid_length: u8,
    /// `@updatedAt`: set to the current time by every create and update.
    pub updated_at: bool,
}

impl Column {
    /// A required scalar column; the `const` methods below set the rest, so generated tables
    /// stay short: `Column::new("email", "email", ScalarKind::String).optional()`.
    pub const fn new(field: &'static str, name: &'static str, kind: ScalarKind) -> Column {
        Column {
            field,
            name,
            kind,
            enum_type: None,
            nullable: false,
            list: false,
            autoincrement: false,
            client_default: None,
            nanoid_length: 21,
            updated_at: false,
        }
    }

    pub const fn optional(mut self) -> Column {
        self.nullable = true;
        self
    }

    pub const fn list(mut self) -> Column {
        self.list = true;
        self
    }

    pub const fn enum_type(mut self, name: &'static str) -> Column {
        self.enum_type = Some(name);
        self
    }

    pub const fn autoincrement(mut self) -> Column {
        self.autoincrement = true;
        self
    }

    pub const fn client_default(mut self, default: ClientDefault) -> Column {
        self.client_default = Some(default);
        self
    }

    pub const fn nanoid_length(mut self, length: u8) -> Column {
        self.nanoid_length = length;
        self
    }

    pub const fn updated_at(mut self) -> Column {
        self.updated_at = true;
        self
    }
}

/// Defaults Prisma computes in the client rather than the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientDefault {
    /// `uuid()`: a random (version 4) UUID.
    Uuid,
    /// `uuid(7)`: a time-ordered (version 7) UUID.
    UuidV7,
    /// `cuid()`: a collision-resistant id, 25 characters starting with `c`.
    Cuid,
    /// `cuid(2)`: the second version of cuid.
    Cuid2,
    /// `ulid()`: a time-ordered id in Crockford's base 32.
    Ulid,
    /// `nanoid()`: a random URL-safe id, of the column's `nanoid_length`.
    Nanoid,
    /// `now()`: the current time, taken once per statement.
    Now,
}

impl ClientDefault {
    pub(crate) fn value(self, column: &Column, now: chrono::DateTime<chrono::Utc>) -> Value {
        match self {
            ClientDefault::Uuid => Value::String(uuid::Uuid::new_v4().to_string()),
            ClientDefault::UuidV7 => Value::String(uuid::Uuid::now_v7().to_string()),
            // cuid1 fails only when it cannot read the host name for its fingerprint.
            ClientDefault::Cuid => Value::String(cuid::cuid1().unwrap_or_else(|_| cuid::cuid2())),
            ClientDefault::Cuid2 => Value::String(cuid::cuid2()),
            ClientDefault::Ulid => Value::String(ulid::Ulid::new().to_string()),
            ClientDefault::Nanoid => Value::String({
                let length = usize::from(column.nanoid_length);
                nanoid::nanoid!(length)
            }),
            ClientDefault::Now => Value::DateTime(now),
        }
    }
}

/// A generated model struct.
pub trait Model: Sized + Clone + PartialEq + std::fmt::Debug + Send + Sync + Unpin + 'static {
    const TABLE: &'static Table;
    /// The generated `Create` struct: the fields a create must give.
    type Create: CreateInput<Self>;
    /// The generated `UniqueWhere` enum: one variant per unique criterion.
    type Unique: UniqueInput<Self>;

    /// Decodes a row whose columns are [`Model::TABLE`]'s, in order, starting at `offset`.
    fn from_row(row: &Row, offset: usize) -> Result<Self, Error>;

    /// The record's relation counts (`_count`), for models with to-many relations.
    fn counts(&mut self) -> Option<&mut crate::relation::Counts> {
        None
    }

    /// The value of the field stored in column `column`, for the columns relations join on
    /// (the loader reads keys with it); a null for the others.
    fn value(&self, column: usize) -> Value;
}

/// The fields of a create a generated input struct gives (`post::Create`,
/// `post::CreateWithoutAuthor`), as column values and the parent records to find or create
/// first.
pub trait CreateInput<M>: Send + 'static {
    fn into_values(self, out: &mut CreateValues<M>);
}

/// What a create input gives: `(column index, value)` pairs, and the parents a nested
/// `connect` or `create` of a to-one relation names, whose keys are known once they are
/// found or written.
pub struct CreateValues<M> {
    pub(crate) values: Vec<(usize, Value)>,
    pub(crate) parents: Vec<crate::nested::ParentWrite<M>>,
}

impl<M> CreateValues<M> {
    pub fn push(&mut self, column: usize, value: Value) {
        self.values.push((column, value));
    }
}

/// A unique criterion with its values.
pub trait UniqueInput<M>: Send {
    /// The criterion's columns (an upsert's conflict target).
    fn columns(&self) -> &'static [usize];
    fn into_filter(self) -> Filter<M>;
}

/// The `Create` of a view and the `Unique` of a model without unique criteria: there is no
/// value of it, so nothing can be created or looked up by it.
#[derive(Debug, Clone, Copy)]
pub enum ReadOnly {}

impl<M: 'static> CreateInput<M> for ReadOnly {
    fn into_values(self, _: &mut CreateValues<M>) {
        match self {}
    }
}

impl<M> UniqueInput<M> for ReadOnly {
    fn columns(&self) -> &'static [usize] {
        match *self {}
    }
    fn into_filter(self) -> Filter<M> {
        match self {}
    }
}

/// A row to create: what an input struct gives (`C`: `post::Create` for a create of its own,
/// `post::CreateWithoutAuthor` inside a nested create of `user::posts`, where the parent
/// fills in the key), plus optional fields set with [`CreateExt::with`] and nested writes of
/// related records.
pub struct CreateData<M: Model, C = <M as Model>::Create> {
    pub(crate) row: Pending<M>,
    _input: PhantomData<fn() -> C>,
}

/// A row to create, whatever its input struct was.
pub(crate) struct Pending<M> {
    pub(crate) values: Vec<(usize, Value)>,
    pub(crate) extra: Vec<Set<M>>,
    /// Parents to find or create before the insert; each gives key columns.
    pub(crate) parents: Vec<crate::nested::ParentWrite<M>>,
    /// Nested writes of related records, run after the insert in its transaction.
    pub(crate) related: Vec<crate::nested::Related<M>>,
}

impl<M> Clone for Pending<M> {
    fn clone(&self) -> Self {
        Pending {
            values: self.values.clone(),
            extra: self.extra.clone(),
            parents: self.parents.clone(),
            related: self.related.clone(),
        }
    }
}

impl<M> Pending<M> {
    /// Whether the row writes only itself: no parent to find first, no related records after.
    pub(crate) fn is_alone(&self) -> bool {
        self.parents.is_empty() && self.related.is_empty()
    }
}

impl<M: Model, C> Clone for CreateData<M, C> {
    fn clone(&self) -> Self {
        CreateData { row: self.row.clone(), _input: PhantomData }
    }
}

impl<M: Model, C> std::fmt::Debug for CreateData<M, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateData")
            .field("model", &M::TABLE.model)
            .field("values", &self.row.values)
            .field("parents", &self.row.parents.len())
            .field("related", &self.row.related.len())
            .finish()
    }
}

impl<M: Model, C: CreateInput<M>> CreateData<M, C> {
    /// The fields an input struct gives.
    pub fn new(input: C) -> Self {
        let mut out = CreateValues { values: Vec::with_capacity(M::TABLE.columns.len()), parents: Vec::new() };
        input.into_values(&mut out);
        let row = Pending { values: out.values, extra: Vec::new(), parents: out.parents, related: Vec::new() };
        CreateData { row, _input: PhantomData }
    }
}

impl<M: Model, C> CreateData<M, C> {
    /// Also sets an optional field (or one with a default).
    pub fn with(mut self, set: Set<M>) -> Self {
        self.row.extra.push(set);
        self
    }

    /// Also writes related records: `user::posts.create([…])`, `post::tags.connect([…])`.
    pub fn related(mut self, write: crate::nested::Related<M>) -> Self {
        self.row.related.push(write);
        self
    }

    pub(crate) fn into_row(self) -> Pending<M> {
        self.row
    }
}

impl<M: Model, C: CreateInput<M>> From<C> for CreateData<M, C> {
    fn from(input: C) -> Self {
        CreateData::new(input)
    }
}

/// `user::Create { .. }.with(user::name.set("Alice"))`.
pub trait CreateExt<M: Model>: Sized {
    type Input;
    fn with(self, set: Set<M>) -> CreateData<M, Self::Input>;
    /// `post::Create { .. }.related(post::tags.connect([…]))`.
    fn related(self, write: crate::nested::Related<M>) -> CreateData<M, Self::Input>;
}

impl<M: Model, C: CreateInput<M>> CreateExt<M> for C {
    type Input = C;
    fn with(self, set: Set<M>) -> CreateData<M, C> {
        CreateData::new(self).with(set)
    }
    fn related(self, write: crate::nested::Related<M>) -> CreateData<M, C> {
        CreateData::new(self).related(write)
    }
}
