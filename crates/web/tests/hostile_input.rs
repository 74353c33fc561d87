//! Hostile input, end to end through the router: every string of `tests/fixtures/xss.txt` (script
//! tags, attribute breakers, `javascript:` URLs, SVG, template and SQL syntax, spreadsheet
//! formulas, bidirectional and zero-width marks) is typed into every form a browser is shown —
//! events with their agenda, participants, working groups and cards, the service wizard, users,
//! API tokens — and imported as a registry JSON, CSV and text table. Then every page and export
//! where it shows is read back:
//!
//! - HTML pages never carry it unescaped: no script but lipa's own, no `on…` attribute, no
//!   `javascript:` link, no `<iframe>`, `<base>`, `<meta http-equiv>`, `<style>` or foreign form;
//!   a string with `<` or `"` never appears verbatim; the record's own page shows it as text, and
//!   its edit form holds it exactly.
//! - JSON (API, registry, GeoJSON), CSV (with the formula guard), XLSX and iCalendar give it
//!   back exactly.
//!
//! Strings too long for a field are refused with the translated "too long" message; wrong
//! encodings, truncated and oversized files get a translated error, not a 500. (Encodings the
//! importers read are proved in `crates/io/tests/files.rs`; here, what a person sees.)

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::user::Role;
use lipa_web::router;
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};
use tower::ServiceExt;

const CORPUS: &str = include_str!("../../../tests/fixtures/xss.txt");

/// The strings of the corpus.
fn corpus() -> Vec<String> {
    CORPUS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("# "))
        .map(str::to_owned)
        .collect()
}

/// What the router answered.
struct Answer {
    uri: String,
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.uri, self.text()))
    }
}

/// A browser tab on the router: one session (or none), Bulgarian.
struct Browser {
    app: Router,
    cookie: Option<String>,
    csrf: String,
    auth: Option<String>,
}

