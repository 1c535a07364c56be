//! `migrate diff`: two database states compared, each side an empty database, a schema, a
//! migrations folder (replayed on a shadow database) or a live database.

use orm_codegen::Step;
use orm_db_schema::{DbSchema, Dialect};
use orm_runtime::migrate::{MigrationsDir, Migrator, ShadowDb};

use crate::{Error, Source, introspect};

/// What `migrate diff` found.
#[derive(Debug)]
pub struct DiffOutcome {
    /// The dialect both sides were read for.
    pub dialect: Dialect,
    /// From `from` to `to`, in execution order.
    pub steps: Vec<Step>,
}

impl DiffOutcome {
    /// The steps as a `migration.sql`.
    pub fn script(&self) -> Result<String, Error> {
        Ok(orm_codegen::render_script(&self.steps, self.dialect)?)
    }
}

/// The steps from `from` to `to`. The dialect comes from whichever side says: a schema, a
/// URL, a migrations folder's lock file.
pub async fn diff(from: &Source, to: &Source, shadow_url: Option<&str>) -> Result<DiffOutcome, Error> {
    let dialect = [from, to].into_iter().find_map(dialect_of).ok_or(Error::UnknownDialect)?;
    let from_db = diff_source(from, dialect, shadow_url).await?;
    let to_db = diff_source(to, dialect, shadow_url).await?;
    Ok(DiffOutcome { dialect, steps: orm_codegen::diff(&from_db, &to_db) })
}

/// The dialect a side names, if it names one.
fn dialect_of(source: &Source) -> Option<Dialect> {
    match source {
        Source::Schema(schema) => Some(orm_codegen::db_schema::dialect_of(schema)),
        Source::Url(url) => orm_runtime::dialect_of_url(url).ok(),
        Source::Migrations(dir) => {
            MigrationsDir::new(dir).locked_provider().ok().flatten().and_then(|p| Dialect::from_provider(&p))
        }
        Source::Empty => None,
    }
}

/// One side of `migrate diff`, as a [`DbSchema`] for `dialect`.
pub async fn diff_source(source: &Source, dialect: Dialect, shadow_url: Option<&str>) -> Result<DbSchema, Error> {
    Ok(match source {
        Source::Empty => DbSchema::default(),
        Source::Schema(schema) => orm_codegen::db_schema::from_schema_for(schema, dialect),
        Source::Url(url) => {
            let mut migrator = Migrator::connect(url).await?;
            let db = introspect::database(&mut migrator).await;
            migrator.close().await?;
            db?
        }
        Source::Migrations(dir) => {
            let local = MigrationsDir::new(dir).migrations()?;
            if dialect != Dialect::Sqlite && shadow_url.is_none() {
                return Err(Error::Url(
                    "`--from-migrations` on PostgreSQL or MySQL replays them on a shadow database: pass `--shadow-database-url`"
                        .into(),
                ));
            }
            let mut shadow = ShadowDb::create(dialect, "sqlite::memory:", shadow_url).await?;
            let replayed = introspect::replayed(&mut shadow, &local).await;
            shadow.drop().await;
            replayed?
        }
    })
}
