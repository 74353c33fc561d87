//! Signing in and out, sessions, the language switch, and the rule that writes come from this
//! site only.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie (`Secure` behind TLS);
//! the store keeps only its SHA-256. Each session has its own anti-forgery token, echoed in every
//! form and checked by [`crate::ctx::Ctx::check_csrf`]; on top of that, [`same_origin_writes`]
//! refuses any non-GET request that a browser marks as coming from another site. Scripts use API
//! tokens (`Authorization: Bearer …`), which carry no CSRF token and cannot post forms.
//! Failed sign-ins are throttled per account and per address.

use crate::AppState;
use crate::ctx::{Ctx, LANG_COOKIE, SignedIn};
use crate::error::{OrPage, PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Form, FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use lipa_core::Lang;
use rand::RngExt;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "lipa_session";
/// How long a session lives.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per account or address within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lang/{lang}", get(switch_language))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

/// A fresh random secret, URL-safe.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps of a secret.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The user of the request's session cookie or bearer token, if it names a live one.
pub async fn session_user(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
) -> Option<SignedIn> {
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
    {
        let user = state
            .store
            .api_token_user(&hash_secret(token.trim()))
            .await
            .ok()
            .flatten()?;
        return Some(SignedIn {
            id: user.id,
            login: user.record.login,
            display_name: user.record.display_name,
            role: user.record.role,
            csrf: String::new(),
            // A token is a credential of its own, made after the first password change.
            must_change_password: false,
        });
    }
    let cookie = jar.get(SESSION_COOKIE)?;
    match state.store.session(&hash_secret(cookie.value())).await {
        Ok(Some(s)) => Some(SignedIn {
            id: s.user.id,
            login: s.user.record.login,
            display_name: s.user.record.display_name,
            role: s.user.record.role,
            csrf: s.csrf,
            must_change_password: s.must_change_password,
        }),
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            None
        }
    }
}

/// The user of the request, as [`session_layer`] found them: handlers' [`Ctx`] reads it instead
/// of looking the session up again.
#[derive(Debug, Clone)]
pub struct Resolved(pub Option<SignedIn>);

/// Paths a user who must replace a one-time password may still open: the account page with its
/// password form, signing out, the language switch and the static files.
fn open_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/account" | "/account/password" | "/logout" | "/login"
    ) || path.starts_with("/lang/")
        || path.starts_with("/static/")
}

/// Looks up the request's session once, for every handler; and keeps a user who signed in with a
/// one-time password on their account page until they choose their own password (pages are
/// redirected there, the API answers 403).
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let user = session_user(&state, &jar, req.headers()).await;
    let path = req.uri().path();
    // The API refuses such a session itself, as a problem (see `api::Reader`).
    if user.as_ref().is_some_and(|u| u.must_change_password)
        && !open_before_password_change(path)
        && !path.starts_with("/api/")
    {
        return Redirect::to("/account").into_response();
    }
    req.extensions_mut().insert(Resolved(user));
    next.run(req).await
}

/// Starts a session for a user; returns the cookie to set.
pub async fn start_session(state: &AppState, user_id: i64) -> Result<Cookie<'static>, WebError> {
    let token = new_secret();
    let csrf = new_secret();
    let expires = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(SESSION_HOURS);
    state
        .store
        .create_session(user_id, &hash_secret(&token), &csrf, &expires.to_string())
        .await?;
    Ok(Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.inner.secure_cookies)
        .max_age(time::Duration::hours(SESSION_HOURS))
        .build())
}

/// Refuses writes that a browser says come from another site: `Sec-Fetch-Site: cross-site`, or
/// an `Origin` whose host is not this server's.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let h = req.headers();
        let cross_site =
            h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| *o != "null")
            .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
        let foreign_origin = matches!((origin_host, host), (Some(o), Some(h)) if o != h);
        if cross_site || foreign_origin {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(req).await
}

/// Failed sign-ins per key (`login:…`, `ip:…`).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    fn blocked(&self, keys: &[String]) -> bool {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter().any(|k| {
            map.get(k)
                .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < THROTTLE_WINDOW)
        })
    }

    fn fail(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < THROTTLE_WINDOW);
        }
        for k in keys {
            let e = map.entry(k.clone()).or_insert((0, Instant::now()));
            if e.1.elapsed() >= THROTTLE_WINDOW {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
    }

    fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// The client's address, when the server knows it (tests calling the router directly do not).
pub struct PeerIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(PeerIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Only a local path is a place to come back to: never another site.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.to_owned(),
        _ => "/".to_owned(),
    }
}

async fn switch_language(
    Path(lang): Path<String>,
    Query(q): Query<Back>,
    jar: CookieJar,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .max_age(time::Duration::days(365))
        .build();
    (jar.add(cookie), Redirect::to(&safe_back(q.back.as_deref()))).into_response()
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    ctx: Ctx,
    back: String,
    login: String,
    error: Option<String>,
}

async fn login_form(ctx: Ctx, Query(q): Query<Back>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&safe_back(q.back.as_deref())).into_response();
    }
    render(&LoginPage {
        back: safe_back(q.back.as_deref()),
        ctx,
        login: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    back: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    PeerIp(ip): PeerIp,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let login = form.login.trim().to_lowercase();
    let back = safe_back(form.back.as_deref());
    let ip = ip.map(|a| a.to_string()).unwrap_or_default();
    let keys = [format!("login:{login}"), format!("ip:{ip}")];
    let again = |ctx: Ctx, key: &str, status: StatusCode| {
        let error = Some(ctx.t(key));
        render_status(
            status,
            &LoginPage {
                ctx,
                back: back.clone(),
                login: login.clone(),
                error,
            },
        )
    };
    if state.inner.throttle.blocked(&keys) {
        return Ok(again(ctx, "login-throttled", StatusCode::TOO_MANY_REQUESTS));
    }
    let found = state.store.user_by_login(&login).await.or_page(&ctx)?;
    let ok = match &found {
        Some((user, Some(hash))) if !user.record.disabled => {
            let (password, hash) = (form.password.clone(), hash.clone());
            tokio::task::spawn_blocking(move || lipa_store::verify_password(&password, &hash))
                .await
                .unwrap_or(false)
        }
        _ => {
            // Spend the same time as a real check, so timing does not tell which logins exist.
            let password = form.password.clone();
            let _ = tokio::task::spawn_blocking(move || lipa_store::hash_password(&password)).await;
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        state.inner.throttle.fail(&keys);
        return Ok(again(ctx, "login-failed", StatusCode::UNAUTHORIZED));
    };
    state.inner.throttle.clear(&keys[0]);
    let cookie = start_session(&state, user.id).await.or_page(&ctx)?;
    Ok((jar.add(cookie), Redirect::to(&back)).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf).or_page(&ctx)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state
            .store
            .delete_session(&hash_secret(c.value()))
            .await
            .or_page(&ctx)?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/")).into_response())
}
