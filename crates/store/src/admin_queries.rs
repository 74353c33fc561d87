//! What the administration needs beyond the generic entity methods: the searchable, paginated
//! audit log (by kind, record, actor and date range), a person's dossier for a subject-access
//! request, and the erasure of a person's personal data (GDPR art. 17) everywhere the store
//! keeps it — the record, the events that name them, and the earlier audit entries.
//!
//! Erasure is the one write that does not record a before/after: recording the values it removes
//! would keep them. It records an `erase` entry (who, when, which record) instead, in the same
//! transaction as the change.

use crate::entities::{Col, Entity, after_event_write, get, list, record_audit};
use crate::{Result, Store, StoreError, now};
use lipa_core::audit::{Actor, AuditAction, AuditEntry, EntityKind};
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::RecordId;
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::user::Role;
use lipa_core::{Violation, Violations};
use serde::Serialize;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeSet;

/// What an erased person's name becomes, followed by their record ID.
pub const ERASED_NAME: &str = "[изтрито лице]";

/// A search of the audit log. Every field narrows; entries come newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSearch {
    pub entity: Option<EntityKind>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// First day (UTC), inclusive.
    pub from: Option<jiff::civil::Date>,
    /// Last day (UTC), inclusive.
    pub to: Option<jiff::civil::Date>,
    /// Page size; 0 means everything (exports).
    pub limit: i64,
    pub offset: i64,
}

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
    pub person_id: RecordId,
    /// Events from which the person's name was removed.
    pub events: Vec<RecordId>,
    /// Earlier audit entries whose before/after were scrubbed.
    pub audit_entries: u64,
}

fn audit_row(r: &AnyRow) -> Result<AuditEntry> {
    let json = |col: &str| -> Result<Option<Value>> {
        let s: Option<String> = r.try_get(col)?;
        Ok(match s {
            Some(s) => Some(serde_json::from_str(&s)?),
            None => None,
        })
    };
    let action: String = r.try_get("action")?;
    let entity: String = r.try_get("entity")?;
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: AuditAction::from_code(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("audit action {action}")))?,
        entity: EntityKind::from_code(&entity)
            .ok_or_else(|| StoreError::Corrupt(format!("audit entity {entity}")))?,
        entity_id: r.try_get("entity_id")?,
        note: r.try_get("note")?,
        before: json("before")?,
        after: json("after")?,
    })
}

impl AuditSearch {
    /// The SQL condition and its binds. Days compare as text: `at` is RFC 3339 UTC, so
    /// `"2012-06-06" <= at < "2012-06-08"` is the days 6 and 7 June, and the `at` index serves it.
    fn conds(&self) -> (String, Vec<String>) {
        let mut conds = vec!["1 = 1".to_owned()];
        let mut binds: Vec<String> = Vec::new();
        let mut push = |cond: &str, value: String| {
            binds.push(value);
            conds.push(cond.replace('?', &format!("${}", binds.len())));
        };
        if let Some(e) = self.entity {
            push("entity = ?", e.code().into());
        }
        if let Some(id) = self.entity_id.as_ref().filter(|s| !s.is_empty()) {
            push("entity_id = ?", id.clone());
        }
        if let Some(a) = self.actor.as_ref().filter(|s| !s.is_empty()) {
            push("actor = ?", a.clone());
        }
        if let Some(d) = self.from {
            push("at >= ?", d.to_string());
        }
        if let Some(d) = self.to {
            let next = d
                .tomorrow()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "9999-99".into());
            push("at < ?", next);
        }
        (conds.join(" AND "), binds)
    }
}

