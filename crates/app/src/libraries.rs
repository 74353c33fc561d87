//! Libraries: the registry list with its facet counts and text query, one library with what it
//! runs, the view as a registry for export, and the writes. A library is public; what it runs
//! is public once published. Creating and deleting a library is district-level (an admin or the
//! district's coordinator); its librarian may edit it but not move it to another district.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use crate::search::CATCH_UP_WAIT;
use lipa_core::Violation;
use lipa_core::event::Event;
use lipa_core::ids::LibraryId;
use lipa_core::library::Library;
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::text::fold_name;
use lipa_core::user::Place;
use lipa_io::Registry;
use lipa_store::{
    Facet, FacetIndex, LibraryFilter, LibraryRow, LibrarySummary, Selection, Versioned,
};
use std::sync::Arc;
use std::time::Duration;

/// How long a first list waits for the facet index to be built (a small registry's takes
/// milliseconds; a large one's goes on in the background while SQL answers).
pub const FIRST_BUILD_WAIT: Duration = Duration::from_millis(200);

/// Most libraries the text query narrows a list to (the best-ranked first).
pub const TEXT_QUERY_HITS: usize = 10_000;

/// Libraries of one page of a list, with the services the list shows beside each.
pub struct LibraryPage {
    pub rows: Vec<LibraryRow>,
    /// Rows that pass the filter, on every page.
    pub total: i64,
    /// The published services of the page's libraries that pass the filter.
    pub services: Vec<Versioned<Service>>,
}

/// One library with what the reader may see of it.
pub struct LibraryView {
    pub library: Versioned<Library>,
    pub place: Place,
    /// Its services: published ones, and drafts for readers in scope.
    pub services: Vec<Versioned<Service>>,
    /// The events of its district: published ones, and the rest for readers in scope.
    pub events: Vec<Versioned<Event>>,
}

/// Whether a service passes the service-level filters of a list (for the rows and exports):
/// published, not dropped, and of the filter's category, year, status, volunteers and group.
pub fn service_matches(f: &LibraryFilter, s: &Service) -> bool {
    s.status.is_published()
        && s.status != ServiceStatus::Dropped
        && f.category.as_ref().is_none_or(|c| *c == s.category)
        && f.year.is_none_or(|y| y == s.year)
        && f.status.is_none_or(|st| st == s.status)
        && f.volunteers.is_none_or(|v| v == s.volunteer_supported)
        && f.target_group.as_ref().is_none_or(|t| {
            s.card
                .target_groups
                .iter()
                .any(|g| fold_name(g) == fold_name(t))
        })
}

impl App {
    /// A library (public).
    pub async fn library(&self, _access: &Access, id: LibraryId) -> Result<Versioned<Library>> {
        self.store.library(id).await?.ok_or(AppError::NotFound)
    }

    /// A library with its services and its district's events, as the reader may see them.
    pub async fn library_view(&self, access: &Access, id: LibraryId) -> Result<LibraryView> {
        let library = self.library(access, id).await?;
        let place = Access::library_place(&library.record);
        let services = self
            .store
            .services_of(&[id])
            .await?
            .into_iter()
            .filter(|s| access.sees(s.record.status.is_published(), &place))
            .collect();
        let events = match &place.district {
            Some(d) => {
                let district = Access::district_place(Some(d.clone()));
                self.store
                    .events_in_district(d)
                    .await?
                    .into_iter()
                    .filter(|e| access.sees(e.record.published, &district))
                    .collect()
            }
            None => vec![],
        };
        Ok(LibraryView {
            library,
            place,
            services,
            events,
        })
    }

    /// Narrows `f` to the libraries the full-text search finds for `q`: by name, chitalishte,
    /// place or programme ID, or through a published service of theirs — every word must match;
    /// what only drafts say does not count (the list is the public view).
    pub async fn apply_text_query(&self, q: &str, f: &mut LibraryFilter) -> Result<()> {
        if lipa_core::search_text::analyze(q).is_empty() {
            return Ok(());
        }
        let mut query = lipa_search::Query::new(q);
        query.partial = false;
        let ids = self
            .library_ids(&Access::anonymous(), &query, TEXT_QUERY_HITS)
            .await?
            .into_iter()
            .filter_map(|n| LibraryId::new(n).ok())
            .collect();
        f.ids = Some(ids);
        Ok(())
    }

    /// One page of the list (the public view): the filter's libraries, their count, and the
    /// services the list shows beside them (one query for the whole page).
    pub async fn list_libraries(&self, _access: &Access, f: &LibraryFilter) -> Result<LibraryPage> {
        let selection = match self.caught_up_facets().await {
            Some(index) => {
                let filter = f.clone();
                tokio::task::spawn_blocking(move || index.select(&filter)).await?
            }
            None => None,
        };
        let (rows, total) = match selection {
            Some(Selection {
                total,
                page: Some(ids),
            }) => (self.store.library_rows(f, &ids).await?, total),
            Some(Selection { total, page: None }) => (self.store.library_page(f).await?, total),
            None => self.store.list_libraries(f).await?,
        };
        let ids: Vec<LibraryId> = rows.iter().map(|r| r.library.record.id).collect();
        let services = self
            .store
            .services_of(&ids)
            .await?
            .into_iter()
            .filter(|s| service_matches(f, &s.record))
            .collect();
        Ok(LibraryPage {
            rows,
            total,
            services,
        })
    }

