//! Issue 12, defect 8: a librarian edits their library but cannot move it to another district —
//! neither by a change (the API's and the pages' use case) nor by an import — which would put its
//! drafts and its people's contacts under another district's coordinator.

use lipa_app::testing::Store;
use lipa_app::{Access, App, AppError};
use lipa_core::audit::Actor;
use lipa_core::ids::{Ekatte, LibraryId};
use lipa_core::user::Role;

#[tokio::test]
async fn a_librarian_cannot_move_their_library_to_another_district() {
    let store = Store::open_test().await.unwrap();
    let demo = lipa_io::demo::load().unwrap();
    let plan = lipa_io::preview::plan(&demo, &[], &[]);
    store
        .apply(&Actor("test".into()), "demo", &plan.changes)
        .await
        .unwrap();
    let app = App::on_store(store.clone());
    let l705 = LibraryId::new(705).unwrap();
    let user = app
        .test_user("librarian", Role::Librarian { library: l705 })
        .await;
    let librarian = Access::user(user.id, &user.record.login, user.record.role.clone());
    let before = store.library(l705).await.unwrap().unwrap();

    // To Sofia (68134), out of the district of Kyustendil: refused, nothing written.
    let mut moved = before.record.clone();
    moved.settlement = Ekatte::parse("68134").unwrap();
    let refused = app
        .update_library(&librarian, l705, &moved, Some(before.version))
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    assert_eq!(store.library(l705).await.unwrap().unwrap(), before);
    // Nor by an import of the moved library.
    let file = lipa_io::Registry {
        libraries: vec![moved],
        ..Default::default()
    };
    let out = app.import_out_of_scope(&librarian, &file).await.unwrap();
    assert_eq!(out.len(), 1, "{out:?}");

    // Within the district (Dupnitsa, 68789) their library stays theirs to move, and to edit.
    let mut nearby = before.record.clone();
    nearby.settlement = Ekatte::parse("68789").unwrap();
    nearby.contacts.phone = "078 55 00 00".into();
    app.update_library(&librarian, l705, &nearby, Some(before.version))
        .await
        .unwrap();
    let file = lipa_io::Registry {
        libraries: vec![nearby],
        ..Default::default()
    };
    assert!(
        app.import_out_of_scope(&librarian, &file)
            .await
            .unwrap()
            .is_empty()
    );
}
