//! Load: 200 clients at once against a real server on 127.0.0.1 (port 0), on the demo data, for
//! a bounded time — `LIPA_LOAD_SECONDS` (default 12 s; at most 60 s). Readers, half of the
//! clients, browse the pages and the API anonymously. Browsers, a quarter, sign in through the
//! form like a person (a district coordinator each, the cookie kept), read pages, create an event
//! with the form and keep editing it. API clients, the last quarter, create partners with an
//! admin token and replace them with `If-Match`, reading each back.
//!
//! Every acknowledged write (a 303 from a form, a 201/200 from the API) is logged; afterwards the
//! store must hold exactly those records — none lost, none twice — each with its last
//! acknowledged text and version. No answer may be a 5xx; no request may fail. The figures
//! (requests per second, median and 99th-percentile latency) are printed for the notes:
//!
//! ```text
//! cargo test -p lipa-web --test load -- --nocapture
//! LIPA_LOAD_SECONDS=50 LIPA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo test -p lipa-web --test load -- --nocapture
//! ```

use lipa_app::testing::{NewPassword, Store, hash_password};
use lipa_core::audit::Actor;
use lipa_core::ids::DistrictCode;
use lipa_core::user::{Role, User};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use scraper::{Html, Selector};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;
const PASSWORD: &str = "натоварване-2012-липа";
/// Marks the records this test writes (the demo has none like it).
const MARK: &str = "Натоварване";

/// How long the clients run.
fn load_time() -> Duration {
    let seconds = std::env::var("LIPA_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(12)
        .clamp(1, 60);
    Duration::from_secs(seconds)
}

/// What a client was told a write did.
#[derive(Debug, Clone)]
enum Ack {
    EventCreated { id: i64, title: String },
    EventSaved { id: i64, title: String },
    PartnerCreated { id: i64, name: String, version: i64 },
    PartnerSaved { id: i64, name: String, version: i64 },
}

/// What all clients saw.
#[derive(Default)]
struct Log {
    /// Each answer's time, with what was asked (`GET /events/{id}/edit`).
    latencies: Vec<(String, Duration)>,
    statuses: BTreeMap<u16, usize>,
    /// Answers a client did not expect (`GET /x → 409`), with the start of the body.
    unexpected: Vec<String>,
    /// Requests that got no answer at all.
    failed: Vec<String>,
    acks: Vec<Ack>,
}

/// One client's view of the server: its own connections and cookies, like a browser tab.
struct Client {
    http: reqwest::Client,
    base: String,
    log: Arc<Mutex<Log>>,
    auth: Option<String>,
}

impl Client {
    /// Client `n` connects from 127.0.0.`n + 2`: each person from their own address, as on the
    /// internet (sign-ins are throttled per address).
    fn new(n: usize, base: &str, log: &Arc<Mutex<Log>>, auth: Option<String>) -> Self {
        let from = std::net::Ipv4Addr::new(127, 0, 0, 2 + u8::try_from(n).unwrap());
        let http = reqwest::Client::builder()
            .local_address(std::net::IpAddr::V4(from))
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Client {
            http,
            base: base.to_owned(),
            log: log.clone(),
            auth,
        }
    }

    /// Sends `req`; logs its latency and status. `None` when there was no answer, or an answer
    /// not in `expected`.
    async fn send(
        &self,
        what: String,
        req: reqwest::RequestBuilder,
        expected: &[StatusCode],
    ) -> Option<(StatusCode, reqwest::header::HeaderMap, String)> {
        let req = match &self.auth {
            Some(a) => req.header(reqwest::header::AUTHORIZATION, a),
            None => req,
        };
        let started = Instant::now();
        let res = match req.header("accept-language", "bg").send().await {
            Ok(r) => r,
            Err(e) => {
                self.log.lock().unwrap().failed.push(format!("{what}: {e}"));
                return None;
            }
        };
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.text().await;
        let elapsed = started.elapsed();
        let mut log = self.log.lock().unwrap();
        log.latencies.push((route(&what), elapsed));
        *log.statuses.entry(status.as_u16()).or_default() += 1;
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                log.failed.push(format!("{what}: body: {e}"));
                return None;
            }
        };
        if !expected.contains(&status) {
            let start: String = body.chars().take(300).collect();
            log.unexpected.push(format!("{what} → {status}: {start}"));
            return None;
        }
        Some((status, headers, body))
    }

    async fn get(&self, path: &str) -> Option<String> {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(format!("GET {path}"), req, &[StatusCode::OK])
            .await
            .map(|(_, _, body)| body)
    }

    /// Posts a form; the `Location` of its 303.
    async fn post_form(&self, path: &str, fields: &[(String, String)]) -> Option<String> {
        let req = self.http.post(format!("{}{path}", self.base)).form(fields);
        let (_, headers, _) = self
            .send(format!("POST {path}"), req, &[StatusCode::SEE_OTHER])
            .await?;
        headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    fn log(&self, ack: Ack) {
        self.log.lock().unwrap().acks.push(ack);
    }
}

