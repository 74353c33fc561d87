//! Persons: the people of the registry (librarians, partners' staff, speakers), their writes,
//! the API's keyset-paged list, and what data protection asks of the store: a person's dossier
//! for a subject-access request, and the erasure of their personal data (GDPR art. 17)
//! everywhere the store keeps it — the record, the events that name them, and the earlier audit
//! entries of both.
//!
//! Erasure is the one write that does not record a before/after: recording the values it removes
//! would keep them. It records an `erase` entry (who, when, which record) instead, in the same
//! transaction as the change. An event "names" a person by their ID in a participant or agenda
//! line, or through the participant links `events.rs` keeps; an ID is compared as a number,
//! never as a piece of text (person 5 is not person 50).

use crate::audit::{AuditSearch, record_audit};
use crate::events::after_event_write;
use crate::record::{DraftScope, Entity, Keyset, KeysetPage, Versioned, get, key, list, overwrite};
use crate::sql::{Col, Where};
use crate::{Result, Store, StoreError};
use lipa_core::Violations;
use lipa_core::audit::{Actor, AuditAction, AuditEntry, EntityKind};
use lipa_core::event::Event;
use lipa_core::ids::{EventId, LibraryId, PartnerId, PersonId, RecordKey};
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::text::fold_name;
use serde::Serialize;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub library: Option<LibraryId>,
    pub partner: Option<PartnerId>,
    /// Words that must all occur in the name (folded).
    pub q: String,
    /// Who the reader may see besides the people of published events: everyone
    /// ([`DraftScope::All`]), the people of a district's libraries and partners, or of a library.
    pub scope: DraftScope,
}

/// What an erased person's name becomes, followed by their record ID.
pub const ERASED_NAME: &str = "[изтрито лице]";

/// A person with everything the store holds about them, for a subject-access request.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDossier {
    pub person: crate::Versioned<Person>,
    /// The events that link to the person (a participant or a speaker with their ID).
    pub events: Vec<crate::Versioned<Event>>,
    /// The audit entries about the person's record, newest first.
    pub audit: Vec<AuditEntry>,
}

/// What an erasure changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub person_id: PersonId,
    /// Events from which the person's name was removed.
    pub events: Vec<EventId>,
    /// Earlier audit entries whose before/after were scrubbed.
    pub audit_entries: u64,
}

impl Entity for Person {
    const TABLE: &'static str = "persons";
    const KIND: EntityKind = EntityKind::Person;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            (
                "partner_id",
                Col::OptInt(self.partner_id.map(RecordKey::raw)),
            ),
            (
                "library_id",
                Col::OptInt(self.library.map(|l| i64::from(l.get()))),
            ),
        ])
    }
}

impl crate::record::Written for Person {}

impl Store {
    pub async fn person(&self, id: PersonId) -> Result<Option<Versioned<Person>>> {
        self.find::<Person>(id).await
    }

    pub async fn persons(&self) -> Result<Vec<Versioned<Person>>> {
        self.select::<Person>(&Where::default(), "name_key, id")
            .await
    }

    /// Persons that pass the query, by id.
    pub async fn page_persons(&self, q: &PersonQuery, page: Keyset) -> Result<KeysetPage<Person>> {
        let mut w = Where::default();
        if let Some(l) = q.library {
            w.eq("library_id", i64::from(l.get()));
        }
        if let Some(p) = q.partner {
            w.eq("partner_id", p);
        }
        w.words(&q.q, &["name_key"]);
        // People of published events are public (through the event_participants_person index).
        const PUBLIC: &str = "id IN (SELECT ep.person_id FROM event_participants ep \
             JOIN events e ON e.id = ep.event_id WHERE e.published = 1)";
        match &q.scope {
            DraftScope::All => {}
            DraftScope::None => w.push(PUBLIC),
            DraftScope::District(d) => {
                let p = w.bind(d.to_string());
                w.push(format!(
                    "({PUBLIC} OR library_id IN (SELECT id FROM libraries WHERE district_code = {p}) \
                     OR (library_id IS NULL AND partner_id IN \
                         (SELECT id FROM partners WHERE district_code = {p})))"
                ));
            }
            DraftScope::Library(l) => {
                let p = w.bind(i64::from(l.get()));
                w.push(format!("({PUBLIC} OR library_id = {p})"));
            }
        }
        self.keyset_page(w, page).await
    }

    /// A person, the events that link to them and the audit entries about them.
    pub async fn person_dossier(&self, id: PersonId) -> Result<Option<PersonDossier>> {
        let mut conn = self.pool.acquire().await?;
        let Some(person) = get::<Person>(&mut conn, id).await? else {
            return Ok(None);
        };
        let events = linked_events(&mut conn, id)
            .await?
            .into_iter()
            .map(|(v, _)| v)
            .collect();
        drop(conn);
        let (audit, _) = self
            .search_audit(&AuditSearch {
                entity: Some(EntityKind::Person),
                entity_id: Some(id.to_string()),
                ..Default::default()
            })
            .await?;
        Ok(Some(PersonDossier {
            person,
            events,
            audit,
        }))
    }

