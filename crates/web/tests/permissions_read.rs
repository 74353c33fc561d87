//! The read side of the permission matrix (issues #10 and #12): every read of the pages and of the
//! API — records, lists and their counts, totals and reports, search, exports, histories and the
//! audit log — × the six roles of the write matrix (`permissions.rs`) × a record in the district
//! of Kyustendil (KNL) and one in Sofia (SOF), with drafts, unpublished events and personal data.
//!
//! The expected answer is written out here from the rule, not computed with `Role::covers`, so a
//! change of the rule in the code fails this test:
//! - a draft service and an unpublished event exist only for the roles whose scope covers their
//!   place: the admin; the coordinator of the district; for a library's records (a service) also
//!   its librarian — events belong to districts, not to libraries. Everyone else gets 404 on the
//!   record and finds it in no list, count, search hit, export or total;
//! - totals, facets, reports and the open-data exports are the network's public figures: they
//!   count published records only, for every reader, so making private records changes none of
//!   them (a reader in scope finds their drafts in the scoped lists, the record pages and search);
//! - a person's name, position and organisation are public only where the person appears in a
//!   published record (a participant of a published event). Their contacts are shown to the
//!   admin, to the coordinator of the district of the person's library and to that library's
//!   librarian; a person linked to no library (only to a partner) is the admin's alone. A reader
//!   who may see neither gets 404 and finds the person in no list or search; contacts are never
//!   on a page and never searchable;
//! - a record's history (`/history/{entity}/{id}`, `pages/history.rs`): signed-in users whose
//!   scope covers the record — a library, its services and people by the library, an event or a
//!   partner by its district, a person linked to no library by the admin only; 401 for an
//!   anonymous reader, 403 or 404 for the others. The audit log (`/admin/audit`, `.csv`) is the
//!   admin's. The API has no history or audit route, so there is nothing for it to disagree with.
//!
//! The fixture is built once: the demo and the public records (phase one), a snapshot of every
//! public figure as each role sees it, then the private records (phase two). Reads change
//! nothing, so every case runs on the same store.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::event::Event;
use lipa_core::ids::{LibraryId, PartnerId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::Service;
use lipa_core::user::Role;
use lipa_web::testing::{self, EVERYONE, Kind, Side, Who};
use lipa_web::{AppState, router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use tower::ServiceExt;

/// The Kyustendil library of the matrix: the regional library (its librarian is the matrix's).
const IN_LIBRARY: u32 = 705;
/// A library in Sofia made for the test.
const OUT_LIBRARY: u32 = 9101;
/// The year of the demo's services, so that a leaked draft would land in the district tables.
const YEAR: i32 = 2012;

// ---- The rule, written out -----------------------------------------------------------------

/// Whose scope holds the records of a library on `side`: its drafts, its people's contacts, its
/// history.
fn covers_library(who: Who, side: Side) -> bool {
    match who {
        Who::Admin => true,
        Who::CoordinatorKnl | Who::Librarian => side == Side::In,
        Who::CoordinatorSof => side == Side::Out,
        Who::Viewer | Who::Anonymous => false,
    }
}

/// Whose scope holds a district's records on `side` (events, partners): not a librarian's.
fn covers_district(who: Who, side: Side) -> bool {
    match who {
        Who::Admin => true,
        Who::CoordinatorKnl => side == Side::In,
        Who::CoordinatorSof => side == Side::Out,
        Who::Librarian | Who::Viewer | Who::Anonymous => false,
    }
}

/// What a person is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Library(Side),
    /// A partner's person, linked to no library.
    PartnerOnly,
}

/// Who sees a person's contacts.
fn sees_contacts(who: Who, link: Link) -> bool {
    match link {
        Link::Library(side) => covers_library(who, side),
        Link::PartnerOnly => who == Who::Admin,
    }
}

/// Who sees a person at all: everyone where the person is in a published record, else whoever
/// sees their contacts — and a partner's person also the coordinator of the partner's district,
/// who keeps (writes) that person, without their contacts.
fn sees_person(who: Who, p: &Fixture) -> bool {
    let link = p.link.expect("a person");
    p.public
        || sees_contacts(who, link)
        || (link == Link::PartnerOnly && who == Who::CoordinatorKnl)
}

/// Who may read a record's history: signed-in users whose scope holds it.
fn reads_history(who: Who, holder: Holder) -> bool {
    match holder {
        Holder::Library(side) => covers_library(who, side),
        Holder::District(side) => covers_district(who, side),
        Holder::Admin => who == Who::Admin,
    }
}

/// Whose scope a record is in, for its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    Library(Side),
    District(Side),
    Admin,
}