impl Browser {
    async fn send(&self, req: axum::http::request::Builder, body: Body) -> Answer {
        let mut req = req.header(header::ACCEPT_LANGUAGE, "bg");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(a) = &self.auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        let req = req.body(body).unwrap();
        let uri = req.uri().to_string();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        let answer = Answer {
            uri,
            status,
            headers,
            bytes,
        };
        assert!(
            !answer.status.is_server_error(),
            "{} → {}: {}",
            answer.uri,
            answer.status,
            answer.text()
        );
        assert_escaped(&answer);
        answer
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri), Body::empty()).await
    }

    /// A page that must be there.
    async fn page(&self, uri: &str) -> Answer {
        let a = self.get(uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        a
    }

    async fn post(&self, uri: &str, fields: &[(String, String)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
    }

    async fn post_json(&self, uri: &str, value: &Value) -> Answer {
        self.send(
            Request::post(uri).header(header::CONTENT_TYPE, "application/json"),
            Body::from(value.to_string()),
        )
        .await
    }

    /// Uploads `bytes` as `filename` with the import form.
    async fn upload(&self, filename: &str, bytes: &[u8]) -> Answer {
        const BOUNDARY: &str = "lipa-hostile-boundary-51c2";
        let mut body = Vec::new();
        for (name, value) in [
            ("csrf", self.csrf.as_str()),
            ("format", "auto"),
            ("year", ""),
            ("district", ""),
        ] {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n\
                     {value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        self.send(
            Request::post("/import").header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ),
            Body::from(body),
        )
        .await
    }

    /// Opens `page`, fills the form posting to `action` that has a field `marker` the way a
    /// person would (every text field and text area gets `text`, dates a date, radio groups
    /// their first choice), lets `adjust` change what it wants, and sends it.
    async fn fill_and_send(
        &self,
        page: &str,
        action: &str,
        marker: &str,
        text: &str,
        adjust: impl FnOnce(&mut Vec<(String, String)>),
    ) -> Answer {
        let html = self.page(page).await.text();
        let mut fields = form_fields(&html, action, marker)
            .unwrap_or_else(|| panic!("{page}: no form to {action} with {marker}"));
        for f in &mut fields {
            match f.kind.as_str() {
                "text" | "textarea" | "search" | "url" | "email" | "tel" if !f.numeric => {
                    f.value = text.to_owned();
                }
                "date" if f.value.is_empty() => f.value = "2030-03-12".into(),
                _ => {}
            }
        }
        let mut pairs: Vec<(String, String)> =
            fields.into_iter().map(|f| (f.name, f.value)).collect();
        adjust(&mut pairs);
        self.post(action, &pairs).await
    }
}

/// A field of a form as a browser would send it.
struct Field {
    name: String,
    value: String,
    /// `text`, `textarea`, `select`, `date`, `hidden` …
    kind: String,
    /// A text input for a number (`inputmode=numeric|decimal`).
    numeric: bool,
}

/// The fields of the POST form to `action` that has a field named `marker`.
fn form_fields(html: &str, action: &str, marker: &str) -> Option<Vec<Field>> {
    let doc = Html::parse_document(html);
    let forms = Selector::parse("form[method=post]").unwrap();
    let fields = Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    let option = Selector::parse("option").unwrap();
    for form in doc.select(&forms) {
        if form.value().attr("action") != Some(action) {
            continue;
        }
        let mut out: Vec<Field> = Vec::new();
        let mut radios_seen: Vec<String> = Vec::new();
        for e in form.select(&fields) {
            let el = e.value();
            let name = el.attr("name").unwrap_or_default().to_owned();
            let (kind, value) = match el.name() {
                "input" => {
                    let kind = el.attr("type").unwrap_or("text").to_ascii_lowercase();
                    match kind.as_str() {
                        "submit" | "button" | "file" | "password" => continue,
                        "checkbox" if el.attr("checked").is_none() => continue,
                        "radio" => {
                            // The checked choice, else the first one.
                            let checked = el.attr("checked").is_some();
                            if radios_seen.contains(&name) {
                                if checked && let Some(f) = out.iter_mut().find(|f| f.name == name)
                                {
                                    f.value = el.attr("value").unwrap_or_default().into();
                                }
                                continue;
                            }
                            radios_seen.push(name.clone());
                        }
                        _ => {}
                    }
                    (kind, el.attr("value").unwrap_or_default().to_owned())
                }
                "select" => (
                    "select".to_owned(),
                    e.select(&selected)
                        .next()
                        .or_else(|| e.select(&option).next())
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or_default()
                        .to_owned(),
                ),
                _ => ("textarea".to_owned(), e.text().collect()),
            };
            let numeric = matches!(el.attr("inputmode"), Some("numeric" | "decimal"));
            out.push(Field {
                name,
                value,
                kind,
                numeric,
            });
        }
        if out.iter().any(|f| f.name == marker) {
            return Some(out);
        }
    }
    None
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in fields.iter_mut() {
        if n == name {
            *v = value.to_owned();
        }
    }
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The checks every HTML answer passes, whatever was typed anywhere: nothing a visitor's
/// browser would run or follow that lipa did not write itself.
fn assert_escaped(a: &Answer) {
    if !a.content_type().starts_with("text/html") {
        return;
    }
    let body = a.text();
    let uri = &a.uri;
    // Raw: every `<script` is one of lipa's two.
    let lower = body.to_lowercase();
    for (at, _) in lower.match_indices("<script") {
        let rest = &body[at + "<script".len()..];
        assert!(
            rest.starts_with(" src=\"/static/")
                || rest.starts_with(" type=\"application/ld+json\""),
            "{uri}: a script lipa did not write: {}",
            &body[at..(at + 120).min(body.len())]
        );
    }
    let doc = Html::parse_document(&body);
    for e in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let el = e.value();
        for (name, value) in el.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{uri}: <{} {name}={value:?}>",
                el.name()
            );
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "content"
            ) {
                assert!(
                    !squeezed.starts_with("javascript:")
                        && !squeezed.starts_with("vbscript:")
                        && !squeezed.starts_with("data:text/html"),
                    "{uri}: <{} {name}={value:?}>",
                    el.name()
                );
            }
        }
        match el.name() {
            "iframe" | "frame" | "object" | "embed" | "base" | "math" => {
                panic!("{uri}: an injected <{}>", el.name())
            }
            // A stand-alone file (the report) carries its style sheet in its head.
            "style" => assert!(
                e.ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| a.value().name() == "head"),
                "{uri}: an injected <style>"
            ),
            "meta" => assert!(el.attr("http-equiv").is_none(), "{uri}: <meta http-equiv>"),
            "form" => {
                let action = el.attr("action").unwrap_or("");
                assert!(
                    action.starts_with('/') && !action.starts_with("//"),
                    "{uri}: a form to {action:?}"
                );
            }
            "script" => {
                if el.attr("type") == Some("application/ld+json") {
                    let json: String = e.text().collect();
                    serde_json::from_str::<Value>(&json)
                        .unwrap_or_else(|err| panic!("{uri}: JSON-LD broken ({err}): {json}"));
                } else {
                    assert!(
                        el.attr("src").is_some_and(|s| s.starts_with("/static/")),
                        "{uri}: <script {:?}>",
                        el.attrs().collect::<Vec<_>>()
                    );
                }
            }
            _ => {}
        }
    }
    for s in corpus() {
        if s.contains(['<', '"']) {
            assert!(!body.contains(&s), "{uri}: {s:?} verbatim");
        }
    }
}

