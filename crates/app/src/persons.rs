//! People — librarians, speakers, guests, volunteers — and their personal data. The rules
//! (who sees a person, who sees their contacts, who writes them) are [`Access`]'s; this module
//! finds the facts they need (the person's library and its place, whether they appear in a
//! published record) and applies them to every read: one person, lists, history, exports.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::ids::PersonId;
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::user::Place;
use lipa_store::{Erasure, Keyset, PersonDossier, PersonQuery, Versioned};

/// A person as a reader may see them: the contacts only where the rule allows.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: Versioned<Person>,
    pub contacts: Option<PersonalContacts>,
}

/// A page of people as a reader may see them.
#[derive(Debug, Clone)]
pub struct PersonPage {
    pub items: Vec<PersonView>,
    /// People that pass the filter and the reader may see, on every page.
    pub total: i64,
    /// Whether people follow this page.
    pub more: bool,
}

impl App {
    /// The place of a person's library, for the contacts rule; nowhere (admins only) when the
    /// person is linked to no library. A library that no longer exists still counts for its own
    /// librarian.
    pub async fn person_place(&self, person: &Person) -> Result<Place> {
        let Some(id) = person.library else {
            return Ok(Access::district_place(None));
        };
        Ok(match self.store.library(id).await? {
            Some(lib) => Access::library_place(&lib.record),
            None => Access::orphan_library_place(id),
        })
    }

    /// The place a write needs covered: the district of the person's library, else of their
    /// partner — district-level (librarians do not edit people).
    pub async fn person_write_place(&self, p: &Person) -> Result<Place> {
        let mut district = match p.library {
            Some(lib) => self
                .store
                .library(lib)
                .await?
                .and_then(|l| Access::library_place(&l.record).district),
            None => None,
        };
        if district.is_none()
            && let Some(pid) = p.partner_id
        {
            district = self
                .store
                .partner(pid)
                .await?
                .and_then(|v| Access::partner_place(&v.record).district);
        }
        Ok(Access::district_place(district))
    }

    /// The person's contacts, when the reader may see them.
    pub async fn visible_contacts(
        &self,
        access: &Access,
        person: &Person,
    ) -> Result<Option<PersonalContacts>> {
        if access.role().is_none() {
            return Ok(None);
        }
        let place = self.person_place(person).await?;
        Ok(access
            .sees_contacts(person, &place)
            .then(|| person.contacts.clone()))
    }

    /// Whether the reader may see that the person exists.
    async fn sees_person(&self, access: &Access, id: PersonId, p: &Person) -> Result<bool> {
        if access.is_admin() || self.store.person_in_published_record(id).await? {
            return Ok(true);
        }
        Ok(access.covers(&self.person_write_place(p).await?)
            || access.covers(&self.person_place(p).await?))
    }

    /// A person as the reader may see them (else not found).
    pub async fn person(&self, access: &Access, id: PersonId) -> Result<PersonView> {
        let person = self.store.person(id).await?.ok_or(AppError::NotFound)?;
        if !self.sees_person(access, id, &person.record).await? {
            return Err(AppError::NotFound);
        }
        let contacts = self.visible_contacts(access, &person.record).await?;
        Ok(PersonView { person, contacts })
    }

    /// A page of the people the reader may see, each with the contacts they may see (their
    /// libraries read in one query).
    pub async fn page_persons(
        &self,
        access: &Access,
        q: &PersonQuery,
        page: Keyset,
    ) -> Result<PersonPage> {
        let mut q = q.clone();
        q.scope = access.draft_scope();
        let got = self.store.page_persons(&q, page).await?;
        let lib_ids: Vec<_> = got.items.iter().filter_map(|p| p.record.library).collect();
        let libraries = if access.role().is_some() && !lib_ids.is_empty() {
            self.store.libraries_by_ids(&lib_ids).await?
        } else {
            vec![]
        };
        let items = got
            .items
            .into_iter()
            .map(|person| {
                let place = match person.record.library {
                    Some(id) => libraries
                        .iter()
                        .find(|l| l.record.id == id)
                        .map(|l| Access::library_place(&l.record))
                        .unwrap_or_else(|| Access::orphan_library_place(id)),
                    None => Access::district_place(None),
                };
                let contacts = access
                    .sees_contacts(&person.record, &place)
                    .then(|| person.record.contacts.clone());
                PersonView { person, contacts }
            })
            .collect();
        Ok(PersonPage {
            items,
            total: got.total,
            more: got.more,
        })
    }

    /// Everything the store holds about a person, for a subject-access request: admins only.
    pub async fn person_dossier(&self, access: &Access, id: PersonId) -> Result<PersonDossier> {
        access.require_admin()?;
        self.store
            .person_dossier(id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Erases a person's personal data everywhere, history included: admins only.
    pub async fn erase_person(&self, access: &Access, id: PersonId) -> Result<Erasure> {
        access.require_admin()?;
        Ok(self.store.erase_person(&access.actor(), id).await?)
    }
}

impl crate::records::Managed for Person {
    async fn visible(app: &App, access: &Access, id: PersonId) -> Result<Versioned<Person>> {
        let person = app.store.person(id).await?.ok_or(AppError::NotFound)?;
        match app.sees_person(access, id, &person.record).await? {
            true => Ok(person),
            false => Err(AppError::NotFound),
        }
    }

    async fn place(&self, app: &App) -> Result<Place> {
        app.person_write_place(self).await
    }
}
