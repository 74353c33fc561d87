//! Writing a [`ChangeSet`] — an import, the demo, a bulk edit — in one transaction: all of it is
//! written, with an audit entry per record, or none of it.

use crate::bulk::{New, create_many, insert_rows};
use crate::events::after_event_write;
use crate::libraries::{after_library_write, check_coordinator};
use crate::partners::check_partner_refs;
use crate::record::unique_by_key;
use crate::record::{get, insert, update};
use crate::services::{after_service_write, check_service_refs};
use crate::sql::{Col, Where, ids_in};
use crate::{Backend, Result, Store, StoreError};
use lipa_core::Violation;
use lipa_core::Violations;
use lipa_core::activity_log::ActivityEntry;
use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::changes::ServiceRef;
use lipa_core::ids::{ActivityId, EventId, PartnerId, PersonId, RecordKey, ServiceId};
use lipa_core::library::Library;
use lipa_core::service::Service;
use lipa_core::text::fold_name;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};

/// What a change set wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub libraries_created: usize,
    pub libraries_updated: usize,
    pub services_created: Vec<ServiceId>,
    pub services_updated: usize,
    pub partners_created: Vec<PartnerId>,
    pub persons_created: Vec<PersonId>,
    pub events_created: Vec<EventId>,
    pub other_updated: usize,
    pub activities_created: Vec<ActivityId>,
}

