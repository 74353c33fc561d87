//! Writing a [`ChangeSet`] — an import, the demo, a bulk edit — in one transaction: all of it is
//! written, with an audit entry per record, or none of it.

use crate::events::after_event_write;
use crate::libraries::{after_library_write, check_coordinator};
use crate::partners::check_partner_refs;
use crate::record::{get, insert, update};
use crate::services::{after_service_write, check_service_refs};
use crate::{Backend, Result, Store, StoreError};
use lipa_core::Violations;
use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::ids::{EventId, PartnerId, PersonId, ServiceId};
use lipa_core::library::Library;
use sqlx::{AnyConnection, Row};

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
    // Libraries first: people, services and events refer to them.
    // Coordinators last among libraries, so that moving the flag from one library to another
    // within one set does not trip the one-per-district rule half-way.
    let mut libraries: Vec<&Library> = changes.libraries.iter().collect();
    libraries.sort_by_key(|l| l.coordinator);
    for (i, lib) in libraries.into_iter().enumerate() {
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
    for (i, p) in changes.new_partners.iter().enumerate() {
        check_partner_refs(&mut *tx, p)
            .await
            .map_err(|e| wrap(format!("partners[{i}]"), e))?;
        let v = insert(&mut *tx, actor, note, None, p)
            .await
            .map_err(|e| wrap(format!("partners[{i}]"), e))?;
        out.partners_created.push(v.id);
    }
    for (id, p) in &changes.updated_partners {
        check_partner_refs(&mut *tx, p).await?;
        update(&mut *tx, actor, note, *id, p, None).await?;
        out.other_updated += 1;
    }
    for (i, p) in changes.new_persons.iter().enumerate() {
        let v = insert(&mut *tx, actor, note, None, p)
            .await
            .map_err(|e| wrap(format!("persons[{i}]"), e))?;
        out.persons_created.push(v.id);
    }
    for (id, p) in &changes.updated_persons {
        update(&mut *tx, actor, note, *id, p, None).await?;
        out.other_updated += 1;
    }
    for (i, s) in changes.new_services.iter().enumerate() {
        let path = format!("services[{i}]");
        check_service_refs(&mut *tx, s)
            .await
            .map_err(|e| wrap(path.clone(), e))?;
        let v = insert(&mut *tx, actor, note, None, s)
            .await
            .map_err(|e| wrap(path, e))?;
        after_service_write(&mut *tx, v.id, s).await?;
        out.services_created.push(v.id);
    }
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
    Ok(out)
}