// ---- The fixture ---------------------------------------------------------------------------

/// A record the matrix reads.
#[derive(Debug, Clone)]
struct Fixture {
    kind: Kind,
    side: Side,
    id: i64,
    /// A word only this record holds (search finds it by this word).
    word: String,
    /// The text pages show for it (name or title).
    name: String,
    /// Published (a service, an event), or a person in a published record.
    public: bool,
    /// A person's link.
    link: Option<Link>,
    /// A person's e-mail (it holds a word of its own, never searchable).
    email: String,
}

impl Fixture {
    fn label(&self) -> String {
        let vis = match (self.kind, self.public) {
            (Kind::Library | Kind::Partner, _) => "",
            (Kind::Person, true) => " in a published event",
            (Kind::Person, false) => " in no published record",
            (_, true) => " published",
            (_, false) => " unpublished",
        };
        match self.link {
            Some(Link::PartnerOnly) => format!("partner-only person{vis}"),
            _ => format!("{:?} {:?}{vis}", self.kind, self.side),
        }
    }

    /// Whether `who` may see this record (drafts and unpublished events by scope).
    fn visible_to(&self, who: Who) -> bool {
        match self.kind {
            Kind::Library | Kind::Partner => true,
            Kind::Service => self.public || covers_library(who, self.side),
            Kind::Event => self.public || covers_district(who, self.side),
            Kind::Person => sees_person(who, self),
        }
    }

    fn holder(&self) -> Holder {
        match (self.kind, self.link) {
            (_, Some(Link::PartnerOnly)) => Holder::Admin,
            (Kind::Event | Kind::Partner, _) => Holder::District(self.side),
            _ => Holder::Library(self.side),
        }
    }

    fn page(&self) -> String {
        match self.kind {
            Kind::Library => format!("/libraries/{}", self.id),
            Kind::Service => format!("/services/{}", self.id),
            Kind::Partner => format!("/partners/{}", self.id),
            Kind::Event => format!("/events/{}", self.id),
            Kind::Person => format!("/api/v1/persons/{}", self.id),
        }
    }

    fn api(&self) -> String {
        let collection = match self.kind {
            Kind::Library => "libraries",
            Kind::Service => "services",
            Kind::Partner => "partners",
            Kind::Event => "events",
            Kind::Person => "persons",
        };
        format!("/api/v1/{collection}/{}", self.id)
    }
}

/// A word as a query-string value.
fn encoded(word: &str) -> String {
    form_urlencoded::byte_serialize(word.as_bytes()).collect()
}

/// The matrix's role of `who`: the librarian is the Kyustendil library's.
fn role(who: Who) -> Option<Role> {
    who.role(IN_LIBRARY)
}

