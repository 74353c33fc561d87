//! Writes come from this site only. Every form of a signed-in user carries the session's
//! anti-forgery token, checked by [`crate::http::ctx::Ctx::check_csrf`]; on top of that,
//! [`same_origin_writes`] refuses any non-GET request that a browser marks as coming from another
//! site.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses writes that a browser says come from another site: `Sec-Fetch-Site: cross-site`, or
/// an `Origin` whose host is not this server's.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let h = req.headers();
        let cross_site =
            h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| *o != "null")
            .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
        let foreign_origin = matches!((origin_host, host), (Some(o), Some(h)) if o != h);
        if cross_site || foreign_origin {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(req).await
}
