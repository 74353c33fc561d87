//! The API's errors and the extractors that produce them.
//!
//! Every error under `/api` is an RFC 9457 `application/problem+json` body: `type` (a tag URI
//! naming the kind of problem — a name, not a link), `title`, `status`, `detail`, and for
//! validation failures an `errors` list of `{field, code, message}`. Titles, details and messages
//! are in the request's language. Which type to use:
//!
//! - [`ApiError`] is what handlers return. [`ApiError::into_response`] only records the problem
//!   in the response's extensions; [`problem_layer`] renders it, because only the layer knows the
//!   request's language (and it also turns axum's bare 405s into problems).
//! - [`ApiJson`] reads a JSON body: 415 for another content type, 400 for malformed JSON (with
//!   line and column, never serde's own words), 422 for well-formed JSON of the wrong shape, with
//!   the path of the offending field.
//! - [`ApiQuery`] reads a query string: 400 naming the parameter.
//!
//! Internal errors (database, corrupt records) are logged with context and reach the client as a
//! plain 500 without any of their text.

use crate::http::ctx::LANG_COOKIE;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use lipa_app::AppError;
use lipa_core::i18n::tr;
use lipa_core::{Lang, Violation, Violations};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// What went wrong while answering an API request.
#[derive(Debug)]
pub enum ApiError {
    /// No such resource, or one the client may not see.
    NotFound,
    MethodNotAllowed(String),
    /// No credentials where a write needs them.
    Unauthenticated,
    /// A bearer token was sent but names no live token.
    InvalidToken,
    /// Signed in, but the role's scope does not cover the record.
    Forbidden,
    /// Signed in with a one-time password that is still to be replaced on the account page.
    PasswordChangeRequired,
    /// A record with the same key exists.
    Conflict,
    /// `If-Match` names another version than the current one.
    PreconditionFailed,
    /// A change without `If-Match`.
    PreconditionRequired,
    UnsupportedMediaType,
    PayloadTooLarge,
    /// A malformed request: a message key of `api.ftl` and its arguments.
    BadRequest(&'static str, Vec<(&'static str, String)>),
    /// Well-formed but invalid data.
    Invalid(Violations),
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn bad_query(param: &str) -> Self {
        ApiError::BadRequest("api-400-query", vec![("param", param.to_owned())])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthenticated | ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::Conflict => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The last part of the problem type URI.
    fn slug(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidToken => "invalid-token",
            ApiError::Forbidden => "forbidden",
            ApiError::PasswordChangeRequired => "password-change-required",
            ApiError::Conflict => "conflict",
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PreconditionRequired => "precondition-required",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::BadRequest(..) => "bad-request",
            ApiError::Invalid(_) => "validation",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The problem body in `lang`.
    pub fn problem(&self, lang: Lang) -> Problem {
        let status = self.status();
        let t = |key: &str| tr(lang, key, &[]);
        let title = t(&format!("api-{}-title", status.as_u16()));
        let detail = match self {
            ApiError::MethodNotAllowed(m) => tr(lang, "api-405-detail", &[("method", m)]),
            ApiError::InvalidToken => t("api-401-invalid-token"),
            ApiError::PasswordChangeRequired => t("api-403-password-change"),
            ApiError::BadRequest(key, args) => {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                tr(lang, key, &args)
            }
            _ => t(&format!("api-{}-detail", status.as_u16())),
        };
        let errors = match self {
            ApiError::Invalid(v) => Some(
                v.iter()
                    .map(|v| FieldError {
                        field: v.field.clone(),
                        code: v.code.to_owned(),
                        message: v.message(lang),
                    })
                    .collect(),
            ),
            _ => None,
        };
        Problem {
            kind: format!("tag:lipa,2026:problem:{}", self.slug()),
            title,
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::NotFound,
            AppError::Unauthenticated => ApiError::Unauthenticated,
            AppError::Forbidden => ApiError::Forbidden,
            // A stale `expected` version comes this way; the API always passes one.
            AppError::Conflict { .. } => ApiError::PreconditionFailed,
            AppError::AlreadyExists { .. } => ApiError::Conflict,
            AppError::LastAdmin => ApiError::Conflict,
            AppError::Invalid(v) => ApiError::Invalid(v),
            AppError::Internal(e) | AppError::Database(e) => ApiError::Internal(e),
        }
    }
}

impl From<Violations> for ApiError {
    fn from(v: Violations) -> Self {
        ApiError::Invalid(v)
    }
}

impl From<Violation> for ApiError {
    fn from(v: Violation) -> Self {
        ApiError::Invalid(v.into())
    }
}

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`tag:lipa,2026:problem:validation`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem, in the request's language.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened in this case, in the request's language.
    pub detail: String,
    /// The invalid fields (validation problems only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

/// One invalid field of a request body.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field: `card.name`, `card.activities[0].ends`.
    pub field: String,
    /// Stable code of the broken rule: `err-required`, `err-too-long` …
    pub code: String,
    /// The rule in the request's language.
    pub message: String,
}

