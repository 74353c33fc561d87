//! The innovative service: its card (the programme's 8 steps) as a page and as one printable A4
//! sheet, and the guided form that writes it — one step per page, every save kept as a draft,
//! a check-your-answers page that publishes it, status changes, and "adopt this service" (a copy
//! into another library as a new draft).
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
use crate::ctx::Ctx;
use crate::error::{OrPage, PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use lipa_core::audit::Actor;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{CategoryCode, LibraryId, RecordId, Year};
use lipa_core::library::Library;
use lipa_core::money::{Currency, Money};
use lipa_core::service::{
    Activity, BudgetItem, STEPS, Service, ServiceCard, ServicePartner, ServiceStatus, Volunteer,
};
use lipa_core::taxonomy::Category;
use lipa_core::text::fold_name;
use lipa_core::user::Place;
use lipa_core::{Lang, Violation, Violations};
use lipa_store::{Store, StoreError, Versioned};
use std::collections::BTreeMap;

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
}

// --- shared helpers -------------------------------------------------------------------------

/// Where a library sits in the tree, for scope checks.
pub(crate) fn library_place(lib: &Library) -> Place {
    let district = Gazetteer::get()
        .settlement(lib.settlement.as_str())
        .map(|s| s.district.clone());
    Place {
        district,
        library: Some(lib.id),
    }
}

/// A date as people of the language write it: `06.06.2012` / `2012-06-06`.
pub(crate) fn date_label(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Bg => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

/// An amount with thousands grouped and the reader's decimal mark: `1 500,50 BGN` / `1,500.50 BGN`.
pub(crate) fn money_label(lang: Lang, m: Money) -> String {
    let (group, decimal) = match lang {
        Lang::Bg => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let a = m.minor.unsigned_abs();
    let digits = (a / 100).to_string();
    let mut whole = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            whole.push(group);
        }
        whole.push(c);
    }
    let sign = if m.minor < 0 { "-" } else { "" };
    format!("{sign}{whole}{decimal}{:02} {}", a % 100, m.currency.code())
}

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

pub(crate) fn category_name(categories: &[Category], lang: Lang, code: &CategoryCode) -> String {
    categories
        .iter()
        .find(|c| &c.code == code)
        .map(|c| c.name(lang).to_owned())
        .unwrap_or_else(|| code.to_string())
}

