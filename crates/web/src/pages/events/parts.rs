//! The parts of an event that its organisers fill in during and after it: the agenda, the
//! participants and their attendance, the working groups with their members and service cards,
//! adopting a group's card as a library's draft service, and publishing.
//!
//! Each page is one or two plain forms posting to the page's own URL; an `action` field says
//! what to do (`add`, `remove`, `save` …). Every change re-checks the scope and the version the
//! form was built from, writes the whole event once, and redirects back (303).

use super::edit::FormErrors;
use super::{
    Done, GroupView, LibraryOption, adoptable_libraries, check_version, event_place,
    load_for_change, load_visible, parse_id, role_label,
};
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jiff::civil::{Date, Time};
use lipa_app::{AppError, Versioned};
use lipa_core::event::{AgendaItem, Event, Participant, ParticipantRole, WorkingGroup};
use lipa_core::ids::{CategoryCode, LibraryId, RecordId};
use lipa_core::money::{Currency, Money};
use lipa_core::service::{Activity, BudgetItem, ServiceCard, ServicePartner};
use lipa_core::taxonomy::Category;
use std::collections::HashMap;

/// A posted form read as pairs, for the forms whose fields are numbered (`role_3`).
struct Fields(HashMap<String, String>);

impl Fields {
    fn new(pairs: Vec<(String, String)>) -> Self {
        Fields(pairs.into_iter().collect())
    }

    fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }

    fn has(&self, k: &str) -> bool {
        self.0.contains_key(k)
    }

    /// The index a `remove` button (or a numbered field) names, if it is a valid one.
    fn index(&self, k: &str, len: usize) -> Result<Option<usize>, WebError> {
        let v = self.get(k).trim();
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<usize>() {
            Ok(i) if i < len => Ok(Some(i)),
            _ => Err(WebError::BadRequest(format!("{k}: no such row"))),
        }
    }
}

/// Writes the changed event and redirects to `to`.
async fn save(
    state: &AppState,
    ctx: &Ctx,
    id: RecordId,
    version: i64,
    e: &Event,
    to: &str,
) -> PageResult {
    state
        .app
        .update_event(&ctx.access(), id, e, Some(version))
        .await?;
    Ok(Redirect::to(to).into_response())
}

/// The days of the event, for the agenda's day choice (at most 31: longer events name no day).
fn event_days(e: &Event) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = e.starts;
    while d <= e.ends && out.len() < 31 {
        out.push(d);
        match d.tomorrow() {
            Ok(t) => d = t,
            Err(_) => break,
        }
    }
    out
}

// --- agenda ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct AgendaInput {
    pub day: String,
    pub time: String,
    pub speaker: String,
    pub organisation: String,
    pub topic: String,
}

#[derive(Template)]
#[template(path = "events/agenda.html")]
struct AgendaPage {
    ctx: Ctx,
    id: RecordId,
    version: i64,
    title: String,
    items: Vec<super::AgendaRow>,
    days: Vec<(String, String)>,
    names: Vec<String>,
    input: AgendaInput,
    errors: FormErrors,
}

fn agenda_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    input: AgendaInput,
    errors: FormErrors,
) -> AgendaPage {
    let e = &ev.record;
    AgendaPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: e.title.clone(),
        items: e
            .agenda
            .iter()
            .map(|a| super::AgendaRow {
                day: a
                    .day
                    .map(|d| super::dates_in_words(ctx.lang, d, d))
                    .unwrap_or_default(),
                time: a
                    .time
                    .map(|t| t.strftime("%H:%M").to_string())
                    .unwrap_or_default(),
                speaker: a.speaker.clone(),
                organisation: a.organisation.clone(),
                topic: a.topic.clone(),
            })
            .collect(),
        days: event_days(e)
            .into_iter()
            .map(|d| (d.to_string(), super::dates_in_words(ctx.lang, d, d)))
            .collect(),
        names: e.participants.iter().map(|p| p.name.clone()).collect(),
        input,
        errors,
    }
}

