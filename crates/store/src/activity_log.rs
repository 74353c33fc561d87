//! The activity log of services: entries written through the generic, audited path
//! ([`crate::record`]), the entries of one service by date, and their removal with the service
//! (each with its own audit entry, inside the service's delete). Every condition here is served
//! by the index `activity_entries_service` of `migrations/`.

use crate::record::{Entity, ROW, Versioned, decode, delete};
use crate::sql::{Col, Where, ids_in};
use crate::{Result, Store, StoreError};
use lipa_core::Violation;
use lipa_core::Violations;
use lipa_core::activity_log::ActivityEntry;
use lipa_core::audit::{Actor, EntityKind};
use lipa_core::ids::{ActivityId, RecordKey, ServiceId};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

impl Entity for ActivityEntry {
    const TABLE: &'static str = "activity_entries";
    const KIND: EntityKind = EntityKind::Activity;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("service_id", Col::Int(self.service_id.raw())),
            ("date", Col::Text(self.date.to_string())),
            ("kind", Col::Text(self.kind.code().into())),
        ])
    }

    async fn check_refs(&self, conn: &mut AnyConnection) -> Result<()> {
        let found = sqlx::query("SELECT 1 FROM services WHERE id = $1")
            .bind(self.service_id.raw())
            .fetch_optional(conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::Invalid(
                Violation::new("service_id", "err-unknown-service")
                    .arg("value", self.service_id)
                    .into(),
            ));
        }
        Ok(())
    }
}

impl crate::record::Written for ActivityEntry {}

/// Deletes every entry of a service, each with its audit entry (for the service's delete, in
/// its transaction). A service's log is bounded by what people typed for it.
pub(crate) async fn delete_service_entries(
    conn: &mut AnyConnection,
    actor: &Actor,
    service: ServiceId,
) -> Result<()> {
    let rows = sqlx::query("SELECT id FROM activity_entries WHERE service_id = $1 ORDER BY id")
        .bind(service.raw())
        .fetch_all(&mut *conn)
        .await?;
    for r in rows {
        let id = ActivityId::from_raw(r.try_get(0)?);
        delete::<ActivityEntry>(conn, actor, "", id, None).await?;
    }
    Ok(())
}

impl Store {
    /// An entry of an activity log by its key.
    pub async fn activity(&self, id: ActivityId) -> Result<Option<Versioned<ActivityEntry>>> {
        self.find::<ActivityEntry>(id).await
    }

    /// The entries of a service's log, by date (then as entered).
    pub async fn service_activities(
        &self,
        service: ServiceId,
    ) -> Result<Vec<Versioned<ActivityEntry>>> {
        let mut w = Where::default();
        w.eq("service_id", service.raw());
        self.select::<ActivityEntry>(&w, "date, id").await
    }

    /// Every entry of every log, by service and date (the whole registry's export).
    pub async fn activities(&self) -> Result<Vec<Versioned<ActivityEntry>>> {
        self.select::<ActivityEntry>(&Where::default(), "service_id, date, id")
            .await
    }

    /// The entries of the logs of some services (for an import's comparison), by service and
    /// date: a query per thousand services.
    pub async fn activities_of(
        &self,
        services: &[ServiceId],
    ) -> Result<Vec<Versioned<ActivityEntry>>> {
        let mut out = Vec::new();
        for chunk in services.chunks(1000) {
            let sql = format!(
                "SELECT {ROW} FROM activity_entries WHERE {} ORDER BY service_id, date, id",
                ids_in("service_id", chunk.iter().map(|s| s.raw()))
            );
            let rows = sqlx::query(AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                out.push(decode(r)?);
            }
        }
        Ok(out)
    }
}
