//! The store against a fresh database per test: migrations, reference data, versioned writes with
//! audit, all-or-nothing change sets, filters and facet counts.

use lipa_core::activity_log::{ActivityEntry, ActivityKind, PeopleReached};
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::changes::{ChangeSet, ServiceRef};
use lipa_core::event::Event;
use lipa_core::ids::{
    CategoryCode, DistrictCode, Ekatte, EventId, LibraryId, MunicipalityCode, PartnerId, PersonId,
    RecordKey, Year,
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

#[tokio::test]
async fn a_bulk_load_writes_every_batch_or_none() {
    let store = Store::open_test().await.unwrap();
    let first = ChangeSet {
        libraries: vec![library(501, KYUSTENDIL), library(502, ZHILENTSI)],
        new_services: vec![
            service(501, "e-health", "Пенсионери"),
            service(502, "e-skills", "Деца"),
        ],
        ..Default::default()
    };
    let broken = ChangeSet {
        libraries: vec![library(503, BOBOSHEVO)],
        new_services: vec![
            service(503, "e-health", "Пенсионери"),
            service(999_999, "e-health", "Пенсионери"),
        ],
        ..Default::default()
    };
    let mut load = store.bulk_load(&actor(), "bulk").await.unwrap();
    assert!(!load.has_libraries().await.unwrap());
    load.apply(&first).await.unwrap();
    assert!(load.has_libraries().await.unwrap());
    let err = load.apply(&broken).await.unwrap_err();
    let StoreError::Invalid(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.0[0].field, "services[1].library", "{v:?}");
    drop(load);
    assert_eq!(store.counts().await.unwrap().libraries, 0, "nothing of it");
    assert_eq!(store.last_audit_id().await.unwrap(), 0);

    let mut load = store.bulk_load(&actor(), "bulk").await.unwrap();
    let a = load.apply(&first).await.unwrap();
    let mut fixed = broken.clone();
    fixed.new_services.pop();
    let b = load.apply(&fixed).await.unwrap();
    load.commit().await.unwrap();
    assert_eq!(a.libraries_created + b.libraries_created, 3);
    assert_eq!(a.services_created.len() + b.services_created.len(), 3);
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.libraries, counts.services), (3, 3));
    // Each record as the one-by-one path writes it: its place copied, its target groups
    // linked, one audit entry (naming the load, without a copy of the record).
    let id = b.services_created[0];
    let s = store.service(id).await.unwrap().unwrap();
    assert_eq!(s.record, fixed.new_services[0]);
    assert_eq!(s.version, 1);
    let f = LibraryFilter {
        district: Some(DistrictCode::parse("KNL").unwrap()),
        municipality: Some(MunicipalityCode::parse("KNL05").unwrap()),
        target_group: Some("пенсионери".into()),
        limit: 10,
        ..Default::default()
    };
    let (rows, total) = store.list_libraries(&f).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].library.id, LibraryId::new(503).unwrap());
    let entries = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Service),
            entity_id: Some(id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, AuditAction::Create);
    assert_eq!(entries[0].note, "bulk");
    assert!(entries[0].after.is_none() && entries[0].before.is_none());
    // IDs are taken after the ones there: a later one-by-one write gets the next.
    let later = store
        .create(&actor(), &service(501, "e-culture", "Деца"))
        .await
        .unwrap();
    assert!(later.id.raw() > id.raw());
}

/// A deterministic pseudo-random sequence for the write mix below.
struct Mix(u64);

impl Mix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Random writes for the tests that compare kept figures with plain SQL: new libraries, moved
/// ones (between districts), libraries deleted with their services; services created, changed in
/// every counted way (category, status, year, volunteers, 0–2 target groups in varying
/// spellings, another library) and deleted.
struct Writes {
    mix: Mix,
    libraries: Vec<u32>,
    services: Vec<(lipa_core::ids::ServiceId, u32)>,
}

const CATEGORIES: [&str; 4] = ["e-health", "e-skills", "e-culture", "e-business"];

impl Writes {
    fn new(seed: u64) -> Self {
        Writes {
            mix: Mix(seed),
            libraries: Vec::new(),
            services: Vec::new(),
        }
    }

