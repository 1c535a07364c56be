//! SQLite, from `sqlite_master` and the table-valued pragmas. Types are the declared text;
//! defaults are the SQL text as written in `CREATE TABLE`; an `INTEGER` primary key is the rowid
//! (autoincrement, as Prisma and `from_schema` see it). Foreign-key names exist only in the
//! table's SQL text, so they are read from it.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, ColumnType, DbSchema, Dialect, ForeignKey, ForeignKeyAction, Index,
    IndexColumn, IndexKind, PrimaryKey, SortOrder, Table, Unmanaged, UnmanagedKind,
};
use sqlx::SqliteConnection;

use super::{Literal, is_history_table, number_prefix, strip_outer_parentheses, typed_default};

/// The tables of the main database of `conn`, with their columns, keys, indexes and foreign keys.
pub async fn sqlite(conn: &mut SqliteConnection) -> Result<DbSchema, sqlx::Error> {
    let tables: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY rowid",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut db = DbSchema::default();
    let mut unresolved: Vec<(usize, usize)> = Vec::new();
    for (name, sql) in tables.into_iter().filter(|(name, _)| !is_history_table(name)) {
        let mut table = Table { name: name.clone(), ..Table::default() };
        read_columns(conn, &mut table).await?;
        read_indexes(conn, &mut table).await?;
        read_triggers(conn, &mut table).await?;
        let named = sql.as_deref().map(named_foreign_keys).unwrap_or_default();
        let (fks, missing_targets) = read_foreign_keys(conn, &name, &named).await?;
        table.foreign_keys = fks;
        unresolved.extend(missing_targets.into_iter().map(|fk| (db.tables.len(), fk)));
        db.tables.push(table);
    }
    // `REFERENCES t` without columns means t's primary key.
    for (table, fk) in unresolved {
        let target = db.tables[table].foreign_keys[fk].referenced_table.clone();
        let pk: Vec<String> = db
            .table(&target)
            .and_then(|t| t.primary_key.as_ref())
            .map(|pk| pk.columns.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        db.tables[table].foreign_keys[fk].referenced_columns = pk;
    }
    Ok(db)
}

async fn read_columns(conn: &mut SqliteConnection, table: &mut Table) -> Result<(), sqlx::Error> {
    // `hidden` is 0 for ordinary columns (2 and 3 are generated columns, 1 virtual-table ones).
    let rows: Vec<(String, String, bool, Option<String>, i64)> = sqlx::query_as(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
    )
    .bind(&table.name)
    .fetch_all(&mut *conn)
    .await?;
    let mut key: Vec<(i64, String)> = rows.iter().filter(|r| r.4 > 0).map(|r| (r.4, r.0.clone())).collect();
    key.sort();
    if !key.is_empty() {
        table.primary_key =
            Some(PrimaryKey { name: None, columns: key.iter().map(|(_, c)| IndexColumn::new(c)).collect() });
    }
    for (name, declared, not_null, default, _) in rows {
        let (ty, native_type) = column_type(&declared);
        let rowid = key.len() == 1 && key[0].1 == name && native_type.eq_ignore_ascii_case("INTEGER");
        let default = if rowid {
            Some(ColumnDefault::Autoincrement)
        } else {
            default.map(|d| column_default(&ty, &native_type, &d))
        };
        let arity = if not_null { ColumnArity::Required } else { ColumnArity::Nullable };
        table.columns.push(Column { name, ty, native_type: Some(native_type), arity, default });
    }
    Ok(())
}

/// The family of a declared type, and the type as `from_schema` writes it (upper case for the
/// types it knows, as declared otherwise).
fn column_type(declared: &str) -> (ColumnType, String) {
    let upper = declared.trim().to_ascii_uppercase();
    let base = upper.split('(').next().unwrap_or_default().trim();
    let ty = match base {
        "INTEGER" | "INT" => ColumnType::Int,
        "BIGINT" => ColumnType::BigInt,
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" => ColumnType::Float,
        "DECIMAL" | "NUMERIC" => ColumnType::Decimal,
        "BOOLEAN" => ColumnType::Boolean,
        "DATETIME" | "DATE" | "TIMESTAMP" => ColumnType::DateTime,
        "JSONB" | "JSON" => ColumnType::Json,
        "BLOB" => ColumnType::Bytes,
        "TEXT" | "VARCHAR" | "CHAR" | "CHARACTER" | "NVARCHAR" | "CLOB" => ColumnType::String,
        _ => return (ColumnType::Unsupported, declared.to_owned()),
    };
    (ty, upper)
}

/// A default as SQLite keeps it: the SQL text of the `DEFAULT` clause.
fn column_default(ty: &ColumnType, native: &str, text: &str) -> ColumnDefault {
    let text = text.trim();
    let literal = if let Some(s) = string_literal(text) {
        Some(Literal::Text(s))
    } else if let Some(hex) = text.strip_prefix(['X', 'x']).and_then(string_literal) {
        super::decode_hex(&hex).map(Literal::Bytes)
    } else if number_prefix(text) == Some(text.len()) {
        Some(Literal::Number(text.trim_start_matches('+').to_owned()))
    } else if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") {
        Some(Literal::Boolean(text.eq_ignore_ascii_case("true")))
    } else {
        None
    };
    if let Some(value) = literal.and_then(|l| typed_default(Dialect::Sqlite, ty, Some(native), l)) {
        return ColumnDefault::Value(value);
    }
    if text.eq_ignore_ascii_case("CURRENT_TIMESTAMP") {
        return ColumnDefault::Now;
    }
    // `from_schema`'s `dbgenerated("f()")` is written `DEFAULT (f())`.
    ColumnDefault::Expression(strip_outer_parentheses(text).unwrap_or(text).to_owned())
}

