//! The one query renderer: a [`Statement`] to SQL text plus binds, for a dialect.
//!
//! Identifiers go through [`Dialect::push_identifier`]; values become placeholders with the
//! value pushed to the binds. The text is made of quoted names, keywords and placeholders
//! alone, which is what makes handing it to sqlx as `AssertSqlSafe` honest. Every difference
//! between the dialects' query SQL is a `match self.dialect` in this file.

use std::fmt::Write as _;

use orm_db_schema::Dialect;

use super::{
    Aggregate, ArithOp, Assignment, CastTo, CmpOp, ColumnRef, Conflict, Delete, Expr, Insert, JoinKind, ListOp, Nulls,
    Order, Scope, Select, SelectItem, Sql, Statement, TableRef, TextOp, Update,
};
use crate::model::{Column, Table};
use crate::value::{ScalarKind, Value};

/// Renders `statement` for `dialect`.
pub(crate) fn render(dialect: Dialect, statement: impl Into<Statement>) -> Sql {
    let mut r = Renderer { dialect, text: String::with_capacity(160), binds: Vec::new(), target: None };
    match statement.into() {
        Statement::Select(s) => r.select(s),
        Statement::Insert(s) => r.insert(s),
        Statement::Update(s) => r.update(s),
        Statement::Delete(s) => r.delete(s),
    }
    Sql { text: r.text, binds: r.binds }
}

struct Renderer {
    dialect: Dialect,
    text: String,
    binds: Vec<Value>,
    /// The table an insert writes, for [`Scope::Existing`].
    target: Option<&'static Table>,
}

impl Renderer {
    fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    fn ident(&mut self, name: &str) -> &mut Self {
        self.dialect.push_identifier(&mut self.text, name);
        self
    }

    fn alias(&mut self, n: u16) -> &mut Self {
        let mut name = String::with_capacity(4);
        let _ = write!(name, "t{n}");
        self.ident(&name)
    }

