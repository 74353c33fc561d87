//! Helpers for tests of the web layer (feature `testing`, never in a release build): a state
//! around a test's store, a signed-in user without going through the sign-in form, an API
//! token, the demo loaded.

use crate::AppState;
use crate::http::session::SESSION_COOKIE;
use lipa_app::App;
use lipa_app::accounts::{hash_secret, new_secret};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::user::Role;

/// A signed-in session for a new user with `role`: the `Cookie` header value and the session's
/// CSRF token.
pub async fn sign_in_with_csrf(store: &Store, role: Role) -> (String, String) {
    let app = App::on_store(store.clone());
    let user = app.test_user("test", role).await;
    let token = new_secret();
    let csrf = new_secret();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    store
        .create_session(user.id, &hash_secret(&token), &csrf, &expires.to_string())
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
    let app = App::on_store(store.clone());
    let user = app.test_user("api", role).await;
    let secret = new_secret();
    store
        .create_api_token(
            &Actor("test".into()),
            user.id,
            "test",
            &hash_secret(&secret),
            "2999-12-31T00:00:00Z",
        )
        .await
        .expect("create API token");
    format!("Bearer {secret}")
}

/// The state tests serve: the application on the test's store.
pub fn state(store: Store) -> AppState {
    AppState::new(App::on_store(store))
}

/// Writes the demo (the Kyustendil 2012 meeting) the way `lipa demo` does.
pub async fn load_demo(store: &Store) {
    App::on_store(store.clone())
        .load_demo()
        .await
        .expect("demo written");
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
