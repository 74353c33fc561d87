//! An event's participant list as a spreadsheet: the organisers' working list (name, position,
//! organisation, role, attended), in the reader's language, one row per participant in the
//! order they were entered.
//!
//! It holds what the event record holds and no contacts: personal contacts live on the person
//! and never leave through this list. Who may download it is the caller's decision (the web layer
//! gives it to users whose scope covers the event only).

use crate::tables::{Cell, write_table_xlsx};
use lipa_core::Lang;
use lipa_core::event::Event;
use lipa_core::i18n::tr;
use rust_xlsxwriter::XlsxError;

/// The column headers, translated.
pub fn headers(lang: Lang) -> Vec<String> {
    ["name", "position", "organisation", "role", "attended"]
        .iter()
        .map(|c| tr(lang, &format!("ev-col-{c}"), &[]))
        .collect()
}

/// One row per participant: name, position, organisation, role and attendance as words.
pub fn rows(event: &Event, lang: Lang) -> Vec<Vec<Cell>> {
    event
        .participants
        .iter()
        .map(|p| {
            vec![
                Cell::from(p.name.as_str()),
                Cell::from(p.position.as_str()),
                Cell::from(p.organisation.as_str()),
                Cell::from(tr(lang, &format!("ev-role-{}", p.role.code()), &[])),
                Cell::from(tr(
                    lang,
                    if p.attended {
                        "ev-attended-yes"
                    } else {
                        "ev-attended-no"
                    },
                    &[],
                )),
            ]
        })
        .collect()
}

/// The list as an XLSX workbook: the event's title and dates in the first row, the header below.
pub fn to_xlsx(event: &Event, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let title = tr(
        lang,
        "ev-xlsx-title",
        &[
            ("title", &event.title),
            ("starts", &event.starts.to_string()),
            ("ends", &event.ends.to_string()),
        ],
    );
    write_table_xlsx(
        &tr(lang, "ev-xlsx-sheet", &[]),
        &title,
        &headers(lang),
        &rows(event, lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_event() -> Event {
        crate::demo::load().unwrap().events.remove(0)
    }

    #[test]
    fn rows_follow_the_participants_in_the_readers_language() {
        let mut e = demo_event();
        e.participants[1].attended = false;
        let bg = rows(&e, Lang::Bg);
        assert_eq!(bg.len(), 15);
        assert_eq!(bg[0][0], Cell::from("Радослава Чеканска"));
        assert_eq!(bg[0][1], Cell::from("зам.-областен управител"));
        assert_eq!(bg[0][3], Cell::from("гост"));
        assert_eq!(bg[0][4], Cell::from("да"));
        assert_eq!(bg[1][4], Cell::from("не"));
        let en = rows(&e, Lang::En);
        assert_eq!(en[0][3], Cell::from("guest"));
        assert_eq!(headers(Lang::En)[0], "Name");
    }

    #[test]
    fn workbook_is_a_zip() {
        let bytes = to_xlsx(&demo_event(), Lang::Bg).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
