//! `@default(…)` values: the part of pass 3 that checks a default against its field's type.
//!
//! Each scalar type has its own literal form (RFC 3339 text, JSON text, base64 …) and each
//! default function its own arguments and types, which is as much code as the rest of the
//! field attributes together; it lives here so that `fields.rs` stays about fields.

use crate::ast::{self, Attribute, Expression};
use crate::diagnostics::{Code, did_you_mean};
use crate::resolve::fields::number_u32;
use crate::resolve::{Args, Ctx};
use crate::schema::*;

/// Reads `@default(value, map: "…")` onto `field` (not a relation field: the caller checks).
pub(super) fn default_attribute(attr: &Attribute, mut args: Args, field: &mut Field, schema: &Schema, ctx: &mut Ctx) {
    let value = args.required("value", true, ctx);
    let map = args.string("map", false, ctx).map(|(s, _)| s);
    args.finish(&["value", "map"], ctx);
    if let Some(value) = value
        && let Some(kind) = default_value(value, field, schema, ctx)
    {
        field.default = Some(DefaultValue { kind, map, span: attr.span });
    }
}

const DEFAULT_FUNCTIONS: &[&str] = &["autoincrement", "now", "uuid", "cuid", "ulid", "nanoid", "dbgenerated"];

/// Reads `@default(…)` for a field, checking that the value fits the field's type.
fn default_value(value: &Expression, field: &Field, schema: &Schema, ctx: &mut Ctx) -> Option<DefaultKind> {
    let type_name = type_display(field, schema);
    let mismatch = |ctx: &mut Ctx, what: &str, help: String| {
        ctx.push_help(
            Code::InvalidDefault,
            value.span(),
            format!("{what} is not a valid default for the field `{}` of type `{type_name}`", field.name),
            help,
        );
    };
    if let Expression::Function(f) = value {
        let arg_number = |ctx: &mut Ctx, max: u8| -> Option<Option<u8>> {
            match f.arguments.as_slice() {
                [] => Some(None),
                [a] if a.name.is_none() => match a.value.as_ref().and_then(number_u32) {
                    Some(n) if n <= max as u32 => Some(Some(n as u8)),
                    _ => {
                        ctx.push(
                            Code::InvalidDefault,
                            a.span,
                            format!("`{}()` takes a whole number up to {max}", f.name),
                        );
                        None
                    }
                },
                _ => {
                    ctx.push(Code::InvalidDefault, f.span, format!("`{}()` takes at most one argument", f.name));
                    None
                }
            }
        };
        let needs_string = |ctx: &mut Ctx| {
            if field.scalar() != Some(ScalarType::String) {
                mismatch(ctx, &format!("`{}()`", f.name), "it generates a string: use it on a `String` field".into());
                false
            } else {
                true
            }
        };
        return match f.name.as_str() {
            "autoincrement" => {
                if !matches!(field.scalar(), Some(ScalarType::Int | ScalarType::BigInt)) {
                    ctx.push_help(
                        Code::InvalidAutoincrement,
                        value.span(),
                        format!("`autoincrement()` cannot be used on the field `{}` of type `{type_name}`", field.name),
                        "use it on an `Int` or `BigInt` field",
                    );
                    return None;
                }
                no_arguments(f, ctx).then_some(DefaultKind::Autoincrement)
            }
            "now" => {
                if field.scalar() != Some(ScalarType::DateTime) {
                    mismatch(ctx, "`now()`", "`now()` is a timestamp: use it on a `DateTime` field".into());
                    return None;
                }
                no_arguments(f, ctx).then_some(DefaultKind::Now)
            }
            "uuid" => {
                let v = arg_number(ctx, 7)?;
                if let Some(n) = v
                    && n != 4
                    && n != 7
                {
                    ctx.push(Code::InvalidDefault, f.span, "`uuid()` takes the version 4 or 7");
                    return None;
                }
                needs_string(ctx).then_some(DefaultKind::Uuid(v.unwrap_or(4)))
            }
            "cuid" => {
                let v = arg_number(ctx, 2)?;
                if let Some(n) = v
                    && n != 1
                    && n != 2
                {
                    ctx.push(Code::InvalidDefault, f.span, "`cuid()` takes the version 1 or 2");
                    return None;
                }
                needs_string(ctx).then_some(DefaultKind::Cuid(v.unwrap_or(1)))
            }
            "ulid" => (no_arguments(f, ctx) && needs_string(ctx)).then_some(DefaultKind::Ulid),
            "nanoid" => {
                let v = arg_number(ctx, 255)?;
                if v.is_some_and(|n| n < 2) {
                    ctx.push(Code::InvalidDefault, f.span, "`nanoid()` needs a length of at least 2");
                    return None;
                }
                needs_string(ctx).then_some(DefaultKind::Nanoid(v))
            }
            "dbgenerated" => match f.arguments.as_slice() {
                [] => Some(DefaultKind::DbGenerated(None)),
                [a] => match a.value.as_ref().and_then(|v| v.as_str()) {
                    Some(s) if !s.trim().is_empty() => Some(DefaultKind::DbGenerated(Some(s.to_string()))),
                    _ => {
                        ctx.push_help(
                            Code::InvalidDefault,
                            a.span,
                            "`dbgenerated()` takes a non-empty SQL expression as a string",
                            "e.g. `dbgenerated(\"gen_random_uuid()\")`",
                        );
                        None
                    }
                },
                _ => {
                    ctx.push(Code::InvalidDefault, f.span, "`dbgenerated()` takes one string");
                    None
                }
            },
            other => {
                let help = did_you_mean(other, DEFAULT_FUNCTIONS.iter().copied()).unwrap_or_else(|| {
                    "default functions are autoincrement(), now(), uuid(), cuid(), ulid(), nanoid() and dbgenerated(\"…\")"
                        .into()
                });
                ctx.push_help(
                    Code::UnknownDefaultFunction,
                    f.name_span,
                    format!("`{other}()` is not a default function orm knows"),
                    help,
                );
                None
            }
        };
    }

    if field.is_list() {
        let Expression::Array(items, _) = value else {
            mismatch(ctx, value.describe(), "a list field takes a list default: `@default([…])`".into());
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            out.push(literal(item, field, &type_name, schema, ctx)?);
        }
        return Some(DefaultKind::Value(Literal::List(out)));
    }
    literal(value, field, &type_name, schema, ctx).map(DefaultKind::Value)
}