pub async fn agenda_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    Ok(render(&agenda_page_for(
        &ctx,
        &ev,
        AgendaInput::default(),
        FormErrors::default(),
    )))
}

pub async fn agenda_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let version = check_version(&ev, f.get("version"))?;
    let mut e = ev.record.clone();
    let back = format!("/events/{id}/agenda");
    if let Some(i) = f.index("remove", e.agenda.len())? {
        e.agenda.remove(i);
        return save(&state, &ctx, id, version, &e, &back).await;
    }
    let input = AgendaInput {
        day: f.get("day").trim().to_owned(),
        time: f.get("time").trim().to_owned(),
        speaker: f.get("speaker").trim().to_owned(),
        organisation: f.get("organisation").trim().to_owned(),
        topic: f.get("topic").trim().to_owned(),
    };
    let mut errors = FormErrors::default();
    let day = if input.day.is_empty() {
        None
    } else {
        match input.day.parse::<Date>() {
            Ok(d) if d >= e.starts && d <= e.ends => Some(d),
            Ok(_) => {
                errors.add(
                    "day",
                    lipa_core::i18n::tr(ctx.lang, "err-day-outside-event", &[]),
                );
                None
            }
            Err(_) => {
                errors.add("day", ctx.t("ev-err-date"));
                None
            }
        }
    };
    let time = if input.time.is_empty() {
        None
    } else {
        match input.time.parse::<Time>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add("time", ctx.t("ev-err-time"));
                None
            }
        }
    };
    // A speaker who is a participant brings their person link and, unless given, organisation.
    let known = e.participants.iter().find(|p| {
        lipa_core::text::fold_name(&p.name) == lipa_core::text::fold_name(&input.speaker)
    });
    let item = AgendaItem {
        day,
        time,
        speaker: input.speaker.clone(),
        person_id: known.and_then(|p| p.person_id),
        organisation: if input.organisation.is_empty() {
            known.map(|p| p.organisation.clone()).unwrap_or_default()
        } else {
            input.organisation.clone()
        },
        topic: input.topic.clone(),
    };
    e.agenda.push(item);
    if let Err(v) = e.validate() {
        let at = format!("agenda[{}].", e.agenda.len() - 1);
        for violation in v.iter() {
            if let Some(field) = violation.field.strip_prefix(&at) {
                errors.add(field, violation.message(ctx.lang));
            }
        }
    }
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &agenda_page_for(&ctx, &ev, input, errors),
        ));
    }
    save(&state, &ctx, id, version, &e, &back).await
}

// --- participants ---------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct ParticipantInput {
    pub name: String,
    pub position: String,
    pub organisation: String,
    pub role: String,
    pub attended: bool,
}

pub struct ParticipantEdit {
    pub name: String,
    pub position: String,
    pub organisation: String,
    pub role: &'static str,
    pub attended: bool,
}

#[derive(Template)]
#[template(path = "events/participants.html")]
struct ParticipantsPage {
    ctx: Ctx,
    id: RecordId,
    version: i64,
    title: String,
    rows: Vec<ParticipantEdit>,
    roles: Vec<(&'static str, String)>,
    input: ParticipantInput,
    errors: FormErrors,
}

fn roles(ctx: &Ctx) -> Vec<(&'static str, String)> {
    ParticipantRole::ALL
        .iter()
        .map(|r| (r.code(), role_label(ctx.lang, *r)))
        .collect()
}

fn participants_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    input: ParticipantInput,
    errors: FormErrors,
) -> ParticipantsPage {
    ParticipantsPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: ev.record.title.clone(),
        rows: ev
            .record
            .participants
            .iter()
            .map(|p| ParticipantEdit {
                name: p.name.clone(),
                position: p.position.clone(),
                organisation: p.organisation.clone(),
                role: p.role.code(),
                attended: p.attended,
            })
            .collect(),
        roles: roles(ctx),
        input,
        errors,
    }
}

