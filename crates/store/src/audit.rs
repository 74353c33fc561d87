//! Reading the audit log: a record's history, and the searchable log an admin exports.

use crate::{Result, Store};
use lipa_core::audit::{AuditAction, AuditEntry, EntityKind};
use sqlx::{AssertSqlSafe, Row};

/// Which entries to read; every field narrows. Newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<EntityKind>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// Entries with an ID above this one: the change log a search index follows.
    pub after_id: Option<i64>,
    pub limit: Option<i64>,
}

impl Store {
    pub async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut conds = vec!["1 = 1".to_owned()];
        let mut binds: Vec<String> = Vec::new();
        if let Some(e) = f.entity {
            binds.push(e.code().into());
            conds.push(format!("entity = ${}", binds.len()));
        }
        if let Some(id) = &f.entity_id {
            binds.push(id.clone());
            conds.push(format!("entity_id = ${}", binds.len()));
        }
        if let Some(a) = &f.actor {
            binds.push(a.clone());
            conds.push(format!("actor = ${}", binds.len()));
        }
        let after = f.after_id.unwrap_or(0);
        let order = if f.after_id.is_some() {
            "id ASC"
        } else {
            "id DESC"
        };
        let sql = format!(
            "SELECT id, at, actor, action, entity, entity_id, note, before, after FROM audit_log
             WHERE {} AND id > {after} ORDER BY {order} LIMIT {}",
            conds.join(" AND "),
            f.limit.unwrap_or(1000).clamp(1, 100_000)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let json = |col: &str| -> Result<Option<serde_json::Value>> {
                    let s: Option<String> = r.try_get(col)?;
                    Ok(match s {
                        Some(s) => Some(serde_json::from_str(&s)?),
                        None => None,
                    })
                };
                let action: String = r.try_get("action")?;
                let entity: String = r.try_get("entity")?;
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: AuditAction::from_code(&action).ok_or_else(|| {
                        crate::StoreError::Corrupt(format!("audit action {action}"))
                    })?,
                    entity: EntityKind::from_code(&entity).ok_or_else(|| {
                        crate::StoreError::Corrupt(format!("audit entity {entity}"))
                    })?,
                    entity_id: r.try_get("entity_id")?,
                    note: r.try_get("note")?,
                    before: json("before")?,
                    after: json("after")?,
                })
            })
            .collect()
    }
}
