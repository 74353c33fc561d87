//! The whole registry — or any part of it, such as a filtered list — as a file: JSON for machines
//! and backups, CSV and XLSX for people with a spreadsheet.
//!
//! This module owns the file formats and their round trip: what is exported imports back to the
//! same records. It validates what it reads with the domain's own rules (`Library::validate`,
//! `Service::validate` …) and reports every problem with its place in the file; it does not
//! compare with the store (that is [`crate::preview`]).
//!
//! # JSON
//! `{"format": "lipa-registry", "version": 1, "libraries": […], "services": […], "partners": […],
//! "persons": […], "events": […], "activities": […]}`, pretty-printed, every record with all its
//! fields. An activity-log entry names its service by its position in `services` (from 0); a
//! file without entries has no `activities`. Errors name the record path and field
//! (`libraries[3].contacts.email`).
//!
//! # CSV and XLSX
//! Libraries and services only (partners, persons and events need JSON), in the same columns
//! ([`Col`]): one row per service with its library's columns repeated, and one row with empty
//! service columns for a library without services. A row whose library columns are all empty
//! but its ID is a service of a library defined elsewhere. The header row comes from the
//! translation files (`col-…`), so a Bulgarian and an English export differ in that row only;
//! the importer recognises either, whatever the case or spacing. Codes, not labels, fill the
//! kind, category and status columns (the importer also takes the labels). Booleans are `1`/`0`
//! (in XLSX real TRUE/FALSE cells); the importer also takes да/не, yes/no, true/false. The
//! settlement, municipality and district names are for the reader: the EKATTE code wins on
//! import, and the names are only used to find the code when it is missing. Leading zeros that
//! a spreadsheet dropped from an EKATTE code are put back.
//!
//! Lists hold one item per line of the cell (a line break inside a quoted CSV cell, shown as
//! one by Excel): target groups one per line; partners and volunteers `name — role`; activities
//! `title | 2012-09-01 | 2012-10-31`; budget `label | 150.00 | BGN | source`; results
//! `2012-12-31 | indicator | value | expected | note`. Inside an item a backslash escapes: `\\`
//! is a backslash, `\n` a line break, `\|` and `\—` the separators; other backslashes are kept
//! as typed. Items and their parts are trimmed and blank lines skipped, so the round trip is
//! exact for trimmed items; single-value text cells are kept exactly as they are.
//!
//! A CSV file is UTF-8 with a byte-order mark (which Excel needs to read UTF-8), comma-separated
//! and CRLF-terminated; the importer takes it with or without the mark, in UTF-16 or Windows-1251
//! too ([`crate::encoding`]: what Excel saves on a Bulgarian Windows), and with commas,
//! semicolons or tabs, whichever its header line shows. A CSV text cell that starts with `=`, `+`, `-`, `@`, a tab, a carriage
//! return or `'` is written with a leading `'`, so that a spreadsheet never runs it as a
//! formula; the importer takes the `'` off again. XLSX cells are written as text and are never
//! formulas. Errors name the line (the row of the sheet) and the column header.

use crate::Registry;
use crate::encoding::{Separator, TextReading, decode_text};
use crate::error::ImportErrors;
use crate::limits::{MAX_ROWS, MAX_UNZIPPED_BYTES, TableBounds, check_size, one};
use jiff::civil::Date;
use lipa_core::geo::{Gazetteer, SettlementKind};
use lipa_core::i18n::tr;
use lipa_core::ids::{CategoryCode, Ekatte, LibraryId, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::money::{Currency, Money};
use lipa_core::service::{
    Activity, BudgetItem, ExpectedResults, ResultReport, Service, ServiceCard, ServicePartner,
    ServiceStatus, Volunteer,
};
use lipa_core::taxonomy::{default_categories, match_category};
use lipa_core::text::fold_name;
use lipa_core::{Lang, Violation, Violations};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The `format` of a registry JSON file.
pub const JSON_FORMAT: &str = "lipa-registry";
/// The `version` this build writes and reads.
pub const JSON_VERSION: u64 = 1;

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the workbook cannot be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

// ---------------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    #[serde(flatten)]
    registry: &'a Registry,
}

/// The registry as pretty-printed JSON.
pub fn to_json(r: &Registry) -> String {
    let envelope = Envelope {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        registry: r,
    };
    let mut text = serde_json::to_string_pretty(&envelope)
        .expect("domain records serialise to JSON: string keys and plain values only");
    text.push('\n');
    text
}

/// Reads a registry JSON file from its bytes in any encoding [`decode_text`] reads, and says
/// how it was read.
pub fn read_json(bytes: &[u8]) -> Result<(Registry, TextReading), ImportErrors> {
    let (text, reading) = decode_text(bytes)?;
    from_json(&text).map(|r| (r, reading))
}