/// The content of `'…'` (quotes doubled inside) when `text` is exactly one such literal.
fn string_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside, a quote only ever comes doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

async fn read_indexes(conn: &mut SqliteConnection, table: &mut Table) -> Result<(), sqlx::Error> {
    // `origin` is `c` for CREATE INDEX, `u` for a UNIQUE constraint, `pk` for the primary key;
    // `seq` counts down from the newest.
    let indexes: Vec<(String, bool, String, bool)> = sqlx::query_as(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) WHERE origin <> 'pk' ORDER BY seq DESC",
    )
    .bind(&table.name)
    .fetch_all(&mut *conn)
    .await?;
    'indexes: for (name, unique, _, partial) in indexes {
        if partial {
            keep_unmanaged(conn, table, name).await?;
            continue;
        }
        let rows: Vec<(Option<String>, bool)> =
            sqlx::query_as("SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno")
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
        let mut columns = Vec::with_capacity(rows.len());
        for (column, desc) in rows {
            // An expression index has no column name: kept as its definition.
            let Some(column) = column else {
                keep_unmanaged(conn, table, name).await?;
                continue 'indexes;
            };
            let sort = desc.then_some(SortOrder::Desc);
            columns.push(IndexColumn { name: column, sort, length: None, operator_class: None });
        }
        let kind = if unique { IndexKind::Unique } else { IndexKind::Normal };
        table.indexes.push(Index { name, kind, columns, algorithm: None });
    }
    Ok(())
}

/// The table's triggers, kept as their `CREATE TRIGGER` statements: a rebuild makes them again.
async fn read_triggers(conn: &mut SqliteConnection, table: &mut Table) -> Result<(), sqlx::Error> {
    let triggers: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE ORDER BY rowid",
    )
    .bind(&table.name)
    .fetch_all(&mut *conn)
    .await?;
    for (name, definition) in triggers {
        if let Some(definition) = definition {
            table.unmanaged.push(Unmanaged { kind: UnmanagedKind::Trigger, name, definition });
        }
    }
    Ok(())
}