/// What a request asked, its numbers and query left out: `GET /events/{id}/edit`.
fn route(what: &str) -> String {
    let what = what.split('?').next().unwrap_or(what);
    what.split('/')
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The fields a browser would send from the form `action` of `html`, as filled in by default.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let form_sel = Selector::parse(&format!("form[method=post][action=\"{action}\"]")).unwrap();
    let Some(form) = doc.select(&form_sel).next() else {
        return Vec::new();
    };
    let fields = Selector::parse("input[name], select[name], textarea[name]").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    let first = Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for e in form.select(&fields) {
        let el = e.value();
        let name = el.attr("name").unwrap_or_default().to_owned();
        let value = match el.name() {
            "input" => {
                let kind = el.attr("type").unwrap_or("text");
                if matches!(kind, "submit" | "button" | "file")
                    || (matches!(kind, "checkbox" | "radio") && el.attr("checked").is_none())
                {
                    continue;
                }
                el.attr("value").unwrap_or_default().to_owned()
            }
            "select" => e
                .select(&selected)
                .next()
                .or_else(|| e.select(&first).next())
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_owned(),
            _ => e.text().collect(),
        };
        out.push((name, value));
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in fields.iter_mut() {
        if n == name {
            *v = value.to_owned();
        }
    }
}

/// Pages and API reads anyone may make, by the numbers of the demo.
fn public_paths(library: i64) -> Vec<String> {
    [
        "/",
        "/libraries",
        "/libraries?district=KNL",
        "/search?q=читалище",
        "/search?q=kiustendil",
        "/events",
        "/partners",
        "/reports/coverage",
        "/api/v1/libraries?limit=20",
        "/api/v1/partners?limit=20",
        "/api/v1/events",
        "/api/v1/reports/counts",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([
        format!("/libraries/{library}"),
        format!("/api/v1/libraries/{library}"),
    ])
    .collect()
}

async fn reader(c: Client, n: usize, libraries: Arc<Vec<i64>>, until: Instant) {
    let mut k = n;
    while Instant::now() < until {
        let paths = public_paths(libraries[k % libraries.len()]);
        c.get(&paths[k % paths.len()]).await;
        k += 7;
    }
}

/// A coordinator in a browser: signs in with the form, then creates an event and edits it.
async fn browser(c: Client, n: usize, until: Instant) {
    let login = format!("load{n}");
    let Some(_) = c
        .post_form(
            "/login",
            &[
                ("login".into(), login),
                ("password".into(), PASSWORD.into()),
                ("back".into(), "/events".into()),
            ],
        )
        .await
    else {
        return;
    };
    let mut event: Option<i64> = None;
    let mut k = 0;
    while Instant::now() < until {
        k += 1;
        match k % 4 {
            0 => {
                c.get("/events").await;
            }
            1 => {
                c.get("/account").await;
            }
            _ => {
                let title = format!("{MARK} {n}.{k}");
                match event {
                    None => {
                        let Some(page) = c.get("/events/new").await else {
                            continue;
                        };
                        let mut fields = form_fields(&page, "/events/new");
                        set(&mut fields, "title", &title);
                        set(&mut fields, "starts", "2030-03-12");
                        set(&mut fields, "ends", "2030-03-13");
                        if let Some(to) = c.post_form("/events/new", &fields).await {
                            let id = event_id(&to);
                            c.log(Ack::EventCreated { id, title });
                            event = Some(id);
                        }
                    }
                    Some(id) => {
                        let path = format!("/events/{id}/edit");
                        let Some(page) = c.get(&path).await else {
                            continue;
                        };
                        let mut fields = form_fields(&page, &path);
                        set(&mut fields, "title", &title);
                        if c.post_form(&path, &fields).await.is_some() {
                            c.log(Ack::EventSaved { id, title });
                        }
                    }
                }
            }
        }
    }
}

fn event_id(location: &str) -> i64 {
    location
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("an event's address: {location}"))
}

fn etag(headers: &reqwest::header::HeaderMap) -> i64 {
    headers
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_matches('"').parse().ok())
        .expect("an ETag with the version")
}

