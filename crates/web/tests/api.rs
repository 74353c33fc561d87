//! The JSON API under `/api/v1`, on the demo data (the Kyustendil 2012 report): the libraries
//! list with the pages' filters, facets and cursor paging; ETags and conditional writes;
//! permissions (401, 403, hidden drafts, hidden contacts); problem+json errors in the request's
//! language; and the OpenAPI document — snapshot-tested, and every path in it answering.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::ids::{CategoryCode, LibraryId, Year};
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::user::Role;
use lipa_web::router;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A fresh in-memory store with the demo data.
async fn demo_store() -> Store {
    let store = Store::open_test().await.unwrap();
    lipa_web::testing::load_demo(&store).await;
    store
}

/// An API token for a new user with `role`: the `Authorization` header value.
async fn token(store: &Store, role: Role) -> String {
    lipa_web::testing::api_token(store, role).await
}

fn librarian(id: u32) -> Role {
    Role::Librarian {
        library: LibraryId::new(id).unwrap(),
    }
}

/// What a request answered.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    fn assert_problem(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.header(header::CONTENT_TYPE),
            "application/problem+json"
        );
        assert_eq!(self.body["status"], status.as_u16());
        assert!(
            self.body["type"]
                .as_str()
                .unwrap()
                .starts_with("tag:lipa,2026:problem:")
        );
        assert!(!self.body["title"].as_str().unwrap().is_empty());
        assert!(!self.body["detail"].as_str().unwrap().is_empty());
    }
}

/// A request builder over the router in process.
struct Call {
    req: axum::http::request::Builder,
    body: Body,
}

fn call(method: Method, uri: &str) -> Call {
    Call {
        req: Request::builder().method(method).uri(uri),
        body: Body::empty(),
    }
}

impl Call {
    fn auth(mut self, value: &str) -> Self {
        self.req = self.req.header(header::AUTHORIZATION, value);
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.req = self.req.header(name, value);
        self
    }

    fn json(mut self, value: &Value) -> Self {
        self.req = self.req.header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(value.to_string());
        self
    }

    fn raw(mut self, content_type: &str, body: &str) -> Self {
        self.req = self.req.header(header::CONTENT_TYPE, content_type);
        self.body = Body::from(body.to_owned());
        self
    }

    async fn send(self, store: &Store) -> Answer {
        let req = self.req.body(self.body).unwrap();
        let res = router(lipa_web::testing::state(store.clone()))
            .oneshot(req)
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Answer {
            status,
            headers,
            body,
        }
    }
}

