//! The registry's lists: libraries filtered by place and by what their services are, with a
//! count beside every facet value, and the network's totals. Every condition here is answered
//! from an index of `migrations/` (a library's place; a service's library, category, year,
//! status, volunteer flag; a target group's key).
//!
//! Facets are disjunctive: the counts of one facet apply every filter but that facet's own, so a
//! user sees what choosing another value would give.

use crate::entities::{Versioned, decode};
use crate::{Backend, Result, Store};
use lipa_core::geo::SettlementKind;
use lipa_core::ids::{CategoryCode, DistrictCode, LibraryId, MunicipalityCode, Year};
use lipa_core::library::Library;
use lipa_core::service::ServiceStatus;
use lipa_core::text::fold_name;
use sqlx::{AssertSqlSafe, Row};

pub mod map;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// `district`, `municipality`, `settlement_kind`, `category`, `target_group`, `volunteers`,
    /// `year`, `status`.
    pub name: &'static str,
    pub values: Vec<FacetValue>,
}

/// Network totals for the home page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub libraries: i64,
    /// Published services.
    pub services: i64,
    pub partners: i64,
    pub events: i64,
    pub volunteer_services: i64,
    pub libraries_without_service: i64,
    pub by_category: Vec<(String, i64)>,
    pub by_district: Vec<(String, i64)>,
}

/// SQL conditions with their bound values, numbered as they are added.
#[derive(Default)]
struct Sql {
    binds: Vec<Bind>,
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Sql {
    fn bind(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
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
    fn service_conds(&self, sql: &mut Sql, skip: Skip) -> Vec<String> {
        let mut c = Vec::new();
        let s = |n| skip != Skip::Facet(n);
        match (self.status, s("status")) {
            (Some(st), true) => c.push(format!(
                "s.status = {}",
                sql.bind(Bind::Text(st.code().into()))
            )),
            _ => c.push(format!("s.status IN ({})", self.statuses())),
        }
        if let (Some(cat), true) = (&self.category, s("category")) {
            c.push(format!(
                "s.category = {}",
                sql.bind(Bind::Text(cat.to_string()))
            ));
        }
        if let (Some(y), true) = (self.year, s("year")) {
            c.push(format!(
                "s.year = {}",
                sql.bind(Bind::Int(i64::from(y.get())))
            ));
        }
        if let (Some(v), true) = (self.volunteers, s("volunteers")) {
            c.push(format!(
                "s.volunteer_supported = {}",
                sql.bind(Bind::Int(i64::from(v)))
            ));
        }
        if let (Some(t), true) = (&self.target_group, s("target_group")) {
            c.push(format!(
                "EXISTS (SELECT 1 FROM service_target_groups t WHERE t.service_id = s.id AND t.name_key = {})",
                sql.bind(Bind::Text(fold_name(t)))
            ));
        }
        c
    }

    /// Conditions on a library row aliased `l`.
    fn library_conds(&self, sql: &mut Sql, skip: Skip) -> Vec<String> {
        let mut c = vec!["1 = 1".to_owned()];
        let s = |n| skip != Skip::Facet(n);
        if let (Some(d), true) = (&self.district, s("district")) {
            c.push(format!(
                "l.district_code = {}",
                sql.bind(Bind::Text(d.to_string()))
            ));
        }
        if let (Some(m), true) = (&self.municipality, s("municipality")) {
            c.push(format!(
                "l.municipality_code = {}",
                sql.bind(Bind::Text(m.to_string()))
            ));
        }
        if let (Some(k), true) = (self.settlement_kind, s("settlement_kind")) {
            c.push(format!(
                "l.settlement_kind = {}",
                sql.bind(Bind::Text(k.code().into()))
            ));
        }
        if let Some(ids) = &self.ids {
            let list: Vec<String> = ids.iter().map(|i| i.get().to_string()).collect();
            c.push(if list.is_empty() {
                "1 = 0".into()
            } else {
                format!("l.id IN ({})", list.join(", "))
            });
        }
        if self.has_service_filters(skip) {
            let sc = self.service_conds(sql, skip);
            // Driven from the services' indexes: the matching services give the library IDs,
            // which are looked up by primary key (no walk over all libraries).
            c.push(format!(
                "l.id IN (SELECT s.library_id FROM services s WHERE {})",
                sc.join(" AND ")
            ));
        }
        if let Some(has) = self.has_service {
            let not = if has { "" } else { "NOT " };
            c.push(format!(
                "{not}EXISTS (SELECT 1 FROM services s WHERE s.library_id = l.id AND s.status IN ({}))",
                self.statuses()
            ));
        }
        c
    }
}

fn run<'q>(
    sql: String,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = match b {
            Bind::Text(t) => q.bind(t),
            Bind::Int(n) => q.bind(n),
        };
    }
    q
}

