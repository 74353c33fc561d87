//! Persistence of lipa: one [`Store`] that every caller uses, whatever the database behind it.
//!
//! Embedded SQLite (one file, WAL, foreign keys on) is the default; the queries are written once
//! in the SQL that SQLite and PostgreSQL share, with `$1` placeholders, through sqlx's `Any`
//! driver; PostgreSQL (for deployments with several app servers) has its own migrations
//! (`migrations/postgres/`), and the few statements that must differ branch on [`Backend`] where
//! they are. Every write runs in one transaction and records an audit entry in the same
//! transaction. Every filter and facet the pages offer is served by an index (see
//! `migrations/`), and no list asks the database once per row.
//!
//! The store validates what it writes with the domain rules of `lipa-core` but knows nothing of
//! HTTP, files or formats. Who may see or change what is its callers' decision.
//!
//! ## What lives where
//! The store is organised by domain; each module holds its records' reads and writes, as
//! methods of [`Store`]. Every public type is re-exported here, at the crate root.
//! - `libraries.rs` — libraries, the registry's filtered lists and facets, the index plans;
//!   `library_map.rs` — the same filter's libraries by settlement and in batches (maps, GeoJSON);
//! - `open_data.rs` — when the public registry last changed;
//! - `services.rs` — services, their target-group and partner links, lists by library,
//!   district and partner;
//! - `activity_log.rs` — the entries of a service's activity log, by date; they go with the
//!   service;
//! - `partners.rs` — partners, the partners page's list and kind facet;
//! - `persons.rs` — persons, a person's dossier and their erasure (GDPR);
//! - `events.rs` — events, their participant links, the events of a library or a partner;
//! - `accounts.rs` — users, passwords, sessions, API tokens, role rules;
//! - `audit.rs` — writing an audit entry, reading and searching the log;
//! - `reports.rs` — the home page's totals and the reports' counts;
//! - `imports.rs` — uploaded import files between preview and commit;
//! - `apply.rs` — writing a whole change set (import, demo) in one transaction;
//! - `backup.rs` — SQLite backups (`VACUUM INTO`) and the checks a file passes before a restore;
//! - `taxonomy.rs` — service categories and partner kinds;
//! - `migrate.rs` — the migrations; `testing.rs` — a fresh database per test.
//!
//! Shared plumbing, used by the domain modules and by no caller: `record.rs` (the generic,
//! audited read/write path of an entity, [`Versioned`], keyset paging, facets, constraint
//! errors by kind) and `sql.rs` (the one condition builder and the one `LIKE` escaper).

mod accounts;
mod activity_log;
mod apply;
mod audit;
mod backup;
mod bulk;
mod events;
mod facet_index;
mod imports;
mod libraries;
mod library_map;
mod migrate;
mod open_data;
mod partners;
mod person_visibility;
mod persons;
mod record;
mod reports;
mod services;
mod sql;
mod taxonomy;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use accounts::{ApiToken, LiveSession, NewPassword, hash_password, verify_password};
pub use apply::{Applied, BulkLoad};
pub use audit::{AuditFilter, AuditSearch};
pub use backup::{BackupInfo, BackupProblem, check_backup, schema_version_supported};
pub use events::EventQuery;
pub use facet_index::{FacetIndex, Selection};
pub use imports::{NewUpload, UPLOAD_TTL_HOURS, Upload};
pub use libraries::{LibraryFilter, LibraryRow, LibrarySort};
pub use library_map::{LibrarySummary, MAX_BATCH};
pub use open_data::PUBLIC_KINDS;
pub use partners::{PartnerFilter, PartnerQuery};
pub use persons::{ERASED_NAME, Erasure, PersonDossier, PersonQuery};
pub use record::{DraftScope, Facet, FacetValue, Keyset, KeysetPage, Versioned, Written};
pub use reports::{
    Counts, DistrictTableRow, MatrixCell, PartnerKindReach, PartnerReach, TargetGroupReach,
    VolunteerCell,
};
pub use services::{PartnerLink, ServiceQuery};
#[cfg(any(test, feature = "testing"))]
pub use testing::TestDatabase;

