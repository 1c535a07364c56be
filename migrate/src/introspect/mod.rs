//! Introspection: a live database read back into the [`DbSchema`] codegen computes from a schema.
//! Tooling only (`migrate dev`, `db pull`, drift checks): applications never compile it.
//!
//! Both sides of a migration diff are one type, so what a catalog reports is brought to exactly
//! the form `orm_codegen::db_schema::from_schema` produces: type names as that writes them
//! (`int(11)` → `INTEGER`, `character varying(191)` → `VARCHAR(191)`, `tinyint(1)` →
//! `BOOLEAN`), defaults typed by their column (`'b''q'::"Kind"` → the enum value `b'q`,
//! `nextval(…)` of an owned sequence → autoincrement, `current_timestamp(3)` → now), MySQL's
//! inline enums named `<table>_<column>`, and foreign keys, indexes and enum values in their
//! declared order. The invariant this serves: a database a migration just produced diffs
//! clean against the schema it was migrated to, on every backend. Anything the project has no
//! word for is kept as the database prints it (an unsupported type, an expression default).
//!
//! The migration history table (Prisma's `_prisma_migrations`, which `orm` shares) is not
//! part of the schema and is skipped. Every query is
//! a static string; names only ever travel as bound parameters.

mod mysql;
mod postgres;
mod sqlite;

pub use mysql::mysql;
pub use postgres::postgres;
pub use sqlite::sqlite;

use orm_db_schema::{ColumnType, DbSchema, DefaultValue, Dialect, stored_datetime};
use orm_runtime::migrate::{Connection, MigrateError, Migration, Migrator, ShadowDb};

/// The database a runner is connected to, history tables left out (PostgreSQL: its current
/// schema).
pub async fn database(migrator: &mut Migrator) -> Result<DbSchema, MigrateError> {
    let read = match migrator.connection() {
        Connection::Sqlite(c) => sqlite(c).await,
        Connection::Postgres(c) => postgres(c, &[]).await,
        Connection::Mysql(c) => mysql(c).await,
    };
    read.map_err(MigrateError::from_sqlx)
}

/// Applies `migrations` to a shadow database and reads back what they built.
pub async fn replayed(shadow: &mut ShadowDb, migrations: &[Migration]) -> Result<DbSchema, MigrateError> {
    shadow.replay(migrations).await?;
    database(shadow.migrator()).await
}

/// Tables that belong to the migration machinery, not to the schema.
pub const HISTORY_TABLES: [&str; 1] = ["_prisma_migrations"];

fn is_history_table(name: &str) -> bool {
    HISTORY_TABLES.contains(&name)
}

/// A constant as a catalog prints it, before its column's type says what it is.
#[derive(Debug, Clone, PartialEq)]
enum Literal {
    /// A quoted string, unescaped.
    Text(String),
    /// A bare number, as printed.
    Number(String),
    Boolean(bool),
    /// SQLite's `X'…'`.
    Bytes(Vec<u8>),
    /// PostgreSQL's `ARRAY[…]`.
    List(Vec<Literal>),
}

