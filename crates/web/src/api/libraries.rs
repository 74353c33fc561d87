//! `/api/v1/libraries`: the registry's libraries. The list takes the filters of the libraries
//! page (same names, same meaning, through the same store query) and answers their facet counts
//! beside the page of items. A library is public; changing one needs a role covering its
//! settlement's district and its ID, and creating or deleting one a role covering the district
//! (an admin, or that district's coordinator).

use super::error::{ApiError, ApiQuery, ReadProblems};
use super::{Cursor, Paging, Reader};
use crate::AppState;
use crate::format::facet_label;
use axum::extract::State;
use lipa_app::{Access, App, LibraryFilter, LibrarySort, Versioned};
use lipa_core::geo::{Gazetteer, SettlementKind};
use lipa_core::ids::{CategoryCode, DistrictCode, Ekatte, LibraryId, MunicipalityCode, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::service::ServiceStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What kind of library it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = LibraryKind)]
pub enum LibraryKindDto {
    Regional,
    Chitalishte,
    Municipal,
    School,
    Specialised,
}

impl From<LibraryKind> for LibraryKindDto {
    fn from(k: LibraryKind) -> Self {
        match k {
            LibraryKind::Regional => Self::Regional,
            LibraryKind::Chitalishte => Self::Chitalishte,
            LibraryKind::Municipal => Self::Municipal,
            LibraryKind::School => Self::School,
            LibraryKind::Specialised => Self::Specialised,
        }
    }
}

impl From<LibraryKindDto> for LibraryKind {
    fn from(k: LibraryKindDto) -> Self {
        match k {
            LibraryKindDto::Regional => Self::Regional,
            LibraryKindDto::Chitalishte => Self::Chitalishte,
            LibraryKindDto::Municipal => Self::Municipal,
            LibraryKindDto::School => Self::School,
            LibraryKindDto::Specialised => Self::Specialised,
        }
    }
}

/// The народно читалище that hosts the library.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Chitalishte)]
pub struct ChitalishteDto {
    /// The name without the НЧ prefix and the year: `Лоза`.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// Founding year.
    #[schema(value_type = Option<i32>, minimum = 1800, maximum = 2100)]
    pub founded: Option<Year>,
}

impl From<Chitalishte> for ChitalishteDto {
    fn from(c: Chitalishte) -> Self {
        let Chitalishte { name, founded } = c;
        Self { name, founded }
    }
}

impl From<ChitalishteDto> for Chitalishte {
    fn from(c: ChitalishteDto) -> Self {
        let ChitalishteDto { name, founded } = c;
        Self { name, founded }
    }
}

/// Contacts of the institution (public; a person's contacts are not here).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = LibraryContacts)]
pub struct ContactsDto {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 300)]
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 60)]
    pub phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schema(max_length = 300)]
    pub website: String,
}

impl From<Contacts> for ContactsDto {
    fn from(c: Contacts) -> Self {
        let Contacts {
            address,
            phone,
            email,
            website,
        } = c;
        Self {
            address,
            phone,
            email,
            website,
        }
    }
}

impl From<ContactsDto> for Contacts {
    fn from(c: ContactsDto) -> Self {
        let ContactsDto {
            address,
            phone,
            email,
            website,
        } = c;
        Self {
            address,
            phone,
            email,
            website,
        }
    }
}

/// A library as a client sends it: to create one, or to replace one (with the same `id`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LibraryInput {
    /// The programme's ID of the library (`732`).
    #[schema(value_type = u32, minimum = 1, maximum = 999_999_999)]
    pub id: LibraryId,
    /// Display name: `Библиотека при НЧ „Лоза 1870“`.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub name: String,
    pub kind: LibraryKindDto,
    pub chitalishte: Option<ChitalishteDto>,
    /// EKATTE code of its settlement (`04532`).
    #[schema(value_type = String, pattern = "^[0-9]{5}$")]
    pub settlement: Ekatte,
    /// The district's coordinating library (one per district).
    #[serde(default)]
    pub coordinator: bool,
    #[serde(default)]
    pub contacts: ContactsDto,
}

