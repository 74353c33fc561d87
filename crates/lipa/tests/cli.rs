//! The `lipa` command as a script would use it: the seed imports with exactly the figures of the
//! report, bad input is refused whole with every bad row named, exports round-trip, exit codes
//! mean what they say.

mod common;
use common::{lipa, stderr};
use std::path::{Path, PathBuf};
use std::process::Output;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/kyustendil-2012.txt"
);

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("lipa.db")
}

fn export_json(db: &Path) -> serde_json::Value {
    let out = lipa(db, &["export", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}

#[test]
fn the_seed_imports_with_the_reports_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = lipa(&db, &["import", SEED]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Libraries: 18 new, 0 changed, 0 unchanged"),
        "{err}"
    );
    assert!(
        err.contains("Services: 15 new, 0 changed, 0 unchanged"),
        "{err}"
    );
    // The lines of the article before the table are counted.
    let text = std::fs::read_to_string(SEED).unwrap();
    let header = text
        .lines()
        .position(|l| l.starts_with("ID Име на библиотеката"))
        .unwrap();
    assert!(
        err.contains(&format!("{header} lines before it were skipped")),
        "{err}"
    );

    let reg = export_json(&db);
    let libraries = reg["libraries"].as_array().unwrap();
    let services = reg["services"].as_array().unwrap();
    assert_eq!(libraries.len(), 18);
    assert_eq!(services.len(), 15);
    let count = |cat: &str| services.iter().filter(|s| s["category"] == cat).count();
    assert_eq!(
        [
            count("e-health"),
            count("e-culture"),
            count("e-inclusion"),
            count("e-education"),
            count("e-business"),
            count("e-skills")
        ],
        [5, 3, 2, 2, 2, 1]
    );
    for id in [732, 764, 3069] {
        assert!(
            !services.iter().any(|s| s["library"] == id),
            "{id} has no service"
        );
    }
    let municipalities: std::collections::BTreeSet<String> = libraries
        .iter()
        .map(|l| {
            let ekatte = l["settlement"].as_str().unwrap();
            lipa_core::geo::Gazetteer::get()
                .settlement(ekatte)
                .unwrap()
                .municipality
                .to_string()
        })
        .collect();
    assert_eq!(municipalities.len(), 7);
    assert!(municipalities.iter().all(|m| m.starts_with("KNL")));
    let lib = |id: u32| libraries.iter().find(|l| l["id"] == id).unwrap();
    let svc = |id: u32| services.iter().find(|s| s["library"] == id).unwrap();
    assert_eq!(lib(705)["kind"], "regional");
    assert!(
        lib(705)["name"]
            .as_str()
            .unwrap()
            .contains("Емануил Попдимитров")
    );
    assert_eq!(lib(705)["settlement"], "41112");
    assert_eq!(svc(705)["category"], "e-education");
    assert_eq!(
        svc(705)["card"]["target_groups"][0],
        "Деца с двигателни увреждания"
    );
    let g = lipa_core::geo::Gazetteer::get();
    assert_eq!(
        g.settlement(lib(707)["settlement"].as_str().unwrap())
            .unwrap()
            .name_bg,
        "Шишковци"
    );
    assert_eq!(
        svc(707)["card"]["target_groups"][0],
        "Ученици, завършващи 4-ти и 7-ми клас"
    );
    assert_eq!(
        g.settlement(lib(759)["settlement"].as_str().unwrap())
            .unwrap()
            .name_bg,
        "Сапарева баня"
    );

    // Importing the same table again changes nothing.
    let again = lipa(&db, &["import", SEED]);
    let err = stderr(&again);
    assert!(again.status.success(), "{err}");
    assert!(
        err.contains("Libraries: 0 new, 0 changed, 18 unchanged"),
        "{err}"
    );
    assert!(err.contains("Nothing to change"), "{err}");
}

#[test]
fn bad_rows_are_all_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let text = std::fs::read_to_string(SEED).unwrap();
    let bad = text
        .replace(
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево с. Несъществуващо",
        )
        .replace("3007 БИБЛИОТЕКА", "734 БИБЛИОТЕКА");
    let file = dir.path().join("bad.txt");
    std::fs::write(&file, &bad).unwrap();
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let out = lipa(&db, &["import", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.contains(&format!("Line {}", line_of("Несъществуващо"))),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "Line {}",
            line_of("734 БИБЛИОТЕКА ПРИ НЧ СВЕТЛИНА-1913")
        )),
        "{err}"
    );
    assert!(err.contains("Nothing was written"), "{err}");
    let reg = export_json(&db);
    assert!(reg["libraries"].as_array().unwrap().is_empty());

    // --dry-run on a good file previews, writes nothing, exits 0.
    let out = lipa(&db, &["import", "--dry-run", SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(export_json(&db)["libraries"].as_array().unwrap().is_empty());

    // A missing file is exit 66.
    assert_eq!(
        lipa(&db, &["import", "/nonexistent/file.txt"])
            .status
            .code(),
        Some(66)
    );
}

#[test]
fn unicode_text_imports_and_says_so_and_an_unreadable_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let text = std::fs::read_to_string(SEED).unwrap();
    // Windows' "Unicode text": UTF-16 little-endian with its byte-order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    // Without its mark it cannot be told from a binary file: refused, nothing written.
    let bare = dir.path().join("bare.txt");
    std::fs::write(&bare, &utf16[2..]).unwrap();
    let out = lipa(&db, &["import", bare.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("“CSV UTF-8"), "{}", stderr(&out));
    assert!(export_json(&db)["libraries"].as_array().unwrap().is_empty());

    let file = dir.path().join("unicode.txt");
    std::fs::write(&file, &utf16).unwrap();
    let out = lipa(&db, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Read as UTF-16LE with a byte-order mark."),
        "{}",
        stderr(&out)
    );
    assert_eq!(export_json(&db)["libraries"].as_array().unwrap().len(), 18);
}

#[test]
fn json_and_csv_exports_import_back_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.db");
    assert!(lipa(&first, &["demo"]).status.success());
    let original = export_json(&first);
    for format in ["json", "csv", "xlsx"] {
        let file = dir.path().join(format!("export.{format}"));
        let out = lipa(
            &first,
            &["export", "--format", format, "-o", file.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let second = dir.path().join(format!("second-{format}.db"));
        let out = lipa(&second, &["import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let back = export_json(&second);
        assert_eq!(
            back["libraries"], original["libraries"],
            "{format}: libraries differ"
        );
        assert_eq!(
            back["services"], original["services"],
            "{format}: services differ"
        );
        if format == "json" {
            assert_eq!(back["partners"], original["partners"]);
            assert_eq!(back["events"], original["events"]);
        }
    }
    // The CSV export starts with a BOM so that Excel shows Cyrillic.
    let csv = std::fs::read(dir.path().join("export.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn demo_loads_the_meeting_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let out = lipa(&db, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reg = export_json(&db);
    assert_eq!(reg["events"].as_array().unwrap().len(), 1);
    assert_eq!(reg["events"][0]["starts"], "2012-06-06");
    assert_eq!(
        reg["events"][0]["working_groups"].as_array().unwrap().len(),
        5
    );
    assert!(reg["partners"].as_array().unwrap().len() >= 8);
    let again = lipa(&db, &["demo"]);
    assert!(stderr(&again).contains("already"), "{}", stderr(&again));
    assert_eq!(export_json(&db), reg);
}

#[test]
fn migrate_reports_the_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = lipa(&db(&dir), &["db", "migrate"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("schema version"), "{}", stderr(&out));
}

/// The seed imported into the test database (PostgreSQL when `LIPA_TEST_DATABASE_URL` is set,
/// else a second SQLite file) exports exactly as from a SQLite file: same records, same order.
#[tokio::test]
async fn the_test_database_imports_and_exports_as_a_sqlite_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = db(&dir);
    let postgres = lipa_app::testing::TestDatabase::from_env().await.unwrap();
    let other = match &postgres {
        Some(database) => PathBuf::from(database.url()),
        None => dir.path().join("other.db"),
    };
    for target in [&sqlite, &other] {
        let out = lipa(target, &["import", SEED]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = lipa(target, &["demo"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(lipa(target, &["db", "migrate"]).status.success());
    }
    let expected = export_json(&sqlite);
    assert!(!expected["services"].as_array().unwrap().is_empty());
    assert_eq!(export_json(&other), expected);
    let csv = |db: &Path| lipa(db, &["export", "--format", "csv"]).stdout;
    assert_eq!(csv(&other), csv(&sqlite));
}

#[test]
fn the_geojson_export_holds_every_library_longitude_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    assert!(lipa(&db, &["demo"]).status.success());
    let registry = export_json(&db);
    let file = dir.path().join("libraries.geojson");
    let out = lipa(
        &db,
        &[
            "export",
            "--format",
            "geojson",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    let ids: Vec<&serde_json::Value> = features.iter().map(|f| &f["id"]).collect();
    let expected: Vec<&serde_json::Value> = registry["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["id"])
        .collect();
    assert_eq!(ids, expected);
    let services: i64 = features
        .iter()
        .map(|f| f["properties"]["services"].as_i64().unwrap())
        .sum();
    assert_eq!(
        services,
        registry["services"].as_array().unwrap().len() as i64
    );
    for f in features {
        // The demo is in Kyustendil district: about 22.5–23.2° E, 42.0–42.6° N.
        let pos = &f["geometry"]["coordinates"];
        assert!((22.3..23.3).contains(&pos[0].as_f64().unwrap()), "{pos}");
        assert!((41.9..42.7).contains(&pos[1].as_f64().unwrap()), "{pos}");
    }
    // To standard output, the same collection.
    let out = lipa(&db, &["export", "--format", "geojson"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        v
    );
}

/// A file that adds only entries to services' activity logs says so in its preview and after
/// the import (not "nothing to change"), and a second import of it adds nothing.
#[test]
fn an_import_names_the_activity_log_entries_it_adds() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    assert!(lipa(&db, &["demo"]).status.success());
    let mut reg = export_json(&db);
    let service = reg["services"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["library"] == 722)
        .unwrap();
    reg["activities"] = serde_json::json!([
        {"service": service, "date": "2012-10-04", "kind": "training", "hours": 3,
         "reached": [{"target_group": "Пенсионери", "count": 12}]},
        {"service": service, "date": "2012-11-15", "kind": "consultation", "hours": 1.5,
         "reached": [{"target_group": "Пенсионери", "count": 8, "estimated": true}]}
    ]);
    let file = dir.path().join("log.json");
    std::fs::write(&file, serde_json::to_vec(&reg).unwrap()).unwrap();
    let said = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o));

    let dry = lipa(&db, &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        said(&dry).contains("Activity log entries: 2 new."),
        "{}",
        said(&dry)
    );
    assert!(
        export_json(&db).get("activities").is_none(),
        "a dry run writes nothing"
    );

    let out = lipa(&db, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        said(&out).contains("Activity log entries imported: 2."),
        "{}",
        said(&out)
    );
    assert_eq!(export_json(&db)["activities"].as_array().unwrap().len(), 2);

    let again = lipa(&db, &["import", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        !said(&again).contains("Activity log entries"),
        "{}",
        said(&again)
    );
    assert_eq!(export_json(&db)["activities"].as_array().unwrap().len(), 2);
}
