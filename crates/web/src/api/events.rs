//! `/api/v1/events`: regional meetings and trainings, with their agenda, participants and
//! working groups. An unpublished event is visible only to an admin or the coordinator of its
//! district (404 to everyone else); the same roles change events.

use super::error::{ApiError, ApiQuery, ReadProblems};
use super::services::ServiceCardDto;
use super::{Paging, Reader};
use crate::AppState;
use axum::extract::State;
use jiff::civil::{Date, Time};
use lipa_app::{EventQuery, Versioned};
use lipa_core::event::{AgendaItem, Event, EventKind, Participant, ParticipantRole, WorkingGroup};
use lipa_core::ids::{CategoryCode, DistrictCode, Ekatte, EventId, PersonId, Year};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = EventKind)]
pub enum EventKindDto {
    Meeting,
    Training,
    Conference,
    Other,
}

impl From<EventKind> for EventKindDto {
    fn from(k: EventKind) -> Self {
        match k {
            EventKind::Meeting => Self::Meeting,
            EventKind::Training => Self::Training,
            EventKind::Conference => Self::Conference,
            EventKind::Other => Self::Other,
        }
    }
}

impl From<EventKindDto> for EventKind {
    fn from(k: EventKindDto) -> Self {
        match k {
            EventKindDto::Meeting => Self::Meeting,
            EventKindDto::Training => Self::Training,
            EventKindDto::Conference => Self::Conference,
            EventKindDto::Other => Self::Other,
        }
    }
}

/// One line of the programme: who speaks, from where, about what.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = AgendaItem)]
pub struct AgendaItemDto {
    /// Within the event's dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub day: Option<Date>,
    /// Local time, `HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, pattern = r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$")]
    pub time: Option<Time>,
    #[serde(default)]
    pub speaker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub organisation: String,
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub topic: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ParticipantRole)]
pub enum ParticipantRoleDto {
    Organiser,
    Guest,
    Speaker,
    Facilitator,
    Participant,
}

impl From<ParticipantRole> for ParticipantRoleDto {
    fn from(r: ParticipantRole) -> Self {
        match r {
            ParticipantRole::Organiser => Self::Organiser,
            ParticipantRole::Guest => Self::Guest,
            ParticipantRole::Speaker => Self::Speaker,
            ParticipantRole::Facilitator => Self::Facilitator,
            ParticipantRole::Participant => Self::Participant,
        }
    }
}

impl From<ParticipantRoleDto> for ParticipantRole {
    fn from(r: ParticipantRoleDto) -> Self {
        match r {
            ParticipantRoleDto::Organiser => Self::Organiser,
            ParticipantRoleDto::Guest => Self::Guest,
            ParticipantRoleDto::Speaker => Self::Speaker,
            ParticipantRoleDto::Facilitator => Self::Facilitator,
            ParticipantRoleDto::Participant => Self::Participant,
        }
    }
}

fn participant() -> ParticipantRoleDto {
    ParticipantRoleDto::Participant
}

fn yes() -> bool {
    true
}

/// A person at the event, as they were on the day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Participant)]
pub struct ParticipantDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<PersonId>,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default = "participant")]
    pub role: ParticipantRoleDto,
    /// Came (true, the default) or only registered.
    #[serde(default = "yes")]
    pub attended: bool,
}

/// A working group and the service card it produced.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = WorkingGroup)]
pub struct WorkingGroupDto {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub category: Option<CategoryCode>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spokesperson: String,
    #[serde(default)]
    pub card: ServiceCardDto,
}

/// An event as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventInput {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    #[serde(default = "meeting")]
    pub kind: EventKindDto,
    #[schema(value_type = String, format = Date)]
    pub starts: Date,
    /// Not before `starts`.
    #[schema(value_type = String, format = Date)]
    pub ends: Date,
    /// The district whose coordinator runs it.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{3}$")]
    pub district: Option<DistrictCode>,
    /// EKATTE code of the place.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{5}$")]
    pub settlement: Option<Ekatte>,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub venue: String,
    #[serde(default)]
    pub organisers: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 8000)]
    pub purpose: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub expected_participants: Option<u32>,
    /// Head count as reported, when the participant list is not complete.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub reported_participants: Option<u32>,
    #[serde(default)]
    pub participants: Vec<ParticipantDto>,
    #[serde(default)]
    pub agenda: Vec<AgendaItemDto>,
    #[serde(default)]
    pub working_groups: Vec<WorkingGroupDto>,
    #[serde(default)]
    pub group_method: String,
    #[serde(default)]
    pub published: bool,
}

fn meeting() -> EventKindDto {
    EventKindDto::Meeting
}

