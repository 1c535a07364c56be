//! The migrations folder: `<YYYYMMDDHHMMSS>_<name>/migration.sql` (and `down.sql`) per
//! migration, in name order, and `migration_lock.toml` naming the provider — Prisma's layout,
//! so a Prisma project's folder is read as it is.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use orm_db_schema::Dialect;
use sha2::{Digest, Sha256};

use super::MigrateError;

/// One migration read from its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The folder's name, `<timestamp>_<name>`: the migration's identity in the history table.
    pub name: String,
    /// `migration.sql`.
    pub script: String,
    /// `down.sql`, when there is one.
    pub down: Option<String>,
}

impl Migration {
    pub fn new(name: impl Into<String>, script: impl Into<String>) -> Migration {
        Migration { name: name.into(), script: script.into(), down: None }
    }

    /// The checksum recorded when the migration is applied: the SHA-256 of `migration.sql`
    /// as it is on disk, in hex, as Prisma records it.
    pub fn checksum(&self) -> String {
        checksum(&self.script)
    }

    /// Whether a recorded checksum is this script's. As Prisma does, a script checked out with
    /// the other line endings (git's `autocrlf`) is the same migration, and so is a checksum
    /// written by Prisma versions that dropped leading zeros of each byte.
    pub fn matches_checksum(&self, recorded: &str) -> bool {
        checksum_matches(&self.script, recorded)
    }
}

/// The SHA-256 of `script`, in hex (`_prisma_migrations.checksum`).
pub fn checksum(script: &str) -> String {
    format!("{:x}", Sha256::digest(script.as_bytes()))
}

/// Whether `recorded` is the checksum of `script`, or of `script` with its line endings
/// turned the other way, in either the current or the old unpadded spelling.
pub fn checksum_matches(script: &str, recorded: &str) -> bool {
    let matches = |text: &str| {
        if recorded.len() == 64 {
            checksum(text) == recorded
        } else {
            Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:x}")).collect::<String>() == recorded
        }
    };
    let lf = script.replace("\r\n", "\n");
    matches(script) || (lf != script && matches(&lf)) || (lf.contains('\n') && matches(&lf.replace('\n', "\r\n")))
}

/// The name of the lock file inside the migrations folder.
pub const LOCK_FILE: &str = "migration_lock.toml";

/// A migrations folder (which need not exist yet).
#[derive(Debug, Clone)]
pub struct MigrationsDir {
    pub path: PathBuf,
}

impl MigrationsDir {
    pub fn new(path: impl Into<PathBuf>) -> MigrationsDir {
        MigrationsDir { path: path.into() }
    }

