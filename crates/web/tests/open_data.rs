//! Open data through the whole router: the GeoJSON of a view (RFC 7946, exactly the view's
//! libraries, streamed in batches), the map of libraries (clusters from grouped counts, every
//! marker a named link, the table beside it), the schema.org JSON-LD of public pages, and the
//! open-data page with its DCAT-AP catalogue, whose every download answers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::LibraryId;
use lipa_core::library::{Contacts, Library, LibraryKind};
use lipa_web::{router, testing};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

const HOST: &str = "lipa.test";

struct App {
    store: Store,
    router: Router,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON")
    }

    fn html(&self) -> Html {
        Html::parse_document(&String::from_utf8_lossy(&self.body))
    }

    fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

impl App {
    async fn new() -> App {
        let store = Store::open_test().await.expect("store");
        App {
            router: router(lipa_web::testing::state(store.clone())),
            store,
        }
    }

    async fn demo() -> App {
        let app = App::new().await;
        testing::load_demo(&app.store).await;
        app
    }

    async fn get(&self, path: &str) -> Answer {
        self.get_in(path, "bg").await
    }

    async fn get_in(&self, path: &str, lang: &str) -> Answer {
        let req = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// The programme IDs the libraries list shows for `query`, all pages.
    async fn listed(&self, query: &str) -> BTreeSet<u32> {
        let mut ids = BTreeSet::new();
        for page in 1.. {
            let a = self.get(&format!("/libraries?{query}&page={page}")).await;
            assert_eq!(a.status, StatusCode::OK);
            let html = a.html();
            let cells: Vec<u32> = select(&html, "table.libraries tbody td.num")
                .iter()
                .map(|c| c.text().collect::<String>().trim().parse().unwrap())
                .collect();
            ids.extend(&cells);
            if select(&html, "a[rel=next]").is_empty() {
                break;
            }
        }
        ids
    }
}

/// Checks a GeoJSON document against RFC 7946 as far as lipa writes it, and returns its IDs.
fn check_feature_collection(v: &Value) -> Vec<u32> {
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v.get("crs").is_none(), "RFC 7946 §4 removed crs");
    let features = v["features"].as_array().expect("features is an array");
    features
        .iter()
        .map(|f| {
            assert_eq!(f["type"], "Feature");
            assert!(f["properties"].is_object());
            let g = &f["geometry"];
            if !g.is_null() {
                assert_eq!(g["type"], "Point");
                let pos = g["coordinates"].as_array().expect("a position");
                assert_eq!(pos.len(), 2, "no altitude");
                let lon = pos[0].as_f64().expect("longitude");
                let lat = pos[1].as_f64().expect("latitude");
                // Bulgaria: longitude 22.3–28.7 E, latitude 41.2–44.3 N; the two ranges do not
                // overlap, so swapped coordinates would fail.
                assert!((22.3..=28.7).contains(&lon), "longitude first, got {lon}");
                assert!((41.2..=44.3).contains(&lat), "latitude second, got {lat}");
            }
            let id = f["id"].as_u64().expect("numeric id") as u32;
            assert_eq!(f["properties"]["id"].as_u64(), Some(u64::from(id)));
            assert_eq!(
                f["properties"]["url"],
                format!("http://{HOST}/libraries/{id}")
            );
            id
        })
        .collect()
}

#[tokio::test]
async fn the_geojson_of_a_view_holds_exactly_the_libraries_of_the_list() {
    let app = App::demo().await;
    for query in [
        "",
        "district=KNL",
        "municipality=KNL29",
        "category=e-health",
        "has=no",
        "volunteers=yes",
        "q=Кюстендил",
    ] {
        let a = app.get(&format!("/libraries.geojson?{query}")).await;
        assert_eq!(a.status, StatusCode::OK, "{query}");
        assert_eq!(a.content_type(), "application/geo+json", "{query}");
        let ids = check_feature_collection(&a.json());
        let unique: BTreeSet<u32> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "each library once: {query}");
        assert_eq!(unique, app.listed(query).await, "{query}");
    }
    // The demo's Kyustendil district has libraries with services; a filter that counts services
    // counts only those it matches.
    let v = app.get("/libraries.geojson?category=e-health").await.json();
    for f in v["features"].as_array().unwrap() {
        assert_eq!(
            f["properties"]["categories"],
            serde_json::json!(["e-health"])
        );
        assert!(f["properties"]["services"].as_i64().unwrap() >= 1);
        assert_eq!(f["properties"]["district_code"], "KNL");
    }
}