impl Store {
    /// One page of the audit log and the number of entries the search matches.
    pub async fn search_audit(&self, s: &AuditSearch) -> Result<(Vec<AuditEntry>, i64)> {
        let (cond, binds) = s.conds();
        let mut count = sqlx::query(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log WHERE {cond}"
        )));
        for b in &binds {
            count = count.bind(b.clone());
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get(0)?;
        let page = if s.limit > 0 {
            format!("LIMIT {} OFFSET {}", s.limit.min(10_000), s.offset.max(0))
        } else {
            String::new()
        };
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, at, actor, action, entity, entity_id, note, before, after FROM audit_log
             WHERE {cond} ORDER BY id DESC {page}"
        )));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let entries = rows.iter().map(audit_row).collect::<Result<Vec<_>>>()?;
        Ok((entries, total))
    }

    /// How many enabled administrators there are: the last one may not be disabled or demoted,
    /// or no one could administer the system any more.
    pub async fn enabled_admin_count(&self) -> Result<usize> {
        Ok(self
            .users()
            .await?
            .iter()
            .filter(|u| u.record.role == Role::Admin && !u.record.disabled)
            .count())
    }

    /// Checks that a role's scope exists: a district of the gazetteer, a library of the registry.
    pub async fn check_role_scope(&self, role: &Role) -> Result<()> {
        match role {
            Role::Coordinator { district }
                if Gazetteer::get().district(district.as_str()).is_none() =>
            {
                Err(Violations::from(
                    Violation::new("district", "err-unknown-district").arg("value", district),
                )
                .into())
            }
            Role::Librarian { library } if self.library(*library).await?.is_none() => {
                Err(Violations::from(
                    Violation::new("library", "err-unknown-library").arg("value", library),
                )
                .into())
            }
            _ => Ok(()),
        }
    }

    /// A person, the events that link to them and the audit entries about them.
    pub async fn person_dossier(&self, id: RecordId) -> Result<Option<PersonDossier>> {
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
    pub async fn erase_person(&self, actor: &Actor, id: RecordId) -> Result<Erasure> {
        let mut tx = self.pool.begin().await?;
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
        for eid in linked_event_ids(&mut tx, id, &events).await? {
            let rows = sqlx::query(
                "SELECT id, before, after FROM audit_log WHERE entity = 'event' AND entity_id = $1",
            )
            .bind(eid.to_string())
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
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
    id: RecordId,
) -> Result<Vec<(crate::Versioned<Event>, BTreeSet<usize>)>> {
    let links = sqlx::query(
        "SELECT event_id, position FROM event_participants WHERE person_id = $1 ORDER BY event_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut positions: std::collections::BTreeMap<RecordId, BTreeSet<usize>> = Default::default();
    for r in &links {
        let pos: i64 = r.try_get(1)?;
        positions
            .entry(r.try_get(0)?)
            .or_default()
            .insert(usize::try_from(pos).unwrap_or(usize::MAX));
    }
    // Agenda lines are not indexed; the events table is small (a few per district and year).
    let all = list::<Event>(conn, "1 = 1", Vec::<Col>::new(), "starts DESC, id DESC").await?;
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
    id: RecordId,
    changed: &[RecordId],
) -> Result<BTreeSet<RecordId>> {
    let mut out: BTreeSet<RecordId> = changed.iter().copied().collect();
    let pattern = format!("%\"person_id\":{id}%");
    let rows = sqlx::query(
        "SELECT DISTINCT entity_id FROM audit_log
         WHERE entity = 'event' AND (before LIKE $1 OR after LIKE $1)",
    )
    .bind(pattern)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let s: String = r.try_get(0)?;
        if let Ok(n) = s.parse::<RecordId>() {
            out.insert(n);
        }
    }
    Ok(out)
}

/// Removes a person from a JSON value: lines that carry their ID lose name, speaker and
/// position; every text loses the needles (name → placeholder, contacts → nothing).
fn scrub(v: &mut Value, id: RecordId, needles: &[(String, String)], placeholder: &str) {
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
            if o.get("person_id").and_then(Value::as_i64) == Some(id) {
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

/// Replaces a record's body and indexed columns without an audit entry with values: for
/// erasure only, whose caller records an `erase` entry instead.
async fn overwrite<E: Entity>(conn: &mut AnyConnection, id: RecordId, record: &E) -> Result<()> {
    record.check()?;
    let cols = record.columns()?;
    let mut sets = vec![
        "body = $1".to_owned(),
        "version = version + 1".into(),
        "updated_at = $2".into(),
    ];
    for (i, (n, _)) in cols.iter().enumerate() {
        sets.push(format!("{n} = ${}", i + 3));
    }
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ${}",
        E::TABLE,
        sets.join(", "),
        cols.len() + 3
    );
    let mut q = sqlx::query(AssertSqlSafe(sql))
        .bind(serde_json::to_string(record)?)
        .bind(now());
    for (_, c) in cols {
        q = match c {
            Col::Text(s) => q.bind(s),
            Col::OptText(s) => q.bind(s),
            Col::Int(n) => q.bind(n),
            Col::OptInt(n) => q.bind(n),
        };
    }
    q.bind(id).execute(&mut *conn).await?;
    Ok(())
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
        scrub(&mut v, 7, &needles, "[изтрито лице] 7");
        assert_eq!(v["participants"][0]["name"], "[изтрито лице] 7");
        assert_eq!(v["participants"][0]["position"], "");
        assert_eq!(v["participants"][1]["name"], "Мария");
        assert_eq!(v["participants"][1]["position"], "секретар");
        assert_eq!(v["purpose"], "Откриване от [изтрито лице] 7, ");
    }

    #[test]
    fn date_range_is_inclusive_of_both_days() {
        let s = AuditSearch {
            from: Some(jiff::civil::date(2012, 6, 6)),
            to: Some(jiff::civil::date(2012, 6, 7)),
            ..Default::default()
        };
        let (cond, binds) = s.conds();
        assert_eq!(cond, "1 = 1 AND at >= $1 AND at < $2");
        assert_eq!(
            binds,
            vec!["2012-06-06".to_owned(), "2012-06-08".to_owned()]
        );
    }
}
