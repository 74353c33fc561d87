//! The built-in demo: the whole Kyustendil 2012 report — the meeting, its people, its partners
//! and the district's table of services — read from the hand-written data file
//! `data/demo/kyustendil-2012.toml`, which cites the seed paragraph by paragraph so that anyone
//! can check it.
//!
//! The file is data someone edits by hand, so it is read strictly: a misspelt key, a category or
//! partner kind not in the taxonomy, a participant who is not among the persons, a library the
//! table does not have — each is an error naming its TOML path (`event.agenda[3].speaker`) and
//! its line, and nothing is returned unless every record is valid. The table is read by the
//! legacy-table importer ([`crate::legacy`]), exactly as a user's import of it would be.
//!
//! This module only builds records; writing them to the store is the caller's business.

use crate::legacy::{self, LegacyOptions};
use crate::{ImportErrors, Registry};
use lipa_core::Violation;
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{Ekatte, LibraryId};
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::ServicePartner;
use lipa_core::taxonomy::{Category, default_categories, default_partner_kinds};
use lipa_core::text::fold_name;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The demo data file, compiled in so that `lipa demo` needs no files beside the binary.
pub const DEMO_TOML: &str = include_str!("../../../data/demo/kyustendil-2012.toml");

/// The demo, checked, with the default taxonomy.
pub fn load() -> Result<Registry, ImportErrors> {
    load_from(DEMO_TOML, &default_categories())
}

/// Reads a demo data file (the layout of [`DEMO_TOML`]) against `categories`. Every error of the
/// file is reported at once, each with its line and TOML path.
pub fn load_from(text: &str, categories: &[Category]) -> Result<Registry, ImportErrors> {
    let source = Source::parse(text)?;
    let file: DemoFile = toml::from_str(text).map_err(|e| source.toml_error(&e))?;
    let mut errors = ImportErrors::default();
    source.check_keys(&file, &mut errors);
    // The table's libraries are what persons, the coordinator and the service partners point at.
    let table = read_table(&file, categories, &source, &mut errors);
    check_event(&file, categories, &source, &mut errors);
    check_partners(&file, &source, &mut errors);
    check_persons(&file, table.as_ref(), &source, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let DemoFile {
        event,
        partners,
        persons,
        district: _,
    } = file;
    Ok(Registry {
        events: vec![event],
        partners,
        persons,
        ..table.unwrap_or_default()
    })
}

/// The file's layout. Records are the core types themselves, so the file cannot drift from them.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    event: Event,
    #[serde(default)]
    partners: Vec<Partner>,
    #[serde(default)]
    persons: Vec<Person>,
    district: DistrictPart,
}

/// The district the demo's table belongs to.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct DistrictPart {
    coordinator_library: LibraryId,
    /// The seed's table, verbatim, for the legacy importer.
    table: String,
    /// Partners the table names inside a service's text, attached to that service's card.
    #[serde(default)]
    service_partners: Vec<ServicePartnerLink>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ServicePartnerLink {
    library: LibraryId,
    /// The `name` of one of the file's partners.
    partner: String,
    #[serde(default)]
    role: String,
}

