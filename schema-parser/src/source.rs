//! The files a schema is read from, and how diagnostics are shown against them.
//!
//! A schema is one file or a folder of `.orm` / `.prisma` files. Reading never fails on
//! content: bytes that are not UTF-8 become a diagnostic, and the rest is still parsed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::span::{FileId, Span};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As given (relative paths stay relative), used in diagnostics.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset of each line start.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { path: path.into(), text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn display_name(&self) -> String {
        self.path.display().to_string()
    }
}

/// Every file of one schema, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

/// Why a schema path could not be read at all (as opposed to content problems, which are
/// diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not read `{path}`: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("`{0}` holds no `.orm` or `.prisma` files")]
    EmptyFolder(PathBuf),
}

impl SourceFiles {
    pub fn new() -> SourceFiles {
        SourceFiles::default()
    }

    /// One file from a string, for tests and tools.
    pub fn single(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceFiles {
        let mut files = SourceFiles::new();
        files.add(path, text);
        files
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> FileId {
        self.files.push(SourceFile::new(path, text));
        FileId((self.files.len() - 1) as u32)
    }

    /// Adds raw bytes; invalid UTF-8 is replaced and reported, so the rest can still be checked.
    pub fn add_bytes(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>, diags: &mut Diagnostics) -> FileId {
        match String::from_utf8(bytes) {
            Ok(text) => self.add(path, text),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                // The replacement character takes 3 bytes where the bad byte took 1.
                let id = self.add(path, text);
                diags.push(
                    Diagnostic::new(Code::InvalidUtf8, Span::new(id, valid, valid + 3), "this file is not valid UTF-8")
                        .with_help("schema files must be saved as UTF-8"),
                );
                id
            }
        }
    }

    /// Reads a schema file, or every `.orm` / `.prisma` file below a folder (sorted by path).
    pub fn load(path: &Path, diags: &mut Diagnostics) -> Result<SourceFiles, LoadError> {
        let mut files = SourceFiles::new();
        let io = |e| LoadError::Io { path: path.to_path_buf(), source: e };
        if std::fs::metadata(path).map_err(io)?.is_dir() {
            let mut paths = Vec::new();
            collect_schema_files(path, &mut paths).map_err(io)?;
            if paths.is_empty() {
                return Err(LoadError::EmptyFolder(path.to_path_buf()));
            }
            paths.sort();
            for p in paths {
                let bytes = std::fs::read(&p).map_err(|e| LoadError::Io { path: p.clone(), source: e })?;
                files.add_bytes(p, bytes, diags);
            }
        } else {
            let bytes = std::fs::read(path).map_err(io)?;
            files.add_bytes(path, bytes, diags);
        }
        Ok(files)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let file = self.get(span.file);
        let (line, col) = file.line_col(span.start);
        format!("{}:{line}:{col}", file.display_name())
    }

    /// The source text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.start..span.end).unwrap_or("")
    }

    /// One-line form: `schema.orm:3:7: error[E0201]: unknown type `Strin``.
    pub fn short(&self, d: &Diagnostic) -> String {
        let kind = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{}: {kind}[{}]: {}", self.location(d.span), d.code.as_str(), d.message)
    }

    /// The rustc-like rendering: code, `file:line:col`, the excerpt with the span underlined and
    /// the help line.
    pub fn render(&self, d: &Diagnostic, color: bool) -> String {
        use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
        let file = self.get(d.span.file);
        let start = d.span.start.min(file.text.len());
        let len = d.span.end.min(file.text.len()).saturating_sub(start);
        let kind = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // rustc's header, `error[E0201]: message`, in place of miette's separate code line.
        let mut md = MietteDiagnostic::new(format!("{kind}[{}]: {}", d.code.as_str(), d.message))
            .with_severity(match d.severity() {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(LabeledSpan::new(d.label.clone(), start, len));
        if let Some(help) = &d.help {
            md = md.with_help(help.clone());
        }
        let report = miette::Report::new(md)
            .with_source_code(NamedSource::new(file.display_name(), file.text.to_string()).with_language("prisma"));
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1).with_width(100);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out = self.short(d);
        }
        out
    }
}

fn collect_schema_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_schema_files(&path, out)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("orm" | "prisma")) {
            out.push(path);
        }
    }
    Ok(())
}
