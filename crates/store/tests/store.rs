//! The store against a fresh database per test: migrations, reference data, versioned writes with
//! audit, all-or-nothing change sets, filters and facet counts.

use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::changes::ChangeSet;
use lipa_core::event::Event;
use lipa_core::ids::{
    CategoryCode, DistrictCode, Ekatte, EventId, LibraryId, MunicipalityCode, PartnerId, PersonId,
    Year,
};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::user::{Role, User};
use lipa_store::{AuditFilter, Backend, LibraryFilter, Store, StoreError};

fn library(id: u32, ekatte: &str) -> Library {
    Library {
        id: LibraryId::new(id).unwrap(),
        name: format!("Библиотека при НЧ „Тест {id}“"),
        kind: LibraryKind::Chitalishte,
        chitalishte: Some(Chitalishte {
            name: format!("Тест {id}"),
            founded: Some(Year::new(1900).unwrap()),
        }),
        settlement: Ekatte::parse(ekatte).unwrap(),
        coordinator: false,
        contacts: Contacts::default(),
    }
}

fn service(lib: u32, category: &str, group: &str) -> Service {
    Service {
        library: LibraryId::new(lib).unwrap(),
        year: Year::new(2012).unwrap(),
        category: CategoryCode::parse(category).unwrap(),
        status: ServiceStatus::Planned,
        volunteer_supported: true,
        volunteers: vec![],
        card: ServiceCard {
            name: "Предоставяне на информация на здравни теми".into(),
            target_groups: vec![group.into()],
            ..Default::default()
        },
        results: vec![],
    }
}

fn actor() -> Actor {
    Actor("test".into())
}

// 41112 гр. Кюстендил (KNL29), 29386 с. Жиленци (KNL29), 04532 гр. Бобошево (KNL05), 56784 гр. Пловдив
const KYUSTENDIL: &str = "41112";
const ZHILENTSI: &str = "29386";
const BOBOSHEVO: &str = "04532";

#[tokio::test]
async fn migrations_load_the_gazetteer_and_taxonomy_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lipa.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    let version = store.schema_version().await.unwrap();
    assert!(version >= 2, "{version}");
    assert!(store.categories().await.unwrap().len() >= 7);
    store.close().await;
    // Reopening applies nothing new.
    let store = Store::open_sqlite(&path).await.unwrap();
    assert!(store.migrate().await.unwrap().is_empty());
    let journal: String = store.pragma("journal_mode").await.unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(store.pragma("foreign_keys").await.unwrap(), "1");
}

#[tokio::test]
async fn writes_are_versioned_and_audited() {
    let store = Store::open_test().await.unwrap();
    let lib = library(708, ZHILENTSI);
    let v1 = store.create_library(&actor(), &lib).await.unwrap();
    assert_eq!(v1.version, 1);
    let mut changed = lib.clone();
    changed.name = "Библиотека при НЧ „Димитър Каляшки 1920“".into();
    let v2 = store
        .update_library(&actor(), &changed, Some(1))
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    // A stale write is refused and changes nothing.
    let mut stale = lib.clone();
    stale.name = "Друго име".into();
    let err = store
        .update_library(&actor(), &stale, Some(1))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        store.library(lib.id).await.unwrap().unwrap().record.name,
        changed.name
    );

    let history = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Library),
            entity_id: Some("708".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].action, AuditAction::Update);
    assert_eq!(
        history[0].before.as_ref().unwrap()["name"],
        lib.name.as_str()
    );
    assert_eq!(
        history[0].after.as_ref().unwrap()["name"],
        changed.name.as_str()
    );
    assert_eq!(history[1].action, AuditAction::Create);
}

#[tokio::test]
async fn invalid_records_are_refused_with_field_errors() {
    let store = Store::open_test().await.unwrap();
    let mut bad = library(1, KYUSTENDIL);
    bad.settlement = Ekatte::parse("99999").unwrap();
    let err = store.create_library(&actor(), &bad).await.unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].field, "settlement");

    store
        .create_library(&actor(), &library(2, KYUSTENDIL))
        .await
        .unwrap();
    let err = store
        .create(&actor(), &service(2, "e-nothing", "Деца"))
        .await
        .unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].code, "err-unknown-category");
    let err = store
        .create(&actor(), &service(3, "e-health", "Деца"))
        .await
        .unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].code, "err-unknown-library");
}

