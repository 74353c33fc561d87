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
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
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
