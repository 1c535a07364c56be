//! The syntax tree of one schema file, as written.
//!
//! Nothing here is resolved: names are strings, attributes are generic. Every node keeps its
//! byte span so diagnostics can point at it and the formatter can keep comments and blank lines.
//! Downstream crates never see this tree; they read the resolved [`crate::Schema`].

use crate::span::Span;

/// One parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaAst {
    pub tops: Vec<Top>,
}

/// A top-level element, in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Top {
    Block(Block),
    Comment(Comment),
    /// A line that fits nothing; already reported by the parser.
    Invalid(Span),
}

/// `// …`, `/// …` or `/* … */`, the full text including the slashes.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub text: String,
    /// Documentation of what follows: `///` lines and, as in Prisma, `/* … */` comments.
    pub doc: bool,
    /// `/* … */`, which may span lines.
    pub block: bool,
    pub span: Span,
}

impl Comment {
    /// The text of a doc comment: without its `///` and one leading space, or for a block
    /// comment its lines without `/*`, `*/`, indentation and a leading `*`, blank ones left out.
    pub fn doc_text(&self) -> std::borrow::Cow<'_, str> {
        if self.block {
            return block_comment_lines(&self.text).join("\n").into();
        }
        let t = self.text.trim_start_matches('/');
        t.strip_prefix(' ').unwrap_or(t).trim_end().into()
    }
}

/// The content lines of a `/* … */` comment as Prisma's formatter reads them: each line
/// trimmed, a leading `*` (JSDoc style) and the spaces after it taken off, empty lines dropped.
pub fn block_comment_lines(text: &str) -> Vec<&str> {
    let inner = text.strip_prefix("/*").unwrap_or(text);
    let inner = inner.strip_suffix("*/").unwrap_or(inner);
    // Lines end as the grammar ends them: `\n`, `\r\n` or a lone `\r`.
    inner
        .split(['\n', '\r'])
        .map(|line| {
            let line = line.trim_matches(crate::format::is_space_or_cr);
            line.strip_prefix('*').map_or(line, |rest| rest.trim_start_matches(crate::format::is_space_or_cr))
        })
        .filter(|line| !line.is_empty())
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Model,
    View,
    Enum,
    Datasource,
    Generator,
    /// `type Foo { … }`: composite types (MongoDB only) — parsed so they can be refused precisely.
    Type,
}

impl BlockKind {
    pub fn from_keyword(keyword: &str) -> Option<BlockKind> {
        Some(match keyword {
            "model" => BlockKind::Model,
            "view" => BlockKind::View,
            "enum" => BlockKind::Enum,
            "datasource" => BlockKind::Datasource,
            "generator" => BlockKind::Generator,
            "type" => BlockKind::Type,
            _ => return None,
        })
    }

    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Model => "model",
            BlockKind::View => "view",
            BlockKind::Enum => "enum",
            BlockKind::Datasource => "datasource",
            BlockKind::Generator => "generator",
            BlockKind::Type => "type",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// `None` when the keyword is unknown (reported by the parser).
    pub kind: Option<BlockKind>,
    pub keyword: Ident,
    pub name: Ident,
    pub items: Vec<BlockItem>,
    pub span: Span,
    /// False when the closing `}` is missing (reported by the parser).
    pub closed: bool,
}

impl Block {
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.items.iter().filter_map(|i| match i {
            BlockItem::Member(m) => Some(m),
            _ => None,
        })
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter().filter_map(|i| match i {
            BlockItem::Attribute(a) => Some(a),
            _ => None,
        })
    }

    /// The `///` lines directly above the member at `index` in `items`.
    pub fn docs_before(&self, index: usize) -> Vec<&Comment> {
        let mut docs: Vec<&Comment> = self.items[..index]
            .iter()
            .rev()
            .map_while(|i| match i {
                BlockItem::Comment(c) if c.doc => Some(c),
                _ => None,
            })
            .collect();
        docs.reverse();
        docs
    }
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // members dominate; boxing them buys nothing here
pub enum BlockItem {
    Member(Member),
    /// `@@index(…)`
    Attribute(Attribute),
    Comment(Comment),
    /// A line that fits nothing; already reported by the parser.
    Invalid(Span),
}

/// A field, an enum value or a `key = value` property, depending on the block.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: Ident,
    pub value: Option<Expression>,
    pub ty: Option<FieldType>,
    pub attributes: Vec<Attribute>,
    pub comment: Option<Comment>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arity {
    Required,
    Optional,
    List,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeName {
    Named(Ident),
    /// `Unsupported("circle")`: the string is the database type.
    Unsupported(String, Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldType {
    pub name: TypeName,
    pub arity: Arity,
    /// The suffix as written when it is not one of ``, `?`, `[]` (e.g. `[]?`), for diagnostics.
    pub bad_suffix: Option<(String, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// `id`, `default`, `db.VarChar`, … without the `@` / `@@`.
    pub name: Ident,
    pub arguments: Vec<Argument>,
    /// Whether `(…)` was written at all.
    pub has_parens: bool,
    pub block_level: bool,
    /// A trailing `// comment` after a block attribute.
    pub comment: Option<Comment>,
    pub span: Span,
}

impl Attribute {
    /// The argument named `name`, or the unnamed first argument when `name` is the default one.
    pub fn argument(&self, name: &str, positional: bool) -> Option<&Argument> {
        self.arguments
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == name))
            .or_else(|| if positional { self.arguments.first().filter(|a| a.name.is_none()) } else { None })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: Option<Ident>,
    /// `None` for `name: ` with nothing after it.
    pub value: Option<Expression>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    /// The unescaped value of a JSON string literal.
    String(String, Span),
    /// A number, as written.
    Number(String, Span),
    /// A bare name or dotted path: `Cascade`, `true`, `db.VarChar`.
    Path(String, Span),
    Function(Function),
    Array(Vec<Expression>, Span),
    /// `{ key: value, … }`.
    Object(Vec<(Ident, Expression)>, Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: String,
    pub name_span: Span,
    pub arguments: Vec<Argument>,
    pub span: Span,
}

impl Expression {
    pub fn span(&self) -> Span {
        match self {
            Expression::String(_, s)
            | Expression::Number(_, s)
            | Expression::Path(_, s)
            | Expression::Array(_, s)
            | Expression::Object(_, s) => *s,
            Expression::Function(f) => f.span,
        }
    }

    /// A short description of the expression's kind, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Expression::String(..) => "a string",
            Expression::Number(..) => "a number",
            Expression::Path(..) => "a constant",
            Expression::Function(..) => "a function call",
            Expression::Array(..) => "a list",
            Expression::Object(..) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expression::String(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn as_path(&self) -> Option<&str> {
        match self {
            Expression::Path(s, _) => Some(s),
            _ => None,
        }
    }
}
