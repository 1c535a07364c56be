//! The description itself: plain data, ordered, comparable with `==`.
//!
//! Names are the database's names (after `@@map` / `@map`), never model or field names.
//! Vectors keep a deterministic order (the schema's order when computed, catalog order when
//! introspected); lookups are by name so the order never changes what a diff means.

/// A database: its tables and (where the database has them) enums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbSchema {
    pub tables: Vec<Table>,
    /// PostgreSQL enum types; on MySQL, one per enum column (named `<table>_<column>`, as the
    /// database's own catalog would name it); empty on SQLite.
    pub enums: Vec<DbEnum>,
}

impl DbSchema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn enum_(&self, name: &str) -> Option<&DbEnum> {
        self.enums.iter().find(|e| e.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    /// Unique, plain and fulltext indexes (unique constraints are unique indexes).
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// What a live database has on the table that the schema language has no word for:
    /// partial indexes, indexes over expressions, triggers. The differ never creates or drops
    /// one (a schema index of the same name is taken to be that index, as Prisma takes it),
    /// and a SQLite table rebuild makes them again.
    pub unmanaged: Vec<Unmanaged>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Whether `column` alone is the primary key.
    pub fn is_single_primary_key(&self, column: &str) -> bool {
        self.primary_key.as_ref().is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0].name == column)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    /// The exact database type (`VARCHAR(191)`, `TIMESTAMP(3)`, `INTEGER UNSIGNED`), without
    /// any array suffix. `None` for enum columns, whose type is the enum.
    pub native_type: Option<String>,
    pub arity: ColumnArity,
    pub default: Option<ColumnDefault>,
}

impl Column {
    pub fn is_required(&self) -> bool {
        self.arity == ColumnArity::Required
    }

    pub fn is_autoincrement(&self) -> bool {
        matches!(self.default, Some(ColumnDefault::Autoincrement))
    }
}

/// The family of a column's type, the same on every database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Int,
    BigInt,
    Float,
    Decimal,
    Boolean,
    DateTime,
    Json,
    Bytes,
    /// An enum, by its [`DbEnum`] name.
    Enum(String),
    /// A type `orm` has no family for; `native_type` says what it is.
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnArity {
    Required,
    Nullable,
    /// An array column (PostgreSQL). Nullable in the database, as Prisma creates it.
    List,
}

/// A column default, typed so that rendering can escape it for each dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnDefault {
    Value(DefaultValue),
    /// The current timestamp.
    Now,
    /// `SERIAL`, `AUTO_INCREMENT`, `INTEGER PRIMARY KEY AUTOINCREMENT`.
    Autoincrement,
    /// An SQL expression evaluated by the database (`dbgenerated("…")`), kept verbatim: it is
    /// the user's SQL, not a value.
    Expression(String),
    /// `nextval` of a named sequence (an introspected PostgreSQL default that is not `SERIAL`).
    Sequence(String),
}

/// A literal default value.
///
/// Equality is by value where the text of a value is not what a database keeps: numbers compare
/// as numbers (`2.50` = `2.5` = `25e-1`: MySQL pads decimals to their scale, PostgreSQL prints
/// `1e20` in full) and JSON as JSON (`jsonb` reorders keys and respaces). Everything else
/// compares as written; producers bring timestamps to the database's form themselves
/// ([`crate::stored_datetime`]).
#[derive(Debug, Clone)]
pub enum DefaultValue {
    String(String),
    /// A number as written, so no precision is lost (always a valid SQL numeric literal when
    /// computed by `orm`; rendered as a string literal otherwise).
    Number(String),
    Boolean(bool),
    Bytes(Vec<u8>),
    /// A timestamp in the database's literal form (`2020-01-01 00:00:00 +00:00`).
    DateTime(String),
    /// JSON text.
    Json(String),
    /// An enum value's database name.
    Enum(String),
    List(Vec<DefaultValue>),
}