use lipa_core::Violations;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// What went wrong in the store. Database errors are internal: front ends log them and show a
/// generic message; the other variants are for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("{entity} {id} already exists")]
    AlreadyExists { entity: &'static str, id: String },
    /// Someone else changed the record since it was read.
    #[error("version conflict: expected {expected}, found {actual}")]
    Conflict { expected: i64, actual: i64 },
    /// The change would leave no enabled administrator.
    #[error("the last enabled administrator must stay")]
    LastAdmin,
    #[error("invalid record: {0}")]
    Invalid(Violations),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored record cannot be read: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<Violations> for StoreError {
    fn from(v: Violations) -> Self {
        StoreError::Invalid(v)
    }
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The one store interface. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Set by [`Store::open_test`] on PostgreSQL: drops the test's database with the last clone.
    #[cfg(any(test, feature = "testing"))]
    test_database: Option<std::sync::Arc<testing::TestDatabase>>,
}

impl Store {
    /// Opens `url` (`sqlite://lipa.db`, a bare file path, or `postgres://…`) and runs the
    /// migrations that have not run yet.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens `url` without migrating.
    async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_owned(), Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            (url.to_owned(), Backend::Sqlite)
        } else {
            (format!("sqlite://{url}"), Backend::Sqlite)
        };
        let pool = match backend {
            Backend::Sqlite => Self::connect_sqlite(url).await?,
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(&url)?
                    .log_statements(tracing::log::LevelFilter::Trace)
                    .log_slow_statements(
                        tracing::log::LevelFilter::Warn,
                        Duration::from_millis(500),
                    );
                AnyPoolOptions::new()
                    .max_connections(8)
                    .idle_timeout(Some(Duration::from_secs(600)))
                    .max_lifetime(Some(Duration::from_secs(3600)))
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Store {
            pool,
            backend,
            #[cfg(any(test, feature = "testing"))]
            test_database: None,
        })
    }

    async fn connect_sqlite(url: String) -> Result<AnyPool> {
        let memory = url.contains(":memory:");
        let url = if memory || url.contains('?') {
            url
        } else {
            format!("{url}?mode=rwc")
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            // An in-memory database lives in its one connection.
            .max_connections(if memory { 1 } else { 8 })
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(3600))
            })
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // The page size counts only for a new file (its first table fixes it): a
                    // service card's record (2–3 KB) fills most of a 4 KB page and left the rest
                    // of it empty; 16 KB pages hold six (issue 11: 984 MB → about 700 MB for
                    // 280,000 services).
                    conn.execute(
                        "PRAGMA page_size = 16384; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if !memory {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(pool)
    }

    /// A transaction that writes. On SQLite it takes the write lock at its start (`BEGIN
    /// IMMEDIATE`, waiting up to the busy timeout): a deferred transaction that reads first and
    /// then writes fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) when another
    /// connection wrote in between — two API writes at the same moment did (found by
    /// `crates/lipa/tests/crash.rs`).
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Opens (creating if needed) a SQLite file.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        Self::open(&format!("sqlite://{}", path.display())).await
    }

    /// A fresh in-memory SQLite database. Tests use [`Store::open_test`], which honours
    /// `LIPA_TEST_DATABASE_URL`.
    pub async fn open_memory() -> Result<Self> {
        Self::open("sqlite::memory:").await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refreshes the query planner's statistics (bounded sampling on SQLite): after a large
    /// load, a planner without them read every service of a year for each library of a
    /// district.
    pub async fn analyze(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                sqlx::raw_sql("PRAGMA analysis_limit = 1000; ANALYZE;")
                    .execute(&mut *conn)
                    .await?;
            }
            Backend::Postgres => {
                sqlx::query("ANALYZE").execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Closes the pool, checkpointing the WAL into the database file. On SQLite it first lets
    /// the planner refresh its statistics where they are missing or stale (`PRAGMA optimize`,
    /// bounded by `analysis_limit`): after a large load, the planner without them read every
    /// service of a year for each library of a district.
    pub async fn close(self) {
        if self.backend == Backend::Sqlite {
            if let Ok(mut conn) = self.pool.acquire().await {
                let _ = sqlx::raw_sql("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
                    .execute(&mut *conn)
                    .await;
            }
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }
}

/// Now, as RFC 3339 UTC with second precision: the store's one clock.
pub(crate) fn now() -> String {
    timestamp(jiff::Timestamp::now())
}

/// A moment as the database keeps it: RFC 3339 in UTC, to the second, so that timestamps
/// compare as text (`expires_at > now`).
pub fn timestamp(at: jiff::Timestamp) -> String {
    at.round(jiff::Unit::Second).unwrap_or(at).to_string()
}

impl Store {
    /// The value of a SQLite pragma (`journal_mode`, `foreign_keys`), for checks and diagnostics.
    pub async fn pragma(&self, name: &str) -> Result<String> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "pragmas exist on SQLite only".into(),
            )));
        }
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(StoreError::Corrupt(format!("bad pragma name {name}")));
        }
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA {name}")))
            .fetch_one(&mut *conn)
            .await?;
        let v: std::result::Result<String, _> = sqlx::Row::try_get(&row, 0);
        Ok(match v {
            Ok(s) => s,
            Err(_) => sqlx::Row::try_get::<i64, _>(&row, 0)?.to_string(),
        })
    }
}
