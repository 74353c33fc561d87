//! Errors of the web layer and how they reach a user.
//!
//! A handler returns [`WebError`]; it becomes a page in the user's language (pages) or an RFC 9457
//! `application/problem+json` body (API, see [`ApiError`]). Internal details — database errors,
//! panics — are logged with context and never shown: the user gets a plain apology and the
//! request's time to quote.

use crate::ctx::Ctx;
use crate::render::render_status;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lipa_core::Violations;
use lipa_store::StoreError;

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
    BadRequest(String),
    Invalid(Violations),
    Internal(anyhow::Error),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => WebError::NotFound,
            StoreError::Conflict { .. } => WebError::Conflict,
            StoreError::Invalid(v) => WebError::Invalid(v),
            StoreError::AlreadyExists { .. } => WebError::Conflict,
            other => WebError::Internal(other.into()),
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
            WebError::BadRequest(_) | WebError::Invalid(_) => ("error-400-title", "error-400-text"),
            WebError::Internal(_) => ("error-500-title", "error-500-text"),
        }
    }

    /// The error as a page in the user's language.
    pub fn page(self, ctx: &Ctx) -> Response {
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

/// A page handler's result: a response, or an error shown as a page in the user's language.
pub struct PageError {
    /// Boxed: a request context is large, and errors travel by value.
    pub ctx: Box<Ctx>,
    pub error: WebError,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.error.page(&self.ctx)
    }
}

/// Ties an error to the request's context so it renders in the right language.
pub trait OrPage<T> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError>;
}

impl<T, E: Into<WebError>> OrPage<T> for Result<T, E> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError> {
        self.map_err(|e| PageError {
            ctx: Box::new(ctx.clone()),
            error: e.into(),
        })
    }
}

pub type PageResult = Result<Response, PageError>;

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
