//! The pages, one module per family. Each module owns its routes (`routes()`), its handlers and
//! its templates (`templates/<module>/…`); this file only merges them.

pub mod account;
pub mod admin;
pub(crate) mod conflict;
pub mod events;
pub mod history;
pub mod home;
pub mod import;
pub mod libraries;
pub mod libraries_map;
pub mod library;
pub mod me;
pub mod open_data;
pub mod partners;
pub mod reports;
pub mod search;
pub mod services;

use crate::AppState;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;

/// Every page. A body over [`crate::MAX_UPLOAD`] is refused before it is read (a bare 413 that
/// `http::error::render_page_errors` turns into a page), except on the import form, which
/// answers it with the form again and the limit named (`import.rs`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(admin::routes())
        .merge(history::routes())
        .merge(me::routes())
        .merge(home::routes())
        .merge(account::routes())
        .merge(events::routes())
        .merge(libraries::routes())
        .merge(libraries_map::routes())
        .merge(reports::routes())
        .merge(library::routes())
        .merge(services::routes())
        .merge(partners::routes())
        .merge(open_data::routes())
        .merge(search::routes())
        .layer(RequestBodyLimitLayer::new(crate::MAX_UPLOAD))
        .merge(import::routes())
}

/// Query-string helpers shared by list pages.
pub mod query {
    /// A query string as pairs, read leniently: one that cannot be read is empty, never an
    /// error page (the query string is the user's to edit).
    pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default()
    }

    /// The first value of `key`, trimmed; empty when there is none.
    pub fn get(pairs: &[(String, String)], key: &str) -> String {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The first value of `key` that is not blank, trimmed.
    pub fn value(pairs: &[(String, String)], key: &str) -> Option<String> {
        pairs
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    }

    /// Rebuilds a query string from pairs, skipping empty values, with `(key, value)` replaced or
    /// removed: how facet links and pagination keep the other filters.
    pub fn with(pairs: &[(String, String)], key: &str, value: Option<&str>) -> String {
        let mut out: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, v)| k != key && k != "page" && !v.is_empty())
            .cloned()
            .collect();
        if let Some(v) = value {
            out.push((key.to_owned(), v.to_owned()));
        }
        let s = serde_urlencoded::to_string(&out).unwrap_or_default();
        if s.is_empty() {
            String::new()
        } else {
            format!("?{s}")
        }
    }
}
