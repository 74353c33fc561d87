//! What an import will change: the incoming records compared with what the store holds, record
//! by record, and the [`ChangeSet`] that writes exactly the new and changed ones.
//!
//! This module owns the matching and merging rules of every import. It does not read the store
//! (the caller passes in the stored records that may match) and it writes nothing.
//!
//! # Matching
//! - A library matches the stored library with the same programme ID.
//! - A service matches a stored service of the same library, year and category whose card name
//!   folds ([`fold_name`]) to the same key. Failing that, when exactly one stored service of that
//!   library, year and category is left unmatched and exactly one incoming service of that key is
//!   left too, the two match: a corrected text is a change, not a new service. When several
//!   incoming services compete for one stored service, none takes it — which of them is the
//!   correction is not something to guess — and they are all new.
//! - Activity-log entries go with their service ([`plan_activities`]): an entry a matched
//!   service's log holds already is unchanged; any other is new.
//! - Partners, persons and events are passed on as new records ([`ChangeSet::new_partners`] …);
//!   matching them with stored ones is out of scope here.
//!
//! # Merging: an import adds and corrects, it never erases
//! Stored records not mentioned are left alone, and neither is anything erased from a matched
//! record: an incoming field that is empty keeps the stored value. This is what lets a legacy
//! table — which carries a library's name, kind, chitalishte and settlement, and a service's
//! name, category and target group — update a record without wiping its contacts, coordinator
//! flag, card steps, volunteers and results. In detail:
//! - library: name, kind, chitalishte and settlement are replaced; `coordinator` is set, never
//!   cleared; each contact field is replaced only by a non-empty value;
//! - service: the card's name is replaced; target groups, partners, activities, budget,
//!   volunteers and results are replaced only by a non-empty list; goal, media and each expected
//!   result only by non-empty text; `volunteer_supported` is set, never cleared; the status only
//!   moves forward (draft → planned → active → completed or dropped), so a table that says
//!   "planned" leaves an active service active.
//!
//! Clearing a field is an edit, made in the service or library form, not an import.

