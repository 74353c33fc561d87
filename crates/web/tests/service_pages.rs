//! The library page, the service card (page, print sheet, guided form, review, status, adopt)
//! and the partner pages, on the Kyustendil 2012 demo data, through the whole router.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use lipa_app::testing::Store;
use lipa_core::ids::{DistrictCode, LibraryId, ServiceId};
use lipa_core::service::ServiceStatus;
use lipa_core::user::Role;
use lipa_web::testing::STEP_TITLES_BG;
use lipa_web::{router, testing};
use scraper::Html;
use tower::ServiceExt;

struct App {
    store: Store,
    router: Router,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    html: Html,
}

impl Page {
    fn texts(&self, css: &str) -> Vec<String> {
        testing::texts(&self.html, css)
    }

    fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        testing::attrs(&self.html, css, attr)
    }

    fn count(&self, css: &str) -> usize {
        self.html.select(&testing::sel(css)).count()
    }

    /// The value of a form field (the first of that name).
    fn field(&self, name: &str) -> String {
        self.attrs(&format!("input[name=\"{name}\"]"), "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .expect("a redirect")
            .to_str()
            .unwrap()
            .to_owned()
    }

    fn h1(&self) -> String {
        self.texts("h1").into_iter().next().unwrap_or_default()
    }
}

impl App {
    /// A fresh in-memory store with the demo written the way `lipa demo` writes it.
    async fn demo() -> App {
        let store = Store::open_test().await.expect("store");
        testing::load_demo(&store).await;
        App {
            router: router(lipa_web::testing::state(store.clone())),
            store,
        }
    }

