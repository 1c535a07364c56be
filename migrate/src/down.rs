//! `migrate down`: undoes the last applied migrations with the `down.sql` files `migrate dev`
//! writes beside them, under the same rules as going up.
//!
//! 1. Under the lock, refuse while a migration is failed or an applied one was edited, and
//!    refuse a migration without `down.sql` (or an applied one whose folder is gone) before
//!    anything runs. "The last applied" is in the order the database applied them.
//! 2. Replay the migrations that stay on a shadow database: the state the rollback leads to.
//!    Diff the live database against it and count what those steps would destroy, as
//!    `migrate dev` does; data loss needs a yes or `--accept-data-loss`.
//! 3. Run each `down.sql`, newest first, atomically where the database allows, its history
//!    row marked rolled back in the same transaction, so the migration is pending again.

use orm_runtime::migrate::{MigrateError, Migration, Migrator, ShadowDb};

use crate::dev::approve;
use crate::{Ask, Error, Project, introspect};

/// How far down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownTarget {
    /// The last N applied migrations.
    Steps(usize),
    /// Every migration applied after this one (which stays applied).
    To(String),
}

#[derive(Debug, Clone)]
pub struct DownOptions {
    pub target: DownTarget,
    pub accept_data_loss: bool,
    pub url: Option<String>,
    pub shadow_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownOutcome {
    /// The migrations rolled back, newest first.
    pub rolled_back: Vec<String>,
    /// Data-loss warnings the user accepted.
    pub accepted: Vec<String>,
}

pub async fn down(project: &Project, options: &DownOptions, ask: &mut dyn Ask) -> Result<DownOutcome, Error> {
    let url = project.url(options.url.as_deref())?;
    let shadow_url = project.shadow_url(options.shadow_url.as_deref())?;
    let local = project.local_migrations()?;
    let mut migrator = Migrator::connect(&url).await?;
    migrator.lock().await?;
    let result = down_locked(project, options, ask, &mut migrator, &url, shadow_url.as_deref(), &local).await;
    match &result {
        // What was rolled back stays rolled back; on SQLite the run commits here.
        Ok(_) | Err(Error::Migrate(MigrateError::DownFailed { .. }) | Error::RolledBackPart { .. }) => {
            migrator.close().await?
        }
        Err(_) => drop(migrator),
    }
    result
}

async fn down_locked(
    project: &Project,
    options: &DownOptions,
    ask: &mut dyn Ask,
    migrator: &mut Migrator,
    url: &str,
    shadow_url: Option<&str>,
    local: &[Migration],
) -> Result<DownOutcome, Error> {
    let status = migrator.status(local).await?;
    status.ensure_resolved()?;
    // Newest last, in the order the database applied them (after merged branches, not always
    // the folder's).
    let applied: Vec<&str> = status.applied_order.iter().map(String::as_str).collect();
    let keep = match &options.target {
        DownTarget::Steps(n) if *n > applied.len() => {
            return Err(Error::TooFarDown { asked: *n, applied: applied.len() });
        }
        DownTarget::Steps(n) => applied.len() - n,
        DownTarget::To(name) => match applied.iter().position(|a| a == name) {
            Some(at) => at + 1,
            None if local.iter().any(|m| &m.name == name) => {
                return Err(MigrateError::NotApplied { name: name.clone() }.into());
            }
            None => return Err(MigrateError::UnknownMigration { name: name.clone() }.into()),
        },
    };
    // Every migration involved needs its folder: those undone for their down.sql, those that
    // stay to replay what the rollback leads to.
    if let Some(missing) = applied.iter().find(|name| !local.iter().any(|m| m.name == **name)) {
        return Err(MigrateError::MissingFolder { name: (*missing).to_owned() }.into());
    }
    let mut undo: Vec<&Migration> = Vec::new();
    for name in applied[keep..].iter().rev() {
        match local.iter().find(|m| m.name == *name) {
            Some(m) if m.down.is_some() => undo.push(m),
            _ => return Err(MigrateError::NoDownScript { name: (*name).to_owned() }.into()),
        }
    }
    if undo.is_empty() {
        return Ok(DownOutcome { rolled_back: Vec::new(), accepted: Vec::new() });
    }

    // What the rollback leads to: the migrations that stay, replayed where nothing else lives.
    let stays: Vec<Migration> =
        applied[..keep].iter().filter_map(|name| local.iter().find(|m| m.name == *name)).cloned().collect();
    let mut shadow = ShadowDb::create(project.dialect, url, shadow_url).await?;
    let replayed = introspect::replayed(&mut shadow, &stays).await;
    shadow.drop().await;
    let target = replayed?;
    let actual = introspect::database(migrator).await?;
    let steps = orm_codegen::diff(&actual, &target);
    let names: Vec<&str> = undo.iter().map(|m| m.name.as_str()).collect();
    let what = format!("Rolling back {} loses data", names.join(", "));
    let warnings = approve(migrator, &steps, options.accept_data_loss, ask, &what, "Roll back anyway?").await?;

    let mut rolled_back = Vec::new();
    for migration in undo {
        match migrator.roll_back(local, migration).await {
            Ok(()) => rolled_back.push(migration.name.clone()),
            // A down.sql that fails leaves the ones before it rolled back: say which.
            Err(e @ MigrateError::DownFailed { .. }) if !rolled_back.is_empty() => {
                return Err(Error::RolledBackPart { rolled_back, failed: Box::new(e) });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(DownOutcome { rolled_back, accepted: warnings.into_iter().map(|w| w.message).collect() })
}