    /// The migrations, oldest first; none when the folder does not exist. A subfolder without
    /// `migration.sql` is an error (a migration half deleted or half written).
    pub fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        let io_error =
            |path: &Path, e: io::Error| MigrateError::Io { path: path.to_path_buf(), message: e.to_string() };
        let entries = match fs::read_dir(&self.path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.path, e)),
        };
        let mut folders = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&self.path, e))?;
            if entry.file_type().map_err(|e| io_error(&entry.path(), e))?.is_dir() {
                folders.push(entry.path());
            }
        }
        folders.sort();
        let mut out = Vec::new();
        for folder in folders {
            let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let script_path = folder.join("migration.sql");
            let script = fs::read_to_string(&script_path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => MigrateError::Io {
                    path: script_path.clone(),
                    message: "missing: every migration folder holds a migration.sql".into(),
                },
                _ => io_error(&script_path, e),
            })?;
            let down_path = folder.join("down.sql");
            let down = match fs::read_to_string(&down_path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(io_error(&down_path, e)),
            };
            out.push(Migration { name, script, down });
        }
        Ok(out)
    }

    /// The provider `migration_lock.toml` names, if the file exists.
    pub fn locked_provider(&self) -> Result<Option<String>, MigrateError> {
        let path = self.path.join(LOCK_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(MigrateError::Io { path, message: e.to_string() }),
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| MigrateError::Io { path: path.clone(), message: e.to_string() })?;
        match table.get("provider") {
            Some(toml::Value::String(p)) => Ok(Some(p.clone())),
            _ => Err(MigrateError::Io { path, message: "it names no `provider = \"…\"`".into() }),
        }
    }

    /// Checks the lock file against the schema's provider, writing it when there is none.
    /// `provider` is the name the schema gives (`postgresql`, `sqlite`, `mysql`…).
    pub fn check_lock(&self, provider: &str, dialect: Dialect) -> Result<(), MigrateError> {
        if self.verify_lock(provider, dialect)? { Ok(()) } else { self.write_lock(provider) }
    }

    /// Checks the lock file, if there is one, against the schema's provider; `false` when
    /// there is none. Writes nothing.
    pub fn verify_lock(&self, provider: &str, dialect: Dialect) -> Result<bool, MigrateError> {
        match self.locked_provider()? {
            Some(locked) if Dialect::from_provider(&locked) == Some(dialect) => Ok(true),
            Some(locked) => Err(MigrateError::ProviderChanged { locked, provider: provider.to_owned() }),
            None => Ok(false),
        }
    }

    fn write_lock(&self, provider: &str) -> Result<(), MigrateError> {
        let path = self.path.join(LOCK_FILE);
        let text = format!(
            "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = {}\n",
            toml::Value::String(provider.to_owned())
        );
        fs::create_dir_all(&self.path)
            .and_then(|()| fs::write(&path, text))
            .map_err(|e| MigrateError::Io { path, message: e.to_string() })
    }

    /// Writes a new migration folder `<timestamp>_<name>` with its scripts; returns its name.
    /// The timestamp is now (UTC), or one second after the newest migration when the clock is
    /// behind it, so folders always sort in the order they were made.
    pub fn write(&self, name: &str, script: &str, down: &str) -> Result<Migration, MigrateError> {
        let now = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
        let newest = self.migrations()?.last().map(|m| m.name.chars().take(14).collect::<String>());
        let stamp = match newest.and_then(|n| n.parse::<u64>().ok()) {
            Some(newest) if now.parse::<u64>().is_ok_and(|now| now <= newest) => next_stamp(newest),
            _ => now,
        };
        let folder_name = if name.is_empty() { stamp } else { format!("{stamp}_{name}") };
        let folder = self.path.join(&folder_name);
        let io_error =
            |path: &Path, e: io::Error| MigrateError::Io { path: path.to_path_buf(), message: e.to_string() };
        fs::create_dir_all(&folder).map_err(|e| io_error(&folder, e))?;
        fs::write(folder.join("migration.sql"), script).map_err(|e| io_error(&folder, e))?;
        fs::write(folder.join("down.sql"), down).map_err(|e| io_error(&folder, e))?;
        Ok(Migration { name: folder_name, script: script.to_owned(), down: Some(down.to_owned()) })
    }
}

/// The timestamp one second after `stamp` (`YYYYMMDDHHMMSS`), as a timestamp.
fn next_stamp(stamp: u64) -> String {
    chrono::NaiveDateTime::parse_from_str(&stamp.to_string(), "%Y%m%d%H%M%S")
        .map(|t| (t + chrono::Duration::seconds(1)).format("%Y%m%d%H%M%S").to_string())
        .unwrap_or_else(|_| (stamp + 1).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_prismas_and_match_across_line_endings() {
        assert_eq!(checksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // The checksum is of the bytes on disk, as Prisma records it …
        assert_ne!(checksum("a;\r\nb;\r\n"), checksum("a;\nb;\n"));
        // … and a checkout with the other line endings still matches it, both ways.
        assert!(checksum_matches("a;\r\nb;\r\n", &checksum("a;\nb;\n")));
        assert!(checksum_matches("a;\nb;\n", &checksum("a;\r\nb;\r\n")));
        assert!(!checksum_matches("a;\nb;\n", &checksum("a;\nb;")));
        // Old Prisma versions wrote each byte without its leading zero.
        let old: String = Sha256::digest(b"abc").iter().map(|b| format!("{b:x}")).collect();
        assert_ne!(old.len(), 64);
        assert!(checksum_matches("abc", &old));
        assert!(!checksum_matches("abd", &old));
    }

    #[test]
    fn folders_are_read_in_order_and_written_after_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let migrations = MigrationsDir::new(dir.path().join("migrations"));
        assert_eq!(migrations.migrations().unwrap(), Vec::new());
        // A folder from the future: the next one still sorts after it.
        std::fs::create_dir_all(migrations.path.join("29991231235959_future")).unwrap();
        std::fs::write(migrations.path.join("29991231235959_future/migration.sql"), "SELECT 1;").unwrap();
        let written = migrations.write("next", "SELECT 2;", "").unwrap();
        assert_eq!(written.name, "30000101000000_next");
        let names: Vec<String> = migrations.migrations().unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["29991231235959_future", "30000101000000_next"]);

        migrations.check_lock("postgresql", Dialect::Postgres).unwrap();
        assert_eq!(migrations.locked_provider().unwrap().as_deref(), Some("postgresql"));
        assert!(matches!(migrations.check_lock("sqlite", Dialect::Sqlite), Err(MigrateError::ProviderChanged { .. })));

        std::fs::create_dir_all(migrations.path.join("30000101000001_broken")).unwrap();
        assert!(matches!(migrations.migrations(), Err(MigrateError::Io { .. })));
    }
}
