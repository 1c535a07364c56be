//! The canonical printer behind `orm format`: the same bytes `prisma format` writes.
//!
//! People move between `orm` and Prisma and keep their schemas under version control, so the two
//! formatters must agree to the byte, or every run of one undoes the other. The rules below
//! therefore follow Prisma's reformatter (`psl/schema-ast/src/reformat.rs`), quirks included:
//!
//! - Each block is printed as a table: fields are three columns (name, type, attributes), enum
//!   values two, `key = value` properties two. A blank line starts a new table; comment lines
//!   and unparseable lines do not. Trailing comments follow the last column without padding.
//! - Block attributes (`@@…`) move to the end of the block after one blank line, together with
//!   the comment lines directly above them, sorted stably (`id`, `unique`, `index`, …).
//!   Field attributes are sorted the same way; enum value attributes keep their order and are
//!   written without a separating space, as Prisma does.
//! - Blank lines collapse to one; blocks are separated by one blank line; the file ends with
//!   exactly one newline.
//! - Anything Prisma's grammar cannot read is written back as it was: lines the parser reported
//!   as invalid, fields spread over several lines (Prisma allows no line break inside an
//!   attribute), properties in the wrong kind of block, blocks that are not closed or that
//!   close on their opening line. The first line of such text loses its indentation.
//!
//! Blank lines are not in the syntax tree: they are read from the text between the spans.
//! Strings, numbers and names are printed as written (sliced from the text), never re-escaped.

use crate::ast::{
    Argument, Arity, Attribute, Block, BlockItem, BlockKind, Comment, Expression, FieldType, Member, SchemaAst, Top,
    TypeName,
};

/// A field the formatter adds at the end of a model's fields (before its block attributes),
/// as `prisma format` adds missing opposite relation fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAddition {
    /// The model that gets the field.
    pub model: String,
    pub name: String,
    /// The type with its arity suffix, e.g. `Post?` or `Int[]`.
    pub ty: String,
    /// Complete attributes, e.g. `@relation(fields: [postId], references: [id])`.
    pub attributes: Vec<String>,
}

/// Canonical text of one file.
pub fn format_file(ast: &SchemaAst, text: &str, additions: &[FieldAddition]) -> String {
    let mut printer = Printer { text, additions, out: String::new() };
    printer.file(ast);
    printer.out
}

const INDENT: &str = "  ";

/// Prisma's order of attributes; any other attribute sorts after these, in written order.
const ATTRIBUTE_ORDER: [&str; 9] =
    ["id", "unique", "default", "updatedAt", "index", "fulltext", "map", "relation", "ignore"];

fn attribute_rank(name: &str) -> usize {
    ATTRIBUTE_ORDER.iter().position(|n| *n == name).unwrap_or(ATTRIBUTE_ORDER.len())
}

// ---- the table ---------------------------------------------------------------------------------

/// One printed line of a block.
#[derive(Debug)]
enum Row {
    /// Aligned cells, then a suffix (a comment) that does not take part in the alignment.
    Cells(Vec<String>, String),
    /// Text printed as it is, without columns.
    Raw(String),
}

