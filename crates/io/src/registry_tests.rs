//! Tests of the registry files: the seed table through every format, hand-edited files, errors,
//! and property tests of the lossless round trip.

use super::*;
use crate::legacy::{LegacyOptions, parse};
use lipa_core::taxonomy::default_categories;

fn seed() -> Registry {
    let text = include_str!("../../../tests/fixtures/kyustendil-2012.txt");
    parse(text, &default_categories(), &LegacyOptions::default())
        .expect("the seed parses")
        .into_registry()
}

/// The seed with every field filled somewhere, so that the round trips cover them all.
fn rich() -> Registry {
    let mut r = seed();
    let l = r.libraries.iter_mut().find(|l| l.id.get() == 705).unwrap();
    l.coordinator = true;
    l.contacts = Contacts {
        address: "ул. „Демокрация“ 1".into(),
        phone: "078 55 00 00".into(),
        email: "rb@example.org".into(),
        website: "https://example.org".into(),
    };
    let s = r
        .services
        .iter_mut()
        .find(|s| s.library.get() == 705)
        .unwrap();
    s.status = ServiceStatus::Active;
    s.volunteers = vec![
        Volunteer {
            name: "Мария Иванова".into(),
            role: "обучител".into(),
        },
        Volunteer {
            name: "Иван Петров".into(),
            role: String::new(),
        },
    ];
    s.card.goal = "Равен достъп до образование\nза деца с двигателни увреждания.".into();
    s.card.target_groups.push("Родители".into());
    s.card.partners = vec![
        ServicePartner {
            partner_id: None,
            name: "Ресурсен център – Кюстендил".into(),
            role: "методическа помощ".into(),
        },
        ServicePartner {
            partner_id: None,
            name: "ОИЦ | Кюстендил — офис".into(),
            role: String::new(),
        },
    ];
    s.card.activities = vec![
        Activity {
            title: "Среща с родителите".into(),
            starts: Some(jiff::civil::date(2012, 9, 1)),
            ends: Some(jiff::civil::date(2012, 10, 31)),
        },
        Activity {
            title: "Обучение".into(),
            starts: None,
            ends: Some(jiff::civil::date(2012, 11, 30)),
        },
        Activity {
            title: "Отчет \\ равносметка".into(),
            starts: Some(jiff::civil::date(2012, 12, 1)),
            ends: None,
        },
        Activity {
            title: "Без дати".into(),
            starts: None,
            ends: None,
        },
    ];
    s.card.budget = vec![
        BudgetItem {
            label: "Проектор".into(),
            amount: Money::new(45_000, Currency::Bgn),
            source: "Програмата".into(),
        },
        BudgetItem {
            label: "Хартия".into(),
            amount: Money::new(1_550, Currency::Eur),
            source: String::new(),
        },
    ];
    s.card.media = "Местни медии, сайт на РБ".into();
    s.card.expected = ExpectedResults {
        social: "Приобщаване".into(),
        economic: "-".into(),
        community: "=SUM(A1:A2)".into(),
    };
    s.results = vec![
        ResultReport {
            date: jiff::civil::date(2012, 12, 31),
            indicator: "участници".into(),
            value: 25.0,
            expected: Some(30.0),
            note: "първа година".into(),
        },
        ResultReport {
            date: jiff::civil::date(2013, 6, 30),
            indicator: "часове".into(),
            value: 12.5,
            expected: None,
            note: String::new(),
        },
    ];
    r
}

#[test]
fn seed_survives_every_format() {
    for r in [seed(), rich()] {
        for lang in Lang::ALL {
            let csv = to_csv(&r, lang);
            assert_eq!(from_csv(&csv).unwrap(), r, "CSV {lang:?}");
            let xlsx = to_xlsx(&r, lang).unwrap();
            assert_eq!(from_xlsx(&xlsx).unwrap(), r, "XLSX {lang:?}");
        }
        assert_eq!(from_json(&to_json(&r)).unwrap(), r);
    }
}