async fn get(store: &Store, uri: &str) -> Answer {
    call(Method::GET, uri).send(store).await
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn libraries_list_takes_the_pages_filters_and_counts_facets() {
    let store = demo_store().await;
    let a = get(
        &store,
        "/api/v1/libraries?municipality=KNL29&category=e-health",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(ids(&a.body), [708, 723], "Жиленци and Таваличево");
    assert_eq!(a.body["total"], 2);
    assert_eq!(a.body["next_cursor"], Value::Null);
    assert_eq!(a.body["items"][0]["services"], 1);
    assert_eq!(a.body["items"][0]["municipality"], "KNL29");
    let facets = a.body["facets"].as_array().unwrap();
    let facet = |name: &str| {
        facets
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("facet {name}"))
    };
    // Disjunctive: the category facet counts the other categories within the municipality.
    let categories = facet("category")["values"].as_array().unwrap();
    let health = categories
        .iter()
        .find(|v| v["value"] == "e-health")
        .unwrap();
    assert_eq!(health["count"], 2);
    assert!(categories.len() > 1);
    assert!(!health["label"].as_str().unwrap().is_empty());
    let municipalities = facet("municipality")["values"].as_array().unwrap();
    assert!(
        municipalities
            .iter()
            .any(|v| v["value"] == "KNL29" && v["count"] == 2)
    );
    for name in ["district", "kind", "group", "volunteers", "year", "status"] {
        facet(name);
    }

    let gap = get(&store, "/api/v1/libraries?has=no").await;
    assert_eq!(ids(&gap.body), [732, 764, 3069], "the seed's coverage gap");
    let found = get(&store, "/api/v1/libraries?q=zhilentsi").await;
    assert_eq!(ids(&found.body), [708], "Latin finds Cyrillic");
}

#[tokio::test]
async fn cursor_pagination_walks_every_library_once() {
    let store = demo_store().await;
    let mut seen = Vec::new();
    let mut uri = "/api/v1/libraries?limit=5&sort=name".to_owned();
    let mut pages = 0;
    loop {
        let a = get(&store, &uri).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.body["total"], 18);
        seen.extend(ids(&a.body));
        pages += 1;
        match a.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/libraries?limit=5&sort=name&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 18);
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 18);

    // The keyset lists walk the same way.
    let mut services = Vec::new();
    let mut uri = "/api/v1/services?limit=4".to_owned();
    loop {
        let a = get(&store, &uri).await;
        services.extend(ids(&a.body));
        match a.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/services?limit=4&cursor={c}"),
            None => break,
        }
    }
    let all = get(&store, "/api/v1/services?limit=200").await;
    assert_eq!(services, ids(&all.body));
    assert_eq!(services.len() as i64, all.body["total"].as_i64().unwrap());

    get(&store, "/api/v1/libraries?limit=201")
        .await
        .assert_problem(StatusCode::BAD_REQUEST);
    for cursor in ["not-ours", "", "a5"] {
        get(&store, &format!("/api/v1/libraries?cursor={cursor}"))
            .await
            .assert_problem(StatusCode::BAD_REQUEST);
    }
    let bad = get(&store, "/api/v1/libraries?district=knl").await;
    bad.assert_problem(StatusCode::BAD_REQUEST);
    assert!(bad.body["detail"].as_str().unwrap().contains("district"));
}

#[tokio::test]
async fn a_record_carries_its_version_as_etag() {
    let store = demo_store().await;
    let a = get(&store, "/api/v1/libraries/705").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::ETAG), "\"1\"");
    assert_eq!(a.body["id"], 705);
    assert_eq!(a.body["version"], 1);
    assert_eq!(a.body["kind"], "regional");
    assert_eq!(a.body["district"], "KNL");
    get(&store, "/api/v1/libraries/999")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    get(&store, "/api/v1/libraries/abc")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let s = get(&store, "/api/v1/settlements/41112").await;
    assert_eq!(s.body["name_bg"], "Кюстендил");
    assert!(s.header(header::ETAG).starts_with("\"g"));
}

