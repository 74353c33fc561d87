//! Libraries: the registry's records (their programme ID is their key), and the registry's
//! lists of them — filtered by place and by what their services are, with a count beside every
//! facet value. Every condition here is answered from an index of `migrations/` (a library's
//! place; a service's library, category, year, status, volunteer flag; a target group's key);
//! [`Store::library_query_plans`] shows the plans, and a test keeps them free of scans.
//!
//! Facets are disjunctive: the counts of one facet apply every filter but that facet's own, so a
//! user sees what choosing another value would give.
//!
//! A district has one coordinating library: a unique index keeps it so, and
//! [`check_coordinator`] says so first, in words a user understands.

use crate::record::{
    Entity, Facet, Versioned, decode, delete, facet_values, insert, list, place_of,
    second_coordinator, update,
};
use crate::sql::{Col, Where, ids_in};
use crate::{Backend, Result, Store};
use lipa_core::Violations;
use lipa_core::audit::{Actor, EntityKind};
use lipa_core::geo::SettlementKind;
use lipa_core::ids::{CategoryCode, DistrictCode, LibraryId, MunicipalityCode, RecordKey, Year};
use lipa_core::library::Library;
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::text::fold_name;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// How to order libraries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LibrarySort {
    /// By programme ID.
    #[default]
    Id,
    Name,
    /// By district, municipality, then name: the order of the district table.
    Place,
    /// Most services first.
    Services,
}

#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    pub district: Option<DistrictCode>,
    pub municipality: Option<MunicipalityCode>,
    pub settlement_kind: Option<SettlementKind>,
    pub category: Option<CategoryCode>,
    /// A target group as written; matched after folding.
    pub target_group: Option<String>,
    pub volunteers: Option<bool>,
    pub year: Option<Year>,
    pub status: Option<ServiceStatus>,
    /// `Some(false)`: libraries with no published service yet (the coverage gap).
    pub has_service: Option<bool>,
    /// Only these libraries (e.g. the hits of a text search).
    pub ids: Option<Vec<LibraryId>>,
    /// Count drafts as services (for signed-in users whose scope covers them).
    pub include_drafts: bool,
    pub sort: LibrarySort,
    pub limit: i64,
    pub offset: i64,
}

/// One library of a list, with the number of its services that the filter counts.
#[derive(Debug, Clone)]
pub struct LibraryRow {
    pub library: Versioned<Library>,
    pub services: i64,
}

impl Entity for Library {
    const TABLE: &'static str = "libraries";
    const KIND: EntityKind = EntityKind::Library;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let s = place_of(self.settlement.as_str())?;
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            ("kind", Col::Text(self.kind.code().into())),
            ("settlement_ekatte", Col::Text(s.ekatte.to_string())),
            ("municipality_code", Col::Text(s.municipality.to_string())),
            ("district_code", Col::Text(s.district.to_string())),
            ("settlement_kind", Col::Text(s.kind.code().into())),
            ("coordinator", Col::Int(i64::from(self.coordinator))),
        ])
    }
}