#[test]
fn csv_is_excel_friendly_and_bulgarian_and_english_differ_only_in_the_header() {
    let r = rich();
    let bg = to_csv(&r, Lang::Bg);
    let en = to_csv(&r, Lang::En);
    assert!(bg.starts_with(b"\xEF\xBB\xBF"));
    let bg = String::from_utf8(bg).unwrap();
    let en = String::from_utf8(en).unwrap();
    let (bg_head, bg_body) = bg.split_once("\r\n").unwrap();
    let (en_head, en_body) = en.split_once("\r\n").unwrap();
    assert_eq!(bg_body, en_body);
    assert!(
        bg_head.contains("ID на библиотеката") && bg_head.contains("Целеви групи"),
        "{bg_head}"
    );
    assert!(
        en_head.contains("Library ID") && en_head.contains("Target groups"),
        "{en_head}"
    );
    // One row per service, one for each library without a service.
    assert_eq!(
        csv::Reader::from_reader(bg_body.as_bytes())
            .records()
            .count()
            + 1,
        18
    );
    // A list cell holds one item per line, and a formula-like cell is guarded.
    assert!(bg_body.contains("\"Деца с двигателни увреждания\nРодители\""));
    assert!(
        bg_body.contains("Среща с родителите | 2012-09-01 | 2012-10-31\nОбучение |  | 2012-11-30")
    );
    assert!(bg_body.contains("Проектор | 450.00 | BGN | Програмата\nХартия | 15.50 | EUR"));
    assert!(bg_body.contains("ОИЦ \\| Кюстендил \\— офис"));
    assert!(bg_body.contains(",'=SUM(A1:A2),") && bg_body.contains(",'-,"));
    assert!(bg_body.contains(",41112,гр. Кюстендил,Кюстендил,Кюстендил,1,"));
}

#[test]
fn json_has_its_envelope() {
    let json = to_json(&seed());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "lipa-registry");
    assert_eq!(v["version"], 1);
    assert_eq!(v["libraries"].as_array().unwrap().len(), 18);
    assert_eq!(v["services"].as_array().unwrap().len(), 15);
    assert!(json.contains("\n  \"libraries\": ["));
}

#[test]
fn json_errors_name_the_record_and_field() {
    let mut v: serde_json::Value = serde_json::from_str(&to_json(&rich())).unwrap();
    v["libraries"][2]["contacts"] = serde_json::json!({"email": "не-е-адрес"});
    v["libraries"][4]["id"] = v["libraries"][3]["id"].clone();
    v["services"][1]["card"]["name"] = serde_json::json!(" ");
    v["services"][3]["year"] = serde_json::json!("догодина");
    let e = from_json(&v.to_string()).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|e| e.violation.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "libraries[2].contacts.email",
            "services[1].card.name",
            "services[3]",
            "libraries[4].id"
        ]
    );
    let msg = e.messages(Lang::Bg);
    assert!(
        msg[0].contains("libraries[2].contacts.email") && msg[0].contains("не-е-адрес"),
        "{}",
        msg[0]
    );
    assert!(msg[3].contains("libraries[3]"), "{}", msg[3]);

    let codes = |text: &str| {
        from_json(text)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.violation.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(codes("{\"libraries\": []}"), ["err-json-format"]);
    assert_eq!(
        codes("{\"format\": \"lipa-registry\", \"version\": 2}"),
        ["err-json-version"]
    );
    assert_eq!(
        codes("{\"format\": \"lipa-registry\", \"version\": 1, \"services\": {}}"),
        ["err-json-not-list"]
    );
    let syntax = from_json("{\n  \"format\": ,\n}").unwrap_err();
    assert_eq!(
        (syntax.0[0].line, syntax.0[0].violation.code),
        (2, "err-json-syntax")
    );
    assert_eq!(
        from_json("{\"format\": \"lipa-registry\", \"version\": 1}").unwrap(),
        Registry::default()
    );
}

fn csv_of(lines: &[&str]) -> Vec<u8> {
    lines.join("\n").into_bytes()
}