/// Reads a registry JSON file, checking every record.
pub fn from_json(text: &str) -> Result<Registry, ImportErrors> {
    check_size(text.as_bytes())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = ImportErrors::default();
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(
                e.line(),
                Violation::new("", "err-json-syntax").arg("column", e.column()),
            );
            return Err(errors);
        }
    };
    let Some(top) = value.as_object() else {
        errors.push(0, Violation::new("", "err-json-format"));
        return Err(errors);
    };
    if top.get("format").and_then(|f| f.as_str()) != Some(JSON_FORMAT) {
        errors.push(0, Violation::new("format", "err-json-format"));
        return Err(errors);
    }
    match top.get("version").and_then(serde_json::Value::as_u64) {
        Some(JSON_VERSION) => {}
        other => {
            let found = other.map_or_else(
                || {
                    top.get("version")
                        .map_or(String::new(), ToString::to_string)
                },
                |v| v.to_string(),
            );
            errors.push(
                0,
                Violation::new("version", "err-json-version")
                    .arg("value", found)
                    .arg("supported", JSON_VERSION),
            );
            return Err(errors);
        }
    }

    let r = Registry {
        libraries: records(top, "libraries", &mut errors, |l: &Library| l.validate()),
        services: records(top, "services", &mut errors, |s: &Service| s.validate()),
        partners: records(
            top,
            "partners",
            &mut errors,
            |p: &lipa_core::partner::Partner| p.validate(),
        ),
        persons: records(
            top,
            "persons",
            &mut errors,
            |p: &lipa_core::person::Person| p.validate(),
        ),
        events: records(top, "events", &mut errors, |e: &lipa_core::event::Event| {
            e.validate()
        }),
        activities: records(
            top,
            "activities",
            &mut errors,
            |a: &crate::LoggedActivity| {
                // The store's ID is not known yet; the rules do not depend on it.
                a.entry(lipa_core::ids::ServiceId::new(0)).validate()
            },
        ),
    };
    for (i, a) in r.activities.iter().enumerate() {
        if a.service >= r.services.len() {
            errors.push(
                0,
                Violation::new(
                    format!("activities[{i}].service"),
                    "err-json-activity-service",
                )
                .arg("value", a.service)
                .arg("count", r.services.len()),
            );
        }
    }

    let mut first: HashMap<LibraryId, usize> = HashMap::new();
    for (i, l) in r.libraries.iter().enumerate() {
        if let Some(&j) = first.get(&l.id) {
            errors.push(
                0,
                Violation::new(format!("libraries[{i}].id"), "err-json-duplicate-library")
                    .arg("value", l.id)
                    .arg("first", format!("libraries[{j}]")),
            );
        } else {
            first.insert(l.id, i);
        }
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

/// The records of one list, each read on its own so that one bad record does not hide the
/// others; errors carry the record's path.
fn records<T: serde::de::DeserializeOwned>(
    top: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    errors: &mut ImportErrors,
    validate: impl Fn(&T) -> Result<(), Violations>,
) -> Vec<T> {
    let list = match top.get(key) {
        None | Some(serde_json::Value::Null) => return Vec::new(),
        Some(serde_json::Value::Array(list)) if list.len() > MAX_ROWS => {
            errors.push(
                0,
                Violation::new(key, "err-too-many-rows").arg("limit", MAX_ROWS),
            );
            return Vec::new();
        }
        Some(serde_json::Value::Array(list)) => list,
        Some(_) => {
            errors.push(0, Violation::new(key, "err-json-not-list"));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("{key}[{i}]");
        match T::deserialize(item) {
            Ok(record) => {
                if let Err(vs) = validate(&record) {
                    for v in vs.0 {
                        errors.push(0, v.under(&path));
                    }
                }
                out.push(record);
            }
            Err(e) => errors.push(
                0,
                Violation::new(path, "err-json-record").arg("detail", e.to_string()),
            ),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Columns

/// A column of the CSV and XLSX files. Its header is the message `col-<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    LibraryId,
    LibraryName,
    LibraryKind,
    ChitalishteName,
    ChitalishteFounded,
    Ekatte,
    Settlement,
    Municipality,
    District,
    Coordinator,
    Address,
    Phone,
    Email,
    Website,
    ServiceYear,
    ServiceCategory,
    ServiceStatus,
    VolunteerSupported,
    Volunteers,
    ServiceName,
    Goal,
    TargetGroups,
    Partners,
    Activities,
    Budget,
    Media,
    ExpectedSocial,
    ExpectedEconomic,
    ExpectedCommunity,
    Results,
}

impl Col {
    /// Every column, in file order.
    pub const ALL: [Col; 30] = [
        Col::LibraryId,
        Col::LibraryName,
        Col::LibraryKind,
        Col::ChitalishteName,
        Col::ChitalishteFounded,
        Col::Ekatte,
        Col::Settlement,
        Col::Municipality,
        Col::District,
        Col::Coordinator,
        Col::Address,
        Col::Phone,
        Col::Email,
        Col::Website,
        Col::ServiceYear,
        Col::ServiceCategory,
        Col::ServiceStatus,
        Col::VolunteerSupported,
        Col::Volunteers,
        Col::ServiceName,
        Col::Goal,
        Col::TargetGroups,
        Col::Partners,
        Col::Activities,
        Col::Budget,
        Col::Media,
        Col::ExpectedSocial,
        Col::ExpectedEconomic,
        Col::ExpectedCommunity,
        Col::Results,
    ];

    /// The columns a library fills.
    const LIBRARY: [Col; 13] = [
        Col::LibraryName,
        Col::LibraryKind,
        Col::ChitalishteName,
        Col::ChitalishteFounded,
        Col::Ekatte,
        Col::Settlement,
        Col::Municipality,
        Col::District,
        Col::Coordinator,
        Col::Address,
        Col::Phone,
        Col::Email,
        Col::Website,
    ];

    /// The columns a service fills.
    const SERVICE: [Col; 16] = [
        Col::ServiceYear,
        Col::ServiceCategory,
        Col::ServiceStatus,
        Col::VolunteerSupported,
        Col::Volunteers,
        Col::ServiceName,
        Col::Goal,
        Col::TargetGroups,
        Col::Partners,
        Col::Activities,
        Col::Budget,
        Col::Media,
        Col::ExpectedSocial,
        Col::ExpectedEconomic,
        Col::ExpectedCommunity,
        Col::Results,
    ];

    /// The column's name in error fields and in its message key `col-<id>`.
    pub fn id(self) -> &'static str {
        match self {
            Col::LibraryId => "library-id",
            Col::LibraryName => "library-name",
            Col::LibraryKind => "library-kind",
            Col::ChitalishteName => "chitalishte-name",
            Col::ChitalishteFounded => "chitalishte-founded",
            Col::Ekatte => "ekatte",
            Col::Settlement => "settlement",
            Col::Municipality => "municipality",
            Col::District => "district",
            Col::Coordinator => "coordinator",
            Col::Address => "address",
            Col::Phone => "phone",
            Col::Email => "email",
            Col::Website => "website",
            Col::ServiceYear => "service-year",
            Col::ServiceCategory => "service-category",
            Col::ServiceStatus => "service-status",
            Col::VolunteerSupported => "volunteer-supported",
            Col::Volunteers => "volunteers",
            Col::ServiceName => "service-name",
            Col::Goal => "goal",
            Col::TargetGroups => "target-groups",
            Col::Partners => "partners",
            Col::Activities => "activities",
            Col::Budget => "budget",
            Col::Media => "media",
            Col::ExpectedSocial => "expected-social",
            Col::ExpectedEconomic => "expected-economic",
            Col::ExpectedCommunity => "expected-community",
            Col::Results => "results",
        }
    }

    pub fn header(self, lang: Lang) -> String {
        tr(lang, &format!("col-{}", self.id()), &[])
    }

    /// The column a header names, in either language or as its id.
    fn from_header(h: &str) -> Option<Col> {
        let h = fold_name(h);
        Col::ALL.into_iter().find(|c| {
            h == c.id()
                || Lang::ALL
                    .iter()
                    .any(|&lang| fold_name(&c.header(lang)) == h)
        })
    }

    /// Width in characters in the workbook.
    fn width(self) -> f64 {
        match self {
            Col::LibraryId | Col::ChitalishteFounded | Col::Ekatte | Col::ServiceYear => 10.0,
            Col::Coordinator | Col::VolunteerSupported | Col::ServiceStatus => 12.0,
            Col::LibraryKind | Col::ServiceCategory | Col::Phone => 14.0,
            Col::Settlement | Col::Municipality | Col::District | Col::ChitalishteName => 18.0,
            Col::Email | Col::Website | Col::Address | Col::Volunteers => 24.0,
            Col::LibraryName | Col::TargetGroups => 36.0,
            Col::ServiceName | Col::Partners | Col::Activities | Col::Budget | Col::Results => 48.0,
            Col::Goal | Col::Media | Col::ExpectedSocial | Col::ExpectedEconomic => 40.0,
            Col::ExpectedCommunity => 40.0,
        }
    }
}

/// A cell as the exporters write it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(i64),
    Bool(bool),
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Lists inside a cell

/// Escapes an item or a part of one: backslash, line breaks and the list's separators.
fn escape(s: &str, separators: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if separators.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Splits an item at its unescaped separators and unescapes and trims each part.
fn split_item(line: &str, separators: &[char], max_parts: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some('\\') => {
                    part.push('\\');
                    chars.next();
                }
                Some('n') => {
                    part.push('\n');
                    chars.next();
                }
                Some('r') => {
                    part.push('\r');
                    chars.next();
                }
                Some(s) if separators.contains(&s) => {
                    part.push(s);
                    chars.next();
                }
                // Not an escape: a backslash someone typed.
                _ => part.push('\\'),
            },
            c if separators.contains(&c) && parts.len() + 1 < max_parts => {
                parts.push(std::mem::take(&mut part));
            }
            c => part.push(c),
        }
    }
    parts.push(part);
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// The items of a list cell: its non-blank lines.
fn lines_of(cell: &str) -> impl Iterator<Item = (usize, &str)> {
    cell.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

const NAME_ROLE: &[char] = &['—', '|'];
const PIPE: &[char] = &['|'];

fn name_role(name: &str, role: &str) -> String {
    if role.is_empty() {
        escape(name, NAME_ROLE)
    } else {
        format!("{} — {}", escape(name, NAME_ROLE), escape(role, NAME_ROLE))
    }
}

fn money_text(m: Money) -> String {
    let a = m.minor.unsigned_abs();
    let sign = if m.minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn number_text(n: f64) -> String {
    // `Display` of f64 is the shortest text that reads back to the same number.
    format!("{n}")
}

fn join_lines(items: impl Iterator<Item = String>) -> Cell {
    let joined = items.collect::<Vec<_>>().join("\n");
    text(&joined)
}

// ---------------------------------------------------------------------------------------------
// Export

fn library_cells(l: &Library, row: &mut [Cell]) {
    let g = Gazetteer::get();
    let settlement = g.settlement(l.settlement.as_str());
    let municipality = settlement.and_then(|s| g.municipality(s.municipality.as_str()));
    let district = settlement.and_then(|s| g.district(s.district.as_str()));
    for (i, col) in Col::ALL.iter().enumerate() {
        let cell = match col {
            Col::LibraryName => text(&l.name),
            Col::LibraryKind => text(l.kind.code()),
            Col::ChitalishteName => l
                .chitalishte
                .as_ref()
                .map_or(Cell::Empty, |c| text(&c.name)),
            Col::ChitalishteFounded => l
                .chitalishte
                .as_ref()
                .and_then(|c| c.founded)
                .map_or(Cell::Empty, |y| Cell::Number(y.get().into())),
            Col::Ekatte => text(l.settlement.as_str()),
            Col::Settlement => settlement.map_or(Cell::Empty, |s| text(&s.label_bg())),
            Col::Municipality => municipality.map_or(Cell::Empty, |m| text(&m.name_bg)),
            Col::District => district.map_or(Cell::Empty, |d| text(&d.name_bg)),
            Col::Coordinator => Cell::Bool(l.coordinator),
            Col::Address => text(&l.contacts.address),
            Col::Phone => text(&l.contacts.phone),
            Col::Email => text(&l.contacts.email),
            Col::Website => text(&l.contacts.website),
            _ => continue,
        };
        row[i] = cell;
    }
}

fn service_cells(s: &Service, row: &mut [Cell]) {
    let c = &s.card;
    for (i, col) in Col::ALL.iter().enumerate() {
        let cell = match col {
            Col::ServiceYear => Cell::Number(s.year.get().into()),
            Col::ServiceCategory => text(s.category.as_str()),
            Col::ServiceStatus => text(s.status.code()),
            Col::VolunteerSupported => Cell::Bool(s.volunteer_supported),
            Col::Volunteers => join_lines(s.volunteers.iter().map(|v| name_role(&v.name, &v.role))),
            Col::ServiceName => text(&c.name),
            Col::Goal => text(&c.goal),
            Col::TargetGroups => join_lines(c.target_groups.iter().map(|t| escape(t, &[]))),
            Col::Partners => join_lines(c.partners.iter().map(|p| name_role(&p.name, &p.role))),
            Col::Activities => join_lines(c.activities.iter().map(|a| {
                let date = |d: Option<Date>| d.map_or(String::new(), |d| d.to_string());
                match (a.starts, a.ends) {
                    (None, None) => escape(&a.title, PIPE),
                    (s, None) => format!("{} | {}", escape(&a.title, PIPE), date(s)),
                    (s, e) => format!("{} | {} | {}", escape(&a.title, PIPE), date(s), date(e)),
                }
            })),
            Col::Budget => join_lines(c.budget.iter().map(|b| {
                let head = format!(
                    "{} | {} | {}",
                    escape(&b.label, PIPE),
                    money_text(b.amount),
                    b.amount.currency.code()
                );
                if b.source.is_empty() {
                    head
                } else {
                    format!("{head} | {}", escape(&b.source, PIPE))
                }
            })),
            Col::Media => text(&c.media),
            Col::ExpectedSocial => text(&c.expected.social),
            Col::ExpectedEconomic => text(&c.expected.economic),
            Col::ExpectedCommunity => text(&c.expected.community),
            Col::Results => join_lines(s.results.iter().map(|r| {
                let expected = r.expected.map_or(String::new(), number_text);
                let mut item = format!(
                    "{} | {} | {} | {expected}",
                    r.date,
                    escape(&r.indicator, PIPE),
                    number_text(r.value)
                );
                if !r.note.is_empty() {
                    item = format!("{item} | {}", escape(&r.note, PIPE));
                }
                item
            })),
            _ => continue,
        };
        row[i] = cell;
    }
}

/// The rows of the registry: each library with its services, then services of libraries the
/// registry does not hold (with only the ID in the library columns).
fn table(r: &Registry) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut by_library: HashMap<LibraryId, Vec<&Service>> = HashMap::new();
    for s in &r.services {
        by_library.entry(s.library).or_default().push(s);
    }
    let blank = || vec![Cell::Empty; Col::ALL.len()];
    let mut written = HashSet::new();
    for l in &r.libraries {
        if !written.insert(l.id) {
            continue;
        }
        let mut base = blank();
        base[0] = Cell::Number(l.id.get().into());
        library_cells(l, &mut base);
        match by_library.get(&l.id) {
            None => rows.push(base),
            Some(services) => {
                for s in services {
                    let mut row = base.clone();
                    service_cells(s, &mut row);
                    rows.push(row);
                }
            }
        }
    }
    for s in r.services.iter().filter(|s| !written.contains(&s.library)) {
        let mut row = blank();
        row[0] = Cell::Number(s.library.get().into());
        service_cells(s, &mut row);
        rows.push(row);
    }
    rows
}

/// A CSV cell that a spreadsheet would read as a formula gets a leading `'`.
fn guard_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The registry's libraries and services as CSV: UTF-8 with a byte-order mark, header in `lang`.
pub fn to_csv(r: &Registry, lang: Lang) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header: Vec<String> = Col::ALL.iter().map(|c| c.header(lang)).collect();
        let rows = table(r).into_iter().map(|row| {
            row.into_iter()
                .map(|c| match c {
                    Cell::Empty => String::new(),
                    Cell::Text(s) => guard_formula(&s),
                    Cell::Number(n) => n.to_string(),
                    Cell::Bool(b) => if b { "1" } else { "0" }.to_owned(),
                })
                .collect::<Vec<_>>()
        });
        for record in std::iter::once(header).chain(rows) {
            // Writing to a Vec cannot fail.
            w.write_record(&record).expect("CSV into memory");
        }
        w.flush().expect("CSV into memory");
    }
    out
}

/// The registry's libraries and services as an XLSX workbook: bold, frozen header row with an
/// autofilter, text cells wrapped so that list cells show one item per line.
pub fn to_xlsx(r: &Registry, lang: Lang) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(tr(lang, "registry-sheet", &[]))?;
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (c, col) in Col::ALL.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, col.header(lang), &bold)?;
        ws.set_column_width(c, col.width())?;
    }
    let rows = table(r);
    for (i, row) in rows.iter().enumerate() {
        let r =
            u32::try_from(i + 1).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match value {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(r, c, crate::tables::xlsx_text(s), &cell)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(r, c, *n as f64, &cell)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean_with_format(r, c, *b, &cell)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    ws.autofilter(0, 0, last_row, (Col::ALL.len() - 1) as u16)?;
    Ok(wb.save_to_buffer()?)
}

// ---------------------------------------------------------------------------------------------
// Import

/// Reads a CSV file written by [`to_csv`] or edited in a spreadsheet.
pub fn from_csv(bytes: &[u8]) -> Result<Registry, ImportErrors> {
    read_csv(bytes).map(|(r, _)| r)
}

/// Reads a CSV file in any encoding [`decode_text`] reads, with the separator its header line
/// shows; says how it was read, for the preview.
pub fn read_csv(bytes: &[u8]) -> Result<(Registry, TextReading), ImportErrors> {
    let (text, mut reading) = decode_text(bytes)?;
    let separator = csv_separator(&text)?;
    reading.separator = Some(separator);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator.byte())
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut bounds = TableBounds::default();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                bounds.row(line, record.len())?;
                let cells = record
                    .iter()
                    .map(|c| c.strip_prefix('\'').unwrap_or(c).to_owned())
                    .collect();
                rows.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(one(line, Violation::new("", "err-csv-syntax")));
            }
        }
    }
    import_rows(rows).map(|r| (r, reading))
}

