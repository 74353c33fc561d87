//! The reports and the import page, on the demo data (the Kyustendil 2012 report): the district
//! table and its exports against the seed's table, the matrix totals, the coverage gap, the
//! other reports' numbers, and the import's permissions, error page, preview and commit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use calamine::{Data, Reader, Xlsx};
use lipa_app::testing::Store;
use lipa_core::audit::Actor;
use lipa_core::ids::{DistrictCode, LibraryId};
use lipa_core::user::Role;
use lipa_web::testing::{body_bytes, demo_store, html_of as html, sel, send, text};
use scraper::Html;
use std::io::Cursor;

/// The seed's table, in the seed's order: ID, settlement, and the start of the service cell.
const SEED_ROWS: [(&str, &str); 18] = [
    ("732", ""),
    ("734", "Е-включване: Библиотеката при НЧ „Зора 1858”"),
    (
        "737",
        "Е-здраве: Предоставяне на информация на здравни теми",
    ),
    (
        "739",
        "Е-здраве: Предоставяне на информация на здравни теми",
    ),
    ("764", ""),
    (
        "763",
        "Е-култура: Създаване и разпространение на материали за края",
    ),
    ("705", "Е-образование: подпомагане в образователния процес"),
    (
        "714",
        "Е-култура: Създаване и разпространение на аудио материали",
    ),
    (
        "719",
        "Е-бизнес: Информационно-административни услуги за овощари",
    ),
    (
        "722",
        "Е-умения: Обучение на възрастни хора в начална компютърна грамотност",
    ),
    (
        "708",
        "Е-здраве: Предоставяне на информация на здравни теми",
    ),
    (
        "720",
        "Е-бизнес: Информационно-административни услуги за овощари",
    ),
    (
        "3007",
        "Е-включване: Обучение на хора с двигателни увреждания",
    ),
    (
        "723",
        "Е-здраве: Предоставяне на информация на здравни теми",
    ),
    ("707", "Е-образование: Помощ при избора"),
    (
        "754",
        "Е-здраве: Предоставяне на информация на здравни теми",
    ),
    (
        "759",
        "Е-култура: Популяризиране на местните забележителности",
    ),
    ("3069", ""),
];

const SEED_HEADER: [&str; 6] = [
    "ID",
    "Име на библиотеката",
    "Община",
    "Населено място",
    "Услуга с подкрепата на доброволци",
    "Целева група",
];

async fn get(store: &Store, uri: &str) -> Response {
    let req = Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, "bg")
        .body(Body::empty())
        .unwrap();
    send(store, req).await
}

async fn page(store: &Store, uri: &str) -> Html {
    let r = get(store, uri).await;
    assert_eq!(r.status(), StatusCode::OK, "{uri}");
    Html::parse_document(&String::from_utf8(body_bytes(r).await).unwrap())
}

/// The cells (th and td) of every body row of the first table matching `table`.
fn table_rows(doc: &Html, table: &str) -> Vec<Vec<String>> {
    let t = doc.select(&sel(table)).next().expect("table");
    t.select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect()
}

#[tokio::test]
async fn district_table_is_the_seeds_table() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/district?district=KNL&year=2012").await;
    let caption = text(
        doc.select(&sel("table.district-table caption"))
            .next()
            .unwrap(),
    );
    assert_eq!(
        caption,
        "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2012 г."
    );
    let header: Vec<String> = doc
        .select(&sel("table.district-table thead th"))
        .map(text)
        .collect();
    assert_eq!(header, SEED_HEADER);
    let rows = table_rows(&doc, "table.district-table");
    assert_eq!(rows.len(), 18);
    for (row, (id, service)) in rows.iter().zip(SEED_ROWS) {
        assert_eq!(row[0], id);
        if service.is_empty() {
            assert_eq!(row[4], "", "library {id} has no service");
            assert_eq!(row[5], "");
        } else {
            assert!(row[4].starts_with(service), "{id}: {}", row[4]);
        }
    }
    let r705 = rows.iter().find(|r| r[0] == "705").unwrap();
    assert_eq!(r705[2], "Кюстендил");
    assert_eq!(r705[3], "гр. Кюстендил");
    assert!(r705[4].starts_with("Е-образование: "), "{}", r705[4]);
    assert_eq!(r705[5], "Деца с двигателни увреждания");
    let r732 = &rows[0];
    assert_eq!(r732[2], "Бобошево");
    assert_eq!(r732[3], "гр. Бобошево");
    // The form keeps the choice, and offers the district and the year.
    assert!(
        doc.select(&sel("select#district option[value=KNL][selected]"))
            .next()
            .is_some()
    );
    assert!(
        doc.select(&sel("select#year option[value='2012'][selected]"))
            .next()
            .is_some()
    );
}

