//! The signed-in user's own account (`/account`): their profile, changing their password,
//! signing out everywhere, and API tokens for scripts.
//!
//! Secrets are shown once and stored hashed: a new token (`lipa_` + 256 random bits) appears on
//! the page that answers its creation — not in a URL, not in a redirect — and the store keeps
//! its SHA-256 only. A token acts with its owner's role; it cannot post forms (it carries no
//! anti-forgery token), so it reads pages and calls the API only.
//!
//! Changing the password ends every session of the user (the store does that), then starts a
//! fresh one for this browser, so a stolen session dies with the old password.

use crate::AppState;
use crate::format::day_time;
use crate::http::ctx::{Ctx, SignedIn};
use crate::http::error::PageResult;
use crate::http::session::{SESSION_COOKIE, start_session};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use lipa_app::App;
use lipa_core::geo::Gazetteer;
use lipa_core::user::Role;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show_account))
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

pub use lipa_app::accounts::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, TOKEN_DAYS};

/// The problems of a form, by field ID, in the order of the form; the page shows them in an
/// error summary linking to each field, and beside the field.
#[derive(Debug, Default)]
pub struct FormErrors(pub Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Checks a new password and its confirmation; the message keys name the rule broken.
pub fn check_new_password(ctx: &Ctx, password: &str, confirm: &str, errors: &mut FormErrors) {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        errors.add(
            "new_password",
            ctx.t1("acc-err-password-short", "min", MIN_PASSWORD_CHARS),
        );
    } else if n > MAX_PASSWORD_CHARS {
        errors.add(
            "new_password",
            ctx.t1("acc-err-password-long", "max", MAX_PASSWORD_CHARS),
        );
    } else if password != confirm {
        errors.add("confirm_password", ctx.t("acc-err-password-mismatch"));
    }
}

/// The role's name and its scope, as the pages show them (`Coordinator`, `Кюстендил`).
pub async fn role_labels(app: &App, ctx: &Ctx, role: &Role) -> (String, String) {
    let name = ctx.t(&format!("adm-role-{}", role.code()));
    let scope = match role {
        Role::Admin => ctx.t("adm-scope-all"),
        Role::Viewer => ctx.t("adm-scope-none"),
        Role::Coordinator { district } => Gazetteer::get()
            .district(district.as_str())
            .map(|d| {
                if ctx.is_bg() {
                    d.name_bg.clone()
                } else {
                    d.name_en.clone()
                }
            })
            .unwrap_or_else(|| district.to_string()),
        Role::Librarian { library } => match app.library(&ctx.access(), *library).await {
            Ok(l) => format!("{} — {}", library, l.record.name),
            _ => library.to_string(),
        },
    };
    (name, scope)
}

pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "me/account.html")]
struct AccountPage {
    ctx: Ctx,
    /// Signed in with a one-time password: nothing else opens until it is changed.
    must_change: bool,
    login: String,
    display_name: String,
    role: String,
    scope: String,
    tokens: Vec<TokenView>,
    notice: Option<String>,
    errors: FormErrors,
    token_name: String,
    min_chars: usize,
    token_days: &'static [u16],
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

/// The account page, with the errors of a form sent from it (status 422) or none.
async fn account_page(
    state: &AppState,
    ctx: Ctx,
    user: SignedIn,
    notice: Option<String>,
    errors: FormErrors,
    token_name: String,
) -> PageResult {
    let (role, scope) = role_labels(&state.app, &ctx, &user.role).await;
    let now = lipa_app::timestamp(jiff::Timestamp::now());
    let tokens = state
        .app
        .my_account(&ctx.access())
        .await?
        .tokens
        .into_iter()
        .rev()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created: day_time(&t.created_at),
            last_used: t.last_used_at.as_deref().map(day_time).unwrap_or_default(),
            revoked: t.revoked_at.as_deref().map(day_time).unwrap_or_default(),
            expired: t.expires_at <= now,
            expires: day_time(&t.expires_at),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        must_change: user.must_change_password,
        login: user.login,
        display_name: user.display_name,
        role,
        scope,
        tokens,
        notice,
        errors,
        token_name,
        min_chars: MIN_PASSWORD_CHARS,
        token_days: &TOKEN_DAYS,
        ctx,
    };
    Ok(render_status(status, &page))
}

async fn show_account(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Done>,
) -> PageResult {
    let user = ctx.require_user()?.clone();
    // Only known notices: the query string must not put words on the page.
    let notice = q
        .done
        .as_deref()
        .filter(|d| matches!(*d, "password" | "revoked"))
        .map(|d| ctx.t(&format!("acc-done-{d}")));
    account_page(
        &state,
        ctx,
        user,
        notice,
        FormErrors::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?.clone();
    let access = ctx.access();
    let current_ok = state
        .app
        .verify_my_password(&access, &form.current_password)
        .await?;
    let mut errors = FormErrors::default();
    if !current_ok {
        errors.add("current_password", ctx.t("acc-err-current-wrong"));
    }
    check_new_password(
        &ctx,
        &form.new_password,
        &form.confirm_password,
        &mut errors,
    );
    if errors.is_empty() && form.new_password == form.current_password {
        errors.add("new_password", ctx.t("acc-err-password-same"));
    }
    if !errors.is_empty() {
        return account_page(&state, ctx, user, None, errors, String::new()).await;
    }
    state
        .app
        .change_my_password(&access, &form.current_password, &form.new_password)
        .await?;
    let cookie = start_session(&state, user.id).await?;
    Ok((jar.add(cookie), Redirect::to("/account?done=password")).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    state.app.end_all_sessions(&ctx.access()).await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    /// Lifetime in days, one of [`TOKEN_DAYS`]; the first when the form sends none.
    days: Option<u16>,
}

#[derive(Template)]
#[template(path = "me/token.html")]
struct TokenCreatedPage {
    ctx: Ctx,
    name: String,
    token: String,
}

async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TokenForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?.clone();
    let name = form.name.trim().to_owned();
    let mut errors = FormErrors::default();
    if name.is_empty() {
        errors.add("token_name", ctx.t("acc-err-token-name"));
    } else if name.chars().count() > 100 {
        errors.add("token_name", ctx.t1("err-too-long", "max", 100));
    }
    if !errors.is_empty() {
        return account_page(&state, ctx, user, None, errors, name).await;
    }
    let days = form.days.unwrap_or(TOKEN_DAYS[0]);
    let token = state
        .app
        .create_my_token(&ctx.access(), &name, days)
        .await?;
    Ok(render(&TokenCreatedPage { ctx, name, token }))
}

async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    state.app.revoke_my_token(&ctx.access(), id).await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}
