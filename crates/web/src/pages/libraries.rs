//! The libraries list: facets with counts beside each value, search, sorting, pagination, and
//! "export this view" as CSV and XLSX. Every filter lives in the query string, so a view can be
//! bookmarked and shared; the same query drives the page and its exports.

use super::query::with;
use crate::AppState;
use crate::format::{facet_label, place_label};
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use lipa_app::{Facet, LibraryFilter, LibrarySort};
use lipa_core::geo::{Gazetteer, SettlementKind};
use lipa_core::ids::{CategoryCode, DistrictCode, MunicipalityCode, Year};
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::taxonomy::Category;
use lipa_core::text::fold_name;
use lipa_io::Registry;
use lipa_io::tables::{Cell, write_table_csv, write_table_xlsx};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/libraries", get(list_libraries))
        .route("/libraries.csv", get(export_csv))
        .route("/libraries.xlsx", get(export_xlsx))
}

/// Rows per page.
pub const PAGE_SIZE: i64 = 25;

/// The list's query, parsed leniently: an unknown value is ignored, never an error page.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub pairs: Vec<(String, String)>,
    pub filter: LibraryFilter,
    pub q: String,
    pub page: i64,
    pub sort: String,
}

impl ListQuery {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = super::query::pairs(raw);
        let get = |k: &str| super::query::value(&pairs, k);
        let mut f = LibraryFilter {
            district: get("district").and_then(|v| DistrictCode::parse(&v).ok()),
            municipality: get("municipality").and_then(|v| MunicipalityCode::parse(&v).ok()),
            settlement_kind: get("kind").and_then(|v| SettlementKind::from_code(&v)),
            category: get("category").and_then(|v| CategoryCode::parse(&v).ok()),
            target_group: get("group"),
            volunteers: get("volunteers").and_then(|v| match v.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }),
            year: get("year").and_then(|v| Year::parse(&v).ok()),
            status: get("status")
                .and_then(|v| ServiceStatus::from_code(&v))
                .filter(|s| s.is_published()),
            has_service: get("has").and_then(|v| match v.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }),
            ..Default::default()
        };
        let sort = get("sort").unwrap_or_else(|| "id".into());
        f.sort = match sort.as_str() {
            "name" => LibrarySort::Name,
            "place" => LibrarySort::Place,
            "services" => LibrarySort::Services,
            _ => LibrarySort::Id,
        };
        let page = get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            // A page past any registry's end, not an overflow of `(page - 1) * PAGE_SIZE`.
            .clamp(1, i64::MAX / PAGE_SIZE);
        f.limit = PAGE_SIZE;
        f.offset = (page - 1) * PAGE_SIZE;
        ListQuery {
            q: get("q").unwrap_or_default(),
            pairs,
            filter: f,
            page,
            sort,
        }
    }

    pub fn value(&self, key: &str) -> String {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A facet value as the page shows it.
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: i64,
    pub selected: bool,
    pub href: String,
}

pub struct FacetView {
    pub key: &'static str,
    pub title: String,
    pub options: Vec<FacetOption>,
    /// Link that clears this facet, when a value is chosen.
    pub clear: Option<String>,
}

/// The URL key of a store facet and how its values map.
fn url_key(facet: &str) -> &'static str {
    match facet {
        "district" => "district",
        "municipality" => "municipality",
        "settlement_kind" => "kind",
        "category" => "category",
        "target_group" => "group",
        "volunteers" => "volunteers",
        "year" => "year",
        "status" => "status",
        _ => "",
    }
}

