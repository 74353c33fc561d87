//! Accounts, administration, the audit trail and personal data, through the router in process
//! on a fresh in-memory store per test: signing in (cookie flags, throttling, CSRF on sign-out),
//! the own-account page (password change, sign out everywhere, API tokens), the admin pages
//! (403 for everyone else, users with one-time passwords, roles, disabling), the audit log and
//! record histories with their before/after, and the erasure of a person everywhere.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use jiff::civil::date;
use lipa_app::AuditSearch;
use lipa_app::testing::{NewPassword, Store};
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::event::{AgendaItem, Event, EventKind, Participant, ParticipantRole};
use lipa_core::ids::{DistrictCode, LibraryId, PersonId, UserId};
use lipa_core::library::Library;
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::user::{Role, User};
use lipa_web::testing::{sign_in, sign_in_with_csrf};
use lipa_web::{AppState, router};
use scraper::{Html, Selector};
use tower::ServiceExt;

/// What the router answered.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The session cookie this answer sets, as a `Cookie` header value.
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|v| v.starts_with("lipa_session=") && !v.starts_with("lipa_session=;"))
            .map(|v| v.split(';').next().unwrap().to_owned())
    }

    /// Texts of the elements `css` selects.
    fn texts(&self, css: &str) -> Vec<String> {
        lipa_web::testing::texts(&self.html(), css)
    }

    /// Attribute `name` of the first element `css` selects.
    fn attr(&self, css: &str, name: &str) -> Option<String> {
        let html = self.html();
        let first = html.select(&lipa_web::testing::sel(css)).next()?;
        first.value().attr(name).map(str::to_owned)
    }
}

