//! Reading, creating, replacing and deleting one record, the same way for every resource:
//! [`ApiTypes`] and [`ApiRecord`] name what differs (the input and output DTOs, the use cases to call), the
//! generic handlers here do the rest once — 404 for an ID that cannot be one, the ETag, the
//! `If-Match` check against the version the writer may change, `Location` on a create — and
//! [`api_record!`](crate::api_record) writes each resource's documented operations around them.

use super::error::ApiError;
use super::{IfMatch, Writer, created, deleted, record, record_id};
use crate::AppState;
use axum::response::Response;
use lipa_app::{Access, App, Managed, Versioned};
use lipa_core::ids::Keyed;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::str::FromStr;

type AppResult<T> = Result<T, lipa_app::AppError>;

/// What the API says of a record: what a client sends and gets, and where the collection is.
pub trait ApiTypes: Keyed<Id: FromStr> + Sized + Send + Sync + 'static {
    /// What a client sends.
    type Input: DeserializeOwned + Into<Self> + Send;
    /// What a client gets.
    type Out: Serialize + Send;
    /// The collection's address: `/api/v1/partners`.
    const COLLECTION: &'static str;

    /// A stored record as `access` reads it.
    fn out(
        app: &App,
        access: &Access,
        stored: Versioned<Self>,
    ) -> impl Future<Output = AppResult<Self::Out>> + Send;
}

/// A record the API reads one by one, creates, replaces and deletes: the use cases the generic
/// handlers below call. Every record the use cases write the same way ([`Managed`]) has them
/// through [`Dto`]; a library, whose writes have rules of their own, names its own.
pub trait ApiRecord: ApiTypes {
    /// The record as `access` may read it, with its version.
    fn find(
        app: &App,
        access: &Access,
        id: Self::Id,
    ) -> impl Future<Output = AppResult<(i64, Self::Out)>> + Send;
    /// The version of the record `access` may change (404 or 403 otherwise).
    fn version_for_change(
        app: &App,
        access: &Access,
        id: Self::Id,
    ) -> impl Future<Output = AppResult<i64>> + Send;
    fn create(
        app: &App,
        access: &Access,
        record: &Self,
    ) -> impl Future<Output = AppResult<Versioned<Self>>> + Send;
    fn update(
        app: &App,
        access: &Access,
        id: Self::Id,
        record: &Self,
        expected: Option<i64>,
    ) -> impl Future<Output = AppResult<Versioned<Self>>> + Send;
    fn delete(
        app: &App,
        access: &Access,
        id: Self::Id,
        expected: Option<i64>,
    ) -> impl Future<Output = AppResult<()>> + Send;
}

/// A record the use cases write the generic way ([`Managed`]): its [`ApiRecord`] follows.
pub trait Dto: Managed + ApiTypes {}

impl<R: Dto> ApiRecord for R {
    async fn find(app: &App, access: &Access, id: R::Id) -> AppResult<(i64, Self::Out)> {
        let found = app.find::<R>(access, id).await?;
        let version = found.version;
        Ok((version, R::out(app, access, found).await?))
    }

    async fn version_for_change(app: &App, access: &Access, id: R::Id) -> AppResult<i64> {
        Ok(app.for_change::<R>(access, id).await?.version)
    }

    async fn create(app: &App, access: &Access, record: &R) -> AppResult<Versioned<R>> {
        app.create(access, record).await
    }

    async fn update(
        app: &App,
        access: &Access,
        id: R::Id,
        record: &R,
        expected: Option<i64>,
    ) -> AppResult<Versioned<R>> {
        app.replace(access, id, record, expected).await
    }

    async fn delete(app: &App, access: &Access, id: R::Id, expected: Option<i64>) -> AppResult<()> {
        app.delete::<R>(access, id, expected).await
    }
}

/// `GET /{collection}/{id}`.
pub async fn find<R: ApiRecord>(
    state: &AppState,
    access: &Access,
    id: &str,
) -> Result<Response, ApiError> {
    let (version, body) = R::find(&state.app, access, record_id(id)?).await?;
    Ok(record(version, &body))
}

/// `POST /{collection}`.
pub async fn create<R: ApiRecord>(
    state: &AppState,
    w: &Writer,
    input: R::Input,
) -> Result<Response, ApiError> {
    let access = w.access();
    let stored = R::create(&state.app, &access, &input.into()).await?;
    let location = format!("{}/{}", R::COLLECTION, stored.id);
    let version = stored.version;
    let body = R::out(&state.app, &access, stored).await?;
    Ok(created(location, version, &body))
}

/// `PUT /{collection}/{id}` with `If-Match`.
pub async fn update<R: ApiRecord>(
    state: &AppState,
    w: &Writer,
    if_match: IfMatch,
    id: &str,
    input: R::Input,
) -> Result<Response, ApiError> {
    let id = record_id(id)?;
    let access = w.access();
    let current = R::version_for_change(&state.app, &access, id).await?;
    let expected = if_match.expect(current)?;
    let stored = R::update(&state.app, &access, id, &input.into(), Some(expected)).await?;
    let version = stored.version;
    let body = R::out(&state.app, &access, stored).await?;
    Ok(record(version, &body))
}

/// `DELETE /{collection}/{id}` with `If-Match`.
pub async fn delete<R: ApiRecord>(
    state: &AppState,
    w: &Writer,
    if_match: IfMatch,
    id: &str,
) -> Result<Response, ApiError> {
    let id = record_id(id)?;
    let access = w.access();
    let current = R::version_for_change(&state.app, &access, id).await?;
    let expected = if_match.expect(current)?;
    R::delete(&state.app, &access, id, Some(expected)).await?;
    Ok(deleted())
}

