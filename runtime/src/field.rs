//! Typed fields: the values of the generated `user::email`, `post::views`, … constants.
//!
//! A [`Field<M, T>`] is a column index tagged with its model and Rust type, so a filter on
//! another model's field, or with a value of the wrong type, doesn't compile. Its methods build
//! [`Filter`]s, [`OrderBy`]s and [`Set`]s: plain data, lowered to the query AST (`query/`)
//! against the table (and the alias) a statement reads.

use std::marker::PhantomData;

use crate::error::Error;
use crate::model::Table;
use crate::query::{
    Aggregate, Aliases, ArithOp, Assignment, CmpOp, Expr, ListOp, Nulls, Order, Scope, SelectItem, TableRef, TextOp,
};
use crate::relation::{Quantifier, RelationDef, related_select};
use crate::value::{DbType, Numeric, Ordered, Text, Value};

/// Types a filter compares with: scalars and enums ([`FieldValue::Inner`] is the type itself)
/// and optional ones (`Inner` is the type inside the `Option`).
pub trait FieldValue {
    type Inner: DbType;
}

/// A scalar field type other than `Option` and lists.
pub trait Scalar: DbType {}
impl Scalar for i32 {}
impl Scalar for i64 {}
impl Scalar for f64 {}
impl Scalar for String {}
impl Scalar for bool {}
impl Scalar for Vec<u8> {}
impl Scalar for serde_json::Value {}
impl Scalar for rust_decimal::Decimal {}
impl Scalar for chrono::DateTime<chrono::Utc> {}

impl<T: Scalar> FieldValue for T {
    type Inner = T;
}
impl<T: Scalar> FieldValue for Option<T> {
    type Inner = T;
}

/// A field of model `M` whose Rust type is `T`.
pub struct Field<M, T> {
    index: usize,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Field<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for Field<M, T> {}

impl<M, T> Field<M, T> {
    /// The field stored in column `index` of the model's table.
    pub const fn new(index: usize) -> Self {
        Field { index, _marker: PhantomData }
    }

    pub(crate) fn index(self) -> usize {
        self.index
    }

    pub fn asc(self) -> OrderBy<M> {
        OrderBy::new(self.index, false)
    }

    /// The number of non-null values, in `group_by`'s `having` and `order_by`.
    pub fn count(self) -> AggregateOf<M, i64> {
        AggregateOf::new(Aggregate::Count, self.index)
    }

    pub fn desc(self) -> OrderBy<M> {
        OrderBy::new(self.index, true)
    }

    fn filter(self, node: FilterNode) -> Filter<M> {
        Filter::from_node(node)
    }

    fn compare(self, op: CmpOp, value: Value) -> Filter<M> {
        self.filter(FilterNode::Compare { column: self.index, op, value, insensitive: false })
    }

    fn assign(self, op: SetOp) -> Set<M> {
        Set { column: self.index, op, _marker: PhantomData }
    }
}

impl<M, T: FieldValue> Field<M, T> {
    pub fn equals(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Eq, value.into().into_value())
    }

    /// Not equal. A null value is neither equal nor unequal, as in SQL and Prisma.
    pub fn not(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Ne, value.into().into_value())
    }

    pub fn in_(self, values: impl IntoIterator<Item = impl Into<T::Inner>>) -> Filter<M> {
        let values = values.into_iter().map(|v| v.into().into_value()).collect();
        self.filter(FilterNode::In { column: self.index, values, negated: false })
    }

    pub fn not_in(self, values: impl IntoIterator<Item = impl Into<T::Inner>>) -> Filter<M> {
        let values = values.into_iter().map(|v| v.into().into_value()).collect();
        self.filter(FilterNode::In { column: self.index, values, negated: true })
    }

    /// Sets the field (in an update, an upsert, or `Create::with`).
    pub fn set(self, value: impl Into<T::Inner>) -> Set<M> {
        self.assign(SetOp::Value(value.into().into_value()))
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: Ordered,
{
    pub fn lt(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Lt, value.into().into_value())
    }
    pub fn lte(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Lte, value.into().into_value())
    }
    pub fn gt(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Gt, value.into().into_value())
    }
    pub fn gte(self, value: impl Into<T::Inner>) -> Filter<M> {
        self.compare(CmpOp::Gte, value.into().into_value())
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: Text,
{
    /// Case-sensitive on every backend (SQLite's and MySQL's `LIKE` are not; `orm` makes them so).
    pub fn contains(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::Contains, value.into(), false)
    }
    pub fn starts_with(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::StartsWith, value.into(), false)
    }
    pub fn ends_with(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::EndsWith, value.into(), false)
    }

    /// The same text filters, ignoring case (Prisma's `mode: 'insensitive'`).
    pub fn insensitive(self) -> Insensitive<M> {
        Insensitive { index: self.index, _marker: PhantomData }
    }

    fn text(self, op: TextOp, value: String, insensitive: bool) -> Filter<M> {
        self.filter(FilterNode::Text { column: self.index, op, value, insensitive })
    }
}