impl Store {
    /// Writes everything in `changes` or nothing. `note` goes into every audit entry
    /// (`import kyustendil.txt`). A record that fails validation aborts the whole set, with the
    /// violations of that record under its path (`libraries[3].settlement`).
    pub async fn apply(&self, actor: &Actor, note: &str, changes: &ChangeSet) -> Result<Applied> {
        let mut tx = self.begin_write().await?;
        let out = write_changes(&mut tx, actor, note, changes).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// [`Store::apply`], but only while the database has no library: the demo that `lipa serve
    /// --demo` loads on a first start. Servers started together take turns (SQLite's write lock
    /// taken at `BEGIN IMMEDIATE`, an advisory lock on PostgreSQL) and look for libraries after
    /// their turn has come, so exactly one of them writes; the others get `None`.
    pub async fn apply_to_empty(
        &self,
        actor: &Actor,
        note: &str,
        changes: &ChangeSet,
    ) -> Result<Option<Applied>> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(FIRST_LOAD_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let libraries: i64 = sqlx::query("SELECT COUNT(*) FROM libraries")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if libraries > 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let out = write_changes(&mut tx, actor, note, changes).await?;
        tx.commit().await?;
        Ok(Some(out))
    }
}

/// Many change sets written in one transaction — a generated or streamed registry, a batch at a
/// time so that it never sits in memory whole: all of it is written, or none of it (dropping a
/// load without [`BulkLoad::commit`] rolls it back). It holds the database's write lock until
/// then, as an import does.
pub struct BulkLoad {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: Actor,
    note: String,
}

impl Store {
    /// Starts a [`BulkLoad`]; `note` goes into every audit entry.
    pub async fn bulk_load(&self, actor: &Actor, note: &str) -> Result<BulkLoad> {
        let mut tx = self.begin_write().await?;
        match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(FIRST_LOAD_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            // A load writes into a dozen indexes at once: with SQLite's default 2 MB of page
            // cache it spent its time reading back the pages it had just written.
            Backend::Sqlite => {
                sqlx::query(AssertSqlSafe(format!(
                    "PRAGMA cache_size = -{BULK_CACHE_KIB}"
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
        Ok(BulkLoad {
            tx,
            actor: actor.clone(),
            note: note.to_owned(),
        })
    }
}

impl BulkLoad {
    /// Whether the registry has a library (seen from inside the load).
    pub async fn has_libraries(&mut self) -> Result<bool> {
        let row = sqlx::query("SELECT EXISTS (SELECT 1 FROM libraries)")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(row
            .try_get::<bool, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|n| n != 0))?)
    }

    /// Writes one change set, as [`Store::apply`] would, inside the load.
    pub async fn apply(&mut self, changes: &ChangeSet) -> Result<Applied> {
        write_changes(&mut self.tx, &self.actor, &self.note, changes).await
    }

    /// Makes everything written visible at once.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// The page cache of a bulk load's connection on SQLite, in KiB.
const BULK_CACHE_KIB: i64 = 256 * 1024;

/// `pg_advisory_xact_lock` key that lets one of several servers load the first data.
const FIRST_LOAD_LOCK: i64 = 0x6c69_7061_6669_7273;

/// The writes of a change set, inside the caller's transaction.
async fn write_changes(
    tx: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    changes: &ChangeSet,
) -> Result<Applied> {
    let mut out = Applied::default();
    let wrap = |path: String, e: StoreError| match e {
        StoreError::Invalid(v) => {
            let mut all = Violations::default();
            all.extend_under(&path, v);
            StoreError::Invalid(all)
        }
        other => other,
    };
    // Libraries first: people, services and events refer to them. New ones that coordinate
    // nothing go in batches; the others one by one, coordinators last, so that moving the flag
    // from one library to another within one set does not trip the one-per-district rule
    // half-way. A programme ID given twice is created once, then updated.
    let existing = existing_ids(
        &mut *tx,
        "libraries",
        changes.libraries.iter().map(|l| l.id.raw()),
    )
    .await?;
    let mut created = HashSet::new();
    let mut one_by_one = Vec::new();
    let mut batch = Vec::new();
    for (i, lib) in changes.libraries.iter().enumerate() {
        if !lib.coordinator && !existing.contains(&lib.id.raw()) && created.insert(lib.id) {
            batch.push((i, lib));
        } else {
            one_by_one.push((i, lib));
        }
    }
    let paths: Vec<usize> = batch.iter().map(|(i, _)| *i).collect();
    let news = batch
        .iter()
        .map(|(_, lib)| New {
            record: *lib,
            id: Some(lib.id),
            overrides: Vec::new(),
        })
        .collect();
    out.libraries_created += create_many(&mut *tx, actor, note, news, |k| {
        format!("libraries[{}]", paths[k])
    })
    .await?
    .len();
    one_by_one.sort_by_key(|(_, l)| l.coordinator);
    for (i, lib) in one_by_one {
        let key = lib.id;
        let path = format!("libraries[{i}]");
        check_coordinator(&mut *tx, lib)
            .await
            .map_err(|e| wrap(path.clone(), e))?;
        if get::<Library>(&mut *tx, key).await?.is_some() {
            update(&mut *tx, actor, note, key, lib, None)
                .await
                .map_err(|e| wrap(path, e))?;
            out.libraries_updated += 1;
        } else {
            insert(&mut *tx, actor, note, Some(key), lib)
                .await
                .map_err(|e| wrap(path, e))?;
            out.libraries_created += 1;
        }
        after_library_write(&mut *tx, lib).await?;
    }
    // Then partners and persons: services and events link to them by name.
    let kinds = codes(&mut *tx, "partner_kinds").await?;
    let mut bad = Violations::default();
    for (i, p) in changes.new_partners.iter().enumerate() {
        if !kinds.contains(p.kind.as_str()) {
            bad.extend_under(
                &format!("partners[{i}]"),
                Violation::new("kind", "err-unknown-partner-kind")
                    .arg("value", &p.kind)
                    .into(),
            );
        }
    }
    if !bad.is_empty() {
        return Err(StoreError::Invalid(bad));
    }
    out.partners_created = create_many(&mut *tx, actor, note, fresh(&changes.new_partners), |i| {
        format!("partners[{i}]")
    })
    .await?;
    for (id, p) in &changes.updated_partners {
        check_partner_refs(&mut *tx, p).await?;
        update(&mut *tx, actor, note, *id, p, None).await?;
        out.other_updated += 1;
    }
    out.persons_created = create_many(&mut *tx, actor, note, fresh(&changes.new_persons), |i| {
        format!("persons[{i}]")
    })
    .await?;
    for (id, p) in &changes.updated_persons {
        update(&mut *tx, actor, note, *id, p, None).await?;
        out.other_updated += 1;
    }
    out.services_created = create_services(&mut *tx, actor, note, &changes.new_services).await?;
    for (id, s) in &changes.updated_services {
        check_service_refs(&mut *tx, s).await?;
        update(&mut *tx, actor, note, *id, s, None).await?;
        after_service_write(&mut *tx, *id, s).await?;
        out.services_updated += 1;
    }
    for (i, e) in changes.new_events.iter().enumerate() {
        let v = insert(&mut *tx, actor, note, None, e)
            .await
            .map_err(|err| wrap(format!("events[{i}]"), err))?;
        after_event_write(&mut *tx, v.id, e).await?;
        out.events_created.push(v.id);
    }
    for (id, e) in &changes.updated_events {
        update(&mut *tx, actor, note, *id, e, None).await?;
        after_event_write(&mut *tx, *id, e).await?;
        out.other_updated += 1;
    }
    // Last, the activity logs: their services now have their IDs.
    let entries: Vec<ActivityEntry> = changes
        .new_activities
        .iter()
        .map(|(service, entry)| {
            let service_id = match *service {
                ServiceRef::Stored(id) => Some(id),
                ServiceRef::New(k) => out.services_created.get(k).copied(),
            };
            service_id
                .map(|service_id| ActivityEntry {
                    service_id,
                    ..entry.clone()
                })
                .ok_or_else(|| {
                    StoreError::Invalid(Violation::new("activities", "err-reference").into())
                })
        })
        .collect::<Result<_>>()?;
    out.activities_created = create_many(&mut *tx, actor, note, fresh(&entries), |i| {
        format!("activities[{i}]")
    })
    .await?;
    Ok(out)
}

/// Records to create, none with an ID of its own.
fn fresh<E: crate::record::Entity>(records: &[E]) -> Vec<New<'_, E>> {
    records
        .iter()
        .map(|record| New {
            record,
            id: None,
            overrides: Vec::new(),
        })
        .collect()
}

/// Which of `ids` are keys of `table`, a few hundred per query.
async fn existing_ids(
    conn: &mut AnyConnection,
    table: &str,
    ids: impl Iterator<Item = i64>,
) -> Result<HashSet<i64>> {
    let ids: Vec<i64> = ids.collect();
    let mut out = HashSet::new();
    for chunk in ids.chunks(CHUNK) {
        let mut w = Where::default();
        w.push(ids_in("id", chunk.iter().copied()));
        let sql = format!("SELECT id FROM {table} WHERE {}", w.clause());
        for r in w.query(sql).fetch_all(&mut *conn).await? {
            out.insert(r.try_get(0)?);
        }
    }
    Ok(out)
}

/// Keys per `IN (…)` list.
const CHUNK: usize = 500;

/// The codes of a taxonomy table.
async fn codes(conn: &mut AnyConnection, table: &str) -> Result<HashSet<String>> {
    let rows = sqlx::query(AssertSqlSafe(format!("SELECT code FROM {table}")))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
        .collect()
}

/// New services, in batches: their library's place is read once per batch, their target-group
/// and partner links written many rows per statement. What they refer to is checked first —
/// every service's unknown library or category at once — and nothing is written if one is.
async fn create_services(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    services: &[Service],
) -> Result<Vec<ServiceId>> {
    if services.is_empty() {
        return Ok(Vec::new());
    }
    let categories = codes(&mut *conn, "categories").await?;
    let mut wanted: Vec<i64> = services.iter().map(|s| s.library.raw()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut places: HashMap<i64, [String; 3]> = HashMap::new();
    for chunk in wanted.chunks(CHUNK) {
        let mut w = Where::default();
        w.push(ids_in("id", chunk.iter().copied()));
        let sql = format!(
            "SELECT id, district_code, municipality_code, settlement_kind FROM libraries WHERE {}",
            w.clause()
        );
        for r in w.query(sql).fetch_all(&mut *conn).await? {
            places.insert(r.try_get(0)?, [r.try_get(1)?, r.try_get(2)?, r.try_get(3)?]);
        }
    }
    let mut bad = Violations::default();
    let mut news = Vec::with_capacity(services.len());
    for (i, s) in services.iter().enumerate() {
        let mut v = Violations::default();
        if !categories.contains(s.category.as_str()) {
            v.push(Violation::new("category", "err-unknown-category").arg("value", &s.category));
        }
        match places.get(&s.library.raw()) {
            Some([district, municipality, kind]) => news.push(New {
                record: s,
                id: None,
                overrides: vec![
                    ("district_code", Col::Text(district.clone())),
                    ("municipality_code", Col::Text(municipality.clone())),
                    ("settlement_kind", Col::Text(kind.clone())),
                ],
            }),
            None => {
                v.push(Violation::new("library", "err-unknown-library").arg("value", s.library))
            }
        }
        if !v.is_empty() {
            bad.extend_under(&format!("services[{i}]"), v);
        }
    }
    if !bad.is_empty() {
        return Err(StoreError::Invalid(bad));
    }
    let ids = create_many(conn, actor, note, news, |i| format!("services[{i}]")).await?;
    // Step 3 and step 4 links, as `after_service_write` makes them for one service.
    let mut groups = Vec::new();
    let mut partners = Vec::new();
    let both: Vec<(ServiceId, &Service)> = ids.iter().copied().zip(services).collect();
    for chunk in both.chunks(CHUNK) {
        let mut unnamed: Vec<String> = chunk
            .iter()
            .flat_map(|(_, s)| &s.card.partners)
            .filter(|p| p.partner_id.is_none())
            .map(|p| fold_name(&p.name))
            .collect();
        unnamed.sort_unstable();
        unnamed.dedup();
        let by_name: HashMap<String, PartnerId> =
            unique_by_key(&mut *conn, "partners", &["name_key", "short_key"], &unnamed).await?;
        for (id, s) in chunk {
            for (i, t) in s.card.target_groups.iter().enumerate() {
                groups.push(vec![
                    Col::Int(id.raw()),
                    Col::Int(i as i64),
                    t.trim().into(),
                    fold_name(t).into(),
                ]);
            }
            for (i, p) in s.card.partners.iter().enumerate() {
                let key = fold_name(&p.name);
                let partner = p.partner_id.or_else(|| by_name.get(&key).copied());
                partners.push(vec![
                    Col::Int(id.raw()),
                    Col::Int(i as i64),
                    Col::OptInt(partner.map(RecordKey::raw)),
                    key.into(),
                ]);
            }
        }
    }
    insert_rows(
        conn,
        "service_target_groups",
        &["service_id", "position", "name", "name_key"],
        groups,
    )
    .await?;
    insert_rows(
        conn,
        "service_partners",
        &["service_id", "position", "partner_id", "name_key"],
        partners,
    )
    .await?;
    Ok(ids)
}