/// Keeps index `name` of `table` as the `CREATE INDEX` statement SQLite holds for it.
async fn keep_unmanaged(conn: &mut SqliteConnection, table: &mut Table, name: String) -> Result<(), sqlx::Error> {
    let definition: Option<String> =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1")
            .bind(&name)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    if let Some(definition) = definition {
        table.unmanaged.push(Unmanaged { kind: UnmanagedKind::Index, name, definition });
    }
    Ok(())
}

/// Reads the foreign keys of `table`, naming them from its SQL text. Also returns the
/// positions of keys whose referenced columns were left implicit (the target's primary key).
async fn read_foreign_keys(
    conn: &mut SqliteConnection,
    table: &str,
    named: &[NamedForeignKey],
) -> Result<(Vec<ForeignKey>, Vec<usize>), sqlx::Error> {
    let rows: Vec<(i64, String, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) \
         ORDER BY id DESC, seq",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    let mut fks: Vec<ForeignKey> = Vec::new();
    let mut implicit = Vec::new();
    let mut current: Option<i64> = None;
    for (id, target, from, to, on_update, on_delete) in rows {
        if current != Some(id) {
            current = Some(id);
            fks.push(ForeignKey {
                name: None,
                columns: Vec::new(),
                referenced_table: target,
                referenced_columns: Vec::new(),
                on_delete: action(&on_delete),
                on_update: action(&on_update),
            });
        }
        let Some(fk) = fks.last_mut() else { continue };
        fk.columns.push(from);
        match to {
            Some(to) => fk.referenced_columns.push(to),
            None if !implicit.contains(&(fks.len() - 1)) => implicit.push(fks.len() - 1),
            None => {}
        }
    }
    let mut used = vec![false; named.len()];
    for fk in &mut fks {
        let found = named.iter().enumerate().find(|(i, n)| {
            !used[*i] && n.columns == fk.columns && n.referenced_table.eq_ignore_ascii_case(&fk.referenced_table)
        });
        if let Some((i, n)) = found {
            used[i] = true;
            fk.name = Some(n.name.clone());
        }
    }
    Ok((fks, implicit))
}

fn action(text: &str) -> ForeignKeyAction {
    match text.to_ascii_uppercase().as_str() {
        "CASCADE" => ForeignKeyAction::Cascade,
        "RESTRICT" => ForeignKeyAction::Restrict,
        "SET NULL" => ForeignKeyAction::SetNull,
        "SET DEFAULT" => ForeignKeyAction::SetDefault,
        _ => ForeignKeyAction::NoAction,
    }
}

/// `CONSTRAINT "name" FOREIGN KEY ("a", …) REFERENCES "t"`, as found in a `CREATE TABLE`.
#[derive(Debug, PartialEq)]
struct NamedForeignKey {
    name: String,
    columns: Vec<String>,
    referenced_table: String,
}