impl From<EventInput> for Event {
    fn from(e: EventInput) -> Self {
        let EventInput {
            title,
            kind,
            starts,
            ends,
            district,
            settlement,
            venue,
            organisers,
            purpose,
            expected_participants,
            reported_participants,
            participants,
            agenda,
            working_groups,
            group_method,
            published,
        } = e;
        Event {
            title,
            kind: kind.into(),
            starts,
            ends,
            district,
            settlement,
            venue,
            organisers,
            purpose,
            expected_participants,
            reported_participants,
            participants: participants
                .into_iter()
                .map(|p| {
                    let ParticipantDto {
                        person_id,
                        name,
                        position,
                        organisation,
                        role,
                        attended,
                    } = p;
                    Participant {
                        person_id,
                        name,
                        position,
                        organisation,
                        role: role.into(),
                        attended,
                    }
                })
                .collect(),
            agenda: agenda
                .into_iter()
                .map(|a| {
                    let AgendaItemDto {
                        day,
                        time,
                        speaker,
                        person_id,
                        organisation,
                        topic,
                    } = a;
                    AgendaItem {
                        day,
                        time,
                        speaker,
                        person_id,
                        organisation,
                        topic,
                    }
                })
                .collect(),
            working_groups: working_groups
                .into_iter()
                .map(|g| {
                    let WorkingGroupDto {
                        name,
                        category,
                        members,
                        spokesperson,
                        card,
                    } = g;
                    WorkingGroup {
                        name,
                        category,
                        members,
                        spokesperson,
                        card: card.into(),
                    }
                })
                .collect(),
            group_method,
            published,
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Event)]
pub struct EventOut {
    #[schema(value_type = i64)]
    pub id: EventId,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub title: String,
    pub kind: EventKindDto,
    #[schema(format = Date)]
    pub starts: String,
    #[schema(format = Date)]
    pub ends: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<String>,
    pub venue: String,
    pub organisers: Vec<String>,
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_participants: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_participants: Option<u32>,
    /// The head count to report: the reported figure or the attended list, whichever is larger.
    pub participant_count: u32,
    pub participants: Vec<ParticipantDto>,
    pub agenda: Vec<AgendaItemDto>,
    pub working_groups: Vec<WorkingGroupDto>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group_method: String,
    pub published: bool,
}

impl From<Versioned<Event>> for EventOut {
    fn from(v: Versioned<Event>) -> Self {
        let participant_count = v.record.participant_count();
        let Event {
            title,
            kind,
            starts,
            ends,
            district,
            settlement,
            venue,
            organisers,
            purpose,
            expected_participants,
            reported_participants,
            participants,
            agenda,
            working_groups,
            group_method,
            published,
        } = v.record;
        EventOut {
            id: v.id,
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            title,
            kind: kind.into(),
            starts: starts.to_string(),
            ends: ends.to_string(),
            district: district.map(|d| d.to_string()),
            settlement: settlement.map(|e| e.to_string()),
            venue,
            organisers,
            purpose,
            expected_participants,
            reported_participants,
            participant_count,
            participants: participants
                .into_iter()
                .map(|p| {
                    let Participant {
                        person_id,
                        name,
                        position,
                        organisation,
                        role,
                        attended,
                    } = p;
                    ParticipantDto {
                        person_id,
                        name,
                        position,
                        organisation,
                        role: role.into(),
                        attended,
                    }
                })
                .collect(),
            agenda: agenda
                .into_iter()
                .map(|a| {
                    let AgendaItem {
                        day,
                        time,
                        speaker,
                        person_id,
                        organisation,
                        topic,
                    } = a;
                    AgendaItemDto {
                        day,
                        time,
                        speaker,
                        person_id,
                        organisation,
                        topic,
                    }
                })
                .collect(),
            working_groups: working_groups
                .into_iter()
                .map(|g| {
                    let WorkingGroup {
                        name,
                        category,
                        members,
                        spokesperson,
                        card,
                    } = g;
                    WorkingGroupDto {
                        name,
                        category,
                        members,
                        spokesperson,
                        card: card.into(),
                    }
                })
                .collect(),
            group_method,
            published,
        }
    }
}

/// A page of events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Events that pass the filters, on all pages.
    pub total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventListParams {
    /// District code (`KNL`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}$")]
    pub district: Option<DistrictCode>,
    #[param(value_type = Option<EventKindDto>)]
    pub kind: Option<EventKindDto>,
    /// Events that start in this year.
    #[param(value_type = Option<i32>, minimum = 1800, maximum = 2100)]
    pub year: Option<Year>,
    /// Words of the title.
    pub q: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^a[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// List events
#[utoipa::path(get, path = "/events", tag = "events", operation_id = "list_events",
    params(EventListParams),
    responses((status = 200, description = "A page of events", body = EventList), ReadProblems),
    security((), ("bearer" = [])))]
pub async fn list_events(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(p): ApiQuery<EventListParams>,
) -> Result<axum::Json<EventList>, ApiError> {
    let paging = Paging::parse(
        p.limit.map(|n| n.to_string()).as_deref(),
        p.cursor.as_deref(),
    )?;
    let query = EventQuery {
        district: p.district,
        kind: p.kind.map(Into::into),
        year: p.year,
        q: p.q.unwrap_or_default(),
        drafts: Default::default(),
    };
    let page = state
        .app
        .page_events(&ctx.access(), query, paging.keyset()?)
        .await?;
    let next_cursor = Paging::next_after(page.more, page.items.last().map(|s| s.id));
    Ok(axum::Json(EventList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor,
        total: page.total,
    }))
}

crate::api_record! { managed Event as event, EventInput => EventOut by super::crud::plain, tag "events"
at "/events" / "/events/{id}", id i64 "The event's ID", reads "The event", find "Get an event",
create "Create an event", update "Replace an event", delete "Delete an event" }