pub async fn participants_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let input = ParticipantInput {
        role: ParticipantRole::Participant.code().into(),
        attended: true,
        ..Default::default()
    };
    Ok(render(&participants_page_for(
        &ctx,
        &ev,
        input,
        FormErrors::default(),
    )))
}

pub async fn participants_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let version = check_version(&ev, f.get("version"))?;
    let mut e = ev.record.clone();
    let back = format!("/events/{id}/participants");
    match f.get("action") {
        "add" => {
            let input = ParticipantInput {
                name: f.get("name").trim().to_owned(),
                position: f.get("position").trim().to_owned(),
                organisation: f.get("organisation").trim().to_owned(),
                role: f.get("role").trim().to_owned(),
                attended: f.has("attended"),
            };
            let mut errors = FormErrors::default();
            let role = ParticipantRole::from_code(&input.role);
            if role.is_none() {
                errors.add("role", ctx.t("ev-err-role"));
            }
            e.participants.push(Participant {
                person_id: None,
                name: input.name.clone(),
                position: input.position.clone(),
                organisation: input.organisation.clone(),
                role: role.unwrap_or_default(),
                attended: input.attended,
            });
            if let Err(v) = e.validate() {
                let at = format!("participants[{}].", e.participants.len() - 1);
                for violation in v.iter() {
                    if let Some(field) = violation.field.strip_prefix(&at) {
                        errors.add(field, violation.message(ctx.lang));
                    }
                }
            }
            if !errors.is_empty() {
                return Ok(render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &participants_page_for(&ctx, &ev, input, errors),
                ));
            }
        }
        _ => {
            // The attendance form: every row's role and check box, and maybe one row removed.
            for (i, p) in e.participants.iter_mut().enumerate() {
                if f.has(&format!("role_{i}")) {
                    p.role = ParticipantRole::from_code(f.get(&format!("role_{i}")))
                        .ok_or_else(|| WebError::BadRequest("role".into()))?;
                    p.attended = f.has(&format!("attended_{i}"));
                }
            }
            if let Some(i) = f.index("remove", e.participants.len())? {
                let gone = e.participants.remove(i).name;
                // A group member who is no longer a participant leaves the group too.
                if !e.participants.iter().any(|p| p.name == gone) {
                    for g in &mut e.working_groups {
                        g.members.retain(|m| *m != gone);
                    }
                }
            }
        }
    }
    save(&state, &ctx, id, version, &e, &back).await
}

// --- working groups -------------------------------------------------------------------------------

pub struct AssignRow {
    pub name: String,
    /// 1-based group number, 0 for none.
    pub group: usize,
}

#[derive(Template)]
#[template(path = "events/groups.html")]
struct GroupsPage {
    ctx: Ctx,
    id: RecordId,
    version: i64,
    title: String,
    groups: Vec<GroupView>,
    assign: Vec<AssignRow>,
    /// The create form's group name and working title, kept after an error.
    new_group: (String, String),
    errors: FormErrors,
}

fn groups_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    categories: &[Category],
    new_group: (String, String),
    errors: FormErrors,
) -> GroupsPage {
    let e = &ev.record;
    GroupsPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: e.title.clone(),
        groups: e
            .working_groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupView::new(ctx.lang, categories, i + 1, g))
            .collect(),
        assign: e
            .participants
            .iter()
            .map(|p| AssignRow {
                name: p.name.clone(),
                group: e
                    .working_groups
                    .iter()
                    .position(|g| g.members.contains(&p.name))
                    .map_or(0, |i| i + 1),
            })
            .collect(),
        new_group,
        errors,
    }
}

pub async fn groups_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let categories = state.app.categories().await?;
    Ok(render(&groups_page_for(
        &ctx,
        &ev,
        &categories,
        Default::default(),
        FormErrors::default(),
    )))
}

