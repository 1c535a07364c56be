//! Reading an attribute's arguments: by name or position, each used once, unknown ones reported.

use crate::ast::{Argument, Attribute, Expression};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::resolve::Ctx;
use crate::span::Span;

pub(crate) struct Args<'a> {
    attr: &'a Attribute,
    used: Vec<bool>,
    /// `@` or `@@` + name, for messages.
    display: String,
}

impl<'a> Args<'a> {
    pub fn new(attr: &'a Attribute) -> Args<'a> {
        let display = format!("{}{}", if attr.block_level { "@@" } else { "@" }, attr.name.name);
        Args { attr, used: vec![false; attr.arguments.len()], display }
    }

    pub fn display(&self) -> &str {
        &self.display
    }

    /// The named argument, or with `positional`, the first unnamed one.
    pub fn get(&mut self, name: &str, positional: bool) -> Option<&'a Expression> {
        let args = &self.attr.arguments;
        let idx = args
            .iter()
            .position(|a| a.name.as_ref().is_some_and(|n| n.name == name))
            .or_else(|| if positional { args.iter().position(|a| a.name.is_none()) } else { None })?;
        if self.used[idx] {
            return None;
        }
        self.used[idx] = true;
        args[idx].value.as_ref()
    }

    /// Like [`Args::get`], and reports a missing argument.
    pub fn required(&mut self, name: &str, positional: bool, ctx: &mut Ctx) -> Option<&'a Expression> {
        let found = self.get(name, positional);
        if found.is_none() {
            ctx.push_help(
                Code::InvalidArgument,
                self.attr.span,
                format!("`{}` needs the argument `{name}`", self.display),
                format!("write it as `{}({name}: …)`", self.display),
            );
        }
        found
    }

    /// A string argument; anything else is reported.
    pub fn string(&mut self, name: &str, positional: bool, ctx: &mut Ctx) -> Option<(String, Span)> {
        let expr = self.get(name, positional)?;
        match expr {
            Expression::String(s, span) => Some((s.clone(), *span)),
            other => {
                self.expected(name, "a string", other, ctx);
                None
            }
        }
    }

    /// A constant argument (`Desc`, `Cascade`, `true`).
    pub fn constant(&mut self, name: &str, ctx: &mut Ctx) -> Option<(String, Span)> {
        let expr = self.get(name, false)?;
        match expr {
            Expression::Path(s, span) => Some((s.clone(), *span)),
            other => {
                self.expected(name, "a constant", other, ctx);
                None
            }
        }
    }

    pub fn boolean(&mut self, name: &str, ctx: &mut Ctx) -> Option<bool> {
        let (value, span) = self.constant(name, ctx)?;
        match value.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                ctx.push(Code::InvalidArgument, span, format!("`{name}` must be `true` or `false`"));
                None
            }
        }
    }

    pub fn expected(&self, name: &str, what: &str, found: &Expression, ctx: &mut Ctx) {
        ctx.push(
            Code::InvalidArgument,
            found.span(),
            format!("the argument `{name}` of `{}` must be {what}, found {}", self.display, found.describe()),
        );
    }

    /// Reports every argument not read: unknown names, surplus positional ones, and empties.
    pub fn finish(self, known: &[&str], ctx: &mut Ctx) {
        for (arg, used) in self.attr.arguments.iter().zip(&self.used) {
            if *used {
                if arg.value.is_none() {
                    report_empty(arg, ctx);
                }
                continue;
            }
            let d = match &arg.name {
                Some(n) if known.contains(&n.name.as_str()) => {
                    Diagnostic::new(Code::InvalidArgument, arg.span, format!("`{}` is given twice", n.name))
                }
                Some(n) => {
                    let d = Diagnostic::new(
                        Code::InvalidArgument,
                        n.span,
                        format!("`{}` has no argument `{}`", self.display, n.name),
                    );
                    match did_you_mean(&n.name, known.iter().copied()) {
                        Some(h) => d.with_help(h),
                        None if known.is_empty() => d.with_help(format!("`{}` takes no arguments", self.display)),
                        None => d.with_help(format!("its arguments are: {}", known.join(", "))),
                    }
                }
                None => Diagnostic::new(
                    Code::InvalidArgument,
                    arg.span,
                    format!("`{}` does not take this argument", self.display),
                )
                .with_help(if known.is_empty() {
                    format!("`{}` takes no arguments", self.display)
                } else {
                    format!("its arguments are: {}", known.join(", "))
                }),
            };
            ctx.diags.push(d);
        }
    }
}

fn report_empty(arg: &Argument, ctx: &mut Ctx) {
    let name = arg.name.as_ref().map_or("", |n| n.name.as_str());
    ctx.push(Code::InvalidArgument, arg.span, format!("the argument `{name}` has no value"));
}
