//! Open data: the public part of the registry for anyone to download and for portals to harvest.
//!
//! - `/open-data`: every dataset, its files, licence and last update (the registry's latest
//!   audited change: one query);
//! - `/catalog.jsonld`: the same as a DCAT-AP catalogue (`dcat:Catalog` of `dcat:Dataset`s with
//!   titles and descriptions in Bulgarian and English, licence, modification time and
//!   `dcat:Distribution`s with download URL and media type), so that a national open-data
//!   portal can harvest it;
//! - the files: the registry as JSON (the format `lipa import` reads), CSV and XLSX — libraries,
//!   published services, partners and published events; the libraries as GeoJSON
//!   ([`super::libraries_map`]); the published events as one iCalendar feed.
//!
//! People are left out: their names appear in the events they took part in, their contacts
//! never. The registry is published under CC BY 4.0; the GeoJSON carries settlement coordinates
//! from OpenStreetMap and so is under the ODbL, as its source is.

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::linked_data::origin;
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lipa_core::Lang;
use lipa_core::i18n::tr;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open-data", get(open_data_page))
        .route("/catalog.jsonld", get(catalog))
        .route("/export/registry.json", get(registry_json))
        .route("/export/registry.csv", get(registry_csv))
        .route("/export/registry.xlsx", get(registry_xlsx))
        .route("/export/events.ics", get(events_ics))
}

/// A licence of a dataset: its canonical URL and its name's message key.
pub struct Licence {
    pub url: &'static str,
    pub key: &'static str,
}

const CC_BY: Licence = Licence {
    url: "https://creativecommons.org/licenses/by/4.0/",
    key: "od-licence-cc-by",
};

const ODBL: Licence = Licence {
    url: "https://opendatacommons.org/licenses/odbl/1-0/",
    key: "od-licence-odbl",
};

/// One file of a dataset.
pub struct Distribution {
    pub path: &'static str,
    /// As the file answers with (`Content-Type` without parameters).
    pub media_type: &'static str,
    /// The EU file-type authority's code.
    pub format: &'static str,
}

/// A dataset: its messages are `od-ds-{key}-title` and `od-ds-{key}-desc`.
pub struct Dataset {
    pub key: &'static str,
    pub licence: Licence,
    pub files: &'static [Distribution],
}

/// Every dataset lipa publishes.
pub const DATASETS: &[Dataset] = &[
    Dataset {
        key: "registry",
        licence: CC_BY,
        files: &[
            Distribution {
                path: "/export/registry.json",
                media_type: "application/json",
                format: "JSON",
            },
            Distribution {
                path: "/export/registry.csv",
                media_type: "text/csv",
                format: "CSV",
            },
            Distribution {
                path: "/export/registry.xlsx",
                media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format: "XLSX",
            },
        ],
    },
    Dataset {
        key: "libraries-geo",
        licence: ODBL,
        files: &[Distribution {
            path: "/libraries.geojson",
            media_type: lipa_io::geojson::MEDIA_TYPE,
            format: "GEOJSON",
        }],
    },
    Dataset {
        key: "events",
        licence: CC_BY,
        files: &[Distribution {
            path: "/export/events.ics",
            media_type: "text/calendar",
            format: "ICS",
        }],
    },
];

struct DatasetView {
    key: &'static str,
    title: String,
    description: String,
    licence: String,
    licence_url: &'static str,
    files: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "open_data/index.html")]
struct OpenDataPage {
    ctx: Ctx,
    datasets: Vec<DatasetView>,
    updated: String,
}

async fn open_data_page(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let updated = state.app.last_public_change().await?;
    let datasets = DATASETS
        .iter()
        .map(|d| DatasetView {
            key: d.key,
            title: ctx.t(&format!("od-ds-{}-title", d.key)),
            description: ctx.t(&format!("od-ds-{}-desc", d.key)),
            licence: ctx.t(d.licence.key),
            licence_url: d.licence.url,
            files: d.files.iter().map(|f| (f.format, f.path)).collect(),
        })
        .collect();
    let updated = match updated.and_then(|at| at.parse::<jiff::Timestamp>().ok()) {
        Some(at) => match at.in_tz("Europe/Sofia") {
            Ok(z) => z.strftime("%Y-%m-%d %H:%M").to_string(),
            Err(_) => at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        },
        None => ctx.t("od-never-updated"),
    };
    Ok(render(&OpenDataPage {
        ctx,
        datasets,
        updated,
    }))
}

