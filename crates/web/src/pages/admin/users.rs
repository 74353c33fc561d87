//! Users: the list, a new user with a one-time password, a user's role, password reset,
//! disabling and enabling.

use super::*;

// --- users ------------------------------------------------------------------------------------

pub struct UserRow {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub scope: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub(super) struct UsersPage {
    ctx: Ctx,
    users: Vec<UserRow>,
}

pub(super) async fn list_users(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    require_admin(&ctx)?;
    let mut users = Vec::new();
    for u in state.app.users(&ctx.access()).await? {
        let (role, scope) = role_labels(&state.app, &ctx, &u.record.role).await;
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
    async fn parse(&self, ctx: &Ctx, app: &App, errors: &mut FormErrors) -> Option<Role> {
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
        match app.check_role_scope(&role).await {
            Ok(()) => Some(role),
            Err(AppError::Invalid(v)) => {
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
pub(super) struct NewUserPage {
    ctx: Ctx,
    login: String,
    display_name: String,
    fields: RoleFields,
    roles: Vec<RoleChoice>,
    districts: Vec<(String, String)>,
    errors: FormErrors,
}

pub(super) async fn new_user_form(ctx: Ctx) -> PageResult {
    require_admin(&ctx)?;
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
pub(super) struct NewUserForm {
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
pub(super) struct PasswordPage {
    ctx: Ctx,
    id: UserId,
    login: String,
    created: bool,
    password: String,
}

/// Puts a record's violations under the form's field IDs.
pub(super) fn user_violations(ctx: &Ctx, v: &lipa_core::Violations, errors: &mut FormErrors) {
    for x in &v.0 {
        let field = if x.field == "login" {
            "login"
        } else {
            "display_name"
        };
        errors.add(field, x.message(ctx.lang));
    }
}

pub(super) async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewUserForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    require_admin(&ctx)?;
    let app = &state.app;
    let access = ctx.access();
    let login = form.login.trim().to_lowercase();
    let display_name = form.display_name.trim().to_owned();
    let mut errors = FormErrors::default();
    let role = form.fields.parse(&ctx, app, &mut errors).await;
    let user = User {
        login: login.clone(),
        display_name: display_name.clone(),
        role: role.clone().unwrap_or(Role::Viewer),
        disabled: false,
    };
    if let Err(v) = user.validate() {
        user_violations(&ctx, &v, &mut errors);
    }
    if errors.get("login").is_none() && app.login_taken(&access, &login).await? {
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
    let (created, password) = match app.create_user(&access, &user, None).await {
        Ok((created, Some(password))) => (created, password),
        Ok((_, None)) => return Err(WebError::Internal(anyhow::anyhow!("no one-time password"))),
        Err(AppError::AlreadyExists { .. }) => return Err(WebError::Conflict),
        Err(e) => return Err(e.into()),
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
pub(super) struct UserPage {
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

pub(super) async fn user_page(
    state: &AppState,
    ctx: Ctx,
    user: Versioned<User>,
    notice: Option<String>,
    errors: FormErrors,
    form: Option<(String, RoleFields)>,
) -> PageResult {
    let (role, scope) = role_labels(&state.app, &ctx, &user.record.role).await;
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

pub(super) async fn load_user(
    state: &AppState,
    ctx: &Ctx,
    id: UserId,
) -> Result<Versioned<User>, WebError> {
    Ok(state.app.user(&ctx.access(), id).await?)
}

/// The user a form of an admin changes: the form's anti-forgery token checked, the sender an
/// admin, the user there.
async fn user_to_change(
    state: &AppState,
    ctx: &Ctx,
    csrf: &str,
    id: UserId,
) -> Result<Versioned<User>, WebError> {
    ctx.check_csrf(csrf)?;
    require_admin(ctx)?;
    load_user(state, ctx, id).await
}

#[derive(Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

pub(super) async fn show_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    Query(q): Query<Done>,
) -> PageResult {
    require_admin(&ctx)?;
    let user = load_user(&state, &ctx, id).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| matches!(*d, "saved" | "disabled" | "enabled"))
        .map(|d| ctx.t(&format!("adm-done-{d}")));
    user_page(&state, ctx, user, notice, FormErrors::default(), None).await
}

/// Whether changing `user` would leave no enabled admin.
#[derive(Deserialize)]
pub(super) struct RoleForm {
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

pub(super) async fn change_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    let current = user_to_change(&state, &ctx, &form.csrf, id).await?;
    let app = &state.app;
    let mut errors = FormErrors::default();
    let display_name = form.display_name.trim().to_owned();
    let role = form.fields.parse(&ctx, app, &mut errors).await;
    let mut changed = current.record.clone();
    changed.display_name = display_name.clone();
    if let Some(r) = &role {
        changed.role = r.clone();
    }
    if let Err(v) = changed.validate() {
        user_violations(&ctx, &v, &mut errors);
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
    match app
        .update_user(&ctx.access(), id, &changed, form.version.parse().ok())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response()),
        // The last enabled admin stays one (checked inside the change's transaction).
        Err(AppError::LastAdmin) => {
            let mut errors = FormErrors::default();
            errors.add("role-admin", ctx.t("adm-err-last-admin"));
            user_page(
                &state,
                ctx,
                current,
                None,
                errors,
                Some((display_name, form.fields)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    let user = user_to_change(&state, &ctx, &form.csrf, id).await?;
    let password = state
        .app
        .reset_password(&ctx.access(), id, None)
        .await?
        .ok_or_else(|| WebError::Internal(anyhow::anyhow!("no one-time password")))?;
    Ok(render(&PasswordPage {
        ctx,
        id,
        login: user.record.login,
        created: false,
        password,
    }))
}

pub(super) async fn set_disabled(
    state: AppState,
    ctx: Ctx,
    id: UserId,
    csrf: &str,
    disabled: bool,
) -> PageResult {
    let current = user_to_change(&state, &ctx, csrf, id).await?;
    let mut changed = current.record.clone();
    changed.disabled = disabled;
    match state
        .app
        .update_user(&ctx.access(), id, &changed, None)
        .await
    {
        Ok(_) => {}
        // The last enabled admin stays enabled (checked inside the change's transaction).
        Err(AppError::LastAdmin) => {
            let mut errors = FormErrors::default();
            errors.add("disable", ctx.t("adm-err-last-admin"));
            return user_page(&state, ctx, current, None, errors, None).await;
        }
        Err(e) => return Err(e.into()),
    }
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response())
}

pub(super) async fn disable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    set_disabled(state, ctx, id, &form.csrf, true).await
}

pub(super) async fn enable_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    set_disabled(state, ctx, id, &form.csrf, false).await
}
