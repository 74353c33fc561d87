//! `lipa search …`: care of the search index that `lipa serve` keeps beside the database file
//! (`<db>.search/`), and the server's state with that index.
//!
//! The index is made from the database and can always be made again: `lipa search reindex`
//! rebuilds it (the server must be stopped: one writer per index directory). A running server
//! keeps it current by itself, from the audit log.

use crate::exit::{self, Reported};
use crate::output::Out;
use anyhow::Context;
use clap::Subcommand;
use lipa_search::SearchIndex;
use lipa_store::Store;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
}

pub async fn search(db: &Path, command: SearchCommand, out: &Out) -> anyhow::Result<ExitCode> {
    match command {
        SearchCommand::Reindex => reindex(db, out).await,
    }
}

/// Opens the index beside `db`, telling the user (exit 75) when a server holds it.
fn open(db: &Path, out: &Out) -> anyhow::Result<SearchIndex> {
    let dir = lipa_search::dir_beside(db);
    match SearchIndex::open(&dir) {
        Ok(index) => Ok(index),
        Err(lipa_search::SearchError::Busy(_)) => {
            out.error("search-index-busy", &[("dir", &dir.display().to_string())]);
            Err(Reported(exit::TEMP_FAIL).into())
        }
        Err(e) => Err(e).with_context(|| dir.display().to_string()),
    }
}

async fn reindex(db: &Path, out: &Out) -> anyhow::Result<ExitCode> {
    let store = Store::open_sqlite(db)
        .await
        .with_context(|| db.display().to_string())?;
    let index = open(db, out)?;
    let count = index.rebuild(&store).await?;
    out.say(
        "search-reindexed",
        &[
            ("count", &count.to_string()),
            ("dir", &lipa_search::dir_beside(db).display().to_string()),
        ],
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The server's state, with the index beside `db` (brought up to date by its first catch-up).
pub fn app_state(db: &Path, store: Store, out: &Out) -> anyhow::Result<lipa_web::AppState> {
    let index = open(db, out)?;
    Ok(lipa_web::AppState::with_search(
        store,
        false,
        Arc::new(index),
    ))
}