/// A service in a list (of a library, of a partner).
pub(crate) struct ServiceItem {
    pub id: RecordId,
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
struct Loaded {
    service: Versioned<Service>,
    library: Versioned<Library>,
    place: Place,
}

impl Loaded {
    fn id(&self) -> RecordId {
        self.service.id
    }
}

async fn load(store: &Store, raw_id: &str) -> Result<Loaded, WebError> {
    let id: RecordId = raw_id.trim().parse().map_err(|_| WebError::NotFound)?;
    let service = store.service(id).await?.ok_or(WebError::NotFound)?;
    let library = store
        .library(service.record.library)
        .await?
        .ok_or(WebError::NotFound)?;
    let place = library_place(&library.record);
    Ok(Loaded {
        service,
        library,
        place,
    })
}

/// Loads a service for reading: a draft is there only for people whose scope covers it.
async fn load_visible(store: &Store, ctx: &Ctx, raw_id: &str) -> Result<Loaded, WebError> {
    let l = load(store, raw_id).await?;
    if !l.service.record.status.is_published() && !ctx.can_see_private(&l.place) {
        return Err(WebError::NotFound);
    }
    Ok(l)
}

/// A form body as ordered pairs (repeated rows keep their order).
struct FormData(Vec<(String, String)>);

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

fn actor(ctx: &Ctx) -> Actor {
    Actor(
        ctx.user
            .as_ref()
            .map(|u| u.login.clone())
            .unwrap_or_default(),
    )
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

// --- the card as a view ---------------------------------------------------------------------

pub(crate) struct PartnerView {
    pub name: String,
    pub role: String,
    pub href: Option<String>,
}

pub(crate) struct ActivityView {
    pub title: String,
    pub starts: String,
    pub ends: String,
}

pub(crate) struct BudgetView {
    pub label: String,
    pub source: String,
    pub amount: String,
    /// The other currency at the fixed rate, for items in leva.
    pub converted: String,
}

/// Everything a card page, the print sheet and the review page show of a service.
pub(crate) struct CardView {
    pub id: RecordId,
    pub version: i64,
    pub name: String,
    pub category: String,
    pub year: i32,
    pub status: String,
    pub status_code: &'static str,
    pub draft: bool,
    pub library_id: u32,
    pub library_name: String,
    pub place: String,
    pub titles: Vec<String>,
    pub goal: String,
    pub target_groups: Vec<String>,
    pub partners: Vec<PartnerView>,
    pub activities: Vec<ActivityView>,
    pub budget: Vec<BudgetView>,
    pub total_eur: String,
    pub total_bgn: String,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
    pub volunteer_supported: bool,
    pub volunteers: Vec<(String, String)>,
    /// "Change" links to the steps (the review page).
    pub change_links: bool,
}

impl CardView {
    /// The title of step `n` (1–8).
    pub fn title(&self, n: usize) -> &str {
        self.titles.get(n - 1).map(String::as_str).unwrap_or("")
    }
}

pub(crate) fn step_titles(ctx: &Ctx) -> Vec<String> {
    (1..=STEPS)
        .map(|n| ctx.t(&format!("svc-step-{n}")))
        .collect()
}

async fn card_view(store: &Store, ctx: &Ctx, l: &Loaded) -> Result<CardView, WebError> {
    let categories = store.categories().await?;
    let links = store.service_partner_links(&[l.id()]).await?;
    let s = &l.service.record;
    let c = &s.card;
    let lang = ctx.lang;
    let (place, _) = super::libraries::place_label(lang, &l.library.record);
    Ok(CardView {
        id: l.id(),
        version: l.service.version,
        name: c.name.clone(),
        category: category_name(&categories, lang, &s.category),
        year: s.year.get(),
        status: s.status.label(lang),
        status_code: s.status.code(),
        draft: s.status == ServiceStatus::Draft,
        library_id: l.library.record.id.get(),
        library_name: l.library.record.name.clone(),
        place,
        titles: step_titles(ctx),
        goal: c.goal.clone(),
        target_groups: c.target_groups.clone(),
        partners: c
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| PartnerView {
                name: p.name.clone(),
                role: p.role.clone(),
                href: p
                    .partner_id
                    .or_else(|| {
                        links
                            .iter()
                            .find(|k| k.position == i)
                            .and_then(|k| k.partner_id)
                    })
                    .map(|id| format!("/partners/{id}")),
            })
            .collect(),
        activities: c
            .activities
            .iter()
            .map(|a| ActivityView {
                title: a.title.clone(),
                starts: a.starts.map(|d| date_label(lang, d)).unwrap_or_default(),
                ends: a.ends.map(|d| date_label(lang, d)).unwrap_or_default(),
            })
            .collect(),
        budget: c
            .budget
            .iter()
            .map(|b| BudgetView {
                label: b.label.clone(),
                source: b.source.clone(),
                amount: money_label(lang, b.amount),
                converted: if b.amount.currency == Currency::Bgn {
                    money_label(lang, b.amount.convert(Currency::Eur))
                } else {
                    money_label(lang, b.amount.convert(Currency::Bgn))
                },
            })
            .collect(),
        total_eur: money_label(lang, c.budget_total(Currency::Eur)),
        total_bgn: money_label(lang, c.budget_total(Currency::Bgn)),
        media: c.media.clone(),
        social: c.expected.social.clone(),
        economic: c.expected.economic.clone(),
        community: c.expected.community.clone(),
        volunteer_supported: s.volunteer_supported,
        volunteers: s
            .volunteers
            .iter()
            .map(|v| (v.name.clone(), v.role.clone()))
            .collect(),
        change_links: false,
    })
}

// --- the card page --------------------------------------------------------------------------

/// A library the user may adopt a service into.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "services/show.html")]
struct ShowPage {
    ctx: Ctx,
    card: CardView,
    can_change: bool,
    statuses: Vec<Choice>,
    adopt_targets: Vec<Choice>,
    this_year: i32,
    /// schema.org `Service` of a published service (see [`crate::linked_data`]).
    jsonld: Option<String>,
}

fn this_year() -> i32 {
    i32::from(jiff::ZonedDateTime::now().year())
}

/// The libraries in the user's scope, but `except`, for the adopt form.
async fn adopt_targets(
    store: &Store,
    ctx: &Ctx,
    except: LibraryId,
) -> Result<Vec<Choice>, WebError> {
    if ctx.user.is_none() {
        return Ok(vec![]);
    }
    Ok(store
        .libraries()
        .await?
        .into_iter()
        .filter(|l| l.record.id != except && ctx.can_change(&library_place(&l.record)))
        .map(|l| {
            let (place, _) = super::libraries::place_label(ctx.lang, &l.record);
            Choice {
                value: l.record.id.to_string(),
                label: format!("{} – {} ({})", l.record.id, l.record.name, place),
            }
        })
        .collect())
}

async fn show_service(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let store = &state.store;
    let l = load_visible(store, &ctx, &id).await.or_page(&ctx)?;
    let card = card_view(store, &ctx, &l).await.or_page(&ctx)?;
    let adopt = adopt_targets(store, &ctx, l.library.record.id)
        .await
        .or_page(&ctx)?;
    let page = ShowPage {
        can_change: ctx.can_change(&l.place),
        statuses: ServiceStatus::ALL
            .into_iter()
            .filter(|s| s.is_published())
            .map(|s| Choice {
                value: s.code().into(),
                label: s.label(ctx.lang),
            })
            .collect(),
        adopt_targets: adopt,
        this_year: this_year(),
        jsonld: l.service.record.status.is_published().then(|| {
            crate::linked_data::script_json(&crate::linked_data::service(
                &crate::linked_data::origin(&headers, &state),
                &format!("/services/{}", l.id()),
                &l.service.record,
                &card.category,
                &l.library.record,
            ))
        }),
        card,
        ctx,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "services/print.html")]
struct PrintPage {
    ctx: Ctx,
    card: CardView,
}

async fn print_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let l = load_visible(&state.store, &ctx, &id).await.or_page(&ctx)?;
    let card = card_view(&state.store, &ctx, &l).await.or_page(&ctx)?;
    Ok(render(&PrintPage { ctx, card }))
}

