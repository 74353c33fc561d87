//! The permission matrix of issue #5: every mutating route of the API and of the pages × every
//! role × a record inside the district of Kyustendil (KNL) and one in Sofia (SOF). A write goes
//! through exactly where the role's scope covers the record; elsewhere it is refused with
//! 401/403/404, and the whole store — every record and the audit log — is unchanged after it.
//!
//! The expected answer is written out here from the rules, not computed with
//! `Role::covers`, so a change of the rule in the code fails this test:
//! - the programme admin changes everything;
//! - a district coordinator changes the records of their district;
//! - a librarian edits their library (but neither creates nor deletes libraries) and creates,
//!   edits and deletes its services; nothing at district level (partners, people, events) and
//!   nothing of another library;
//! - a viewer and an anonymous client change nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use lipa_app::testing::{AuditFilter, Store};
use lipa_core::user::Role;
use lipa_web::testing::{self, EVERYONE, KINDS, Kind, Side, Who};
use scraper::{Html, Selector};
use serde_json::{Value, json};

/// The in-scope library of the records of a library (its librarian is in the matrix), and the
/// one of its services.
const IN_LIBRARY: u32 = 732;
const IN_SERVICE_LIBRARY: u32 = 705;
/// Libraries in Sofia made for the test: one bare, one with a service and a person.
const OUT_LIBRARY: u32 = 9100;
const OUT_SERVICE_LIBRARY: u32 = 9101;

/// The rule, written out.
fn may_change(who: Who, kind: Kind, side: Side, op: Op) -> bool {
    match who {
        Who::Admin => true,
        Who::CoordinatorKnl => side == Side::In,
        Who::CoordinatorSof => side == Side::Out,
        Who::Librarian => {
            side == Side::In
                && (kind == Kind::Service || (kind == Kind::Library && op == Op::Update))
        }
        Who::Viewer | Who::Anonymous => false,
    }
}

fn role(who: Who, kind: Kind) -> Option<Role> {
    who.role(if kind == Kind::Library {
        IN_LIBRARY
    } else {
        IN_SERVICE_LIBRARY
    })
}

/// What the router answered.
struct Answer {
    status: StatusCode,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn send(store: &Store, req: Request<Body>) -> Answer {
    let res = testing::send(store, req).await;
    let status = res.status();
    let bytes = testing::body_bytes(res).await;
    Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn api(
    store: &Store,
    method: Method,
    uri: &str,
    auth: Option<&str>,
    if_match: Option<i64>,
    body: Option<&Value>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    if let Some(v) = if_match {
        req = req.header(header::IF_MATCH, format!("\"{v}\""));
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    };
    send(store, req.unwrap()).await
}

/// An API token for a new user with `role`: the `Authorization` header value.
async fn token(store: &Store, role: Role) -> String {
    testing::api_token(store, role).await
}

/// Everything the store holds that a write could touch: every record with its version, and the
/// number of audit entries.
async fn fingerprint(store: &Store) -> String {
    let audit = store
        .audit_entries(&AuditFilter::default())
        .await
        .unwrap()
        .len();
    format!(
        "{}\n{}\n{}\n{}\n{}\naudit entries: {audit}",
        serde_json::to_string(&store.libraries().await.unwrap()).unwrap(),
        serde_json::to_string(&store.services().await.unwrap()).unwrap(),
        serde_json::to_string(&store.partners().await.unwrap()).unwrap(),
        serde_json::to_string(&store.persons().await.unwrap()).unwrap(),
        serde_json::to_string(&store.events().await.unwrap()).unwrap(),
    )
}

/// Without the keys the server assigns.
fn input(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for k in [
            "version",
            "created_at",
            "updated_at",
            "district",
            "municipality",
        ] {
            o.remove(k);
        }
    }
    v
}

/// The demo, plus records in Sofia made by an admin through the API; the paths of the in-scope
/// and out-of-scope record of every kind.
struct World {
    store: Store,
    admin: String,
    paths: Vec<(Kind, Side, String)>,
}

impl World {
    async fn new() -> World {
        let store = Store::open_test().await.unwrap();
        lipa_web::testing::load_demo(&store).await;
        let admin = token(&store, Role::Admin).await;
        let w = World {
            store,
            admin,
            paths: Vec::new(),
        };
        w.build().await
    }

