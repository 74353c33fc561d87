//! A fresh database per test, on the backend the environment asks for: in-memory SQLite by
//! default; with `LIPA_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`) a new
//! PostgreSQL database, so that the same suite runs against both backends.
//!
//! A PostgreSQL test database is cloned from a migrated template (`lipa_tpl_<hash of the
//! migrations>`, built once and kept), which is much faster than migrating and loading the
//! gazetteer for every test. It is named `lipa_t_<unix seconds>_<n>` and dropped when the last
//! clone of its store is dropped; databases that a killed run left behind are dropped by the
//! next run once they are an hour old. Nothing here is for production use.

use crate::{Backend, Result, Store, StoreError};
use sqlx::{AnyConnection, Connection, Row};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The environment variable naming the PostgreSQL server (and a database on it to connect to
/// for administration) that tests use instead of in-memory SQLite.
pub const TEST_DATABASE_URL: &str = "LIPA_TEST_DATABASE_URL";

/// Test databases older than this are taken to be left behind by a killed run.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Serialises template building and clean-up between test processes (`pg_advisory_lock` key).
const ADMIN_LOCK: i64 = 0x6c69_7061_7465_7374;

impl Store {
    /// A test's own query (a plain count to compare a kept one with): every column of every
    /// row as a whole number.
    pub async fn numbers_for_test(&self, sql: &str) -> Result<Vec<Vec<i64>>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<i64, _>(i).map_err(StoreError::from))
                    .collect()
            })
            .collect()
    }

    /// A fresh, migrated store for one test: in-memory SQLite, or a new PostgreSQL database
    /// when `LIPA_TEST_DATABASE_URL` is set.
    pub async fn open_test() -> Result<Store> {
        let Some(database) = TestDatabase::from_env().await? else {
            return Store::open_memory().await;
        };
        let mut store = Store::open(&database.url()).await?;
        store.test_database = Some(std::sync::Arc::new(database));
        Ok(store)
    }
}

/// A PostgreSQL database made for one test, migrated; dropping it drops the database.
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// A new database on the server `LIPA_TEST_DATABASE_URL` names; `None` when it is not set.
    pub async fn from_env() -> Result<Option<TestDatabase>> {
        match std::env::var(TEST_DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => Ok(Some(create(url.trim()).await?)),
            _ => Ok(None),
        }
    }

    /// A new, empty database (not migrated) on the server `LIPA_TEST_DATABASE_URL` names, for
    /// tests of what a first start does; `None` when the variable is not set.
    pub async fn empty_from_env() -> Result<Option<TestDatabase>> {
        let url = match std::env::var(TEST_DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => return Ok(None),
        };
        sqlx::any::install_default_drivers();
        let mut admin = AnyConnection::connect(&url).await?;
        let name = format!("lipa_t_{}_{}", unix_seconds(), unique());
        let created = execute(&mut admin, &format!("CREATE DATABASE {name}")).await;
        admin.close().await?;
        created?;
        Ok(Some(TestDatabase {
            admin_url: url,
            name,
        }))
    }

    /// Its URL, for [`Store::open`] or a `lipa --db` run by a test.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop may run inside the test's runtime, which must not be blocked on itself: the drop
        // gets a thread and a runtime of its own.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = AnyConnection::connect(&admin_url).await.ok()?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(done, Ok(Some(()))) {
            tracing::warn!(database = self.name, "test database not dropped");
        }
    }
}

async fn create(admin_url: &str) -> Result<TestDatabase> {
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(admin_url).await?;
    let template = format!("lipa_tpl_{:016x}", migrations_hash());
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(ADMIN_LOCK)
        .execute(&mut admin)
        .await?;
    let prepared = prepare(&mut admin, admin_url, &template).await;
    let name = format!("lipa_t_{}_{}", unix_seconds(), unique());
    let created = match prepared {
        Ok(()) => execute(
            &mut admin,
            &format!("CREATE DATABASE {name} TEMPLATE {template}"),
        )
        .await
        .map_err(StoreError::from),
        Err(e) => Err(e),
    };
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(ADMIN_LOCK)
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    created?;
    Ok(TestDatabase {
        admin_url: admin_url.to_owned(),
        name,
    })
}

/// Drops what older runs left behind and builds the template if it is missing. Runs under the
/// advisory lock.
async fn prepare(admin: &mut AnyConnection, admin_url: &str, template: &str) -> Result<()> {
    let names: Vec<String> =
        sqlx::query("SELECT datname::text FROM pg_database WHERE datname LIKE 'lipa\\_%'")
            .fetch_all(&mut *admin)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
    let now = unix_seconds();
    for n in &names {
        let stale = match n.strip_prefix("lipa_t_") {
            Some(rest) => rest
                .split('_')
                .next()
                .and_then(|s| s.parse::<u64>().ok())
                .is_some_and(|at| at + STALE_AFTER.as_secs() < now),
            // Templates of other migration sets, and half-built ones.
            None => n.starts_with("lipa_tpl_") && n != template,
        };
        if stale {
            execute(admin, &format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).await?;
        }
    }
    if names.iter().any(|n| n == template) {
        return Ok(());
    }
    // Built under another name and renamed when complete: a run killed half-way leaves no
    // template that looks finished.
    let building = format!("{template}_building");
    execute(admin, &format!("CREATE DATABASE {building}")).await?;
    let store = Store::open(&with_database(admin_url, &building)).await?;
    debug_assert_eq!(store.backend(), Backend::Postgres);
    store.close().await;
    execute(
        admin,
        &format!("ALTER DATABASE {building} RENAME TO {template}"),
    )
    .await?;
    Ok(())
}

async fn execute(admin: &mut AnyConnection, sql: &str) -> sqlx::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(admin)
        .await
        .map(drop)
}

/// `url` with its database (the path) replaced by `name`, the query string kept.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// FNV-1a over the PostgreSQL migrations: a new migration gets a new template.
fn migrations_hash() -> u64 {
    crate::migrate::postgres_sql()
        .flat_map(str::bytes)
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Unique among the databases that this and other processes create in the same second.
fn unique() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
