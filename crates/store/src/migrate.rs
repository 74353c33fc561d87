//! Versioned migrations, run at start, and the reference data (gazetteer, default taxonomy) they
//! load. A migration runs once, in a transaction, and is recorded in `schema_migrations`; the
//! gazetteer is reloaded only when the compiled-in copy differs from the stored one.

use crate::{Backend, Result, Store, StoreError};
use lipa_core::geo::Gazetteer;
use lipa_core::taxonomy::{default_categories, default_partner_kinds};
use sqlx::{Acquire, AnyConnection, AssertSqlSafe, Row};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sqlite: include_str!("../migrations/sqlite/0002_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "import_uploads",
        sqlite: include_str!("../migrations/sqlite/0003_import_uploads.sql"),
        postgres: include_str!("../migrations/postgres/0003_import_uploads.sql"),
    },
    Migration {
        version: 4,
        name: "password_change",
        sqlite: include_str!("../migrations/sqlite/0004_password_change.sql"),
        postgres: include_str!("../migrations/postgres/0004_password_change.sql"),
    },
    Migration {
        version: 5,
        name: "expiry",
        sqlite: include_str!("../migrations/sqlite/0005_expiry.sql"),
        postgres: include_str!("../migrations/postgres/0005_expiry.sql"),
    },
    Migration {
        version: 6,
        name: "service_counts",
        sqlite: include_str!("../migrations/sqlite/0006_service_counts.sql"),
        postgres: include_str!("../migrations/postgres/0006_service_counts.sql"),
    },
    Migration {
        version: 7,
        name: "activity_log",
        sqlite: include_str!("../migrations/sqlite/0007_activity_log.sql"),
        postgres: include_str!("../migrations/postgres/0007_activity_log.sql"),
    },
];

/// The PostgreSQL migrations' text, in order (test databases are cloned from a template per
/// migration set).
#[cfg(any(test, feature = "testing"))]
pub(crate) fn postgres_sql() -> impl Iterator<Item = &'static str> {
    MIGRATIONS.iter().map(|m| m.postgres)
}

/// The schema version the last migration of this build brings a database to.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// `pg_advisory_lock` key held while migrating PostgreSQL.
const MIGRATION_LOCK: i64 = 0x6c69_7061_6d69_6772;

/// Bump when the meaning of the reference data loader changes.
const REFERENCE_REVISION: &str = "1";

impl Store {
    /// Runs pending migrations and refreshes reference data. Returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Sqlite {
            return self.migrate_on(&mut conn).await;
        }
        // Several app servers may start at once: one migrates, the others wait for it.
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
        let applied = self.migrate_on(&mut conn).await;
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await;
        if unlocked.is_err() {
            // A connection that may still hold the lock must not go back to the pool.
            conn.detach();
        }
        applied
    }

    async fn migrate_on(&self, conn: &mut AnyConnection) -> Result<Vec<i64>> {
        let version_type = match self.backend {
            Backend::Sqlite => "INTEGER",
            Backend::Postgres => "BIGINT",
        };
        sqlx::query(AssertSqlSafe(format!(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version {version_type} PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )))
        .execute(&mut *conn)
        .await?;
        let done: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .collect();
        let mut applied = Vec::new();
        for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
            let sql = match self.backend {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            let mut tx = conn.begin().await?;
            // The version is claimed first: on SQLite that write takes the database's one write
            // lock (waiting for a server that is migrating beside this one) and then sees its
            // commit, so a migration another process applied meanwhile is skipped, not run twice.
            let claimed = sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)
                 ON CONFLICT (version) DO NOTHING",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                tx.rollback().await?;
                continue;
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            tx.commit().await?;
            tracing::info!(version = m.version, name = m.name, "migration applied");
            applied.push(m.version);
        }
        load_reference_data(conn).await?;
        Ok(applied)
    }

    /// The latest schema version this database is at.
    pub async fn schema_version(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get::<i64, _>(0))
    }
}