    /// One write (or none, when the draw needs records that are not there yet).
    async fn step(&mut self, store: &Store, step: usize) {
        let places = [KYUSTENDIL, ZHILENTSI, BOBOSHEVO, "56784", "68134"];
        let groups = ["Деца", "деца", "Пенсионери", "Младежи", "Безработни"];
        let (mix, libraries, services) = (&mut self.mix, &mut self.libraries, &mut self.services);
        match mix.below(10) {
            // A new library, or one moved to another settlement (and district).
            0 | 1 => {
                let id = 700 + mix.below(40) as u32;
                let lib = library(id, places[mix.below(places.len())]);
                if libraries.contains(&id) {
                    store.update_library(&actor(), &lib, None).await.unwrap();
                } else {
                    store.create_library(&actor(), &lib).await.unwrap();
                    libraries.push(id);
                }
            }
            // A library deleted with its services.
            2 if step.is_multiple_of(5) && !libraries.is_empty() => {
                let id = libraries.swap_remove(mix.below(libraries.len()));
                store
                    .delete_library(&actor(), LibraryId::new(id).unwrap(), None)
                    .await
                    .unwrap();
                services.retain(|(_, lib)| *lib != id);
            }
            // A service deleted.
            3 if !services.is_empty() => {
                let (id, _) = services.swap_remove(mix.below(services.len()));
                store.delete::<Service>(&actor(), id, None).await.unwrap();
            }
            // A service created, or one changed in every counted way.
            _ if !libraries.is_empty() => {
                let lib = libraries[mix.below(libraries.len())];
                let mut s = service(lib, CATEGORIES[mix.below(CATEGORIES.len())], "Деца");
                s.card.target_groups = (0..mix.below(3))
                    .map(|_| groups[mix.below(groups.len())].to_owned())
                    .collect();
                s.status = ServiceStatus::ALL[mix.below(ServiceStatus::ALL.len())];
                if s.status.is_published() && s.card.target_groups.is_empty() {
                    s.card.target_groups.push("Деца".into());
                }
                s.year = Year::new(2012 + mix.below(3) as i32).unwrap();
                s.volunteer_supported = mix.below(2) == 0;
                if !services.is_empty() && mix.below(2) == 0 {
                    let k = mix.below(services.len());
                    store
                        .replace(&actor(), services[k].0, &s, None)
                        .await
                        .unwrap();
                    services[k].1 = lib;
                } else {
                    let v = store.create(&actor(), &s).await.unwrap();
                    services.push((v.id, lib));
                }
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn kept_counts_equal_plain_counts_after_random_writes() {
    let store = Store::open_test().await.unwrap();
    let mut writes = Writes::new(11);
    for step in 0..400 {
        writes.step(&store, step).await;
    }
    let services = &writes.services;
    assert!(
        services.len() > 20,
        "the mix wrote something: {}",
        services.len()
    );
    let plain = |sql: &str| {
        let store = store.clone();
        let sql = sql.to_owned();
        async move { store.numbers_for_test(&sql).await.unwrap() }
    };
    const PUBLISHED: &str = "status IN ('planned', 'active', 'completed')";
    let counts = store.counts().await.unwrap();
    let n = |rows: Vec<Vec<i64>>| rows[0][0];
    assert_eq!(
        counts.services,
        n(plain(&format!("SELECT COUNT(*) FROM services WHERE {PUBLISHED}")).await)
    );
    assert_eq!(
        counts.volunteer_services,
        n(plain(&format!(
            "SELECT COUNT(*) FROM services WHERE volunteer_supported = 1 AND {PUBLISHED}"
        ))
        .await)
    );
    assert_eq!(
        counts.libraries_without_service,
        n(plain(&format!(
            "SELECT COUNT(*) FROM libraries l WHERE NOT EXISTS
               (SELECT 1 FROM services s WHERE s.library_id = l.id AND s.{PUBLISHED})"
        ))
        .await)
    );
    let by_category: Vec<(String, i64)> = {
        let mut v = Vec::new();
        for c in CATEGORIES {
            let k = n(plain(&format!(
                "SELECT COUNT(*) FROM services WHERE category = '{c}' AND {PUBLISHED}"
            ))
            .await);
            if k > 0 {
                v.push((c.to_owned(), k));
            }
        }
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    assert_eq!(counts.by_category, by_category);
    // Every cell of the category matrix, nationally and in Kyustendil, every year and each.
    let knl = DistrictCode::parse("KNL").unwrap();
    for district in [None, Some(&knl)] {
        for year in [None, Some(Year::new(2013).unwrap())] {
            let cells = store.category_matrix(district, year).await.unwrap();
            let place = if district.is_some() {
                "municipality_code"
            } else {
                "district_code"
            };
            let mut sql = format!("SELECT COUNT(*) FROM services WHERE {PUBLISHED}");
            if district.is_some() {
                sql.push_str(" AND district_code = 'KNL'");
            }
            if let Some(y) = year {
                sql.push_str(&format!(" AND year = {}", y.get()));
            }
            let total: i64 = cells.iter().map(|c| c.services).sum();
            assert_eq!(total, n(plain(&sql).await), "{district:?} {year:?}");
            for c in &cells {
                let cell = format!(
                    "{sql} AND category = '{}' AND {place} = '{}'",
                    c.category, c.place
                );
                assert_eq!(c.services, n(plain(&cell).await), "{c:?}");
            }
            let years = store.report_years(district).await.unwrap();
            let mut sql = format!("SELECT DISTINCT year FROM services WHERE {PUBLISHED}");
            if district.is_some() {
                sql.push_str(" AND district_code = 'KNL'");
            }
            sql.push_str(" ORDER BY year");
            let plain_years: Vec<i64> = plain(&sql).await.into_iter().map(|r| r[0]).collect();
            let kept: Vec<i64> = years.iter().map(|y| i64::from(y.get())).collect();
            assert_eq!(kept, plain_years);
        }
    }
    assert_eq!(
        counts.libraries,
        n(plain("SELECT COUNT(*) FROM libraries").await)
    );
    for (d, k) in store.report_districts().await.unwrap() {
        let sql = format!("SELECT COUNT(*) FROM libraries WHERE district_code = '{d}'");
        assert_eq!(k, n(plain(&sql).await), "{d}");
    }
    let districts = n(plain("SELECT COUNT(DISTINCT district_code) FROM libraries").await);
    assert_eq!(
        store.report_districts().await.unwrap().len() as i64,
        districts
    );
    for (m, k) in store.library_places(Some(&knl)).await.unwrap() {
        let sql = format!("SELECT COUNT(*) FROM libraries WHERE municipality_code = '{m}'");
        assert_eq!(k, n(plain(&sql).await), "{m}");
    }
    for cell in store.volunteer_support(None).await.unwrap() {
        let sql = format!(
            "SELECT COUNT(*), CAST(SUM(volunteer_supported) AS BIGINT) FROM services WHERE {PUBLISHED}
             AND district_code = '{}' AND category = '{}'",
            cell.district, cell.category
        );
        let row = &plain(&sql).await[0];
        assert_eq!(
            (cell.services, cell.volunteer_services),
            (row[0], row[1]),
            "{cell:?}"
        );
    }
}

/// The facet index against SQL: after every few random writes (new, moved and deleted
/// libraries; services created, changed in every faceted way, deleted), the index is caught up
/// from the change log and must give, for filters drawn at random, the same count, the same
/// page in programme-ID order and the same facet counts as the SQL of the lists. A fresh build
/// at the end must agree too.
#[tokio::test]
async fn the_facet_index_counts_what_sql_counts_after_random_writes() {
    use lipa_core::geo::SettlementKind;
    use lipa_store::FacetIndex;

    let store = Store::open_test().await.unwrap();
    let index = FacetIndex::new();
    index.catch_up(&store).await.unwrap();
    assert!(index.ready(), "an empty registry is indexed at once");
    let mut writes = Writes::new(29);
    let mut compared = 0;
    for step in 0..360 {
        writes.step(&store, step).await;
        if step % 40 == 39 {
            index.catch_up(&store).await.unwrap();
            for _ in 0..25 {
                let f = random_filter(&mut writes.mix, &writes.libraries);
                compare(&store, &index, &f).await;
                compared += 1;
            }
        }
    }
    assert!(
        writes.services.len() > 20,
        "the mix wrote: {}",
        writes.services.len()
    );
    let fresh = FacetIndex::new();
    fresh.catch_up(&store).await.unwrap();
    for _ in 0..40 {
        let f = random_filter(&mut writes.mix, &writes.libraries);
        compare(&store, &index, &f).await;
        compare(&store, &fresh, &f).await;
        compared += 1;
    }
    // A filter that every list has: none.
    compare(&store, &index, &LibraryFilter::default()).await;
    assert!(compared > 200);
    // The target groups' report, nationally and by district.
    for d in [None, Some("KNL"), Some("PDV"), Some("VTR")] {
        let d = d.map(|d| DistrictCode::parse(d).unwrap());
        let sql = store.target_group_reach(d.as_ref()).await.unwrap();
        assert_eq!(index.target_group_reach(d.as_ref()).unwrap(), sql, "{d:?}");
        assert_eq!(fresh.target_group_reach(d.as_ref()).unwrap(), sql, "{d:?}");
    }

    fn random_filter(mix: &mut Mix, libraries: &[u32]) -> LibraryFilter {
        let pick = |mix: &mut Mix, n: usize| mix.below(n);
        let mut f = LibraryFilter::default();
        if pick(mix, 3) == 0 {
            f.district = Some(DistrictCode::parse(["KNL", "PDV", "SOF"][pick(mix, 3)]).unwrap());
        }
        if pick(mix, 5) == 0 {
            f.municipality =
                Some(MunicipalityCode::parse(["KNL29", "KNL05"][pick(mix, 2)]).unwrap());
        }
        if pick(mix, 5) == 0 {
            f.settlement_kind = Some([SettlementKind::Town, SettlementKind::Village][pick(mix, 2)]);
        }
        if pick(mix, 3) == 0 {
            f.category = Some(
                CategoryCode::parse(["e-health", "e-skills", "e-culture"][pick(mix, 3)]).unwrap(),
            );
        }
        if pick(mix, 3) == 0 {
            f.year = Some(Year::new(2012 + pick(mix, 4) as i32).unwrap());
        }
        if pick(mix, 4) == 0 {
            f.status = Some(ServiceStatus::ALL[pick(mix, 5)]);
        }
        if pick(mix, 4) == 0 {
            f.volunteers = Some(pick(mix, 2) == 0);
        }
        if pick(mix, 4) == 0 {
            f.target_group = Some(["ДЕЦА", "пенсионери", "Никой"][pick(mix, 3)].to_owned());
        }
        if pick(mix, 6) == 0 {
            f.has_service = Some(pick(mix, 2) == 0);
        }
        if pick(mix, 6) == 0 && !libraries.is_empty() {
            f.ids = Some(
                (0..5)
                    .map(|_| LibraryId::new(libraries[pick(mix, libraries.len())]).unwrap())
                    .collect(),
            );
        }
        f.limit = 1 + pick(mix, 8) as i64;
        f.offset = pick(mix, 4) as i64;
        f
    }

    async fn compare(store: &Store, index: &FacetIndex, f: &LibraryFilter) {
        let (rows, total) = store.list_libraries(f).await.unwrap();
        let selection = index.select(f).expect("built");
        assert_eq!(selection.total, total, "count of {f:?}");
        let ids: Vec<u32> = rows.iter().map(|r| r.library.id.get()).collect();
        assert_eq!(
            selection.page.as_deref(),
            Some(&ids[..]),
            "page of {f:?} (total {total})"
        );
        let page = store
            .library_rows(f, selection.page.as_deref().unwrap())
            .await
            .unwrap();
        let counted: Vec<(u32, i64)> = page
            .iter()
            .map(|r| (r.library.id.get(), r.services))
            .collect();
        let expected: Vec<(u32, i64)> = rows
            .iter()
            .map(|r| (r.library.id.get(), r.services))
            .collect();
        assert_eq!(counted, expected, "rows of {f:?}");
        let sql = store.library_facets(f).await.unwrap();
        let kept = index.facets(f).expect("built");
        assert_eq!(kept, sql, "facets of {f:?}");
    }
}

// --- the activity log of a service -----------------------------------------------------------

fn logged(service: lipa_core::ids::ServiceId, day: i8, count: u32) -> ActivityEntry {
    ActivityEntry {
        service_id: service,
        date: jiff::civil::date(2012, 10, day),
        kind: ActivityKind::Training,
        hours: 2.5,
        volunteers: 1,
        volunteer_hours: 2.0,
        reached: vec![PeopleReached {
            target_group: "Пенсионери".into(),
            count,
            estimated: day % 2 == 0,
        }],
        note: String::new(),
    }
}

#[tokio::test]
async fn a_services_activities_are_listed_by_date_and_go_with_it() {
    let store = Store::open_test().await.unwrap();
    store
        .create_library(&actor(), &library(708, ZHILENTSI))
        .await
        .unwrap();
    let s = store
        .create(&actor(), &service(708, "e-health", "Пенсионери"))
        .await
        .unwrap();
    let other = store
        .create(&actor(), &service(708, "e-skills", "Младежи"))
        .await
        .unwrap();
    let late = store.create(&actor(), &logged(s.id, 20, 12)).await.unwrap();
    let early = store.create(&actor(), &logged(s.id, 4, 30)).await.unwrap();
    let kept = store
        .create(&actor(), &logged(other.id, 5, 7))
        .await
        .unwrap();
    let list = store.service_activities(s.id).await.unwrap();
    assert_eq!(
        list.iter().map(|a| a.id).collect::<Vec<_>>(),
        [early.id, late.id],
        "by date, not as entered"
    );
    assert_eq!(list[0].record, logged(s.id, 4, 30), "stored as written");

    // A change is versioned; a stale one is refused.
    let mut changed = logged(s.id, 20, 15);
    changed.note = "Втора група".into();
    let v2 = store
        .replace(&actor(), late.id, &changed, Some(1))
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    assert!(matches!(
        store.replace(&actor(), late.id, &changed, Some(1)).await,
        Err(StoreError::Conflict { .. })
    ));

    // An entry of a service that does not exist, or that breaks a rule, is refused.
    let missing = lipa_core::ids::ServiceId::new(999_999);
    let err = store
        .create(&actor(), &logged(missing, 4, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(v) if v.0[0].field == "service_id"),
        "{err:?}"
    );
    let mut bad = logged(s.id, 4, 1);
    bad.hours = -1.0;
    assert!(matches!(
        store.create(&actor(), &bad).await,
        Err(StoreError::Invalid(_))
    ));

    // The service's delete takes its log with it, each entry with an audit entry of its own.
    store.delete::<Service>(&actor(), s.id, None).await.unwrap();
    assert!(store.service_activities(s.id).await.unwrap().is_empty());
    assert!(store.activity(early.id).await.unwrap().is_none());
    let history = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Activity),
            entity_id: Some(early.id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|h| h.action).collect::<Vec<_>>(),
        [AuditAction::Delete, AuditAction::Create]
    );
    // Another service's log is untouched.
    assert_eq!(
        store
            .activities_of(&[s.id, other.id])
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [kept.id]
    );
    // And a library's delete takes its services' logs.
    store
        .delete_library(&actor(), LibraryId::new(708).unwrap(), None)
        .await
        .unwrap();
    assert!(store.activities().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_change_set_writes_activities_for_new_and_stored_services() {
    let store = Store::open_test().await.unwrap();
    store
        .create_library(&actor(), &library(708, ZHILENTSI))
        .await
        .unwrap();
    let stored = store
        .create(&actor(), &service(708, "e-health", "Пенсионери"))
        .await
        .unwrap();
    let placeholder = lipa_core::ids::ServiceId::new(0);
    let cs = ChangeSet {
        new_services: vec![service(708, "e-skills", "Младежи")],
        new_activities: vec![
            (ServiceRef::New(0), logged(placeholder, 4, 10)),
            (ServiceRef::Stored(stored.id), logged(placeholder, 5, 11)),
        ],
        ..Default::default()
    };
    let applied = store.apply(&actor(), "test", &cs).await.unwrap();
    assert_eq!(applied.activities_created.len(), 2);
    let new_service = applied.services_created[0];
    assert_eq!(
        store.service_activities(new_service).await.unwrap()[0].record,
        logged(new_service, 4, 10)
    );
    assert_eq!(
        store.service_activities(stored.id).await.unwrap()[0].record,
        logged(stored.id, 5, 11)
    );

    // A bad entry fails the whole set: not even its service is written.
    let mut bad = logged(placeholder, 6, 1);
    bad.reached[0].target_group = " ".into();
    let cs = ChangeSet {
        new_services: vec![service(708, "e-culture", "Деца")],
        new_activities: vec![(ServiceRef::New(0), bad)],
        ..Default::default()
    };
    let err = store.apply(&actor(), "test", &cs).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(v) if v.0[0].field == "activities[0].reached[0].target_group"),
        "{err:?}"
    );
    assert_eq!(store.services().await.unwrap().len(), 2);
}