fn no_arguments(f: &ast::Function, ctx: &mut Ctx) -> bool {
    if f.arguments.is_empty() {
        return true;
    }
    ctx.push(Code::InvalidDefault, f.span, format!("`{}()` takes no arguments", f.name));
    false
}

fn literal(value: &Expression, field: &Field, type_name: &str, schema: &Schema, ctx: &mut Ctx) -> Option<Literal> {
    let bad = |ctx: &mut Ctx, help: &str| {
        ctx.push_help(
            Code::InvalidDefault,
            value.span(),
            format!("{} is not a valid default for the field `{}` of type `{type_name}`", value.describe(), field.name),
            help.to_string(),
        );
        None
    };
    // The right kind of value, but not a valid one: say what is wrong with it.
    let bad_value = |ctx: &mut Ctx, problem: &str, help: &str| {
        ctx.push_help(
            Code::InvalidDefault,
            value.span(),
            format!("the default of the field `{}` of type `{type_name}` {problem}", field.name),
            help.to_string(),
        );
        None
    };
    match (&field.ty, value) {
        (FieldType::Scalar(s), _) => match (s, value) {
            (ScalarType::String, Expression::String(v, _)) => Some(Literal::String(v.clone())),
            (ScalarType::Int | ScalarType::BigInt, Expression::Number(n, _)) => {
                let whole = n.bytes().all(|b| b.is_ascii_digit() || b == b'-');
                if !whole {
                    return bad_value(ctx, &format!("is `{n}`, which is not a whole number"), "write a whole number");
                }
                if n.parse::<i64>().is_err() {
                    return bad_value(ctx, &format!("is `{n}`, which does not fit in 64 bits"), "use a smaller number");
                }
                if *s == ScalarType::Int && n.parse::<i32>().is_err() {
                    return bad_value(
                        ctx,
                        &format!("is `{n}`, which does not fit in 32 bits"),
                        "an `Int` is 32 bits; use `BigInt` for larger numbers",
                    );
                }
                Some(Literal::Number(n.clone()))
            }
            (ScalarType::Float | ScalarType::Decimal, Expression::Number(n, _)) => Some(Literal::Number(n.clone())),
            // As in Prisma, a Decimal default may be a string holding the number (`"2.00"`).
            (ScalarType::Decimal, Expression::String(v, _)) => match decimal_text(v) {
                Some(n) => Some(Literal::Number(n)),
                None => bad_value(
                    ctx,
                    &format!("is {v:?}, which is not a decimal number"),
                    "write the number, as `@default(2.50)` or `@default(\"2.50\")`",
                ),
            },
            (ScalarType::Boolean, Expression::Path(p, _)) if p == "true" || p == "false" => {
                Some(Literal::Boolean(p == "true"))
            }
            (ScalarType::DateTime, Expression::String(v, _)) => {
                if !looks_like_rfc3339(v) {
                    return bad_value(
                        ctx,
                        "is not an RFC 3339 date-time",
                        "a DateTime default is `now()` or a string like \"2024-01-01T00:00:00Z\"",
                    );
                }
                Some(Literal::String(v.clone()))
            }
            (ScalarType::Json, Expression::String(v, _)) => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(v) {
                    return bad_value(
                        ctx,
                        &format!("is not valid JSON ({e})"),
                        "a Json default is a string holding JSON, e.g. \"{}\"",
                    );
                }
                Some(Literal::String(v.clone()))
            }
            (ScalarType::Bytes, Expression::String(v, _)) => {
                if crate::bytes::decode(v).is_none() {
                    return bad_value(
                        ctx,
                        "is not valid base64",
                        "a Bytes default is a base64 string, e.g. \"aGVsbG8=\"",
                    );
                }
                Some(Literal::String(v.clone()))
            }
            (ScalarType::String, _) => bad(ctx, "write the default as a string: `@default(\"…\")`"),
            (ScalarType::Int | ScalarType::BigInt, _) => bad(ctx, "write a whole number or `autoincrement()`"),
            (ScalarType::Float | ScalarType::Decimal, _) => bad(ctx, "write a number, e.g. `@default(0.5)`"),
            (ScalarType::Boolean, _) => bad(ctx, "write `true` or `false`"),
            (ScalarType::DateTime, _) => bad(ctx, "write `now()` or an RFC 3339 string"),
            (ScalarType::Json, _) => bad(ctx, "write a string holding JSON, e.g. `@default(\"{}\")`"),
            (ScalarType::Bytes, _) => bad(ctx, "write a base64 string"),
        },
        (FieldType::Enum(e), Expression::Path(p, _)) => {
            let en = schema.enum_(*e);
            if en.values.contains_key(p) {
                Some(Literal::Enum(p.clone()))
            } else {
                let help = did_you_mean(p, en.values.keys().map(String::as_str)).unwrap_or_else(|| {
                    format!(
                        "the values of `{}` are {}",
                        en.name,
                        en.values.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                });
                ctx.push_help(
                    Code::InvalidDefault,
                    value.span(),
                    format!("`{p}` is not a value of the enum `{}`", en.name),
                    help,
                );
                None
            }
        }
        (FieldType::Enum(_), _) => bad(ctx, "write one of the enum's values, unquoted"),
        (FieldType::Unsupported(_), _) => bad(ctx, "an `Unsupported` field can only default to `dbgenerated(\"…\")`"),
        (FieldType::Model(_), _) => None,
    }
}

