//! Tests of the legacy importer: the Kyustendil 2012 table as the golden case, every kind of bad
//! row, tables of other districts written for these tests, and property tests of the split rule.

use super::*;
use lipa_core::Lang;
use lipa_core::taxonomy::default_categories;

const SEED: &str = include_str!("../../../tests/fixtures/kyustendil-2012.txt");

fn seed() -> LegacyTable {
    match parse(SEED, &default_categories(), &LegacyOptions::default()) {
        Ok(t) => t,
        Err(e) => panic!("the seed table parses:\n{e}"),
    }
}

fn errors_of(text: &str) -> Vec<(usize, String, &'static str)> {
    match parse(text, &default_categories(), &LegacyOptions::default()) {
        Ok(t) => panic!("expected errors, got {} libraries", t.libraries.len()),
        Err(e) => {
            e.0.into_iter()
                .map(|e| (e.line, e.violation.field, e.violation.code))
                .collect()
        }
    }
}

fn library(t: &LegacyTable, id: u32) -> &Library {
    &t.libraries
        .iter()
        .find(|l| l.record.id.get() == id)
        .expect("library in table")
        .record
}

fn service(t: &LegacyTable, id: u32) -> Option<&Service> {
    t.services
        .iter()
        .find(|s| s.record.library.get() == id)
        .map(|s| &s.record)
}

const HEADER: &str =
    "ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група";

#[test]
fn seed_table_reads_whole() {
    let t = seed();
    let header_line = SEED
        .lines()
        .position(|l| l.starts_with("ID Име на библиотеката"))
        .unwrap();
    assert_eq!(t.skipped_lines, header_line);
    assert_eq!(
        t.title.as_deref(),
        Some(
            "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2012 г."
        )
    );
    assert_eq!(t.year.get(), 2012);
    assert_eq!(t.district.as_ref().map(DistrictCode::as_str), Some("KNL"));
    assert_eq!(t.libraries.len(), 18);
    assert_eq!(t.services.len(), 15);

    let g = Gazetteer::get();
    let mut municipalities: Vec<String> = t
        .libraries
        .iter()
        .map(|l| g.settlement(l.record.settlement.as_str()).unwrap())
        .inspect(|s| assert_eq!(s.district.as_str(), "KNL"))
        .map(|s| s.municipality.to_string())
        .collect();
    municipalities.sort();
    municipalities.dedup();
    assert_eq!(municipalities.len(), 7);

    let mut per_category: HashMap<&str, usize> = HashMap::new();
    for s in &t.services {
        *per_category.entry(s.record.category.as_str()).or_default() += 1;
        assert_eq!(s.record.year.get(), 2012);
        assert_eq!(s.record.status, ServiceStatus::Planned);
        assert!(s.record.volunteer_supported);
        assert_eq!(s.record.card.target_groups.len(), 1);
    }
    let expected = [
        ("e-health", 5),
        ("e-culture", 3),
        ("e-inclusion", 2),
        ("e-education", 2),
        ("e-business", 2),
        ("e-skills", 1),
    ];
    assert_eq!(per_category, expected.into_iter().collect());
    for id in [732, 764, 3069] {
        assert!(service(&t, id).is_none(), "{id} has no service");
    }
    // Every line number points at the row.
    for l in &t.libraries {
        let line = SEED.lines().nth(l.line - 1).unwrap();
        assert!(line.starts_with(&format!("{} ", l.record.id)), "{line}");
    }
}

#[test]
fn seed_regional_library_and_places() {
    let t = seed();
    let rb = library(&t, 705);
    assert_eq!(rb.kind, LibraryKind::Regional);
    assert_eq!(rb.name, "Регионална библиотека „Емануил Попдимитров“");
    assert_eq!(rb.chitalishte, None);
    assert_eq!(rb.settlement.as_str(), "41112");
    let s = service(&t, 705).unwrap();
    assert_eq!(s.category.as_str(), "e-education");
    assert_eq!(s.card.target_groups, ["Деца с двигателни увреждания"]);

    let g = Gazetteer::get();
    let place = |id| g.settlement(library(&t, id).settlement.as_str()).unwrap();
    assert_eq!(place(707).label_bg(), "с. Шишковци");
    assert_eq!(
        service(&t, 707).unwrap().card.target_groups,
        ["Ученици, завършващи 4-ти и 7-ми клас"]
    );
    assert_eq!(place(759).label_bg(), "гр. Сапарева баня");
    assert_eq!(place(719).label_bg(), "с. Горна Гращица");
    assert_eq!(place(3069).label_bg(), "с. Трекляно");
}

