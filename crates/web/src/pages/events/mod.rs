//! Events — regional meetings, trainings, conferences — from the agenda to the published report.
//!
//! Routes (all server-rendered, plain forms, POST + 303; every POST checks the CSRF token):
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET /events` | everyone | upcoming and past events they may see |
//! | `GET /events/{id}` | everyone (published) / scope | details, agenda, participants, groups |
//! | `GET /events/{id}.ics` | as the event | the event as iCalendar |
//! | `GET/POST /events/new`, `/events/{id}/edit` | coordinator of the district, admin | the details |
//! | `GET/POST /events/{id}/agenda`, `/participants`, `/groups`, `/groups/{n}` | same | the parts |
//! | `POST /events/{id}/groups/{n}/adopt` | a user whose scope covers a library | group card → draft service |
//! | `POST /events/{id}/publish` | coordinator, admin | one click: the event and its report go public |
//! | `GET /events/{id}/participants.xlsx` | scope only | the organisers' working list |
//! | `GET /events/{id}/report`, `/report.html` | as the event | the report, as a page and as a file |
//!
//! Who sees what: a published event is public — its details, agenda, working groups and the
//! names, positions, organisations and roles of its participants (never contacts: the event
//! holds none, they live on the person). An unpublished one exists only for users whose scope
//! covers its district (404 for everyone else, so that its existence does not leak). Changing an
//! event needs the same scope (401 / 403 otherwise).
//!
//! Every change form carries the event's version; a stale one writes nothing and gets a 409:
//! the details and a group's card come back as the user typed them, under the box of
//! [`crate::pages::conflict`] that compares them with the event as saved; the other parts, whose
//! forms add or remove one row, get the 409 page. The report is generated in [`report`] from what was entered, sentence by sentence
//! from the translation files, never from stored prose.

mod edit;
mod parts;
mod report;

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::pages::conflict::ConflictWords;
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use jiff::civil::Date;
use lipa_app::{Access, Versioned};
use lipa_core::Lang;
use lipa_core::event::{Event, EventKind, ParticipantRole};
use lipa_core::geo::Gazetteer;
use lipa_core::i18n::tr;
use lipa_core::ids::EventId;
use lipa_core::service::ServiceCard;
use lipa_core::taxonomy::Category;
use lipa_core::user::Place;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(list_events))
        .route("/events/new", get(edit::new_form).post(edit::create))
        .route("/events/{id}", get(show_or_ics))
        .route("/events/{id}/edit", get(edit::edit_form).post(edit::update))
        .route(
            "/events/{id}/agenda",
            get(parts::agenda_page).post(parts::agenda_post),
        )
        .route(
            "/events/{id}/participants",
            get(parts::participants_page).post(parts::participants_post),
        )
        .route(
            "/events/{id}/participants.xlsx",
            get(report::participants_xlsx),
        )
        .route(
            "/events/{id}/groups",
            get(parts::groups_page).post(parts::groups_post),
        )
        .route(
            "/events/{id}/groups/{n}",
            get(parts::card_page).post(parts::card_post),
        )
        .route("/events/{id}/groups/{n}/adopt", post(parts::adopt))
        .route("/events/{id}/publish", post(parts::publish))
        .route("/events/{id}/report", get(report::report_page))
        .route("/events/{id}/report.html", get(report::report_download))
}

// --- who may see and change an event (the rule is `lipa_app::Access`'s) ---------------------

/// Where an event sits in the tree: its district, or its settlement's.
pub fn event_place(e: &Event) -> Place {
    Access::event_place(e)
}

/// Whether the user may create events: admins and coordinators.
fn can_create(ctx: &Ctx) -> bool {
    ctx.access().is_coordinator_or_admin()
}

/// The event `id` if the reader may see it; 404 otherwise (an unpublished event does not exist
/// for readers outside its scope).
async fn load_visible(
    state: &AppState,
    ctx: &Ctx,
    id: EventId,
) -> Result<Versioned<Event>, WebError> {
    Ok(state.app.event(&ctx.access(), id).await?)
}

/// The event `id` for a change: visible, and the user's scope covers it (401 / 403 otherwise).
async fn load_for_change(
    state: &AppState,
    ctx: &Ctx,
    id: EventId,
) -> Result<Versioned<Event>, WebError> {
    Ok(state.app.for_change::<Event>(&ctx.access(), id).await?)
}

/// The conflict box's words for the event's forms.
const CONFLICT_WORDS: ConflictWords = ConflictWords {
    heading: "ev-conflict-heading",
    text: "ev-conflict-text",
    same: "ev-conflict-same",
    how: "ev-conflict-how",
};

/// The label of a field the conflict box compares: its message key, followed by `#n` for the
/// `n`th row of a list (`ev-f-partner-name#2`).
fn conflict_label(ctx: &Ctx, path: &str) -> String {
    match path.split_once('#') {
        Some((key, n)) => format!("{} {n}", ctx.t(key)),
        None => ctx.t(path),
    }
}