// --- the guided form ------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub(crate) struct PartnerRow {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ActivityRow {
    pub title: String,
    pub starts: String,
    pub ends: String,
}

#[derive(Debug, Clone)]
pub(crate) struct BudgetRow {
    pub label: String,
    pub amount: String,
    pub currency: String,
    pub source: String,
}

impl Default for BudgetRow {
    fn default() -> Self {
        Self {
            label: String::new(),
            amount: String::new(),
            // The currency of Bulgaria since 1 January 2026.
            currency: Currency::Eur.code().into(),
            source: String::new(),
        }
    }
}

/// The card as the form holds it: text as typed, so that a refused value is shown back as it
/// was entered.
#[derive(Debug, Clone, Default)]
pub(crate) struct CardForm {
    pub name: String,
    pub category: String,
    pub year: String,
    pub goal: String,
    pub target_groups: Vec<String>,
    pub partners: Vec<PartnerRow>,
    pub volunteer_supported: bool,
    pub volunteers: Vec<PartnerRow>,
    pub activities: Vec<ActivityRow>,
    pub budget: Vec<BudgetRow>,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
}

/// Empty rows every list offers below its filled ones.
const EMPTY_ROWS: usize = 2;
/// The most empty rows "add another row" piles up.
const MAX_EXTRA: usize = 20;

