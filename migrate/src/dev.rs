//! `migrate dev`: from an edited schema to an applied migration, on a development database.
//!
//! 1. Replay the migrations folder on a shadow database: what the history builds.
//! 2. Apply migrations the development database lacks; compare it with the replay. A
//!    difference is drift (someone changed the database by hand, or `db push`): it is
//!    explained, and the database is reset only when the user says yes.
//! 3. Diff the database against the schema, with renames the user named or confirmed.
//! 4. Count what the steps would destroy or fail on; refuse or ask.
//! 5. Write `migration.sql` and `down.sql`, and apply it — all under the migration lock.

use orm_codegen::checks::{Severity, checks};
use orm_codegen::{Rename, Step, diff_with_renames, render_down_with_renames, render_script};
use orm_db_schema::DbSchema;
use orm_runtime::migrate::{MigrateError, Migrator, ShadowDb};

use crate::{Ask, Error, Finding, Project, introspect};

#[derive(Debug, Clone, Default)]
pub struct DevOptions {
    pub name: Option<String>,
    /// Write the migration without applying it.
    pub create_only: bool,
    pub accept_data_loss: bool,
    /// `Model.old=new` or `OldModel=NewModel`.
    pub renames: Vec<String>,
    pub url: Option<String>,
    pub shadow_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevOutcome {
    /// The database already matches the schema: nothing written.
    NoChanges { applied: Vec<String> },
    Created {
        /// The new migration's folder name.
        migration: String,
        /// Migrations applied (pending ones, then the new one unless `create_only`).
        applied: Vec<String>,
        /// Data-loss warnings the user accepted.
        accepted: Vec<String>,
    },
}

pub async fn dev(project: &Project, options: &DevOptions, ask: &mut dyn Ask) -> Result<DevOutcome, Error> {
    let url = project.url(options.url.as_deref())?;
    let shadow_url = project.shadow_url(options.shadow_url.as_deref())?;
    let local = project.local_migrations()?;
    let target = project.target();

    let mut migrator = Migrator::connect(&url).await?;
    let result = dev_locked(project, options, ask, &mut migrator, &url, shadow_url.as_deref(), local, &target).await;
    match &result {
        Ok(_) | Err(Error::Migrate(MigrateError::Failed { .. })) => migrator.close().await?,
        Err(_) => {
            // SQLite's run is one transaction, rolled back whole; on PostgreSQL and MySQL the
            // pending migrations applied before the refusal stay applied (they are history).
            drop(migrator);
        }
    }
    result
}

#[allow(clippy::too_many_arguments)]
async fn dev_locked(
    project: &Project,
    options: &DevOptions,
    ask: &mut dyn Ask,
    migrator: &mut Migrator,
    url: &str,
    shadow_url: Option<&str>,
    mut local: Vec<orm_runtime::migrate::Migration>,
    target: &DbSchema,
) -> Result<DevOutcome, Error> {
    migrator.lock().await?;
    let status = migrator.status(&local).await?;
    status.ensure_resolved()?;

    // What the history builds, replayed where nothing else lives.
    let mut shadow = ShadowDb::create(project.dialect, url, shadow_url).await?;
    let replayed = introspect::replayed(&mut shadow, &local).await;
    shadow.drop().await;
    let expected = replayed?;

    let mut applied = migrator.deploy(&local).await?;
    let mut actual = introspect::database(migrator).await?;
    let drift = orm_codegen::diff(&expected, &actual);
    if !drift.is_empty() {
        let changes: Vec<String> = drift.iter().map(Step::describe).collect();
        let question = format!(
            "The database differs from what the migrations build:\n{}\nReset it? All its data will be lost.",
            changes.iter().map(|c| format!("  - {c}")).collect::<Vec<_>>().join("\n")
        );
        if !(ask.interactive() && ask.confirm(&question)) {
            return Err(Error::Drift { changes });
        }
        migrator.reset().await?;
        applied = migrator.deploy(&local).await?;
        actual = introspect::database(migrator).await?;
    }

    let mut renames = explicit_renames(project, &options.renames)?;
    let mut declined: Vec<Rename> = Vec::new();
    let steps = loop {
        let steps = diff_with_renames(&actual, target, &renames);
        let asked = orm_codegen::renames::candidates(&steps)
            .into_iter()
            .filter(|c| !declined.contains(c))
            .find(|_| ask.interactive());
        match asked {
            Some(candidate) => {
                if ask.confirm(&format!("Did you rename {candidate}?")) {
                    renames.push(candidate);
                } else {
                    declined.push(candidate);
                }
            }
            None => break steps,
        }
    };
    if steps.is_empty() {
        return Ok(DevOutcome::NoChanges { applied });
    }

    let warnings =
        match approve(migrator, &steps, options.accept_data_loss, ask, "This migration loses data", "Apply it anyway?")
            .await
        {
            Err(Error::DataLoss { findings, .. }) => {
                let possible_renames =
                    orm_codegen::renames::candidates(&steps).iter().map(|r| rename_flag(project, r)).collect();
                return Err(Error::DataLoss { findings, possible_renames });
            }
            other => other?,
        };

    let mut script = String::new();
    if !warnings.is_empty() {
        script.push_str("/*\n  Warnings:\n\n");
        for w in &warnings {
            script.push_str(&format!("  - {}\n", w.message));
        }
        script.push_str("*/\n");
    }
    script.push_str(&render_script(&steps, project.dialect)?);
    let down = render_down_with_renames(&actual, target, &renames, project.dialect)?;

    let name = match &options.name {
        Some(name) => name.clone(),
        None => ask.text("Name of the migration").unwrap_or_default(),
    };
    project.migrations.check_lock(project.dialect.provider(), project.dialect)?;
    let migration = project.migrations.write(&folder_name(&name), &script, &down)?;
    let created = migration.name.clone();
    local.push(migration);
    if !options.create_only {
        applied.extend(migrator.deploy(&local).await?);
    }
    Ok(DevOutcome::Created { migration: created, applied, accepted: warnings.into_iter().map(|w| w.message).collect() })
}

/// Counts what `steps` would do to the rows there: refuses steps that would fail on them, and
/// steps that lose data unless `accept` or a yes to `what` + `question`. Returns the data-loss
/// warnings that were accepted.
pub(crate) async fn approve(
    migrator: &mut Migrator,
    steps: &[Step],
    accept: bool,
    ask: &mut dyn Ask,
    what: &str,
    question: &str,
) -> Result<Vec<Finding>, Error> {
    let (unexecutable, warnings): (Vec<Finding>, Vec<Finding>) =
        findings(migrator, steps).await?.into_iter().partition(|f| f.severity == Severity::Unexecutable);
    if !unexecutable.is_empty() {
        return Err(Error::Unexecutable { findings: unexecutable });
    }
    if !warnings.is_empty() && !accept {
        let list = warnings.iter().map(|w| format!("  - {}", w.message)).collect::<Vec<_>>().join("\n");
        if !(ask.interactive() && ask.confirm(&format!("{what}:\n{list}\n{question}"))) {
            return Err(Error::DataLoss { findings: warnings, possible_renames: Vec::new() });
        }
    }
    Ok(warnings)
}

/// The counts of the steps' data-loss checks that found rows.
async fn findings(migrator: &mut Migrator, steps: &[Step]) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    for check in checks(steps, migrator.dialect()) {
        let n = migrator.count(&check.count_sql, &check.binds).await?;
        if n > 0 {
            out.push(Finding { severity: check.severity, message: check.describe(n), help: check.help.clone() });
        }
    }
    Ok(out)
}

