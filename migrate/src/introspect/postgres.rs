//! PostgreSQL, from `pg_catalog`: one query per kind of object over every table of the given
//! schemas. Types come from `format_type` (`character varying(191)`), defaults from
//! `pg_get_expr` (`'b''q'::"Kind"`, `ARRAY['a'::text]`, `nextval('"T_id_seq"'::regclass)`),
//! and both are brought to `from_schema`'s spelling. Objects an extension owns (`pg_depend`
//! deptype `e`: PostGIS's `spatial_ref_sys`, its types) are not the project's and are left out.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, ColumnType, DbEnum, DbSchema, Dialect, ForeignKey, ForeignKeyAction, Index,
    IndexAlgorithm, IndexColumn, IndexKind, OperatorClass, PrimaryKey, SortOrder, Table, Unmanaged, UnmanagedKind,
};
use sqlx::PgConnection;

use super::{Literal, is_history_table, number_prefix, typed_default};

/// The tables and enums of `schemas` (the connection's current schema when empty). `DbSchema`
/// does not qualify names, so tables of several schemas must not share a name.
pub async fn postgres(conn: &mut PgConnection, schemas: &[String]) -> Result<DbSchema, sqlx::Error> {
    let schemas: Vec<String> = if schemas.is_empty() {
        vec![sqlx::query_scalar("SELECT current_schema()::text").fetch_one(&mut *conn).await?]
    } else {
        schemas.to_vec()
    };
    let mut db = DbSchema::default();

    let enum_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.typname::text, e.enumlabel::text FROM pg_type t \
         JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid \
         WHERE n.nspname::text = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_depend d \
           WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e') \
         ORDER BY t.oid, e.enumsortorder",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    for (name, value) in enum_rows {
        match db.enums.last_mut() {
            Some(e) if e.name == name => e.values.push(value),
            _ => db.enums.push(DbEnum { name, values: vec![value] }),
        }
    }

    let tables: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.oid::int8, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d \
             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') \
         ORDER BY c.oid",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    let mut oids = Vec::new();
    for (oid, name) in tables.into_iter().filter(|(_, name)| !is_history_table(name)) {
        oids.push(oid);
        db.tables.push(Table { name, ..Table::default() });
    }
    let table_of = |oid: i64| oids.iter().position(|o| *o == oid);

    let columns: Vec<ColumnRow> = sqlx::query_as(
        "SELECT a.attrelid::int8, a.attname::text, a.attnotnull, t.typcategory = 'A', \
                format_type(et.oid, a.atttypmod), et.typtype::text, et.typname::text, \
                pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, \
                CASE WHEN a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' \
                     THEN pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) \
                END \
         FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_type t ON t.oid = a.atttypid \
         JOIN pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
           AND a.attgenerated = '' \
         ORDER BY a.attrelid, a.attnum",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    for row in columns {
        if let Some(t) = table_of(row.0) {
            db.tables[t].columns.push(column(row));
        }
    }

    // Key columns of every plain index (no expressions, no predicate), in key order.
    let index_rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT i.indrelid::int8, ic.relname::text, i.indisunique, i.indisprimary, am.amname::text, \
                a.attname::text, (k.opt & 1) = 1, i.indpred IS NULL AND i.indexprs IS NULL, \
                oc.opcname::text, oc.opcdefault \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_am am ON am.oid = ic.relam \
         CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[], i.indclass::oid[]) \
              WITH ORDINALITY AS k(attnum, opt, class, ord) \
         LEFT JOIN pg_opclass oc ON oc.oid = k.class \
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p') AND k.ord <= i.indnkeyatts \
         ORDER BY i.indrelid, i.indexrelid, k.ord",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    let mut skipped: Vec<String> = Vec::new();
    for (oid, name, unique, primary, method, column, descending, plain, class, class_is_default) in index_rows {
        let Some(t) = table_of(oid) else { continue };
        let table = &mut db.tables[t];
        if skipped.contains(&name) {
            continue;
        }
        let Some(column) = column.filter(|_| plain) else {
            // An expression or partial index: kept as its definition (read below).
            table.indexes.retain(|i| i.name != name);
            skipped.push(name);
            continue;
        };
        let operator_class = class.map(|name| OperatorClass { name, is_default: class_is_default.unwrap_or(true) });
        let sort = descending.then_some(SortOrder::Desc);
        let column = IndexColumn { name: column, sort, length: None, operator_class };
        if primary {
            // Neither sort order nor operator class is part of `from_schema`'s PostgreSQL keys.
            let column = IndexColumn::new(column.name);
            match &mut table.primary_key {
                Some(pk) if pk.name.as_deref() == Some(name.as_str()) => pk.columns.push(column),
                _ => table.primary_key = Some(PrimaryKey { name: Some(name), columns: vec![column] }),
            }
            continue;
        }
        match table.indexes.last_mut() {
            Some(index) if index.name == name => index.columns.push(column),
            _ => table.indexes.push(Index {
                name,
                kind: if unique { IndexKind::Unique } else { IndexKind::Normal },
                columns: vec![column],
                algorithm: algorithm(&method),
            }),
        }
    }

    // Partial and expression indexes, as `CREATE INDEX` statements.
    let unmanaged: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT i.indrelid::int8, ic.relname::text, pg_get_indexdef(i.indexrelid) \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p') \
           AND (i.indpred IS NOT NULL OR i.indexprs IS NOT NULL) \
         ORDER BY i.indrelid, i.indexrelid",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    for (oid, name, definition) in unmanaged {
        if let Some(t) = table_of(oid) {
            db.tables[t].unmanaged.push(Unmanaged { kind: UnmanagedKind::Index, name, definition });
        }
    }

    let fk_rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT con.conrelid::int8, con.conname::text, rc.relname::text, a.attname::text, ra.attname::text, \
                con.confdeltype::text, con.confupdtype::text \
         FROM pg_constraint con \
         JOIN pg_class c ON c.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_class rc ON rc.oid = con.confrelid \
         CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord) \
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
         JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum \
         WHERE con.contype = 'f' AND n.nspname::text = ANY($1) AND c.relkind IN ('r', 'p') \
         ORDER BY con.conrelid, con.oid, k.ord",
    )
    .bind(&schemas)
    .fetch_all(&mut *conn)
    .await?;
    for (oid, name, target, column, referenced, on_delete, on_update) in fk_rows {
        let Some(t) = table_of(oid) else { continue };
        let fks = &mut db.tables[t].foreign_keys;
        match fks.last_mut() {
            Some(fk) if fk.name.as_deref() == Some(name.as_str()) => {
                fk.columns.push(column);
                fk.referenced_columns.push(referenced);
            }
            _ => fks.push(ForeignKey {
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

/// Table oid, index name, unique, primary, access method, column (none for an expression),
/// descending, plain (neither partial nor over expressions), operator class and whether it is
/// the default one.
type IndexRow = (i64, String, bool, bool, String, Option<String>, bool, bool, Option<String>, Option<bool>);

/// Table oid, name, `NOT NULL`, is an array, element type (formatted with the column's
/// modifier), its `typtype`, its name, the default expression, `attidentity`, the sequence the
/// column owns.
type ColumnRow = (i64, String, bool, bool, String, String, String, Option<String>, String, Option<String>);

fn column(row: ColumnRow) -> Column {
    let (_, name, not_null, is_array, formatted, kind, type_name, default, identity, owned_sequence) = row;
    let (ty, native_type) = if kind == "e" {
        (ColumnType::Enum(type_name), None)
    } else {
        let (ty, native) = column_type(&formatted);
        (ty, Some(native))
    };
    let arity = match (is_array, not_null) {
        (true, _) => ColumnArity::List,
        (false, true) => ColumnArity::Required,
        (false, false) => ColumnArity::Nullable,
    };
    let default = if !identity.is_empty() {
        Some(ColumnDefault::Autoincrement)
    } else {
        default.map(|expr| column_default(&ty, native_type.as_deref(), arity, &expr, owned_sequence.is_some()))
    };
    Column { name, ty, native_type, arity, default }
}

/// `format_type` text → the family and `from_schema`'s spelling (`timestamp(3) without time
/// zone` → `TIMESTAMP(3)`). Types it has no family for keep PostgreSQL's text.
fn column_type(formatted: &str) -> (ColumnType, String) {
    // The modifier sits inside the words (`timestamp(3) with time zone`): take it out.
    let (words, args) = match (formatted.find('('), formatted.find(')')) {
        (Some(open), Some(close)) if open < close => (
            format!("{}{}", &formatted[..open], &formatted[close + 1..]),
            Some(formatted[open + 1..close].replace(' ', "")),
        ),
        _ => (formatted.to_owned(), None),
    };
    let (ty, base) = match words.trim() {
        "integer" => (ColumnType::Int, "INTEGER"),
        "smallint" => (ColumnType::Int, "SMALLINT"),
        "oid" => (ColumnType::Int, "OID"),
        "bigint" => (ColumnType::BigInt, "BIGINT"),
        "text" => (ColumnType::String, "TEXT"),
        "character varying" => (ColumnType::String, "VARCHAR"),
        "character" => (ColumnType::String, "CHAR"),
        "bit" => (ColumnType::String, "BIT"),
        "bit varying" => (ColumnType::String, "VARBIT"),
        "uuid" => (ColumnType::String, "UUID"),
        "xml" => (ColumnType::String, "XML"),
        "inet" => (ColumnType::String, "INET"),
        "citext" => (ColumnType::String, "CITEXT"),
        "double precision" => (ColumnType::Float, "DOUBLE PRECISION"),
        "real" => (ColumnType::Float, "REAL"),
        "numeric" => (ColumnType::Decimal, "DECIMAL"),
        "money" => (ColumnType::Decimal, "MONEY"),
        "boolean" => (ColumnType::Boolean, "BOOLEAN"),
        "timestamp without time zone" => (ColumnType::DateTime, "TIMESTAMP"),
        "timestamp with time zone" => (ColumnType::DateTime, "TIMESTAMPTZ"),
        "date" => (ColumnType::DateTime, "DATE"),
        "time without time zone" => (ColumnType::DateTime, "TIME"),
        "time with time zone" => (ColumnType::DateTime, "TIMETZ"),
        "jsonb" => (ColumnType::Json, "JSONB"),
        "json" => (ColumnType::Json, "JSON"),
        "bytea" => (ColumnType::Bytes, "BYTEA"),
        _ => return (ColumnType::Unsupported, formatted.to_owned()),
    };
    match args {
        Some(args) => (ty, format!("{base}({args})")),
        None => (ty, base.to_owned()),
    }
}

/// A `pg_get_expr` default as `from_schema` would have it.
fn column_default(
    ty: &ColumnType,
    native: Option<&str>,
    arity: ColumnArity,
    expr: &str,
    owns_sequence: bool,
) -> ColumnDefault {
    let expr = expr.trim();
    if let Some(rest) = expr.strip_prefix("nextval(") {
        if owns_sequence {
            return ColumnDefault::Autoincrement;
        }
        if let Some(name) = sequence_name(rest) {
            return ColumnDefault::Sequence(name);
        }
    }
    let lower = expr.to_ascii_lowercase();
    if lower == "current_timestamp" || lower == "now()" || lower.starts_with("current_timestamp(") {
        return ColumnDefault::Now;
    }
    let literal = match parse_literal(expr) {
        // A list default only fits a list column, and a list column only a list default.
        Some((literal, "")) if matches!(literal, Literal::List(_)) == (arity == ColumnArity::List) => Some(literal),
        _ => None,
    };
    match literal.and_then(|l| typed_default(Dialect::Postgres, ty, native, l)) {
        Some(value) => ColumnDefault::Value(value),
        None => ColumnDefault::Expression(expr.to_owned()),
    }
}

/// `'"T_id_seq"'::regclass)` → `T_id_seq` (the name, unquoted and without its schema).
fn sequence_name(rest: &str) -> Option<String> {
    let (Literal::Text(qualified), tail) = parse_literal(rest.strip_suffix(')')?)? else { return None };
    if !tail.is_empty() {
        return None;
    }
    // The last dot outside quotes separates the schema.
    let mut last = String::new();
    let mut chars = qualified.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    last.push(d);
                }
            }
            '.' => last.clear(),
            c => last.push(c),
        }
    }
    Some(last)
}