#[tokio::test]
async fn district_table_defaults_to_a_district_and_its_latest_year() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/district").await;
    assert_eq!(table_rows(&doc, "table.district-table").len(), 18);
}

#[tokio::test]
async fn district_table_speaks_english() {
    let store = demo_store().await;
    let req = Request::get("/reports/district?district=KNL&year=2012")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let r = send(&store, req).await;
    let doc = Html::parse_document(&String::from_utf8(body_bytes(r).await).unwrap());
    let header: Vec<String> = doc
        .select(&sel("table.district-table thead th"))
        .map(text)
        .collect();
    assert_eq!(header[1], "Library name");
    assert_eq!(header[4], "Service supported by volunteers");
    let rows = table_rows(&doc, "table.district-table");
    let r705 = rows.iter().find(|r| r[0] == "705").unwrap();
    assert!(r705[4].starts_with("E-education: "), "{}", r705[4]);
    assert_eq!(r705[2], "Kyustendil");
}

#[tokio::test]
async fn district_csv_has_a_bom_and_the_table() {
    let store = demo_store().await;
    let r = get(&store, "/reports/district.csv?district=KNL&year=2012").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("district-KNL-2012.csv")
    );
    let bytes = body_bytes(r).await;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(text.lines().count(), 19);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, SEED_HEADER);
    let records: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids, SEED_ROWS.map(|(id, _)| id));
    let r705 = records.iter().find(|r| &r[0] == "705").unwrap();
    assert!(r705[4].starts_with("Е-образование: подпомагане"));
    assert_eq!(&r705[5], "Деца с двигателни увреждания");
    assert_eq!(&records[0][4], "");
}

#[tokio::test]
async fn district_xlsx_reads_back() {
    let store = demo_store().await;
    let r = get(&store, "/reports/district.xlsx?district=KNL&year=2012").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = body_bytes(r).await;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert!(rows[0][0].to_string().starts_with("Иновативни услуги"));
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, SEED_HEADER);
    let data = &rows[2..];
    assert_eq!(data.len(), 18);
    assert_eq!(data[0][0], Data::Float(732.0));
    let r705 = data.iter().find(|r| r[0] == Data::Float(705.0)).unwrap();
    assert_eq!(r705[5].to_string(), "Деца с двигателни увреждания");
}

#[tokio::test]
async fn matrix_totals_are_the_seeds_fifteen_services() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/matrix?district=KNL&year=2012").await;
    let grand = text(
        doc.select(&sel("[data-testid=grand-total]"))
            .next()
            .unwrap(),
    );
    assert_eq!(grand, "15");
    let header: Vec<String> = doc
        .select(&sel("table.matrix thead th"))
        .map(text)
        .collect();
    // The municipalities that have libraries, by name, between the corner and the total.
    assert_eq!(
        &header[1..header.len() - 1],
        [
            "Бобошево",
            "Дупница",
            "Кочериново",
            "Кюстендил",
            "Рила",
            "Сапарева баня",
            "Трекляно"
        ]
    );
    let rows = table_rows(&doc, "table.matrix");
    let health = rows.iter().find(|r| r[0] == "Е-здраве").unwrap();
    // 737, 739 in Dupnitsa; 708, 723 in Kyustendil; 754 in Rila.
    assert_eq!(health[1..], ["0", "2", "0", "2", "1", "0", "0", "5"]);
    let row_sum: i64 = rows
        .iter()
        .map(|r| r.last().unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(row_sum, 15);
    let foot: Vec<String> = doc
        .select(&sel("table.matrix tfoot td"))
        .map(text)
        .collect();
    let col_sum: i64 = foot[..foot.len() - 1]
        .iter()
        .map(|n| n.parse::<i64>().unwrap())
        .sum();
    assert_eq!(col_sum, 15);
    assert_eq!(foot[..foot.len() - 1], ["0", "3", "1", "9", "1", "1", "0"]);

    // The whole country by district: the same 15.
    let doc = page(&store, "/reports/matrix").await;
    assert_eq!(
        text(
            doc.select(&sel("[data-testid=grand-total]"))
                .next()
                .unwrap()
        ),
        "15"
    );

    let r = get(&store, "/reports/matrix.csv?district=KNL&year=2012").await;
    let bytes = body_bytes(r).await;
    let mut rd = csv::Reader::from_reader(&bytes[3..]);
    let last = rd.records().map(Result::unwrap).last().unwrap();
    assert_eq!(&last[0], "Общо");
    assert_eq!(last.iter().next_back().unwrap(), "15");

    let r = get(&store, "/reports/matrix.xlsx?district=KNL&year=2012").await;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(body_bytes(r).await)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let last = range.rows().next_back().unwrap();
    assert_eq!(*last.last().unwrap(), Data::Float(15.0));
}

