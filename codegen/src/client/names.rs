//! Rust names for schema names: snake_case fields and modules, UpperCamelCase variants, `r#`
//! for keywords, and deterministic fixes when two schema names would become one Rust name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's keywords, strict and reserved, of every edition.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that can't be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// `name` as an identifier: `r#type` for keywords, `type_` for the few that can't be raw.
pub fn ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name.to_owned()
    }
}

pub fn snake(name: &str) -> String {
    let s = name.to_snake_case();
    if s.is_empty() { "_".to_owned() } else { s }
}

pub fn camel(name: &str) -> String {
    let s = name.to_upper_camel_case();
    if s.is_empty() { "_".to_owned() } else { s }
}

/// Converts each name with `convert`, keeping every result distinct: a name whose conversion
/// is taken by another keeps its schema spelling (`createdAt` next to `created_at`), and a
/// numeric suffix settles what is still left. `taken` are names reserved beforehand.
pub fn distinct(names: &[&str], convert: impl Fn(&str) -> String, taken: &[&str]) -> Vec<String> {
    let mut used: Vec<String> = taken.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let wanted = convert(name);
        // A name already spelled the converted way owns that spelling.
        let owned_by_other = names.iter().enumerate().any(|(j, other)| j != i && *other == wanted);
        let base = if used.contains(&wanted) || owned_by_other { name.to_string() } else { wanted };
        let mut chosen = base.clone();
        let mut n = 2;
        while used.contains(&chosen) {
            chosen = format!("{base}_{n}");
            n += 1;
        }
        used.push(chosen.clone());
        out.push(chosen);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("email"), "email");
        assert_eq!(ident("1st"), "_1st");
    }

    #[test]
    fn clashing_names_stay_distinct() {
        let names = ["createdAt", "created_at", "id"];
        assert_eq!(distinct(&names, snake, &[]), ["createdAt", "created_at", "id"]);
        let names = ["created_at", "createdAt"];
        assert_eq!(distinct(&names, snake, &[]), ["created_at", "createdAt"]);
        let names = ["userId", "user_Id"];
        assert_eq!(distinct(&names, snake, &[]), ["user_id", "user_Id"]);
        assert_eq!(distinct(&["Raw"], snake, &["raw"]), ["Raw"]);
        assert_eq!(distinct(&["a", "a"], snake, &[]), ["a", "a_2"]);
    }
}