impl CardForm {
    fn from_service(lang: Lang, s: &Service) -> Self {
        let c = &s.card;
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            name: c.name.clone(),
            category: s.category.to_string(),
            year: s.year.to_string(),
            goal: c.goal.clone(),
            target_groups: c.target_groups.clone(),
            partners: c
                .partners
                .iter()
                .map(|p| PartnerRow {
                    name: p.name.clone(),
                    role: p.role.clone(),
                })
                .collect(),
            volunteer_supported: s.volunteer_supported,
            volunteers: s
                .volunteers
                .iter()
                .map(|v| PartnerRow {
                    name: v.name.clone(),
                    role: v.role.clone(),
                })
                .collect(),
            activities: c
                .activities
                .iter()
                .map(|a| ActivityRow {
                    title: a.title.clone(),
                    starts: date(a.starts),
                    ends: date(a.ends),
                })
                .collect(),
            budget: c
                .budget
                .iter()
                .map(|b| BudgetRow {
                    label: b.label.clone(),
                    amount: amount_input(lang, b.amount),
                    currency: b.amount.currency.code().into(),
                    source: b.source.clone(),
                })
                .collect(),
            media: c.media.clone(),
            social: c.expected.social.clone(),
            economic: c.expected.economic.clone(),
            community: c.expected.community.clone(),
        }
    }

    /// Takes the fields of `step` from a posted form.
    fn read_step(&mut self, step: u8, f: &FormData) {
        let pair = |r: Vec<String>| PartnerRow {
            name: r[0].clone(),
            role: r[1].clone(),
        };
        match step {
            1 => {
                self.name = f.get("name").to_owned();
                self.category = f.get("category").to_owned();
                self.year = f.get("year").to_owned();
            }
            2 => self.goal = f.get("goal").to_owned(),
            3 => {
                self.target_groups = f
                    .rows("target_groups", &[""], &[])
                    .into_iter()
                    .map(|mut r| r.remove(0))
                    .collect();
            }
            4 => {
                self.partners = f
                    .rows("partners", &["name", "role"], &[])
                    .into_iter()
                    .map(pair)
                    .collect();
                self.volunteer_supported = f.get("volunteer_supported") == "yes";
                self.volunteers = f
                    .rows("volunteers", &["name", "role"], &[])
                    .into_iter()
                    .map(pair)
                    .collect();
            }
            5 => {
                self.activities = f
                    .rows("activities", &["title", "starts", "ends"], &[])
                    .into_iter()
                    .map(|r| ActivityRow {
                        title: r[0].clone(),
                        starts: r[1].clone(),
                        ends: r[2].clone(),
                    })
                    .collect();
            }
            6 => {
                self.budget = f
                    .rows(
                        "budget",
                        &["label", "amount", "currency", "source"],
                        &["currency"],
                    )
                    .into_iter()
                    .map(|r| BudgetRow {
                        label: r[0].clone(),
                        amount: r[1].clone(),
                        currency: r[2].clone(),
                        source: r[3].clone(),
                    })
                    .collect();
            }
            7 => self.media = f.get("media").to_owned(),
            8 => {
                self.social = f.get("expected.social").to_owned();
                self.economic = f.get("expected.economic").to_owned();
                self.community = f.get("expected.community").to_owned();
            }
            _ => {}
        }
    }

    /// Writes the fields of `step` into `s`, with the rules of a draft: what cannot be read
    /// (a date, an amount) and what `ServiceCard::validate_step` refuses.
    fn apply_step(&self, step: u8, categories: &[Category], s: &mut Service) -> Violations {
        let mut v = Violations::default();
        match step {
            1 => {
                s.card.name = self.name.trim().to_owned();
                match categories.iter().find(|c| c.code.as_str() == self.category) {
                    Some(c) => s.category = c.code.clone(),
                    None => v.push(Violation::new("category", "svc-err-choose-category")),
                }
                match Year::parse(&self.year) {
                    Ok(y) => s.year = y,
                    Err(e) => v.push(Violation {
                        field: "year".into(),
                        ..e
                    }),
                }
            }
            2 => s.card.goal = self.goal.trim().to_owned(),
            3 => {
                s.card.target_groups = self
                    .target_groups
                    .iter()
                    .map(|t| t.trim().to_owned())
                    .collect();
            }
            4 => {
                let old = std::mem::take(&mut s.card.partners);
                s.card.partners = self
                    .partners
                    .iter()
                    .map(|p| {
                        let name = p.name.trim().to_owned();
                        // A partner kept under the same name keeps its link to the registry.
                        let partner_id = old
                            .iter()
                            .find(|o| fold_name(&o.name) == fold_name(&name))
                            .and_then(|o| o.partner_id);
                        ServicePartner {
                            partner_id,
                            name,
                            role: p.role.trim().to_owned(),
                        }
                    })
                    .collect();
                s.volunteer_supported = self.volunteer_supported;
                s.volunteers = self
                    .volunteers
                    .iter()
                    .map(|p| Volunteer {
                        name: p.name.trim().to_owned(),
                        role: p.role.trim().to_owned(),
                    })
                    .collect();
                for (i, vol) in s.volunteers.iter().enumerate() {
                    lipa_core::error::check_text(
                        &mut v,
                        &format!("volunteers[{i}].name"),
                        &vol.name,
                        true,
                        200,
                    );
                    lipa_core::error::check_text(
                        &mut v,
                        &format!("volunteers[{i}].role"),
                        &vol.role,
                        false,
                        300,
                    );
                }
            }
            5 => {
                let mut date = |i: usize, field: &str, text: &str| {
                    if text.trim().is_empty() {
                        return None;
                    }
                    let d = parse_date(text);
                    if d.is_none() {
                        v.push(
                            Violation::new(format!("activities[{i}].{field}"), "svc-err-date")
                                .arg("value", text.trim()),
                        );
                    }
                    d
                };
                s.card.activities = self
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Activity {
                        title: a.title.trim().to_owned(),
                        starts: date(i, "starts", &a.starts),
                        ends: date(i, "ends", &a.ends),
                    })
                    .collect();
            }
            6 => {
                s.card.budget = self
                    .budget
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let currency = Currency::parse(&b.currency).unwrap_or(Currency::Eur);
                        let amount = if b.amount.trim().is_empty() {
                            v.push(Violation::new(
                                format!("budget[{i}].amount"),
                                "err-required",
                            ));
                            Money::new(0, currency)
                        } else {
                            Money::parse(&b.amount, currency).unwrap_or_else(|e| {
                                v.push(Violation {
                                    field: format!("budget[{i}].amount"),
                                    ..e
                                });
                                Money::new(0, currency)
                            })
                        };
                        BudgetItem {
                            label: b.label.trim().to_owned(),
                            amount,
                            source: b.source.trim().to_owned(),
                        }
                    })
                    .collect();
            }
            7 => s.card.media = self.media.trim().to_owned(),
            8 => {
                s.card.expected.social = self.social.trim().to_owned();
                s.card.expected.economic = self.economic.trim().to_owned();
                s.card.expected.community = self.community.trim().to_owned();
            }
            _ => {}
        }
        let rules: Vec<Violation> = s
            .card
            .validate_step(step, false)
            .0
            .into_iter()
            .filter(|r| !v.0.iter().any(|e| e.field == r.field))
            .collect();
        v.0.extend(rules);
        v
    }

    /// Adds the empty rows a list offers to fill.
    fn pad(&mut self, extra: usize) {
        let n = |filled: usize| EMPTY_ROWS.max(3usize.saturating_sub(filled)) + extra;
        let k = n(self.target_groups.len());
        self.target_groups
            .extend(std::iter::repeat_n(String::new(), k));
        let k = n(self.partners.len());
        self.partners
            .extend(std::iter::repeat_n(PartnerRow::default(), k));
        let k = n(self.volunteers.len()).min(EMPTY_ROWS + extra);
        self.volunteers
            .extend(std::iter::repeat_n(PartnerRow::default(), k));
        let k = n(self.activities.len());
        self.activities
            .extend(std::iter::repeat_n(ActivityRow::default(), k));
        let k = n(self.budget.len());
        self.budget
            .extend(std::iter::repeat_n(BudgetRow::default(), k));
    }
}

