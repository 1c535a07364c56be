//! MySQL and MariaDB, from `information_schema` of the connection's database. `COLUMN_TYPE`
//! gives the type (`int(11)`, `enum('A','b''q')`); the two servers print defaults differently
//! (MariaDB quotes string literals and writes expressions bare, MySQL 8 writes both bare and
//! flags expressions `DEFAULT_GENERATED`); MariaDB's `JSON` is a `longtext` with a
//! `json_valid` check. Each column's enum is named `<table>_<column>`, as `from_schema` names it.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, ColumnType, DbEnum, DbSchema, Dialect, ForeignKey, ForeignKeyAction, Index,
    IndexColumn, IndexKind, PrimaryKey, SortOrder, Table,
};
use sqlx::MySqlConnection;

use super::{Literal, is_history_table, is_number, typed_default};

/// The tables of the connection's current database.
pub async fn mysql(conn: &mut MySqlConnection) -> Result<DbSchema, sqlx::Error> {
    let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)").fetch_one(&mut *conn).await?;
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let mut db = DbSchema::default();

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )
    .fetch_all(&mut *conn)
    .await?;
    for name in tables.into_iter().filter(|n| !is_history_table(n)) {
        db.tables.push(Table { name, ..Table::default() });
    }

    // MariaDB keeps `JSON` as `longtext CHECK (json_valid(col))`.
    let json_checks: Vec<(String, String)> = if mariadb {
        sqlx::query_as(
            "SELECT CAST(TABLE_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR) FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE()",
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };

    let columns: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR), \
                CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR) \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, name, column_type, nullable, default, extra) in columns {
        let Some(t) = db.tables.iter().position(|t| t.name == table) else { continue };
        let json_check = format!("json_valid({})", Dialect::Mysql.quote_identifier(&name));
        let json = column_type.eq_ignore_ascii_case("longtext")
            && json_checks.iter().any(|(t, clause)| *t == table && *clause == json_check);
        let (ty, native_type) = match enum_values(&column_type) {
            Some(values) => {
                let enum_name = format!("{table}_{name}");
                db.enums.push(DbEnum { name: enum_name.clone(), values });
                (ColumnType::Enum(enum_name), None)
            }
            None if json => (ColumnType::Json, Some("JSON".to_owned())),
            None => {
                let (ty, native) = column_type_of(&column_type);
                (ty, Some(native))
            }
        };
        let extra = extra.to_ascii_lowercase();
        let default = if extra.contains("auto_increment") {
            Some(ColumnDefault::Autoincrement)
        } else {
            default.and_then(|d| column_default(&ty, native_type.as_deref(), &d, mariadb, &extra))
        };
        let arity = if nullable == "YES" { ColumnArity::Nullable } else { ColumnArity::Required };
        db.tables[t].columns.push(Column { name, ty, native_type, arity, default });
    }

    let index_rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED), \
                CAST(COLUMN_NAME AS CHAR), CAST(SUB_PART AS SIGNED), CAST(COLLATION AS CHAR), CAST(INDEX_TYPE AS CHAR) \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut skipped: Vec<(String, String)> = Vec::new();
    for (table, name, non_unique, column, sub_part, collation, index_type) in index_rows {
        let Some(t) = db.tables.iter_mut().find(|t| t.name == table) else { continue };
        if skipped.contains(&(table.clone(), name.clone())) {
            continue;
        }
        let Some(column) = column else {
            // A functional index (MySQL 8): `orm` has no word for it, so it is left alone.
            t.indexes.retain(|i| i.name != name);
            skipped.push((table, name));
            continue;
        };
        let column = IndexColumn {
            name: column,
            sort: (collation.as_deref() == Some("D")).then_some(SortOrder::Desc),
            length: sub_part.and_then(|l| u32::try_from(l).ok()),
            operator_class: None,
        };
        if name == "PRIMARY" {
            t.primary_key.get_or_insert_with(|| PrimaryKey { name: None, columns: Vec::new() }).columns.push(column);
            continue;
        }
        match t.indexes.last_mut() {
            Some(index) if index.name == name => index.columns.push(column),
            _ => t.indexes.push(Index {
                name,
                kind: match (index_type.as_str(), non_unique) {
                    ("FULLTEXT", _) => IndexKind::Fulltext,
                    (_, 0) => IndexKind::Unique,
                    _ => IndexKind::Normal,
                },
                columns: vec![column],
                algorithm: None,
            }),
        }
    }

    let fk_rows: Vec<(String, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), CAST(k.COLUMN_NAME AS CHAR), \
                CAST(k.REFERENCED_TABLE_NAME AS CHAR), CAST(k.REFERENCED_COLUMN_NAME AS CHAR), \
                CAST(r.DELETE_RULE AS CHAR), CAST(r.UPDATE_RULE AS CHAR) \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
          AND r.TABLE_NAME = k.TABLE_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, name, column, target, referenced, on_delete, on_update) in fk_rows {
        let Some(t) = db.tables.iter_mut().find(|t| t.name == table) else { continue };
        match t.foreign_keys.last_mut() {
            Some(fk) if fk.name.as_deref() == Some(name.as_str()) => {
                fk.columns.push(column);
                fk.referenced_columns.push(referenced);
            }
            _ => t.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns: vec![column],
                referenced_table: target,
                referenced_columns: vec![referenced],
                on_delete: action(&on_delete),
                on_update: action(&on_update),
            }),
        }
    }
    Ok(db)
}