pub async fn groups_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let version = check_version(&ev, f.get("version"))?;
    let mut e = ev.record.clone();
    let back = format!("/events/{id}/groups");
    match f.get("action") {
        "create" => {
            // A group exists to design a service, and the domain wants every card named: the
            // group starts with a working title (step 1), which its card page can change.
            let name = f.get("name").trim().to_owned();
            let card_name = f.get("card_name").trim().to_owned();
            e.working_groups.push(WorkingGroup {
                name: name.clone(),
                card: ServiceCard {
                    name: card_name.clone(),
                    ..Default::default()
                },
                ..Default::default()
            });
            if let Err(v) = e.validate() {
                let at = format!("working_groups[{}].", e.working_groups.len() - 1);
                let mut errors = FormErrors::default();
                for violation in v.iter() {
                    match violation.field.strip_prefix(&at) {
                        Some("name") => errors.add("name", violation.message(ctx.lang)),
                        Some("card.name") => errors.add("card_name", violation.message(ctx.lang)),
                        _ => {}
                    }
                }
                if !errors.is_empty() {
                    let categories = state.app.categories().await?;
                    let page = groups_page_for(&ctx, &ev, &categories, (name, card_name), errors);
                    return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
                }
            }
        }
        "remove" => {
            if let Some(i) = f.index("group", e.working_groups.len())? {
                e.working_groups.remove(i);
            }
        }
        _ => {
            // The assignment: each participant's group (1-based; empty for none). Members who
            // are not on the participant list are kept as they are.
            let names: Vec<String> = e.participants.iter().map(|p| p.name.clone()).collect();
            for g in &mut e.working_groups {
                g.members.retain(|m| !names.contains(m));
            }
            for (i, name) in names.iter().enumerate() {
                let v = f.get(&format!("group_{i}")).trim();
                if v.is_empty() || v == "0" {
                    continue;
                }
                let n = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=e.working_groups.len()).contains(n))
                    .ok_or_else(|| WebError::BadRequest("group".into()))?;
                if !e.working_groups[n - 1].members.contains(name) {
                    e.working_groups[n - 1].members.push(name.clone());
                }
            }
        }
    }
    save(&state, &ctx, id, version, &e, &back).await
}

// --- a group's card -------------------------------------------------------------------------------

/// The card form's values, as text (what was posted, or the stored card).
#[derive(Debug, Default, Clone)]
pub struct CardInput {
    pub name: String,
    pub category: String,
    pub spokesperson: String,
    pub card_name: String,
    pub goal: String,
    pub target_groups: String,
    pub partners: Vec<(String, String)>,
    /// title, starts, ends
    pub activities: Vec<(String, String, String)>,
    /// label, amount, currency, source
    pub budget: Vec<(String, String, String, String)>,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
}

/// Empty rows offered after the filled ones, so that a row can be added without JavaScript.
const SPARE_ROWS: usize = 2;

impl CardInput {
    fn from_group(g: &WorkingGroup) -> Self {
        let c = &g.card;
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut input = CardInput {
            name: g.name.clone(),
            category: g
                .category
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            spokesperson: g.spokesperson.clone(),
            card_name: c.name.clone(),
            goal: c.goal.clone(),
            target_groups: c.target_groups.join("\n"),
            partners: c
                .partners
                .iter()
                .map(|p| (p.name.clone(), p.role.clone()))
                .collect(),
            activities: c
                .activities
                .iter()
                .map(|a| (a.title.clone(), date(a.starts), date(a.ends)))
                .collect(),
            budget: c
                .budget
                .iter()
                .map(|b| {
                    (
                        b.label.clone(),
                        amount_text(b.amount),
                        b.amount.currency.code().to_owned(),
                        b.source.clone(),
                    )
                })
                .collect(),
            media: c.media.clone(),
            social: c.expected.social.clone(),
            economic: c.expected.economic.clone(),
            community: c.expected.community.clone(),
        };
        input.pad();
        input
    }

