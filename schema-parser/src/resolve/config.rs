//! Pass 1: `datasource` and `generator` blocks.

use indexmap::IndexMap;

use crate::ast::{Block, BlockKind, Expression, Member};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::provider::{Provider, ProviderName};
use crate::resolve::Ctx;
use crate::schema::{ConfigValue, Datasource, Generator, RelationMode, Schema};
use crate::span::Span;

const DATASOURCE_PROPERTIES: &[&str] = &[
    "provider",
    "url",
    "directUrl",
    "shadowDatabaseUrl",
    "relationMode",
    "referentialIntegrity",
    "schemas",
    "extensions",
];

/// Preview features Prisma has had; `orm` accepts them silently (most are GA behaviour here).
const KNOWN_PREVIEW_FEATURES: &[&str] = &[
    "clientExtensions",
    "deno",
    "driverAdapters",
    "extendedIndexes",
    "extendedWhereUnique",
    "fieldReference",
    "filteredRelationCount",
    "fullTextIndex",
    "fullTextSearch",
    "fullTextSearchPostgres",
    "improvedQueryRaw",
    "interactiveTransactions",
    "jsonProtocol",
    "metrics",
    "multiSchema",
    "nativeDistinct",
    "omitApi",
    "orderByNulls",
    "postgresqlExtensions",
    "prismaSchemaFolder",
    "queryCompiler",
    "referentialIntegrity",
    "relationJoins",
    "strictUndefinedChecks",
    "tracing",
    "typedSql",
    "views",
];

/// Returns false when the datasource names a provider orm does not serve.
pub(crate) fn resolve(blocks: &[&Block], schema: &mut Schema, ctx: &mut Ctx) -> bool {
    let mut supported = true;
    let mut first_datasource: Option<String> = None;
    let mut generator_names: IndexMap<String, Span> = IndexMap::new();
    for block in blocks {
        match block.kind {
            Some(BlockKind::Datasource) => {
                if let Some(first) = &first_datasource {
                    ctx.push_help(
                        Code::DuplicateConfigBlock,
                        block.name.span,
                        "a schema has one datasource; this is a second one",
                        format!("remove it, or merge it into datasource `{first}`"),
                    );
                    continue;
                }
                first_datasource = Some(block.name.name.clone());
                schema.datasource = datasource(block, ctx);
                supported = !ctx.diags.iter().any(|d| d.code == Code::UnsupportedProvider);
                if let Some(ds) = &schema.datasource {
                    ctx.provider = Some(ds.provider);
                    ctx.datasource_name = Some(ds.name.clone());
                }
            }
            Some(BlockKind::Generator) => {
                if generator_names.insert(block.name.name.clone(), block.name.span).is_some() {
                    ctx.push_help(
                        Code::DuplicateConfigBlock,
                        block.name.span,
                        format!("a generator named `{}` is already defined", block.name.name),
                        "give each generator block its own name",
                    );
                    continue;
                }
                if let Some(g) = generator(block, ctx) {
                    schema.generators.push(g);
                }
            }
            _ => {}
        }
    }
    if first_datasource.is_none() {
        let span = blocks.first().map_or_else(Span::default, |b| Span::new(b.span.file, 0, 0));
        ctx.diags.push(
            Diagnostic::new(Code::MissingDatasource, span, "the schema has no datasource block")
                .with_help("add `datasource db { provider = \"sqlite\" }` (or \"postgresql\", \"mysql\")"),
        );
    }
    supported
}