/// A text field compared without regard to case. SQLite folds ASCII letters only.
pub struct Insensitive<M> {
    index: usize,
    _marker: PhantomData<fn() -> M>,
}

impl<M> Insensitive<M> {
    fn text(self, op: TextOp, value: String) -> Filter<M> {
        Filter::from_node(FilterNode::Text { column: self.index, op, value, insensitive: true })
    }
    pub fn equals(self, value: impl Into<String>) -> Filter<M> {
        let value = Value::String(value.into());
        Filter::from_node(FilterNode::Compare { column: self.index, op: CmpOp::Eq, value, insensitive: true })
    }
    pub fn contains(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::Contains, value.into())
    }
    pub fn starts_with(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::StartsWith, value.into())
    }
    pub fn ends_with(self, value: impl Into<String>) -> Filter<M> {
        self.text(TextOp::EndsWith, value.into())
    }
}

impl<M, T: Scalar> Field<M, Option<T>> {
    pub fn is_null(self) -> Filter<M> {
        self.filter(FilterNode::Null { column: self.index, negated: false })
    }
    pub fn is_not_null(self) -> Filter<M> {
        self.filter(FilterNode::Null { column: self.index, negated: true })
    }
    pub fn set_null(self) -> Set<M> {
        self.assign(SetOp::Value(Value::Null(T::KIND)))
    }
}

impl<M, T: crate::value::ListElement> Field<M, Vec<T>> {
    /// Replaces a scalar list.
    pub fn set_list(self, values: Vec<T>) -> Set<M> {
        self.assign(SetOp::Value(values.into_value()))
    }

    fn list(self, op: ListOp, value: Value) -> Filter<M> {
        self.filter(FilterNode::List { column: self.index, op, value })
    }

    /// The list holds `value` (PostgreSQL's scalar lists).
    pub fn has(self, value: impl Into<T>) -> Filter<M> {
        self.list(ListOp::Has, value.into().into_value())
    }

    /// The list holds at least one of `values`.
    pub fn has_some(self, values: Vec<T>) -> Filter<M> {
        self.list(ListOp::HasSome, values.into_value())
    }

    /// The list holds every one of `values`.
    pub fn has_every(self, values: Vec<T>) -> Filter<M> {
        self.list(ListOp::HasEvery, values.into_value())
    }

