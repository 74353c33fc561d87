//! Administration, for admins only (others get 403, anonymous visitors the sign-in page):
//! accounts (`/admin/users`) and the audit log (`/admin/audit`, with its CSV export).
//!
//! Accounts: an admin creates a user with a role and its scope (a district of the gazetteer, a
//! library of the registry), changes them, resets a password, disables and enables. A new or
//! reset password is generated here, shown once on the page that answers the form, and stored
//! as an Argon2id hash; the admin hands it over. Disabling ends the user's sessions (the store
//! does it). The last enabled admin can be neither disabled nor demoted, so the system always
//! has someone to administer it.
//!
//! The audit log is searchable by kind, record, actor and date range, newest first, in pages;
//! the export has every matching entry as CSV (UTF-8 with BOM, so Excel reads Cyrillic).

use crate::AppState;
use crate::ctx::{Ctx, SignedIn};
use crate::error::{OrPage, PageResult, WebError};
use crate::pages::history::{Change, EntryView, PAGE_SIZE, entity_label, entry_view};
use crate::pages::me::{FormErrors, role_labels};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lipa_core::audit::{Actor, EntityKind};
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, LibraryId, RecordId};
use lipa_core::user::{Role, User};
use lipa_store::AuditSearch;
use lipa_store::{NewPassword, Store, StoreError, Versioned};
use rand::RngExt;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin_index))
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/new", get(new_user_form))
        .route("/admin/users/{id}", get(show_user))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/users/{id}/disable", post(disable_user))
        .route("/admin/users/{id}/enable", post(enable_user))
        .route("/admin/audit", get(audit_log))
        .route("/admin/audit.csv", get(audit_csv))
}

/// Letters and digits that cannot be mistaken for each other when read aloud or copied from
/// paper (no 0/o, 1/l/i).
const PASSWORD_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A one-time password to hand over: 16 characters (about 79 bits) in groups of four.
pub fn one_time_password() -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let k = rng.random_range(0..PASSWORD_ALPHABET.len());
        out.push(char::from(PASSWORD_ALPHABET[k]));
    }
    out
}

/// The signed-in admin; 401 for anonymous visitors, 403 for everyone else.
fn require_admin(ctx: &Ctx) -> Result<&SignedIn, WebError> {
    let user = ctx.require_user()?;
    if user.role == Role::Admin {
        Ok(user)
    } else {
        Err(WebError::Forbidden)
    }
}

async fn hash(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || lipa_store::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(e.into()))?
        .map_err(WebError::from)
}

// --- index ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    ctx: Ctx,
}

async fn admin_index(ctx: Ctx) -> PageResult {
    require_admin(&ctx).or_page(&ctx)?;
    Ok(render(&IndexPage { ctx }))
}

// --- users ------------------------------------------------------------------------------------

pub struct UserRow {
    pub id: RecordId,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub scope: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<UserRow>,
}

async fn list_users(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    require_admin(&ctx).or_page(&ctx)?;
    let mut users = Vec::new();
    for u in state.store.users().await.or_page(&ctx)? {
        let (role, scope) = role_labels(&state.store, &ctx, &u.record.role).await;
        users.push(UserRow {
            id: u.id,
            login: u.record.login,
            display_name: u.record.display_name,
            role,
            scope,
            disabled: u.record.disabled,
        });
    }
    Ok(render(&UsersPage { ctx, users }))
}

/// A role and its scope as the form sends them.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoleFields {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub library: String,
}

impl RoleFields {
    fn of(role: &Role) -> Self {
        let mut f = RoleFields {
            role: role.code().into(),
            ..Default::default()
        };
        match role {
            Role::Coordinator { district } => f.district = district.to_string(),
            Role::Librarian { library } => f.library = library.to_string(),
            _ => {}
        }
        f
    }

    /// The role, or the problems under the fields `role`, `district`, `library`.
    async fn parse(&self, ctx: &Ctx, store: &Store, errors: &mut FormErrors) -> Option<Role> {
        let role = match self.role.as_str() {
            "admin" => Role::Admin,
            "viewer" => Role::Viewer,
            "coordinator" => match DistrictCode::parse(&self.district) {
                Ok(district) => Role::Coordinator { district },
                Err(_) => {
                    errors.add("district", ctx.t("adm-err-district"));
                    return None;
                }
            },
            "librarian" => match LibraryId::parse(&self.library) {
                Ok(library) => Role::Librarian { library },
                Err(v) => {
                    errors.add("library", v.message(ctx.lang));
                    return None;
                }
            },
            _ => {
                errors.add("role-admin", ctx.t("adm-err-role"));
                return None;
            }
        };
        match store.check_role_scope(&role).await {
            Ok(()) => Some(role),
            Err(StoreError::Invalid(v)) => {
                for x in &v.0 {
                    let field = if x.field == "district" {
                        "district"
                    } else {
                        "library"
                    };
                    errors.add(field, x.message(ctx.lang));
                }
                None
            }
            Err(e) => {
                tracing::error!(error = %e, "scope check failed");
                errors.add("role-admin", ctx.t("error-500-text"));
                None
            }
        }
    }
}

