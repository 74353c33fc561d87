//! The HTTP front end of lipa: server-rendered pages (Bulgarian first, English second, working
//! without JavaScript), the JSON API under `/api/v1`, sessions and permissions, and the static
//! assets, all served from the binary.
//!
//! Handlers parse requests, check permissions through [`ctx::Ctx`], call the store and the
//! importers, and render templates. They never write SQL and never build HTML by hand: every page
//! is an askama template under `templates/` (escaped by default), every word comes from the
//! translation files.
//!
//! Module map: [`ctx`] (who is asking, in which language), [`error`] (errors as pages or
//! problem+json), [`assets`], [`render`], [`pages`] (one module per page family), [`charts`] (SVG
//! charts and the district map).

pub mod api;
pub mod assets;
pub mod charts;
pub mod ctx;
pub mod error;
pub mod linked_data;
pub mod pages;
pub mod privacy;
pub mod render;
pub mod search_routes;
pub mod testing;

use axum::Router;
use lipa_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub inner: Arc<Shared>,
}

/// Server-wide settings and caches.
pub struct Shared {
    /// Set when the server is reached through TLS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// Failed sign-ins, for throttling.
    pub throttle: pages::account::Throttle,
    /// The full-text index of this server (see [`search_routes`]).
    pub search: Arc<lipa_search::SearchIndex>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        Self::with_options(store, false)
    }

    /// `secure_cookies`: the server is reached through TLS (a proxy), so cookies get `Secure`.
    pub fn with_options(store: Store, secure_cookies: bool) -> Self {
        // An index in RAM is built from the store by its first catch-up.
        let search = lipa_search::SearchIndex::open_in_ram()
            .expect("an index in RAM needs no I/O and its writer settings are fixed");
        Self::with_search(store, secure_cookies, Arc::new(search))
    }

    /// With a search index of the caller's (`lipa serve` keeps one beside the database file),
    /// which a background task keeps following the store's change log.
    pub fn with_search(
        store: Store,
        secure_cookies: bool,
        search: Arc<lipa_search::SearchIndex>,
    ) -> Self {
        search_routes::follow(&search, &store);
        Self {
            store,
            inner: Arc::new(Shared {
                secure_cookies,
                throttle: Default::default(),
                search,
            }),
        }
    }
}

/// Largest request body: an uploaded import file.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// The whole application: pages, API and assets, with the security headers every response gets.
pub fn router(state: AppState) -> Router {
    use axum::http::{HeaderName, HeaderValue, header};
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
    pages::routes()
        .merge(assets::routes())
        .merge(api::routes())
        .fallback(error::not_found)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::account::session_layer,
        ))
        .layer(axum::middleware::from_fn(
            pages::account::same_origin_writes,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_UPLOAD))
        .layer(TraceLayer::new_for_http())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_page,
        ))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(addr: SocketAddr, state: AppState) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    // Give in-flight requests a moment; axum stops accepting new ones at once.
    tokio::time::sleep(Duration::from_millis(50)).await;
}
