//! Events, on the demo data (the Kyustendil 2012 meeting) and on events made through the forms:
//! the generated report against the seed, its English version, the calendar and the participant
//! list, the whole flow of a coordinator from a new event to its published report, scope (another
//! district's coordinator changes nothing), stale forms, validation, and adopting a group's card.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use calamine::{Data, Reader, Xlsx};
use lipa_app::Versioned;
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::event::Event;
use lipa_core::ids::{DistrictCode, EventId, LibraryId, ServiceId};
use lipa_core::service::ServiceStatus;
use lipa_core::user::Role;
use lipa_web::testing::sign_in_with_csrf;
use lipa_web::testing::{
    all_text, body_bytes, demo_store, html_of as html, location, sel, send, texts as text_of,
};
use scraper::Html;
use std::io::Cursor;

async fn demo_event(store: &Store) -> EventId {
    store.events().await.unwrap()[0].id
}

fn knl() -> Role {
    Role::Coordinator {
        district: DistrictCode::parse("KNL").unwrap(),
    }
}

fn sof() -> Role {
    Role::Coordinator {
        district: DistrictCode::parse("SOF").unwrap(),
    }
}

async fn get_as(store: &Store, uri: &str, lang: &str, cookie: Option<&str>) -> Response {
    let mut req = Request::get(uri).header(header::ACCEPT_LANGUAGE, lang);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(store, req.body(Body::empty()).unwrap()).await
}

async fn post(store: &Store, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Response {
    let body = serde_urlencoded::to_string(fields).unwrap();
    let req = Request::post(uri)
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(store, req).await
}

async fn page(store: &Store, uri: &str, lang: &str, cookie: Option<&str>) -> Html {
    let r = get_as(store, uri, lang, cookie).await;
    assert_eq!(r.status(), StatusCode::OK, "{uri}");
    html(r).await
}

/// The hidden `version` of the first form posting to `action`.
fn form_version(doc: &Html, action: &str) -> String {
    let form = doc
        .select(&sel(&format!("form[action=\"{action}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no form {action}"));
    form.select(&sel("input[name=version]"))
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned()
}

async fn stored(store: &Store, id: EventId) -> (i64, Event) {
    let v = store.event(id).await.unwrap().unwrap();
    (v.version, v.record)
}

#[tokio::test]
async fn demo_report_in_bulgarian_reads_like_the_seed() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let doc = page(&store, &format!("/events/{id}/report"), "bg", None).await;
    assert_eq!(
        text_of(&doc, "h1"),
        ["Регионална тематична среща „Библиотеката и нейните партньори“ в Кюстендил"]
    );
    let text = all_text(&doc);
    for needle in [
        "На 6 и 7 юни 2012 в гр. Кюстендил се проведе регионална тематична среща „Библиотеката и нейните партньори“",
        "съвместна инициатива на Програма „Глоб@лни библиотеки – България“",
        "Форумът се проведе в синята зала на НЧ „Братство“.",
        "В срещата участваха над 40 души.",
        "Официални гости на събитието бяха Радослава Чеканска, зам.-областен управител и Росица Плачкова, зам.-кмет на община Кюстендил.",
        "Красимира Кънева, Звено за управление на Програма „Глоб@лни библиотеки – България“ (ЗУП), говори на тема „Програма „Глоб@лни библиотеки - България“ в подкрепа на партньорството за иновативни услуги“.",
        "Фокусът на тематичната среща е партньорството",
        "Иновативните услуги се разработиха в следната последователност:",
        "Резултатите по групи са:",
    ] {
        assert!(text.contains(needle), "missing «{needle}» in {text}");
    }
    assert_eq!(
        text_of(&doc, "ol.report-method li"),
        lipa_web::testing::STEP_TITLES_BG
    );
    assert_eq!(
        text_of(&doc, "ul.group-results li"),
        [
            "Е-образование: Предоставяне на информационно-образователни услуги за ученици с двигателни увреждания. Целева група - ученици.",
            "Е-включване: Обучение в ИКТ на възрастни с двигателни увреждания. Целева група - възрастни с увреждания от дом за хора с увреждания.",
            "Е-бизнес: Обучение на млади овощари. Целева група - начинаещи овощари.",
            "Е-култура: Създаване на аудио-продукти за деца. Целева група - млади семейства с деца.",
            "Е-включване: Информационно – образователни услуги за ромски деца, напуснали училище. Целева група - ученици от ромски произход.",
        ]
    );
    // The seed's table: its caption, its six columns and its 18 rows in its order.
    assert_eq!(
        text_of(&doc, "table.report-table caption"),
        [
            "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2012 г."
        ]
    );
    assert_eq!(
        text_of(&doc, "table.report-table thead th"),
        [
            "ID",
            "Име на библиотеката",
            "Община",
            "Населено място",
            "Услуга с подкрепата на доброволци",
            "Целева група"
        ]
    );
    let rows: Vec<Vec<String>> = doc
        .select(&sel("table.report-table tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(|td| td.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 18);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        [
            "732", "734", "737", "739", "764", "763", "705", "714", "719", "722", "708", "720",
            "3007", "723", "707", "754", "759", "3069"
        ]
    );
    assert_eq!(rows[0][2], "Бобошево");
    assert_eq!(rows[0][3], "гр. Бобошево");
    assert_eq!(rows[0][4], "");
    assert!(
        rows[2][4].starts_with("Е-здраве: Предоставяне на информация на здравни теми"),
        "{:?}",
        rows[2]
    );
    assert_eq!(rows[2][5], "Младежи");
    assert_eq!(rows[17][3], "с. Трекляно");
}

#[tokio::test]
async fn demo_report_in_english() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let doc = page(&store, &format!("/events/{id}/report"), "en", None).await;
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    assert_eq!(
        text_of(&doc, "h1"),
        ["Regional thematic meeting “Библиотеката и нейните партньори” in Kyustendil"]
    );
    let text = all_text(&doc);
    for needle in [
        "On 6 and 7 June 2012 the regional thematic meeting",
        "was held in Kyustendil, a joint initiative of",
        "Over 40 people took part in the meeting.",
        "The official guests of the event were Радослава Чеканска",
        "The results by group are:",
        "Innovative services the target libraries of Kyustendil district will run in 2012",
    ] {
        assert!(text.contains(needle), "missing «{needle}» in {text}");
    }
    let results = text_of(&doc, "ul.group-results li");
    assert_eq!(results.len(), 5);
    assert_eq!(
        results[0],
        "E-education: Предоставяне на информационно-образователни услуги за ученици с двигателни увреждания. Target group: ученици."
    );
    assert_eq!(doc.select(&sel("table.report-table tbody tr")).count(), 18);
    assert_eq!(
        text_of(&doc, "table.report-table thead th")[4],
        "Service supported by volunteers"
    );
}