impl Store {
    /// One page of libraries and the number of all that match.
    pub async fn list_libraries(&self, f: &LibraryFilter) -> Result<(Vec<LibraryRow>, i64)> {
        let (count_sql, count_binds) = count_statement(f);
        let total: i64 = run(count_sql, count_binds)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let (page_sql, page_binds) = page_statement(f);
        let rows = run(page_sql, page_binds).fetch_all(&self.pool).await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(LibraryRow {
                    library: decode(r)?,
                    services: r.try_get("services")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    /// The facet counts of a library list.
    pub async fn library_facets(&self, f: &LibraryFilter) -> Result<Vec<Facet>> {
        let mut out = Vec::new();
        for (name, sql, binds) in facet_statements(f) {
            out.push(Facet {
                name,
                values: fetch_facet(self, sql, binds).await?,
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
                .map(|(n, sql, b)| (format!("facet {n}"), (sql, b))),
        );
        let mut tx = self.pool.begin().await?;
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
        for (name, (sql, binds)) in statements {
            let rows = run(format!("{explain} {sql}"), binds)
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

    /// Totals of the network (published services only).
    pub async fn counts(&self) -> Result<Counts> {
        let one = |sql: &'static str| async move {
            let r = sqlx::query(sql).fetch_one(&self.pool).await?;
            Ok::<i64, crate::StoreError>(r.try_get(0)?)
        };
        let pairs = |sql: &'static str| async move {
            let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
                .collect::<Result<Vec<_>>>()
        };
        Ok(Counts {
            libraries: one("SELECT COUNT(*) FROM libraries").await?,
            services: one("SELECT COUNT(*) FROM services WHERE status IN ('planned', 'active', 'completed')").await?,
            partners: one("SELECT COUNT(*) FROM partners").await?,
            events: one("SELECT COUNT(*) FROM events").await?,
            volunteer_services: one(
                "SELECT COUNT(*) FROM services WHERE volunteer_supported = 1 AND status IN ('planned', 'active', 'completed')",
            )
            .await?,
            libraries_without_service: one(
                "SELECT COUNT(*) FROM libraries l WHERE NOT EXISTS (SELECT 1 FROM services s
                   WHERE s.library_id = l.id AND s.status IN ('planned', 'active', 'completed'))",
            )
            .await?,
            by_category: pairs(
                "SELECT category, COUNT(*) FROM services WHERE status IN ('planned', 'active', 'completed')
                 GROUP BY category ORDER BY COUNT(*) DESC, category",
            )
            .await?,
            by_district: pairs(
                "SELECT district_code, COUNT(*) FROM services WHERE status IN ('planned', 'active', 'completed')
                 GROUP BY district_code ORDER BY district_code",
            )
            .await?,
        })
    }
}

fn count_statement(f: &LibraryFilter) -> (String, Vec<Bind>) {
    let mut sql = Sql::default();
    let conds = f.library_conds(&mut sql, Skip::None).join(" AND ");
    (
        format!("SELECT COUNT(*) FROM libraries l WHERE {conds}"),
        sql.binds,
    )
}

fn page_statement(f: &LibraryFilter) -> (String, Vec<Bind>) {
    let mut sql = Sql::default();
    let conds = f.library_conds(&mut sql, Skip::None).join(" AND ");
    let svc = f.service_conds(&mut sql, Skip::None).join(" AND ");
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
    (page_sql, sql.binds)
}

fn facet_statements(f: &LibraryFilter) -> Vec<(&'static str, String, Vec<Bind>)> {
    let mut out = Vec::new();
    for (name, column) in [
        ("district", "l.district_code"),
        ("municipality", "l.municipality_code"),
        ("settlement_kind", "l.settlement_kind"),
    ] {
        let mut sql = Sql::default();
        let conds = f.library_conds(&mut sql, Skip::Facet(name)).join(" AND ");
        let q = format!(
            "SELECT {column} AS v, COUNT(*) AS n FROM libraries l WHERE {conds} GROUP BY {column} ORDER BY n DESC, v"
        );
        out.push((name, q, sql.binds));
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
        let mut sql = Sql::default();
        let lconds = f.library_conds(&mut sql, Skip::Facet(name)).join(" AND ");
        let sconds = f.service_conds(&mut sql, Skip::Facet(name)).join(" AND ");
        let q = format!(
            "SELECT {column} AS v, COUNT(DISTINCT l.id) AS n
             FROM libraries l JOIN services s ON s.library_id = l.id{join}
             WHERE {lconds} AND {sconds} GROUP BY {column} ORDER BY n DESC, v"
        );
        out.push((name, q, sql.binds));
    }
    out
}

async fn fetch_facet(store: &Store, sql: String, binds: Vec<Bind>) -> Result<Vec<FacetValue>> {
    let rows = run(sql, binds).fetch_all(&store.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(FacetValue {
                value: r.try_get(0)?,
                count: r.try_get(1)?,
            })
        })
        .collect()
}
