//! The event's report — the kind of news report the programme published after every regional
//! meeting (the Kyustendil 2012 report is the model) — generated from what was entered: who met,
//! where and why; the official guests; who spoke about what; the working-group method and each
//! group's result; and the table of the district's planned services for the event's year.
//!
//! Every sentence is a Fluent message with arguments (`locales/*/events.ftl`), so the Bulgarian
//! report reads like the model („На 6 и 7 юни 2012 в гр. Кюстендил се проведе …“) and the English
//! one like English. Sentences are plain text; the templates escape them.
//!
//! Two renderings share one body (`templates/events/report_body.html`):
//!
//! - `GET /events/{id}/report` — a page of the app, printable (the print rules are in
//!   `style.css`, section "Events");
//! - `GET /events/{id}/report.html` — a standalone HTML file to put on a website. It carries its
//!   own small `<style>` element, which the app's CSP (`style-src 'self'`) would block, so it is
//!   served as a download (`Content-Disposition: attachment`) with its own CSP that allows
//!   exactly that style by its SHA-256 hash and nothing else (no scripts, no external loads).
//!
//! Also here: the `.ics` calendar and the participant list XLSX.

use super::{dates_in_words, event_place, load_visible, parse_id};
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use base64::Engine;
use lipa_app::{Access, App, Versioned};
use lipa_core::Lang;
use lipa_core::event::{Event, EventKind, Participant, ParticipantRole};
use lipa_core::geo::{Gazetteer, SettlementKind};
use lipa_core::i18n::tr;
use lipa_core::ids::{EventId, Year};
use lipa_core::taxonomy::Category;
use sha2::{Digest, Sha256};

/// The report, sentence by sentence, in one language.
pub struct Report {
    pub lang: &'static str,
    pub title: String,
    pub held: String,
    pub venue: Option<String>,
    pub count: Option<String>,
    /// The purpose, paragraph by paragraph.
    pub purpose: Vec<String>,
    pub guests: Option<String>,
    pub present: Option<String>,
    pub speeches: Vec<String>,
    pub groups_intro: Option<String>,
    pub method_intro: String,
    pub method_steps: Vec<String>,
    pub spokespeople: String,
    pub results_intro: String,
    pub results: Vec<String>,
    pub table: Option<ReportTable>,
    pub source: String,
    pub headings: Headings,
}

pub struct Headings {
    pub who: String,
    pub agenda: String,
    pub groups: String,
    pub table: String,
}

/// The seed's table: the district's libraries and the services they will run in the year.
pub struct ReportTable {
    pub caption: String,
    pub headers: Vec<String>,
    /// ID, library, municipality, settlement, service (`Е-здраве: …`), target group.
    pub rows: Vec<[String; 6]>,
}

/// `A, B и C` / `A, B and C`.
fn join_and(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr(lang, "ev-and", &[])),
    }
}

/// `Радослава Чеканска, зам.-областен управител`: the name and what the person is (position, or
/// else organisation), as the model introduces a guest.
fn guest_label(p: &Participant) -> String {
    let what = if p.position.trim().is_empty() {
        p.organisation.trim()
    } else {
        p.position.trim()
    };
    if what.is_empty() {
        p.name.clone()
    } else {
        format!("{}, {what}", p.name)
    }
}

/// `Слава Соколова – Община Кюстендил, отдел …`: the name, then position and organisation.
fn present_label(p: &Participant) -> String {
    let what: Vec<&str> = [p.position.trim(), p.organisation.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if what.is_empty() {
        p.name.clone()
    } else {
        format!("{} – {}", p.name, what.join(", "))
    }
}

/// The kind as the report's messages select on it: a meeting of a district is "regional".
fn kind_key(e: &Event) -> &'static str {
    match e.kind {
        EventKind::Meeting if event_place(e).district.is_some() => "meeting",
        EventKind::Meeting => "meeting-local",
        EventKind::Training => "training",
        EventKind::Conference => "conference",
        EventKind::Other => "other",
    }
}

