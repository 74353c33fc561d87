//! The innovative service: its card (the programme's 8 steps) as a page and as one printable A4
//! sheet, and the guided form that writes it — one step per page, every save kept as a draft,
//! a check-your-answers page that publishes it, status changes, and "adopt this service" (a copy
//! into another library as a new draft), and the service's activity log (`activities.rs`: what
//! was actually done, entry by entry).
//!
//! Who may do what: anyone reads a published service; a draft exists only for users whose role
//! covers its library (everyone else gets the 404 page); every change needs that scope, the
//! session's CSRF token and the version the form was built from (a stale one gets the 409 page
//! and writes nothing). The form keeps what the user typed as text ([`CardForm`]) so that input
//! the rules refuse is shown again exactly as typed, beside its message.
//!
//! The helpers shared with the library and partner pages (where a library sits, money and dates
//! in the reader's language, the card as a view) live here too.

use crate::AppState;
use crate::format::{category_name, date_label, money_label};
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use lipa_app::services::ServiceInLibrary;
use lipa_app::{App, AppError, Versioned};
use lipa_core::ids::{LibraryId, ServiceId, Year};
use lipa_core::library::Library;
use lipa_core::money::{Currency, Money};
use lipa_core::service::{
    Activity, BudgetItem, STEPS, Service, ServiceCard, ServicePartner, ServiceStatus, Volunteer,
};
use lipa_core::taxonomy::Category;
use lipa_core::text::fold_name;
use lipa_core::{Lang, Violation, Violations};
use std::collections::BTreeMap;

mod activities;
mod adopt;
mod conflict;
mod review;
mod show;
mod wizard;
pub(crate) use activities::*;
use adopt::*;
use conflict::*;
use review::*;
pub(crate) use show::*;
pub(crate) use wizard::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/libraries/{id}/services/new",
            get(new_service_form).post(create_service),
        )
        .route("/services/{id}", get(show_service))
        .route("/services/{id}/print", get(print_service))
        .route("/services/{id}/edit/{step}", get(edit_step).post(save_step))
        .route("/services/{id}/review", get(review).post(publish))
        .route("/services/{id}/status", post(change_status))
        .route("/services/{id}/adopt", post(adopt_service))
        .route("/services/{id}/activities", post(add_activity))
        .route(
            "/activities/{id}/edit",
            get(edit_activity).post(save_activity),
        )
        .route("/activities/{id}/delete", post(delete_activity))
}

// --- shared helpers -------------------------------------------------------------------------

/// An amount as a form field shows it: no grouping, the reader's decimal mark.
fn amount_input(lang: Lang, m: Money) -> String {
    let a = m.minor.unsigned_abs();
    let decimal = if lang == Lang::Bg { ',' } else { '.' };
    format!("{}{decimal}{:02}", a / 100, a % 100)
}

/// Reads a date as `2012-06-06` (what a date field sends) or `6.6.2012` (what people type).
fn parse_date(s: &str) -> Option<Date> {
    let t = s.trim().trim_end_matches("г.").trim();
    if let Ok(d) = t.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['.', '/']).map(str::trim).collect();
    if let [d, m, y] = parts[..] {
        let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
        return Date::new(y, m, d).ok();
    }
    None
}

/// A service in a list (of a library, of a partner).
pub(crate) struct ServiceItem {
    pub id: ServiceId,
    pub name: String,
    pub category: String,
    pub year: i32,
    pub status: String,
    pub draft: bool,
}

impl ServiceItem {
    pub(crate) fn new(lang: Lang, categories: &[Category], s: &Versioned<Service>) -> Self {
        Self {
            id: s.id,
            name: s.record.card.name.clone(),
            category: category_name(categories, lang, &s.record.category),
            year: s.record.year.get(),
            status: s.record.status.label(lang),
            draft: s.record.status == ServiceStatus::Draft,
        }
    }
}

/// A service with its library and the library's place in the tree.
type Loaded = ServiceInLibrary;

fn service_id(raw: &str) -> Result<ServiceId, WebError> {
    raw.trim().parse().map_err(|_| WebError::NotFound)
}

/// Loads a service for a change: visible and in the user's scope.
async fn load(app: &App, ctx: &Ctx, raw_id: &str) -> Result<Loaded, WebError> {
    Ok(app
        .service_for_change(&ctx.access(), service_id(raw_id)?)
        .await?)
}

/// Loads a service for reading: a draft is there only for people whose scope covers it.
async fn load_visible(app: &App, ctx: &Ctx, raw_id: &str) -> Result<Loaded, WebError> {
    Ok(app.service(&ctx.access(), service_id(raw_id)?).await?)
}