/// `n` libraries spread over the settlements that have coordinates, one per settlement in turn.
async fn many_libraries(store: &Store, n: u32) -> Vec<u32> {
    let settlements: Vec<_> = Gazetteer::get()
        .settlements()
        .iter()
        .filter(|s| s.coords.is_some())
        .collect();
    let step = settlements.len() / n as usize;
    let libraries: Vec<Library> = (0..n)
        .map(|i| Library {
            id: LibraryId::new(100_000 + i).unwrap(),
            name: format!("Библиотека при НЧ „Тест {i}“"),
            kind: LibraryKind::Chitalishte,
            chitalishte: None,
            settlement: settlements[i as usize * step.max(1) % settlements.len()]
                .ekatte
                .clone(),
            coordinator: false,
            contacts: Contacts::default(),
        })
        .collect();
    let ids = libraries.iter().map(|l| l.id.get()).collect();
    store
        .apply(
            &Actor("test".into()),
            "test",
            &ChangeSet {
                libraries,
                ..Default::default()
            },
        )
        .await
        .expect("libraries written");
    ids
}

#[tokio::test]
async fn a_large_registry_streams_in_batches_and_maps_as_clusters() {
    let app = App::new().await;
    let ids = many_libraries(&app.store, 1_234).await;
    let a = app.get("/libraries.geojson").await;
    assert_eq!(a.status, StatusCode::OK);
    let got = check_feature_collection(&a.json());
    // Several batches of 500, in order, none lost or repeated at their seams.
    assert_eq!(got, ids);

    let a = app.get("/libraries/map").await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.html();
    let markers = select(&html, "svg a.marker");
    // Spread over more settlements than a map shows apart: one cluster per municipality.
    assert!(markers.len() <= Gazetteer::get().municipalities().len());
    assert!(markers.len() > 100, "{}", markers.len());
    let sum: i64 = markers
        .iter()
        .map(|m| {
            m.value()
                .attr("data-count")
                .unwrap()
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    assert_eq!(sum, 1_234);
    let first = markers[0].value();
    assert!(
        first
            .attr("href")
            .unwrap()
            .starts_with("/libraries/map?municipality=")
    );
    assert!(first.attr("aria-label").unwrap().starts_with("Община "));
    // The table says the same: one row per municipality.
    assert_eq!(
        select(&html, "[data-testid=map-table] tbody tr").len(),
        markers.len()
    );
}

#[tokio::test]
async fn the_map_of_a_filtered_view_names_each_library_and_lists_it_beside() {
    let app = App::demo().await;
    for (query, lang) in [("district=KNL", "bg"), ("category=e-health", "en")] {
        let listed = app.listed(query).await;
        let a = app.get_in(&format!("/libraries/map?{query}"), lang).await;
        assert_eq!(a.status, StatusCode::OK);
        let html = a.html();
        let markers = select(&html, "svg a.marker");
        assert!(!markers.is_empty());
        let sum: usize = markers
            .iter()
            .map(|m| {
                m.value()
                    .attr("data-count")
                    .unwrap()
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert_eq!(sum, listed.len(), "{query}");
        for m in &markers {
            let label = m.value().attr("aria-label").unwrap();
            assert!(!label.trim().is_empty());
            assert!(!m.value().attr("href").unwrap().is_empty());
        }
        // A view this small lists each library beside the map, linked to its page.
        let rows: BTreeSet<u32> =
            select(&html, "[data-testid=map-table] tbody tr td:first-child a")
                .iter()
                .map(|a| {
                    a.value().attr("href").unwrap()["/libraries/".len()..]
                        .parse()
                        .unwrap()
                })
                .collect();
        assert_eq!(rows, listed, "{query}");
        // The facets link to the map, keeping the filter.
        let facet_links = select(&html, "aside.facets a[data-facet]");
        assert!(facet_links.iter().all(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .starts_with("/libraries/map")
        }));
    }
    // The list and the home page link to the map.
    let list = app.get("/libraries?district=KNL").await.html();
    let link = select(&list, "[data-testid=map-link]");
    assert_eq!(
        link[0].value().attr("href"),
        Some("/libraries/map?district=KNL")
    );
    let home = app.get("/").await.html();
    assert_eq!(select(&home, "a[href='/libraries/map']").len(), 1);
}

fn json_ld(html: &Html) -> Value {
    let scripts = select(html, "script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1);
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).expect("the JSON-LD parses as JSON")
}

#[tokio::test]
async fn public_pages_carry_schema_org_json_ld() {
    let app = App::demo().await;
    let a = app
        .get("/libraries.geojson?municipality=KNL29")
        .await
        .json();
    let id = a["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["ekatte"] == "41112")
        .expect("a library in гр. Кюстендил")["id"]
        .as_u64()
        .unwrap();
    let page = app.get(&format!("/libraries/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let v = json_ld(&page.html());
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "Library");
    assert_eq!(v["@id"], format!("http://{HOST}/libraries/{id}"));
    assert!(!v["name"].as_str().unwrap().is_empty());
    assert_eq!(v["identifier"]["value"], id.to_string());
    assert_eq!(v["address"]["@type"], "PostalAddress");
    assert_eq!(v["address"]["addressLocality"], "гр. Кюстендил");
    assert_eq!(v["address"]["addressRegion"], "област Кюстендил");
    assert_eq!(v["containedInPlace"]["name"], "община Кюстендил");
    let lat = v["geo"]["latitude"].as_f64().unwrap();
    let lon = v["geo"]["longitude"].as_f64().unwrap();
    assert!((42.0..42.5).contains(&lat) && (22.5..23.0).contains(&lon));

    let service = app.store.services().await.unwrap();
    let published = service
        .iter()
        .find(|s| s.record.status.is_published())
        .unwrap();
    let v = json_ld(&app.get(&format!("/services/{}", published.id)).await.html());
    assert_eq!(v["@type"], "Service");
    assert_eq!(v["name"], published.record.card.name);
    assert_eq!(v["provider"]["@type"], "Library");

    let events = app.store.events().await.unwrap();
    let event = events.iter().find(|e| e.record.published).unwrap();
    let v = json_ld(&app.get(&format!("/events/{}", event.id)).await.html());
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["startDate"], event.record.starts.to_string());
    assert_eq!(v["location"]["@type"], "Place");
}

#[tokio::test]
async fn the_catalogue_lists_every_dataset_and_each_download_answers() {
    let app = App::demo().await;
    let a = app.get("/catalog.jsonld").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type().starts_with("application/ld+json"));
    let v = a.json();
    assert_eq!(v["@type"], "dcat:Catalog");
    assert_eq!(v["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert!(v["dct:modified"]["@value"].as_str().is_some());
    let datasets = v["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), lipa_web::pages::open_data::DATASETS.len());
    let page = app.get("/open-data").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.html();
    let page_links: BTreeSet<String> = select(&page, "[data-testid=datasets] a[data-format]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    let mut urls = BTreeSet::new();
    for d in datasets {
        assert_eq!(d["@type"], "dcat:Dataset");
        let langs: BTreeSet<&str> = d["dct:title"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["@language"].as_str().unwrap())
            .collect();
        assert_eq!(langs, BTreeSet::from(["bg", "en"]));
        assert_eq!(d["dct:description"].as_array().unwrap().len(), 2);
        assert!(
            d["dct:license"]["@id"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        assert_eq!(d["dct:modified"], v["dct:modified"]);
        let title_bg = d["dct:title"][0]["@value"].as_str().unwrap();
        assert!(
            page.root_element()
                .text()
                .collect::<String>()
                .contains(title_bg),
            "the page lists {title_bg}"
        );
        for dist in d["dcat:distribution"].as_array().unwrap() {
            assert_eq!(dist["@type"], "dcat:Distribution");
            let url = dist["dcat:downloadURL"]["@id"].as_str().unwrap();
            let path = url
                .strip_prefix(&format!("http://{HOST}"))
                .expect("an absolute URL on this site");
            let media = dist["dcat:mediaType"]["@id"]
                .as_str()
                .unwrap()
                .strip_prefix("http://www.iana.org/assignments/media-types/")
                .unwrap();
            let got = app.get(path).await;
            assert_eq!(got.status, StatusCode::OK, "{path}");
            let ct = got.content_type();
            assert_eq!(ct.split(';').next().unwrap().trim(), media, "{path}");
            assert!(!got.body.is_empty(), "{path}");
            assert!(page_links.contains(path), "the page links {path}");
            urls.insert(path.to_owned());
        }
    }
    assert_eq!(urls, page_links);
    // The files are what they say: the calendar holds the published event, the registry parses.
    let ics = String::from_utf8(app.get("/export/events.ics").await.body).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"));
    let reg = app.get("/export/registry.json").await.json();
    assert!(!reg["libraries"].as_array().unwrap().is_empty());
}