#[tokio::test]
async fn changes_need_if_match_and_a_stale_one_changes_nothing() {
    let store = demo_store().await;
    let admin = token(&store, Role::Admin).await;
    let mut body = get(&store, "/api/v1/libraries/705").await.body;
    body["name"] = json!("Регионална библиотека – ново име");

    let a = call(Method::PUT, "/api/v1/libraries/705")
        .auth(&admin)
        .json(&body)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::PRECONDITION_REQUIRED);

    let a = call(Method::PUT, "/api/v1/libraries/705")
        .auth(&admin)
        .header("if-match", "\"7\"")
        .json(&body)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::PRECONDITION_FAILED);
    let after = get(&store, "/api/v1/libraries/705").await;
    assert_eq!(after.body["version"], 1);
    assert_ne!(after.body["name"], body["name"]);

    // A weak tag, or one with a comma inside, names no version; a header that is no list of
    // tags is malformed.
    for (tag, status) in [
        ("W/\"1\"", StatusCode::PRECONDITION_FAILED),
        ("\"1,0\"", StatusCode::PRECONDITION_FAILED),
        ("1", StatusCode::BAD_REQUEST),
    ] {
        let a = call(Method::PUT, "/api/v1/libraries/705")
            .auth(&admin)
            .header("if-match", tag)
            .json(&body)
            .send(&store)
            .await;
        a.assert_problem(status);
    }
    let a = call(Method::PUT, "/api/v1/libraries/705")
        .auth(&admin)
        .header("if-match", "\"9\", \"1\"")
        .json(&body)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.header(header::ETAG), "\"2\"");
    assert_eq!(a.body["name"], body["name"]);

    // The old version is now stale for deletion too.
    let a = call(Method::DELETE, "/api/v1/libraries/705")
        .auth(&admin)
        .header("if-match", "\"1\"")
        .send(&store)
        .await;
    a.assert_problem(StatusCode::PRECONDITION_FAILED);
    let a = call(Method::DELETE, "/api/v1/libraries/705")
        .auth(&admin)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(
        get(&store, "/api/v1/libraries/705").await.status,
        StatusCode::OK
    );
    let a = call(Method::DELETE, "/api/v1/libraries/705")
        .auth(&admin)
        .header("if-match", "\"2\"")
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    get(&store, "/api/v1/libraries/705")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn writes_need_credentials_and_scope_and_a_refusal_changes_nothing() {
    let store = demo_store().await;
    let before = get(&store, "/api/v1/libraries/705").await.body;

    let anonymous = call(Method::POST, "/api/v1/libraries")
        .json(&before)
        .send(&store)
        .await;
    anonymous.assert_problem(StatusCode::UNAUTHORIZED);
    assert!(
        anonymous
            .header(header::WWW_AUTHENTICATE)
            .starts_with("Bearer")
    );

    let revoked = get(&store, "/api/v1/libraries").await;
    assert_eq!(revoked.status, StatusCode::OK);
    call(Method::GET, "/api/v1/libraries")
        .auth("Bearer not-a-token")
        .send(&store)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    let lib732 = token(&store, librarian(732)).await;
    let mut changed = before.clone();
    changed["name"] = json!("Чуждо име");
    let a = call(Method::PUT, "/api/v1/libraries/705")
        .auth(&lib732)
        .header("if-match", "\"1\"")
        .json(&changed)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    assert_eq!(get(&store, "/api/v1/libraries/705").await.body, before);

    // Their own library they may change; a librarian creates no libraries.
    let mut own = get(&store, "/api/v1/libraries/732").await.body;
    own["contacts"]["phone"] = json!("0700 123");
    let a = call(Method::PUT, "/api/v1/libraries/732")
        .auth(&lib732)
        .header("if-match", "\"1\"")
        .json(&own)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut new = before.clone();
    new["id"] = json!(9001);
    new["coordinator"] = json!(false);
    let a = call(Method::POST, "/api/v1/libraries")
        .auth(&lib732)
        .json(&new)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    get(&store, "/api/v1/libraries/9001")
        .await
        .assert_problem(StatusCode::NOT_FOUND);

    // The district's coordinator creates one; a second with the same ID conflicts.
    let knl = token(
        &store,
        Role::Coordinator {
            district: "KNL".parse().unwrap(),
        },
    )
    .await;
    let a = call(Method::POST, "/api/v1/libraries")
        .auth(&knl)
        .json(&new)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.header(header::LOCATION), "/api/v1/libraries/9001");
    let a = call(Method::POST, "/api/v1/libraries")
        .auth(&knl)
        .json(&new)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::CONFLICT);

    // A viewer reads but writes nothing.
    let viewer = token(&store, Role::Viewer).await;
    let a = call(Method::DELETE, "/api/v1/libraries/732")
        .auth(&viewer)
        .header("if-match", "\"2\"")
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
}

fn service_body(library: u32, name: &str) -> Value {
    json!({
        "library": library,
        "year": 2013,
        "category": "e-skills",
        "status": "planned",
        "volunteer_supported": true,
        "card": {
            "name": name,
            "goal": "Компютърна грамотност за възрастни",
            "target_groups": ["Пенсионери"],
            "activities": [{"title": "Обучение", "starts": "2013-03-01", "ends": "2013-05-31"}],
            "budget": [{"label": "Хартия", "amount": {"minor": 5000, "currency": "BGN"}}]
        }
    })
}

