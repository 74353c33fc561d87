//! `/api/v1/services`: the innovative services — the 8-step card of a library for a year, in a
//! category, with volunteers, status and results. Drafts are visible only to users whose role
//! covers the service's library (its librarian, its district's coordinator, admins); to everyone
//! else a draft does not exist (404). Writes need the same cover, before and after the change.

use super::error::{ApiError, ApiJson, ApiQuery, ReadProblems, WriteProblems};
use super::libraries::{SettlementKindDto, YesNo};
use super::{Paging, Reader, Writer, created, record_id};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::civil::Date;
use lipa_app::{ServiceQuery, Versioned};
use lipa_core::ids::{
    CategoryCode, DistrictCode, LibraryId, MunicipalityCode, PartnerId, ServiceId, Year,
};
use lipa_core::money::{Currency, Money};
use lipa_core::service::{
    Activity, BudgetItem, ExpectedResults, ResultReport, Service, ServiceCard, ServicePartner,
    ServiceStatus, Volunteer,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where a service stands: a draft is not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ServiceStatus)]
pub enum ServiceStatusDto {
    Draft,
    Planned,
    Active,
    Completed,
    Dropped,
}

impl From<ServiceStatus> for ServiceStatusDto {
    fn from(s: ServiceStatus) -> Self {
        match s {
            ServiceStatus::Draft => Self::Draft,
            ServiceStatus::Planned => Self::Planned,
            ServiceStatus::Active => Self::Active,
            ServiceStatus::Completed => Self::Completed,
            ServiceStatus::Dropped => Self::Dropped,
        }
    }
}

impl From<ServiceStatusDto> for ServiceStatus {
    fn from(s: ServiceStatusDto) -> Self {
        match s {
            ServiceStatusDto::Draft => Self::Draft,
            ServiceStatusDto::Planned => Self::Planned,
            ServiceStatusDto::Active => Self::Active,
            ServiceStatusDto::Completed => Self::Completed,
            ServiceStatusDto::Dropped => Self::Dropped,
        }
    }
}

/// Step 4: a partner of the service and its role.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = ServicePartner)]
pub struct ServicePartnerDto {
    /// The partner in the registry, when it is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub partner_id: Option<PartnerId>,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub role: String,
}

/// Step 5: an implementation activity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = Activity)]
pub struct ActivityDto {
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub starts: Option<Date>,
    /// Not before `starts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends: Option<Date>,
}

/// A currency: the lev until 2025, the euro since 2026 (1 EUR = 1.95583 BGN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
#[schema(as = Currency)]
pub enum CurrencyDto {
    Bgn,
    Eur,
}

/// An amount in minor units (stotinki, cents).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Money)]
pub struct MoneyDto {
    #[schema(minimum = 0)]
    pub minor: i64,
    pub currency: CurrencyDto,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        let Money { minor, currency } = m;
        let currency = match currency {
            Currency::Bgn => CurrencyDto::Bgn,
            Currency::Eur => CurrencyDto::Eur,
        };
        Self { minor, currency }
    }
}

impl From<MoneyDto> for Money {
    fn from(m: MoneyDto) -> Self {
        let MoneyDto { minor, currency } = m;
        let currency = match currency {
            CurrencyDto::Bgn => Currency::Bgn,
            CurrencyDto::Eur => Currency::Eur,
        };
        Self { minor, currency }
    }
}