#[test]
fn seed_chitalishte_names_and_years() {
    let t = seed();
    let cases = [
        (732, "Лоза", Some(1870), "Библиотека при НЧ „Лоза 1870“"),
        (734, "Зора", Some(1858), "Библиотека при НЧ „Зора 1858“"),
        (
            763,
            "Самообразование",
            Some(1914),
            "Библиотека при НЧ „Самообразование 1914“",
        ),
        (
            754,
            "Христо Ботев",
            Some(1898),
            "Библиотека при НЧ „Христо Ботев 1898“",
        ),
        (
            707,
            "Вл.Д.Майстора",
            Some(1919),
            "Библиотека при НЧ „Вл.Д.Майстора 1919“",
        ),
        (
            722,
            "Славчо Темкин",
            Some(1911),
            "Библиотека при НЧ „Славчо Темкин 1911“",
        ),
        (
            759,
            "Просветен лъч",
            Some(1905),
            "Библиотека при НЧ „Просветен лъч 1905“",
        ),
        (
            3069,
            "Зинови Дойчинов",
            Some(1901),
            "Библиотека при НЧ „Зинови Дойчинов 1901“",
        ),
    ];
    for (id, name, founded, display) in cases {
        let l = library(&t, id);
        assert_eq!(l.kind, LibraryKind::Chitalishte, "{id}");
        let c = l.chitalishte.as_ref().unwrap();
        // Title-casing cannot know that `лъч` is a common noun; the name stays readable.
        let expected_name = if id == 759 {
            "Просветен Лъч"
        } else {
            name
        };
        assert_eq!(c.name, expected_name, "{id}");
        assert_eq!(c.founded.map(Year::get), founded, "{id}");
        let expected_display = display.replace("Просветен лъч", "Просветен Лъч");
        assert_eq!(l.name, expected_display, "{id}");
    }
}

#[test]
fn seed_every_service_text_and_target_group() {
    let t = seed();
    let expected: [(u32, &str, &str, &str); 15] = [
        (
            734,
            "e-inclusion",
            "Библиотеката при НЧ „Зора 1858” – гр. Дупница, посредник за достъп до електронни услуги и информация за незрящи граждани”",
            "Незрящи граждани",
        ),
        (
            737,
            "e-health",
            "Предоставяне на информация на здравни теми",
            "Младежи",
        ),
        (
            739,
            "e-health",
            "Предоставяне на информация на здравни теми- превенция наркотици, тютюнопушене, алкохол",
            "Младежи",
        ),
        (
            763,
            "e-culture",
            "Създаване и разпространение на материали за края- електронно съдържание",
            "Местна общност",
        ),
        (
            705,
            "e-education",
            "подпомагане в образователния процес на деца с двигателни увреждания, съвместно с Ресурсен център",
            "Деца с двигателни увреждания",
        ),
        (
            714,
            "e-culture",
            "Създаване и разпространение на аудио материали",
            "Родители на деца и ученици",
        ),
        (
            719,
            "e-business",
            "Информационно-административни услуги за овощари /черешопроизводители/",
            "Овощари",
        ),
        (
            722,
            "e-skills",
            "Обучение на възрастни хора в начална компютърна грамотност",
            "Пенсионери",
        ),
        (
            708,
            "e-health",
            "Предоставяне на информация на здравни теми",
            "Местна общност",
        ),
        (
            720,
            "e-business",
            "Информационно-административни услуги за овощари /черешопроизводители/",
            "Овощари",
        ),
        (
            3007,
            "e-inclusion",
            "Обучение на хора с двигателни увреждания",
            "Хора с увреждания",
        ),
        (
            723,
            "e-health",
            "Предоставяне на информация на здравни теми",
            "Местна общност",
        ),
        (
            707,
            "e-education",
            "Помощ при избора, подготовката и кандидатстването в учебни заведения за ученици след 4-ти и 7-ми клас",
            "Ученици, завършващи 4-ти и 7-ми клас",
        ),
        (
            754,
            "e-health",
            "Предоставяне на информация на здравни теми",
            "Местна общност",
        ),
        (
            759,
            "e-culture",
            "Популяризиране на местните забележителности в созиалната мрежа",
            "Местна общност",
        ),
    ];
    for (id, category, text, group) in expected {
        let s = service(&t, id).unwrap_or_else(|| panic!("{id} has a service"));
        assert_eq!(s.category.as_str(), category, "{id}");
        assert_eq!(s.card.name, text, "{id}");
        assert_eq!(s.card.target_groups, [group], "{id}");
    }
}