    async fn send(&self, req: Request<Body>) -> Page {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        Page {
            status,
            headers,
            html: Html::parse_document(&String::from_utf8_lossy(&bytes)),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    async fn get_en(&self, path: &str) -> Page {
        self.send(
            Request::get(path)
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Page {
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let body = serde_urlencoded::to_string(form).unwrap();
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// The ID of the (one) service of a library in the demo.
    async fn service_of(&self, library: u32) -> ServiceId {
        let list = self
            .store
            .services_of(&[LibraryId::new(library).unwrap()])
            .await
            .unwrap();
        assert_eq!(
            list.len(),
            1,
            "library {library} has one service in the demo"
        );
        list[0].id
    }

    async fn librarian(&self, library: u32) -> (String, String) {
        testing::sign_in_with_csrf(
            &self.store,
            Role::Librarian {
                library: LibraryId::new(library).unwrap(),
            },
        )
        .await
    }
}

#[tokio::test]
async fn library_page_shows_where_it_is_and_what_it_offers() {
    let app = App::demo().await;
    let page = app.get("/libraries/708", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.h1().contains("Каляшки"), "{}", page.h1());
    let crumbs = page.texts("nav.breadcrumbs li");
    assert_eq!(
        crumbs,
        [
            "Библиотеки",
            "област Кюстендил",
            "община Кюстендил",
            "с. Жиленци"
        ]
    );
    let hrefs = page.attrs("nav.breadcrumbs a", "href");
    assert_eq!(hrefs[1], "/libraries?district=KNL");
    assert!(
        hrefs[2].starts_with("/libraries?district=KNL&municipality=KNL"),
        "{}",
        hrefs[2]
    );

    let services = page.texts("table.lib-services tbody tr");
    assert_eq!(services.len(), 1);
    assert!(services[0].contains("Е-здраве"), "{}", services[0]);
    assert!(
        services[0].contains("Предоставяне на информация на здравни теми"),
        "{}",
        services[0]
    );
    let id = app.service_of(708).await;
    assert_eq!(
        page.attrs("table.lib-services a", "href"),
        [format!("/services/{id}")]
    );

    // The district's meeting, and the way to the history; no "add" button for the public.
    assert!(
        page.texts(".lib-events li")
            .iter()
            .any(|e| e.contains("Библиотеката и нейните партньори"))
    );
    assert_eq!(
        page.attrs("a[href=\"/history/library/708\"]", "href").len(),
        1
    );
    assert_eq!(page.count("a[href=\"/libraries/708/services/new\"]"), 0);

    // The regional library names its partner in step 4: it shows, linked to the partner's page.
    let rb = app.get("/libraries/705", None).await;
    let partners = rb.texts(".lib-partners li");
    assert!(
        partners.iter().any(|p| p.contains("Ресурсен център")),
        "{partners:?}"
    );
    assert!(rb.attrs(".lib-partners a", "href")[0].starts_with("/partners/"));
    let details = rb.texts("dl.lib-details dd");
    assert!(
        details.iter().any(|d| d.starts_with("да")),
        "coordinator: {details:?}"
    );
}

#[tokio::test]
async fn unknown_library_is_a_not_found_page_in_bulgarian() {
    let app = App::demo().await;
    for path in [
        "/libraries/99999",
        "/libraries/abc",
        "/services/424242",
        "/partners/999",
    ] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.h1(), "Страницата не е намерена", "{path}");
        assert_eq!(page.attrs("html", "lang"), ["bg"]);
    }
}

#[tokio::test]
async fn service_card_shows_the_eight_steps_and_prints_on_its_own() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let page = app.get(&format!("/services/{id}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Предоставяне на информация на здравни теми");
    assert_eq!(page.texts(".card-steps > li > h3"), STEP_TITLES_BG);
    assert!(
        page.texts(".card-steps > li")
            .iter()
            .any(|s| s.contains("Местна общност"))
    );
    assert_eq!(page.attrs("[data-status]", "data-status"), ["planned"]);

    let print = app.get(&format!("/services/{id}/print"), None).await;
    assert_eq!(print.status, StatusCode::OK);
    assert_eq!(print.count("nav"), 0, "the print sheet has no navigation");
    assert_eq!(print.count("header.site-header, footer"), 0);
    assert_eq!(print.texts(".card-steps > li > h3"), STEP_TITLES_BG);
    assert_eq!(
        print.attrs("link[media=print]", "href"),
        ["/static/print.css"]
    );
    assert!(print.texts(".svc-print-meta")[0].contains("Е-здраве"));
}

#[tokio::test]
async fn pages_speak_english_when_asked() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let page = app.get_en(&format!("/services/{id}")).await;
    assert_eq!(page.attrs("html", "lang"), ["en"]);
    let titles = page.texts(".card-steps > li > h3");
    assert_eq!(titles[0], "Choice of the service and its name");
    assert_eq!(titles[1], "Goal");
    assert_eq!(titles.len(), 8);
    assert!(page.texts(".tag").iter().any(|t| t == "E-health"));

    let lib = app.get_en("/libraries/708").await;
    assert_eq!(
        lib.texts("nav.breadcrumbs li")[1..],
        [
            "Kyustendil district",
            "Kyustendil municipality",
            "Zhilentsi"
        ]
    );
    let missing = app.get_en("/libraries/99999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.h1(), "Page not found");
}

#[tokio::test]
async fn a_librarian_writes_a_card_step_by_step_and_publishes_it() {
    let app = App::demo().await;
    let before = app.store.counts().await.unwrap();
    let (cookie, csrf) = app.librarian(732).await;
    let c = Some(cookie.as_str());

    // The library has no service; its librarian sees "add a service".
    let lib = app.get("/libraries/732", c).await;
    assert_eq!(
        lib.attrs("a[href=\"/libraries/732/services/new\"]", "href")
            .len(),
        1
    );
    let new = app.get("/libraries/732/services/new", c).await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(new.field("csrf"), csrf);

    // Nothing chosen: the error summary links to the field.
    let bad = app
        .post(
            "/libraries/732/services/new",
            c,
            &[("csrf", &csrf), ("year", "2026")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.attrs(".error-summary a", "href"), ["#f-category"]);
    assert_eq!(bad.field("year"), "2026");

    let created = app
        .post(
            "/libraries/732/services/new",
            c,
            &[("csrf", &csrf), ("category", "e-culture"), ("year", "2026")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let step1 = created.location();
    assert!(step1.ends_with("/edit/1"), "{step1}");
    let id: ServiceId = step1
        .trim_start_matches("/services/")
        .trim_end_matches("/edit/1")
        .parse()
        .unwrap();
    let draft = app
        .store
        .service(id)
        .await
        .unwrap()
        .expect("the draft is stored at once");
    assert_eq!(draft.record.status, ServiceStatus::Draft);
    assert_eq!(draft.record.library.get(), 732);
    let base = format!("/services/{id}/edit");

    // Step 1: the step navigation lists all 8 steps with this one marked.
    let page = app.get(&step1, c).await;
    assert_eq!(page.count(".step-nav li"), 9);
    assert_eq!(
        page.texts(".step-nav [aria-current=step]"),
        ["1. Услуга и име"]
    );
    let version = page.field("version");
    let saved = app
        .post(
            &step1,
            c,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("name", "Дигитален архив на Бобошево"),
                ("category", "e-culture"),
                ("year", "2026"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), format!("{base}/2"));

    let step = |n: u8| format!("{base}/{n}");
    let page = app.get(&step(2), c).await;
    let v = page.field("version");
    let r = app
        .post(
            &step(2),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("goal", "Да съхраним историята на града."),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(r.location(), step(3));

    // Step 3: rows with a blank one between them; blank rows are not kept.
    let page = app.get(&step(3), c).await;
    assert!(page.count("input[name^=target_groups]") >= 3);
    let v = page.field("version");
    let r = app
        .post(
            &step(3),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("target_groups[0]", "Ученици"),
                ("target_groups[1]", ""),
                ("target_groups[2]", "Местна общност"),
                ("action", "add-row"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let again = app.get(&r.location(), c).await;
    assert_eq!(again.field("target_groups[0]"), "Ученици");
    assert_eq!(again.field("target_groups[1]"), "Местна общност");
    assert_eq!(again.field("target_groups[2]"), "");
    assert!(
        again.count("input[name^=target_groups]") > page.count("input[name^=target_groups]"),
        "one more row"
    );

    // Step 4: a registry partner by name.
    let page = app.get(&step(4), c).await;
    assert!(page.count("datalist#partner-names option") >= 10);
    let v = page.field("version");
    let r = app
        .post(
            &step(4),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("partners[0].name", "Община Кюстендил"),
                ("partners[0].role", "предоставя архивни снимки"),
                ("volunteer_supported", "yes"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(r.location(), step(5));

    // Step 5: what the rules refuse comes back as typed, next to its message, linked from the top.
    let page = app.get(&step(5), c).await;
    let v = page.field("version");
    let bad = app
        .post(
            &step(5),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("activities[0].title", "Сканиране на снимките"),
                ("activities[0].starts", "2026-03-10"),
                ("activities[0].ends", "2026-03-01"),
                ("activities[1].title", ""),
                ("activities[1].starts", "31.02.2026"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.attrs(".error-summary a", "href"),
        [
            "#f-activities-0-ends",
            "#f-activities-1-title",
            "#f-activities-1-starts"
        ]
    );
    assert_eq!(bad.field("activities[0].ends"), "2026-03-01");
    assert_eq!(bad.field("activities[1].starts"), "31.02.2026");
    assert_eq!(bad.count(".field-error"), 3);
    assert!(bad.texts("#f-activities-1-starts-error")[0].contains("„31.02.2026“ не е дата"));
    assert_eq!(bad.texts(".error-summary h2"), ["Има проблем"]);
    assert_eq!(
        app.store
            .service(id)
            .await
            .unwrap()
            .unwrap()
            .record
            .card
            .activities
            .len(),
        0,
        "nothing saved"
    );
    let r = app
        .post(
            &step(5),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("activities[0].title", "Сканиране на снимките"),
                ("activities[0].starts", "2026-03-01"),
                ("activities[0].ends", "10.03.2026"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(r.location(), step(6));

    // Step 6: amounts in both currencies, then leave.
    let page = app.get(&step(6), c).await;
    let v = page.field("version");
    let r = app
        .post(
            &step(6),
            c,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("budget[0].label", "Скенер"),
                ("budget[0].amount", "1955,83"),
                ("budget[0].currency", "BGN"),
                ("budget[0].source", "Програмата"),
                ("budget[1].label", "Хартия"),
                ("budget[1].amount", "5"),
                ("budget[1].currency", "EUR"),
                ("budget[2].label", ""),
                ("budget[2].currency", "EUR"),
                ("action", "leave"),
            ],
        )
        .await;
    assert_eq!(r.location(), format!("/services/{id}"));

    // Coming back: everything is kept; the draft shows to its librarian only.
    let back = app.get(&step(3), c).await;
    assert_eq!(back.field("target_groups[0]"), "Ученици");
    let back = app.get(&step(5), c).await;
    assert_eq!(back.field("activities[0].ends"), "2026-03-10");
    let card = app.get(&format!("/services/{id}"), c).await;
    assert_eq!(card.h1(), "Дигитален архив на Бобошево");
    assert_eq!(card.attrs("[data-status]", "data-status"), ["draft"]);
    assert_eq!(card.texts("[data-total=EUR]"), ["1 005,00 EUR"]);
    assert_eq!(card.texts("[data-total=BGN]"), ["1 965,61 BGN"]);
    assert_eq!(
        app.get(&format!("/services/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let lib = app.get("/libraries/732", c).await;
    assert!(
        lib.texts(".lib-services .tag-draft")
            .iter()
            .any(|t| t == "Чернова")
    );
    assert_eq!(
        app.get("/libraries/732", None).await.count(".lib-services"),
        0
    );

    // Check and publish.
    let review = app.get(&format!("/services/{id}/review"), c).await;
    assert_eq!(review.status, StatusCode::OK);
    assert_eq!(
        review.count(".error-summary"),
        0,
        "{:?}",
        review.texts(".error-summary li")
    );
    assert_eq!(review.count(".svc-change a"), 8);
    let v = review.field("version");
    let r = app
        .post(
            &format!("/services/{id}/review"),
            c,
            &[("csrf", &csrf), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stored = app.store.service(id).await.unwrap().unwrap();
    assert_eq!(stored.record.status, ServiceStatus::Planned);
    assert!(stored.record.volunteer_supported);
    assert_eq!(
        stored.record.card.target_groups,
        ["Ученици", "Местна общност"]
    );
    let after = app.store.counts().await.unwrap();
    assert_eq!(
        after.libraries_without_service,
        before.libraries_without_service - 1
    );
    let public = app.get(&format!("/services/{id}"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public
            .attrs(".card-steps a", "href")
            .iter()
            .any(|h| h.starts_with("/partners/")),
        "the partner is linked"
    );
}

#[tokio::test]
async fn publishing_an_incomplete_card_links_back_to_the_steps() {
    let app = App::demo().await;
    let (cookie, csrf) = app.librarian(764).await;
    let c = Some(cookie.as_str());
    let r = app
        .post(
            "/libraries/764/services/new",
            c,
            &[("csrf", &csrf), ("category", "e-skills"), ("year", "2026")],
        )
        .await;
    let id: ServiceId = r
        .location()
        .trim_start_matches("/services/")
        .trim_end_matches("/edit/1")
        .parse()
        .unwrap();
    let review = app.get(&format!("/services/{id}/review"), c).await;
    let v = review.field("version");
    let refused = app
        .post(
            &format!("/services/{id}/review"),
            c,
            &[("csrf", &csrf), ("version", &v)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.attrs(".error-summary a", "href"),
        [format!("/services/{id}/edit/3#f-target_groups-0")]
    );
    assert_eq!(
        app.store.service(id).await.unwrap().unwrap().record.status,
        ServiceStatus::Draft
    );
}

#[tokio::test]
async fn out_of_scope_users_are_refused_and_nothing_changes() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let before = app.store.service(id).await.unwrap().unwrap();
    let v = before.version.to_string();
    let (cookie, csrf) = app.librarian(705).await;
    let c = Some(cookie.as_str());

    assert_eq!(
        app.get(&format!("/services/{id}/edit/1"), c).await.status,
        StatusCode::FORBIDDEN
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("name", "Чужда промяна"),
        ("category", "e-health"),
        ("year", "2012"),
    ];
    let refused = app.post(&format!("/services/{id}/edit/1"), c, &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.h1(), "Нямате достъп");
    let status = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("status", "dropped"),
    ];
    assert_eq!(
        app.post(&format!("/services/{id}/status"), c, &status)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let new = [
        ("csrf", csrf.as_str()),
        ("category", "e-health"),
        ("year", "2026"),
    ];
    assert_eq!(
        app.post("/libraries/708/services/new", c, &new)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Not signed in at all: 401.
    assert_eq!(
        app.post(&format!("/services/{id}/edit/1"), None, &form)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/libraries/708/services/new", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let after = app.store.service(id).await.unwrap().unwrap();
    assert_eq!(after, before);
    assert_eq!(
        app.store
            .services_of(&[LibraryId::new(708).unwrap()])
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_stale_version_gets_the_conflict_page_and_writes_nothing() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let (cookie, csrf) = app.librarian(708).await;
    let c = Some(cookie.as_str());
    let page = app.get(&format!("/services/{id}/edit/2"), c).await;
    let v = page.field("version");
    let first = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("goal", "Първата версия"),
        ("action", "continue"),
    ];
    assert_eq!(
        app.post(&format!("/services/{id}/edit/2"), c, &first)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let second = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("goal", "Втората версия"),
        ("action", "continue"),
    ];
    let conflict = app
        .post(&format!("/services/{id}/edit/2"), c, &second)
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    // Nothing was overwritten: the first save stands.
    let stored = app.store.service(id).await.unwrap().unwrap();
    assert_eq!(stored.record.card.goal, "Първата версия");
    // The step comes back with both versions: the saved one in the table, the second author's
    // text in the table and in the form, which now carries the saved version.
    assert_eq!(
        conflict.texts(".conflict h2"),
        ["Някой друг е записал картата междувременно"]
    );
    assert_eq!(
        conflict.texts(".conflict-table tbody td"),
        ["Първата версия", "Втората версия"]
    );
    assert_eq!(conflict.texts("textarea[name=goal]"), ["Втората версия"]);
    let v2 = conflict.field("version");
    assert_eq!(v2, stored.version.to_string());

    // Saving the merged form again wins, knowingly.
    let merged = [
        ("csrf", csrf.as_str()),
        ("version", v2.as_str()),
        ("goal", "Първата и втората версия"),
        ("action", "continue"),
    ];
    assert_eq!(
        app.post(&format!("/services/{id}/edit/2"), c, &merged)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store
            .service(id)
            .await
            .unwrap()
            .unwrap()
            .record
            .card
            .goal,
        "Първата и втората версия"
    );
}

#[tokio::test]
async fn a_wrong_csrf_token_is_refused() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let before = app.store.service(id).await.unwrap().unwrap();
    let (cookie, _) = app.librarian(708).await;
    let c = Some(cookie.as_str());
    let v = before.version.to_string();
    let form = [
        ("csrf", "not-the-token"),
        ("version", v.as_str()),
        ("goal", "Подправено"),
        ("action", "continue"),
    ];
    let refused = app.post(&format!("/services/{id}/edit/2"), c, &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.h1(), "Формулярът е остарял");
    let adopt = [("csrf", "not-the-token"), ("library", "708")];
    assert_eq!(
        app.post(&format!("/services/{id}/adopt"), c, &adopt)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.store.service(id).await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn a_coordinator_adopts_a_service_and_changes_a_status() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let (cookie, csrf) = testing::sign_in_with_csrf(
        &app.store,
        Role::Coordinator {
            district: DistrictCode::parse("KNL").unwrap(),
        },
    )
    .await;
    let c = Some(cookie.as_str());
    let card = app.get(&format!("/services/{id}"), c).await;
    let targets = card.attrs("#adopt-library option", "value");
    assert!(
        targets.contains(&"3069".to_owned()) && !targets.contains(&"708".to_owned()),
        "{targets:?}"
    );

    let r = app
        .post(
            &format!("/services/{id}/adopt"),
            c,
            &[("csrf", &csrf), ("library", "3069"), ("year", "2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let copies = app
        .store
        .services_of(&[LibraryId::new(3069).unwrap()])
        .await
        .unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].record.status, ServiceStatus::Draft);
    assert_eq!(copies[0].record.year.get(), 2026);
    assert_eq!(
        copies[0].record.card.name,
        "Предоставяне на информация на здравни теми"
    );
    assert_eq!(r.location(), format!("/services/{}/edit/1", copies[0].id));

    // A librarian cannot adopt into a library outside their scope.
    let (lc, lcsrf) = app.librarian(732).await;
    let refused = app
        .post(
            &format!("/services/{id}/adopt"),
            Some(&lc),
            &[("csrf", &lcsrf), ("library", "3069")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let v = card.field("version");
    let r = app
        .post(
            &format!("/services/{id}/status"),
            c,
            &[("csrf", &csrf), ("version", &v), ("status", "active")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.service(id).await.unwrap().unwrap().record.status,
        ServiceStatus::Active
    );
}

#[tokio::test]
async fn partners_list_searches_and_counts_kinds_and_a_partner_shows_its_services() {
    let app = App::demo().await;
    let list = app.get("/partners", None).await;
    assert_eq!(list.status, StatusCode::OK);
    let kinds = list.texts(".partner-kinds li");
    assert!(kinds.iter().any(|k| k == "Ресурсен център 1"), "{kinds:?}");
    let total = list.count("table.partners tbody tr");
    assert!(total >= 10);

    let found = app.get("/partners?q=%D0%A0%D0%97%D0%98", None).await; // „РЗИ“
    assert_eq!(
        found.texts("table.partners tbody td a"),
        ["Районна здравна инспекция – Кюстендил"]
    );
    let media = app.get("/partners?kind=media", None).await;
    assert_eq!(media.texts("table.partners tbody td a"), ["Местните медии"]);
    assert_eq!(media.texts(".partner-kinds strong"), ["Медия 1"]);

    let rc = app
        .store
        .partners()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.record.name == "Ресурсен център")
        .unwrap();
    let page = app.get(&format!("/partners/{}", rc.id), None).await;
    assert_eq!(page.h1(), "Ресурсен център");
    assert_eq!(
        page.attrs(".partner-libraries a", "href"),
        ["/libraries/705"]
    );
    let id = app.service_of(705).await;
    assert_eq!(
        page.attrs("table.partner-services a[href^=\"/services/\"]", "href"),
        [format!("/services/{id}")]
    );
}

#[tokio::test]
async fn a_published_card_cannot_lose_what_publishing_needs() {
    let app = App::demo().await;
    let id = app.service_of(708).await;
    let before = app.store.service(id).await.unwrap().unwrap();
    let (cookie, csrf) = app.librarian(708).await;
    let c = Some(cookie.as_str());
    let page = app.get(&format!("/services/{id}/edit/3"), c).await;
    assert_eq!(page.field("target_groups[0]"), "Местна общност");
    let v = page.field("version");
    let form = [
        ("csrf", csrf.as_str()),
        ("version", v.as_str()),
        ("target_groups[0]", " "),
        ("action", "continue"),
    ];
    let refused = app.post(&format!("/services/{id}/edit/3"), c, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.attrs(".error-summary a", "href"),
        ["#f-target_groups-0"]
    );
    assert_eq!(refused.count("#f-target_groups-error"), 1);
    assert_eq!(app.store.service(id).await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn a_librarian_logs_activities_on_the_service_page_and_others_only_read_them() {
    let app = App::demo().await;
    let id = app.service_of(722).await;
    let (cookie, csrf) = app.librarian(722).await;
    let c = Some(cookie.as_str());
    let page = format!("/services/{id}");

    // The log is empty; its librarian gets the form, with a row for the card's target group.
    let empty = app.get(&page, c).await;
    assert_eq!(empty.texts("#activities-heading"), ["Проведени дейности"]);
    assert_eq!(empty.count("table.activity-log"), 0);
    let action = format!("/services/{id}/activities");
    assert_eq!(
        empty.count(&format!("form[action=\"{action}\"]")),
        1,
        "the add form"
    );
    let group = empty.field("reached[0].target_group");
    assert!(!group.is_empty(), "the card's target group is offered");

    // A form that breaks rules comes back as typed, with the summary linking to the fields.
    let bad = app
        .post(
            &action,
            c,
            &[
                ("csrf", &csrf),
                ("date", "32.13.2012"),
                ("kind", "training"),
                ("hours", "-2"),
                ("reached[0].target_group", &group),
                ("reached[0].count", "много"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.attrs(".error-summary a", "href"),
        ["#a-date", "#a-reached-0-count"]
    );
    assert_eq!(bad.field("reached[0].count"), "много");
    assert!(app.store.service_activities(id).await.unwrap().is_empty());
    let rules = app
        .post(
            &action,
            c,
            &[
                ("csrf", &csrf),
                ("date", "2012-10-04"),
                ("kind", "training"),
                ("hours", "-2"),
            ],
        )
        .await;
    assert_eq!(rules.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules.attrs(".error-summary a", "href"), ["#a-hours"]);
    assert_eq!(
        rules.texts(".error-summary a"),
        ["Часове: Числото не може да е отрицателно."]
    );

    // Two entries, the second estimated; the page lists them by date with totals.
    for (date, hours, count, estimated) in [
        ("12.10.2012", "2,5", "30", true),
        ("2012-10-04", "3", "12", false),
    ] {
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("date", date),
            ("kind", "training"),
            ("hours", hours),
            ("volunteers", "2"),
            ("volunteer_hours", "4"),
            ("reached[0].target_group", group.as_str()),
            ("reached[0].count", count),
            ("note", "Основни компютърни умения"),
        ];
        if estimated {
            form.push(("reached[0].estimated", "1"));
        }
        let added = app.post(&action, c, &form).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        assert_eq!(
            added.location(),
            format!("/services/{id}#activities-heading")
        );
    }
    let shown = app.get(&page, c).await;
    let rows = shown.texts("table.activity-log tbody tr td:first-child");
    assert_eq!(rows, ["04.10.2012", "12.10.2012"]);
    assert_eq!(
        shown.texts("table.activity-log tbody tr:nth-child(2) td:nth-child(5)"),
        [format!("{group}: ≈30")]
    );
    assert_eq!(
        shown.texts("table.activity-log tfoot td"),
        ["5,5", "4 (8 ч.)", "≈42", "", ""]
    );

    // The public sees the log of a published service, without the form or the edit links.
    let public = app.get(&page, None).await;
    assert_eq!(
        public.texts("table.activity-log tbody tr td:first-child"),
        ["04.10.2012", "12.10.2012"]
    );
    assert_eq!(public.count(&format!("form[action=\"{action}\"]")), 0);
    assert_eq!(public.count("a[href^=\"/activities/\"]"), 0);

    // A librarian of another library may not add to it nor change it.
    let (other, other_csrf) = app.librarian(705).await;
    let refused = app
        .post(
            &action,
            Some(&other),
            &[
                ("csrf", &other_csrf),
                ("date", "2012-10-05"),
                ("kind", "event"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let entries = app.store.service_activities(id).await.unwrap();
    assert_eq!(entries.len(), 2);
    let first = &entries[0];
    assert_eq!(
        app.get(&format!("/activities/{}/edit", first.id), Some(&other))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Its librarian changes one (at the version shown) and deletes the other.
    let edit = app.get(&format!("/activities/{}/edit", first.id), c).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(edit.field("hours"), "3");
    assert_eq!(edit.field("version"), "1");
    let saved = app
        .post(
            &format!("/activities/{}/edit", first.id),
            c,
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("date", "2012-10-04"),
                ("kind", "consultation"),
                ("hours", "1"),
                ("reached[0].target_group", &group),
                ("reached[0].count", "5"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stale = app
        .post(
            &format!("/activities/{}/delete", first.id),
            c,
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let second = &entries[1];
    let gone = app
        .post(
            &format!("/activities/{}/delete", second.id),
            c,
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let after = app.store.service_activities(id).await.unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0].record.kind,
        lipa_core::activity_log::ActivityKind::Consultation
    );
    let en = app.get_en(&page).await;
    assert_eq!(en.texts("#activities-heading"), ["Activities carried out"]);
    assert_eq!(
        en.texts("table.activity-log tbody tr td:nth-child(2)"),
        ["Consultation"]
    );
}