/// The version a form was built from must still be the stored one; otherwise someone changed
/// the event meanwhile and nothing is written.
fn check_version(ev: &Versioned<Event>, sent: &str) -> Result<i64, WebError> {
    match sent.trim().parse::<i64>() {
        Ok(v) if v == ev.version => Ok(v),
        Ok(_) => Err(WebError::Conflict),
        Err(_) => Err(WebError::BadRequest("version".into())),
    }
}

fn parse_id(raw: &str) -> Result<EventId, WebError> {
    raw.parse::<EventId>().map_err(|_| WebError::NotFound)
}

// --- words the pages share -------------------------------------------------------------------------

/// `6 и 7 юни 2012`, `6 – 8 юни 2012`, `30 юни и 1 юли 2012`, `30 декември 2012 – 2 януари 2013`
/// (and the English forms): the dates as the reports write them.
pub fn dates_in_words(lang: Lang, starts: Date, ends: Date) -> String {
    let month = |d: Date| tr(lang, &format!("ev-month-{}", d.month()), &[]);
    let full = |d: Date| {
        tr(
            lang,
            "ev-date-full",
            &[
                ("day", &d.day().to_string()),
                ("month", &month(d)),
                ("year", &d.year().to_string()),
            ],
        )
    };
    if ends <= starts {
        return full(starts);
    }
    let consecutive = starts.tomorrow().is_ok_and(|t| t == ends);
    let join = if consecutive {
        "ev-dates-two"
    } else {
        "ev-dates-range"
    };
    let first = if starts.year() != ends.year() {
        full(starts)
    } else if starts.month() != ends.month() {
        tr(
            lang,
            "ev-date-day-month",
            &[
                ("day", &starts.day().to_string()),
                ("month", &month(starts)),
            ],
        )
    } else {
        starts.day().to_string()
    };
    tr(lang, join, &[("first", &first), ("second", &full(ends))])
}

/// `гр. Кюстендил` / `Kyustendil`, or empty when the event names no settlement.
pub fn settlement_label(lang: Lang, e: &Event) -> String {
    e.settlement
        .as_ref()
        .and_then(|s| Gazetteer::get().settlement(s.as_str()))
        .map(|s| {
            if lang == Lang::Bg {
                s.label_bg()
            } else {
                s.name_en.clone()
            }
        })
        .unwrap_or_default()
}

pub fn role_label(lang: Lang, r: ParticipantRole) -> String {
    tr(lang, &format!("ev-role-{}", r.code()), &[])
}

pub fn kind_label(lang: Lang, k: EventKind) -> String {
    k.label(lang)
}

pub fn category_label(
    lang: Lang,
    categories: &[Category],
    code: Option<&lipa_core::ids::CategoryCode>,
) -> String {
    match code {
        Some(c) => categories
            .iter()
            .find(|k| k.code == *c)
            .map(|k| k.name(lang).to_owned())
            .unwrap_or_else(|| c.to_string()),
        None => String::new(),
    }
}

/// A status notice after a redirect (`?done=saved`).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: String,
}

impl Done {
    pub fn message(&self, ctx: &Ctx) -> Option<String> {
        match self.done.as_str() {
            "saved" => Some(ctx.t("ev-saved")),
            "published" => Some(ctx.t("ev-published-notice")),
            "adopted" => Some(ctx.t("ev-adopted-notice")),
            _ => None,
        }
    }
}