#[test]
fn seed_becomes_a_registry() {
    let r = seed().into_registry();
    assert_eq!((r.libraries.len(), r.services.len()), (18, 15));
    assert!(r.partners.is_empty() && r.persons.is_empty() && r.events.is_empty());
    for l in &r.libraries {
        l.validate().unwrap();
    }
}

fn table(title: &str, rows: &[&str]) -> String {
    format!(
        "Някакъв текст преди таблицата.\n\n{title}\n\n{HEADER}\n{}\n",
        rows.join("\n")
    )
}

const KN_TITLE: &str =
    "Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2013 г.";

#[test]
fn unknown_settlement_is_reported_with_its_line() {
    let text = table(
        KN_TITLE,
        &[
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
            "737 БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1902 Дупница с. Несъществуваново Е-здраве: Предоставяне на информация Младежи",
        ],
    );
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, 7);
    assert_eq!(errs[0].1, "settlement");
    assert_eq!(errs[0].2, "err-legacy-unknown-settlement");
    let e = parse(&text, &default_categories(), &LegacyOptions::default()).unwrap_err();
    let bg = e.messages(Lang::Bg).remove(0);
    assert!(
        bg.contains("Ред 7") && bg.contains("Населено място") && bg.contains("Несъществуваново"),
        "{bg}"
    );
    assert!(bg.contains("Дупница"), "{bg}");
}

#[test]
fn unknown_municipality_is_reported() {
    let text = table(
        KN_TITLE,
        &["740 БИБЛИОТЕКА ПРИ НЧ ИСКРА-1900 Измислица с. Измислица"],
    );
    assert_eq!(
        errors_of(&text),
        [(
            6,
            "municipality".to_owned(),
            "err-legacy-unknown-municipality"
        )]
    );
}

#[test]
fn unsplittable_row_is_reported() {
    let text = table(
        KN_TITLE,
        &[
            "708 БИБЛИОТЕКА ПРИ НЧ ДИМИТЪР КАЛЯШКИ-1920 Кюстендил с. Жиленци Е-здраве: предоставяне на информация на здравни теми",
            "723 БИБЛИОТЕКА ПРИ НЧ ХРИСТО БОТЕВ-1920 Кюстендил с. Таваличево Е-здраве: Обучение за работа с",
        ],
    );
    assert_eq!(
        errors_of(&text),
        [
            (6, "target_group".to_owned(), "err-legacy-no-target-group"),
            (7, "target_group".to_owned(), "err-legacy-no-target-group"),
        ]
    );
}

#[test]
fn duplicate_id_names_the_first_line() {
    let text = table(
        KN_TITLE,
        &[
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
            "",
            "734 БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858 Дупница гр. Дупница",
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
        ],
    );
    let e = parse(&text, &default_categories(), &LegacyOptions::default()).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].line, 9);
    assert_eq!(e.0[0].violation.field, "id");
    assert_eq!(e.0[0].violation.code, "err-duplicate-id");
    assert!(e.0[0].violation.args.contains(&("first", "6".to_owned())));
    let en = e.messages(Lang::En).remove(0);
    assert!(en.contains("Line 9") && en.contains("line 6"), "{en}");
}

