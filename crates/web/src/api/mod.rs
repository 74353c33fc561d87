//! The JSON API under `/api/v1`, described by the OpenAPI 3.1 document it serves at
//! `/api/v1/openapi.json` (browsable at `/api/docs`).
//!
//! One file per resource (`libraries`, `services`, `activities` (a service's activity log),
//! `partners`, `persons`, `events`, and the
//! read-only `geography`, `taxonomy`, `reports`), each holding its handlers — named verb_noun like
//! crates.io's — and its DTOs. The DTOs mirror the core types field by field with `From`
//! conversions that destructure them, so a field added in `lipa-core` fails to compile here
//! until the API (and its document) says what to do with it; `lipa-core` knows nothing of
//! OpenAPI.
//!
//! The rules every resource follows, implemented once in this file:
//! - reads are open to everyone, but drafts, unpublished events and personal data only where
//!   `lipa_app::Access` says (the pages' rule, in one place); a record a reader may not see is a
//!   404, as if it did not exist;
//! - writes need a signed-in user ([`Writer`]: a bearer token, or the browser session with its
//!   anti-forgery token in `X-CSRF-Token`): 401 without one, 403 with a session but no token, 403 when the scope does not cover the record before and after the change (the
//!   use cases check it);
//! - a single record carries `ETag: "<version>"`; changing or deleting one needs `If-Match` with
//!   it ([`IfMatch`]): 428 without, 412 when stale, and nothing changes;
//! - lists answer `{items, next_cursor, total}`, at most [`MAX_LIMIT`] items a page, the cursor
//!   opaque ([`Cursor`]);
//! - errors are problem+json in the request's language ([`error`]).

pub mod activities;
pub mod crud;
pub mod error;
pub mod events;
pub mod geography;
pub mod libraries;
pub mod openapi;
pub mod partners;
pub mod persons;
pub mod reports;
pub mod services;
pub mod taxonomy;

use crate::AppState;
use crate::http::ctx::{Ctx, SignedIn};
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use error::ApiError;
use lipa_core::ids::RecordKey;
use serde::Serialize;

/// The API's routes, its document and its documentation page, with the problem+json layer.
pub fn routes() -> Router<AppState> {
    let (api, _) = openapi::api_router().split_for_parts();
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(openapi::serve_document),
        )
        .route("/api", axum::routing::any(error::api_not_found))
        .route("/api/{*rest}", axum::routing::any(error::api_not_found))
        .layer(axum::middleware::from_fn(error::problem_layer))
        .merge(openapi::docs_routes())
}

/// The header a write signed in by the browser session carries the session's anti-forgery
/// token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Most items a list page holds.
pub const MAX_LIMIT: i64 = 200;
/// Items a list page holds when the client does not say.
pub const DEFAULT_LIMIT: i64 = 50;

/// The request's context for reading: like [`Ctx`], but a bearer token that names no live token
/// is a 401 rather than an anonymous reader, so a script with a revoked token finds out.
pub struct Reader(pub Ctx);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| h.starts_with("Bearer "));
        if bearer && ctx.user.is_none() {
            return Err(ApiError::InvalidToken);
        }
        if ctx.user.as_ref().is_some_and(|u| u.must_change_password) {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(Reader(ctx))
    }
}

/// The request's context for a write: a signed-in user, else 401 — checked before the body is
/// read, so an anonymous client learns first that it must sign in.
pub struct Writer {
    pub ctx: Ctx,
    pub user: SignedIn,
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Reader(ctx) = Reader::from_request_parts(parts, state).await?;
        let Some(user) = ctx.user.clone() else {
            return Err(ApiError::Unauthenticated);
        };
        // A browser sends its session cookie with any request, even one another site makes it
        // send: a write signed in by the cookie alone must also carry the session's anti-forgery
        // token in `X-CSRF-Token` (scripts use bearer tokens, which no other site can send).
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| h.starts_with("Bearer "));
        if !bearer {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            ctx.check_csrf(sent).map_err(|_| ApiError::Forbidden)?;
        }
        Ok(Writer { ctx, user })
    }
}

impl Writer {
    /// Who is writing, for the use cases.
    pub fn access(&self) -> lipa_app::Access {
        self.ctx.access()
    }
}

/// The ID of a stored record from the path; one that cannot be an ID names nothing (404).
pub fn record_id<K: std::str::FromStr>(raw: &str) -> Result<K, ApiError> {
    // A key parses only when it is a positive whole number.
    raw.parse::<K>().map_err(|_| ApiError::NotFound)
}

/// The `ETag` of a record version.
pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\""))
        .expect("digits and quotes are a valid header value")
}

/// A single record: 200, its ETag, the JSON body.
pub fn record<T: Serialize>(version: i64, body: &T) -> Response {
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(header::ETAG, etag(version));
    res
}

