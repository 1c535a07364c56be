//! Pass 3: field types and field attributes.

use heck::ToSnakeCase;

use crate::ast::{self, Attribute, Block, Expression, TypeName};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::resolve::names::Registered;
use crate::resolve::{Args, Ctx, PendingRelation, docs_at, indexed_members, is_valid_name};
use crate::schema::*;
use crate::span::Span;

const FIELD_ATTRIBUTES: &[&str] = &["id", "unique", "default", "updatedAt", "map", "relation", "ignore"];
const RESERVED_FIELD_NAMES: &[&str] = &["self", "super", "crate", "Self", "_"];

pub(crate) fn resolve(registered: &Registered, schema: &mut Schema, ctx: &mut Ctx) {
    for &(block, model_id) in &registered.models {
        for (index, member) in indexed_members(block) {
            let field_id = FieldId(schema.model(model_id).fields.len());
            let Some((field, keys)) = field(block, index, member, model_id, field_id, schema, ctx) else {
                ctx.broken_fields.insert((model_id, member.name.name.clone()));
                continue;
            };
            let model = &mut schema.models[model_id.0];
            if model.fields.contains_key(&field.name) {
                ctx.push_help(
                    Code::DuplicateField,
                    field.name_span,
                    format!("field `{}` is already defined in {} `{}`", field.name, block.keyword.name, model.name),
                    "rename or remove one of them",
                );
                continue;
            }
            model.fields.insert(field.name.clone(), field);
            for key in keys {
                match key {
                    FieldKey::Id(pk) if model.primary_key.is_some() => ctx.push_help(
                        Code::MultiplePrimaryKeys,
                        pk.span,
                        format!("model `{}` has more than one `@id`", model.name),
                        "for a compound primary key use `@@id([a, b])`",
                    ),
                    FieldKey::Id(pk) => model.primary_key = Some(pk),
                    FieldKey::Unique(idx) => model.indexes.push(idx),
                }
            }
        }
    }
}

/// `@id` or `@unique` on a field: the model's primary key or a unique index over that field.
enum FieldKey {
    Id(PrimaryKey),
    Unique(Index),
}

pub(crate) fn sort_order(s: &str) -> Option<SortOrder> {
    match s {
        "Asc" => Some(SortOrder::Asc),
        "Desc" => Some(SortOrder::Desc),
        _ => None,
    }
}

pub(crate) fn number_u32(e: &Expression) -> Option<u32> {
    match e {
        Expression::Number(n, _) => n.parse().ok(),
        _ => None,
    }
}

fn field(
    block: &Block,
    index: usize,
    member: &ast::Member,
    model_id: ModelId,
    field_id: FieldId,
    schema: &Schema,
    ctx: &mut Ctx,
) -> Option<(Field, Vec<FieldKey>)> {
    let name = &member.name;
    let Some(ty) = &member.ty else {
        let help = if member.value.is_some() {
            "models hold fields (`name Type`), not `key = value` properties".to_string()
        } else {
            format!("give it a type, e.g. `{} String`", name.name)
        };
        ctx.push_help(Code::InvalidMember, member.span, format!("field `{}` has no type", name.name), help);
        return None;
    };
    if !is_valid_name(&name.name) {
        ctx.push_help(
            Code::InvalidName,
            name.span,
            format!("`{}` is not a valid field name", name.name),
            "field names start with a letter and contain only letters, digits and underscores",
        );
    } else if RESERVED_FIELD_NAMES.contains(&name.name.as_str())
        || RESERVED_FIELD_NAMES.contains(&name.name.to_snake_case().as_str())
    {
        ctx.push_help(
            Code::ReservedName,
            name.span,
            format!("`{}` cannot be a field name: it is reserved in Rust", name.name),
            format!("rename the field and keep its column with `@map(\"{}\")`", name.name),
        );
    }

    let field_type = match &ty.name {
        TypeName::Unsupported(s, _) => FieldType::Unsupported(s.clone()),
        TypeName::Named(t) => {
            if let Some(s) = ScalarType::parse(&t.name) {
                FieldType::Scalar(s)
            } else if let Some(e) = schema.enum_id(&t.name) {
                FieldType::Enum(e)
            } else if let Some(m) = schema.model_id(&t.name) {
                FieldType::Model(m)
            } else if ctx.composite_types.contains(&t.name) {
                return None;
            } else {
                let candidates = ScalarType::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .chain(schema.models.keys().map(String::as_str))
                    .chain(schema.enums.keys().map(String::as_str));
                let help = did_you_mean(&t.name, candidates).unwrap_or_else(|| {
                    "a field's type is a scalar (String, Int, BigInt, Float, Decimal, Boolean, DateTime, Json, Bytes), an enum or a model".into()
                });
                ctx.diags.push(
                    Diagnostic::new(
                        Code::UnknownType,
                        t.span,
                        format!("type `{}` is neither a built-in type, nor refers to another model or enum", t.name),
                    )
                    .with_label("unknown type")
                    .with_help(help),
                );
                return None;
            }
        }
    };

    let mut field = Field {
        name: name.name.clone(),
        db_name: name.name.clone(),
        arity: ty.arity,
        ty: field_type,
        default: None,
        updated_at: false,
        ignored: false,
        native_type: None,
        relation: None,
        docs: docs_at(block, index),
        span: member.span,
        name_span: name.span,
        type_span: ty.span,
    };
    if field.is_relation() {
        field.relation = Some(RelationAttribute { span: member.span, ..Default::default() });
    }

    let mut keys = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for attr in &member.attributes {
        let n = attr.name.name.as_str();
        if seen.contains(&n) {
            ctx.push_help(
                Code::DuplicateAttribute,
                attr.span,
                format!("`@{n}` is given twice on field `{}`", field.name),
                "remove one of them",
            );
            continue;
        }
        seen.push(n);
        if matches!(n, "id" | "unique") {
            if field.is_relation() {
                not_on_relation(attr, &field, ctx);
            } else {
                keys.extend(field_key(attr, field_id, ctx));
            }
            continue;
        }
        field_attribute(attr, &mut field, model_id, schema, ctx);
    }
    Some((field, keys))
}