use crate::Registry;
use lipa_core::activity_log::ActivityEntry;
use lipa_core::changes::{ChangeSet, ServiceRef};
use lipa_core::ids::{CategoryCode, LibraryId, ServiceId, Year};
use lipa_core::library::{Contacts, Library};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::text::fold_name;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What happens to one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", content = "fields", rename_all = "lowercase")]
pub enum Change {
    New,
    /// The fields that change, as the records name them (`name`, `target_groups`, `contacts` …).
    Changed(Vec<String>),
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryChange {
    pub id: LibraryId,
    pub name: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceChange {
    pub library: LibraryId,
    /// The card's name, as it will be.
    pub name: String,
    /// The stored service it matches.
    pub existing_id: Option<ServiceId>,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// One entry per incoming library, in the order of the input.
    pub libraries: Vec<LibraryChange>,
    /// One entry per incoming service, in the order of the input.
    pub services: Vec<ServiceChange>,
    /// The new and changed records only; empty when the import changes nothing.
    pub changes: ChangeSet,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PreviewCounts {
    pub libraries_new: usize,
    pub libraries_changed: usize,
    pub libraries_unchanged: usize,
    pub services_new: usize,
    pub services_changed: usize,
    pub services_unchanged: usize,
}

impl Preview {
    pub fn counts(&self) -> PreviewCounts {
        let mut c = PreviewCounts::default();
        for l in &self.libraries {
            match l.change {
                Change::New => c.libraries_new += 1,
                Change::Changed(_) => c.libraries_changed += 1,
                Change::Unchanged => c.libraries_unchanged += 1,
            }
        }
        for s in &self.services {
            match s.change {
                Change::New => c.services_new += 1,
                Change::Changed(_) => c.services_changed += 1,
                Change::Unchanged => c.services_unchanged += 1,
            }
        }
        c
    }
}

/// Compares `incoming` with the stored records that may match it (the libraries with the
/// incoming IDs and their services) and plans the writes. See the module documentation for the
/// rules.
pub fn plan(
    incoming: &Registry,
    existing_libraries: &[Library],
    existing_services: &[(ServiceId, Service)],
) -> Preview {
    let mut changes = ChangeSet::default();

    let stored: HashMap<LibraryId, &Library> =
        existing_libraries.iter().map(|l| (l.id, l)).collect();
    let mut seen = HashSet::new();
    let mut libraries = Vec::new();
    // A library given twice counts once: the importers refuse duplicates, so a second copy is
    // a caller's slip, not a second record.
    for lib in incoming.libraries.iter().filter(|l| seen.insert(l.id)) {
        let change = match stored.get(&lib.id) {
            None => {
                changes.libraries.push(lib.clone());
                Change::New
            }
            Some(old) => {
                let merged = merge_library(lib, old);
                let fields = library_diff(&merged, old);
                if fields.is_empty() {
                    Change::Unchanged
                } else {
                    changes.libraries.push(merged);
                    Change::Changed(fields)
                }
            }
        };
        libraries.push(LibraryChange {
            id: lib.id,
            name: lib.name.clone(),
            change,
        });
    }

    let matches = match_services(&incoming.services, existing_services);
    let mut services = Vec::new();
    for (svc, matched) in incoming.services.iter().zip(matches) {
        let (existing_id, change, name) = match matched {
            None => {
                changes.new_services.push(svc.clone());
                (None, Change::New, svc.card.name.clone())
            }
            Some(j) => {
                let (id, old) = &existing_services[j];
                let merged = merge_service(svc, old);
                let fields = service_diff(&merged, old);
                let name = merged.card.name.clone();
                if fields.is_empty() {
                    (Some(*id), Change::Unchanged, name)
                } else {
                    changes.updated_services.push((*id, merged));
                    (Some(*id), Change::Changed(fields), name)
                }
            }
        };
        services.push(ServiceChange {
            library: svc.library,
            name,
            existing_id,
            change,
        });
    }

    changes.new_partners = incoming.partners.clone();
    changes.new_persons = incoming.persons.clone();
    changes.new_events = incoming.events.clone();

    Preview {
        libraries,
        services,
        changes,
    }
}

/// The entries of the incoming activity logs to write, each for the service its incoming
/// service became: a stored one (matched) or a new one. An import adds and never erases here
/// too: an entry that a matched service's log holds already (every field the same) is left
/// alone, and stored entries the file does not mention stay. `stored` is the logs of the
/// matched services. The entries of new services carry a placeholder service (the store sets
/// it).
pub fn plan_activities(
    incoming: &Registry,
    preview: &Preview,
    stored: &[ActivityEntry],
) -> Vec<(ServiceRef, ActivityEntry)> {
    let mut refs = Vec::with_capacity(preview.services.len());
    let mut next_new = 0;
    for s in &preview.services {
        match s.existing_id {
            Some(id) => refs.push(ServiceRef::Stored(id)),
            None => {
                refs.push(ServiceRef::New(next_new));
                next_new += 1;
            }
        }
    }
    // Each stored entry stands for one incoming entry at most: a file that logs the same
    // thing twice means it twice.
    let mut left: Vec<&ActivityEntry> = stored.iter().collect();
    let mut out = Vec::new();
    for a in &incoming.activities {
        // The readers refuse an entry whose service is not in the file.
        let Some(&service) = refs.get(a.service) else {
            continue;
        };
        match service {
            ServiceRef::Stored(id) => {
                let entry = a.entry(id);
                if let Some(k) = left.iter().position(|s| **s == entry) {
                    left.swap_remove(k);
                } else {
                    out.push((service, entry));
                }
            }
            ServiceRef::New(_) => out.push((service, a.entry(ServiceId::new(0)))),
        }
    }
    out
}

type ServiceKey = (LibraryId, Year, CategoryCode);

fn key(s: &Service) -> ServiceKey {
    (s.library, s.year, s.category.clone())
}

/// For each incoming service, the index of the stored service it matches.
fn match_services(incoming: &[Service], existing: &[(ServiceId, Service)]) -> Vec<Option<usize>> {
    let mut by_key: HashMap<ServiceKey, Vec<usize>> = HashMap::new();
    for (j, (_, s)) in existing.iter().enumerate() {
        by_key.entry(key(s)).or_default().push(j);
    }
    let mut taken = vec![false; existing.len()];
    let mut matched: Vec<Option<usize>> = vec![None; incoming.len()];

    // Same name first.
    for (i, s) in incoming.iter().enumerate() {
        let name = fold_name(&s.card.name);
        let found = by_key
            .get(&key(s))
            .into_iter()
            .flatten()
            .copied()
            .find(|&j| !taken[j] && fold_name(&existing[j].1.card.name) == name);
        if let Some(j) = found {
            taken[j] = true;
            matched[i] = Some(j);
        }
    }

    // Then one left on each side of a key: a corrected text.
    let mut left_incoming: HashMap<ServiceKey, Vec<usize>> = HashMap::new();
    for (i, s) in incoming.iter().enumerate() {
        if matched[i].is_none() {
            left_incoming.entry(key(s)).or_default().push(i);
        }
    }
    for (k, is) in left_incoming {
        let left_existing: Vec<usize> = by_key
            .get(&k)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&j| !taken[j])
            .collect();
        if let ([i], [j]) = (&is[..], &left_existing[..]) {
            taken[*j] = true;
            matched[*i] = Some(*j);
        }
    }
    matched
}

fn keep_text(incoming: &str, stored: &str) -> String {
    if incoming.trim().is_empty() {
        stored
    } else {
        incoming
    }
    .to_owned()
}

fn keep_list<T: Clone>(incoming: &[T], stored: &[T]) -> Vec<T> {
    if incoming.is_empty() {
        stored
    } else {
        incoming
    }
    .to_vec()
}

fn merge_library(incoming: &Library, stored: &Library) -> Library {
    let (i, s) = (&incoming.contacts, &stored.contacts);
    Library {
        coordinator: incoming.coordinator || stored.coordinator,
        contacts: Contacts {
            address: keep_text(&i.address, &s.address),
            phone: keep_text(&i.phone, &s.phone),
            email: keep_text(&i.email, &s.email),
            website: keep_text(&i.website, &s.website),
        },
        ..incoming.clone()
    }
}

fn library_diff(a: &Library, b: &Library) -> Vec<String> {
    let mut fields = Vec::new();
    let mut check = |changed: bool, name: &str| {
        if changed {
            fields.push(name.to_owned());
        }
    };
    check(a.name != b.name, "name");
    check(a.kind != b.kind, "kind");
    check(a.chitalishte != b.chitalishte, "chitalishte");
    check(a.settlement != b.settlement, "settlement");
    check(a.coordinator != b.coordinator, "coordinator");
    check(a.contacts != b.contacts, "contacts");
    fields
}

/// Draft 0, planned 1, active 2, completed and dropped 3: an import only moves a status forward.
fn stage(s: ServiceStatus) -> u8 {
    match s {
        ServiceStatus::Draft => 0,
        ServiceStatus::Planned => 1,
        ServiceStatus::Active => 2,
        ServiceStatus::Completed | ServiceStatus::Dropped => 3,
    }
}

fn merge_service(incoming: &Service, stored: &Service) -> Service {
    let (i, s) = (&incoming.card, &stored.card);
    Service {
        library: stored.library,
        year: stored.year,
        category: stored.category.clone(),
        status: if stage(incoming.status) > stage(stored.status) {
            incoming.status
        } else {
            stored.status
        },
        volunteer_supported: incoming.volunteer_supported || stored.volunteer_supported,
        volunteers: keep_list(&incoming.volunteers, &stored.volunteers),
        card: ServiceCard {
            name: keep_text(&i.name, &s.name),
            goal: keep_text(&i.goal, &s.goal),
            target_groups: keep_list(&i.target_groups, &s.target_groups),
            partners: keep_list(&i.partners, &s.partners),
            activities: keep_list(&i.activities, &s.activities),
            budget: keep_list(&i.budget, &s.budget),
            media: keep_text(&i.media, &s.media),
            expected: lipa_core::service::ExpectedResults {
                social: keep_text(&i.expected.social, &s.expected.social),
                economic: keep_text(&i.expected.economic, &s.expected.economic),
                community: keep_text(&i.expected.community, &s.expected.community),
            },
        },
        results: keep_list(&incoming.results, &stored.results),
    }
}

fn service_diff(a: &Service, b: &Service) -> Vec<String> {
    let mut fields = Vec::new();
    let mut check = |changed: bool, name: &str| {
        if changed {
            fields.push(name.to_owned());
        }
    };
    check(a.card.name != b.card.name, "name");
    check(a.card.goal != b.card.goal, "goal");
    check(
        a.card.target_groups != b.card.target_groups,
        "target_groups",
    );
    check(a.card.partners != b.card.partners, "partners");
    check(a.card.activities != b.card.activities, "activities");
    check(a.card.budget != b.card.budget, "budget");
    check(a.card.media != b.card.media, "media");
    check(a.card.expected != b.card.expected, "expected");
    check(a.status != b.status, "status");
    check(
        a.volunteer_supported != b.volunteer_supported,
        "volunteer_supported",
    );
    check(a.volunteers != b.volunteers, "volunteers");
    check(a.results != b.results, "results");
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::legacy::{LegacyOptions, parse};
    use lipa_core::service::{Activity, Volunteer};
    use lipa_core::taxonomy::default_categories;

    fn seed() -> Registry {
        let text = include_str!("../../../tests/fixtures/kyustendil-2012.txt");
        parse(text, &default_categories(), &LegacyOptions::default())
            .expect("the seed parses")
            .into_registry()
    }

    /// The store after writing `changes` into an empty database.
    fn stored(r: &Registry) -> (Vec<Library>, Vec<(ServiceId, Service)>) {
        let services = r
            .services
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, s)| (ServiceId::new(i as i64 + 1), s));
        (r.libraries.clone(), services.collect())
    }