#[tokio::test]
async fn admin_creates_a_service_and_invalid_ones_get_field_errors_in_the_readers_language() {
    let store = demo_store().await;
    let admin = token(&store, Role::Admin).await;
    let a = call(Method::POST, "/api/v1/services")
        .auth(&admin)
        .json(&service_body(708, "Компютри за всички"))
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let location = a.header(header::LOCATION).to_owned();
    assert_eq!(location, format!("/api/v1/services/{}", a.body["id"]));
    assert_eq!(a.header(header::ETAG), "\"1\"");
    let back = get(&store, &location).await;
    assert_eq!(back.body["card"]["name"], "Компютри за всички");
    assert_eq!(back.body["card"]["budget"][0]["amount"]["minor"], 5000);

    let a = call(Method::POST, "/api/v1/services")
        .auth(&admin)
        .header("accept-language", "bg")
        .json(&service_body(708, "  "))
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.header(header::CONTENT_LANGUAGE), "bg");
    let errors = a.body["errors"].as_array().unwrap();
    let name = errors
        .iter()
        .find(|e| e["field"] == "card.name")
        .expect("card.name is reported");
    assert_eq!(name["code"], "err-required");
    assert!(
        name["message"].as_str().unwrap().contains("задължително"),
        "{name}"
    );

    let a = call(Method::POST, "/api/v1/services")
        .auth(&admin)
        .header("accept-language", "en")
        .json(&service_body(708, ""))
        .send(&store)
        .await;
    assert!(
        a.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("required")
    );

    // A missing field is named by its path, an unknown library by its rule.
    let mut missing = service_body(708, "x");
    missing["card"].as_object_mut().unwrap().remove("name");
    let a = call(Method::POST, "/api/v1/services")
        .auth(&admin)
        .json(&missing)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["errors"][0]["field"], "card.name");
    let a = call(Method::POST, "/api/v1/services")
        .auth(&admin)
        .json(&service_body(9999, "x"))
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["errors"][0]["field"], "library");

    // A librarian writes services of their own library only.
    let lib732 = token(&store, librarian(732)).await;
    let a = call(Method::POST, "/api/v1/services")
        .auth(&lib732)
        .json(&service_body(708, "Чужда"))
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    let a = call(Method::POST, "/api/v1/services")
        .auth(&lib732)
        .json(&service_body(732, "Своя"))
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
}

