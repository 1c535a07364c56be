//! The canonical printer behind `orm format`: the bytes `prisma format` writes.
//!
//! Teams move schemas between `orm` and Prisma and keep them under version control, so the two
//! formatters must agree to the byte, or each run of one undoes the other. This module follows
//! Prisma's reformatter (`psl/schema-ast/src/reformat.rs`), quirks included:
//!
//! - A block is printed as tables: fields in three columns (name, type, attributes), enum values
//!   and `key = value` properties in two. A blank line starts a new table; comments do not.
//! - Block attributes move to the end after one blank line, with the comments right above them;
//!   block and field attributes are sorted stably (`id`, `unique`, `default`, … then the rest).
//! - Blank lines collapse to one, blocks are one blank line apart, the file ends with a newline.
//! - Text Prisma's grammar cannot read is written back as it was, without its indentation, and
//!   our parser is more lenient than that grammar in places (line breaks inside attributes,
//!   `_names`, `1e5`, unclosed blocks, which run on to the next `}` for Prisma), so the printer
//!   decides from the text what Prisma would read.
//!
//! Two deliberate differences: a field written after the `{` of its block's header is kept
//! (Prisma drops it), and an element after a `}` on the same line goes after a blank line (what
//! Prisma writes when it formats its own output again), so that formatting is idempotent.
//!
//! Blank lines are not in the syntax tree: they are counted in the text between spans. Names,
//! strings and numbers are sliced from the text, never re-escaped.

use crate::ast::{
    Argument, Arity, Attribute, Block, BlockItem, BlockKind, Comment, Expression, FieldType, Member, SchemaAst, Top,
    TypeName,
};
use crate::resolve::MissingOppositeField;