/// One constant at the start of `s` with its casts (`'x'::text`, `-1.5`, `ARRAY['a'::text]`,
/// `(…)`), and what follows it.
fn parse_literal(s: &str) -> Option<(Literal, &str)> {
    let s = s.trim_start();
    let (literal, rest) = if let Some(inner) = s.strip_prefix('(') {
        let (literal, rest) = parse_literal(inner)?;
        (literal, rest.trim_start().strip_prefix(')')?)
    } else if let Some(items) = s.strip_prefix("ARRAY[") {
        let mut values = Vec::new();
        let mut rest = items.trim_start();
        if let Some(after) = rest.strip_prefix(']') {
            rest = after;
        } else {
            loop {
                let (value, after) = parse_literal(rest)?;
                values.push(value);
                let after = after.trim_start();
                if let Some(after) = after.strip_prefix(',') {
                    rest = after;
                } else {
                    rest = after.strip_prefix(']')?;
                    break;
                }
            }
        }
        (Literal::List(values), rest)
    } else if s.starts_with('\'') || s.starts_with("E'") {
        let escapes = s.starts_with('E');
        let body = if escapes { &s[2..] } else { &s[1..] };
        let mut text = String::new();
        let mut chars = body.char_indices();
        let end = loop {
            let (i, c) = chars.next()?;
            match c {
                '\'' if body[i + 1..].starts_with('\'') => {
                    chars.next();
                    text.push('\'');
                }
                '\'' => break i + 1,
                '\\' if escapes => {
                    let (_, e) = chars.next()?;
                    text.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                }
                c => text.push(c),
            }
        };
        (Literal::Text(text), &body[end..])
    } else if let Some(len) = number_prefix(s) {
        (Literal::Number(s[..len].to_owned()), &s[len..])
    } else if let Some(rest) = s.strip_prefix("true") {
        (Literal::Boolean(true), rest)
    } else if let Some(rest) = s.strip_prefix("false") {
        (Literal::Boolean(false), rest)
    } else {
        return None;
    };
    Some((literal, skip_casts(rest)?))
}