/// The separator of a CSV file, from its header line (its first record, quotes respected): the
/// one under which most cells name a column of the registry; failing that, the one that splits
/// the line into most cells. A tie between two separators is refused: nothing tells them apart.
fn csv_separator(text: &str) -> Result<Separator, ImportErrors> {
    let scored: Vec<(Separator, usize, usize)> = Separator::ALL
        .into_iter()
        .map(|s| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(s.byte())
                .from_reader(text.as_bytes());
            let header = reader.records().next().and_then(Result::ok);
            let (known, cells) = header.map_or((0, 0), |h| {
                let known = h.iter().filter(|c| Col::from_header(c).is_some()).count();
                (known, h.len())
            });
            (s, known, cells)
        })
        .collect();
    let best = scored
        .iter()
        .map(|&(_, known, cells)| (known, cells))
        .max()
        .unwrap_or_default();
    let tied: Vec<Separator> = scored
        .iter()
        .filter(|&&(_, known, cells)| (known, cells) == best)
        .map(|&(s, _, _)| s)
        .collect();
    match tied.as_slice() {
        [one_best] => Ok(*one_best),
        // One cell whatever the separator: there is none to find.
        _ if best.1 <= 1 => Ok(Separator::Comma),
        [first, second, ..] => Err(one(
            1,
            Violation::new("", "err-csv-separator")
                .arg("first", first.byte() as char)
                .arg("second", second.byte() as char),
        )),
        [] => Ok(Separator::Comma),
    }
}