    fn from_fields(f: &Fields) -> Self {
        let rows = |prefix: &str| -> usize {
            (0..200)
                .take_while(|i| f.has(&format!("{prefix}_{i}")))
                .count()
        };
        let t = |k: String| f.get(&k).trim().to_owned();
        let mut input = CardInput {
            name: t("name".into()),
            category: t("category".into()),
            spokesperson: t("spokesperson".into()),
            card_name: t("card_name".into()),
            goal: t("goal".into()),
            target_groups: f.get("target_groups").to_owned(),
            partners: (0..rows("partner_name"))
                .map(|i| {
                    (
                        t(format!("partner_name_{i}")),
                        t(format!("partner_role_{i}")),
                    )
                })
                .collect(),
            activities: (0..rows("activity_title"))
                .map(|i| {
                    (
                        t(format!("activity_title_{i}")),
                        t(format!("activity_starts_{i}")),
                        t(format!("activity_ends_{i}")),
                    )
                })
                .collect(),
            budget: (0..rows("budget_label"))
                .map(|i| {
                    (
                        t(format!("budget_label_{i}")),
                        t(format!("budget_amount_{i}")),
                        t(format!("budget_currency_{i}")),
                        t(format!("budget_source_{i}")),
                    )
                })
                .collect(),
            media: t("media".into()),
            social: t("social".into()),
            economic: t("economic".into()),
            community: t("community".into()),
        };
        input.pad();
        input
    }

    /// Keeps exactly [`SPARE_ROWS`] empty rows at the end of each list.
    fn pad(&mut self) {
        let empty2 = |r: &(String, String)| r.0.is_empty() && r.1.is_empty();
        let empty3 =
            |r: &(String, String, String)| r.0.is_empty() && r.1.is_empty() && r.2.is_empty();
        let empty4 = |r: &(String, String, String, String)| {
            r.0.is_empty() && r.1.is_empty() && r.3.is_empty()
        };
        while self.partners.last().is_some_and(empty2) {
            self.partners.pop();
        }
        while self.activities.last().is_some_and(empty3) {
            self.activities.pop();
        }
        while self.budget.last().is_some_and(empty4) {
            self.budget.pop();
        }
        for _ in 0..SPARE_ROWS {
            self.partners.push(Default::default());
            self.activities.push(Default::default());
            self.budget.push((
                String::new(),
                String::new(),
                Currency::Eur.code().into(),
                String::new(),
            ));
        }
    }