#[tokio::test]
async fn calendar_parses_back_and_standalone_report_is_a_download() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let r = get_as(&store, &format!("/events/{id}.ics"), "bg", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = String::from_utf8(body_bytes(r).await).unwrap();
    assert!(ics.contains("DTSTART;VALUE=DATE:20120606\r\n"));
    let props = lipa_io::ical::parse(&ics).unwrap();
    let prop = |name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        format!("DTSTART:{}", prop("DTSTART").value),
        "DTSTART:20120606"
    );
    assert_eq!(prop("DTSTART").param("VALUE"), Some("DATE"));
    assert_eq!(prop("DTEND").value, "20120608");
    assert_eq!(
        lipa_io::ical::unescape_text(&prop("SUMMARY").value),
        "Регионална тематична среща „Библиотеката и нейните партньори“ в Кюстендил"
    );
    assert_eq!(
        lipa_io::ical::unescape_text(&prop("LOCATION").value),
        "синята зала на НЧ „Братство“, гр. Кюстендил"
    );

    let r = get_as(&store, &format!("/events/{id}/report.html"), "bg", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    let doc = html(r).await;
    assert_eq!(doc.select(&sel("head style")).count(), 1);
    assert_eq!(doc.select(&sel("script, link")).count(), 0);
    assert_eq!(doc.select(&sel("ul.group-results li")).count(), 5);
    assert_eq!(doc.select(&sel("table tbody tr")).count(), 18);
}

