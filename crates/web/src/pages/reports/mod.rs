//! The reports: the district table of the year (the table that closes the programme's regional
//! reports, e.g. Kyustendil 2012), the category × municipality matrix, the coverage gap,
//! target-group reach, volunteer support and the partner network.
//!
//! Every report is public and counts published services only (the store's report queries decide
//! that). Filters are plain GET forms, so a report is a bookmarkable URL; tabular reports export
//! the very table the page shows as CSV and XLSX (`lipa_io::tables`). The counting is done by
//! the store's `GROUP BY` queries; this module only turns codes into names in the reader's
//! language and rows into cells.

use crate::AppState;
use crate::charts::{Bar, bars};
use crate::format::{district_name, municipality_name};
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lipa_app::App;
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, Year};
use lipa_core::taxonomy::{Category, PartnerKind};
use lipa_io::tables::{Cell, write_table_csv, write_table_xlsx};
use std::collections::HashMap;

mod coverage;
mod district;
mod index;
mod matrix;
mod partners;
mod target_groups;
mod volunteers;
pub(crate) use coverage::*;
pub(crate) use district::*;
pub(crate) use index::*;
pub(crate) use matrix::*;
pub(crate) use partners::*;
pub(crate) use target_groups::*;
pub(crate) use volunteers::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(reports_index))
        .route("/reports/district", get(district_page))
        .route("/reports/district.csv", get(district_csv))
        .route("/reports/district.xlsx", get(district_xlsx))
        .route("/reports/matrix", get(matrix_page))
        .route("/reports/matrix.csv", get(matrix_csv))
        .route("/reports/matrix.xlsx", get(matrix_xlsx))
        .route("/reports/coverage", get(coverage_page))
        .route("/reports/target-groups", get(target_groups_page))
        .route("/reports/volunteers", get(volunteers_page))
        .route("/reports/partners", get(partners_page))
}

// --- shared pieces ------------------------------------------------------------------------------

/// A report's query, read leniently: an unknown district or a bad year is ignored, never an
/// error page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuery {
    pub district: Option<DistrictCode>,
    pub year: Option<Year>,
    /// The page of a paged report (the district table), from 1; 0 when not given.
    pub page: u32,
}

impl ReportQuery {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = crate::pages::query::pairs(raw);
        let get = |k: &str| crate::pages::query::value(&pairs, k);
        ReportQuery {
            district: get("district")
                .and_then(|v| DistrictCode::parse(&v.to_ascii_uppercase()).ok())
                .filter(|d| Gazetteer::get().district(d.as_str()).is_some()),
            year: get("year").and_then(|v| Year::parse(&v).ok()),
            page: get("page")
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
                .min(1_000_000),
        }
    }

    /// The query string of this report's links and exports (`?district=KNL&year=2012`).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(d) = &self.district {
            pairs.push(("district", d.to_string()));
        }
        if let Some(y) = self.year {
            pairs.push(("year", y.to_string()));
        }
        let s = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if s.is_empty() { s } else { format!("?{s}") }
    }
}