    /// The group as the form describes it, or the errors by field id.
    fn to_group(
        &self,
        ctx: &Ctx,
        categories: &[Category],
        base: &WorkingGroup,
    ) -> Result<WorkingGroup, FormErrors> {
        let mut errors = FormErrors::default();
        let mut g = base.clone();
        g.name = self.name.clone();
        g.category = if self.category.is_empty() {
            None
        } else {
            match CategoryCode::parse(&self.category) {
                Ok(c) if categories.iter().any(|k| k.code == c) => Some(c),
                _ => {
                    errors.add("category", ctx.t("ev-err-category"));
                    None
                }
            }
        };
        g.spokesperson = self.spokesperson.clone();
        let date = |id: String, s: &str, errors: &mut FormErrors| {
            if s.is_empty() {
                return None;
            }
            s.parse::<Date>()
                .map_err(|_| errors.add(id, ctx.t("ev-err-date")))
                .ok()
        };
        let mut card = ServiceCard {
            name: self.card_name.clone(),
            goal: self.goal.clone(),
            target_groups: self.target_groups.lines().map(str::to_owned).collect(),
            partners: Vec::new(),
            activities: Vec::new(),
            budget: Vec::new(),
            media: self.media.clone(),
            expected: lipa_core::service::ExpectedResults {
                social: self.social.clone(),
                economic: self.economic.clone(),
                community: self.community.clone(),
            },
        };
        // Row numbers in field ids stay those of the form, so messages land beside their row;
        // `positions` maps the card's rows back to them.
        let mut partner_rows = Vec::new();
        for (i, (name, role)) in self.partners.iter().enumerate() {
            if name.is_empty() && role.is_empty() {
                continue;
            }
            partner_rows.push(i);
            card.partners.push(ServicePartner {
                partner_id: None,
                name: name.clone(),
                role: role.clone(),
            });
        }
        let mut activity_rows = Vec::new();
        for (i, (title, s, e)) in self.activities.iter().enumerate() {
            if title.is_empty() && s.is_empty() && e.is_empty() {
                continue;
            }
            activity_rows.push(i);
            card.activities.push(Activity {
                title: title.clone(),
                starts: date(format!("activity_starts_{i}"), s, &mut errors),
                ends: date(format!("activity_ends_{i}"), e, &mut errors),
            });
        }
        let mut budget_rows = Vec::new();
        for (i, (label, amount, currency, source)) in self.budget.iter().enumerate() {
            if label.is_empty() && amount.is_empty() && source.is_empty() {
                continue;
            }
            let currency = Currency::parse(currency).unwrap_or(Currency::Eur);
            let amount = match Money::parse(amount, currency) {
                Ok(m) => m,
                Err(v) => {
                    errors.add(format!("budget_amount_{i}"), v.message(ctx.lang));
                    Money::new(0, currency)
                }
            };
            budget_rows.push(i);
            card.budget.push(BudgetItem {
                label: label.clone(),
                amount,
                source: source.clone(),
            });
        }
        card.normalise();
        for v in card.validate(false).iter() {
            errors.add(
                card_field_id(&v.field, &partner_rows, &activity_rows, &budget_rows),
                v.message(ctx.lang),
            );
        }
        g.card = card;
        let mut v = lipa_core::Violations::default();
        lipa_core::error::check_text(&mut v, "name", &g.name, true, 200);
        for x in v.iter() {
            errors.add("name", x.message(ctx.lang));
        }
        if errors.is_empty() {
            Ok(g)
        } else {
            Err(errors)
        }
    }
}

/// The form field id of a card violation's path (`partners[1].name` → the id of the form row the
/// card's second partner came from).
fn card_field_id(path: &str, partners: &[usize], activities: &[usize], budget: &[usize]) -> String {
    let indexed = |prefix: &str, rows: &[usize], field_prefix: &str| -> Option<String> {
        let rest = path.strip_prefix(prefix)?;
        let (n, field) = rest.split_once("].")?;
        let row = rows.get(n.parse::<usize>().ok()?)?;
        Some(format!("{field_prefix}_{field}_{row}"))
    };
    if let Some(id) = indexed("partners[", partners, "partner")
        .or_else(|| indexed("activities[", activities, "activity"))
        .or_else(|| indexed("budget[", budget, "budget"))
    {
        return id;
    }
    match path {
        "name" => "card_name".into(),
        "expected.social" => "social".into(),
        "expected.economic" => "economic".into(),
        "expected.community" => "community".into(),
        p if p.starts_with("target_groups") => "target_groups".into(),
        p => p.to_owned(),
    }
}

/// An amount as the form shows it: `1500.50`.
fn amount_text(m: Money) -> String {
    format!("{}.{:02}", m.minor / 100, m.minor % 100)
}

#[derive(Template)]
#[template(path = "events/card.html")]
struct CardPage {
    ctx: Ctx,
    id: RecordId,
    version: i64,
    n: usize,
    event_title: String,
    group: GroupView,
    input: CardInput,
    errors: FormErrors,
    categories: Vec<(String, String)>,
    members: Vec<String>,
    can_change: bool,
    adopt_libraries: Vec<LibraryOption>,
    year: i16,
    steps: Vec<String>,
    notice: Option<String>,
}