#[tokio::test]
async fn list_and_event_page_show_what_the_public_may_see() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let list = page(&store, "/events", "bg", None).await;
    let past = text_of(&list, "section[aria-labelledby=past-title] tbody tr");
    assert_eq!(past.len(), 1);
    assert!(
        past[0].contains("6 и 7 юни 2012")
            && past[0].contains("гр. Кюстендил")
            && past[0].contains("40 участници"),
        "{past:?}"
    );
    assert!(
        list.select(&sel("a[href=\"/events/new\"]"))
            .next()
            .is_none()
    );

    let doc = page(&store, &format!("/events/{id}"), "bg", None).await;
    assert_eq!(doc.select(&sel("table.participants tbody tr")).count(), 15);
    assert_eq!(doc.select(&sel("table.agenda tbody tr")).count(), 14);
    assert_eq!(doc.select(&sel("section.group")).count(), 5);
    // The working list and the forms are for the organisers only.
    assert!(
        doc.select(&sel(
            "a[href$=\"participants.xlsx\"], form[action$=\"/publish\"], form.adopt-form"
        ))
        .next()
        .is_none()
    );

    // An unpublished event does not exist for the public, nor for another district.
    let (cookie, csrf) = sign_in_with_csrf(&store, knl()).await;
    let r = post(&store, "/events/new", &cookie, &new_event_fields(&csrf)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new_id: EventId = location(&r)
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for uri in [
        format!("/events/{new_id}"),
        format!("/events/{new_id}/report"),
        format!("/events/{new_id}.ics"),
    ] {
        assert_eq!(
            get_as(&store, &uri, "bg", None).await.status(),
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    let other = lipa_web::testing::sign_in(&store, sof()).await;
    assert_eq!(
        get_as(&store, &format!("/events/{new_id}"), "bg", Some(&other))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let public = page(&store, "/events", "bg", None).await;
    assert_eq!(
        public
            .select(&sel(&format!("a[href=\"/events/{new_id}\"]")))
            .count(),
        0
    );
    let own = page(&store, "/events", "bg", Some(&cookie)).await;
    assert_eq!(
        own.select(&sel(&format!("a[href=\"/events/{new_id}\"]")))
            .count(),
        1
    );
}

fn new_event_fields(csrf: &str) -> Vec<(&str, &str)> {
    vec![
        ("csrf", csrf),
        ("title", "Читалището и училището"),
        ("kind", "meeting"),
        ("starts", "2030-03-12"),
        ("ends", "2030-03-13"),
        ("district", "KNL"),
        ("settlement", "41112"),
        ("venue", "заседателната зала на РБ „Емануил Попдимитров“"),
        (
            "organisers",
            "Регионална библиотека „Емануил Попдимитров“\nОбщина Кюстендил\n",
        ),
        ("purpose", "Как библиотеките и училищата да работят заедно."),
        ("expected", "30"),
        ("reported", ""),
        ("group_method", ""),
    ]
}

#[tokio::test]
async fn a_coordinator_runs_an_event_from_the_form_to_the_published_report() {
    let store = demo_store().await;
    let (cookie, csrf) = sign_in_with_csrf(&store, knl()).await;
    let c = Some(cookie.as_str());

    let form = page(&store, "/events/new", "bg", c).await;
    let district = form
        .select(&sel("select#district option[selected]"))
        .next()
        .unwrap();
    assert_eq!(district.value().attr("value"), Some("KNL"));
    assert!(
        form.select(&sel("select#settlement option[value=\"41112\"]"))
            .next()
            .is_some()
    );

    let r = post(&store, "/events/new", &cookie, &new_event_fields(&csrf)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = location(&r);
    let id: EventId = loc
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, e) = stored(&store, id).await;
    assert_eq!(e.title, "Читалището и училището");
    assert_eq!(e.district.as_ref().map(|d| d.as_str()), Some("KNL"));
    assert_eq!(
        e.organisers,
        [
            "Регионална библиотека „Емануил Попдимитров“",
            "Община Кюстендил"
        ]
    );
    assert_eq!(e.expected_participants, Some(30));
    assert!(!e.published);

    // The agenda.
    let agenda = format!("/events/{id}/agenda");
    let v = form_version(&page(&store, &agenda, "bg", c).await, &agenda);
    let r = post(
        &store,
        &agenda,
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("action", "add"),
            ("day", "2030-03-12"),
            ("time", "10:00"),
            ("speaker", "Мария Петрова"),
            ("organisation", "ОУ „Христо Ботев“"),
            ("topic", "Училищната библиотека като партньор"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&store, id).await.1.agenda.len(), 1);

    // Three participants.
    let parts = format!("/events/{id}/participants");
    for (name, role) in [
        ("Мария Петрова", "speaker"),
        ("Иван Иванов", "participant"),
        ("Петя Георгиева", "guest"),
    ] {
        let v = form_version(&page(&store, &parts, "bg", c).await, &parts);
        let r = post(
            &store,
            &parts,
            &cookie,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("action", "add"),
                ("name", name),
                ("role", role),
                ("attended", "1"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let (_, e) = stored(&store, id).await;
    assert_eq!(e.participants.len(), 3);
    assert!(e.participants.iter().all(|p| p.attended));
    // Ivan did not come after all.
    let v = form_version(&page(&store, &parts, "bg", c).await, &parts);
    let r = post(
        &store,
        &parts,
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("action", "save"),
            ("role_0", "speaker"),
            ("attended_0", "1"),
            ("role_1", "participant"),
            ("role_2", "guest"),
            ("attended_2", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let attended: Vec<bool> = stored(&store, id)
        .await
        .1
        .participants
        .iter()
        .map(|p| p.attended)
        .collect();
    assert_eq!(attended, [true, false, true]);

    // Two groups, participants assigned.
    let groups = format!("/events/{id}/groups");
    for (name, service) in [
        ("Група 1", "Часове в библиотеката"),
        ("Група 2", "Клуб на младия читател"),
    ] {
        let v = form_version(&page(&store, &groups, "bg", c).await, &groups);
        let r = post(
            &store,
            &groups,
            &cookie,
            &[
                ("csrf", &csrf),
                ("version", &v),
                ("action", "create"),
                ("name", name),
                ("card_name", service),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let v = form_version(&page(&store, &groups, "bg", c).await, &groups);
    let r = post(
        &store,
        &groups,
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("action", "assign"),
            ("group_0", "1"),
            ("group_1", "2"),
            ("group_2", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, e) = stored(&store, id).await;
    assert_eq!(e.working_groups.len(), 2);
    assert_eq!(
        e.working_groups[0].members,
        ["Мария Петрова", "Петя Георгиева"]
    );
    assert_eq!(e.working_groups[1].members, ["Иван Иванов"]);

    // Group 1 fills its card.
    let card = format!("/events/{id}/groups/1");
    let doc = page(&store, &card, "bg", c).await;
    let v = form_version(&doc, &card);
    assert!(
        doc.select(&sel("input#partner_name_0, input#partner_name_1"))
            .count()
            == 2
    );
    let r = post(
        &store,
        &card,
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("name", "Група 1"),
            ("category", "e-education"),
            ("spokesperson", "Мария Петрова"),
            (
                "card_name",
                "Часове по информационна грамотност в библиотеката",
            ),
            ("goal", "Учениците да търсят и проверяват информация."),
            ("target_groups", "ученици от 5 до 7 клас\n"),
            ("partner_name_0", "ОУ „Христо Ботев“"),
            ("partner_role_0", "води учениците"),
            ("partner_name_1", ""),
            ("partner_role_1", ""),
            ("activity_title_0", "Първи час"),
            ("activity_starts_0", "2030-04-01"),
            ("activity_ends_0", ""),
            ("budget_label_0", "Хартия"),
            ("budget_amount_0", "25,50"),
            ("budget_currency_0", "EUR"),
            ("budget_source_0", "библиотеката"),
            ("media", "Местното радио"),
            ("social", "По-грамотни млади читатели"),
            ("economic", ""),
            ("community", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, e) = stored(&store, id).await;
    let g = &e.working_groups[0];
    assert_eq!(g.category.as_ref().map(|c| c.as_str()), Some("e-education"));
    assert_eq!(g.spokesperson, "Мария Петрова");
    assert_eq!(g.card.target_groups, ["ученици от 5 до 7 клас"]);
    assert_eq!(g.card.partners.len(), 1);
    assert_eq!(
        g.card.activities[0].starts,
        Some(jiff::civil::date(2030, 4, 1))
    );
    assert_eq!(g.card.budget[0].amount.minor, 2550);

    // Publish: one click.
    let show = format!("/events/{id}");
    let v = form_version(
        &page(&store, &show, "bg", c).await,
        &format!("/events/{id}/publish"),
    );
    let r = post(
        &store,
        &format!("/events/{id}/publish"),
        &cookie,
        &[("csrf", &csrf), ("version", &v)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(stored(&store, id).await.1.published);

    // The public report has the group's service.
    let doc = page(&store, &format!("/events/{id}/report"), "bg", None).await;
    assert_eq!(
        text_of(&doc, "h1"),
        ["Регионална тематична среща „Читалището и училището“ в Кюстендил"]
    );
    assert_eq!(
        text_of(&doc, "ul.group-results li"),
        [
            "Е-образование: Часове по информационна грамотност в библиотеката. Целева група - ученици от 5 до 7 клас.",
            // Group 2 has only named its service so far.
            "Клуб на младия читател.",
        ]
    );
    let text = all_text(&doc);
    assert!(
        text.contains("На 12 и 13 март 2030 в гр. Кюстендил се проведе"),
        "{text}"
    );
    assert!(
        text.contains("Официален гост на събитието беше Петя Георгиева."),
        "{text}"
    );
    assert!(text.contains("В срещата участваха 2 души."), "{text}");
    assert!(text.contains("Мария Петрова, ОУ „Христо Ботев“, говори на тема „Училищната библиотека като партньор“."), "{text}");
    // Its year has no services yet, but the district's libraries are all listed.
    assert_eq!(doc.select(&sel("table.report-table tbody tr")).count(), 18);

    // The participant list, for the organisers.
    let r = get_as(&store, &format!("/events/{id}/participants.xlsx"), "bg", c).await;
    assert_eq!(r.status(), StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(body_bytes(r).await)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c: &Data| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[1],
        ["Име", "Длъжност", "Организация", "Роля", "Присъствал"]
    );
    assert_eq!(rows[2], ["Мария Петрова", "", "", "лектор", "да"]);
    assert_eq!(rows[3][4], "не");
    assert_eq!(rows.len(), 5);
    assert_eq!(
        get_as(
            &store,
            &format!("/events/{id}/participants.xlsx"),
            "bg",
            None
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn another_districts_coordinator_gets_403_and_nothing_changes() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let before = store.event(id).await.unwrap().unwrap();
    let v = before.version.to_string();
    let (cookie, csrf) = sign_in_with_csrf(&store, sof()).await;
    for uri in ["edit", "agenda", "participants", "groups"] {
        let r = get_as(&store, &format!("/events/{id}/{uri}"), "bg", Some(&cookie)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "GET {uri}");
    }
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/events/{id}/edit"), {
            let mut f = new_event_fields(&csrf);
            f.push(("version", &v));
            f
        }),
        (
            format!("/events/{id}/agenda"),
            vec![
                ("csrf", &csrf),
                ("version", &v),
                ("action", "add"),
                ("topic", "Чужда тема"),
            ],
        ),
        (
            format!("/events/{id}/participants"),
            vec![
                ("csrf", &csrf),
                ("version", &v),
                ("action", "add"),
                ("name", "Някой"),
                ("role", "guest"),
            ],
        ),
        (
            format!("/events/{id}/groups"),
            vec![
                ("csrf", &csrf),
                ("version", &v),
                ("action", "create"),
                ("name", "Група 6"),
                ("card_name", "Услуга"),
            ],
        ),
        (
            format!("/events/{id}/groups/1"),
            vec![
                ("csrf", &csrf),
                ("version", &v),
                ("name", "Група 1"),
                ("card_name", "Друго"),
            ],
        ),
        (
            format!("/events/{id}/publish"),
            vec![("csrf", &csrf), ("version", &v)],
        ),
        (
            format!("/events/{id}/groups/1/adopt"),
            vec![("csrf", &csrf), ("library", "705")],
        ),
    ];
    for (uri, fields) in &attempts {
        let r = post(&store, uri, &cookie, fields).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {uri}");
    }
    // Creating an event in someone else's district is refused too.
    let r = post(&store, "/events/new", &cookie, &new_event_fields(&csrf)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.event(id).await.unwrap().unwrap(), before);
    assert_eq!(store.events().await.unwrap().len(), 1);
    assert!(
        store
            .services()
            .await
            .unwrap()
            .iter()
            .all(|s| s.record.status != ServiceStatus::Draft)
    );
    // The participant list is a working list of the district's coordinators.
    let r = get_as(
        &store,
        &format!("/events/{id}/participants.xlsx"),
        "bg",
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_stale_form_adds_its_row_but_a_stale_removal_writes_nothing() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let (cookie, csrf) = sign_in_with_csrf(&store, knl()).await;
    let agenda = format!("/events/{id}/agenda");
    let stale = form_version(&page(&store, &agenda, "bg", Some(&cookie)).await, &agenda);
    let before = store.event(id).await.unwrap().unwrap().record.agenda.len();
    for topic in ["Първа", "Втора, от остарял формуляр"] {
        // Two organisers add a row each from forms opened at the same version: both rows stay.
        let add = [
            ("csrf", csrf.as_str()),
            ("version", stale.as_str()),
            ("action", "add"),
            ("topic", topic),
        ];
        assert_eq!(
            post(&store, &agenda, &cookie, &add).await.status(),
            StatusCode::SEE_OTHER,
            "{topic}"
        );
    }
    let merged = store.event(id).await.unwrap().unwrap();
    let topics: Vec<&str> = merged
        .record
        .agenda
        .iter()
        .map(|a| a.topic.as_str())
        .collect();
    assert_eq!(merged.record.agenda.len(), before + 2);
    assert!(topics.contains(&"Първа") && topics.contains(&"Втора, от остарял формуляр"));
    // A removal names a row by its place in the list the form showed: from a stale form it
    // could remove another row, so it is refused and nothing is written.
    let remove = [
        ("csrf", csrf.as_str()),
        ("version", stale.as_str()),
        ("remove", "0"),
    ];
    let r = post(&store, &agenda, &cookie, &remove).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let doc = html(r).await;
    assert_eq!(text_of(&doc, "h1"), ["Записът е променен междувременно"]);
    assert_eq!(store.event(id).await.unwrap().unwrap(), merged);
}

/// What the form posting to `action` would send as it stands: its inputs, textareas and the
/// chosen option of each select.
fn filled_in(doc: &Html, action: &str) -> Vec<(String, String)> {
    let form = doc
        .select(&sel(&format!("form[action=\"{action}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no form {action}"));
    let value = |e: scraper::ElementRef| match e.value().name() {
        "textarea" => e.text().collect(),
        "select" => e
            .select(&sel("option[selected]"))
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("")
            .to_owned(),
        _ => e.value().attr("value").unwrap_or("").to_owned(),
    };
    form.select(&sel("input[name], textarea[name], select[name]"))
        .map(|e| (e.value().attr("name").unwrap().to_owned(), value(e)))
        .collect()
}

/// `fields` with `name` set to `value`.
fn with(fields: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), if k == name { value } else { v }.to_owned()))
        .collect()
}

async fn post_filled(store: &Store, uri: &str, cookie: &str, f: &[(String, String)]) -> Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(store, uri, cookie, &pairs).await
}

/// Two people open the form at `uri` at one version and set its textarea `field`, one to
/// `first`, the other to `second`. The first save wins; the second gets the conflict page (409),
/// which shows both versions under `label`, keeps `second` in the form with the new version, and
/// writes nothing; saving that form again wins. Returns the event after the first save.
async fn lose_a_race_then_win(
    store: &Store,
    uri: &str,
    (field, label): (&str, &str),
    first: &str,
    second: &str,
) -> Versioned<Event> {
    let id = demo_event(store).await;
    let (cookie, _) = sign_in_with_csrf(store, knl()).await;
    let opened = filled_in(&page(store, uri, "bg", Some(&cookie)).await, uri);
    let r = post_filled(store, uri, &cookie, &with(&opened, field, first)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after_first = store.event(id).await.unwrap().unwrap();

    let r = post_filled(store, uri, &cookie, &with(&opened, field, second)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Nothing was overwritten: the first save stands.
    assert_eq!(store.event(id).await.unwrap().unwrap(), after_first);
    let doc = html(r).await;
    assert_eq!(
        text_of(&doc, ".conflict h2"),
        ["Някой друг е записал събитието междувременно"]
    );
    assert_eq!(text_of(&doc, ".conflict-table tbody th"), [label]);
    assert_eq!(text_of(&doc, ".conflict-table tbody td"), [first, second]);
    assert_eq!(text_of(&doc, &format!("textarea[name={field}]")), [second]);
    assert_eq!(form_version(&doc, uri), after_first.version.to_string());

    // Saving the form again wins, knowingly.
    let r = post_filled(store, uri, &cookie, &filled_in(&doc, uri)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    after_first
}

#[tokio::test]
async fn a_stale_edit_gets_the_conflict_page_and_saving_again_wins() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let uri = format!("/events/{id}/edit");
    let before = lose_a_race_then_win(
        &store,
        &uri,
        ("purpose", "Цел на срещата"),
        "Първата версия",
        "Втората версия",
    )
    .await;
    let (_, event) = stored(&store, id).await;
    assert_eq!(event.purpose, "Втората версия");
    assert_eq!(event.title, before.record.title);
}

#[tokio::test]
async fn a_stale_group_card_gets_the_conflict_page_and_saving_again_wins() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let uri = format!("/events/{id}/groups/1");
    let before =
        lose_a_race_then_win(&store, &uri, ("goal", "Цел"), "Първата цел", "Втората цел").await;
    let (_, e) = stored(&store, id).await;
    assert_eq!(e.working_groups[0].card.goal, "Втората цел");
    assert_eq!(e.working_groups[1..], before.record.working_groups[1..]);
}

#[tokio::test]
async fn invalid_input_is_shown_beside_its_fields_and_kept() {
    let store = demo_store().await;
    let (cookie, csrf) = sign_in_with_csrf(&store, knl()).await;
    let mut fields = new_event_fields(&csrf);
    fields.retain(|(k, _)| !matches!(*k, "title" | "starts" | "expected"));
    fields.extend([
        ("title", "  "),
        ("starts", "12.03.2030"),
        ("expected", "много"),
    ]);
    let r = post(&store, "/events/new", &cookie, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(r).await;
    let links: Vec<&str> = doc
        .select(&sel(".error-summary a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["#title", "#starts", "#expected"]);
    assert_eq!(text_of(&doc, "#title-error"), ["Полето е задължително."]);
    assert_eq!(
        text_of(&doc, "#starts-error"),
        ["Въведете дата във вида ГГГГ-ММ-ДД."]
    );
    let venue = doc.select(&sel("input#venue")).next().unwrap();
    assert_eq!(
        venue.value().attr("value"),
        Some("заседателната зала на РБ „Емануил Попдимитров“")
    );
    assert_eq!(store.events().await.unwrap().len(), 1);

    // A settlement outside the district is refused by name.
    let mut fields = new_event_fields(&csrf);
    fields.retain(|(k, _)| *k != "settlement");
    fields.push(("settlement", "68134"));
    let r = post(&store, "/events/new", &cookie, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&html(r).await, "#settlement-error"),
        ["Изберете населено място от областта."]
    );

    // A bad amount on a card keeps everything typed.
    let id = demo_event(&store).await;
    let card = format!("/events/{id}/groups/2");
    let v = form_version(&page(&store, &card, "bg", Some(&cookie)).await, &card);
    let r = post(
        &store,
        &card,
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("name", "Група 2"),
            ("card_name", "Обучение в ИКТ"),
            ("budget_label_0", "Лаптоп"),
            ("budget_amount_0", "хиляда"),
            ("budget_currency_0", "BGN"),
            ("budget_source_0", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(r).await;
    assert_eq!(
        doc.select(&sel(".error-summary a[href=\"#budget_amount_0\"]"))
            .count(),
        1
    );
    assert_eq!(
        doc.select(&sel("#budget_amount_0"))
            .next()
            .unwrap()
            .value()
            .attr("value"),
        Some("хиляда")
    );
    assert_eq!(
        doc.select(&sel("#card_name"))
            .next()
            .unwrap()
            .value()
            .attr("value"),
        Some("Обучение в ИКТ")
    );
    assert_eq!(
        stored(&store, id).await.1.working_groups[1].card.name,
        "Обучение в ИКТ на възрастни с двигателни увреждания"
    );
}

#[tokio::test]
async fn adopting_a_group_card_creates_a_draft_service_for_the_chosen_library() {
    let store = demo_store().await;
    let id = demo_event(&store).await;
    let before = store.services().await.unwrap().len();
    let l3007 = LibraryId::new(3007).unwrap();
    let (cookie, csrf) = sign_in_with_csrf(&store, Role::Librarian { library: l3007 }).await;

    // The librarian sees the adopt form with their own library only.
    let doc = page(&store, &format!("/events/{id}"), "bg", Some(&cookie)).await;
    let options: Vec<&str> = doc
        .select(&sel("form.adopt-form select option"))
        .filter_map(|o| o.value().attr("value"))
        .collect();
    assert_eq!(options.len(), 5);
    assert!(options.iter().all(|o| *o == "3007"));

    // Another library is not theirs to adopt for.
    let r = post(
        &store,
        &format!("/events/{id}/groups/2/adopt"),
        &cookie,
        &[("csrf", &csrf), ("library", "705")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.services().await.unwrap().len(), before);

    let r = post(
        &store,
        &format!("/events/{id}/groups/2/adopt"),
        &cookie,
        &[("csrf", &csrf), ("library", "3007")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let service_id: ServiceId = location(&r)
        .trim_start_matches("/services/")
        .parse()
        .unwrap();
    let s = store.service(service_id).await.unwrap().unwrap().record;
    assert_eq!(s.library, l3007);
    assert_eq!(s.status, ServiceStatus::Draft);
    assert_eq!(s.year.get(), 2012);
    assert_eq!(s.category.as_str(), "e-inclusion");
    assert_eq!(
        s.card.name,
        "Обучение в ИКТ на възрастни с двигателни увреждания"
    );
    assert_eq!(
        s.card.target_groups,
        ["възрастни с увреждания от дом за хора с увреждания"]
    );
    assert_eq!(store.services().await.unwrap().len(), before + 1);

    // A draft is not a planned service: the report's table does not change.
    let doc = page(&store, &format!("/events/{id}/report"), "bg", None).await;
    let row_3007: Vec<Vec<String>> = doc
        .select(&sel("table.report-table tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(|td| td.text().collect::<String>())
                .collect::<Vec<_>>()
        })
        .filter(|r| r[0] == "3007")
        .collect();
    assert_eq!(row_3007.len(), 1);
    assert_eq!(
        row_3007[0][4],
        "Е-включване: Обучение на хора с двигателни увреждания"
    );
    // Without a CSRF token nothing happens.
    let r = post(
        &store,
        &format!("/events/{id}/groups/2/adopt"),
        &cookie,
        &[("library", "3007")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.services().await.unwrap().len(), before + 1);
}

#[tokio::test]
async fn events_of_a_library_and_of_a_partner() {
    let store = demo_store().await;
    let demo = demo_event(&store).await;
    // A Sofia meeting where the director of library 705 speaks: related to 705 by its person,
    // not to the other libraries of Kyustendil.
    let mut sofia = store.event(demo).await.unwrap().unwrap().record;
    sofia.title = "Библиотеки и медии".into();
    sofia.district = Some(DistrictCode::parse("SOF").unwrap());
    sofia.settlement = None;
    sofia.starts = jiff::civil::date(2013, 5, 20);
    sofia.ends = sofia.starts;
    sofia.organisers = vec!["Столична библиотека".into()];
    sofia.participants.retain(|p| p.name == "София Пейчева");
    sofia.agenda.clear();
    sofia.working_groups.clear();
    let sofia = store
        .create(&Actor("test".into()), &sofia)
        .await
        .unwrap()
        .id;

    let ids = |v: Vec<lipa_app::Versioned<Event>>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let l705 = LibraryId::new(705).unwrap();
    let l732 = LibraryId::new(732).unwrap();
    assert_eq!(
        ids(store.events_for_library(l705).await.unwrap()),
        [sofia, demo]
    );
    assert_eq!(ids(store.events_for_library(l732).await.unwrap()), [demo]);

    let partners = store.partners().await.unwrap();
    let partner = |name: &str| partners.iter().find(|p| p.record.name == name).unwrap().id;
    // Named by a participant's organisation („Районна здравна инспекция – Кюстендил (РЗИ)“).
    assert_eq!(
        ids(store
            .events_for_partner(partner("Районна здравна инспекция – Кюстендил"))
            .await
            .unwrap()),
        [demo]
    );
    // Named as an organiser.
    assert_eq!(
        ids(store
            .events_for_partner(partner("Програма „Глоб@лни библиотеки – България“"))
            .await
            .unwrap()),
        [demo]
    );
    // Mentioned only inside a topic: not a partner of the meeting.
    assert!(
        store
            .events_for_partner(partner("Министерство на здравеопазването"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_admin_picks_the_district_first_and_may_hold_a_national_event() {
    let store = demo_store().await;
    let (admin, csrf) = sign_in_with_csrf(&store, Role::Admin).await;
    // Without JavaScript: choose the district (a GET form), then its settlements are offered.
    let doc = page(&store, "/events/new", "bg", Some(&admin)).await;
    assert_eq!(
        doc.select(&sel("form.district-choice select#district-choice option"))
            .count(),
        29
    );
    assert_eq!(doc.select(&sel("select#settlement option")).count(), 1);
    let doc = page(&store, "/events/new?district=KNL", "bg", Some(&admin)).await;
    assert!(
        doc.select(&sel(
            "select#settlement optgroup[label=\"Кюстендил\"] option[value=\"41112\"]"
        ))
        .next()
        .is_some()
    );

    let mut fields = new_event_fields(&csrf);
    fields.retain(|(k, _)| !matches!(*k, "district" | "settlement"));
    fields.extend([("district", ""), ("settlement", "")]);
    let r = post(&store, "/events/new", &admin, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: EventId = location(&r)
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, e) = stored(&store, id).await;
    assert_eq!(e.district, None);
    // Not published and in no district: the district's coordinator does not see it.
    let knl_cookie = lipa_web::testing::sign_in(&store, knl()).await;
    assert_eq!(
        get_as(&store, &format!("/events/{id}"), "bg", Some(&knl_cookie))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let doc = page(&store, &format!("/events/{id}/report"), "bg", Some(&admin)).await;
    assert_eq!(
        text_of(&doc, "h1"),
        ["Тематична среща „Читалището и училището“"]
    );
    assert_eq!(doc.select(&sel("table.report-table")).count(), 0);
}