#[test]
fn unknown_category_is_reported() {
    let text = table(
        KN_TITLE,
        &[
            "708 БИБЛИОТЕКА ПРИ НЧ ДИМИТЪР КАЛЯШКИ-1920 Кюстендил с. Жиленци Е-забава: Игри на открито Деца",
            "723 БИБЛИОТЕКА ПРИ НЧ ХРИСТО БОТЕВ-1920 Кюстендил с. Таваличево Предоставяне на информация Местна общност",
        ],
    );
    let e = parse(&text, &default_categories(), &LegacyOptions::default()).unwrap_err();
    let got: Vec<_> =
        e.0.iter()
            .map(|e| (e.line, e.violation.field.as_str(), e.violation.code))
            .collect();
    assert_eq!(
        got,
        [
            (6, "category", "err-unknown-category"),
            (7, "category", "err-legacy-no-category")
        ]
    );
    assert!(
        e.0[0]
            .violation
            .args
            .contains(&("value", "Е-забава".to_owned()))
    );
}

#[test]
fn every_bad_row_is_reported_and_nothing_is_returned() {
    let text = table(
        KN_TITLE,
        &[
            "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
            "734 БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858 Дупница гр. Нейде",
            "БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1902 Дупница с. Баланово",
            "739 БИБЛИОТЕКА ПРИ НЧ ПРОБУДА 1927 Дупница с. Самораново Е-здраве: Предоставяне Младежи",
            "0 БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1919 Кочериново гр. Кочериново",
        ],
    );
    let errs = errors_of(&text);
    let got: Vec<_> = errs.iter().map(|(l, f, _)| (*l, f.as_str())).collect();
    assert_eq!(got, [(7, "settlement"), (8, "id"), (10, "id")]);
}

#[test]
fn missing_header_and_missing_year() {
    assert_eq!(
        errors_of("просто текст\nбез таблица"),
        [(0, String::new(), "err-legacy-no-header")]
    );
    let text = format!(
        "Услуги в област Кюстендил\n{HEADER}\n732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево\n"
    );
    assert_eq!(
        errors_of(&text),
        [(1, "year".to_owned(), "err-legacy-no-year")]
    );
    let opts = LegacyOptions {
        year: Some(Year::new(2014).unwrap()),
        district: None,
    };
    let t = parse(&text, &default_categories(), &opts).unwrap();
    assert_eq!((t.year.get(), t.skipped_lines), (2014, 1));
    assert_eq!(t.district.as_ref().map(DistrictCode::as_str), Some("KNL"));
}

#[test]
fn header_is_found_whatever_its_spacing_and_case() {
    let text = "Услуги през 2012 г.\n  id   ИМЕ НА БИБЛИОТЕКАТА  община населено  място Услуга с подкрепата на доброволци  Целева  група \n732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево\n";
    let t = parse(text, &default_categories(), &LegacyOptions::default()).unwrap();
    assert_eq!(t.libraries.len(), 1);
    // No district in the title: the one all rows share.
    assert_eq!(t.district.as_ref().map(DistrictCode::as_str), Some("KNL"));
}

#[test]
fn text_after_the_table_ends_it_but_a_stray_line_inside_is_an_error() {
    let rows = [
        "732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево",
        "734 БИБЛИОТЕКА ПРИ НЧ ЗОРА-1858 Дупница гр. Дупница",
    ];
    let after = format!(
        "{}\nСледващата среща ще бъде през есента на 2012 г. в гр. Дупница.\n\nСнимки\n2 коментара",
        table(KN_TITLE, &rows)
    );
    assert_eq!(
        parse(&after, &default_categories(), &LegacyOptions::default())
            .unwrap()
            .libraries
            .len(),
        2
    );

    let blank_then_text = format!("{}\nИзточник: РБ Кюстендил\n", table(KN_TITLE, &rows));
    assert!(
        parse(
            &blank_then_text,
            &default_categories(),
            &LegacyOptions::default()
        )
        .is_ok()
    );

    // A cell wrapped onto its own line right after the last row.
    let wrapped = format!("{}продължение на клетката\n", table(KN_TITLE, &rows));
    assert_eq!(
        errors_of(&wrapped),
        [(8, "id".to_owned(), "err-legacy-no-id")]
    );

    // A line without an ID between rows, even after a blank line.
    let inside = table(KN_TITLE, &[rows[0], "", "Някакъв ред", "", rows[1]]);
    assert_eq!(
        errors_of(&inside),
        [(8, "id".to_owned(), "err-legacy-no-id")]
    );
}

