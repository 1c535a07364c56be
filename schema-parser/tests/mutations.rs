//! Property test: mutated schemas never make the parser, the validator or the formatter panic,
//! and formatting a file without syntax errors is idempotent.

use proptest::prelude::*;

const SEED: &str = include_str!("../../schema.example.orm");

/// Pieces of schema syntax to splice in, so mutations reach deep into the grammar.
const TOKENS: &[&str] = &[
    "@",
    "@@",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\\",
    ",",
    ":",
    "?",
    "[]",
    "=",
    "\n",
    "//",
    "///",
    "/*",
    "*/",
    "/** x */",
    " ",
    "\t",
    "@relation(",
    "fields: [",
    "references: [",
    "@default(",
    "@id",
    "@unique",
    "@map(\"x\")",
    "model X {",
    "enum E {",
    "Int",
    "String",
    "Json",
    "@db.VarChar(",
    "autoincrement()",
    "now()",
    "Unsupported(\"x\")",
    "é",
    "\u{0}",
    "\r",
    "\u{a0}",
    "\u{3000}",
    "{ a: 1 }",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let boundary = |at: usize| {
        let mut i = at % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match *m {
        Mutation::Delete { at, len } => {
            let start = boundary(at);
            let end = boundary(start.saturating_add(len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Mutation::Insert { at, token } => {
            let i = boundary(at);
            format!("{}{}{}", &text[..i], TOKENS[token], &text[i..])
        }
        Mutation::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let l = line % lines.len();
                lines.insert(l, lines[l]);
            }
            lines.join("\n")
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_schemas_never_panic(mutations in prop::collection::vec(mutation(), 1..8)) {
        let mut text = SEED.to_string();
        for m in &mutations {
            text = apply(&text, m);
        }
        let checked = orm_schema::check_str(&text);
        for d in checked.diagnostics.iter() {
            let _ = checked.files.render(d, false);
        }
        let file = checked.files.get(orm_schema::FileId(0));
        let formatted = orm_schema::format::format_file(&checked.asts[0], &file.text, &[]);
        let syntax_ok = !checked.diagnostics.iter().any(|d| d.code.as_str() < "E0100");
        if syntax_ok {
            let again = orm_schema::check_str(&formatted);
            let twice = orm_schema::format::format_file(&again.asts[0], &formatted, &[]);
            prop_assert_eq!(&formatted, &twice, "format is not idempotent");
        }
    }
}