    /// `a, b, c` from each item.
    fn list<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Self, T)) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            each(self, item);
        }
        self
    }

    fn table_name(&mut self, table: &Table) -> &mut Self {
        if let Some(schema) = table.schema {
            self.ident(schema).push(".");
        }
        self.ident(table.name)
    }

    fn table_ref(&mut self, table: TableRef) -> &mut Self {
        self.table_name(table.table);
        if let Some(n) = table.alias {
            self.push(" AS ").alias(n);
        }
        self
    }

    fn column(&mut self, c: ColumnRef) -> &mut Self {
        match c.scope {
            Scope::Bare => {}
            Scope::Alias(n) => {
                self.alias(n).push(".");
            }
            Scope::Named(table) => {
                self.table_name(table).push(".");
            }
            Scope::Existing => {
                if let (Dialect::Sqlite | Dialect::Postgres, Some(table)) = (self.dialect, self.target) {
                    self.ident(table.name).push(".");
                }
            }
        }
        self.ident(c.column.name)
    }

    /// A placeholder for `value`; on PostgreSQL a value meeting an enum column is cast to the
    /// enum type, since text doesn't convert to it implicitly.
    fn bind(&mut self, value: Value, column: Option<&Column>) -> &mut Self {
        self.binds.push(value);
        match self.dialect {
            Dialect::Postgres => {
                let enum_column = column.and_then(|c| c.enum_type.map(|ty| (ty, c.list)));
                if enum_column.is_some() {
                    self.push("CAST(");
                }
                self.text.push('$');
                self.text.push_str(itoa::Buffer::new().format(self.binds.len()));
                if let Some((ty, list)) = enum_column {
                    self.push(" AS ").ident(ty).push(if list { "[])" } else { ")" });
                }
            }
            Dialect::Sqlite | Dialect::Mysql => {
                self.text.push('?');
            }
        }
        self
    }

    fn select_item(&mut self, item: SelectItem) {
        match item {
            // PostgreSQL enums are read as text, which every decoder understands.
            SelectItem::Column(c) if self.dialect == Dialect::Postgres && c.column.kind == ScalarKind::Enum => {
                self.push("CAST(").column(c).push(if c.column.list { " AS text[])" } else { " AS text)" });
            }
            SelectItem::Column(c) => {
                self.column(c);
            }
            SelectItem::Expr(expr, name) => {
                self.expr(expr);
                if let Some(name) = name {
                    self.push(" AS ").ident(name);
                }
            }
        }
    }

    fn select(&mut self, s: Select) {
        self.push(if s.distinct { "SELECT DISTINCT " } else { "SELECT " });
        self.list(s.items, Self::select_item);
        self.push(" FROM ").table_ref(s.from);
        for join in s.joins {
            self.push(match join.kind {
                JoinKind::Inner => " INNER JOIN ",
            });
            self.table_ref(join.table).push(" ON ").expr(join.on);
        }
        self.where_clause(s.filter);
        if !s.group_by.is_empty() {
            self.push(" GROUP BY ").list(s.group_by, |r, e| {
                r.expr(e);
            });
        }
        if let Some(having) = s.having {
            self.push(" HAVING ").expr(having);
        }
        self.order_by(s.order_by);
        self.limit(s.limit, s.offset);
        if s.for_update {
            self.push(" FOR UPDATE");
        }
    }

    /// `(SELECT json_group_array(json_array(<items>) ORDER BY …) FROM <child> WHERE …)`; with
    /// a `LIMIT`/`OFFSET`, the child is first a derived table of the rows kept, under the
    /// child's own alias so the items and the order read it unchanged. Written in SQLite's
    /// JSON functions (3.44 or later, for the ordered aggregate), the only dialect that asks.
    fn json_rows(&mut self, s: Select) {
        let limited = s.limit.is_some() || s.offset.is_some();
        self.push("(SELECT json_group_array(json_array(");
        self.list(s.items, Self::json_cell);
        self.push(")");
        self.order_by(s.order_by.clone());
        self.push(") FROM ");
        if limited {
            let alias = s.from.alias.unwrap_or(0);
            self.push("(SELECT ").alias(alias).push(".* FROM ");
        }
        self.table_ref(s.from);
        for join in s.joins {
            self.push(" INNER JOIN ").table_ref(join.table).push(" ON ").expr(join.on);
        }
        self.where_clause(s.filter);
        if limited {
            self.order_by(s.order_by);
            self.limit(s.limit, s.offset);
            self.push(") AS ").alias(s.from.alias.unwrap_or(0));
        }
        self.push(")");
    }

    /// One cell of a JSON row, as `json_row.rs` reads it: blobs as hex text (JSON has no
    /// bytes), floats and decimals as text (their exact digits, and infinities), nested rows as
    /// JSON rather than text.
    fn json_cell(&mut self, item: SelectItem) {
        match item {
            SelectItem::Column(c) if c.column.kind == ScalarKind::Bytes => {
                self.push("CASE WHEN ").column(c).push(" IS NULL THEN NULL ELSE hex(").column(c).push(") END");
            }
            // `json_array` writes 15 significant digits; 17 give the exact double back.
            SelectItem::Column(c) if c.column.kind == ScalarKind::Float => {
                self.push("CASE WHEN ")
                    .column(c)
                    .push(" IS NULL THEN NULL ELSE printf('%!.17g', ")
                    .column(c)
                    .push(") END");
            }
            SelectItem::Column(c) if c.column.kind == ScalarKind::Decimal => {
                self.push("CAST(").column(c).push(" AS TEXT)");
            }
            SelectItem::Expr(e @ Expr::JsonRows(_), _) => {
                self.push("json(").expr(e).push(")");
            }
            other => self.select_item(other),
        }
    }

    fn where_clause(&mut self, filter: Option<Expr>) -> &mut Self {
        if let Some(filter) = filter {
            self.push(" WHERE ").expr(filter);
        }
        self
    }

    fn order_by(&mut self, keys: Vec<Order>) {
        if keys.is_empty() {
            return;
        }
        self.push(" ORDER BY ");
        self.list(keys, |r, key| {
            let direction = if key.desc { " DESC" } else { " ASC" };
            match (r.dialect, key.nulls) {
                (Dialect::Mysql, Some(nulls)) => {
                    // MySQL has no NULLS FIRST/LAST: sort on "is null" first.
                    let is_null = Expr::IsNull { expr: Box::new(key.expr.clone()), negated: false };
                    r.expr(is_null).push(if nulls == Nulls::First { " DESC, " } else { " ASC, " });
                    r.expr(key.expr).push(direction);
                }
                (_, nulls) => {
                    r.expr(key.expr).push(direction);
                    match nulls {
                        Some(Nulls::First) => r.push(" NULLS FIRST"),
                        Some(Nulls::Last) => r.push(" NULLS LAST"),
                        None => r,
                    };
                }
            }
        });
    }

    fn limit(&mut self, take: Option<i64>, skip: Option<i64>) {
        if take.is_none() && skip.is_none() {
            return;
        }
        // SQLite and MySQL need a LIMIT before an OFFSET: "no limit" is -1 or the largest value.
        let take = take.unwrap_or(match self.dialect {
            Dialect::Sqlite => -1,
            Dialect::Postgres | Dialect::Mysql => i64::MAX,
        });
        self.push(" LIMIT ").bind(Value::BigInt(take), None);
        if let Some(skip) = skip {
            self.push(" OFFSET ").bind(Value::BigInt(skip), None);
        }
    }

    fn expr(&mut self, expr: Expr) -> &mut Self {
        match expr {
            Expr::Column(c) => {
                self.column(c);
            }
            Expr::Value(value, column) => {
                self.bind(value, column);
            }
            Expr::One => {
                self.push("1");
            }
            Expr::Compare(left, op, right) => {
                self.expr(*left).push(match op {
                    CmpOp::Eq => " = ",
                    CmpOp::Ne => " <> ",
                    CmpOp::Lt => " < ",
                    CmpOp::Lte => " <= ",
                    CmpOp::Gt => " > ",
                    CmpOp::Gte => " >= ",
                });
                self.expr(*right);
            }
            Expr::In { expr, list, negated } => {
                if list.is_empty() {
                    return self.push(if negated { "1 = 1" } else { "1 = 0" });
                }
                self.expr(*expr).push(if negated { " NOT IN (" } else { " IN (" });
                self.list(list, |r, e| {
                    r.expr(e);
                });
                self.push(")");
            }
            Expr::AnyOf { expr, values, column } => {
                if values.is_empty() {
                    return self.push("1 = 0");
                }
                match self.dialect {
                    Dialect::Postgres => {
                        self.expr(*expr).push(" = ANY(");
                        let list = Value::List(column.kind, values);
                        self.bind(list, Some(&Column { list: true, ..*column })).push(")");
                    }
                    Dialect::Sqlite | Dialect::Mysql => {
                        self.expr(*expr).push(" IN (").list(values, |r, v| {
                            r.bind(v, Some(column));
                        });
                        self.push(")");
                    }
                }
            }
            Expr::Tuple(items) => {
                self.push("(").list(items, |r, e| {
                    r.expr(e);
                });
                self.push(")");
            }
            Expr::Text { expr, op, value, insensitive } => {
                self.text_match(*expr, op, &value, insensitive);
            }
            Expr::IsNull { expr, negated } => {
                self.expr(*expr).push(if negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::And(nodes) => {
                self.junction(nodes, " AND ", "1 = 1");
            }
            Expr::Or(nodes) => {
                self.junction(nodes, " OR ", "1 = 0");
            }
            Expr::Not(node) => {
                self.push("NOT (").expr(*node).push(")");
            }
            Expr::IsNotTrue(node) => {
                self.push("(").expr(*node).push(") IS NOT TRUE");
            }
            Expr::Exists(select) => {
                self.push("EXISTS (");
                self.select(*select);
                self.push(")");
            }
            Expr::Subquery(select) => {
                self.push("(");
                self.select(*select);
                self.push(")");
            }
            Expr::JsonRows(select) => self.json_rows(*select),
            Expr::Lower(e) => {
                self.push("LOWER(").expr(*e).push(")");
            }
            Expr::Arithmetic(left, op, right) => {
                self.expr(*left).push(match op {
                    ArithOp::Add => " + ",
                    ArithOp::Sub => " - ",
                    ArithOp::Mul => " * ",
                    ArithOp::Div => " / ",
                });
                self.expr(*right);
            }
            Expr::List { expr, op, value, column } => {
                // Scalar lists exist on PostgreSQL alone; elsewhere the list's bind is refused.
                let element = Column { list: false, ..*column };
                match op {
                    ListOp::Has => {
                        self.bind(value, Some(&element)).push(" = ANY(").expr(*expr).push(")");
                    }
                    ListOp::HasSome => {
                        self.expr(*expr).push(" && ").bind(value, Some(column));
                    }
                    ListOp::HasEvery => {
                        self.expr(*expr).push(" @> ").bind(value, Some(column));
                    }
                    ListOp::IsEmpty => {
                        self.push("cardinality(").expr(*expr).push(") = 0");
                    }
                }
            }
            Expr::Cast(e, to) => {
                let ty = match (self.dialect, to) {
                    (Dialect::Sqlite, CastTo::BigInt) => "INTEGER",
                    (Dialect::Sqlite, CastTo::Double) => "REAL",
                    (Dialect::Postgres, CastTo::BigInt) => "BIGINT",
                    (Dialect::Postgres, CastTo::Double) => "DOUBLE PRECISION",
                    (Dialect::Mysql, CastTo::BigInt) => "SIGNED",
                    (Dialect::Mysql, CastTo::Double) => "DOUBLE",
                };
                self.push("CAST(").expr(*e).push(" AS ").push(ty).push(")");
            }
            Expr::Aggregate(function, argument) => {
                self.push(match function {
                    Aggregate::Count => "COUNT(",
                    Aggregate::Sum => "SUM(",
                    Aggregate::Avg => "AVG(",
                    Aggregate::Min => "MIN(",
                    Aggregate::Max => "MAX(",
                });
                match argument {
                    Some(e) => self.expr(*e),
                    None => self.push("*"),
                }
                .push(")");
            }
        }
        self
    }

    fn junction(&mut self, mut nodes: Vec<Expr>, separator: &str, empty: &str) -> &mut Self {
        match nodes.len() {
            0 => self.push(empty),
            1 => self.expr(nodes.remove(0)),
            _ => {
                self.push("(");
                for (i, node) in nodes.into_iter().enumerate() {
                    if i > 0 {
                        self.push(separator);
                    }
                    self.expr(node);
                }
                self.push(")")
            }
        }
    }

    /// `contains` / `starts_with` / `ends_with`. Case-sensitive by default everywhere: GLOB on
    /// SQLite (whose LIKE ignores ASCII case), a binary LIKE on MySQL (whose default
    /// collations ignore case). Wildcards in the value are escaped, never interpreted.
    fn text_match(&mut self, expr: Expr, op: TextOp, value: &str, insensitive: bool) -> &mut Self {
        let glob = self.dialect == Dialect::Sqlite && !insensitive;
        let escaped = if glob { escape_glob(value) } else { escape_like(value) };
        let any = if glob { "*" } else { "%" };
        let pattern = Value::String(match op {
            TextOp::Contains => format!("{any}{escaped}{any}"),
            TextOp::StartsWith => format!("{escaped}{any}"),
            TextOp::EndsWith => format!("{any}{escaped}"),
        });
        match (self.dialect, insensitive) {
            (Dialect::Sqlite, false) => self.expr(expr).push(" GLOB ").bind(pattern, None),
            (Dialect::Sqlite, true) | (Dialect::Postgres, false) => {
                self.expr(expr).push(" LIKE ").bind(pattern, None).push(" ESCAPE '!'")
            }
            (Dialect::Postgres, true) => self.expr(expr).push(" ILIKE ").bind(pattern, None).push(" ESCAPE '!'"),
            (Dialect::Mysql, false) => {
                self.expr(expr).push(" LIKE CAST(").bind(pattern, None).push(" AS BINARY) ESCAPE '!'")
            }
            (Dialect::Mysql, true) => {
                self.push("LOWER(").expr(expr).push(") LIKE LOWER(").bind(pattern, None).push(") ESCAPE '!'")
            }
        }
    }

    /// `RETURNING`: PostgreSQL and SQLite. MySQL has none; its builders read rows back instead
    /// and never ask for it.
    fn returning(&mut self, items: Vec<SelectItem>) {
        debug_assert!(items.is_empty() || self.dialect != Dialect::Mysql, "MySQL has no RETURNING");
        if !items.is_empty() {
            self.push(" RETURNING ").list(items, Self::select_item);
        }
    }

    fn assignments(&mut self, sets: Vec<Assignment>) -> &mut Self {
        self.list(sets, |r, set| {
            r.ident(set.column.name).push(" = ").expr(set.value);
        })
    }

    fn insert(&mut self, s: Insert) {
        self.target = Some(s.table);
        let ignore = matches!(s.conflict, Some(Conflict::Ignore));
        let mysql = self.dialect == Dialect::Mysql;
        self.push(if ignore && mysql { "INSERT IGNORE INTO " } else { "INSERT INTO " }).table_name(s.table);
        if s.columns.is_empty() {
            if mysql {
                self.push(" () VALUES ");
                self.list(0..s.rows.len(), |r, _| {
                    r.push("()");
                });
            } else {
                self.push(" DEFAULT VALUES");
            }
        } else {
            self.push(" (").list(s.columns.iter(), |r, c| {
                r.ident(c.name);
            });
            self.push(") VALUES ");
            let columns = &s.columns;
            let binds = s.rows.len() * columns.len();
            self.binds.reserve(binds);
            self.text.reserve(binds * 6);
            self.list(s.rows, |r, row| {
                r.push("(").list(row.into_iter().zip(columns.iter()), |r, (value, &c)| {
                    r.bind(value, Some(c));
                });
                r.push(")");
            });
        }
        match s.conflict {
            None => {}
            Some(Conflict::Ignore) if mysql => {}
            Some(Conflict::Ignore) => {
                self.push(" ON CONFLICT DO NOTHING");
            }
            Some(Conflict::Update { target, sets }) => self.on_conflict_update(&target, sets),
        }
        self.returning(s.returning);
    }

    fn on_conflict_update(&mut self, target: &[&'static Column], sets: Vec<Assignment>) {
        let keep = target.first().copied();
        if self.dialect == Dialect::Mysql {
            self.push(" ON DUPLICATE KEY UPDATE ");
        } else {
            self.push(" ON CONFLICT (").list(target.iter(), |r, c| {
                r.ident(c.name);
            });
            self.push(") DO UPDATE SET ");
        }
        match (sets.is_empty(), keep) {
            // With nothing to update, a key column is assigned itself, so the row is still
            // returned (`DO NOTHING` returns nothing).
            (true, Some(keep)) => {
                self.ident(keep.name).push(" = ");
                if self.dialect != Dialect::Mysql {
                    self.push("excluded.");
                }
                self.ident(keep.name);
            }
            _ => {
                self.assignments(sets);
            }
        }
    }

    fn update(&mut self, s: Update) {
        self.push("UPDATE ").table_name(s.table).push(" SET ").assignments(s.sets).where_clause(s.filter);
        self.returning(s.returning);
    }

    fn delete(&mut self, s: Delete) {
        self.push("DELETE FROM ").table_name(s.table).where_clause(s.filter);
        self.returning(s.returning);
    }
}

/// LIKE patterns use `!` as their escape character (`ESCAPE '!'`), the same on every dialect
/// (a backslash would mean different things in MySQL string literals).
fn escape_like(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// GLOB has no escape character: a wildcard is matched literally inside brackets.
fn escape_glob(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_in_values_are_escaped() {
        assert_eq!(escape_like("50%_a!b"), "50!%!_a!!b");
        assert_eq!(escape_glob("a*b?[c]"), "a[*]b[?][[]c]");
    }
}