/// One choice of the role radios.
pub struct RoleChoice {
    pub code: &'static str,
    pub label: String,
    pub hint: String,
}

pub fn role_choices(ctx: &Ctx) -> Vec<RoleChoice> {
    ["admin", "coordinator", "librarian", "viewer"]
        .into_iter()
        .map(|code| RoleChoice {
            code,
            label: ctx.t(&format!("adm-role-{code}")),
            hint: ctx.t(&format!("adm-role-{code}-hint")),
        })
        .collect()
}

/// The districts for the scope select, in the reader's language and alphabet order.
pub fn district_options(ctx: &Ctx) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Gazetteer::get()
        .districts()
        .iter()
        .map(|d| {
            let name = if ctx.is_bg() { &d.name_bg } else { &d.name_en };
            (d.code.to_string(), name.clone())
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage {
    ctx: Ctx,
    login: String,
    display_name: String,
    fields: RoleFields,
    roles: Vec<RoleChoice>,
    districts: Vec<(String, String)>,
    errors: FormErrors,
}

async fn new_user_form(ctx: Ctx) -> PageResult {
    require_admin(&ctx).or_page(&ctx)?;
    Ok(render(&NewUserPage {
        districts: district_options(&ctx),
        roles: role_choices(&ctx),
        ctx,
        login: String::new(),
        display_name: String::new(),
        fields: RoleFields {
            role: "librarian".into(),
            ..Default::default()
        },
        errors: FormErrors::default(),
    }))
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(flatten)]
    fields: RoleFields,
}

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    ctx: Ctx,
    id: RecordId,
    login: String,
    created: bool,
    password: String,
}

/// Puts a record's violations under the form's field IDs.
fn user_violations(ctx: &Ctx, v: &lipa_core::Violations, errors: &mut FormErrors) {
    for x in &v.0 {
        let field = if x.field == "login" {
            "login"
        } else {
            "display_name"
        };
        errors.add(field, x.message(ctx.lang));
    }
}

