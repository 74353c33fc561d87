//! `lipa user …` and `lipa person …` as a script would use them, on a temporary database: a
//! generated password alone on standard output, messages on standard error, exit codes 65
//! (invalid input, nothing written) and 67 (no such user or person), and the erasure of a
//! person checked in the store afterwards.

mod common;
use lipa_app::AuditSearch;
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::ids::LibraryId;
use lipa_core::person::{Person, PersonalContacts};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

fn lipa(db: &Path, args: &[&str]) -> Output {
    lipa_with_stdin(db, args, "")
}

fn lipa_with_stdin(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = common::command(db, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lipa");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

/// A database with library 705 (Kyustendil).
async fn database(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("lipa.db");
    let store = Store::open_sqlite(&db).await.unwrap();
    let lib = lipa_app::testing::library_705();
    store
        .create_library(&Actor("test".into()), &lib)
        .await
        .unwrap();
    store.close().await;
    db
}

async fn check_password(db: &Path, login: &str, password: &str) -> bool {
    let store = Store::open_sqlite(db).await.unwrap();
    let (_, hash) = store.user_by_login(login).await.unwrap().unwrap();
    store.close().await;
    lipa_app::testing::verify_password(password, &hash.unwrap())
}

#[tokio::test]
async fn users_are_added_listed_changed_and_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir).await;

    let added = lipa(
        &db,
        &[
            "user",
            "add",
            "admin",
            "--name",
            "Програмно звено",
            "--admin",
        ],
    );
    assert_eq!(code(&added), 0, "{}", stderr(&added));
    let password = stdout(&added);
    let password = password.trim_end();
    assert_eq!(
        stdout(&added).lines().count(),
        1,
        "the password alone on standard output"
    );
    assert!(password.chars().count() >= 12);
    assert!(
        stderr(&added).contains("User “admin” created: admin (*)"),
        "{}",
        stderr(&added)
    );
    assert!(check_password(&db, "admin", password).await);

    let librarian = lipa_with_stdin(
        &db,
        &[
            "user",
            "add",
            "maria",
            "--name",
            "Мария Петрова",
            "--librarian",
            "705",
            "--password-stdin",
        ],
        "линден-дърво-2012\n",
    );
    assert_eq!(code(&librarian), 0, "{}", stderr(&librarian));
    assert!(
        stdout(&librarian).is_empty(),
        "a given password is not printed"
    );
    assert!(check_password(&db, "maria", "линден-дърво-2012").await);

    let coordinator = lipa(
        &db,
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--coordinator",
            "knl",
        ],
    );
    assert_eq!(code(&coordinator), 0, "{}", stderr(&coordinator));

    let list = lipa(&db, &["user", "list"]);
    assert_eq!(code(&list), 0);
    let table = stdout(&list);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(rows[0], ["LOGIN", "NAME", "ROLE", "SCOPE", "DISABLED"]);
    assert_eq!(rows[1], ["admin", "Програмно звено", "admin", "*", "no"]);
    assert_eq!(rows[2], ["ivan", "Иван", "coordinator", "KNL", "no"]);
    assert_eq!(
        rows[3],
        ["maria", "Мария Петрова", "librarian", "705", "no"]
    );

    let role = lipa(&db, &["user", "role", "maria", "--viewer"]);
    assert_eq!(code(&role), 0, "{}", stderr(&role));
    let off = lipa(&db, &["user", "disable", "maria"]);
    assert_eq!(code(&off), 0, "{}", stderr(&off));
    let list = stdout(&lipa(&db, &["user", "list"]));
    let maria = list.lines().find(|l| l.starts_with("maria")).unwrap();
    assert!(
        maria.contains("viewer") && maria.ends_with("yes"),
        "{maria}"
    );
    assert_eq!(code(&lipa(&db, &["user", "enable", "maria"])), 0);

    let reset = lipa(&db, &["user", "reset-password", "maria"]);
    assert_eq!(code(&reset), 0, "{}", stderr(&reset));
    let new = stdout(&reset);
    assert!(check_password(&db, "maria", new.trim_end()).await);
    assert!(!check_password(&db, "maria", "линден-дърво-2012").await);

    // Every change is in the audit log, by the command line.
    let store = Store::open_sqlite(&db).await.unwrap();
    let (entries, _) = store
        .search_audit(&AuditSearch {
            actor: Some("cli".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    store.close().await;
    assert!(entries.len() >= 7, "{}", entries.len());
    assert!(
        entries
            .iter()
            .all(|e| !serde_json::to_string(e).unwrap().contains("argon2"))
    );
}

#[tokio::test]
async fn invalid_input_exits_65_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir).await;
    let cases: [&[&str]; 4] = [
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--coordinator",
            "XYZ",
        ],
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--coordinator",
            "12",
        ],
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--librarian",
            "9999",
        ],
        &["user", "add", "Ivan Ivanov", "--name", "Иван", "--viewer"],
    ];
    for args in cases {
        let out = lipa(&db, args);
        assert_eq!(code(&out), 65, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("Error: Invalid input"),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let unknown = lipa(
        &db,
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--coordinator",
            "XYZ",
        ],
    );
    assert!(
        stderr(&unknown).contains("There is no district with code “XYZ”"),
        "{}",
        stderr(&unknown)
    );

    let short = lipa_with_stdin(
        &db,
        &[
            "user",
            "add",
            "ivan",
            "--name",
            "Иван",
            "--viewer",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(code(&short), 65);
    assert!(
        stderr(&short).contains("at least 12 characters"),
        "{}",
        stderr(&short)
    );
    assert!(
        stdout(&lipa(&db, &["user", "list"])).lines().count() == 1,
        "nothing was written"
    );

    // Exactly one role.
    assert_eq!(
        code(&lipa(&db, &["user", "add", "ivan", "--name", "Иван"])),
        2
    );
    assert_eq!(
        code(&lipa(
            &db,
            &[
                "user", "add", "ivan", "--name", "Иван", "--admin", "--viewer"
            ]
        )),
        2
    );

    assert_eq!(
        code(&lipa(
            &db,
            &["user", "add", "ivan", "--name", "Иван", "--admin"]
        )),
        0
    );
    let taken = lipa(&db, &["user", "add", "ivan", "--name", "Друг", "--viewer"]);
    assert_eq!(code(&taken), 65);
    assert!(stderr(&taken).contains("is taken"));
    // The last enabled admin can be neither disabled nor demoted.
    let last = lipa(&db, &["user", "disable", "ivan"]);
    assert_eq!(code(&last), 65, "{}", stderr(&last));
    assert!(stderr(&last).contains("last active administrator"));
    assert_eq!(code(&lipa(&db, &["user", "role", "ivan", "--viewer"])), 65);

    for args in [
        &["user", "disable", "nobody"][..],
        &["user", "reset-password", "nobody"],
        &["user", "role", "nobody", "--viewer"],
    ] {
        let out = lipa(&db, args);
        assert_eq!(code(&out), 67, "{args:?}");
        assert!(stderr(&out).contains("There is no user “nobody”"));
    }
}

#[tokio::test]
async fn a_person_is_exported_and_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir).await;
    let store = Store::open_sqlite(&db).await.unwrap();
    let actor = Actor("test".into());
    let person = Person {
        name: "Мария Петрова".into(),
        position: "библиотекар".into(),
        organisation: "РБ Кюстендил".into(),
        partner_id: None,
        library: Some(LibraryId::new(705).unwrap()),
        contacts: PersonalContacts {
            email: "maria.petrova@example.bg".into(),
            phone: "+359 78 55 12 34".into(),
        },
    };
    let p = store.create(&actor, &person).await.unwrap();
    let event: lipa_core::event::Event = serde_json::from_value(serde_json::json!({
        "title": "Библиотеката и нейните партньори",
        "starts": "2012-06-06",
        "ends": "2012-06-07",
        "district": "KNL",
        "participants": [{"person_id": p.id, "name": "Мария Петрова", "position": "библиотекар"}],
        "agenda": [{"speaker": "Мария Петрова", "person_id": p.id, "topic": "Е-услуги"}]
    }))
    .unwrap();
    let ev = store.create(&actor, &event).await.unwrap();
    store.close().await;

    let export = lipa(&db, &["person", "export", &p.id.to_string()]);
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(json["person"]["name"], "Мария Петрова");
    assert_eq!(
        json["person"]["contacts"]["email"],
        "maria.petrova@example.bg"
    );
    assert_eq!(json["events"].as_array().unwrap().len(), 1);
    assert_eq!(json["events"][0]["id"], ev.id.get());
    assert_eq!(json["audit"][0]["action"], "create");

    let erase = lipa(&db, &["person", "erase", &p.id.to_string()]);
    assert_eq!(code(&erase), 0, "{}", stderr(&erase));
    assert!(
        stderr(&erase).contains("1 events changed"),
        "{}",
        stderr(&erase)
    );

    let store = Store::open_sqlite(&db).await.unwrap();
    let erased = store.person(p.id).await.unwrap().unwrap().record;
    assert_eq!(erased.name, format!("[изтрито лице] {}", p.id));
    assert!(erased.contacts.is_empty() && erased.position.is_empty());
    let ev = store.event(ev.id).await.unwrap().unwrap().record;
    assert_eq!(ev.participants[0].name, erased.name);
    assert_eq!(ev.agenda[0].speaker, erased.name);
    let (entries, _) = store.search_audit(&AuditSearch::default()).await.unwrap();
    store.close().await;
    let log = serde_json::to_string(&entries).unwrap();
    assert!(
        !log.contains("Мария Петрова") && !log.contains("example.bg") && !log.contains("55 12 34")
    );
    assert!(
        entries
            .iter()
            .any(|e| e.action == lipa_core::audit::AuditAction::Erase && e.actor == "cli")
    );

    let again = lipa(&db, &["person", "export", &p.id.to_string()]);
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(!json.to_string().contains("Мария Петрова"));

    for args in [["person", "export", "999"], ["person", "erase", "999"]] {
        let out = lipa(&db, &args);
        assert_eq!(code(&out), 67, "{args:?}");
        assert!(
            stderr(&out).contains("There is no person with ID 999"),
            "{}",
            stderr(&out)
        );
    }
}