impl PartialEq for DefaultValue {
    fn eq(&self, other: &DefaultValue) -> bool {
        use DefaultValue as V;
        match (self, other) {
            (V::Number(a), V::Number(b)) => {
                a == b || canonical_number(a).is_some_and(|a| Some(a) == canonical_number(b))
            }
            (V::Json(a), V::Json(b)) => a == b || same_json(a, b),
            (V::String(a), V::String(b)) | (V::DateTime(a), V::DateTime(b)) | (V::Enum(a), V::Enum(b)) => a == b,
            (V::Boolean(a), V::Boolean(b)) => a == b,
            (V::Bytes(a), V::Bytes(b)) => a == b,
            (V::List(a), V::List(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for DefaultValue {}

/// A decimal number in one spelling: no sign for zero, no leading zeros, no trailing fractional
/// zeros, no exponent (`-02.50e1` → `-25`). `None` when `s` is not `-?digits[.digits][e±digits]`
/// or its exponent is beyond any real default.
pub fn canonical_number(s: &str) -> Option<String> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let is_digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !is_digits(int) || !is_digits(frac) || mantissa.ends_with('.') || exponent.abs() > 400 {
        return None;
    }
    // All digits, and where the decimal point falls among them.
    let digits: String = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(exponent);
    let (int, frac) = if point <= 0 {
        (String::new(), format!("{}{digits}", "0".repeat((-point) as usize)))
    } else if point as usize >= digits.len() {
        (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
    } else {
        (digits[..point as usize].to_owned(), digits[point as usize..].to_owned())
    };
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(int.is_empty() && frac.is_empty()) {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}

/// Whether two JSON texts hold the same value (object keys in any order).
fn same_json(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// The constraint name where the database keeps one (PostgreSQL).
    pub name: Option<String>,
    pub columns: Vec<IndexColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    Unique,
    Normal,
    /// MySQL `FULLTEXT`.
    Fulltext,
}

/// A PostgreSQL index access method other than the default B-tree, or MySQL's `HASH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexAlgorithm {
    BTree,
    Hash,
    Gist,
    Gin,
    SpGist,
    Brin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub kind: IndexKind,
    pub columns: Vec<IndexColumn>,
    /// `None` is the database's default (B-tree).
    pub algorithm: Option<IndexAlgorithm>,
}

/// An object on a table kept as the database defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmanaged {
    pub kind: UnmanagedKind,
    pub name: String,
    /// Its `CREATE …` statement, as the database prints it.
    pub definition: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmanagedKind {
    Index,
    Trigger,
}

impl Unmanaged {
    /// Whether its definition names `identifier`: quoted (`"note"`), or bare as a whole word
    /// in any case outside quoted names (`NEW.note`, `lower(note)`). String literals count as
    /// text too, which can only make it say yes: the object is then left out of a rebuild, and
    /// the data-loss checks say so.
    pub fn mentions(&self, identifier: &str) -> bool {
        if identifier.is_empty() {
            // SQLite allows a column named `""`; only its quoted form can name it.
            return self.definition.contains("\"\"");
        }
        let text = &self.definition;
        let quoted = format!("\"{}\"", identifier.replace('"', "\"\""));
        if text.contains(&quoted) {
            return true;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        // Bare names only outside quoted ones (`"x y"` does not name `x`).
        let bare: String = text.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        let lower = bare.to_lowercase();
        let wanted = identifier.to_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&wanted) {
            let start = from + at;
            let end = start + wanted.len();
            let before = lower[..start].chars().next_back();
            let after = lower[end..].chars().next();
            if !before.is_some_and(word) && !after.is_some_and(word) {
                return true;
            }
            from = end;
        }
        false
    }

    /// The definition with the quoted identifier `from` written as `to` (a rename).
    pub fn rename(&mut self, from: &str, to: &str) {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        self.definition = self.definition.replace(&quote(from), &quote(to));
    }
}

/// A column of an index or key. Equality treats what a catalog cannot tell from nothing as
/// nothing: a written `ASC`, and an operator class that is the default one.
#[derive(Debug, Clone, Eq)]
pub struct IndexColumn {
    pub name: String,
    /// As declared; `None` when not written (ascending).
    pub sort: Option<SortOrder>,
    /// MySQL prefix length.
    pub length: Option<u32>,
    /// PostgreSQL operator class (`gin_trgm_ops`).
    pub operator_class: Option<OperatorClass>,
}

impl PartialEq for IndexColumn {
    fn eq(&self, other: &IndexColumn) -> bool {
        let descending = |c: &IndexColumn| c.sort == Some(SortOrder::Desc);
        let class = |c: &IndexColumn| c.operator_class.as_ref().filter(|o| !o.is_default).map(|o| o.name.clone());
        self.name == other.name
            && descending(self) == descending(other)
            && self.length == other.length
            && class(self) == class(other)
    }
}

impl IndexColumn {
    pub fn new(name: impl Into<String>) -> IndexColumn {
        IndexColumn { name: name.into(), sort: None, length: None, operator_class: None }
    }
}

/// An index column's operator class, by its database name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorClass {
    pub name: String,
    /// The index method's default for the column's type (`array_ops` under GIN): the index is
    /// the same with it written or not.
    pub is_default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint name (SQLite keeps it only in the table's SQL text).
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: ForeignKeyAction,
    pub on_update: ForeignKeyAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForeignKeyAction {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

impl ForeignKeyAction {
    /// The SQL keywords.
    pub fn as_sql(self) -> &'static str {
        match self {
            ForeignKeyAction::Cascade => "CASCADE",
            ForeignKeyAction::Restrict => "RESTRICT",
            ForeignKeyAction::NoAction => "NO ACTION",
            ForeignKeyAction::SetNull => "SET NULL",
            ForeignKeyAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// An enum: a PostgreSQL type, or the value list of a MySQL `ENUM(…)` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbEnum {
    pub name: String,
    /// Database values, in declaration order.
    pub values: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmanaged_objects_know_the_names_they_use() {
        let trigger = Unmanaged {
            kind: UnmanagedKind::Trigger,
            name: "t".into(),
            definition: "CREATE TRIGGER t AFTER INSERT ON \"T\" BEGIN SELECT NEW.Note, \"x y\"; END".into(),
        };
        assert!(trigger.mentions("note") && trigger.mentions("x y") && trigger.mentions("T"));
        assert!(!trigger.mentions("not") && !trigger.mentions("x") && !trigger.mentions(""));
        let mut renamed = trigger.clone();
        renamed.rename("x y", "z");
        assert!(renamed.mentions("z") && !renamed.mentions("x y"));
    }

    #[test]
    fn numbers_have_one_spelling() {
        for (written, canonical) in [
            ("2.50", "2.5"),
            ("2.500000000000000000000000000000", "2.5"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("007", "7"),
            ("1e20", "100000000000000000000"),
            ("-1e-3", "-0.001"),
            ("25E-1", "2.5"),
            ("+3", "3"),
            ("0.000", "0"),
        ] {
            assert_eq!(canonical_number(written).as_deref(), Some(canonical), "{written}");
        }
        for not_a_number in ["", "-", ".5", "1.", "1e", "1e999999", "0x10", "1 2", "NaN"] {
            assert_eq!(canonical_number(not_a_number), None, "{not_a_number}");
        }
    }

    #[test]
    fn defaults_compare_by_value() {
        let n = |s: &str| DefaultValue::Number(s.to_owned());
        assert_eq!(n("2.50"), n("2.5"));
        assert_ne!(n("2.51"), n("2.5"));
        let j = |s: &str| DefaultValue::Json(s.to_owned());
        assert_eq!(j(r#"{"b":1, "a": [1,2]}"#), j(r#"{"a": [1, 2], "b": 1}"#));
        assert_ne!(j(r#"{"a": 1}"#), j(r#"{"a": 2}"#));
        assert_ne!(n("1"), DefaultValue::String("1".to_owned()));
    }
}