async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewUserForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf).or_page(&ctx)?;
    let admin = require_admin(&ctx).or_page(&ctx)?.clone();
    let store = &state.store;
    let login = form.login.trim().to_lowercase();
    let display_name = form.display_name.trim().to_owned();
    let mut errors = FormErrors::default();
    let role = form.fields.parse(&ctx, store, &mut errors).await;
    let user = User {
        login: login.clone(),
        display_name: display_name.clone(),
        role: role.clone().unwrap_or(Role::Viewer),
        disabled: false,
    };
    if let Err(v) = user.validate() {
        user_violations(&ctx, &v, &mut errors);
    }
    if errors.get("login").is_none() && store.user_by_login(&login).await.or_page(&ctx)?.is_some() {
        errors.add("login", ctx.t1("adm-err-login-taken", "login", &login));
    }
    if !errors.is_empty() || role.is_none() {
        // Field order: the summary lists problems as the form shows the fields.
        let order = ["login", "display_name", "role-admin", "district", "library"];
        errors
            .0
            .sort_by_key(|(f, _)| order.iter().position(|o| o == f));
        let page = NewUserPage {
            districts: district_options(&ctx),
            roles: role_choices(&ctx),
            ctx,
            login,
            display_name,
            fields: form.fields,
            errors,
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let password = one_time_password();
    let hashed = hash(password.clone()).await.or_page(&ctx)?;
    let created = match store
        .create_user(
            &Actor(admin.login.clone()),
            &user,
            Some(NewPassword::one_time(&hashed)),
        )
        .await
    {
        Ok(v) => v,
        // Someone took the login between the check and the write.
        Err(StoreError::AlreadyExists { .. }) => return Err(WebError::Conflict).or_page(&ctx),
        Err(e) => return Err(e).or_page(&ctx),
    };
    Ok(render(&PasswordPage {
        ctx,
        id: created.id,
        login,
        created: true,
        password,
    }))
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    ctx: Ctx,
    user: Versioned<User>,
    role: String,
    scope: String,
    fields: RoleFields,
    display_name: String,
    roles: Vec<RoleChoice>,
    districts: Vec<(String, String)>,
    notice: Option<String>,
    errors: FormErrors,
}

async fn user_page(
    state: &AppState,
    ctx: Ctx,
    user: Versioned<User>,
    notice: Option<String>,
    errors: FormErrors,
    form: Option<(String, RoleFields)>,
) -> PageResult {
    let (role, scope) = role_labels(&state.store, &ctx, &user.record.role).await;
    let (display_name, fields) = form.unwrap_or_else(|| {
        (
            user.record.display_name.clone(),
            RoleFields::of(&user.record.role),
        )
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UserPage {
        districts: district_options(&ctx),
        roles: role_choices(&ctx),
        ctx,
        user,
        role,
        scope,
        fields,
        display_name,
        notice,
        errors,
    };
    Ok(render_status(status, &page))
}

async fn load_user(
    state: &AppState,
    ctx: &Ctx,
    id: RecordId,
) -> Result<Versioned<User>, crate::error::PageError> {
    state
        .store
        .user(id)
        .await
        .or_page(ctx)?
        .ok_or(WebError::NotFound)
        .or_page(ctx)
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RecordId>,
    Query(q): Query<Done>,
) -> PageResult {
    require_admin(&ctx).or_page(&ctx)?;
    let user = load_user(&state, &ctx, id).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| matches!(*d, "saved" | "disabled" | "enabled"))
        .map(|d| ctx.t(&format!("adm-done-{d}")));
    user_page(&state, ctx, user, notice, FormErrors::default(), None).await
}

/// Whether changing `user` would leave no enabled admin.
async fn is_last_admin(store: &Store, user: &User) -> Result<bool, WebError> {
    Ok(user.role == Role::Admin && !user.disabled && store.enabled_admin_count().await? <= 1)
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    csrf: String,
    /// Text, not a number: with `flatten`, every field arrives as text.
    #[serde(default)]
    version: String,
    #[serde(default)]
    display_name: String,
    #[serde(flatten)]
    fields: RoleFields,
}

async fn change_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RecordId>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf).or_page(&ctx)?;
    let admin = require_admin(&ctx).or_page(&ctx)?.clone();
    let store = &state.store;
    let current = load_user(&state, &ctx, id).await?;
    let mut errors = FormErrors::default();
    let display_name = form.display_name.trim().to_owned();
    let role = form.fields.parse(&ctx, store, &mut errors).await;
    let mut changed = current.record.clone();
    changed.display_name = display_name.clone();
    if let Some(r) = &role {
        changed.role = r.clone();
    }
    if let Err(v) = changed.validate() {
        user_violations(&ctx, &v, &mut errors);
    }
    if role.as_ref().is_some_and(|r| *r != Role::Admin)
        && is_last_admin(store, &current.record).await.or_page(&ctx)?
    {
        errors.add("role-admin", ctx.t("adm-err-last-admin"));
    }
    if !errors.is_empty() {
        let order = ["display_name", "role-admin", "district", "library"];
        errors
            .0
            .sort_by_key(|(f, _)| order.iter().position(|o| o == f));
        return user_page(
            &state,
            ctx,
            current,
            None,
            errors,
            Some((display_name, form.fields)),
        )
        .await;
    }
    store
        .update_user(&Actor(admin.login), id, &changed, form.version.parse().ok())
        .await
        .or_page(&ctx)?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RecordId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf).or_page(&ctx)?;
    let admin = require_admin(&ctx).or_page(&ctx)?.clone();
    let user = load_user(&state, &ctx, id).await?;
    let password = one_time_password();
    let hashed = hash(password.clone()).await.or_page(&ctx)?;
    state
        .store
        .set_password(&Actor(admin.login), id, NewPassword::one_time(&hashed))
        .await
        .or_page(&ctx)?;
    Ok(render(&PasswordPage {
        ctx,
        id,
        login: user.record.login,
        created: false,
        password,
    }))
}

async fn set_disabled(
    state: AppState,
    ctx: Ctx,
    id: RecordId,
    csrf: &str,
    disabled: bool,
) -> PageResult {
    ctx.check_csrf(csrf).or_page(&ctx)?;
    let admin = require_admin(&ctx).or_page(&ctx)?.clone();
    let current = load_user(&state, &ctx, id).await?;
    if disabled
        && is_last_admin(&state.store, &current.record)
            .await
            .or_page(&ctx)?
    {
        let mut errors = FormErrors::default();
        errors.add("disable", ctx.t("adm-err-last-admin"));
        return user_page(&state, ctx, current, None, errors, None).await;
    }
    let mut changed = current.record.clone();
    changed.disabled = disabled;
    state
        .store
        .update_user(&Actor(admin.login), id, &changed, None)
        .await
        .or_page(&ctx)?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response())
}

async fn disable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RecordId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    set_disabled(state, ctx, id, &form.csrf, true).await
}

async fn enable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<RecordId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    set_disabled(state, ctx, id, &form.csrf, false).await
}