/// A created record: 201, `Location`, its ETag, the JSON body.
pub fn created<T: Serialize>(location: String, version: i64, body: &T) -> Response {
    let mut res = record(version, body);
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// 204 after a delete.
pub fn deleted() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The `If-Match` header of a change. Strong comparison (RFC 9110 §13.1.1): a weak tag never
/// matches; `*` matches any current version.
#[derive(Debug, Clone)]
pub enum IfMatch {
    Missing,
    Any,
    Versions(Vec<i64>),
}

impl IfMatch {
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        let values: Vec<&HeaderValue> = headers.get_all(header::IF_MATCH).iter().collect();
        if values.is_empty() {
            return Ok(IfMatch::Missing);
        }
        let bad = || ApiError::BadRequest("api-400-if-match", vec![]);
        let mut versions = Vec::new();
        for v in values {
            let text = v.to_str().map_err(|_| bad())?;
            if text.trim_matches([' ', '\t']) == "*" {
                return Ok(IfMatch::Any);
            }
            match parse_entity_tags(text) {
                Some(tags) => versions.extend(tags),
                None => return Err(bad()),
            }
        }
        if versions.is_empty() {
            Err(bad())
        } else {
            Ok(IfMatch::Versions(versions))
        }
    }

    /// The version the change may apply to: 428 without the header, 412 when it names another.
    pub fn expect(&self, current: i64) -> Result<i64, ApiError> {
        match self {
            IfMatch::Missing => Err(ApiError::PreconditionRequired),
            IfMatch::Any => Ok(current),
            IfMatch::Versions(v) if v.contains(&current) => Ok(current),
            IfMatch::Versions(_) => Err(ApiError::PreconditionFailed),
        }
    }
}

/// The `If-Match` header as the OpenAPI document describes it: one or more entity tags, or `*`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// The ETag the change applies to, as received: `"3"`.
    #[serde(rename = "If-Match")]
    #[param(pattern = r#"^(\*|[ \t]*(W/)?"[!#-~]*"[ \t]*(,[ \t]*(W/)?"[!#-~]*"[ \t]*)*)$"#)]
    #[expect(
        dead_code,
        reason = "IfMatch reads the header; this type only describes it"
    )]
    if_match: String,
}

/// The versions a list of entity tags names (RFC 9110 §8.8.3: `"3", W/"x"`): a weak tag, or one
/// this server did not issue, names none (-1). `None` when the list is malformed.
fn parse_entity_tags(text: &str) -> Option<Vec<i64>> {
    let etagc = |b: u8| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80;
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(out);
        }
        let weak = rest.starts_with("W/");
        if weak {
            rest = &rest[2..];
        }
        rest = rest.strip_prefix('"')?;
        let end = rest.find('"')?;
        let tag = &rest[..end];
        if !tag.bytes().all(etagc) {
            return None;
        }
        rest = &rest[end + 1..];
        let after = rest.trim_start_matches([' ', '\t']);
        if !after.is_empty() && !after.starts_with(',') {
            return None;
        }
        let strong = (!weak).then(|| tag.parse::<i64>().ok()).flatten();
        out.push(strong.unwrap_or(-1));
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        IfMatch::from_headers(&parts.headers)
    }
}

/// Where the next page of a list starts: after a record id (keyset lists) or at a position (the
/// libraries list, whose sorts and facets live in the store's list query). Opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    After(i64),
    Offset(i64),
}

impl Cursor {
    /// `a<id>` or `o<offset>`. Opaque by contract, not by encoding: clients pass back what they
    /// got, and the document can say exactly which strings are cursors.
    pub fn encode(self) -> String {
        match self {
            Cursor::After(id) => format!("a{id}"),
            Cursor::Offset(n) => format!("o{n}"),
        }
    }

    pub fn decode(s: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::BadRequest("api-400-cursor", vec![]);
        let (tag, n) = s.split_at_checked(1).ok_or_else(bad)?;
        if n.is_empty() || n.len() > 18 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: i64 = n.parse().map_err(|_| bad())?;
        match tag {
            "a" => Ok(Cursor::After(n)),
            "o" => Ok(Cursor::Offset(n)),
            _ => Err(bad()),
        }
    }
}

/// The `limit` and `cursor` of a list request.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

impl Paging {
    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = match limit.map(str::trim).filter(|s| !s.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| ApiError::bad_query("limit"))?,
        };
        // Strict: even an empty cursor is not one this server issued.
        let cursor = cursor.map(Cursor::decode).transpose()?;
        Ok(Paging { limit, cursor })
    }

    /// The keyset this paging asks for; an offset cursor is not one of a keyset list.
    pub fn keyset(&self) -> Result<lipa_app::Keyset, ApiError> {
        let after = match self.cursor {
            None => None,
            Some(Cursor::After(id)) => Some(id),
            Some(Cursor::Offset(_)) => return Err(ApiError::BadRequest("api-400-cursor", vec![])),
        };
        Ok(lipa_app::Keyset {
            after,
            limit: self.limit,
        })
    }

    /// The cursor of the page after one that ended at `last_id`, if more rows follow.
    pub fn next_after(more: bool, last_id: Option<impl RecordKey>) -> Option<String> {
        if more {
            last_id.map(|id| Cursor::After(id.raw()).encode())
        } else {
            None
        }
    }
}