/// A record of the core with some fields replaced (through its JSON form, as imports see it).
fn with<T: serde::Serialize + serde::de::DeserializeOwned>(record: &T, set: Value) -> T {
    let mut v = serde_json::to_value(record).unwrap();
    for (k, x) in set.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

struct World {
    state: AppState,
    /// The application, built once: reads change nothing.
    app: axum::Router,
    /// Per role: the API token and the session cookie.
    tokens: HashMap<Who, String>,
    cookies: HashMap<Who, String>,
    records: Vec<Fixture>,
    /// The demo partner in Kyustendil (the partner-only person is its).
    knl_partner: PartnerId,
}

/// What the router answered.
struct Answer {
    status: StatusCode,
    content_type: String,
    bytes: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        if self.content_type.contains("spreadsheetml") {
            return xlsx_text(&self.bytes);
        }
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

/// Every cell of every sheet, as text, row by row (an XLSX file's bytes hold its creation time).
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        out.push_str(&name);
        out.push('\n');
        for row in range.rows() {
            for cell in row {
                let _ = write!(out, "{cell}\t");
            }
            out.push('\n');
        }
    }
    out
}

impl World {
    async fn new() -> World {
        let store = Store::open_test().await.unwrap();
        testing::load_demo(&store).await;
        let mut tokens = HashMap::new();
        let mut cookies = HashMap::new();
        for who in EVERYONE {
            if let Some(r) = role(who) {
                tokens.insert(who, testing::api_token(&store, r.clone()).await);
                cookies.insert(who, testing::sign_in(&store, r).await);
            }
        }
        let knl_partner = store
            .partners()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.record.settlement.as_ref().map(|e| e.as_str()) == Some("41112"))
            .expect("a demo partner in Kyustendil")
            .id;
        let state = lipa_web::testing::state(store);
        World {
            app: router(state.clone()),
            state,
            tokens,
            cookies,
            records: Vec::new(),
            knl_partner,
        }
    }

    fn store(&self) -> &Store {
        self.state.app.store()
    }

    async fn get(&self, who: Who, uri: &str) -> Answer {
        let mut req = Request::get(uri);
        if uri.starts_with("/api/") {
            if let Some(t) = self.tokens.get(&who) {
                req = req.header(header::AUTHORIZATION, t);
            }
        } else if let Some(c) = self.cookies.get(&who) {
            req = req.header(header::COOKIE, c);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            content_type,
            bytes,
        }
    }

    fn find(&self, kind: Kind, side: Side, public: bool) -> &Fixture {
        self.records
            .iter()
            .find(|r| {
                r.kind == kind
                    && r.side == side
                    && r.public == public
                    && r.link != Some(Link::PartnerOnly)
            })
            .unwrap_or_else(|| panic!("no {kind:?} {side:?} public={public}"))
    }

    fn actor() -> Actor {
        Actor("matrix".into())
    }

    /// Phase one: a library, a partner, a published service, a person and a published event with
    /// that person in each district.
    async fn add_public(&mut self) {
        let store = self.store().clone();
        let in_lib = LibraryId::new(IN_LIBRARY).unwrap();
        let lib = store.library(in_lib).await.unwrap().unwrap().record;
        let out: Library = with(
            &lib,
            json!({"id": OUT_LIBRARY, "name": "НЧ „Тест – София“", "settlement": "68134",
                   "coordinator": false, "chitalishte": null}),
        );
        store.create_library(&Self::actor(), &out).await.unwrap();
        let libraries = [
            (Side::In, IN_LIBRARY, lib.name),
            (Side::Out, OUT_LIBRARY, out.name),
        ];
        for (side, id, name) in &libraries {
            self.records.push(Fixture {
                kind: Kind::Library,
                side: *side,
                id: i64::from(*id),
                word: String::new(),
                name: name.clone(),
                public: true,
                link: None,
                email: String::new(),
            });
        }

        let knl = store
            .partner(self.knl_partner)
            .await
            .unwrap()
            .unwrap()
            .record;
        let sof: Partner = with(
            &knl,
            json!({"name": "Столична библиотека – партньор", "settlement": "68134"}),
        );
        let sof = store.create(&Self::actor(), &sof).await.unwrap();
        for (side, id, name) in [
            (Side::In, self.knl_partner, knl.name),
            (Side::Out, sof.id, sof.record.name),
        ] {
            self.records.push(Fixture {
                kind: Kind::Partner,
                side,
                id: id.get(),
                word: String::new(),
                name,
                public: true,
                link: None,
                email: String::new(),
            });
        }

        for (side, word) in [(Side::In, "Делфинариум"), (Side::Out, "Гондолиера")]
        {
            self.add_service(side, word, true).await;
        }
        for (side, word, email) in [
            (Side::In, "Лазурова", "lyastovitsa.kamenna@example.bg"),
            (Side::Out, "Мандолинова", "chaplya.bryagova@example.bg"),
        ] {
            let person = self
                .add_person(Link::Library(side), word, email, true)
                .await;
            self.add_event(
                side,
                if side == Side::In {
                    "Ескимоска"
                } else {
                    "Жирафчета"
                },
                true,
                &person,
            )
            .await;
        }
    }

    /// Phase two: in each district a draft service, a person in no published record and an
    /// unpublished event with that person; and a partner's person linked to no library.
    async fn add_private(&mut self) {
        for (side, service, person, event, email) in [
            (
                Side::In,
                "Астролабия",
                "Нарцисова",
                "Зодиакален",
                "tukan.plavnik@example.bg",
            ),
            (
                Side::Out,
                "Бумерангова",
                "Орхидеева",
                "Калейдоскопен",
                "sokol.skalen@example.bg",
            ),
        ] {
            self.add_service(side, service, false).await;
            let p = self
                .add_person(Link::Library(side), person, email, false)
                .await;
            self.add_event(side, event, false, &p).await;
        }
        self.add_person(
            Link::PartnerOnly,
            "Пеперудова",
            "kos.gorski@example.bg",
            false,
        )
        .await;
    }

    async fn add_service(&mut self, side: Side, word: &str, published: bool) {
        let store = self.store().clone();
        let in_lib = LibraryId::new(IN_LIBRARY).unwrap();
        let template = store
            .services_of(&[in_lib])
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.record.status.is_published())
            .expect("a published demo service of the Kyustendil library")
            .record;
        let (library, partner) = match side {
            Side::In => (IN_LIBRARY, self.knl_partner),
            Side::Out => (
                OUT_LIBRARY,
                PartnerId::new(self.find(Kind::Partner, Side::Out, true).id),
            ),
        };
        let partner_name = self.find(Kind::Partner, side, true).name.clone();
        let name = format!("Услуга „{word}“");
        let mut card = serde_json::to_value(&template.card).unwrap();
        card["name"] = json!(name);
        card["partners"] =
            json!([{"partner_id": partner, "name": partner_name, "role": "партньор"}]);
        let s: Service = with(
            &template,
            json!({"library": library, "year": YEAR, "card": card,
                   "status": if published { "active" } else { "draft" }}),
        );
        let v = store.create(&Self::actor(), &s).await.unwrap();
        self.records.push(Fixture {
            kind: Kind::Service,
            side,
            id: v.id.get(),
            word: word.into(),
            name,
            public: published,
            link: None,
            email: String::new(),
        });
    }

    async fn add_person(&mut self, link: Link, word: &str, email: &str, public: bool) -> Fixture {
        let (side, library, partner) = match link {
            Link::Library(Side::In) => (Side::In, json!(IN_LIBRARY), Value::Null),
            Link::Library(Side::Out) => (Side::Out, json!(OUT_LIBRARY), Value::Null),
            Link::PartnerOnly => (Side::In, Value::Null, json!(self.knl_partner)),
        };
        let name = format!("Ксения {word}");
        let p: Person = serde_json::from_value(json!({
            "name": name,
            "position": "библиотекар",
            "organisation": "Читалище",
            "library": library,
            "partner_id": partner,
            "contacts": {"email": email, "phone": "0888 123 456"},
        }))
        .unwrap();
        let v = self.store().create(&Self::actor(), &p).await.unwrap();
        let f = Fixture {
            kind: Kind::Person,
            side,
            id: v.id.get(),
            word: word.into(),
            name,
            public,
            link: Some(link),
            email: email.into(),
        };
        self.records.push(f.clone());
        f
    }

    async fn add_event(&mut self, side: Side, word: &str, published: bool, person: &Fixture) {
        let (code, settlement) = match side {
            Side::In => ("KNL", "41112"),
            Side::Out => ("SOF", "68134"),
        };
        let title = format!("Среща „{word}“");
        let e: Event = serde_json::from_value(json!({
            "title": title,
            "kind": "meeting",
            "starts": "2026-03-10",
            "ends": "2026-03-10",
            "district": code,
            "settlement": settlement,
            "participants": [{"person_id": person.id, "name": person.name,
                              "position": "библиотекар", "organisation": "Читалище"}],
            "published": published,
        }))
        .unwrap();
        let v = self.store().create(&Self::actor(), &e).await.unwrap();
        self.records.push(Fixture {
            kind: Kind::Event,
            side,
            id: v.id.get(),
            word: word.into(),
            name: title,
            public: published,
            link: None,
            email: String::new(),
        });
    }
}

