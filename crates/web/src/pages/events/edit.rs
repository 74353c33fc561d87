//! Creating an event and editing its details: title, kind, dates, district and settlement, venue,
//! organisers, purpose, head counts and the working-group method. The agenda, participants and
//! groups have their own pages ([`super::parts`]).
//!
//! A coordinator's events are in their district: the district is fixed and the settlement is
//! chosen among its settlements. An admin picks the district first (a GET form, so it works
//! without JavaScript) and then a settlement of it.
//!
//! A save that lost the race to another gets the form back with what its author typed and the
//! event's new version, under the box of [`crate::pages::conflict`].

use super::{CONFLICT_WORDS, can_create, check_version, conflict_label, load_for_change, parse_id};
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::pages::conflict::Conflict;
use crate::render::{render, render_status};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jiff::civil::Date;
use lipa_app::{Access, AppError, Versioned};
use lipa_core::event::{Event, EventKind};
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, Ekatte, EventId};
use lipa_core::user::Role;
use serde::Deserialize;

/// Errors of a form: the field's element id and the message, in the order of the form.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    pub fn add(&mut self, id: impl Into<String>, message: impl Into<String>) {
        let id = id.into();
        // One message per field is enough: the first is the one to fix first.
        if self.get(&id).is_none() {
            self.0.push((id, message.into()));
        }
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }
}

/// The form as posted (and as shown again with its errors).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub settlement: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub organisers: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub reported: String,
    #[serde(default)]
    pub group_method: String,
}

impl EventForm {
    fn from_event(e: &Event, version: i64) -> Self {
        EventForm {
            csrf: String::new(),
            version: version.to_string(),
            title: e.title.clone(),
            kind: e.kind.code().into(),
            starts: e.starts.to_string(),
            ends: e.ends.to_string(),
            district: super::event_place(e)
                .district
                .map(|d| d.to_string())
                .unwrap_or_default(),
            settlement: e
                .settlement
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            venue: e.venue.clone(),
            organisers: e.organisers.join("\n"),
            purpose: e.purpose.clone(),
            expected: e
                .expected_participants
                .map(|n| n.to_string())
                .unwrap_or_default(),
            reported: e
                .reported_participants
                .map(|n| n.to_string())
                .unwrap_or_default(),
            group_method: e.group_method.clone(),
        }
    }

    /// The fields as the form shows them, each under the message key of its label: what a
    /// conflict compares.
    fn fields(&self, ctx: &Ctx) -> Vec<(String, String)> {
        let g = Gazetteer::get();
        let kind = EventKind::from_code(self.kind.trim())
            .map(|k| k.label(ctx.lang))
            .unwrap_or_else(|| self.kind.clone());
        let district = g
            .district(self.district.trim())
            .map(|d| {
                if ctx.is_bg() {
                    d.name_bg.clone()
                } else {
                    d.name_en.clone()
                }
            })
            .unwrap_or_else(|| self.district.clone());
        let settlement = g
            .settlement(self.settlement.trim())
            .map(|s| {
                if ctx.is_bg() {
                    s.label_bg()
                } else {
                    s.name_en.clone()
                }
            })
            .unwrap_or_else(|| self.settlement.clone());
        [
            ("ev-f-title", &self.title),
            ("ev-f-kind", &kind),
            ("ev-f-starts", &self.starts),
            ("ev-f-ends", &self.ends),
            ("ev-f-district", &district),
            ("ev-f-settlement", &settlement),
            ("ev-f-venue", &self.venue),
            ("ev-f-organisers", &self.organisers),
            ("ev-f-purpose", &self.purpose),
            ("ev-f-expected", &self.expected),
            ("ev-f-reported", &self.reported),
            ("ev-f-group-method", &self.group_method),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.clone()))
        .collect()
    }

    /// Applies the form to `base` (a new event, or the stored one whose other parts are kept).
    /// Every problem is reported at once, by field.
    fn apply(&self, ctx: &Ctx, base: &Event) -> Result<Event, FormErrors> {
        let mut errors = FormErrors::default();
        let date = |id: &str, s: &str, errors: &mut FormErrors| match s.trim().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(id, ctx.t("ev-err-date"));
                None
            }
        };
        let count = |id: &str, s: &str, errors: &mut FormErrors| {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(id, ctx.t("ev-err-number"));
                    None
                }
            }
        };
        let mut e = base.clone();
        e.title = self.title.trim().to_owned();
        match EventKind::from_code(self.kind.trim()) {
            Some(k) => e.kind = k,
            None => errors.add("kind", ctx.t("ev-err-kind")),
        }
        let starts = date("starts", &self.starts, &mut errors);
        let ends = date("ends", &self.ends, &mut errors);
        e.district = match DistrictCode::parse(&self.district) {
            Ok(d) if Gazetteer::get().district(d.as_str()).is_some() => Some(d),
            // The programme unit also holds national events, which belong to no district.
            _ if self.district.trim().is_empty() && ctx.is_admin() => None,
            _ => {
                errors.add("district", ctx.t("ev-err-district"));
                None
            }
        };
        e.settlement = None;
        if !self.settlement.trim().is_empty() {
            let s = Ekatte::parse(&self.settlement)
                .ok()
                .and_then(|k| Gazetteer::get().settlement(k.as_str()));
            match (s, &e.district) {
                (Some(s), Some(d)) if s.district == *d => e.settlement = Some(s.ekatte.clone()),
                _ => errors.add("settlement", ctx.t("ev-err-settlement")),
            }
        }
        e.venue = self.venue.trim().to_owned();
        e.organisers = self
            .organisers
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        e.purpose = self.purpose.trim().to_owned();
        e.expected_participants = count("expected", &self.expected, &mut errors);
        e.reported_participants = count("reported", &self.reported, &mut errors);
        e.group_method = self.group_method.trim().to_owned();
        if let (Some(s), Some(en)) = (starts, ends) {
            e.starts = s;
            e.ends = en;
        }
        // The domain's rules (required title, lengths, end not before start), on the fields
        // this form has; rules on the agenda and groups are the business of their own pages.
        if let Err(v) = e.validate() {
            for violation in v.iter() {
                let field = violation.field.as_str();
                if ["title", "venue", "purpose", "group_method"].contains(&field)
                    || (field == "ends" && starts.is_some() && ends.is_some())
                {
                    errors.add(field, violation.message(ctx.lang));
                } else if field.starts_with("organisers[") {
                    errors.add("organisers", violation.message(ctx.lang));
                }
            }
        }
        if errors.is_empty() {
            return Ok(e);
        }
        // The summary lists the problems in the order of the form.
        let order = [
            "title",
            "kind",
            "starts",
            "ends",
            "district",
            "settlement",
            "venue",
            "organisers",
            "purpose",
            "expected",
            "reported",
            "group_method",
        ];
        errors
            .0
            .sort_by_key(|(id, _)| order.iter().position(|o| o == id).unwrap_or(order.len()));
        Err(errors)
    }
}