    #[test]
    fn seed_into_an_empty_store_is_all_new() {
        let r = seed();
        let p = plan(&r, &[], &[]);
        let c = p.counts();
        assert_eq!(
            (c.libraries_new, c.libraries_changed, c.libraries_unchanged),
            (18, 0, 0)
        );
        assert_eq!(
            (c.services_new, c.services_changed, c.services_unchanged),
            (15, 0, 0)
        );
        assert_eq!(p.changes.libraries.len(), 18);
        assert_eq!(p.changes.new_services.len(), 15);
        assert!(p.changes.updated_services.is_empty());
        assert_eq!(p.changes.len(), 33);
    }

    #[test]
    fn the_same_again_changes_nothing() {
        let r = seed();
        let (libs, svcs) = stored(&r);
        let p = plan(&r, &libs, &svcs);
        let c = p.counts();
        assert_eq!((c.libraries_unchanged, c.services_unchanged), (18, 15));
        assert!(p.changes.is_empty());
        assert!(p.services.iter().all(|s| s.existing_id.is_some()));
    }

    #[test]
    fn a_changed_target_group_is_one_changed_service() {
        let r = seed();
        let (libs, svcs) = stored(&r);
        let mut changed = r.clone();
        let i = changed
            .services
            .iter()
            .position(|s| s.library.get() == 705)
            .unwrap();
        changed.services[i].card.target_groups = vec!["Ученици с двигателни увреждания".into()];
        let p = plan(&changed, &libs, &svcs);
        let c = p.counts();
        assert_eq!(
            (c.services_changed, c.services_unchanged, c.services_new),
            (1, 14, 0)
        );
        assert_eq!(
            p.services[i].change,
            Change::Changed(vec!["target_groups".into()])
        );
        assert_eq!(p.changes.updated_services.len(), 1);
        assert_eq!(p.changes.updated_services[0].0, svcs[i].0);
        assert_eq!(p.changes.len(), 1);
    }

