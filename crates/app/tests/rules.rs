//! Rules of the use cases that every front end (pages, API, CLI) relies on, tested where they
//! are enforced (issue 12):
//! - a librarian edits their library but cannot move it to another district — neither by a
//!   change nor by an import — which would put its drafts and its people's contacts under another
//!   district's coordinator (defect 8);
//! - two administrators demoting each other at once cannot leave the network without one: the
//!   last-admin rule is checked inside the write's transaction (defect 14);
//! - a service's activity log is written only by who may change the service, and goes to a
//!   JSON export and back without a loss (issue 13).

use lipa_app::testing::Store;
use lipa_app::{Access, App, AppError};
use lipa_core::activity_log::{ActivityEntry, ActivityKind, PeopleReached};
use lipa_core::audit::Actor;
use lipa_core::ids::{Ekatte, LibraryId, ServiceId};
use lipa_core::user::{Role, User};

#[tokio::test]
async fn a_librarian_cannot_move_their_library_to_another_district() {
    let store = Store::open_test().await.unwrap();
    let app = App::on_store(store.clone());
    app.load_demo().await.unwrap();
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

/// A store with the demo, an app on it, and the librarians of libraries 722 and 705.
async fn demo_app() -> (Store, App, Access, Access) {
    let store = Store::open_test().await.unwrap();
    let app = App::on_store(store.clone());
    app.load_demo().await.unwrap();
    let mut access = Vec::new();
    for (login, id) in [("lib722", 722), ("lib705", 705)] {
        let user = app
            .test_user(
                login,
                Role::Librarian {
                    library: LibraryId::new(id).unwrap(),
                },
            )
            .await;
        access.push(Access::user(
            user.id,
            &user.record.login,
            user.record.role.clone(),
        ));
    }
    let other = access.pop().unwrap();
    let own = access.pop().unwrap();
    (store, app, own, other)
}

fn entry(day: i8, group: &str, count: u32, estimated: bool) -> ActivityEntry {
    ActivityEntry {
        // The use case puts the entry into the service it is added to.
        service_id: ServiceId::new(1),
        date: jiff::civil::date(2012, 10, day),
        kind: ActivityKind::Training,
        hours: 2.5,
        volunteers: 1,
        volunteer_hours: 1.5,
        reached: vec![PeopleReached {
            target_group: group.into(),
            count,
            estimated,
        }],
        note: "Основни компютърни умения".into(),
    }
}

#[tokio::test]
async fn only_who_may_change_a_service_writes_its_activity_log() {
    let (store, app, own, other) = demo_app().await;
    let service = store
        .services_of(&[LibraryId::new(722).unwrap()])
        .await
        .unwrap()[0]
        .id;
    let added = app
        .add_activity(&own, service, entry(4, "Пенсионери", 12, false))
        .await
        .unwrap();
    assert_eq!(added.record.service_id, service);

    // Another library's librarian: refused to add, change or delete; nothing changes.
    let refused = app
        .add_activity(&other, service, entry(5, "Пенсионери", 3, false))
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app
        .change_activity(&other, added.id, entry(4, "Младежи", 1, true), None)
        .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let refused = app.delete::<ActivityEntry>(&other, added.id, None).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    // Nor through the generic create, naming the service in the entry.
    let mut sneaked = entry(6, "Пенсионери", 3, false);
    sneaked.service_id = service;
    assert!(matches!(
        app.create(&other, &sneaked).await,
        Err(AppError::Forbidden)
    ));
    // The public reads it, and may not write.
    assert_eq!(
        app.service_activities(&Access::anonymous(), service)
            .await
            .unwrap(),
        std::slice::from_ref(&added)
    );
    assert!(matches!(
        app.add_activity(
            &Access::anonymous(),
            service,
            entry(7, "Пенсионери", 1, false)
        )
        .await,
        Err(AppError::Unauthenticated)
    ));

    // A change keeps the entry with its service, whatever the entry names.
    let another = store
        .services_of(&[LibraryId::new(705).unwrap()])
        .await
        .unwrap()[0]
        .id;
    let mut moved = entry(4, "Пенсионери", 20, true);
    moved.service_id = another;
    let changed = app
        .change_activity(&own, added.id, moved, Some(1))
        .await
        .unwrap();
    assert_eq!(changed.record.service_id, service);
    assert_eq!(changed.version, 2);
    assert!(
        app.service_activities(&own, another)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn activity_logs_export_to_json_and_import_back_losslessly() {
    let (store, app, own, _) = demo_app().await;
    let admin_user = app.test_user("admin", Role::Admin).await;
    let admin = Access::user(
        admin_user.id,
        &admin_user.record.login,
        admin_user.record.role.clone(),
    );
    let services = store.services().await.unwrap();
    let s722 = services
        .iter()
        .find(|s| s.record.library.get() == 722)
        .unwrap()
        .id;
    app.add_activity(&own, s722, entry(12, "Пенсионери", 30, true))
        .await
        .unwrap();
    app.add_activity(&own, s722, entry(4, "Пенсионери", 12, false))
        .await
        .unwrap();
    let mut odd = entry(4, "Младежи", 0, false);
    odd.kind = ActivityKind::Publication;
    odd.hours = 0.1 + 0.2;
    odd.reached.push(PeopleReached {
        target_group: "Деца „до 12“".into(),
        count: 1_000_000,
        estimated: true,
    });
    app.add_activity(&admin, services[0].id, odd).await.unwrap();

    let exported = app.snapshot(&admin).await.unwrap();
    assert_eq!(exported.activities.len(), 3);
    let text = lipa_io::registry::to_json(&exported);
    let read = lipa_io::registry::from_json(&text).unwrap();
    assert_eq!(read, exported, "the file reads back to the same records");

    // Into an empty database: the same records, each entry with the service it was logged for.
    let fresh = App::on_store(Store::open_test().await.unwrap());
    let admin2 = fresh.test_user("admin", Role::Admin).await;
    let admin2 = Access::user(admin2.id, &admin2.record.login, admin2.record.role.clone());
    let applied = fresh.apply_import(&admin2, &read, "import").await.unwrap();
    assert_eq!(applied.activities_created.len(), 3);
    let again = fresh.snapshot(&admin2).await.unwrap();
    assert_eq!(again.activities, exported.activities);
    assert_eq!(
        again
            .services
            .iter()
            .map(|s| &s.card.name)
            .collect::<Vec<_>>(),
        exported
            .services
            .iter()
            .map(|s| &s.card.name)
            .collect::<Vec<_>>()
    );

    // Into the database it came from: nothing is new, so nothing is written twice.
    let plan = app.plan_import(&read).await.unwrap();
    assert!(plan.changes.new_activities.is_empty(), "{plan:?}");
    // An entry the file adds is new; the stored ones stay.
    let mut more = lipa_io::Registry {
        libraries: read.libraries.clone(),
        services: read.services.clone(),
        activities: read.activities.clone(),
        ..Default::default()
    };
    let mut extra = more.activities[0].clone();
    extra.note = "Още една среща".into();
    more.activities.push(extra);
    let applied = app.apply_import(&admin, &more, "import").await.unwrap();
    assert_eq!(applied.activities_created.len(), 1);
    assert_eq!(store.activities().await.unwrap().len(), 4);

    // A file whose entry names a service it does not have is refused at the field.
    let bad = text.replace("\"service\": 0", "\"service\": 99");
    let errors = lipa_io::registry::from_json(&bad).unwrap_err();
    assert!(
        format!("{errors:?}").contains("err-json-activity-service"),
        "{errors:?}"
    );
}