    /// The list is empty.
    pub fn is_empty(self) -> Filter<M> {
        self.list(ListOp::IsEmpty, Value::List(T::KIND, Vec::new()))
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: crate::aggregate::Summable,
{
    /// The field's sum, in `group_by`'s `having` and `order_by`.
    pub fn sum(self) -> AggregateOf<M, <T::Inner as crate::aggregate::Summable>::Sum> {
        AggregateOf::new(Aggregate::Sum, self.index)
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: crate::aggregate::Averageable,
{
    /// The field's average, in `group_by`'s `having` and `order_by`.
    pub fn avg(self) -> AggregateOf<M, <T::Inner as crate::aggregate::Averageable>::Avg> {
        AggregateOf::new(Aggregate::Avg, self.index)
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: Ordered,
{
    /// The field's smallest value, in `group_by`'s `having` and `order_by`.
    pub fn min(self) -> AggregateOf<M, T::Inner> {
        AggregateOf::new(Aggregate::Min, self.index)
    }

    /// The field's largest value, in `group_by`'s `having` and `order_by`.
    pub fn max(self) -> AggregateOf<M, T::Inner> {
        AggregateOf::new(Aggregate::Max, self.index)
    }
}

/// An aggregate of a field over a group, compared with a `V`, or sorted by.
pub struct AggregateOf<M, V> {
    function: Aggregate,
    column: usize,
    _marker: PhantomData<fn() -> (M, V)>,
}

impl<M, V: DbType> AggregateOf<M, V> {
    fn new(function: Aggregate, column: usize) -> Self {
        AggregateOf { function, column, _marker: PhantomData }
    }

    fn compare(self, op: CmpOp, value: V) -> Filter<M> {
        Filter::from_node(FilterNode::Aggregate {
            function: self.function,
            column: self.column,
            op,
            value: value.into_value(),
        })
    }

    pub fn equals(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Eq, value.into())
    }
    pub fn not(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Ne, value.into())
    }
    pub fn lt(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Lt, value.into())
    }
    pub fn lte(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Lte, value.into())
    }
    pub fn gt(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Gt, value.into())
    }
    pub fn gte(self, value: impl Into<V>) -> Filter<M> {
        self.compare(CmpOp::Gte, value.into())
    }

    pub fn asc(self) -> OrderBy<M> {
        OrderBy::with_key(SortKey::Aggregate { function: self.function, column: self.column }, false)
    }
    pub fn desc(self) -> OrderBy<M> {
        OrderBy::with_key(SortKey::Aggregate { function: self.function, column: self.column }, true)
    }
}

impl<M, T: FieldValue> Field<M, T>
where
    T::Inner: Numeric,
{
    /// `field = field + value`, computed by the database, so concurrent updates don't race.
    pub fn increment(self, value: impl Into<T::Inner>) -> Set<M> {
        self.assign(SetOp::Arithmetic(ArithOp::Add, value.into().into_value()))
    }
    pub fn decrement(self, value: impl Into<T::Inner>) -> Set<M> {
        self.assign(SetOp::Arithmetic(ArithOp::Sub, value.into().into_value()))
    }
    pub fn multiply(self, value: impl Into<T::Inner>) -> Set<M> {
        self.assign(SetOp::Arithmetic(ArithOp::Mul, value.into().into_value()))
    }
    pub fn divide(self, value: impl Into<T::Inner>) -> Set<M> {
        self.assign(SetOp::Arithmetic(ArithOp::Div, value.into().into_value()))
    }
}

/// A condition on records of model `M`.
pub struct Filter<M> {
    pub(crate) node: FilterNode,
    _marker: PhantomData<fn() -> M>,
}

impl<M> Clone for Filter<M> {
    fn clone(&self) -> Self {
        Filter::from_node(self.node.clone())
    }
}

impl<M> std::fmt::Debug for Filter<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.node.fmt(f)
    }
}

impl<M> Filter<M> {
    pub(crate) fn from_node(node: FilterNode) -> Self {
        Filter { node, _marker: PhantomData }
    }

    pub fn and(self, other: Filter<M>) -> Filter<M> {
        and([self, other])
    }

    pub fn or(self, other: Filter<M>) -> Filter<M> {
        or([self, other])
    }
}

impl<M> std::ops::Not for Filter<M> {
    type Output = Filter<M>;
    fn not(self) -> Filter<M> {
        not(self)
    }
}

/// All of the filters (true when there are none).
pub fn and<M>(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
    Filter::from_node(FilterNode::And(filters.into_iter().map(|f| f.node).collect()))
}

/// Any of the filters (false when there are none).
pub fn or<M>(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
    Filter::from_node(FilterNode::Or(filters.into_iter().map(|f| f.node).collect()))
}

/// The filter's negation.
pub fn not<M>(filter: Filter<M>) -> Filter<M> {
    Filter::from_node(FilterNode::Not(Box::new(filter.node)))
}

#[derive(Debug, Clone)]
pub(crate) enum FilterNode {
    Compare {
        column: usize,
        op: CmpOp,
        value: Value,
        insensitive: bool,
    },
    In {
        column: usize,
        values: Vec<Value>,
        negated: bool,
    },
    Text {
        column: usize,
        op: TextOp,
        value: String,
        insensitive: bool,
    },
    Null {
        column: usize,
        negated: bool,
    },
    And(Vec<FilterNode>),
    Or(Vec<FilterNode>),
    Not(Box<FilterNode>),
    /// A condition on a scalar list.
    List {
        column: usize,
        op: ListOp,
        value: Value,
    },
    /// An aggregate over a group compared with a value (`having`).
    Aggregate {
        function: Aggregate,
        column: usize,
        op: CmpOp,
        value: Value,
    },
    /// A condition on related records, of `target`'s table.
    Relation {
        def: &'static RelationDef,
        target: &'static Table,
        quantifier: Quantifier,
        filter: Box<FilterNode>,
    },
}

