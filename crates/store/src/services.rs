//! Services: a library's e-services of a year (its service card, status and results), their
//! writes — which keep the indexed copies of the library's place, the target-group links and
//! the step-4 partner links in step — and their reads: by library, by district, by partner, and
//! the API's keyset-paged list. Who may see drafts is the caller's decision, passed in as a
//! [`DraftScope`] or made on the rows returned. Every condition here is served by an index of
//! `migrations/`.

use crate::record::{
    DraftScope, Entity, Keyset, KeysetPage, Versioned, decode, get, key, opt_key, place_of,
    replace_links, unique_by_key,
};
use crate::sql::{Col, Where, ids_in};
use crate::{Result, Store, StoreError};
use lipa_core::audit::{Actor, EntityKind};
use lipa_core::geo::SettlementKind;
use lipa_core::ids::{
    CategoryCode, DistrictCode, LibraryId, MunicipalityCode, PartnerId, RecordKey, ServiceId, Year,
};
use lipa_core::library::Library;
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::text::fold_name;
use lipa_core::{Violation, Violations};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct ServiceQuery {
    pub library: Option<LibraryId>,
    pub district: Option<DistrictCode>,
    pub municipality: Option<MunicipalityCode>,
    pub settlement_kind: Option<SettlementKind>,
    pub category: Option<CategoryCode>,
    /// A target group as written; matched after folding.
    pub target_group: Option<String>,
    pub volunteers: Option<bool>,
    pub year: Option<Year>,
    pub status: Option<ServiceStatus>,
    /// Words that must all occur in the service's name (folded).
    pub q: String,
    pub drafts: DraftScope,
}

/// One row of step 4 of a service card, resolved to the registry partner it names (by the ID
/// the card holds, or by a name only one partner has), when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerLink {
    pub service_id: ServiceId,
    /// Index into the card's `partners`.
    pub position: usize,
    pub partner_id: Option<PartnerId>,
}

impl Entity for Service {
    const TABLE: &'static str = "services";
    const KIND: EntityKind = EntityKind::Service;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    /// The place columns are filled from the library by [`Service::after_write`]'s caller; here
    /// they start empty and are set in the same statement batch.
    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("library_id", Col::Int(i64::from(self.library.get()))),
            ("year", Col::Int(i64::from(self.year.get()))),
            ("category", Col::Text(self.category.to_string())),
            ("status", Col::Text(self.status.code().into())),
            (
                "volunteer_supported",
                Col::Int(i64::from(self.volunteer_supported)),
            ),
            ("name_key", Col::Text(fold_name(&self.card.name))),
            ("district_code", Col::Text(String::new())),
            ("municipality_code", Col::Text(String::new())),
            ("settlement_kind", Col::Text(String::new())),
        ])
    }

    async fn check_refs(&self, conn: &mut AnyConnection) -> Result<()> {
        check_service_refs(conn, self).await
    }

    async fn after_write(&self, conn: &mut AnyConnection, id: ServiceId) -> Result<()> {
        after_service_write(conn, id, self).await
    }

    /// A service's activity log goes with it, each entry with its audit entry.
    async fn before_delete(conn: &mut AnyConnection, actor: &Actor, id: ServiceId) -> Result<()> {
        crate::activity_log::delete_service_entries(conn, actor, id).await
    }
}

impl crate::record::Written for Service {}

/// Copies the library's place into a service row and rewrites its target-group and partner links.
pub(crate) async fn after_service_write(
    conn: &mut AnyConnection,
    id: ServiceId,
    s: &Service,
) -> Result<()> {
    let lib = get::<Library>(conn, s.library).await?.ok_or_else(|| {
        StoreError::Invalid(
            Violation::new("library", "err-unknown-library")
                .arg("value", s.library)
                .into(),
        )
    })?;
    let place = place_of(lib.record.settlement.as_str())?;
    sqlx::query(
        "UPDATE services SET district_code = $1, municipality_code = $2, settlement_kind = $3 WHERE id = $4",
    )
    .bind(place.district.as_str())
    .bind(place.municipality.as_str())
    .bind(place.kind.code())
    .bind(id.raw())
    .execute(&mut *conn)
    .await?;
    let groups = s
        .card
        .target_groups
        .iter()
        .enumerate()
        .map(|(i, t)| vec![Col::Int(i as i64), t.trim().into(), fold_name(t).into()])
        .collect();
    replace_links(
        conn,
        "service_target_groups",
        "service_id",
        id,
        &["position", "name", "name_key"],
        groups,
    )
    .await?;
    // A step-4 row without a partner ID names a partner by its name or short name, when only
    // one partner has it.
    let keys: Vec<String> = s.card.partners.iter().map(|p| fold_name(&p.name)).collect();
    let unnamed: Vec<String> = s
        .card
        .partners
        .iter()
        .zip(&keys)
        .filter(|(p, _)| p.partner_id.is_none())
        .map(|(_, k)| k.clone())
        .collect();
    let by_name = unique_by_key(conn, "partners", &["name_key", "short_key"], &unnamed).await?;
    let partners = s
        .card
        .partners
        .iter()
        .zip(keys)
        .enumerate()
        .map(|(i, (p, key))| {
            let partner_id = p.partner_id.or_else(|| by_name.get(&key).copied());
            vec![
                Col::Int(i as i64),
                Col::OptInt(partner_id.map(RecordKey::raw)),
                key.into(),
            ]
        })
        .collect();
    replace_links(
        conn,
        "service_partners",
        "service_id",
        id,
        &["position", "partner_id", "name_key"],
        partners,
    )
    .await
}