/// A link of the step navigation.
pub(crate) struct StepLink {
    pub n: u8,
    pub title: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "services/step.html")]
struct StepPage {
    ctx: Ctx,
    id: RecordId,
    version: i64,
    step: u8,
    title: String,
    steps: Vec<StepLink>,
    service_name: String,
    library_id: u32,
    library_name: String,
    form: CardForm,
    errors: FieldErrors,
    extra: usize,
    categories: Vec<Choice>,
    partner_names: Vec<String>,
    currencies: Vec<&'static str>,
}

fn parse_step(raw: &str) -> Result<u8, WebError> {
    match raw.parse::<u8>() {
        Ok(n) if (1..=STEPS).contains(&n) => Ok(n),
        _ => Err(WebError::NotFound),
    }
}

fn step_links(ctx: &Ctx, id: RecordId, current: u8) -> Vec<StepLink> {
    (1..=STEPS)
        .map(|n| StepLink {
            n,
            title: ctx.t(&format!("svc-step-short-{n}")),
            href: format!("/services/{id}/edit/{n}"),
            current: n == current,
        })
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page's parts, named at the call"
)]
async fn step_page(
    store: &Store,
    ctx: &Ctx,
    l: &Loaded,
    step: u8,
    mut form: CardForm,
    errors: FieldErrors,
    extra: usize,
    status: StatusCode,
) -> Result<Response, WebError> {
    let categories = store.categories().await?;
    let partner_names = if step == 4 {
        store
            .partners()
            .await?
            .into_iter()
            .map(|p| p.record.name)
            .collect()
    } else {
        vec![]
    };
    form.pad(extra);
    let page = StepPage {
        ctx: ctx.clone(),
        id: l.id(),
        version: l.service.version,
        step,
        title: ctx.t(&format!("svc-step-{step}")),
        steps: step_links(ctx, l.id(), step),
        service_name: l.service.record.card.name.clone(),
        library_id: l.library.record.id.get(),
        library_name: l.library.record.name.clone(),
        form,
        errors,
        extra,
        categories: categories
            .iter()
            .map(|c| Choice {
                value: c.code.to_string(),
                label: c.name(ctx.lang).to_owned(),
            })
            .collect(),
        partner_names,
        currencies: vec![Currency::Eur.code(), Currency::Bgn.code()],
    };
    Ok(render_status(status, &page))
}