fn datasource(block: &Block, ctx: &mut Ctx) -> Option<Datasource> {
    let props = properties(block, ctx);
    let mut provider = None;
    let mut ds_url = None;
    let mut direct_url = None;
    let mut shadow = None;
    let mut relation_mode = RelationMode::ForeignKeys;
    let mut schemas = Vec::new();
    let mut schemas_span = None;
    let mut extensions = None;
    for (member, value) in &props {
        let name = member.name.name.as_str();
        if name == "schemas" {
            schemas_span = Some(member.name.span);
        }
        match name {
            "provider" => provider = provider_value(value, ctx),
            "url" => ds_url = url_value(name, value, ctx),
            "directUrl" => direct_url = url_value(name, value, ctx),
            "shadowDatabaseUrl" => shadow = url_value(name, value, ctx),
            "relationMode" | "referentialIntegrity" => match value.as_str() {
                Some("foreignKeys") => relation_mode = RelationMode::ForeignKeys,
                Some("prisma") => relation_mode = RelationMode::Prisma,
                _ => ctx.push_help(
                    Code::InvalidConfigProperty,
                    value.span(),
                    format!("`{name}` must be \"foreignKeys\" or \"prisma\""),
                    "\"foreignKeys\" keeps relations as foreign keys in the database",
                ),
            },
            "schemas" => match value {
                Expression::Array(items, _) => {
                    for item in items {
                        match item.as_str() {
                            Some(s) => schemas.push(s.to_string()),
                            None => ctx.push(
                                Code::InvalidConfigProperty,
                                item.span(),
                                format!("`schemas` lists schema names as strings, found {}", item.describe()),
                            ),
                        }
                    }
                }
                other => ctx.push(
                    Code::InvalidConfigProperty,
                    other.span(),
                    format!("`schemas` must be a list of strings, found {}", other.describe()),
                ),
            },
            "extensions" => extensions = Some(member.name.span),
            _ => {
                let d = Diagnostic::new(
                    Code::InvalidConfigProperty,
                    member.name.span,
                    format!("`{name}` is not a datasource property"),
                );
                let help = did_you_mean(name, DATASOURCE_PROPERTIES.iter().copied())
                    .unwrap_or_else(|| format!("datasource properties are {}", DATASOURCE_PROPERTIES.join(", ")));
                ctx.diags.push(d.with_help(help));
            }
        }
    }
    let has = |key: &str| props.iter().find(|(m, _)| m.name.name == key).map(|(m, _)| m.name.span);
    if let (Some(_), Some(legacy)) = (has("relationMode"), has("referentialIntegrity")) {
        ctx.push_help(
            Code::InvalidConfigProperty,
            legacy,
            "`referentialIntegrity` and `relationMode` cannot be used together",
            "`referentialIntegrity` is the old name of `relationMode`: keep only `relationMode`",
        );
    }
    if let Some(p) = provider {
        let caps = p.capabilities();
        if let Some(span) = schemas_span
            && !caps.multi_schema
        {
            ctx.push_help(
                Code::InvalidConfigProperty,
                span,
                format!("`schemas` is not supported on {}", p.as_str()),
                "several schemas in one database are a PostgreSQL feature; remove `schemas` and `@@schema`",
            );
        }
        match extensions {
            Some(span) if caps.extensions => ctx.push_help(
                Code::IgnoredProperty,
                span,
                "the datasource property `extensions` is not used by orm; it is ignored",
                "create extensions in a migration with `CREATE EXTENSION`",
            ),
            Some(span) => ctx.push_help(
                Code::InvalidConfigProperty,
                span,
                "`extensions` is only supported on postgresql",
                "remove it",
            ),
            None => {}
        }
    }
    let Some(provider) = provider else {
        if !block.members().any(|m| m.name.name == "provider") {
            ctx.push_help(
                Code::MissingProvider,
                block.name.span,
                format!("datasource `{}` has no `provider`", block.name.name),
                "add `provider = \"sqlite\"` (or \"postgresql\", \"mysql\")",
            );
        }
        return None;
    };
    Some(Datasource {
        name: block.name.name.clone(),
        provider,
        url: ds_url,
        direct_url,
        shadow_database_url: shadow,
        relation_mode,
        schemas,
        span: block.span,
    })
}

fn provider_value(value: &Expression, ctx: &mut Ctx) -> Option<Provider> {
    let Some(name) = value.as_str() else {
        ctx.push_help(
            Code::InvalidConfigProperty,
            value.span(),
            format!("`provider` must be a string, found {}", value.describe()),
            "write `provider = \"sqlite\"` (or \"postgresql\", \"mysql\")",
        );
        return None;
    };
    match Provider::parse(name) {
        ProviderName::Supported(p) => Some(p),
        ProviderName::Unsupported(p) => {
            ctx.push_help(
                Code::UnsupportedProvider,
                value.span(),
                format!("orm does not support the provider `{p}`"),
                "orm supports \"sqlite\", \"postgresql\" (alias \"postgres\") and \"mysql\" (MySQL and MariaDB)",
            );
            None
        }
        ProviderName::Unknown => {
            let help = did_you_mean(name, ["sqlite", "postgresql", "mysql"])
                .unwrap_or_else(|| "orm supports \"sqlite\", \"postgresql\" and \"mysql\"".into());
            let message = if name.is_empty() {
                "the provider is empty".to_string()
            } else {
                format!("`{name}` is not a known provider")
            };
            ctx.push_help(Code::UnknownProvider, value.span(), message, help);
            None
        }
    }
}

fn url_value(name: &str, value: &Expression, ctx: &mut Ctx) -> Option<ConfigValue> {
    match value {
        Expression::String(s, _) => Some(ConfigValue::Literal(s.clone())),
        Expression::Function(f) if f.name == "env" => {
            match f.arguments.first().and_then(|a| a.value.as_ref()).and_then(|v| v.as_str()) {
                Some(var) if f.arguments.len() == 1 => Some(ConfigValue::Env(var.to_string())),
                _ => {
                    ctx.push_help(
                        Code::InvalidConfigProperty,
                        f.span,
                        "`env()` takes the name of one environment variable",
                        "write `env(\"DATABASE_URL\")`",
                    );
                    None
                }
            }
        }
        other => {
            ctx.push_help(
                Code::InvalidConfigProperty,
                other.span(),
                format!("`{name}` must be a string or `env(\"…\")`, found {}", other.describe()),
                "write `url = env(\"DATABASE_URL\")`",
            );
            None
        }
    }
}

