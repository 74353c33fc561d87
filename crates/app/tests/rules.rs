//! Rules of the use cases that every front end (pages, API, CLI) relies on, tested where they
//! are enforced (issue 12):
//! - a librarian edits their library but cannot move it to another district — neither by a
//!   change nor by an import — which would put its drafts and its people's contacts under another
//!   district's coordinator (defect 8);
//! - two administrators demoting each other at once cannot leave the network without one: the
//!   last-admin rule is checked inside the write's transaction (defect 14).

use lipa_app::testing::Store;
use lipa_app::{Access, App, AppError};
use lipa_core::audit::Actor;
use lipa_core::ids::{Ekatte, LibraryId};
use lipa_core::user::{Role, User};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let store = Store::open_test().await.unwrap();
    let app = App::on_store(store.clone());
    for round in 0..10 {
        // Two admins and nobody else who administers.
        let mut admins = Vec::new();
        for _ in 0..2 {
            admins.push(app.test_user(&format!("admin{round}-"), Role::Admin).await);
        }
        for u in store.users().await.unwrap() {
            if u.record.role == Role::Admin && !admins.iter().any(|a| a.id == u.id) {
                let demoted = User {
                    role: Role::Viewer,
                    ..u.record.clone()
                };
                store
                    .update_user(&Actor("test".into()), u.id, &demoted, None)
                    .await
                    .unwrap();
            }
        }
        let demote = |by: usize| {
            let (me, other) = (&admins[by], &admins[1 - by]);
            let access = Access::user(me.id, &me.record.login, Role::Admin);
            let demoted = User {
                role: Role::Viewer,
                ..other.record.clone()
            };
            let app = &app;
            async move {
                app.update_user(&access, other.id, &demoted, Some(other.version))
                    .await
            }
        };
        let (a, b) = tokio::join!(demote(0), demote(1));
        let refused = [&a, &b]
            .iter()
            .filter(|r| matches!(r, Err(AppError::LastAdmin)))
            .count();
        assert_eq!(
            (a.is_ok() as usize + b.is_ok() as usize, refused),
            (1, 1),
            "round {round}: {a:?} {b:?}"
        );
        let left = store
            .users()
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.record.role == Role::Admin && !u.record.disabled)
            .count();
        assert_eq!(left, 1, "round {round}");
    }
}