// --- the list -----------------------------------------------------------------------------------

pub struct ListRow {
    pub id: EventId,
    pub title: String,
    pub dates: String,
    pub place: String,
    pub kind: String,
    pub participants: u32,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListPage {
    ctx: Ctx,
    upcoming: Vec<ListRow>,
    past: Vec<ListRow>,
    can_create: bool,
}

async fn list_events(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let today = jiff::ZonedDateTime::now().date();
    let all = state.app.events(&ctx.access()).await?;
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for ev in all {
        let e = &ev.record;
        let row = ListRow {
            id: ev.id,
            title: e.title.clone(),
            dates: dates_in_words(ctx.lang, e.starts, e.ends),
            place: settlement_label(ctx.lang, e),
            kind: kind_label(ctx.lang, e.kind),
            participants: e.participant_count(),
            published: e.published,
        };
        if e.ends >= today {
            upcoming.push((e.starts, row))
        } else {
            past.push(row)
        }
    }
    // The store gives latest first; the next event comes first among the upcoming.
    upcoming.sort_by_key(|(d, r)| (*d, r.id));
    let upcoming = upcoming.into_iter().map(|(_, r)| r).collect();
    Ok(render(&ListPage {
        can_create: can_create(&ctx),
        upcoming,
        past,
        ctx,
    }))
}

// --- one event ------------------------------------------------------------------------------------

pub struct AgendaRow {
    pub day: String,
    pub time: String,
    pub speaker: String,
    pub organisation: String,
    pub topic: String,
}

impl AgendaRow {
    /// The event's agenda as the pages show it: days in words, times as `09:30`.
    pub fn all(lang: Lang, e: &Event) -> Vec<AgendaRow> {
        e.agenda
            .iter()
            .map(|a| AgendaRow {
                day: a
                    .day
                    .map(|d| dates_in_words(lang, d, d))
                    .unwrap_or_default(),
                time: a
                    .time
                    .map(|t| t.strftime("%H:%M").to_string())
                    .unwrap_or_default(),
                speaker: a.speaker.clone(),
                organisation: a.organisation.clone(),
                topic: a.topic.clone(),
            })
            .collect()
    }
}

pub struct ParticipantRow {
    pub name: String,
    pub position: String,
    pub organisation: String,
    pub role: String,
    pub attended: bool,
}

/// A working group with its card, ready to show.
pub struct GroupView {
    /// 1-based, as in the URLs.
    pub n: usize,
    pub name: String,
    pub category: String,
    pub members: Vec<String>,
    pub spokesperson: String,
    pub card: ServiceCard,
    /// Step 5's activities and step 6's budget lines, as text.
    pub activities: Vec<String>,
    pub budget: Vec<String>,
    pub has_card: bool,
}

impl GroupView {
    pub fn new(
        lang: Lang,
        categories: &[Category],
        n: usize,
        g: &lipa_core::event::WorkingGroup,
    ) -> Self {
        let c = &g.card;
        let has_card = !c.name.trim().is_empty();
        GroupView {
            n,
            name: g.name.clone(),
            category: category_label(lang, categories, g.category.as_ref()),
            members: g.members.clone(),
            spokesperson: g.spokesperson.clone(),
            activities: c
                .activities
                .iter()
                .map(|a| match (a.starts, a.ends) {
                    (Some(s), Some(e)) => format!("{} ({s} – {e})", a.title),
                    (Some(s), None) => format!("{} ({s})", a.title),
                    (None, Some(e)) => format!("{} (– {e})", a.title),
                    (None, None) => a.title.clone(),
                })
                .collect(),
            budget: c
                .budget
                .iter()
                .map(|b| {
                    let src = if b.source.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", b.source)
                    };
                    format!("{}: {}{src}", b.label, b.amount)
                })
                .collect(),
            card: c.clone(),
            has_card,
        }
    }
}

/// A library the user may adopt a group's card for.
pub struct LibraryOption {
    pub id: u32,
    pub label: String,
}