#[tokio::test]
async fn a_change_set_is_written_whole_or_not_at_all() {
    let store = Store::open_test().await.unwrap();
    let mut bad = library(3, BOBOSHEVO);
    bad.name = String::new();
    let cs = ChangeSet {
        libraries: vec![library(1, KYUSTENDIL), library(2, ZHILENTSI), bad],
        new_services: vec![service(1, "e-health", "Местна общност")],
        ..Default::default()
    };
    let err = store.apply(&actor(), "import test", &cs).await.unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert!(v.0[0].field.ends_with(".name"), "{v:?}");
    assert!(store.libraries().await.unwrap().is_empty());
    assert!(
        store
            .audit_entries(&AuditFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    let good = ChangeSet {
        libraries: cs.libraries[..2].to_vec(),
        new_services: cs.new_services.clone(),
        ..Default::default()
    };
    let applied = store.apply(&actor(), "import test", &good).await.unwrap();
    assert_eq!(applied.libraries_created, 2);
    assert_eq!(applied.services_created.len(), 1);
    let entries = store.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e.note == "import test"));
}

#[tokio::test]
async fn only_one_coordinator_per_district() {
    let store = Store::open_test().await.unwrap();
    let mut a = library(705, KYUSTENDIL);
    a.coordinator = true;
    let mut b = library(732, BOBOSHEVO);
    b.coordinator = true;
    store.create_library(&actor(), &a).await.unwrap();
    let err = store.create_library(&actor(), &b).await.unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].code, "err-second-coordinator");
}

#[tokio::test]
async fn filters_and_facet_counts() {
    let store = Store::open_test().await.unwrap();
    let cs = ChangeSet {
        libraries: vec![
            library(1, KYUSTENDIL),
            library(2, ZHILENTSI),
            library(3, BOBOSHEVO),
            library(4, ZHILENTSI),
        ],
        new_services: vec![
            service(1, "e-culture", "Деца"),
            service(2, "e-health", "Местна общност"),
            service(2, "e-skills", "Пенсионери"),
            service(3, "e-health", "Младежи"),
        ],
        ..Default::default()
    };
    store.apply(&actor(), "", &cs).await.unwrap();
    let kn = MunicipalityCode::parse("KNL29").unwrap();
    let f = LibraryFilter {
        municipality: Some(kn.clone()),
        category: Some(CategoryCode::parse("e-health").unwrap()),
        ..Default::default()
    };
    let (rows, total) = store.list_libraries(&f).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].library.record.id.get(), 2);
    assert_eq!(rows[0].services, 1);

    let facets = store.library_facets(&f).await.unwrap();
    let facet = |n: &str| facets.iter().find(|f| f.name == n).unwrap().values.clone();
    // Municipality counts ignore the municipality filter: e-health in KNL29 (1) and KNL05 (1).
    let m = facet("municipality");
    assert_eq!(m.len(), 2);
    assert!(m.iter().all(|v| v.count == 1));
    // Category counts ignore the category filter: in KNL29, e-culture 1, e-health 1, e-skills 1.
    let c = facet("category");
    assert_eq!(c.iter().map(|v| v.count).sum::<i64>(), 3);

    let gap = LibraryFilter {
        has_service: Some(false),
        ..Default::default()
    };
    let (rows, total) = store.list_libraries(&gap).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].library.record.id.get(), 4);

    let by_group = LibraryFilter {
        target_group: Some("местна  общност".into()),
        ..Default::default()
    };
    assert_eq!(store.list_libraries(&by_group).await.unwrap().1, 1);
    let by_district = LibraryFilter {
        district: Some(DistrictCode::parse("KNL").unwrap()),
        ..Default::default()
    };
    assert_eq!(store.list_libraries(&by_district).await.unwrap().1, 4);

    let counts = store.counts().await.unwrap();
    assert_eq!(counts.libraries, 4);
    assert_eq!(counts.services, 4);
    assert_eq!(counts.libraries_without_service, 1);
    assert_eq!(counts.by_district, vec![("KNL".to_owned(), 4)]);
}