async fn load_reference_data(conn: &mut AnyConnection) -> Result<()> {
    let g = Gazetteer::get();
    let stamp = format!(
        "{REFERENCE_REVISION}:{}:{}:{}",
        g.districts().len(),
        g.municipalities().len(),
        g.settlements()
            .iter()
            .map(|s| s.name_bg.len() + s.ekatte.as_str().len())
            .sum::<usize>()
    );
    let current: Option<String> = sqlx::query("SELECT value FROM meta WHERE key = 'reference'")
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.get(0));
    if current.as_deref() == Some(stamp.as_str()) {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    for d in g.districts() {
        sqlx::query(
                "INSERT INTO districts (code, name_bg, name_en) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET name_bg = excluded.name_bg, name_en = excluded.name_en",
            )
            .bind(d.code.as_str())
            .bind(&d.name_bg)
            .bind(&d.name_en)
            .execute(&mut *tx)
            .await?;
    }
    for m in g.municipalities() {
        sqlx::query(
                "INSERT INTO municipalities (code, district_code, name_bg, name_en) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (code) DO UPDATE SET district_code = excluded.district_code,
                   name_bg = excluded.name_bg, name_en = excluded.name_en",
            )
            .bind(m.code.as_str())
            .bind(m.district.as_str())
            .bind(&m.name_bg)
            .bind(&m.name_en)
            .execute(&mut *tx)
            .await?;
    }
    for s in g.settlements() {
        sqlx::query(
                "INSERT INTO settlements (ekatte, kind, name_bg, name_en, municipality_code,
                   district_code, lat, lon, population)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (ekatte) DO UPDATE SET kind = excluded.kind, name_bg = excluded.name_bg,
                   name_en = excluded.name_en, municipality_code = excluded.municipality_code,
                   district_code = excluded.district_code, lat = excluded.lat, lon = excluded.lon,
                   population = excluded.population",
            )
            .bind(s.ekatte.as_str())
            .bind(s.kind.code())
            .bind(&s.name_bg)
            .bind(&s.name_en)
            .bind(s.municipality.as_str())
            .bind(s.district.as_str())
            .bind(s.coords.map(|c| c.0))
            .bind(s.coords.map(|c| c.1))
            .bind(s.population.map(i64::from))
            .execute(&mut *tx)
            .await?;
    }
    // Taxonomy defaults: inserted once; later edits by the programme unit are kept.
    for c in default_categories() {
        sqlx::query(
            "INSERT INTO categories (code, position, body) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO NOTHING",
        )
        .bind(c.code.as_str())
        .bind(i64::from(c.position))
        .bind(serde_json::to_string(&c).map_err(StoreError::from)?)
        .execute(&mut *tx)
        .await?;
    }
    for k in default_partner_kinds() {
        sqlx::query(
            "INSERT INTO partner_kinds (code, position, body) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO NOTHING",
        )
        .bind(k.code.as_str())
        .bind(i64::from(k.position))
        .bind(serde_json::to_string(&k).map_err(StoreError::from)?)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('reference', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(&stamp)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!("reference data loaded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// The tables with their columns, the columns added and the indexes that a migration's SQL
    /// creates: each as one line (`table t: a b c`, `alter t: add c`, `index i`), comments and
    /// types left out.
    fn shape(sql: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut table: Option<(String, Vec<String>)> = None;
        for line in sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or_default())
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            match (&mut table, words.as_slice()) {
                (None, ["CREATE", "TABLE", name, ..]) => table = Some(((*name).into(), vec![])),
                (None, ["CREATE", "INDEX", name, ..] | ["CREATE", "UNIQUE", "INDEX", name, ..]) => {
                    out.push(format!("index {name}"));
                }
                (None, ["ALTER", "TABLE", name, "ADD", "COLUMN", column, ..]) => {
                    out.push(format!("alter {name}: add {column}"));
                }
                (Some((name, columns)), [first, ..]) if first.starts_with(')') => {
                    out.push(format!("table {name}: {}", columns.join(" ")));
                    table = None;
                }
                (Some((_, columns)), [column, _type, ..])
                    if column.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                {
                    columns.push((*column).into());
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_postgres_migration_is_the_twin_of_its_sqlite_one() {
        for m in MIGRATIONS {
            let sqlite = shape(m.sqlite);
            assert!(!sqlite.is_empty(), "{}: nothing recognised", m.name);
            assert_eq!(
                shape(m.postgres),
                sqlite,
                "migration {} {}",
                m.version,
                m.name
            );
        }
    }
}