/// The named table-level foreign keys in the text of a `CREATE TABLE` statement.
fn named_foreign_keys(sql: &str) -> Vec<NamedForeignKey> {
    let tokens = tokenize(sql);
    let mut out = Vec::new();
    let keyword = |t: Option<&Token>, k: &str| matches!(t, Some(Token::Word(w)) if w.eq_ignore_ascii_case(k));
    let mut i = 0;
    while i < tokens.len() {
        if keyword(tokens.get(i), "CONSTRAINT")
            && keyword(tokens.get(i + 2), "FOREIGN")
            && keyword(tokens.get(i + 3), "KEY")
            && tokens.get(i + 4) == Some(&Token::Punct('('))
        {
            let Some(name) = tokens.get(i + 1).and_then(Token::name) else {
                i += 1;
                continue;
            };
            let mut j = i + 5;
            let mut columns = Vec::new();
            while let Some(column) = tokens.get(j).and_then(Token::name) {
                columns.push(column);
                j += 1;
                if tokens.get(j) == Some(&Token::Punct(',')) {
                    j += 1;
                }
            }
            if tokens.get(j) == Some(&Token::Punct(')'))
                && keyword(tokens.get(j + 1), "REFERENCES")
                && let Some(referenced_table) = tokens.get(j + 2).and_then(Token::name)
            {
                out.push(NamedForeignKey { name, columns, referenced_table });
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A bare word (keyword or unquoted name).
    Word(String),
    /// A quoted identifier (`"…"`, `` `…` ``, `[…]`), unescaped.
    Quoted(String),
    /// A string literal; its content does not matter here.
    Literal,
    Punct(char),
}

impl Token {
    fn name(&self) -> Option<String> {
        match self {
            Token::Word(w) => Some(w.clone()),
            Token::Quoted(q) => Some(q.clone()),
            _ => None,
        }
    }
}

/// Enough of SQLite's lexer to find names: quoted identifiers, literals, words, punctuation;
/// comments and whitespace skipped.
fn tokenize(sql: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '`' | '\'' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut text = String::new();
                while let Some(d) = chars.next() {
                    if d == close {
                        // A doubled quote is one quote character (not in `[…]`).
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                            text.push(d);
                            continue;
                        }
                        break;
                    }
                    text.push(d);
                }
                tokens.push(if c == '\'' { Token::Literal } else { Token::Quoted(text) });
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Word(word));
            }
            c => tokens.push(Token::Punct(c)),
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_db_schema::DefaultValue;

    #[test]
    fn foreign_key_names_come_from_the_table_text() {
        let sql = r#"CREATE TABLE "Other" (
    "id" INTEGER NOT NULL PRIMARY KEY, -- a "comment"
    "ca" INTEGER, "cb" TEXT DEFAULT 'CONSTRAINT x FOREIGN KEY',
    CONSTRAINT "Other_ca_cb_fkey" FOREIGN KEY ("ca", "cb") REFERENCES "Comp" ("a", "b") ON DELETE SET NULL,
    CONSTRAINT [we""ird] FOREIGN KEY (id) REFERENCES `T"x`(id)
)"#;
        assert_eq!(
            named_foreign_keys(sql),
            [
                NamedForeignKey {
                    name: "Other_ca_cb_fkey".into(),
                    columns: vec!["ca".into(), "cb".into()],
                    referenced_table: "Comp".into()
                },
                NamedForeignKey {
                    name: "we\"\"ird".into(),
                    columns: vec!["id".into()],
                    referenced_table: "T\"x".into()
                },
            ]
        );
    }

    #[test]
    fn defaults_are_read_back_as_from_schema_writes_them() {
        let v = |ty: ColumnType, native: &str, text: &str| column_default(&ty, native, text);
        assert_eq!(
            v(ColumnType::String, "TEXT", "'it''s \"x\"'"),
            ColumnDefault::Value(DefaultValue::String("it's \"x\"".into()))
        );
        assert_eq!(v(ColumnType::Float, "REAL", "-2"), ColumnDefault::Value(DefaultValue::Number("-2".into())));
        assert_eq!(v(ColumnType::Boolean, "BOOLEAN", "true"), ColumnDefault::Value(DefaultValue::Boolean(true)));
        assert_eq!(v(ColumnType::Bytes, "BLOB", "X'010203'"), ColumnDefault::Value(DefaultValue::Bytes(vec![1, 2, 3])));
        assert_eq!(v(ColumnType::DateTime, "DATETIME", "CURRENT_TIMESTAMP"), ColumnDefault::Now);
        assert_eq!(
            v(ColumnType::String, "TEXT", "(gen_random_uuid())"),
            ColumnDefault::Expression("gen_random_uuid()".into())
        );
        assert_eq!(
            v(ColumnType::Json, "JSONB", r#"'{"a": 1}'"#),
            ColumnDefault::Value(DefaultValue::Json(r#"{"a": 1}"#.into()))
        );
        assert_eq!(string_literal("'a'b'"), None);
    }

    #[test]
    fn declared_types_map_to_families() {
        assert_eq!(column_type("integer"), (ColumnType::Int, "INTEGER".into()));
        assert_eq!(column_type("DECIMAL"), (ColumnType::Decimal, "DECIMAL".into()));
        assert_eq!(column_type("geometry"), (ColumnType::Unsupported, "geometry".into()));
    }
}