    #[test]
    fn a_corrected_name_matches_the_one_service_of_its_kind() {
        let r = seed();
        let (libs, svcs) = stored(&r);
        let mut changed = r.clone();
        let i = changed
            .services
            .iter()
            .position(|s| s.library.get() == 759)
            .unwrap();
        changed.services[i].card.name =
            "Популяризиране на местните забележителности в социалната мрежа".into();
        let p = plan(&changed, &libs, &svcs);
        assert_eq!(p.services[i].change, Change::Changed(vec!["name".into()]));
        assert_eq!(p.services[i].existing_id, Some(svcs[i].0));
        // The same name with other quotes and spacing is the same service.
        let mut requoted = r.clone();
        let j = requoted
            .services
            .iter()
            .position(|s| s.library.get() == 734)
            .unwrap();
        requoted.services[j].card.name = requoted.services[j].card.name.replace('„', "\"");
        let p = plan(&requoted, &libs, &svcs);
        assert_eq!(p.services[j].existing_id, Some(svcs[j].0));
        assert_eq!(p.services[j].change, Change::Changed(vec!["name".into()]));
    }

    #[test]
    fn a_second_service_of_a_kind_is_new_and_nothing_is_deleted() {
        let r = seed();
        let (libs, svcs) = stored(&r);
        let mut more = Registry::default();
        let mut extra = r.services[0].clone();
        extra.card.name = "Съвсем друга услуга".into();
        more.services = vec![r.services[0].clone(), extra];
        let p = plan(&more, &libs, &svcs);
        assert_eq!(p.services[0].change, Change::Unchanged);
        assert_eq!(p.services[1].change, Change::New);
        assert_eq!(p.changes.len(), 1);

        // Two new texts compete for one stored service: neither is guessed to be the correction.
        let mut two = Registry::default();
        let (mut a, mut b) = (r.services[0].clone(), r.services[0].clone());
        a.card.name = "Първа".into();
        b.card.name = "Втора".into();
        two.services = vec![a, b];
        let p = plan(&two, &libs, &svcs);
        assert_eq!(p.counts().services_new, 2);
    }

