//! Text → [`SchemaAst`], with syntax diagnostics. Never fails and never panics.
//!
//! pest does the recognising; this module turns its pairs into the typed tree and reports the
//! catch-all lines. A call limit keeps pathological nesting from exhausting the stack.

use std::num::NonZeroUsize;
use std::sync::Once;

use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::span::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct PslParser;

/// A backstop against pathological input; real schemas use a few hundred calls per line.
const CALL_LIMIT: usize = 200_000_000;

/// Brackets and parentheses nested deeper than this are reported instead of parsed, so the
/// recursive descent cannot exhaust the stack. Real schemas nest three or four levels.
const MAX_NESTING: usize = 64;

/// Parses one file. Syntax problems are pushed to `diags`; the tree holds everything else.
pub fn parse(text: &str, file: FileId, diags: &mut Diagnostics) -> SchemaAst {
    static LIMIT: Once = Once::new();
    LIMIT.call_once(|| pest::set_call_limit(NonZeroUsize::new(CALL_LIMIT)));

    if let Some(offset) = too_deep(text) {
        diags.push(
            Diagnostic::new(
                Code::InvalidTopLevelLine,
                Span::new(file, offset, offset + 1),
                format!("brackets are nested more than {MAX_NESTING} levels deep; the file was not parsed"),
            )
            .with_help("simplify the nesting of brackets and parentheses"),
        );
        return SchemaAst { tops: Vec::new() };
    }
    match PslParser::parse(Rule::schema, text) {
        Ok(mut pairs) => {
            let schema = pairs.next().expect("the schema rule always produces one pair");
            let mut b = Builder { file, text, diags };
            b.schema(schema)
        }
        Err(e) => {
            // Only reachable through the call limit (the grammar has catch-alls) — report it at
            // the position pest gives and keep nothing.
            let pos = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            diags.push(
                Diagnostic::new(
                    Code::InvalidTopLevelLine,
                    Span::new(file, pos, pos),
                    "this schema is too deeply nested to parse",
                )
                .with_help("simplify the nesting of brackets and parentheses"),
            );
            SchemaAst { tops: Vec::new() }
        }
    }
}

/// The offset of the first bracket nested deeper than [`MAX_NESTING`], outside strings and
/// `//` comments. Brackets inside `/* … */` count: the parser may read such text as something
/// else (an unterminated `/*` is a line of its own), so skipping it could hide real nesting.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            // `{` opens an object value where a value may stand (after `=`, `:`, `,`, `(`, `[`
            // or another `{`); elsewhere it opens a block, which does not nest.
            b'(' | b'[' | b'{'
                if bytes[i] != b'{'
                    || matches!(
                        bytes[..i].iter().rev().find(|b| !b.is_ascii_whitespace()),
                        Some(b'=' | b':' | b',' | b'(' | b'[' | b'{')
                    ) =>
            {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {}
            _ => {}
        }
        i += 1;
    }
    None
}