/// Reads the first sheet of an XLSX workbook written by [`to_xlsx`] or edited in a spreadsheet,
/// cell by cell: a sheet is never expanded to the rectangle its corners span (a workbook with
/// cells in A1 and XFD1048576 would ask for hundreds of gigabytes), and the bounds of
/// [`crate::limits`] are checked as the cells come.
pub fn from_xlsx(bytes: &[u8]) -> Result<Registry, ImportErrors> {
    use calamine::{DataRef, Reader, Xlsx};
    use std::collections::BTreeMap;
    check_size(bytes)?;
    check_unzipped_size(bytes)?;
    let unreadable = || one(0, Violation::new("", "err-xlsx-read"));
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(one(0, Violation::new("", "err-xlsx-no-sheet")));
    };
    let mut cells_of = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| unreadable())?;
    // Row → column → text, of the cells that hold something.
    let mut sheet_rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut bounds = TableBounds::default();
    while let Some(cell) = cells_of.next_cell().map_err(|_| unreadable())? {
        let (row, col) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty | DataRef::Error(_) => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::Int(n) => n.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(d) => excel_date(d.as_f64()),
        };
        let line = row as usize + 1;
        let width = col as usize + 1;
        let cells = match sheet_rows.entry(row) {
            std::collections::btree_map::Entry::Vacant(v) => {
                bounds.row(line, width)?;
                v.insert(BTreeMap::new())
            }
            std::collections::btree_map::Entry::Occupied(o) => {
                let cells = o.into_mut();
                let before = cells.last_key_value().map_or(0, |(&c, _)| c as usize + 1);
                bounds.widen(line, before, width)?;
                cells
            }
        };
        cells.insert(col, text);
    }
    let rows = sheet_rows
        .into_iter()
        .map(|(row, cells)| {
            let width = cells.last_key_value().map_or(0, |(&c, _)| c as usize + 1);
            let mut dense = vec![String::new(); width];
            for (c, text) in cells {
                dense[c as usize] = text;
            }
            (row as usize + 1, dense)
        })
        .collect();
    import_rows(rows)
}

