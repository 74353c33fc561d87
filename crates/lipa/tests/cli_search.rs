//! `lipa search reindex` on a temporary database: the index it rebuilds from the store answers
//! exactly as the index a server kept current from the change log.

mod common;
use common::lipa;
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::ids::{CategoryCode, LibraryId, Year};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_search::{Query, SearchIndex, Viewer};

/// Queries whose answers must be the same, hit for hit, from both indexes.
const QUERIES: &[&str] = &[
    "kiustendil",
    "овощарите",
    "Бабошево",
    "Пробуда",
    "компютърна грам",
    "Ремонт на читалищния салон",
];

/// Every hit of every query (kind, ID, library, title, snippet), as a signed-in admin sees them.
fn answers(index: &SearchIndex) -> Vec<Vec<String>> {
    QUERIES
        .iter()
        .map(|q| {
            let query = Query::new(*q)
                .limit(1000)
                .viewer(Viewer::SignedIn(lipa_core::user::Role::Admin));
            let r = index.search(&query).unwrap();
            let mut hits: Vec<String> = r
                .hits
                .iter()
                .map(|h| {
                    format!(
                        "{}:{} {:?} {} | {}",
                        h.kind.code(),
                        h.id,
                        h.library_id,
                        h.title,
                        h.snippet_html
                    )
                })
                .collect();
            // Equal scores may come in either order: the set and the total are what must agree.
            hits.sort();
            hits.push(format!("total {} facets {:?}", r.total, r.facets));
            hits
        })
        .collect()
}

#[tokio::test]
async fn reindex_rebuilds_the_index_that_the_change_log_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lipa.db");
    let out = lipa(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `lipa demo` left the index current: a server's first catch-up finds nothing to do. Then
    // the server keeps it current from the change log.
    let store = Store::open_sqlite(&db).await.unwrap();
    let (kept, docs, last) = {
        let index = SearchIndex::open(&lipa_search::dir_beside(&db)).unwrap();
        assert!(index.num_docs() > 0);
        let first = index.catch_up(&store).await.unwrap();
        assert!(!first.rebuilt && first.documents == 0, "{first:?}");
        let service = Service {
            library: LibraryId::new(732).unwrap(),
            year: Year::new(2013).unwrap(),
            category: CategoryCode::parse("e-culture").unwrap(),
            status: ServiceStatus::Draft,
            volunteer_supported: false,
            volunteers: vec![],
            card: ServiceCard {
                name: "Ремонт на читалищния салон".into(),
                ..Default::default()
            },
            results: vec![],
        };
        store.create(&Actor("test".into()), &service).await.unwrap();
        let done = index.catch_up(&store).await.unwrap();
        assert!(!done.rebuilt && done.entries >= 1, "{done:?}");
        (answers(&index), index.num_docs(), index.last_audit_id())
    };
    store.close().await;
    assert!(kept[5].len() > 1, "the new service is found: {:?}", kept[5]);

    let out = lipa(&db, &["search", "reindex"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&docs.to_string())
            || String::from_utf8_lossy(&out.stderr).contains(&docs.to_string()),
        "reindex counts {docs} records"
    );

    let rebuilt = SearchIndex::open(&lipa_search::dir_beside(&db)).unwrap();
    assert_eq!(rebuilt.num_docs(), docs);
    assert_eq!(rebuilt.last_audit_id(), last);
    assert_eq!(answers(&rebuilt), kept);
}

#[tokio::test]
async fn a_synthetic_registry_is_written_whole_and_indexed_and_only_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    let out = lipa(&db, &["demo", "--synthetic", "2500", "--seed", "5"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("2500 libraries"), "{said}");

    let store = Store::open_sqlite(&db).await.unwrap();
    let counts = store.counts().await.unwrap();
    assert_eq!(counts.libraries, 2500);
    assert!(counts.partners > 28 && counts.events >= 28, "{counts:?}");
    // The index is current: nothing to catch up, and a template's name is found.
    let index = SearchIndex::open(&lipa_search::dir_beside(&db)).unwrap();
    let done = index.catch_up(&store).await.unwrap();
    assert!(!done.rebuilt && done.documents == 0, "{done:?}");
    let r = index
        .search(&Query::new("пчелари").viewer(Viewer::Anonymous))
        .unwrap();
    assert!(r.total > 10, "{}", r.total);
    drop(index);
    store.close().await;

    // A second load would mix two registries: refused, and nothing written.
    let out = lipa(&db, &["demo", "--synthetic", "10"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already has libraries"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open_sqlite(&db).await.unwrap();
    assert_eq!(store.counts().await.unwrap().libraries, 2500);
    store.close().await;
}
