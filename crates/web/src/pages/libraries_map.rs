//! The libraries of a view on a map (`/libraries/map?…`) and as GeoJSON (`/libraries.geojson?…`),
//! under the same query as the list ([`ListQuery`]: facets and text search), so that a view can
//! be seen, shared and downloaded in every form.
//!
//! The map is SVG drawn on the server over the district outlines of [`crate::charts`]: no script,
//! no tile server. Its size does not grow with the registry: the counts come from one grouped
//! query per settlement, and a dense view is drawn as clusters — per settlement, or per
//! municipality when the view spans more settlements than a map can show apart. Only a view
//! small enough to list ([`INDIVIDUAL_LIMIT`]) reads its libraries, to place each one and name it.
//! Every marker is a link with an accessible name, and a table beside the map says the same.
//!
//! The GeoJSON is streamed in batches by programme ID ((`lipa_app::App::library_batch`)):
//! one batch of records is in memory at a time, however many libraries the view holds.

use super::libraries::{ListQuery, facet_views};
use crate::AppState;
use crate::charts::{MAP_WIDTH, MapArea, district_map, map_height, project_point};
use crate::format::place_label;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::linked_data::origin;
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;
use lipa_app::{App, LibraryFilter, LibrarySummary};
use lipa_core::geo::Gazetteer;
use lipa_core::ids::LibraryId;
use lipa_io::geojson::{GeoJsonWriter, MEDIA_TYPE};
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/libraries/map", get(libraries_map))
        .route("/libraries.geojson", get(libraries_geojson))
}

/// Libraries a GeoJSON batch reads at a time.
const BATCH: i64 = 500;

/// Views of at most this many libraries show each library (marker and table row).
pub const INDIVIDUAL_LIMIT: i64 = 1000;

/// Views spread over more settlements than this are clustered per municipality.
pub const SETTLEMENT_LIMIT: usize = 150;

/// The list's query with its text search applied.
async fn view_query(state: &AppState, raw: Option<&str>) -> Result<ListQuery, WebError> {
    let mut q = ListQuery::parse(raw);
    state.app.apply_text_query(&q.q, &mut q.filter).await?;
    Ok(q)
}

