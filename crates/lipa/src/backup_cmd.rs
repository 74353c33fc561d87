//! `lipa backup FILE`, `lipa restore FILE` and the options of `lipa serve` that write backups on
//! a schedule (`--backup-every 24h --keep 14 [--backup-dir DIR]`). The work is
//! `lipa_app::backup`'s; here are the messages, the exit codes and the one check that needs the
//! command line's view of the files: whether a server is using the database.
//!
//! Exit codes, beside those of [`crate::exit`]:
//!
//! | code | meaning |
//! |---|---|
//! | 65 | the file to restore is not a lipa backup, fails the integrity check or has a newer schema; nothing was changed |
//! | 66 | the file to restore (or the database to back up) cannot be read |
//! | 69 | the database is PostgreSQL: nothing was done; the message gives the `pg_dump` / `pg_restore` commands that do it |
//! | 73 | the backup (or a file beside the database) cannot be written |
//! | 75 | `lipa restore` while a server uses the database: stop it first; nothing was changed |
//!
//! A restore rebuilds the search index of the database (in `--search-dir`, or beside the file),
//! since an index follows the audit log of the database it was made from. A server holds that
//! index's lock while it runs, which is how a restore knows that none does.

use crate::database::Database;
use crate::exit::{self, Reported};
use crate::output::Out;
use anyhow::Context;
use clap::Args;
use lipa_app::App;
use lipa_app::backup::{BackupError, BackupProblem, BackupSchedule};
use lipa_search::SearchIndex;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// The options of `lipa serve` for backups on a schedule (SQLite only).
#[derive(Args)]
pub struct ScheduleArgs {
    /// Write a backup this often, e.g. 24h, 6h, 30m (SQLite only; PostgreSQL uses pg_dump).
    #[arg(long, env = "LIPA_BACKUP_EVERY", value_name = "DURATION")]
    backup_every: Option<String>,
    /// How many scheduled backups to keep (the newest; older ones are deleted).
    #[arg(long, env = "LIPA_BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..))]
    keep: u32,
    /// Where scheduled backups go [default: <db>.backups/ beside the database file].
    #[arg(long, env = "LIPA_BACKUP_DIR", value_name = "DIR")]
    backup_dir: Option<PathBuf>,
}

/// `lipa backup FILE`.
pub async fn backup(db: &Database, file: &Path, out: &Out) -> anyhow::Result<ExitCode> {
    if db.is_postgres() {
        return postgres_guidance(db, out);
    }
    if let Some(path) = db.sqlite_path()
        && !path.exists()
    {
        out.error(
            "cli-cannot-read",
            &[
                ("file", &path.display().to_string()),
                ("reason", &out.text("backup-no-database", &[])),
            ],
        );
        return Err(Reported(exit::NO_INPUT).into());
    }
    let app = db.open().await?;
    let made = app.backup(file).await;
    app.close().await;
    let info = made.map_err(|e| report(db, file, e, out))?;
    out.say(
        "backup-written",
        &[
            ("file", &file.display().to_string()),
            ("libraries", &info.libraries.to_string()),
            ("entries", &info.audit_entries.to_string()),
            ("version", &info.schema_version.to_string()),
        ],
    );
    Ok(ExitCode::SUCCESS)
}

/// `lipa restore FILE`.
pub async fn restore(db: &Database, file: &Path, out: &Out) -> anyhow::Result<ExitCode> {
    let Some(path) = db.sqlite_path().filter(|_| !db.is_postgres()) else {
        return postgres_guidance(db, out);
    };
    // The index lock is taken first and held to the end: no server can start meanwhile, and
    // one that runs is found here.
    let dir = db.search_dir();
    let index = match SearchIndex::open(&dir) {
        Ok(index) => index,
        Err(lipa_search::SearchError::Busy(_)) => {
            out.error(
                "restore-server-running",
                &[("db", &db.to_string()), ("dir", &dir.display().to_string())],
            );
            return Err(Reported(exit::TEMP_FAIL).into());
        }
        Err(e) => return Err(e).with_context(|| dir.display().to_string()),
    };
    let restored = lipa_app::backup::restore(&path, file)
        .await
        .map_err(|e| report(db, file, e, out))?;
    let app = db.open().await?.with_search(Arc::new(index));
    let indexed = app.reindex().await?;
    app.close().await;
    out.say(
        "restore-done",
        &[
            ("db", &db.to_string()),
            ("file", &file.display().to_string()),
            ("libraries", &restored.backup.libraries.to_string()),
            ("version", &restored.schema_version.to_string()),
            ("count", &indexed.to_string()),
        ],
    );
    if let Some(kept) = restored.replaced {
        out.say("restore-kept", &[("file", &kept.display().to_string())]);
    }
    Ok(ExitCode::SUCCESS)
}