/// Table, index name, non-unique, column (none for an expression), prefix length, collation
/// (`D` for descending), index type.
type IndexRow = (String, String, i64, Option<String>, Option<i64>, Option<String>, String);

/// `enum('A','b''q')` → `["A", "b'q"]`.
fn enum_values(column_type: &str) -> Option<Vec<String>> {
    let lower = column_type.get(..5)?.to_ascii_lowercase();
    if lower != "enum(" {
        return None;
    }
    let mut rest = column_type[5..].strip_suffix(')')?;
    let mut values = Vec::new();
    loop {
        let (value, after) = quoted(rest)?;
        values.push(value);
        match after.strip_prefix(',') {
            Some(after) => rest = after,
            None if after.is_empty() => return Some(values),
            None => return None,
        }
    }
}

/// A `'…'` literal at the start of `s` (quotes doubled or backslash-escaped inside), and what
/// follows it.
fn quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' if matches!(chars.peek(), Some((_, '\''))) => {
                chars.next();
                out.push('\'');
            }
            '\'' => return Some((out, &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    'Z' => '\u{1a}',
                    other => other,
                });
            }
            c => out.push(c),
        }
    }
    None
}

/// `COLUMN_TYPE` → the family and `from_schema`'s spelling: integer display widths dropped
/// (`int(11)` → `INTEGER`) except `tinyint(1)`, which is `BOOLEAN`; precisions written out
/// (`datetime` → `DATETIME(0)`); decimals as `DECIMAL(p, s)`.
fn column_type_of(column_type: &str) -> (ColumnType, String) {
    let lower = column_type.trim().to_ascii_lowercase();
    let unsigned = lower.contains(" unsigned");
    let core = lower.replace(" unsigned", "").replace(" zerofill", "");
    let (base, args) = match core.split_once('(') {
        Some((base, rest)) => (base.trim().to_owned(), Some(rest.trim_end_matches(')').replace(' ', ""))),
        None => (core.trim().to_owned(), None),
    };
    let suffix = if unsigned { " UNSIGNED" } else { "" };
    let with_args = |name: &str, default: &str| match &args {
        Some(a) => format!("{name}({a})"),
        None => format!("{name}({default})"),
    };
    let (ty, native) = match base.as_str() {
        "int" | "integer" => (ColumnType::Int, format!("INTEGER{suffix}")),
        "smallint" => (ColumnType::Int, format!("SMALLINT{suffix}")),
        "mediumint" => (ColumnType::Int, format!("MEDIUMINT{suffix}")),
        "tinyint" if args.as_deref() == Some("1") && !unsigned => (ColumnType::Boolean, "BOOLEAN".to_owned()),
        "tinyint" => (ColumnType::Int, format!("TINYINT{suffix}")),
        "year" => (ColumnType::Int, "YEAR".to_owned()),
        "bigint" => (ColumnType::BigInt, format!("BIGINT{suffix}")),
        "float" => (ColumnType::Float, "FLOAT".to_owned()),
        "double" => (ColumnType::Float, "DOUBLE".to_owned()),
        "decimal" | "numeric" => {
            let (p, s) = match args.as_deref().map(|a| a.split_once(',').unwrap_or((a, "0"))) {
                Some((p, s)) => (p.to_owned(), s.to_owned()),
                None => ("10".to_owned(), "0".to_owned()),
            };
            (ColumnType::Decimal, format!("DECIMAL({p}, {s})"))
        }
        "varchar" => (ColumnType::String, with_args("VARCHAR", "1")),
        "char" => (ColumnType::String, with_args("CHAR", "1")),
        "tinytext" | "text" | "mediumtext" | "longtext" => (ColumnType::String, base.to_ascii_uppercase()),
        "binary" => (ColumnType::Bytes, with_args("BINARY", "1")),
        "varbinary" => (ColumnType::Bytes, with_args("VARBINARY", "1")),
        "tinyblob" | "blob" | "mediumblob" | "longblob" => (ColumnType::Bytes, base.to_ascii_uppercase()),
        "bit" if args.as_deref().is_none_or(|a| a == "1") => (ColumnType::Boolean, "BIT(1)".to_owned()),
        "bit" => (ColumnType::Bytes, with_args("BIT", "1")),
        "datetime" => (ColumnType::DateTime, with_args("DATETIME", "0")),
        "timestamp" => (ColumnType::DateTime, with_args("TIMESTAMP", "0")),
        "time" => (ColumnType::DateTime, with_args("TIME", "0")),
        "date" => (ColumnType::DateTime, "DATE".to_owned()),
        "json" => (ColumnType::Json, "JSON".to_owned()),
        _ => return (ColumnType::Unsupported, column_type.to_owned()),
    };
    (ty, native)
}