/// Keeps the place columns of a library's services in step when the library moves.
pub(crate) async fn after_library_write(conn: &mut AnyConnection, lib: &Library) -> Result<()> {
    let place = place_of(lib.settlement.as_str())?;
    sqlx::query(
        "UPDATE services SET district_code = $1, municipality_code = $2, settlement_kind = $3
         WHERE library_id = $4 AND (district_code <> $1 OR municipality_code <> $2 OR settlement_kind <> $3)",
    )
    .bind(place.district.as_str())
    .bind(place.municipality.as_str())
    .bind(place.kind.code())
    .bind(i64::from(lib.id.get()))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    None,
    Facet(&'static str),
}

const PUBLISHED: &str = "'planned', 'active', 'completed'";
const WITH_DRAFTS: &str = "'draft', 'planned', 'active', 'completed'";

impl LibraryFilter {
    fn statuses(&self) -> &'static str {
        if self.include_drafts {
            WITH_DRAFTS
        } else {
            PUBLISHED
        }
    }

    fn has_service_filters(&self, skip: Skip) -> bool {
        let s = |n| skip != Skip::Facet(n);
        (self.category.is_some() && s("category"))
            || (self.target_group.is_some() && s("target_group"))
            || (self.volunteers.is_some() && s("volunteers"))
            || (self.year.is_some() && s("year"))
            || (self.status.is_some() && s("status"))
    }

    /// Conditions on a service row aliased `s`.
    pub(crate) fn service_conds(&self, w: &mut Where, skip: Skip) {
        let s = |n| skip != Skip::Facet(n);
        match (self.status, s("status")) {
            (Some(st), true) => w.eq("s.status", st.code()),
            _ => w.push(format!("s.status IN ({})", self.statuses())),
        }
        if let (Some(cat), true) = (&self.category, s("category")) {
            w.eq("s.category", cat.as_str());
        }
        if let (Some(y), true) = (self.year, s("year")) {
            w.eq("s.year", i64::from(y.get()));
        }
        if let (Some(v), true) = (self.volunteers, s("volunteers")) {
            w.eq("s.volunteer_supported", v);
        }
        if let (Some(t), true) = (&self.target_group, s("target_group")) {
            let p = w.bind(fold_name(t));
            w.push(format!(
                "EXISTS (SELECT 1 FROM service_target_groups t WHERE t.service_id = s.id AND t.name_key = {p})"
            ));
        }
    }

    /// Conditions on a library row aliased `l`.
    pub(crate) fn library_conds(&self, w: &mut Where, skip: Skip) {
        let s = |n| skip != Skip::Facet(n);
        if let (Some(d), true) = (&self.district, s("district")) {
            w.eq("l.district_code", d.as_str());
        }
        if let (Some(m), true) = (&self.municipality, s("municipality")) {
            w.eq("l.municipality_code", m.as_str());
        }
        if let (Some(k), true) = (self.settlement_kind, s("settlement_kind")) {
            w.eq("l.settlement_kind", k.code());
        }
        if let Some(ids) = &self.ids {
            w.push(ids_in("l.id", ids.iter().map(|i| i.raw())));
        }
        if self.has_service_filters(skip) {
            let sc = w.group(|w| self.service_conds(w, skip));
            // Driven from the services' indexes: the matching services give the library IDs,
            // which are looked up by primary key (no walk over all libraries).
            w.push(format!(
                "l.id IN (SELECT s.library_id FROM services s WHERE {sc})"
            ));
        }
        // Not as `EXISTS (…)`: SQLite 3.51 turns that into a join which, with the list's
        // `OFFSET`, skips the wrong rows (a page past the last one still had rows).
        match (self.has_service, self.include_drafts) {
            (Some(has), false) => {
                let op = if has { ">" } else { "=" };
                w.push(format!("l.published_services {op} 0"));
            }
            (Some(has), true) => {
                let not = if has { "" } else { "NOT " };
                w.push(format!(
                    "l.id {not}IN (SELECT s.library_id FROM services s WHERE s.status IN ({WITH_DRAFTS}))"
                ));
            }
            (None, _) => {}
        }
    }
}

/// Checks the one-coordinator-per-district rule before the unique index does, so that the
/// refusal names the rule on every backend.
pub(crate) async fn check_coordinator(conn: &mut AnyConnection, lib: &Library) -> Result<()> {
    if !lib.coordinator {
        return Ok(());
    }
    let district = place_of(lib.settlement.as_str())?.district.as_str();
    let other = sqlx::query(
        "SELECT 1 FROM libraries WHERE district_code = $1 AND coordinator = 1 AND id <> $2",
    )
    .bind(district)
    .bind(lib.id.raw())
    .fetch_optional(conn)
    .await?;
    match other {
        Some(_) => Err(second_coordinator()),
        None => Ok(()),
    }
}

impl Store {
    pub async fn library(&self, id: LibraryId) -> Result<Option<Versioned<Library>>> {
        self.find::<Library>(id).await
    }

    /// Every library, by programme ID.
    pub async fn libraries(&self) -> Result<Vec<Versioned<Library>>> {
        self.select::<Library>(&Where::default(), "id").await
    }