/// The district's libraries and services from the verbatim table, the coordinator marked and the
/// partners the table names attached to their services. `None` when the table cannot be read.
fn read_table(
    file: &DemoFile,
    categories: &[Category],
    source: &Source<'_>,
    errors: &mut ImportErrors,
) -> Option<Registry> {
    let district = &file.district;
    // The table's first line is the one after the opening `'''`, where its value starts.
    let first = source.line_of("district.table");
    let parsed = match legacy::parse(&district.table, categories, &LegacyOptions::default()) {
        Ok(t) => t,
        Err(e) => {
            for r in e.0 {
                errors.push(
                    if r.line == 0 { first } else { first + r.line },
                    r.violation,
                );
            }
            return None;
        }
    };
    let rows: HashMap<LibraryId, usize> = parsed
        .libraries
        .iter()
        .map(|l| (l.record.id, first + l.line))
        .collect();
    let row_line = |id: LibraryId| rows.get(&id).copied().unwrap_or(first);
    let mut table = parsed.into_registry();

    let coordinator = district.coordinator_library;
    for l in &mut table.libraries {
        l.coordinator = l.id == coordinator;
    }
    if !table.libraries.iter().any(|l| l.coordinator) {
        let v = Violation::new("", "err-unknown-library").arg("value", coordinator);
        source.push(errors, "district.coordinator_library", v);
    }

    for (i, link) in district.service_partners.iter().enumerate() {
        let path = format!("district.service_partners[{i}]");
        let Some(partner) = file
            .partners
            .iter()
            .find(|p| same_name(&p.name, &link.partner))
        else {
            let v = Violation::new("", "err-unknown-partner").arg("value", link.partner.trim());
            source.push(errors, &format!("{path}.partner"), v);
            continue;
        };
        let mut services = table
            .services
            .iter_mut()
            .filter(|s| s.library == link.library)
            .peekable();
        if services.peek().is_none() {
            let v = Violation::new("", "err-no-service").arg("value", link.library);
            source.push(errors, &format!("{path}.library"), v);
        }
        for s in services {
            // The importer may already have read the partner out of the service's text.
            if !s
                .card
                .partners
                .iter()
                .any(|p| fold_name(&p.name) == fold_name(&partner.name))
            {
                s.card.partners.push(ServicePartner {
                    partner_id: None,
                    name: partner.name.clone(),
                    role: link.role.clone(),
                });
            }
        }
    }

    for (i, l) in table.libraries.iter().enumerate() {
        if let Err(vs) = l.validate() {
            let path = format!("district.table.libraries[{i}]");
            for v in vs.0 {
                errors.push(row_line(l.id), v.under(&path));
            }
        }
    }
    for (i, s) in table.services.iter().enumerate() {
        if let Err(vs) = s.validate() {
            let path = format!("district.table.services[{i}]");
            for v in vs.0 {
                errors.push(row_line(s.library), v.under(&path));
            }
        }
    }
    Some(table)
}

fn check_event(
    file: &DemoFile,
    categories: &[Category],
    source: &Source<'_>,
    errors: &mut ImportErrors,
) {
    let event = &file.event;
    source.push_all(errors, "event", event.validate());
    if let Some(d) = &event.district
        && Gazetteer::get().district(d.as_str()).is_none()
    {
        source.push(
            errors,
            "event.district",
            Violation::new("", "err-unknown-district").arg("value", d),
        );
    }
    if let Some(s) = &event.settlement {
        check_settlement(s, "event.settlement", source, errors);
    }
    for (i, g) in event.working_groups.iter().enumerate() {
        if let Some(c) = &g.category
            && !categories.iter().any(|k| k.code == *c)
        {
            let path = format!("event.working_groups[{i}].category");
            source.push(
                errors,
                &path,
                Violation::new("", "err-unknown-category").arg("value", c),
            );
        }
    }
    // Participants are the people of the file as they were on the day; a name that matches no
    // person is a typo or a person left out, and either breaks the link between the two.
    for (i, p) in event.participants.iter().enumerate() {
        if !file.persons.iter().any(|q| same_name(&q.name, &p.name)) {
            let path = format!("event.participants[{i}].name");
            source.push(
                errors,
                &path,
                Violation::new("", "err-unknown-person").arg("value", p.name.trim()),
            );
        }
    }
    for (i, a) in event.agenda.iter().enumerate() {
        if !a.speaker.trim().is_empty()
            && !event
                .participants
                .iter()
                .any(|p| same_name(&p.name, &a.speaker))
        {
            let path = format!("event.agenda[{i}].speaker");
            source.push(
                errors,
                &path,
                Violation::new("", "err-unknown-person").arg("value", a.speaker.trim()),
            );
        }
    }
}

fn check_partners(file: &DemoFile, source: &Source<'_>, errors: &mut ImportErrors) {
    // The demo fills a new database, whose partner kinds are the defaults.
    let kinds = default_partner_kinds();
    for (i, p) in file.partners.iter().enumerate() {
        let path = format!("partners[{i}]");
        source.push_all(errors, &path, p.validate());
        if !kinds.iter().any(|k| k.code == p.kind) {
            let v = Violation::new("", "err-unknown-partner-kind").arg("value", &p.kind);
            source.push(errors, &format!("{path}.kind"), v);
        }
        if let Some(s) = &p.settlement {
            check_settlement(s, &format!("{path}.settlement"), source, errors);
        }
    }
}

/// `table` is `None` when the table could not be read: links into it are then not checked, so
/// that one broken row does not drown in errors about every person of that library.
fn check_persons(
    file: &DemoFile,
    table: Option<&Registry>,
    source: &Source<'_>,
    errors: &mut ImportErrors,
) {
    for (i, p) in file.persons.iter().enumerate() {
        let path = format!("persons[{i}]");
        source.push_all(errors, &path, p.validate());
        if let (Some(id), Some(table)) = (p.library, table)
            && !table.libraries.iter().any(|l| l.id == id)
        {
            let v = Violation::new("", "err-unknown-library").arg("value", id);
            source.push(errors, &format!("{path}.library"), v);
        }
    }
}