fn not_on_relation(attr: &Attribute, field: &Field, ctx: &mut Ctx) {
    ctx.push_help(
        Code::AttributeNotAllowed,
        attr.span,
        format!("`@{}` cannot be used on the relation field `{}`", attr.name.name, field.name),
        "put it on the scalar field that holds the foreign key",
    );
}

/// Reads `@id(…)` / `@unique(…)` into the key it declares over the field `field_id`.
fn field_key(attr: &Attribute, field_id: FieldId, ctx: &mut Ctx) -> Option<FieldKey> {
    let mut args = Args::new(attr);
    let kind_error = |name: &str, expected: &str, value: &Expression, ctx: &mut Ctx| {
        ctx.push(Code::InvalidArgument, value.span(), format!("`{name}` must be {expected}"));
    };
    let map = match args.get("map", false) {
        Some(Expression::String(s, _)) => Some(s.clone()),
        Some(v) => {
            kind_error("map", "a string", v, ctx);
            None
        }
        None => None,
    };
    let length = args.get("length", false).and_then(|v| {
        let n = number_u32(v);
        if n.is_none() {
            kind_error("length", "a positive whole number", v, ctx);
        }
        n
    });
    let sort = args.get("sort", false).and_then(|v| {
        let s = v.as_path().and_then(sort_order);
        if s.is_none() {
            kind_error("sort", "`Asc` or `Desc`", v, ctx);
        }
        s
    });
    let clustered = args.get("clustered", false).and_then(|v| match v.as_path() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => {
            kind_error("clustered", "`true` or `false`", v, ctx);
            None
        }
    });
    args.finish(&["map", "length", "sort", "clustered"], ctx);
    let fields = vec![IndexField { field: field_id, sort, length, ops: None }];
    Some(if attr.name.name == "id" {
        FieldKey::Id(PrimaryKey { fields, name: None, map, clustered, from_field: true, span: attr.span })
    } else {
        FieldKey::Unique(Index {
            kind: IndexKind::Unique,
            fields,
            name: None,
            map,
            index_type: None,
            clustered,
            from_field: true,
            span: attr.span,
        })
    })
}

