//! Rendering queries to SQL text plus bound values, per dialect.
//!
//! The only code that writes query SQL. Identifiers go through [`Dialect::push_identifier`]
//! and values become placeholders with the value pushed to `binds`; the text is built from
//! quoted names, keywords and placeholders alone, which is what makes handing it to sqlx as
//! `AssertSqlSafe` honest.

use std::fmt::Write as _;

use orm_db_schema::Dialect;

use crate::field::{ArithOp, CmpOp, FilterNode, Nulls, OrderBy, SetOp, TextOp};
use crate::model::{Column, Table};
use crate::value::{ScalarKind, Value};

/// A statement ready to run.
#[derive(Debug, Clone)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Value>,
}

pub(crate) struct Writer {
    dialect: Dialect,
    table: &'static Table,
    text: String,
    binds: Vec<Value>,
}

impl Writer {
    pub(crate) fn new(dialect: Dialect, table: &'static Table) -> Self {
        Writer { dialect, table, text: String::with_capacity(128), binds: Vec::new() }
    }

    pub(crate) fn finish(self) -> Sql {
        Sql { text: self.text, binds: self.binds }
    }

    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    fn ident(&mut self, name: &str) -> &mut Self {
        self.dialect.push_identifier(&mut self.text, name);
        self
    }

    fn column_name(&mut self, index: usize) -> &mut Self {
        self.ident(self.table.columns[index].name)
    }

    fn table_name(&mut self) -> &mut Self {
        if let Some(schema) = self.table.schema {
            self.ident(schema).push(".");
        }
        self.ident(self.table.name)
    }

    /// A placeholder for `value`; on PostgreSQL enum values are cast to the enum type, since
    /// text doesn't convert to it implicitly.
    pub(crate) fn bind(&mut self, value: Value, column: Option<&Column>) -> &mut Self {
        self.binds.push(value);
        match self.dialect {
            Dialect::Postgres => {
                let enum_type = column.and_then(|c| c.enum_type);
                if enum_type.is_some() {
                    self.push("CAST(");
                }
                let _ = write!(self.text, "${}", self.binds.len());
                if let (Some(ty), Some(column)) = (enum_type, column) {
                    self.push(" AS ").ident(ty);
                    if column.list {
                        self.push("[]");
                    }
                    self.push(")");
                }
            }
            Dialect::Sqlite | Dialect::Mysql => {
                self.text.push('?');
            }
        }
        self
    }

    fn bind_column(&mut self, value: Value, index: usize) -> &mut Self {
        let column = &self.table.columns[index];
        self.bind(value, Some(column))
    }

