//! The one error of the use cases. Front ends turn it into a page, a problem+json body or an exit
//! code; [`AppError::Internal`] carries what went wrong inside (a database error, a broken
//! record) for the log, never for the user.

use lipa_core::Violations;
use lipa_store::StoreError;

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist, or the reader may not know that it exists.
    #[error("not found")]
    NotFound,
    /// Signing in would help.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but the role's scope does not cover the record.
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the record since it was read.
    #[error("version conflict: expected {expected}, found {actual}")]
    Conflict { expected: i64, actual: i64 },
    /// A record with the same key exists.
    #[error("{entity} {id} already exists")]
    AlreadyExists { entity: &'static str, id: String },
    /// The change would leave no enabled administrator.
    #[error("the last administrator must stay")]
    LastAdmin,
    /// The record breaks a domain rule (each violation names its field).
    #[error("invalid: {0}")]
    Invalid(Violations),
    /// The database cannot be reached or answered with an error.
    #[error("database: {0}")]
    Database(#[source] anyhow::Error),
    #[error("internal: {0}")]
    Internal(#[source] anyhow::Error),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Conflict { expected, actual } => AppError::Conflict { expected, actual },
            StoreError::AlreadyExists { entity, id } => AppError::AlreadyExists { entity, id },
            StoreError::LastAdmin => AppError::LastAdmin,
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::Database(e) => AppError::Database(e.into()),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<Violations> for AppError {
    fn from(v: Violations) -> Self {
        AppError::Invalid(v)
    }
}

impl From<lipa_search::SearchError> for AppError {
    fn from(e: lipa_search::SearchError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<lipa_core::Violation> for AppError {
    fn from(v: lipa_core::Violation) -> Self {
        AppError::Invalid(v.into())
    }
}