#[test]
fn outside_the_district_is_an_error_and_ambiguity_needs_a_district() {
    let text = table(
        KN_TITLE,
        &["900 БИБЛИОТЕКА ПРИ НЧ СВЕТЛИНА-1900 Бяла гр. Бяла"],
    );
    let errs = errors_of(&text);
    assert_eq!(
        errs,
        [(6, "municipality".to_owned(), "err-legacy-outside-district")]
    );
    let text = table(
        "Услуги през 2013 г.",
        &["900 БИБЛИОТЕКА ПРИ НЧ СВЕТЛИНА-1900 Бяла гр. Бяла"],
    );
    assert_eq!(
        errors_of(&text),
        [(6, "municipality".to_owned(), "err-legacy-ambiguous-place")]
    );
    let opts = LegacyOptions {
        year: None,
        district: Some(DistrictCode::parse("VAR").unwrap()),
    };
    let t = parse(&text, &default_categories(), &opts).unwrap();
    let s = Gazetteer::get()
        .settlement(t.libraries[0].record.settlement.as_str())
        .unwrap();
    assert_eq!(s.district.as_str(), "VAR");
}

/// A Plovdiv table written for this test: other names, other groups, other spellings.
const PLOVDIV: &str = "\
Иновативни услуги на библиотеките в Пловдивска област през 2013 година

ID  Име на библиотеката  Община  Населено място  Услуга с подкрепата на доброволци  Целева група
1201  НАРОДНО ЧИТАЛИЩЕ ОТЕЦ ПАИСИЙ-1889г.  Карлово  гр.Карлово  Е-заетост: Подготовка на автобиография и търсене на работа в Интернет Безработни младежи
1202  БИБЛИОТЕКА ПРИ Н.Ч. КИРИЛ И МЕТОДИЙ - 1921  Раковски  гр. Раковски  Е - умения: Обучение за работа с Microsoft Office и електронна поща Възрастни хора над 55 години
1203  ОБЩИНСКА БИБЛИОТЕКА ЕЛИН ПЕЛИН  Хисаря  гр. Хисаря  Е-култура Дигитализиране на местни фотографии съвместно с Исторически музей Хисаря Ученици от 5 до 7 клас
1204  ЧИТАЛИЩНА БИБЛИОТЕКА „НАПРЕДЪК 1875“  Сопот  гр. Сопот  E-здраве: Лекции с лекари от Районна здравна инспекция Пловдив Жени в активна възраст
1205  БИБЛИОТЕКА ПРИ ОНЧ ХРИСТО БОТЕВ 1902  Брезово  с. Чехларе  Е-бизнес: Консултации по програми на ЕС за земеделски производители Земеделски производители
1206  БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1910  Марица  с. Маноле  Е-включване: Запознаване с творчеството на Христо Ботев чрез аудиокниги Незрящи и слабовиждащи
1207  БИБЛИОТЕКА ПРИ НЧ СВЕТЛИНА 1928  Родопи  с. Брестник  Е-образование: Виртуални уроци по проект „Всяко дете в Интернет“ Деца и родители
1208  БИБЛИОТЕКА ПРИ НЧ ИСКРА-1911  Стамболийски  гр. Стамболийски
";

