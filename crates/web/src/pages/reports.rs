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
}

impl ReportQuery {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_owned())
        };
        ReportQuery {
            district: get("district")
                .and_then(|v| DistrictCode::parse(&v.to_ascii_uppercase()).ok())
                .filter(|d| Gazetteer::get().district(d.as_str()).is_some()),
            year: get("year").and_then(|v| Year::parse(&v).ok()),
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

/// The GET form above a report (`templates/reports/filter.html`).
pub struct FilterForm {
    pub action: &'static str,
    pub district: Option<Select>,
    pub year: Option<Select>,
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

// --- index --------------------------------------------------------------------------------------

pub struct ReportLink {
    pub href: &'static str,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage {
    ctx: Ctx,
    reports: Vec<ReportLink>,
}

async fn reports_index(ctx: Ctx) -> PageResult {
    let reports = [
        ("/reports/district", "district"),
        ("/reports/matrix", "matrix"),
        ("/reports/coverage", "coverage"),
        ("/reports/target-groups", "target-groups"),
        ("/reports/volunteers", "volunteers"),
        ("/reports/partners", "partners"),
    ]
    .into_iter()
    .map(|(href, key)| ReportLink {
        href,
        title: ctx.t(&format!("rep-{key}-title")),
        text: ctx.t(&format!("rep-{key}-desc")),
    })
    .collect();
    Ok(render(&IndexPage { ctx, reports }))
}

// --- the district table -------------------------------------------------------------------------

/// One row of the district table as the page shows it.
pub struct DistrictRow {
    pub id: u32,
    pub library: String,
    pub municipality: String,
    pub settlement: String,
    /// Category name and service name; `None` for a library without a service.
    pub service: Option<(String, String)>,
    pub target: String,
}

impl DistrictRow {
    /// The service cell as the published tables write it: `Е-здраве: Предоставяне на …`.
    pub fn service_cell(&self) -> String {
        self.service
            .as_ref()
            .map(|(c, n)| format!("{c}: {n}"))
            .unwrap_or_default()
    }
}

/// The table of a district and year, resolved to names in the reader's language.
struct DistrictTable {
    district: DistrictCode,
    year: Year,
    title: String,
    headers: Vec<String>,
    rows: Vec<DistrictRow>,
}

impl DistrictTable {
    fn export(&self) -> ExportTable {
        ExportTable {
            slug: format!("district-{}-{}", self.district, self.year),
            title: self.title.clone(),
            headers: self.headers.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::from(r.id),
                        r.library.clone().into(),
                        r.municipality.clone().into(),
                        r.settlement.clone().into(),
                        r.service_cell().into(),
                        r.target.clone().into(),
                    ]
                })
                .collect(),
        }
    }
}

/// The district and year a district table is of: the ones asked for, else the first district
/// (by name) that has libraries and its latest year with services. `None` when the registry has
/// no library yet.
async fn district_and_year(
    app: &App,
    ctx: &Ctx,
    q: &ReportQuery,
) -> Result<Option<(DistrictCode, Year)>, WebError> {
    let district = match &q.district {
        Some(d) => d.clone(),
        None => {
            let mut all = app.report_districts().await?;
            all.sort_by_key(|(d, _)| district_name(ctx.lang, d.as_str()));
            match all.into_iter().next() {
                Some((d, _)) => d,
                None => return Ok(None),
            }
        }
    };
    let year = match q.year {
        Some(y) => y,
        None => match app.report_years(Some(&district)).await?.last() {
            Some(y) => *y,
            None => match app.report_years(None).await?.last() {
                Some(y) => *y,
                None => return Ok(None),
            },
        },
    };
    Ok(Some((district, year)))
}