impl FilterNode {
    /// `next`, and `previous` too when there is one: what calling `.filter()` again means.
    pub(crate) fn conjoin(previous: Option<FilterNode>, next: FilterNode) -> FilterNode {
        match previous {
            None => next,
            Some(previous) => FilterNode::And(vec![previous, next]),
        }
    }

    /// The condition of a statement over `table` alone (unaliased).
    pub(crate) fn top_level(self, table: &'static Table) -> Expr {
        self.into_expr(table, Scope::Bare, &mut Aliases::default())
    }

    /// The condition as an expression over `table`'s columns, read in `scope`; relation
    /// filters become `EXISTS` sub-selects over tables aliased from `aliases`.
    pub(crate) fn into_expr(self, table: &'static Table, scope: Scope, aliases: &mut Aliases) -> Expr {
        let column = |index: usize| Expr::column(scope, &table.columns[index]);
        let value = |index: usize, value: Value| Expr::value_for(value, &table.columns[index]);
        match self {
            FilterNode::Compare { column: c, op, value: v, insensitive: false } => {
                Expr::compare(column(c), op, value(c, v))
            }
            FilterNode::Compare { column: c, op, value: v, insensitive: true } => {
                Expr::compare(Expr::Lower(Box::new(column(c))), op, Expr::Lower(Box::new(value(c, v))))
            }
            FilterNode::In { column: c, values, negated } => {
                Expr::In { expr: Box::new(column(c)), list: values.into_iter().map(|v| value(c, v)).collect(), negated }
            }
            FilterNode::Text { column: c, op, value, insensitive } => {
                Expr::Text { expr: Box::new(column(c)), op, value, insensitive }
            }
            FilterNode::Null { column: c, negated } => Expr::IsNull { expr: Box::new(column(c)), negated },
            FilterNode::And(nodes) => {
                Expr::And(nodes.into_iter().map(|n| n.into_expr(table, scope, aliases)).collect())
            }
            FilterNode::Or(nodes) => Expr::Or(nodes.into_iter().map(|n| n.into_expr(table, scope, aliases)).collect()),
            FilterNode::Not(node) => Expr::Not(Box::new(node.into_expr(table, scope, aliases))),
            FilterNode::List { column, op, value } => {
                let c = &table.columns[column];
                Expr::List { expr: Box::new(Expr::column(scope, c)), op, value, column: c }
            }
            FilterNode::Aggregate { function, column, op, value } => {
                let c = &table.columns[column];
                let aggregate = Expr::Aggregate(function, Some(Box::new(Expr::column(scope, c))));
                Expr::compare(aggregate, op, Expr::Value(value, None))
            }
            FilterNode::Relation { def, target, quantifier, filter } => {
                // Some: EXISTS (related AND filter); none: NOT EXISTS (related AND filter);
                // every: NOT EXISTS (related AND NOT filter).
                let child = TableRef { table: target, alias: Some(aliases.next()) };
                let items = vec![SelectItem::Expr(Expr::One, None)];
                let mut select = related_select(def, table, scope.qualified(table), child, items, aliases);
                let condition = match *filter {
                    // Every related record matches an empty filter: true without a query.
                    FilterNode::And(nodes) if nodes.is_empty() && quantifier == Quantifier::Every => {
                        return Expr::And(Vec::new());
                    }
                    FilterNode::And(nodes) if nodes.is_empty() => None,
                    node => Some(node.into_expr(target, child.scope(), aliases)),
                };
                if let Some(condition) = condition {
                    // A related record whose condition is unknown (null) doesn't match it.
                    let condition = match quantifier {
                        Quantifier::Every => Expr::IsNotTrue(Box::new(condition)),
                        Quantifier::Some | Quantifier::None => condition,
                    };
                    select.filter = Some(Expr::And(select.filter.take().into_iter().chain([condition]).collect()));
                }
                let exists = Expr::Exists(Box::new(select));
                match quantifier {
                    Quantifier::Some => exists,
                    Quantifier::None | Quantifier::Every => Expr::Not(Box::new(exists)),
                }
            }
        }
    }
}