// ---- Cases ---------------------------------------------------------------------------------

/// What a read must answer.
#[derive(Debug, Clone)]
enum Expect {
    /// 200.
    Ok,
    /// 404: the record does not exist for this reader.
    NotFound,
    /// 401 for an anonymous reader, 403 or 404 for a signed-in one.
    Refused,
    /// 200, and the body shows the text.
    Shows(String),
    /// 200, and the body does not show the text.
    Hides(String),
    /// 200, and the body is what the same reader read before the private records were made.
    Unchanged,
    /// 200, a JSON list whose `items` hold the record with this ID (`listed`) or not — when
    /// `contacts` says, with a person's contacts or without — and whose `total` counts what the
    /// list holds.
    List {
        id: i64,
        listed: bool,
        contacts: Option<bool>,
    },
    /// 200, a person with contacts or without.
    Person { contacts: bool },
    /// 200, a search answer with a hit of this kind and ID, or without one.
    Hit { kind: Kind, id: i64, found: bool },
}

struct Case {
    uri: String,
    who: Who,
    expect: Expect,
    /// What the case reads, for the report.
    what: String,
}

/// The record in a JSON list when `seen`, else not in it.
fn listed(id: i64, seen: bool, contacts: Option<bool>) -> Expect {
    Expect::List {
        id,
        listed: seen,
        contacts: contacts.filter(|_| seen),
    }
}

