//! Imports: the files waiting between their preview and their commit (`import_uploads`, migration 3).
//!
//! The store keeps the file as uploaded, with the options it was read with, and never the
//! parsed records: the commit reads the file again and compares it with the store as it is at
//! that moment. An upload belongs to the user who sent it, expires after [`UPLOAD_TTL_HOURS`],
//! and is claimed once by its commit, so that a double click cannot write twice.
//!
//! These rows are staging data, not registry records: they get no audit entry. The records an
//! import writes are audited by [`Store::apply`].

use crate::{Result, Store, now};
use lipa_core::ids::{RecordKey, UserId};
use sqlx::Row;

/// How long an upload waits for its commit.
pub const UPLOAD_TTL_HOURS: i64 = 24;

/// An upload to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpload {
    pub user_id: UserId,
    pub filename: String,
    /// The format it is read as (`table`, `csv`, `xlsx`, `json`).
    pub format: String,
    /// Year and district code given for a text table whose title does not say them.
    pub year: Option<i32>,
    pub district: Option<String>,
    pub bytes: Vec<u8>,
}

/// A stored upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: i64,
    pub user_id: UserId,
    pub created_at: String,
    pub expires_at: String,
    pub filename: String,
    pub format: String,
    pub year: Option<i32>,
    pub district: Option<String>,
    pub bytes: Vec<u8>,
    /// Set once the commit has claimed it.
    pub committed_at: Option<String>,
    /// What the commit wrote, as the caller recorded it (JSON).
    pub result: Option<String>,
}

fn in_hours(hours: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours);
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

impl Store {
    /// Stores an upload and returns its ID. Expired uploads of anyone are removed on the way, so
    /// the table never grows with abandoned previews.
    pub async fn save_upload(&self, u: &NewUpload) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let at = now();
        sqlx::query("DELETE FROM import_uploads WHERE expires_at < $1")
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "INSERT INTO import_uploads (user_id, created_at, expires_at, filename, format, year,
               district, bytes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(u.user_id.raw())
        .bind(at)
        .bind(in_hours(UPLOAD_TTL_HOURS))
        .bind(u.filename.clone())
        .bind(u.format.clone())
        .bind(u.year.map(i64::from))
        .bind(u.district.clone())
        .bind(u.bytes.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        tx.commit().await?;
        Ok(id)
    }

    /// The upload `id` of `user_id`, unless it has expired. Another user's upload is `None`, as
    /// if it did not exist.
    pub async fn upload(&self, id: i64, user_id: UserId) -> Result<Option<Upload>> {
        let row = sqlx::query(
            "SELECT id, user_id, created_at, expires_at, filename, format, year, district, bytes,
               committed_at, result
             FROM import_uploads WHERE id = $1 AND user_id = $2 AND expires_at >= $3",
        )
        .bind(id)
        .bind(user_id.raw())
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let year: Option<i64> = r.try_get("year")?;
        Ok(Some(Upload {
            id: r.try_get("id")?,
            user_id: UserId::new(r.try_get("user_id")?),
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
            filename: r.try_get("filename")?,
            format: r.try_get("format")?,
            year: year.and_then(|y| i32::try_from(y).ok()),
            district: r.try_get("district")?,
            bytes: r.try_get("bytes")?,
            committed_at: r.try_get("committed_at")?,
            result: r.try_get("result")?,
        }))
    }

    /// Claims an upload for its commit. `false` when it is already claimed (or gone): the caller
    /// must then write nothing.
    pub async fn claim_upload(&self, id: i64, user_id: UserId) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE import_uploads SET committed_at = $1
             WHERE id = $2 AND user_id = $3 AND committed_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(user_id.raw())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a claimed upload back when its commit wrote nothing (it failed), so it can be tried
    /// again.
    pub async fn release_upload(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE import_uploads SET committed_at = NULL, result = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records what the commit of a claimed upload wrote.
    pub async fn record_upload_result(&self, id: i64, result: &str) -> Result<()> {
        sqlx::query("UPDATE import_uploads SET result = $1 WHERE id = $2")
            .bind(result)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
