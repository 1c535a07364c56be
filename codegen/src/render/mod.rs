//! Steps → SQL, one renderer per dialect with one method per step kind.
//!
//! Identifiers only ever pass through [`Dialect::push_identifier`], literal defaults through
//! [`Dialect::push_string_literal`]; nothing else reaches the SQL text except numbers checked to
//! be numbers, keywords, and `dbgenerated("…")` expressions (the user's own SQL). A step a
//! dialect cannot run yet is a [`RenderError`], never silently dropped.

mod mysql;
mod postgres;
mod sqlite;

use std::fmt;

use orm_db_schema::{
    Column, ColumnDefault, ColumnType, DbEnum, DefaultValue, Dialect, ForeignKey, Index, IndexColumn, PrimaryKey,
    SortOrder, Table,
};

use crate::diff::Step;

/// Why a step could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// SQLite cannot do this with `ALTER TABLE`; it needs the table-rebuild procedure.
    NeedsTableRebuild { table: String, change: &'static str },
    /// Not implemented for this dialect yet.
    NotYetSupported { step: &'static str, dialect: Dialect },
    /// An enum column whose enum is not in the schema.
    UnknownEnum { table: String, column: String, name: String },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::NeedsTableRebuild { table, change } => {
                write!(f, "SQLite cannot {change} on table `{table}` without rebuilding it, which is not supported yet")
            }
            RenderError::NotYetSupported { step, dialect } => {
                write!(f, "the migration step {step} is not supported on {dialect:?} yet")
            }
            RenderError::UnknownEnum { table, column, name } => {
                write!(f, "column `{table}.{column}` uses the enum `{name}`, which the schema does not define")
            }
        }
    }
}

impl std::error::Error for RenderError {}

/// One method per step kind. Each returns the statements (without a trailing `;`) for its step;
/// none for a step another one already covered.
trait Renderer {
    fn create_enum(&self, e: &DbEnum) -> Result<Vec<String>, RenderError>;
    fn alter_enum(&self, from: &DbEnum, to: &DbEnum) -> Result<Vec<String>, RenderError>;
    fn drop_enum(&self, e: &DbEnum) -> Result<Vec<String>, RenderError>;
    fn create_table(&self, table: &Table, enums: &[DbEnum]) -> Result<Vec<String>, RenderError>;
    fn drop_table(&self, table: &Table) -> Vec<String>;
    fn add_column(&self, table: &str, column: &Column, enum_: Option<&DbEnum>) -> Result<Vec<String>, RenderError>;
    fn alter_column(&self, table: &str, from: &Column, to: &Column) -> Result<Vec<String>, RenderError>;
    fn drop_column(&self, table: &str, column: &Column) -> Vec<String>;
    fn alter_primary_key(
        &self,
        table: &str,
        from: Option<&PrimaryKey>,
        to: Option<&PrimaryKey>,
    ) -> Result<Vec<String>, RenderError>;
    fn create_index(&self, table: &str, index: &Index, new_table: bool) -> Vec<String>;
    fn drop_index(&self, table: &str, index: &Index) -> Vec<String>;
    fn add_foreign_key(&self, table: &str, fk: &ForeignKey, new_table: bool) -> Result<Vec<String>, RenderError>;
    fn drop_foreign_key(&self, table: &str, fk: &ForeignKey, table_dropped: bool) -> Result<Vec<String>, RenderError>;
}

fn renderer(dialect: Dialect) -> &'static dyn Renderer {
    match dialect {
        Dialect::Sqlite => &sqlite::SqliteRenderer,
        Dialect::Postgres => &postgres::PostgresRenderer,
        Dialect::Mysql => &mysql::MysqlRenderer,
    }
}

fn render_step(r: &dyn Renderer, step: &Step) -> Result<Vec<String>, RenderError> {
    Ok(match step {
        Step::DropForeignKey { table, foreign_key, table_dropped } => {
            r.drop_foreign_key(table, foreign_key, *table_dropped)?
        }
        Step::DropIndex { table, index } => r.drop_index(table, index),
        Step::CreateEnum(e) => r.create_enum(e)?,
        Step::AlterEnum { from, to } => r.alter_enum(from, to)?,
        Step::DropTable(table) => r.drop_table(table),
        Step::CreateTable { table, enums } => r.create_table(table, enums)?,
        Step::AddColumn { table, column, enum_ } => r.add_column(table, column, enum_.as_ref())?,
        Step::AlterColumn { table, from, to } => r.alter_column(table, from, to)?,
        Step::DropColumn { table, column } => r.drop_column(table, column),
        Step::AlterPrimaryKey { table, from, to } => r.alter_primary_key(table, from.as_ref(), to.as_ref())?,
        Step::DropEnum(e) => r.drop_enum(e)?,
        Step::CreateIndex { table, index, new_table } => r.create_index(table, index, *new_table),
        Step::AddForeignKey { table, foreign_key, new_table } => r.add_foreign_key(table, foreign_key, *new_table)?,
    })
}