/// The facets of a view, each value linking to `base` (the list, or the map) with it chosen.
pub(crate) fn facet_views(
    ctx: &Ctx,
    q: &ListQuery,
    facets: Vec<Facet>,
    categories: &[Category],
    base: &str,
) -> Vec<FacetView> {
    let order = [
        "district",
        "municipality",
        "settlement_kind",
        "category",
        "target_group",
        "volunteers",
        "year",
        "status",
    ];
    let mut out = Vec::new();
    for name in order {
        let Some(f) = facets.iter().find(|f| f.name == name) else {
            continue;
        };
        let key = url_key(name);
        let current = q.value(key);
        let options: Vec<FacetOption> = f
            .values
            .iter()
            .filter(|v| {
                name != "status"
                    || ServiceStatus::from_code(&v.value).is_some_and(|s| s.is_published())
            })
            .map(|v| {
                let value = if name == "volunteers" {
                    if v.value == "1" {
                        "yes".to_owned()
                    } else {
                        "no".to_owned()
                    }
                } else {
                    v.value.clone()
                };
                let selected = if name == "target_group" {
                    fold_name(&current) == fold_name(&value)
                } else {
                    current == value
                };
                FacetOption {
                    label: facet_label(ctx.lang, categories, key, &value),
                    href: format!("{base}{}", with(&q.pairs, key, Some(&value))),
                    value,
                    count: v.count,
                    selected,
                }
            })
            .collect();
        let clear = (!current.is_empty()).then(|| format!("{base}{}", with(&q.pairs, key, None)));
        if options.is_empty() && clear.is_none() {
            continue;
        }
        out.push(FacetView {
            key,
            title: ctx.t(&format!("facet-{key}")),
            options,
            clear,
        });
    }
    out
}

/// One library row of the list.
pub struct Row {
    pub id: u32,
    pub name: String,
    pub place: String,
    pub municipality: String,
    pub services: Vec<(String, String)>,
}

/// An active filter, shown as a removable chip.
pub struct Chip {
    pub label: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "libraries/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    rows: Vec<Row>,
    total: i64,
    facets: Vec<FacetView>,
    chips: Vec<Chip>,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    sort: String,
    sorts: Vec<(&'static str, String)>,
    hidden: Vec<(String, String)>,
    export_query: String,
    clear_all: String,
}

async fn list_libraries(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let mut q = ListQuery::parse(raw.as_deref());
    let app = &state.app;
    let access = ctx.access();
    app.apply_text_query(&q.q, &mut q.filter).await?;
    let categories = app.categories().await?;
    let page = app.list_libraries(&access, &q.filter).await?;
    let (list, total, services) = (page.rows, page.total, page.services);
    let facets = app.library_facets(&access, &q.filter).await?;
    let rows = list
        .iter()
        .map(|r| {
            let lib = &r.library.record;
            let (place, municipality) = place_label(ctx.lang, lib);
            Row {
                id: lib.id.get(),
                name: lib.name.clone(),
                place,
                municipality,
                services: services
                    .iter()
                    .filter(|s| s.record.library == lib.id)
                    .map(|s| {
                        let cat = categories
                            .iter()
                            .find(|c| c.code == s.record.category)
                            .map(|c| c.name(ctx.lang).to_owned())
                            .unwrap_or_else(|| s.record.category.to_string());
                        (cat, s.record.card.name.clone())
                    })
                    .collect(),
            }
        })
        .collect();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page_link = |p: i64| {
        let base = with(&q.pairs, "page", None);
        let sep = if base.is_empty() { "?" } else { "&" };
        format!("/libraries{base}{sep}page={p}")
    };
    let chips = q
        .pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && !matches!(k.as_str(), "page" | "sort"))
        .map(|(k, v)| {
            let label = if k == "q" {
                format!("„{v}“")
            } else {
                facet_label(ctx.lang, &categories, k, v)
            };
            Chip {
                label: format!("{}: {}", ctx.t(&format!("facet-{k}")), label),
                remove: format!("/libraries{}", with(&q.pairs, k, None)),
            }
        })
        .collect();
    let hidden = q
        .pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && !matches!(k.as_str(), "q" | "page" | "sort"))
        .cloned()
        .collect();
    let page = ListPage {
        facets: facet_views(&ctx, &q, facets, &categories, "/libraries"),
        rows,
        total,
        chips,
        page: q.page,
        pages,
        prev: (q.page > 1).then(|| page_link(q.page - 1)),
        next: (q.page < pages).then(|| page_link(q.page + 1)),
        sorts: ["id", "name", "place", "services"]
            .into_iter()
            .map(|s| (s, ctx.t(&format!("sort-{s}"))))
            .collect(),
        sort: q.sort.clone(),
        hidden,
        export_query: with(&q.pairs, "page", None),
        clear_all: "/libraries".into(),
        q: q.q.clone(),
        ctx,
    };
    Ok(render(&page))
}