/// Refuses a workbook whose parts declare more than [`MAX_UNZIPPED_BYTES`] unpacked, before
/// any part is unpacked (a compressed part can be a thousand times its size).
fn check_unzipped_size(bytes: &[u8]) -> Result<(), ImportErrors> {
    let unreadable = || one(0, Violation::new("", "err-xlsx-read"));
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|_| unreadable())?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(one(
            0,
            Violation::new("", "err-xlsx-too-large").arg("limit", MAX_UNZIPPED_BYTES / (1 << 20)),
        ));
    }
    Ok(())
}

/// An Excel serial date as `YYYY-MM-DD` (day 0 is 1899-12-30 in the 1900 system).
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(days))
        .map_or_else(|_| serial.to_string(), |d| d.to_string())
}

/// One data row of a sheet: its cells by column.
struct Row<'a> {
    line: usize,
    cells: &'a [String],
    index: &'a HashMap<Col, usize>,
}

impl Row<'_> {
    fn get(&self, c: Col) -> &str {
        self.index
            .get(&c)
            .and_then(|&i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    fn trimmed(&self, c: Col) -> &str {
        self.get(c).trim()
    }

    fn any(&self, cols: &[Col]) -> bool {
        cols.iter().any(|&c| !self.trimmed(c).is_empty())
    }
}

/// Rows of cells (the first one the header) → a registry, or every problem found.
fn import_rows(rows: Vec<(usize, Vec<String>)>) -> Result<Registry, ImportErrors> {
    let mut errors = ImportErrors::default();
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((header_line, header)) = rows.next() else {
        errors.push(0, Violation::new("", "err-table-empty"));
        return Err(errors);
    };
    let mut index: HashMap<Col, usize> = HashMap::new();
    let mut unnamed = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            unnamed.push(i);
            continue;
        }
        match Col::from_header(h) {
            Some(c) => {
                if index.insert(c, i).is_some() {
                    errors.push(
                        header_line,
                        Violation::new("", "err-table-duplicate-column").arg("value", h.trim()),
                    );
                }
            }
            None => errors.push(
                header_line,
                Violation::new("", "err-table-unknown-column").arg("value", h.trim()),
            ),
        }
    }
    if !index.contains_key(&Col::LibraryId) {
        errors.push(
            header_line,
            Violation::new("", "err-table-missing-column")
                .arg("value", Col::LibraryId.header(Lang::Bg)),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut r = Registry::default();
    let mut library_line: HashMap<LibraryId, (usize, usize)> = HashMap::new();
    for (line, cells) in rows {
        let row = Row {
            line,
            cells: &cells,
            index: &index,
        };
        for &i in &unnamed {
            if cells.get(i).is_some_and(|c| !c.trim().is_empty()) {
                errors.push(
                    line,
                    Violation::new("", "err-table-unnamed-column").arg("value", i + 1),
                );
            }
        }
        let mut v = Violations::default();
        let id = v.check(
            LibraryId::parse(row.trimmed(Col::LibraryId)).map_err(|e| at(e, Col::LibraryId)),
        );
        let library = if row.any(&Col::LIBRARY) {
            read_library(&row, id, &mut v)
        } else {
            None
        };
        let service = if row.any(&Col::SERVICE) {
            read_service(&row, id, &mut v)
        } else {
            None
        };
        if let Some(l) = library {
            match library_line.get(&l.id) {
                Some(&(first, i)) if r.libraries[i] != l => v.push(
                    Violation::new(Col::LibraryId.id(), "err-table-library-conflict")
                        .arg("value", l.id)
                        .arg("first", first),
                ),
                Some(_) => {}
                None => {
                    library_line.insert(l.id, (row.line, r.libraries.len()));
                    r.libraries.push(l);
                }
            }
        }
        if let Some(s) = service {
            r.services.push(s);
        }
        for violation in v.0 {
            errors.push(row.line, violation);
        }
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

/// The violation, on a column.
fn at(v: Violation, c: Col) -> Violation {
    Violation {
        field: c.id().to_owned(),
        ..v
    }
}

fn parse_bool(s: &str, c: Col) -> Result<bool, Violation> {
    match fold_name(s).as_str() {
        "" | "0" | "не" | "no" | "n" | "false" | "неистина" | "лъжа" => Ok(false),
        "1" | "да" | "yes" | "y" | "true" | "истина" | "x" | "х" => Ok(true),
        _ => Err(Violation::new(c.id(), "err-boolean").arg("value", s.trim())),
    }
}

fn parse_year(s: &str, c: Col) -> Result<Year, Violation> {
    Year::parse(s).map_err(|e| at(e, c))
}

fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    // 01.09.2012, as dates are written in Bulgaria.
    let parts: Vec<&str> = s.trim_end_matches(['г', '.', ' ']).split('.').collect();
    if let [d, m, y] = parts[..] {
        let (d, m, y) = (
            d.trim().parse().ok()?,
            m.trim().parse().ok()?,
            y.trim().parse().ok()?,
        );
        return Date::new(y, m, d).ok();
    }
    None
}

fn parse_number(s: &str) -> Option<f64> {
    let n: f64 = s.trim().replace(',', ".").parse().ok()?;
    n.is_finite().then_some(n)
}

/// The settlement's EKATTE code: the code column, or failing that the settlement's label and
/// municipality's name.
fn read_settlement(row: &Row<'_>, v: &mut Violations) -> Option<Ekatte> {
    let code = row.trimmed(Col::Ekatte);
    if !code.is_empty() {
        // A spreadsheet that took the code for a number dropped its leading zeros.
        let padded = if code.len() < 5 && code.bytes().all(|b| b.is_ascii_digit()) {
            format!("{code:0>5}")
        } else {
            code.to_owned()
        };
        let ekatte = v.check(Ekatte::parse(&padded).map_err(|e| at(e, Col::Ekatte)))?;
        if Gazetteer::get().settlement(ekatte.as_str()).is_none() {
            v.push(
                Violation::new(Col::Ekatte.id(), "err-unknown-settlement").arg("value", &ekatte),
            );
            return None;
        }
        return Some(ekatte);
    }
    let label = row.trimmed(Col::Settlement);
    let municipality = row.trimmed(Col::Municipality);
    if label.is_empty() {
        v.push(Violation::new(Col::Ekatte.id(), "err-required"));
        return None;
    }
    let (kind, name) = match label.split_once([' ', '.']) {
        Some((mark, rest)) if SettlementKind::from_abbr(mark).is_some() => (
            SettlementKind::from_abbr(mark),
            rest.trim_start_matches('.').trim(),
        ),
        _ => (None, label),
    };
    let g = Gazetteer::get();
    let found: Vec<_> = g
        .municipalities_named(municipality, None)
        .into_iter()
        .flat_map(|m| g.settlements_named(name, Some(m.code.as_str()), kind))
        .collect();
    match found[..] {
        [s] => Some(s.ekatte.clone()),
        _ => {
            v.push(
                Violation::new(Col::Settlement.id(), "err-table-unknown-place")
                    .arg("value", label)
                    .arg("municipality", municipality),
            );
            None
        }
    }
}

fn read_library(row: &Row<'_>, id: Option<LibraryId>, v: &mut Violations) -> Option<Library> {
    let before = v.0.len();
    let kind_text = row.trimmed(Col::LibraryKind);
    let kind = LibraryKind::from_code(kind_text).or_else(|| {
        LibraryKind::ALL.into_iter().find(|k| {
            Lang::ALL
                .iter()
                .any(|&lang| fold_name(&k.label(lang)) == fold_name(kind_text))
        })
    });
    if kind.is_none() {
        let code = if kind_text.is_empty() {
            "err-required"
        } else {
            "err-library-kind"
        };
        v.push(Violation::new(Col::LibraryKind.id(), code).arg("value", kind_text));
    }
    let founded_text = row.trimmed(Col::ChitalishteFounded);
    let founded = if founded_text.is_empty() {
        None
    } else {
        v.check(parse_year(founded_text, Col::ChitalishteFounded))
    };
    let chitalishte_name = row.get(Col::ChitalishteName);
    let chitalishte = if chitalishte_name.is_empty() && founded_text.is_empty() {
        None
    } else {
        Some(Chitalishte {
            name: chitalishte_name.to_owned(),
            founded,
        })
    };
    let settlement = read_settlement(row, v);
    let coordinator = v
        .check(parse_bool(row.get(Col::Coordinator), Col::Coordinator))
        .unwrap_or(false);
    let (Some(id), Some(kind), Some(settlement)) = (id, kind, settlement) else {
        return None;
    };
    if v.0.len() > before {
        return None;
    }
    let library = Library {
        id,
        name: row.get(Col::LibraryName).to_owned(),
        kind,
        chitalishte,
        settlement,
        coordinator,
        contacts: Contacts {
            address: row.get(Col::Address).to_owned(),
            phone: row.get(Col::Phone).to_owned(),
            email: row.get(Col::Email).to_owned(),
            website: row.get(Col::Website).to_owned(),
        },
    };
    if let Err(vs) = library.validate() {
        for e in vs.0 {
            let col = match e.field.as_str() {
                "name" => Col::LibraryName,
                "chitalishte.name" => Col::ChitalishteName,
                "settlement" => Col::Ekatte,
                "contacts.address" => Col::Address,
                "contacts.phone" => Col::Phone,
                "contacts.email" => Col::Email,
                "contacts.website" => Col::Website,
                _ => Col::LibraryName,
            };
            v.push(at(e, col));
        }
        return None;
    }
    Some(library)
}

fn read_category(s: &str) -> Result<CategoryCode, Violation> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Violation::new(Col::ServiceCategory.id(), "err-required"));
    }
    CategoryCode::parse(s)
        .ok()
        .or_else(|| match_category(&default_categories(), s).map(|c| c.code.clone()))
        .ok_or_else(|| {
            Violation::new(Col::ServiceCategory.id(), "err-unknown-category").arg("value", s)
        })
}