    /// How many libraries of the filter are in each settlement (EKATTE code): a map's clusters
    /// from one grouped query.
    pub async fn libraries_by_settlement(&self, f: &LibraryFilter) -> Result<Vec<(String, i64)>> {
        Ok(self.store.libraries_by_settlement(f).await?)
    }

    /// Up to `limit` libraries of the filter after programme ID `after`, with their counted
    /// services by category: maps and GeoJSON read a view in such batches.
    pub async fn library_batch(
        &self,
        f: &LibraryFilter,
        after: Option<LibraryId>,
        limit: i64,
    ) -> Result<Vec<LibrarySummary>> {
        Ok(self.store.library_batch(f, after, limit).await?)
    }

    /// The facet counts of the list's filter (each facet ignores its own value).
    pub async fn library_facets(&self, _access: &Access, f: &LibraryFilter) -> Result<Vec<Facet>> {
        if let Some(index) = self.caught_up_facets().await {
            let filter = f.clone();
            if let Some(facets) = tokio::task::spawn_blocking(move || index.facets(&filter)).await?
            {
                return Ok(facets);
            }
        }
        Ok(self.store.library_facets(f).await?)
    }

    /// The facet index, caught up with every write made before the call — or none, and SQL
    /// answers (as exactly, more slowly): while the index is first built, or when a catch-up
    /// takes longer than [`CATCH_UP_WAIT`] (it goes on by itself).
    pub(crate) async fn caught_up_facets(&self) -> Option<Arc<FacetIndex>> {
        if self.facets.building() {
            return None;
        }
        let (index, store) = (self.facets.clone(), self.store.clone());
        // A task of its own, so that a reader that stops waiting never cuts a catch-up short.
        let catch_up = tokio::spawn(async move { index.catch_up(&store).await });
        let wait = if self.facets.ready() {
            CATCH_UP_WAIT
        } else {
            FIRST_BUILD_WAIT
        };
        match tokio::time::timeout(wait, catch_up).await {
            Ok(Ok(Ok(()))) => self.facets.ready().then(|| self.facets.clone()),
            Ok(Ok(Err(e))) => {
                tracing::warn!(error = %e, "facet index catch-up failed; counting with SQL");
                None
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "facet index catch-up stopped");
                None
            }
            Err(_) => None,
        }
    }

    /// Every library of a view (all pages), with the services the view counts: "export this
    /// view". Read in pages of a thousand.
    pub async fn export_view(&self, _access: &Access, f: &LibraryFilter) -> Result<Registry> {
        let mut f = f.clone();
        f.limit = 1000;
        let mut libraries = Vec::new();
        let mut offset = 0;
        loop {
            f.offset = offset;
            let (list, total) = self.store.list_libraries(&f).await?;
            let n = list.len() as i64;
            libraries.extend(list.into_iter().map(|r| r.library.record));
            offset += n;
            if n == 0 || offset >= total {
                break;
            }
        }
        let ids: Vec<LibraryId> = libraries.iter().map(|l| l.id).collect();
        let services = self
            .store
            .services_of(&ids)
            .await?
            .into_iter()
            .map(|v| v.record)
            .filter(|s| service_matches(&f, s))
            .collect();
        Ok(Registry {
            libraries,
            services,
            ..Default::default()
        })
    }

    /// Creates a library: an admin, or the coordinator of the district of its settlement.
    pub async fn create_library(
        &self,
        access: &Access,
        lib: &Library,
    ) -> Result<Versioned<Library>> {
        let place = Access::library_place(lib);
        if place.district.is_none() {
            lib.validate()?;
        }
        access.require_change(&Access::district_place(place.district))?;
        Ok(self.store.create_library(&access.actor(), lib).await?)
    }

    /// The library for a change: in the writer's scope.
    pub async fn library_for_change(
        &self,
        access: &Access,
        id: LibraryId,
    ) -> Result<Versioned<Library>> {
        // Signing in would help before anything else is said.
        access.require_user()?;
        let current = self.library(access, id).await?;
        access.require_change(&Access::library_place(&current.record))?;
        Ok(current)
    }

    /// Replaces a library. The scope must cover it where it is and where it goes; a move to
    /// another district needs the scope of that district (a librarian cannot take their library,
    /// its drafts and its people under another coordinator).
    pub async fn update_library(
        &self,
        access: &Access,
        id: LibraryId,
        lib: &Library,
        expected: Option<i64>,
    ) -> Result<Versioned<Library>> {
        let current = self.library_for_change(access, id).await?;
        if lib.id != id {
            return Err(Violation::new("id", "api-err-id-mismatch").into());
        }
        lib.validate()?;
        let before = Access::library_place(&current.record);
        let after = Access::library_place(lib);
        if !access.may_move(&before, &after) {
            return Err(AppError::Forbidden);
        }
        Ok(self
            .store
            .update_library(&access.actor(), lib, expected)
            .await?)
    }

    /// Deletes a library and its services: an admin, or the coordinator of its district.
    pub async fn delete_library(
        &self,
        access: &Access,
        id: LibraryId,
        expected: Option<i64>,
    ) -> Result<()> {
        let current = self.library(access, id).await?;
        access.require_change(&Access::district_place(
            Access::library_place(&current.record).district,
        ))?;
        Ok(self
            .store
            .delete_library(&access.actor(), id, expected)
            .await?)
    }
}
