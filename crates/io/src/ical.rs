//! iCalendar (RFC 5545) for events: a `VCALENDAR` with one all-day `VEVENT` per event, so that a
//! calendar program can subscribe to a meeting, and a small reader of the same format for round
//! trips in tests and for checking a file.
//!
//! Written by hand rather than with a crate: the subset lipa needs is small (all-day dates,
//! text properties, escaping, folding) and fully specified, and this keeps the dependency tree
//! of a closed-network deployment small. What the writer guarantees:
//!
//! - lines end in CRLF and are folded so that no line exceeds 75 octets, never inside a UTF-8
//!   character (§3.1);
//! - `TEXT` values escape `\`, `;`, `,` and newlines (§3.3.11);
//! - `DTSTART;VALUE=DATE` is the first day and `DTEND;VALUE=DATE` the day *after* the last one,
//!   because an all-day event's end is exclusive (§3.6.1);
//! - `DTSTAMP` is given by the caller (the record's last change), so the same event always gives
//!   the same bytes.
//!
//! This module formats what it is given; which events a reader may see is the caller's decision.

use jiff::Timestamp;
use jiff::civil::Date;

/// The product identifier of every calendar lipa writes.
pub const PRODID: &str = "-//lipa//Library Innovation & Partnerships Atlas//BG";

/// One event as a calendar entry. All text is plain (not HTML) and in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable: `event-12@lipa.example`.
    pub uid: String,
    pub summary: String,
    /// First day.
    pub starts: Date,
    /// Last day (inclusive, as lipa keeps it; written as the exclusive day after).
    pub ends: Date,
    pub location: String,
    pub description: String,
    /// The event's public page, when there is one.
    pub url: Option<String>,
    /// When the record last changed.
    pub stamp: Timestamp,
}