async fn card_page_for(
    state: &AppState,
    ctx: &Ctx,
    ev: &Versioned<Event>,
    n: usize,
    input: Option<CardInput>,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<CardPage, WebError> {
    let g = &ev.record.working_groups[n - 1];
    let categories = state.app.categories().await?;
    Ok(CardPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        n,
        event_title: ev.record.title.clone(),
        group: GroupView::new(ctx.lang, &categories, n, g),
        input: input.unwrap_or_else(|| CardInput::from_group(g)),
        errors,
        categories: categories
            .iter()
            .map(|c| (c.code.to_string(), c.name(ctx.lang).to_owned()))
            .collect(),
        members: if g.members.is_empty() {
            ev.record
                .participants
                .iter()
                .map(|p| p.name.clone())
                .collect()
        } else {
            g.members.clone()
        },
        can_change: ctx.can_change(&event_place(&ev.record)),
        adopt_libraries: adoptable_libraries(state, ctx).await?,
        year: ev.record.starts.year(),
        steps: (1..=8).map(|i| ctx.t(&format!("ev-step-{i}"))).collect(),
        notice,
    })
}

fn group_number(raw: &str, e: &Event) -> Result<usize, WebError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| (1..=e.working_groups.len()).contains(n))
        .ok_or(WebError::NotFound)
}

/// The card page: the form for those who may change the event, the card and the adopt form for
/// everyone else who may see it.
pub async fn card_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> PageResult {
    let id = parse_id(&id)?;
    let ev = load_visible(&state, &ctx, id).await?;
    let n = group_number(&n, &ev.record)?;
    let page = card_page_for(
        &state,
        &ctx,
        &ev,
        n,
        None,
        FormErrors::default(),
        done.message(&ctx),
    )
    .await?;
    Ok(render(&page))
}

pub async fn card_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let n = group_number(&n, &ev.record)?;
    let version = check_version(&ev, f.get("version"))?;
    let categories = state.app.categories().await?;
    let input = CardInput::from_fields(&f);
    match input.to_group(&ctx, &categories, &ev.record.working_groups[n - 1]) {
        Ok(g) => {
            let mut e = ev.record.clone();
            e.working_groups[n - 1] = g;
            save(
                &state,
                &ctx,
                id,
                version,
                &e,
                &format!("/events/{id}/groups/{n}?done=saved"),
            )
            .await
        }
        Err(errors) => {
            let page = card_page_for(&state, &ctx, &ev, n, Some(input), errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

// --- adopt and publish ----------------------------------------------------------------------------

/// Copies a group's card into a library's services as a DRAFT for the event's year. The user's
/// scope must cover the library; the event must be one they can see.
pub async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_visible(&state, &ctx, id).await?;
    let n = group_number(&n, &ev.record)?;
    let library = LibraryId::parse(f.get("library"))
        .map_err(|_| WebError::BadRequest(ctx.t("ev-err-library")))?;
    let saved = match state
        .app
        .adopt_group_card(&ctx.access(), ev.id, n, library)
        .await
    {
        Ok(s) => s,
        Err(AppError::Invalid(v)) if v.0.iter().any(|x| x.code == "ev-adopt-need-card") => {
            return Err(WebError::BadRequest(ctx.t("ev-adopt-need-card")));
        }
        Err(AppError::Invalid(_)) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/services/{}", saved.id)).into_response())
}

/// One click: the event, its participants (without contacts) and its report go public.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let id = parse_id(&id)?;
    let ev = load_for_change(&state, &ctx, id).await?;
    let version = check_version(&ev, f.get("version"))?;
    let mut e = ev.record.clone();
    e.published = true;
    save(
        &state,
        &ctx,
        id,
        version,
        &e,
        &format!("/events/{id}?done=published"),
    )
    .await
}