#[test]
fn a_table_of_another_district() {
    let t = match parse(PLOVDIV, &default_categories(), &LegacyOptions::default()) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(t.year.get(), 2013);
    assert_eq!(t.district.as_ref().map(DistrictCode::as_str), Some("PDV"));
    assert_eq!((t.libraries.len(), t.services.len()), (8, 7));
    let got: Vec<(u32, &str, &str, &str)> = t
        .services
        .iter()
        .map(|s| {
            let s = &s.record;
            (
                s.library.get(),
                s.category.as_str(),
                s.card.name.as_str(),
                s.card.target_groups[0].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                1201,
                "e-employment",
                "Подготовка на автобиография и търсене на работа в Интернет",
                "Безработни младежи"
            ),
            (
                1202,
                "e-skills",
                "Обучение за работа с Microsoft Office и електронна поща",
                "Възрастни хора над 55 години"
            ),
            (
                1203,
                "e-culture",
                "Дигитализиране на местни фотографии съвместно с Исторически музей Хисаря",
                "Ученици от 5 до 7 клас"
            ),
            (
                1204,
                "e-health",
                "Лекции с лекари от Районна здравна инспекция Пловдив",
                "Жени в активна възраст"
            ),
            (
                1205,
                "e-business",
                "Консултации по програми на ЕС за земеделски производители",
                "Земеделски производители"
            ),
            (
                1206,
                "e-inclusion",
                "Запознаване с творчеството на Христо Ботев чрез аудиокниги",
                "Незрящи и слабовиждащи"
            ),
            (
                1207,
                "e-education",
                "Виртуални уроци по проект „Всяко дете в Интернет“",
                "Деца и родители"
            ),
        ]
    );
    let names: Vec<(u32, LibraryKind, &str)> = t
        .libraries
        .iter()
        .map(|l| (l.record.id.get(), l.record.kind, l.record.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (
                1201,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Отец Паисий 1889“"
            ),
            (
                1202,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Кирил и Методий 1921“"
            ),
            (
                1203,
                LibraryKind::Municipal,
                "Общинска библиотека „Елин Пелин“"
            ),
            (
                1204,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Напредък 1875“"
            ),
            (
                1205,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Христо Ботев 1902“"
            ),
            (
                1206,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Пробуда 1910“"
            ),
            (
                1207,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Светлина 1928“"
            ),
            (
                1208,
                LibraryKind::Chitalishte,
                "Библиотека при НЧ „Искра 1911“"
            ),
        ]
    );
    let g = Gazetteer::get();
    let label = |id: u32| {
        let l = t
            .libraries
            .iter()
            .find(|l| l.record.id.get() == id)
            .unwrap();
        g.settlement(l.record.settlement.as_str())
            .unwrap()
            .label_bg()
    };
    assert_eq!(label(1205), "с. Чехларе");
    assert_eq!(label(1201), "гр. Карлово");
}

#[test]
fn a_varna_table_with_a_two_word_municipality_and_ambiguous_name() {
    let text = "\
Иновативни услуги в област Варна през 2012 г.
ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група
2101 БИБЛИОТЕКА ПРИ НЧ СВЕТЛИНА-1927 Бяла гр. Бяла Е-туризъм: Дигитален пътеводител Туристи
2102 РЕГИОНАЛНА БИБЛИОТЕКА ПЕНЧО СЛАВЕЙКОВ Варна гр. Варна Е-култура: Дигитална колекция „Стара Варна“ Читатели и изследователи
2103 БИБЛИОТЕКА ПРИ НЧ ПРОСВЕТА 1926 Долни чифлик с. Горен чифлик Е-здраве: Информация за профилактика на диабет Хора над 60 години
";
    // `Е-туризъм` is not in the default taxonomy: a programme unit may add it.
    let errs = errors_of(text);
    assert_eq!(errs, [(3, "category".to_owned(), "err-unknown-category")]);
    let mut cats = default_categories();
    cats.push(Category {
        code: lipa_core::ids::CategoryCode::parse("e-tourism").unwrap(),
        name_bg: "Е-туризъм".into(),
        name_en: "E-tourism".into(),
        keyword_bg: "туризъм".into(),
        keyword_en: "tourism".into(),
        position: 90,
    });
    let t = parse(text, &cats, &LegacyOptions::default()).unwrap();
    assert_eq!(t.district.as_ref().map(DistrictCode::as_str), Some("VAR"));
    let groups: Vec<&str> = t
        .services
        .iter()
        .map(|s| s.record.card.target_groups[0].as_str())
        .collect();
    assert_eq!(
        groups,
        ["Туристи", "Читатели и изследователи", "Хора над 60 години"]
    );
    assert_eq!(
        t.services[1].record.card.name,
        "Дигитална колекция „Стара Варна“"
    );
    assert_eq!(t.libraries[1].record.kind, LibraryKind::Regional);
    assert_eq!(
        t.libraries[1].record.name,
        "Регионална библиотека „Пенчо Славейков“"
    );
    let g = Gazetteer::get();
    let bqla = g
        .settlement(t.libraries[0].record.settlement.as_str())
        .unwrap();
    assert_eq!(
        (bqla.district.as_str(), bqla.kind),
        ("VAR", SettlementKind::Town)
    );
}

