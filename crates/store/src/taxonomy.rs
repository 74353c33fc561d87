//! The taxonomy the programme unit extends: service categories (with their display order) and
//! partner kinds. Services and partners refer to them by code (`services.rs` and `partners.rs`
//! check the references before a write); a category's change is recorded in the audit log.

use crate::audit::record_audit;
use crate::{Result, Store};
use lipa_core::Violations;
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::taxonomy::{Category, PartnerKind};
use sqlx::Row;

impl Store {
    /// The service categories, in their display order.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        let rows = sqlx::query("SELECT body FROM categories ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>(0)?)?))
            .collect()
    }

    pub async fn partner_kinds(&self) -> Result<Vec<PartnerKind>> {
        let rows = sqlx::query("SELECT body FROM partner_kinds ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>(0)?)?))
            .collect()
    }

    /// Adds a category to the taxonomy (or renames one), recorded in the audit log.
    pub async fn save_category(&self, actor: &Actor, c: &Category) -> Result<()> {
        let mut v = Violations::default();
        lipa_core::error::check_text(&mut v, "name_bg", &c.name_bg, true, 100);
        lipa_core::error::check_text(&mut v, "name_en", &c.name_en, true, 100);
        v.into_result()?;
        let mut tx = self.begin_write().await?;
        let before: Option<String> = sqlx::query("SELECT body FROM categories WHERE code = $1")
            .bind(c.code.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.get(0));
        let body = serde_json::to_string(c)?;
        sqlx::query(
            "INSERT INTO categories (code, position, body) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET position = excluded.position, body = excluded.body,
               version = categories.version + 1",
        )
        .bind(c.code.as_str())
        .bind(i64::from(c.position))
        .bind(body.clone())
        .execute(&mut *tx)
        .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_audit(
            &mut tx,
            actor,
            action,
            EntityKind::Category,
            c.code.as_str(),
            "",
            before,
            Some(body),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
