//! The reads behind the reports: the network's totals for the home page, the district table of
//! the year, the category × place matrix, the coverage gap, target-group reach, volunteer
//! support and the partner network.
//!
//! Counting is done by the database, never by loading records into Rust: the totals, the
//! category matrix, the years and volunteer support add up `service_counts` (services by place,
//! category, year, status and volunteer flag) and the coverage gap reads
//! `libraries.published_services` — both kept by triggers in every write's transaction
//! (migration 0006), so they do not grow with the registry; the other reports group the indexed
//! copies the store keeps on every write (`service_target_groups.name_key`,
//! `service_partners`); records are read only where a report lists them (the
//! district table, the coverage list, the partners). Reports count published services only
//! (planned, active, completed): a draft is nobody's promise yet and a dropped service is no
//! longer one. Read-only: this module writes nothing.

use crate::record::key;
use crate::sql::Where;
use crate::{Result, Store};
use lipa_core::ids::{DistrictCode, PartnerId, Year};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::service::Service;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// The statuses a report counts.
const PUBLISHED: &str = "('planned', 'active', 'completed')";

/// One row of the district table: a library and one of its services of the year, or none.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictTableRow {
    pub library: Library,
    pub service: Option<Service>,
}

/// One cell of the category matrix: published services of a category in a place (a municipality
/// when the matrix is of one district, else a district).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell {
    pub category: String,
    pub place: String,
    pub services: i64,
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

/// The published services that name one target group (spellings that fold to the same key are
/// one group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroupReach {
    pub key: String,
    /// The most frequent spelling.
    pub name: String,
    pub services: i64,
    pub libraries: i64,
    /// Category codes with their number of services, most first.
    pub categories: Vec<(String, i64)>,
}

/// Volunteer support of the published services of one district and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerCell {
    pub district: String,
    pub category: String,
    pub volunteer_services: i64,
    pub services: i64,
}

/// A partner of the registry and the published services (and their libraries) whose step 4
/// names it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerReach {
    pub id: PartnerId,
    pub partner: Partner,
    pub services: i64,
    pub libraries: i64,
}

/// One kind of partner: how many partners, and how many distinct services and libraries they
/// reach together (a service with two partners of the kind counts once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerKindReach {
    pub kind: String,
    pub partners: i64,
    pub services: i64,
    pub libraries: i64,
}

/// The published services (columns prefixed `s.` when `aliased`), in `district` and of
/// `year` when given.
fn published(aliased: bool, district: Option<&DistrictCode>, year: Option<Year>) -> Where {
    let s = if aliased { "s." } else { "" };
    let mut w = Where::default();
    w.push(format!("{s}status IN {PUBLISHED}"));
    if let Some(d) = district {
        w.eq(&format!("{s}district_code"), d.as_str());
    }
    if let Some(y) = year {
        w.eq(&format!("{s}year"), i64::from(y.get()));
    }
    w
}

/// The rows of `column` in `district`, or all rows when none is given.
fn in_district(column: &str, district: Option<&DistrictCode>) -> Where {
    let mut w = Where::default();
    if let Some(d) = district {
        w.eq(column, d.as_str());
    }
    w
}

impl Store {
    /// The districts that have libraries, with their number of libraries, by code.
    pub async fn report_districts(&self) -> Result<Vec<(DistrictCode, i64)>> {
        let rows = sqlx::query(
            "SELECT district_code, COUNT(*) FROM libraries GROUP BY district_code ORDER BY district_code",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let code: String = r.try_get(0)?;
            if let Ok(d) = DistrictCode::parse(&code) {
                out.push((d, r.try_get(1)?));
            }
        }
        Ok(out)
    }

