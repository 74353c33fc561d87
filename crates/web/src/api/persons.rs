//! `/api/v1/persons`: librarians, speakers, guests, volunteers. A person is listed and answered
//! where `lipa_app::Access` lets the reader see them (public where they appear in a published
//! event; otherwise for roles whose scope covers them); their contacts are personal data (GDPR),
//! answered only to admins, the coordinator of the district of the person's library and that
//! library's librarian, and otherwise left out of the body, not blanked. Persons are changed by
//! an admin or by the coordinator of their district.

use super::error::{ApiError, ApiQuery, ReadProblems};
use super::{Paging, Reader};
use crate::AppState;
use axum::extract::State;
use lipa_app::persons::PersonView;
use lipa_app::{PersonQuery, Versioned};
use lipa_core::ids::{LibraryId, PartnerId, PersonId};
use lipa_core::person::{Person, PersonalContacts};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A person's contacts: personal data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = PersonalContacts)]
pub struct PersonalContactsDto {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 60)]
    pub phone: String,
}

impl From<PersonalContacts> for PersonalContactsDto {
    fn from(c: PersonalContacts) -> Self {
        let PersonalContacts { email, phone } = c;
        Self { email, phone }
    }
}

impl From<PersonalContactsDto> for PersonalContacts {
    fn from(c: PersonalContactsDto) -> Self {
        let PersonalContactsDto { email, phone } = c;
        Self { email, phone }
    }
}

/// A person as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub position: String,
    /// Organisation as written (`Районна здравна инспекция`).
    #[serde(default)]
    #[schema(max_length = 300)]
    pub organisation: String,
    /// The partner organisation in the registry.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub partner_id: Option<PartnerId>,
    /// The library the person works at (programme ID).
    #[serde(default)]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 999_999_999)]
    pub library: Option<LibraryId>,
    #[serde(default)]
    pub contacts: PersonalContactsDto,
}

impl From<PersonInput> for Person {
    fn from(p: PersonInput) -> Self {
        let PersonInput {
            name,
            position,
            organisation,
            partner_id,
            library,
            contacts,
        } = p;
        Person {
            name,
            position,
            organisation,
            partner_id,
            library,
            contacts: contacts.into(),
        }
    }
}

/// A stored person. `contacts` is present only for readers whose scope covers the person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Person)]
pub struct PersonOut {
    #[schema(value_type = i64)]
    pub id: PersonId,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub name: String,
    pub position: String,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub partner_id: Option<PartnerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<u32>,
    /// Personal data: only for readers whose scope covers the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<PersonalContactsDto>,
}

impl From<PersonView> for PersonOut {
    fn from(p: PersonView) -> Self {
        PersonOut::new(p.person, p.contacts)
    }
}

impl PersonOut {
    fn new(v: Versioned<Person>, contacts: Option<PersonalContacts>) -> Self {
        let Person {
            name,
            position,
            organisation,
            partner_id,
            library,
            contacts: _,
        } = v.record;
        PersonOut {
            id: v.id,
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            name,
            position,
            organisation,
            partner_id,
            library: library.map(LibraryId::get),
            contacts: contacts.map(Into::into),
        }
    }
}

/// A page of persons.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonList {
    pub items: Vec<PersonOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Persons that pass the filters, on all pages.
    pub total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonListParams {
    /// Persons of this library (programme ID).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 999_999_999)]
    pub library: Option<LibraryId>,
    /// Persons of this partner.
    #[param(value_type = Option<i64>)]
    pub partner: Option<PartnerId>,
    /// Words of the name.
    pub q: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^a[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// List persons
#[utoipa::path(get, path = "/persons", tag = "persons", operation_id = "list_persons",
    params(PersonListParams),
    responses((status = 200, description = "A page of persons", body = PersonList), ReadProblems),
    security((), ("bearer" = [])))]
pub async fn list_persons(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(p): ApiQuery<PersonListParams>,
) -> Result<axum::Json<PersonList>, ApiError> {
    let paging = Paging::parse(
        p.limit.map(|n| n.to_string()).as_deref(),
        p.cursor.as_deref(),
    )?;
    let query = PersonQuery {
        library: p.library,
        partner: p.partner,
        q: p.q.unwrap_or_default(),
        scope: Default::default(),
    };
    let page = state
        .app
        .page_persons(&ctx.access(), &query, paging.keyset()?)
        .await?;
    let next_cursor = Paging::next_after(page.more, page.items.last().map(|p| p.person.id));
    Ok(axum::Json(PersonList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor,
        total: page.total,
    }))
}

crate::api_record! { managed Person as person, PersonInput => PersonOut by person_out, tag "persons"
at "/persons" / "/persons/{id}", id i64 "The person's ID", reads "The person", find "Get a person",
create "Create a person", update "Replace a person", delete "Delete a person" }

/// A stored person with the contacts the writer may see.
async fn person_out(
    app: &lipa_app::App,
    access: &lipa_app::Access,
    stored: Versioned<Person>,
) -> lipa_app::Result<PersonOut> {
    let contacts = app.visible_contacts(access, &stored.record).await?;
    Ok(PersonOut::new(stored, contacts))
}