    /// Erases a person's personal data, in one transaction: the name becomes
    /// [`ERASED_NAME`] and the ID, position and contacts are emptied; events that link to the
    /// person lose their name (and contacts, wherever written); earlier audit entries of the
    /// person and of those events are scrubbed of the same values but kept (action, who, when).
    /// Records an `erase` entry, without values, for the person and for each event changed.
    pub async fn erase_person(&self, actor: &Actor, id: PersonId) -> Result<Erasure> {
        let mut tx = self.begin_write().await?;
        let current = get::<Person>(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound {
                entity: "person",
                id: id.to_string(),
            })?;
        let old = &current.record;
        let placeholder = format!("{ERASED_NAME} {id}");
        // What to look for in free text, and what it becomes. Short values would match
        // unrelated text, so they are only removed where they are the person's own fields.
        let mut needles: Vec<(String, String)> = Vec::new();
        let name = old.name.trim();
        if name.chars().count() >= 3 && name != placeholder {
            needles.push((name.to_owned(), placeholder.clone()));
        }
        for c in [&old.contacts.email, &old.contacts.phone] {
            if c.trim().chars().count() >= 5 {
                needles.push((c.trim().to_owned(), String::new()));
            }
        }
        let erased = Person {
            name: placeholder.clone(),
            position: String::new(),
            contacts: PersonalContacts::default(),
            ..old.clone()
        };
        overwrite(&mut tx, id, &erased).await?;

        let mut events = Vec::new();
        for (ev, positions) in linked_events(&mut tx, id).await? {
            let mut e = ev.record.clone();
            for (i, p) in e.participants.iter_mut().enumerate() {
                if p.person_id == Some(id) || positions.contains(&i) {
                    p.name = placeholder.clone();
                    p.position = String::new();
                }
            }
            for a in &mut e.agenda {
                if a.person_id == Some(id) {
                    a.speaker = placeholder.clone();
                }
            }
            let mut json = serde_json::to_value(&e)?;
            scrub(&mut json, id, &needles, &placeholder);
            let e: Event = serde_json::from_value(json)?;
            if e != ev.record {
                overwrite(&mut tx, ev.id, &e).await?;
                after_event_write(&mut tx, ev.id, &e).await?;
                events.push(ev.id);
            }
        }

        let mut scrubbed = 0;
        let mut entries: Vec<(i64, Option<String>, Option<String>, bool)> = Vec::new();
        let own = sqlx::query(
            "SELECT id, before, after FROM audit_log WHERE entity = 'person' AND entity_id = $1",
        )
        .bind(id.to_string())
        .fetch_all(&mut *tx)
        .await?;
        for r in &own {
            entries.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, true));
        }
        let mut w = Where::default();
        w.push("entity = 'event'");
        let ids: Vec<String> = linked_event_ids(&mut tx, id, &events)
            .await?
            .iter()
            .map(|eid| w.bind(eid.to_string()))
            .collect();
        if !ids.is_empty() {
            w.push(format!("entity_id IN ({})", ids.join(", ")));
            let sql = format!(
                "SELECT id, before, after FROM audit_log WHERE {}",
                w.clause()
            );
            for r in &w.query(sql).fetch_all(&mut *tx).await? {
                entries.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, false));
            }
        }
        for (entry_id, before, after, is_person) in entries {
            let fix = |s: Option<String>| -> Result<(Option<String>, bool)> {
                let Some(s) = s else { return Ok((None, false)) };
                let mut v: Value = serde_json::from_str(&s)?;
                let original = v.clone();
                if is_person && let Value::Object(o) = &mut v {
                    o.insert("name".into(), Value::String(placeholder.clone()));
                    o.insert("position".into(), Value::String(String::new()));
                    o.insert("contacts".into(), Value::Object(Default::default()));
                }
                scrub(&mut v, id, &needles, &placeholder);
                let changed = v != original;
                Ok((Some(serde_json::to_string(&v)?), changed))
            };
            let (before, b) = fix(before)?;
            let (after, a) = fix(after)?;
            if a || b {
                sqlx::query("UPDATE audit_log SET before = $1, after = $2 WHERE id = $3")
                    .bind(before)
                    .bind(after)
                    .bind(entry_id)
                    .execute(&mut *tx)
                    .await?;
                scrubbed += 1;
            }
        }

        record_audit(
            &mut tx,
            actor,
            AuditAction::Erase,
            EntityKind::Person,
            &id.to_string(),
            "",
            None,
            None,
        )
        .await?;
        for eid in &events {
            record_audit(
                &mut tx,
                actor,
                AuditAction::Erase,
                EntityKind::Event,
                &eid.to_string(),
                &format!("person {id} erased"),
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Erasure {
            person_id: id,
            events,
            audit_entries: scrubbed,
        })
    }
}