fn check_settlement(ekatte: &Ekatte, path: &str, source: &Source<'_>, errors: &mut ImportErrors) {
    if Gazetteer::get().settlement(ekatte.as_str()).is_none() {
        source.push(
            errors,
            path,
            Violation::new("", "err-unknown-settlement").arg("value", ekatte),
        );
    }
}

/// Names are compared as people type them: spaces around and between words do not count.
fn same_name(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The text of the file and its syntax tree with the byte span of every key and value, to turn
/// a TOML path into the line a person finds it on.
struct Source<'a> {
    text: &'a str,
    root: Spanned<DeTable<'a>>,
}

impl<'a> Source<'a> {
    fn parse(text: &'a str) -> Result<Self, ImportErrors> {
        match DeTable::parse(text) {
            Ok(root) => Ok(Self { text, root }),
            Err(e) => {
                let mut errors = ImportErrors::default();
                errors.push(Self::line_in(text, e.span()), toml_violation(&e));
                Err(errors)
            }
        }
    }

    fn line_in(text: &str, span: Option<std::ops::Range<usize>>) -> usize {
        span.map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        })
    }

    fn line_at(&self, offset: usize) -> usize {
        Self::line_in(self.text, Some(offset..offset))
    }

    fn toml_error(&self, e: &toml::de::Error) -> ImportErrors {
        let mut errors = ImportErrors::default();
        errors.push(Self::line_in(self.text, e.span()), toml_violation(e));
        errors
    }

    /// The line of the deepest part of `path` (`event.agenda[3].speaker`) the file has: a missing
    /// key points at the table that should hold it.
    fn line_of(&self, path: &str) -> usize {
        let mut span = self.root.span();
        let mut table = Some(self.root.get_ref());
        for segment in path.split('.') {
            let (key, indices) = split_indices(segment);
            let Some(found) = table.and_then(|t| t.get(key)) else {
                break;
            };
            span = found.span();
            let mut node = found.get_ref();
            for i in indices {
                let Some(item) = node.as_array().and_then(|a| a.get(i)) else {
                    return self.line_at(span.start);
                };
                span = item.span();
                node = item.get_ref();
            }
            table = node.as_table();
        }
        self.line_at(span.start)
    }

    /// Records `violation` (whose field is relative to `path`) at `path` and its line.
    fn push(&self, errors: &mut ImportErrors, path: &str, violation: Violation) {
        let violation = violation.under(path);
        errors.push(self.line_of(&violation.field), violation);
    }

    fn push_all(
        &self,
        errors: &mut ImportErrors,
        path: &str,
        result: Result<(), lipa_core::Violations>,
    ) {
        if let Err(vs) = result {
            for v in vs.0 {
                self.push(errors, path, v);
            }
        }
    }

    /// Serde skips keys a record does not know, and a misspelt `target_group` would silently lose
    /// its data. The records are written back and every key of the file must come back: one
    /// that does not, and holds anything, was not read.
    fn check_keys(&self, file: &DemoFile, errors: &mut ImportErrors) {
        match toml::Value::try_from(file) {
            Ok(toml::Value::Table(read)) => {
                self.compare_table(self.root.get_ref(), &read, "", errors)
            }
            // Records always serialise to a table; were that to break, the check would be blind.
            Ok(_) | Err(_) => {
                errors.push(0, Violation::new("", "err-toml").arg("reason", "serialise"))
            }
        }
    }

    fn compare_table(
        &self,
        file: &DeTable<'a>,
        read: &toml::Table,
        path: &str,
        errors: &mut ImportErrors,
    ) {
        for (key, value) in file.iter() {
            let key = key.get_ref().as_ref();
            let here = if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            };
            match read.get(key) {
                Some(back) => self.compare_value(value.get_ref(), back, &here, errors),
                None if is_empty(value.get_ref()) => {}
                None => errors.push(
                    self.line_at(value.span().start),
                    Violation::new(here, "err-unknown-key").arg("value", key),
                ),
            }
        }
    }

    fn compare_value(
        &self,
        file: &DeValue<'a>,
        read: &toml::Value,
        path: &str,
        errors: &mut ImportErrors,
    ) {
        match (file, read) {
            (DeValue::Table(t), toml::Value::Table(r)) => self.compare_table(t, r, path, errors),
            (DeValue::Array(a), toml::Value::Array(r)) => {
                for (i, (item, back)) in a.iter().zip(r).enumerate() {
                    self.compare_value(item.get_ref(), back, &format!("{path}[{i}]"), errors);
                }
            }
            _ => {}
        }
    }
}

