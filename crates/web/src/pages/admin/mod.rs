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
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::pages::history::{Change, EntryView, PAGE_SIZE, entity_label, entry_view};
use crate::pages::me::{FormErrors, role_labels};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use lipa_app::{App, AppError, AuditSearch, Versioned};
use lipa_core::audit::EntityKind;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, LibraryId, UserId};
use lipa_core::user::{Role, User};
use serde::Deserialize;

mod audit;
mod index;
mod users;
use audit::*;
use index::*;
pub(crate) use users::*;

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

/// The signed-in admin; 401 for anonymous visitors, 403 for everyone else.
fn require_admin(ctx: &Ctx) -> Result<(), WebError> {
    ctx.access().require_admin()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(csv_field("-5"), "\"-5\"");
    }
}
