//! Several servers started at the same moment on one fresh database (issue 12, defect 15): a
//! SQLite file, and a fresh PostgreSQL database when `LIPA_TEST_DATABASE_URL` is set. All of
//! them come up; the migrations ran once, there is exactly one admin, the demo is there once;
//! the servers that share one search index directory do not fail on its lock.

mod common;

use common::{Server, lipa, stderr};
use lipa_app::testing::{Store, TestDatabase};
use std::path::Path;
use std::time::Duration;

const SERVERS: usize = 3;

/// What the tables hold after a start, for comparing with a single load of the demo.
#[derive(Debug, PartialEq, Eq)]
struct Loaded {
    migrations: i64,
    libraries: usize,
    services: usize,
    partners: usize,
    events: usize,
    persons: usize,
}

async fn loaded(url: &str) -> (Loaded, Vec<String>) {
    let store = Store::open(url).await.expect("open");
    let migrations = store.schema_version().await.unwrap();
    let l = Loaded {
        migrations,
        libraries: store.libraries().await.unwrap().len(),
        services: store.services().await.unwrap().len(),
        partners: store.partners().await.unwrap().len(),
        events: store.events().await.unwrap().len(),
        persons: store.persons().await.unwrap().len(),
    };
    let admins = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| format!("{} {:?}", u.record.login, u.record.role))
        .collect();
    store.close().await;
    (l, admins)
}

/// Starts the servers at once on `db` (all in `cwd`, so they share the default search index
/// directory of a PostgreSQL URL, or the one beside a SQLite file), waits for all of them, and
/// checks what they left against one `lipa demo` on `reference`.
async fn start_together(db: &str, reference: &str, cwd: &Path) {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(SERVERS));
    let mut servers: Vec<Server> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..SERVERS)
            .map(|i| {
                let barrier = barrier.clone();
                s.spawn(move || {
                    barrier.wait();
                    Server::start(db, &["--demo"], cwd, &cwd.join(format!("server{i}.log")))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for server in &mut servers {
        server.wait_ready(Duration::from_secs(60));
    }
    let logs: Vec<String> = servers.iter().map(Server::log_text).collect();
    for server in &mut servers {
        server.kill();
    }
    let shown = logs
        .iter()
        .filter(|l| l.contains("The first administrator"))
        .count();
    assert_eq!(shown, 1, "one server made the admin: {logs:#?}");
    let demo = logs
        .iter()
        .filter(|l| l.contains("The demo data is loaded"))
        .count();
    assert_eq!(demo, 1, "one server loaded the demo: {logs:#?}");

    let out = lipa(reference, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (expected, _) = loaded(reference).await;
    let (got, users) = loaded(db).await;
    assert_eq!(got, expected, "{logs:#?}");
    assert_eq!(users, ["admin Admin"], "{logs:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_started_together_on_a_fresh_sqlite_file_all_come_up_and_load_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db").display().to_string();
    let reference = dir.path().join("reference.db").display().to_string();
    start_together(&db, &reference, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_started_together_on_a_fresh_postgres_database_all_come_up_and_load_once() {
    let Some(fresh) = TestDatabase::empty_from_env().await.unwrap() else {
        return;
    };
    let Some(reference) = TestDatabase::empty_from_env().await.unwrap() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    start_together(&fresh.url(), &reference.url(), dir.path()).await;
}
