//! The audit log: the one function that writes an entry (called by every write path, in the
//! write's own transaction), and its reads — a record's history and the change log a search
//! index follows ([`AuditFilter`]), and the searchable, paginated log an admin reads and exports
//! ([`AuditSearch`]). Entries are rewritten only by a person's erasure (`persons.rs`).

use crate::sql::Where;
use crate::{Result, Store, StoreError, now};
use lipa_core::audit::{Actor, AuditAction, AuditEntry, EntityKind};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

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

/// A search of the audit log. Every field narrows; entries come newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSearch {
    pub entity: Option<EntityKind>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// First day (UTC), inclusive.
    pub from: Option<jiff::civil::Date>,
    /// Last day (UTC), inclusive.
    pub to: Option<jiff::civil::Date>,
    /// Page size; 0 means everything (exports).
    pub limit: i64,
    pub offset: i64,
}

/// The columns of an entry, as a `SELECT` list.
const ENTRY: &str = "id, at, actor, action, entity, entity_id, note, before, after";

/// `pg_advisory_xact_lock` key that orders the writers of the audit log on PostgreSQL.
pub(crate) const AUDIT_LOCK: i64 = 0x6c69_7061_6175_6474;

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; called from every write path"
)]
pub(crate) async fn record_audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    entity: EntityKind,
    entity_id: &str,
    note: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        // Search indexes follow the log by id and never look back: ids must become visible in
        // order. A PostgreSQL identity is taken at insert but seen at commit, so concurrent
        // writers (several servers, or one server's pool) take turns from here to their commit.
        // SQLite has one writer at a time anyway.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, note, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(&actor.0)
    .bind(action.code())
    .bind(entity.code())
    .bind(entity_id)
    .bind(note)
    .bind(before)
    .bind(after)
    .execute(conn)
    .await?;
    Ok(())
}

fn entry(r: &AnyRow) -> Result<AuditEntry> {
    let json = |col: &str| -> Result<Option<Value>> {
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
        action: AuditAction::from_code(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("audit action {action}")))?,
        entity: EntityKind::from_code(&entity)
            .ok_or_else(|| StoreError::Corrupt(format!("audit entity {entity}")))?,
        entity_id: r.try_get("entity_id")?,
        note: r.try_get("note")?,
        before: json("before")?,
        after: json("after")?,
    })
}

/// The conditions both readers share.
fn narrow(w: &mut Where, entity: Option<EntityKind>, id: Option<&String>, actor: Option<&String>) {
    if let Some(e) = entity {
        w.eq("entity", e.code());
    }
    if let Some(id) = id {
        w.eq("entity_id", id.as_str());
    }
    if let Some(a) = actor {
        w.eq("actor", a.as_str());
    }
}

impl AuditSearch {
    /// The condition and its binds. Days compare as text: `at` is RFC 3339 UTC, so
    /// `"2012-06-06" <= at < "2012-06-08"` is the days 6 and 7 June, and the `at` index serves it.
    fn filter(&self) -> Where {
        let mut w = Where::default();
        let given = |s: &Option<String>| s.as_ref().filter(|s| !s.is_empty()).cloned();
        narrow(
            &mut w,
            self.entity,
            given(&self.entity_id).as_ref(),
            given(&self.actor).as_ref(),
        );
        if let Some(d) = self.from {
            w.ge("at", d.to_string());
        }
        if let Some(d) = self.to {
            let next = d
                .tomorrow()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "9999-99".into());
            w.lt("at", next);
        }
        w
    }
}

impl Store {
    /// The latest entry of the change log (0 when it is empty): one look at the primary key.
    pub async fn last_audit_id(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    /// What the change log names after entry `after_id`, oldest first, at most `limit`: entry
    /// ID, entity and record key — no before and after, which a follower of the log re-reads
    /// from the records themselves.
    pub async fn audit_keys(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Option<EntityKind>, String)>> {
        let sql = format!(
            "SELECT id, entity, entity_id FROM audit_log WHERE id > $1 ORDER BY id LIMIT {}",
            limit.clamp(1, 100_000)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let entity: String = r.try_get(1)?;
            out.push((r.try_get(0)?, EntityKind::from_code(&entity), r.try_get(2)?));
        }
        Ok(out)
    }

    pub async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut w = Where::default();
        narrow(&mut w, f.entity, f.entity_id.as_ref(), f.actor.as_ref());
        let order = if f.after_id.is_some() {
            "id ASC"
        } else {
            "id DESC"
        };
        w.gt("id", f.after_id.unwrap_or(0));
        let sql = format!(
            "SELECT {ENTRY} FROM audit_log WHERE {} ORDER BY {order} LIMIT {}",
            w.clause(),
            f.limit.unwrap_or(1000).clamp(1, 100_000)
        );
        let rows = w.query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(entry).collect()
    }

    /// One page of the audit log and the number of entries the search matches.
    pub async fn search_audit(&self, s: &AuditSearch) -> Result<(Vec<AuditEntry>, i64)> {
        let w = s.filter();
        let cond = w.clause();
        let total: i64 = w
            .query(format!("SELECT COUNT(*) FROM audit_log WHERE {cond}"))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let page = if s.limit > 0 {
            format!("LIMIT {} OFFSET {}", s.limit.min(10_000), s.offset.max(0))
        } else {
            String::new()
        };
        let rows = w
            .query(format!(
                "SELECT {ENTRY} FROM audit_log WHERE {cond} ORDER BY id DESC {page}"
            ))
            .fetch_all(&self.pool)
            .await?;
        let entries = rows.iter().map(entry).collect::<Result<Vec<_>>>()?;
        Ok((entries, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Col;

    #[test]
    fn date_range_is_inclusive_of_both_days() {
        let s = AuditSearch {
            from: Some(jiff::civil::date(2012, 6, 6)),
            to: Some(jiff::civil::date(2012, 6, 7)),
            ..Default::default()
        };
        let w = s.filter();
        assert_eq!(w.clause(), "at >= $1 AND at < $2");
        assert_eq!(
            w.binds(),
            [
                Col::Text("2012-06-06".into()),
                Col::Text("2012-06-08".into())
            ]
        );
    }
}
