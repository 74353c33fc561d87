//! `lipa search …`: care of the search index that `lipa serve` keeps beside the database file
//! (`<db>.search/`) or in `--search-dir` (see [`Database::search_dir`]), and the server's state
//! with that index.
//!
//! The index is made from the database and can always be made again: `lipa search reindex`
//! rebuilds it (the server must be stopped: one writer per index directory). A running server
//! keeps it current by itself, from the audit log.

use crate::database::Database;
use crate::exit::{self, Reported};
use crate::output::Out;
use anyhow::Context;
use clap::Subcommand;
use lipa_search::SearchIndex;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
}

pub async fn search(db: &Database, command: SearchCommand, out: &Out) -> anyhow::Result<ExitCode> {
    match command {
        SearchCommand::Reindex => reindex(db, out).await,
    }
}

/// Opens the index of `db`, telling the user (exit 75) when a server holds it.
fn open(db: &Database, out: &Out) -> anyhow::Result<SearchIndex> {
    let dir = db.search_dir();
    match SearchIndex::open(&dir) {
        Ok(index) => Ok(index),
        Err(lipa_search::SearchError::Busy(_)) => {
            out.error("search-index-busy", &[("dir", &dir.display().to_string())]);
            Err(Reported(exit::TEMP_FAIL).into())
        }
        Err(e) => Err(e).with_context(|| dir.display().to_string()),
    }
}

async fn reindex(db: &Database, out: &Out) -> anyhow::Result<ExitCode> {
    let app = db.open().await?;
    let app = app.with_search(Arc::new(open(db, out)?));
    let count = app.reindex().await?;
    out.say(
        "search-reindexed",
        &[
            ("count", &count.to_string()),
            ("dir", &db.search_dir().display().to_string()),
        ],
    );
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The application with the index of `db` on disk (brought up to date by its first catch-up).
/// When another server on this machine holds that directory (servers started together on one
/// database with one index directory), this one keeps its own index in memory, made from the
/// database and following its change log like any other: it serves the same answers.
pub fn with_disk_index(
    db: &Database,
    app: lipa_app::App,
    out: &Out,
) -> anyhow::Result<lipa_app::App> {
    let dir = db.search_dir();
    let mut tries = 0;
    loop {
        match SearchIndex::open(&dir) {
            Ok(index) => return Ok(app.with_search(Arc::new(index))),
            Err(lipa_search::SearchError::Busy(_)) => {
                out.say(
                    "search-index-shared",
                    &[("dir", &dir.display().to_string())],
                );
                return Ok(app);
            }
            // A directory that another server is creating at this moment can be seen half-made
            // once; the second look finds it whole (or busy).
            Err(_) if tries < 3 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) => return Err(e).with_context(|| dir.display().to_string()),
        }
    }
}
