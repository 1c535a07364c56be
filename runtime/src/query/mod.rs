//! A query as a value before it is text: the statements the client's builders produce, and
//! their one renderer ([`render`]).
//!
//! Builders (`read.rs`, `write.rs`) construct these nodes from typed fields and filters;
//! nothing else writes query SQL. The nodes name tables and columns by the generated
//! [`Table`]/[`Column`] statics and carry every value as a [`Value`], so the renderer can quote
//! each identifier through [`orm_db_schema::Dialect::push_identifier`] and turn each value into
//! a placeholder. Selects take table aliases, joins, `EXISTS` and scalar sub-selects,
//! projections, `GROUP BY`/`HAVING`: what relation filters, includes, counts and aggregates
//! are made of. What differs between dialects (placeholders, enum casts, case-sensitive text
//! matching, `NULLS FIRST`, `LIMIT` without `OFFSET`, `RETURNING`, upserts) is decided in
//! `render.rs` alone.

mod render;
#[cfg(test)]
mod tests;

pub(crate) use render::render;

use crate::model::{Column, Table};
use crate::value::Value;

/// A statement ready to run: SQL text and the values its placeholders bind, in order.
#[derive(Debug, Clone)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Value>,
}

/// Where a column is read from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    /// Unqualified: the statement reads one table.
    Bare,
    /// Qualified by the table's own name: the outer table of an unaliased statement, seen from
    /// a sub-select (whose own tables are aliased, so the name can only mean the outer one).
    Named(&'static Table),
    /// The table aliased `t<n>` in a statement over several tables (or a sub-select).
    Alias(u16),
    /// The existing row in an upsert's update: the table's name on PostgreSQL and SQLite
    /// (where a bare name would be ambiguous with the proposed row), bare on MySQL.
    Existing,
}

impl Scope {
    /// How a sub-select names this scope's table: by its alias, or by its name.
    pub(crate) fn qualified(self, table: &'static Table) -> Scope {
        match self {
            Scope::Bare => Scope::Named(table),
            other => other,
        }
    }
}

/// Hands out table aliases (`t0`, `t1`, …), unique within a statement.
#[derive(Debug, Default)]
pub(crate) struct Aliases(u16);

impl Aliases {
    /// Aliases after those a statement already uses (`t0` … `t<n-1>`).
    pub(crate) fn starting_at(n: u16) -> Aliases {
        Aliases(n)
    }

    pub(crate) fn next(&mut self) -> u16 {
        self.0 += 1;
        self.0 - 1
    }
}

/// The most parameters one statement may bind on each backend.
pub(crate) fn bind_limit(dialect: orm_db_schema::Dialect) -> usize {
    match dialect {
        orm_db_schema::Dialect::Sqlite => 32_766,
        orm_db_schema::Dialect::Postgres | orm_db_schema::Dialect::Mysql => 65_535,
    }
}

/// A column of a table, as some scope sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnRef {
    pub scope: Scope,
    pub column: &'static Column,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregate {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListOp {
    Has,
    HasSome,
    HasEvery,
    IsEmpty,
}

/// A type an aggregate's result is cast to, so every backend returns the same one.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastTo {
    BigInt,
    Double,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nulls {
    First,
    Last,
}

/// An expression: a condition, a value, a column, a sub-select.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Column(ColumnRef),
    /// A bound value. The column it meets, when there is one, lets PostgreSQL cast text to
    /// the column's enum type.
    Value(Value, Option<&'static Column>),
    /// The constant `1` (`SELECT 1` in `EXISTS`).
    One,
    Compare(Box<Expr>, CmpOp, Box<Expr>),
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    /// `expr` among `values`, all bound against `column`: one array parameter on PostgreSQL
    /// (`= ANY($1)`), `IN (?, …)` elsewhere. Callers keep the values under the bind limit.
    AnyOf {
        expr: Box<Expr>,
        values: Vec<Value>,
        column: &'static Column,
    },
    /// `(a, b)`: a row value, for composite keys.
    Tuple(Vec<Expr>),
    /// `contains` / `starts_with` / `ends_with`; wildcards in `value` match themselves.
    Text {
        expr: Box<Expr>,
        op: TextOp,
        value: String,
        insensitive: bool,
    },
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// True when empty.
    And(Vec<Expr>),
    /// False when empty.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `(e) IS NOT TRUE`: false or null.
    IsNotTrue(Box<Expr>),
    Exists(Box<Select>),
    /// A sub-select of one row and one column.
    Subquery(Box<Select>),
    /// SQLite: the rows of the select as one JSON array of arrays, one array of the select's
    /// items per row, in its order and within its `LIMIT`/`OFFSET` (an include read inside
    /// its parent's statement; `json_row.rs` reads it back).
    JsonRows(Box<Select>),
    Lower(Box<Expr>),
    Arithmetic(Box<Expr>, ArithOp, Box<Expr>),
    /// `COUNT(*)` when the argument is `None`.
    Aggregate(Aggregate, Option<Box<Expr>>),
    Cast(Box<Expr>, CastTo),
    /// A scalar-list condition (PostgreSQL arrays): `value` is the element for `Has`, a list
    /// otherwise.
    List {
        expr: Box<Expr>,
        op: ListOp,
        value: Value,
        column: &'static Column,
    },
}

