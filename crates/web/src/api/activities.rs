//! `/api/v1/services/{id}/activities` and `/api/v1/activities/{id}`: the activity log of a
//! service — what its library actually did for it. An entry is read by whoever sees its service
//! (a draft's log only by the roles that see the draft; to everyone else it does not exist:
//! 404) and written by whoever may change the service. An entry stays with the service it was
//! created for: a replacement names no service.

use super::error::{ApiError, ApiJson, ReadProblems, WriteProblems};
use super::{IfMatch, Reader, Writer, created, deleted, record, record_id};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::civil::Date;
use lipa_app::Versioned;
use lipa_core::activity_log::{ActivityEntry, ActivityKind, PeopleReached};
use lipa_core::ids::{ActivityId, ServiceId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of work an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ActivityLogKind)]
pub enum ActivityKindDto {
    Training,
    Consultation,
    Event,
    Publication,
    Other,
}

impl From<ActivityKindDto> for ActivityKind {
    fn from(k: ActivityKindDto) -> Self {
        match k {
            ActivityKindDto::Training => ActivityKind::Training,
            ActivityKindDto::Consultation => ActivityKind::Consultation,
            ActivityKindDto::Event => ActivityKind::Event,
            ActivityKindDto::Publication => ActivityKind::Publication,
            ActivityKindDto::Other => ActivityKind::Other,
        }
    }
}

impl From<ActivityKind> for ActivityKindDto {
    fn from(k: ActivityKind) -> Self {
        match k {
            ActivityKind::Training => ActivityKindDto::Training,
            ActivityKind::Consultation => ActivityKindDto::Consultation,
            ActivityKind::Event => ActivityKindDto::Event,
            ActivityKind::Publication => ActivityKindDto::Publication,
            ActivityKind::Other => ActivityKindDto::Other,
        }
    }
}

/// The people of one target group an entry reached.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = PeopleReached)]
pub struct PeopleReachedDto {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub target_group: String,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub count: u32,
    /// The count is an estimate.
    #[serde(default)]
    pub estimated: bool,
}

/// An entry of an activity log as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityInput {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub kind: ActivityKindDto,
    /// Hours of work, staff and volunteers together.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub hours: f64,
    /// The number of volunteers who helped.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub volunteers: u32,
    /// The hours those volunteers gave, together.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub volunteer_hours: f64,
    /// The people reached, by target group.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub reached: Vec<PeopleReachedDto>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: String,
}

impl ActivityInput {
    /// The entry, for `service` (the path's or the stored entry's).
    fn entry(self, service_id: ServiceId) -> ActivityEntry {
        let ActivityInput {
            date,
            kind,
            hours,
            volunteers,
            volunteer_hours,
            reached,
            note,
        } = self;
        ActivityEntry {
            service_id,
            date,
            kind: kind.into(),
            hours,
            volunteers,
            volunteer_hours,
            reached: reached
                .into_iter()
                .map(|r| PeopleReached {
                    target_group: r.target_group,
                    count: r.count,
                    estimated: r.estimated,
                })
                .collect(),
            note,
        }
    }
}

/// A stored entry of an activity log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = ActivityLogEntry)]
pub struct ActivityOut {
    #[schema(value_type = i64)]
    pub id: ActivityId,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// The service whose log holds the entry.
    #[schema(value_type = i64)]
    pub service_id: ServiceId,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub kind: ActivityKindDto,
    pub hours: f64,
    pub volunteers: u32,
    pub volunteer_hours: f64,
    pub reached: Vec<PeopleReachedDto>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl From<Versioned<ActivityEntry>> for ActivityOut {
    fn from(v: Versioned<ActivityEntry>) -> Self {
        let ActivityEntry {
            service_id,
            date,
            kind,
            hours,
            volunteers,
            volunteer_hours,
            reached,
            note,
        } = v.record;
        ActivityOut {
            id: v.id,
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            service_id,
            date,
            kind: kind.into(),
            hours,
            volunteers,
            volunteer_hours,
            reached: reached
                .into_iter()
                .map(|r| PeopleReachedDto {
                    target_group: r.target_group,
                    count: r.count,
                    estimated: r.estimated,
                })
                .collect(),
            note,
        }
    }
}

/// The activity log of a service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityList {
    /// The entries, by date.
    pub items: Vec<ActivityOut>,
    pub total: i64,
}