/// The text of a page as a person reads it.
fn page_text(a: &Answer) -> String {
    Html::parse_document(&a.text())
        .root_element()
        .text()
        .collect()
}

/// The value of the field `name` of the form to `action` on a page.
fn form_value(a: &Answer, action: &str, name: &str) -> Option<String> {
    form_fields(&a.text(), action, name)?
        .into_iter()
        .find(|f| f.name == name)
        .map(|f| f.value)
}

/// A cell of the registry's CSV: a formula-like text gets a leading `'`, and so does a text
/// that starts with one, so that the importer can take it off again.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_cells(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if bytes.contains(&b';') && !bytes.contains(&b',') {
            b';'
        } else {
            b','
        })
        .from_reader(bytes);
    reader
        .records()
        .flat_map(|r| {
            r.unwrap()
                .iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        })
        .collect()
}

fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        out.extend(range.used_cells().map(|(_, _, c)| c.to_string()));
    }
    out
}

/// The `TEXT` values of the iCalendar properties `name`, unfolded and unescaped (RFC 5545).
fn ical_values(ics: &str, name: &str) -> Vec<String> {
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    unfolded
        .split("\r\n")
        .filter_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| {
            let mut out = String::new();
            let mut chars = v.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n' | 'N') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect()
}

async fn demo() -> (Store, Browser) {
    let store = Store::open_test().await.unwrap();
    lipa_web::testing::load_demo(&store).await;
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, Role::Admin).await;
    let browser = Browser {
        app: router(lipa_web::testing::state(store.clone())),
        cookie: Some(cookie),
        csrf,
        auth: None,
    };
    (store, browser)
}

/// A script with an admin's API token, beside the browser `b`.
async fn api_client(store: &Store, b: &Browser) -> Browser {
    Browser {
        auth: Some(lipa_web::testing::api_token(store, Role::Admin).await),
        ..anonymous(b)
    }
}

fn anonymous(b: &Browser) -> Browser {
    Browser {
        app: b.app.clone(),
        cookie: None,
        csrf: String::new(),
        auth: None,
    }
}

/// The record number at the end of a `Location` (`/events/12?done=saved` → 12).
fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|r| r.split(['?', '/']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{location:?} is not under {prefix}"))
}

