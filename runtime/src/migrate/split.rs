//! A migration script cut into statements, so the runner can count applied steps, say which
//! statement failed, and (on PostgreSQL) commit enum values before they are used.
//!
//! A scanner, not a parser: it knows where a `;` is not a statement's end — inside quotes
//! (`'…'` with `''`, MySQL's backslash escapes, `"…"`, `` `…` ``), comments (`--`, `/* */`,
//! MySQL's `#`), PostgreSQL's dollar quotes (`$body$ … $body$`), and the `BEGIN … END` body of
//! a trigger, function or procedure.

use orm_db_schema::Dialect;

/// The statements of `script`, trimmed, without their `;`, skipping pieces that are only
/// whitespace and comments.
pub fn split_statements(script: &str, dialect: Dialect) -> Vec<&str> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Words of the current statement, for bodies: whether it creates a routine, and its depth.
    let mut words: Vec<String> = Vec::new();
    let mut depth = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' | b'`' => i = skip_quoted(bytes, i, dialect),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = skip_line(bytes, i),
            b'#' if dialect == Dialect::Mysql => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = script[i + 2..].find("*/").map_or(bytes.len(), |end| i + 2 + end + 2);
            }
            b'$' if dialect == Dialect::Postgres => i = skip_dollar_quoted(script, i),
            b';' if depth == 0 => {
                push_statement(&mut out, &script[start..i]);
                i += 1;
                start = i;
                words.clear();
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
                let word = script[i..end].to_ascii_uppercase();
                if creates_routine(&words) {
                    match word.as_str() {
                        "BEGIN" | "CASE" => depth += 1,
                        "END" => {
                            depth = depth.saturating_sub(1);
                            // `END IF`, `END LOOP`…: the closing word is part of the `END`.
                            let next = next_word(&script[end..]);
                            if matches!(next.as_str(), "IF" | "LOOP" | "WHILE" | "REPEAT" | "CASE") {
                                depth += usize::from(next != "CASE");
                            }
                        }
                        _ => {}
                    }
                }
                if words.len() < 8 {
                    words.push(word);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    push_statement(&mut out, &script[start..]);
    out
}

fn push_statement<'a>(out: &mut Vec<&'a str>, piece: &'a str) {
    let piece = piece.trim();
    if !strip_leading_comments(piece).is_empty() {
        out.push(piece);
    }
}

/// `statement` without the comments and whitespace before its first word.
pub fn strip_leading_comments(mut statement: &str) -> &str {
    loop {
        statement = statement.trim_start();
        if let Some(rest) = statement.strip_prefix("--").or_else(|| statement.strip_prefix('#')) {
            statement = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = statement.strip_prefix("/*") {
            statement = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return statement;
        }
    }
}

/// Whether a statement starting with `words` creates a trigger, function or procedure, whose
/// body holds statements of its own.
fn creates_routine(words: &[String]) -> bool {
    words.first().is_some_and(|w| w == "CREATE")
        && words.iter().any(|w| matches!(w.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE" | "EVENT"))
}

fn next_word(s: &str) -> String {
    s.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>().to_uppercase()
}

/// The index after the quoted text starting at `i`.
fn skip_quoted(bytes: &[u8], i: usize, dialect: Dialect) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if quote == b'\'' && dialect == Dialect::Mysql => j += 2,
            b if b == quote && bytes.get(j + 1) == Some(&quote) => j += 2,
            b if b == quote => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |p| i + p + 1)
}

/// The index after a dollar-quoted string at `i` (`$$…$$`, `$tag$…$tag$`), or after the `$`
/// when it does not open one (a parameter like `$1`).
fn skip_dollar_quoted(script: &str, i: usize) -> usize {
    let rest = &script[i + 1..];
    let tag_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let tag = &rest[..tag_len];
    if rest.as_bytes().get(tag_len) != Some(&b'$') || tag.starts_with(|c: char| c.is_ascii_digit()) {
        return i + 1;
    }
    let delimiter = &script[i..i + tag_len + 2];
    let body = i + delimiter.len();
    script[body..].find(delimiter).map_or(script.len(), |end| body + end + delimiter.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_end_at_semicolons_outside_quotes_and_comments() {
        let script = "-- CreateTable\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');\n\n\
                      /* a; comment */ INSERT INTO t VALUES (';');\n-- only a comment;\n  ";
        assert_eq!(
            split_statements(script, Dialect::Postgres),
            vec![
                "-- CreateTable\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine')",
                "/* a; comment */ INSERT INTO t VALUES (';')",
            ]
        );
    }

    #[test]
    fn mysql_backslashes_and_hash_comments() {
        let script = "INSERT INTO t VALUES ('a\\';b'); # c;\nSELECT `x;y` FROM t";
        assert_eq!(
            split_statements(script, Dialect::Mysql),
            vec!["INSERT INTO t VALUES ('a\\';b')", "# c;\nSELECT `x;y` FROM t"]
        );
        // Elsewhere a backslash is an ordinary character.
        assert_eq!(split_statements("SELECT 'a\\'; SELECT 2", Dialect::Sqlite), vec!["SELECT 'a\\'", "SELECT 2"]);
    }

    #[test]
    fn dollar_quotes_and_routine_bodies_stay_whole() {
        let function =
            "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN x := 1; RETURN NEW; END; $body$ LANGUAGE plpgsql";
        let script = format!("{function};\nSELECT $1");
        assert_eq!(split_statements(&script, Dialect::Postgres), vec![function, "SELECT $1"]);

        let trigger =
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; DELETE FROM c; END";
        let script = format!("{trigger};\nDROP TABLE d;");
        assert_eq!(split_statements(&script, Dialect::Sqlite), vec![trigger, "DROP TABLE d"]);

        let procedure = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; END";
        assert_eq!(split_statements(&format!("{procedure}; SELECT 2"), Dialect::Mysql), vec![procedure, "SELECT 2"]);
    }

    #[test]
    fn leading_comments_are_stripped() {
        assert_eq!(strip_leading_comments("-- a\n /* b */ # c\nALTER"), "ALTER");
        assert_eq!(strip_leading_comments("-- only"), "");
    }
}