impl ScheduleArgs {
    /// How often to back up, when asked to: checked before the server opens the database (a
    /// bad duration is exit 2, PostgreSQL exit 69 with the `pg_dump` advice).
    pub fn every(&self, db: &Database, out: &Out) -> anyhow::Result<Option<Duration>> {
        let Some(every) = &self.backup_every else {
            return Ok(None);
        };
        let parsed = parse_every(every).ok_or_else(|| {
            out.error(
                "cli-bad-option",
                &[
                    ("option", "--backup-every"),
                    ("reason", &out.text("backup-bad-every", &[("value", every)])),
                ],
            );
            Reported(2)
        })?;
        if db.is_postgres() {
            postgres_guidance(db, out)?;
        }
        Ok(Some(parsed))
    }
}

/// Starts the scheduled backups of `lipa serve` (`every` from [`ScheduleArgs::every`]); tells
/// the user where they go.
pub async fn schedule(
    db: &Database,
    app: &App,
    args: &ScheduleArgs,
    every: Option<Duration>,
    out: &Out,
) -> anyhow::Result<()> {
    let Some(every) = every else {
        return Ok(());
    };
    let dir = match &args.backup_dir {
        Some(dir) => dir.clone(),
        None => app
            .default_backup_dir()
            .await
            .map_err(|e| report(db, Path::new(""), e, out))?,
    };
    let shown = jiff::SignedDuration::try_from(every)
        .map_or_else(|_| format!("{every:?}"), |d| format!("{d:#}"));
    out.say(
        "backup-scheduled",
        &[
            ("every", &shown),
            ("dir", &dir.display().to_string()),
            ("keep", &args.keep.to_string()),
        ],
    );
    app.backup_on_schedule(BackupSchedule {
        dir,
        every,
        keep: args.keep as usize,
    });
    Ok(())
}

/// `24h`, `30m`, `1h 30m`, `PT6H`: at least a second.
fn parse_every(s: &str) -> Option<Duration> {
    let d: jiff::SignedDuration = s.trim().parse().ok()?;
    Duration::try_from(d)
        .ok()
        .filter(|d| *d >= Duration::from_secs(1))
}

/// PostgreSQL: what to run instead, and exit 69.
fn postgres_guidance(db: &Database, out: &Out) -> anyhow::Result<ExitCode> {
    out.error("backup-postgres", &[("db", &db.to_string())]);
    Err(Reported(exit::UNAVAILABLE).into())
}

/// Tells the user what went wrong; the error to return (with its exit code).
fn report(db: &Database, file: &Path, e: BackupError, out: &Out) -> anyhow::Error {
    let file_arg = file.display().to_string();
    let problem = |key: &str, args: &[(&str, &str)]| -> anyhow::Error {
        let mut all = vec![("file", file_arg.as_str())];
        all.extend_from_slice(args);
        out.error(key, &all);
        Reported(exit::DATA_ERR).into()
    };
    match e {
        BackupError::Postgres => {
            out.error("backup-postgres", &[("db", &db.to_string())]);
            Reported(exit::UNAVAILABLE).into()
        }
        BackupError::SameFile(path) => {
            out.error("backup-same-file", &[("file", &path.display().to_string())]);
            Reported(exit::CANT_CREATE).into()
        }
        BackupError::Read { path, source } => {
            out.error(
                "cli-cannot-read",
                &[
                    ("file", &path.display().to_string()),
                    ("reason", &source.to_string()),
                ],
            );
            Reported(exit::NO_INPUT).into()
        }
        BackupError::Write { path, source } => {
            out.error(
                "cli-cannot-write",
                &[
                    ("file", &path.display().to_string()),
                    ("reason", &source.to_string()),
                ],
            );
            Reported(exit::CANT_CREATE).into()
        }
        BackupError::Invalid(BackupProblem::NotSqlite) => problem("restore-not-sqlite", &[]),
        BackupError::Invalid(BackupProblem::NotLipa) => problem("restore-not-lipa", &[]),
        BackupError::Invalid(BackupProblem::Newer { found, supported }) => problem(
            "restore-newer",
            &[
                ("found", &found.to_string()),
                ("supported", &supported.to_string()),
            ],
        ),
        BackupError::Invalid(BackupProblem::Damaged(lines)) => {
            problem("restore-damaged", &[("problems", &lines.join("; "))])
        }
        BackupError::Invalid(BackupProblem::Store(e)) => lipa_app::AppError::from(e).into(),
        BackupError::App(e) => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_every;
    use std::time::Duration;

    #[test]
    fn backup_intervals_are_read_as_people_write_them() {
        assert_eq!(parse_every("24h"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_every("1h 30m"), Some(Duration::from_secs(5_400)));
        assert_eq!(parse_every("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_every("PT6H"), Some(Duration::from_secs(21_600)));
        for bad in ["", "0s", "-1h", "soon", "500ms"] {
            assert_eq!(parse_every(bad), None, "{bad}");
        }
    }
}