async fn libraries_geojson(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = view_query(&state, raw.as_deref()).await?;
    let origin = origin(&headers, &state);
    // The first batch before answering, so that a failing database is an error page, not a
    // truncated file.
    let first = state.app.library_batch(&q.filter, None, BATCH).await?;
    let batches = GeoJsonBatches {
        app: state.app.clone(),
        filter: q.filter,
        origin,
        next: Some(first),
        last: None,
        writer: Some(GeoJsonWriter::new(Vec::new()).map_err(|e| WebError::Internal(e.into()))?),
    };
    let stream = futures_util::stream::unfold(batches, |mut b| async move {
        let chunk = b.next_chunk().await?;
        Some((chunk, b))
    });
    Ok((
        [
            (header::CONTENT_TYPE, MEDIA_TYPE),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"lipa-libraries.geojson\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The state of a streamed GeoJSON answer: the filter, where the last batch ended, and the
/// writer whose buffer each batch empties.
struct GeoJsonBatches {
    app: App,
    filter: LibraryFilter,
    origin: String,
    /// The batch read before answering.
    next: Option<Vec<LibrarySummary>>,
    /// The last programme ID written.
    last: Option<LibraryId>,
    writer: Option<GeoJsonWriter<Vec<u8>>>,
}

impl GeoJsonBatches {
    /// The bytes of the next batch, the closing bytes after the last, then `None`.
    async fn next_chunk(&mut self) -> Option<std::io::Result<Vec<u8>>> {
        let mut writer = self.writer.take()?;
        let batch = match self.next.take() {
            Some(b) => b,
            None => {
                let after = self.last;
                match self.app.library_batch(&self.filter, after, BATCH).await {
                    Ok(b) => b,
                    Err(e) => {
                        tracing::error!("GeoJSON batch after {after:?}: {e}");
                        return Some(Err(std::io::Error::other(e)));
                    }
                }
            }
        };
        if batch.is_empty() {
            return Some(writer.finish());
        }
        for s in &batch {
            let lib = &s.library.record;
            let url = format!("{}/libraries/{}", self.origin, lib.id);
            if let Err(e) = writer.push(lib, &s.categories, &url) {
                return Some(Err(e));
            }
        }
        self.last = batch.last().map(|s| s.library.record.id);
        let chunk = std::mem::take(writer.get_mut());
        self.writer = Some(writer);
        Some(Ok(chunk))
    }
}

/// A point or cluster on the map: a link with an accessible name.
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// Libraries it stands for; above 1 the count is written in it.
    pub count: i64,
    pub href: String,
    pub label: String,
}

/// A row of the table beside the map: a library, or a place with the number of its libraries.
pub struct PlaceRow {
    pub name: String,
    pub href: String,
    pub place: String,
    pub municipality: String,
    /// Libraries (in a table of places) or counted services (in a table of libraries).
    pub count: i64,
    /// Whether the map shows it (a few new villages have no coordinates).
    pub on_map: bool,
}

#[derive(Template)]
#[template(path = "libraries/map.html")]
struct MapPage {
    ctx: Ctx,
    total: i64,
    /// `libraries`, `settlements` or `municipalities`: what a marker and a table row stand for.
    level: &'static str,
    /// What the markers stand for, in words.
    caption: String,
    facets: Vec<super::libraries::FacetView>,
    areas: Vec<MapArea>,
    markers: Vec<Marker>,
    rows: Vec<PlaceRow>,
    view_box: String,
    /// Size of marker text in SVG units at this zoom.
    font: f64,
    query: String,
}

/// A link to `base` with the view's filters and `set` replacing the keys it names.
fn link(base: &str, q: &ListQuery, set: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = q
        .pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && k != "page" && !set.iter().any(|(s, _)| s == k))
        .cloned()
        .collect();
    pairs.extend(set.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    match serde_urlencoded::to_string(&pairs).unwrap_or_default() {
        s if s.is_empty() => base.to_owned(),
        s => format!("{base}?{s}"),
    }
}

/// Radius of a marker for `count` libraries, in units of the whole country's map.
fn radius(count: i64) -> f64 {
    if count <= 1 {
        5.0
    } else {
        (6.0 + 2.5 * (count as f64).log2()).min(16.0)
    }
}

/// The part of the map around the markers (with a margin), keeping the map's proportions; the
/// whole country when they are spread over it. Returns the view box and its scale.
fn zoom(markers: &[Marker]) -> (String, f64) {
    let (w, h) = (MAP_WIDTH, map_height());
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0.0_f64, 0.0_f64);
    for m in markers {
        x0 = x0.min(m.x);
        y0 = y0.min(m.y);
        x1 = x1.max(m.x);
        y1 = y1.max(m.y);
    }
    if markers.is_empty() {
        return (format!("0 0 {w} {h}"), 1.0);
    }
    let vw = ((x1 - x0) * 1.4 + 40.0)
        .max((y1 - y0) * 1.4 * w / h + 40.0)
        .max(w / 5.0)
        .min(w);
    let vh = vw * h / w;
    let cx = ((x0 + x1) / 2.0 - vw / 2.0).clamp(0.0, w - vw);
    let cy = ((y0 + y1) / 2.0 - vh / 2.0).clamp(0.0, h - vh);
    let r = |v: f64| (v * 10.0).round() / 10.0;
    (format!("{} {} {} {}", r(cx), r(cy), r(vw), r(vh)), vw / w)
}

async fn libraries_map(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = view_query(&state, raw.as_deref()).await?;
    let app = &state.app;
    let g = Gazetteer::get();
    let bg = ctx.is_bg();
    let by_settlement = app.libraries_by_settlement(&q.filter).await?;
    let total: i64 = by_settlement.iter().map(|(_, n)| n).sum();
    let mut by_district: HashMap<String, i64> = HashMap::new();
    for (ekatte, n) in &by_settlement {
        if let Some(s) = g.settlement(ekatte) {
            *by_district.entry(s.district.to_string()).or_default() += n;
        }
    }
    let settlement_name = |ekatte: &str| {
        g.settlement(ekatte)
            .map(|s| if bg { s.label_bg() } else { s.name_en.clone() })
            .unwrap_or_else(|| ekatte.to_owned())
    };
    let municipality_name = |code: &str| {
        g.municipality(code)
            .map(|m| {
                if bg {
                    m.name_bg.clone()
                } else {
                    m.name_en.clone()
                }
            })
            .unwrap_or_default()
    };
    let at = |ekatte: &str| {
        g.settlement(ekatte)
            .and_then(|s| s.coords)
            .map(|(lat, lon)| project_point(lon, lat))
    };
    let mut markers = Vec::new();
    let mut rows = Vec::new();
    let level;
    if by_settlement.len() > SETTLEMENT_LIMIT {
        level = "municipalities";
        let mut by_municipality: BTreeMap<String, i64> = BTreeMap::new();
        for (ekatte, n) in &by_settlement {
            if let Some(s) = g.settlement(ekatte) {
                *by_municipality
                    .entry(s.municipality.to_string())
                    .or_default() += n;
            }
        }
        for (code, n) in by_municipality {
            let name = municipality_name(&code);
            let href = link("/libraries/map", &q, &[("municipality", code.as_str())]);
            let pos = g.municipality(&code).and_then(|m| at(m.center.as_str()));
            if let Some((x, y)) = pos {
                markers.push(Marker {
                    x,
                    y,
                    r: radius(n),
                    count: n,
                    href: href.clone(),
                    label: ctx.t2("map-municipality-label", "name", &name, "count", n),
                });
            }
            rows.push(PlaceRow {
                name: name.clone(),
                href,
                place: name,
                municipality: String::new(),
                count: n,
                on_map: pos.is_some(),
            });
        }
    } else {
        let libraries = if total <= INDIVIDUAL_LIMIT {
            app.library_batch(&q.filter, None, INDIVIDUAL_LIMIT).await?
        } else {
            Vec::new()
        };
        level = if libraries.is_empty() {
            "settlements"
        } else {
            "libraries"
        };
        for (ekatte, n) in &by_settlement {
            let place = settlement_name(ekatte);
            let s = g.settlement(ekatte);
            let municipality = s
                .map(|s| municipality_name(s.municipality.as_str()))
                .unwrap_or_default();
            let here: Vec<&LibrarySummary> = libraries
                .iter()
                .filter(|l| l.library.record.settlement.as_str() == ekatte)
                .collect();
            // The list has no settlement filter; its search finds a settlement by name.
            let list_href = || {
                let name = s.map(|s| s.name_bg.as_str()).unwrap_or(ekatte);
                let m = s.map(|s| s.municipality.to_string()).unwrap_or_default();
                link(
                    "/libraries",
                    &q,
                    &[("municipality", m.as_str()), ("q", name)],
                )
            };
            let pos = at(ekatte);
            if let Some((x, y)) = pos {
                let (href, label) = match here.as_slice() {
                    [one] => (
                        format!("/libraries/{}", one.library.record.id),
                        ctx.t2(
                            "map-library-label",
                            "name",
                            &one.library.record.name,
                            "place",
                            &place,
                        ),
                    ),
                    _ => (
                        list_href(),
                        ctx.t2("map-settlement-label", "name", &place, "count", n),
                    ),
                };
                markers.push(Marker {
                    x,
                    y,
                    r: radius(*n),
                    count: *n,
                    href,
                    label,
                });
            }
            if here.is_empty() {
                rows.push(PlaceRow {
                    name: place.clone(),
                    href: list_href(),
                    place,
                    municipality,
                    count: *n,
                    on_map: pos.is_some(),
                });
            }
            for l in here {
                let lib = &l.library.record;
                let (place, municipality) = place_label(ctx.lang, lib);
                rows.push(PlaceRow {
                    name: lib.name.clone(),
                    href: format!("/libraries/{}", lib.id),
                    place,
                    municipality,
                    count: l.services(),
                    on_map: pos.is_some(),
                });
            }
        }
    }
    // Large markers first, so that small ones stay visible and clickable on top.
    markers.sort_by(|a, b| b.r.total_cmp(&a.r));
    let (view_box, scale) = zoom(&markers);
    for m in &mut markers {
        m.r = (m.r * scale * 10.0).round() / 10.0;
    }
    let categories = app.categories().await?;
    let facets = app.library_facets(&ctx.access(), &q.filter).await?;
    let page = MapPage {
        total,
        level,
        caption: ctx.t(&format!("map-level-{level}")),
        facets: facet_views(&ctx, &q, facets, &categories, "/libraries/map"),
        areas: district_map(&by_district, !bg),
        markers,
        rows,
        view_box,
        font: (11.0 * scale * 10.0).round() / 10.0,
        query: link("", &q, &[]),
        ctx,
    };
    Ok(render(&page))
}