fn extra_of(raw: Option<&str>) -> usize {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
    pairs
        .iter()
        .find(|(k, _)| k == "extra")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_EXTRA)
}

async fn edit_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let run = async {
        let step = parse_step(&step)?;
        let l = load(&state.store, &id).await?;
        ctx.require_change(&l.place)?;
        let form = CardForm::from_service(ctx.lang, &l.service.record);
        step_page(
            &state.store,
            &ctx,
            &l,
            step,
            form,
            FieldErrors::default(),
            extra_of(raw.as_deref()),
            StatusCode::OK,
        )
        .await
    };
    run.await.or_page(&ctx)
}

async fn save_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let run = async {
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        let step = parse_step(&step)?;
        let store = &state.store;
        let l = load(store, &id).await?;
        ctx.require_change(&l.place)?;
        let version = f.check_version(l.service.version)?;
        let action = f.get("action");
        let extra = f.get("extra").parse::<usize>().unwrap_or(0).min(MAX_EXTRA)
            + usize::from(action == "add-row");
        let categories = store.categories().await?;
        let mut form = CardForm::from_service(ctx.lang, &l.service.record);
        form.read_step(step, &f);
        let mut service = l.service.record.clone();
        let violations = form.apply_step(step, &categories, &mut service);
        let show_errors = |v: &Violations, form: CardForm| {
            let errors = FieldErrors::new(&ctx, v, |_| String::new());
            step_page(
                store,
                &ctx,
                &l,
                step,
                form,
                errors,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        };
        if !violations.is_empty() {
            return show_errors(&violations, form).await;
        }
        match store
            .update_service(&actor(&ctx), l.id(), &service, Some(version))
            .await
        {
            Ok(_) => {}
            Err(StoreError::Invalid(v)) => return show_errors(&v, form).await,
            Err(e) => return Err(e.into()),
        }
        let id = l.id();
        let to = match action {
            "leave" => format!("/services/{id}"),
            "add-row" => format!("/services/{id}/edit/{step}?extra={extra}"),
            _ if step < STEPS => format!("/services/{id}/edit/{}", step + 1),
            _ => format!("/services/{id}/review"),
        };
        Ok(Redirect::to(&to).into_response())
    };
    run.await.or_page(&ctx)
}