/// The SQL statements of `steps` for `dialect`, in order, without trailing semicolons.
pub fn render(steps: &[Step], dialect: Dialect) -> Result<Vec<String>, RenderError> {
    let r = renderer(dialect);
    let mut out = Vec::new();
    for step in steps {
        out.extend(render_step(r, step)?);
    }
    Ok(out)
}

/// A `migration.sql` as Prisma writes it: each step's statements under a `-- Kind` comment,
/// separated by blank lines.
pub fn render_script(steps: &[Step], dialect: Dialect) -> Result<String, RenderError> {
    let r = renderer(dialect);
    let mut blocks = Vec::new();
    for step in steps {
        let statements = render_step(r, step)?;
        if statements.is_empty() {
            continue;
        }
        let mut block = format!("-- {}\n", step.kind());
        for s in statements {
            block.push_str(&s);
            block.push_str(";\n");
        }
        blocks.push(block);
    }
    Ok(blocks.join("\n"))
}

/// Shared pieces of SQL text, parameterised by dialect.
struct Sql(Dialect);

impl Sql {
    fn ident(&self, name: &str) -> String {
        self.0.quote_identifier(name)
    }

    /// `"a", "b"` (`sep` between).
    fn idents<'a>(&self, names: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
        names.into_iter().map(|n| self.ident(n)).collect::<Vec<_>>().join(sep)
    }

    /// Index columns with MySQL prefix lengths and sort orders: `"a", "b" DESC`.
    fn index_columns(&self, columns: &[IndexColumn]) -> String {
        let mut out = Vec::with_capacity(columns.len());
        for c in columns {
            let mut s = self.ident(&c.name);
            if let Some(length) = c.length {
                s.push_str(&format!("({length})"));
            }
            match c.sort {
                Some(SortOrder::Asc) => s.push_str(" ASC"),
                Some(SortOrder::Desc) => s.push_str(" DESC"),
                None => {}
            }
            out.push(s);
        }
        out.join(", ")
    }

    /// `FOREIGN KEY ("a") REFERENCES "t"("id") ON DELETE … ON UPDATE …`, with `space` between
    /// the referenced table and its columns (SQLite's `CREATE TABLE` has one, Prisma's
    /// `ALTER TABLE` statements none).
    fn foreign_key(&self, fk: &ForeignKey, space: &str) -> String {
        let mut s = String::new();
        if let Some(name) = &fk.name {
            s.push_str("CONSTRAINT ");
            s.push_str(&self.ident(name));
            s.push(' ');
        }
        s.push_str(&format!(
            "FOREIGN KEY ({}) REFERENCES {}{space}({}) ON DELETE {} ON UPDATE {}",
            self.idents(fk.columns.iter().map(String::as_str), ", "),
            self.ident(&fk.referenced_table),
            self.idents(fk.referenced_columns.iter().map(String::as_str), ", "),
            fk.on_delete.as_sql(),
            fk.on_update.as_sql(),
        ));
        s
    }

    /// The column's type: its native type, else the default of its family.
    fn base_type(&self, column: &Column) -> String {
        match (&column.native_type, &column.ty) {
            (Some(native), _) => native.clone(),
            (None, ColumnType::Enum(name)) => self.ident(name),
            (None, ty) => crate::db_schema::family_type(self.0, ty).to_owned(),
        }
    }

    /// A literal default value, escaped for the dialect. `list_type` is the element type of an
    /// array column (PostgreSQL `ARRAY[…]::TYPE[]`).
    fn value(&self, value: &DefaultValue, list_type: &str) -> String {
        let d = self.0;
        match value {
            // MySQL and MariaDB `DATETIME`/`TIMESTAMP` literals carry no offset (MariaDB rejects
            // `'… +00:00'`): the value is written in UTC, as the runtime stores it.
            DefaultValue::DateTime(s) if d == Dialect::Mysql => d.quote_string_literal(&utc_without_offset(s)),
            DefaultValue::String(s) | DefaultValue::Json(s) | DefaultValue::DateTime(s) | DefaultValue::Enum(s) => {
                d.quote_string_literal(s)
            }
            DefaultValue::Number(n) if crate::db_schema::is_sql_number(n) => n.clone(),
            DefaultValue::Number(n) => d.quote_string_literal(n),
            DefaultValue::Boolean(b) => if *b { "true" } else { "false" }.to_owned(),
            DefaultValue::Bytes(bytes) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                match d {
                    Dialect::Postgres => format!("'\\x{hex}'"),
                    Dialect::Sqlite | Dialect::Mysql => format!("X'{hex}'"),
                }
            }
            DefaultValue::List(items) => {
                let items: Vec<String> = items.iter().map(|i| self.value(i, list_type)).collect();
                format!("ARRAY[{}]::{list_type}[]", items.join(", "))
            }
        }
    }

    /// The `DEFAULT …` expression of a column, if it has one that is written as a default
    /// (autoincrement is part of the type or column definition instead).
    fn default(&self, column: &Column) -> Option<String> {
        let d = self.0;
        match column.default.as_ref()? {
            ColumnDefault::Value(v) => Some(self.value(v, &self.base_type(column))),
            ColumnDefault::Now => Some(match d {
                Dialect::Mysql => format!("CURRENT_TIMESTAMP({})", timestamp_precision(&self.base_type(column))),
                Dialect::Sqlite | Dialect::Postgres => "CURRENT_TIMESTAMP".to_owned(),
            }),
            ColumnDefault::Autoincrement => None,
            // SQLite and MySQL take an expression default only in parentheses
            // (`DEFAULT gen_random_uuid()` is a syntax error there); PostgreSQL takes it bare.
            ColumnDefault::Expression(e) => Some(match d {
                Dialect::Postgres => e.clone(),
                Dialect::Sqlite | Dialect::Mysql => format!("({e})"),
            }),
            ColumnDefault::Sequence(name) => match d {
                Dialect::Postgres => Some(format!("nextval({}::regclass)", d.quote_string_literal(&self.ident(name)))),
                Dialect::Sqlite | Dialect::Mysql => None,
            },
        }
    }
}

