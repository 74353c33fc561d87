//! `lipa backup`, `lipa restore` and `lipa serve --backup-every` as an operator uses them: a
//! backup while the server runs, a restore refused while it runs and done after it stopped
//! (with the search index rebuilt), files that are not backups refused with exit 65 and the
//! database untouched, PostgreSQL sent to `pg_dump` with exit 69, scheduled backups pruned to
//! the newest N.

mod common;

use common::{Server, lipa, stderr};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/kyustendil-2012.txt"
);

fn export(db: &str) -> serde_json::Value {
    let out = lipa(db, &["export", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn records(v: &serde_json::Value) -> usize {
    ["libraries", "services", "partners", "persons", "events"]
        .iter()
        .map(|k| v[k].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn a_backup_is_taken_while_the_server_runs_and_restored_after_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db").display().to_string();
    let out = lipa(&db, &["import", SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut server = Server::start(&db, &[], dir.path(), &dir.path().join("serve.log"));
    server.wait_ready(Duration::from_secs(20));

    let backup = dir.path().join("backup.db").display().to_string();
    let out = lipa(&db, &["backup", &backup]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Backup written to"), "{err}");
    assert!(err.contains("18 libraries"), "{err}");
    let at_backup = export(&db);

    // Changed after the backup, while the server runs.
    let out = lipa(&db, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let changed = export(&db);
    assert_ne!(changed, at_backup);

    let out = lipa(&db, &["restore", &backup]);
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stop it, then restore"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        export(&db),
        changed,
        "nothing changed while the server runs"
    );

    server.kill();
    let out = lipa(&db, &["restore", &backup]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("now holds the backup"), "{err}");
    assert!(
        err.contains(&format!(
            "The search index was rebuilt ({} records)",
            records(&at_backup)
        )),
        "{err}"
    );
    assert!(err.contains("is kept as"), "{err}");
    assert_eq!(export(&db), at_backup);

    // The server starts on the restored database.
    let mut server = Server::start(&db, &[], dir.path(), &dir.path().join("serve2.log"));
    server.wait_ready(Duration::from_secs(20));
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db").display().to_string();
    let out = lipa(&db, &["import", SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = export(&db);

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database").unwrap();
    let notes = notes.display().to_string();
    let out = lipa(&db, &["restore", &notes]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("is not a lipa backup: it is not a SQLite database. Nothing was changed."),
        "{}",
        stderr(&out)
    );
    let out = Command::new(common::LIPA)
        .args(["--db", &db, "--lang", "bg", "restore", &notes])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains("не е резервно копие на lipa"),
        "{}",
        stderr(&out)
    );

    let missing = dir.path().join("missing.db").display().to_string();
    let out = lipa(&db, &["restore", &missing]);
    assert_eq!(out.status.code(), Some(66), "{}", stderr(&out));

    // The database itself is no place for its backup.
    let out = lipa(&db, &["backup", &db]);
    assert_eq!(out.status.code(), Some(73), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is the database itself"),
        "{}",
        stderr(&out)
    );
    assert_eq!(export(&db), before);
}

#[test]
fn postgres_is_sent_to_pg_dump() {
    // Nothing listens there: the advice comes before any connection.
    let db = "postgres://lipa:secret@127.0.0.1:1/lipa";
    for command in ["backup", "restore"] {
        let out = lipa(db, &[command, "lipa.dump"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(69), "{command}: {err}");
        assert!(
            err.contains("pg_dump") && err.contains("pg_restore"),
            "{err}"
        );
        assert!(!err.contains("secret"), "{err}");
    }
    let out = lipa(db, &["serve", "--backup-every", "24h"]);
    assert_eq!(out.status.code(), Some(69), "{}", stderr(&out));
}

#[test]
fn the_server_writes_backups_on_schedule_and_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db").display().to_string();
    let out = lipa(&db, &["import", SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    let backups = dir.path().join("backups");
    let backups_arg = backups.display().to_string();

    let out = lipa(&db, &["serve", "--backup-every", "soon"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--backup-every"), "{}", stderr(&out));

    let mut server = Server::start(
        &db,
        &[
            "--backup-every",
            "1s",
            "--keep",
            "2",
            "--backup-dir",
            &backups_arg,
        ],
        dir.path(),
        &dir.path().join("serve.log"),
    );
    server.wait_ready(Duration::from_secs(20));
    assert!(
        server.log_text().contains("A backup every 1s into"),
        "{}",
        server.log_text()
    );
    let mut seen = std::collections::BTreeSet::new();
    let start = Instant::now();
    while seen.len() < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "backups seen: {seen:?}\n{}",
            server.log_text()
        );
        seen.extend(scheduled(&backups));
        std::thread::sleep(Duration::from_millis(100));
    }
    let now = scheduled(&backups);
    assert!(now.len() <= 2, "{now:?}");
    let newest = seen.iter().next_back().unwrap();
    server.kill();
    let other = dir.path().join("other.db").display().to_string();
    let out = lipa(
        &other,
        &["restore", &backups.join(newest).display().to_string()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("18 libraries"), "{}", stderr(&out));
}

fn scheduled(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("lipa-") && n.ends_with("Z.db"))
        .collect();
    names.sort();
    names
}