async fn district_table(
    app: &App,
    ctx: &Ctx,
    district: DistrictCode,
    year: Year,
) -> Result<DistrictTable, WebError> {
    let categories = app.categories().await?;
    let rows = app
        .district_table(&district, year)
        .await?
        .into_iter()
        .map(|r| {
            let (settlement, municipality) = crate::format::place_label(ctx.lang, &r.library);
            DistrictRow {
                id: r.library.id.get(),
                library: r.library.name.clone(),
                municipality,
                settlement,
                service: r.service.as_ref().map(|s| {
                    (
                        category_name(ctx.lang, &categories, s.category.as_str()),
                        s.card.name.clone(),
                    )
                }),
                target: r
                    .service
                    .as_ref()
                    .map(|s| s.card.target_groups.join("; "))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let headers = [
        "rep-col-id",
        "rep-col-library",
        "rep-col-municipality",
        "rep-col-settlement",
        "rep-col-service",
        "rep-col-target",
    ]
    .into_iter()
    .map(|k| ctx.t(k))
    .collect();
    Ok(DistrictTable {
        title: ctx.t2(
            "rep-district-heading",
            "district",
            district_name(ctx.lang, district.as_str()),
            "year",
            year,
        ),
        headers,
        rows,
        district,
        year,
    })
}

#[derive(Template)]
#[template(path = "reports/district.html")]
struct DistrictPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    headers: Vec<String>,
    rows: Vec<DistrictRow>,
    with_service: usize,
    exports: Option<Exports>,
}

async fn district_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery::parse(raw.as_deref());
    let chosen = district_and_year(app, &ctx, &q).await?;
    let form = FilterForm {
        action: "/reports/district",
        district: Some(district_select(app, &ctx, chosen.as_ref().map(|c| &c.0), false).await?),
        year: Some(year_select(app, &ctx, None, chosen.as_ref().map(|c| c.1), false).await?),
    };
    let Some((district, year)) = chosen else {
        return Ok(render(&DistrictPage {
            title: ctx.t("rep-district-title"),
            form,
            headers: vec![],
            rows: vec![],
            with_service: 0,
            exports: None,
            ctx,
        }));
    };
    let table = district_table(app, &ctx, district, year).await?;
    let query = ReportQuery {
        district: Some(table.district.clone()),
        year: Some(table.year),
    }
    .to_query();
    let with_service = table.rows.iter().filter(|r| r.service.is_some()).count();
    Ok(render(&DistrictPage {
        form,
        title: table.title,
        headers: table.headers,
        rows: table.rows,
        with_service,
        exports: Some(Exports {
            csv: format!("/reports/district.csv{query}"),
            xlsx: format!("/reports/district.xlsx{query}"),
        }),
        ctx,
    }))
}

async fn district_export(
    state: &AppState,
    ctx: &Ctx,
    raw: Option<&str>,
) -> Result<ExportTable, WebError> {
    let q = ReportQuery::parse(raw);
    let (district, year) = district_and_year(&state.app, ctx, &q)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(district_table(&state.app, ctx, district, year)
        .await?
        .export())
}

async fn district_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let t = district_export(&state, &ctx, raw.as_deref()).await?;
    Ok(csv_response(&t))
}

async fn district_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let t = district_export(&state, &ctx, raw.as_deref()).await?;
    xlsx_response(&t)
}

// --- the category matrix ------------------------------------------------------------------------

pub struct MatrixCellView {
    pub count: i64,
    /// The libraries list behind a non-zero count.
    pub href: Option<String>,
}

pub struct MatrixRow {
    pub label: String,
    pub cells: Vec<MatrixCellView>,
    pub total: i64,
}

struct Matrix {
    slug: String,
    title: String,
    corner: String,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    totals: Vec<i64>,
    total: i64,
}

impl Matrix {
    fn export(&self, ctx: &Ctx) -> ExportTable {
        let mut headers = vec![self.corner.clone()];
        headers.extend(self.columns.iter().cloned());
        headers.push(ctx.t("rep-total"));
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::from(r.label.clone())];
                row.extend(r.cells.iter().map(|c| Cell::from(c.count)));
                row.push(r.total.into());
                row
            })
            .collect();
        let mut last = vec![Cell::from(ctx.t("rep-total"))];
        last.extend(self.totals.iter().map(|n| Cell::from(*n)));
        last.push(self.total.into());
        rows.push(last);
        ExportTable {
            slug: self.slug.clone(),
            title: self.title.clone(),
            headers,
            rows,
        }
    }
}

