//! The three SQL dialects: the one place where names and literals are escaped, and where
//! provider names map to dialects.

/// An SQL dialect `orm` renders for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Sqlite,
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

    /// The dialect of a datasource provider as schemas and lock files spell it (`postgres` and
    /// `cockroachdb` speak PostgreSQL's); `None` for a provider without one.
    pub fn from_provider(provider: &str) -> Option<Dialect> {
        match provider {
            "sqlite" => Some(Dialect::Sqlite),
            "postgresql" | "postgres" | "cockroachdb" => Some(Dialect::Postgres),
            "mysql" => Some(Dialect::Mysql),
            _ => None,
        }
    }

    /// The canonical provider name: what `db pull` writes into a datasource and lock files record.
    pub fn provider(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::Mysql => "mysql",
        }
    }

    /// The quote character around identifiers.
    fn identifier_quote(self) -> char {
        match self {
            Dialect::Sqlite | Dialect::Postgres => '"',
            Dialect::Mysql => '`',
        }
    }

    /// Appends `name` as a quoted identifier, doubling embedded quote characters (diesel's
    /// `push_identifier`), so any name, hostile or not, stays one identifier.
    pub fn push_identifier(self, out: &mut String, name: &str) {
        let q = self.identifier_quote();
        out.push(q);
        for c in name.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
    }

    /// `name` as a quoted identifier; see [`Dialect::push_identifier`].
    pub fn quote_identifier(self, name: &str) -> String {
        let mut out = String::with_capacity(name.len() + 2);
        self.push_identifier(&mut out, name);
        out
    }

    /// Appends `value` as a string literal. Only DDL (defaults, enum values) ever needs this:
    /// values in queries are always bound parameters. Single quotes are doubled everywhere;
    /// MySQL also treats backslash as an escape character inside literals, so it is doubled there.
    pub fn push_string_literal(self, out: &mut String, value: &str) {
        out.push('\'');
        for c in value.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if self == Dialect::Mysql => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
    }

    /// `value` as a string literal; see [`Dialect::push_string_literal`].
    pub fn quote_string_literal(self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        self.push_string_literal(&mut out, value);
        out
    }

    /// The longest identifier the database keeps (PostgreSQL truncates at 63 bytes, MySQL
    /// refuses more than 64); `None` when there is no practical limit.
    pub fn max_identifier_length(self) -> Option<usize> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(63),
            Dialect::Mysql => Some(64),
        }
    }

    /// Enums are types of their own (PostgreSQL), rather than inline column types (MySQL) or
    /// plain text (SQLite).
    pub fn has_enum_types(self) -> bool {
        self == Dialect::Postgres
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_map_to_dialects_and_back() {
        for dialect in Dialect::ALL {
            assert_eq!(Dialect::from_provider(dialect.provider()), Some(dialect));
        }
        assert_eq!(Dialect::Postgres.provider(), "postgresql");
        assert_eq!(Dialect::from_provider("postgres"), Some(Dialect::Postgres));
        assert_eq!(Dialect::from_provider("cockroachdb"), Some(Dialect::Postgres));
        assert_eq!(Dialect::from_provider("mongodb"), None);
        assert_eq!(Dialect::from_provider("MySQL"), None);
    }

    #[test]
    fn identifiers_are_quoted_and_escaped() {
        assert_eq!(Dialect::Postgres.quote_identifier("User"), r#""User""#);
        assert_eq!(Dialect::Sqlite.quote_identifier(r#"a"b"#), r#""a""b""#);
        assert_eq!(Dialect::Mysql.quote_identifier("a`b"), "`a``b`");
        assert_eq!(Dialect::Mysql.quote_identifier(r#"a"b"#), r#"`a"b`"#);
        assert_eq!(Dialect::Postgres.quote_identifier(""), r#""""#);
    }

    #[test]
    fn string_literals_are_escaped() {
        assert_eq!(Dialect::Postgres.quote_string_literal("it's"), "'it''s'");
        assert_eq!(Dialect::Postgres.quote_string_literal(r"a\b"), r"'a\b'");
        assert_eq!(Dialect::Mysql.quote_string_literal(r"a\'b"), r"'a\\''b'");
        assert_eq!(Dialect::Sqlite.quote_string_literal(""), "''");
    }
}