/// `COLUMN_DEFAULT` as `from_schema` would have it. MariaDB writes `NULL` for no default,
/// quotes literals and writes expressions bare; MySQL writes literals bare and marks
/// expressions `DEFAULT_GENERATED` in `EXTRA`.
fn column_default(
    ty: &ColumnType,
    native: Option<&str>,
    text: &str,
    mariadb: bool,
    extra: &str,
) -> Option<ColumnDefault> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("current_timestamp") || lower == "now()" {
        return Some(ColumnDefault::Now);
    }
    let literal = if mariadb {
        if text == "NULL" {
            return None;
        }
        match quoted(text) {
            Some((s, "")) => Some(Literal::Text(s)),
            _ if is_number(text) => Some(Literal::Number(text.to_owned())),
            _ => None,
        }
    } else if extra.contains("default_generated") {
        None
    } else if is_number(text) && !matches!(ty, ColumnType::String | ColumnType::Enum(_)) {
        Some(Literal::Number(text.to_owned()))
    } else {
        Some(Literal::Text(text.to_owned()))
    };
    Some(match literal.and_then(|l| typed_default(Dialect::Mysql, ty, native, l)) {
        Some(value) => ColumnDefault::Value(value),
        None => ColumnDefault::Expression(super::strip_outer_parentheses(text).unwrap_or(text).to_owned()),
    })
}

fn action(rule: &str) -> ForeignKeyAction {
    match rule {
        "CASCADE" => ForeignKeyAction::Cascade,
        "SET NULL" => ForeignKeyAction::SetNull,
        "SET DEFAULT" => ForeignKeyAction::SetDefault,
        "NO ACTION" => ForeignKeyAction::NoAction,
        _ => ForeignKeyAction::Restrict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_db_schema::DefaultValue;

    #[test]
    fn types_are_spelled_as_from_schema_spells_them() {
        let t = |s| column_type_of(s).1;
        assert_eq!(t("int(11)"), "INTEGER");
        assert_eq!(t("int(10) unsigned"), "INTEGER UNSIGNED");
        assert_eq!(t("tinyint(1)"), "BOOLEAN");
        assert_eq!(t("tinyint(4)"), "TINYINT");
        assert_eq!(t("decimal(65,30)"), "DECIMAL(65, 30)");
        assert_eq!(t("datetime"), "DATETIME(0)");
        assert_eq!(t("datetime(3)"), "DATETIME(3)");
        assert_eq!(t("varchar(191)"), "VARCHAR(191)");
        assert_eq!(t("bigint(20)"), "BIGINT");
        assert_eq!(column_type_of("geometry"), (ColumnType::Unsupported, "geometry".into()));
        assert_eq!(enum_values("enum('A','b''q','c,d')"), Some(vec!["A".into(), "b'q".into(), "c,d".into()]));
    }

    #[test]
    fn mariadb_defaults() {
        let d = |ty: ColumnType, native: &str, text: &str| column_default(&ty, Some(native), text, true, "");
        assert_eq!(d(ColumnType::String, "VARCHAR(191)", "NULL"), None);
        assert_eq!(
            d(ColumnType::String, "VARCHAR(191)", r"'it''s \\ x'"),
            Some(ColumnDefault::Value(DefaultValue::String(r"it's \ x".into())))
        );
        assert_eq!(
            d(ColumnType::String, "VARCHAR(191)", "'NULL'"),
            Some(ColumnDefault::Value(DefaultValue::String("NULL".into())))
        );
        assert_eq!(
            d(ColumnType::Decimal, "DECIMAL(65, 30)", "2.500000000000000000000000000000"),
            Some(ColumnDefault::Value(DefaultValue::Number("2.5".into())))
        );
        assert_eq!(d(ColumnType::Boolean, "BOOLEAN", "1"), Some(ColumnDefault::Value(DefaultValue::Boolean(true))));
        assert_eq!(d(ColumnType::DateTime, "DATETIME(3)", "current_timestamp(3)"), Some(ColumnDefault::Now));
        assert_eq!(
            d(ColumnType::DateTime, "DATETIME(3)", "'2020-01-01 00:00:00.000'"),
            Some(ColumnDefault::Value(DefaultValue::DateTime("2020-01-01 00:00:00".into())))
        );
        assert_eq!(d(ColumnType::String, "VARCHAR(191)", "uuid()"), Some(ColumnDefault::Expression("uuid()".into())));
    }

    #[test]
    fn mysql_defaults() {
        let d = |ty: ColumnType, text: &str, extra: &str| column_default(&ty, Some("VARCHAR(191)"), text, false, extra);
        assert_eq!(d(ColumnType::String, "a'b", ""), Some(ColumnDefault::Value(DefaultValue::String("a'b".into()))));
        assert_eq!(
            d(ColumnType::String, "uuid()", "default_generated"),
            Some(ColumnDefault::Expression("uuid()".into()))
        );
    }
}