struct Builder<'d> {
    file: FileId,
    text: &'d str,
    diags: &'d mut Diagnostics,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(&pair) }
    }

    fn comment(&self, pair: Pair<'_, Rule>) -> Comment {
        let block = pair.as_rule() == Rule::block_comment;
        let doc = block || pair.as_rule() == Rule::doc_comment;
        Comment { text: pair.as_str().trim_end().to_string(), doc, block, span: self.span(&pair) }
    }

    fn schema(&mut self, pair: Pair<'_, Rule>) -> SchemaAst {
        let mut tops = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::block => tops.push(Top::Block(self.block(p))),
                Rule::comment | Rule::doc_comment | Rule::block_comment => tops.push(Top::Comment(self.comment(p))),
                Rule::catch_all => {
                    let span = self.span(&p);
                    self.diags.push(
                        Diagnostic::new(
                            Code::InvalidTopLevelLine,
                            span,
                            "this line is invalid: it does not start with a known keyword",
                        )
                        .with_help("top-level blocks start with `model`, `enum`, `view`, `datasource` or `generator`"),
                    );
                    tops.push(Top::Invalid(span));
                }
                _ => {}
            }
        }
        SchemaAst { tops }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let mut header = inner.next().expect("block_header").into_inner();
        let keyword = self.ident(header.next().expect("keyword"));
        let name = self.ident(header.next().expect("name"));
        let kind = BlockKind::from_keyword(&keyword.name);
        if kind.is_none() {
            let help =
                crate::diagnostics::did_you_mean(&keyword.name, ["model", "enum", "view", "datasource", "generator"])
                    .unwrap_or_else(|| "blocks are `model`, `enum`, `view`, `datasource` or `generator`".into());
            self.diags.push(
                Diagnostic::new(
                    Code::UnknownBlockKind,
                    keyword.span,
                    format!("`{}` is not a kind of block", keyword.name),
                )
                .with_help(help),
            );
        }
        let mut items = Vec::new();
        let mut closed = false;
        for p in inner {
            match p.as_rule() {
                Rule::comment | Rule::doc_comment | Rule::block_comment => {
                    items.push(BlockItem::Comment(self.comment(p)))
                }
                Rule::block_attribute => items.push(BlockItem::Attribute(self.attribute(p, true))),
                Rule::member => items.push(BlockItem::Member(self.member(p))),
                Rule::block_catch_all => {
                    let span = self.span(&p);
                    if !self.text[name.span.end..span.start].contains(['\n', '\r']) {
                        // Prisma ignores whatever follows the `{` on the header line.
                        self.diags.push(
                            Diagnostic::new(
                                Code::IgnoredHeaderText,
                                span,
                                "this text after `{` is ignored (Prisma ignores it too)",
                            )
                            .with_help("start the block's content on the next line"),
                        );
                    } else {
                        let (code, message, help) = self.invalid_line_message(kind, p.as_str());
                        self.diags.push(Diagnostic::new(code, span, message).with_help(help));
                    }
                    items.push(BlockItem::Invalid(span));
                }
                Rule::block_end => closed = p.as_str() == "}",
                _ => {}
            }
        }
        if !closed {
            self.diags.push(
                Diagnostic::new(
                    Code::UnclosedBlock,
                    name.span,
                    format!("{} `{}` is missing its closing `}}`", keyword.name, name.name),
                )
                .with_help("add `}` after the last line of the block"),
            );
        }
        Block { kind, keyword, name, items, span, closed }
    }

    fn invalid_line_message(&self, kind: Option<BlockKind>, text: &str) -> (Code, String, String) {
        let what = match kind {
            Some(BlockKind::Enum) => "an enum value",
            Some(BlockKind::Datasource | BlockKind::Generator) => "a `key = value` property",
            _ => "a field or an attribute",
        };
        let help = if text.trim_start().starts_with('@')
            && !text.trim_start().starts_with("@@")
            && kind.is_some_and(|k| matches!(k, BlockKind::Model | BlockKind::View))
        {
            "block attributes start with `@@`; field attributes go on the line of their field".to_string()
        } else {
            match kind {
                Some(BlockKind::Enum) => "each enum value is a name on its own line".to_string(),
                Some(BlockKind::Datasource | BlockKind::Generator) => "write properties as `name = value`".to_string(),
                _ => "a field is `name Type` followed by attributes, e.g. `email String @unique`".to_string(),
            }
        };
        (Code::InvalidBlockLine, format!("this line is not {what}"), help)
    }

    fn member(&mut self, pair: Pair<'_, Rule>) -> Member {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("member name"));
        let mut member = Member { name, value: None, ty: None, attributes: Vec::new(), comment: None, span };
        for p in inner {
            match p.as_rule() {
                Rule::assignment => {
                    member.value = p.into_inner().next().map(|e| self.expression(e));
                }
                Rule::field_type => member.ty = Some(self.field_type(p)),
                Rule::field_attribute => member.attributes.push(self.attribute(p, false)),
                Rule::comment | Rule::doc_comment | Rule::block_comment => {
                    let c = self.comment(p);
                    member.span.end = self.trim_end(span.start, c.span.start);
                    member.comment = Some(c);
                }
                _ => {}
            }
        }
        member
    }

    /// The end of the text before `end`, without trailing whitespace.
    fn trim_end(&self, start: usize, end: usize) -> usize {
        start + self.text[start..end].trim_end().len()
    }

    fn field_type(&mut self, pair: Pair<'_, Rule>) -> FieldType {
        let span = self.span(&pair);
        let mut name = TypeName::Named(Ident { name: String::new(), span });
        let mut arity = Arity::Required;
        let mut bad_suffix = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::type_name => name = TypeName::Named(self.ident(p)),
                Rule::unsupported => {
                    let s = p.into_inner().next().expect("unsupported string");
                    let sspan = self.span(&s);
                    name = TypeName::Unsupported(self.string(s), sspan);
                }
                Rule::type_suffix => match p.as_str() {
                    "?" => arity = Arity::Optional,
                    "[]" => arity = Arity::List,
                    other => {
                        let sspan = self.span(&p);
                        arity = if other.starts_with("[]") { Arity::List } else { Arity::Optional };
                        bad_suffix = Some((other.to_string(), sspan));
                        let help = match other {
                            "!" => "fields are required unless marked `?`; remove the `!`",
                            _ => "a list cannot be optional: use `[]` (lists may be empty) or `?`",
                        };
                        self.diags.push(
                            Diagnostic::new(
                                Code::InvalidTypeSuffix,
                                sspan,
                                format!("`{other}` is not a valid type modifier"),
                            )
                            .with_help(help),
                        );
                    }
                },
                _ => {}
            }
        }
        FieldType { name, arity, bad_suffix, span }
    }

    fn attribute(&mut self, pair: Pair<'_, Rule>, block_level: bool) -> Attribute {
        let mut span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("attribute path"));
        let mut attr = Attribute { name, arguments: Vec::new(), has_parens: false, block_level, comment: None, span };
        for p in inner {
            match p.as_rule() {
                Rule::arguments => {
                    attr.has_parens = true;
                    attr.arguments = self.arguments(p);
                }
                Rule::comment | Rule::doc_comment | Rule::block_comment => {
                    let c = self.comment(p);
                    // The attribute's own span stops before its trailing comment.
                    span.end = self.trim_end(span.start, c.span.start);
                    attr.comment = Some(c);
                }
                _ => {}
            }
        }
        attr.span = span;
        attr
    }

    fn arguments(&mut self, pair: Pair<'_, Rule>) -> Vec<Argument> {
        let mut args = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() != Rule::argument {
                continue;
            }
            let span = self.span(&p);
            let mut name = None;
            let mut value = None;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::identifier => name = Some(self.ident(q)),
                    Rule::expression => value = Some(self.expression(q)),
                    _ => {}
                }
            }
            if name.is_none() && value.is_none() {
                continue; // `()` or a trailing comma
            }
            args.push(Argument { name, value, span });
        }
        args
    }

    fn expression(&mut self, pair: Pair<'_, Rule>) -> Expression {
        let p =
            if pair.as_rule() == Rule::expression { pair.into_inner().next().expect("expression body") } else { pair };
        let span = self.span(&p);
        match p.as_rule() {
            Rule::string => Expression::String(self.string(p), span),
            Rule::number => Expression::Number(p.as_str().to_string(), span),
            Rule::path => Expression::Path(p.as_str().to_string(), span),
            Rule::array => Expression::Array(p.into_inner().map(|e| self.expression(e)).collect(), span),
            Rule::object => {
                let mut entries = Vec::new();
                for entry in p.into_inner() {
                    let mut inner = entry.into_inner();
                    if let (Some(key), Some(value)) = (inner.next(), inner.next()) {
                        entries.push((self.ident(key), self.expression(value)));
                    }
                }
                Expression::Object(entries, span)
            }
            Rule::function => {
                let mut inner = p.into_inner();
                let name = inner.next().expect("function name");
                let name_span = self.span(&name);
                let name = name.as_str().to_string();
                let arguments = inner.next().map(|a| self.arguments(a)).unwrap_or_default();
                Expression::Function(Function { name, name_span, arguments, span })
            }
            _ => Expression::Path(p.as_str().to_string(), span),
        }
    }

    /// Unescapes a JSON string literal; a bad escape is reported and kept as written.
    fn string(&mut self, pair: Pair<'_, Rule>) -> String {
        let raw = pair.as_str();
        match serde_json::from_str::<String>(raw) {
            Ok(s) => s,
            Err(_) => {
                let start = pair.as_span().start();
                let (offset, len, message) = match first_bad_escape(raw) {
                    Some((offset, escape)) => {
                        (offset, escape.len(), format!("unknown escape sequence `{escape}` in a string"))
                    }
                    None => (0, raw.len(), "this string holds a control character (such as a tab)".to_string()),
                };
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidString,
                        Span::new(self.file, start + offset, start + offset + len),
                        message,
                    )
                    .with_help("a backslash is written `\\\\`; strings use JSON escapes: \\\" \\\\ \\n \\t \\uXXXX"),
                );
                raw.trim_matches('"').to_string()
            }
        }
    }
}

/// Where the first escape that JSON does not allow starts in a string literal, and its text.
fn first_bad_escape(raw: &str) -> Option<(usize, &str)> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let next = bytes.get(i + 1).copied();
            let ok = match next {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => true,
                Some(b'u') => raw.get(i + 2..i + 6).is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())),
                _ => false,
            };
            if !ok {
                let end = raw[i + 1..].chars().next().map_or(i + 1, |c| i + 1 + c.len_utf8());
                return Some((i, &raw[i..end]));
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}
