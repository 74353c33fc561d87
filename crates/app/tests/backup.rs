//! Backups and restores of a SQLite database (`lipa_app::backup`): a backup taken while writes
//! run is the database at one instant, table by table and row by row; a restore replaces the
//! database whole or not at all and refuses what is not a lipa backup; scheduled backups keep
//! the newest N. SQLite files by nature (on PostgreSQL, `pg_dump` does this: see the last test).

use lipa_app::App;
use lipa_app::backup::{BackupError, BackupProblem};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::ids::LibraryId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Every table of a database (as `sqlite_master` lists them), every row, in a fixed order.
type Dump = BTreeMap<String, Vec<Vec<String>>>;

async fn dump(store: &Store) -> Dump {
    let mut out = Dump::new();
    for table in store.table_names().await.expect("tables") {
        let rows = store.table_rows(&table).await.expect("rows");
        out.insert(table, rows);
    }
    out
}

/// The newest audit entry of a dump: which write the database had seen last.
fn last_audit_id(d: &Dump) -> i64 {
    d["audit_log"]
        .iter()
        .map(|r| r[0].parse::<i64>().expect("audit id"))
        .max()
        .unwrap_or(0)
}

/// Asserts two dumps equal, naming the first table and row that differ.
fn assert_same(expected: &Dump, actual: &Dump, what: &str) {
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "{what}: the tables differ"
    );
    for (table, rows) in expected {
        let got = &actual[table];
        for (i, (e, a)) in rows.iter().zip(got).enumerate() {
            assert_eq!(e, a, "{what}: table {table}, row {i}");
        }
        assert_eq!(rows.len(), got.len(), "{what}: rows of table {table}");
    }
}

async fn demo_app(db: &Path) -> App {
    let app = App::open(&db.display().to_string()).await.expect("open");
    app.load_demo().await.expect("demo");
    app
}

/// One write of the stream: library 705 renamed, and a new library.
async fn write(store: &Store, k: u32) {
    let mut lib = store
        .library(LibraryId::new(705).unwrap())
        .await
        .unwrap()
        .expect("library 705")
        .record;
    lib.name = format!("Регионална библиотека, запис {k}");
    let mut new = lib.clone();
    new.id = LibraryId::new(20_000 + k).unwrap();
    new.coordinator = false;
    new.name = format!("Нова библиотека {k}");
    let changes = ChangeSet {
        libraries: vec![lib, new],
        ..Default::default()
    };
    store
        .apply(&Actor("test".into()), &format!("write {k}"), &changes)
        .await
        .expect("write");
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_run_restores_every_row_as_it_was_then() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db");
    let app = demo_app(&db).await;
    let store = app.store().clone();

    // The writer writes, then dumps: the database stays as dumped until its next write, so
    // `states[last audit id]` is the database at every moment a backup could have seen.
    let states: Arc<tokio::sync::Mutex<BTreeMap<i64, Dump>>> = Default::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (store, states, stop, writes) =
            (store.clone(), states.clone(), stop.clone(), writes.clone());
        tokio::spawn(async move {
            let d = dump(&store).await;
            states.lock().await.insert(last_audit_id(&d), d);
            let mut k = 0;
            while !stop.load(Ordering::SeqCst) {
                k += 1;
                write(&store, k).await;
                let d = dump(&store).await;
                states.lock().await.insert(last_audit_id(&d), d);
                writes.store(k as usize, Ordering::SeqCst);
            }
        })
    };
    while writes.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let backup = dir.path().join("backup.db");
    let before = writes.load(Ordering::SeqCst);
    let info = app.backup(&backup).await.expect("backup");
    let after = writes.load(Ordering::SeqCst);
    // A few more writes after it, then stop.
    while writes.load(Ordering::SeqCst) < after + 2 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    eprintln!("backup taken between writes {before} and {after}");
    assert_eq!(
        files_in(dir.path())
            .iter()
            .filter(|f| f.contains(".lipa-backup-"))
            .count(),
        0
    );

    // Restored into a database of its own: exactly one of the states the writer went through.
    let copy = dir.path().join("copy.db");
    let restored = lipa_app::backup::restore(&copy, &backup)
        .await
        .expect("restore");
    assert_eq!(restored.replaced, None);
    assert_eq!(restored.backup, info);
    let copy_store = Store::open_sqlite(&copy).await.unwrap();
    let got = dump(&copy_store).await;
    copy_store.close().await;
    let at = last_audit_id(&got);
    let states = states.lock().await;
    let expected = states.get(&at).cloned().unwrap_or_else(|| {
        panic!("the backup's last audit entry {at} is no state the writer left")
    });
    let expected = &expected;
    assert!(
        got["libraries"].len() > 18 + before.saturating_sub(1),
        "the backup has the writes made before it"
    );
    assert_same(expected, &got, "restored backup");
    assert_eq!(info.libraries as usize, got["libraries"].len());

    // Restored over the database itself: it is the backup now, and what it held is kept.
    let last = states.values().last().unwrap().clone();
    drop(states);
    app.close().await;
    let restored = lipa_app::backup::restore(&db, &backup)
        .await
        .expect("restore over the database");
    let kept = restored.replaced.expect("the replaced database is kept");
    let store = Store::open_sqlite(&db).await.unwrap();
    assert_same(expected, &dump(&store).await, "database after restore");
    assert_eq!(store.pragma("integrity_check").await.unwrap(), "ok");
    store.close().await;
    let old = Store::open_sqlite(&kept).await.unwrap();
    assert_same(&last, &dump(&old).await, "the replaced database");
    old.close().await;
    assert!(
        !files_in(dir.path())
            .iter()
            .any(|f| f.contains(".lipa-restore-")),
        "{:?}",
        files_in(dir.path())
    );
}

