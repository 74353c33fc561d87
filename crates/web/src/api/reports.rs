//! `/api/v1/reports`: the network's totals and the district table — "innovative services the
//! target libraries of district D will run in year Y", the table the Kyustendil 2012 report ends
//! with — as JSON, from the same store queries as the reports pages. Published services only.

use super::error::{ApiError, ApiQuery, ReadProblems};
use crate::AppState;
use axum::Json;
use axum::extract::State;
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, Year};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A code and how many records it has.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CodeCount {
    pub code: String,
    pub count: i64,
}

/// Totals of the network (published services only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountsOut {
    pub libraries: i64,
    pub services: i64,
    pub partners: i64,
    pub events: i64,
    /// Services run with the support of volunteers.
    pub volunteer_services: i64,
    /// Libraries with no published service yet.
    pub libraries_without_service: i64,
    /// Services by category code, most first.
    pub by_category: Vec<CodeCount>,
    /// Services by district code.
    pub by_district: Vec<CodeCount>,
}

/// Totals of the network
#[utoipa::path(get, path = "/reports/counts", tag = "reports", operation_id = "find_counts",
    responses((status = 200, description = "The totals", body = CountsOut)))]
pub async fn find_counts(State(state): State<AppState>) -> Result<Json<CountsOut>, ApiError> {
    let c = state.app.counts(&lipa_app::Access::anonymous()).await?;
    let pairs = |v: Vec<(String, i64)>| {
        v.into_iter()
            .map(|(code, count)| CodeCount { code, count })
            .collect()
    };
    Ok(Json(CountsOut {
        libraries: c.libraries,
        services: c.services,
        partners: c.partners,
        events: c.events,
        volunteer_services: c.volunteer_services,
        libraries_without_service: c.libraries_without_service,
        by_category: pairs(c.by_category),
        by_district: pairs(c.by_district),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictTableParams {
    /// District code (`KNL`).
    #[param(value_type = String, pattern = "^[A-Z]{3}$")]
    pub district: DistrictCode,
    /// The year of the services (`2012`).
    #[param(value_type = i32, minimum = 1800, maximum = 2100)]
    pub year: Year,
}

/// The service of a row of the district table.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DistrictTableService {
    /// Category code (`e-health`).
    pub category: String,
    /// Its name in Bulgarian (`Е-здраве`), as the table prints it.
    pub category_name: String,
    pub name: String,
    pub volunteer_supported: bool,
    pub target_groups: Vec<String>,
}

/// A row of the district table: a library and one of its services of the year, or none.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DistrictTableRowOut {
    /// The programme's ID.
    pub library: u32,
    pub library_name: String,
    pub municipality: String,
    /// The municipality's name in Bulgarian.
    pub municipality_name: String,
    /// EKATTE code of the settlement.
    pub settlement: String,
    /// The settlement as the table writes it: `с. Жиленци`.
    pub settlement_name: String,
    /// Absent for a library with no service that year (the coverage gap).
    pub service: Option<DistrictTableService>,
}

/// The district table of a year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DistrictTable {
    pub district: String,
    /// The district's name in Bulgarian.
    pub district_name: String,
    pub year: i32,
    /// In the published tables' order: municipality, towns before villages, settlement, ID.
    pub rows: Vec<DistrictTableRowOut>,
}

/// The district table
///
/// The innovative services the target libraries of a district will run in a year.
#[utoipa::path(get, path = "/reports/district-table", tag = "reports", operation_id = "find_district_table",
    params(DistrictTableParams),
    responses((status = 200, description = "The table", body = DistrictTable), ReadProblems))]
pub async fn find_district_table(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DistrictTableParams>,
) -> Result<Json<DistrictTable>, ApiError> {
    let g = Gazetteer::get();
    let district = g.district(p.district.as_str()).ok_or(ApiError::NotFound)?;
    let categories = state.app.categories().await?;
    let rows = state.app.district_table(&p.district, p.year).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let s = g.settlement(r.library.settlement.as_str());
            let m = s.and_then(|s| g.municipality(s.municipality.as_str()));
            DistrictTableRowOut {
                library: r.library.id.get(),
                library_name: r.library.name,
                municipality: m.map(|m| m.code.to_string()).unwrap_or_default(),
                municipality_name: m.map(|m| m.name_bg.clone()).unwrap_or_default(),
                settlement: r.library.settlement.to_string(),
                settlement_name: s.map(|s| s.label_bg()).unwrap_or_default(),
                service: r.service.map(|s| DistrictTableService {
                    category_name: categories
                        .iter()
                        .find(|c| c.code == s.category)
                        .map(|c| c.name(Lang::Bg).to_owned())
                        .unwrap_or_else(|| s.category.to_string()),
                    category: s.category.to_string(),
                    name: s.card.name,
                    volunteer_supported: s.volunteer_supported,
                    target_groups: s.card.target_groups,
                }),
            }
        })
        .collect();
    Ok(Json(DistrictTable {
        district: district.code.to_string(),
        district_name: district.name_bg.clone(),
        year: p.year.get(),
        rows,
    }))
}