/// An API client: creates a partner, then replaces it again and again, reading it back.
async fn api_client(c: Client, n: usize, until: Instant) {
    let mut partner: Option<(i64, i64)> = None;
    let mut k = 0;
    while Instant::now() < until {
        k += 1;
        let name = format!("{MARK} {n}.{k}");
        let body = json!({"name": name, "kind": "media", "description": format!("запис {k}")});
        match partner {
            None => {
                let req = c
                    .http
                    .post(format!("{}/api/v1/partners", c.base))
                    .json(&body);
                if let Some((_, headers, text)) = c
                    .send("POST /api/v1/partners".into(), req, &[StatusCode::CREATED])
                    .await
                {
                    let stored: Value = serde_json::from_str(&text).unwrap();
                    let id = stored["id"].as_i64().unwrap();
                    let version = etag(&headers);
                    c.log(Ack::PartnerCreated { id, name, version });
                    partner = Some((id, version));
                }
            }
            Some((id, version)) => {
                let path = format!("/api/v1/partners/{id}");
                if k % 3 == 0 {
                    let req = c.http.get(format!("{}{path}", c.base));
                    if let Some((_, _, text)) =
                        c.send(format!("GET {path}"), req, &[StatusCode::OK]).await
                    {
                        let read: Value = serde_json::from_str(&text).unwrap();
                        assert_eq!(read["version"].as_i64(), Some(version), "{read}");
                    }
                    continue;
                }
                let req = c
                    .http
                    .put(format!("{}{path}", c.base))
                    .header(reqwest::header::IF_MATCH, format!("\"{version}\""))
                    .json(&body);
                if let Some((_, headers, _)) =
                    c.send(format!("PUT {path}"), req, &[StatusCode::OK]).await
                {
                    let version = etag(&headers);
                    c.log(Ack::PartnerSaved { id, name, version });
                    partner = Some((id, version));
                }
            }
        }
    }
}

