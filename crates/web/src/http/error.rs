//! Errors of the web layer and how they reach a user.
//!
//! A page handler returns [`PageResult`]: its error is a [`WebError`], which becomes a page in
//! the user's language by [`render_page_errors`], a layer that knows the request's context —
//! handlers use `?` and never render errors themselves. The API turns the same errors into RFC
//! 9457 `application/problem+json` bodies (see `api::error`). Internal details — database
//! errors, panics — are logged with context and never shown: the user gets a plain apology.

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::render::render_status;
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lipa_app::AppError;
use lipa_core::Violations;
use std::sync::Arc;

/// What can go wrong while serving a page.
#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// Not signed in where signing in would help.
    Unauthenticated,
    /// Signed in, but the scope does not cover the record.
    Forbidden,
    /// The form's anti-forgery token is missing or wrong.
    BadCsrf,
    /// Someone changed the record since it was read.
    Conflict,
    /// The request's body is larger than the server reads.
    TooLarge,
    BadRequest(String),
    Invalid(Violations),
    Internal(anyhow::Error),
}

impl WebError {
    /// A request body the server would not read: too large (413, its own page) or malformed.
    pub fn body_rejected(status: StatusCode, text: String) -> WebError {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadRequest(text),
        }
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => WebError::NotFound,
            AppError::Unauthenticated => WebError::Unauthenticated,
            AppError::Forbidden => WebError::Forbidden,
            AppError::Conflict { .. } | AppError::AlreadyExists { .. } => WebError::Conflict,
            AppError::LastAdmin => WebError::Invalid(Violations::from(lipa_core::Violation::new(
                "role",
                "adm-err-last-admin",
            ))),
            AppError::Invalid(v) => WebError::Invalid(v),
            AppError::Internal(e) | AppError::Database(e) => WebError::Internal(e),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.into())
    }
}

impl From<anyhow::Error> for WebError {
    fn from(e: anyhow::Error) -> Self {
        WebError::Internal(e)
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::BadCsrf => StatusCode::FORBIDDEN,
            WebError::Conflict => StatusCode::CONFLICT,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message key of the error page's heading and text.
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            WebError::NotFound => ("error-404-title", "error-404-text"),
            WebError::Unauthenticated => ("error-401-title", "error-401-text"),
            WebError::Forbidden => ("error-403-title", "error-403-text"),
            WebError::BadCsrf => ("error-csrf-title", "error-csrf-text"),
            WebError::Conflict => ("error-409-title", "error-409-text"),
            WebError::TooLarge => ("error-413-title", "error-413-text"),
            WebError::BadRequest(_) | WebError::Invalid(_) => ("error-400-title", "error-400-text"),
            WebError::Internal(_) => ("error-500-title", "error-500-text"),
        }
    }

    /// The error as a page in the user's language.
    pub fn page(&self, ctx: &Ctx) -> Response {
        if let WebError::Internal(e) = &self {
            tracing::error!(error = ?e, path = %ctx.here, "internal error");
        }
        let status = self.status();
        let (title, text) = self.keys();
        let details = match &self {
            WebError::Invalid(v) => v.messages(ctx.lang),
            WebError::BadRequest(s) => vec![s.clone()],
            _ => vec![],
        };
        let page = ErrorPage {
            ctx,
            title: ctx.t(title),
            text: ctx.t(text),
            details,
            status: status.as_u16(),
        };
        render_status(status, &page)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    title: String,
    text: String,
    details: Vec<String>,
    status: u16,
}

/// A page handler's result: a response, or an error that [`render_page_errors`] shows as a page
/// in the user's language.
pub type PageResult = Result<Response, WebError>;

/// An error on its way from a handler to [`render_page_errors`].
#[derive(Clone)]
struct Pending(Arc<WebError>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(Pending(Arc::new(self)));
        r
    }
}

/// Renders the errors of page handlers as pages in the request's language, with the user's
/// header: the one place a page error becomes HTML. A bare 413 — a body refused by a limit
/// before any handler ran — becomes a page too.
pub async fn render_page_errors(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(ctx) = Ctx::from_request_parts(&mut parts, &state).await;
    let mut response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions_mut().remove::<Pending>() {
        Some(Pending(error)) => error.page(&ctx),
        None if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_html(&response) => {
            WebError::TooLarge.page(&ctx)
        }
        None => response,
    }
}

/// Whether a response is already a page (a handler's own answer, such as the import form's).
fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The fallback: a 404 page in the user's language.
pub async fn not_found(ctx: Ctx) -> Response {
    WebError::NotFound.page(&ctx)
}

/// A panic in a handler becomes a plain 500 page in both languages; the panic is logged.
pub fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    tracing::error!(panic = detail, "handler panicked");
    let bg = lipa_core::i18n::tr(lipa_core::Lang::Bg, "error-500-text", &[]);
    let en = lipa_core::i18n::tr(lipa_core::Lang::En, "error-500-text", &[]);
    let page = PanicPage { bg, en };
    render_status(StatusCode::INTERNAL_SERVER_ERROR, &page)
}

#[derive(Template)]
#[template(path = "panic.html")]
struct PanicPage {
    bg: String,
    en: String,
}
