//! Creating, replacing and deleting a partner, a person, an event or a service: the same steps
//! for each, written once. A writer must be signed in; the record must be one they may see
//! (else it does not exist for them: 404) and their scope must cover where it is and where the
//! change puts it (403); then what else the record needs is checked ([`Managed::check`]) and the
//! store writes it with its audit entry in one transaction, at the version the writer saw.
//! Each record says only what differs: who may see it, where it is, what it needs.
//! (Libraries and users have rules of their own, in `libraries.rs` and `accounts.rs`.)

use crate::App;
use crate::access::Access;
use crate::error::Result;
use lipa_core::user::Place;
use lipa_store::{Versioned, Written};
use std::future::Future;

/// What the generic writes need to know of a record.
pub trait Managed: Written + Send {
    /// The record, when `access` may see it (else not found).
    fn visible(
        app: &App,
        access: &Access,
        id: Self::Id,
    ) -> impl Future<Output = Result<Versioned<Self>>> + Send;

    /// Where the record is, for the writer's scope.
    fn place(&self, app: &App) -> impl Future<Output = Result<Place>> + Send;

    /// What a write needs beyond the scope (nothing by default).
    fn check(&self, app: &App, access: &Access) -> impl Future<Output = Result<()>> + Send {
        let _ = (app, access);
        async { Ok(()) }
    }
}

impl App {
    /// Record `id` as `access` may read it (else not found).
    pub async fn find<R: Managed>(&self, access: &Access, id: R::Id) -> Result<Versioned<R>> {
        R::visible(self, access, id).await
    }

    /// Record `id` for a change: seen by the writer (else not found) and in their scope (else
    /// forbidden).
    pub async fn for_change<R: Managed>(&self, access: &Access, id: R::Id) -> Result<Versioned<R>> {
        // Signing in would help before anything else is said.
        access.require_user()?;
        let current = R::visible(self, access, id).await?;
        access.require_change(&current.record.place(self).await?)?;
        Ok(current)
    }

    /// Creates a record where the writer's scope covers it.
    pub async fn create<R: Managed>(&self, access: &Access, record: &R) -> Result<Versioned<R>> {
        access.require_change(&record.place(self).await?)?;
        record.check(self, access).await?;
        Ok(self.store.create(&access.actor(), record).await?)
    }

    /// Replaces record `id` (at version `expected`, if given); the scope must cover it where it
    /// is and where it goes.
    pub async fn replace<R: Managed>(
        &self,
        access: &Access,
        id: R::Id,
        record: &R,
        expected: Option<i64>,
    ) -> Result<Versioned<R>> {
        self.for_change::<R>(access, id).await?;
        access.require_change(&record.place(self).await?)?;
        record.check(self, access).await?;
        Ok(self
            .store
            .replace(&access.actor(), id, record, expected)
            .await?)
    }

    /// Deletes record `id` (at version `expected`, if given).
    pub async fn delete<R: Managed>(
        &self,
        access: &Access,
        id: R::Id,
        expected: Option<i64>,
    ) -> Result<()> {
        self.for_change::<R>(access, id).await?;
        Ok(self
            .store
            .delete::<R>(&access.actor(), id, expected)
            .await?)
    }
}
