//! `/api/v1/categories` and `/api/v1/partner-kinds`: the taxonomy the programme unit keeps, in
//! display order. Read-only here.

use super::error::ApiError;
use crate::AppState;
use axum::Json;
use axum::extract::State;
use lipa_core::taxonomy::{Category, PartnerKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A service category: `Е-здраве` (E-health) and its kin.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = Category)]
pub struct CategoryOut {
    /// `e-health`
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    /// The word after `Е-` that names it in legacy tables (`здраве`).
    pub keyword_bg: String,
    pub keyword_en: String,
    pub position: i32,
}

impl From<Category> for CategoryOut {
    fn from(c: Category) -> Self {
        let Category {
            code,
            name_bg,
            name_en,
            keyword_bg,
            keyword_en,
            position,
        } = c;
        Self {
            code: code.to_string(),
            name_bg,
            name_en,
            keyword_bg,
            keyword_en,
            position,
        }
    }
}

/// A kind of partner organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = PartnerKind)]
pub struct PartnerKindOut {
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    pub position: i32,
}

impl From<PartnerKind> for PartnerKindOut {
    fn from(k: PartnerKind) -> Self {
        let PartnerKind {
            code,
            name_bg,
            name_en,
            position,
        } = k;
        Self {
            code: code.to_string(),
            name_bg,
            name_en,
            position,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerKindList {
    pub items: Vec<PartnerKindOut>,
}

/// List service categories
#[utoipa::path(get, path = "/categories", tag = "taxonomy", operation_id = "list_categories",
    responses((status = 200, description = "The categories, in display order", body = CategoryList)))]
pub async fn list_categories(
    State(state): State<AppState>,
) -> Result<Json<CategoryList>, ApiError> {
    let items = state
        .app
        .categories()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(CategoryList { items }))
}

/// List partner kinds
#[utoipa::path(get, path = "/partner-kinds", tag = "taxonomy", operation_id = "list_partner_kinds",
    responses((status = 200, description = "The partner kinds, in display order", body = PartnerKindList)))]
pub async fn list_partner_kinds(
    State(state): State<AppState>,
) -> Result<Json<PartnerKindList>, ApiError> {
    let items = state
        .app
        .partner_kinds()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PartnerKindList { items }))
}