/// The libraries of a view (all pages) and their services that the view counts.
async fn view_registry(
    state: &AppState,
    ctx: &Ctx,
    raw: Option<&str>,
) -> Result<Registry, WebError> {
    let mut q = ListQuery::parse(raw);
    state.app.apply_text_query(&q.q, &mut q.filter).await?;
    Ok(state.app.export_view(&ctx.access(), &q.filter).await?)
}

/// The view as a table: one row per service, a library without one in a row of its own — what
/// the page shows, for a spreadsheet. (`lipa export` gives the complete, re-importable registry.)
async fn view_table(
    state: &AppState,
    ctx: &Ctx,
    raw: Option<&str>,
) -> Result<(Vec<String>, Vec<Vec<Cell>>), WebError> {
    let reg = view_registry(state, ctx, raw).await?;
    let categories = state.app.categories().await?;
    let g = Gazetteer::get();
    let headers = [
        "th-id",
        "th-library",
        "th-library-kind",
        "th-place",
        "th-municipality",
        "th-district",
        "th-category",
        "th-service",
        "th-target-groups",
        "th-year",
        "th-status",
        "th-volunteers",
    ]
    .iter()
    .map(|k| ctx.t(k))
    .collect();
    let mut rows = Vec::new();
    for lib in &reg.libraries {
        let s = g.settlement(lib.settlement.as_str());
        let (place, municipality) = place_label(ctx.lang, lib);
        let district = s
            .and_then(|s| g.district(s.district.as_str()))
            .map(|d| {
                if ctx.is_bg() {
                    d.name_bg.clone()
                } else {
                    d.name_en.clone()
                }
            })
            .unwrap_or_default();
        let base = vec![
            Cell::Number(f64::from(lib.id.get())),
            Cell::Text(lib.name.clone()),
            Cell::Text(lib.kind.label(ctx.lang)),
            Cell::Text(place),
            Cell::Text(municipality),
            Cell::Text(district),
        ];
        let mine: Vec<&Service> = reg
            .services
            .iter()
            .filter(|s| s.library == lib.id)
            .collect();
        if mine.is_empty() {
            let mut row = base.clone();
            row.extend(std::iter::repeat_n(Cell::Text(String::new()), 6));
            rows.push(row);
        }
        for svc in mine {
            let mut row = base.clone();
            row.push(Cell::Text(facet_label(
                ctx.lang,
                &categories,
                "category",
                svc.category.as_str(),
            )));
            row.push(Cell::Text(svc.card.name.clone()));
            row.push(Cell::Text(svc.card.target_groups.join("; ")));
            row.push(Cell::Number(f64::from(svc.year.get())));
            row.push(Cell::Text(svc.status.label(ctx.lang)));
            row.push(Cell::Text(ctx.t(if svc.volunteer_supported {
                "answer-yes"
            } else {
                "answer-no"
            })));
            rows.push(row);
        }
    }
    Ok((headers, rows))
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (headers, rows) = view_table(&state, &ctx, raw.as_deref()).await?;
    let body = write_table_csv(&headers, &rows);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lipa-libraries.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (headers, rows) = view_table(&state, &ctx, raw.as_deref()).await?;
    let body = write_table_xlsx(
        &ctx.t("libraries-title"),
        &ctx.t("libraries-export-title"),
        &headers,
        &rows,
    )
    .map_err(|e| WebError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lipa-libraries.xlsx\"",
            ),
        ],
        body,
    )
        .into_response())
}