async fn matrix(app: &App, ctx: &Ctx, q: &ReportQuery) -> Result<Matrix, WebError> {
    let categories = app.categories().await?;
    let places = app.library_places(q.district.as_ref()).await?;
    let cells = app.category_matrix(q.district.as_ref(), q.year).await?;
    let by_municipality = q.district.is_some();
    let place_name = |code: &str| {
        if by_municipality {
            municipality_name(ctx.lang, code)
        } else {
            district_name(ctx.lang, code)
        }
    };
    let mut places: Vec<(String, String)> = places
        .into_iter()
        .map(|(code, _)| (place_name(&code), code))
        .collect();
    places.sort();
    let count: HashMap<(&str, &str), i64> = cells
        .iter()
        .map(|c| ((c.category.as_str(), c.place.as_str()), c.services))
        .collect();
    let year = q.year.map(|y| y.to_string());
    let rows: Vec<MatrixRow> = categories
        .iter()
        .map(|c| {
            let cells: Vec<MatrixCellView> = places
                .iter()
                .map(|(_, code)| {
                    let n = count
                        .get(&(c.code.as_str(), code.as_str()))
                        .copied()
                        .unwrap_or(0);
                    let mut link: Vec<(&str, &str)> = Vec::new();
                    if by_municipality {
                        link.push(("municipality", code));
                    } else {
                        link.push(("district", code));
                    }
                    link.push(("category", c.code.as_str()));
                    if let Some(y) = &year {
                        link.push(("year", y));
                    }
                    MatrixCellView {
                        count: n,
                        href: (n > 0).then(|| {
                            format!(
                                "/libraries?{}",
                                serde_urlencoded::to_string(&link).unwrap_or_default()
                            )
                        }),
                    }
                })
                .collect();
            MatrixRow {
                label: c.name(ctx.lang).to_owned(),
                total: cells.iter().map(|c| c.count).sum(),
                cells,
            }
        })
        .collect();
    let totals: Vec<i64> = (0..places.len())
        .map(|i| rows.iter().map(|r| r.cells[i].count).sum())
        .collect();
    let total = totals.iter().sum();
    let (title, corner) = match &q.district {
        Some(d) => (
            ctx.t2(
                "rep-matrix-heading-district",
                "district",
                district_name(ctx.lang, d.as_str()),
                "period",
                period(ctx, q.year),
            ),
            ctx.t("rep-matrix-corner-municipality"),
        ),
        None => (
            ctx.t1("rep-matrix-heading-all", "period", period(ctx, q.year)),
            ctx.t("rep-matrix-corner-district"),
        ),
    };
    let slug = format!(
        "matrix-{}-{}",
        q.district
            .as_ref()
            .map_or("all".to_owned(), |d| d.to_string()),
        q.year.map_or("all".to_owned(), |y| y.to_string())
    );
    Ok(Matrix {
        slug,
        title,
        corner,
        columns: places.into_iter().map(|(name, _)| name).collect(),
        rows,
        totals,
        total,
    })
}

#[derive(Template)]
#[template(path = "reports/matrix.html")]
struct MatrixPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    corner: String,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    totals: Vec<i64>,
    total: i64,
    exports: Exports,
}

async fn matrix_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery::parse(raw.as_deref());
    let form = FilterForm {
        action: "/reports/matrix",
        district: Some(district_select(app, &ctx, q.district.as_ref(), true).await?),
        year: Some(year_select(app, &ctx, None, q.year, true).await?),
    };
    let m = matrix(app, &ctx, &q).await?;
    let query = q.to_query();
    Ok(render(&MatrixPage {
        form,
        title: m.title,
        corner: m.corner,
        columns: m.columns,
        rows: m.rows,
        totals: m.totals,
        total: m.total,
        exports: Exports {
            csv: format!("/reports/matrix.csv{query}"),
            xlsx: format!("/reports/matrix.xlsx{query}"),
        },
        ctx,
    }))
}

async fn matrix_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = ReportQuery::parse(raw.as_deref());
    let m = matrix(&state.app, &ctx, &q).await?;
    Ok(csv_response(&m.export(&ctx)))
}

async fn matrix_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = ReportQuery::parse(raw.as_deref());
    let m = matrix(&state.app, &ctx, &q).await?;
    xlsx_response(&m.export(&ctx))
}

// --- coverage -----------------------------------------------------------------------------------

pub struct GapRow {
    pub id: u32,
    pub library: String,
    pub district: String,
    pub municipality: String,
    pub settlement: String,
}

#[derive(Template)]
#[template(path = "reports/coverage.html")]
struct CoveragePage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    summary: String,
    show_district: bool,
    rows: Vec<GapRow>,
}