/// `participants[3]` → (`participants`, [3]).
fn split_indices(segment: &str) -> (&str, Vec<usize>) {
    let key_end = segment.find('[').unwrap_or(segment.len());
    let indices = segment[key_end..]
        .split(['[', ']'])
        .filter_map(|s| s.parse().ok())
        .collect();
    (&segment[..key_end], indices)
}

/// A key whose value is empty holds nothing to lose, and records do not write empty fields back.
fn is_empty(value: &DeValue<'_>) -> bool {
    match value {
        DeValue::String(s) => s.trim().is_empty(),
        DeValue::Array(a) => a.iter().all(|v| is_empty(v.get_ref())),
        DeValue::Table(t) => t.values().all(|v| is_empty(v.get_ref())),
        _ => false,
    }
}

fn toml_violation(e: &toml::de::Error) -> Violation {
    Violation::new("", "err-toml").arg("reason", e.message().trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lipa_core::event::ParticipantRole;
    use lipa_core::ids::CategoryCode;

    fn demo() -> Registry {
        load().unwrap_or_else(|e| panic!("the demo must load:\n{e}"))
    }

    fn event() -> Event {
        demo().events.remove(0)
    }

    #[test]
    fn the_meeting_has_its_dates_place_and_venue() {
        let e = event();
        assert_eq!(e.title, "Библиотеката и нейните партньори");
        assert_eq!(e.starts, jiff::civil::date(2012, 6, 6));
        assert_eq!(e.ends, jiff::civil::date(2012, 6, 7));
        assert_eq!(e.district.as_ref().map(|d| d.as_str()), Some("KNL"));
        let settlement = e.settlement.as_ref().expect("a settlement");
        assert_eq!(
            Gazetteer::get()
                .settlement(settlement.as_str())
                .unwrap()
                .name_bg,
            "Кюстендил"
        );
        assert_eq!(e.venue, "синята зала на НЧ „Братство“");
        assert_eq!(e.reported_participants, Some(40));
        assert!(e.published);
        assert_eq!(e.group_method.lines().count(), 8);
        assert!(e.purpose.contains("партньорството"));
    }

    #[test]
    fn everyone_named_takes_part_with_their_role() {
        let e = event();
        assert!(e.participants.len() >= 14, "{}", e.participants.len());
        let role = |name: &str| {
            e.participants
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.role)
        };
        assert_eq!(role("Радослава Чеканска"), Some(ParticipantRole::Guest));
        assert_eq!(role("Росица Плачкова"), Some(ParticipantRole::Guest));
        assert_eq!(role("София Пейчева"), Some(ParticipantRole::Organiser));
        assert_eq!(role("Красимира Кънева"), Some(ParticipantRole::Organiser));
        assert_eq!(role("Диана Андреева"), Some(ParticipantRole::Facilitator));
        assert_eq!(role("Елена Андонова"), Some(ParticipantRole::Speaker));
        // One teacher, spelt two ways by the seed, is one participant.
        assert_eq!(role("Жасмина Мицева"), Some(ParticipantRole::Speaker));
        assert_eq!(role("Жасмина Мицова"), None);
        assert_eq!(e.participant_count(), 40);
    }

    #[test]
    fn the_agenda_follows_the_report() {
        let e = event();
        let speakers: Vec<_> = e.agenda.iter().map(|a| a.speaker.as_str()).collect();
        assert_eq!(
            speakers,
            [
                "София Пейчева",
                "Радослава Чеканска",
                "Росица Плачкова",
                "Красимира Кънева",
                "Слава Соколова",
                "Любомира Велинова",
                "Елена Андонова",
                "Диана Минева",
                "Галя Симеонова",
                "Йорданка Нешова",
                "Величка Димитрова",
                "Ваня Ризова",
                "Жасмина Мицева",
                "Аделина Исакиева",
            ]
        );
        assert_eq!(
            e.agenda[3].topic,
            "Програма „Глоб@лни библиотеки - България“ в подкрепа на партньорството за иновативни услуги"
        );
        assert!(e.agenda[6].topic.contains("„Информирани и здрави“"));
        assert_eq!(
            e.agenda[9].organisation,
            "НЧ „Просветен лъч“ – гр. Сапарева баня"
        );
        assert!(
            e.agenda.iter().all(|a| a.time.is_none()),
            "the seed gives no times"
        );
        assert_eq!(e.agenda[0].day, Some(jiff::civil::date(2012, 6, 6)));
    }

    #[test]
    fn five_working_groups_as_the_seed_gives_them() {
        let e = event();
        let categories: Vec<_> = e
            .working_groups
            .iter()
            .map(|g| g.category.as_ref().map(CategoryCode::as_str))
            .collect();
        assert_eq!(
            categories,
            [
                "e-education",
                "e-inclusion",
                "e-business",
                "e-culture",
                "e-inclusion"
            ]
            .map(Some)
        );
        let names: Vec<_> = e.working_groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            ["Група 1", "Група 2", "Група 3", "Група 4", "Група 5"]
        );
        let targets: Vec<_> = e
            .working_groups
            .iter()
            .map(|g| g.card.target_groups.join("; "))
            .collect();
        assert_eq!(
            targets,
            [
                "ученици",
                "възрастни с увреждания от дом за хора с увреждания",
                "начинаещи овощари",
                "млади семейства с деца",
                "ученици от ромски произход",
            ]
        );
        assert_eq!(e.working_groups[2].card.name, "Обучение на млади овощари");
    }

    #[test]
    fn partners_and_persons() {
        let r = demo();
        let kind = |short: &str| {
            r.partners
                .iter()
                .find(|p| p.short_name == short)
                .map(|p| p.kind.as_str().to_owned())
        };
        assert_eq!(kind("РЗИ").as_deref(), Some("health-inspectorate"));
        assert_eq!(kind("ОИЦ").as_deref(), Some("information-centre"));
        assert!(
            r.partners
                .iter()
                .any(|p| p.kind.as_str() == "resource-centre")
        );
        assert!(r.partners.iter().any(|p| p.kind.as_str() == "social-home"));
        assert_eq!(r.persons.len(), r.events[0].participants.len());
        assert!(
            r.persons.iter().all(|p| p.contacts.is_empty()),
            "the seed gives no contacts"
        );
    }

    #[test]
    fn the_table_is_copied_verbatim_from_the_seed() {
        const SEED: &str = include_str!("../../../tests/fixtures/kyustendil-2012.txt");
        let file: DemoFile = toml::from_str(DEMO_TOML).unwrap();
        // Trimmed, so that an editor that strips trailing (no-break) spaces breaks nothing.
        let table: Vec<&str> = file.district.table.lines().map(str::trim).collect();
        let seed: Vec<&str> = SEED.lines().map(str::trim).collect();
        assert_eq!(
            table.len(),
            1 + 1 + 1 + 18,
            "heading, blank line, header and 18 rows"
        );
        assert!(table[0].starts_with("Иновативни услуги, които целевите библиотеки"));
        assert!(
            seed.windows(table.len()).any(|w| w == table.as_slice()),
            "the table in the demo file differs from the seed's"
        );
    }

    #[test]
    fn every_message_of_this_module_is_translated() {
        for code in [
            "err-toml",
            "err-unknown-key",
            "err-unknown-district",
            "err-unknown-partner-kind",
            "err-unknown-person",
            "err-unknown-partner",
            "err-no-service",
        ] {
            for lang in lipa_core::Lang::ALL {
                // `has_key` cannot tell: it formats without arguments, which fails for these.
                let text = lipa_core::i18n::tr(lang, code, &[("value", "X-1"), ("reason", "X-1")]);
                assert!(
                    text != code && text.contains("X-1"),
                    "{code} in {lang:?}: {text}"
                );
            }
        }
    }

    #[test]
    fn the_table_gives_the_districts_libraries_and_services() {
        let r = demo();
        assert_eq!(r.libraries.len(), 18);
        assert_eq!(r.services.len(), 15);
        let coordinators: Vec<u32> = r
            .libraries
            .iter()
            .filter(|l| l.coordinator)
            .map(|l| l.id.get())
            .collect();
        assert_eq!(coordinators, [705]);
        // Coverage: the three libraries of the seed with no service yet.
        let mut without: Vec<u32> = r
            .libraries
            .iter()
            .filter(|l| !r.services.iter().any(|s| s.library == l.id))
            .map(|l| l.id.get())
            .collect();
        without.sort_unstable();
        assert_eq!(without, [732, 764, 3069]);
        let rc = r.services.iter().find(|s| s.library.get() == 705).unwrap();
        assert_eq!(rc.category.as_str(), "e-education");
        assert!(rc.card.partners.iter().any(|p| p.name == "Ресурсен център"));
        // Every person linked to a library is linked to one of the table's.
        for p in &r.persons {
            if let Some(id) = p.library {
                assert!(r.libraries.iter().any(|l| l.id == id), "{}", p.name);
            }
        }
    }

    #[test]
    fn errors_in_the_table_point_into_the_toml_file() {
        let e = broken("705 РБ ЕМАНУИЛ ПОПДИМИТРОВ", "70x РБ ЕМАНУИЛ ПОПДИМИТРОВ");
        assert!(!e.is_empty());
        let row = line_of("705 РБ ЕМАНУИЛ ПОПДИМИТРОВ");
        assert!(e.0.iter().any(|r| r.line == row), "{e:?}");

        let e = broken("coordinator_library = 705", "coordinator_library = 706");
        assert_eq!(e.0[0].violation.field, "district.coordinator_library");
        assert_eq!(e.0[0].violation.code, "err-unknown-library");
        assert_eq!(e.0[0].line, line_of("coordinator_library = 705"));

        let e = broken(
            "partner = \"Ресурсен център\"",
            "partner = \"Ресурсен центр\"",
        );
        assert_eq!(
            e.0[0].violation.field,
            "district.service_partners[0].partner"
        );
        assert_eq!(e.0[0].violation.code, "err-unknown-partner");
    }

    /// A broken copy of the demo, with one line replaced.
    fn broken(from: &str, to: &str) -> ImportErrors {
        assert!(DEMO_TOML.contains(from), "{from}");
        load_from(&DEMO_TOML.replacen(from, to, 1), &default_categories()).expect_err("must fail")
    }

    fn line_of(needle: &str) -> usize {
        DEMO_TOML.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn errors_name_the_toml_path_and_line() {
        let e = broken("name = \"Група 3\"", "name = \"  \"");
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].violation.field, "event.working_groups[2].name");
        assert_eq!(e.0[0].violation.code, "err-required");
        assert_eq!(e.0[0].line, line_of("name = \"Група 1\"") + 16);

        let e = broken("category = \"e-culture\"", "category = \"e-sport\"");
        assert_eq!(e.0[0].violation.field, "event.working_groups[3].category");
        assert_eq!(e.0[0].violation.code, "err-unknown-category");
        assert_eq!(e.0[0].line, line_of("category = \"e-culture\""));

        let e = broken("kind = \"social-home\"", "kind = \"orphanage\"");
        assert_eq!(e.0[0].violation.field, "partners[10].kind");
        assert_eq!(e.0[0].violation.code, "err-unknown-partner-kind");
    }

    #[test]
    fn a_misspelt_key_is_an_error_not_lost_data() {
        let e = broken(
            "target_groups = [\"начинаещи овощари\"]",
            "target_group = [\"начинаещи овощари\"]",
        );
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(
            e.0[0].violation.field,
            "event.working_groups[2].card.target_group"
        );
        assert_eq!(e.0[0].violation.code, "err-unknown-key");
        assert_eq!(
            e.0[0].line,
            line_of("target_groups = [\"начинаещи овощари\"]")
        );
    }

    #[test]
    fn names_must_agree_between_agenda_participants_and_persons() {
        let e = broken("speaker = \"Галя Симеонова\"", "speaker = \"Галя Симеон\"");
        assert_eq!(e.0[0].violation.field, "event.agenda[8].speaker");
        assert_eq!(e.0[0].violation.code, "err-unknown-person");
        let e = broken("name = \"Аделина Исакиева\"", "name = \"Аделина Исакиев\"");
        assert_eq!(e.0[0].violation.field, "event.participants[14].name");
    }

    #[test]
    fn bad_toml_and_bad_values_are_reported_with_their_line() {
        let e = broken("published = true", "published = да");
        assert_eq!(e.0[0].violation.code, "err-toml");
        assert_eq!(e.0[0].line, line_of("published = true"));
        let e = broken("ends = \"2012-06-07\"", "ends = \"2012-06-31\"");
        assert_eq!(e.0[0].violation.code, "err-toml");
        assert_eq!(e.0[0].line, line_of("ends = \"2012-06-07\""));
        let e = broken("ends = \"2012-06-07\"", "ends = \"2012-06-05\"");
        assert_eq!(e.0[0].violation.field, "event.ends");
        assert!(
            e.0.iter()
                .any(|r| r.violation.field == "event.agenda[0].day"),
            "{e}"
        );
    }
}