#[tokio::test]
async fn coverage_lists_the_three_libraries_without_a_service() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/coverage?district=KNL").await;
    let rows = table_rows(&doc, "table.coverage");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["732", "764", "3069"]);
    let links: Vec<String> = doc
        .select(&sel("table.coverage tbody a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        links,
        ["/libraries/732", "/libraries/764", "/libraries/3069"]
    );
    let summary = text(
        doc.select(&sel("[data-testid=coverage-summary]"))
            .next()
            .unwrap(),
    );
    assert!(summary.starts_with("3 от 18"), "{summary}");
}

#[tokio::test]
async fn target_groups_merge_spellings_and_count_reach() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/target-groups?district=KNL").await;
    let rows = table_rows(&doc, "table.target-groups");
    // „Местна общност“: 763, 708, 723, 754, 759.
    let local = rows.iter().find(|r| r[0] == "Местна общност").unwrap();
    assert_eq!(local[1], "5");
    assert_eq!(local[2], "5");
    assert!(
        local[3].contains("Е-здраве 3") && local[3].contains("Е-култура 2"),
        "{}",
        local[3]
    );
    assert_eq!(rows[0][0], "Местна общност", "most services first");
    let total: i64 = rows.iter().map(|r| r[1].parse::<i64>().unwrap()).sum();
    assert_eq!(total, 15, "one target group per service in the seed");
    // The bar chart has a bar per group, linked to the libraries list.
    let bars = doc.select(&sel("table.bar-chart tbody tr")).count();
    assert_eq!(bars, rows.len());
}

#[tokio::test]
async fn volunteers_and_partners_reports_count() {
    let store = demo_store().await;
    let doc = page(&store, "/reports/volunteers?year=2012").await;
    let rows = table_rows(&doc, "table.volunteers");
    assert_eq!(rows[0][0], "Кюстендил");
    // The seed's column is "services supported by volunteers": all 15 are.
    assert_eq!(rows[0][1..], ["15", "15", "100 %"]);

    let doc = page(&store, "/reports/partners").await;
    let kinds = table_rows(&doc, "table.partner-kinds");
    assert!(!kinds.is_empty());
    let partners: i64 = kinds.iter().map(|r| r[1].parse::<i64>().unwrap()).sum();
    assert_eq!(
        partners as usize,
        lipa_io::demo::load().unwrap().partners.len()
    );
}

#[tokio::test]
async fn reports_index_links_every_report() {
    let store = demo_store().await;
    let doc = page(&store, "/reports").await;
    let links: Vec<String> = doc
        .select(&sel("ul.report-list a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        links,
        [
            "/reports/district",
            "/reports/matrix",
            "/reports/coverage",
            "/reports/target-groups",
            "/reports/volunteers",
            "/reports/partners"
        ]
    );
    for href in &links {
        let doc = page(&store, href).await;
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{href}");
    }
}

#[tokio::test]
async fn empty_registry_reports_say_so() {
    let store = Store::open_test().await.unwrap();
    for uri in lipa_web::testing::REPORT_PAGES {
        let doc = page(&store, uri).await;
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{uri}");
    }
    let r = get(&store, "/reports/district.csv").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

// --- import ---------------------------------------------------------------------------------------

const SEED_ARTICLE: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/kyustendil-2012.txt"
));

