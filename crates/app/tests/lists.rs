//! The library lists answer from the facet index of the server (issue 11): what a writer has
//! just written is in the next list's count, page and facet counts — created, changed and
//! deleted — and the index's answers are SQL's.

use lipa_app::testing::Store;
use lipa_app::{Access, App, Facet, LibraryFilter};
use lipa_core::ids::{CategoryCode, DistrictCode, LibraryId};
use lipa_core::service::Service;
use lipa_core::user::Role;

fn count(facets: &[Facet], name: &str, value: &str) -> i64 {
    facets
        .iter()
        .find(|f| f.name == name)
        .and_then(|f| f.values.iter().find(|v| v.value == value))
        .map_or(0, |v| v.count)
}

#[tokio::test]
async fn a_writer_sees_a_service_in_the_lists_at_once_created_changed_and_deleted() {
    let store = Store::open_test().await.unwrap();
    let app = App::on_store(store.clone());
    app.load_demo().await.unwrap();
    let user = app.test_user("admin", Role::Admin).await;
    let admin = Access::user(user.id, &user.record.login, user.record.role.clone());
    let reader = Access::anonymous();
    let business = CategoryCode::parse("e-business").unwrap();
    let f = LibraryFilter {
        district: Some(DistrictCode::parse("KNL").unwrap()),
        category: Some(business.clone()),
        ..Default::default()
    };
    let before = app.list_libraries(&reader, &f).await.unwrap();
    let facets = app.library_facets(&reader, &f).await.unwrap();
    assert_eq!(facets, store.library_facets(&f).await.unwrap());

    // A library of Kyustendil that runs no e-business service yet gets one.
    let l732 = LibraryId::new(732).unwrap();
    assert!(!before.rows.iter().any(|r| r.library.id == l732));
    let l722 = LibraryId::new(722).unwrap();
    let mut s = store.services_of(&[l722]).await.unwrap()[0].record.clone();
    s.library = l732;
    s.category = business.clone();
    let created = app.create(&admin, &s).await.unwrap();
    let after = app.list_libraries(&reader, &f).await.unwrap();
    // Answered by the index, which has taken the write in.
    assert!(app.facet_index().ready());
    assert_eq!(
        app.facet_index().last_audit_id(),
        store.last_audit_id().await.unwrap()
    );
    assert_eq!(after.total, before.total + 1);
    assert!(after.rows.iter().any(|r| r.library.id == l732));
    let now = app.library_facets(&reader, &f).await.unwrap();
    assert_eq!(now, store.library_facets(&f).await.unwrap());
    assert_eq!(
        count(&now, "year", &s.year.get().to_string()),
        count(&facets, "year", &s.year.get().to_string()) + 1
    );

    // Moved to another category: out of the list again.
    let mut other = s.clone();
    other.category = CategoryCode::parse("e-culture").unwrap();
    app.replace(&admin, created.id, &other, None).await.unwrap();
    let list = app.list_libraries(&reader, &f).await.unwrap();
    assert_eq!(list.total, before.total);
    assert_eq!(
        app.library_facets(&reader, &f).await.unwrap(),
        store.library_facets(&f).await.unwrap()
    );

    // Back, then deleted.
    app.replace(&admin, created.id, &s, None).await.unwrap();
    assert_eq!(
        app.list_libraries(&reader, &f).await.unwrap().total,
        before.total + 1
    );
    app.delete::<Service>(&admin, created.id, None)
        .await
        .unwrap();
    let list = app.list_libraries(&reader, &f).await.unwrap();
    assert_eq!(list.total, before.total);
    assert_eq!(
        list.rows.iter().map(|r| r.library.id).collect::<Vec<_>>(),
        before.rows.iter().map(|r| r.library.id).collect::<Vec<_>>()
    );
    assert_eq!(app.library_facets(&reader, &f).await.unwrap(), facets);
}
