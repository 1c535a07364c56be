//! The migration runner: applies a migrations folder to a database and keeps its history.
//!
//! The history is Prisma's own `_prisma_migrations` table (id, checksum, migration_name,
//! started_at, finished_at, rolled_back_at, logs, applied_steps_count), created with Prisma's
//! column types and written as Prisma writes it (ids, checksums, timestamps as Prisma stores
//! them), so that Prisma and `orm` can migrate the same database in either order. One
//! difference Prisma does not read: `applied_steps_count` counts statements (Prisma counts
//! one step per script), which tells how far a MySQL migration got before it failed. A migration is a row
//! with `started_at` before any of its statements runs, then `finished_at` when all of them
//! did; a row with neither `finished_at` nor `rolled_back_at` is a failed migration, which
//! blocks every later run until `resolve` says what happened.
//!
//! Each migration is atomic where the database allows it: PostgreSQL runs it in a
//! transaction (values an `ALTER TYPE … ADD VALUE` adds are committed first, as PostgreSQL
//! cannot use a value in the transaction that added it); SQLite runs it in a savepoint of the
//! run's write transaction, with foreign keys off and `foreign_key_check` before it is
//! released; MySQL, whose DDL commits as it goes, records each statement it applied. Runs are
//! serialised by a lock (PostgreSQL `pg_advisory_lock`, MySQL `GET_LOCK`, SQLite the write
//! lock), so two deploys at once apply each migration exactly once.

mod dir;
mod session;
mod split;

use std::fmt::Write as _;

pub use dir::{LOCK_FILE, Migration, MigrationsDir, checksum, checksum_matches};
use orm_db_schema::Dialect;
pub use session::{Connection, HISTORY_TABLE};
use session::{HistoryRow, Session};
pub use split::{split_statements, strip_leading_comments};

use crate::error::Error;

/// What can go wrong migrating; each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("{}: {message}", path.display())]
    Io { path: std::path::PathBuf, message: String },
    /// Connecting, or a statement of the runner's own.
    #[error(transparent)]
    Database(#[from] Error),
    #[error("migration `{name}` failed at statement {statement} of {total}: {message}\n\n{sql}")]
    Failed {
        name: String,
        /// 1-based.
        statement: usize,
        total: usize,
        sql: String,
        message: String,
        /// Statements that took effect and stay applied (MySQL; PostgreSQL's committed enum values).
        applied: usize,
    },
    #[error("migration `{name}` failed earlier and has not been resolved{}", logs.as_deref().map(|l| format!(":\n{l}")).unwrap_or_default())]
    Unresolved { name: String, logs: Option<String> },
    #[error("migration `{name}` was edited after it was applied (its checksum changed)")]
    Modified { name: String },
    #[error(
        "the migrations folder is locked to provider `{locked}` (migration_lock.toml), but the schema says `{provider}`"
    )]
    ProviderChanged { locked: String, provider: String },
    #[error("there is no migration `{name}` in the migrations folder")]
    UnknownMigration { name: String },
    #[error("migration `{name}` is already applied")]
    AlreadyApplied { name: String },
    #[error("migration `{name}` has no failed attempt to mark rolled back")]
    NotFailed { name: String },
    #[error("could not create a shadow database: {0}")]
    Shadow(String),
    #[error("migration `{name}` has no down.sql, so it can't be rolled back")]
    NoDownScript { name: String },
    #[error("migration `{name}` is not applied, so there is nothing to roll back")]
    NotApplied { name: String },
    #[error("migration `{name}` is applied, but its folder is not in the migrations folder")]
    MissingFolder { name: String },
    #[error("rolling back `{name}` failed at statement {statement} of {total} of its down.sql: {message}\n\n{sql}")]
    DownFailed {
        name: String,
        /// 1-based.
        statement: usize,
        total: usize,
        sql: String,
        message: String,
        /// Statements of down.sql that took effect and stay (MySQL).
        applied: usize,
    },
}

