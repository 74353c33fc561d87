//! The activity log of a service: what its library actually did for it. An entry lives where
//! its service lives: whoever sees the service sees its log (a draft's log only in the scope
//! that sees the draft), and whoever may change the service writes its log. An entry stays with
//! the service it was written for: a change cannot move it to another one. Writes go through
//! the generic, audited path of [`crate::records`].

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use crate::services::ServiceInLibrary;
use lipa_core::Violation;
use lipa_core::Violations;
use lipa_core::activity_log::ActivityEntry;
use lipa_core::ids::{ActivityId, ServiceId};
use lipa_core::user::Place;
use lipa_store::Versioned;

impl App {
    /// The entries of a service's log by date, when the reader may see the service (else not
    /// found).
    pub async fn service_activities(
        &self,
        access: &Access,
        service: ServiceId,
    ) -> Result<Vec<Versioned<ActivityEntry>>> {
        self.service(access, service).await?;
        Ok(self.store.service_activities(service).await?)
    }

    /// An entry of a log with its service, when the reader may see the service (else not
    /// found).
    pub async fn activity(
        &self,
        access: &Access,
        id: ActivityId,
    ) -> Result<(Versioned<ActivityEntry>, ServiceInLibrary)> {
        let entry = self.store.activity(id).await?.ok_or(AppError::NotFound)?;
        let service = self.service(access, entry.record.service_id).await?;
        Ok((entry, service))
    }

    /// Adds an entry to the log of service `service` (whatever service the entry names): the
    /// service must be seen by the writer (else not found) and in their scope (else forbidden).
    pub async fn add_activity(
        &self,
        access: &Access,
        service: ServiceId,
        mut entry: ActivityEntry,
    ) -> Result<Versioned<ActivityEntry>> {
        self.service_for_change(access, service).await?;
        entry.service_id = service;
        self.create(access, &entry).await
    }

    /// Replaces entry `id` (at version `expected`, if given), keeping it with its service.
    pub async fn change_activity(
        &self,
        access: &Access,
        id: ActivityId,
        mut entry: ActivityEntry,
        expected: Option<i64>,
    ) -> Result<Versioned<ActivityEntry>> {
        let current = self.for_change::<ActivityEntry>(access, id).await?;
        entry.service_id = current.record.service_id;
        self.replace(access, id, &entry, expected).await
    }
}

impl crate::records::Managed for ActivityEntry {
    async fn visible(app: &App, access: &Access, id: ActivityId) -> Result<Versioned<Self>> {
        Ok(app.activity(access, id).await?.0)
    }

    /// Where its service's library is; a service that does not exist is the writer's mistake.
    async fn place(&self, app: &App) -> Result<Place> {
        let service = app.store.service(self.service_id).await?.ok_or_else(|| {
            Violations::from(
                Violation::new("service_id", "err-unknown-service").arg("value", self.service_id),
            )
        })?;
        let library = app
            .store
            .library(service.record.library)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Access::library_place(&library.record))
    }
}
