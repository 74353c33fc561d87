//! `/api/v1/districts`, `/municipalities`, `/settlements`: the EKATTE gazetteer compiled into
//! lipa (NSI classifier; coordinates © OpenStreetMap contributors). Read-only reference data:
//! it changes only with a release, so a settlement's ETag is a hash of its body.

use super::error::{ApiError, ReadProblems};
use super::libraries::SettlementKindDto;
use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use lipa_core::geo::{District, Gazetteer, Municipality, Settlement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// A district (област).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = District)]
pub struct DistrictOut {
    /// EKATTE code: `KNL`.
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    /// NUTS 3 code: `BG415`.
    pub nuts3: String,
    /// EKATTE code of its centre.
    pub center: String,
}

impl From<&District> for DistrictOut {
    fn from(d: &District) -> Self {
        let District {
            code,
            name_bg,
            name_en,
            nuts3,
            center,
        } = d;
        Self {
            code: code.to_string(),
            name_bg: name_bg.clone(),
            name_en: name_en.clone(),
            nuts3: nuts3.clone(),
            center: center.to_string(),
        }
    }
}

/// A municipality (община).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Municipality)]
pub struct MunicipalityOut {
    /// EKATTE code: `KNL29`.
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    pub district: String,
    /// EKATTE code of its centre.
    pub center: String,
}

impl From<&Municipality> for MunicipalityOut {
    fn from(m: &Municipality) -> Self {
        let Municipality {
            code,
            name_bg,
            name_en,
            district,
            center,
        } = m;
        Self {
            code: code.to_string(),
            name_bg: name_bg.clone(),
            name_en: name_en.clone(),
            district: district.to_string(),
            center: center.to_string(),
        }
    }
}

/// A settlement (населено място).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Settlement)]
pub struct SettlementOut {
    /// EKATTE code: `41112`.
    pub ekatte: String,
    pub kind: SettlementKindDto,
    pub name_bg: String,
    pub name_en: String,
    pub municipality: String,
    pub district: String,
    /// WGS84 latitude (© OpenStreetMap contributors).
    pub lat: Option<f64>,
    /// WGS84 longitude (© OpenStreetMap contributors).
    pub lon: Option<f64>,
    pub population: Option<u32>,
}

impl From<&Settlement> for SettlementOut {
    fn from(s: &Settlement) -> Self {
        let Settlement {
            ekatte,
            kind,
            name_bg,
            name_en,
            municipality,
            district,
            coords,
            population,
        } = s;
        Self {
            ekatte: ekatte.to_string(),
            kind: (*kind).into(),
            name_bg: name_bg.clone(),
            name_en: name_en.clone(),
            municipality: municipality.to_string(),
            district: district.to_string(),
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
            population: *population,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DistrictList {
    pub items: Vec<DistrictOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MunicipalityList {
    pub items: Vec<MunicipalityOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SettlementList {
    pub items: Vec<SettlementOut>,
}

/// List districts
#[utoipa::path(get, path = "/districts", tag = "geography", operation_id = "list_districts",
    responses((status = 200, description = "Bulgaria's 28 districts", body = DistrictList)))]
pub async fn list_districts() -> Json<DistrictList> {
    Json(DistrictList {
        items: Gazetteer::get()
            .districts()
            .iter()
            .map(Into::into)
            .collect(),
    })
}

/// List a district's municipalities
#[utoipa::path(get, path = "/districts/{code}/municipalities", tag = "geography",
    operation_id = "list_district_municipalities",
    params(("code" = String, Path, description = "District code (`KNL`)")),
    responses((status = 200, description = "The district's municipalities", body = MunicipalityList), ReadProblems))]
pub async fn list_district_municipalities(
    Path(code): Path<String>,
) -> Result<Json<MunicipalityList>, ApiError> {
    let g = Gazetteer::get();
    g.district(&code).ok_or(ApiError::NotFound)?;
    Ok(Json(MunicipalityList {
        items: g.municipalities_in(&code).map(Into::into).collect(),
    }))
}

/// List a municipality's settlements
#[utoipa::path(get, path = "/municipalities/{code}/settlements", tag = "geography",
    operation_id = "list_municipality_settlements",
    params(("code" = String, Path, description = "Municipality code (`KNL29`)")),
    responses((status = 200, description = "The municipality's settlements", body = SettlementList), ReadProblems))]
pub async fn list_municipality_settlements(
    Path(code): Path<String>,
) -> Result<Json<SettlementList>, ApiError> {
    let g = Gazetteer::get();
    g.municipality(&code).ok_or(ApiError::NotFound)?;
    Ok(Json(SettlementList {
        items: g.settlements_in(&code).map(Into::into).collect(),
    }))
}

/// Get a settlement
#[utoipa::path(get, path = "/settlements/{ekatte}", tag = "geography", operation_id = "find_settlement",
    params(("ekatte" = String, Path, description = "EKATTE code (`41112`)")),
    responses(
        (status = 200, description = "The settlement", body = SettlementOut,
            headers(("ETag" = String, description = "A hash of the body (reference data has no versions)"))),
        ReadProblems,
    ))]
pub async fn find_settlement(Path(ekatte): Path<String>) -> Result<Response, ApiError> {
    let s = Gazetteer::get()
        .settlement(&ekatte)
        .ok_or(ApiError::NotFound)?;
    let body = SettlementOut::from(s);
    let bytes = serde_json::to_vec(&body).map_err(|e| ApiError::Internal(e.into()))?;
    let digest = Sha256::digest(&bytes);
    let tag: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let mut res = Json(body).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("\"g{tag}\"")) {
        res.headers_mut().insert(axum::http::header::ETAG, v);
    }
    Ok(res)
}
