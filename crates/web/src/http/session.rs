//! Sessions: who a request comes from, looked up once per request by [`session_layer`].
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie (`Secure` behind
//! TLS); the store keeps only its SHA-256 (see `lipa_app::accounts`). Scripts use API tokens
//! (`Authorization: Bearer …`), which carry no CSRF token and cannot post forms. A user who
//! signed in with a one-time password sees only their account page until they choose their own.

use crate::AppState;
use crate::http::ctx::SignedIn;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use lipa_app::accounts::Authenticated;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "lipa_session";

impl From<Authenticated> for SignedIn {
    fn from(a: Authenticated) -> Self {
        SignedIn {
            id: a.id,
            login: a.login,
            display_name: a.display_name,
            role: a.role,
            csrf: a.csrf,
            must_change_password: a.must_change_password,
        }
    }
}

/// The user of the request's session cookie or bearer token, if it names a live one.
pub async fn session_user(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
) -> Option<SignedIn> {
    let found = if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
    {
        state.app.token_user(token.trim()).await
    } else {
        let cookie = jar.get(SESSION_COOKIE)?;
        state.app.session_user(cookie.value()).await
    };
    match found {
        Ok(user) => user.map(SignedIn::from),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            None
        }
    }
}

/// The user of the request, as [`session_layer`] found them: handlers' `Ctx` reads it instead
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

/// Starts a session for a user who just proved who they are; the cookie to set.
pub async fn start_session(
    state: &AppState,
    user_id: lipa_core::ids::UserId,
) -> Result<Cookie<'static>, crate::http::error::WebError> {
    let session = state.app.start_session(user_id).await?;
    Ok(Cookie::build((SESSION_COOKIE, session.token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.inner.secure_cookies)
        .max_age(time::Duration::hours(session.hours))
        .build())
}