/// The fractional-second precision of a MySQL temporal type: `DATETIME(3)` → 3; none written → 0.
fn timestamp_precision(ty: &str) -> u32 {
    ty.split_once('(').and_then(|(_, rest)| rest.trim_end_matches(')').parse().ok()).unwrap_or(0)
}

/// `2020-01-01 10:11:12.345 +02:00` (a DateTime default as [`crate::db_schema`] writes it) →
/// `2020-01-01 08:11:12.345`, the same instant in UTC without an offset. Anything that is not of
/// that shape is kept as written.
fn utc_without_offset(s: &str) -> String {
    fn parse(s: &str) -> Option<String> {
        let mut parts = s.split(' ');
        let (date, clock, offset) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let num = |t: &str| -> Option<i64> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        let mut ymd = date.split('-');
        let (y, m, day) = (num(ymd.next()?)?, num(ymd.next()?)?, num(ymd.next()?)?);
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, f)) => (hms, Some(f)),
            None => (clock, None),
        };
        let mut hms = hms.split(':');
        let (h, min, sec) = (num(hms.next()?)?, num(hms.next()?)?, num(hms.next()?)?);
        if ymd.next().is_some() || hms.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
            return None;
        }
        if fraction.is_some_and(|f| num(f).is_none()) {
            return None;
        }
        let sign = match offset.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let (oh, om) = offset[1..].split_once(':')?;
        let offset_minutes = sign * (num(oh)? * 60 + num(om)?);
        let minutes = days_from_civil(y, m, day) * 1440 + h * 60 + min - offset_minutes;
        let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
        let (y, m, day) = civil_from_days(days);
        let mut out = format!("{y:04}-{m:02}-{day:02} {:02}:{:02}:{sec:02}", minute_of_day / 60, minute_of_day % 60);
        if let Some(f) = fraction {
            out.push('.');
            out.push_str(f);
        }
        Some(out)
    }
    parse(s).unwrap_or_else(|| s.to_owned())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_datetime_defaults_are_utc_without_offset() {
        assert_eq!(utc_without_offset("2020-01-01 00:00:00 +00:00"), "2020-01-01 00:00:00");
        assert_eq!(utc_without_offset("2020-01-01 10:11:12.345 +02:00"), "2020-01-01 08:11:12.345");
        assert_eq!(utc_without_offset("2020-01-01 01:00:00 +02:30"), "2019-12-31 22:30:00");
        assert_eq!(utc_without_offset("2020-02-28 23:30:00 -01:00"), "2020-02-29 00:30:00");
        assert_eq!(utc_without_offset("1969-12-31 23:59:59.5 -00:01"), "1970-01-01 00:00:59.5");
        assert_eq!(utc_without_offset("now"), "now");
        assert_eq!(utc_without_offset("2020-13-01 00:00:00 +00:00"), "2020-13-01 00:00:00 +00:00");
    }

    #[test]
    fn precision_of_mysql_temporal_types() {
        assert_eq!(timestamp_precision("DATETIME(3)"), 3);
        assert_eq!(timestamp_precision("TIMESTAMP(0)"), 0);
        assert_eq!(timestamp_precision("DATETIME"), 0);
    }
}