// --- a new service --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "services/new.html")]
struct NewPage {
    ctx: Ctx,
    library_id: u32,
    library_name: String,
    categories: Vec<Choice>,
    category: String,
    year: String,
    errors: FieldErrors,
}

async fn load_library(store: &Store, raw: &str) -> Result<(Versioned<Library>, Place), WebError> {
    let id = LibraryId::parse(raw).map_err(|_| WebError::NotFound)?;
    let lib = store.library(id).await?.ok_or(WebError::NotFound)?;
    let place = library_place(&lib.record);
    Ok((lib, place))
}

async fn new_page(
    store: &Store,
    ctx: &Ctx,
    lib: &Versioned<Library>,
    category: String,
    year: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let categories = store.categories().await?;
    let page = NewPage {
        ctx: ctx.clone(),
        library_id: lib.record.id.get(),
        library_name: lib.record.name.clone(),
        categories: categories
            .iter()
            .map(|c| Choice {
                value: c.code.to_string(),
                label: c.name(ctx.lang).to_owned(),
            })
            .collect(),
        category,
        year,
        errors,
    };
    Ok(render_status(status, &page))
}

async fn new_service_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let run = async {
        let (lib, place) = load_library(&state.store, &id).await?;
        ctx.require_change(&place)?;
        new_page(
            &state.store,
            &ctx,
            &lib,
            String::new(),
            this_year().to_string(),
            FieldErrors::default(),
            StatusCode::OK,
        )
        .await
    };
    run.await.or_page(&ctx)
}