impl From<LibraryInput> for Library {
    fn from(l: LibraryInput) -> Self {
        let LibraryInput {
            id,
            name,
            kind,
            chitalishte,
            settlement,
            coordinator,
            contacts,
        } = l;
        Library {
            id,
            name,
            kind: kind.into(),
            chitalishte: chitalishte.map(Into::into),
            settlement,
            coordinator,
            contacts: contacts.into(),
        }
    }
}

/// A stored library.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Library)]
pub struct LibraryOut {
    /// The programme's ID.
    pub id: u32,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub name: String,
    pub kind: LibraryKindDto,
    pub chitalishte: Option<ChitalishteDto>,
    /// EKATTE code of its settlement.
    pub settlement: String,
    /// Its settlement's municipality (read-only, from the gazetteer).
    pub municipality: Option<String>,
    /// Its settlement's district (read-only, from the gazetteer).
    pub district: Option<String>,
    pub coordinator: bool,
    pub contacts: ContactsDto,
}

impl From<Versioned<Library>> for LibraryOut {
    fn from(v: Versioned<Library>) -> Self {
        let Library {
            id,
            name,
            kind,
            chitalishte,
            settlement,
            coordinator,
            contacts,
        } = v.record;
        let place = Gazetteer::get().settlement(settlement.as_str());
        LibraryOut {
            id: id.get(),
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            name,
            kind: kind.into(),
            chitalishte: chitalishte.map(Into::into),
            municipality: place.map(|s| s.municipality.to_string()),
            district: place.map(|s| s.district.to_string()),
            settlement: settlement.to_string(),
            coordinator,
            contacts: contacts.into(),
        }
    }
}

/// A library of a list, with the number of its services the filter counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LibraryListItem {
    #[serde(flatten)]
    pub library: LibraryOut,
    /// Its published services that pass the list's service filters.
    pub services: i64,
}

/// A value of a facet and how many libraries choosing it would give.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FacetValueOut {
    /// The value to pass as the query parameter.
    pub value: String,
    /// Its name in the request's language.
    pub label: String,
    pub count: i64,
}

/// The counts of one filter: every other filter applied, its own left out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FacetOut {
    /// The query parameter it fills: `district`, `municipality`, `kind`, `category`, `group`,
    /// `volunteers`, `year`, `status`.
    pub name: String,
    pub values: Vec<FacetValueOut>,
}

/// A page of libraries, with the facet counts of the whole filtered list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LibraryList {
    pub items: Vec<LibraryListItem>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Libraries that pass the filters, on all pages.
    pub total: i64,
    pub facets: Vec<FacetOut>,
}

/// `yes` or `no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    Yes,
    No,
}

impl YesNo {
    pub fn get(self) -> bool {
        self == YesNo::Yes
    }
}

/// A settlement kind, as the `kind` filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = SettlementKind)]
pub enum SettlementKindDto {
    Town,
    Village,
    Monastery,
}

impl From<SettlementKindDto> for SettlementKind {
    fn from(k: SettlementKindDto) -> Self {
        match k {
            SettlementKindDto::Town => Self::Town,
            SettlementKindDto::Village => Self::Village,
            SettlementKindDto::Monastery => Self::Monastery,
        }
    }
}

impl From<SettlementKind> for SettlementKindDto {
    fn from(k: SettlementKind) -> Self {
        match k {
            SettlementKind::Town => Self::Town,
            SettlementKind::Village => Self::Village,
            SettlementKind::Monastery => Self::Monastery,
        }
    }
}

/// A published service status, as the `status` filters name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PublishedStatus {
    Planned,
    Active,
    Completed,
    Dropped,
}