/// The text on the page when `seen`, else not on it.
fn shown(text: &str, seen: bool) -> Expect {
    if seen {
        Expect::Shows(text.to_owned())
    } else {
        Expect::Hides(text.to_owned())
    }
}

/// The items of a JSON list and whether its `total` counts exactly what it holds (when it is one
/// page).
fn list_items(v: &Value) -> Result<(&Vec<Value>, bool), String> {
    let items = v["items"].as_array().ok_or("not a list")?;
    let whole = v["next_cursor"].is_null();
    let total_ok = !whole || v["total"].as_i64() == Some(items.len() as i64);
    Ok((items, total_ok))
}

/// `None` when the answer is what the case expects; else what was got.
fn verdict(case: &Case, a: &Answer, baseline: Option<&String>) -> Option<String> {
    let ok = a.status == StatusCode::OK;
    let status = || format!("{}", a.status.as_u16());
    match &case.expect {
        Expect::Ok => (!ok).then(status),
        Expect::NotFound => (a.status != StatusCode::NOT_FOUND).then(|| {
            // A person shown where they should not exist: say whether with their contacts.
            match a.json().get("contacts") {
                Some(_) => format!("{}, with contacts", status()),
                None => status(),
            }
        }),
        Expect::Refused => {
            let refused = match case.who {
                Who::Anonymous => a.status == StatusCode::UNAUTHORIZED,
                _ => matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            };
            (!refused).then(status)
        }
        Expect::Shows(t) => {
            if !ok {
                Some(status())
            } else {
                (!a.text().contains(t.as_str())).then(|| format!("200 without „{t}“"))
            }
        }
        Expect::Hides(t) => {
            if !ok {
                Some(status())
            } else {
                a.text()
                    .contains(t.as_str())
                    .then(|| format!("200 showing „{t}“"))
            }
        }
        Expect::Unchanged => {
            if !ok {
                return Some(status());
            }
            let before = baseline.expect("a baseline");
            let now = a.text();
            if &now == before {
                return None;
            }
            let line = before
                .lines()
                .zip(now.lines())
                .find(|(b, n)| b != n)
                .map(|(b, n)| format!("{} → {}", b.trim(), n.trim()))
                .unwrap_or_else(|| "a different length".into());
            Some(format!("changed by the private records: {line}"))
        }
        Expect::List {
            id,
            listed,
            contacts,
        } => {
            if !ok {
                return Some(status());
            }
            let v = a.json();
            let (items, total_ok) = match list_items(&v) {
                Ok(x) => x,
                Err(e) => return Some(e),
            };
            let shown = items
                .iter()
                .find(|i| i["id"] == json!(id))
                .map(|i| i.get("contacts").is_some());
            match (shown, listed) {
                (None, true) => return Some("200 without it".into()),
                (Some(has), false) => {
                    let with = if has { ", with contacts" } else { "" };
                    return Some(format!("listed{with}"));
                }
                (Some(has), true) if contacts.is_some_and(|c| c != has) => {
                    return Some(format!("listed, contacts shown: {has}"));
                }
                _ => {}
            }
            (!total_ok).then(|| format!("total {} for {} items", v["total"], items.len()))
        }
        Expect::Person { contacts } => {
            if !ok {
                return Some(status());
            }
            let has = a.json().get("contacts").is_some();
            (has != *contacts).then(|| format!("200, contacts shown: {has}"))
        }
        Expect::Hit { kind, id, found } => {
            if !ok {
                return Some(status());
            }
            let v = a.json();
            let Some(hits) = v["hits"].as_array() else {
                return Some("not a search answer".into());
            };
            let hit = hits
                .iter()
                .any(|h| h["kind"] == kind.code() && h["id"] == json!(id));
            if hit != *found {
                return Some(if hit { "a hit" } else { "no hit" }.into());
            }
            let total_ok = hits.len() >= 100 || v["total"].as_u64() == Some(hits.len() as u64);
            (!total_ok).then(|| format!("total {} for {} hits", v["total"], hits.len()))
        }
    }
}