#[tokio::test]
async fn drafts_are_invisible_to_those_who_may_not_see_them() {
    let store = demo_store().await;
    let draft = Service {
        library: LibraryId::new(708).unwrap(),
        year: Year::new(2013).unwrap(),
        category: CategoryCode::parse("e-health").unwrap(),
        status: ServiceStatus::Draft,
        volunteer_supported: false,
        volunteers: vec![],
        card: ServiceCard {
            name: "Чернова".into(),
            ..Default::default()
        },
        results: vec![],
    };
    let id = store
        .create(&Actor("test".into()), &draft)
        .await
        .unwrap()
        .id;
    let uri = format!("/api/v1/services/{id}");

    get(&store, &uri)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let listed = get(&store, "/api/v1/services?library=708&limit=200").await;
    assert!(!ids(&listed.body).contains(&id.get()));
    let viewer = token(&store, Role::Viewer).await;
    call(Method::GET, &uri)
        .auth(&viewer)
        .send(&store)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let other = token(&store, librarian(732)).await;
    call(Method::GET, &uri)
        .auth(&other)
        .send(&store)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    // Changing a draft one may not see is a 404 too, not a 403 that would reveal it.
    let a = call(Method::PUT, &uri)
        .auth(&other)
        .header("if-match", "\"1\"")
        .json(&service_body(708, "x"))
        .send(&store)
        .await;
    a.assert_problem(StatusCode::NOT_FOUND);

    let own = token(&store, librarian(708)).await;
    let a = call(Method::GET, &uri).auth(&own).send(&store).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], "draft");
    let listed = call(Method::GET, "/api/v1/services?status=draft")
        .auth(&own)
        .send(&store)
        .await;
    assert_eq!(ids(&listed.body), [id.get()]);
    let admin = token(&store, Role::Admin).await;
    assert_eq!(
        call(Method::GET, &uri)
            .auth(&admin)
            .send(&store)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn persons_contacts_are_hidden_from_those_out_of_scope() {
    let store = demo_store().await;
    let person = Person {
        name: "Мария Иванова".into(),
        position: "библиотекар".into(),
        organisation: "НЧ „Димитър Каляшки 1920“".into(),
        partner_id: None,
        library: Some(LibraryId::new(708).unwrap()),
        contacts: PersonalContacts {
            email: "maria@example.org".into(),
            phone: "0888 000 000".into(),
        },
    };
    let id = store
        .create(&Actor("test".into()), &person)
        .await
        .unwrap()
        .id;
    let uri = format!("/api/v1/persons/{id}");

    // In no published record: the public does not learn that she exists, by ID or in a list.
    let a = get(&store, &uri).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(!a.body.to_string().contains("maria@example.org"));
    let list = get(&store, "/api/v1/persons?limit=200").await;
    assert!(!list.body.to_string().contains("Мария Иванова"));
    assert!(!list.body.to_string().contains("maria@example.org"));

    let other = token(&store, librarian(732)).await;
    let a = call(Method::GET, &uri).auth(&other).send(&store).await;
    assert!(a.body.get("contacts").is_none());
    for role in [
        librarian(708),
        Role::Admin,
        Role::Coordinator {
            district: "KNL".parse().unwrap(),
        },
    ] {
        let t = token(&store, role).await;
        let a = call(Method::GET, &uri).auth(&t).send(&store).await;
        assert_eq!(a.body["contacts"]["email"], "maria@example.org");
    }
}

#[tokio::test]
async fn errors_under_the_api_are_problems() {
    let store = demo_store().await;
    get(&store, "/api/v1/no-such-thing")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    get(&store, "/api/v1/libraries/705/nothing")
        .await
        .assert_problem(StatusCode::NOT_FOUND);

    let a = call(Method::PATCH, "/api/v1/libraries").send(&store).await;
    a.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.header(header::ALLOW).contains("GET"));

    let admin = token(&store, Role::Admin).await;
    let a = call(Method::POST, "/api/v1/partners")
        .auth(&admin)
        .raw("text/plain", "{}")
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let a = call(Method::POST, "/api/v1/partners")
        .auth(&admin)
        .header("accept-language", "en")
        .raw("application/json", "{\"name\": ")
        .send(&store)
        .await;
    a.assert_problem(StatusCode::BAD_REQUEST);
    let detail = a.body["detail"].as_str().unwrap();
    assert!(detail.contains("line 1"), "{detail}");
    assert!(
        !detail.contains("EOF"),
        "serde's own words stay inside: {detail}"
    );

    let a = call(Method::POST, "/api/v1/partners")
        .auth(&admin)
        .json(&json!({"name": 5, "kind": "media"}))
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["errors"][0]["field"], "name");
    assert_eq!(a.body["errors"][0]["code"], "api-err-json-type");

    let a = call(Method::POST, "/api/v1/partners")
        .auth(&admin)
        .json(&json!({"name": "РИОСВ", "kind": "media"}))
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);

    // The HTML pages keep their own 404.
    let page = get(&store, "/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn the_district_table_is_the_seeds() {
    let store = demo_store().await;
    let a = get(
        &store,
        "/api/v1/reports/district-table?district=KNL&year=2012",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let rows = a.body["rows"].as_array().unwrap();
    let order: Vec<i64> = rows
        .iter()
        .map(|r| r["library"].as_i64().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            732, 734, 737, 739, 764, 763, 705, 714, 719, 722, 708, 720, 3007, 723, 707, 754, 759,
            3069
        ]
    );
    assert_eq!(rows[0]["service"], Value::Null);
    assert_eq!(rows[10]["settlement_name"], "с. Жиленци");
    assert_eq!(rows[10]["service"]["category_name"], "Е-здраве");
    assert_eq!(rows[10]["service"]["target_groups"][0], "Местна общност");
    get(&store, "/api/v1/reports/district-table?district=KNL")
        .await
        .assert_problem(StatusCode::BAD_REQUEST);
    get(
        &store,
        "/api/v1/reports/district-table?district=XXX&year=2012",
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
    let counts = get(&store, "/api/v1/reports/counts").await;
    assert_eq!(counts.body["libraries"], 18);
    assert_eq!(counts.body["libraries_without_service"], 3);
}

#[tokio::test]
async fn openapi_document_is_stable() {
    let store = Store::open_test().await.unwrap();
    let a = get(&store, "/api/v1/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", a.body);
}

/// Every path of the document answers: reads with 200 on the demo data, writes without
/// credentials with 401 (so the route exists and is guarded).
#[tokio::test]
async fn every_path_in_the_document_answers() {
    let store = demo_store().await;
    let doc = get(&store, "/api/v1/openapi.json").await.body;
    let first = |list: &str| {
        let store = store.clone();
        let list = list.to_owned();
        async move {
            get(&store, &format!("/api/v1/{list}?limit=1")).await.body["items"][0]["id"]
                .as_i64()
                .unwrap()
        }
    };
    let service = first("services").await.to_string();
    let partner = first("partners").await.to_string();
    let person = first("persons").await.to_string();
    let event = first("events").await.to_string();
    let activity = store
        .create(
            &Actor("test".into()),
            &lipa_core::activity_log::ActivityEntry {
                service_id: service.parse().unwrap(),
                date: jiff::civil::date(2012, 10, 4),
                kind: lipa_core::activity_log::ActivityKind::Event,
                hours: 1.0,
                volunteers: 0,
                volunteer_hours: 0.0,
                reached: vec![],
                note: String::new(),
            },
        )
        .await
        .unwrap()
        .id
        .to_string();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 18, "{:?}", paths.keys());
    for (path, ops) in paths {
        let id = match path.split('/').nth(3).unwrap() {
            "libraries" => "705",
            "services" => &service,
            "partners" => &partner,
            "persons" => &person,
            "events" => &event,
            "activities" => &activity,
            _ => "",
        };
        let uri = path
            .replace("{id}", id)
            .replace(
                "{code}",
                if path.starts_with("/api/v1/districts") {
                    "KNL"
                } else {
                    "KNL29"
                },
            )
            .replace("{ekatte}", "41112");
        let uri = if path.ends_with("district-table") {
            format!("{uri}?district=KNL&year=2012")
        } else {
            uri
        };
        for method in ops.as_object().unwrap().keys() {
            let m: Method = method.to_uppercase().parse().unwrap();
            let mut c = call(m.clone(), &uri);
            if m != Method::GET {
                c = c.json(&json!({}));
            }
            let a = c.send(&store).await;
            let expected = if m == Method::GET {
                StatusCode::OK
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(a.status, expected, "{method} {uri}: {}", a.body);
        }
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary_with_its_own_policy() {
    let store = Store::open_test().await.unwrap();
    let a = get(&store, "/api/docs/").await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.body.as_str().unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "no CDN: {html}");
    let csp = a.header(header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("style-src 'self' 'unsafe-inline'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let init = get(&store, "/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.body.as_str().unwrap().contains("/api/v1/openapi.json"));
    // Pages keep the strict site policy.
    let home = get(&store, "/").await;
    assert!(
        !home
            .header(header::CONTENT_SECURITY_POLICY)
            .contains("unsafe-inline")
    );
}

#[tokio::test]
async fn a_write_signed_in_by_the_session_cookie_needs_its_csrf_token() {
    let store = demo_store().await;
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, Role::Admin).await;
    let partners = store.partners().await.unwrap().len();
    let body = json!({"name": "Читалищен съвет", "kind": "media"});
    // The cookie alone: what another site can make a browser send. Refused, nothing written.
    let a = call(Method::POST, "/api/v1/partners")
        .header("cookie", &cookie)
        .json(&body)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    let a = call(Method::POST, "/api/v1/partners")
        .header("cookie", &cookie)
        .header("x-csrf-token", "not-the-token")
        .json(&body)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    assert_eq!(store.partners().await.unwrap().len(), partners);
    // With the session's token the write goes through; reads need none.
    let a = call(Method::POST, "/api/v1/partners")
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(store.partners().await.unwrap().len(), partners + 1);
    let a = call(Method::GET, "/api/v1/partners")
        .header("cookie", &cookie)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::OK);
}

/// The activity log of a service: created under the service by its librarian, read by whoever
/// sees the service, changed and deleted under `If-Match`; another library's librarian is
/// refused and a draft's log does not exist for the public.
#[tokio::test]
async fn a_services_activity_log_round_trips_through_the_api() {
    let store = demo_store().await;
    let service = store
        .services_of(&[LibraryId::new(722).unwrap()])
        .await
        .unwrap()[0]
        .id;
    let own = token(&store, librarian(722)).await;
    let other = token(&store, librarian(705)).await;
    let list = format!("/api/v1/services/{service}/activities");
    let body = json!({
        "date": "2012-10-04",
        "kind": "training",
        "hours": 2.5,
        "volunteers": 2,
        "volunteer_hours": 4,
        "reached": [{"target_group": "Пенсионери", "count": 12, "estimated": true}],
        "note": "Основни компютърни умения"
    });

    let a = call(Method::POST, &list).json(&body).send(&store).await;
    a.assert_problem(StatusCode::UNAUTHORIZED);
    let a = call(Method::POST, &list)
        .auth(&other)
        .json(&body)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::FORBIDDEN);
    let mut bad = body.clone();
    bad["hours"] = json!(-1);
    bad["reached"][0]["target_group"] = json!(" ");
    let a = call(Method::POST, &list)
        .auth(&own)
        .json(&bad)
        .send(&store)
        .await;
    a.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = a.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["hours", "reached[0].target_group"], "{}", a.body);

    let a = call(Method::POST, &list)
        .auth(&own)
        .json(&body)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    assert_eq!(
        a.header(header::LOCATION),
        format!("/api/v1/activities/{id}")
    );
    assert_eq!(a.header(header::ETAG), "\"1\"");
    for key in ["date", "kind", "hours", "volunteers", "reached", "note"] {
        assert_eq!(a.body[key], body[key], "{key}");
    }
    assert_eq!(a.body["service_id"], json!(service.get()));

    // Anyone reads the log of a published service.
    let read = get(&store, &list).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["total"], 1);
    assert_eq!(read.body["items"][0]["id"], id);
    let one = get(&store, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(one.header(header::ETAG), "\"1\"");
    assert_eq!(one.body, a.body);

    // A change needs If-Match; the other librarian is refused; the entry keeps its service.
    let uri = format!("/api/v1/activities/{id}");
    let mut changed = body.clone();
    changed["kind"] = json!("consultation");
    call(Method::PUT, &uri)
        .auth(&own)
        .json(&changed)
        .send(&store)
        .await
        .assert_problem(StatusCode::PRECONDITION_REQUIRED);
    call(Method::PUT, &uri)
        .auth(&other)
        .header("if-match", "\"1\"")
        .json(&changed)
        .send(&store)
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let a = call(Method::PUT, &uri)
        .auth(&own)
        .header("if-match", "\"1\"")
        .json(&changed)
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.header(header::ETAG), "\"2\"");
    assert_eq!(a.body["kind"], "consultation");
    assert_eq!(a.body["service_id"], json!(service.get()));

    // A draft's log is not there for the public.
    let mut draft = store.service(service).await.unwrap().unwrap();
    draft.record.status = ServiceStatus::Draft;
    store
        .replace(&Actor("test".into()), service, &draft.record, None)
        .await
        .unwrap();
    get(&store, &list)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    get(&store, &uri)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let a = call(Method::GET, &uri).auth(&own).send(&store).await;
    assert_eq!(a.status, StatusCode::OK);

    call(Method::DELETE, &uri)
        .auth(&own)
        .header("if-match", "\"1\"")
        .send(&store)
        .await
        .assert_problem(StatusCode::PRECONDITION_FAILED);
    let a = call(Method::DELETE, &uri)
        .auth(&own)
        .header("if-match", "\"2\"")
        .send(&store)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let a = call(Method::GET, &list).auth(&own).send(&store).await;
    assert_eq!(a.body["total"], 0);
}
