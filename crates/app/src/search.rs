//! Search over every kind of record, with this server's index.
//!
//! The index (`lipa_search::SearchIndex`, one per server) follows the store's change log: a
//! background task applies it every [`FOLLOW_EVERY`] ([`App::follow_changes`]), and a search
//! applies what is pending first, so that whoever just saved a record finds it at once — waiting
//! at most [`CATCH_UP_WAIT`], so that a stream of other people's writes never holds a search up. What a
//! reader may find is [`Access::search_viewer`]'s: drafts and unpublished events for users in
//! scope, people only for signed-in users in scope, personal contacts never.

use crate::App;
use crate::access::Access;
use crate::error::Result;
use lipa_search::{Query, Results};
use std::time::Duration;

/// How often the background task applies the change log to the index.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(300);

/// How long a search waits for the index to take in the writes made before it. Past it (a
/// server busy with a stream of writes), the search answers from what the index has; the
/// catch-up goes on by itself.
pub const CATCH_UP_WAIT: Duration = Duration::from_secs(1);

impl App {
    /// Starts the tasks that keep the search and facet indexes following the store (when there is a runtime to run
    /// it: an application built outside one searches with catch-ups of its own).
    pub fn follow_changes(&self) {
        if tokio::runtime::Handle::try_current().is_ok() {
            lipa_search::follow(&self.search, self.store.clone(), FOLLOW_EVERY);
            lipa_store::FacetIndex::follow(&self.facets, self.store.clone(), FOLLOW_EVERY);
        }
    }

    /// Runs `query` as the reader may see it, after applying the pending changes, on the
    /// blocking pool (never on the async runtime), within the index's own bounds on words, terms
    /// and time. A failed catch-up is logged and the search runs on what the index has.
    pub async fn search(&self, access: &Access, query: &Query) -> Result<Results> {
        let mut query = query.clone();
        query.viewer = access.search_viewer();
        let index = self.caught_up().await;
        Ok(tokio::task::spawn_blocking(move || index.search(&query)).await??)
    }

    /// The programme IDs of the libraries `query` finds for the reader, directly or through a
    /// service, best first (at most `limit`): no snippets, no stored text.
    pub async fn library_ids(
        &self,
        access: &Access,
        query: &Query,
        limit: usize,
    ) -> Result<Vec<u32>> {
        let mut query = query.clone();
        query.viewer = access.search_viewer();
        let index = self.caught_up().await;
        Ok(tokio::task::spawn_blocking(move || index.library_ids(&query, limit)).await??)
    }

    async fn caught_up(&self) -> std::sync::Arc<lipa_search::SearchIndex> {
        // A task of its own, so that a search that stops waiting never cuts a catch-up short.
        let (search, store) = (self.search.clone(), self.store.clone());
        let catch_up = tokio::spawn(async move { search.catch_up(&store).await });
        match tokio::time::timeout(CATCH_UP_WAIT, catch_up).await {
            Ok(Ok(Ok(_))) => {}
            Ok(Ok(Err(e))) => {
                tracing::warn!(error = %e, "search index catch-up failed; searching what it has");
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "search index catch-up stopped"),
            Err(_) => tracing::debug!("search index still catching up; searching what it has"),
        }
        self.search.clone()
    }

    /// Rebuilds the index from the database; the number of records indexed.
    pub async fn reindex(&self) -> Result<usize> {
        Ok(self.search.rebuild(&self.store).await?)
    }

    /// While the index is being built from the records: how far, in per cent.
    pub fn search_building(&self) -> Option<u8> {
        self.search.building()
    }

    /// Brings the index up to date with the change log.
    pub async fn catch_up_search(&self) -> Result<()> {
        self.search.catch_up(&self.store).await?;
        Ok(())
    }
}