#[test]
fn founding_years_in_their_spellings() {
    let cases = [
        ("ЛОЗА 1870", "Лоза", Some(1870)),
        ("ЗОРА-1858", "Зора", Some(1858)),
        ("ХРИСТО БОТЕВ-1898г.", "Христо Ботев", Some(1898)),
        ("ВЛ.Д.МАЙСТОРА-1919", "Вл.Д.Майстора", Some(1919)),
        ("„Отец Паисий“ – 1889 г.", "Отец Паисий", Some(1889)),
        ("ПРОБУДА (1902)", "Пробуда", Some(1902)),
        ("СВЕТЛИНА 1925 ГОД.", "Светлина", Some(1925)),
        ("ПРОБУДА", "Пробуда", None),
        ("9-ТИ СЕПТЕМВРИ", "9-ти Септември", None),
        ("АСЕН1234", "Асен1234", None),
    ];
    for (raw, name, year) in cases {
        let (n, y) = split_founding_year(raw);
        assert_eq!((n.as_str(), y.map(Year::get)), (name, year), "{raw}");
    }
}

#[test]
fn library_kinds_from_names() {
    let kind = |raw: &str| {
        let toks = tokenize(raw);
        parse_library_name(&toks).map(|l| (l.kind, l.display))
    };
    assert_eq!(
        kind("НЧ ЛОЗА 1870").unwrap(),
        (
            LibraryKind::Chitalishte,
            "Библиотека при НЧ „Лоза 1870“".to_owned()
        )
    );
    assert_eq!(
        kind("ОБЕДИНЕНО НАРОДНО ЧИТАЛИЩЕ ХРИСТО БОТЕВ-1898")
            .unwrap()
            .1,
        "Библиотека при НЧ „Христо Ботев 1898“"
    );
    assert_eq!(
        kind("НЧ„ЗОРА“-1858").unwrap().1,
        "Библиотека при НЧ „Зора 1858“"
    );
    assert_eq!(
        kind("ОБЩИНСКА БИБЛИОТЕКА").unwrap(),
        (LibraryKind::Municipal, "Общинска библиотека".into())
    );
    assert_eq!(
        kind("БИБЛИОТЕКА ПРИ ОУ ХРИСТО БОТЕВ").unwrap(),
        (LibraryKind::School, "Библиотека при ОУ Христо Ботев".into())
    );
    assert_eq!(
        kind("УЧИЛИЩНА БИБЛИОТЕКА СВЕТИ СВЕТИ КИРИЛ И МЕТОДИЙ")
            .unwrap()
            .1,
        "Училищна библиотека „Свети Свети Кирил и Методий“"
    );
    assert_eq!(
        kind("БИБЛИОТЕКА НА МЕДИЦИНСКИЯ УНИВЕРСИТЕТ").unwrap(),
        (
            LibraryKind::Specialised,
            "Библиотека на Медицинския Университет".into()
        )
    );
    assert!(kind("НЧ 1870").is_err());
}

#[test]
fn category_labels_in_their_spellings() {
    let cats = default_categories();
    let code = |s: &str| {
        parse_offer(s, &cats)
            .ok()
            .flatten()
            .map(|o| (o.category.to_string(), o.text, o.target_group))
    };
    let expect = |c: &str| {
        Some((
            c.to_owned(),
            "Обучение на деца".to_owned(),
            "Деца".to_owned(),
        ))
    };
    assert_eq!(code("Е-здраве: Обучение на деца Деца"), expect("e-health"));
    assert_eq!(
        code("Е - култура: Обучение на деца Деца"),
        expect("e-culture")
    );
    assert_eq!(
        code("Е- бизнес: Обучение на деца Деца"),
        expect("e-business")
    );
    assert_eq!(
        code("E - бизнес Обучение на деца Деца"),
        expect("e-business")
    );
    assert_eq!(
        code("Е-включване:Обучение на деца Деца"),
        expect("e-inclusion")
    );
    assert_eq!(
        code("Е-здраве Обучение на деца: игри Деца").map(|c| c.1),
        Some("Обучение на деца: игри".into())
    );
    assert_eq!(code("  - -  "), None);
}