fn read_status(s: &str) -> Result<ServiceStatus, Violation> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(ServiceStatus::default());
    }
    ServiceStatus::from_code(s)
        .or_else(|| {
            ServiceStatus::ALL.into_iter().find(|st| {
                Lang::ALL
                    .iter()
                    .any(|&lang| fold_name(&st.label(lang)) == fold_name(s))
            })
        })
        .ok_or_else(|| Violation::new(Col::ServiceStatus.id(), "err-status").arg("value", s))
}

fn item_error(c: Col, code: &'static str, item: usize, line: &str) -> Violation {
    Violation::new(c.id(), code)
        .arg("item", item)
        .arg("value", line.trim())
}

fn read_name_roles(cell: &str) -> Vec<(String, String)> {
    lines_of(cell)
        .map(|(_, line)| {
            let mut parts = split_item(line, NAME_ROLE, 2).into_iter();
            let name = parts.next().unwrap_or_default();
            (name, parts.next().unwrap_or_default())
        })
        .collect()
}

fn read_activities(cell: &str, v: &mut Violations) -> Vec<Activity> {
    let mut out = Vec::new();
    for (i, line) in lines_of(cell) {
        let parts = split_item(line, PIPE, 3);
        let date = |k: usize| -> Result<Option<Date>, ()> {
            match parts.get(k).map(String::as_str) {
                None | Some("") => Ok(None),
                Some(s) => parse_date(s).map(Some).ok_or(()),
            }
        };
        match (date(1), date(2)) {
            (Ok(starts), Ok(ends)) => out.push(Activity {
                title: parts[0].clone(),
                starts,
                ends,
            }),
            _ => v.push(item_error(Col::Activities, "err-activity-item", i, line)),
        }
    }
    out
}