    /// The table's columns as a select list, in order (the order `Model::from_row` reads).
    pub(crate) fn select_list(&mut self) -> &mut Self {
        for (i, column) in self.table.columns.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            if self.dialect == Dialect::Postgres && column.kind == ScalarKind::Enum {
                self.push("CAST(").ident(column.name).push(if column.list { " AS text[])" } else { " AS text)" });
            } else {
                self.ident(column.name);
            }
        }
        self
    }

    pub(crate) fn select(&mut self, filter: Option<FilterNode>) -> &mut Self {
        self.push("SELECT ").select_list().push(" FROM ").table_name();
        self.where_clause(filter)
    }

    pub(crate) fn count(&mut self, filter: Option<FilterNode>) -> &mut Self {
        self.push("SELECT COUNT(*) FROM ").table_name();
        self.where_clause(filter)
    }

    pub(crate) fn where_clause(&mut self, filter: Option<FilterNode>) -> &mut Self {
        if let Some(filter) = filter {
            self.push(" WHERE ");
            self.filter(filter);
        }
        self
    }

    fn filter(&mut self, node: FilterNode) {
        match node {
            FilterNode::Compare { column, op, value, insensitive } => {
                let op = match op {
                    CmpOp::Eq => " = ",
                    CmpOp::Ne => " <> ",
                    CmpOp::Lt => " < ",
                    CmpOp::Lte => " <= ",
                    CmpOp::Gt => " > ",
                    CmpOp::Gte => " >= ",
                };
                if insensitive {
                    self.push("LOWER(").column_name(column).push(")").push(op).push("LOWER(");
                    self.bind_column(value, column).push(")");
                } else {
                    self.column_name(column).push(op).bind_column(value, column);
                }
            }
            FilterNode::In { column, values, negated } => {
                if values.is_empty() {
                    self.push(if negated { "1 = 1" } else { "1 = 0" });
                    return;
                }
                self.column_name(column).push(if negated { " NOT IN (" } else { " IN (" });
                for (i, value) in values.into_iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.bind_column(value, column);
                }
                self.push(")");
            }
            FilterNode::Text { column, op, value, insensitive } => self.text_filter(column, op, &value, insensitive),
            FilterNode::Null { column, negated } => {
                self.column_name(column).push(if negated { " IS NOT NULL" } else { " IS NULL" });
            }
            FilterNode::And(nodes) => self.junction(nodes, " AND ", "1 = 1"),
            FilterNode::Or(nodes) => self.junction(nodes, " OR ", "1 = 0"),
            FilterNode::Not(node) => {
                self.push("NOT (");
                self.filter(*node);
                self.push(")");
            }
        }
    }

    fn junction(&mut self, mut nodes: Vec<FilterNode>, separator: &str, empty: &str) {
        match nodes.len() {
            0 => {
                self.push(empty);
            }
            1 => self.filter(nodes.remove(0)),
            _ => {
                self.push("(");
                for (i, node) in nodes.into_iter().enumerate() {
                    if i > 0 {
                        self.push(separator);
                    }
                    self.filter(node);
                }
                self.push(")");
            }
        }
    }

    /// `contains` / `starts_with` / `ends_with`. Case-sensitive by default everywhere: GLOB on
    /// SQLite (whose LIKE ignores ASCII case), a binary LIKE on MySQL (whose default
    /// collations ignore case). Wildcards in the value are escaped, never interpreted.
    fn text_filter(&mut self, column: usize, op: TextOp, value: &str, insensitive: bool) {
        let glob = self.dialect == Dialect::Sqlite && !insensitive;
        let escaped = if glob { escape_glob(value) } else { escape_like(value) };
        let any = if glob { "*" } else { "%" };
        let pattern = match op {
            TextOp::Contains => format!("{any}{escaped}{any}"),
            TextOp::StartsWith => format!("{escaped}{any}"),
            TextOp::EndsWith => format!("{any}{escaped}"),
        };
        let pattern = Value::String(pattern);
        match (self.dialect, insensitive) {
            (Dialect::Sqlite, false) => {
                self.column_name(column).push(" GLOB ").bind(pattern, None);
            }
            (Dialect::Sqlite, true) => {
                self.column_name(column).push(" LIKE ").bind(pattern, None).push(" ESCAPE '!'");
            }
            (Dialect::Postgres, false) => {
                self.column_name(column).push(" LIKE ").bind(pattern, None).push(" ESCAPE '!'");
            }
            (Dialect::Postgres, true) => {
                self.column_name(column).push(" ILIKE ").bind(pattern, None).push(" ESCAPE '!'");
            }
            (Dialect::Mysql, false) => {
                self.column_name(column).push(" LIKE CAST(").bind(pattern, None).push(" AS BINARY) ESCAPE '!'");
            }
            (Dialect::Mysql, true) => {
                self.push("LOWER(").column_name(column).push(") LIKE LOWER(").bind(pattern, None).push(") ESCAPE '!'");
            }
        }
    }

    pub(crate) fn order_by<M>(&mut self, keys: &[OrderBy<M>]) -> &mut Self {
        if keys.is_empty() {
            return self;
        }
        self.push(" ORDER BY ");
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let direction = if key.desc { " DESC" } else { " ASC" };
            match (self.dialect, key.nulls) {
                (Dialect::Mysql, Some(nulls)) => {
                    // MySQL has no NULLS FIRST/LAST: sort on "is null" first.
                    self.column_name(key.column).push(" IS NULL");
                    self.push(if nulls == Nulls::First { " DESC, " } else { " ASC, " });
                    self.column_name(key.column).push(direction);
                }
                (_, nulls) => {
                    self.column_name(key.column).push(direction);
                    match nulls {
                        Some(Nulls::First) => self.push(" NULLS FIRST"),
                        Some(Nulls::Last) => self.push(" NULLS LAST"),
                        None => self,
                    };
                }
            }
        }
        self
    }

    pub(crate) fn limit(&mut self, take: Option<i64>, skip: Option<i64>) -> &mut Self {
        if take.is_none() && skip.is_none() {
            return self;
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
        self
    }

    /// `INSERT INTO t (columns) VALUES (…), (…)`; every row has values for `columns`, in order.
    pub(crate) fn insert(&mut self, columns: &[usize], rows: Vec<Vec<Value>>, ignore_duplicates: bool) -> &mut Self {
        let ignore = ignore_duplicates && self.dialect == Dialect::Mysql;
        self.push(if ignore { "INSERT IGNORE INTO " } else { "INSERT INTO " }).table_name();
        if columns.is_empty() {
            match self.dialect {
                Dialect::Mysql => {
                    self.push(" () VALUES ");
                    for i in 0..rows.len() {
                        self.push(if i > 0 { ", ()" } else { "()" });
                    }
                }
                Dialect::Sqlite | Dialect::Postgres => {
                    self.push(" DEFAULT VALUES");
                }
            }
        } else {
            self.push(" (");
            for (i, &c) in columns.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.column_name(c);
            }
            self.push(") VALUES ");
            for (r, row) in rows.into_iter().enumerate() {
                self.push(if r > 0 { ", (" } else { "(" });
                for (i, (value, &c)) in row.into_iter().zip(columns).enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.bind_column(value, c);
                }
                self.push(")");
            }
        }
        if ignore_duplicates && self.dialect != Dialect::Mysql {
            self.push(" ON CONFLICT DO NOTHING");
        }
        self
    }

    /// The `SET` list of an update. In an upsert on PostgreSQL and SQLite the target table is
    /// named explicitly, so `views + 1` reads the existing row rather than the proposed one.
    pub(crate) fn assignments(&mut self, sets: Vec<(usize, SetOp)>, qualify: bool) -> &mut Self {
        for (i, (column, op)) in sets.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.column_name(column).push(" = ");
            match op {
                SetOp::Value(value) => {
                    self.bind_column(value, column);
                }
                SetOp::Arithmetic(op, value) => {
                    if qualify {
                        self.ident(self.table.name).push(".");
                    }
                    self.column_name(column).push(match op {
                        ArithOp::Add => " + ",
                        ArithOp::Sub => " - ",
                        ArithOp::Mul => " * ",
                        ArithOp::Div => " / ",
                    });
                    self.bind_column(value, column);
                }
            }
        }
        self
    }

    pub(crate) fn update(&mut self, sets: Vec<(usize, SetOp)>, filter: Option<FilterNode>) -> &mut Self {
        self.push("UPDATE ").table_name().push(" SET ").assignments(sets, false).where_clause(filter)
    }

    pub(crate) fn delete(&mut self, filter: Option<FilterNode>) -> &mut Self {
        self.push("DELETE FROM ").table_name().where_clause(filter)
    }

    /// After an insert: what to do when `conflict` (a unique criterion's columns) clashes.
    pub(crate) fn on_conflict_update(&mut self, conflict: &[usize], sets: Vec<(usize, SetOp)>) -> &mut Self {
        // With nothing to update, assign a conflict column to itself so the row is still returned.
        if sets.is_empty() {
            return self.on_conflict_keep(conflict, conflict[0]);
        }
        match self.dialect {
            Dialect::Mysql => self.push(" ON DUPLICATE KEY UPDATE ").assignments(sets, false),
            Dialect::Sqlite | Dialect::Postgres => {
                self.conflict_target(conflict).push(" DO UPDATE SET ").assignments(sets, true)
            }
        }
    }

    /// ` ON CONFLICT ("a", "b")`.
    fn conflict_target(&mut self, conflict: &[usize]) -> &mut Self {
        self.push(" ON CONFLICT (");
        for (i, &c) in conflict.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.column_name(c);
        }
        self.push(")")
    }

    fn on_conflict_keep(&mut self, conflict: &[usize], keep: usize) -> &mut Self {
        match self.dialect {
            Dialect::Mysql => self.push(" ON DUPLICATE KEY UPDATE ").column_name(keep).push(" = ").column_name(keep),
            Dialect::Sqlite | Dialect::Postgres => self
                .conflict_target(conflict)
                .push(" DO UPDATE SET ")
                .column_name(keep)
                .push(" = ")
                .push("excluded.")
                .column_name(keep),
        }
    }

    pub(crate) fn returning(&mut self) -> &mut Self {
        self.push(" RETURNING ").select_list()
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
