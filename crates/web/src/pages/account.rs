//! The language switch and, with the accounts of the programme, sign-in, sessions and sign-out.

use crate::AppState;
use crate::ctx::{LANG_COOKIE, SignedIn};
use axum::Router;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use lipa_core::Lang;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/lang/{lang}", get(switch_language))
}

/// The user of the request's session cookie, if it names a live session.
pub async fn session_user(_state: &AppState, _jar: &CookieJar) -> Option<SignedIn> {
    None
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

async fn switch_language(Path(lang): Path<String>, Query(q): Query<Back>, jar: CookieJar) -> Response {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .max_age(time::Duration::days(365))
        .build();
    (jar.add(cookie), Redirect::to(&safe_back(q.back.as_deref()))).into_response()
}
