//! Pass 4: a model's block attributes — `@@id`, `@@unique`, `@@index`, `@@fulltext`, `@@map`,
//! `@@ignore`, `@@schema`.

use crate::ast::{Argument, Attribute, Expression};
use crate::diagnostics::{Code, did_you_mean};
use crate::resolve::fields::{number_u32, sort_order};
use crate::resolve::names::Registered;
use crate::resolve::{Args, Ctx};
use crate::schema::*;

const BLOCK_ATTRIBUTES: &[&str] = &["id", "unique", "index", "fulltext", "map", "ignore", "schema"];

pub(crate) fn resolve(registered: &Registered, schema: &mut Schema, ctx: &mut Ctx) {
    for &(block, model_id) in &registered.models {
        let mut seen: Vec<&str> = Vec::new();
        for attr in block.attributes() {
            let name = attr.name.name.as_str();
            if matches!(name, "id" | "map" | "ignore" | "schema") {
                if seen.contains(&name) {
                    ctx.push_help(
                        Code::DuplicateAttribute,
                        attr.span,
                        format!("`@@{name}` is given twice"),
                        "remove one of them",
                    );
                    continue;
                }
                seen.push(name);
            }
            let errors_before = ctx.diags.errors().count();
            block_attribute(attr, model_id, schema, ctx);
            if matches!(name, "id" | "unique" | "schema") && ctx.diags.errors().count() > errors_before {
                schema.models[model_id.0].incomplete = true;
            }
        }
    }
}

fn block_attribute(attr: &Attribute, model_id: ModelId, schema: &mut Schema, ctx: &mut Ctx) {
    let mut args = Args::new(attr);
    let name = attr.name.name.as_str();
    match name {
        "map" => {
            if let Some((s, _)) = args.string("name", true, ctx) {
                schema.models[model_id.0].db_name = s;
            } else if attr.arguments.is_empty() {
                args.required("name", true, ctx);
            }
            args.finish(&["name"], ctx);
        }
        "ignore" => {
            schema.models[model_id.0].ignored = true;
            args.finish(&[], ctx);
        }
        "schema" => {
            schema.models[model_id.0].schema = args.string("name", true, ctx).map(|(s, _)| s);
            args.finish(&["name"], ctx);
        }
        "id" => {
            let fields = index_fields(&mut args, model_id, schema, ctx);
            let name_arg = args.string("name", false, ctx).map(|(s, _)| s);
            let map = args.string("map", false, ctx).map(|(s, _)| s);
            let clustered = args.boolean("clustered", ctx);
            args.finish(&["fields", "name", "map", "clustered"], ctx);
            let model = &mut schema.models[model_id.0];
            if model.primary_key.is_some() {
                ctx.push_help(
                    Code::MultiplePrimaryKeys,
                    attr.span,
                    format!("model `{}` has both `@id` and `@@id`", model.name),
                    "keep one primary key: `@id` on one field or `@@id([…])` over several",
                );
                return;
            }
            if let Some(fields) = fields {
                model.primary_key =
                    Some(PrimaryKey { fields, name: name_arg, map, clustered, from_field: false, span: attr.span });
            }
        }
        "unique" | "index" | "fulltext" => {
            let fields = index_fields(&mut args, model_id, schema, ctx);
            let name_arg = args.string("name", false, ctx).map(|(s, _)| s);
            let map = args.string("map", false, ctx).map(|(s, _)| s);
            // On `@@index`, `name:` is the legacy spelling of `map:`.
            let (name_arg, map) = if name == "unique" { (name_arg, map) } else { (None, map.or(name_arg)) };
            let index_type = if name == "index" { args.constant("type", ctx).map(|(s, _)| s) } else { None };
            let clustered = if name == "fulltext" { None } else { args.boolean("clustered", ctx) };
            let known: &[&str] = match name {
                "unique" => &["fields", "name", "map", "clustered"],
                "index" => &["fields", "name", "map", "type", "clustered"],
                _ => &["fields", "name", "map"],
            };
            args.finish(known, ctx);
            let kind = match name {
                "unique" => IndexKind::Unique,
                "index" => IndexKind::Normal,
                _ => IndexKind::Fulltext,
            };
            if let Some(fields) = fields {
                schema.models[model_id.0].indexes.push(Index {
                    kind,
                    fields,
                    name: name_arg,
                    map,
                    index_type,
                    clustered,
                    from_field: false,
                    span: attr.span,
                });
            }
        }
        other => {
            let help = did_you_mean(other, BLOCK_ATTRIBUTES.iter().copied()).unwrap_or_else(|| {
                "model attributes are @@id, @@unique, @@index, @@fulltext, @@map, @@ignore and @@schema".into()
            });
            ctx.push_help(
                Code::UnknownAttribute,
                attr.name.span,
                format!("`@@{other}` is not a known attribute"),
                help,
            );
        }
    }
}