/// A settlement choice, grouped by municipality.
pub struct SettlementGroup {
    pub municipality: String,
    pub settlements: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new event.
    id: Option<EventId>,
    heading: String,
    form: EventForm,
    errors: FormErrors,
    kinds: Vec<(&'static str, String)>,
    /// The districts to choose from; one entry when the user's scope fixes it.
    districts: Vec<(String, String)>,
    district_fixed: bool,
    settlements: Vec<SettlementGroup>,
    /// Someone else saved the event since this form was opened.
    conflict: Option<Conflict>,
}

fn kinds(ctx: &Ctx) -> Vec<(&'static str, String)> {
    EventKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(ctx.lang)))
        .collect()
}

/// The districts the user may hold events in: their own for a coordinator, every one for an
/// admin.
fn districts_for(ctx: &Ctx) -> (Vec<(String, String)>, bool) {
    let g = Gazetteer::get();
    let name = |d: &lipa_core::geo::District| {
        if ctx.is_bg() {
            d.name_bg.clone()
        } else {
            d.name_en.clone()
        }
    };
    match ctx.user.as_ref().map(|u| &u.role) {
        Some(Role::Coordinator { district }) => (
            g.district(district.as_str())
                .map(|d| vec![(d.code.to_string(), name(d))])
                .unwrap_or_default(),
            true,
        ),
        _ => {
            let mut all: Vec<(String, String)> = g
                .districts()
                .iter()
                .map(|d| (d.code.to_string(), name(d)))
                .collect();
            all.sort_by(|a, b| a.1.cmp(&b.1));
            (all, false)
        }
    }
}