/// Marks a response as an error still to be rendered by [`problem_layer`].
#[derive(Clone)]
struct Pending(std::sync::Arc<ApiError>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "API internal error");
        }
        // Rendered in Bulgarian now, so that the body is never empty, and again in the request's
        // language by the layer.
        let mut res = render(&self, Lang::Bg);
        res.extensions_mut()
            .insert(Pending(std::sync::Arc::new(self)));
        res
    }
}

fn render(e: &ApiError, lang: Lang) -> Response {
    let problem = e.problem(lang);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut res = (e.status(), body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    h.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    match e {
        ApiError::Unauthenticated => {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lipa\""),
            );
        }
        ApiError::InvalidToken => {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lipa\", error=\"invalid_token\""),
            );
        }
        _ => {}
    }
    res
}

/// The request's language: the `lang` cookie, else `Accept-Language`, else Bulgarian (the rule of
/// [`crate::http::ctx::Ctx`], without its session lookup).
pub fn request_lang(headers: &HeaderMap) -> Lang {
    CookieJar::from_headers(headers)
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Renders API errors in the request's language, and gives the errors axum produces by itself
/// (405 with its `Allow` header, 413 from the body limit) the same problem+json form.
pub async fn problem_layer(req: Request, next: Next) -> Response {
    let lang = request_lang(req.headers());
    let method = req.method().to_string();
    let mut res = next.run(req).await;
    if let Some(Pending(e)) = res.extensions_mut().remove::<Pending>() {
        let headers = std::mem::take(res.headers_mut());
        let mut out = render(&e, lang);
        keep_headers(&headers, out.headers_mut());
        return out;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    let replacement = match res.status() {
        StatusCode::METHOD_NOT_ALLOWED if !is_problem => Some(ApiError::MethodNotAllowed(method)),
        StatusCode::PAYLOAD_TOO_LARGE if !is_problem => Some(ApiError::PayloadTooLarge),
        _ => None,
    };
    match replacement {
        Some(e) => {
            let mut out = render(&e, lang);
            keep_headers(res.headers(), out.headers_mut());
            out
        }
        None => res,
    }
}

/// Headers of the original error response that the rendered problem keeps.
fn keep_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for name in [header::ALLOW, header::ETAG, header::WWW_AUTHENTICATE] {
        if let Some(v) = from.get(&name) {
            to.insert(name, v.clone());
        }
    }
}

/// The fallback under `/api`: a problem, never the HTML 404 page.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// A JSON request body, read with API errors (see the module doc).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|m| {
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest("api-400-body", vec![])
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON body: 400 for syntax, 422 with the field's path for shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            return Err(json_error(
                e.inner(),
                if path == "." { String::new() } else { path },
            ));
        }
    };
    de.end().map_err(|e| json_error(&e, String::new()))?;
    Ok(value)
}

fn json_error(e: &serde_json::Error, path: String) -> ApiError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest(
            "api-400-malformed-json",
            vec![
                ("line", e.line().to_string()),
                ("column", e.column().to_string()),
            ],
        ),
        Category::Data => {
            // serde names a missing field only in its message; the path ends at its parent.
            let msg = e.to_string();
            let join = |name: &str| {
                if path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                }
            };
            let violation = if let Some(name) = backticked(&msg, "missing field `") {
                Violation::new(join(name), "err-required")
            } else if msg.starts_with("invalid type") {
                Violation::new(path, "api-err-json-type")
            } else {
                Violation::new(path, "api-err-json-value")
            };
            ApiError::Invalid(violation.into())
        }
    }
}

/// The text between `prefix` and the next backtick of `msg`.
fn backticked<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &msg[msg.find(prefix)? + prefix.len()..];
    rest.split('`').next()
}

/// A query string, read with API errors: 400 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let msg = e.inner().to_string();
                // A parameter that is missing or repeated is named only in serde's message.
                let param = if path == "." {
                    backticked(&msg, "missing field `")
                        .or_else(|| backticked(&msg, "duplicate field `"))
                        .unwrap_or("")
                        .to_owned()
                } else {
                    path
                };
                ApiError::bad_query(&param)
            })
    }
}

/// The problems a read may answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
pub enum ReadProblems {
    /// A query parameter has an invalid value.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The bearer token is unknown, revoked or expired.
    #[response(status = 401, content_type = "application/problem+json")]
    InvalidToken(Problem),
    /// No such record, or not one the reader may see.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// The problems a write may answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
pub enum WriteProblems {
    /// Malformed JSON, or an unreadable If-Match.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No credentials, or a token that is not live.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The account's scope does not cover the record; nothing changed.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such record, or not one the account may see.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// A record with the same key exists.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// If-Match names another version than the current one; nothing changed.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// The body is not JSON.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// The data breaks a rule; `errors` lists the fields.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// A change or deletion without If-Match.
    #[response(status = 428, content_type = "application/problem+json")]
    PreconditionRequired(Problem),
}