/// Step 6: a budget line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = BudgetItem)]
pub struct BudgetItemDto {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub label: String,
    pub amount: MoneyDto,
    /// Who provides it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// Step 8: the expected results.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = ExpectedResults)]
pub struct ExpectedResultsDto {
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub social: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub economic: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub community: String,
}

/// The 8 steps of the programme's method.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = ServiceCard)]
pub struct ServiceCardDto {
    /// Step 1: the service's name.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub name: String,
    /// Step 2.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub goal: String,
    /// Step 3: at least one for a published service.
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// Step 4.
    #[serde(default)]
    pub partners: Vec<ServicePartnerDto>,
    /// Step 5.
    #[serde(default)]
    pub activities: Vec<ActivityDto>,
    /// Step 6.
    #[serde(default)]
    pub budget: Vec<BudgetItemDto>,
    /// Step 7.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub media: String,
    /// Step 8.
    #[serde(default)]
    pub expected: ExpectedResultsDto,
}

impl From<ServiceCard> for ServiceCardDto {
    fn from(c: ServiceCard) -> Self {
        let ServiceCard {
            name,
            goal,
            target_groups,
            partners,
            activities,
            budget,
            media,
            expected,
        } = c;
        let ExpectedResults {
            social,
            economic,
            community,
        } = expected;
        Self {
            name,
            goal,
            target_groups,
            partners: partners
                .into_iter()
                .map(|p| {
                    let ServicePartner {
                        partner_id,
                        name,
                        role,
                    } = p;
                    ServicePartnerDto {
                        partner_id,
                        name,
                        role,
                    }
                })
                .collect(),
            activities: activities
                .into_iter()
                .map(|a| {
                    let Activity {
                        title,
                        starts,
                        ends,
                    } = a;
                    ActivityDto {
                        title,
                        starts,
                        ends,
                    }
                })
                .collect(),
            budget: budget
                .into_iter()
                .map(|b| {
                    let BudgetItem {
                        label,
                        amount,
                        source,
                    } = b;
                    BudgetItemDto {
                        label,
                        amount: amount.into(),
                        source,
                    }
                })
                .collect(),
            media,
            expected: ExpectedResultsDto {
                social,
                economic,
                community,
            },
        }
    }
}

impl From<ServiceCardDto> for ServiceCard {
    fn from(c: ServiceCardDto) -> Self {
        let ServiceCardDto {
            name,
            goal,
            target_groups,
            partners,
            activities,
            budget,
            media,
            expected,
        } = c;
        let ExpectedResultsDto {
            social,
            economic,
            community,
        } = expected;
        Self {
            name,
            goal,
            target_groups,
            partners: partners
                .into_iter()
                .map(|p| {
                    let ServicePartnerDto {
                        partner_id,
                        name,
                        role,
                    } = p;
                    ServicePartner {
                        partner_id,
                        name,
                        role,
                    }
                })
                .collect(),
            activities: activities
                .into_iter()
                .map(|a| {
                    let ActivityDto {
                        title,
                        starts,
                        ends,
                    } = a;
                    Activity {
                        title,
                        starts,
                        ends,
                    }
                })
                .collect(),
            budget: budget
                .into_iter()
                .map(|b| {
                    let BudgetItemDto {
                        label,
                        amount,
                        source,
                    } = b;
                    BudgetItem {
                        label,
                        amount: amount.into(),
                        source,
                    }
                })
                .collect(),
            media,
            expected: ExpectedResults {
                social,
                economic,
                community,
            },
        }
    }
}

/// A volunteer who supports the service.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = Volunteer)]
pub struct VolunteerDto {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// A result actually reached, reported on a date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = ResultReport)]
pub struct ResultReportDto {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub indicator: String,
    pub value: f64,
    #[serde(default)]
    pub expected: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A service as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceInput {
    /// The programme ID of its library.
    #[schema(value_type = u32, minimum = 1, maximum = 999_999_999)]
    pub library: LibraryId,
    #[schema(value_type = i32, minimum = 1800, maximum = 2100)]
    pub year: Year,
    /// A category code of the taxonomy (`e-health`).
    #[schema(value_type = String, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub category: CategoryCode,
    /// `draft` when absent.
    #[serde(default = "draft")]
    pub status: ServiceStatusDto,
    #[serde(default)]
    pub volunteer_supported: bool,
    #[serde(default)]
    pub volunteers: Vec<VolunteerDto>,
    pub card: ServiceCardDto,
    #[serde(default)]
    pub results: Vec<ResultReportDto>,
}

fn draft() -> ServiceStatusDto {
    ServiceStatusDto::Draft
}

impl From<ServiceInput> for Service {
    fn from(s: ServiceInput) -> Self {
        let ServiceInput {
            library,
            year,
            category,
            status,
            volunteer_supported,
            volunteers,
            card,
            results,
        } = s;
        Service {
            library,
            year,
            category,
            status: status.into(),
            volunteer_supported,
            volunteers: volunteers
                .into_iter()
                .map(|v| {
                    let VolunteerDto { name, role } = v;
                    Volunteer { name, role }
                })
                .collect(),
            card: card.into(),
            results: results
                .into_iter()
                .map(|r| {
                    let ResultReportDto {
                        date,
                        indicator,
                        value,
                        expected,
                        note,
                    } = r;
                    ResultReport {
                        date,
                        indicator,
                        value,
                        expected,
                        note,
                    }
                })
                .collect(),
        }
    }
}

/// A stored service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Service)]
pub struct ServiceOut {
    #[schema(value_type = i64)]
    pub id: ServiceId,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub library: u32,
    pub year: i32,
    pub category: String,
    pub status: ServiceStatusDto,
    pub volunteer_supported: bool,
    pub volunteers: Vec<VolunteerDto>,
    pub card: ServiceCardDto,
    pub results: Vec<ResultReportDto>,
}

impl From<Versioned<Service>> for ServiceOut {
    fn from(v: Versioned<Service>) -> Self {
        let Service {
            library,
            year,
            category,
            status,
            volunteer_supported,
            volunteers,
            card,
            results,
        } = v.record;
        ServiceOut {
            id: v.id,
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            library: library.get(),
            year: year.get(),
            category: category.to_string(),
            status: status.into(),
            volunteer_supported,
            volunteers: volunteers
                .into_iter()
                .map(|v| {
                    let Volunteer { name, role } = v;
                    VolunteerDto { name, role }
                })
                .collect(),
            card: card.into(),
            results: results
                .into_iter()
                .map(|r| {
                    let ResultReport {
                        date,
                        indicator,
                        value,
                        expected,
                        note,
                    } = r;
                    ResultReportDto {
                        date,
                        indicator,
                        value,
                        expected,
                        note,
                    }
                })
                .collect(),
        }
    }
}

/// A page of services.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceList {
    pub items: Vec<ServiceOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Services that pass the filters, on all pages.
    pub total: i64,
}

/// The filters of the services list (those of the libraries page that concern services, plus
/// the library).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceListParams {
    /// Services of this library (programme ID).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 999_999_999)]
    pub library: Option<LibraryId>,
    /// District code (`KNL`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}$")]
    pub district: Option<DistrictCode>,
    /// Municipality code (`KNL29`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}[0-9]{2}$")]
    pub municipality: Option<MunicipalityCode>,
    /// Kind of the library's settlement.
    #[param(value_type = Option<SettlementKindDto>)]
    pub kind: Option<SettlementKindDto>,
    /// Category code (`e-health`).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub category: Option<CategoryCode>,
    /// A target group (as written; case and quotes fold).
    pub group: Option<String>,
    /// Supported (`yes`) or not (`no`) by volunteers.
    #[param(value_type = Option<YesNo>)]
    pub volunteers: Option<YesNo>,
    #[param(value_type = Option<i32>, minimum = 1800, maximum = 2100)]
    pub year: Option<Year>,
    /// `draft` lists only the drafts the account may see.
    #[param(value_type = Option<ServiceStatusDto>)]
    pub status: Option<ServiceStatusDto>,
    /// Words of the service's name.
    pub q: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^a[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// List services
#[utoipa::path(get, path = "/services", tag = "services", operation_id = "list_services",
    params(ServiceListParams),
    responses((status = 200, description = "A page of services", body = ServiceList), ReadProblems),
    security((), ("bearer" = [])))]
pub async fn list_services(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(p): ApiQuery<ServiceListParams>,
) -> Result<axum::Json<ServiceList>, ApiError> {
    let paging = Paging::parse(
        p.limit.map(|n| n.to_string()).as_deref(),
        p.cursor.as_deref(),
    )?;
    let query = ServiceQuery {
        library: p.library,
        district: p.district,
        municipality: p.municipality,
        settlement_kind: p.kind.map(Into::into),
        category: p.category,
        target_group: p.group.filter(|g| !g.trim().is_empty()),
        volunteers: p.volunteers.map(YesNo::get),
        year: p.year,
        status: p.status.map(Into::into),
        q: p.q.unwrap_or_default(),
        drafts: Default::default(),
    };
    let page = state
        .app
        .page_services(&ctx.access(), query, paging.keyset()?)
        .await?;
    let next_cursor = Paging::next_after(page.more, page.items.last().map(|s| s.id));
    Ok(axum::Json(ServiceList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor,
        total: page.total,
    }))
}