/// The `fields` argument: `[a, b(sort: Desc), c(length: 10)]`, resolved to scalar fields.
fn index_fields(args: &mut Args, model_id: ModelId, schema: &Schema, ctx: &mut Ctx) -> Option<Vec<IndexField>> {
    let display = args.display().to_string();
    let value = args.required("fields", true, ctx)?;
    let single;
    let (items, list_span) = match value {
        Expression::Array(items, span) => (items.as_slice(), *span),
        // `@@index(projectId)`: one field without brackets, as Prisma accepts.
        Expression::Path(..) | Expression::Function(..) => {
            single = [value.clone()];
            (&single[..], value.span())
        }
        other => {
            ctx.push_help(
                Code::InvalidArgument,
                other.span(),
                format!("the fields of `{display}` must be a list, found {}", other.describe()),
                format!("write `{display}([a, b])`"),
            );
            return None;
        }
    };
    if items.is_empty() {
        ctx.push(Code::InvalidIndexField, list_span, format!("`{display}` needs at least one field"));
        return None;
    }
    let model = schema.model(model_id);
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let (name, span, fargs) = match item {
            Expression::Path(p, s) => (p.as_str(), *s, &[][..]),
            Expression::Function(f) => (f.name.as_str(), f.name_span, f.arguments.as_slice()),
            other => {
                ctx.push(
                    Code::InvalidArgument,
                    other.span(),
                    format!("expected a field name, found {}", other.describe()),
                );
                ok = false;
                continue;
            }
        };
        let Some(field_id) = model.field_id(name) else {
            if !ctx.broken_fields.contains(&(model_id, name.to_string())) {
                let help = did_you_mean(name, model.fields.keys().map(String::as_str))
                    .unwrap_or_else(|| format!("the fields of `{}` are {}", model.name, field_names(model)));
                ctx.push_help(
                    Code::InvalidIndexField,
                    span,
                    format!("`{display}` names the field `{name}`, which `{}` does not have", model.name),
                    help,
                );
            }
            ok = false;
            continue;
        };
        let field = model.field(field_id);
        if field.is_relation() {
            ctx.push_help(
                Code::InvalidIndexField,
                span,
                format!("`{display}` cannot use the relation field `{name}`"),
                "use the scalar fields of the relation (those in its `fields: […]`)",
            );
            ok = false;
            continue;
        }
        let mut index_field = IndexField { field: field_id, sort: None, length: None, ops: None };
        for a in fargs {
            let key = a.name.as_ref().map_or("", |n| n.name.as_str());
            let value = a.value.as_ref();
            match key {
                "sort" => match value.and_then(|v| v.as_path()).and_then(sort_order) {
                    Some(s) => index_field.sort = Some(s),
                    None => ctx.push(Code::InvalidArgument, a.span, "`sort` must be `Asc` or `Desc`"),
                },
                "length" => match value.and_then(number_u32) {
                    Some(n) => index_field.length = Some(n),
                    None => ctx.push(Code::InvalidArgument, a.span, "`length` must be a positive whole number"),
                },
                "ops" => match value {
                    Some(Expression::Path(p, _)) => index_field.ops = Some(OperatorClass::Named(p.clone())),
                    Some(Expression::Function(f)) if f.name == "raw" => match f.arguments.as_slice() {
                        [Argument { name: None, value: Some(Expression::String(raw, _)), .. }] => {
                            index_field.ops = Some(OperatorClass::Raw(raw.clone()))
                        }
                        _ => {
                            ctx.push(Code::InvalidArgument, a.span, "`raw` takes the operator class's name as a string")
                        }
                    },
                    _ => ctx.push(Code::InvalidArgument, a.span, "`ops` must be an operator class or `raw(\"…\")`"),
                },
                _ => ctx.push_help(
                    Code::InvalidArgument,
                    a.span,
                    format!("`{key}` is not an argument of an index field"),
                    "index fields take `sort`, `length` and `ops`",
                ),
            }
        }
        out.push(index_field);
    }
    ok.then_some(out)
}

pub(crate) fn field_names(model: &Model) -> String {
    model.fields.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}