/// A table whose second row names a village that Kyustendil municipality does not have.
const BAD_TABLE: &str = "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2012 г.

ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група
732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево
708 БИБЛИОТЕКА ПРИ НЧ ДИМИТЪР КАЛЯШКИ-1920 Кюстендил с. Жиленциево Е-здраве: Предоставяне на информация на здравни теми Местна общност
";

const BOUNDARY: &str = "lipa-test-boundary-7d1f";

/// A multipart body: text fields, then the file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_upload(
    store: &Store,
    cookie: Option<&str>,
    csrf: &str,
    filename: &str,
    bytes: &[u8],
) -> Response {
    let body = multipart(
        &[
            ("csrf", csrf),
            ("format", "auto"),
            ("year", ""),
            ("district", ""),
        ],
        Some((filename, bytes)),
    );
    let mut req = Request::post("/import")
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(store, req.body(Body::from(body)).unwrap()).await
}

async fn get_as(store: &Store, cookie: &str, uri: &str) -> Response {
    let req = Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    send(store, req).await
}

async fn post_commit(store: &Store, cookie: &str, location: &str, csrf: &str) -> Response {
    let req = Request::post(format!("{location}/commit"))
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    send(store, req).await
}

fn location(r: &Response) -> String {
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

fn count_cell(doc: &Html, row: usize, which: &str) -> String {
    let tr = doc
        .select(&sel("table.import-counts-table tbody tr"))
        .nth(row)
        .unwrap();
    text(
        tr.select(&sel(&format!("td[data-count={which}]")))
            .next()
            .unwrap(),
    )
}

async fn admin(store: &Store) -> (String, String) {
    lipa_web::testing::sign_in_with_csrf(store, Role::Admin).await
}

#[tokio::test]
async fn anonymous_import_is_refused_and_writes_nothing() {
    let store = Store::open_test().await.unwrap();
    let r = get(&store, "/import").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = post_upload(&store, None, "", "kyustendil-2012.txt", SEED_ARTICLE).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let doc = html(r).await;
    assert_eq!(text(doc.select(&sel("h1")).next().unwrap()), "Нужен е вход");
    assert!(store.libraries().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_form_is_accessible_and_carries_the_token() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let doc = html(get_as(&store, &cookie, "/import").await).await;
    let form = doc.select(&sel("form.import-form")).next().unwrap();
    assert_eq!(form.value().attr("enctype"), Some("multipart/form-data"));
    let token = doc
        .select(&sel("form.import-form input[name=csrf]"))
        .next()
        .unwrap();
    assert_eq!(token.value().attr("value"), Some(csrf.as_str()));
    for id in ["file", "format", "year", "district"] {
        assert!(
            doc.select(&sel(&format!("label[for={id}]")))
                .next()
                .is_some(),
            "label for {id}"
        );
    }
    let accept = doc
        .select(&sel("input#file"))
        .next()
        .unwrap()
        .value()
        .attr("accept")
        .unwrap();
    assert_eq!(accept, ".txt,.csv,.xlsx,.json");
}

/// Uploads a file that is refused as unreadable (422, the error summary shown): the page.
async fn refused_upload(
    store: &Store,
    cookie: &str,
    csrf: &str,
    filename: &str,
    bytes: &[u8],
) -> Html {
    let r = post_upload(store, Some(cookie), csrf, filename, bytes).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(r).await;
    assert!(doc.select(&sel(".error-summary")).next().is_some());
    doc
}

/// A 1.6 KB workbook whose only cells are A1 and XFD1048576 (issue 12: it aborted the server).
const CORNER_TO_CORNER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/corner-to-corner.xlsx"
));

#[tokio::test]
async fn a_corner_to_corner_workbook_is_refused_and_a_viewer_before_any_reading() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let doc = refused_upload(&store, &cookie, &csrf, "corner.xlsx", CORNER_TO_CORNER).await;
    let rows = table_rows(&doc, "table.import-errors");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "1048576");
    assert!(rows[0][2].contains("колона 16384"), "{}", rows[0][2]);
    // A viewer may import nothing: refused before the file is read (403, not the file's 422).
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, Role::Viewer).await;
    let r = post_upload(
        &store,
        Some(&cookie),
        &csrf,
        "corner.xlsx",
        CORNER_TO_CORNER,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(store.libraries().await.unwrap().is_empty());
}

