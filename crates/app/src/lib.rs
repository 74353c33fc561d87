//! The use cases of lipa: what a user can do, each rule written once, whatever the front end.
//!
//! The pages and the JSON API (`lipa-web`) and the command line (`lipa`) call this crate and only
//! this crate: neither knows the store. Every use case takes an [`Access`] — who is asking — and
//! every read and write goes through it (see [`access`] for the rules). Errors are one
//! [`AppError`]; front ends turn it into a page, a problem+json body or an exit code.
//!
//! One module per family of use cases, each a block of methods on [`App`]:
//! [`libraries`] (list, facets, text query, export), [`services`] (read, create, update,
//! publish, adopt), [`events`], [`partners`], [`persons`] (and their personal data), [`activity_log`] (what was done
//! for a service),
//! [`records`] (creating, replacing and deleting partners, persons, events and services: one
//! set of steps for all), [`reports`], [`accounts`] (users, sessions, tokens; the last-admin rule inside the write's
//! transaction), [`audit`] (history and the audit log), [`import`] (parse → plan → scope →
//! apply), [`search`] (the index of this server, followed from the change log), [`backup`]
//! (backups and restores of a SQLite database, and the scheduled ones).
//!
//! The types the use cases answer with (records with their versions, list filters, facets) are
//! re-exported from the store, so front ends name them without depending on it.

pub mod access;
pub mod accounts;
pub mod activity_log;
pub mod audit;
pub mod backup;
pub mod error;
pub mod events;
pub mod import;
pub mod libraries;
pub mod partners;
pub mod persons;
pub mod records;
pub mod reports;
pub mod search;
pub mod services;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use access::{Access, AccessUser};
pub use error::{AppError, Result};
pub use lipa_store::{
    ApiToken, Applied, AuditSearch, Backend, Counts, DistrictTableRow, DraftScope, Erasure,
    EventQuery, Facet, FacetValue, Keyset, KeysetPage, LibraryFilter, LibraryRow, LibrarySort,
    LibrarySummary, LiveSession, MatrixCell, PartnerFilter, PartnerKindReach, PartnerLink,
    PartnerQuery, PartnerReach, PersonDossier, PersonQuery, ServiceQuery, TargetGroupReach, Upload,
    Versioned, VolunteerCell, timestamp,
};
pub use records::Managed;

use lipa_search::SearchIndex;
use lipa_store::{FacetIndex, Store};
use std::sync::Arc;

/// The application: the store, this server's search index and its facet index. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    search: Arc<SearchIndex>,
    facets: Arc<FacetIndex>,
}

impl App {
    /// Opens the database at `url` (a SQLite file path, `sqlite://…` or `postgres://…`) and runs
    /// its migrations; the search index lives in RAM until [`App::with_search`] gives one on disk.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Store::open(url).await?;
        Ok(Self::with_store(store))
    }

    /// A fresh database for a test: in-memory SQLite, or a database of its own on the PostgreSQL
    /// server named by `LIPA_TEST_DATABASE_URL`.
    #[cfg(feature = "testing")]
    pub async fn open_test() -> Result<Self> {
        Ok(Self::with_store(Store::open_test().await?))
    }

    fn with_store(store: Store) -> Self {
        let search = SearchIndex::open_in_ram()
            .expect("an index in RAM needs no I/O and its writer settings are fixed");
        App {
            store,
            search: Arc::new(search),
            facets: Arc::new(FacetIndex::new()),
        }
    }

    /// The same store with the search index of the caller's (`lipa serve` keeps one on disk).
    pub fn with_search(self, search: Arc<SearchIndex>) -> Self {
        App {
            store: self.store,
            search,
            facets: self.facets,
        }
    }

    /// Which database is behind the application.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(self.store.schema_version().await?)
    }

    /// Runs the migrations that have not run yet; answers the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        Ok(self.store.migrate().await?)
    }

    /// Closes the database (checkpointing a SQLite file).
    pub async fn close(self) {
        self.store.close().await;
    }
}
