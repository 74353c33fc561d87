//! Formatters the pages and the API share: places, facet values, dates, money and taxonomy
//! names in the reader's language. Pure functions of their arguments; no I/O.

use jiff::civil::Date;
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::i18n::tr;
use lipa_core::ids::CategoryCode;
use lipa_core::library::Library;
use lipa_core::money::Money;
use lipa_core::service::ServiceStatus;
use lipa_core::taxonomy::Category;

/// Human label of a facet value.
pub fn facet_label(lang: Lang, categories: &[Category], facet: &str, value: &str) -> String {
    let g = Gazetteer::get();
    match facet {
        "district" => g.district(value).map(|d| {
            if lang == Lang::Bg {
                d.name_bg.clone()
            } else {
                d.name_en.clone()
            }
        }),
        "municipality" => g.municipality(value).map(|m| {
            if lang == Lang::Bg {
                m.name_bg.clone()
            } else {
                m.name_en.clone()
            }
        }),
        "kind" => Some(tr(lang, &format!("settlement-kind-{value}"), &[])),
        "category" => categories
            .iter()
            .find(|c| c.code.as_str() == value)
            .map(|c| c.name(lang).to_owned()),
        "status" => ServiceStatus::from_code(value).map(|s| s.label(lang)),
        "volunteers" => Some(tr(
            lang,
            if value == "yes" {
                "answer-yes"
            } else {
                "answer-no"
            },
            &[],
        )),
        "has" => Some(tr(
            lang,
            if value == "yes" {
                "has-service-yes"
            } else {
                "has-service-no"
            },
            &[],
        )),
        _ => None,
    }
    .unwrap_or_else(|| value.to_owned())
}

pub fn place_label(lang: Lang, lib: &Library) -> (String, String) {
    let g = Gazetteer::get();
    match g.settlement(lib.settlement.as_str()) {
        Some(s) => {
            let m = g.municipality(s.municipality.as_str());
            if lang == Lang::Bg {
                (
                    s.label_bg(),
                    m.map(|m| m.name_bg.clone()).unwrap_or_default(),
                )
            } else {
                (
                    s.name_en.clone(),
                    m.map(|m| m.name_en.clone()).unwrap_or_default(),
                )
            }
        }
        None => (lib.settlement.to_string(), String::new()),
    }
}

/// A date as people of the language write it: `06.06.2012` / `2012-06-06`.
pub fn date_label(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Bg => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

/// An amount with thousands grouped and the reader's decimal mark: `1 500,50 BGN` / `1,500.50 BGN`.
pub fn money_label(lang: Lang, m: Money) -> String {
    let (group, decimal) = match lang {
        Lang::Bg => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let a = m.minor.unsigned_abs();
    let digits = (a / 100).to_string();
    let mut whole = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            whole.push(group);
        }
        whole.push(c);
    }
    let sign = if m.minor < 0 { "-" } else { "" };
    format!("{sign}{whole}{decimal}{:02} {}", a % 100, m.currency.code())
}

pub fn category_name(categories: &[Category], lang: Lang, code: &CategoryCode) -> String {
    categories
        .iter()
        .find(|c| &c.code == code)
        .map(|c| c.name(lang).to_owned())
        .unwrap_or_else(|| code.to_string())
}

pub fn district_name(lang: Lang, code: &str) -> String {
    match Gazetteer::get().district(code) {
        Some(d) if lang == Lang::Bg => d.name_bg.clone(),
        Some(d) => d.name_en.clone(),
        None => code.to_owned(),
    }
}

pub fn municipality_name(lang: Lang, code: &str) -> String {
    match Gazetteer::get().municipality(code) {
        Some(m) if lang == Lang::Bg => m.name_bg.clone(),
        Some(m) => m.name_en.clone(),
        None => code.to_owned(),
    }
}

/// A stored moment (RFC 3339) as a day and time in UTC: `2026-11-30 16:05 UTC`.
pub fn day_time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => at.to_owned(),
    }
}
