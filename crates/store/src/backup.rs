//! Backups of a SQLite database, and what a file must be before it may replace one.
//!
//! A backup is written with `VACUUM INTO`: one read transaction, so the copy is consistent at one
//! moment while the server goes on writing (WAL readers and writers do not block each other).
//! [`check_backup`] opens a candidate file on its own connection and says whether it is a lipa
//! database this build can use: SQLite, `PRAGMA integrity_check` = ok, lipa's tables, a schema
//! no newer than ours. Files, renames and fsyncs are the caller's (`lipa-app`'s `backup`); on
//! PostgreSQL the operator's tools (`pg_dump`, `pg_restore`) do the job and nothing here runs.

use crate::{Backend, Result, Store, StoreError};
use sqlx::{AnyConnection, Connection, Row};
use std::path::Path;

/// What [`check_backup`] found in a file that passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The schema version of the file (migrations bring an older one up to date).
    pub schema_version: i64,
    pub libraries: i64,
    pub audit_entries: i64,
}

/// Why a file is not a backup lipa can restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupProblem {
    #[error("not a SQLite database")]
    NotSqlite,
    #[error("a SQLite database, but not lipa's")]
    NotLipa,
    #[error("schema version {found} is newer than this lipa's {supported}")]
    Newer { found: i64, supported: i64 },
    /// `PRAGMA integrity_check` answered these lines instead of `ok`.
    #[error("integrity check failed: {}", .0.join("; "))]
    Damaged(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The lines of `PRAGMA integrity_check` kept for a message.
const MAX_PROBLEMS: usize = 10;

impl Store {
    /// Writes a consistent copy of this SQLite database into `dest`, which must not exist or be
    /// empty. The copy is compact (free pages dropped) and complete at one instant.
    pub async fn backup_into(&self, dest: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "VACUUM INTO exists on SQLite only: use pg_dump".into(),
            )));
        }
        let dest = dest.to_str().ok_or_else(|| {
            StoreError::Database(sqlx::Error::Configuration(
                "backup path is not valid UTF-8".into(),
            ))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The file of this SQLite database; `None` in memory (and for PostgreSQL).
    pub async fn sqlite_file(&self) -> Result<Option<std::path::PathBuf>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let file: Option<String> =
            sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        Ok(file.filter(|f| !f.is_empty()).map(Into::into))
    }

    /// The names of the tables of this SQLite database, as `sqlite_master` lists them (SQLite's
    /// own tables left out), sorted: what a comparison of two databases walks.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        Ok(sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' \
             ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect())
    }

    /// Every row of `table` (a name from [`Store::table_names`]), each as its columns' values
    /// in text (`NULL` for null), in rowid order: for tests that compare two databases.
    pub async fn table_rows(&self, table: &str) -> Result<Vec<Vec<String>>> {
        if !self.table_names().await?.iter().any(|t| t == table) {
            return Err(StoreError::NotFound {
                entity: "table",
                id: table.to_owned(),
            });
        }
        let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
        let select = columns
            .iter()
            .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), 'NULL')"))
            .collect::<Vec<_>>()
            .join(", ");
        let order = (1..=columns.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {select} FROM \"{table}\" ORDER BY {order}"
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (0..columns.len()).map(|i| r.get::<String, _>(i)).collect())
            .collect())
    }
}

/// The latest schema version this build knows.
pub fn schema_version_supported() -> i64 {
    crate::migrate::latest_version()
}

/// Checks that the SQLite file at `path` is a lipa database this build can restore. The file is
/// opened read-write (the caller's own copy: SQLite may need to write its WAL index) and is not
/// migrated.
pub async fn check_backup(path: &Path) -> Result<BackupInfo, BackupProblem> {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok();
    if !read || &head != b"SQLite format 3\0" {
        return Err(BackupProblem::NotSqlite);
    }
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rw", path.display());
    let mut conn = AnyConnection::connect(&url)
        .await
        .map_err(StoreError::from)?;
    let checked = check_on(&mut conn).await;
    let _ = conn.close().await;
    checked
}

async fn check_on(conn: &mut AnyConnection) -> Result<BackupInfo, BackupProblem> {
    let problems: Vec<String> = match sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
    {
        Ok(rows) => rows.iter().map(|r| r.get::<String, _>(0)).collect(),
        // A file with a SQLite header and garbage after it.
        Err(sqlx::Error::Database(e)) => vec![e.message().to_owned()],
        Err(e) => return Err(StoreError::from(e).into()),
    };
    if problems != ["ok"] {
        return Err(BackupProblem::Damaged(
            problems.into_iter().take(MAX_PROBLEMS).collect(),
        ));
    }
    let tables: Vec<String> = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'")
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::from)?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let lipa = ["schema_migrations", "meta", "libraries", "audit_log"]
        .iter()
        .all(|t| tables.iter().any(|n| n == t));
    if !lipa {
        return Err(BackupProblem::NotLipa);
    }
    let schema_version = scalar(
        conn,
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
    )
    .await?;
    let supported = schema_version_supported();
    if schema_version > supported {
        return Err(BackupProblem::Newer {
            found: schema_version,
            supported,
        });
    }
    Ok(BackupInfo {
        schema_version,
        libraries: scalar(conn, "SELECT COUNT(*) FROM libraries").await?,
        audit_entries: scalar(conn, "SELECT COUNT(*) FROM audit_log").await?,
    })
}

async fn scalar(conn: &mut AnyConnection, sql: &'static str) -> Result<i64, BackupProblem> {
    sqlx::query(sql)
        .fetch_one(conn)
        .await
        .and_then(|r| r.try_get::<i64, _>(0))
        .map_err(|e| BackupProblem::Store(e.into()))
}