/// A migration name as a folder name: snake case, ASCII letters, digits and `_`.
fn folder_name(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let clean: String = snake.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(200).collect();
    clean.trim_matches('_').to_owned()
}

/// `--rename` flags in database names. Old names are the database's (the old schema is gone);
/// new ones are the schema's models and fields, mapped to their tables and columns.
fn explicit_renames(project: &Project, flags: &[String]) -> Result<Vec<Rename>, Error> {
    let mut tables = Vec::new();
    let mut columns = Vec::new();
    for flag in flags {
        let (old, new) = flag.split_once('=').ok_or_else(|| Error::BadRename(flag.clone()))?;
        let (old, new) = (old.trim(), new.trim());
        if old.is_empty() || new.is_empty() {
            return Err(Error::BadRename(flag.clone()));
        }
        match old.split_once('.') {
            None => {
                let to = project.schema.models.get(new).map_or(new.to_owned(), |m| m.db_name.clone());
                tables.push(Rename::Table { from: old.to_owned(), to });
            }
            Some((model, field)) => {
                let new_field = new.rsplit('.').next().unwrap_or(new);
                let m = project.schema.models.get(model);
                let table = m.map_or(model.to_owned(), |m| m.db_name.clone());
                let to = m.and_then(|m| m.fields.get(new_field)).map_or(new_field.to_owned(), |f| f.db_name.clone());
                columns.push(Rename::Column { table, from: field.to_owned(), to });
            }
        }
    }
    tables.extend(columns);
    Ok(tables)
}

/// The `--rename` flag that says `rename` happened.
fn rename_flag(project: &Project, rename: &Rename) -> String {
    let model_of = |table: &str| {
        project.schema.models.values().find(|m| m.db_name == table).map_or(table.to_owned(), |m| m.name.clone())
    };
    match rename {
        Rename::Table { from, to } => format!("{from}={}", model_of(to)),
        Rename::Column { table, from, to } => {
            let model = project.schema.models.values().find(|m| m.db_name == *table);
            let field =
                model.and_then(|m| m.fields.values().find(|f| &f.db_name == to)).map_or(to.clone(), |f| f.name.clone());
            format!("{}.{from}={field}", model_of(table))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn migration_names_become_folder_names() {
        assert_eq!(super::folder_name("Add user bio!"), "add_user_bio");
        assert_eq!(super::folder_name("init"), "init");
        assert_eq!(super::folder_name(""), "");
    }
}
