//! The change log: one record's history, and the whole audit log for admins.
//!
//! Who may read a record's history: admins, any record; coordinators and librarians, records in
//! their scope — a library by its place, a service by its library, a person by their library, an
//! event or a partner by its district. Accounts and the taxonomy: admins only. A deleted record
//! is placed by its last recorded version, so its history stays readable by the same people.
//! Histories hold personal data (a person's contacts in earlier versions), which is why the rule
//! is the one for seeing contacts.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::activity_log::ActivityEntry;
use lipa_core::audit::{AuditEntry, EntityKind};
use lipa_core::event::Event;
use lipa_core::ids::{ActivityId, EventId, LibraryId, PartnerId, PersonId, ServiceId, UserId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::Service;
use lipa_core::user::Place;
use lipa_store::AuditSearch;
use serde::de::DeserializeOwned;

/// One page of a record's history.
pub struct History {
    /// The record's name (its current, else its last recorded one); empty when unknown.
    pub name: String,
    pub entries: Vec<AuditEntry>,
    /// Entries about the record, on every page.
    pub total: i64,
}

/// The newest recorded version of a record (its `after`, or for a deletion its `before`).
fn latest_snapshot<T: DeserializeOwned>(entries: &[AuditEntry]) -> Option<T> {
    entries
        .iter()
        .find_map(|e| e.after.clone().or_else(|| e.before.clone()))
        .and_then(|v| serde_json::from_value(v).ok())
}

impl App {
    /// The audit log, searched: admins only.
    pub async fn search_audit(
        &self,
        access: &Access,
        search: &AuditSearch,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        access.require_admin()?;
        Ok(self.store.search_audit(search).await?)
    }

    /// A page of the history of record `id` of `kind`, when the reader's scope covers it: 401
    /// for the anonymous, 403 out of scope, 404 when nothing is or was there.
    pub async fn history(
        &self,
        access: &Access,
        kind: EntityKind,
        id: &str,
        limit: i64,
        offset: i64,
    ) -> Result<History> {
        let user = access.require_user()?;
        let (entries, total) = self
            .store
            .search_audit(&AuditSearch {
                entity: Some(kind),
                entity_id: Some(id.to_owned()),
                limit,
                offset,
                ..Default::default()
            })
            .await?;
        let (place, name) = match self.record_place(kind, id).await? {
            Some(f) => f,
            // Nothing recorded and nothing stored: an admin learns so; others learn nothing more.
            None if total == 0 => return Err(AppError::NotFound),
            None => (None, String::new()),
        };
        let allowed = access.is_admin() || place.as_ref().is_some_and(|p| user.role.covers(p));
        if !allowed {
            return Err(AppError::Forbidden);
        }
        if total == 0 && name.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(History {
            name,
            entries,
            total,
        })
    }

    /// A record (current, else its last recorded version).
    async fn find_record<T: DeserializeOwned>(
        &self,
        kind: EntityKind,
        id: &str,
        current: Option<T>,
    ) -> Result<Option<T>> {
        if current.is_some() {
            return Ok(current);
        }
        let (entries, _) = self
            .store
            .search_audit(&AuditSearch {
                entity: Some(kind),
                entity_id: Some(id.to_owned()),
                limit: 20,
                ..Default::default()
            })
            .await?;
        Ok(latest_snapshot(&entries))
    }

    async fn place_of_library(&self, id: LibraryId) -> Result<Place> {
        Ok(match self.store.library(id).await? {
            Some(l) => Access::library_place(&l.record),
            None => {
                let lib: Option<Library> = self
                    .find_record(EntityKind::Library, &id.to_string(), None)
                    .await?;
                lib.map(|l| Access::library_place(&l))
                    .unwrap_or_else(|| Access::orphan_library_place(id))
            }
        })
    }

    /// Where a record sits in the tree (for the scope check) and its name, if the record exists
    /// or ever existed. `Ok(None)`: no such record. A place of `None`: only admins may read it.
    async fn record_place(
        &self,
        kind: EntityKind,
        id: &str,
    ) -> Result<Option<(Option<Place>, String)>> {
        let num: Option<i64> = id.parse().ok();
        let store = &self.store;
        Ok(match kind {
            EntityKind::Library => {
                let Ok(lib_id) = LibraryId::parse(id) else {
                    return Ok(None);
                };
                let current = store.library(lib_id).await?.map(|v| v.record);
                self.find_record::<Library>(kind, id, current)
                    .await?
                    .map(|l| (Some(Access::library_place(&l)), l.name))
            }
            EntityKind::Service => {
                let Some(n) = num else { return Ok(None) };
                let current = store.service(ServiceId::new(n)).await?.map(|v| v.record);
                match self.find_record::<Service>(kind, id, current).await? {
                    Some(s) => Some((Some(self.place_of_library(s.library).await?), s.card.name)),
                    None => None,
                }
            }
            EntityKind::Person => {
                let Some(n) = num else { return Ok(None) };
                let current = store.person(PersonId::new(n)).await?.map(|v| v.record);
                match self.find_record::<Person>(kind, id, current).await? {
                    Some(p) => {
                        let place = self.person_place(&p).await?;
                        // A person linked to no library is in no one's scope but the admins'.
                        let place = p.library.map(|_| place);
                        Some((place, p.name))
                    }
                    None => None,
                }
            }
            EntityKind::Event => {
                let Some(n) = num else { return Ok(None) };
                let current = store.event(EventId::new(n)).await?.map(|v| v.record);
                self.find_record::<Event>(kind, id, current)
                    .await?
                    .map(|e| {
                        let place = Access::event_place(&e);
                        (place.district.is_some().then_some(place), e.title)
                    })
            }
            EntityKind::Partner => {
                let Some(n) = num else { return Ok(None) };
                let current = store.partner(PartnerId::new(n)).await?.map(|v| v.record);
                self.find_record::<Partner>(kind, id, current)
                    .await?
                    .map(|p| {
                        let place = Access::partner_place(&p);
                        (place.district.is_some().then_some(place), p.name)
                    })
            }
            EntityKind::User => {
                let Some(n) = num else { return Ok(None) };
                store
                    .user(UserId::new(n))
                    .await?
                    .map(|u| (None, u.record.login))
                    .or(Some((None, id.to_owned())))
            }
            EntityKind::Activity => {
                let Some(n) = num else { return Ok(None) };
                let current = store.activity(ActivityId::new(n)).await?.map(|v| v.record);
                match self.find_record::<ActivityEntry>(kind, id, current).await? {
                    Some(a) => {
                        // An entry sits where its service's library sat; a service gone from
                        // the registry and its log leave the entry to the admins.
                        let service = store.service(a.service_id).await?;
                        let place = match service {
                            Some(s) => Some(self.place_of_library(s.record.library).await?),
                            None => None,
                        };
                        Some((place, a.date.to_string()))
                    }
                    None => None,
                }
            }
            EntityKind::Category | EntityKind::PartnerKind => Some((None, id.to_owned())),
        })
    }
}