impl From<PublishedStatus> for ServiceStatus {
    fn from(s: PublishedStatus) -> Self {
        match s {
            PublishedStatus::Planned => Self::Planned,
            PublishedStatus::Active => Self::Active,
            PublishedStatus::Completed => Self::Completed,
            PublishedStatus::Dropped => Self::Dropped,
        }
    }
}

/// How to order libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LibrarySortParam {
    /// By programme ID (the default).
    Id,
    Name,
    /// By district, municipality, then ID.
    Place,
    /// Most services first.
    Services,
}

/// The filters of the libraries list: those of the libraries page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LibraryListParams {
    /// District code (`KNL`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}$")]
    pub district: Option<DistrictCode>,
    /// Municipality code (`KNL29`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}[0-9]{2}$")]
    pub municipality: Option<MunicipalityCode>,
    /// Kind of the library's settlement.
    #[param(value_type = Option<SettlementKindDto>)]
    pub kind: Option<SettlementKindDto>,
    /// Libraries with a service in this category (`e-health`).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub category: Option<CategoryCode>,
    /// Libraries with a service for this target group (as written; case and quotes fold).
    pub group: Option<String>,
    /// Libraries with a service supported (`yes`) or not (`no`) by volunteers.
    #[param(value_type = Option<YesNo>)]
    pub volunteers: Option<YesNo>,
    /// Libraries with a service in this year.
    #[param(value_type = Option<i32>, minimum = 1800, maximum = 2100)]
    pub year: Option<Year>,
    /// Libraries with a service in this status.
    #[param(value_type = Option<PublishedStatus>)]
    pub status: Option<PublishedStatus>,
    /// `no`: libraries with no published service yet (the coverage gap); `yes`: with one.
    #[param(value_type = Option<YesNo>)]
    pub has: Option<YesNo>,
    /// Words of the name, the chitalishte or the place (Latin or Cyrillic, any case).
    pub q: Option<String>,
    #[param(value_type = Option<LibrarySortParam>)]
    pub sort: Option<LibrarySortParam>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^o[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

impl LibraryListParams {
    fn filter(&self) -> LibraryFilter {
        LibraryFilter {
            district: self.district.clone(),
            municipality: self.municipality.clone(),
            settlement_kind: self.kind.map(Into::into),
            category: self.category.clone(),
            target_group: self.group.clone().filter(|g| !g.trim().is_empty()),
            volunteers: self.volunteers.map(YesNo::get),
            year: self.year,
            status: self.status.map(Into::into),
            has_service: self.has.map(YesNo::get),
            sort: match self.sort {
                None | Some(LibrarySortParam::Id) => LibrarySort::Id,
                Some(LibrarySortParam::Name) => LibrarySort::Name,
                Some(LibrarySortParam::Place) => LibrarySort::Place,
                Some(LibrarySortParam::Services) => LibrarySort::Services,
            },
            ..Default::default()
        }
    }
}

/// The query-parameter name of a store facet, and its values as the parameter takes them.
fn facet_param(name: &str) -> Option<&'static str> {
    Some(match name {
        "district" => "district",
        "municipality" => "municipality",
        "settlement_kind" => "kind",
        "category" => "category",
        "target_group" => "group",
        "volunteers" => "volunteers",
        "year" => "year",
        "status" => "status",
        _ => return None,
    })
}

/// List libraries
///
/// The filters are those of the libraries page; `facets` counts, for every filter, the
/// libraries that choosing each of its values would give.
#[utoipa::path(get, path = "/libraries", tag = "libraries", operation_id = "list_libraries",
    params(LibraryListParams),
    responses(
        (status = 200, description = "A page of libraries", body = LibraryList),
        ReadProblems,
    ),
    security((), ("bearer" = [])))]
