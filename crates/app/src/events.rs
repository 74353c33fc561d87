//! Events — meetings and trainings: read one as the reader may see it, list them, create,
//! change (details, agenda, participants, working groups, publishing — each a change of the
//! whole record under its version), delete, and the district table of a meeting's report. An
//! event sits in its district; an unpublished one exists only for the roles that could change it.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::event::Event;
use lipa_core::ids::{DistrictCode, EventId, LibraryId, PartnerId, Year};
use lipa_core::library::Library;
use lipa_core::service::Service;
use lipa_core::user::Place;
use lipa_core::{Violation, Violations};
use lipa_store::{EventQuery, Keyset, KeysetPage, Versioned};

impl App {
    /// The event, when the reader may see it (else not found).
    pub async fn event(&self, access: &Access, id: EventId) -> Result<Versioned<Event>> {
        let ev = self.store.event(id).await?.ok_or(AppError::NotFound)?;
        access.require_sees(ev.record.published, &Access::event_place(&ev.record))?;
        Ok(ev)
    }

    /// Every event the reader may see, latest first.
    pub async fn events(&self, access: &Access) -> Result<Vec<Versioned<Event>>> {
        Ok(self
            .store
            .events()
            .await?
            .into_iter()
            .filter(|e| access.sees(e.record.published, &Access::event_place(&e.record)))
            .collect())
    }

    /// A page of events, unpublished ones only in the reader's scope.
    pub async fn page_events(
        &self,
        access: &Access,
        mut q: EventQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Event>> {
        q.drafts = access.event_draft_scope();
        Ok(self.store.page_events(&q, page).await?)
    }

    /// The events a library or a partner took part in, as the reader may see them.
    pub async fn events_for_partner(
        &self,
        access: &Access,
        partner: PartnerId,
    ) -> Result<Vec<Versioned<Event>>> {
        Ok(self
            .store
            .events_for_partner(partner)
            .await?
            .into_iter()
            .filter(|e| access.sees(e.record.published, &Access::event_place(&e.record)))
            .collect())
    }

    /// The registry persons the participant list names must exist (a dangling one is the
    /// client's mistake). A list names a bounded number of people.
    async fn check_person_refs(&self, e: &Event) -> Result<()> {
        let mut v = Violations::default();
        for (i, p) in e.participants.iter().enumerate() {
            if let Some(id) = p.person_id
                && self.store.person(id).await?.is_none()
            {
                v.push(Violation::new(
                    format!("participants[{i}].person_id"),
                    "err-reference",
                ));
            }
        }
        Ok(v.into_result()?)
    }

    /// Adopts working group `n` (from 1) of event `id` into `library` as a draft for the
    /// event's year.
    pub async fn adopt_group_card(
        &self,
        access: &Access,
        id: EventId,
        n: usize,
        library: LibraryId,
    ) -> Result<Versioned<Service>> {
        let ev = self.event(access, id).await?;
        let g = n
            .checked_sub(1)
            .and_then(|i| ev.record.working_groups.get(i))
            .ok_or(AppError::NotFound)?;
        let (Some(category), false) = (g.category.clone(), g.card.name.trim().is_empty()) else {
            return Err(Violation::new("card", "ev-adopt-need-card").into());
        };
        let year = Year::new(i32::from(ev.record.starts.year()))?;
        self.adopt(
            access,
            crate::services::Adoptable {
                category,
                card: &g.card,
            },
            library,
            year,
        )
        .await
    }

    /// The district table of a meeting's report: every library of `district` and their
    /// published, not dropped services of `year`.
    pub async fn district_table_data(
        &self,
        _access: &Access,
        district: &DistrictCode,
        year: Year,
    ) -> Result<(Vec<Versioned<Library>>, Vec<Versioned<Service>>)> {
        let libraries = self.store.district_libraries(district).await?;
        let services = self
            .store
            .district_services(district, year)
            .await?
            .into_iter()
            .filter(|s| {
                s.record.status.is_published()
                    && s.record.status != lipa_core::service::ServiceStatus::Dropped
            })
            .collect();
        Ok((libraries, services))
    }
}

impl crate::records::Managed for Event {
    async fn visible(app: &App, access: &Access, id: EventId) -> Result<Versioned<Event>> {
        app.event(access, id).await
    }

    async fn place(&self, _: &App) -> Result<Place> {
        Ok(Access::event_place(self))
    }

    /// Events are a coordinator's (or an admin's); the people they name must exist.
    async fn check(&self, app: &App, access: &Access) -> Result<()> {
        access.require_coordinator()?;
        app.check_person_refs(self).await
    }
}