async fn coverage_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery::parse(raw.as_deref());
    let form = FilterForm {
        action: "/reports/coverage",
        district: Some(district_select(app, &ctx, q.district.as_ref(), true).await?),
        year: None,
    };
    let (gaps, total) = app.coverage_gaps(q.district.as_ref()).await?;
    let g = Gazetteer::get();
    let rows: Vec<GapRow> = gaps
        .iter()
        .map(|l| {
            let (settlement, municipality) = crate::format::place_label(ctx.lang, l);
            GapRow {
                id: l.id.get(),
                library: l.name.clone(),
                district: g
                    .settlement(l.settlement.as_str())
                    .map(|s| district_name(ctx.lang, s.district.as_str()))
                    .unwrap_or_default(),
                municipality,
                settlement,
            }
        })
        .collect();
    let (title, summary) = match &q.district {
        Some(d) => {
            let name = district_name(ctx.lang, d.as_str());
            (
                ctx.t1("rep-coverage-heading-district", "district", &name),
                ctx.t2("rep-coverage-summary", "gaps", rows.len(), "total", total),
            )
        }
        None => (
            ctx.t("rep-coverage-title"),
            ctx.t2("rep-coverage-summary", "gaps", rows.len(), "total", total),
        ),
    };
    Ok(render(&CoveragePage {
        form,
        title,
        summary,
        show_district: q.district.is_none(),
        rows,
        ctx,
    }))
}

// --- target groups ------------------------------------------------------------------------------

pub struct GroupRow {
    pub name: String,
    pub href: String,
    pub services: i64,
    pub libraries: i64,
    /// Category names with their number of services.
    pub categories: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "reports/target_groups.html")]
struct TargetGroupsPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    rows: Vec<GroupRow>,
    chart: Vec<Bar>,
}

async fn target_groups_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery::parse(raw.as_deref());
    let form = FilterForm {
        action: "/reports/target-groups",
        district: Some(district_select(app, &ctx, q.district.as_ref(), true).await?),
        year: None,
    };
    let categories = app.categories().await?;
    let reach = app.target_group_reach(q.district.as_ref()).await?;
    let rows: Vec<GroupRow> = reach
        .into_iter()
        .map(|r| {
            let mut link = vec![("group", r.name.clone())];
            if let Some(d) = &q.district {
                link.push(("district", d.to_string()));
            }
            GroupRow {
                href: format!(
                    "/libraries?{}",
                    serde_urlencoded::to_string(&link).unwrap_or_default()
                ),
                categories: r
                    .categories
                    .iter()
                    .map(|(c, n)| (category_name(ctx.lang, &categories, c), *n))
                    .collect(),
                name: r.name,
                services: r.services,
                libraries: r.libraries,
            }
        })
        .collect();
    let chart = bars(
        rows.iter()
            .map(|r| (r.name.clone(), r.services, r.href.clone()))
            .collect(),
    );
    let title = match &q.district {
        Some(d) => ctx.t1(
            "rep-target-groups-heading-district",
            "district",
            district_name(ctx.lang, d.as_str()),
        ),
        None => ctx.t("rep-target-groups-title"),
    };
    Ok(render(&TargetGroupsPage {
        form,
        title,
        rows,
        chart,
        ctx,
    }))
}

// --- volunteers ---------------------------------------------------------------------------------

pub struct ShareRow {
    pub label: String,
    pub href: String,
    pub volunteer: i64,
    pub all: i64,
    pub pct: i64,
}

#[derive(Template)]
#[template(path = "reports/volunteers.html")]
struct VolunteersPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    tables: Vec<ShareTable>,
    total: ShareRow,
}

/// One table of the volunteers report: by district, or by category.
pub struct ShareTable {
    pub id: &'static str,
    pub heading: String,
    pub corner: String,
    pub rows: Vec<ShareRow>,
}