crate::api_record! { managed Service as service, ServiceInput => ServiceOut by super::crud::plain, tag "services"
at "/services" / "/services/{id}", id i64 "The service's ID", reads "The service", find "Get a service",
create "Create a service": "The librarian of its library, its district's coordinator, or an admin.",
update "Replace a service": "Needs `If-Match` with its ETag; the scope must cover its library before and after.",
delete "Delete a service" }

/// Where an adopted service goes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptInput {
    /// The programme ID of the library that adopts the service.
    #[schema(value_type = u32, minimum = 1, maximum = 999_999_999)]
    pub library: LibraryId,
    /// The year of the new draft (default: the original's).
    #[serde(default)]
    #[schema(value_type = Option<i32>, minimum = 1800, maximum = 2100)]
    pub year: Option<Year>,
}

/// Adopt a service
///
/// Copies the service's card (steps 1–8, its category) into a library of the writer's scope as
/// a new draft; the people and the results reached stay with the original. The original must be
/// visible to the writer.
#[utoipa::path(post, path = "/services/{id}/adopt", tag = "services", operation_id = "adopt_service",
    params(("id" = i64, Path, description = "The service to adopt")),
    request_body = AdoptInput,
    responses(
        (status = 201, description = "The new draft", body = ServiceOut,
            headers(("ETag" = String, description = "The record's version, quoted"),
                    ("Location" = String, description = "The new record's address"))),
        WriteProblems,
    ),
    security(("bearer" = [])))]
pub async fn adopt_service(
    State(state): State<AppState>,
    w: Writer,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AdoptInput>,
) -> Result<Response, ApiError> {
    let id = record_id(&id)?;
    let stored = state
        .app
        .adopt_service(&w.access(), id, input.library, input.year)
        .await?;
    let location = format!("/api/v1/services/{}", stored.id);
    Ok(created(location, stored.version, &ServiceOut::from(stored)))
}
