//! The commands that work without writing a migration: `db push` (the schema straight onto
//! the database), `migrate reset`, and the sides of `migrate diff`.

use orm_codegen::checks::Severity;
use orm_codegen::{diff, render_script};
use orm_runtime::migrate::Migrator;

use crate::dev::findings;
use crate::{Ask, Error, Finding, Project, introspect};

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
    let (unexecutable, warnings): (Vec<Finding>, Vec<Finding>) =
        findings(&mut migrator, &steps).await?.into_iter().partition(|f| f.severity == Severity::Unexecutable);
    if !unexecutable.is_empty() {
        return Err(Error::Unexecutable { findings: unexecutable });
    }
    if !warnings.is_empty() && !accept_data_loss {
        let question = format!(
            "Pushing loses data:\n{}\nGo ahead?",
            warnings.iter().map(|w| format!("  - {}", w.message)).collect::<Vec<_>>().join("\n")
        );
        if !(ask.interactive() && ask.confirm(&question)) {
            return Err(Error::DataLoss { findings: warnings, possible_renames: Vec::new() });
        }
    }
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