impl MigrateError {
    /// A driver error of the runner's connection, classified like a query's.
    pub fn from_sqlx(e: sqlx::Error) -> MigrateError {
        MigrateError::Database(Error::from_sqlx(e, None))
    }

    /// What to do about it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            MigrateError::Failed { name, applied, .. } => {
                let left = if *applied > 0 {
                    format!("{applied} statement(s) took effect and were not rolled back; ")
                } else {
                    "nothing of it took effect; ".to_owned()
                };
                format!(
                    "{left}fix the migration (or the data), then run `orm migrate resolve --rolled-back {name}` to retry it, \
                     or `--applied {name}` if you finished it by hand"
                )
            }
            MigrateError::Unresolved { name, .. } => format!(
                "run `orm migrate resolve --rolled-back {name}` once the database is back as before it, or \
                 `orm migrate resolve --applied {name}` once you completed it by hand"
            ),
            MigrateError::Modified { name } => format!(
                "restore `{name}/migration.sql` as it was applied, and put the change in a new migration \
                 (`orm migrate dev`); in development, `orm migrate reset` rebuilds the database from the files"
            ),
            MigrateError::ProviderChanged { .. } => {
                "migrations of one provider can't run on another: start a new migrations folder for the new provider \
                 (move the old one away), or change the schema's provider back"
                    .to_owned()
            }
            MigrateError::Shadow(_) => "pass `--shadow-database-url` naming an empty database orm may reset".to_owned(),
            MigrateError::NoDownScript { name } => format!(
                "write `{name}/down.sql`, the SQL that undoes `{name}/migration.sql` (`orm migrate diff` can draft it), \
                 or, in development, rebuild the database with `orm migrate reset`"
            ),
            MigrateError::MissingFolder { name } => format!(
                "restore `{name}/` (its migration.sql and down.sql, as applied) from version control: \
                 what it did can't be undone, or replayed, without it"
            ),
            MigrateError::DownFailed { name, applied, .. } => {
                if *applied > 0 {
                    format!(
                        "{applied} statement(s) of it took effect and were not rolled back, and `{name}` is still \
                         recorded as applied: undo the rest by hand, or fix down.sql to do only the rest and run again"
                    )
                } else {
                    format!("nothing of it took effect and `{name}` is still applied: fix its down.sql and run again")
                }
            }
            _ => return None,
        })
    }
}

/// Where a migration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    Applied,
    /// In the folder, not in the database (or rolled back there, to be applied again).
    Pending,
    /// Started and not finished; blocks deploys until resolved. `applied_steps` statements of
    /// it took effect and were not rolled back.
    Failed {
        logs: Option<String>,
        applied_steps: i32,
    },
    /// Applied, but the file changed since.
    Modified,
    /// Applied to the database, but its folder is gone.
    MissingLocally,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub name: String,
    pub state: MigrationState,
}

/// The migrations of a folder compared with a database's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// The folder's migrations in order, then those only the database has.
    pub migrations: Vec<MigrationStatus>,
    /// The migrations the database has applied (and not rolled back), in the order it applied
    /// them: not always the folder's, after branches were merged.
    pub applied_order: Vec<String>,
}

impl Status {
    /// Everything applied and unmodified, nothing failed or missing.
    pub fn is_up_to_date(&self) -> bool {
        self.migrations.iter().all(|m| m.state == MigrationState::Applied)
    }

    pub fn names(&self, state: &MigrationState) -> Vec<&str> {
        self.migrations.iter().filter(|m| &m.state == state).map(|m| m.name.as_str()).collect()
    }

    /// Refuses what blocks every run: a failed migration not yet resolved, or an applied one
    /// edited since.
    pub fn ensure_resolved(&self) -> Result<(), MigrateError> {
        for s in &self.migrations {
            match &s.state {
                MigrationState::Failed { logs, .. } => {
                    return Err(MigrateError::Unresolved { name: s.name.clone(), logs: logs.clone() });
                }
                MigrationState::Modified => return Err(MigrateError::Modified { name: s.name.clone() }),
                _ => {}
            }
        }
        Ok(())
    }
}