#[tokio::test]
async fn moving_a_library_moves_its_services_in_the_filters() {
    let store = Store::open_test().await.unwrap();
    let lib = library(9, KYUSTENDIL);
    store.create_library(&actor(), &lib).await.unwrap();
    store
        .create(&actor(), &service(9, "e-health", "Деца"))
        .await
        .unwrap();
    let mut moved = lib.clone();
    moved.settlement = Ekatte::parse(BOBOSHEVO).unwrap();
    store.update_library(&actor(), &moved, None).await.unwrap();
    let f = LibraryFilter {
        municipality: Some(MunicipalityCode::parse("KNL05").unwrap()),
        category: Some(CategoryCode::parse("e-health").unwrap()),
        ..Default::default()
    };
    assert_eq!(store.list_libraries(&f).await.unwrap().1, 1);
    let counts = store.counts().await.unwrap();
    assert_eq!(counts.by_district[0].1, 1);
}

/// In a PostgreSQL plan (sequential scans disabled), a step that reads a table whole: a
/// sequential scan, or the scan of an index that filters rows without an index condition (the
/// planner's way round a missing index when sequential scans are off).
fn postgres_scans_without_index(plan: &[String]) -> bool {
    plan.join("\n").split("->").any(|step| {
        let scan = step.lines().next().unwrap_or_default();
        scan.contains("Seq Scan")
            || (scan.contains("Scan")
                && step.contains("Filter:")
                && !step.contains("Index Cond:")
                && !step.contains("Recheck Cond:"))
    })
}

/// Every statement of a filtered library list — count, page, every facet — finds its rows
/// through an index: SQLite's plan has no full scan of a table ("SCAN x" without "USING"),
/// PostgreSQL's (sequential scans disabled) no "Seq Scan".
#[tokio::test]
async fn filtered_lists_and_facets_are_answered_from_indexes() {
    let store = Store::open_test().await.unwrap();
    let cs = ChangeSet {
        libraries: vec![
            library(1, KYUSTENDIL),
            library(2, ZHILENTSI),
            library(3, BOBOSHEVO),
        ],
        new_services: vec![
            service(1, "e-culture", "Деца"),
            service(2, "e-health", "Местна общност"),
        ],
        ..Default::default()
    };
    store.apply(&actor(), "", &cs).await.unwrap();
    let filters = [
        LibraryFilter {
            district: Some(DistrictCode::parse("KNL").unwrap()),
            ..Default::default()
        },
        LibraryFilter {
            municipality: Some(MunicipalityCode::parse("KNL29").unwrap()),
            ..Default::default()
        },
        LibraryFilter {
            category: Some(CategoryCode::parse("e-health").unwrap()),
            ..Default::default()
        },
        LibraryFilter {
            municipality: Some(MunicipalityCode::parse("KNL29").unwrap()),
            category: Some(CategoryCode::parse("e-health").unwrap()),
            target_group: Some("Местна общност".into()),
            ..Default::default()
        },
    ];
    for f in &filters {
        for (statement, plan) in store.library_query_plans(f).await.unwrap() {
            let full_scan = match store.backend() {
                Backend::Sqlite => plan
                    .iter()
                    .any(|line| line.starts_with("SCAN ") && !line.contains("USING")),
                Backend::Postgres => postgres_scans_without_index(&plan),
            };
            assert!(!full_scan, "{statement} scans a table for {f:?}: {plan:?}");
        }
    }
}

/// Names sort by their folded key, code point by code point, on both backends: Latin before
/// Cyrillic, the Bulgarian alphabet in its order, a space before any letter (a linguistic
/// collation would skip the space and put "анаа" first).
#[tokio::test]
async fn names_sort_the_same_on_every_backend() {
    let store = Store::open_test().await.unwrap();
    let names = [
        "Ябълка",
        "Zora",
        "Ана Б",
        "Анаа",
        "ана в",
        "Щит",
        "Юг",
        "Ъгъл",
        "Ёлха",
    ];
    let libraries = names
        .iter()
        .enumerate()
        .map(|(i, name)| Library {
            name: (*name).into(),
            ..library(u32::try_from(i).unwrap() + 1, ZHILENTSI)
        })
        .collect();
    let cs = ChangeSet {
        libraries,
        ..Default::default()
    };
    store.apply(&actor(), "", &cs).await.unwrap();
    let (rows, _) = store
        .list_libraries(&LibraryFilter {
            sort: lipa_store::LibrarySort::Name,
            ..Default::default()
        })
        .await
        .unwrap();
    let sorted: Vec<&str> = rows
        .iter()
        .map(|r| r.library.record.name.as_str())
        .collect();
    assert_eq!(
        sorted,
        [
            "Zora",
            "Ана Б",
            "ана в",
            "Анаа",
            "Щит",
            "Ъгъл",
            "Юг",
            "Ябълка",
            "Ёлха"
        ]
    );
}