async fn volunteers_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery {
        district: None,
        ..ReportQuery::parse(raw.as_deref())
    };
    let form = FilterForm {
        action: "/reports/volunteers",
        district: None,
        year: Some(year_select(app, &ctx, None, q.year, true).await?),
    };
    let categories = app.categories().await?;
    let cells = app.volunteer_support(q.year).await?;
    let year = q.year.map(|y| y.to_string());
    let share =
        |label: String, key: &str, value: &str, rows: &mut Vec<ShareRow>, v: i64, n: i64| {
            if let Some(r) = rows.iter_mut().find(|r| r.label == label) {
                r.volunteer += v;
                r.all += n;
            } else {
                let mut link = vec![(key, value), ("volunteers", "yes")];
                if let Some(y) = &year {
                    link.push(("year", y));
                }
                rows.push(ShareRow {
                    label,
                    href: format!(
                        "/libraries?{}",
                        serde_urlencoded::to_string(&link).unwrap_or_default()
                    ),
                    volunteer: v,
                    all: n,
                    pct: 0,
                });
            }
        };
    let mut by_district = Vec::new();
    let mut by_category = Vec::new();
    for c in &cells {
        share(
            district_name(ctx.lang, &c.district),
            "district",
            &c.district,
            &mut by_district,
            c.volunteer_services,
            c.services,
        );
        share(
            category_name(ctx.lang, &categories, &c.category),
            "category",
            &c.category,
            &mut by_category,
            c.volunteer_services,
            c.services,
        );
    }
    for r in by_district.iter_mut().chain(by_category.iter_mut()) {
        r.pct = percent(r.volunteer, r.all);
    }
    by_district.sort_by(|a, b| a.label.cmp(&b.label));
    // Categories in the taxonomy's order.
    by_category.sort_by_key(|r| {
        categories
            .iter()
            .position(|c| c.name(ctx.lang) == r.label)
            .unwrap_or(usize::MAX)
    });
    let v: i64 = cells.iter().map(|c| c.volunteer_services).sum();
    let n: i64 = cells.iter().map(|c| c.services).sum();
    let total = ShareRow {
        label: ctx.t("rep-total"),
        href: String::new(),
        volunteer: v,
        all: n,
        pct: percent(v, n),
    };
    Ok(render(&VolunteersPage {
        form,
        title: ctx.t1("rep-volunteers-heading", "period", period(&ctx, q.year)),
        tables: vec![
            ShareTable {
                id: "vol-district",
                heading: ctx.t("rep-volunteers-by-district"),
                corner: ctx.t("rep-col-district"),
                rows: by_district,
            },
            ShareTable {
                id: "vol-category",
                heading: ctx.t("rep-volunteers-by-category"),
                corner: ctx.t("rep-col-category"),
                rows: by_category,
            },
        ],
        total,
        ctx,
    }))
}

// --- partners -----------------------------------------------------------------------------------

pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub services: i64,
    pub libraries: i64,
}

pub struct KindGroup {
    pub name: String,
    pub partners: i64,
    pub services: i64,
    pub libraries: i64,
    pub rows: Vec<PartnerRow>,
}

#[derive(Template)]
#[template(path = "reports/partners.html")]
struct PartnersPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    kinds: Vec<KindGroup>,
}

async fn partners_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery::parse(raw.as_deref());
    let form = FilterForm {
        action: "/reports/partners",
        district: Some(district_select(app, &ctx, q.district.as_ref(), true).await?),
        year: None,
    };
    let kinds = app.partner_kinds().await?;
    let by_kind = app.partner_kind_reach(q.district.as_ref()).await?;
    let partners = app.partner_reach(q.district.as_ref()).await?;
    let mut groups: Vec<(usize, KindGroup)> = by_kind
        .iter()
        .map(|k| {
            let position = kinds
                .iter()
                .position(|pk| pk.code.as_str() == k.kind)
                .unwrap_or(usize::MAX);
            let rows = partners
                .iter()
                .filter(|p| p.partner.kind.as_str() == k.kind)
                .map(|p| PartnerRow {
                    id: p.id,
                    name: p.partner.name.clone(),
                    services: p.services,
                    libraries: p.libraries,
                })
                .collect();
            (
                position,
                KindGroup {
                    name: kind_name(ctx.lang, &kinds, &k.kind),
                    partners: k.partners,
                    services: k.services,
                    libraries: k.libraries,
                    rows,
                },
            )
        })
        .collect();
    groups.sort_by_key(|(p, _)| *p);
    let title = match &q.district {
        Some(d) => ctx.t1(
            "rep-partners-heading-district",
            "district",
            district_name(ctx.lang, d.as_str()),
        ),
        None => ctx.t("rep-partners-title"),
    };
    Ok(render(&PartnersPage {
        form,
        title,
        kinds: groups.into_iter().map(|(_, g)| g).collect(),
        ctx,
    }))
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