#[test]
fn csv_errors_name_line_and_column() {
    let header = "ID на библиотеката,Име на библиотеката,Вид библиотека,Код по ЕКАТТЕ,Година на услугата,Категория,Състояние,Услуга,Целеви групи,Дейности по внедряване";
    let text = csv_of(&[
        header,
        "705,РБ,regional,41112,2012,e-education,planned,Обучение,Деца,",
        "706,Библиотека,chitalishte,99999,,,,,,",
        "707,Библиотека,хамбар,41112,2012,Е-нещо,скоро,Обучение,,",
        "708,Библиотека,chitalishte,41112,2012,e-health,planned,Обучение,Деца,\"Среща | утре\"",
        "705,РБ друга,regional,41112,,,,,,",
    ]);
    let e = from_csv(&text).unwrap_err();
    let got: Vec<(usize, &str, &str)> =
        e.0.iter()
            .map(|e| (e.line, e.violation.field.as_str(), e.violation.code))
            .collect();
    assert_eq!(
        got,
        [
            (3, "ekatte", "err-unknown-settlement"),
            (4, "library-kind", "err-library-kind"),
            (4, "service-category", "err-unknown-category"),
            (4, "service-status", "err-status"),
            (5, "activities", "err-activity-item"),
            (6, "library-id", "err-table-library-conflict"),
        ]
    );
    let bg = e.messages(Lang::Bg);
    assert!(
        bg[1].starts_with("Ред 4, „Вид библиотека“: „хамбар“"),
        "{}",
        bg[1]
    );
    let en = e.messages(Lang::En);
    assert!(
        en[4].starts_with("Line 5, “Implementation activities”: Line 1 “Среща | утре”"),
        "{}",
        en[4]
    );
    assert!(en[5].contains("line 2"), "{}", en[5]);
    // A published service needs a target group; a multi-line cell keeps the line count right.
    let text = csv_of(&[
        header,
        "705,РБ,regional,41112,2012,e-education,planned,\"Обучение\nв две части\",Деца,",
        "705,РБ,regional,41112,2013,e-education,planned,Обучение,,",
    ]);
    let e = from_csv(&text).unwrap_err();
    assert_eq!(
        (e.0[0].line, e.0[0].violation.field.as_str()),
        (4, "target-groups")
    );
}

#[test]
fn csv_header_problems() {
    let e = from_csv(b"Library ID,Library name,Colour,library name\n705,A,B,C").unwrap_err();
    let codes: Vec<_> = e.0.iter().map(|e| (e.line, e.violation.code)).collect();
    assert_eq!(
        codes,
        [
            (1, "err-table-unknown-column"),
            (1, "err-table-duplicate-column")
        ]
    );
    let e = from_csv(b"Library name\nA").unwrap_err();
    assert_eq!(e.0[0].violation.code, "err-table-missing-column");
    assert_eq!(
        from_csv(b"").unwrap_err().0[0].violation.code,
        "err-table-empty"
    );
    assert_eq!(
        from_csv(b"\xEF\xBB\xBF").unwrap_err().0[0].violation.code,
        "err-table-empty"
    );
    // The csv crate closes a quote left open at the end of the file: the cell is then not an ID.
    assert_eq!(
        from_csv(b"Library ID,Library name\n\"705,A").unwrap_err().0[0]
            .violation
            .field,
        "library-id"
    );
    // Two bytes that are not UTF-8 and too few to tell which legacy encoding they are in.
    let e = from_csv(b"Library ID,Library name\n705,\xFF\xFE").unwrap_err();
    assert_eq!(
        (e.0[0].line, e.0[0].violation.code),
        (0, "err-encoding-ambiguous")
    );
}