fn type_display(field: &Field, schema: &Schema) -> String {
    let base = match &field.ty {
        FieldType::Scalar(s) => s.as_str().to_string(),
        FieldType::Enum(e) => schema.enum_(*e).name.clone(),
        FieldType::Model(m) => schema.model(*m).name.clone(),
        FieldType::Unsupported(s) => format!("Unsupported(\"{s}\")"),
    };
    match field.arity {
        Arity::Required => base,
        Arity::Optional => format!("{base}?"),
        Arity::List => format!("{base}[]"),
    }
}

/// `YYYY-MM-DDTHH:MM:SS(.fff)?(Z|±HH:MM)`.
fn looks_like_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || !digits(11..13) || b[13] != b':' || !digits(14..16) || b[16] != b':' {
        return false;
    }
    if !digits(17..19) {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A decimal number as Prisma reads one from a string (`"2.00"`, `"-0.5"`, `"+1"`, `".5"`,
/// `"1e3"`, `"1_000"`), written as a plain SQL number (`2.00`, `-0.5`, `1`, `0.5`, `1e3`,
/// `1000`); `None` for anything else (`""`, `" 2 "`, `"NaN"`).
fn decimal_text(s: &str) -> Option<String> {
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    if s.starts_with('_') || s.ends_with('_') {
        return None;
    }
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !digits(e) {
            return None;
        }
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut out = format!("{sign}{whole}");
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if let Some(at) = rest.find(['e', 'E']) {
        out.push_str(&rest[at..]);
    }
    Some(out)
}

#[cfg(test)]
mod decimal_tests {
    #[test]
    fn decimal_strings_are_read_as_prisma_reads_them() {
        for (text, read) in [
            ("2.00", Some("2.00")),
            ("-0.5", Some("-0.5")),
            ("+1", Some("1")),
            (".5", Some("0.5")),
            ("5.", Some("5")),
            ("1e3", Some("1e3")),
            ("1_000", Some("1000")),
            ("", None),
            (" 2 ", None),
            ("abc", None),
            ("NaN", None),
            ("Infinity", None),
            ("1e", None),
            (".", None),
            ("-", None),
        ] {
            assert_eq!(super::decimal_text(text).as_deref(), read, "{text:?}");
        }
    }
}