/// The events that link to a person — by the ID in a participant or agenda line, or by the
/// participant links the store keeps (which also match a name only this person has) — each with
/// the positions of the participants linked through those links.
async fn linked_events(
    conn: &mut AnyConnection,
    id: PersonId,
) -> Result<Vec<(Versioned<Event>, BTreeSet<usize>)>> {
    let links = sqlx::query(
        "SELECT event_id, position FROM event_participants WHERE person_id = $1 ORDER BY event_id",
    )
    .bind(id.raw())
    .fetch_all(&mut *conn)
    .await?;
    let mut positions: BTreeMap<EventId, BTreeSet<usize>> = Default::default();
    for r in &links {
        let pos: i64 = r.try_get(1)?;
        positions
            .entry(key(r, 0)?)
            .or_default()
            .insert(usize::try_from(pos).unwrap_or(usize::MAX));
    }
    // Agenda lines are not indexed; the events table is small (a few per district and year).
    let all = list::<Event>(conn, &Where::default(), "starts DESC, id DESC").await?;
    Ok(all
        .into_iter()
        .filter_map(|ev| {
            let by_id = ev
                .record
                .participants
                .iter()
                .any(|p| p.person_id == Some(id))
                || ev.record.agenda.iter().any(|a| a.person_id == Some(id));
            let pos = positions.remove(&ev.id);
            (by_id || pos.is_some()).then(|| (ev, pos.unwrap_or_default()))
        })
        .collect())
}

/// Events whose audit entries may name the person: those changed now, and those whose earlier
/// versions linked to them by ID (the person may have been removed from the event since).
async fn linked_event_ids(
    conn: &mut AnyConnection,
    id: PersonId,
    changed: &[EventId],
) -> Result<BTreeSet<EventId>> {
    let mut out: BTreeSet<EventId> = changed.iter().copied().collect();
    // The text match finds the candidates (and matches person 50 for person 5); the parsed
    // entry decides.
    let pattern = format!("%\"person_id\":{id}%");
    let rows = sqlx::query(
        "SELECT entity_id, before, after FROM audit_log
         WHERE entity = 'event' AND (before LIKE $1 OR after LIKE $1)",
    )
    .bind(pattern)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let entity_id: String = r.try_get(0)?;
        let Ok(n) = entity_id.parse::<EventId>() else {
            continue;
        };
        for col in [1, 2] {
            let body: Option<String> = r.try_get(col)?;
            if let Some(body) = body
                && links_person(&serde_json::from_str(&body)?, id)
            {
                out.insert(n);
            }
        }
    }
    Ok(out)
}

/// Whether a JSON value holds a line whose `person_id` is `id`.
fn links_person(v: &Value, id: PersonId) -> bool {
    match v {
        Value::Array(items) => items.iter().any(|i| links_person(i, id)),
        Value::Object(o) => {
            o.get("person_id").and_then(Value::as_i64) == Some(id.raw())
                || o.values().any(|i| links_person(i, id))
        }
        _ => false,
    }
}

/// Removes a person from a JSON value: lines that carry their ID lose name, speaker and
/// position; every text loses the needles (name → placeholder, contacts → nothing).
fn scrub(v: &mut Value, id: PersonId, needles: &[(String, String)], placeholder: &str) {
    match v {
        Value::String(s) => {
            for (needle, with) in needles {
                if s.contains(needle.as_str()) {
                    *s = s.replace(needle.as_str(), with);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                scrub(item, id, needles, placeholder);
            }
        }
        Value::Object(o) => {
            if o.get("person_id").and_then(Value::as_i64) == Some(id.raw()) {
                for key in ["name", "speaker"] {
                    if let Some(Value::String(s)) = o.get_mut(key) {
                        *s = placeholder.to_owned();
                    }
                }
                if let Some(Value::String(s)) = o.get_mut("position") {
                    s.clear();
                }
            }
            for (_, item) in o.iter_mut() {
                scrub(item, id, needles, placeholder);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scrub_removes_linked_names_and_needles() {
        let mut v = json!({
            "participants": [
                {"person_id": 7, "name": "Иван Петров", "position": "кмет"},
                {"person_id": 8, "name": "Мария", "position": "секретар"}
            ],
            "purpose": "Откриване от Иван Петров, ivan@example.bg"
        });
        let needles = vec![
            ("Иван Петров".to_owned(), "[изтрито лице] 7".to_owned()),
            ("ivan@example.bg".to_owned(), String::new()),
        ];
        let p = PersonId::new;
        scrub(&mut v, p(7), &needles, "[изтрито лице] 7");
        assert!(links_person(&v, p(7)) && links_person(&v, p(8)));
        assert!(!links_person(&v, p(70)) && !links_person(&v, p(78)));
        assert_eq!(v["participants"][0]["name"], "[изтрито лице] 7");
        assert_eq!(v["participants"][0]["position"], "");
        assert_eq!(v["participants"][1]["name"], "Мария");
        assert_eq!(v["participants"][1]["position"], "секретар");
        assert_eq!(v["purpose"], "Откриване от [изтрито лице] 7, ");
    }
}