// --- audit log --------------------------------------------------------------------------------

/// The audit search as the form sends it; kept as typed, so the form shows it back.
#[derive(Debug, Default, Clone)]
struct AuditQuery {
    pairs: Vec<(String, String)>,
    entity: String,
    id: String,
    actor: String,
    from: String,
    to: String,
    page: i64,
}

impl AuditQuery {
    fn parse(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        AuditQuery {
            entity: get("entity"),
            id: get("id"),
            actor: get("actor"),
            from: get("from"),
            to: get("to"),
            page: get("page").parse::<i64>().unwrap_or(1).max(1),
            pairs,
        }
    }

    /// The store's search, or the problems of the date fields.
    fn search(&self, ctx: &Ctx, errors: &mut FormErrors) -> AuditSearch {
        let mut date = |field: &'static str, s: &str| -> Option<jiff::civil::Date> {
            if s.is_empty() {
                return None;
            }
            match s.parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, ctx.t1("aud-err-date", "value", s));
                    None
                }
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", ctx.t("aud-err-range"));
        }
        AuditSearch {
            entity: EntityKind::from_code(&self.entity),
            entity_id: Some(self.id.clone()).filter(|s| !s.is_empty()),
            actor: Some(self.actor.to_lowercase()).filter(|s| !s.is_empty()),
            from,
            to,
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
        }
    }

    /// The query string without the page (for the export link and page links).
    fn without_page(&self) -> String {
        crate::pages::query::with(&self.pairs, "page", None)
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    q: AuditQuery,
    kinds: Vec<(&'static str, String)>,
    entries: Vec<EntryView>,
    show_history_links: bool,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    export_query: String,
    errors: FormErrors,
}

async fn audit_log(State(state): State<AppState>, ctx: Ctx, RawQuery(raw): RawQuery) -> PageResult {
    require_admin(&ctx).or_page(&ctx)?;
    let q = AuditQuery::parse(raw.as_deref());
    let mut errors = FormErrors::default();
    let search = q.search(&ctx, &mut errors);
    let (entries, total) = if errors.is_empty() {
        state.store.search_audit(&search).await.or_page(&ctx)?
    } else {
        (Vec::new(), 0)
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let base = q.without_page();
    let page_link = |p: i64| {
        let sep = if base.is_empty() { "?" } else { "&" };
        format!("/admin/audit{base}{sep}page={p}")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AuditPage {
        kinds: EntityKind::ALL
            .iter()
            .map(|k| (k.code(), entity_label(&ctx, *k)))
            .collect(),
        entries: entries.iter().map(|e| entry_view(&ctx, e)).collect(),
        show_history_links: true,
        total,
        page: q.page,
        pages,
        prev: (q.page > 1).then(|| page_link(q.page - 1)),
        next: (q.page < pages).then(|| page_link(q.page + 1)),
        export_query: base.clone(),
        errors,
        q,
        ctx,
    };
    Ok(render_status(status, &page))
}

/// One CSV field: quoted, quotes doubled; a text that a spreadsheet would run as a formula
/// gets a leading apostrophe.
fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if risky { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

fn changes_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn audit_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, crate::error::PageError> {
    require_admin(&ctx).or_page(&ctx)?;
    let q = AuditQuery::parse(raw.as_deref());
    let mut errors = FormErrors::default();
    let mut search = q.search(&ctx, &mut errors);
    if let Some((_, m)) = errors.0.first() {
        return Err(WebError::BadRequest(m.clone())).or_page(&ctx);
    }
    search.limit = 0;
    search.offset = 0;
    let (entries, _) = state.store.search_audit(&search).await.or_page(&ctx)?;
    let mut body = String::from("\u{FEFF}");
    body.push_str(&csv_line(
        &[
            "aud-th-id",
            "aud-th-at",
            "aud-th-actor",
            "aud-th-action",
            "aud-th-entity",
            "aud-th-record",
            "aud-note",
            "aud-th-changes",
            "aud-th-before-json",
            "aud-th-after-json",
        ]
        .map(|k| ctx.t(k)),
    ));
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    for e in &entries {
        let view = entry_view(&ctx, e);
        body.push_str(&csv_line(&[
            e.id.to_string(),
            e.at.clone(),
            e.actor.clone(),
            view.action,
            view.entity,
            e.entity_id.clone(),
            e.note.clone(),
            changes_text(&view.changes),
            json(&e.before),
            json(&e.after),
        ]));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lipa-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_long_and_unambiguous() {
        let p = one_time_password();
        assert_eq!(p.chars().count(), 19);
        assert!(
            p.chars()
                .all(|c| c == '-' || PASSWORD_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(p, one_time_password());
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(csv_field("-5"), "\"-5\"");
    }
}
