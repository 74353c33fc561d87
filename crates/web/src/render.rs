//! Turning a template into a response: the one place pages become HTML.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Renders a page with status 200.
pub fn render(t: &impl Template) -> Response {
    render_status(StatusCode::OK, t)
}

/// Renders a page with `status`. A template that fails to render is logged and answered with a
/// bare 500 that leaks nothing.
pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Вътрешна грешка. / Internal error.",
            )
                .into_response()
        }
    }
}