    /// The libraries of these IDs that exist, in the order given (one query).
    pub async fn libraries_by_ids(&self, ids: &[LibraryId]) -> Result<Vec<Versioned<Library>>> {
        let mut w = Where::default();
        w.push(ids_in("id", ids.iter().map(|i| i.raw())));
        let found: HashMap<LibraryId, Versioned<Library>> = self
            .select::<Library>(&w, "id")
            .await?
            .into_iter()
            .map(|l| (l.record.id, l))
            .collect();
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }

    /// The libraries of a district, by programme ID.
    pub async fn district_libraries(
        &self,
        district: &DistrictCode,
    ) -> Result<Vec<Versioned<Library>>> {
        let mut w = Where::default();
        w.eq("district_code", district.as_str());
        self.select::<Library>(&w, "id").await
    }

    pub async fn create_library(&self, actor: &Actor, lib: &Library) -> Result<Versioned<Library>> {
        let mut tx = self.begin_write().await?;
        check_coordinator(&mut tx, lib).await?;
        let out = insert(&mut tx, actor, "", Some(lib.id), lib).await?;
        after_library_write(&mut tx, lib).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_library(
        &self,
        actor: &Actor,
        lib: &Library,
        expected: Option<i64>,
    ) -> Result<Versioned<Library>> {
        let mut tx = self.begin_write().await?;
        check_coordinator(&mut tx, lib).await?;
        let out = update(&mut tx, actor, "", lib.id, lib, expected).await?;
        after_library_write(&mut tx, lib).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Deletes a library and, with it, its services (each recorded in the audit log).
    pub async fn delete_library(
        &self,
        actor: &Actor,
        id: LibraryId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let mut w = Where::default();
        w.eq("library_id", id.raw());
        // One audit entry per service: the deletion of each is a change of its own.
        for s in list::<Service>(&mut tx, &w, "id").await? {
            delete::<Service>(&mut tx, actor, "library deleted", s.id, None).await?;
        }
        delete::<Library>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of libraries and the number of all that match.
    pub async fn list_libraries(&self, f: &LibraryFilter) -> Result<(Vec<LibraryRow>, i64)> {
        let (count_sql, count) = count_statement(f);
        let total: i64 = count
            .query(count_sql)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let (page_sql, page) = page_statement(f);
        let rows = page.query(page_sql).fetch_all(&self.pool).await?;
        let list = rows.iter().map(library_row).collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    /// One page of libraries without their count (which the facet index gives).
    pub async fn library_page(&self, f: &LibraryFilter) -> Result<Vec<LibraryRow>> {
        let (page_sql, page) = page_statement(f);
        let rows = page.query(page_sql).fetch_all(&self.pool).await?;
        rows.iter().map(library_row).collect()
    }

    /// The libraries `ids` (a page the facet index chose), in programme-ID order, each with the
    /// number of its services that the filter counts: read by primary key.
    pub async fn library_rows(&self, f: &LibraryFilter, ids: &[u32]) -> Result<Vec<LibraryRow>> {
        let mut w = Where::default();
        let svc = w.group(|w| f.service_conds(w, Skip::None));
        let sql = format!(
            "SELECT l.id, l.body, l.version, l.created_at, l.updated_at,
               (SELECT COUNT(*) FROM services s WHERE s.library_id = l.id AND {svc}) AS services
             FROM libraries l WHERE {} ORDER BY l.id",
            ids_in("l.id", ids.iter().map(|&i| i64::from(i)))
        );
        let rows = w.query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(library_row).collect()
    }

    /// The facet counts of a library list (one query per facet).
    pub async fn library_facets(&self, f: &LibraryFilter) -> Result<Vec<Facet>> {
        let mut out = Vec::new();
        for (name, sql, w) in facet_statements(f) {
            let rows = w.query(sql).fetch_all(&self.pool).await?;
            out.push(Facet {
                name,
                values: facet_values(&rows)?,
            });
        }
        Ok(out)
    }

    /// The plan of every statement a library list runs (count, page, each facet), one line per
    /// step: what the test that guards "answered from an index, never by scanning" reads. On
    /// SQLite, `EXPLAIN QUERY PLAN` (a full scan is `SCAN t` without `USING`); on PostgreSQL,
    /// `EXPLAIN` with sequential scans disabled, so that a `Seq Scan` left in the plan means that
    /// no index can serve the step (the tables of a test are too small for the planner to
    /// prefer an index by itself).
    pub async fn library_query_plans(
        &self,
        f: &LibraryFilter,
    ) -> Result<Vec<(String, Vec<String>)>> {
        let mut statements = vec![
            ("count".to_owned(), count_statement(f)),
            ("page".to_owned(), page_statement(f)),
        ];
        statements.extend(
            facet_statements(f)
                .into_iter()
                .map(|(n, sql, w)| (format!("facet {n}"), (sql, w))),
        );
        let mut tx = self.begin_write().await?;
        let (explain, column) = match self.backend {
            Backend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
            Backend::Postgres => {
                sqlx::query("SET LOCAL enable_seqscan = off")
                    .execute(&mut *tx)
                    .await?;
                ("EXPLAIN", "QUERY PLAN")
            }
        };
        let mut out = Vec::new();
        for (name, (sql, w)) in statements {
            let rows = w
                .query(format!("{explain} {sql}"))
                .fetch_all(&mut *tx)
                .await?;
            let lines = rows
                .iter()
                .map(|r| r.try_get::<String, _>(column))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((name, lines));
        }
        tx.rollback().await?;
        Ok(out)
    }
}

fn library_row(r: &sqlx::any::AnyRow) -> Result<LibraryRow> {
    Ok(LibraryRow {
        library: decode(r)?,
        services: r.try_get("services")?,
    })
}

fn count_statement(f: &LibraryFilter) -> (String, Where) {
    let mut w = Where::default();
    f.library_conds(&mut w, Skip::None);
    (
        format!("SELECT COUNT(*) FROM libraries l WHERE {}", w.clause()),
        w,
    )
}

fn page_statement(f: &LibraryFilter) -> (String, Where) {
    let mut w = Where::default();
    let conds = w.group(|w| f.library_conds(w, Skip::None));
    let svc = w.group(|w| f.service_conds(w, Skip::None));
    let order = match f.sort {
        LibrarySort::Id => "l.id",
        LibrarySort::Name => "l.name_key, l.id",
        LibrarySort::Place => "l.district_code, l.municipality_code, l.id",
        LibrarySort::Services => "services DESC, l.id",
    };
    let limit = if f.limit <= 0 { 50 } else { f.limit.min(1000) };
    let page_sql = format!(
        "SELECT l.id, l.body, l.version, l.created_at, l.updated_at,
           (SELECT COUNT(*) FROM services s WHERE s.library_id = l.id AND {svc}) AS services
         FROM libraries l WHERE {conds} ORDER BY {order} LIMIT {limit} OFFSET {}",
        f.offset.max(0)
    );
    (page_sql, w)
}

fn facet_statements(f: &LibraryFilter) -> Vec<(&'static str, String, Where)> {
    let mut out = Vec::new();
    for (name, column) in [
        ("district", "l.district_code"),
        ("municipality", "l.municipality_code"),
        ("settlement_kind", "l.settlement_kind"),
    ] {
        let mut w = Where::default();
        f.library_conds(&mut w, Skip::Facet(name));
        let q = format!(
            "SELECT {column} AS v, COUNT(*) AS n FROM libraries l WHERE {} GROUP BY {column} ORDER BY n DESC, v",
            w.clause()
        );
        out.push((name, q, w));
    }
    for (name, column, join) in [
        ("category", "s.category", ""),
        ("year", "CAST(s.year AS TEXT)", ""),
        ("status", "s.status", ""),
        ("volunteers", "CAST(s.volunteer_supported AS TEXT)", ""),
        (
            "target_group",
            "t.name",
            " JOIN service_target_groups t ON t.service_id = s.id",
        ),
    ] {
        let mut w = Where::default();
        let lconds = w.group(|w| f.library_conds(w, Skip::Facet(name)));
        let sconds = w.group(|w| f.service_conds(w, Skip::Facet(name)));
        let q = format!(
            "SELECT {column} AS v, COUNT(DISTINCT l.id) AS n
             FROM libraries l JOIN services s ON s.library_id = l.id{join}
             WHERE {lconds} AND {sconds} GROUP BY {column} ORDER BY n DESC, v"
        );
        out.push((name, q, w));
    }
    out
}