/// List a service's activities
///
/// Every entry of the service's activity log, by date (a log is written by hand and stays
/// short: one page).
#[utoipa::path(get, path = "/services/{id}/activities", tag = "activities",
    operation_id = "list_service_activities",
    params(("id" = i64, Path, description = "The service's ID")),
    responses((status = 200, description = "The service's activity log", body = ActivityList), ReadProblems),
    security((), ("bearer" = [])))]
pub async fn list_service_activities(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    Path(id): Path<String>,
) -> Result<axum::Json<ActivityList>, ApiError> {
    let service: ServiceId = record_id(&id)?;
    let items: Vec<ActivityOut> = state
        .app
        .service_activities(&ctx.access(), service)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(axum::Json(ActivityList {
        total: items.len() as i64,
        items,
    }))
}

/// Add an activity to a service's log
///
/// The librarian of the service's library, its district's coordinator, or an admin.
#[utoipa::path(post, path = "/services/{id}/activities", tag = "activities",
    operation_id = "create_service_activity",
    params(("id" = i64, Path, description = "The service's ID")),
    request_body = ActivityInput,
    responses(
        (status = 201, description = "Created", body = ActivityOut,
            headers(("ETag" = String, description = "The record's version, quoted"),
                    ("Location" = String, description = "The new record's address"))),
        WriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn create_service_activity(
    State(state): State<AppState>,
    w: Writer,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<Response, ApiError> {
    let service: ServiceId = record_id(&id)?;
    let stored = state
        .app
        .add_activity(&w.access(), service, input.entry(service))
        .await?;
    let location = format!("/api/v1/activities/{}", stored.id);
    Ok(created(
        location,
        stored.version,
        &ActivityOut::from(stored),
    ))
}

/// Get an activity
#[utoipa::path(get, path = "/activities/{id}", tag = "activities", operation_id = "find_activity",
    params(("id" = i64, Path, description = "The activity's ID")),
    responses(
        (status = 200, description = "The activity", body = ActivityOut,
            headers(("ETag" = String, description = "The record's version, quoted"))),
        ReadProblems,
    ),
    security((), ("bearer" = [])))]
pub async fn find_activity(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (entry, _) = state.app.activity(&ctx.access(), record_id(&id)?).await?;
    Ok(record(entry.version, &ActivityOut::from(entry)))
}

/// Replace an activity
///
/// Needs `If-Match` with its ETag; the entry stays in its service's log.
#[utoipa::path(put, path = "/activities/{id}", tag = "activities", operation_id = "update_activity",
    params(("id" = i64, Path, description = "The activity's ID"), super::IfMatchHeader),
    request_body = ActivityInput,
    responses(
        (status = 200, description = "Replaced", body = ActivityOut,
            headers(("ETag" = String, description = "The record's new version, quoted"))),
        WriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn update_activity(
    State(state): State<AppState>,
    w: Writer,
    if_match: IfMatch,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActivityInput>,
) -> Result<Response, ApiError> {
    let id: ActivityId = record_id(&id)?;
    let access = w.access();
    let current = state.app.for_change::<ActivityEntry>(&access, id).await?;
    let expected = if_match.expect(current.version)?;
    let stored = state
        .app
        .change_activity(
            &access,
            id,
            input.entry(current.record.service_id),
            Some(expected),
        )
        .await?;
    Ok(record(stored.version, &ActivityOut::from(stored)))
}

/// Delete an activity
#[utoipa::path(delete, path = "/activities/{id}", tag = "activities", operation_id = "delete_activity",
    params(("id" = i64, Path, description = "The activity's ID"), super::IfMatchHeader),
    responses((status = 204, description = "Deleted"), WriteProblems),
    security(("bearer" = [])))]
pub async fn delete_activity(
    State(state): State<AppState>,
    w: Writer,
    if_match: IfMatch,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: ActivityId = record_id(&id)?;
    let access = w.access();
    let current = state.app.for_change::<ActivityEntry>(&access, id).await?;
    let expected = if_match.expect(current.version)?;
    state
        .app
        .delete::<ActivityEntry>(&access, id, Some(expected))
        .await?;
    Ok(deleted())
}