#[derive(Template)]
#[template(path = "events/show.html")]
struct ShowPage {
    ctx: Ctx,
    id: EventId,
    version: i64,
    event: Event,
    kind: String,
    dates: String,
    place: String,
    agenda: Vec<AgendaRow>,
    participants: Vec<ParticipantRow>,
    groups: Vec<GroupView>,
    can_change: bool,
    adopt_libraries: Vec<LibraryOption>,
    year: i16,
    notice: Option<String>,
    /// schema.org `Event` of a published event (see [`crate::linked_data`]).
    jsonld: Option<String>,
}

/// `/events/12` is the page, `/events/12.ics` the calendar: one path segment, two answers.
async fn show_or_ics(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(raw): Path<String>,
    Query(done): Query<Done>,
) -> PageResult {
    if let Some(id) = raw.strip_suffix(".ics") {
        let id = parse_id(id)?;
        return report::ics(&state, &ctx, id).await;
    }
    let id = parse_id(&raw)?;
    let ev = load_visible(&state, &ctx, id).await?;
    let categories = state.app.categories().await?;
    let can_change = ctx.can_change(&event_place(&ev.record));
    let adopt_libraries = adoptable_libraries(&state, &ctx).await?;
    let e = &ev.record;
    let page = ShowPage {
        id: ev.id,
        version: ev.version,
        kind: kind_label(ctx.lang, e.kind),
        dates: dates_in_words(ctx.lang, e.starts, e.ends),
        place: settlement_label(ctx.lang, e),
        agenda: AgendaRow::all(ctx.lang, e),
        participants: e
            .participants
            .iter()
            .map(|p| ParticipantRow {
                name: p.name.clone(),
                position: p.position.clone(),
                organisation: p.organisation.clone(),
                role: role_label(ctx.lang, p.role),
                attended: p.attended,
            })
            .collect(),
        groups: e
            .working_groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupView::new(ctx.lang, &categories, i + 1, g))
            .collect(),
        can_change,
        adopt_libraries,
        year: e.starts.year(),
        notice: done.message(&ctx),
        jsonld: e.published.then(|| {
            crate::linked_data::script_json(&crate::linked_data::event(
                &crate::linked_data::origin(&headers, &state),
                &format!("/events/{}", ev.id),
                e,
            ))
        }),
        event: e.clone(),
        ctx,
    };
    Ok(render(&page))
}

/// Most libraries the adopt form offers.
const ADOPT_CHOICES: i64 = 1000;

/// The libraries whose scope the user has, for "adopt this card": a librarian's own library, a
/// coordinator's district's libraries, every library for an admin; none for the public.
pub(super) async fn adoptable_libraries(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Vec<LibraryOption>, WebError> {
    let libs = state
        .app
        .adopt_targets(&ctx.access(), None, ADOPT_CHOICES)
        .await?;
    let g = Gazetteer::get();
    Ok(libs
        .into_iter()
        .map(|l| {
            let place = g
                .settlement(l.record.settlement.as_str())
                .map(|s| {
                    if ctx.is_bg() {
                        s.label_bg()
                    } else {
                        s.name_en.clone()
                    }
                })
                .unwrap_or_default();
            LibraryOption {
                id: l.record.id.get(),
                label: format!("{} – {} ({place})", l.record.id, l.record.name),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_read_as_the_reports_write_them() {
        let bg = |a, b| dates_in_words(Lang::Bg, a, b);
        assert_eq!(bg(date(2012, 6, 6), date(2012, 6, 7)), "6 и 7 юни 2012");
        assert_eq!(bg(date(2012, 6, 6), date(2012, 6, 6)), "6 юни 2012");
        assert_eq!(bg(date(2012, 6, 6), date(2012, 6, 8)), "6 – 8 юни 2012");
        assert_eq!(
            bg(date(2012, 6, 30), date(2012, 7, 1)),
            "30 юни и 1 юли 2012"
        );
        assert_eq!(
            bg(date(2012, 12, 30), date(2013, 1, 2)),
            "30 декември 2012 – 2 януари 2013"
        );
        assert_eq!(
            dates_in_words(Lang::En, date(2012, 6, 6), date(2012, 6, 7)),
            "6 and 7 June 2012"
        );
    }
}
