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
pub mod format;
pub mod http;
pub mod linked_data;
pub mod pages;
pub mod render;
pub mod search_routes;
#[cfg(feature = "testing")]
pub mod testing;

use axum::Router;
use lipa_app::App;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases: every read and write goes through them.
    pub app: App,
    pub inner: Arc<Shared>,
}

/// Server-wide settings and state of the HTTP layer.
pub struct Shared {
    /// Set when the server is reached through TLS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// Failed sign-ins, for throttling.
    pub throttle: http::throttle::Throttle,
    /// The header a trusted reverse proxy puts the client's address in (`X-Forwarded-For`),
    /// when lipa runs behind one; else the direct peer is the client.
    pub client_ip_header: Option<axum::http::HeaderName>,
}

impl AppState {
    /// The state of a server of `app`, whose search index starts following the change log.
    pub fn new(app: App) -> Self {
        Self::with_options(app, false)
    }

    /// `secure_cookies`: the server is reached through TLS (a proxy), so cookies get `Secure`.
    pub fn with_options(app: App, secure_cookies: bool) -> Self {
        Self::behind_proxy(app, secure_cookies, None)
    }

    /// Behind a reverse proxy that puts the client's address in `client_ip_header`.
    pub fn behind_proxy(
        app: App,
        secure_cookies: bool,
        client_ip_header: Option<axum::http::HeaderName>,
    ) -> Self {
        app.follow_changes();
        Self {
            app,
            inner: Arc::new(Shared {
                secure_cookies,
                throttle: Default::default(),
                client_ip_header,
            }),
        }
    }
}

/// A header name as given on the command line (`X-Forwarded-For`).
pub fn header_name(name: &str) -> anyhow::Result<axum::http::HeaderName> {
    axum::http::HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))
}

/// Largest request body: an uploaded import file.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// The whole application: pages, API and assets, with the security headers every response gets.
pub fn router(state: AppState) -> Router {
    use axum::http::{HeaderName, HeaderValue, header};
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
    pages::routes()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::error::render_page_errors,
        ))
        .merge(assets::routes())
        // The pages limit their bodies themselves (`pages::routes`), so that an upload too large
        // is answered with its form.
        .merge(api::routes().layer(RequestBodyLimitLayer::new(MAX_UPLOAD)))
        .fallback(http::error::not_found)
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
            http::session::session_layer,
        ))
        .layer(axum::middleware::from_fn(http::csrf::same_origin_writes))
        // Reached through TLS: browsers keep to https for a year (HSTS).
        .layer(axum::middleware::from_fn_with_state(
            state.inner.secure_cookies,
            strict_transport,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            http::error::panic_page,
        ))
        .with_state(state)
}

/// Adds `Strict-Transport-Security` to every answer of a server reached through TLS.
async fn strict_transport(
    axum::extract::State(secure): axum::extract::State<bool>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    if secure {
        res.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
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
