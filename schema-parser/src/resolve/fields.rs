//! Pass 3: field types and field attributes (`@default` values are read in [`super::defaults`]).

use heck::ToSnakeCase;

use crate::ast::{self, Attribute, Block, Expression, TypeName};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::resolve::defaults;
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
            defaults::default_attribute(attr, args, field, schema, ctx);
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
