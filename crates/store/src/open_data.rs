//! What the open-data page and the DCAT catalogue need from the store beyond the records: when
//! the public registry last changed.

use crate::{Result, Store};
use lipa_core::audit::EntityKind;
use sqlx::{AssertSqlSafe, Row};

/// The kinds of record the open data publishes (people and accounts are not among them).
pub const PUBLIC_KINDS: [EntityKind; 5] = [
    EntityKind::Library,
    EntityKind::Service,
    EntityKind::Partner,
    EntityKind::Event,
    EntityKind::Category,
];

impl Store {
    /// When the latest audit entry of a published kind of record was written (RFC 3339), if
    /// any: one query, walking the log back from its newest entry.
    pub async fn last_public_change(&self) -> Result<Option<String>> {
        let kinds = PUBLIC_KINDS
            .iter()
            .map(|k| format!("'{}'", k.code()))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT at FROM audit_log WHERE entity IN ({kinds}) ORDER BY id DESC LIMIT 1"
        )))
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }
}
