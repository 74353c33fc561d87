//! Helpers for tests of the web layer (feature `testing`, never in a release build): a state
//! around a test's store, a signed-in user without going through the sign-in form, an API
//! token, the demo loaded; one request answered by the router, and what tests read of the
//! answer (its body, its HTML, the texts a selector picks).

use crate::AppState;
use crate::http::session::SESSION_COOKIE;
use axum::body::Body;
use axum::http::{Request, header};
use axum::response::Response;
use lipa_app::App;
use lipa_app::accounts::{hash_secret, new_secret};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::user::Role;
use scraper::{ElementRef, Html, Selector};

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

/// The titles of the card's 8 steps in Bulgarian, as the programme's form writes them.
pub const STEP_TITLES_BG: [&str; 8] = [
    "Избор на услугата и наименование",
    "Цел",
    "Целева група",
    "Партньори",
    "Дейности по внедряване на услугата",
    "Ресурси/бюджет",
    "Медийно представяне на услугата",
    "Очаквани резултати – социален и икономически ефект, въздействие върху местната общност",
];

/// Every report page.
pub const REPORT_PAGES: [&str; 6] = [
    "/reports/district",
    "/reports/matrix",
    "/reports/coverage",
    "/reports/target-groups",
    "/reports/volunteers",
    "/reports/partners",
];

/// A test store with the demo written.
pub async fn demo_store() -> Store {
    let store = Store::open_test().await.expect("test store");
    load_demo(&store).await;
    store
}

/// The whole router on `store` answering `req`.
pub async fn send(store: &Store, req: Request<Body>) -> Response {
    use tower::ServiceExt;
    crate::router(state(store.clone()))
        .oneshot(req)
        .await
        .expect("the router answers")
}

/// The whole body of an answer.
pub async fn body_bytes(r: Response) -> Vec<u8> {
    axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec()
}

/// An answer's body as an HTML document.
pub async fn html_of(r: Response) -> Html {
    Html::parse_document(&String::from_utf8(body_bytes(r).await).expect("UTF-8 body"))
}

/// A CSS selector (panics on a bad one: it is the test's own text).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// The text of an element, its white space collapsed.
pub fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts of the elements `css` selects, white space collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
}

/// The values of attribute `name` of the elements `css` selects (those that have it).
pub fn attrs(doc: &Html, css: &str, name: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

/// All the text of a document, white space collapsed.
pub fn all_text(doc: &Html) -> String {
    text(doc.root_element())
}

/// The `Location` of a redirect.
pub fn location(r: &Response) -> String {
    r.headers()
        .get(header::LOCATION)
        .expect("a Location header")
        .to_str()
        .expect("an ASCII Location")
        .to_owned()
}

/// The kinds of record of the permission matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Library,
    Service,
    Partner,
    Person,
    Event,
}

/// Every kind of the matrices.
pub const KINDS: [Kind; 5] = [
    Kind::Library,
    Kind::Service,
    Kind::Partner,
    Kind::Person,
    Kind::Event,
];

impl Kind {
    /// The kind as a history address and a search hit name it: `service`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Library => "library",
            Kind::Service => "service",
            Kind::Partner => "partner",
            Kind::Person => "person",
            Kind::Event => "event",
        }
    }

    /// The API collection of the kind: `/api/v1/services`.
    pub fn collection(self) -> String {
        match self {
            Kind::Library => "/api/v1/libraries".into(),
            other => format!("/api/v1/{}s", other.code()),
        }
    }
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