/// Canonical text of one file. `additions` (relation fields whose opposite side is missing, from
/// [`crate::check`]) are added to the models of this file they name; others are ignored.
pub fn format_file(ast: &SchemaAst, text: &str, additions: &[MissingOppositeField]) -> String {
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
                            pad(out, width.saturating_sub(cell.len()) + 1);
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

/// [`is_space`], or the `\r` of a CRLF line ending.
pub(crate) fn is_space_or_cr(c: char) -> bool {
    is_space(c) || c == '\r'
}

fn trim_space_start(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Whether a line holds nothing but whitespace: a `\r` left from CRLF, or a byte order mark
/// (which our parser skips), included.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| is_space(c) || c == '\r' || c == '\u{feff}')
}

/// Line breaks in `s`, counting `\r\n`, `\n` and a lone `\r` once each.
fn count_newlines(s: &str) -> usize {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// A name as Prisma reads it: letters, digits, `_` and `-`, starting with a letter or digit.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_alphanumeric) && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// How a printed top-level element ends, which decides whether a blank line follows it.
#[derive(Clone, Copy)]
enum Ending {
    /// A block: one blank line follows it. (Prisma puts none before an element that starts on
    /// the line of the `}`, and one the next time it formats its own output; the fixed point
    /// is written here, so that formatting twice changes nothing.)
    Block,
    /// A line (comment or unreadable text) that owns its line break: a blank line follows it
    /// when one followed it in the text.
    Line,
    /// Text Prisma keeps as written, without its line break: a line break follows it when one
    /// followed it in the text.
    Verbatim,
}

// ---- the printer -------------------------------------------------------------------------------

struct Printer<'a> {
    text: &'a str,
    additions: &'a [MissingOppositeField],
    out: String,
}

/// An element of a block as written: from the syntax tree, or text Prisma reads as lines it
/// cannot parse (the header of a block swallowed by an unclosed one, say).
#[derive(Clone, Copy)]
enum Item<'a> {
    Member(&'a Member),
    Attribute(&'a Attribute),
    Comment(&'a Comment),
    Raw(usize, usize),
}

impl Item<'_> {
    /// Where the element starts and ends, its trailing comment included.
    fn range(&self) -> (usize, usize) {
        let with_comment = |span: crate::Span, comment: &Option<Comment>| {
            (span.start, comment.as_ref().map_or(span.end, |c| c.span.end.max(span.end)))
        };
        match self {
            Item::Member(m) => with_comment(m.span, &m.comment),
            Item::Attribute(a) => with_comment(a.span, &a.comment),
            Item::Comment(c) => (c.span.start, c.span.end),
            Item::Raw(start, end) => (*start, *end),
        }
    }
}

/// One element of a block's content, in Prisma's terms.
enum Unit<'a> {
    /// A field, enum value, property or added field: aligned cells and a trailing comment.
    Row(Vec<String>, &'a str),
    /// `@@…`
    Attribute(&'a Attribute),
    /// Consecutive comment lines (no blank line between them).
    Comments(Vec<String>),
    /// Lines Prisma cannot read, kept as written.
    Raw(Vec<RawLine>),
}

enum RawLine {
    Blank,
    Text(String),
    Comment(String),
    /// A name alone, and its trailing comment.
    Name(String, String),
}

struct Placed<'a> {
    unit: Unit<'a>,
    blank_before: bool,
}

/// A block with what Prisma makes of it.
struct Shape {
    /// Just after the `{` of the header.
    brace: usize,
    /// The `}`, when Prisma sees the block closed: `}` alone on its line (after any spaces).
    close: Option<usize>,
}

impl<'a> Printer<'a> {
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The end of the line containing `pos` (before its line break), not past `limit`.
    fn line_end(&self, pos: usize, limit: usize) -> usize {
        match self.slice(pos, limit).find('\n') {
            Some(i) => pos + i,
            None => limit.max(pos),
        }
    }

    /// The start of the line containing `pos`.
    fn line_start(&self, pos: usize) -> usize {
        self.slice(0, pos).rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// Whether only whitespace precedes `pos` on its line.
    fn at_line_start(&self, pos: usize) -> bool {
        is_blank(self.slice(self.line_start(pos), pos))
    }

    /// Whether a byte order mark is on the line of `start`, before `end`. Our parser skips it
    /// as whitespace; Prisma reads no line with one.
    fn has_bom(&self, start: usize, end: usize) -> bool {
        self.slice(self.line_start(start), end).contains('\u{feff}')
    }

    /// Where the line of unreadable text at `start` begins: at the start of its line when only
    /// whitespace (or a byte order mark) precedes it.
    fn text_start(&self, start: usize) -> usize {
        let line_start = self.line_start(start);
        let prefix = self.slice(line_start, start);
        if prefix.chars().all(|c| is_space(c) || c == '\u{feff}') { line_start } else { start }
    }

    fn file(&mut self, ast: &'a SchemaAst) {
        let tops = &ast.tops;
        let mut prev: Option<(usize, Ending)> = None;
        let mut skip_until = 0;
        let mut i = 0;

        // A line holding only a byte order mark is text Prisma cannot read.
        let first_line_end = self.line_end(0, self.text.len());
        if self.text.starts_with('\u{feff}') && tops.first().is_none_or(|top| top_range(top).0 > first_line_end) {
            self.out.push_str(self.slice(0, first_line_end));
            self.out.push('\n');
            prev = Some((first_line_end, Ending::Line));
        }

        while let Some(top) = tops.get(i) {
            i += 1;
            let (start, end) = top_range(top);
            // A line of Unicode spaces is no text to Prisma, only to our parser.
            if start < skip_until || matches!(top, Top::Invalid(_)) && is_blank(self.slice(start, end)) {
                continue;
            }
            if let Some((prev_end, ending)) = prev {
                let newlines = count_newlines(self.slice(prev_end, start));
                let line_break = match ending {
                    Ending::Block => true,
                    Ending::Line => newlines >= 2,
                    Ending::Verbatim => newlines >= 1,
                };
                if line_break {
                    self.out.push('\n');
                }
            }
            let (end, ending) = match top {
                Top::Block(_) | Top::Comment(_) if self.has_bom(start, start) => {
                    (self.raw_top(start, end), Ending::Line)
                }
                Top::Block(block) => {
                    let (end, ending, swallowed) = self.top_block(block, &tops[i..]);
                    i += swallowed;
                    (end, ending)
                }
                Top::Comment(comment) => {
                    for line in own_line_comment(self.comment_text(comment), comment.block) {
                        self.out.push_str(&line);
                        self.out.push('\n');
                    }
                    (end, Ending::Line)
                }
                Top::Invalid(span) => match self.arbitrary_block(span.start, tops) {
                    Some(done) => done,
                    None => (self.raw_top(start, end), Ending::Line),
                },
            };
            skip_until = end;
            prev = Some((end, ending));
        }

        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// Writes a block: reformatted when Prisma reads it, else line by line as written. `rest` is
    /// what follows it; returns where the written text ends, how, and how many elements of
    /// `rest` went into the block.
    fn top_block(&mut self, block: &'a Block, rest: &'a [Top]) -> (usize, Ending, usize) {
        // Prisma reads no block whose name starts with `_`.
        let kind = block.kind.filter(|_| is_identifier(&block.name.name));
        match (kind, self.shape(block)) {
            (Some(kind), Some(Shape { brace, close: Some(close) })) => {
                let items = self.items(block, brace, false);
                self.block(block, kind, brace, items, close, true);
                (block.span.end, Ending::Block, 0)
            }
            (Some(kind), Some(Shape { brace, close: None })) => match self.swallow(block, brace, rest) {
                Some((items, close, swallowed)) => {
                    self.block(block, kind, brace, items, close, false);
                    (close + 1, Ending::Block, swallowed)
                }
                None => (self.raw_top(block.span.start, block.span.end), Ending::Line, 0),
            },
            _ => (self.raw_top(block.span.start, block.span.end), Ending::Line, 0),
        }
    }

    /// Where the header's `{` is and whether Prisma sees the block closed.
    fn shape(&self, block: &Block) -> Option<Shape> {
        let after_name = block.name.span.end;
        let rest = self.slice(after_name, block.span.end);
        let trimmed = trim_space_start(rest);
        if !trimmed.starts_with('{') {
            return None;
        }
        let brace = after_name + (rest.len() - trimmed.len()) + 1;
        let close = block.span.end.saturating_sub(1);
        // Only spaces before the `}` on its line, or the end of a `/* … */` comment.
        let after_comment = match block.items.last() {
            Some(BlockItem::Comment(c)) if c.block && c.span.end <= close => is_blank(self.slice(c.span.end, close)),
            _ => false,
        };
        let closed = block.closed && close >= brace && (self.at_line_start(close) || after_comment);
        Some(Shape { brace, close: closed.then_some(close) })
    }

    /// The elements of a block Prisma reads. Prisma drops what follows the `{` on the header
    /// line; only comments and unreadable text are dropped here, so that no field is ever lost. With
    /// `header_is_raw`, the header line is itself an unreadable line (a swallowed block).
    fn items(&self, block: &'a Block, brace: usize, header_is_raw: bool) -> Vec<Item<'a>> {
        let header_end = self.line_end(brace, self.text.len());
        let mut items = Vec::new();
        if header_is_raw {
            items.push(Item::Raw(block.span.start, header_end));
        }
        for item in &block.items {
            let item = match item {
                BlockItem::Member(m) => Item::Member(m),
                BlockItem::Attribute(a) => Item::Attribute(a),
                BlockItem::Comment(c) => Item::Comment(c),
                BlockItem::Invalid(span) => Item::Raw(span.start, span.end),
            };
            let on_header_line = item.range().0 < header_end;
            if on_header_line && (header_is_raw || matches!(item, Item::Comment(_) | Item::Raw(..))) {
                continue;
            }
            items.push(item);
        }
        items
    }

    /// A block Prisma sees unclosed runs on to the `}` of a later block: everything between is
    /// its content, unreadable lines mostly. Returns the elements, that `}`, and how many
    /// top-level elements were used; `None` when no later block closes it (then Prisma writes
    /// the block's lines back as they are).
    fn swallow(&self, block: &'a Block, brace: usize, rest: &'a [Top]) -> Option<(Vec<Item<'a>>, usize, usize)> {
        let (last, close) = rest.iter().enumerate().find_map(|(i, top)| match top {
            Top::Block(b) => self.shape(b).and_then(|s| s.close).map(|close| (i, close)),
            _ => None,
        })?;
        let mut items = self.items(block, brace, false);
        // On the header line, the `}` goes with the rest of that line.
        if self.line_start(block.span.end) > brace {
            self.push_unclosed_end(block, &mut items);
        }
        // What follows the `{` of the header on its line is not content.
        let mut covered = items.last().map_or(0, |item| item.range().1).max(self.line_end(brace, self.text.len()));
        for (i, top) in rest[..=last].iter().enumerate() {
            let mut new = match top {
                Top::Block(b) => {
                    let brace = self.shape(b).map_or(b.name.span.end, |s| s.brace);
                    self.items(b, brace, true)
                }
                Top::Comment(c) => vec![Item::Comment(c)],
                Top::Invalid(span) => vec![Item::Raw(span.start, span.end)],
            };
            if let (Top::Block(b), true) = (top, i < last) {
                self.push_unclosed_end(b, &mut new);
            }
            for item in new {
                let (start, end) = item.range();
                if start >= covered {
                    covered = end;
                    items.push(item);
                }
            }
        }
        Some((items, close, last + 1))
    }

    /// A `}` after other text on its line makes, with that text and what follows it on the
    /// line, one unreadable line.
    fn push_unclosed_end(&self, block: &Block, items: &mut Vec<Item<'_>>) {
        let close = block.span.end.saturating_sub(1);
        if !block.closed || self.at_line_start(close) {
            return;
        }
        let line_start = self.line_start(close);
        let mut start = close;
        while let Some(last) = items.last() {
            let (item_start, item_end) = last.range();
            if item_end < line_start {
                break;
            }
            start = start.min(item_start);
            items.pop();
        }
        items.push(Item::Raw(start, self.line_end(close, self.text.len())));
    }

    /// Writes the lines of `start..end` as Prisma writes top-level text it cannot parse: each
    /// line without its indentation, blank lines collapsed to one. Text after `end` on its
    /// line is part of the last line. Returns where the written text ends.
    fn raw_top(&mut self, start: usize, end: usize) -> usize {
        let start = self.text_start(start);
        let end = if self.at_line_start(end) { end } else { self.line_end(end, self.text.len()) };
        let mut last_end = start;
        let mut offset = start;
        let mut blank = false;
        for line in self.slice(start, end).split('\n') {
            let line_end = offset + line.len();
            offset = line_end + 1;
            let line = trim_space_start(line);
            if is_blank(line) {
                blank = true;
                continue;
            }
            if blank && last_end > start {
                self.out.push('\n');
            }
            blank = false;
            last_end = line_end;
            if line.starts_with("//") {
                self.out.push_str(line.trim_end_matches('\r'));
            } else {
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        last_end
    }

    /// `name {` followed by lines up to the next `}`, which Prisma keeps byte for byte, and
    /// the rest of that line right after it. Returns where the text ends and how, or `None`
    /// when the line at `start` does not open such a block.
    fn arbitrary_block(&mut self, start: usize, tops: &[Top]) -> Option<(usize, Ending)> {
        let rest = self.slice(start, self.text.len());
        let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
        if !is_identifier(&rest[..name_len]) || !trim_space_start(&rest[name_len..]).starts_with('{') {
            return None;
        }
        let header_end = rest.find('\n')? + 1;
        let close = header_end + rest[header_end..].find('}')?;
        let end = start + close + 1;
        // Give up when a block read by our parser straddles the end.
        let straddles = |top: &Top| matches!(top, Top::Block(b) if b.span.start < end && b.span.end > end);
        if tops.iter().any(straddles) {
            return None;
        }
        self.out.push_str(&rest[..=close]);
        let line_end = self.line_end(end, self.text.len());
        let remainder = trim_space_start(self.slice(end, line_end));
        if is_blank(remainder) {
            return Some((end, Ending::Verbatim));
        }
        self.out.push_str(if remainder.starts_with("//") { remainder.trim_end_matches('\r') } else { remainder });
        self.out.push('\n');
        Some((line_end, Ending::Line))
    }

    // ---- blocks ----------------------------------------------------------------------------

    /// Writes a block: its fields (or values, or properties) as tables, then its attributes.
    /// `close` is the `}`; added fields go to models only when `with_additions`.
    fn block(
        &mut self,
        block: &'a Block,
        kind: BlockKind,
        brace: usize,
        items: Vec<Item<'a>>,
        close: usize,
        with_additions: bool,
    ) {
        self.out.push_str(&block.keyword.name);
        self.out.push(' ');
        self.out.push_str(&block.name.name);
        self.out.push_str(" {\n");

        let additions: &[MissingOppositeField] = if with_additions { self.additions } else { &[] };
        let units = self.units(block, kind, brace, items, close, additions);

        let mut table = Table::default();
        let mut attributes: Vec<(Vec<String>, &Attribute)> = Vec::new();
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
                            RawLine::Comment(text) => table.line(&text),
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
    fn units(
        &self,
        block: &Block,
        kind: BlockKind,
        brace: usize,
        items: Vec<Item<'a>>,
        close: usize,
        additions: &[MissingOppositeField],
    ) -> Vec<Placed<'a>> {
        let mut units: Vec<Placed<'a>> = Vec::new();
        let mut prev_end: Option<usize> = None;
        for item in items {
            let (start, end) = item.range();
            if matches!(item, Item::Raw(..)) && is_blank(self.slice(start, end)) {
                continue;
            }
            let gap = count_newlines(self.slice(prev_end.unwrap_or(brace), start));
            let blank_before = prev_end.is_some() && gap >= 2;
            prev_end = Some(end);
            let unit = self.unit(item, kind, close);
            // Consecutive comment lines form one unit.
            if let (Unit::Comments(lines), Some(Placed { unit: Unit::Comments(previous), .. }), false) =
                (&unit, units.last_mut(), blank_before)
            {
                previous.extend(lines.iter().cloned());
                continue;
            }
            units.push(Placed { unit, blank_before });
        }

        if matches!(kind, BlockKind::Model | BlockKind::View) {
            let gap = count_newlines(self.slice(prev_end.unwrap_or(brace), close));
            let mut blank_before = prev_end.is_some() && gap >= 2;
            for addition in additions.iter().filter(|a| a.model == block.name.name) {
                units.push(Placed { unit: Unit::Row(addition_cells(addition), ""), blank_before });
                blank_before = false;
            }
        }
        units
    }

    fn unit(&self, item: Item<'a>, kind: BlockKind, close: usize) -> Unit<'a> {
        let (start, end) = item.range();
        // A trailing `/* … */` may run over lines: Prisma keeps it as written after the cells.
        let own_end = match item {
            Item::Member(m) => m.span.end,
            Item::Attribute(a) => a.span.end,
            _ => end,
        };
        let multi_line = count_newlines(self.slice(start, own_end)) > 0;
        match item {
            _ if self.has_bom(start, end) => self.raw(start, end, close),
            Item::Comment(c) => Unit::Comments(own_line_comment(self.comment_text(c), c.block)),
            Item::Member(m) if !multi_line => match self.member_cells(m, kind) {
                Some(cells) => Unit::Row(cells, m.comment.as_ref().map_or("", |c| self.comment_text(c))),
                None => self.raw(start, end, close),
            },
            Item::Attribute(a) if !multi_line && kind_has_block_attributes(kind) && self.readable_attribute(a) => {
                Unit::Attribute(a)
            }
            _ => self.raw(start, end, close),
        }
    }

    /// The lines of an element Prisma cannot read, up to the end of its last line. Prisma reads
    /// each line on its own: most are unreadable text, but a later line with only a name is a
    /// field without a type to it, and one starting with `//` a comment.
    fn raw(&self, start: usize, end: usize, close: usize) -> Unit<'a> {
        let start = self.text_start(start);
        let end = self.line_end(end, close);
        let mut lines = Vec::new();
        for (i, line) in self.slice(start, end).split('\n').enumerate() {
            let line = trim_space_start(line);
            let content = line.trim_end_matches('\r');
            let later = i > 0;
            let raw_line = if is_blank(line) {
                RawLine::Blank
            } else if later && content.starts_with("//") {
                RawLine::Comment(content.to_string())
            } else if let Some(name) = bare_name(content).filter(|_| later) {
                let comment = trim_space_start(&content[name.len()..]);
                RawLine::Name(name.to_string(), comment.to_string())
            } else {
                RawLine::Text(line.to_string())
            };
            if !(matches!(raw_line, RawLine::Blank) && matches!(lines.last(), Some(RawLine::Blank))) {
                lines.push(raw_line);
            }
        }
        Unit::Raw(lines)
    }

    // ---- members ---------------------------------------------------------------------------

    /// The cells of a field, enum value or property, or `None` when Prisma would not read the
    /// member in this kind of block.
    fn member_cells(&self, m: &Member, kind: BlockKind) -> Option<Vec<String>> {
        if !is_identifier(&m.name.name)
            || !m.attributes.iter().all(|a| self.readable_attribute(a))
            || !m.value.iter().all(|v| self.readable(v))
        {
            return None;
        }
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
            TypeName::Named(ident) if is_identifier(&ident.name) => ident.name.clone(),
            TypeName::Named(_) => return None,
            TypeName::Unsupported(_, string) => {
                let close = self.slice(string.end, ty.span.end).find(')')?;
                let written = self.slice(ty.span.start, string.end + close + 1);
                written.starts_with("Unsupported(").then(|| written.to_string())?
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
            // Prisma pads the braces with a space, also when empty (`{  }`).
            Expression::Object(entries, _) => {
                let entries: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{}: {}", k.name, self.expression(v))).collect();
                format!("{{ {} }}", entries.join(", "))
            }
        }
    }

    /// Whether Prisma's grammar reads the attribute's arguments, stricter than ours in places.
    fn readable_attribute(&self, a: &Attribute) -> bool {
        a.arguments.iter().filter_map(|arg| arg.value.as_ref()).all(|v| self.readable(v))
    }

    /// Prisma reads no exponent in numbers and no raw control character in strings.
    fn readable(&self, e: &Expression) -> bool {
        match e {
            Expression::Number(n, _) => !n.contains(['e', 'E']),
            Expression::String(_, span) => {
                let mut escaped = false;
                self.slice(span.start, span.end).chars().all(|c| {
                    let ok = escaped || c >= ' ';
                    escaped = !escaped && c == '\\';
                    ok
                })
            }
            Expression::Path(..) => true,
            Expression::Function(f) => {
                f.arguments.iter().filter_map(|arg| arg.value.as_ref()).all(|v| self.readable(v))
            }
            Expression::Array(items, _) => items.iter().all(|i| self.readable(i)),
            Expression::Object(entries, _) => entries.iter().all(|(_, v)| self.readable(v)),
        }
    }

    /// A comment as written, trailing spaces included, without its indentation.
    fn comment_text(&self, c: &Comment) -> &'a str {
        self.slice(c.span.start, c.span.end)
    }
}

/// A comment on a line of its own, as Prisma writes it: `//` ones as written, `/* … */` ones
/// as a `/**` line, one ` * text` line per line of text and a ` */` line. (Prisma keeps the
/// `/*` of one on the line after another comment as text, which grows with each run; it is
/// taken off here, so that formatting twice changes nothing.)
fn own_line_comment(text: &str, block: bool) -> Vec<String> {
    if !block {
        return vec![text.to_owned()];
    }
    let mut lines = vec!["/**".to_owned()];
    lines.extend(crate::ast::block_comment_lines(text).into_iter().map(|l| format!(" * {l}")));
    lines.push(" */".to_owned());
    lines
}

fn kind_has_block_attributes(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Datasource | BlockKind::Generator)
}

fn addition_cells(addition: &MissingOppositeField) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;
    use pretty_assertions::assert_eq;

    fn format_with(text: &str, additions: &[MissingOppositeField]) -> String {
        let mut diagnostics = crate::Diagnostics::default();
        let ast = crate::parser::parse(text, FileId(0), &mut diagnostics);
        format_file(&ast, text, additions)
    }

    fn format(text: &str) -> String {
        format_with(text, &[])
    }

    /// `expected` is what `prisma format` writes for `input`; formatting it again changes nothing.
    fn check(input: &str, expected: &str) {
        assert_eq!(format(input), expected);
        assert_eq!(format(expected), expected, "formatting is not idempotent");
    }

    #[test]
    fn aligns_fields_and_properties() {
        check(
            r#"datasource db {
  provider = "postgresql"
  url = env("DATABASE_URL")
}

model User {
id Int @id   @default(autoincrement())
    email String @unique // contact
  name String?
  posts Post[]
}
"#,
            r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique // contact
  name  String?
  posts Post[]
}
"#,
        );
    }

    #[test]
    fn blank_line_starts_a_new_group_comment_lines_do_not() {
        check(
            r#"model User {
  id Int @id
  // the address
  emailAddress String


  createdAt DateTime @default(now())
  x Int
}
"#,
            r#"model User {
  id           Int    @id
  // the address
  emailAddress String

  createdAt DateTime @default(now())
  x         Int
}
"#,
        );
    }

    #[test]
    fn block_attributes_move_to_the_end_sorted() {
        check(
            r#"model Post {
  @@map("posts")
  id Int
  /// the title
  @@index([title])
  title String
  // kept in place

  @@unique([title, id]) // trailing
  @@schema("public")
  @@id([id])
}
"#,
            r#"model Post {
  id    Int
  title String
  // kept in place

  @@id([id])
  @@unique([title, id]) // trailing
  /// the title
  @@index([title])
  @@map("posts")
  @@schema("public")
}
"#,
        );
    }

    #[test]
    fn field_attributes_are_sorted() {
        check(
            r#"model A {
  id Int @map("a_id") @db.Integer @default(1) @id
  b Int @relation("r") @ignore @updatedAt @unique @index
}
"#,
            r#"model A {
  id Int @id @default(1) @map("a_id") @db.Integer
  b  Int @unique @updatedAt @index @relation("r") @ignore
}
"#,
        );
    }

    #[test]
    fn enum_values() {
        check(
            r#"enum Role {
  USER
  ADMIN @map("admin")   @deprecated // old
  // the rest

  GUEST
  @@map("roles")
}
"#,
            r#"enum Role {
  USER
  ADMIN @map("admin")@deprecated // old
  // the rest

  GUEST

  @@map("roles")
}
"#,
        );
    }

    #[test]
    fn arguments_are_normalised_and_literals_kept() {
        check(
            r#"model A {
  id String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  b B @relation(fields:[bId,cId],references:[id, c],onDelete:Cascade)
  bId String
  cId String
  tags String[] @default(["a","b"])
  s String @default("say \"hi\"\n\u00e9")
  n Decimal @default(-1.50) @db.Decimal(10,2)
  u Unsupported("circle")?
  w Int @default(  autoincrement( ) )
  e Int @id()
  f String @relation(fields: , references: [id])
}
"#,
            r#"model A {
  id   String                 @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  b    B                      @relation(fields: [bId, cId], references: [id, c], onDelete: Cascade)
  bId  String
  cId  String
  tags String[]               @default(["a", "b"])
  s    String                 @default("say \"hi\"\n\u00e9")
  n    Decimal                @default(-1.50) @db.Decimal(10, 2)
  u    Unsupported("circle")?
  w    Int                    @default(autoincrement())
  e    Int                    @id()
  f    String                 @relation(fields: , references: [id])
}
"#,
        );
    }

    #[test]
    fn blocks_are_separated_by_one_blank_line() {
        check(
            r#"

// leading comment
model A {
  id Int @id
}
model B {
  id Int @id
}



// about C

model C {
  id Int @id
}


"#,
            r#"// leading comment
model A {
  id Int @id
}

model B {
  id Int @id
}

// about C

model C {
  id Int @id
}
"#,
        );
    }

    #[test]
    fn empty_file() {
        check(
            r#""#, r#"
"#,
        );
    }

    #[test]
    fn empty_blocks() {
        check(
            r#"model A {
}
model B {


}
generator g {
  // only a comment
}
"#,
            r#"model A {
}