    /// The years that have published services (in `district`, if given), earliest first.
    pub async fn report_years(&self, district: Option<&DistrictCode>) -> Result<Vec<Year>> {
        let c = published(false, district, None);
        let sql = format!(
            "SELECT DISTINCT year FROM service_counts WHERE {} AND n > 0 ORDER BY year",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for r in rows {
            let y: i64 = r.try_get(0)?;
            if let Some(y) = i32::try_from(y).ok().and_then(|y| Year::new(y).ok()) {
                out.push(y);
            }
        }
        Ok(out)
    }

    /// The district table of `year`: every library of the district with each of its published
    /// services of the year, one row per service, and one row with no service for a library
    /// that has none — as the programme's published tables show them.
    ///
    /// The order is the published tables' order, read off the Kyustendil 2012 table: by
    /// municipality name; within it towns before villages; then by settlement name; within one
    /// settlement the regional library first, then a municipal one, then the others; then by
    /// programme ID, and a library's services by ID. Names compare in Bulgarian (the official
    /// names), whatever the reader's language, so the table reads the same in both.
    pub async fn district_table(
        &self,
        district: &DistrictCode,
        year: Year,
    ) -> Result<Vec<DistrictTableRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT l.body AS library, s.body AS service
             FROM libraries l
             JOIN municipalities m ON m.code = l.municipality_code
             JOIN settlements st ON st.ekatte = l.settlement_ekatte
             LEFT JOIN services s ON s.library_id = l.id AND s.year = $2 AND s.status IN {PUBLISHED}
             WHERE l.district_code = $1
             ORDER BY m.name_bg,
               CASE l.settlement_kind WHEN 'town' THEN 0 ELSE 1 END,
               st.name_bg,
               CASE l.kind WHEN 'regional' THEN 0 WHEN 'municipal' THEN 1 ELSE 2 END,
               l.id, s.id"
        )))
        .bind(district.as_str())
        .bind(i64::from(year.get()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let library: String = r.try_get("library")?;
                let service: Option<String> = r.try_get("service")?;
                Ok(DistrictTableRow {
                    library: serde_json::from_str(&library)?,
                    service: service.map(|s| serde_json::from_str(&s)).transpose()?,
                })
            })
            .collect()
    }

    /// Published services by category and place: by municipality within `district`, or by
    /// district when none is given; of `year` if given.
    pub async fn category_matrix(
        &self,
        district: Option<&DistrictCode>,
        year: Option<Year>,
    ) -> Result<Vec<MatrixCell>> {
        let place = if district.is_some() {
            "municipality_code"
        } else {
            "district_code"
        };
        let c = published(false, district, year);
        let sql = format!(
            "SELECT category, {place}, CAST(SUM(n) AS BIGINT) FROM service_counts WHERE {}
             GROUP BY category, {place} HAVING SUM(n) > 0 ORDER BY category, {place}",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(MatrixCell {
                    category: r.try_get(0)?,
                    place: r.try_get(1)?,
                    services: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// The places that have libraries: municipalities of `district`, or districts when none is
    /// given, with their number of libraries. The columns of the matrix, zeros included.
    pub async fn library_places(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<(String, i64)>> {
        let place = if district.is_some() {
            "municipality_code"
        } else {
            "district_code"
        };
        let c = in_district("district_code", district);
        let sql = format!(
            "SELECT {place}, COUNT(*) FROM libraries WHERE {} GROUP BY {place} ORDER BY {place}",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// The libraries (of `district`, if given) with no published service in any year — the
    /// coverage gap — in the district table's order, and the number of libraries looked at.
    pub async fn coverage_gaps(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<(Vec<Library>, i64)> {
        let c = in_district("l.district_code", district);
        let conds = c.clause();
        let total_sql = format!("SELECT COUNT(*) FROM libraries l WHERE {conds}");
        let total: i64 = c.query(total_sql).fetch_one(&self.pool).await?.try_get(0)?;
        let sql = format!(
            "SELECT l.body FROM libraries l
             JOIN municipalities m ON m.code = l.municipality_code
             JOIN settlements st ON st.ekatte = l.settlement_ekatte
             WHERE {conds} AND l.published_services = 0
             ORDER BY l.district_code, m.name_bg,
               CASE l.settlement_kind WHEN 'town' THEN 0 ELSE 1 END, st.name_bg, l.id"
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        let list = rows
            .iter()
            .map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>(0)?)?))
            .collect::<Result<Vec<Library>>>()?;
        Ok((list, total))
    }

    /// Target groups of published services (in `district`, if given): services and libraries
    /// that reach each, and in which categories; most services first.
    pub async fn target_group_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<TargetGroupReach>> {
        let from = "FROM service_target_groups t JOIN services s ON s.id = t.service_id";

        let c = published(true, district, None);
        let sql = format!(
            "SELECT t.name_key, COUNT(DISTINCT s.id), COUNT(DISTINCT s.library_id) {from}
             WHERE {} GROUP BY t.name_key",
            c.clause()
        );
        let totals = c.query(sql).fetch_all(&self.pool).await?;

        let sql = format!(
            "SELECT t.name_key, t.name, COUNT(*) {from} WHERE {}
             GROUP BY t.name_key, t.name ORDER BY COUNT(*) DESC, t.name",
            c.clause()
        );
        let spellings = c.query(sql).fetch_all(&self.pool).await?;

        let sql = format!(
            "SELECT t.name_key, s.category, COUNT(DISTINCT s.id) {from} WHERE {}
             GROUP BY t.name_key, s.category ORDER BY COUNT(DISTINCT s.id) DESC, s.category",
            c.clause()
        );
        let categories = c.query(sql).fetch_all(&self.pool).await?;

        // The first spelling of a key is its most frequent (the query's order).
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for r in &spellings {
            let key: String = r.try_get(0)?;
            let name: String = r.try_get(1)?;
            names.entry(key).or_insert(name);
        }
        let mut cats: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
        for r in &categories {
            let key: String = r.try_get(0)?;
            cats.entry(key)
                .or_default()
                .push((r.try_get(1)?, r.try_get(2)?));
        }
        let mut out = totals
            .iter()
            .map(|r| {
                let key: String = r.try_get(0)?;
                Ok(TargetGroupReach {
                    name: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
                    categories: cats.remove(&key).unwrap_or_default(),
                    services: r.try_get(1)?,
                    libraries: r.try_get(2)?,
                    key,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| b.services.cmp(&a.services).then_with(|| a.key.cmp(&b.key)));
        Ok(out)
    }

    /// Published services (of `year`, if given) by district and category: how many there are
    /// and how many are run with volunteers.
    pub async fn volunteer_support(&self, year: Option<Year>) -> Result<Vec<VolunteerCell>> {
        let c = published(false, None, year);
        let sql = format!(
            "SELECT district_code, category,
               CAST(SUM(CASE WHEN volunteer_supported = 1 THEN n ELSE 0 END) AS BIGINT),
               CAST(SUM(n) AS BIGINT)
             FROM service_counts WHERE {} GROUP BY district_code, category
             HAVING SUM(n) > 0 ORDER BY district_code, category",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(VolunteerCell {
                    district: r.try_get(0)?,
                    category: r.try_get(1)?,
                    volunteer_services: r.try_get(2)?,
                    services: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every partner of the registry with the published services (in `district`, if given)
    /// that name it and their libraries; by kind, then name.
    pub async fn partner_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<PartnerReach>> {
        let c = published(true, district, None);
        let sql = format!(
            "SELECT p.id, p.body, COUNT(DISTINCT s.id), COUNT(DISTINCT s.library_id)
             FROM partners p
             LEFT JOIN service_partners sp ON sp.partner_id = p.id
             LEFT JOIN services s ON s.id = sp.service_id AND {}
             GROUP BY p.id, p.body, p.kind, p.name_key
             ORDER BY p.kind, p.name_key, p.id",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(PartnerReach {
                    id: key(r, 0)?,
                    partner: serde_json::from_str(&r.try_get::<String, _>(1)?)?,
                    services: r.try_get(2)?,
                    libraries: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Partners by kind, with the distinct published services (in `district`, if given) and
    /// libraries they reach together.
    pub async fn partner_kind_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<PartnerKindReach>> {
        let c = published(true, district, None);
        let sql = format!(
            "SELECT p.kind, COUNT(DISTINCT p.id), COUNT(DISTINCT s.id), COUNT(DISTINCT s.library_id)
             FROM partners p
             LEFT JOIN service_partners sp ON sp.partner_id = p.id
             LEFT JOIN services s ON s.id = sp.service_id AND {}
             GROUP BY p.kind ORDER BY p.kind",
            c.clause()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(PartnerKindReach {
                    kind: r.try_get(0)?,
                    partners: r.try_get(1)?,
                    services: r.try_get(2)?,
                    libraries: r.try_get(3)?,
                })
            })
            .collect()
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
            services: one("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM service_counts WHERE status IN ('planned', 'active', 'completed')").await?,
            partners: one("SELECT COUNT(*) FROM partners").await?,
            events: one("SELECT COUNT(*) FROM events WHERE published = 1").await?,
            volunteer_services: one(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM service_counts WHERE volunteer_supported = 1 AND status IN ('planned', 'active', 'completed')",
            )
            .await?,
            libraries_without_service: one(
                "SELECT COUNT(*) FROM libraries WHERE published_services = 0",
            )
            .await?,
            by_category: pairs(
                "SELECT category, CAST(SUM(n) AS BIGINT) FROM service_counts
                 WHERE status IN ('planned', 'active', 'completed')
                 GROUP BY category HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, category",
            )
            .await?,
            by_district: pairs(
                "SELECT district_code, CAST(SUM(n) AS BIGINT) FROM service_counts
                 WHERE status IN ('planned', 'active', 'completed')
                 GROUP BY district_code HAVING SUM(n) > 0 ORDER BY district_code",
            )
            .await?,
        })
    }
}