/// A form body as ordered pairs (repeated rows keep their order).
struct FormData(Vec<(String, String)>);

/// A posted form whose anti-forgery token was checked: what every change of a card starts
/// from (a bad token is a 403, an unreadable body a 400).
pub(super) struct Checked(FormData);

impl axum::extract::FromRequest<AppState> for Checked {
    type Rejection = WebError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let Ok(ctx) = <Ctx as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, state,
        )
        .await;
        let req = axum::extract::Request::from_parts(parts, body);
        let body = <Bytes as axum::extract::FromRequest<AppState>>::from_request(req, state)
            .await
            .map_err(|e| WebError::body_rejected(e.status(), e.body_text()))?;
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        Ok(Checked(f))
    }
}

impl FormData {
    fn parse(body: &Bytes) -> Result<Self, WebError> {
        serde_urlencoded::from_bytes(body)
            .map(FormData)
            .map_err(|e| WebError::BadRequest(e.to_string()))
    }

    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The form's version, which must be the stored one.
    fn check_version(&self, stored: i64) -> Result<i64, WebError> {
        match self.get("version").trim().parse::<i64>() {
            Ok(v) if v == stored => Ok(v),
            Ok(_) => Err(WebError::Conflict),
            Err(_) => Err(WebError::BadRequest("version".into())),
        }
    }

    /// The rows of a repeated field (`partners[2].role`, `target_groups[0]`), in index order,
    /// with the rows left blank dropped. `fields` are the sub-fields (`""` for a plain list);
    /// those in `not_content` (a currency select always sends something) do not make a row
    /// non-blank.
    fn rows(&self, list: &str, fields: &[&str], not_content: &[&str]) -> Vec<Vec<String>> {
        /// More rows than anyone fills: a bound on what a crafted form can make us hold.
        const MAX_ROWS: usize = 200;
        let prefix = format!("{list}[");
        let mut by_index: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            let Some(rest) = k.strip_prefix(&prefix) else {
                continue;
            };
            let Some((index, field)) = rest.split_once(']') else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else {
                continue;
            };
            let field = field.strip_prefix('.').unwrap_or(field);
            let Some(pos) = fields.iter().position(|f| *f == field) else {
                continue;
            };
            if index >= MAX_ROWS {
                continue;
            }
            let row = by_index
                .entry(index)
                .or_insert_with(|| vec![String::new(); fields.len()]);
            row[pos] = v.clone();
        }
        by_index
            .into_values()
            .filter(|row| {
                row.iter()
                    .zip(fields)
                    .any(|(v, f)| !not_content.contains(f) && !v.trim().is_empty())
            })
            .collect()
    }
}

/// The step (1–8) a field of a service belongs to.
fn step_of(path: &str) -> u8 {
    let p = path.strip_prefix("card.").unwrap_or(path);
    let head = p.split(['.', '[']).next().unwrap_or("");
    match head {
        "goal" => 2,
        "target_groups" => 3,
        "partners" | "volunteers" => 4,
        "activities" => 5,
        "budget" => 6,
        "media" => 7,
        "expected" => 8,
        _ => 1,
    }
}

/// The HTML id of a field's input: `partners[0].name` → `f-partners-0-name`. A whole list
/// points at its first row.
fn field_id(path: &str) -> String {
    let p = path.strip_prefix("card.").unwrap_or(path);
    let mut id = String::from("f-");
    for c in p.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    match p {
        "target_groups" => id.push_str("-0"),
        "partners" | "volunteers" => id.push_str("-0-name"),
        "activities" => id.push_str("-0-title"),
        "budget" => id.push_str("-0-label"),
        _ => {}
    }
    id
}

/// The order fields appear in on the pages, for the error summary.
fn field_order(path: &str) -> (u8, usize, usize) {
    let p = path.strip_prefix("card.").unwrap_or(path);
    let index = p
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .and_then(|(i, _)| i.parse().ok())
        .unwrap_or(0);
    let sub = p.rsplit('.').next().unwrap_or("");
    let sub_rank = [
        "name",
        "category",
        "year",
        "role",
        "title",
        "starts",
        "ends",
        "label",
        "amount",
        "currency",
        "source",
        "social",
        "economic",
        "community",
    ]
    .iter()
    .position(|s| *s == sub)
    .unwrap_or(0);
    let list_rank = if p.starts_with("volunteers") { 1 } else { 0 };
    (step_of(p), list_rank * 1000 + index, sub_rank)
}