/// The calendar of `events`, as the bytes of an `.ics` file.
pub fn to_ics(events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    let mut line = |s: &str| push_folded(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&e.uid)));
        line(&format!("DTSTAMP:{}", utc_stamp(e.stamp)));
        line(&format!("DTSTART;VALUE=DATE:{}", ymd(e.starts)));
        // The end is exclusive; a last day of 9999-12-31 cannot be followed, so it stays.
        let end = e.ends.tomorrow().unwrap_or(e.ends);
        line(&format!("DTEND;VALUE=DATE:{}", ymd(end)));
        line(&format!("SUMMARY:{}", escape_text(&e.summary)));
        if !e.location.trim().is_empty() {
            line(&format!("LOCATION:{}", escape_text(&e.location)));
        }
        if !e.description.trim().is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&e.description)));
        }
        if let Some(url) = &e.url {
            line(&format!("URL:{url}"));
        }
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn utc_stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a `TEXT` value (§3.3.11). Carriage returns are dropped; a newline becomes `\n`.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_text`].
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Longest line, in octets, without its CRLF (§3.1).
pub const MAX_LINE: usize = 75;

/// Appends `content` as one logical line, folded: the first physical line holds at most 75
/// octets, each following one a space and at most 74 more.
fn push_folded(out: &mut String, content: &str) {
    let mut budget = MAX_LINE;
    let mut used = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > budget {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line's 75 octets.
            budget = MAX_LINE - 1;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// One content line of a calendar, unfolded: `DTSTART;VALUE=DATE:20120606` is name `DTSTART`,
/// params `[("VALUE", "DATE")]`, value `20120606` (still escaped: use [`unescape_text`] for
/// `TEXT` values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: String,
}

impl Property {
    /// The value of a parameter, by name (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    #[error("line {0}: no `:` between the name and the value")]
    NoColon(usize),
    #[error("line {0}: empty property name")]
    NoName(usize),
    #[error("the calendar does not start with BEGIN:VCALENDAR and end with END:VCALENDAR")]
    NotACalendar,
}

/// Reads a calendar into its content lines, unfolded, in order. Checks the line syntax and the
/// outer `VCALENDAR`, not the meaning of each property.
pub fn parse(text: &str) -> Result<Vec<Property>, IcsError> {
    // Unfold: a line that starts with a space or a tab continues the previous one (§3.1).
    let mut logical: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = logical.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if !raw.is_empty() {
            logical.push(raw.to_owned());
        }
    }
    let mut props = Vec::with_capacity(logical.len());
    for (i, l) in logical.iter().enumerate() {
        props.push(parse_line(l, i + 1)?);
    }
    let first = props.first().map(|p| (p.name.as_str(), p.value.as_str()));
    let last = props.last().map(|p| (p.name.as_str(), p.value.as_str()));
    if first != Some(("BEGIN", "VCALENDAR")) || last != Some(("END", "VCALENDAR")) {
        return Err(IcsError::NotACalendar);
    }
    Ok(props)
}

fn parse_line(l: &str, line: usize) -> Result<Property, IcsError> {
    // The value starts at the first colon outside a quoted parameter value.
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in l.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon.ok_or(IcsError::NoColon(line))?;
    let (head, value) = (&l[..colon], &l[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or("").trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(IcsError::NoName(line));
    }
    let params = parts
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_ascii_uppercase(), v.trim_matches('"').to_owned())
        })
        .collect();
    Ok(Property {
        name,
        params,
        value: value.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn kyustendil() -> CalendarEvent {
        CalendarEvent {
            uid: "event-1@lipa".into(),
            summary: "Регионална тематична среща „Библиотеката и нейните партньори“".into(),
            starts: date(2012, 6, 6),
            ends: date(2012, 6, 7),
            location: "синята зала на НЧ „Братство“, гр. Кюстендил".into(),
            description: "Партньорството; споделяне на ресурси\nи нови услуги, a\\b".into(),
            url: Some("https://lipa.example/events/1".into()),
            stamp: "2026-01-02T03:04:05Z".parse().unwrap(),
        }
    }

    #[test]
    fn all_day_event_has_exclusive_end_and_utc_stamp() {
        let ics = to_ics(&[kyustendil()]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20120606\r\n"));
        assert!(ics.contains("\r\nDTEND;VALUE=DATE:20120608\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20260102T030405Z\r\n"));
    }

    #[test]
    fn lines_are_folded_at_75_octets_on_character_boundaries() {
        let ics = to_ics(&[kyustendil()]);
        for line in ics.split("\r\n") {
            assert!(line.len() <= MAX_LINE, "{} octets: {line}", line.len());
        }
        // Cyrillic is two octets a letter: the summary must have been folded.
        assert!(ics.contains("\r\n "));
        assert!(!ics.contains('\n') || ics.matches('\n').count() == ics.matches("\r\n").count());
    }

    #[test]
    fn text_round_trips_through_escaping_and_folding() {
        let e = kyustendil();
        let props = parse(&to_ics(std::slice::from_ref(&e))).unwrap();
        let get = |n: &str| props.iter().find(|p| p.name == n).unwrap();
        assert_eq!(unescape_text(&get("SUMMARY").value), e.summary);
        assert_eq!(unescape_text(&get("LOCATION").value), e.location);
        assert_eq!(unescape_text(&get("DESCRIPTION").value), e.description);
        assert!(get("DESCRIPTION").value.contains("\\;"));
        assert!(get("LOCATION").value.contains("\\,"));
        assert_eq!(get("DTSTART").param("value"), Some("DATE"));
        assert_eq!(get("DTSTART").value, "20120606");
        assert_eq!(props.iter().filter(|p| p.name == "BEGIN").count(), 2);
    }

    #[test]
    fn reader_refuses_what_is_not_a_calendar() {
        assert_eq!(parse("hello"), Err(IcsError::NoColon(1)));
        assert_eq!(
            parse("BEGIN:VEVENT\r\nEND:VEVENT\r\n"),
            Err(IcsError::NotACalendar)
        );
        assert_eq!(parse(":x"), Err(IcsError::NoName(1)));
    }

    proptest::proptest! {
        #[test]
        fn any_text_survives(s in "\\PC{0,300}") {
            let mut e = kyustendil();
            e.description = s.replace('\r', "");
            let ics = to_ics(std::slice::from_ref(&e));
            for line in ics.split("\r\n") {
                proptest::prop_assert!(line.len() <= MAX_LINE);
            }
            let props = parse(&ics).unwrap();
            let got = props.iter().find(|p| p.name == "DESCRIPTION").map(|p| unescape_text(&p.value));
            if e.description.trim().is_empty() {
                proptest::prop_assert!(got.is_none());
            } else {
                proptest::prop_assert_eq!(got, Some(e.description));
            }
        }
    }
}
