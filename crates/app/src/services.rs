//! Services: read one as the reader may see it, list them, create, change, publish, delete, and
//! adopt — a card copied into another library as a draft, from a service or from a working
//! group of a meeting. A service sits where its library sits; a draft exists only for the roles
//! that could change it.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::ids::{CategoryCode, LibraryId, ServiceId, Year};
use lipa_core::library::Library;
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::user::Place;
use lipa_core::{Violation, Violations};
use lipa_store::{Keyset, KeysetPage, PartnerLink, ServiceQuery, Versioned};

/// A service with its library and the library's place in the tree.
#[derive(Debug, Clone)]
pub struct ServiceInLibrary {
    pub service: Versioned<Service>,
    pub library: Versioned<Library>,
    pub place: Place,
}

impl ServiceInLibrary {
    pub fn id(&self) -> ServiceId {
        self.service.id
    }
}

/// What an adoption copies: a card in a category, from a service or a working group.
pub struct Adoptable<'a> {
    pub category: CategoryCode,
    pub card: &'a ServiceCard,
}

impl App {
    /// The service with its library, when the reader may see it (else not found).
    pub async fn service(&self, access: &Access, id: ServiceId) -> Result<ServiceInLibrary> {
        let s = self.service_anyhow(id).await?;
        access.require_sees(s.service.record.status.is_published(), &s.place)?;
        Ok(s)
    }

    /// The service for a change: seen by the reader (else not found) and in their scope (else
    /// forbidden).
    pub async fn service_for_change(
        &self,
        access: &Access,
        id: ServiceId,
    ) -> Result<ServiceInLibrary> {
        // Signing in would help before anything else is said.
        access.require_user()?;
        let s = self.service(access, id).await?;
        access.require_change(&s.place)?;
        Ok(s)
    }

    async fn service_anyhow(&self, id: ServiceId) -> Result<ServiceInLibrary> {
        let service = self.store.service(id).await?.ok_or(AppError::NotFound)?;
        let library = self
            .store
            .library(service.record.library)
            .await?
            .ok_or(AppError::NotFound)?;
        let place = Access::library_place(&library.record);
        Ok(ServiceInLibrary {
            service,
            library,
            place,
        })
    }

    /// A page of services, drafts only in the reader's scope.
    pub async fn page_services(
        &self,
        access: &Access,
        mut q: ServiceQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Service>> {
        q.drafts = access.draft_scope();
        Ok(self.store.page_services(&q, page).await?)
    }

    /// The registry partners the cards of `services` name, with their roles.
    pub async fn service_partner_links(&self, services: &[ServiceId]) -> Result<Vec<PartnerLink>> {
        Ok(self.store.service_partner_links(services).await?)
    }

    /// The place a service's library gives it; a library not in the registry is the client's
    /// mistake.
    async fn place_of_new(&self, s: &Service) -> Result<Place> {
        match self.store.library(s.library).await? {
            Some(l) => Ok(Access::library_place(&l.record)),
            None => Err(Violations::from(
                Violation::new("library", "err-unknown-library").arg("value", s.library),
            )
            .into()),
        }
    }

    /// The registry partners step 4 names must exist (a dangling one is the client's mistake).
    async fn check_partner_refs(&self, s: &Service) -> Result<()> {
        // A card names a handful of partners: a lookup each is bounded by the card, not the
        // registry.
        let mut v = Violations::default();
        for (i, p) in s.card.partners.iter().enumerate() {
            if let Some(id) = p.partner_id
                && self.store.partner(id).await?.is_none()
            {
                v.push(Violation::new(
                    format!("card.partners[{i}].partner_id"),
                    "err-reference",
                ));
            }
        }
        Ok(v.into_result()?)
    }

    /// Sets a service's status; a published status needs a card that keeps the rules of a
    /// published one (else the violations, nothing written).
    pub async fn set_service_status(
        &self,
        access: &Access,
        id: ServiceId,
        status: ServiceStatus,
        expected: Option<i64>,
    ) -> Result<Versioned<Service>> {
        let current = self.service_for_change(access, id).await?;
        let mut s = current.service.record;
        s.status = status;
        if status.is_published() {
            s.validate()?;
        }
        Ok(self
            .store
            .replace(&access.actor(), id, &s, expected)
            .await?)
    }

    /// Adopts a card into `library` as a new draft for `year`. The people (volunteers) and the
    /// results reached stay with the original: they belong to its library.
    pub async fn adopt(
        &self,
        access: &Access,
        source: Adoptable<'_>,
        library: LibraryId,
        year: Year,
    ) -> Result<Versioned<Service>> {
        let lib = self.store.library(library).await?.ok_or_else(|| {
            AppError::Invalid(Violations::from(
                Violation::new("library", "err-unknown-library").arg("value", library),
            ))
        })?;
        access.require_change(&Access::library_place(&lib.record))?;
        let copy = Service {
            library,
            year,
            category: source.category,
            status: ServiceStatus::Draft,
            volunteer_supported: false,
            volunteers: vec![],
            card: source.card.clone(),
            results: vec![],
        };
        Ok(self.store.create(&access.actor(), &copy).await?)
    }

    /// Adopts service `id` (which the reader must see) into `library`, for `year` (else the
    /// original's).
    pub async fn adopt_service(
        &self,
        access: &Access,
        id: ServiceId,
        library: LibraryId,
        year: Option<Year>,
    ) -> Result<Versioned<Service>> {
        let source = self.service(access, id).await?;
        let s = &source.service.record;
        self.adopt(
            access,
            Adoptable {
                category: s.category.clone(),
                card: &s.card,
            },
            library,
            year.unwrap_or(s.year),
        )
        .await
    }

    /// The libraries the reader may adopt a card into, but `except`: a librarian's own, a
    /// coordinator's district's, every library for an admin (at most `limit`, by programme ID);
    /// none for the public.
    pub async fn adopt_targets(
        &self,
        access: &Access,
        except: Option<LibraryId>,
        limit: i64,
    ) -> Result<Vec<Versioned<Library>>> {
        let Some(role) = access.role() else {
            return Ok(vec![]);
        };
        let mut f = lipa_store::LibraryFilter {
            limit: limit + 1,
            ..Default::default()
        };
        match role {
            lipa_core::user::Role::Admin => {}
            lipa_core::user::Role::Coordinator { district } => f.district = Some(district.clone()),
            lipa_core::user::Role::Librarian { library } => f.ids = Some(vec![*library]),
            lipa_core::user::Role::Viewer => return Ok(vec![]),
        }
        let (rows, _) = self.store.list_libraries(&f).await?;
        Ok(rows
            .into_iter()
            .map(|r| r.library)
            .filter(|l| Some(l.record.id) != except)
            .take(usize::try_from(limit).unwrap_or(0))
            .collect())
    }
}

impl crate::records::Managed for Service {
    async fn visible(app: &App, access: &Access, id: ServiceId) -> Result<Versioned<Service>> {
        Ok(app.service(access, id).await?.service)
    }

    async fn place(&self, app: &App) -> Result<Place> {
        app.place_of_new(self).await
    }

    /// The partners a card names must exist.
    async fn check(&self, app: &App, _: &Access) -> Result<()> {
        app.check_partner_refs(self).await
    }
}
