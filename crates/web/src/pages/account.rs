//! Signing in and out, and the language switch. Sessions, anti-forgery and throttling are in
//! [`crate::http`]; checking a password is `lipa_app`'s.

use crate::AppState;
use crate::http::ctx::{Ctx, LANG_COOKIE};
use crate::http::error::PageResult;
use crate::http::session::{SESSION_COOKIE, start_session};
use crate::http::throttle::PeerIp;
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use lipa_app::accounts::SignIn;
use lipa_core::Lang;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lang/{lang}", get(switch_language))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Only a path on this site is a place to come back to: one slash then a path, with no
/// backslash, no control character and no white space anywhere (browsers drop tabs and line
/// breaks from URLs, so `/\t/evil.example` would become `//evil.example`, another site).
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && !b
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            b.to_owned()
        }
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
    // Counted before the password is checked, so that guesses sent at once cannot all pass.
    if !state.inner.throttle.begin(&keys) {
        return Ok(again(ctx, "login-throttled", StatusCode::TOO_MANY_REQUESTS));
    }
    let user = match state.app.check_sign_in(&login, &form.password).await? {
        SignIn::Accepted(user) => user,
        SignIn::Refused => return Ok(again(ctx, "login-failed", StatusCode::UNAUTHORIZED)),
        SignIn::OneTimePasswordExpired => {
            return Ok(again(
                ctx,
                "acc-err-one-time-expired",
                StatusCode::UNAUTHORIZED,
            ));
        }
    };
    state.inner.throttle.succeeded(&keys);
    let cookie = start_session(&state, user.id).await?;
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
    ctx.check_csrf(&form.csrf)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.app.end_session(c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/")).into_response())
}