/// Creates the draft at once — with a working title, since a service always has a name — and
/// goes to step 1, where the title is replaced.
async fn create_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let run = async {
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        let store = &state.store;
        let (lib, place) = load_library(store, &id).await?;
        ctx.require_change(&place)?;
        let categories = store.categories().await?;
        let mut v = Violations::default();
        let category = categories
            .iter()
            .find(|c| c.code.as_str() == f.get("category"));
        if category.is_none() {
            v.push(Violation::new("category", "svc-err-choose-category"));
        }
        let year = match Year::parse(f.get("year")) {
            Ok(y) => Some(y),
            Err(e) => {
                v.push(Violation {
                    field: "year".into(),
                    ..e
                });
                None
            }
        };
        let (Some(category), Some(year)) = (category, year) else {
            let errors = FieldErrors::new(&ctx, &v, |_| String::new());
            return new_page(
                store,
                &ctx,
                &lib,
                f.get("category").to_owned(),
                f.get("year").to_owned(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        };
        let service = Service {
            library: lib.record.id,
            year,
            category: category.code.clone(),
            status: ServiceStatus::Draft,
            volunteer_supported: false,
            volunteers: vec![],
            card: ServiceCard {
                name: ctx.t1("svc-working-title", "category", category.name(ctx.lang)),
                ..Default::default()
            },
            results: vec![],
        };
        let created = store.create_service(&actor(&ctx), &service).await?;
        Ok(Redirect::to(&format!("/services/{}/edit/1", created.id)).into_response())
    };
    run.await.or_page(&ctx)
}

// --- check your answers and publish ----------------------------------------------------------

#[derive(Template)]
#[template(path = "services/review.html")]
struct ReviewPage {
    ctx: Ctx,
    card: CardView,
    errors: FieldErrors,
    can_change: bool,
}

/// What a published card lacks, each linked to its step.
fn publish_problems(ctx: &Ctx, id: RecordId, s: &Service) -> FieldErrors {
    let mut published = s.clone();
    published.status = ServiceStatus::Planned;
    match published.validate() {
        Ok(()) => FieldErrors::default(),
        Err(v) => FieldErrors::new(ctx, &v, |path| {
            format!("/services/{id}/edit/{}", step_of(path))
        }),
    }
}

async fn review_page(
    store: &Store,
    ctx: &Ctx,
    l: &Loaded,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut card = card_view(store, ctx, l).await?;
    card.change_links = true;
    let page = ReviewPage {
        ctx: ctx.clone(),
        errors: publish_problems(ctx, l.id(), &l.service.record),
        can_change: ctx.can_change(&l.place),
        card,
    };
    Ok(render_status(status, &page))
}

async fn review(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let run = async {
        let l = load(&state.store, &id).await?;
        ctx.require_change(&l.place)?;
        review_page(&state.store, &ctx, &l, StatusCode::OK).await
    };
    run.await.or_page(&ctx)
}

/// Sets a service's status after checking the card with the rules of a published one; a card
/// that breaks them is shown on the review page with its problems.
async fn set_status(
    store: &Store,
    ctx: &Ctx,
    l: &Loaded,
    version: i64,
    status: ServiceStatus,
) -> Result<Response, WebError> {
    let mut s = l.service.record.clone();
    s.status = status;
    if status.is_published() && s.validate().is_err() {
        return review_page(store, ctx, l, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    store
        .update_service(&actor(ctx), l.id(), &s, Some(version))
        .await?;
    Ok(Redirect::to(&format!("/services/{}", l.id())).into_response())
}

async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let run = async {
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        let l = load(&state.store, &id).await?;
        ctx.require_change(&l.place)?;
        let version = f.check_version(l.service.version)?;
        set_status(&state.store, &ctx, &l, version, ServiceStatus::Planned).await
    };
    run.await.or_page(&ctx)
}

async fn change_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let run = async {
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        let l = load(&state.store, &id).await?;
        ctx.require_change(&l.place)?;
        let version = f.check_version(l.service.version)?;
        let status = ServiceStatus::from_code(f.get("status"))
            .filter(|s| s.is_published())
            .ok_or_else(|| WebError::BadRequest(ctx.t("svc-err-status")))?;
        set_status(&state.store, &ctx, &l, version, status).await
    };
    run.await.or_page(&ctx)
}

// --- adopt ----------------------------------------------------------------------------------

/// Copies the card into a library of the user's scope as a new draft. The people (volunteers)
/// and the results reached stay with the original: they belong to its library.
async fn adopt_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let run = async {
        let f = FormData::parse(&body)?;
        ctx.check_csrf(f.get("csrf"))?;
        let store = &state.store;
        let source = load_visible(store, &ctx, &id).await?;
        let target = LibraryId::parse(f.get("library"))
            .map_err(|_| WebError::BadRequest(ctx.t("svc-err-adopt-library")))?;
        let lib = store
            .library(target)
            .await?
            .ok_or_else(|| WebError::BadRequest(ctx.t("svc-err-adopt-library")))?;
        ctx.require_change(&library_place(&lib.record))?;
        let year = Year::parse(f.get("year")).unwrap_or(source.service.record.year);
        let s = &source.service.record;
        let copy = Service {
            library: lib.record.id,
            year,
            category: s.category.clone(),
            status: ServiceStatus::Draft,
            volunteer_supported: false,
            volunteers: vec![],
            card: s.card.clone(),
            results: vec![],
        };
        let created = store.create_service(&actor(&ctx), &copy).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/services/{}/edit/1", created.id)).into_response())
    };
    run.await.or_page(&ctx)
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
