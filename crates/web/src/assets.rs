//! Static assets, compiled into the binary: the app works on a closed network and a page loads
//! nothing from elsewhere. File names carry no hash; responses carry a short cache lifetime and
//! an `ETag` of the build.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/style.css"),
    },
    Asset {
        name: "print.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/print.css"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/app.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
];

const ETAG: &str = concat!("\"", env!("CARGO_PKG_VERSION"), "\"");

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{name}", get(asset)).route(
        "/favicon.ico",
        get(|h: HeaderMap| async move { asset(Path("favicon.svg".into()), h).await }),
    )
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(a) = ASSETS.iter().find(|a| a.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(ETAG)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, a.mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ETAG, ETAG),
        ],
        a.body,
    )
        .into_response()
}
