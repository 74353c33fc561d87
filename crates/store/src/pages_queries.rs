//! The reads behind the library, service-card and partner pages that the generic entity methods
//! do not answer: who partners in which service (the `service_partners` links the store keeps on
//! every service write), the events of a district, and the partners list with its kind facet.
//!
//! Read-only: every write goes through `entities.rs`, so that it is validated and audited. Every
//! condition here is served by an index of `migrations/` (`service_partners_partner`,
//! `events_district`, `partners_kind`, `partners_name`).

use crate::entities::{Col, Versioned, decode, list};
use crate::query::FacetValue;
use crate::{Result, Store};
use lipa_core::event::Event;
use lipa_core::ids::{CategoryCode, DistrictCode, RecordId};
use lipa_core::partner::Partner;
use lipa_core::service::Service;
use lipa_core::text::fold_name;
use sqlx::{AssertSqlSafe, Row};

/// One row of step 4 of a service card, resolved to the registry partner it names (by the ID
/// the card holds, or by a name only one partner has), when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerLink {
    pub service_id: RecordId,
    /// Index into the card's `partners`.
    pub position: usize,
    pub partner_id: Option<RecordId>,
}

/// The partners list's filter: a partner kind and words of the name (folded; all must occur in
/// the name or the short name).
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub kind: Option<CategoryCode>,
    pub q: String,
}

impl PartnerFilter {
    /// SQL conditions over `partners p` and their binds; `with_kind: false` leaves the kind out,
    /// for the kind facet's own counts.
    fn conds(&self, with_kind: bool) -> (String, Vec<Col>) {
        let mut conds = vec!["1 = 1".to_owned()];
        let mut binds = Vec::new();
        if let (Some(kind), true) = (&self.kind, with_kind) {
            binds.push(Col::Text(kind.to_string()));
            conds.push(format!("p.kind = ${}", binds.len()));
        }
        for word in fold_name(&self.q).split_whitespace() {
            // LIKE's own wildcards in the user's words match themselves.
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(Col::Text(format!("%{escaped}%")));
            let n = binds.len();
            conds.push(format!(
                "(p.name_key LIKE ${n} ESCAPE '\\' OR p.short_key LIKE ${n} ESCAPE '\\')"
            ));
        }
        (conds.join(" AND "), binds)
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: Vec<Col>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Col::Text(s) => q.bind(s),
            Col::OptText(s) => q.bind(s),
            Col::Int(n) => q.bind(n),
            Col::OptInt(n) => q.bind(n),
        };
    }
    q
}

impl Store {
    /// The services (drafts included: the caller decides who sees them) whose step 4 names the
    /// partner, by library, year and ID.
    pub async fn services_with_partner(
        &self,
        partner: RecordId,
    ) -> Result<Vec<Versioned<Service>>> {
        let rows = sqlx::query(
            "SELECT s.id, s.body, s.version, s.created_at, s.updated_at FROM services s
             WHERE s.id IN (SELECT sp.service_id FROM service_partners sp WHERE sp.partner_id = $1)
             ORDER BY s.library_id, s.year, s.id",
        )
        .bind(partner)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// How the step-4 rows of these services are linked to partners of the registry.
    pub async fn service_partner_links(&self, services: &[RecordId]) -> Result<Vec<PartnerLink>> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for id in services {
            let rows = sqlx::query(
                "SELECT service_id, position, partner_id FROM service_partners
                 WHERE service_id = $1 ORDER BY position",
            )
            .bind(*id)
            .fetch_all(&mut *conn)
            .await?;
            for r in rows {
                let position: i64 = r.try_get(1)?;
                out.push(PartnerLink {
                    service_id: r.try_get(0)?,
                    position: usize::try_from(position).unwrap_or_default(),
                    partner_id: r.try_get(2)?,
                });
            }
        }
        Ok(out)
    }

    /// The events of a district (its own, or held in one of its settlements), latest first.
    pub async fn events_in_district(
        &self,
        district: &DistrictCode,
    ) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Event>(
            &mut conn,
            "district_code = $1",
            vec![Col::Text(district.to_string())],
            "starts DESC, id DESC",
        )
        .await
    }

    /// The partners that pass the filter, by name.
    pub async fn find_partners(&self, f: &PartnerFilter) -> Result<Vec<Versioned<Partner>>> {
        let (conds, binds) = f.conds(true);
        let sql = format!(
            "SELECT p.id, p.body, p.version, p.created_at, p.updated_at FROM partners p
             WHERE {conds} ORDER BY p.name_key, p.id"
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// The number of partners of each kind that the filter's words match (the kind itself left
    /// out, so the counts say what choosing another kind would give), most first.
    pub async fn partner_kind_counts(&self, f: &PartnerFilter) -> Result<Vec<FacetValue>> {
        let (conds, binds) = f.conds(false);
        let sql = format!(
            "SELECT p.kind AS v, COUNT(*) AS n FROM partners p WHERE {conds}
             GROUP BY p.kind ORDER BY n DESC, v"
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(FacetValue {
                    value: r.try_get(0)?,
                    count: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// For every partner linked to a published service: the number of such services.
    pub async fn partner_service_counts(&self) -> Result<Vec<(RecordId, i64)>> {
        let rows = sqlx::query(
            "SELECT sp.partner_id, COUNT(DISTINCT sp.service_id) FROM service_partners sp
             JOIN services s ON s.id = sp.service_id
             WHERE sp.partner_id IS NOT NULL AND s.status IN ('planned', 'active', 'completed')
             GROUP BY sp.partner_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