/// Skips `::type` casts (`::character varying`, `::"Kind"[]`, `::numeric(10,2)`).
fn skip_casts(mut s: &str) -> Option<&str> {
    loop {
        let trimmed = s.trim_start();
        let Some(after) = trimmed.strip_prefix("::") else { return Some(s) };
        // A type (`text[]`, `numeric(10,2)`) runs to the next `,`, `]` or `)` of the enclosing
        // expression.
        let mut depth = 0;
        let mut quoted = false;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '(' | '[' if !quoted => depth += 1,
                ')' | ']' if !quoted && depth > 0 => depth -= 1,
                ',' | ']' | ')' if !quoted && depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        if end == 0 {
            return None;
        }
        s = &after[end..];
    }
}

fn algorithm(method: &str) -> Option<IndexAlgorithm> {
    match method {
        "hash" => Some(IndexAlgorithm::Hash),
        "gist" => Some(IndexAlgorithm::Gist),
        "gin" => Some(IndexAlgorithm::Gin),
        "spgist" => Some(IndexAlgorithm::SpGist),
        "brin" => Some(IndexAlgorithm::Brin),
        _ => None,
    }
}

fn action(code: &str) -> ForeignKeyAction {
    match code {
        "c" => ForeignKeyAction::Cascade,
        "r" => ForeignKeyAction::Restrict,
        "n" => ForeignKeyAction::SetNull,
        "d" => ForeignKeyAction::SetDefault,
        _ => ForeignKeyAction::NoAction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_db_schema::DefaultValue;

    fn value(ty: ColumnType, native: &str, expr: &str) -> ColumnDefault {
        column_default(&ty, Some(native), ColumnArity::Required, expr, false)
    }

    #[test]
    fn catalog_defaults_become_typed_values() {
        let v = ColumnDefault::Value;
        assert_eq!(value(ColumnType::Int, "INTEGER", "'-2'::integer"), v(DefaultValue::Number("-2".into())));
        assert_eq!(value(ColumnType::Float, "REAL", "'-0.001'::numeric"), v(DefaultValue::Number("-0.001".into())));
        assert_eq!(value(ColumnType::Decimal, "DECIMAL(10,2)", "2.50"), v(DefaultValue::Number("2.50".into())));
        assert_eq!(value(ColumnType::String, "TEXT", r"'it''s \x'::text"), v(DefaultValue::String(r"it's \x".into())));
        assert_eq!(value(ColumnType::Enum("Kind".into()), "", "'b''q'::\"Kind\""), v(DefaultValue::Enum("b'q".into())));
        assert_eq!(value(ColumnType::Boolean, "BOOLEAN", "false"), v(DefaultValue::Boolean(false)));
        assert_eq!(value(ColumnType::Bytes, "BYTEA", r"'\x010203'::bytea"), v(DefaultValue::Bytes(vec![1, 2, 3])));
        assert_eq!(
            value(ColumnType::DateTime, "TIMESTAMP(3)", "'2020-01-01 10:11:12.345'::timestamp without time zone"),
            v(DefaultValue::DateTime("2020-01-01 10:11:12.345".into()))
        );
        assert_eq!(value(ColumnType::DateTime, "TIMESTAMP(3)", "CURRENT_TIMESTAMP"), ColumnDefault::Now);
        assert_eq!(
            value(ColumnType::String, "UUID", "gen_random_uuid()"),
            ColumnDefault::Expression("gen_random_uuid()".into())
        );
        let list = |expr| column_default(&ColumnType::String, Some("TEXT"), ColumnArity::List, expr, false);
        assert_eq!(
            list("ARRAY['a'::text, 'b'::text]"),
            v(DefaultValue::List(vec![DefaultValue::String("a".into()), DefaultValue::String("b".into())]))
        );
        assert_eq!(list("ARRAY[]::text[]"), v(DefaultValue::List(vec![])));
        assert_eq!(
            column_default(&ColumnType::Int, Some("INTEGER"), ColumnArity::List, "ARRAY[1, '-2'::integer]", false),
            v(DefaultValue::List(vec![DefaultValue::Number("1".into()), DefaultValue::Number("-2".into())]))
        );
    }

    #[test]
    fn sequences() {
        let seq = |expr, owned| column_default(&ColumnType::Int, Some("INTEGER"), ColumnArity::Required, expr, owned);
        assert_eq!(seq("nextval('\"T_id_seq\"'::regclass)", true), ColumnDefault::Autoincrement);
        assert_eq!(seq("nextval('public.\"a.b\"'::regclass)", false), ColumnDefault::Sequence("a.b".into()));
        assert_eq!(seq("nextval('t_bb_seq'::regclass)", false), ColumnDefault::Sequence("t_bb_seq".into()));
    }

    #[test]
    fn types_are_spelled_as_from_schema_spells_them() {
        assert_eq!(column_type("character varying(191)"), (ColumnType::String, "VARCHAR(191)".into()));
        assert_eq!(column_type("timestamp(6) with time zone"), (ColumnType::DateTime, "TIMESTAMPTZ(6)".into()));
        assert_eq!(column_type("timestamp without time zone"), (ColumnType::DateTime, "TIMESTAMP".into()));
        assert_eq!(column_type("numeric(65,30)"), (ColumnType::Decimal, "DECIMAL(65,30)".into()));
        assert_eq!(column_type("character(1)"), (ColumnType::String, "CHAR(1)".into()));
        assert_eq!(column_type("tsvector"), (ColumnType::Unsupported, "tsvector".into()));
    }
}
