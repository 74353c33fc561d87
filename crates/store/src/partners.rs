//! Partners: the organisations libraries work with (municipalities, schools, NGOs, health
//! inspectorates …), their writes, and their reads — the partners page's list with its kind
//! facet ([`PartnerFilter`]), the API's keyset-paged list ([`PartnerQuery`]), and how many
//! published services name each. Which services name a partner is kept in `service_partners`
//! by `services.rs`. Every condition here is served by an index of `migrations/`
//! (`partners_kind`, `partners_name`, `service_partners_partner`).

use crate::record::{
    Entity, FacetValue, Keyset, KeysetPage, Versioned, decode, facet_values, key, place_of,
};
use crate::sql::{Col, Where};
use crate::{Result, Store};
use lipa_core::audit::EntityKind;
use lipa_core::ids::{CategoryCode, DistrictCode, PartnerId};
use lipa_core::partner::Partner;
use lipa_core::text::fold_name;
use lipa_core::{Violation, Violations};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Default)]
pub struct PartnerQuery {
    pub kind: Option<CategoryCode>,
    pub district: Option<DistrictCode>,
    /// Words that must all occur in the name or the short name (folded).
    pub q: String,
}

/// The partners list's filter: a partner kind and words of the name (folded; all must occur in
/// the name or the short name).
#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub kind: Option<CategoryCode>,
    pub q: String,
}

impl PartnerFilter {
    /// The conditions over `partners p`; `with_kind: false` leaves the kind out, for the kind
    /// facet's own counts.
    fn filter(&self, with_kind: bool) -> Where {
        let mut w = Where::default();
        if let (Some(kind), true) = (&self.kind, with_kind) {
            w.eq("p.kind", kind.as_str());
        }
        w.words(&self.q, &["p.name_key", "p.short_key"]);
        w
    }
}

impl Entity for Partner {
    const TABLE: &'static str = "partners";
    const KIND: EntityKind = EntityKind::Partner;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let district = match &self.settlement {
            Some(e) => Some(place_of(e.as_str())?.district.to_string()),
            None => None,
        };
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            ("short_key", Col::Text(fold_name(&self.short_name))),
            ("kind", Col::Text(self.kind.to_string())),
            ("district_code", Col::OptText(district)),
        ])
    }

    async fn check_refs(&self, conn: &mut AnyConnection) -> Result<()> {
        check_partner_refs(conn, self).await
    }
}

impl crate::record::Written for Partner {}

pub(crate) async fn check_partner_refs(conn: &mut AnyConnection, p: &Partner) -> Result<()> {
    let kind = sqlx::query("SELECT 1 FROM partner_kinds WHERE code = $1")
        .bind(p.kind.as_str())
        .fetch_optional(conn)
        .await?;
    if kind.is_none() {
        return Err(Violations::from(
            Violation::new("kind", "err-unknown-partner-kind").arg("value", &p.kind),
        )
        .into());
    }
    Ok(())
}

impl Store {
    pub async fn partner(&self, id: PartnerId) -> Result<Option<Versioned<Partner>>> {
        self.find::<Partner>(id).await
    }

    pub async fn partners(&self) -> Result<Vec<Versioned<Partner>>> {
        self.select::<Partner>(&Where::default(), "name_key, id")
            .await
    }

    /// Partners that pass the query, by id.
    pub async fn page_partners(
        &self,
        q: &PartnerQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Partner>> {
        let mut w = Where::default();
        if let Some(k) = &q.kind {
            w.eq("kind", k.as_str());
        }
        if let Some(d) = &q.district {
            w.eq("district_code", d.as_str());
        }
        w.words(&q.q, &["name_key", "short_key"]);
        self.keyset_page(w, page).await
    }

    /// The partners that pass the filter, by name.
    pub async fn find_partners(&self, f: &PartnerFilter) -> Result<Vec<Versioned<Partner>>> {
        let w = f.filter(true);
        let sql = format!(
            "SELECT p.id, p.body, p.version, p.created_at, p.updated_at FROM partners p
             WHERE {} ORDER BY p.name_key, p.id",
            w.clause()
        );
        let rows = w.query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(decode).collect()
    }

    /// The number of partners of each kind that the filter's words match (the kind itself left
    /// out, so the counts say what choosing another kind would give), most first.
    pub async fn partner_kind_counts(&self, f: &PartnerFilter) -> Result<Vec<FacetValue>> {
        let w = f.filter(false);
        let sql = format!(
            "SELECT p.kind AS v, COUNT(*) AS n FROM partners p WHERE {}
             GROUP BY p.kind ORDER BY n DESC, v",
            w.clause()
        );
        facet_values(&w.query(sql).fetch_all(&self.pool).await?)
    }

    /// For every partner linked to a published service: the number of such services.
    pub async fn partner_service_counts(&self) -> Result<Vec<(PartnerId, i64)>> {
        let rows = sqlx::query(
            "SELECT sp.partner_id, COUNT(DISTINCT sp.service_id) FROM service_partners sp
             JOIN services s ON s.id = sp.service_id
             WHERE sp.partner_id IS NOT NULL AND s.status IN ('planned', 'active', 'completed')
             GROUP BY sp.partner_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((key(r, 0)?, r.try_get(1)?)))
            .collect()
    }
}