fn generator(block: &Block, ctx: &mut Ctx) -> Option<Generator> {
    let props = properties(block, ctx);
    let mut provider = None;
    let mut output = None;
    let mut preview_features = Vec::new();
    let mut config = IndexMap::new();
    for (member, value) in &props {
        match member.name.name.as_str() {
            "provider" => match value {
                Expression::String(s, _) => provider = Some(s.clone()),
                Expression::Function(f) if f.name == "env" => {
                    let var = f.arguments.first().and_then(|a| a.value.as_ref()).and_then(|v| v.as_str()).unwrap_or("");
                    provider = Some(format!("env(\"{var}\")"));
                }
                other => ctx.push(
                    Code::InvalidConfigProperty,
                    other.span(),
                    format!("`provider` must be a string, found {}", other.describe()),
                ),
            },
            "output" => match value {
                Expression::String(s, _) => output = Some(s.clone()),
                Expression::Function(f) if f.name == "env" => {}
                other => ctx.push(
                    Code::InvalidConfigProperty,
                    other.span(),
                    format!("`output` must be a path string, found {}", other.describe()),
                ),
            },
            "previewFeatures" => match value {
                // A single string is accepted as a list of one, as Prisma does.
                Expression::Array(..) | Expression::String(..) => {
                    let items = match value {
                        Expression::Array(items, _) => items.as_slice(),
                        single => std::slice::from_ref(*single),
                    };
                    for item in items {
                        match item.as_str() {
                            Some(feature) => {
                                if !KNOWN_PREVIEW_FEATURES.contains(&feature) {
                                    let d = Diagnostic::new(
                                        Code::UnknownPreviewFeature,
                                        item.span(),
                                        format!("unknown preview feature `{feature}`; it is ignored"),
                                    );
                                    let d = match did_you_mean(feature, KNOWN_PREVIEW_FEATURES.iter().copied()) {
                                        Some(h) => d.with_help(h),
                                        None => d,
                                    };
                                    ctx.diags.push(d);
                                }
                                preview_features.push(feature.to_string());
                            }
                            None => ctx.push(
                                Code::InvalidConfigProperty,
                                item.span(),
                                format!("preview features are strings, found {}", item.describe()),
                            ),
                        }
                    }
                }
                other => ctx.push(
                    Code::InvalidConfigProperty,
                    other.span(),
                    format!("`previewFeatures` must be a list of strings, found {}", other.describe()),
                ),
            },
            name => {
                let text = match value {
                    Expression::String(s, _) => s.clone(),
                    Expression::Number(s, _) | Expression::Path(s, _) => s.clone(),
                    _ => String::new(),
                };
                config.insert(name.to_string(), text);
            }
        }
    }
    let Some(provider) = provider else {
        if !block.members().any(|m| m.name.name == "provider") {
            ctx.push_help(
                Code::MissingProvider,
                block.name.span,
                format!("generator `{}` has no `provider`", block.name.name),
                "for the orm client write `provider = \"orm\"`",
            );
        }
        return None;
    };
    if provider != "orm" {
        ctx.push_help(
            Code::ForeignGenerator,
            block.name.span,
            format!("generator `{}` is for `{provider}`; orm ignores it", block.name.name),
            "orm's own generator is `generator client { provider = \"orm\" output = \"src/db\" }`",
        );
    }
    Some(Generator { name: block.name.name.clone(), provider, output, preview_features, config, span: block.span })
}

/// The `key = value` members of a config block; anything else is reported. Duplicate keys too.
fn properties<'a>(block: &'a Block, ctx: &mut Ctx) -> Vec<(&'a Member, &'a Expression)> {
    let mut seen: IndexMap<&str, ()> = IndexMap::new();
    let mut out = Vec::new();
    for member in block.members() {
        let Some(value) = &member.value else {
            ctx.push_help(
                Code::InvalidMember,
                member.span,
                format!("`{}` in a {} block needs a value", member.name.name, block.keyword.name),
                format!("write `{} = …`", member.name.name),
            );
            continue;
        };
        if seen.insert(&member.name.name, ()).is_some() {
            ctx.push(
                Code::InvalidConfigProperty,
                member.name.span,
                format!("`{}` is set twice in {} `{}`", member.name.name, block.keyword.name, block.name.name),
            );
            continue;
        }
        out.push((member, value));
    }
    for attr in block.attributes() {
        ctx.push(
            Code::AttributeNotAllowed,
            attr.span,
            format!("attributes are not allowed in a {} block", block.keyword.name),
        );
    }
    out
}