/// What a field is called, for the error summary: `Дейност 2 – начало`.
fn field_label(ctx: &Ctx, path: &str) -> String {
    let p = path.strip_prefix("card.").unwrap_or(path);
    let (list, rest) = match p.split_once('[') {
        Some((list, rest)) => (list, Some(rest)),
        None => (p, None),
    };
    match rest.and_then(|r| r.split_once(']')) {
        Some((index, sub)) => {
            let n = index.parse::<usize>().map(|i| i + 1).unwrap_or(1);
            let row = ctx.t1(&format!("svc-row-{list}"), "n", n);
            let sub = sub.trim_start_matches('.');
            if sub.is_empty() {
                row
            } else {
                format!(
                    "{row} – {}",
                    ctx.t(&format!("svc-field-{list}-{sub}")).to_lowercase()
                )
            }
        }
        None => ctx.t(&format!("svc-field-{}", list.replace('.', "-"))),
    }
}

/// One broken rule as the pages show it.
pub(crate) struct FieldError {
    /// The field's path (`partners[0].name`, without `card.`).
    pub path: String,
    /// Where the summary links to.
    pub href: String,
    /// The message beside the field.
    pub message: String,
    /// The line of the summary: the field's name and the message.
    pub summary: String,
}

/// The broken rules of a form, in page order.
#[derive(Default)]
pub(crate) struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// `base` is the page the fields are on (`""` for this page).
    fn new(ctx: &Ctx, v: &Violations, base: impl Fn(&str) -> String) -> Self {
        let mut list: Vec<&Violation> = v.iter().collect();
        list.sort_by_key(|v| field_order(&v.field));
        let mut out: Vec<FieldError> = Vec::new();
        for v in list {
            let path = v.field.strip_prefix("card.").unwrap_or(&v.field).to_owned();
            if out.iter().any(|e| e.path == path) {
                continue;
            }
            let message = v.message(ctx.lang);
            out.push(FieldError {
                href: format!("{}#{}", base(&v.field), field_id(&path)),
                summary: format!("{}: {message}", field_label(ctx, &path)),
                message,
                path,
            });
        }
        FieldErrors(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn items(&self) -> &[FieldError] {
        &self.0
    }

    /// The message of a field, if it broke a rule.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.path == path)
            .map(|e| e.message.as_str())
    }

    /// The message of a field of a row: `at("partners", 0, "name")`.
    pub fn at(&self, list: &str, index: &usize, field: &str) -> Option<&str> {
        let path = if field.is_empty() {
            format!("{list}[{index}]")
        } else {
            format!("{list}[{index}].{field}")
        };
        self.get(&path)
    }

    pub fn has_at(&self, list: &str, index: &usize, field: &str) -> bool {
        self.at(list, index, field).is_some()
    }

    pub fn has(&self, path: &str) -> bool {
        self.get(path).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_the_readers_way() {
        let m = Money::new(150_050, Currency::Bgn);
        assert_eq!(money_label(Lang::Bg, m), "1\u{a0}500,50 BGN");
        assert_eq!(money_label(Lang::En, m), "1,500.50 BGN");
        assert_eq!(
            money_label(Lang::En, Money::new(5, Currency::Eur)),
            "0.05 EUR"
        );
    }

    #[test]
    fn dates_are_read_both_ways() {
        let d = jiff::civil::date(2012, 6, 6);
        assert_eq!(parse_date("2012-06-06"), Some(d));
        assert_eq!(parse_date("6.6.2012"), Some(d));
        assert_eq!(parse_date("06.06.2012 г."), Some(d));
        assert_eq!(parse_date("31.02.2012"), None);
        assert_eq!(parse_date("утре"), None);
    }

    #[test]
    fn fields_map_to_ids_and_steps() {
        assert_eq!(field_id("card.partners[0].name"), "f-partners-0-name");
        assert_eq!(field_id("card.target_groups"), "f-target_groups-0");
        assert_eq!(field_id("expected.social"), "f-expected-social");
        assert_eq!(step_of("card.budget[2].amount"), 6);
        assert_eq!(step_of("volunteers[0].name"), 4);
        assert_eq!(step_of("card.name"), 1);
    }

    #[test]
    fn blank_rows_are_dropped_and_order_kept() {
        let f = FormData(vec![
            ("budget[0].label".into(), "".into()),
            ("budget[0].currency".into(), "EUR".into()),
            ("budget[1].label".into(), "Проектор".into()),
            ("budget[1].amount".into(), "12,5".into()),
            ("budget[1].currency".into(), "BGN".into()),
        ]);
        let rows = f.rows(
            "budget",
            &["label", "amount", "currency", "source"],
            &["currency"],
        );
        assert_eq!(rows, vec![vec!["Проектор", "12,5", "BGN", ""]]);
    }
}