/// Whether a refusal is the one a case expects.
type Expected = fn(&BackupError) -> bool;

/// A file of bytes; a SQLite database that is not lipa's; lipa's with a schema from the future;
/// lipa's with a page overwritten. Each refused with its reason, the database untouched.
#[tokio::test]
async fn a_restore_refuses_what_is_not_a_sound_lipa_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db");
    let app = demo_app(&db).await;
    let good = dir.path().join("good.db");
    app.backup(&good).await.expect("backup");
    app.close().await;
    let db_bytes = std::fs::read(&db).unwrap();

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "ID Име на библиотеката\n705 Регионална библиотека\n").unwrap();

    // A SQLite database of somebody else.
    let foreign = dir.path().join("foreign.db");
    exec(&foreign, "CREATE TABLE notes (line TEXT)").await;

    let newer = dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    exec(
        &newer,
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')",
    )
    .await;

    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page);
    for b in &mut bytes[3 * page + 100..6 * page] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, &bytes).unwrap();

    let missing = dir.path().join("missing.db");
    let cases: [(&PathBuf, Expected); 5] = [
        (&text, |e| {
            matches!(e, BackupError::Invalid(BackupProblem::NotSqlite))
        }),
        (&foreign, |e| {
            matches!(e, BackupError::Invalid(BackupProblem::NotLipa))
        }),
        (&newer, |e| {
            matches!(
                e,
                BackupError::Invalid(BackupProblem::Newer { found: 999, .. })
            )
        }),
        (&damaged, |e| {
            matches!(e, BackupError::Invalid(BackupProblem::Damaged(_)))
        }),
        (&missing, |e| matches!(e, BackupError::Read { .. })),
    ];
    for (file, expected) in cases {
        let e = lipa_app::backup::restore(&db, file)
            .await
            .expect_err("refused");
        assert!(expected(&e), "{}: {e:?}", file.display());
        assert_eq!(std::fs::read(&db).unwrap(), db_bytes, "{}", file.display());
        let names = files_in(dir.path());
        assert!(
            !names
                .iter()
                .any(|f| f.contains(".lipa-restore-") || f.contains(".replaced-")),
            "{}: {names:?}",
            file.display()
        );
    }

    // The sound one passes.
    lipa_app::backup::restore(&db, &good)
        .await
        .expect("restore");
}

/// Runs `sql` on the SQLite file `file` (created if missing), outside lipa.
async fn exec(file: &Path, sql: &str) {
    use sqlx::Connection;
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn scheduled_backups_keep_the_newest_n() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db");
    let app = demo_app(&db).await;
    assert_eq!(
        app.default_backup_dir().await.unwrap(),
        dir.path().join("lipa.db.backups")
    );
    let backups = dir.path().join("b");
    let t0: jiff::Timestamp = "2026-11-30T00:00:00Z".parse().unwrap();
    let mut written = Vec::new();
    for h in 0..5 {
        let at = t0 + jiff::SignedDuration::from_hours(h);
        written.push(app.scheduled_backup(&backups, 3, at).await.expect("backup"));
    }
    std::fs::write(backups.join("notes.txt"), "mine").unwrap();
    app.scheduled_backup(&backups, 3, t0 + jiff::SignedDuration::from_hours(5))
        .await
        .unwrap();
    assert_eq!(
        files_in(&backups),
        [
            "lipa-20261130T030000Z.db",
            "lipa-20261130T040000Z.db",
            "lipa-20261130T050000Z.db",
            "notes.txt"
        ]
    );
    let info = lipa_app::backup::restore(&dir.path().join("again.db"), &written[4])
        .await
        .expect("a scheduled backup restores");
    assert_eq!(info.backup.libraries, 18);
    app.close().await;
}

/// PostgreSQL has pg_dump: a backup there is refused with the reason the CLI turns into advice.
#[tokio::test]
async fn a_postgres_database_is_backed_up_with_its_own_tools() {
    let app = App::open_test().await.unwrap();
    if app.backend() != lipa_app::Backend::Postgres {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let e = app
        .backup(&dir.path().join("b.db"))
        .await
        .expect_err("refused");
    assert!(matches!(e, BackupError::Postgres), "{e:?}");
    assert!(files_in(dir.path()).is_empty());
}