fn read_budget(cell: &str, v: &mut Violations) -> Vec<BudgetItem> {
    let mut out = Vec::new();
    for (i, line) in lines_of(cell) {
        let parts = split_item(line, PIPE, 4);
        let item = match &parts[..] {
            [label, amount, currency, rest @ ..] => Currency::parse(currency)
                .and_then(|c| Money::parse(amount, c))
                .ok()
                .map(|amount| BudgetItem {
                    label: label.clone(),
                    amount,
                    source: rest.first().cloned().unwrap_or_default(),
                }),
            _ => None,
        };
        match item {
            Some(b) => out.push(b),
            None => v.push(item_error(Col::Budget, "err-budget-item", i, line)),
        }
    }
    out
}

fn read_results(cell: &str, v: &mut Violations) -> Vec<ResultReport> {
    let mut out = Vec::new();
    for (i, line) in lines_of(cell) {
        let parts = split_item(line, PIPE, 5);
        let report = match &parts[..] {
            [date, indicator, value, rest @ ..] => {
                let expected = match rest.first().map(String::as_str) {
                    None | Some("") => Some(None),
                    Some(s) => parse_number(s).map(Some),
                };
                match (parse_date(date), parse_number(value), expected) {
                    (Some(date), Some(value), Some(expected)) => Some(ResultReport {
                        date,
                        indicator: indicator.clone(),
                        value,
                        expected,
                        note: rest.get(1).cloned().unwrap_or_default(),
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        match report {
            Some(r) => out.push(r),
            None => v.push(item_error(Col::Results, "err-result-item", i, line)),
        }
    }
    out
}

fn read_service(row: &Row<'_>, id: Option<LibraryId>, v: &mut Violations) -> Option<Service> {
    let before = v.0.len();
    let year_text = row.trimmed(Col::ServiceYear);
    let year = if year_text.is_empty() {
        v.push(Violation::new(Col::ServiceYear.id(), "err-required"));
        None
    } else {
        v.check(parse_year(year_text, Col::ServiceYear))
    };
    let category = v.check(read_category(row.get(Col::ServiceCategory)));
    let status = v.check(read_status(row.get(Col::ServiceStatus)));
    let volunteer_supported = v.check(parse_bool(
        row.get(Col::VolunteerSupported),
        Col::VolunteerSupported,
    ));
    let card = ServiceCard {
        name: row.get(Col::ServiceName).to_owned(),
        goal: row.get(Col::Goal).to_owned(),
        target_groups: lines_of(row.get(Col::TargetGroups))
            .map(|(_, l)| split_item(l, &[], 1).remove(0))
            .collect(),
        partners: read_name_roles(row.get(Col::Partners))
            .into_iter()
            .map(|(name, role)| ServicePartner {
                partner_id: None,
                name,
                role,
            })
            .collect(),
        activities: read_activities(row.get(Col::Activities), v),
        budget: read_budget(row.get(Col::Budget), v),
        media: row.get(Col::Media).to_owned(),
        expected: ExpectedResults {
            social: row.get(Col::ExpectedSocial).to_owned(),
            economic: row.get(Col::ExpectedEconomic).to_owned(),
            community: row.get(Col::ExpectedCommunity).to_owned(),
        },
    };
    let volunteers = read_name_roles(row.get(Col::Volunteers))
        .into_iter()
        .map(|(name, role)| Volunteer { name, role })
        .collect();
    let results = read_results(row.get(Col::Results), v);
    let (Some(library), Some(year), Some(category), Some(status), Some(volunteer_supported)) =
        (id, year, category, status, volunteer_supported)
    else {
        return None;
    };
    if v.0.len() > before {
        return None;
    }
    let service = Service {
        library,
        year,
        category,
        status,
        volunteer_supported,
        volunteers,
        card,
        results,
    };
    if let Err(vs) = service.validate() {
        for e in vs.0 {
            let f = e.field.as_str();
            let col = [
                ("card.name", Col::ServiceName),
                ("card.goal", Col::Goal),
                ("card.target_groups", Col::TargetGroups),
                ("card.partners", Col::Partners),
                ("card.activities", Col::Activities),
                ("card.budget", Col::Budget),
                ("card.media", Col::Media),
                ("card.expected.social", Col::ExpectedSocial),
                ("card.expected.economic", Col::ExpectedEconomic),
                ("card.expected.community", Col::ExpectedCommunity),
                ("volunteers", Col::Volunteers),
                ("results", Col::Results),
            ]
            .into_iter()
            .find(|(prefix, _)| f.starts_with(prefix))
            .map_or(Col::ServiceName, |(_, c)| c);
            v.push(at(e, col));
        }
        return None;
    }
    Some(service)
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