/// Builds the report of `e` in `lang`. `table` is the district table, when the event has a district.
pub fn build(lang: Lang, e: &Event, categories: &[Category], table: Option<ReportTable>) -> Report {
    let t = |k: &str, args: &[(&str, &str)]| tr(lang, k, args);
    let kind = kind_key(e);
    let settlement = e
        .settlement
        .as_ref()
        .and_then(|s| Gazetteer::get().settlement(s.as_str()));
    let title = match settlement {
        Some(s) => {
            let name = if lang == Lang::Bg {
                &s.name_bg
            } else {
                &s.name_en
            };
            t(
                "ev-report-title",
                &[("kind", kind), ("title", &e.title), ("place", name)],
            )
        }
        None => t(
            "ev-report-title-noplace",
            &[("kind", kind), ("title", &e.title)],
        ),
    };
    let dates = dates_in_words(lang, e.starts, e.ends);
    let what = t("ev-what", &[("kind", kind)]);
    let organisers = join_and(lang, &e.organisers);
    let count = e.organisers.len().to_string();
    let held = match settlement {
        Some(s) => {
            let place = if lang == Lang::Bg {
                s.label_bg()
            } else {
                s.name_en.clone()
            };
            t(
                "ev-report-held",
                &[
                    ("dates", &dates),
                    ("place", &place),
                    ("what", &what),
                    ("title", &e.title),
                    ("count", &count),
                    ("organisers", &organisers),
                ],
            )
        }
        None => t(
            "ev-report-held-noplace",
            &[
                ("dates", &dates),
                ("what", &what),
                ("title", &e.title),
                ("count", &count),
                ("organisers", &organisers),
            ],
        ),
    };
    let venue =
        (!e.venue.trim().is_empty()).then(|| t("ev-report-venue", &[("venue", e.venue.trim())]));
    let in_event = t("ev-in-event", &[("kind", kind)]);
    let listed = e.participants.iter().filter(|p| p.attended).count();
    let count = match e.reported_participants {
        // The reported figure is a lower bound ("над 40") unless the list itself is longer.
        Some(n) if n as usize > listed => Some(t(
            "ev-report-count-over",
            &[("count", &n.to_string()), ("in_event", &in_event)],
        )),
        _ if e.participant_count() > 0 => Some(t(
            "ev-report-count",
            &[
                ("count", &e.participant_count().to_string()),
                ("in_event", &in_event),
            ],
        )),
        _ => None,
    };
    let guests: Vec<String> = e
        .participants
        .iter()
        .filter(|p| p.role == ParticipantRole::Guest)
        .map(guest_label)
        .collect();
    let guests = (!guests.is_empty()).then(|| {
        t(
            "ev-report-guests",
            &[
                ("count", &guests.len().to_string()),
                ("guests", &join_and(lang, &guests)),
            ],
        )
    });
    let present: Vec<String> = e
        .participants
        .iter()
        .filter(|p| p.attended && p.role != ParticipantRole::Guest)
        .map(present_label)
        .collect();
    let present = (!present.is_empty())
        .then(|| t("ev-report-present", &[("list", &join_and(lang, &present))]));
    let speeches = e
        .agenda
        .iter()
        .map(|a| {
            let topic = a.topic.trim();
            match (a.speaker.trim(), a.organisation.trim()) {
                ("", _) => topic.to_owned(),
                (s, "") => t("ev-report-spoke", &[("speaker", s), ("topic", topic)]),
                (s, o) => t(
                    "ev-report-spoke-org",
                    &[("speaker", s), ("organisation", o), ("topic", topic)],
                ),
            }
        })
        .collect();
    let groups_intro = (!e.working_groups.is_empty()).then(|| {
        t(
            "ev-report-groups-intro",
            &[("count", &e.working_groups.len().to_string())],
        )
    });
    // The method as the groups were given it, or the programme's 8 steps.
    let custom: Vec<String> = e
        .group_method
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['.', ')'])
                .trim()
                .to_owned()
        })
        .filter(|l| !l.is_empty())
        .collect();
    let method_steps = if custom.is_empty() {
        (1..=8).map(|i| t(&format!("ev-step-{i}"), &[])).collect()
    } else {
        custom
    };
    let results = e
        .working_groups
        .iter()
        .filter(|g| !g.card.name.trim().is_empty())
        .map(|g| {
            let service = g.card.name.trim().trim_end_matches('.');
            let category = super::category_label(lang, categories, g.category.as_ref());
            let target = g
                .card
                .target_groups
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            match (category.is_empty(), target.is_empty()) {
                (false, false) => t(
                    "ev-report-result",
                    &[
                        ("category", &category),
                        ("service", service),
                        ("target", &target),
                    ],
                ),
                (true, false) => t(
                    "ev-report-result-nocat",
                    &[("service", service), ("target", &target)],
                ),
                (false, true) => t(
                    "ev-report-result-notarget",
                    &[("category", &category), ("service", service)],
                ),
                (true, true) => t("ev-report-result-bare", &[("service", service)]),
            }
        })
        .collect();
    Report {
        lang: lang.code(),
        title,
        held,
        venue,
        count,
        purpose: e
            .purpose
            .split("\n\n")
            .map(|p| p.trim().replace('\n', " "))
            .filter(|p| !p.is_empty())
            .collect(),
        guests,
        present,
        speeches,
        groups_intro,
        method_intro: t("ev-report-method", &[]),
        method_steps,
        spokespeople: t("ev-report-spokespeople", &[]),
        results_intro: t("ev-report-results", &[]),
        results,
        table,
        source: t("ev-report-source", &[]),
        headings: Headings {
            who: t("ev-report-h-who", &[]),
            agenda: t("ev-report-h-agenda", &[]),
            groups: t("ev-report-h-groups", &[]),
            table: t("ev-report-h-table", &[]),
        },
    }
}

