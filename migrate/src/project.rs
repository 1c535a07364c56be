//! A project: its checked schema, where the schema lives, its migrations folder beside it,
//! and the database its datasource names.

use std::path::{Path, PathBuf};

use orm_db_schema::{DbSchema, Dialect};
use orm_runtime::migrate::MigrationsDir;
use orm_schema::schema::Schema;

use crate::{Error, url};

pub struct Project {
    pub schema: Schema,
    /// The folder the schema file is in: `migrations/` and relative paths start here.
    pub dir: PathBuf,
    pub dialect: Dialect,
    pub migrations: MigrationsDir,
}

impl Project {
    /// A checked schema read from `schema_path` (a file, or a folder of schema files). Loads
    /// `.env` files (see [`url`]).
    pub fn new(schema: Schema, schema_path: &Path) -> Result<Project, Error> {
        if schema.datasource.is_none() {
            return Err(Error::NoDatasource);
        }
        let dir = if schema_path.is_dir() {
            schema_path.to_path_buf()
        } else {
            schema_path.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        url::load_dotenv(&dir);
        let dialect = orm_codegen::db_schema::dialect_of(&schema);
        let migrations = MigrationsDir::new(dir.join("migrations"));
        Ok(Project { schema, dir, dialect, migrations })
    }

    /// The database to work on: `explicit` (`--url`), else the datasource's, else
    /// `DATABASE_URL`. It must be of the schema's provider.
    pub fn url(&self, explicit: Option<&str>) -> Result<String, Error> {
        let configured = self.schema.datasource.as_ref().and_then(|d| d.url.as_ref());
        let url = url::database_url(explicit, configured, &self.dir)?;
        let dialect = orm_runtime::dialect_of_url(&url).map_err(|e| Error::Url(e.to_string()))?;
        if dialect != self.dialect {
            return Err(Error::Url(format!(
                "the schema's provider is `{}`, but the URL `{}` is a {} database",
                self.dialect.provider(),
                orm_runtime::redact(&url),
                dialect.provider()
            )));
        }
        Ok(url)
    }

    /// The shadow database URL the datasource names (`shadowDatabaseUrl`), if any.
    pub fn shadow_url(&self, explicit: Option<&str>) -> Result<Option<String>, Error> {
        if let Some(url) = explicit {
            return Ok(Some(url.to_owned()));
        }
        match self.schema.datasource.as_ref().and_then(|d| d.shadow_database_url.as_ref()) {
            Some(configured) => url::database_url(None, Some(configured), &self.dir).map(Some),
            None => Ok(None),
        }
    }

    /// The migrations folder's migrations, once its lock file (if any) is checked against
    /// the schema's provider.
    pub fn local_migrations(&self) -> Result<Vec<orm_runtime::migrate::Migration>, Error> {
        self.migrations.verify_lock(self.dialect.provider(), self.dialect)?;
        Ok(self.migrations.migrations()?)
    }

    /// The database the schema describes.
    pub fn target(&self) -> DbSchema {
        orm_codegen::db_schema::from_schema_for(&self.schema, self.dialect)
    }

    /// The command the `orm` generator block names as `seed`, if any.
    pub fn seed_command(&self) -> Option<String> {
        self.schema.orm_generator().and_then(|g| g.config.get("seed").cloned())
    }

    /// Runs the seed command in the schema's folder with `DATABASE_URL` set to `url`.
    pub fn seed(&self, url: &str) -> Result<Option<String>, Error> {
        let Some(command) = self.seed_command() else { return Ok(None) };
        let mut shell = if cfg!(windows) {
            let mut c = std::process::Command::new("cmd");
            c.arg("/C");
            c
        } else {
            let mut c = std::process::Command::new("sh");
            c.arg("-c");
            c
        };
        let dir = if self.dir.as_os_str().is_empty() { Path::new(".") } else { &self.dir };
        let status = shell
            .arg(&command)
            .current_dir(dir)
            .env("DATABASE_URL", url)
            .status()
            .map_err(|e| Error::Seed(format!("could not run the seed command `{command}`: {e}")))?;
        if status.success() {
            Ok(Some(command))
        } else {
            Err(Error::Seed(format!("the seed command `{command}` failed ({status})")))
        }
    }
}