/// Checks what the foreign keys would catch, with messages a user understands.
pub(crate) async fn check_service_refs(conn: &mut AnyConnection, s: &Service) -> Result<()> {
    let mut v = Violations::default();
    let cat = sqlx::query("SELECT 1 FROM categories WHERE code = $1")
        .bind(s.category.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if cat.is_none() {
        v.push(Violation::new("category", "err-unknown-category").arg("value", &s.category));
    }
    let lib = sqlx::query("SELECT 1 FROM libraries WHERE id = $1")
        .bind(s.library.raw())
        .fetch_optional(&mut *conn)
        .await?;
    if lib.is_none() {
        v.push(Violation::new("library", "err-unknown-library").arg("value", s.library));
    }
    v.into_result().map_err(StoreError::from)
}

impl Store {
    pub async fn service(&self, id: ServiceId) -> Result<Option<Versioned<Service>>> {
        self.find::<Service>(id).await
    }

    pub async fn services(&self) -> Result<Vec<Versioned<Service>>> {
        self.select::<Service>(&Where::default(), "library_id, year, id")
            .await
    }

    /// The services of some libraries, by library (in the order given), year and ID: one
    /// query, whatever the number of libraries.
    pub async fn services_of(&self, ids: &[LibraryId]) -> Result<Vec<Versioned<Service>>> {
        let mut w = Where::default();
        w.push(ids_in("library_id", ids.iter().map(|i| i.raw())));
        let mut by_library: HashMap<LibraryId, Vec<Versioned<Service>>> = HashMap::new();
        for s in self.select::<Service>(&w, "library_id, year, id").await? {
            by_library.entry(s.record.library).or_default().push(s);
        }
        Ok(ids
            .iter()
            .flat_map(|id| by_library.get(id).cloned().unwrap_or_default())
            .collect())
    }

    /// Services that pass the query, by id.
    pub async fn page_services(
        &self,
        q: &ServiceQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Service>> {
        let mut w = Where::default();
        if let Some(l) = q.library {
            w.eq("library_id", l.raw());
        }
        if let Some(d) = &q.district {
            w.eq("district_code", d.as_str());
        }
        if let Some(m) = &q.municipality {
            w.eq("municipality_code", m.as_str());
        }
        if let Some(k) = q.settlement_kind {
            w.eq("settlement_kind", k.code());
        }
        if let Some(cat) = &q.category {
            w.eq("category", cat.as_str());
        }
        if let Some(v) = q.volunteers {
            w.eq("volunteer_supported", v);
        }
        if let Some(y) = q.year {
            w.eq("year", i64::from(y.get()));
        }
        if let Some(s) = q.status {
            w.eq("status", s.code());
        }
        if let Some(t) = &q.target_group {
            let p = w.bind(fold_name(t));
            w.push(format!(
                "EXISTS (SELECT 1 FROM service_target_groups t WHERE t.service_id = services.id AND t.name_key = {p})"
            ));
        }
        w.words(&q.q, &["name_key"]);
        match &q.drafts {
            DraftScope::All => {}
            DraftScope::None => w.push("status <> 'draft'"),
            DraftScope::District(d) => {
                let p = w.bind(d.as_str());
                w.push(format!("(status <> 'draft' OR district_code = {p})"));
            }
            DraftScope::Library(l) => {
                let p = w.bind(l.raw());
                w.push(format!("(status <> 'draft' OR library_id = {p})"));
            }
        }
        self.keyset_page(w, page).await
    }

    /// The services (drafts included: the caller decides who sees them) whose step 4 names the
    /// partner, by library, year and ID.
    pub async fn services_with_partner(
        &self,
        partner: PartnerId,
    ) -> Result<Vec<Versioned<Service>>> {
        let rows = sqlx::query(
            "SELECT s.id, s.body, s.version, s.created_at, s.updated_at FROM services s
             WHERE s.id IN (SELECT sp.service_id FROM service_partners sp WHERE sp.partner_id = $1)
             ORDER BY s.library_id, s.year, s.id",
        )
        .bind(partner.raw())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// How the step-4 rows of these services are linked to partners of the registry, by
    /// service (in the order given) and position: one query.
    pub async fn service_partner_links(&self, services: &[ServiceId]) -> Result<Vec<PartnerLink>> {
        let sql = format!(
            "SELECT service_id, position, partner_id FROM service_partners
             WHERE {} ORDER BY service_id, position",
            ids_in("service_id", services.iter().map(|s| s.raw()))
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        let mut by_service: HashMap<ServiceId, Vec<PartnerLink>> = HashMap::new();
        for r in rows {
            let position: i64 = r.try_get(1)?;
            let link = PartnerLink {
                service_id: key(&r, 0)?,
                position: usize::try_from(position).unwrap_or_default(),
                partner_id: opt_key(&r, 2)?,
            };
            by_service.entry(link.service_id).or_default().push(link);
        }
        Ok(services
            .iter()
            .flat_map(|id| by_service.get(id).cloned().unwrap_or_default())
            .collect())
    }

    /// The services of a district's libraries for a year, drafts included (the caller decides
    /// which to show), by library and ID.
    pub async fn district_services(
        &self,
        district: &DistrictCode,
        year: Year,
    ) -> Result<Vec<Versioned<Service>>> {
        let mut w = Where::default();
        w.eq("district_code", district.as_str());
        w.eq("year", i64::from(year.get()));
        self.select::<Service>(&w, "library_id, id").await
    }
}
