//! The commands that work without writing a migration: `db push` (the schema straight onto
//! the database), `migrate reset`, and the sides of `migrate diff`.

use orm_codegen::{diff, render_script};
use orm_runtime::migrate::Migrator;

use crate::dev::approve;
use crate::{Ask, Error, Project, introspect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    /// One line per step applied; empty when the database already matched.
    pub changes: Vec<String>,
    /// Data-loss warnings accepted.
    pub accepted: Vec<String>,
}

/// `db push`: makes the database match the schema, without a migration or history.
pub async fn push(
    project: &Project,
    url: &str,
    accept_data_loss: bool,
    ask: &mut dyn Ask,
) -> Result<PushOutcome, Error> {
    let mut migrator = Migrator::connect(url).await?;
    migrator.lock().await?;
    let actual = introspect::database(&mut migrator).await?;
    let steps = diff(&actual, &project.target());
    if steps.is_empty() {
        migrator.close().await?;
        return Ok(PushOutcome { changes: Vec::new(), accepted: Vec::new() });
    }
    let warnings = approve(&mut migrator, &steps, accept_data_loss, ask, "Pushing loses data", "Go ahead?").await?;
    migrator.execute_script("db push", &render_script(&steps, project.dialect)?).await?;
    migrator.close().await?;
    Ok(PushOutcome {
        changes: steps.iter().map(orm_codegen::Step::describe).collect(),
        accepted: warnings.into_iter().map(|w| w.message).collect(),
    })
}

/// `migrate reset`: drops everything in the database and applies every migration again.
/// Returns the migrations applied.
pub async fn reset(project: &Project, url: &str) -> Result<Vec<String>, Error> {
    let local = project.local_migrations()?;
    let mut migrator = Migrator::connect(url).await?;
    migrator.lock().await?;
    migrator.reset().await?;
    let applied = migrator.deploy(&local).await;
    migrator.close().await?;
    Ok(applied?)
}