/// Uploads a file one byte over `MAX_UPLOAD`, in `lang`: with its length announced, as a browser
/// sends a form, or as a stream of chunks without `Content-Length`.
async fn oversized_upload(
    store: &Store,
    cookie: &str,
    csrf: &str,
    lang: &str,
    announced: bool,
) -> Response {
    let file = vec![b'a'; lipa_web::MAX_UPLOAD + 1];
    let body = multipart(
        &[
            ("csrf", csrf),
            ("format", "csv"),
            ("year", ""),
            ("district", ""),
        ],
        Some(("big.csv", &file)),
    );
    let req = Request::post("/import")
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    let req = if announced {
        req.header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
    } else {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
        req.body(Body::from_stream(futures_util::stream::iter(chunks)))
    };
    send(store, req.unwrap()).await
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_the_limit_named() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    for announced in [true, false] {
        for (lang, said) in [
            ("bg", "Файлът е по-голям от 20 MB"),
            ("en", "The file is larger than 20 MB"),
        ] {
            let r = oversized_upload(&store, &cookie, &csrf, lang, announced).await;
            let case = format!("{lang}, length announced: {announced}");
            assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{case}");
            // The form again, ready for another file: the message at the file field, the token.
            let doc = html(r).await;
            let error = doc.select(&sel("#file-error")).next().expect(&case);
            assert!(text(error).contains(said), "{case}: {}", text(error));
            let token = doc
                .select(&sel("form.import-form input[name=csrf]"))
                .next()
                .expect(&case);
            assert_eq!(token.value().attr("value"), Some(csrf.as_str()), "{case}");
            assert!(doc.select(&sel("input#file")).next().is_some(), "{case}");
        }
    }
    assert!(store.libraries().await.unwrap().is_empty());

    // Another form over the limit, refused before it is read: a page in the reader's language.
    let req = Request::post("/events/new")
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, lipa_web::MAX_UPLOAD + 1)
        .body(Body::empty())
        .unwrap();
    let r = send(&store, req).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let doc = html(r).await;
    assert_eq!(
        text(doc.select(&sel("h1")).next().unwrap()),
        "Изпратеното е твърде голямо"
    );
}

#[tokio::test]
async fn unicode_text_previews_with_the_encoding_it_was_read_in() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    // The seed article as Windows' "Unicode text": UTF-16 little-endian with its mark.
    let article = std::str::from_utf8(SEED_ARTICLE).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(article.encode_utf16().flat_map(u16::to_le_bytes));
    let r = post_upload(&store, Some(&cookie), &csrf, "kyustendil.txt", &utf16).await;
    let at = location(&r);
    let doc = html(get_as(&store, &cookie, &at).await).await;
    let read_as = text(doc.select(&sel("p.import-read-as")).next().unwrap());
    assert_eq!(
        read_as,
        "Прочетен като UTF-16LE със знак за реда на байтовете (BOM)."
    );
    assert_eq!(count_cell(&doc, 0, "new"), "18");
    assert_eq!(count_cell(&doc, 1, "new"), "15");
}

#[tokio::test]
async fn a_bad_row_is_named_by_line_and_field_and_nothing_is_written() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let doc = refused_upload(&store, &cookie, &csrf, "table.txt", BAD_TABLE.as_bytes()).await;
    let rows = table_rows(&doc, "table.import-errors");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "5");
    assert_eq!(rows[0][1], "Населено място");
    assert!(rows[0][2].contains("Жиленциево"), "{}", rows[0][2]);
    assert!(store.libraries().await.unwrap().is_empty());
}