model B {
}

generator g {
  // only a comment
}
"#,
        );
    }

    #[test]
    fn crlf_and_tabs() {
        check(
            "model A {\r\n\tid\tInt\t@id // c \r\n\r\n\r\n\tname String\r\n\tbad line here \r\n}\r\n",
            "model A {\n  id Int @id // c \n\n  name String\n  bad line here \r\n}\n",
        );
    }

    #[test]
    fn trailing_whitespace_and_comments() {
        check(
            "model A {   \n  id Int @id   // kept as written   \n  /// doc  \n  x Int    \n}   \n\n// end   \n",
            "model A {\n  id Int @id // kept as written   \n  /// doc  \n  x  Int\n}\n\n// end   \n",
        );
    }

    #[test]
    fn invalid_lines_are_kept() {
        check(
            r#"model A {
  id Int @id
    this is not a field
  @@index([a,
    b], map: "x")
  name String
  o Int = 5
}
   not a block at all
generator g {
  provider = "x"
  output String
}
"#,
            r#"model A {
  id   Int    @id
  this is not a field
  @@index([a,
  b], map: "x")
  name String
  o Int = 5
}

not a block at all
generator g {
  provider = "x"
  output String
}
"#,
        );
    }

    #[test]
    fn multi_line_arrays_are_kept_as_lines() {
        check(
            r#"model A {
  id Int @id
  @@unique([
    userId,
    postId
  ])
  tags String[] @default([
    "a", // first
    "b"])
  x Int
}
"#,
            r#"model A {
  id     Int @id
  @@unique([
  userId,
  postId
  ])
  tags String[] @default([
  "a", // first
  "b"])
  x      Int
}
"#,
        );
    }

    /// What `prisma format` writes for block comments (checked with Prisma's formatter), except
    /// that a comment on the line after another loses its `/*` here too.
    #[test]
    fn block_comments_on_their_own_line_become_doc_blocks_and_trailing_ones_stay() {
        let input = "datasource db {\n  provider = \"sqlite\" /* kept */\n}\n/* top */\nmodel A {\n  id Int @id /* spans\n  lines */\n  /*   one\n     * two\n\n  */\n  /* pre */ b Int? /* t */\n  /**/\n  /*/ after */\n}\n";
        let expected = "datasource db {\n  provider = \"sqlite\" /* kept */\n}\n\n/**\n * top\n */\nmodel A {\n  id Int  @id /* spans\n  lines */\n  /**\n   * one\n   * two\n   */\n  /**\n   * pre\n   */\n  b  Int? /* t */\n  /**\n   */\n  /**\n   * / after\n   */\n}\n";
        check(input, expected);
    }

    #[test]
    fn spaces_inside_attributes_and_unicode_spaces_are_normalised() {
        let input = "model A {\n  id\u{a0}Int @ id @default (1)\n  b\u{3000}String ? @db.VarChar( 10 )\n\n  @@ index ([b])\n}\n";
        let expected = "model A {\n  id Int     @id @default(1)\n  b  String? @db.VarChar(10)\n\n  @@index([b])\n}\n";
        check(input, expected);
    }

    #[test]
    fn comments_on_the_header_line_are_dropped() {
        check(
            r#"model A { // about A
  id Int @id
}
"#,
            r#"model A {
  id Int @id
}
"#,
        );
    }

    #[test]
    fn unclosed_block_at_the_end() {
        check(
            r#"model A {
  id Int @id
  name String
"#,
            r#"model A {
id Int @id
name String
"#,
        );
    }

    #[test]
    fn unclosed_block_runs_into_the_next() {
        check(
            r#"model A {
  id   Int @id

model B {
  id Int @id
}

model C {
  id Int @id
}
"#,
            r#"model A {
  id Int @id

  model B {
  id Int @id
}

model C {
  id Int @id
}
"#,
        );
    }

    #[test]
    fn one_line_block_is_kept() {
        check(
            r#"model A { id Int @id }
"#,
            r#"model A { id Int @id }
"#,
        );
    }

    #[test]
    fn prisma1_types() {
        check(
            r#"model A {
  id Int! @id
  xs Int[]?
  ys Int?[]
}
"#,
            r#"model A {
  id Int    @id
  xs Int[]?
  ys Int?[]
}
"#,
        );
    }

    #[test]
    fn composite_types_and_views() {
        check(
            r#"type Address {
  street String
  zip Int @map("z")
}

view V {
  id Int @unique
  n String
}
"#,
            r#"type Address {
  street String
  zip    Int    @map("z")
}