/// `literal` as the default of a column of family `ty` and native type `native`; `None` when it
/// cannot be one (the caller then keeps the expression as written).
fn typed_default(dialect: Dialect, ty: &ColumnType, native: Option<&str>, literal: Literal) -> Option<DefaultValue> {
    let number = |s: &str| orm_db_schema::canonical_number(s).is_some();
    Some(match (ty, literal) {
        (_, Literal::List(items)) => DefaultValue::List(
            items.into_iter().map(|i| typed_default(dialect, ty, native, i)).collect::<Option<Vec<_>>>()?,
        ),
        (ColumnType::Boolean, Literal::Boolean(b)) => DefaultValue::Boolean(b),
        (ColumnType::Boolean, Literal::Number(n) | Literal::Text(n)) => match n.to_ascii_lowercase().as_str() {
            "1" | "true" | "t" => DefaultValue::Boolean(true),
            "0" | "false" | "f" => DefaultValue::Boolean(false),
            _ => return None,
        },
        (ColumnType::Int | ColumnType::BigInt | ColumnType::Float | ColumnType::Decimal, Literal::Number(n)) => {
            DefaultValue::Number(n)
        }
        (ColumnType::Int | ColumnType::BigInt | ColumnType::Float | ColumnType::Decimal, Literal::Text(n))
            if number(&n) =>
        {
            DefaultValue::Number(n)
        }
        (ColumnType::DateTime, Literal::Text(s)) => {
            DefaultValue::DateTime(stored_datetime(dialect, native.unwrap_or_default(), &s))
        }
        (ColumnType::Json, Literal::Text(s)) => DefaultValue::Json(s),
        (ColumnType::Enum(_), Literal::Text(s)) => DefaultValue::Enum(s),
        (ColumnType::Bytes, Literal::Bytes(b)) => DefaultValue::Bytes(b),
        (ColumnType::Bytes, Literal::Text(s)) => DefaultValue::Bytes(decode_hex(s.strip_prefix("\\x")?)?),
        (ColumnType::String | ColumnType::Unsupported, Literal::Text(s)) => DefaultValue::String(s),
        (ColumnType::Unsupported, Literal::Number(n)) => DefaultValue::Number(n),
        (ColumnType::Unsupported, Literal::Boolean(b)) => DefaultValue::Boolean(b),
        _ => return None,
    })
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// Whether `s` is a number as SQL prints one (`-2`, `1.5`, `1e-3`).
fn is_number(s: &str) -> bool {
    orm_db_schema::canonical_number(s).is_some()
}

/// The length of a number at the start of `s`, if it starts with one.
fn number_prefix(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut end = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits_from = end;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    if end == digits_from {
        return None;
    }
    if end < bytes.len() && matches!(bytes[end], b'e' | b'E') {
        let mut e = end + 1;
        if e < bytes.len() && matches!(bytes[e], b'-' | b'+') {
            e += 1;
        }
        let start = e;
        while e < bytes.len() && bytes[e].is_ascii_digit() {
            e += 1;
        }
        if e > start {
            end = e;
        }
    }
    is_number(&s[..end]).then_some(end)
}

/// `s` without one pair of parentheses around all of it (`(a) + (b)` keeps its own).
fn strip_outer_parentheses(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_take_their_column_type() {
        let d = Dialect::Postgres;
        assert_eq!(
            typed_default(d, &ColumnType::Int, Some("INTEGER"), Literal::Text("-2".into())),
            Some(DefaultValue::Number("-2".into()))
        );
        assert_eq!(typed_default(d, &ColumnType::Int, None, Literal::Text("x".into())), None);
        assert_eq!(
            typed_default(d, &ColumnType::Boolean, None, Literal::Number("1".into())),
            Some(DefaultValue::Boolean(true))
        );
        assert_eq!(
            typed_default(d, &ColumnType::Bytes, None, Literal::Text("\\x010203".into())),
            Some(DefaultValue::Bytes(vec![1, 2, 3]))
        );
        assert_eq!(
            typed_default(
                d,
                &ColumnType::DateTime,
                Some("TIMESTAMPTZ(6)"),
                Literal::Text("2020-01-01 00:00:00+00".into())
            ),
            Some(DefaultValue::DateTime("2020-01-01 00:00:00 +00:00".into()))
        );
    }

    #[test]
    fn numbers_and_parentheses() {
        assert_eq!(number_prefix("-2.5e3::int"), Some(6));
        assert_eq!(number_prefix("12"), Some(2));
        assert_eq!(number_prefix("x"), None);
        assert_eq!(number_prefix("-"), None);
        assert_eq!(strip_outer_parentheses("(gen_random_uuid())"), Some("gen_random_uuid()"));
        assert_eq!(strip_outer_parentheses("(a) + (b)"), None);
        assert_eq!(strip_outer_parentheses("(')')"), Some("')'"));
        assert_eq!(strip_outer_parentheses("x"), None);
    }
}