#[test]
fn split_rule_examples() {
    let split = |s: &str| {
        let words: Vec<&str> = s.split_whitespace().collect();
        split_target_group(&words).map(|k| (words[..k].join(" "), words[k..].join(" ")))
    };
    let expect = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
    assert_eq!(
        split("Информационни дни: Здравето е най-ценното Местна общност"),
        expect(
            "Информационни дни: Здравето е най-ценното",
            "Местна общност"
        )
    );
    assert_eq!(
        split("Среща с ученици от СОУ Христо Ботев Ученици от СОУ Христо Ботев"),
        expect(
            "Среща с ученици от СОУ Христо Ботев",
            "Ученици от СОУ Христо Ботев"
        )
    );
    assert_eq!(
        split("Кампания „Информирани и Здрави“ в селото Жители на селото"),
        expect(
            "Кампания „Информирани и Здрави“ в селото",
            "Жители на селото"
        )
    );
    assert_eq!(split("Обучение в Microsoft Word"), None);
    assert_eq!(split("Обучение на деца"), None);
    assert_eq!(split("Обучение за Деца"), None);
    assert_eq!(
        split("Курсове по английски език Шофьори"),
        expect("Курсове по английски език", "Шофьори")
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const SERVICE_HEADS: &[&str] = &[
        "Обучение",
        "Предоставяне",
        "Създаване",
        "Информиране",
        "Помощ",
        "Консултации",
        "Популяризиране",
    ];
    const SERVICE_WORDS: &[&str] = &[
        "на",
        "за",
        "с",
        "и",
        "в",
        "информация",
        "здравни",
        "теми",
        "деца",
        "възрастни",
        "хора",
        "компютърна",
        "грамотност",
        "електронни",
        "услуги",
        "местни",
        "забележителности",
        "овощари",
        "работа",
        "интернет",
        "учебни",
        "заведения",
        "4-ти",
        "клас",
        "програми",
        "съвместно",
        "граждани",
        "профилактика",
        "материали",
        "аудио",
    ];
    const GROUPS: &[&str] = &[
        "Младежи",
        "Местна общност",
        "Деца с двигателни увреждания",
        "Ученици, завършващи 4-ти и 7-ми клас",
        "Пенсионери",
        "Родители на деца и ученици",
        "Хора с увреждания",
        "Безработни",
        "Земеделски производители",
        "Жители на селото",
        "Овощари",
        "Незрящи граждани",
        "Туристи",
        "Шофьори",
    ];

    fn service_text() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(SERVICE_HEADS),
            proptest::collection::vec(proptest::sample::select(SERVICE_WORDS), 1..12),
        )
            .prop_map(|(head, mut words)| {
                // A phrase does not end on a preposition or conjunction.
                while words.last().is_some_and(|w| FUNCTION_WORDS.contains(w)) {
                    words.pop();
                }
                std::iter::once(head)
                    .chain(words)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,300}") {
            let _ = parse(&text, &default_categories(), &LegacyOptions::default());
            let with_header = format!("{HEADER}\n{text}");
            let _ = parse(&with_header, &default_categories(), &LegacyOptions::default());
        }

        #[test]
        fn rows_never_panic(row in "[0-9]{1,4} [А-Яа-я .„“\\-:0-9]{0,120}") {
            let text = format!("{KN_TITLE}\n{HEADER}\n{row}\n");
            let _ = parse(&text, &default_categories(), &LegacyOptions::default());
        }

        #[test]
        fn split_never_panics(words in proptest::collection::vec("\\PC{1,12}", 0..30)) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            if let Some(k) = split_target_group(&words) {
                prop_assert!(k >= 1 && k < words.len());
            }
        }

        #[test]
        fn generated_rows_split_back(
            service in service_text(),
            group in proptest::sample::select(GROUPS),
            label in proptest::sample::select(&["Е-здраве:", "Е - култура:", "E- бизнес", "Е-умения:"][..]),
        ) {
            let row = format!(
                "722 БИБЛИОТЕКА ПРИ НЧ СЛАВЧО ТЕМКИН 1911 Кюстендил с. Драговищица {label} {service} {group}"
            );
            let t = parse(&format!("{KN_TITLE}\n{HEADER}\n{row}\n"), &default_categories(), &LegacyOptions::default());
            let t = match t {
                Ok(t) => t,
                Err(e) => return Err(TestCaseError::fail(format!("{row}\n{e}"))),
            };
            let card = &t.services[0].record.card;
            prop_assert_eq!(&card.name, &service);
            prop_assert_eq!(&card.target_groups[0], group);
        }
    }
}