/// A sort key of model `M`.
pub struct OrderBy<M> {
    pub(crate) key: SortKey,
    pub(crate) desc: bool,
    pub(crate) nulls: Option<Nulls>,
    _marker: PhantomData<fn() -> M>,
}

/// What a sort key sorts by.
#[derive(Debug, Clone)]
pub(crate) enum SortKey {
    Column(usize),
    /// The number of related records (matching `filter`).
    RelationCount {
        def: &'static RelationDef,
        target: &'static Table,
        filter: Option<FilterNode>,
    },
    /// An aggregate over a group (`group_by`).
    Aggregate {
        function: Aggregate,
        column: usize,
    },
}

impl<M> OrderBy<M> {
    fn new(column: usize, desc: bool) -> Self {
        OrderBy { key: SortKey::Column(column), desc, nulls: None, _marker: PhantomData }
    }

    pub(crate) fn relation_count(
        def: &'static RelationDef,
        target: &'static Table,
        filter: Option<FilterNode>,
        desc: bool,
    ) -> Self {
        OrderBy::with_key(SortKey::RelationCount { def, target, filter }, desc)
    }

    fn with_key(key: SortKey, desc: bool) -> Self {
        OrderBy { key, desc, nulls: None, _marker: PhantomData }
    }

    /// The sort key over `table`'s columns, read in `scope`.
    pub(crate) fn to_order(&self, table: &'static Table, scope: Scope, aliases: &mut Aliases) -> Order {
        let expr = match &self.key {
            SortKey::Column(column) => Expr::column(scope, &table.columns[*column]),
            SortKey::Aggregate { function, column } => {
                Expr::Aggregate(*function, Some(Box::new(Expr::column(scope, &table.columns[*column]))))
            }
            SortKey::RelationCount { def, target, filter } => {
                let child = TableRef { table: target, alias: Some(aliases.next()) };
                let count = vec![SelectItem::Expr(Expr::Aggregate(Aggregate::Count, None), None)];
                let mut select = related_select(def, table, scope.qualified(table), child, count, aliases);
                if let Some(filter) = filter.clone() {
                    let condition = filter.into_expr(target, child.scope(), aliases);
                    select.filter = Some(Expr::And(select.filter.into_iter().chain([condition]).collect()));
                }
                Expr::Subquery(Box::new(select))
            }
        };
        Order { expr, desc: self.desc, nulls: self.nulls }
    }
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(Nulls::First);
        self
    }
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(Nulls::Last);
        self
    }
}

/// An assignment to a field of model `M`.
pub struct Set<M> {
    pub(crate) column: usize,
    pub(crate) op: SetOp,
    _marker: PhantomData<fn() -> M>,
}

#[derive(Debug, Clone)]
pub(crate) enum SetOp {
    Value(Value),
    Arithmetic(ArithOp, Value),
}

impl SetOp {
    /// `column = value`, or `column = column op value` with the current value read in `scope`
    /// ([`Scope::Existing`] in an upsert).
    pub(crate) fn into_assignment(self, table: &'static Table, column: usize, scope: Scope) -> Assignment {
        let c = &table.columns[column];
        let value = match self {
            SetOp::Value(v) => Expr::value_for(v, c),
            SetOp::Arithmetic(op, v) => {
                Expr::Arithmetic(Box::new(Expr::column(scope, c)), op, Box::new(Expr::value_for(v, c)))
            }
        };
        Assignment { column: c, value }
    }
}

impl<M> Clone for Set<M> {
    fn clone(&self) -> Self {
        Set { column: self.column, op: self.op.clone(), _marker: PhantomData }
    }
}

impl<M> Set<M> {
    /// `column = value`.
    pub(crate) fn plain(column: usize, value: Value) -> Self {
        Set { column, op: SetOp::Value(value), _marker: PhantomData }
    }

    /// The value of a plain assignment; arithmetic needs a current value, which a create lacks.
    pub(crate) fn into_plain_value(self) -> Result<(usize, Value), Error> {
        match self.op {
            SetOp::Value(v) => Ok((self.column, v)),
            SetOp::Arithmetic(..) => {
                Err(Error::Validation("increment, decrement, multiply and divide only apply to updates".into()))
            }
        }
    }
}