fn field_attribute(attr: &Attribute, field: &mut Field, model_id: ModelId, schema: &Schema, ctx: &mut Ctx) {
    let name = attr.name.name.as_str();
    let is_relation = field.is_relation();
    let mut args = Args::new(attr);
    match name {
        "default" => {
            if is_relation {
                not_on_relation(attr, field, ctx);
                return;
            }
            let value = args.required("value", true, ctx);
            let map = args.string("map", false, ctx).map(|(s, _)| s);
            args.finish(&["value", "map"], ctx);
            if let Some(value) = value
                && let Some(kind) = default_value(value, field, schema, ctx)
            {
                field.default = Some(DefaultValue { kind, map, span: attr.span });
            }
        }
        "updatedAt" => {
            if is_relation {
                not_on_relation(attr, field, ctx);
                return;
            }
            field.updated_at = true;
            args.finish(&[], ctx);
        }
        "map" => {
            if is_relation {
                not_on_relation(attr, field, ctx);
                return;
            }
            if let Some((s, _)) = args.string("name", true, ctx) {
                field.db_name = s;
            } else if attr.arguments.is_empty() {
                args.required("name", true, ctx);
            }
            args.finish(&["name"], ctx);
        }
        "ignore" => {
            field.ignored = true;
            args.finish(&[], ctx);
        }
        "relation" => {
            if !is_relation {
                ctx.push_help(
                    Code::AttributeNotAllowed,
                    attr.span,
                    format!("`@relation` can only be used on relation fields; `{}` is a scalar field", field.name),
                    "put `@relation(fields: […], references: […])` on the field whose type is the other model",
                );
                return;
            }
            relation_attribute(attr, &mut args, field, model_id, ctx);
            args.finish(&["name", "fields", "references", "onDelete", "onUpdate", "map"], ctx);
        }
        _ => {
            let ds = ctx.datasource_name.clone();
            if let Some((prefix, native)) = name.split_once('.')
                && ds.as_deref() == Some(prefix)
            {
                if is_relation {
                    not_on_relation(attr, field, ctx);
                    return;
                }
                let mut values = Vec::new();
                for a in &attr.arguments {
                    match &a.value {
                        Some(Expression::Number(n, _)) if a.name.is_none() => values.push(n.clone()),
                        Some(Expression::Path(p, _)) if a.name.is_none() => values.push(p.clone()),
                        _ => ctx.push(
                            Code::InvalidNativeTypeArguments,
                            a.span,
                            format!("`@{name}` takes numbers as arguments"),
                        ),
                    }
                }
                field.native_type = Some(NativeType { name: native.to_string(), args: values, span: attr.span });
                return;
            }
            if let Some((prefix, _)) = name.split_once('.') {
                let help = match &ds {
                    Some(ds) => format!("native types are written with the datasource's name: `@{ds}.…`"),
                    None => "native types need a datasource block".to_string(),
                };
                ctx.push_help(
                    Code::UnknownAttribute,
                    attr.name.span,
                    format!("`@{name}`: `{prefix}` is not the name of the datasource"),
                    help,
                );
                return;
            }
            let help = did_you_mean(name, FIELD_ATTRIBUTES.iter().copied()).unwrap_or_else(|| {
                "field attributes are @id, @unique, @default, @updatedAt, @map, @relation, @ignore and @db.*".into()
            });
            ctx.push_help(Code::UnknownAttribute, attr.name.span, format!("`@{name}` is not a known attribute"), help);
        }
    }
}

fn relation_attribute(attr: &Attribute, args: &mut Args, field: &mut Field, model_id: ModelId, ctx: &mut Ctx) {
    let name = args.string("name", true, ctx).map(|(s, _)| s);
    let fields = args.get("fields", false).map(|e| field_list(e, "fields", ctx)).unwrap_or_default();
    let references = args.get("references", false).map(|e| field_list(e, "references", ctx)).unwrap_or_default();
    let mut action = |key: &str, ctx: &mut Ctx| {
        let (value, span) = args.constant(key, ctx)?;
        let parsed = ReferentialAction::parse(&value);
        if parsed.is_none() {
            let help = did_you_mean(&value, ReferentialAction::ALL.iter().map(|a| a.as_str())).unwrap_or_else(|| {
                "referential actions are Cascade, Restrict, NoAction, SetNull and SetDefault".into()
            });
            ctx.push_help(Code::InvalidArgument, span, format!("`{value}` is not a referential action"), help);
        }
        parsed
    };
    let on_delete = action("onDelete", ctx);
    let on_update = action("onUpdate", ctx);
    let map = args.string("map", false, ctx).map(|(s, _)| s);
    ctx.pending_relations.push(PendingRelation {
        model: model_id,
        field: field.name.clone(),
        fields: fields.clone(),
        references: references.clone(),
        fields_given: attr.argument("fields", false).is_some(),
        references_given: attr.argument("references", false).is_some(),
    });
    field.relation = Some(RelationAttribute {
        name,
        fields: Vec::new(),
        references: Vec::new(),
        on_delete,
        on_update,
        map,
        span: attr.span,
        has_attribute: true,
        arguments_written: attr.argument("fields", false).is_some() || attr.argument("references", false).is_some(),
    });
}

/// `[a, b]` (or a single `a`) as names with spans.
pub(crate) fn field_list(e: &Expression, arg: &str, ctx: &mut Ctx) -> Vec<(String, Span)> {
    match e {
        Expression::Array(items, _) => items
            .iter()
            .filter_map(|i| match i {
                Expression::Path(p, s) => Some((p.clone(), *s)),
                other => {
                    ctx.push(
                        Code::InvalidArgument,
                        other.span(),
                        format!("`{arg}` lists field names, found {}", other.describe()),
                    );
                    None
                }
            })
            .collect(),
        Expression::Path(p, s) => vec![(p.clone(), *s)],
        other => {
            ctx.push_help(
                Code::InvalidArgument,
                other.span(),
                format!("`{arg}` must be a list of field names, found {}", other.describe()),
                format!("write `{arg}: [fieldName]`"),
            );
            Vec::new()
        }
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
                if !is_base64(v) {
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

/// Standard base64 with padding, as Prisma reads `Bytes` defaults.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}