/// The district table for the event's year: every library of the district, in the order of the
/// model (municipality, towns first, settlement, ID), with each published service it plans for
/// that year on a row of its own, and one row with empty service cells for a library with none.
pub async fn district_table(
    app: &App,
    lang: Lang,
    e: &Event,
    categories: &[Category],
) -> Result<Option<ReportTable>, WebError> {
    let Some(district) = event_place(e).district else {
        return Ok(None);
    };
    let Ok(year) = Year::new(i32::from(e.starts.year())) else {
        return Ok(None);
    };
    let g = Gazetteer::get();
    let (libraries, services) = app
        .district_table_data(&Access::anonymous(), &district, year)
        .await?;
    let mut libs: Vec<_> = libraries
        .iter()
        .map(|l| {
            let s = g.settlement(l.record.settlement.as_str());
            let m = s.and_then(|s| g.municipality(s.municipality.as_str()));
            let key = (
                m.map(|m| m.name_bg.clone()).unwrap_or_default(),
                s.is_none_or(|s| s.kind != SettlementKind::Town),
                s.map(|s| s.name_bg.clone()).unwrap_or_default(),
                l.record.id,
            );
            (key, l, s, m)
        })
        .collect();
    libs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rows = Vec::new();
    for (_, l, s, m) in libs {
        let lib = &l.record;
        let (municipality, settlement) = if lang == Lang::Bg {
            (
                m.map(|m| m.name_bg.clone()).unwrap_or_default(),
                s.map(|s| s.label_bg()).unwrap_or_default(),
            )
        } else {
            (
                m.map(|m| m.name_en.clone()).unwrap_or_default(),
                s.map(|s| s.name_en.clone()).unwrap_or_default(),
            )
        };
        let own: Vec<&Versioned<lipa_core::service::Service>> = services
            .iter()
            .filter(|s| s.record.library == lib.id)
            .collect();
        let base = |service: String, target: String| {
            [
                lib.id.to_string(),
                lib.name.clone(),
                municipality.clone(),
                settlement.clone(),
                service,
                target,
            ]
        };
        if own.is_empty() {
            rows.push(base(String::new(), String::new()));
        }
        for s in own {
            let cat = super::category_label(lang, categories, Some(&s.record.category));
            rows.push(base(
                format!("{cat}: {}", s.record.card.name),
                s.record.card.target_groups.join(", "),
            ));
        }
    }
    let district_name = g.district(district.as_str()).map(|d| {
        if lang == Lang::Bg {
            d.name_bg.clone()
        } else {
            d.name_en.clone()
        }
    });
    Ok(Some(ReportTable {
        caption: tr(
            lang,
            "ev-report-table-caption",
            &[
                (
                    "district",
                    &district_name.unwrap_or_else(|| district.to_string()),
                ),
                ("year", &year.to_string()),
            ],
        ),
        headers: [
            "id",
            "library",
            "municipality",
            "settlement",
            "service",
            "target",
        ]
        .iter()
        .map(|c| tr(lang, &format!("ev-report-col-{c}"), &[]))
        .collect(),
        rows,
    }))
}

async fn report_for(
    state: &AppState,
    ctx: &Ctx,
    ev: &Versioned<Event>,
) -> Result<Report, WebError> {
    let categories = state.app.categories().await?;
    let table = district_table(&state.app, ctx.lang, &ev.record, &categories).await?;
    Ok(build(ctx.lang, &ev.record, &categories, table))
}

#[derive(Template)]
#[template(path = "events/report.html")]
struct ReportPage {
    ctx: Ctx,
    id: EventId,
    report: Report,
    published: bool,
}

pub async fn report_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let ev = load_visible(&state, &ctx, parse_id(&id)?).await?;
    let id = ev.id;
    let report = report_for(&state, &ctx, &ev).await?;
    Ok(render(&ReportPage {
        id,
        report,
        published: ev.record.published,
        ctx,
    }))
}