/// What `resolve` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The migration was completed by hand: record it applied.
    Applied,
    /// The failed attempt was undone: the migration is pending again.
    RolledBack,
}

/// A connection that migrates one database.
pub struct Migrator {
    session: Session,
    locked: bool,
}

impl Migrator {
    /// Connects to the database `url` names (its scheme picks the backend).
    pub async fn connect(url: &str) -> Result<Migrator, MigrateError> {
        Ok(Migrator { session: Session::connect(url).await?, locked: false })
    }

    pub fn dialect(&self) -> Dialect {
        self.session.dialect()
    }

    /// Takes the migration lock until [`Migrator::unlock`] (or [`Migrator::close`]), so a
    /// sequence of steps (`migrate dev`) is not interleaved with another run. On SQLite
    /// everything until then is one transaction.
    pub async fn lock(&mut self) -> Result<(), MigrateError> {
        if !self.locked {
            self.session.lock().await?;
            self.locked = true;
        }
        Ok(())
    }

    pub async fn unlock(&mut self) -> Result<(), MigrateError> {
        if self.locked {
            self.locked = false;
            self.session.unlock().await?;
        }
        Ok(())
    }

    /// Closes the connection, releasing the lock (and committing SQLite's run) first.
    pub async fn close(mut self) -> Result<(), MigrateError> {
        let unlocked = self.unlock().await;
        self.session.close().await;
        unlocked
    }

    /// Runs `f` holding the lock, unless the caller holds it already. What a failed migration
    /// recorded is kept; on any other error SQLite's run is rolled back.
    async fn locked<T>(
        &mut self,
        f: impl AsyncFnOnce(&mut Migrator) -> Result<T, MigrateError>,
    ) -> Result<T, MigrateError> {
        if self.locked {
            return f(self).await;
        }
        self.lock().await?;
        let result = f(self).await;
        match &result {
            Ok(_) | Err(MigrateError::Failed { .. }) => self.unlock().await?,
            Err(_) => {
                self.locked = false;
                self.session.abandon().await;
            }
        }
        result
    }

    async fn history(&mut self) -> Result<Vec<HistoryRow>, MigrateError> {
        if self.session.has_history().await? { self.session.history().await } else { Ok(Vec::new()) }
    }

    /// Where each migration of `local` (and of the database's history) stands.
    pub async fn status(&mut self, local: &[Migration]) -> Result<Status, MigrateError> {
        Ok(status(local, &self.history().await?))
    }

    /// Applies the migrations of `local` the database lacks, in order; returns their names.
    /// Refuses to start while a migration is failed or an applied one was edited.
    pub async fn deploy(&mut self, local: &[Migration]) -> Result<Vec<String>, MigrateError> {
        self.locked(async |m: &mut Migrator| {
            m.session.ensure_history().await?;
            let status = status(local, &m.session.history().await?);
            status.ensure_resolved()?;
            let pending = status.names(&MigrationState::Pending);
            let mut applied = Vec::new();
            for migration in local.iter().filter(|l| pending.contains(&l.name.as_str())) {
                m.apply_locked(migration).await?;
                applied.push(migration.name.clone());
            }
            Ok(applied)
        })
        .await
    }

    /// Applies one migration and records it (the lock held, the history table there).
    async fn apply_locked(&mut self, migration: &Migration) -> Result<(), MigrateError> {
        let id = self.session.record_started(&migration.name, &migration.checksum()).await?;
        match self.run_script(&migration.name, &migration.script, Record::Finished(&id)).await {
            Ok(total) => {
                tracing::info!(target: "orm::migrate", migration = %migration.name, statements = total, "applied");
                Ok(())
            }
            Err(e) => {
                if let MigrateError::Failed { statement, total, sql, message, applied, .. } = &e {
                    let logs = format!("statement {statement} of {total} failed: {message}\n\n{sql}");
                    self.session.record_failed(&id, *applied, &logs).await?;
                }
                Err(e)
            }
        }
    }