/// The settlements of a district, by municipality, towns first.
fn settlements_of(ctx: &Ctx, district: &str) -> Vec<SettlementGroup> {
    let g = Gazetteer::get();
    let mut munis: Vec<_> = g.municipalities_in(district).collect();
    munis.sort_by(|a, b| a.name_bg.cmp(&b.name_bg));
    munis
        .into_iter()
        .map(|m| {
            let mut list: Vec<_> = g.settlements_in(m.code.as_str()).collect();
            list.sort_by(|a, b| {
                (a.kind != lipa_core::geo::SettlementKind::Town, &a.name_bg)
                    .cmp(&(b.kind != lipa_core::geo::SettlementKind::Town, &b.name_bg))
            });
            SettlementGroup {
                municipality: if ctx.is_bg() {
                    m.name_bg.clone()
                } else {
                    m.name_en.clone()
                },
                settlements: list
                    .into_iter()
                    .map(|s| {
                        (
                            s.ekatte.to_string(),
                            if ctx.is_bg() {
                                s.label_bg()
                            } else {
                                s.name_en.clone()
                            },
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn form_page(
    ctx: Ctx,
    id: Option<EventId>,
    heading: String,
    form: EventForm,
    errors: FormErrors,
) -> FormPage {
    let (districts, district_fixed) = districts_for(&ctx);
    let settlements = if form.district.is_empty() {
        Vec::new()
    } else {
        settlements_of(&ctx, &form.district)
    };
    FormPage {
        kinds: kinds(&ctx),
        districts,
        district_fixed,
        settlements,
        conflict: None,
        id,
        heading,
        form,
        errors,
        ctx,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    district: String,
}

pub async fn new_form(ctx: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    ctx.require_user()?;
    if !can_create(&ctx) {
        return Err(WebError::Forbidden);
    }
    let (districts, fixed) = districts_for(&ctx);
    let district = if fixed {
        districts.first().map(|d| d.0.clone()).unwrap_or_default()
    } else {
        districts
            .iter()
            .find(|d| d.0 == q.district)
            .map(|d| d.0.clone())
            .unwrap_or_default()
    };
    let form = EventForm {
        kind: EventKind::Meeting.code().into(),
        district,
        ..Default::default()
    };
    Ok(render(&form_page(
        ctx.clone(),
        None,
        ctx.t("ev-form-new-title"),
        form,
        FormErrors::default(),
    )))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EventForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    if !can_create(&ctx) {
        return Err(WebError::Forbidden);
    }
    // The district the form names must be in the user's scope, whatever else is wrong with it.
    if let Ok(d) = DistrictCode::parse(&form.district) {
        ctx.access()
            .require_change(&Access::district_place(Some(d)))?;
    }
    let base = Event {
        title: String::new(),
        kind: EventKind::Meeting,
        starts: jiff::ZonedDateTime::now().date(),
        ends: jiff::ZonedDateTime::now().date(),
        district: None,
        settlement: None,
        venue: String::new(),
        organisers: Vec::new(),
        purpose: String::new(),
        expected_participants: None,
        reported_participants: None,
        participants: Vec::new(),
        agenda: Vec::new(),
        working_groups: Vec::new(),
        group_method: String::new(),
        published: false,
    };
    match form.apply(&ctx, &base) {
        Ok(e) => {
            let saved = state.app.create(&ctx.access(), &e).await?;
            Ok(Redirect::to(&format!("/events/{}?done=saved", saved.id)).into_response())
        }
        Err(errors) => {
            let heading = ctx.t("ev-form-new-title");
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx.clone(), None, heading, form, errors),
            ))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let ev = load_for_change(&state, &ctx, parse_id(&id)?).await?;
    let id = ev.id;
    let heading = ctx.t1("ev-form-edit-title", "title", &ev.record.title);
    let form = EventForm::from_event(&ev.record, ev.version);
    Ok(render(&form_page(
        ctx.clone(),
        Some(id),
        heading,
        form,
        FormErrors::default(),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> PageResult {
    ctx.check_csrf(&form.csrf)?;
    let ev = load_for_change(&state, &ctx, parse_id(&id)?).await?;
    let id = ev.id;
    let version = match check_version(&ev, &form.version) {
        Err(WebError::Conflict) => return Ok(conflict_page(&ctx, &ev, form)),
        v => v?,
    };
    if let Ok(d) = DistrictCode::parse(&form.district) {
        ctx.access()
            .require_change(&Access::district_place(Some(d)))?;
    }
    match form.apply(&ctx, &ev.record) {
        Ok(e) => {
            // An event cannot be moved out of the user's own scope (the use case checks).
            match state
                .app
                .replace(&ctx.access(), id, &e, Some(version))
                .await
            {
                Ok(_) => Ok(Redirect::to(&format!("/events/{id}?done=saved")).into_response()),
                // Someone saved between our read and our write.
                Err(AppError::Conflict { .. }) => {
                    let now = load_for_change(&state, &ctx, id).await?;
                    Ok(conflict_page(&ctx, &now, form))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => {
            let heading = ctx.t1("ev-form-edit-title", "title", &ev.record.title);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx.clone(), Some(id), heading, form, errors),
            ))
        }
    }
}

/// The form after a lost race: what the user typed, at the version `now` has, under the box
/// that compares it with the event as saved.
fn conflict_page(ctx: &Ctx, now: &Versioned<Event>, form: EventForm) -> axum::response::Response {
    let saved = EventForm::from_event(&now.record, now.version);
    let yours = EventForm {
        version: now.version.to_string(),
        ..form
    };
    let conflict = Conflict::new(
        ctx,
        &CONFLICT_WORDS,
        (now.version, &now.updated_at),
        &saved.fields(ctx),
        &yours.fields(ctx),
        |path| conflict_label(ctx, path),
    );
    let heading = ctx.t1("ev-form-edit-title", "title", &now.record.title);
    let mut page = form_page(
        ctx.clone(),
        Some(now.id),
        heading,
        yours,
        FormErrors::default(),
    );
    page.conflict = Some(conflict);
    render_status(StatusCode::CONFLICT, &page)
}