fn person(name: &str) -> Person {
    Person {
        name: name.into(),
        position: String::new(),
        organisation: String::new(),
        partner_id: None,
        library: None,
        contacts: PersonalContacts::default(),
    }
}

/// A meeting in Kyustendil with one participant, a person of the registry.
fn meeting_with(person_id: PersonId, name: &str) -> Event {
    serde_json::from_value(serde_json::json!({
        "title": "Регионална среща",
        "starts": "2012-06-06",
        "ends": "2012-06-07",
        "settlement": KYUSTENDIL,
        "participants": [{"person_id": person_id, "name": name}],
    }))
    .unwrap()
}

#[tokio::test]
async fn erasing_a_person_leaves_the_history_of_another_persons_events_alone() {
    let store = Store::open_test().await.unwrap();
    let erased = store
        .create(&actor(), &person("Иван Петров"))
        .await
        .unwrap();
    // Another person whose ID starts with the erased one's digits (5 and 50) and whose name
    // starts with the erased one's name.
    let other = loop {
        let p = store
            .create(&actor(), &person("Иван Петрова"))
            .await
            .unwrap();
        if p.id.to_string().starts_with(&erased.id.to_string()) {
            break p;
        }
    };
    let mine = store
        .create(&actor(), &meeting_with(erased.id, "Иван Петров"))
        .await
        .unwrap();
    let theirs = store
        .create(&actor(), &meeting_with(other.id, "Иван Петрова"))
        .await
        .unwrap();
    let mut changed = meeting_with(other.id, "Иван Петрова");
    changed.venue = "Зала 1".into();
    store
        .replace(&actor(), theirs.id, &changed, None)
        .await
        .unwrap();
    let history = |id: EventId| {
        let store = store.clone();
        async move {
            store
                .audit_entries(&AuditFilter {
                    entity: Some(EntityKind::Event),
                    entity_id: Some(id.to_string()),
                    ..Default::default()
                })
                .await
                .unwrap()
        }
    };
    let before = history(theirs.id).await;
    assert_eq!(before.len(), 2);

    let done = store.erase_person(&actor(), erased.id).await.unwrap();
    assert_eq!(done.events, vec![mine.id]);
    assert_eq!(history(theirs.id).await, before);
    let theirs_now = store.event(theirs.id).await.unwrap().unwrap().record;
    assert_eq!(theirs_now.participants[0].name, "Иван Петрова");
    // The erased person's own event is scrubbed, history included.
    let mine_history = serde_json::to_string(&history(mine.id).await).unwrap();
    assert!(!mine_history.contains("Иван Петров\""), "{mine_history}");
}

#[tokio::test]
async fn constraint_failures_are_told_apart_by_kind() {
    let store = Store::open_test().await.unwrap();
    store
        .create_library(&actor(), &library(705, KYUSTENDIL))
        .await
        .unwrap();
    let err = store
        .create_library(&actor(), &library(705, ZHILENTSI))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::AlreadyExists { entity: "library", ref id } if id == "705"),
        "{err:?}"
    );
    let user = |login: &str| User {
        login: login.into(),
        display_name: "Мария".into(),
        role: Role::Viewer,
        disabled: false,
    };
    store
        .create_user(&actor(), &user("maria"), None)
        .await
        .unwrap();
    let err = store
        .create_user(&actor(), &user("maria"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::AlreadyExists { entity: "user", .. }),
        "{err:?}"
    );
    // A person of a partner that does not exist: the foreign key refuses it.
    let mut orphan = person("Петър Петров");
    orphan.partner_id = Some(PartnerId::new(999_999));
    let err = store.create(&actor(), &orphan).await.unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].code, "err-reference");
}