/// A text in both languages, as JSON-LD language-tagged values.
fn both(key: &str) -> Value {
    json!([
        {"@value": tr(Lang::Bg, key, &[]), "@language": "bg"},
        {"@value": tr(Lang::En, key, &[]), "@language": "en"},
    ])
}

/// The DCAT-AP catalogue of [`DATASETS`].
pub fn catalog_json(origin: &str, modified: Option<&str>) -> Value {
    let modified = modified.map(|m| json!({"@value": m, "@type": "xsd:dateTime"}));
    let datasets: Vec<Value> = DATASETS
        .iter()
        .map(|d| {
            let files: Vec<Value> = d
                .files
                .iter()
                .map(|f| {
                    let url = format!("{origin}{}", f.path);
                    json!({
                        "@id": format!("{url}#distribution"),
                        "@type": "dcat:Distribution",
                        "dcat:accessURL": {"@id": url},
                        "dcat:downloadURL": {"@id": url},
                        "dcat:mediaType": {"@id": format!("http://www.iana.org/assignments/media-types/{}", f.media_type)},
                        "dct:format": {"@id": format!("http://publications.europa.eu/resource/authority/file-type/{}", f.format)},
                        "dct:license": {"@id": d.licence.url},
                        "dct:title": f.format,
                    })
                })
                .collect();
            json!({
                "@id": format!("{origin}/open-data#{}", d.key),
                "@type": "dcat:Dataset",
                "dct:identifier": format!("lipa-{}", d.key),
                "dct:title": both(&format!("od-ds-{}-title", d.key)),
                "dct:description": both(&format!("od-ds-{}-desc", d.key)),
                "dct:license": {"@id": d.licence.url},
                "dct:modified": modified,
                "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/BGR"},
                "dcat:landingPage": {"@id": format!("{origin}/open-data")},
                "dcat:distribution": files,
            })
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{origin}/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": both("od-catalog-title"),
        "dct:description": both("od-catalog-desc"),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": both("od-publisher")},
        "dct:language": [
            {"@id": "http://publications.europa.eu/resource/authority/language/BUL"},
            {"@id": "http://publications.europa.eu/resource/authority/language/ENG"},
        ],
        "dct:modified": modified,
        "foaf:homepage": {"@id": format!("{origin}/open-data")},
        "dcat:dataset": datasets,
    })
}

async fn catalog(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let modified = state.app.last_public_change().await?;
    let body = catalog_json(&origin(&headers, &state), modified.as_deref());
    Ok((
        [(header::CONTENT_TYPE, "application/ld+json; charset=utf-8")],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

/// A download: its media type and file name.
fn download(media_type: &'static str, name: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response()
}

async fn registry_json(State(state): State<AppState>) -> PageResult {
    let reg = state.app.public_registry().await?;
    Ok(download(
        "application/json; charset=utf-8",
        "inline; filename=\"lipa-registry.json\"",
        lipa_io::registry::to_json(&reg),
    ))
}

async fn registry_csv(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let reg = state.app.public_registry().await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "attachment; filename=\"lipa-registry.csv\"",
        lipa_io::registry::to_csv(&reg, ctx.lang),
    ))
}

async fn registry_xlsx(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let reg = state.app.public_registry().await?;
    let body = lipa_io::registry::to_xlsx(&reg, ctx.lang)
        .map_err(|e| WebError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"lipa-registry.xlsx\"",
        body,
    ))
}

/// The published events as one calendar a program can subscribe to.
async fn events_ics(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> PageResult {
    let origin = origin(&headers, &state);
    let events = state.app.events(&lipa_app::Access::anonymous()).await?;
    let entries: Vec<lipa_io::ical::CalendarEvent> = events
        .into_iter()
        .map(|v| {
            let e = &v.record;
            let place = super::events::settlement_label(ctx.lang, e);
            lipa_io::ical::CalendarEvent {
                uid: format!("lipa-event-{}", v.id),
                summary: e.title.clone(),
                starts: e.starts,
                ends: e.ends,
                location: [e.venue.trim(), place.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                description: e.purpose.trim().to_owned(),
                url: Some(format!("{origin}/events/{}", v.id)),
                stamp: v
                    .updated_at
                    .parse::<jiff::Timestamp>()
                    .unwrap_or_else(|_| jiff::Timestamp::now()),
            }
        })
        .collect();
    Ok(download(
        "text/calendar; charset=utf-8",
        "attachment; filename=\"lipa-events.ics\"",
        lipa_io::ical::to_ics(&entries),
    ))
}