view V {
  id Int    @unique
  n  String
}
"#,
        );
    }

    #[test]
    fn names_starting_with_underscore_are_not_read() {
        check(
            r#"model A {
  id Int @id
  _x Int
  longer Int
}
"#,
            r#"model A {
  id     Int @id
  _x Int
  longer Int
}
"#,
        );
    }

    #[test]
    fn exponents_and_control_characters_are_not_read() {
        check(
            "model A {\n  id Int @id\n  f Float @default(1e5)\n  s String @default(\"a\tb\")\n  longer Int\n}\n",
            "model A {\n  id     Int @id\n  f Float @default(1e5)\n  s String @default(\"a\tb\")\n  longer Int\n}\n",
        );
    }

    #[test]
    fn byte_order_mark() {
        check(
            "\u{feff}model A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n}\n",
            "\u{feff}model A {\nid Int @id\n}\n\nmodel B {\n  id Int @id\n}\n",
        );
    }

    #[test]
    fn block_without_keyword_is_kept() {
        check(
            r#"foo {
    x   Int
}
model B {
  id Int
}
"#,
            r#"foo {
    x   Int
}
model B {
  id Int
}
"#,
        );
    }

    fn tag_additions() -> Vec<MissingOppositeField> {
        vec![
            MissingOppositeField {
                model: "Tag".into(),
                name: "post".into(),
                ty: "Post?".into(),
                attributes: vec!["@relation(fields: [postId], references: [id])".into()],
            },
            MissingOppositeField { model: "Tag".into(), name: "postId".into(), ty: "Int?".into(), attributes: vec![] },
        ]
    }

    const POST: &str = "model Post {\n  id   Int   @id\n  tags Tag[]\n}\n";

    #[test]
    fn added_fields_join_the_last_group() {
        let input = format!("{POST}\nmodel Tag {{\n  id Int @id\n}}\n");
        let expected = format!(
            "{POST}\nmodel Tag {{\n  id     Int   @id\n  post   Post? @relation(fields: [postId], references: [id])\n  postId Int?\n}}\n"
        );
        assert_eq!(format_with(&input, &tag_additions()), expected);
    }

    #[test]
    fn added_fields_go_before_block_attributes() {
        let input = format!("{POST}\nmodel Tag {{\n  id Int @id\n\n  @@map(\"tags\")\n}}\n");
        let expected = format!(
            "{POST}\nmodel Tag {{\n  id     Int   @id\n  post   Post? @relation(fields: [postId], references: [id])\n  postId Int?\n\n  @@map(\"tags\")\n}}\n"
        );
        assert_eq!(format_with(&input, &tag_additions()), expected);
    }

    #[test]
    fn added_fields_after_a_blank_line_form_a_group() {
        let input = format!("{POST}\nmodel Tag {{\n  id Int @id\n\n}}\n");
        let expected = format!(
            "{POST}\nmodel Tag {{\n  id Int @id\n\n  post   Post? @relation(fields: [postId], references: [id])\n  postId Int?\n}}\n"
        );
        assert_eq!(format_with(&input, &tag_additions()), expected);
    }

    // Deliberate differences from Prisma.

    /// Prisma writes `}\n// c` and, formatting that again, `}\n\n// c`: the second form is
    /// written at once, so that formatting is idempotent.
    #[test]
    fn text_after_a_closing_brace_goes_after_a_blank_line() {
        check(
            "model A {\n  id Int @id\n} // c\nmodel B {\n  id Int @id\n}\n",
            "model A {\n  id Int @id\n}\n\n// c\nmodel B {\n  id Int @id\n}\n",
        );
    }

    /// Prisma drops everything after the `{` of a header, fields included; only comments are
    /// dropped here.
    #[test]
    fn fields_on_the_header_line_are_kept() {
        check("model A { id Int @id\n  name String\n}\n", "model A {\n  id   Int    @id\n  name String\n}\n");
    }

    #[test]
    fn never_panics_and_is_idempotent_on_every_prefix() {
        let schema = "\u{feff}datasource db {\r\n  provider = \"postgresql\" // p\n}\n\ngenerator g {\n  x = [\"a\",\n \"b\"]\n}\n/// doc\nmodel A { // h\n  id Int @id @default(dbgenerated(\"f()\"))\n  b  B? @relation(fields: [bId], references: [id]) // r\n  @@index([\n    bId\n  ])\n  bId Int!\n  u Unsupported(\"x\")[]?\n\n  // c\n  @@map(\"a\") }\nenum E { X\n  Y @map(\"y\")\n}\nfoo {\n  bar\n}\nmodel _B {}\n  garbage é\u{a0}\t\n";
        for (end, _) in schema.char_indices() {
            let prefix = &schema[..end];
            let once = format(prefix);
            assert_eq!(format(&once), once, "not idempotent on {prefix:?}");
        }
    }
}