async fn send(state: &AppState, req: Request<Body>) -> Answer {
    let res = router(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(state: &AppState, uri: &str, cookie: Option<&str>) -> Answer {
    let mut req = Request::get(uri).header(header::ACCEPT_LANGUAGE, "en");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(state, req.body(Body::empty()).unwrap()).await
}

async fn get_bearer(state: &AppState, uri: &str, token: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    send(state, req.body(Body::empty()).unwrap()).await
}

async fn post(state: &AppState, uri: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Answer {
    let mut req = Request::post(uri)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = serde_urlencoded::to_string(form).unwrap();
    send(state, req.body(Body::from(body)).unwrap()).await
}

async fn fresh() -> (Store, AppState) {
    let store = Store::open_test().await.unwrap();
    let state = lipa_web::testing::state(store.clone());
    (store, state)
}

fn actor() -> Actor {
    Actor("test".into())
}

/// A user who can sign in with `password`.
async fn user_with_password(store: &Store, login: &str, role: Role, password: &str) -> UserId {
    let user = User {
        login: login.into(),
        display_name: format!("Name of {login}"),
        role,
        disabled: false,
    };
    let hash = lipa_app::testing::hash_password(password).unwrap();
    store
        .create_user(&actor(), &user, Some(NewPassword::chosen(&hash)))
        .await
        .unwrap()
        .id
}

async fn login(state: &AppState, login: &str, password: &str) -> Answer {
    post(
        state,
        "/login",
        None,
        &[
            ("login", login),
            ("password", password),
            ("back", "/account"),
        ],
    )
    .await
}

fn knl() -> DistrictCode {
    DistrictCode::parse("KNL").unwrap()
}

fn l705() -> LibraryId {
    LibraryId::new(705).unwrap()
}

fn library() -> Library {
    lipa_app::testing::library_705()
}

const PASSWORD: &str = "линден-дърво-2012";

#[tokio::test]
async fn sign_in_sets_an_http_only_same_site_cookie() {
    let (store, state) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let a = login(&state, "maria", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/account");
    let set = a
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("lipa_session="))
        .expect("a session cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    assert!(set.contains("Path=/"), "{set}");
    let cookie = a.session_cookie().unwrap();
    let page = get(&state, "/account", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("dl.summary dd").contains(&"maria".to_owned()));
}

#[tokio::test]
async fn five_wrong_passwords_throttle_the_account() {
    let (store, state) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    for _ in 0..5 {
        let a = login(&state, "maria", "wrong password").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.session_cookie().is_none());
    }
    // Now even the right password waits.
    let a = login(&state, "maria", PASSWORD).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.session_cookie().is_none());
    let summary = a.texts(".error-summary li");
    assert_eq!(summary.len(), 1);
    assert!(summary[0].contains("Too many"), "{summary:?}");
}

#[tokio::test]
async fn sign_out_needs_the_csrf_token() {
    let (store, state) = fresh().await;
    let (cookie, csrf) = sign_in_with_csrf(&store, Role::Viewer).await;
    let refused = post(&state, "/logout", Some(&cookie), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let wrong = post(&state, "/logout", Some(&cookie), &[("csrf", "forged")]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&state, "/account", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let done = post(&state, "/logout", Some(&cookie), &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&state, "/account", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let (store, state) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let here = login(&state, "maria", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let elsewhere = login(&state, "maria", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let page = get(&state, "/account", Some(&here)).await;
    let csrf = page
        .attr("form[action='/account/password'] input[name=csrf]", "value")
        .unwrap();

    // A wrong current password and a short new one: both shown, nothing changed.
    let bad = post(
        &state,
        "/account/password",
        Some(&here),
        &[
            ("csrf", &csrf),
            ("current_password", "nope"),
            ("new_password", "short"),
            ("confirm_password", "short"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let links: Vec<String> = {
        let sel = Selector::parse(".error-summary a").unwrap();
        bad.html()
            .select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect()
    };
    assert_eq!(links, ["#current_password", "#new_password"]);
    assert_eq!(
        get(&state, "/account", Some(&elsewhere)).await.status,
        StatusCode::OK
    );

    let new = "a much longer new password";
    let ok = post(
        &state,
        "/account/password",
        Some(&here),
        &[
            ("csrf", &csrf),
            ("current_password", PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/account?done=password");
    let fresh_cookie = ok
        .session_cookie()
        .expect("a fresh session for this browser");
    assert_eq!(
        get(&state, "/account", Some(&elsewhere)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&state, "/account", Some(&here)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = get(&state, "/account?done=password", Some(&fresh_cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts(".notice").len(), 1);
    assert_eq!(
        login(&state, "maria", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&state, "maria", new).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let (store, state) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let a = login(&state, "maria", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let b = login(&state, "maria", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let csrf = get(&state, "/account", Some(&a))
        .await
        .attr(
            "form[action='/account/sign-out-everywhere'] input[name=csrf]",
            "value",
        )
        .unwrap();
    let done = post(
        &state,
        "/account/sign-out-everywhere",
        Some(&a),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&state, "/account", Some(&a)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&state, "/account", Some(&b)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_api_token_works_as_bearer_until_revoked() {
    let (store, state) = fresh().await;
    let (cookie, csrf) = sign_in_with_csrf(&store, Role::Librarian { library: l705() }).await;
    let created = post(
        &state,
        "/account/tokens",
        Some(&cookie),
        &[("csrf", &csrf), ("name", "monthly report")],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(
        created.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let token = created
        .attr("input#token", "value")
        .expect("the token, shown once");
    assert!(token.starts_with("lipa_") && token.len() > 40, "{token}");

    // The store keeps a hash only.
    let user = store.user_by_login("test1").await.unwrap().unwrap().0;
    let tokens = store.api_tokens_of(user.id).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].name, "monthly report");
    assert!(tokens[0].last_used_at.is_none());
    let listed = get(&state, "/account", Some(&cookie)).await;
    assert!(
        !listed.body.contains(&token),
        "the token is never shown again"
    );

    // A signed-in-only page, as the token's owner.
    let page = get_bearer(&state, "/account", &token).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("dl.summary dd").contains(&"test1".to_owned()));
    assert!(
        store.api_tokens_of(user.id).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    // A token cannot post forms: it carries no anti-forgery token.
    let req = Request::post("/account/tokens")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=another"))
        .unwrap();
    assert_eq!(send(&state, req).await.status, StatusCode::FORBIDDEN);

    let revoke = format!("/account/tokens/{}/revoke", tokens[0].id);
    let done = post(&state, &revoke, Some(&cookie), &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get_bearer(&state, "/account", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        store.api_tokens_of(user.id).await.unwrap()[0]
            .revoked_at
            .is_some()
    );
    let again = post(&state, &revoke, Some(&cookie), &[("csrf", &csrf)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_admins_reach_the_administration() {
    let (store, state) = fresh().await;
    let pages = [
        "/admin",
        "/admin/users",
        "/admin/users/new",
        "/admin/users/1",
        "/admin/audit",
        "/admin/audit.csv",
    ];
    for role in [
        Role::Viewer,
        Role::Librarian { library: l705() },
        Role::Coordinator { district: knl() },
    ] {
        let (cookie, csrf) = sign_in_with_csrf(&store, role.clone()).await;
        for p in pages {
            assert_eq!(
                get(&state, p, Some(&cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{role:?} {p}"
            );
        }
        let post_new = post(
            &state,
            "/admin/users",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("login", "intruder"),
                ("display_name", "X"),
                ("role", "admin"),
            ],
        )
        .await;
        assert_eq!(post_new.status, StatusCode::FORBIDDEN);
        assert!(store.user_by_login("intruder").await.unwrap().is_none());
    }
    for p in pages {
        assert_eq!(
            get(&state, p, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{p}"
        );
    }
    let admin = sign_in(&store, Role::Admin).await;
    for p in pages {
        assert_eq!(
            get(&state, p, Some(&admin)).await.status,
            StatusCode::OK,
            "{p}"
        );
    }
}

#[tokio::test]
async fn an_admin_creates_a_user_with_a_one_time_password() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let (admin, csrf) = sign_in_with_csrf(&store, Role::Admin).await;

    // Unknown district, missing library: the form comes back with both problems.
    let bad = post(
        &state,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("login", "Bad Login"),
            ("display_name", "Мария"),
            ("role", "librarian"),
            ("library", "9999"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sel = Selector::parse(".error-summary a").unwrap();
    let links: Vec<String> = bad
        .html()
        .select(&sel)
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(links, ["#login", "#library"]);
    assert_eq!(bad.attr("input#library", "value").unwrap(), "9999");
    let bad = post(
        &state,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("login", "maria"),
            ("display_name", "Мария"),
            ("role", "coordinator"),
            ("district", "XYZ"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.texts("#district-error")[0].contains("XYZ"));
    assert!(store.user_by_login("maria").await.unwrap().is_none());

    let ok = post(
        &state,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("login", "maria"),
            ("display_name", "Мария Петрова"),
            ("role", "librarian"),
            ("library", "705"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let password = ok.attr("input#password", "value").unwrap();
    assert!(password.chars().count() >= 12);
    let (user, hash) = store.user_by_login("maria").await.unwrap().unwrap();
    assert_eq!(user.record.role, Role::Librarian { library: l705() });
    assert!(!hash.unwrap().contains(&password));
    assert_eq!(
        login(&state, "maria", &password).await.status,
        StatusCode::SEE_OTHER
    );

    // Taken login.
    let again = post(
        &state,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("login", "maria"),
            ("display_name", "Друга"),
            ("role", "viewer"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The list shows the role and its scope.
    let list = get(&state, "/admin/users", Some(&admin)).await;
    let row = list
        .texts("table.users tbody tr")
        .into_iter()
        .find(|r| r.contains("maria"))
        .unwrap();
    assert!(row.contains("Librarian") && row.contains("705"), "{row}");
}

#[tokio::test]
async fn a_one_time_password_opens_only_the_account_page_until_it_is_changed() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let (admin, csrf) = sign_in_with_csrf(&store, Role::Admin).await;
    let made = post(
        &state,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("login", "elena"),
            ("display_name", "Елена"),
            ("role", "librarian"),
            ("library", "705"),
        ],
    )
    .await;
    let one_time = made.attr("input#password", "value").unwrap();
    let signed = login(&state, "elena", &one_time).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let cookie = signed.session_cookie().unwrap();

    // Every other page sends her to the account page; the API refuses with a problem.
    for uri in [
        "/",
        "/libraries",
        "/libraries/705/services/new",
        "/admin/users",
    ] {
        let a = get(&state, uri, Some(&cookie)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(a.location(), "/account", "{uri}");
    }
    let api = get(&state, "/api/v1/libraries", Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(
        api.body.contains("password-change-required"),
        "{}",
        api.body
    );
    let account = get(&state, "/account", Some(&cookie)).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(
        account.texts("[role=alert]")[0].contains("one-time password"),
        "{}",
        account.body
    );
    let csrf = account.attr("input[name=csrf]", "value").unwrap();
    // A write elsewhere does not go through either.
    let refused = post(
        &state,
        "/libraries/705/services/new",
        Some(&cookie),
        &[("csrf", &csrf), ("category", "e-health"), ("year", "2026")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location(), "/account");
    assert!(store.services().await.unwrap().is_empty());

    // Choosing her own password lifts the restriction, in a new session.
    let changed = post(
        &state,
        "/account/password",
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("current_password", &one_time),
            ("new_password", PASSWORD),
            ("confirm_password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let cookie = changed.session_cookie().unwrap();
    assert_eq!(
        get(&state, "/libraries", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let account = get(&state, "/account", Some(&cookie)).await;
    assert!(account.texts("[role=alert]").is_empty());

    // A reset by an admin hands over a new one-time password: the restriction is back.
    let id = store.user_by_login("elena").await.unwrap().unwrap().0.id;
    let reset = post(
        &state,
        &format!("/admin/users/{id}/password"),
        Some(&admin),
        &[("csrf", &csrf_of(&state, &admin).await)],
    )
    .await;
    let again = reset.attr("input#password", "value").unwrap();
    let cookie = login(&state, "elena", &again)
        .await
        .session_cookie()
        .unwrap();
    assert_eq!(
        get(&state, "/libraries", Some(&cookie)).await.location(),
        "/account"
    );
    // A password chosen by its owner (here: the one she had) never restricts.
    let chosen = lipa_app::testing::hash_password(PASSWORD).unwrap();
    store
        .set_password(&actor(), id, NewPassword::chosen(&chosen))
        .await
        .unwrap();
    let cookie = login(&state, "elena", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    assert_eq!(
        get(&state, "/libraries", Some(&cookie)).await.status,
        StatusCode::OK
    );
}

/// The CSRF token of a signed-in session, read off its account page.
async fn csrf_of(state: &AppState, cookie: &str) -> String {
    get(state, "/account", Some(cookie))
        .await
        .attr("input[name=csrf]", "value")
        .unwrap()
}

#[tokio::test]
async fn an_admin_changes_roles_resets_passwords_and_disables() {
    let (store, state) = fresh().await;
    let (admin, csrf) = sign_in_with_csrf(&store, Role::Admin).await;
    let id = user_with_password(&store, "ivan", Role::Viewer, PASSWORD).await;
    let ivan = login(&state, "ivan", PASSWORD)
        .await
        .session_cookie()
        .unwrap();

    let page = get(&state, &format!("/admin/users/{id}"), Some(&admin)).await;
    let version = page.attr("input[name=version]", "value").unwrap();
    let saved = post(
        &state,
        &format!("/admin/users/{id}/role"),
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("display_name", "Иван Иванов"),
            ("role", "coordinator"),
            ("district", "KNL"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let u = store.user(id).await.unwrap().unwrap();
    assert_eq!(u.record.role, Role::Coordinator { district: knl() });
    assert_eq!(u.record.display_name, "Иван Иванов");
    // The same stale version again: someone changed the record meanwhile.
    let stale = post(
        &state,
        &format!("/admin/users/{id}/role"),
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("version", &version),
            ("display_name", "Иван"),
            ("role", "viewer"),
        ],
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let reset = post(
        &state,
        &format!("/admin/users/{id}/password"),
        Some(&admin),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK);
    let new_password = reset.attr("input#password", "value").unwrap();
    assert_eq!(
        get(&state, "/account", Some(&ivan)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let ivan = login(&state, "ivan", &new_password)
        .await
        .session_cookie()
        .unwrap();

    let off = post(
        &state,
        &format!("/admin/users/{id}/disable"),
        Some(&admin),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert!(store.user(id).await.unwrap().unwrap().record.disabled);
    assert_eq!(
        get(&state, "/account", Some(&ivan)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&state, "ivan", &new_password).await.status,
        StatusCode::UNAUTHORIZED
    );
    let on = post(
        &state,
        &format!("/admin/users/{id}/enable"),
        Some(&admin),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    assert_eq!(
        login(&state, "ivan", &new_password).await.status,
        StatusCode::SEE_OTHER
    );

    // The last enabled admin cannot lock everyone out.
    let me = store.user_by_login("test1").await.unwrap().unwrap().0;
    let refused = post(
        &state,
        &format!("/admin/users/{}/disable", me.id),
        Some(&admin),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!store.user(me.id).await.unwrap().unwrap().record.disabled);
}

#[tokio::test]
async fn the_audit_log_shows_a_library_update_with_before_and_after() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let mut changed = library();
    changed.name = "РБ „Емануил Попдимитров“ – Кюстендил".into();
    store
        .update_library(&Actor("maria".into()), &changed, None)
        .await
        .unwrap();
    let admin = sign_in(&store, Role::Admin).await;

    let page = get(
        &state,
        "/admin/audit?entity=library&id=705&actor=maria",
        Some(&admin),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let entries = page.texts("li.audit-entry");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        page.attr("li.audit-entry", "data-action").unwrap(),
        "update"
    );
    assert_eq!(
        page.attr("li.audit-entry h3 a", "href").unwrap(),
        "/libraries/705"
    );
    let rows = page.texts("table.audit-diff tbody tr");
    assert_eq!(
        rows,
        ["name Регионална библиотека „Емануил Попдимитров“ РБ „Емануил Попдимитров“ – Кюстендил"]
    );
    assert!(page.texts(".audit-meta")[0].contains("maria"));

    // Newest first; a date range with nothing in it; a bad date.
    let all = get(&state, "/admin/audit?entity=library", Some(&admin)).await;
    let actions: Vec<String> = {
        let sel = Selector::parse("li.audit-entry").unwrap();
        all.html()
            .select(&sel)
            .map(|e| e.value().attr("data-action").unwrap().to_owned())
            .collect()
    };
    assert_eq!(actions, ["update", "create"]);
    let none = get(
        &state,
        "/admin/audit?from=2000-01-01&to=2000-12-31",
        Some(&admin),
    )
    .await;
    assert!(none.texts("li.audit-entry").is_empty());
    let bad = get(&state, "/admin/audit?from=6.6.2012", Some(&admin)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.attr(".error-summary a", "href").unwrap(), "#from");

    let csv = get(&state, "/admin/audit.csv?entity=library", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.starts_with('\u{FEFF}'));
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{FEFF}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 3, "header, update, create");
    assert!(lines[1].contains("\"maria\"") && lines[1].contains("Кюстендил"));

    // A record's history, linked from its page.
    let history = get(&state, "/history/library/705", Some(&admin)).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(history.texts("li.audit-entry").len(), 2);
}

#[tokio::test]
async fn a_history_is_readable_inside_the_scope_only() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let ok = [
        Role::Admin,
        Role::Coordinator { district: knl() },
        Role::Librarian { library: l705() },
    ];
    for role in ok {
        let c = sign_in(&store, role.clone()).await;
        assert_eq!(
            get(&state, "/history/library/705", Some(&c)).await.status,
            StatusCode::OK,
            "{role:?}"
        );
    }
    let refused = [
        Role::Viewer,
        Role::Coordinator {
            district: DistrictCode::parse("SOF").unwrap(),
        },
        Role::Librarian {
            library: LibraryId::new(1).unwrap(),
        },
    ];
    for role in refused {
        let c = sign_in(&store, role.clone()).await;
        assert_eq!(
            get(&state, "/history/library/705", Some(&c)).await.status,
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
        // Accounts: admins only.
        assert_eq!(
            get(&state, "/history/user/1", Some(&c)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        get(&state, "/history/library/705", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = sign_in(&store, Role::Admin).await;
    assert_eq!(
        get(&state, "/history/library/999", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/history/nonsense/1", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A deleted library keeps its history, for the same people.
    store.delete_library(&actor(), l705(), None).await.unwrap();
    let coordinator = sign_in(&store, Role::Coordinator { district: knl() }).await;
    let h = get(&state, "/history/library/705", Some(&coordinator)).await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.attr("li.audit-entry", "data-action").unwrap(), "delete");
}

fn meeting(person_id: PersonId) -> Event {
    Event {
        title: "Библиотеката и нейните партньори".into(),
        kind: EventKind::Meeting,
        starts: date(2012, 6, 6),
        ends: date(2012, 6, 7),
        district: Some(knl()),
        settlement: None,
        venue: String::new(),
        organisers: vec![],
        purpose: "Среща с Мария Петрова и партньорите".into(),
        expected_participants: None,
        reported_participants: None,
        participants: vec![
            Participant {
                person_id: Some(person_id),
                name: "Мария Петрова".into(),
                position: "библиотекар".into(),
                organisation: "РБ Кюстендил".into(),
                role: ParticipantRole::Speaker,
                attended: true,
            },
            Participant {
                person_id: None,
                name: "Иван Иванов".into(),
                position: "кмет".into(),
                organisation: "Община Кюстендил".into(),
                role: ParticipantRole::Guest,
                attended: true,
            },
        ],
        agenda: vec![AgendaItem {
            day: Some(date(2012, 6, 6)),
            time: None,
            speaker: "Мария Петрова".into(),
            person_id: Some(person_id),
            organisation: "РБ Кюстендил".into(),
            topic: "Е-услуги".into(),
        }],
        working_groups: vec![],
        group_method: String::new(),
        published: true,
    }
}

#[tokio::test]
async fn erasing_a_person_removes_them_everywhere_including_old_audit_entries() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let person = Person {
        name: "Мария Петрова".into(),
        position: "библиотекар".into(),
        organisation: "РБ Кюстендил".into(),
        partner_id: None,
        library: Some(l705()),
        contacts: PersonalContacts {
            email: "maria.petrova@example.bg".into(),
            phone: "+359 78 55 12 34".into(),
        },
    };
    let p = store.create(&actor(), &person).await.unwrap();
    let mut moved = person.clone();
    moved.contacts.phone = "+359 88 123 4567".into();
    store.replace(&actor(), p.id, &moved, None).await.unwrap();
    let ev = store.create(&actor(), &meeting(p.id)).await.unwrap();
    let mut ev2 = meeting(p.id);
    ev2.venue = "Зала 1".into();
    store.replace(&actor(), ev.id, &ev2, None).await.unwrap();

    // Before: the librarian of 705 sees the person's history with the contacts.
    let librarian = sign_in(&store, Role::Librarian { library: l705() }).await;
    let h = get(
        &state,
        &format!("/history/person/{}", p.id),
        Some(&librarian),
    )
    .await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(h.body.contains("+359 88 123 4567"));

    let done = store
        .erase_person(&Actor("admin".into()), p.id)
        .await
        .unwrap();
    assert_eq!(done.events, vec![ev.id]);
    assert!(done.audit_entries >= 4, "{done:?}");

    let erased = store.person(p.id).await.unwrap().unwrap().record;
    assert_eq!(erased.name, format!("[изтрито лице] {}", p.id));
    assert!(erased.position.is_empty() && erased.contacts.is_empty());
    assert_eq!(erased.organisation, "РБ Кюстендил");
    let event = store.event(ev.id).await.unwrap().unwrap().record;
    assert_eq!(event.participants[0].name, erased.name);
    assert!(event.participants[0].position.is_empty());
    assert_eq!(event.participants[1].name, "Иван Иванов", "others stay");
    assert_eq!(event.agenda[0].speaker, erased.name);
    assert_eq!(
        event.purpose,
        format!("Среща с {} и партньорите", erased.name)
    );

    let (entries, _) = store.search_audit(&AuditSearch::default()).await.unwrap();
    let everything = serde_json::to_string(&entries).unwrap();
    for secret in [
        "Мария Петрова",
        "maria.petrova@example.bg",
        "+359 78 55 12 34",
        "+359 88 123 4567",
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} is still in the audit log"
        );
    }
    // The entries stay (who, when, what), and the erasure is recorded without values.
    let (mine, _) = store
        .search_audit(&AuditSearch {
            entity: Some(EntityKind::Person),
            entity_id: Some(p.id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<AuditAction> = mine.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [AuditAction::Erase, AuditAction::Update, AuditAction::Create]
    );
    assert!(mine[0].before.is_none() && mine[0].after.is_none());
    assert_eq!(mine[0].actor, "admin");
    assert_eq!(
        mine[2].after.as_ref().unwrap()["name"],
        erased.name.as_str()
    );

    let h = get(
        &state,
        &format!("/history/person/{}", p.id),
        Some(&librarian),
    )
    .await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(!h.body.contains("Мария Петрова") && !h.body.contains("example.bg"));
    assert_eq!(h.attr("li.audit-entry", "data-action").unwrap(), "erase");
}

#[tokio::test]
async fn every_page_of_the_area_renders_in_both_languages() {
    let (store, state) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let admin = sign_in(&store, Role::Admin).await;
    for lang in ["bg", "en"] {
        let cookie = format!("{admin}; lang={lang}");
        for p in [
            "/account",
            "/admin",
            "/admin/users",
            "/admin/users/new",
            "/admin/users/1",
            "/admin/audit",
            "/history/library/705",
        ] {
            let a = get(&state, p, Some(&cookie)).await;
            assert_eq!(a.status, StatusCode::OK, "{p}");
            assert_eq!(a.attr("html", "lang").unwrap(), lang);
            // Every message key was found: none shows as a bare key.
            for prefix in ["acc-", "adm-", "aud-"] {
                assert!(
                    !a.body.contains(&format!(">{prefix}")),
                    "{p} {lang}: a bare key"
                );
            }
            assert_eq!(a.texts("h1").len(), 1, "{p}");
            // Every form field has its label.
            let sel = Selector::parse("input:not([type=hidden]), select").unwrap();
            let html = a.html();
            for input in html.select(&sel) {
                let id = input
                    .value()
                    .attr("id")
                    .unwrap_or_else(|| panic!("{p}: an input without id"));
                let label = Selector::parse(&format!("label[for='{id}']")).unwrap();
                assert!(
                    html.select(&label).next().is_some(),
                    "{p}: no label for #{id}"
                );
            }
        }
    }
}

#[tokio::test]
async fn contacts_are_visible_inside_the_scope_of_the_persons_library_only() {
    use lipa_app::{Access, App};
    let (store, _) = fresh().await;
    store.create_library(&actor(), &library()).await.unwrap();
    let person = Person {
        name: "Мария Петрова".into(),
        position: String::new(),
        organisation: String::new(),
        partner_id: None,
        library: Some(l705()),
        contacts: PersonalContacts {
            email: "maria.petrova@example.bg".into(),
            phone: String::new(),
        },
    };
    let app = App::on_store(store.clone());
    let access = |role: Option<Role>| match role {
        Some(role) => Access::user(UserId::new(1), "x", role),
        None => Access::anonymous(),
    };
    let sees = async |role: Option<Role>| {
        app.visible_contacts(&access(role), &person)
            .await
            .unwrap()
            .is_some()
    };
    assert!(sees(Some(Role::Admin)).await);
    assert!(sees(Some(Role::Coordinator { district: knl() })).await);
    assert!(sees(Some(Role::Librarian { library: l705() })).await);
    assert!(
        !sees(Some(Role::Coordinator {
            district: DistrictCode::parse("SOF").unwrap()
        }))
        .await
    );
    assert!(
        !sees(Some(Role::Librarian {
            library: LibraryId::new(1).unwrap()
        }))
        .await
    );
    assert!(!sees(Some(Role::Viewer)).await);
    assert!(!sees(None).await);
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure_and_answers_carry_hsts() {
    let session_cookie = |a: &Answer| {
        a.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("lipa_session="))
            .expect("a session cookie")
    };
    // Plain http (the default): neither, or browsers on http would drop the cookie.
    let (store, state) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let a = login(&state, "maria", PASSWORD).await;
    assert!(!session_cookie(&a).contains("Secure"));
    assert!(a.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());

    // `lipa serve --public-url https://…`.
    let secure = AppState::with_options(lipa_app::App::on_store(store.clone()), true);
    let a = login(&secure, "maria", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        session_cookie(&a).contains("Secure"),
        "{}",
        session_cookie(&a)
    );
    assert_eq!(
        a.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(),
        "max-age=31536000"
    );
    let home = get(&secure, "/", None).await;
    assert!(
        home.headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_some()
    );
}

#[tokio::test]
async fn api_tokens_end_with_a_new_password_and_with_signing_out_everywhere() {
    let (store, state) = fresh().await;
    let id = user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let app = lipa_app::App::on_store(store.clone());
    let me = lipa_app::Access::user(id, "maria", Role::Viewer);
    let works =
        async |token: &str| get_bearer(&state, "/account", token).await.status == StatusCode::OK;

    // An admin's reset (a one-time password) ends the token.
    let token = app
        .create_my_token(&me, "nightly export", 90)
        .await
        .unwrap();
    assert!(works(&token).await);
    app.reset_password(&lipa_app::Access::cli(), id, None)
        .await
        .unwrap();
    assert!(!works(&token).await);

    // So does one's own new password.
    app.reset_password(&lipa_app::Access::cli(), id, Some(PASSWORD))
        .await
        .unwrap();
    let token = app
        .create_my_token(&me, "nightly export", 90)
        .await
        .unwrap();
    assert!(works(&token).await);
    app.change_my_password(&me, PASSWORD, "ново-дърво-2026-липа")
        .await
        .unwrap();
    assert!(!works(&token).await);

    // And "sign out everywhere".
    let token = app
        .create_my_token(&me, "nightly export", 90)
        .await
        .unwrap();
    assert!(works(&token).await);
    app.end_all_sessions(&me).await.unwrap();
    assert!(!works(&token).await);
    let tokens = store.api_tokens_of(id).await.unwrap();
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().all(|t| t.revoked_at.is_some()));
}

#[tokio::test]
async fn behind_a_proxy_throttling_counts_clients_not_the_proxy() {
    let (store, _) = fresh().await;
    user_with_password(&store, "maria", Role::Viewer, PASSWORD).await;
    let app = lipa_app::App::on_store(store.clone());
    let attempt = async |state: &AppState, client: &str, login: &str, password: &str| {
        let body = serde_urlencoded::to_string([("login", login), ("password", password)]).unwrap();
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("203.0.113.9, {client}"))
            .body(Body::from(body))
            .unwrap();
        send(state, req).await.status
    };
    // Someone guesses a password of one account after another through the proxy.
    let header = lipa_web::header_name("X-Forwarded-For").unwrap();
    let state = AppState::behind_proxy(app.clone(), false, Some(header));
    let guesses = lipa_web::http::throttle::MAX_ADDRESS_FAILURES;
    for n in 0..guesses {
        let status = attempt(&state, "10.0.0.66", &format!("guess{n}"), "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt(&state, "10.0.0.66", "one-more", "wrong password").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy still signs in.
    assert_eq!(
        attempt(&state, "10.0.0.7", "maria", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    // Not told of the proxy, the server sees one client, and everyone is locked out.
    let state = AppState::new(app);
    for n in 0..guesses {
        attempt(&state, "10.0.0.66", &format!("guess{n}"), "wrong password").await;
    }
    assert_eq!(
        attempt(&state, "10.0.0.7", "maria", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_api_token_ends_at_the_lifetime_chosen_for_it() {
    let (store, state) = fresh().await;
    let (cookie, csrf) = sign_in_with_csrf(&store, Role::Librarian { library: l705() }).await;
    let made = post(
        &state,
        "/account/tokens",
        Some(&cookie),
        &[("csrf", &csrf), ("name", "quarterly"), ("days", "30")],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK);
    let user = store.user_by_login("test1").await.unwrap().unwrap().0;
    let token = &store.api_tokens_of(user.id).await.unwrap()[0];
    let expires: jiff::Timestamp = token.expires_at.parse().unwrap();
    let days = (expires - jiff::Timestamp::now()).as_secs() as f64 / 86_400.0;
    assert!((29.9..=30.0).contains(&days), "30 days from now: {days}");
    // The account page says until when.
    let page = get(&state, "/account", Some(&cookie)).await;
    assert!(
        page.texts("table.tokens td")
            .contains(&expires.strftime("%Y-%m-%d %H:%M UTC").to_string())
    );

    // A lifetime the form does not offer is refused, and no token is made.
    let odd = post(
        &state,
        "/account/tokens",
        Some(&cookie),
        &[("csrf", &csrf), ("name", "forever"), ("days", "36500")],
    )
    .await;
    assert_ne!(odd.status, StatusCode::OK);
    assert_eq!(store.api_tokens_of(user.id).await.unwrap().len(), 1);

    // A token past its end no longer signs anyone in, and the page says it expired.
    let secret = "lipa_expired-token-secret-for-the-test";
    store
        .create_api_token(
            &actor(),
            user.id,
            "old",
            &lipa_app::accounts::hash_secret(secret),
            "2020-01-01T00:00:00Z",
        )
        .await
        .unwrap();
    assert_eq!(
        get_bearer(&state, "/account", secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = get(&state, "/account", Some(&cookie)).await;
    assert!(
        page.texts("table.tokens td")
            .contains(&"expired".to_owned())
    );
}

#[tokio::test]
async fn a_one_time_password_stops_working_when_it_expires() {
    let (store, state) = fresh().await;
    let id = user_with_password(&store, "elena", Role::Admin, "a-password-she-will-lose").await;
    let hash = lipa_app::testing::hash_password("handed-over-too-long-ago").unwrap();
    store
        .set_password(
            &actor(),
            id,
            NewPassword::one_time(&hash, "2020-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let late = login(&state, "elena", "handed-over-too-long-ago").await;
    assert_eq!(late.status, StatusCode::UNAUTHORIZED);
    assert!(late.session_cookie().is_none());
    assert!(
        late.body.contains("The one-time password has expired"),
        "the page says why: {}",
        late.body
    );
    // A wrong password still says only that it is wrong: an expired one is told apart only
    // to whoever knows it.
    let wrong = login(&state, "elena", "not-the-password-at-all").await;
    assert!(!wrong.body.contains("expired"));

    // A fresh one-time password, made by an admin, works.
    let fresh_hash = lipa_app::testing::hash_password("handed-over-today-123").unwrap();
    let until = lipa_app::timestamp(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1));
    store
        .set_password(&actor(), id, NewPassword::one_time(&fresh_hash, &until))
        .await
        .unwrap();
    let ok = login(&state, "elena", "handed-over-today-123").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ok.session_cookie().is_some());
}

#[tokio::test]
async fn a_way_back_leads_only_to_this_site() {
    let (store, state) = fresh().await;
    // Another site, however it is spelt: browsers drop tabs and line breaks from a URL and read
    // a backslash as a slash, so each of these would leave lipa.
    let elsewhere = [
        "/%09/evil.example",
        "/%0A/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "https://evil.example/",
        "evil.example",
        "/%20/evil.example",
    ];
    for back in elsewhere {
        let a = get(&state, &format!("/lang/en?back={back}"), None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(a.location(), "/", "{back}");
    }
    let a = get(&state, "/lang/bg?back=/libraries%3Fdistrict%3DKNL", None).await;
    assert_eq!(a.location(), "/libraries?district=KNL");

    // The sign-in form: its hidden way back, and where it leads after signing in.
    let form = get(&state, "/login?back=/%09/evil.example", None).await;
    assert_eq!(form.attr("input[name=back]", "value").as_deref(), Some("/"));
    user_with_password(&store, "maria", Role::Viewer, "a long enough password").await;
    for (back, to) in [("/\t/evil.example", "/"), ("/libraries", "/libraries")] {
        let a = post(
            &state,
            "/login",
            None,
            &[
                ("login", "maria"),
                ("password", "a long enough password"),
                ("back", back),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{back:?}");
        assert_eq!(a.location(), to, "{back:?}");
    }
}

#[tokio::test]
async fn a_page_number_past_any_end_is_an_empty_page_not_an_overflow() {
    let (store, state) = fresh().await;
    let (admin, _) = lipa_web::testing::sign_in_with_csrf(&store, Role::Admin).await;
    let far = i64::MAX;
    for uri in [
        format!("/libraries?page={far}"),
        format!("/admin/audit?page={far}"),
        format!("/admin/audit?page=-{far}"),
        format!("/history/user/1?page={far}"),
    ] {
        let a = get(&state, &uri, Some(&admin)).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
    }
}
