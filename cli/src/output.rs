//! Printing: diagnostics rendered like rustc, colours only on a terminal (and never with
//! `NO_COLOR`), errors on stderr.

use std::io::IsTerminal;

use orm_schema::{Diagnostic, SourceFiles};

pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

pub fn print_diagnostics(files: &SourceFiles, diagnostics: &[Diagnostic]) {
    let color = color_stderr();
    for d in diagnostics {
        eprintln!("{}", files.render(d, color));
    }
}

pub fn error(message: impl std::fmt::Display) {
    if color_stderr() {
        eprintln!("\x1b[1;31merror\x1b[0m: {message}");
    } else {
        eprintln!("error: {message}");
    }
}

/// "1 error", "2 warnings".
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