/// Lines whose cells are padded to a common width per column.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn cells(&mut self, cells: Vec<String>, suffix: &str) {
        self.rows.push(Row::Cells(cells, suffix.to_string()));
    }

    /// A line with only a comment (or nothing, for a blank line).
    fn line(&mut self, text: &str) {
        self.cells(Vec::new(), text);
    }

    fn raw(&mut self, text: &str) {
        self.rows.push(Row::Raw(text.to_string()));
    }

    /// Writes the rows and empties the table.
    fn render(&mut self, out: &mut String) {
        let mut widths: Vec<usize> = Vec::new();
        for row in &mut self.rows {
            if let Row::Cells(cells, _) = row {
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                for (i, cell) in cells.iter().enumerate() {
                    match widths.get_mut(i) {
                        Some(w) => *w = (*w).max(cell.len()),
                        None => widths.push(cell.len()),
                    }
                }
            }
        }
        for row in self.rows.drain(..) {
            match row {
                Row::Cells(cells, suffix) => {
                    if !cells.is_empty() || !suffix.is_empty() {
                        out.push_str(INDENT);
                    }
                    let last = cells.len().saturating_sub(1);
                    for (i, cell) in cells.iter().enumerate() {
                        out.push_str(cell);
                        if i < last {
                            let width = widths.get(i).copied().unwrap_or(0);
                            pad(out, width - cell.len() + 1);
                        }
                    }
                    if !suffix.is_empty() {
                        if !cells.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(&suffix);
                    }
                }
                Row::Raw(text) => {
                    out.push_str(INDENT);
                    out.push_str(&text);
                }
            }
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

// ---- text helpers ------------------------------------------------------------------------------

/// The whitespace Prisma skips between tokens: tabs and Unicode space separators.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

fn trim_space_start(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Whether a line holds nothing but whitespace (a `\r` left from CRLF included).
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| is_space(c) || c == '\r')
}

/// Line breaks in `s`, counting `\r\n`, `\n` and a lone `\r` once each.
fn count_newlines(s: &str) -> usize {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// How a printed top-level element ends, which decides whether a blank line follows it.
#[derive(Clone, Copy)]
enum Ending {
    /// A block: its line break is not part of it, so any line break after it is a blank line.
    Block,
    /// A line (comment or unreadable text) that owns its line break.
    Line,
}

// ---- the printer -------------------------------------------------------------------------------

struct Printer<'a> {
    text: &'a str,
    additions: &'a [FieldAddition],
    out: String,
}

/// One element of a block's content, in Prisma's terms.
enum Unit<'a> {
    /// A field, enum value, property or added field: aligned cells and a trailing comment.
    Row(Vec<String>, &'a str),
    /// `@@…`
    Attribute(&'a Attribute),
    /// Consecutive comment lines (no blank line between them).
    Comments(Vec<&'a str>),
    /// Lines Prisma cannot read, kept as written.
    Raw(Vec<RawLine>),
}

enum RawLine {
    Blank,
    Text(String),
    /// A continuation line that Prisma reads as a field with only a name.
    Name(String, String),
}

struct Placed<'a> {
    unit: Unit<'a>,
    blank_before: bool,
}

impl<'a> Printer<'a> {
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The end of the line containing `pos` (before its line break), not past `limit`.
    fn line_end(&self, pos: usize, limit: usize) -> usize {
        let rest = self.slice(pos, limit);
        match rest.find('\n') {
            Some(i) => pos + i,
            None => limit.max(pos),
        }
    }

    fn file(&mut self, ast: &'a SchemaAst) {
        let mut prev: Option<(usize, Ending)> = None;
        let mut skip_until = 0;
        let mut tops = ast.tops.iter().peekable();

        // A byte order mark is not whitespace to Prisma: the first line is text it cannot read.
        if self.text.starts_with('\u{feff}') {
            let first_line_end = self.line_end(0, self.text.len());
            let first_top_on_line_one = tops.peek().is_some_and(|t| top_range(t).0 <= first_line_end);
            if !first_top_on_line_one {
                let line = self.slice(0, first_line_end);
                self.out.push_str(line);
                self.out.push('\n');
                prev = Some((first_line_end, Ending::Line));
            } else if let Some(top) = tops.next() {
                let end = self.raw_top(0, top_range(top).1);
                prev = Some((end, Ending::Line));
            }
        }

        for top in tops {
            let (start, end) = top_range(top);
            if start < skip_until {
                continue;
            }
            if let Some((prev_end, ending)) = prev {
                let newlines = count_newlines(self.slice(prev_end, start));
                let needed = match ending {
                    Ending::Block => 1,
                    Ending::Line => 2,
                };
                if newlines >= needed {
                    self.out.push('\n');
                }
            }
            prev = Some(match top {
                Top::Block(block) => self.top_block(block),
                Top::Comment(comment) => {
                    self.out.push_str(self.slice(comment.span.start, comment.span.end));
                    self.out.push('\n');
                    (end, Ending::Line)
                }
                Top::Invalid(span) => match self.arbitrary_block(span.start, ast) {
                    Some(block_end) => {
                        skip_until = block_end;
                        (block_end, Ending::Block)
                    }
                    None => (self.raw_top(span.start, span.end), Ending::Line),
                },
            });
        }

        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// A block Prisma can read is reformatted; any other is written back line by line.
    fn top_block(&mut self, block: &'a Block) -> (usize, Ending) {
        let brace = self.open_brace(block);
        let on_one_line = brace.is_some_and(|b| count_newlines(self.slice(b, block.span.end)) == 0);
        match (block.kind, brace) {
            (Some(kind), Some(brace)) if block.closed && !on_one_line => {
                self.block(block, kind, brace);
                (block.span.end, Ending::Block)
            }
            _ => (self.raw_top(block.span.start, block.span.end), Ending::Line),
        }
    }

    /// Writes the lines of `start..end` as Prisma writes top-level text it cannot parse: each
    /// line without its indentation, blank lines collapsed to one. Returns where the text ends.
    fn raw_top(&mut self, start: usize, end: usize) -> usize {
        let region = self.slice(start, self.line_end(end, self.text.len()));
        let lines: Vec<&str> = region.split('\n').collect();
        let count = lines.iter().rposition(|l| !is_blank(l)).map_or(0, |i| i + 1);
        let mut last_end = start;
        let mut offset = start;
        let mut blank = false;
        for line in lines.into_iter().take(count) {
            let line_start = offset;
            offset += line.len() + 1;
            last_end = line_start + line.len();
            let line = trim_space_start(line);
            if is_blank(line) {
                blank = true;
                continue;
            }
            if blank {
                self.out.push('\n');
                blank = false;
            }
            if line.starts_with("//") {
                self.out.push_str(line.trim_end_matches('\r'));
            } else {
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        last_end
    }

    /// `name {` followed by lines up to the next `}`, which Prisma keeps byte for byte. Returns
    /// the end of that text, or `None` when the line at `start` does not open such a block.
    fn arbitrary_block(&mut self, start: usize, ast: &SchemaAst) -> Option<usize> {
        let rest = self.slice(start, self.text.len());
        let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
        if !is_identifier(&rest[..name_len]) || !trim_space_start(&rest[name_len..]).starts_with('{') {
            return None;
        }
        let header_end = rest.find('\n')? + 1;
        let close = header_end + rest[header_end..].find('}')?;
        let end = start + close + 1;
        // Give up when an element read by our parser straddles the end.
        let straddles = ast.tops.iter().map(top_range).any(|(s, e)| s < end && e > end);
        if straddles {
            return None;
        }
        self.out.push_str(&rest[..=close]);
        Some(end)
    }

    /// The byte offset just after the `{` of a block's header.
    fn open_brace(&self, block: &Block) -> Option<usize> {
        let after_name = block.name.span.end;
        let rest = self.slice(after_name, block.span.end);
        let trimmed = trim_space_start(rest);
        trimmed.starts_with('{').then(|| after_name + (rest.len() - trimmed.len()) + 1)
    }

    // ---- blocks ----------------------------------------------------------------------------

    fn block(&mut self, block: &'a Block, kind: BlockKind, brace: usize) {
        self.out.push_str(&block.keyword.name);
        self.out.push(' ');
        self.out.push_str(&block.name.name);
        self.out.push_str(" {\n");

        let close = block.span.end.saturating_sub(1);
        let units = self.units(block, kind, brace, close);

        let mut table = Table::default();
        let mut attributes: Vec<(Vec<&str>, &Attribute)> = Vec::new();
        let mut units = units.into_iter().peekable();
        while let Some(Placed { unit, blank_before }) = units.next() {
            let next_is_attribute =
                units.peek().is_some_and(|n| !n.blank_before && matches!(n.unit, Unit::Attribute(_)));
            if blank_before && !matches!(unit, Unit::Attribute(_)) {
                // Blank lines before a comment that moves with its attribute are dropped.
                if !(matches!(unit, Unit::Comments(_)) && next_is_attribute) {
                    table.render(&mut self.out);
                    table.line("");
                }
            }
            match unit {
                Unit::Row(cells, comment) => table.cells(cells, comment),
                Unit::Attribute(attribute) => attributes.push((Vec::new(), attribute)),
                Unit::Comments(lines) => {
                    if next_is_attribute {
                        if let Some(Placed { unit: Unit::Attribute(attribute), .. }) = units.next() {
                            attributes.push((lines, attribute));
                        }
                    } else {
                        lines.iter().for_each(|l| table.line(l));
                    }
                }
                Unit::Raw(lines) => {
                    for line in lines {
                        match line {
                            RawLine::Blank => {
                                table.render(&mut self.out);
                                table.line("");
                            }
                            RawLine::Text(text) => table.raw(&text),
                            RawLine::Name(name, comment) => table.cells(vec![name], &comment),
                        }
                    }
                }
            }
        }
        table.render(&mut self.out);

        if !attributes.is_empty() {
            table.line("");
            attributes.sort_by_key(|(_, a)| attribute_rank(&a.name.name));
            for (comments, attribute) in attributes {
                comments.iter().for_each(|l| table.line(l));
                let comment = attribute.comment.as_ref().map_or("", |c| self.comment_text(c));
                table.cells(vec![self.attribute(attribute)], comment);
            }
            table.render(&mut self.out);
        }
        self.out.push_str("}\n");
    }

    /// The block's content as Prisma sees it, with the blank lines between elements.
    fn units(&self, block: &'a Block, kind: BlockKind, brace: usize, close: usize) -> Vec<Placed<'a>> {
        let mut units: Vec<Placed<'a>> = Vec::new();
        let mut prev_end: Option<usize> = None;
        for item in &block.items {
            let (start, end) = item_range(item);
            let gap = count_newlines(self.slice(prev_end.unwrap_or(brace), start));
            // Prisma drops whatever follows the `{` of the header on its line; only comments
            // are dropped here, so that no field is ever lost.
            if gap == 0 && prev_end.is_none() && matches!(item, BlockItem::Comment(_)) {
                continue;
            }
            let blank_before = prev_end.is_some() && gap >= 2;
            prev_end = Some(end);
            let unit = self.unit(item, kind, close);
            // Consecutive comment lines form one unit.
            if let (Unit::Comments(lines), Some(Placed { unit: Unit::Comments(previous), .. }), false) =
                (&unit, units.last_mut(), blank_before)
            {
                previous.extend(lines);
                continue;
            }
            units.push(Placed { unit, blank_before });
        }

        if matches!(kind, BlockKind::Model | BlockKind::View | BlockKind::Type) {
            let gap = count_newlines(self.slice(prev_end.unwrap_or(brace), close));
            let mut blank_before = prev_end.is_some() && gap >= 2;
            for addition in self.additions.iter().filter(|a| a.model == block.name.name) {
                units.push(Placed { unit: Unit::Row(addition_cells(addition), ""), blank_before });
                blank_before = false;
            }
        }
        units
    }

    fn unit(&self, item: &'a BlockItem, kind: BlockKind, close: usize) -> Unit<'a> {
        let (start, end) = item_range(item);
        let multi_line = count_newlines(self.slice(start, end)) > 0;
        match item {
            BlockItem::Comment(c) => Unit::Comments(vec![self.comment_text(c)]),
            BlockItem::Member(m) if !multi_line => match self.member_cells(m, kind) {
                Some(cells) => Unit::Row(cells, m.comment.as_ref().map_or("", |c| self.comment_text(c))),
                None => self.raw(start, end, close),
            },
            BlockItem::Attribute(a) if !multi_line && kind_has_block_attributes(kind) => Unit::Attribute(a),
            _ => self.raw(start, end, close),
        }
    }

    /// The lines of an element Prisma cannot read, up to the end of its last line.
    fn raw(&self, start: usize, end: usize, close: usize) -> Unit<'a> {
        let end = self.line_end(end, close);
        let mut lines = Vec::new();
        for (i, line) in self.slice(start, end).split('\n').enumerate() {
            let line = trim_space_start(line);
            let content = line.trim_end_matches('\r');
            if is_blank(line) {
                if !matches!(lines.last(), Some(RawLine::Blank)) {
                    lines.push(RawLine::Blank);
                }
            } else if i > 0 && content.starts_with("//") {
                lines.push(RawLine::Name(String::new(), content.to_string()));
            } else {
                match bare_name(content).filter(|_| i > 0) {
                    Some(name) => {
                        let comment = trim_space_start(&content[name.len()..]);
                        lines.push(RawLine::Name(name.to_string(), comment.to_string()));
                    }
                    None => lines.push(RawLine::Text(line.to_string())),
                }
            }
        }
        Unit::Raw(lines)
    }

    // ---- members ---------------------------------------------------------------------------

    /// The cells of a field, enum value or property, or `None` when Prisma would not read the
    /// member in this kind of block.
    fn member_cells(&self, m: &Member, kind: BlockKind) -> Option<Vec<String>> {
        let name = m.name.name.clone();
        match kind {
            BlockKind::Model | BlockKind::View | BlockKind::Type => {
                if m.value.is_some() {
                    return None;
                }
                let ty = match &m.ty {
                    Some(ty) => self.field_type(ty)?,
                    None => String::new(),
                };
                let mut attributes: Vec<&Attribute> = m.attributes.iter().collect();
                attributes.sort_by_key(|a| attribute_rank(&a.name.name));
                let attributes: Vec<String> = attributes.iter().map(|a| self.attribute(a)).collect();
                Some(vec![name, ty, attributes.join(" ")])
            }
            BlockKind::Enum => {
                if m.value.is_some() || m.ty.is_some() {
                    return None;
                }
                // Prisma writes an enum value's attributes without a space between them.
                Some(vec![name, m.attributes.iter().map(|a| self.attribute(a)).collect()])
            }
            BlockKind::Datasource | BlockKind::Generator => match &m.value {
                Some(value) if m.ty.is_none() && m.attributes.is_empty() => {
                    Some(vec![name, format!("= {}", self.expression(value))])
                }
                _ => None,
            },
        }
    }

    /// `String?`, `Int[]`, `Unsupported("circle")`; `None` for a type Prisma cannot read.
    fn field_type(&self, ty: &FieldType) -> Option<String> {
        let mut out = match &ty.name {
            TypeName::Named(ident) if !ident.name.contains('.') => ident.name.clone(),
            TypeName::Named(_) => return None,
            TypeName::Unsupported(_, string) => {
                let close = self.slice(string.end, ty.span.end).find(')')?;
                self.slice(ty.span.start, string.end + close + 1).to_string()
            }
        };
        match (&ty.bad_suffix, ty.arity) {
            // `Int!` is Prisma 1's required field: Prisma drops the `!`.
            (Some((suffix, _)), _) if suffix == "!" => {}
            (Some((suffix, _)), _) if suffix == "[]?" => out.push_str("[]?"),
            (Some(_), _) => return None,
            (None, Arity::Required) => {}
            (None, Arity::Optional) => out.push('?'),
            (None, Arity::List) => out.push_str("[]"),
        }
        Some(out)
    }

    /// `@name(args)` or `@@name(args)`.
    fn attribute(&self, a: &Attribute) -> String {
        let mut out = String::from(if a.block_level { "@@" } else { "@" });
        out.push_str(&a.name.name);
        if a.has_parens {
            out.push_str(&self.arguments(&a.arguments));
        }
        out
    }

    fn arguments(&self, arguments: &[Argument]) -> String {
        let args: Vec<String> = arguments
            .iter()
            .map(|arg| {
                let value = arg.value.as_ref().map(|v| self.expression(v)).unwrap_or_default();
                match &arg.name {
                    Some(name) => format!("{}: {value}", name.name),
                    None => value,
                }
            })
            .collect();
        format!("({})", args.join(", "))
    }

    fn expression(&self, e: &Expression) -> String {
        match e {
            Expression::String(_, span) | Expression::Number(_, span) | Expression::Path(_, span) => {
                self.slice(span.start, span.end).to_string()
            }
            Expression::Function(f) => format!("{}{}", f.name, self.arguments(&f.arguments)),
            Expression::Array(items, _) => {
                let items: Vec<String> = items.iter().map(|i| self.expression(i)).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }

    /// A comment as written, trailing spaces included, without its indentation.
    fn comment_text(&self, c: &Comment) -> &'a str {
        self.slice(c.span.start, c.span.end)
    }
}

fn kind_has_block_attributes(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Datasource | BlockKind::Generator)
}

fn addition_cells(addition: &FieldAddition) -> Vec<String> {
    let mut attributes: Vec<&String> = addition.attributes.iter().collect();
    attributes.sort_by_key(|a| {
        let name = a.trim_start_matches('@');
        attribute_rank(name.split(['(', ' ']).next().unwrap_or(name))
    });
    let attributes: Vec<&str> = attributes.iter().map(|a| a.as_str()).collect();
    vec![addition.name.clone(), addition.ty.clone(), attributes.join(" ")]
}

/// A line that holds only a name, optionally followed by a comment.
fn bare_name(line: &str) -> Option<&str> {
    let name_end = line.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(line.len());
    let (name, rest) = line.split_at(name_end);
    let rest = trim_space_start(rest);
    (is_identifier(name) && (rest.is_empty() || rest.starts_with("//"))).then_some(name)
}

fn top_range(top: &Top) -> (usize, usize) {
    match top {
        Top::Block(b) => (b.span.start, b.span.end),
        Top::Comment(c) => (c.span.start, c.span.end),
        Top::Invalid(span) => (span.start, span.end),
    }
}

/// Where an element of a block starts and ends, its trailing comment included.
fn item_range(item: &BlockItem) -> (usize, usize) {
    match item {
        BlockItem::Member(m) => (m.span.start, m.comment.as_ref().map_or(m.span.end, |c| c.span.end.max(m.span.end))),
        BlockItem::Attribute(a) => {
            (a.span.start, a.comment.as_ref().map_or(a.span.end, |c| c.span.end.max(a.span.end)))
        }
        BlockItem::Comment(c) => (c.span.start, c.span.end),
        BlockItem::Invalid(span) => (span.start, span.end),
    }
}

#[cfg(test)]
#[path = "/tmp/fmt/harness.rs"]
mod throwaway_harness;