#[test]
fn csv_as_a_spreadsheet_leaves_it() {
    // Semicolons, no byte-order mark, English header in other case, EKATTE without its zeros,
    // a settlement named instead of coded, labels instead of codes, Bulgarian dates and booleans.
    let text = "library id;LIBRARY NAME;library kind;ekatte;settlement;municipality;coordinator;service year;category;status;service;target groups;activities;volunteer-supported\n\
                1;Библиотека при НЧ „Искра 1900“;Читалищна библиотека;14;;;не;2014;Е-здраве;Планирана;Здраве;Деца;Среща | 01.09.2014 | 1.10.2014;да\n\
                2;Библиотека при НЧ „Лоза 1870“;chitalishte;;гр. Бобошево;Бобошево;;;;;;;;\n";
    let r = from_csv(text.as_bytes()).unwrap();
    assert_eq!(r.libraries.len(), 2);
    assert_eq!(r.libraries[0].settlement.as_str(), "00014");
    assert_eq!(r.libraries[0].kind, LibraryKind::Chitalishte);
    assert_eq!(r.libraries[1].settlement.as_str(), "04532");
    let s = &r.services[0];
    assert_eq!(
        (s.category.as_str(), s.status, s.volunteer_supported),
        ("e-health", ServiceStatus::Planned, true)
    );
    assert_eq!(
        s.card.activities[0].starts,
        Some(jiff::civil::date(2014, 9, 1))
    );
    assert_eq!(
        s.card.activities[0].ends,
        Some(jiff::civil::date(2014, 10, 1))
    );
}

#[test]
fn services_of_libraries_held_elsewhere() {
    let r = seed();
    let only_services = Registry {
        services: r.services.clone(),
        ..Registry::default()
    };
    for bytes in [
        to_csv(&only_services, Lang::Bg),
        to_xlsx(&only_services, Lang::En).unwrap(),
    ] {
        let back = if bytes.starts_with(b"PK") {
            from_xlsx(&bytes)
        } else {
            from_csv(&bytes)
        };
        assert_eq!(back.unwrap(), only_services);
    }
}

#[test]
fn xlsx_errors() {
    assert_eq!(
        from_xlsx(b"not a workbook").unwrap_err().0[0]
            .violation
            .code,
        "err-xlsx-read"
    );
    // A header and nothing else reads back as an empty registry.
    let empty = to_xlsx(&Registry::default(), Lang::En).unwrap();
    assert_eq!(from_xlsx(&empty).unwrap(), Registry::default());
    let mut r = seed();
    r.libraries[0].name = String::new();
    let e = from_xlsx(&to_xlsx(&r, Lang::Bg).unwrap()).unwrap_err();
    assert_eq!(
        (e.0[0].line, e.0[0].violation.field.as_str()),
        (2, "library-name")
    );
    assert!(e.messages(Lang::Bg)[0].starts_with("Ред 2, „Име на библиотеката“"));
}