#[tokio::test]
async fn form_errors_are_shown_at_their_fields() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let body = multipart(
        &[
            ("csrf", &csrf),
            ("format", "table"),
            ("year", "20x2"),
            ("district", ""),
        ],
        None,
    );
    let req = Request::post("/import")
        .header(header::ACCEPT_LANGUAGE, "bg")
        .header(header::COOKIE, &cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let r = send(&store, req).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(r).await;
    let links: Vec<String> = doc
        .select(&sel(".error-summary a"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(links, ["#file", "#year"]);
    assert!(doc.select(&sel(".field-error input#year")).next().is_some());
    // The choice of format is kept.
    assert!(
        doc.select(&sel("select#format option[value=table][selected]"))
            .next()
            .is_some()
    );
}

#[tokio::test]
async fn the_seed_previews_then_commits_all_or_nothing() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let r = post_upload(
        &store,
        Some(&cookie),
        &csrf,
        "kyustendil-2012.txt",
        SEED_ARTICLE,
    )
    .await;
    let at = location(&r);
    assert!(at.starts_with("/import/"), "{at}");
    assert!(
        store.libraries().await.unwrap().is_empty(),
        "the upload writes nothing"
    );

    let doc = html(get_as(&store, &cookie, &at).await).await;
    assert_eq!(count_cell(&doc, 0, "new"), "18");
    assert_eq!(count_cell(&doc, 1, "new"), "15");
    assert_eq!(count_cell(&doc, 0, "changed"), "0");
    assert_eq!(table_rows(&doc, "table.import-libraries").len(), 18);
    let action = doc
        .select(&sel("form.commit-form"))
        .next()
        .unwrap()
        .value()
        .attr("action")
        .unwrap()
        .to_owned();
    assert_eq!(action, format!("{at}/commit"));

    // Without the token: refused, nothing written.
    let r = post_commit(&store, &cookie, &at, "wrong").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(store.libraries().await.unwrap().is_empty());

    let r = post_commit(&store, &cookie, &at, &csrf).await;
    assert_eq!(location(&r), at);
    assert_eq!(store.libraries().await.unwrap().len(), 18);
    assert_eq!(store.services().await.unwrap().len(), 15);
    let doc = html(get_as(&store, &cookie, &at).await).await;
    let written: Vec<String> = doc.select(&sel("ul.import-written li")).map(text).collect();
    assert_eq!(written, ["Нови библиотеки: 18", "Нови услуги: 15"]);

    // A second click writes nothing more.
    let r = post_commit(&store, &cookie, &at, &csrf).await;
    assert_eq!(location(&r), at);
    assert_eq!(store.services().await.unwrap().len(), 15);

    // The same file again: everything unchanged, nothing to commit.
    let r = post_upload(
        &store,
        Some(&cookie),
        &csrf,
        "kyustendil-2012.txt",
        SEED_ARTICLE,
    )
    .await;
    let again = location(&r);
    let doc = html(get_as(&store, &cookie, &again).await).await;
    assert_eq!(count_cell(&doc, 0, "same"), "18");
    assert_eq!(count_cell(&doc, 1, "same"), "15");
    assert!(doc.select(&sel("form.commit-form")).next().is_none());
}

#[tokio::test]
async fn the_commit_compares_with_the_store_as_it_is_then() {
    let store = Store::open_test().await.unwrap();
    let (cookie, csrf) = admin(&store).await;
    let at = location(
        &post_upload(
            &store,
            Some(&cookie),
            &csrf,
            "kyustendil-2012.txt",
            SEED_ARTICLE,
        )
        .await,
    );
    // Between preview and commit someone enters library 732 with an e-mail address.
    let reg = lipa_io::demo::load().unwrap();
    let mut lib732 = reg
        .libraries
        .iter()
        .find(|l| l.id.get() == 732)
        .unwrap()
        .clone();
    lib732.contacts.email = "loza1870@example.org".into();
    store
        .create_library(&Actor("other".into()), &lib732)
        .await
        .unwrap();

    let r = post_commit(&store, &cookie, &at, &csrf).await;
    assert_eq!(location(&r), at);
    let libraries = store.libraries().await.unwrap();
    assert_eq!(libraries.len(), 18);
    let stored = libraries.iter().find(|l| l.record.id.get() == 732).unwrap();
    assert_eq!(
        stored.record.contacts.email, "loza1870@example.org",
        "the edit in between is kept"
    );
    let doc = html(get_as(&store, &cookie, &at).await).await;
    let written: Vec<String> = doc.select(&sel("ul.import-written li")).map(text).collect();
    assert_eq!(written, ["Нови библиотеки: 17", "Нови услуги: 15"]);
}

#[tokio::test]
async fn an_import_outside_the_scope_is_refused_whole() {
    let store = Store::open_test().await.unwrap();
    let sofia = Role::Coordinator {
        district: DistrictCode::parse("SOF").unwrap(),
    };
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, sofia).await;
    let r = post_upload(
        &store,
        Some(&cookie),
        &csrf,
        "kyustendil-2012.txt",
        SEED_ARTICLE,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let doc = html(r).await;
    assert_eq!(doc.select(&sel("ul.scope-errors li")).count(), 18);
    assert!(store.libraries().await.unwrap().is_empty());

    // The librarian of 705 may not bring in the other 17 libraries, nor create 705 itself:
    // creating a library is district-level, as in the API.
    let librarian = Role::Librarian {
        library: LibraryId::new(705).unwrap(),
    };
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, librarian).await;
    let r = post_upload(
        &store,
        Some(&cookie),
        &csrf,
        "kyustendil-2012.txt",
        SEED_ARTICLE,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(html(r).await.select(&sel("ul.scope-errors li")).count(), 18);

    // The coordinator of Kyustendil may.
    let knl = Role::Coordinator {
        district: DistrictCode::parse("KNL").unwrap(),
    };
    let (cookie, csrf) = lipa_web::testing::sign_in_with_csrf(&store, knl).await;
    let at = location(
        &post_upload(
            &store,
            Some(&cookie),
            &csrf,
            "kyustendil-2012.txt",
            SEED_ARTICLE,
        )
        .await,
    );
    let r = post_commit(&store, &cookie, &at, &csrf).await;
    assert_eq!(location(&r), at);
    assert_eq!(store.libraries().await.unwrap().len(), 18);
    // Another user cannot see or commit that upload.
    let (other, other_csrf) = admin(&store).await;
    assert_eq!(
        get_as(&store, &other, &at).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_commit(&store, &other, &at, &other_csrf).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_large_district_table_comes_in_pages_in_the_tables_order() {
    let store = demo_store().await;
    let extra: Vec<lipa_core::library::Library> = (0..450)
        .map(|i| {
            let mut lib = lipa_app::testing::library_705();
            lib.id = LibraryId::new(50_000 + i).unwrap();
            lib.coordinator = false;
            lib.settlement =
                lipa_core::ids::Ekatte::parse(if i % 2 == 0 { "29386" } else { "41112" }).unwrap();
            lib
        })
        .collect();
    let changes = lipa_core::changes::ChangeSet {
        libraries: extra,
        ..Default::default()
    };
    store
        .apply(&Actor("test".into()), "more", &changes)
        .await
        .unwrap();
    // The whole table, as the CSV export has it: the order pages must follow.
    let csv = String::from_utf8(
        body_bytes(get(&store, "/reports/district.csv?district=KNL&year=2012").await).await,
    )
    .unwrap();
    let mut whole: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| {
            l.trim_start_matches('\u{feff}')
                .split([',', ';'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    whole.dedup();
    assert!(whole.len() > 450, "{}", whole.len());
    let mut paged: Vec<String> = Vec::new();
    let mut uri = "/reports/district?district=KNL&year=2012".to_owned();
    let mut pages = 0;
    loop {
        let doc = page(&store, &uri).await;
        pages += 1;
        let mut ids: Vec<String> = table_rows(&doc, "table.district-table")
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        ids.dedup();
        assert!(
            ids.len() <= 200,
            "a page has at most 200 libraries: {}",
            ids.len()
        );
        paged.extend(ids);
        let summary = doc
            .select(&sel("p.muted"))
            .map(text)
            .find(|t| t.contains("библиотеки"))
            .unwrap();
        assert!(summary.contains(&whole.len().to_string()), "{summary}");
        match doc.select(&sel("nav.pagination a[rel=next]")).next() {
            Some(a) => uri = a.value().attr("href").unwrap().replace("&amp;", "&"),
            None => break,
        }
    }
    assert_eq!(pages, whole.len().div_ceil(200));
    assert_eq!(
        paged, whole,
        "the pages are the table, in its order, each library once"
    );
}
