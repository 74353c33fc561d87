//! Backups and restores of a SQLite database: `lipa backup`, `lipa restore` and the backups that
//! `lipa serve --backup-every` writes on a schedule.
//!
//! A backup is taken while the server runs: the store copies the database at one instant
//! (`VACUUM INTO`) into a temporary file beside the destination, the copy is checked (integrity,
//! lipa's tables) and only then renamed to its name, so a file called a backup is a whole one.
//! A restore works the same way round: the backup is copied into a temporary file beside the
//! database, checked (a SQLite file, lipa's, `integrity_check` ok, a schema no newer than this
//! build's), migrated when it is older, and renamed over the database in one step. The database
//! it replaces is kept beside it (`<db>.replaced-<time>`, with its WAL), and no moment leaves a
//! half-restored database: before the rename the old one is whole, after it the new one.
//! A restore needs the server stopped; the caller (the CLI) makes sure of it and rebuilds the
//! search index afterwards, because the index follows the audit log of the database it was made
//! from.
//!
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`): every use case here answers
//! [`BackupError::Postgres`] there, and the front end says what to run instead.

use crate::App;
use crate::error::AppError;
use lipa_store::{Backend, Store};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use lipa_store::{BackupInfo, BackupProblem, schema_version_supported};

/// What can go wrong in a backup or a restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL: `pg_dump` and `pg_restore` do this.
    #[error("backups of PostgreSQL are made with pg_dump")]
    Postgres,
    /// The destination of a backup is the database itself.
    #[error("{0} is the database itself")]
    SameFile(PathBuf),
    /// The backup file cannot be read.
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file beside the destination cannot be written.
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not a backup lipa can restore (or a backup just written failed its check).
    #[error(transparent)]
    Invalid(BackupProblem),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<BackupProblem> for BackupError {
    fn from(p: BackupProblem) -> Self {
        match p {
            BackupProblem::Store(e) => BackupError::App(e.into()),
            other => BackupError::Invalid(other),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The backup as it was checked (before migrations).
    pub backup: BackupInfo,
    /// The schema version the database is at now.
    pub schema_version: i64,
    /// Where the database that was replaced is kept (none when there was none).
    pub replaced: Option<PathBuf>,
}

/// Backups written on a schedule: every `every`, into `dir`, the newest `keep` kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// The name of a scheduled backup starts so, then its time (UTC), then [`SCHEDULED_SUFFIX`].
const SCHEDULED_PREFIX: &str = "lipa-";
const SCHEDULED_SUFFIX: &str = "Z.db";
const SCHEDULED_TIME: &str = "%Y%m%dT%H%M%S";

impl App {
    /// Writes a consistent copy of the database into `dest` (replacing a file there) while the
    /// database stays in use; answers what the copy holds.
    pub async fn backup(&self, dest: &Path) -> Result<BackupInfo, BackupError> {
        backup_store(&self.store, dest).await
    }

    /// The directory scheduled backups go to by default: `<db>.backups/` beside a SQLite file.
    pub async fn default_backup_dir(&self) -> Result<PathBuf, BackupError> {
        let db = sqlite_file(&self.store).await?;
        let mut name = db.file_name().unwrap_or_default().to_os_string();
        name.push(".backups");
        Ok(db.with_file_name(name))
    }

    /// One scheduled backup: `lipa-<time>Z.db` in `dir` (made if missing), then every scheduled
    /// backup beyond the newest `keep` is deleted. Answers the file written.
    pub async fn scheduled_backup(
        &self,
        dir: &Path,
        keep: usize,
        at: jiff::Timestamp,
    ) -> Result<PathBuf, BackupError> {
        std::fs::create_dir_all(dir).map_err(|source| BackupError::Write {
            path: dir.to_owned(),
            source,
        })?;
        let name = format!(
            "{SCHEDULED_PREFIX}{}{SCHEDULED_SUFFIX}",
            at.strftime(SCHEDULED_TIME)
        );
        let file = dir.join(name);
        self.backup(&file).await?;
        let all = scheduled_backups(dir);
        for (_, old) in all.iter().rev().skip(keep.max(1)) {
            if let Err(e) = std::fs::remove_file(old) {
                tracing::warn!(file = %old.display(), error = %e, "old backup not deleted");
            }
        }
        Ok(file)
    }

    /// Starts the task that writes backups on `schedule` until the runtime stops. The first one
    /// is due `every` after the newest backup in the directory (at once when there is none), so
    /// that a server restarted often still makes them.
    pub fn backup_on_schedule(&self, schedule: BackupSchedule) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                let now = jiff::Timestamp::now();
                let wait = scheduled_backups(&schedule.dir).last().map_or(
                    Duration::ZERO,
                    |(newest, _)| {
                        let since = now.duration_since(*newest);
                        let since = Duration::try_from(since).unwrap_or(Duration::ZERO);
                        schedule.every.saturating_sub(since)
                    },
                );
                tokio::time::sleep(wait).await;
                match app
                    .scheduled_backup(&schedule.dir, schedule.keep, jiff::Timestamp::now())
                    .await
                {
                    Ok(file) => tracing::info!(file = %file.display(), "backup written"),
                    Err(e) => {
                        tracing::error!(error = %e, dir = %schedule.dir.display(), "scheduled backup failed");
                        tokio::time::sleep(schedule.every).await;
                    }
                }
            }
        })
    }
}

/// The scheduled backups in `dir` with their times, oldest first; other files are not theirs.
pub fn scheduled_backups(dir: &Path) -> Vec<(jiff::Timestamp, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(jiff::Timestamp, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let time = name
                .strip_prefix(SCHEDULED_PREFIX)?
                .strip_suffix(SCHEDULED_SUFFIX)?;
            let at = jiff::civil::DateTime::strptime(SCHEDULED_TIME, time)
                .ok()?
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .ok()?
                .timestamp();
            Some((at, e.path()))
        })
        .collect();
    out.sort();
    out
}

async fn sqlite_file(store: &Store) -> Result<PathBuf, BackupError> {
    if store.backend() != Backend::Sqlite {
        return Err(BackupError::Postgres);
    }
    store
        .sqlite_file()
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("an in-memory database has no backups")).into()
        })
}

async fn backup_store(store: &Store, dest: &Path) -> Result<BackupInfo, BackupError> {
    let db = sqlite_file(store).await?;
    if same_file(&db, dest) {
        return Err(BackupError::SameFile(dest.to_owned()));
    }
    let write_err = |source| BackupError::Write {
        path: dest.to_owned(),
        source,
    };
    let temp = temp_beside(dest, ".lipa-backup-").map_err(write_err)?;
    store
        .backup_into(temp.path())
        .await
        .map_err(AppError::from)?;
    std::fs::File::open(temp.path())
        .and_then(|f| f.sync_all())
        .map_err(write_err)?;
    let info = lipa_store::check_backup(temp.path()).await?;
    temp.persist(dest).map_err(|e| write_err(e.error))?;
    sync_dir(dest);
    Ok(info)
}

/// Replaces the SQLite database `db` with the backup `backup`, all or nothing (see the module
/// documentation). The server must be stopped.
pub async fn restore(db: &Path, backup: &Path) -> Result<Restored, BackupError> {
    let read_err = |source| BackupError::Read {
        path: backup.to_owned(),
        source,
    };
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source: std::io::Error| BackupError::Write { path, source }
    };
    let mut source = std::fs::File::open(backup).map_err(read_err)?;
    let temp = temp_beside(db, ".lipa-restore-").map_err(write_err(db))?;
    std::io::copy(&mut source, &mut temp.as_file()).map_err(read_err)?;
    temp.as_file().sync_all().map_err(write_err(temp.path()))?;
    let checked = lipa_store::check_backup(temp.path()).await?;
    // An older backup is brought up to this build's schema before it takes the database's place.
    let store = Store::open_sqlite(temp.path())
        .await
        .map_err(AppError::from)?;
    let schema_version = store.schema_version().await.map_err(AppError::from)?;
    store.close().await;
    for side in ["-wal", "-shm"] {
        remove_if_there(&with_suffix(temp.path(), side)).map_err(write_err(temp.path()))?;
    }
    temp.as_file().sync_all().map_err(write_err(temp.path()))?;

    // The database being replaced is kept whole: a second name for its file, and its WAL (where
    // its last commits may still be) moved beside that name. Its WAL must not stay: it would be
    // replayed into the restored file.
    let replaced = if db.exists() {
        let at = jiff::Timestamp::now().strftime(SCHEDULED_TIME).to_string();
        let aside = with_suffix(db, &format!(".replaced-{at}"));
        std::fs::hard_link(db, &aside)
            .or_else(|_| std::fs::copy(db, &aside).map(drop))
            .map_err(write_err(&aside))?;
        let wal = with_suffix(db, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, with_suffix(&aside, "-wal")).map_err(write_err(&wal))?;
        }
        remove_if_there(&with_suffix(db, "-shm")).map_err(write_err(db))?;
        Some(aside)
    } else {
        None
    };
    temp.persist(db).map_err(|e| write_err(db)(e.error))?;
    sync_dir(db);
    Ok(Restored {
        backup: checked,
        schema_version,
        replaced,
    })
}

/// An empty temporary file in the directory of `path` (so that a rename onto `path` is atomic),
/// deleted if it is not persisted.
fn temp_beside(path: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(dir)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Makes a rename in the directory of `path` durable (best effort: not every system can).
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_backups_are_found_by_their_names_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "lipa-20261130T120000Z.db",
            "lipa-20261129T235959Z.db",
            "lipa-notatime.db",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found: Vec<String> = scheduled_backups(dir.path())
            .into_iter()
            .map(|(at, p)| {
                format!(
                    "{at} {}",
                    p.file_name().unwrap().to_string_lossy().into_owned()
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "2026-11-29T23:59:59Z lipa-20261129T235959Z.db",
                "2026-11-30T12:00:00Z lipa-20261130T120000Z.db"
            ]
        );
    }
}