fn category_name(lang: Lang, categories: &[Category], code: &str) -> String {
    categories
        .iter()
        .find(|c| c.code.as_str() == code)
        .map(|c| c.name(lang).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn kind_name(lang: Lang, kinds: &[PartnerKind], code: &str) -> String {
    kinds
        .iter()
        .find(|k| k.code.as_str() == code)
        .map(|k| k.name(lang).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// `2012 г.` or `all years`.
fn period(ctx: &Ctx, year: Option<Year>) -> String {
    match year {
        Some(y) => ctx.t1("rep-period-year", "year", y),
        None => ctx.t("rep-period-all"),
    }
}

/// Whole percent of `part` in `whole`, 0 when there is no whole.
fn percent(part: i64, whole: i64) -> i64 {
    if whole > 0 {
        (part * 100 + whole / 2) / whole
    } else {
        0
    }
}

/// One option of a filter select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One select of a filter form.
pub struct Select {
    pub options: Vec<Opt>,
    /// The label of the "all" option, when the filter may be left empty.
    pub any: Option<String>,
}

/// A report's query from the request (see [`ReportQuery::parse`]: never a rejection).
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ReportQuery {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ReportQuery::parse(parts.uri.query()))
    }
}

/// The GET form above a report (`templates/reports/filter.html`).
pub struct FilterForm {
    pub action: &'static str,
    pub district: Option<Select>,
    pub year: Option<Select>,
}

impl FilterForm {
    /// The filter of a report over all districts by default: a district choice, and a year
    /// choice when `by_year`.
    async fn any_district(
        app: &App,
        ctx: &Ctx,
        action: &'static str,
        q: &ReportQuery,
        by_year: bool,
    ) -> Result<FilterForm, WebError> {
        let year = match by_year {
            true => Some(year_select(app, ctx, None, q.year, true).await?),
            false => None,
        };
        Ok(FilterForm {
            action,
            district: Some(district_select(app, ctx, q.district.as_ref(), true).await?),
            year,
        })
    }
}

async fn district_select(
    app: &App,
    ctx: &Ctx,
    chosen: Option<&DistrictCode>,
    any: bool,
) -> Result<Select, WebError> {
    let mut options: Vec<Opt> = app
        .report_districts()
        .await?
        .into_iter()
        .map(|(d, _)| Opt {
            label: district_name(ctx.lang, d.as_str()),
            selected: chosen == Some(&d),
            value: d.to_string(),
        })
        .collect();
    options.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(Select {
        options,
        any: any.then(|| ctx.t("rep-filter-all-districts")),
    })
}

async fn year_select(
    app: &App,
    ctx: &Ctx,
    district: Option<&DistrictCode>,
    chosen: Option<Year>,
    any: bool,
) -> Result<Select, WebError> {
    let mut years = app.report_years(district).await?;
    // A chosen year with nothing in it stays selectable, so the form shows what was asked.
    if let Some(y) = chosen
        && !years.contains(&y)
    {
        years.push(y);
        years.sort();
    }
    Ok(Select {
        options: years
            .into_iter()
            .rev()
            .map(|y| Opt {
                value: y.to_string(),
                label: y.to_string(),
                selected: chosen == Some(y),
            })
            .collect(),
        any: any.then(|| ctx.t("rep-filter-all-years")),
    })
}

/// A table as the exports write it.
pub struct ExportTable {
    /// Short name for the file and the sheet (`district-KNL-2012`).
    pub slug: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn csv_response(t: &ExportTable) -> Response {
    let disposition = format!("attachment; filename=\"lipa-{}.csv\"", t.slug);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        write_table_csv(&t.headers, &t.rows),
    )
        .into_response()
}

fn xlsx_response(t: &ExportTable) -> Result<Response, WebError> {
    let body = write_table_xlsx(&t.slug, &t.title, &t.headers, &t.rows)
        .map_err(|e| WebError::Internal(anyhow::anyhow!("xlsx of {}: {e}", t.slug)))?;
    let disposition = format!("attachment; filename=\"lipa-{}.xlsx\"", t.slug);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// Links to a report's exports.
pub struct Exports {
    pub csv: String,
    pub xlsx: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_read_leniently_and_written_back() {
        let q = ReportQuery::parse(Some("district=knl&year=2012&x=1"));
        assert_eq!(q.district.as_ref().map(|d| d.as_str()), Some("KNL"));
        assert_eq!(q.to_query(), "?district=KNL&year=2012");
        let bad = ReportQuery::parse(Some("district=ZZZ&year=abc"));
        assert_eq!(bad, ReportQuery::default());
        assert_eq!(bad.to_query(), "");
    }

    #[test]
    fn percent_rounds_and_survives_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(5, 0), 0);
    }
}