    /// Runs a script's statements as atomically as the database allows, writing `record` to
    /// the history when they all ran; returns how many statements ran.
    async fn run_script(&mut self, name: &str, script: &str, record: Record<'_>) -> Result<usize, MigrateError> {
        let dialect = self.dialect();
        let statements = split_statements(script, dialect);
        let total = statements.len();
        let failed = |index: usize, applied: usize, e: &dyn std::fmt::Display| MigrateError::Failed {
            name: name.to_owned(),
            statement: index + 1,
            total,
            sql: statements.get(index).map_or_else(String::new, |s| (*s).to_owned()),
            message: e.to_string(),
            applied,
        };
        match dialect {
            Dialect::Sqlite => self.apply_sqlite(record, &statements, failed).await?,
            Dialect::Postgres => self.apply_postgres(record, &statements, failed).await?,
            Dialect::Mysql => {
                for (i, statement) in statements.iter().enumerate() {
                    self.session.execute(statement).await.map_err(|e| failed(i, i, &e))?;
                    if let Record::Finished(id) = record {
                        self.session.record_steps(id, i + 1).await?;
                    }
                }
                record.write(&mut self.session, total).await?;
            }
        }
        Ok(total)
    }

    async fn apply_sqlite(
        &mut self,
        record: Record<'_>,
        statements: &[&str],
        failed: impl Fn(usize, usize, &dyn std::fmt::Display) -> MigrateError,
    ) -> Result<(), MigrateError> {
        let s = &mut self.session;
        let undo = async |s: &mut Session, e: MigrateError| {
            s.execute("ROLLBACK TO orm_migration").await.and(s.execute("RELEASE orm_migration").await).map_err(db)?;
            Err(e)
        };
        s.execute("SAVEPOINT orm_migration").await.map_err(db)?;
        for (i, statement) in statements.iter().enumerate() {
            if let Err(e) = s.execute(statement).await {
                return undo(s, failed(i, 0, &e)).await;
            }
        }
        let violations = s.sqlite_foreign_key_violations().await?;
        if !violations.is_empty() {
            let mut message = format!("{} row(s) would break a foreign key:", violations.len());
            for (table, rowid, parent) in violations.iter().take(10) {
                let row = rowid.map_or_else(|| "a row".to_owned(), |r| format!("rowid {r}"));
                let _ = write!(message, "\n  {row} of `{table}` points at a missing row of `{parent}`");
            }
            let last = statements.len().saturating_sub(1);
            return undo(s, failed(last, 0, &message)).await;
        }
        record.write(s, statements.len()).await?;
        s.execute("RELEASE orm_migration").await.map_err(db)
    }

    async fn apply_postgres(
        &mut self,
        record: Record<'_>,
        statements: &[&str],
        failed: impl Fn(usize, usize, &dyn std::fmt::Display) -> MigrateError,
    ) -> Result<(), MigrateError> {
        // Everything up to the last `ADD VALUE` commits first, so the rest may use the values.
        let split = statements.iter().rposition(|s| adds_enum_value(s)).map_or(0, |i| i + 1);
        let parts = if split == 0 { [0..0, 0..statements.len()] } else { [0..split, split..statements.len()] };
        let last = parts.len() - 1;
        for (n, part) in parts.into_iter().enumerate() {
            if part.is_empty() && n != last {
                continue;
            }
            let s = &mut self.session;
            s.execute("BEGIN").await.map_err(db)?;
            for i in part.clone() {
                if let Err(e) = s.execute(statements[i]).await {
                    s.execute("ROLLBACK").await.map_err(db)?;
                    return Err(failed(i, part.start, &e));
                }
            }
            if n == last {
                record.write(s, statements.len()).await?;
            }
            s.execute("COMMIT").await.map_err(db)?;
        }
        Ok(())
    }

