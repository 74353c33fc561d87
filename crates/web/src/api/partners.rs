//! `/api/v1/partners`: the partner organisations of libraries. Public to read; changed by an
//! admin, or by the coordinator of the district of the partner's settlement (a partner with no
//! settlement is in no district, so only admins change it).

use super::error::{ApiError, ApiQuery, ReadProblems};
use super::{Paging, Reader};
use crate::AppState;
use axum::extract::State;
use lipa_app::{PartnerQuery, Versioned};
use lipa_core::ids::{CategoryCode, DistrictCode, Ekatte, PartnerId};
use lipa_core::partner::Partner;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A partner as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerInput {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub name: String,
    /// Short name as people say it: `РЗИ`.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub short_name: String,
    /// A partner-kind code of the taxonomy (`media`).
    #[schema(value_type = String, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub kind: CategoryCode,
    /// EKATTE code of its settlement.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{5}$")]
    pub settlement: Option<Ekatte>,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub website: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
}

impl From<PartnerInput> for Partner {
    fn from(p: PartnerInput) -> Self {
        let PartnerInput {
            name,
            short_name,
            kind,
            settlement,
            website,
            description,
        } = p;
        Partner {
            name,
            short_name,
            kind,
            settlement,
            website,
            description,
        }
    }
}

/// A stored partner.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Partner)]
pub struct PartnerOut {
    #[schema(value_type = i64)]
    pub id: PartnerId,
    /// The record's version: its ETag, and what `If-Match` names.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<String>,
    /// Its settlement's district (read-only, from the gazetteer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl From<Versioned<Partner>> for PartnerOut {
    fn from(v: Versioned<Partner>) -> Self {
        let Partner {
            name,
            short_name,
            kind,
            settlement,
            website,
            description,
        } = v.record;
        PartnerOut {
            id: v.id,
            version: v.version,
            created_at: v.created_at,
            updated_at: v.updated_at,
            name,
            short_name,
            kind: kind.to_string(),
            district: settlement
                .as_ref()
                .and_then(|e| lipa_app::access::district_of(e.as_str()))
                .map(|d| d.to_string()),
            settlement: settlement.map(|e| e.to_string()),
            website,
            description,
        }
    }
}

/// A page of partners.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerList {
    pub items: Vec<PartnerOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    /// Partners that pass the filters, on all pages.
    pub total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerListParams {
    /// Partner-kind code (`media`).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
    pub kind: Option<CategoryCode>,
    /// District code of the partner's settlement (`KNL`).
    #[param(value_type = Option<String>, pattern = "^[A-Z]{3}$")]
    pub district: Option<DistrictCode>,
    /// Words of the name or the short name.
    pub q: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^a[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// List partners
#[utoipa::path(get, path = "/partners", tag = "partners", operation_id = "list_partners",
    params(PartnerListParams),
    responses((status = 200, description = "A page of partners", body = PartnerList), ReadProblems),
    security((), ("bearer" = [])))]
pub async fn list_partners(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(p): ApiQuery<PartnerListParams>,
) -> Result<axum::Json<PartnerList>, ApiError> {
    let paging = Paging::parse(
        p.limit.map(|n| n.to_string()).as_deref(),
        p.cursor.as_deref(),
    )?;
    let query = PartnerQuery {
        kind: p.kind,
        district: p.district,
        q: p.q.unwrap_or_default(),
    };
    let page = state
        .app
        .page_partners(&ctx.access(), &query, paging.keyset()?)
        .await?;
    let next_cursor = Paging::next_after(page.more, page.items.last().map(|s| s.id));
    Ok(axum::Json(PartnerList {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor,
        total: page.total,
    }))
}

crate::api_record! { managed Partner as partner, PartnerInput => PartnerOut by super::crud::plain, tag "partners"
at "/partners" / "/partners/{id}", id i64 "The partner's ID", reads "The partner", find "Get a partner",
create "Create a partner", update "Replace a partner",
delete "Delete a partner": "Services and persons that named it keep their text and lose the link." }
