//! Which database a command talks to: `--url`, else the datasource's `url` (a literal or
//! `env("NAME")`, with `.env` files loaded), else `DATABASE_URL`.
//!
//! `.env` beside the schema, then in the working folder, fill variables the environment
//! lacks (the environment wins). A relative SQLite path (`file:./dev.db`) is relative to the
//! schema file, as Prisma reads it, so a command gives the same database from any folder.

use std::path::Path;

use orm_schema::schema::ConfigValue;

use crate::Error;

/// Loads `.env` from the schema's folder and the working folder, without overriding.
pub fn load_dotenv(schema_dir: &Path) {
    let _ = dotenvy::from_path(schema_dir.join(".env"));
    let _ = dotenvy::dotenv();
}

/// The URL of the database, from the first place that names one.
pub fn database_url(
    explicit: Option<&str>,
    configured: Option<&ConfigValue>,
    schema_dir: &Path,
) -> Result<String, Error> {
    let url = match (explicit, configured) {
        (Some(url), _) => url.to_owned(),
        (None, Some(ConfigValue::Literal(url))) => url.clone(),
        (None, Some(ConfigValue::Env(var))) => std::env::var(var).map_err(|_| {
            Error::Url(format!(
                "the datasource's url is env(\"{var}\"), and `{var}` is not set (not in the environment, nor in a .env file beside the schema or here); set it, or pass `--url`"
            ))
        })?,
        (None, None) => std::env::var("DATABASE_URL").map_err(|_| {
            Error::Url("no database URL: pass `--url`, set `url` in the datasource block, or set DATABASE_URL".into())
        })?,
    };
    orm_runtime::dialect_of_url(&url).map_err(|e| Error::Url(e.to_string()))?;
    Ok(relative_to(&url, schema_dir))
}

/// A SQLite URL with a relative path made relative to `dir`; other URLs as they are.
pub fn relative_to(url: &str, dir: &Path) -> String {
    let Some(rest) = ["sqlite://", "sqlite:", "file:"].iter().find_map(|s| url.strip_prefix(s)) else {
        return url.to_owned();
    };
    let (path, query) = rest.split_once('?').map_or((rest, None), |(p, q)| (p, Some(q)));
    if path.is_empty() || path.starts_with(':') || Path::new(path).is_absolute() || dir.as_os_str().is_empty() {
        return url.to_owned();
    }
    let joined = dir.join(path.strip_prefix("./").unwrap_or(path));
    match query {
        Some(q) => format!("sqlite:{}?{q}", joined.display()),
        None => format!("sqlite:{}", joined.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_sqlite_paths_follow_the_schema() {
        let dir = Path::new("/app/prisma");
        assert_eq!(relative_to("file:./dev.db", dir), "sqlite:/app/prisma/dev.db");
        assert_eq!(relative_to("sqlite:dev.db?mode=rwc", dir), "sqlite:/app/prisma/dev.db?mode=rwc");
        assert_eq!(relative_to("sqlite:///tmp/x.db", dir), "sqlite:///tmp/x.db");
        assert_eq!(relative_to("sqlite::memory:", dir), "sqlite::memory:");
        assert_eq!(relative_to("postgres://h/db", dir), "postgres://h/db");
        assert_eq!(relative_to("file:dev.db", Path::new("")), "file:dev.db");
    }

    #[test]
    fn urls_come_from_the_flag_then_the_datasource() {
        let dir = Path::new("");
        assert_eq!(database_url(Some("sqlite:a.db"), None, dir).unwrap(), "sqlite:a.db");
        let literal = ConfigValue::Literal("postgres://h/db".into());
        assert_eq!(database_url(None, Some(&literal), dir).unwrap(), "postgres://h/db");
        let missing = ConfigValue::Env("ORM_TEST_SURELY_UNSET_VARIABLE".into());
        let err = database_url(None, Some(&missing), dir).unwrap_err().to_string();
        assert!(err.contains("`ORM_TEST_SURELY_UNSET_VARIABLE` is not set"), "{err}");
        assert!(
            database_url(Some("redis://x"), None, dir).unwrap_err().to_string().contains("not a supported database")
        );
    }
}
