//! `GET /api/v1/search` and the libraries list's search box, on the demo data: Latin finds
//! Cyrillic, word forms find each other, a write is found at once, and drafts and people stay
//! with those whose scope covers them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::ids::{CategoryCode, LibraryId, Year};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::user::Role;
use lipa_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

async fn send(state: &AppState, uri: &str, cookie: Option<&str>) -> (StatusCode, Vec<u8>) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

async fn get(state: &AppState, uri: &str, cookie: Option<&str>) -> (StatusCode, Value) {
    let (status, bytes) = send(state, uri, cookie).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A service of `library` in 2013, with what its status needs to be saved.
fn service(library: u32, status: ServiceStatus, name: &str) -> Service {
    Service {
        library: LibraryId::new(library).unwrap(),
        year: Year::new(2013).unwrap(),
        category: CategoryCode::parse("e-culture").unwrap(),
        status,
        volunteer_supported: false,
        volunteers: vec![],
        card: ServiceCard {
            name: name.into(),
            goal: "Снимки за спомен".into(),
            target_groups: vec!["Местна общност".into()],
            ..Default::default()
        },
        results: vec![],
    }
}

fn hits(body: &Value) -> Vec<(String, i64)> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_owned(),
                h["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn demo() -> (Store, AppState) {
    let store = lipa_search::eval::demo_store().await.unwrap();
    let state = lipa_web::testing::state(store.clone());
    (store, state)
}

#[tokio::test]
async fn latin_finds_the_kyustendil_libraries_with_snippets_and_facets() {
    let (_, state) = demo().await;
    let (status, body) = get(
        &state,
        "/api/v1/search?q=kiustendil&kind=library&limit=5",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found = hits(&body);
    assert_eq!(found.len(), 5);
    let mut top2: Vec<i64> = found[..2].iter().map(|(_, id)| *id).collect();
    top2.sort();
    assert_eq!(top2, [705, 714]);
    assert_eq!(body["total"], 18);
    let first = &body["hits"][0];
    assert!(
        first["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>Кюстендил</mark>")
    );
    assert_eq!(first["href"], format!("/libraries/{}", first["id"]));
    let kinds = body["facets"]["kinds"].as_array().unwrap();
    assert!(
        kinds
            .iter()
            .any(|k| k["value"] == "partner" && k["label"] == "Партньори")
    );
}

#[tokio::test]
async fn word_forms_find_the_fruit_growers_services() {
    let (_, state) = demo().await;
    let (_, body) = get(
        &state,
        "/api/v1/search?q=%D0%BE%D0%B2%D0%BE%D1%89%D0%B0%D1%80%D0%B8%D1%82%D0%B5",
        None,
    )
    .await; // овощарите
    let mut libraries: Vec<i64> = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "service")
        .map(|h| h["library_id"].as_i64().unwrap())
        .collect();
    libraries.sort();
    assert_eq!(libraries, [719, 720]);
    let categories = body["facets"]["categories"].as_array().unwrap();
    assert_eq!(categories[0]["value"], "e-business");
    assert_eq!(categories[0]["label"], "Е-бизнес");
}

#[tokio::test]
async fn a_new_draft_is_found_at_once_by_its_library_and_never_by_the_public() {
    let (store, state) = demo().await;
    // Search once so that the index is built before the write.
    get(&state, "/api/v1/search?q=Zhilentsi", None).await;
    let draft = service(708, ServiceStatus::Draft, "Виртуална разходка из селото");
    let saved = store.create(&Actor("test".into()), &draft).await.unwrap();
    let uri = "/api/v1/search?q=virtualna%20razhodka";
    let has_draft = |body: &Value| hits(body).contains(&("service".to_owned(), saved.id.get()));

    let (_, public) = get(&state, uri, None).await;
    assert!(!has_draft(&public), "{public}");
    let other = lipa_web::testing::sign_in(
        &store,
        Role::Librarian {
            library: LibraryId::new(705).unwrap(),
        },
    )
    .await;
    let (_, body) = get(&state, uri, Some(&other)).await;
    assert!(!has_draft(&body), "{body}");
    let own = lipa_web::testing::sign_in(
        &store,
        Role::Librarian {
            library: LibraryId::new(708).unwrap(),
        },
    )
    .await;
    let (_, body) = get(&state, uri, Some(&own)).await;
    assert!(has_draft(&body), "{body}");
}

#[tokio::test]
async fn people_are_found_only_in_scope() {
    let (store, state) = demo().await;
    let uri = "/api/v1/search?q=%D0%92%D0%B5%D0%BB%D0%B8%D1%87%D0%BA%D0%B0%20%D0%94%D0%B8%D0%BC%D0%B8%D1%82%D1%80%D0%BE%D0%B2%D0%B0"; // Величка Димитрова
    let people = |body: &Value| hits(body).iter().filter(|(k, _)| k == "person").count();
    let (_, body) = get(&state, uri, None).await;
    assert_eq!(people(&body), 0, "{body}");
    assert!(
        hits(&body).iter().any(|(k, _)| k == "event"),
        "the published event names her"
    );
    assert!(
        !body["facets"]["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["value"] == "person")
    );
    let viewer = lipa_web::testing::sign_in(&store, Role::Viewer).await;
    assert_eq!(people(&get(&state, uri, Some(&viewer)).await.1), 0);
    let admin = lipa_web::testing::sign_in(&store, Role::Admin).await;
    assert_eq!(people(&get(&state, uri, Some(&admin)).await.1), 1);
}

#[tokio::test]
async fn the_libraries_list_searches_with_the_same_index() {
    let (_, state) = demo().await;
    let ids = |body: &Value| -> Vec<i64> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let (_, body) = get(&state, "/api/v1/libraries?q=ovoshtari", None).await;
    assert_eq!(ids(&body), [719, 720], "through their services");
    let (_, body) = get(&state, "/api/v1/libraries?q=kjustendil", None).await;
    assert!(ids(&body).contains(&705) && ids(&body).contains(&714));
    let (_, body) = get(&state, "/api/v1/libraries?q=nothing-like-it", None).await;
    assert!(ids(&body).is_empty());
}

#[tokio::test]
async fn bad_parameters_are_problems() {
    let (_, state) = demo().await;
    for uri in [
        "/api/v1/search?q=x&kind=book",
        "/api/v1/search?q=x&limit=0",
        "/api/v1/search?q=x&limit=1000",
    ] {
        let (status, body) = get(&state, uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["status"], 400);
    }
    let (status, body) = get(&state, "/api/v1/search", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn facet_counts_equal_the_hits_of_each_kind() {
    let (_, state) = demo().await;
    for q in ["Кюстендил", "kiustendil", "здраве", "библиотека"] {
        let uri = format!("/api/v1/search?q={}&limit=100", urlencode(q));
        let (status, body) = get(&state, &uri, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let total = body["total"].as_u64().unwrap();
        assert!(total > 0 && total <= 100, "{q}: {total}");
        let mut per_kind: std::collections::BTreeMap<String, u64> = Default::default();
        for (kind, _) in hits(&body) {
            *per_kind.entry(kind).or_default() += 1;
        }
        let facets: std::collections::BTreeMap<String, u64> = body["facets"]["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["value"].as_str().unwrap().to_owned(),
                    f["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(facets, per_kind, "{q}");
        assert_eq!(per_kind.values().sum::<u64>(), total, "{q}");
        // A kind filter narrows the hits, not the counts.
        let (_, services) = get(&state, &format!("{uri}&kind=service"), None).await;
        assert_eq!(services["facets"]["kinds"], body["facets"]["kinds"], "{q}");
        assert_eq!(
            services["total"].as_u64().unwrap(),
            per_kind.get("service").copied().unwrap_or(0),
            "{q}"
        );
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_write_is_searchable_within_a_second_without_a_search_to_catch_up() {
    let (store, state) = demo().await;
    let index = state.app.search_index().clone();
    let query = lipa_search::Query::new("фотоателие");
    // The server's background task builds the index first (not what is timed).
    let started = std::time::Instant::now();
    while index.num_docs() == 0 {
        assert!(started.elapsed().as_secs() < 30, "the index is never built");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = index.search(&query).unwrap();
    assert!(
        before
            .hits
            .iter()
            .all(|h| h.kind != lipa_search::Kind::Service)
    );
    let new = service(3069, ServiceStatus::Active, "Фотоателие на читалището");
    let written = std::time::Instant::now();
    let saved = store.create(&Actor("test".into()), &new).await.unwrap();
    // The index is asked directly: no search through the web catches it up.
    loop {
        let found = index.search(&query).unwrap();
        if found
            .hits
            .iter()
            .any(|h| h.kind == lipa_search::Kind::Service && h.id == saved.id.get())
        {
            break;
        }
        assert!(
            written.elapsed() < std::time::Duration::from_secs(1),
            "not searchable after {:?}",
            written.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(written.elapsed() < std::time::Duration::from_secs(1));
}

async fn page(state: &AppState, uri: &str) -> (StatusCode, scraper::Html) {
    let (status, bytes) = send(state, uri, None).await;
    (
        status,
        scraper::Html::parse_document(&String::from_utf8_lossy(&bytes)),
    )
}

fn select<'a>(html: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_search_page_finds_every_kind_as_the_api_does() {
    let (_, state) = demo().await;
    let (status, html) = page(&state, "/search?q=kiustendil").await;
    assert_eq!(status, StatusCode::OK);
    let links: Vec<String> = select(&html, ".search-hit .search-title a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    let (_, api) = get(&state, "/api/v1/search?q=kiustendil&limit=50", None).await;
    let api_links: Vec<String> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["href"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(links, api_links, "the page and the API search alike");
    assert!(links.contains(&"/libraries/705".to_owned()));
    assert!(links.iter().any(|l| l.starts_with("/partners/")));
    // Kind labels, marked snippets, facet links that filter by kind.
    let kinds: Vec<String> = select(&html, ".search-kind").iter().map(text).collect();
    assert!(kinds.contains(&"Библиотека".to_owned()), "{kinds:?}");
    assert!(
        select(&html, ".search-snippet mark")
            .iter()
            .any(|m| text(m) == "Кюстендил")
    );
    let facet = select(&html, ".search-kinds a")
        .into_iter()
        .find(|a| text(a).starts_with("Библиотеки"))
        .expect("a library facet");
    let href = facet.value().attr("href").unwrap().to_owned();
    assert_eq!(href, "/search?q=kiustendil&kind=library");
    let (_, only) = page(&state, &href).await;
    let titles = select(&only, ".search-hit");
    assert!(!titles.is_empty());
    assert!(
        select(&only, ".search-kind")
            .iter()
            .all(|k| text(k) == "Библиотека")
    );
    assert!(!select(&only, ".facet-clear").is_empty());
}

#[tokio::test]
async fn the_search_page_says_when_nothing_is_found_and_escapes_the_query() {
    let (_, state) = demo().await;
    let (status, html) = page(&state, "/search?q=%3Cscript%3Exyzzy%3C%2Fscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(select(&html, ".search-hit").is_empty());
    let empty = select(&html, ".search-empty");
    assert_eq!(empty.len(), 1);
    assert!(text(&empty[0]).contains("„<script>xyzzy</script>“"));
    assert!(
        select(&html, "main script").is_empty(),
        "the query is text, not HTML"
    );
    // Every page has the search box: a GET form to /search.
    let (_, home) = page(&state, "/").await;
    let form = select(&home, "header form[role=search]");
    assert_eq!(form.len(), 1);
    assert_eq!(form[0].value().attr("action"), Some("/search"));
    assert_eq!(form[0].value().attr("method"), Some("get"));
    // No query: the form and a lead, no results section.
    let (status, blank) = page(&state, "/search").await;
    assert_eq!(status, StatusCode::OK);
    assert!(select(&blank, ".results").is_empty());
}

#[tokio::test]
async fn the_search_page_shows_record_text_as_text() {
    let (store, state) = demo().await;
    let mut s = service(3069, ServiceStatus::Active, "Фотоархив на селото");
    s.card.goal = "<img src=x onerror=alert(1)> Снимки & спомени на фотографите".into();
    store.create(&Actor("test".into()), &s).await.unwrap();
    let (_, html) = page(
        &state,
        "/search?q=%D1%84%D0%BE%D1%82%D0%BE%D0%B3%D1%80%D0%B0%D1%84",
    )
    .await; // фотограф
    let snippets = select(&html, ".search-snippet");
    assert!(!snippets.is_empty());
    assert!(select(&html, ".search-snippet img").is_empty());
    let all: String = snippets.iter().map(text).collect();
    assert!(all.contains("onerror=alert(1)> Снимки"), "{all}");
    assert!(all.contains("Снимки & спомени"), "{all}");
    assert!(!select(&html, ".search-snippet mark").is_empty());
}

#[tokio::test]
async fn nothing_found_suggests_public_words_as_links_on_the_page_and_in_the_api() {
    let (_, state) = demo().await;
    let (status, api) = get(
        &state,
        "/api/v1/search?q=%D0%91%D1%83%D0%B1%D0%BE%D1%88%D0%B5%D1%84%D0%BE&kind=library",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api["total"], 0, "{api}");
    let first = &api["suggestions"][0];
    assert_eq!(first["q"], "бобошево", "{api}");
    let href = first["href"].as_str().unwrap();
    assert!(href.starts_with("/api/v1/search?q="), "{href}");
    let (_, followed) = get(&state, href, None).await;
    assert!(
        hits(&followed).contains(&("library".to_owned(), 732)),
        "{followed}"
    );
    // A search that finds something suggests nothing.
    let (_, found) = get(&state, "/api/v1/search?q=Bobo", None).await;
    assert_eq!(found["suggestions"], serde_json::json!([]));

    for (lang, lead) in [("bg", "Може би търсите"), ("en", "Did you mean")] {
        let (_, bytes) = send(
            &state,
            "/search?q=%D0%91%D1%83%D0%B1%D0%BE%D1%88%D0%B5%D1%84%D0%BE",
            Some(&format!("lang={lang}")),
        )
        .await;
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let p = select(&html, ".search-suggestions");
        assert_eq!(p.len(), 1, "{lang}");
        assert!(text(&p[0]).starts_with(lead), "{lang}: {}", text(&p[0]));
        let links = select(&html, ".search-suggestions a");
        assert_eq!(text(&links[0]), "бобошево");
        let href = links[0].value().attr("href").unwrap().to_owned();
        assert_eq!(
            href,
            "/search?q=%D0%B1%D0%BE%D0%B1%D0%BE%D1%88%D0%B5%D0%B2%D0%BE"
        );
        let (_, page2) = page(&state, &href).await;
        assert!(!select(&page2, ".search-hit").is_empty());
    }
}

#[tokio::test]
async fn category_counts_are_links_that_filter() {
    let (_, state) = demo().await;
    let (_, html) = page(&state, "/search?q=Kyustendil").await;
    let links = select(&html, ".search-categories a");
    assert!(!links.is_empty(), "category counts are links");
    let href = links[0].value().attr("href").unwrap().to_owned();
    assert!(
        href.contains("kind=service") && href.contains("category="),
        "{href}"
    );
    let (_, only) = page(&state, &href).await;
    assert!(!select(&only, ".search-hit").is_empty());
    assert!(
        select(&only, ".search-kind")
            .iter()
            .all(|k| text(k) == "Услуга")
    );
    assert_eq!(
        select(&only, ".search-categories strong[aria-current]").len(),
        1
    );
    let code = href.split("category=").nth(1).unwrap().to_owned();
    let (_, api) = get(
        &state,
        &format!("/api/v1/search?q=Kyustendil&category={code}&limit=100"),
        None,
    )
    .await;
    let n = api["hits"].as_array().unwrap().len();
    assert_eq!(select(&only, ".search-hit").len(), n);
    assert!(
        api["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "service")
    );
}

#[tokio::test]
async fn an_anonymous_search_is_not_steered_by_a_draft_but_its_coordinator_is() {
    let (store, state) = demo().await;
    get(&state, "/api/v1/search?q=Zhilentsi", None).await;
    let draft = service(708, ServiceStatus::Draft, "Кракотайна из селото");
    let saved = store.create(&Actor("test".into()), &draft).await.unwrap();
    // „Кракотойна“: a typo of the draft's unique word.
    let uri = "/api/v1/search?q=%D0%9A%D1%80%D0%B0%D0%BA%D0%BE%D1%82%D0%BE%D0%B9%D0%BD%D0%B0";
    let (_, public) = get(&state, uri, None).await;
    assert_eq!(public["total"], 0, "{public}");
    assert!(!public.to_string().contains("кракотайна"), "{public}");
    let coordinator = lipa_web::testing::sign_in(
        &store,
        Role::Coordinator {
            district: lipa_core::ids::DistrictCode::parse("KNL").unwrap(),
        },
    )
    .await;
    let (_, own) = get(&state, uri, Some(&coordinator)).await;
    assert!(
        hits(&own).contains(&("service".to_owned(), saved.id.get())),
        "{own}"
    );
}

#[tokio::test]
async fn a_thousand_word_query_is_answered() {
    let (_, state) = demo().await;
    let q = urlencode(&"библиотека kiustendil xyzzy ".repeat(350));
    let (status, body) = get(&state, &format!("/api/v1/search?q={q}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = page(&state, &format!("/search?q={q}")).await;
    assert_eq!(status, StatusCode::OK);
}