/// The coordinators the browsers sign in as: one password hash for all (the sign-ins still
/// each verify it).
async fn coordinators(store: &Store, count: usize) {
    let hash = hash_password(PASSWORD).unwrap();
    for n in 0..count {
        let user = User {
            login: format!("load{n}"),
            display_name: format!("Координатор {n}"),
            role: Role::Coordinator {
                district: DistrictCode::parse("KNL").unwrap(),
            },
            disabled: false,
        };
        store
            .create_user(
                &Actor("load test".into()),
                &user,
                Some(NewPassword::chosen(&hash)),
            )
            .await
            .unwrap();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_clients_read_and_write_without_errors_or_lost_writes() {
    let store = Store::open_test().await.unwrap();
    let backend = format!("{:?}", store.backend());
    lipa_web::testing::load_demo(&store).await;
    let browsers = CLIENTS / 4;
    let api_clients = CLIENTS / 4;
    coordinators(&store, browsers).await;
    let mut tokens = Vec::new();
    for _ in 0..api_clients {
        tokens.push(lipa_web::testing::api_token(&store, Role::Admin).await);
    }
    let libraries: Vec<i64> = store
        .libraries()
        .await
        .unwrap()
        .iter()
        .map(|l| i64::from(l.id.get()))
        .collect();
    assert!(!libraries.is_empty());
    let libraries = Arc::new(libraries);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(lipa_web::serve_on(
        listener,
        lipa_web::testing::state(store.clone()),
    ));

    let log = Arc::new(Mutex::new(Log::default()));
    let started = Instant::now();
    let until = started + load_time();
    let mut clients = tokio::task::JoinSet::new();
    for n in 0..CLIENTS {
        match n % 4 {
            0 | 1 => {
                let c = Client::new(n, &base, &log, None);
                clients.spawn(reader(c, n, libraries.clone(), until));
            }
            2 => {
                let c = Client::new(n, &base, &log, None);
                clients.spawn(browser(c, n / 4, until));
            }
            _ => {
                let c = Client::new(n, &base, &log, Some(tokens[n / 4].clone()));
                clients.spawn(api_client(c, n / 4, until));
            }
        }
    }
    while let Some(done) = clients.join_next().await {
        done.expect("a client panicked");
    }
    let elapsed = started.elapsed();
    server.abort();

    let log = std::mem::take(&mut *log.lock().unwrap());
    let mut latencies: Vec<Duration> = log.latencies.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let requests = latencies.len();
    let mut by_route: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for (what, d) in &log.latencies {
        by_route.entry(what).or_default().push(*d);
    }
    let mut slowest: Vec<(Duration, Duration, usize, &str)> = by_route
        .iter_mut()
        .map(|(what, ds)| {
            ds.sort();
            (percentile(ds, 0.99), percentile(ds, 0.5), ds.len(), *what)
        })
        .collect();
    slowest.sort_by(|a, b| b.cmp(a));
    println!(
        "load ({backend}): {CLIENTS} clients, {requests} requests in {:.1} s: {:.0} req/s, \
         p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; statuses {:?}; {} writes acknowledged",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
        log.statuses,
        log.acks.len(),
    );
    for (p99, p50, n, what) in slowest.iter().take(6) {
        println!(
            "  {what}: {n} requests, p50 {:.1} ms, p99 {:.1} ms",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    assert!(log.failed.is_empty(), "no answer: {:#?}", log.failed);
    let server_errors: usize = log.statuses.range(500..).map(|(_, n)| n).sum();
    assert_eq!(server_errors, 0, "{:#?}", log.unexpected);
    assert!(log.unexpected.is_empty(), "{:#?}", log.unexpected);
    assert!(requests > CLIENTS, "{requests} requests");

    // What the clients were told, record by record: the last acknowledged text and version.
    let mut events: HashMap<i64, (String, usize)> = HashMap::new();
    let mut partners: HashMap<i64, (String, i64)> = HashMap::new();
    for ack in &log.acks {
        match ack.clone() {
            Ack::EventCreated { id, title } => {
                assert!(events.insert(id, (title, 0)).is_none(), "event {id} twice");
            }
            Ack::EventSaved { id, title } => {
                let e = events.get_mut(&id).expect("saved after created");
                *e = (title, e.1 + 1);
            }
            Ack::PartnerCreated { id, name, version } => {
                assert!(
                    partners.insert(id, (name, version)).is_none(),
                    "partner {id} twice"
                );
            }
            Ack::PartnerSaved { id, name, version } => {
                partners.insert(id, (name, version));
            }
        }
    }
    assert!(
        events.len() == browsers && partners.len() == api_clients,
        "every writer got to write: {} events, {} partners",
        events.len(),
        partners.len()
    );

    let stored_events: HashMap<i64, _> = store
        .events()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.record.title.starts_with(MARK))
        .map(|e| (e.id.get(), e))
        .collect();
    assert_eq!(stored_events.len(), events.len(), "events lost or added");
    for (id, (title, saves)) in &events {
        let e = stored_events
            .get(id)
            .expect("an acknowledged event is stored");
        assert_eq!(&e.record.title, title, "event {id}");
        assert_eq!(
            e.version,
            1 + *saves as i64,
            "event {id}: one version a save"
        );
    }
    let stored_partners: HashMap<i64, _> = store
        .partners()
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.record.name.starts_with(MARK))
        .map(|p| (p.id.get(), p))
        .collect();
    assert_eq!(
        stored_partners.len(),
        partners.len(),
        "partners lost or added"
    );
    for (id, (name, version)) in &partners {
        let p = stored_partners
            .get(id)
            .expect("an acknowledged partner is stored");
        assert_eq!(&p.record.name, name, "partner {id}");
        assert_eq!(p.version, *version, "partner {id}");
    }
}