#[test]
fn list_items_escape_and_split() {
    let tricky = "a | b — c \\ d\ne\rf";
    let escaped = escape(tricky, NAME_ROLE);
    assert!(!escaped.contains('\n') && !escaped.contains('\r'));
    assert_eq!(split_item(&escaped, NAME_ROLE, 2), [tricky]);
    assert_eq!(
        split_item("име — роля — още", NAME_ROLE, 2),
        ["име", "роля — още"]
    );
    assert_eq!(split_item("C:\\docs | x", PIPE, 3), ["C:\\docs", "x"]);
    assert_eq!(
        lines_of("a\r\n\r\n  \nb")
            .map(|(_, l)| l)
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text of a single-value cell: anything printable, line breaks too.
    fn free_text(xlsx: bool) -> impl Strategy<Value = String> {
        let pattern = if xlsx {
            "[^\\p{C}]{0,30}(\n[^\\p{C}]{0,10})?"
        } else {
            "\\PC{0,30}(\r?\n\\PC{0,10})?"
        };
        proptest::string::string_regex(pattern).expect("valid regex")
    }

    /// Text that must not be blank (a required field).
    fn required_text(xlsx: bool) -> impl Strategy<Value = String> {
        free_text(xlsx).prop_map(|s| {
            if s.trim().is_empty() {
                format!("Име{s}")
            } else {
                s
            }
        })
    }

    /// A part of a list item: trimmed, not empty, with the characters the encoding escapes.
    fn part() -> impl Strategy<Value = String> {
        "[а-яА-Яa-z0-9|—\\\\\"„“' ,.:\n-]{1,20}".prop_map(|s| {
            let t = s.trim();
            if t.is_empty() {
                "x".to_owned()
            } else {
                t.to_owned()
            }
        })
    }

    fn optional_part() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), part()]
    }

    fn date() -> impl Strategy<Value = Date> {
        (2000i16..2030, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            (0i32..100_000).prop_map(f64::from),
            (0.0f64..1e6),
            Just(0.1),
            Just(1e21)
        ]
    }

    fn library(id: u32, xlsx: bool) -> impl Strategy<Value = Library> {
        let settlements = Gazetteer::get().settlements();
        (
            required_text(xlsx),
            proptest::sample::select(LibraryKind::ALL.to_vec()),
            proptest::option::of((required_text(xlsx), proptest::option::of(1856i32..2020))),
            0..settlements.len(),
            any::<bool>(),
            (
                free_text(xlsx),
                free_text(xlsx),
                prop_oneof![Just(String::new()), Just("a@b.bg".to_owned())],
                free_text(xlsx),
            ),
        )
            .prop_map(
                move |(
                    name,
                    kind,
                    chitalishte,
                    s,
                    coordinator,
                    (address, phone, email, website),
                )| Library {
                    id: LibraryId::new(id).expect("positive"),
                    name,
                    kind,
                    chitalishte: chitalishte.map(|(name, founded)| Chitalishte {
                        name,
                        founded: founded.map(|y| Year::new(y).expect("in range")),
                    }),
                    settlement: Gazetteer::get().settlements()[s].ekatte.clone(),
                    coordinator,
                    contacts: Contacts {
                        address,
                        phone,
                        email,
                        website,
                    },
                },
            )
    }

    fn service(library: LibraryId, xlsx: bool) -> impl Strategy<Value = Service> {
        let activity = (
            part(),
            proptest::option::of(date()),
            proptest::option::of(0i64..60),
        )
            .prop_map(|(title, starts, days)| Activity {
                title,
                starts,
                ends: starts
                    .zip(days)
                    .map(|(s, d)| s.checked_add(jiff::Span::new().days(d)).expect("in range")),
            });
        let budget = (part(), 0i64..100_000_000, any::<bool>(), optional_part()).prop_map(
            |(label, minor, eur, source)| BudgetItem {
                label,
                amount: Money::new(minor, if eur { Currency::Eur } else { Currency::Bgn }),
                source,
            },
        );
        let result = (
            date(),
            part(),
            number(),
            proptest::option::of(number()),
            optional_part(),
        )
            .prop_map(|(date, indicator, value, expected, note)| ResultReport {
                date,
                indicator,
                value,
                expected,
                note,
            });
        (
            (
                2000i32..2030,
                proptest::sample::select(default_categories()),
                proptest::sample::select(ServiceStatus::ALL.to_vec()),
                any::<bool>(),
            ),
            proptest::collection::vec((part(), optional_part()), 0..3),
            (
                required_text(xlsx),
                free_text(xlsx),
                proptest::collection::vec(part(), 1..3),
            ),
            proptest::collection::vec((part(), optional_part()), 0..3),
            proptest::collection::vec(activity, 0..3),
            proptest::collection::vec(budget, 0..3),
            (
                free_text(xlsx),
                free_text(xlsx),
                free_text(xlsx),
                free_text(xlsx),
            ),
            proptest::collection::vec(result, 0..3),
        )
            .prop_map(
                move |(
                    (year, category, status, volunteer_supported),
                    volunteers,
                    (name, goal, target_groups),
                    partners,
                    activities,
                    budget,
                    (media, social, economic, community),
                    results,
                )| Service {
                    library,
                    year: Year::new(year).expect("in range"),
                    category: category.code,
                    status,
                    volunteer_supported,
                    volunteers: volunteers
                        .into_iter()
                        .map(|(name, role)| Volunteer { name, role })
                        .collect(),
                    card: ServiceCard {
                        name,
                        goal,
                        target_groups,
                        partners: partners
                            .into_iter()
                            .map(|(name, role)| ServicePartner {
                                partner_id: None,
                                name,
                                role,
                            })
                            .collect(),
                        activities,
                        budget,
                        media,
                        expected: ExpectedResults {
                            social,
                            economic,
                            community,
                        },
                    },
                    results,
                },
            )
    }

    /// Libraries with their services grouped after them, as the table files hold them.
    fn registry(xlsx: bool) -> impl Strategy<Value = Registry> {
        proptest::collection::vec((1u32..5, 0usize..3), 0..4)
            .prop_flat_map(move |shape| {
                let mut id = 0;
                let parts: Vec<_> = shape
                    .into_iter()
                    .map(|(step, services)| {
                        id += step;
                        let lib_id = LibraryId::new(id).expect("positive");
                        (
                            library(id, xlsx),
                            proptest::collection::vec(service(lib_id, xlsx), services),
                        )
                    })
                    .collect();
                parts
            })
            .prop_map(|parts| {
                let mut r = Registry::default();
                for (l, services) in parts {
                    r.libraries.push(l);
                    r.services.extend(services);
                }
                r
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn csv_round_trip_is_lossless(r in registry(false), lang in proptest::sample::select(Lang::ALL.to_vec())) {
            let once = match from_csv(&to_csv(&r, lang)) {
                Ok(once) => once,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            prop_assert_eq!(&once, &r);
            prop_assert_eq!(from_csv(&to_csv(&once, lang)).ok(), Some(once));
        }

        #[test]
        fn json_round_trip_is_lossless(r in registry(false)) {
            let back = from_json(&to_json(&r));
            prop_assert_eq!(back.map_err(|e| e.to_string()), Ok(r));
        }

        #[test]
        fn csv_import_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = from_csv(&bytes);
            let mut with_header = to_csv(&Registry::default(), Lang::Bg);
            with_header.extend(bytes);
            let _ = from_csv(&with_header);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn xlsx_round_trip_is_lossless(r in registry(true)) {
            let bytes = to_xlsx(&r, Lang::Bg).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back = from_xlsx(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, r);
        }
    }
}

#[test]
fn activity_logs_go_to_json_and_back() {
    use crate::LoggedActivity;
    use lipa_core::activity_log::{ActivityKind, PeopleReached};
    let mut r = rich();
    let entry = |service: usize, day: i8| LoggedActivity {
        service,
        date: jiff::civil::date(2012, 10, day),
        kind: ActivityKind::Consultation,
        hours: 0.1 + 0.2,
        volunteers: 3,
        volunteer_hours: 4.75,
        reached: vec![PeopleReached {
            target_group: "Хора с увреждания".into(),
            count: 7,
            estimated: true,
        }],
        note: "„Бележка“\nна два реда".into(),
    };
    r.activities = vec![entry(0, 4), entry(r.services.len() - 1, 5)];
    let text = to_json(&r);
    assert_eq!(from_json(&text).unwrap(), r);
    // A file without entries says nothing of them.
    let plain: serde_json::Value = serde_json::from_str(&to_json(&rich())).unwrap();
    assert!(plain.get("activities").is_none(), "{plain}");
    let full: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(full["activities"][1]["service"], r.services.len() - 1);

    // An entry names a service of the file, and keeps the rules of an entry.
    let mut bad = r.clone();
    bad.activities[0].service = r.services.len();
    bad.activities[1].hours = -1.0;
    let errors = from_json(&to_json(&bad)).unwrap_err();
    let found: Vec<(String, &str)> = errors
        .0
        .iter()
        .map(|e| (e.violation.field.clone(), e.violation.code))
        .collect();
    assert_eq!(
        found,
        [
            ("activities[1].hours".to_owned(), "err-negative-number"),
            (
                "activities[0].service".to_owned(),
                "err-json-activity-service"
            ),
        ]
    );
}