    async fn get(&self, uri: &str) -> Value {
        let a = api(&self.store, Method::GET, uri, Some(&self.admin), None, None).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        a.json()
    }

    async fn create(&self, kind: Kind, body: &Value) -> String {
        let a = api(
            &self.store,
            Method::POST,
            &kind.collection(),
            Some(&self.admin),
            None,
            Some(body),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{kind:?}: {}", a.body);
        format!("{}/{}", kind.collection(), a.json()["id"])
    }

    async fn build(mut self) -> World {
        let lib = self.get(&format!("/api/v1/libraries/{IN_LIBRARY}")).await;
        for (id, name) in [
            (OUT_LIBRARY, "НЧ „Тест – София“"),
            (OUT_SERVICE_LIBRARY, "НЧ „Тест – София 2“"),
        ] {
            let mut out = input(lib.clone());
            out["id"] = json!(id);
            out["name"] = json!(name);
            out["settlement"] = json!("68134");
            out["coordinator"] = json!(false);
            out["chitalishte"] = Value::Null;
            self.create(Kind::Library, &out).await;
        }
        self.paths.push((
            Kind::Library,
            Side::In,
            format!("/api/v1/libraries/{IN_LIBRARY}"),
        ));
        self.paths.push((
            Kind::Library,
            Side::Out,
            format!("/api/v1/libraries/{OUT_LIBRARY}"),
        ));

        let services = self
            .get(&format!(
                "/api/v1/services?library={IN_SERVICE_LIBRARY}&limit=200"
            ))
            .await;
        let service = services["items"][0].clone();
        let mut out = input(service.clone());
        out.as_object_mut().unwrap().remove("id");
        out["library"] = json!(OUT_SERVICE_LIBRARY);
        let out = self.create(Kind::Service, &out).await;
        self.paths.push((
            Kind::Service,
            Side::In,
            format!("/api/v1/services/{}", service["id"]),
        ));
        self.paths.push((Kind::Service, Side::Out, out));

        let partners = self.get("/api/v1/partners?limit=200").await;
        let partner = partners["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["settlement"] == "41112")
            .expect("a demo partner in Kyustendil")
            .clone();
        let partner = self
            .get(&format!("/api/v1/partners/{}", partner["id"]))
            .await;
        let mut out = input(partner.clone());
        out.as_object_mut().unwrap().remove("id");
        out["name"] = json!("Столична библиотека – партньор");
        out["settlement"] = json!("68134");
        let out = self.create(Kind::Partner, &out).await;
        self.paths.push((
            Kind::Partner,
            Side::In,
            format!("/api/v1/partners/{}", partner["id"]),
        ));
        self.paths.push((Kind::Partner, Side::Out, out));

        let persons = self.get("/api/v1/persons?limit=200").await;
        let person = persons["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["library"] == IN_SERVICE_LIBRARY)
            .expect("a demo person of the regional library")
            .clone();
        let person = self.get(&format!("/api/v1/persons/{}", person["id"])).await;
        let mut out = input(person.clone());
        out.as_object_mut().unwrap().remove("id");
        out["name"] = json!("Иван Софиянски");
        out["library"] = json!(OUT_SERVICE_LIBRARY);
        out["partner_id"] = Value::Null;
        let out = self.create(Kind::Person, &out).await;
        self.paths.push((
            Kind::Person,
            Side::In,
            format!("/api/v1/persons/{}", person["id"]),
        ));
        self.paths.push((Kind::Person, Side::Out, out));

        // A bare event in each district: the demo meeting's participants and groups are no
        // concern of the matrix.
        for (side, code, settlement) in [(Side::In, "KNL", "41112"), (Side::Out, "SOF", "68134")] {
            let body = json!({
                "title": format!("Среща на библиотекарите ({code})"),
                "kind": "meeting",
                "starts": "2026-03-10",
                "ends": "2026-03-10",
                "district": code,
                "settlement": settlement,
            });
            let path = self.create(Kind::Event, &body).await;
            self.paths.push((Kind::Event, side, path));
        }
        self
    }

    fn path(&self, kind: Kind, side: Side) -> &str {
        &self
            .paths
            .iter()
            .find(|(k, s, _)| *k == kind && *s == side)
            .unwrap()
            .2
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Update,
    Delete,
}

/// The request of `op` on the record of `kind` and `side`, as its current state allows: a
/// changed copy for an update (with the current version in `If-Match`), a new record at the same
/// place for a create.
async fn attempt(w: &World, auth: Option<&str>, kind: Kind, side: Side, op: Op) -> Answer {
    let path = w.path(kind, side).to_owned();
    let current = w.get(&path).await;
    let version = current["version"].as_i64().unwrap();
    let mut body = input(current);
    let rename = |b: &mut Value, to: &str| match kind {
        Kind::Service => b["card"]["name"] = json!(to),
        Kind::Event => b["title"] = json!(to),
        _ => b["name"] = json!(to),
    };
    match op {
        Op::Update => {
            rename(&mut body, "Променено от матрицата");
            api(
                &w.store,
                Method::PUT,
                &path,
                auth,
                Some(version),
                Some(&body),
            )
            .await
        }
        Op::Delete => api(&w.store, Method::DELETE, &path, auth, Some(version), None).await,
        Op::Create => {
            if kind == Kind::Library {
                body["id"] = json!(if side == Side::In { 9300 } else { 9301 });
            } else {
                body.as_object_mut().unwrap().remove("id");
            }
            rename(&mut body, "Нов запис от матрицата");
            api(
                &w.store,
                Method::POST,
                &kind.collection(),
                auth,
                None,
                Some(&body),
            )
            .await
        }
    }
}

#[tokio::test]
async fn every_api_write_goes_through_exactly_where_the_scope_covers_it() {
    let mut world = World::new().await;
    let mut checked = 0;
    let mut failures = Vec::new();
    for kind in KINDS {
        for op in [Op::Create, Op::Update, Op::Delete] {
            for side in [Side::In, Side::Out] {
                for who in EVERYONE {
                    let auth = match role(who, kind) {
                        Some(r) => Some(token(&world.store, r).await),
                        None => None,
                    };
                    let before = fingerprint(&world.store).await;
                    let a = attempt(&world, auth.as_deref(), kind, side, op).await;
                    let after = fingerprint(&world.store).await;
                    checked += 1;
                    let case = format!("{op:?} {kind:?} {side:?} as {who:?}: {}", a.status);
                    if may_change(who, kind, side, op) {
                        if !a.status.is_success() {
                            failures.push(format!("{case} — should go through: {}", a.body));
                        } else if before == after {
                            failures.push(format!("{case} — answered success, changed nothing"));
                        }
                        // The next attempt starts from the same records again.
                        world = World::new().await;
                    } else {
                        let refused = match who {
                            Who::Anonymous => a.status == StatusCode::UNAUTHORIZED,
                            _ => matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                        };
                        if !refused {
                            failures.push(format!("{case} — should be refused: {}", a.body));
                        }
                        if before != after {
                            failures.push(format!("{case} — a refused write changed the store"));
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 5 * 3 * 2 * 6);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- Pages ----------------------------------------------------------------------------------

/// A page route that writes, and how to fill its form: the form is read off the page as the
/// admin sees it, and sent as it is (with the sender's own anti-forgery token).
struct PageWrite {
    /// The page that holds the form.
    page: String,
    /// The form's `action`.
    action: String,
    /// Fields to set on top of what the form holds.
    set: Vec<(&'static str, String)>,
    op: Op,
}

/// The fields of the form with `action` on `html`, as a browser would send them unchanged.
fn form_fields(html: &str, action: &str) -> Option<Vec<(String, String)>> {
    let doc = Html::parse_document(html);
    let form_sel = Selector::parse(&format!("form[action=\"{action}\"]")).unwrap();
    let form = doc.select(&form_sel).next()?;
    let mut fields = Vec::new();
    let inputs = Selector::parse("input[name], textarea[name], select[name]").unwrap();
    let option = Selector::parse("option").unwrap();
    for e in form.select(&inputs) {
        let v = e.value();
        let name = v.attr("name").unwrap().to_owned();
        match v.name() {
            "textarea" => fields.push((name, e.text().collect())),
            "select" => {
                let options: Vec<_> = e.select(&option).collect();
                let chosen = options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first());
                if let Some(o) = chosen {
                    let value = o
                        .value()
                        .attr("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| o.text().collect());
                    fields.push((name, value));
                }
            }
            _ => {
                let ty = v.attr("type").unwrap_or("text");
                if matches!(ty, "checkbox" | "radio") && v.attr("checked").is_none() {
                    continue;
                }
                if matches!(ty, "submit" | "button" | "file") {
                    continue;
                }
                fields.push((name, v.attr("value").unwrap_or("").to_owned()));
            }
        }
    }
    Some(fields)
}

async fn page_get(store: &Store, uri: &str, cookie: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    send(store, req).await
}

async fn page_post(
    store: &Store,
    uri: &str,
    cookie: Option<&str>,
    form: &[(String, String)],
) -> Answer {
    let mut req =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = serde_urlencoded::to_string(form).unwrap();
    send(store, req.body(Body::from(body)).unwrap()).await
}

/// The page writes of a record of `kind` on `side` (services and events: the kinds the pages
/// edit; libraries, partners and people are written through imports and the API).
async fn page_writes(w: &World, kind: Kind, side: Side) -> Vec<PageWrite> {
    let id = w.path(kind, side).rsplit('/').next().unwrap().to_owned();
    let library = match side {
        Side::In => IN_SERVICE_LIBRARY,
        Side::Out => OUT_SERVICE_LIBRARY,
    };
    let form = |page: String, action: String, set: Vec<(&'static str, String)>| PageWrite {
        op: if action.ends_with("/new") {
            Op::Create
        } else {
            Op::Update
        },
        page,
        action,
        set,
    };
    match kind {
        Kind::Service => vec![
            form(
                format!("/libraries/{library}/services/new"),
                format!("/libraries/{library}/services/new"),
                vec![("category", "e-skills".into()), ("year", "2027".into())],
            ),
            form(
                format!("/services/{id}/edit/1"),
                format!("/services/{id}/edit/1"),
                vec![("name", "Променено от матрицата".into())],
            ),
            form(
                format!("/services/{id}"),
                format!("/services/{id}/status"),
                vec![("status", "active".into())],
            ),
        ],
        Kind::Event => vec![
            form(
                format!("/events/{id}/edit"),
                format!("/events/{id}/edit"),
                vec![("title", "Променено от матрицата".into())],
            ),
            form(
                format!("/events/{id}/agenda"),
                format!("/events/{id}/agenda"),
                vec![("topic", "Откриване".into())],
            ),
            form(
                format!("/events/{id}"),
                format!("/events/{id}/publish"),
                vec![],
            ),
        ],
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_page_write_goes_through_exactly_where_the_scope_covers_it() {
    let mut world = World::new().await;
    let mut checked = 0;
    let mut failures = Vec::new();
    for kind in [Kind::Service, Kind::Event] {
        for side in [Side::In, Side::Out] {
            let writes = page_writes(&world, kind, side).await;
            for write in writes {
                for who in EVERYONE {
                    let (admin, _) = testing::sign_in_with_csrf(&world.store, Role::Admin).await;
                    let page = page_get(&world.store, &write.page, &admin).await;
                    assert_eq!(page.status, StatusCode::OK, "{}", write.page);
                    let mut fields = form_fields(&page.body, &write.action)
                        .unwrap_or_else(|| panic!("no form {} on {}", write.action, write.page));
                    for (name, value) in &write.set {
                        fields.retain(|(n, _)| n != name);
                        fields.push(((*name).to_owned(), value.clone()));
                    }
                    let cookie = match role(who, kind) {
                        Some(r) => {
                            let (cookie, csrf) = testing::sign_in_with_csrf(&world.store, r).await;
                            for f in fields.iter_mut().filter(|(n, _)| n == "csrf") {
                                f.1 = csrf.clone();
                            }
                            Some(cookie)
                        }
                        None => None,
                    };
                    let before = fingerprint(&world.store).await;
                    let a =
                        page_post(&world.store, &write.action, cookie.as_deref(), &fields).await;
                    let after = fingerprint(&world.store).await;
                    checked += 1;
                    let case = format!(
                        "POST {} ({kind:?} {side:?}) as {who:?}: {}",
                        write.action, a.status
                    );
                    if may_change(who, kind, side, write.op) {
                        if a.status != StatusCode::SEE_OTHER {
                            failures.push(format!("{case} — should go through"));
                        } else if before == after {
                            failures.push(format!("{case} — redirected, changed nothing"));
                        }
                        world = World::new().await;
                    } else {
                        let refused = match who {
                            Who::Anonymous => a.status == StatusCode::UNAUTHORIZED,
                            _ => matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                        };
                        if !refused {
                            failures.push(format!("{case} — should be refused"));
                        }
                        if before != after {
                            failures.push(format!("{case} — a refused write changed the store"));
                        }
                    }
                }
            }
        }
    }
    assert!(checked >= 6 * 2 * 6, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn only_the_admin_writes_on_the_administration_pages() {
    let world = World::new().await;
    let (admin, admin_csrf) = testing::sign_in_with_csrf(&world.store, Role::Admin).await;
    let target = world.store.user_count().await.unwrap();
    let mut failures = Vec::new();
    let routes = [
        "/admin/users".to_owned(),
        format!("/admin/users/{target}/role"),
        format!("/admin/users/{target}/password"),
        format!("/admin/users/{target}/disable"),
        format!("/admin/users/{target}/enable"),
    ];
    for route in &routes {
        for who in EVERYONE {
            let Some(r) = role(who, Kind::Library) else {
                let a =
                    page_post(&world.store, route, None, &[("csrf".into(), String::new())]).await;
                if a.status != StatusCode::UNAUTHORIZED {
                    failures.push(format!("{route} anonymous: {}", a.status));
                }
                continue;
            };
            if r == Role::Admin {
                continue;
            }
            let (cookie, csrf) = testing::sign_in_with_csrf(&world.store, r).await;
            let before = world.store.users().await.unwrap();
            let form = vec![
                ("csrf".to_owned(), csrf),
                ("login".to_owned(), "intruder".to_owned()),
                ("display_name".to_owned(), "Натрапник".to_owned()),
                ("role".to_owned(), "admin".to_owned()),
            ];
            let a = page_post(&world.store, route, Some(&cookie), &form).await;
            if a.status != StatusCode::FORBIDDEN {
                failures.push(format!("{route} as {who:?}: {}", a.status));
            }
            if world.store.users().await.unwrap() != before {
                failures.push(format!("{route} as {who:?} changed the users"));
            }
        }
    }
    // The admin's own attempt goes through (the routes exist and the forms are right).
    let a = page_post(
        &world.store,
        "/admin/users",
        Some(&admin),
        &[
            ("csrf".into(), admin_csrf),
            ("login".into(), "newcomer".into()),
            ("display_name".into(), "Новодошла".into()),
            ("role".into(), "viewer".into()),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(
        world
            .store
            .user_by_login("newcomer")
            .await
            .unwrap()
            .is_some()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