/// The public figures: totals, facets, reports and exports. The private records change none of
/// them, for any reader.
fn public_figures() -> Vec<String> {
    let mut uris: Vec<String> = [
        "/",
        "/libraries",
        "/libraries?district=KNL",
        "/libraries?district=SOF",
        "/libraries?q=%D0%90%D1%81%D1%82%D1%80%D0%BE%D0%BB%D0%B0%D0%B1%D0%B8%D1%8F",
        "/libraries.csv",
        "/libraries.xlsx",
        "/partners",
        "/reports",
        "/reports/coverage",
        "/reports/target-groups",
        "/reports/volunteers",
        "/reports/partners",
        "/export/registry.json",
        "/api/v1/libraries?limit=200",
        "/api/v1/libraries?q=%D0%90%D1%81%D1%82%D1%80%D0%BE%D0%BB%D0%B0%D0%B1%D0%B8%D1%8F",
        "/api/v1/libraries/705",
        "/api/v1/libraries/9101",
        "/api/v1/partners?limit=200",
        "/api/v1/reports/counts",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for d in ["KNL", "SOF"] {
        for r in [
            "district",
            "district.csv",
            "district.xlsx",
            "matrix",
            "matrix.csv",
            "matrix.xlsx",
        ] {
            uris.push(format!("/reports/{r}?district={d}&year={YEAR}"));
        }
        uris.push(format!(
            "/api/v1/reports/district-table?district={d}&year={YEAR}"
        ));
    }
    uris
}

/// Every case of the matrix.
fn cases(w: &World) -> Vec<Case> {
    let mut out = Vec::new();
    let mut add = |uri: String, who: Who, expect: Expect, what: &str| {
        out.push(Case {
            uri,
            who,
            expect,
            what: what.to_owned(),
        })
    };
    let gone = |seen: bool| if seen { Expect::Ok } else { Expect::NotFound };

    for who in EVERYONE {
        // The public figures.
        for uri in public_figures() {
            add(uri, who, Expect::Unchanged, "public figure");
        }
        // The audit log.
        for uri in ["/admin/audit", "/admin/audit.csv"] {
            let e = if who == Who::Admin {
                Expect::Ok
            } else {
                Expect::Refused
            };
            add(uri.into(), who, e, "audit log");
        }

        for r in &w.records {
            let seen = r.visible_to(who);
            let what = r.label();
            let what = what.as_str();
            // The record's history.
            let history = format!("/history/{}/{}", r.kind.code(), r.id);
            let e = if reads_history(who, r.holder()) {
                Expect::Ok
            } else {
                Expect::Refused
            };
            add(history, who, e, what);

            match r.kind {
                Kind::Library | Kind::Partner => {
                    add(r.page(), who, Expect::Ok, what);
                    add(r.api(), who, Expect::Ok, what);
                }
                Kind::Service => {
                    add(r.page(), who, gone(seen), what);
                    add(format!("{}/print", r.page()), who, gone(seen), what);
                    add(r.api(), who, gone(seen), what);
                    // Lists: the API's services of the library, the library's page, the page
                    // of the partner the card names.
                    let library = match r.side {
                        Side::In => IN_LIBRARY,
                        Side::Out => OUT_LIBRARY,
                    };
                    let list = format!("/api/v1/services?library={library}&limit=200");
                    add(list, who, listed(r.id, seen, None), what);
                    add(
                        format!("/libraries/{library}"),
                        who,
                        shown(&r.name, seen),
                        what,
                    );
                    let partner = w.find(Kind::Partner, r.side, true).page();
                    add(partner, who, shown(&r.name, seen), what);
                }
                Kind::Event => {
                    for suffix in ["", ".ics", "/report", "/report.html"] {
                        add(format!("{}{suffix}", r.page()), who, gone(seen), what);
                    }
                    add(r.api(), who, gone(seen), what);
                    // The organisers' list: the district's coordinator and the admin; an
                    // unpublished event does not exist for the others.
                    let xlsx = format!("{}/participants.xlsx", r.page());
                    let e = if covers_district(who, r.side) {
                        Expect::Ok
                    } else if r.public {
                        Expect::Refused
                    } else {
                        Expect::NotFound
                    };
                    add(xlsx, who, e, what);
                    // A participant's name is on the event; contacts never.
                    let person = w
                        .records
                        .iter()
                        .find(|p| {
                            p.kind == Kind::Person
                                && p.side == r.side
                                && p.public == r.public
                                && p.link != Some(Link::PartnerOnly)
                        })
                        .unwrap();
                    if seen {
                        for suffix in ["", "/report"] {
                            let page = format!("{}{suffix}", r.page());
                            add(page.clone(), who, Expect::Shows(person.name.clone()), what);
                            add(page, who, Expect::Hides(person.email.clone()), what);
                        }
                    }
                    // Lists: the API's events of the district, the events page, the pages of
                    // the district's libraries.
                    let code = if r.side == Side::In { "KNL" } else { "SOF" };
                    let list = format!("/api/v1/events?district={code}&limit=200");
                    add(list, who, listed(r.id, seen, None), what);
                    let href = format!("href=\"{}\"", r.page());
                    add("/events".into(), who, shown(&href, seen), what);
                    let library = if r.side == Side::In {
                        IN_LIBRARY
                    } else {
                        OUT_LIBRARY
                    };
                    add(
                        format!("/libraries/{library}"),
                        who,
                        shown(&href, seen),
                        what,
                    );
                }
                Kind::Person => {
                    let link = r.link.unwrap();
                    let contacts = sees_contacts(who, link);
                    let e = if seen {
                        Expect::Person { contacts }
                    } else {
                        Expect::NotFound
                    };
                    add(r.api(), who, e, what);
                    let mut lists = vec!["/api/v1/persons?limit=200".to_owned()];
                    lists.push(match link {
                        Link::Library(Side::In) => {
                            format!("/api/v1/persons?library={IN_LIBRARY}&limit=200")
                        }
                        Link::Library(Side::Out) => {
                            format!("/api/v1/persons?library={OUT_LIBRARY}&limit=200")
                        }
                        Link::PartnerOnly => {
                            format!("/api/v1/persons?partner={}&limit=200", w.knl_partner)
                        }
                    });
                    lists.push(format!("/api/v1/persons?q={}&limit=200", encoded(&r.word)));
                    for list in lists {
                        add(list, who, listed(r.id, seen, Some(contacts)), what);
                    }
                    // Contacts are never searchable, by anyone.
                    let mailbox = r.email.split(['.', '@']).nth(1).unwrap();
                    let search = format!("/api/v1/search?q={mailbox}&limit=100");
                    let e = Expect::Hit {
                        kind: Kind::Person,
                        id: r.id,
                        found: false,
                    };
                    add(search, who, e, what);
                }
            }

            // Search, in the API and on the page, by the record's own word. A person in a
            // published event is found through the event (the search's person hits follow the
            // contacts rule; the rule leaves their own hit open), so only the others are asked.
            let person_in_public = r.kind == Kind::Person && r.public;
            if !r.word.is_empty() && !person_in_public {
                // The search's person hits follow the contacts rule: a partner's coordinator reads
                // the partner's people in the API, but does not find them in the search.
                let found = match (r.kind, r.link) {
                    (Kind::Person, Some(link)) => sees_contacts(who, link),
                    _ => seen,
                };
                let e = Expect::Hit {
                    kind: r.kind,
                    id: r.id,
                    found,
                };
                add(
                    format!("/api/v1/search?q={}&limit=100", encoded(&r.word)),
                    who,
                    e,
                    what,
                );
                let href = format!("href=\"{}\"", r.page());
                add(
                    format!("/search?q={}", encoded(&r.word)),
                    who,
                    shown(&href, found),
                    what,
                );
            }
        }
    }
    out
}

#[tokio::test]
async fn every_read_shows_exactly_what_the_readers_scope_covers() {
    let started = std::time::Instant::now();
    let mut w = World::new().await;
    w.add_public().await;
    // What every role reads of the public figures before there is anything private.
    let mut baseline: HashMap<(Who, String), String> = HashMap::new();
    for who in EVERYONE {
        for uri in public_figures() {
            let a = w.get(who, &uri).await;
            assert_eq!(a.status, StatusCode::OK, "{uri} as {who:?}");
            baseline.insert((who, uri), a.text());
        }
    }
    w.add_private().await;

    let cases = cases(&w);
    let mut failures = Vec::new();
    for case in &cases {
        let a = w.get(case.who, &case.uri).await;
        let base = baseline.get(&(case.who, case.uri.clone()));
        if let Some(got) = verdict(case, &a, base) {
            failures.push(format!(
                "GET {} ({}) as {:?}: expected {:?}, got {got}",
                case.uri, case.what, case.who, case.expect
            ));
        }
    }
    eprintln!(
        "{} read cases in {:.1} s, {} failing",
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    // Every case above, counted: a case dropped by a change of the fixture is noticed.
    assert_eq!(cases.len(), 1072);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