#[tokio::test]
async fn hostile_text_in_every_form_is_escaped_on_every_page_and_exact_in_every_export() {
    let (_store, admin) = demo().await;
    let public = anonymous(&admin);
    let strings = corpus();
    let library = 705;
    let mut events = Vec::new();
    let mut services = Vec::new();

    for (i, s) in strings.iter().enumerate() {
        // An event, with every text field of its form.
        let r = admin
            .fill_and_send("/events/new", "/events/new", "title", s, |f| {
                set(f, "starts", "2030-03-12");
                set(f, "ends", "2030-03-13");
                set(f, "district", "KNL");
            })
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "event {s:?}: {}", r.text());
        let id = id_in(r.location(), "/events/");
        let base = format!("/events/{id}");
        for (page, marker) in [
            ("agenda", "topic"),
            ("participants", "name"),
            ("groups", "card_name"),
        ] {
            let path = format!("{base}/{page}");
            let r = admin
                .fill_and_send(&path, &path, marker, s, |f| {
                    set(f, "time", "10:00");
                })
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "{path} {s:?}: {}",
                r.text()
            );
        }
        let card = format!("{base}/groups/1");
        let r = admin.fill_and_send(&card, &card, "goal", s, |_| {}).await;
        assert!(
            matches!(
                r.status,
                StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{card} {s:?}: {}",
            r.status
        );
        let r = admin
            .fill_and_send(&base, &format!("{base}/publish"), "version", s, |_| {})
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "publish {s:?}: {}",
            r.text()
        );
        events.push((id, s.clone()));

        // A service through the wizard, every step.
        let new = format!("/libraries/{library}/services/new");
        let r = admin.fill_and_send(&new, &new, "year", s, |_| {}).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{new}: {}", r.text());
        let sid = id_in(r.location(), "/services/");
        for step in 1..=7 {
            let path = format!("/services/{sid}/edit/{step}");
            let r = admin
                .fill_and_send(&path, &path, "version", s, |f| {
                    f.push(("action".into(), "continue".into()));
                })
                .await;
            assert!(
                matches!(
                    r.status,
                    StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{path} {s:?}: {} {}",
                r.status,
                r.text()
            );
            if step == 1 {
                assert_eq!(
                    r.status,
                    StatusCode::SEE_OTHER,
                    "{path} {s:?}: {}",
                    r.text()
                );
            }
        }
        services.push((sid, s.clone()));

        // A user and an API token, named with it.
        let r = admin
            .fill_and_send("/admin/users/new", "/admin/users", "display_name", s, |f| {
                set(f, "login", &format!("hostile{i}"));
                set(f, "role", "viewer");
            })
            .await;
        assert!(
            matches!(r.status, StatusCode::SEE_OTHER | StatusCode::OK),
            "user {s:?}: {} {}",
            r.status,
            r.text()
        );
        let r = admin
            .fill_and_send("/account", "/account/tokens", "name", s, |_| {})
            .await;
        assert!(
            r.status == StatusCode::OK || s.chars().count() > 100,
            "token {s:?}: {} {}",
            r.status,
            r.text()
        );

        // Reflected: the string as a query, a filter, a return address.
        let q: String = url_encode(s);
        for uri in [
            format!("/search?q={q}"),
            format!("/libraries?q={q}"),
            format!("/partners?q={q}"),
            format!("/events?q={q}"),
            format!("/admin/audit?q={q}"),
            format!("/login?back={q}"),
            format!("/libraries?district={q}&category={q}&page={q}"),
        ] {
            admin.get(&uri).await;
            public.get(&uri).await;
        }
    }

    // Each record's pages: the text shown as text, and held exactly by its edit form.
    for (id, s) in &events {
        let base = format!("/events/{id}");
        let show = public.page(&base).await;
        assert!(
            page_text(&show).contains(s.as_str()),
            "{base}: {s:?} not shown"
        );
        let edit = admin.page(&format!("{base}/edit")).await;
        assert_eq!(
            form_value(&edit, &format!("{base}/edit"), "title").as_deref(),
            Some(s.as_str()),
            "{base}/edit"
        );
        for sub in ["agenda", "participants", "groups", "groups/1", "report"] {
            admin.page(&format!("{base}/{sub}")).await;
            public.get(&format!("{base}/{sub}")).await;
        }
        admin.page(&format!("/history/event/{id}")).await;
        let report = public.page(&format!("{base}/report.html")).await;
        assert!(
            page_text(&report).contains(s.as_str()),
            "{base}/report.html"
        );
        let api = public.page(&format!("/api/v1/events/{id}")).await.json();
        assert_eq!(api["title"], json!(s), "/api/v1/events/{id}");
        assert_eq!(api["agenda"][0]["topic"], json!(s), "/api/v1/events/{id}");
        let ics = public.page(&format!("{base}.ics")).await;
        assert!(
            ical_values(&ics.text(), "SUMMARY")
                .iter()
                .any(|v| v.contains(s.as_str())),
            "{base}.ics"
        );
        let xlsx = admin.page(&format!("{base}/participants.xlsx")).await;
        assert!(
            xlsx_cells(&xlsx.bytes).contains(s),
            "{base}/participants.xlsx lacks {s:?}"
        );
    }
    for (id, s) in &services {
        let base = format!("/services/{id}");
        let show = admin.page(&base).await;
        assert!(
            page_text(&show).contains(s.as_str()),
            "{base}: {s:?} not shown"
        );
        admin.page(&format!("{base}/print")).await;
        admin.page(&format!("{base}/review")).await;
        admin.page(&format!("/history/service/{id}")).await;
        let edit = admin.page(&format!("{base}/edit/1")).await;
        assert_eq!(
            form_value(&edit, &format!("{base}/edit/1"), "name").as_deref(),
            Some(s.as_str())
        );
        let api = admin.page(&format!("/api/v1/services/{id}")).await.json();
        assert_eq!(api["card"]["name"], json!(s), "/api/v1/services/{id}");
        assert_eq!(api["card"]["goal"], json!(s), "/api/v1/services/{id}");
    }

    // Lists, reports and exports that gather them all.
    for uri in [
        "/",
        "/events",
        "/libraries",
        "/libraries/705",
        "/libraries/map",
        "/partners",
        "/reports",
        "/admin/users",
        "/admin/audit",
        "/account",
        "/open-data",
    ]
    .into_iter()
    .chain(lipa_web::testing::REPORT_PAGES)
    {
        admin.page(uri).await;
        public.get(uri).await;
    }
    let ics = public.page("/export/events.ics").await.text();
    let summaries = ical_values(&ics, "SUMMARY");
    for (_, s) in &events {
        assert!(
            summaries.iter().any(|v| v.contains(s.as_str())),
            "/export/events.ics lacks {s:?}"
        );
    }
    for uri in [
        "/export/registry.csv",
        "/libraries.csv",
        "/reports/district.csv",
        "/reports/matrix.csv",
        "/admin/audit.csv",
    ] {
        csv_cells(&admin.page(uri).await.bytes);
    }
    for uri in [
        "/export/registry.xlsx",
        "/libraries.xlsx",
        "/reports/district.xlsx",
        "/reports/matrix.xlsx",
    ] {
        xlsx_cells(&admin.page(uri).await.bytes);
    }
    let audit = csv_cells(&admin.page("/admin/audit.csv").await.bytes).join("\n");
    for (_, s) in &events {
        assert!(audit.contains(s.as_str()), "/admin/audit.csv lacks {s:?}");
    }
    public.page("/export/registry.json").await.json();
    public.page("/libraries.geojson").await.json();
    public.page("/catalog.jsonld").await.json();
}

fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_owned()
}

/// The registry as lipa exports it, with the names of its first libraries replaced.
async fn registry_with_names(b: &Browser, names: &[String]) -> (Value, Vec<i64>) {
    let mut registry = b.page("/export/registry.json").await.json();
    let libraries = registry["libraries"].as_array_mut().unwrap();
    assert!(libraries.len() >= names.len());
    let mut ids = Vec::new();
    for (l, name) in libraries.iter_mut().zip(names) {
        l["name"] = json!(name);
        ids.push(l["id"].as_i64().unwrap());
    }
    (registry, ids)
}

/// Uploads a file, expects its preview, commits it.
async fn import(b: &Browser, filename: &str, bytes: &[u8]) {
    let r = b.upload(filename, bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{filename}: {}", r.text());
    let preview = r.location().to_owned();
    b.page(&preview).await;
    let r = b
        .post(
            &format!("{preview}/commit"),
            &[("csrf".to_owned(), b.csrf.clone())],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{preview}/commit: {}",
        r.text()
    );
    b.page(r.location()).await;
}

/// Library names in the registry's JSON, CSV, XLSX and GeoJSON, and on the library's page.
async fn assert_names_everywhere(b: &Browser, ids: &[i64], names: &[String]) {
    let public = anonymous(b);
    let json = public.page("/export/registry.json").await.json();
    let geojson = public.page("/libraries.geojson").await.json();
    let csv = csv_cells(&public.page("/export/registry.csv").await.bytes);
    let xlsx = xlsx_cells(&public.page("/export/registry.xlsx").await.bytes);
    for (id, name) in ids.iter().zip(names) {
        let l = json["libraries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == json!(id))
            .unwrap();
        assert_eq!(l["name"], json!(name), "/export/registry.json");
        let api = public.page(&format!("/api/v1/libraries/{id}")).await.json();
        assert_eq!(api["name"], json!(name), "/api/v1/libraries/{id}");
        let page = public.page(&format!("/libraries/{id}")).await;
        assert!(
            page_text(&page).contains(name.as_str()),
            "/libraries/{id}: {name:?}"
        );
        assert!(
            csv.contains(&csv_cell(name)),
            "/export/registry.csv: {name:?}"
        );
        assert!(xlsx.contains(name), "/export/registry.xlsx: {name:?}");
        if let Some(f) = geojson["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == json!(id))
        {
            assert_eq!(f["properties"]["name"], json!(name), "/libraries.geojson");
        }
    }
    for uri in ["/libraries", "/libraries/map", "/search?q=библиотека", "/"] {
        public.page(uri).await;
    }
}

#[tokio::test]
async fn hostile_text_imported_as_json_csv_and_a_text_table_round_trips_escaped() {
    let (_store, admin) = demo().await;
    let strings = corpus();
    let count = admin.page("/export/registry.json").await.json()["libraries"]
        .as_array()
        .unwrap()
        .len();
    for (round, names) in strings.chunks(count).enumerate() {
        // JSON.
        let (registry, ids) = registry_with_names(&admin, names).await;
        import(&admin, "registry.json", registry.to_string().as_bytes()).await;
        assert_names_everywhere(&admin, &ids, names).await;

        // CSV: lipa's own export read back, the names of the same libraries reversed.
        let reversed: Vec<String> = names.iter().rev().cloned().collect();
        let (registry, _) = registry_with_names(&admin, &reversed).await;
        let (registry, _) = lipa_io::registry::read_json(registry.to_string().as_bytes())
            .expect("lipa's registry JSON");
        let csv = lipa_io::registry::to_csv(&registry, lipa_core::Lang::Bg);
        import(&admin, &format!("registry-{round}.csv"), &csv).await;
        assert_names_everywhere(&admin, &ids, &reversed).await;
    }

    // The text table: each name as a library of the table; whether the row reads or is refused
    // with its line, the page shows it escaped.
    for s in &strings {
        let table = format!(
            "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през \
             2012 г.\n\nID Име на библиотеката Община Населено място Услуга с подкрепата на \
             доброволци Целева група\n732 {s} Бобошево гр. Бобошево\n"
        );
        let r = admin.upload("table.txt", table.as_bytes()).await;
        assert!(
            matches!(
                r.status,
                StatusCode::SEE_OTHER | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{s:?}: {} {}",
            r.status,
            r.text()
        );
        if r.status == StatusCode::SEE_OTHER {
            admin.page(r.location()).await;
        }
        // The file name is shown back too.
        let r = admin
            .upload(&s.replace(['"', '\r', '\n'], "_"), b"not a table")
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{s:?}");
    }
}

#[tokio::test]
async fn hostile_text_through_the_api_round_trips_exactly() {
    let (store, admin) = demo().await;
    let api = api_client(&store, &admin).await;
    let public = anonymous(&admin);
    let mut strings = corpus();
    // Line breaks, which no one-line form field carries: iCalendar must fold and escape them,
    // never start a property with them.
    strings.push("Среща\r\nATTENDEE:mailto:evil@example.com\r\nBEGIN:VALARM".into());
    strings.push("ред едно\nред две\rред три".into());
    for s in &strings {
        let r = api
            .post_json(
                "/api/v1/partners",
                &json!({"name": s, "short_name": "", "kind": "media", "description": s, "website": ""}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{s:?}: {}", r.text());
        let id = r.json()["id"].as_i64().unwrap();
        let read = public.page(&format!("/api/v1/partners/{id}")).await.json();
        assert_eq!(
            (&read["name"], &read["description"]),
            (&json!(s), &json!(s))
        );
        let page = public.page(&format!("/partners/{id}")).await;
        let shown = page_text(&page);
        // HTML reads a carriage return as a line feed.
        for line in s.replace('\r', "\n").lines() {
            assert!(shown.contains(line), "/partners/{id}: {line:?}");
        }

        let event = json!({
            "title": s, "kind": "meeting", "starts": "2030-03-12", "ends": "2030-03-12",
            "district": "KNL", "venue": s, "purpose": s, "organisers": [s], "published": true,
        });
        let r = api.post_json("/api/v1/events", &event).await;
        assert_eq!(r.status, StatusCode::CREATED, "{s:?}: {}", r.text());
        let id = r.json()["id"].as_i64().unwrap();
        let read = public.page(&format!("/api/v1/events/{id}")).await.json();
        assert_eq!(read["title"], json!(s));
        assert_eq!(read["organisers"], json!([s]));
        let ics = public.page(&format!("/events/{id}.ics")).await.text();
        let summary = ical_values(&ics, "SUMMARY");
        assert!(
            // Line breaks escaped as `\n`; a carriage return has no place in a calendar text.
            summary.len() == 1 && summary[0].contains(&s.replace('\r', "")),
            "/events/{id}.ics: {summary:?}"
        );
        for line in ics.split("\r\n") {
            assert!(
                !line.starts_with("ATTENDEE") && !line.starts_with("BEGIN:VALARM"),
                "/events/{id}.ics: {line:?}"
            );
        }
        public.page(&format!("/events/{id}")).await;
        public.page(&format!("/events/{id}/report")).await;
    }
    public.page("/partners").await;
    public.page("/events").await;
    public.page("/export/events.ics").await;
}

/// Far past every limit: 40,000 characters (an XLSX cell holds 32,767).
fn huge() -> String {
    "<script>alert(1)</script>ж".repeat(40_000 / 26 + 1)
}

#[tokio::test]
async fn text_longer_than_a_field_allows_is_refused_with_a_translated_message() {
    let (store, admin) = demo().await;
    let api = api_client(&store, &admin).await;
    let s = huge();
    let too_long = |a: &Answer| {
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            a.uri,
            a.status
        );
        let text = page_text(a);
        assert!(
            text.contains("Твърде дълго") || text.contains("най-много"),
            "{}: no translated message in {}",
            a.uri,
            text.chars().take(3000).collect::<String>()
        );
    };

    // Every text field of the event form, one at a time.
    let r = admin
        .fill_and_send("/events/new", "/events/new", "title", "Среща", |f| {
            set(f, "starts", "2030-03-12");
            set(f, "ends", "2030-03-13");
        })
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = id_in(r.location(), "/events/");
    let base = format!("/events/{id}");
    for field in ["title", "venue", "organisers", "purpose", "group_method"] {
        let edit = format!("{base}/edit");
        let r = admin
            .fill_and_send(&edit, &edit, "title", "Среща", |f| set(f, field, &s))
            .await;
        too_long(&r);
    }
    for (page, marker, fields) in [
        ("agenda", "topic", &["topic", "speaker", "organisation"][..]),
        (
            "participants",
            "name",
            &["name", "position", "organisation"][..],
        ),
        ("groups", "card_name", &["name", "card_name"][..]),
    ] {
        let path = format!("{base}/{page}");
        for field in fields {
            let r = admin
                .fill_and_send(&path, &path, marker, "Иван Петров", |f| {
                    set(f, "time", "10:00");
                    set(f, field, &s);
                })
                .await;
            too_long(&r);
        }
    }

    // The API: the same limits, as problem+json naming the field.
    for (uri, body) in [
        (
            "/api/v1/events",
            json!({"title": "Среща", "kind": "meeting", "starts": "2030-03-12",
                   "ends": "2030-03-12", "district": "KNL", "group_method": s}),
        ),
        (
            "/api/v1/events",
            json!({"title": "Среща", "kind": "meeting", "starts": "2030-03-12",
                   "ends": "2030-03-12", "district": "KNL", "organisers": [s]}),
        ),
        (
            "/api/v1/partners",
            json!({"name": "Партньор", "kind": "media", "description": s}),
        ),
    ] {
        let r = api.post_json(uri, &body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.text()
        );
    }

    // Whatever was stored, every export still opens.
    for uri in [
        format!("{base}/participants.xlsx"),
        "/export/registry.xlsx".into(),
        "/libraries.xlsx".into(),
        "/reports/district.xlsx".into(),
        "/reports/matrix.xlsx".into(),
    ] {
        xlsx_cells(&admin.page(&uri).await.bytes);
    }
}

#[tokio::test]
async fn wrong_encodings_truncated_and_oversized_files_get_a_translated_error() {
    let (_store, admin) = demo().await;
    let json = admin.page("/export/registry.json").await.bytes;
    let xlsx = admin.page("/export/registry.xlsx").await.bytes;
    let text = String::from_utf8(json.clone()).unwrap();
    let utf16 = |bom: bool| -> Vec<u8> {
        let mut out: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    };
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let oversized = {
        let mut v = b"{\"format\": \"lipa-registry\", \"version\": 1, \"libraries\": [], \"x\": \""
            .to_vec();
        v.resize(
            lipa_io::limits::MAX_FILE_BYTES.min(lipa_web::MAX_UPLOAD - 4096) + 1,
            b'a',
        );
        v
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("registry.json", json[..json.len() / 2].to_vec()),
        ("registry.xlsx", xlsx[..xlsx.len() / 2].to_vec()),
        ("registry.xlsx", xlsx[..100].to_vec()),
        ("registry.json", oversized),
        ("registry.json", vec![0xFF; 1000]),
        ("registry.json", utf16(false)),
        ("registry.xlsx", b"PK\x03\x04 not a workbook".to_vec()),
    ];
    for (name, bytes) in cases {
        let r = admin.upload(name, &bytes).await;
        assert!(
            r.status.is_client_error(),
            "{name} ({} bytes): {} {}",
            bytes.len(),
            r.status,
            r.text()
        );
        let doc = Html::parse_document(&r.text());
        let errors: Vec<String> = doc
            .select(&sel("table.import-errors tbody tr, .error-message"))
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        assert!(!errors.is_empty(), "{name}: no error shown: {}", r.text());
        for e in &errors {
            // Translated: Cyrillic words, no message key.
            assert!(
                e.chars().any(|c| ('а'..='я').contains(&c)) && !e.contains("err-"),
                "{name}: {e:?}"
            );
        }
    }
    // UTF-16 with its byte-order mark reads, and so does Windows-1251 (the importers tell it
    // from UTF-8); UTF-16 without the mark is refused above, as the CSV is (`files.rs`).
    for bytes in [utf16(true), cp1251.into_owned()] {
        let r = admin.upload("registry.json", &bytes).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
}

#[test]
fn an_xlsx_cell_past_excels_limit_is_cut_with_an_ellipsis() {
    use lipa_io::tables::{Cell, MAX_XLSX_CELL, write_table_xlsx, xlsx_text};
    // A list cell adds up past the limit of any one text; emoji count two UTF-16 units.
    let long = "📚 читалище ".repeat(4_000);
    assert!(long.encode_utf16().count() > MAX_XLSX_CELL);
    let cut = xlsx_text(&long);
    assert!(cut.ends_with('…') && long.starts_with(cut.trim_end_matches('…')));
    assert!(cut.encode_utf16().count() <= MAX_XLSX_CELL);
    assert!(cut.encode_utf16().count() >= MAX_XLSX_CELL - 2);
    assert_eq!(xlsx_text("кратко"), "кратко");

    let bytes = write_table_xlsx(
        "Таблица",
        &long,
        &["Име".to_owned()],
        &[vec![Cell::Text(long.clone())]],
    )
    .expect("the workbook is written");
    let cells = xlsx_cells(&bytes);
    assert_eq!(
        cells.iter().filter(|c| **c == *cut).count(),
        2,
        "title and cell, cut"
    );

    let mut registry = lipa_io::Registry::default();
    let mut library: lipa_core::library::Library = serde_json::from_value(json!({
        "id": 705, "name": "x", "kind": "regional", "settlement": "41112", "coordinator": true,
    }))
    .expect("a library");
    library.name = long.clone();
    registry.libraries.push(library);
    let bytes = lipa_io::registry::to_xlsx(&registry, lipa_core::Lang::Bg).expect("written");
    assert!(xlsx_cells(&bytes).contains(&cut.into_owned()));
}