impl Expr {
    pub(crate) fn column(scope: Scope, column: &'static Column) -> Expr {
        Expr::Column(ColumnRef { scope, column })
    }

    /// A value bound against `column` (for its enum type).
    pub(crate) fn value_for(value: Value, column: &'static Column) -> Expr {
        Expr::Value(value, Some(column))
    }

    pub(crate) fn compare(left: Expr, op: CmpOp, right: Expr) -> Expr {
        Expr::Compare(Box::new(left), op, Box::new(right))
    }

    pub(crate) fn eq(left: Expr, right: Expr) -> Expr {
        Expr::compare(left, CmpOp::Eq, right)
    }
}

/// A table in a `FROM` or a join, aliased `t<n>` when the statement reads several.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableRef {
    pub table: &'static Table,
    pub alias: Option<u16>,
}

impl TableRef {
    /// The scope its columns are read in.
    pub(crate) fn scope(self) -> Scope {
        self.alias.map_or(Scope::Bare, Scope::Alias)
    }
}

/// One entry of a select list.
#[derive(Debug, Clone)]
pub(crate) enum SelectItem {
    /// A column read back as its field's type (PostgreSQL enums come back as text).
    Column(ColumnRef),
    /// Any expression, optionally named.
    Expr(Expr, Option<&'static str>),
}

impl SelectItem {
    /// Every column of `table`, in the order `Model::from_row` reads them.
    pub(crate) fn all_columns(table: &'static Table, scope: Scope) -> Vec<SelectItem> {
        table.columns.iter().map(|column| SelectItem::Column(ColumnRef { scope, column })).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JoinKind {
    Inner,
}

#[derive(Debug, Clone)]
pub(crate) struct Join {
    pub kind: JoinKind,
    pub table: TableRef,
    pub on: Expr,
}

#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub expr: Expr,
    pub desc: bool,
    pub nulls: Option<Nulls>,
}

#[derive(Debug, Clone)]
pub(crate) struct Select {
    pub distinct: bool,
    pub items: Vec<SelectItem>,
    pub from: TableRef,
    pub joins: Vec<Join>,
    pub filter: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub order_by: Vec<Order>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// `FOR UPDATE`: the rows read stay locked until the transaction ends (MySQL's read of the
    /// keys an `update_many_and_return` then updates).
    pub for_update: bool,
}

impl Select {
    /// `SELECT <items> FROM <from>`, nothing else yet.
    pub(crate) fn new(from: TableRef, items: Vec<SelectItem>) -> Select {
        Select {
            distinct: false,
            items,
            from,
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            for_update: false,
        }
    }

    /// Every column of one unaliased table (what `Model::from_row` reads).
    pub(crate) fn records(table: &'static Table, filter: Option<Expr>) -> Select {
        let mut select = Select::new(TableRef { table, alias: None }, SelectItem::all_columns(table, Scope::Bare));
        select.filter = filter;
        select
    }

    /// `SELECT COUNT(*) FROM table WHERE filter`.
    pub(crate) fn count(table: &'static Table, filter: Option<Expr>) -> Select {
        let count = SelectItem::Expr(Expr::Aggregate(Aggregate::Count, None), None);
        let mut select = Select::new(TableRef { table, alias: None }, vec![count]);
        select.filter = filter;
        select
    }
}

/// `column = value` in an update.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub column: &'static Column,
    pub value: Expr,
}

/// What an insert does about a row that clashes with a unique constraint.
#[derive(Debug, Clone)]
pub(crate) enum Conflict {
    /// Leaves the row out (`ON CONFLICT DO NOTHING`, MySQL's `INSERT IGNORE`).
    Ignore,
    /// Updates the existing row instead (an upsert). With no assignments the row is still
    /// touched, so that it is returned.
    Update { target: Vec<&'static Column>, sets: Vec<Assignment> },
}

#[derive(Debug, Clone)]
pub(crate) struct Insert {
    pub table: &'static Table,
    pub columns: Vec<&'static Column>,
    /// Each row holds a value for every column of `columns`, in order.
    pub rows: Vec<Vec<Value>>,
    pub conflict: Option<Conflict>,
    /// `RETURNING` (PostgreSQL, SQLite); empty for none.
    pub returning: Vec<SelectItem>,
}

#[derive(Debug, Clone)]
pub(crate) struct Update {
    pub table: &'static Table,
    pub sets: Vec<Assignment>,
    pub filter: Option<Expr>,
    pub returning: Vec<SelectItem>,
}

#[derive(Debug, Clone)]
pub(crate) struct Delete {
    pub table: &'static Table,
    pub filter: Option<Expr>,
    pub returning: Vec<SelectItem>,
}

/// Any statement the renderer writes.
#[derive(Debug, Clone)]
pub(crate) enum Statement {
    Select(Select),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
}

impl From<Select> for Statement {
    fn from(s: Select) -> Statement {
        Statement::Select(s)
    }
}
impl From<Insert> for Statement {
    fn from(s: Insert) -> Statement {
        Statement::Insert(s)
    }
}
impl From<Update> for Statement {
    fn from(s: Update) -> Statement {
        Statement::Update(s)
    }
}
impl From<Delete> for Statement {
    fn from(s: Delete) -> Statement {
        Statement::Delete(s)
    }
}