    /// Records `name` as applied (completed by hand) or its failed attempt as rolled back.
    pub async fn resolve(
        &mut self,
        local: &[Migration],
        name: &str,
        resolution: Resolution,
    ) -> Result<(), MigrateError> {
        self.locked(async |m: &mut Migrator| {
            m.session.ensure_history().await?;
            let status = status(local, &m.session.history().await?);
            let state = status.migrations.iter().find(|s| s.name == name).map(|s| &s.state);
            match resolution {
                Resolution::Applied => {
                    let migration = local
                        .iter()
                        .find(|l| l.name == name)
                        .ok_or_else(|| MigrateError::UnknownMigration { name: name.to_owned() })?;
                    if matches!(state, Some(MigrationState::Applied | MigrationState::Modified)) {
                        return Err(MigrateError::AlreadyApplied { name: name.to_owned() });
                    }
                    m.session.record_rolled_back(name).await?;
                    let id = m.session.record_started(name, &migration.checksum()).await?;
                    m.session.record_finished(&id, 0).await
                }
                Resolution::RolledBack => {
                    if m.session.record_rolled_back(name).await? == 0 {
                        return Err(MigrateError::NotFailed { name: name.to_owned() });
                    }
                    Ok(())
                }
            }
        })
        .await
    }

    /// Rolls back the applied migration `migration` with its `down.sql`, as atomically as the
    /// database allows, and marks its history row rolled back in the same transaction (so it is
    /// pending again: the next deploy applies it anew, for Prisma as for `orm`). Checks of what
    /// the script would lose are the caller's (`orm migrate down`); this one refuses only a
    /// migration without `down.sql` or not applied.
    pub async fn roll_back(&mut self, local: &[Migration], migration: &Migration) -> Result<(), MigrateError> {
        let down =
            migration.down.as_deref().ok_or_else(|| MigrateError::NoDownScript { name: migration.name.clone() })?;
        self.locked(async |m: &mut Migrator| {
            let status = status(local, &m.history().await?);
            let state = status.migrations.iter().find(|s| s.name == migration.name).map(|s| &s.state);
            if state != Some(&MigrationState::Applied) {
                return Err(MigrateError::NotApplied { name: migration.name.clone() });
            }
            match m.run_script(&migration.name, down, Record::RolledBack(&migration.name)).await {
                Ok(total) => {
                    tracing::info!(target: "orm::migrate", migration = %migration.name, statements = total, "rolled back");
                    Ok(())
                }
                Err(MigrateError::Failed { name, statement, total, sql, message, applied }) => {
                    Err(MigrateError::DownFailed { name, statement, total, sql, message, applied })
                }
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// The runner's connection, for tooling that reads the database it migrates (`orm-migrate`
    /// introspects through it; on an in-memory SQLite shadow database no other connection
    /// would see the same database).
    pub fn connection(&mut self) -> Connection<'_> {
        self.session.connection()
    }

    /// Drops every table, view and enum type of the database, the history included.
    pub async fn reset(&mut self) -> Result<(), MigrateError> {
        self.locked(async |m: &mut Migrator| m.session.drop_everything().await).await
    }

    /// Runs a script outside the history (`db push`), atomically where the database can.
    pub async fn execute_script(&mut self, name: &str, script: &str) -> Result<(), MigrateError> {
        self.locked(async |m: &mut Migrator| m.run_script(name, script, Record::Nothing).await.map(|_| ())).await
    }

    /// The one number a counting query (`SELECT COUNT(*) …`) returns, its placeholders bound
    /// to `binds` in order: the data-loss checks.
    pub async fn count(&mut self, sql: &str, binds: &[String]) -> Result<i64, MigrateError> {
        self.session.count(sql, binds).await
    }
}

/// What a script's success writes to the history, in the script's own transaction.
#[derive(Clone, Copy)]
enum Record<'a> {
    /// Nothing: `db push`.
    Nothing,
    /// The migration of history row `id` finished (MySQL also counts each statement on it).
    Finished(&'a str),
    /// The applied migration of this name was undone by its `down.sql`.
    RolledBack(&'a str),
}

impl Record<'_> {
    async fn write(self, session: &mut Session, steps: usize) -> Result<(), MigrateError> {
        match self {
            Record::Nothing => Ok(()),
            Record::Finished(id) => session.record_finished(id, steps).await,
            Record::RolledBack(name) => session.record_undone(name).await,
        }
    }
}

fn db(e: sqlx::Error) -> MigrateError {
    MigrateError::from_sqlx(e)
}

/// Whether a statement is PostgreSQL's `ALTER TYPE … ADD VALUE`.
fn adds_enum_value(statement: &str) -> bool {
    let words: Vec<String> =
        strip_leading_comments(statement).split_whitespace().take(6).map(str::to_ascii_uppercase).collect();
    words.first().is_some_and(|w| w == "ALTER")
        && words.get(1).is_some_and(|w| w == "TYPE")
        && words.windows(2).any(|w| w[0] == "ADD" && w[1] == "VALUE")
}

fn status(local: &[Migration], history: &[HistoryRow]) -> Status {
    let live = |r: &&HistoryRow| !r.rolled_back;
    let mut migrations: Vec<MigrationStatus> = local
        .iter()
        .map(|m| {
            let rows: Vec<&HistoryRow> = history.iter().filter(|r| r.name == m.name).filter(live).collect();
            let state = if let Some(applied) = rows.iter().find(|r| r.finished) {
                if m.matches_checksum(&applied.checksum) { MigrationState::Applied } else { MigrationState::Modified }
            } else if let Some(failed) = rows.last() {
                MigrationState::Failed { logs: failed.logs.clone(), applied_steps: failed.applied_steps_count }
            } else {
                MigrationState::Pending
            };
            MigrationStatus { name: m.name.clone(), state }
        })
        .collect();
    for row in history.iter().filter(live) {
        if !local.iter().any(|m| m.name == row.name) && !migrations.iter().any(|m| m.name == row.name) {
            migrations.push(MigrationStatus { name: row.name.clone(), state: MigrationState::MissingLocally });
        }
    }
    let mut applied_order: Vec<String> = Vec::new();
    for row in history.iter().filter(live).filter(|r| r.finished) {
        if !applied_order.contains(&row.name) {
            applied_order.push(row.name.clone());
        }
    }
    Status { migrations, applied_order }
}

/// A temporary database to replay migrations on (`migrate dev`, `migrate diff
/// --from-migrations`): SQLite in memory, or a database created on the development
/// database's server and dropped by [`ShadowDb::drop`] — or one the user named, emptied first.
pub struct ShadowDb {
    migrator: Migrator,
    /// The server URL and database name to drop afterwards.
    created: Option<(String, String)>,
}

impl ShadowDb {
    pub async fn create(dialect: Dialect, dev_url: &str, shadow_url: Option<&str>) -> Result<ShadowDb, MigrateError> {
        if let Some(url) = shadow_url {
            let mut migrator = Migrator::connect(url).await?;
            migrator.session.drop_everything().await?;
            return Ok(ShadowDb { migrator, created: None });
        }
        if dialect == Dialect::Sqlite {
            return Ok(ShadowDb { migrator: Migrator::connect("sqlite::memory:").await?, created: None });
        }
        let name = format!("orm_shadow_{}", uuid::Uuid::new_v4().simple());
        let mut admin = Session::connect(dev_url).await?;
        let created = admin.execute(&format!("CREATE DATABASE {}", dialect.quote_identifier(&name))).await;
        admin.close().await;
        created.map_err(|e| MigrateError::Shadow(format!("CREATE DATABASE on {}: {e}", crate::redact(dev_url))))?;
        let migrator = match Migrator::connect(&database_url(dev_url, &name)).await {
            Ok(m) => m,
            Err(e) => {
                drop_database(dev_url, &name).await;
                return Err(e);
            }
        };
        Ok(ShadowDb { migrator, created: Some((dev_url.to_owned(), name)) })
    }

    /// Applies `migrations` in order; [`ShadowDb::migrator`] then reads the database they built.
    pub async fn replay(&mut self, migrations: &[Migration]) -> Result<(), MigrateError> {
        self.migrator.deploy(migrations).await.map(|_| ())
    }

    /// The runner connected to the shadow database.
    pub fn migrator(&mut self) -> &mut Migrator {
        &mut self.migrator
    }

    /// Closes the shadow database and drops it if it was created for the run.
    pub async fn drop(self) {
        let _ = self.migrator.close().await;
        if let Some((url, name)) = self.created {
            drop_database(&url, &name).await;
        }
    }
}

async fn drop_database(server_url: &str, name: &str) {
    let Ok(mut admin) = Session::connect(server_url).await else { return };
    let ident = admin.dialect().quote_identifier(name);
    let sql = match admin.dialect() {
        Dialect::Postgres => format!("DROP DATABASE IF EXISTS {ident} WITH (FORCE)"),
        _ => format!("DROP DATABASE IF EXISTS {ident}"),
    };
    if let Err(e) = admin.execute(&sql).await {
        tracing::warn!(target: "orm::migrate", database = name, error = %e, "could not drop the shadow database");
    }
    admin.close().await;
}

/// `url` naming database `name` on the same server, its parameters kept.
pub fn database_url(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, checksum: &str, finished: bool, rolled_back: bool) -> HistoryRow {
        HistoryRow {
            checksum: checksum.to_owned(),
            name: name.to_owned(),
            finished,
            rolled_back,
            logs: None,
            applied_steps_count: 0,
        }
    }

    #[test]
    fn status_compares_the_folder_with_the_history() {
        let local: Vec<Migration> =
            ["1_a", "2_b", "3_c", "4_d"].iter().map(|n| Migration::new(*n, format!("-- {n}"))).collect();
        let history = vec![
            row("1_a", &local[0].checksum(), true, false),
            row("2_b", "edited", true, false),
            row("3_c", &local[2].checksum(), false, true),
            row("3_c", &local[2].checksum(), false, false),
            row("0_gone", "x", true, false),
        ];
        let s = status(&local, &history);
        let states: Vec<(&str, &MigrationState)> = s.migrations.iter().map(|m| (m.name.as_str(), &m.state)).collect();
        assert_eq!(
            states,
            [
                ("1_a", &MigrationState::Applied),
                ("2_b", &MigrationState::Modified),
                ("3_c", &MigrationState::Failed { logs: None, applied_steps: 0 }),
                ("4_d", &MigrationState::Pending),
                ("0_gone", &MigrationState::MissingLocally),
            ]
        );
        assert!(!s.is_up_to_date());
        let rolled_back = vec![row("1_a", &local[0].checksum(), false, true)];
        assert_eq!(status(&local[..1], &rolled_back).migrations[0].state, MigrationState::Pending);
    }

    #[test]
    fn enum_additions_are_recognised() {
        assert!(adds_enum_value("-- AlterEnum\nALTER TYPE \"Role\" ADD VALUE 'x' BEFORE 'y'"));
        assert!(!adds_enum_value("ALTER TABLE \"t\" ADD COLUMN \"value\" TEXT"));
    }

    #[test]
    fn database_urls_name_another_database() {
        assert_eq!(
            database_url("postgres://u@h:5432/app?sslmode=disable", "s"),
            "postgres://u@h:5432/s?sslmode=disable"
        );
        assert_eq!(database_url("mysql://root@127.0.0.1:3306", "s"), "mysql://root@127.0.0.1:3306/s");
    }
}
