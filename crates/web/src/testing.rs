//! Helpers for tests of the web layer: a signed-in user without going through the sign-in form.
//! Compiled in always (integration tests are separate crates) but only creates data it is asked
//! to; nothing in the server calls it.

use crate::AppState;
use crate::pages::account::{SESSION_COOKIE, hash_secret, new_secret};
use lipa_core::audit::Actor;
use lipa_core::user::{Role, User};
use lipa_store::Store;

/// A signed-in session for a new user with `role`: the `Cookie` header value and the session's
/// CSRF token.
pub async fn sign_in_with_csrf(store: &Store, role: Role) -> (String, String) {
    let n = store.user_count().await.expect("count users") + 1;
    let user = User {
        login: format!("test{n}"),
        display_name: format!("Test user {n}"),
        role,
        disabled: false,
    };
    let v = store
        .create_user(&Actor("test".into()), &user, None)
        .await
        .expect("create test user");
    let token = new_secret();
    let csrf = new_secret();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    store
        .create_session(v.id, &hash_secret(&token), &csrf, &expires.to_string())
        .await
        .expect("create session");
    (format!("{SESSION_COOKIE}={token}"), csrf)
}

/// A signed-in session for a new user with `role`: the `Cookie` header value. The session's
/// CSRF token is in every form the user is shown (hidden input `csrf`).
pub async fn sign_in(store: &Store, role: Role) -> String {
    sign_in_with_csrf(store, role).await.0
}

/// An API token for a new user with `role`: the `Authorization` header value.
pub async fn api_token(store: &Store, role: Role) -> String {
    let n = store.user_count().await.expect("count users") + 1;
    let user = User {
        login: format!("api{n}"),
        display_name: format!("API user {n}"),
        role,
        disabled: false,
    };
    let actor = Actor("test".into());
    let v = store
        .create_user(&actor, &user, None)
        .await
        .expect("create test user");
    let secret = new_secret();
    store
        .create_api_token(&actor, v.id, "test", &hash_secret(&secret))
        .await
        .expect("create API token");
    format!("Bearer {secret}")
}

/// The state tests serve.
pub fn state(store: Store) -> AppState {
    AppState::new(store)
}

/// Writes the demo (the Kyustendil 2012 meeting) the way `lipa demo` does: the libraries first,
/// then the people and the event that refer to them.
pub async fn load_demo(store: &Store) {
    let reg = lipa_io::demo::load().expect("demo data loads");
    let mut first = lipa_io::preview::plan(&reg, &[], &[]).changes;
    let second = lipa_core::changes::ChangeSet {
        new_persons: std::mem::take(&mut first.new_persons),
        new_events: std::mem::take(&mut first.new_events),
        ..Default::default()
    };
    let actor = Actor("demo".into());
    store
        .apply(&actor, "demo", &first)
        .await
        .expect("demo written");
    store
        .apply(&actor, "demo", &second)
        .await
        .expect("demo people written");
}

/// The side of a record in the permission matrices (`tests/permissions*.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// In Kyustendil (KNL).
    In,
    /// In Sofia (SOF).
    Out,
}

/// The readers and writers of the permission matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Anonymous,
    Viewer,
    /// The librarian of a library in Kyustendil (which one, the matrix says).
    Librarian,
    CoordinatorKnl,
    CoordinatorSof,
    Admin,
}

/// Every role of the matrices.
pub const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Viewer,
    Who::Librarian,
    Who::CoordinatorKnl,
    Who::CoordinatorSof,
    Who::Admin,
];

impl Who {
    /// The role, with `library` for a librarian; `None` for an anonymous client.
    pub fn role(self, library: u32) -> Option<Role> {
        let district =
            |code: &str| lipa_core::ids::DistrictCode::parse(code).expect("a district code");
        match self {
            Who::Anonymous => None,
            Who::Viewer => Some(Role::Viewer),
            Who::Librarian => Some(Role::Librarian {
                library: lipa_core::ids::LibraryId::new(library).expect("a library ID"),
            }),
            Who::CoordinatorKnl => Some(Role::Coordinator {
                district: district("KNL"),
            }),
            Who::CoordinatorSof => Some(Role::Coordinator {
                district: district("SOF"),
            }),
            Who::Admin => Some(Role::Admin),
        }
    }
}