    #[test]
    fn a_table_keeps_what_it_does_not_carry() {
        let r = seed();
        let (mut libs, mut svcs) = stored(&r);
        let l = libs.iter_mut().find(|l| l.id.get() == 705).unwrap();
        l.coordinator = true;
        l.contacts.email = "rb@example.org".into();
        let (_, s) = svcs
            .iter_mut()
            .find(|(_, s)| s.library.get() == 705)
            .unwrap();
        s.status = ServiceStatus::Active;
        s.card.goal = "Достъп до образование".into();
        s.card.activities = vec![Activity {
            title: "Среща".into(),
            starts: None,
            ends: None,
        }];
        s.volunteers = vec![Volunteer {
            name: "Мария".into(),
            role: String::new(),
        }];
        let p = plan(&r, &libs, &svcs);
        assert!(p.changes.is_empty(), "{:?}", p.changes);

        // A changed name updates the library and keeps its contacts and coordinator flag.
        let mut renamed = r.clone();
        let i = renamed
            .libraries
            .iter()
            .position(|l| l.id.get() == 705)
            .unwrap();
        renamed.libraries[i].name = "Регионална библиотека „Е. Попдимитров“".into();
        let p = plan(&renamed, &libs, &svcs);
        assert_eq!(p.libraries[i].change, Change::Changed(vec!["name".into()]));
        let written = &p.changes.libraries[0];
        assert!(written.coordinator);
        assert_eq!(written.contacts.email, "rb@example.org");

        // A service's status only moves forward.
        let mut done = r.clone();
        let j = done
            .services
            .iter()
            .position(|s| s.library.get() == 705)
            .unwrap();
        done.services[j].status = ServiceStatus::Completed;
        let p = plan(&done, &libs, &svcs);
        assert_eq!(p.services[j].change, Change::Changed(vec!["status".into()]));
        let (_, written) = &p.changes.updated_services[0];
        assert_eq!(written.card.goal, "Достъп до образование");
        assert_eq!(written.volunteers.len(), 1);
    }

    #[test]
    fn partners_persons_and_events_are_passed_on() {
        let mut r = Registry::default();
        r.partners.push(lipa_core::partner::Partner {
            name: "Областен информационен център".into(),
            short_name: "ОИЦ - Кюстендил".into(),
            kind: CategoryCode::parse("information-centre").unwrap(),
            settlement: None,
            website: String::new(),
            description: String::new(),
        });
        let p = plan(&r, &[], &[]);
        assert_eq!(p.changes.new_partners.len(), 1);
        assert!(p.libraries.is_empty() && p.services.is_empty());
    }
}