pub async fn list_libraries(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(params): ApiQuery<LibraryListParams>,
) -> Result<axum::Json<LibraryList>, ApiError> {
    let paging = Paging::parse(
        params.limit.map(|n| n.to_string()).as_deref(),
        params.cursor.as_deref(),
    )?;
    let offset = match paging.cursor {
        None => 0,
        Some(Cursor::Offset(n)) => n,
        Some(Cursor::After(_)) => return Err(ApiError::BadRequest("api-400-cursor", vec![])),
    };
    let mut filter = params.filter();
    let access = ctx.access();
    state
        .app
        .apply_text_query(params.q.as_deref().unwrap_or(""), &mut filter)
        .await?;
    filter.limit = paging.limit;
    filter.offset = offset;
    let list = state.app.list_libraries(&access, &filter).await?;
    let (rows, total) = (list.rows, list.total);
    let facets = state.app.library_facets(&access, &filter).await?;
    let categories = state.app.categories().await?;
    let got = rows.len() as i64;
    let next_cursor =
        (got > 0 && offset + got < total).then(|| Cursor::Offset(offset + got).encode());
    let facets = facets
        .into_iter()
        .filter_map(|f| {
            let name = facet_param(f.name)?;
            let values = f
                .values
                .into_iter()
                .filter(|v| {
                    name != "status"
                        || ServiceStatus::from_code(&v.value)
                            .is_some_and(ServiceStatus::is_published)
                })
                .map(|v| {
                    let value = if name == "volunteers" {
                        if v.value == "1" {
                            "yes".to_owned()
                        } else {
                            "no".to_owned()
                        }
                    } else {
                        v.value
                    };
                    FacetValueOut {
                        label: facet_label(ctx.lang, &categories, name, &value),
                        value,
                        count: v.count,
                    }
                })
                .collect();
            Some(FacetOut {
                name: name.to_owned(),
                values,
            })
        })
        .collect();
    let items = rows
        .into_iter()
        .map(|r| LibraryListItem {
            library: r.library.into(),
            services: r.services,
        })
        .collect();
    Ok(axum::Json(LibraryList {
        items,
        next_cursor,
        total,
        facets,
    }))
}

/// A library's writes have rules of their own (a move between districts; deleting takes its
/// services), so its use cases are named.
impl super::crud::ApiTypes for Library {
    type Input = LibraryInput;
    type Out = LibraryOut;
    const COLLECTION: &'static str = "/api/v1/libraries";

    async fn out(_: &App, _: &Access, stored: Versioned<Library>) -> AppResult<LibraryOut> {
        Ok(stored.into())
    }
}

impl super::crud::ApiRecord for Library {
    async fn find(app: &App, access: &Access, id: LibraryId) -> AppResult<(i64, LibraryOut)> {
        let lib = app.library(access, id).await?;
        Ok((lib.version, lib.into()))
    }

    async fn version_for_change(app: &App, access: &Access, id: LibraryId) -> AppResult<i64> {
        Ok(app.library_for_change(access, id).await?.version)
    }

    async fn create(app: &App, access: &Access, lib: &Library) -> AppResult<Versioned<Library>> {
        app.create_library(access, lib).await
    }

    async fn update(
        app: &App,
        access: &Access,
        id: LibraryId,
        lib: &Library,
        expected: Option<i64>,
    ) -> AppResult<Versioned<Library>> {
        app.update_library(access, id, lib, expected).await
    }

    async fn delete(app: &App, access: &Access, id: LibraryId, v: Option<i64>) -> AppResult<()> {
        app.delete_library(access, id, v).await
    }
}

type AppResult<T> = Result<T, lipa_app::AppError>;

crate::api_record! { Library as library, LibraryInput => LibraryOut, tag "libraries"
at "/libraries" / "/libraries/{id}", id u32 "The programme's ID", reads "The library", find "Get a library",
create "Create a library": "An admin, or the coordinator of the district of the library's settlement.",
update "Replace a library": "Needs `If-Match` with the library's ETag. The scope must cover the library where it is and\nwhere it goes.",
delete "Delete a library": "Deletes its services with it. An admin, or the coordinator of its district; needs `If-Match`." }
