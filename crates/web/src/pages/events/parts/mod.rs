//! The parts of an event that its organisers fill in during and after it: the agenda, the
//! participants and their attendance, the working groups with their members and service cards,
//! adopting a group's card as a library's draft service, and publishing.
//!
//! Each page is one or two plain forms posting to the page's own URL; an `action` field says
//! what to do (`add`, `remove`, `save` …). Every change re-checks the scope and the version the
//! form was built from, writes the whole event once, and redirects back (303).

use super::edit::FormErrors;
use super::{
    CONFLICT_WORDS, Done, GroupView, LibraryOption, adoptable_libraries, check_version,
    conflict_label, event_place, load_for_change, load_visible, parse_id, role_label,
};
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::extract::{
    Form, FromRequest, FromRequestParts, Path, Query, RawPathParams, Request, State,
};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect};
use jiff::civil::{Date, Time};
use lipa_app::{AppError, Versioned};
use lipa_core::event::{AgendaItem, Event, Participant, ParticipantRole, WorkingGroup};
use lipa_core::ids::{CategoryCode, EventId, LibraryId};
use lipa_core::money::{Currency, Money};
use lipa_core::service::{Activity, BudgetItem, ServiceCard, ServicePartner};
use lipa_core::taxonomy::Category;
use std::collections::HashMap;

mod agenda;
mod card;
mod groups;
mod participants;
mod publish;
pub(crate) use agenda::*;
pub(crate) use card::*;
pub(crate) use groups::*;
pub(crate) use participants::*;
pub(crate) use publish::*;

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
    id: EventId,
    version: i64,
    e: &Event,
    to: &str,
) -> PageResult {
    state
        .app
        .replace(&ctx.access(), id, e, Some(version))
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

/// The `{id}` of the request's path: the event a page of its parts is about.
async fn path_event_id(parts: &mut Parts, state: &AppState) -> Result<EventId, WebError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| WebError::NotFound)?;
    let raw = params
        .iter()
        .find(|(k, _)| *k == "id")
        .map(|(_, v)| v)
        .ok_or(WebError::NotFound)?;
    parse_id(raw)
}

/// The event of the path, as the signed-in writer may change it (404, 401 or 403 otherwise):
/// what the form pages of its parts start from.
pub(crate) struct ForChange(Versioned<Event>);

impl FromRequestParts<AppState> for ForChange {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let id = path_event_id(parts, state).await?;
        Ok(ForChange(load_for_change(state, &ctx, id).await?))
    }
}

/// A form posted to one of the event's pages: its fields (the anti-forgery token checked), the
/// event of the path as the writer may change it now, its version, and whether someone changed
/// it since the form was built (`stale`). A stale form may still add a row — adding merges with
/// whatever else changed — but anything that names rows by their place, or saves the whole list,
/// is refused with 409 ([`Posted::fresh`]).
pub(crate) struct Posted {
    f: Fields,
    ev: Versioned<Event>,
    version: i64,
    stale: bool,
}

impl Posted {
    /// The form must have been built from the event as it is now (409 otherwise).
    fn fresh(stale: bool) -> Result<(), WebError> {
        match stale {
            true => Err(WebError::Conflict),
            false => Ok(()),
        }
    }
}

impl FromRequest<AppState> for Posted {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let Ok(ctx) = Ctx::from_request_parts(&mut parts, state).await;
        let id = path_event_id(&mut parts, state).await?;
        let Form(pairs) =
            Form::<Vec<(String, String)>>::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|e| WebError::body_rejected(e.status(), e.body_text()))?;
        let f = Fields::new(pairs);
        ctx.check_csrf(f.get("csrf"))?;
        let ev = load_for_change(state, &ctx, id).await?;
        let stale = match check_version(&ev, f.get("version")) {
            Ok(_) => false,
            Err(WebError::Conflict) => true,
            Err(e) => return Err(e),
        };
        let version = ev.version;
        Ok(Posted {
            f,
            ev,
            version,
            stale,
        })
    }
}