/// The standalone file's only style. Its hash goes into the file's CSP.
const STANDALONE_STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}\
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}caption{text-align:left;font-weight:700;margin-bottom:.5rem}\
th,td{border:1px solid #b1b4b6;padding:.3rem .4rem;text-align:left;vertical-align:top}thead th{background:#f3f2f1}\
.muted{color:#505a5f;font-size:.9rem}";

#[derive(Template)]
#[template(path = "events/report_standalone.html")]
struct StandaloneReport<'a> {
    report: &'a Report,
    style: &'static str,
}

/// The report as a file for a website (see the module doc for why a download).
pub async fn report_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let ev = load_visible(&state, &ctx, parse_id(&id)?).await?;
    let id = ev.id;
    let report = report_for(&state, &ctx, &ev).await?;
    let html = StandaloneReport {
        report: &report,
        style: STANDALONE_STYLE,
    }
    .render()
    .map_err(WebError::from)?;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(STANDALONE_STYLE.as_bytes()));
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'"
    );
    let csp = HeaderValue::from_str(&csp).map_err(|e| WebError::Internal(e.into()))?;
    let name = format!(
        "attachment; filename=\"lipa-event-{id}-report-{}.html\"",
        ctx.lang.code()
    );
    let name = HeaderValue::from_str(&name).map_err(|e| WebError::Internal(e.into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, name),
            (header::CONTENT_SECURITY_POLICY, csp),
        ],
        html,
    )
        .into_response())
}

/// The event as iCalendar: the title as the report's, the place, and the purpose.
pub async fn ics(state: &AppState, ctx: &Ctx, id: EventId) -> PageResult {
    let ev = load_visible(state, ctx, id).await?;
    let e = &ev.record;
    let report = build(ctx.lang, e, &[], None);
    let place = super::settlement_label(ctx.lang, e);
    let location = [e.venue.trim(), place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let stamp = ev
        .updated_at
        .parse::<jiff::Timestamp>()
        .unwrap_or_else(|_| jiff::Timestamp::now());
    let entry = lipa_io::ical::CalendarEvent {
        uid: format!("lipa-event-{id}"),
        summary: report.title,
        starts: e.starts,
        ends: e.ends,
        location,
        description: e.purpose.trim().to_owned(),
        url: None,
        stamp,
    };
    let body = lipa_io::ical::to_ics(&[entry]);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lipa-event-{id}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The participant list: a working list of the organisers, for users whose scope covers the
/// event only (401 / 403 otherwise, 404 when the event is not visible at all).
pub async fn participants_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    // Looked up first: an event the reader may not see is not found, signed in or not.
    let ev = load_visible(&state, &ctx, parse_id(&id)?).await?;
    let ev = state.app.for_change::<Event>(&ctx.access(), ev.id).await?;
    let bytes = lipa_io::participants::to_xlsx(&ev.record, ctx.lang)
        .map_err(|e| WebError::Internal(anyhow::anyhow!("participants xlsx: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lipa-event-{id}-participants.xlsx\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_joined_with_the_languages_and() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(Lang::Bg, &v(&["А", "Б", "В"])), "А, Б и В");
        assert_eq!(join_and(Lang::En, &v(&["A", "B"])), "A and B");
        assert_eq!(join_and(Lang::En, &v(&["A"])), "A");
    }

    #[test]
    fn the_demo_meeting_reads_like_the_seed() {
        let reg = lipa_io::demo::load().unwrap();
        let cats = lipa_core::taxonomy::default_categories();
        let r = build(Lang::Bg, &reg.events[0], &cats, None);
        assert_eq!(
            r.title,
            "Регионална тематична среща „Библиотеката и нейните партньори“ в Кюстендил"
        );
        assert!(r.held.starts_with("На 6 и 7 юни 2012 в гр. Кюстендил се проведе регионална тематична среща „Библиотеката и нейните партньори“, съвместна инициатива на Програма „Глоб@лни библиотеки – България“ и "), "{}", r.held);
        assert_eq!(
            r.venue.as_deref(),
            Some("Форумът се проведе в синята зала на НЧ „Братство“.")
        );
        assert_eq!(r.count.as_deref(), Some("В срещата участваха над 40 души."));
        assert_eq!(
            r.guests.as_deref(),
            Some(
                "Официални гости на събитието бяха Радослава Чеканска, зам.-областен управител и Росица Плачкова, зам.-кмет на община Кюстендил."
            )
        );
        assert_eq!(r.method_steps.len(), 8);
        assert_eq!(r.method_steps[0], "Избор на услугата и наименование");
        assert_eq!(
            r.results[0],
            "Е-образование: Предоставяне на информационно-образователни услуги за ученици с двигателни увреждания. Целева група - ученици."
        );
        assert_eq!(r.results.len(), 5);
    }
}