/// A stored record's output when it needs nothing but the record.
pub async fn plain<R: Keyed, O: From<Versioned<R>>>(
    _: &App,
    _: &Access,
    stored: Versioned<R>,
) -> AppResult<O> {
    Ok(stored.into())
}

/// A resource's four single-record operations (`find_x`, `create_x`, `update_x`, `delete_x`),
/// documented for the OpenAPI document, over the generic handlers. With `managed` first, also
/// the record's [`ApiTypes`] and [`Dto`]: its input, its output built by `out` from a stored record ([`plain`]
/// when `From` does), and its collection. A write's summary may be followed by `: "a description"`.
#[macro_export]
macro_rules! api_record {
    (managed $record:ident as $name:ident, $input:ident => $output:ident by $out:path, tag $tag:tt
     at $many:tt / $($rest:tt)*) => {
        impl $crate::api::crud::Dto for $record {}

        impl $crate::api::crud::ApiTypes for $record {
            type Input = $input;
            type Out = $output;
            const COLLECTION: &'static str = concat!("/api/v1", $many);

            async fn out(
                app: &lipa_app::App,
                access: &lipa_app::Access,
                stored: lipa_app::Versioned<Self>,
            ) -> Result<$output, lipa_app::AppError> {
                $out(app, access, stored).await
            }
        }
        $crate::api_record! { $record as $name, $input => $output, tag $tag at $many / $($rest)* }
    };
    ($record:ident as $name:ident, $input:ident => $output:ident, tag $tag:tt
     at $many:tt / $one:tt, id $idty:ident $iddoc:tt, reads $the:tt,
     find $find_doc:tt, create $create_doc:tt $(: $create_more:tt)?,
     update $update_doc:tt $(: $update_more:tt)?, delete $delete_doc:tt $(: $delete_more:tt)?) => {
        pastey::paste! {
            #[doc = $find_doc]
            #[utoipa::path(get, path = $one, tag = $tag,
                params(("id" = $idty, Path, description = $iddoc)),
                responses(
                    (status = 200, description = $the, body = $output,
                        headers(("ETag" = String, description = "The record's version, quoted"))),
                    $crate::api::error::ReadProblems,
                ),
                security((), ("bearer" = [])))]
            pub async fn [<find_ $name>](
                axum::extract::State(state): axum::extract::State<$crate::AppState>,
                $crate::api::Reader(ctx): $crate::api::Reader,
                axum::extract::Path(id): axum::extract::Path<String>,
            ) -> Result<axum::response::Response, $crate::api::error::ApiError> {
                $crate::api::crud::find::<$record>(&state, &ctx.access(), &id).await
            }

            #[doc = $create_doc]
            $(#[doc = ""] #[doc = $create_more])?
            #[utoipa::path(post, path = $many, tag = $tag,
                request_body = $input,
                responses(
                    (status = 201, description = "Created", body = $output,
                        headers(("ETag" = String, description = "The record's version, quoted"),
                                ("Location" = String, description = "The new record's address"))),
                    $crate::api::error::WriteProblems,
                ),
                security(("bearer" = [])))]
            pub async fn [<create_ $name>](
                axum::extract::State(state): axum::extract::State<$crate::AppState>,
                w: $crate::api::Writer,
                $crate::api::error::ApiJson(input): $crate::api::error::ApiJson<$input>,
            ) -> Result<axum::response::Response, $crate::api::error::ApiError> {
                $crate::api::crud::create::<$record>(&state, &w, input).await
            }

            #[doc = $update_doc]
            $(#[doc = ""] #[doc = $update_more])?
            #[utoipa::path(put, path = $one, tag = $tag,
                params(("id" = $idty, Path, description = $iddoc), $crate::api::IfMatchHeader),
                request_body = $input,
                responses(
                    (status = 200, description = "Replaced", body = $output,
                        headers(("ETag" = String, description = "The record's new version, quoted"))),
                    $crate::api::error::WriteProblems,
                ),
                security(("bearer" = [])))]
            pub async fn [<update_ $name>](
                axum::extract::State(state): axum::extract::State<$crate::AppState>,
                w: $crate::api::Writer,
                if_match: $crate::api::IfMatch,
                axum::extract::Path(id): axum::extract::Path<String>,
                $crate::api::error::ApiJson(input): $crate::api::error::ApiJson<$input>,
            ) -> Result<axum::response::Response, $crate::api::error::ApiError> {
                $crate::api::crud::update::<$record>(&state, &w, if_match, &id, input).await
            }

            #[doc = $delete_doc]
            $(#[doc = ""] #[doc = $delete_more])?
            #[utoipa::path(delete, path = $one, tag = $tag,
                params(("id" = $idty, Path, description = $iddoc), $crate::api::IfMatchHeader),
                responses((status = 204, description = "Deleted"), $crate::api::error::WriteProblems),
                security(("bearer" = [])))]
            pub async fn [<delete_ $name>](
                axum::extract::State(state): axum::extract::State<$crate::AppState>,
                w: $crate::api::Writer,
                if_match: $crate::api::IfMatch,
                axum::extract::Path(id): axum::extract::Path<String>,
            ) -> Result<axum::response::Response, $crate::api::error::ApiError> {
                $crate::api::crud::delete::<$record>(&state, &w, if_match, &id).await
            }
        }
    };
}
