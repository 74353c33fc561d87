//! The reads behind the JSON API's lists of services, partners, persons and events: filtered,
//! and paged by key ("id greater than the cursor", ordered by id), so that a client walking a
//! list while others write never sees a row twice. Each list also counts every row its filter
//! matches. Who may see drafts is the caller's decision, passed in as a [`DraftScope`].
//!
//! Read-only, except [`Store::delete_person`], which the generic entity code already knew how to
//! do and the API needs. Every condition is served by an index of `migrations/`.

use crate::entities::{Col, Versioned, decode};
use crate::{Result, Store};
use lipa_core::audit::Actor;
use lipa_core::event::{Event, EventKind};
use lipa_core::geo::SettlementKind;
use lipa_core::ids::{CategoryCode, DistrictCode, LibraryId, MunicipalityCode, RecordId, Year};
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::text::fold_name;
use sqlx::{AssertSqlSafe, Row};

/// One page of a keyset-paged list: rows with an id greater than `after`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Keyset {
    pub after: Option<RecordId>,
    pub limit: i64,
}

/// One page of a keyset-paged list.
#[derive(Debug, Clone)]
pub struct KeysetPage<T> {
    pub items: Vec<Versioned<T>>,
    /// Rows that pass the filter, on every page.
    pub total: i64,
    /// Whether rows follow this page.
    pub more: bool,
}

/// Which unpublished records (draft services, unpublished events) a reader may see besides the
/// published ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DraftScope {
    #[default]
    None,
    All,
    District(DistrictCode),
    Library(LibraryId),
}

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

#[derive(Debug, Clone, Default)]
pub struct PartnerQuery {
    pub kind: Option<CategoryCode>,
    pub district: Option<DistrictCode>,
    /// Words that must all occur in the name or the short name (folded).
    pub q: String,
}

#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub library: Option<LibraryId>,
    pub partner: Option<RecordId>,
    /// Words that must all occur in the name (folded).
    pub q: String,
    /// Who the reader may see besides the people of published events: everyone
    /// ([`DraftScope::All`]), the people of a district's libraries and partners, or of a library.
    pub scope: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub district: Option<DistrictCode>,
    pub kind: Option<EventKind>,
    /// Events that start in this year.
    pub year: Option<Year>,
    /// Words that must all occur in the title (folded).
    pub q: String,
    /// Unpublished events the reader may see: [`DraftScope::District`] or [`DraftScope::All`].
    pub drafts: DraftScope,
}

/// SQL conditions and their binds, numbered as they are added.
#[derive(Default)]
struct Conds {
    sql: Vec<String>,
    binds: Vec<Col>,
}

impl Conds {
    fn bind(&mut self, c: Col) -> String {
        self.binds.push(c);
        format!("${}", self.binds.len())
    }

    fn eq(&mut self, column: &str, c: Col) {
        let p = self.bind(c);
        self.sql.push(format!("{column} = {p}"));
    }

    fn gt(&mut self, column: &str, c: Col) {
        let p = self.bind(c);
        self.sql.push(format!("{column} > {p}"));
    }

    /// Every word of `q` must occur in one of `columns` (folded keys).
    fn words(&mut self, q: &str, columns: &[&str]) {
        for word in fold_name(q).split_whitespace() {
            // LIKE's own wildcards in the user's words match themselves.
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = self.bind(Col::Text(format!("%{escaped}%")));
            let any: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} LIKE {p} ESCAPE '\\'"))
                .collect();
            self.sql.push(format!("({})", any.join(" OR ")));
        }
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() {
            "1 = 1".to_owned()
        } else {
            self.sql.join(" AND ")
        }
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: &[Col],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Col::Text(s) => q.bind(s.clone()),
            Col::OptText(s) => q.bind(s.clone()),
            Col::Int(n) => q.bind(*n),
            Col::OptInt(n) => q.bind(*n),
        };
    }
    q
}

impl Store {
    /// One page of a table's rows that pass `conds`, and the number of all that pass.
    async fn keyset_page<E: crate::entities::Entity>(
        &self,
        table: &str,
        mut conds: Conds,
        page: Keyset,
    ) -> Result<KeysetPage<E>> {
        let count_sql = format!("SELECT COUNT(*) FROM {table} WHERE {}", conds.clause());
        let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), &conds.binds)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        if let Some(after) = page.after {
            conds.gt("id", Col::Int(after));
        }
        // One row more than asked tells whether another page follows.
        let limit = page.limit.clamp(1, 1000) + 1;
        let sql = format!(
            "SELECT id, body, version, created_at, updated_at FROM {table} WHERE {} ORDER BY id LIMIT {limit}",
            conds.clause()
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &conds.binds)
            .fetch_all(&self.pool)
            .await?;
        let mut items = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        let more = items.len() as i64 == limit;
        items.truncate((limit - 1) as usize);
        Ok(KeysetPage { items, total, more })
    }

    /// Services that pass the query, by id.
    pub async fn page_services(
        &self,
        q: &ServiceQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Service>> {
        let mut c = Conds::default();
        if let Some(l) = q.library {
            c.eq("library_id", Col::Int(i64::from(l.get())));
        }
        if let Some(d) = &q.district {
            c.eq("district_code", Col::Text(d.to_string()));
        }
        if let Some(m) = &q.municipality {
            c.eq("municipality_code", Col::Text(m.to_string()));
        }
        if let Some(k) = q.settlement_kind {
            c.eq("settlement_kind", Col::Text(k.code().into()));
        }
        if let Some(cat) = &q.category {
            c.eq("category", Col::Text(cat.to_string()));
        }
        if let Some(v) = q.volunteers {
            c.eq("volunteer_supported", Col::Int(i64::from(v)));
        }
        if let Some(y) = q.year {
            c.eq("year", Col::Int(i64::from(y.get())));
        }
        if let Some(s) = q.status {
            c.eq("status", Col::Text(s.code().into()));
        }
        if let Some(t) = &q.target_group {
            let p = c.bind(Col::Text(fold_name(t)));
            c.sql.push(format!(
                "EXISTS (SELECT 1 FROM service_target_groups t WHERE t.service_id = services.id AND t.name_key = {p})"
            ));
        }
        c.words(&q.q, &["name_key"]);
        match &q.drafts {
            DraftScope::All => {}
            DraftScope::None => c.sql.push("status <> 'draft'".into()),
            DraftScope::District(d) => {
                let p = c.bind(Col::Text(d.to_string()));
                c.sql
                    .push(format!("(status <> 'draft' OR district_code = {p})"));
            }
            DraftScope::Library(l) => {
                let p = c.bind(Col::Int(i64::from(l.get())));
                c.sql
                    .push(format!("(status <> 'draft' OR library_id = {p})"));
            }
        }
        self.keyset_page("services", c, page).await
    }

    /// Partners that pass the query, by id.
    pub async fn page_partners(
        &self,
        q: &PartnerQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Partner>> {
        let mut c = Conds::default();
        if let Some(k) = &q.kind {
            c.eq("kind", Col::Text(k.to_string()));
        }
        if let Some(d) = &q.district {
            c.eq("district_code", Col::Text(d.to_string()));
        }
        c.words(&q.q, &["name_key", "short_key"]);
        self.keyset_page("partners", c, page).await
    }

    /// Persons that pass the query, by id.
    pub async fn page_persons(&self, q: &PersonQuery, page: Keyset) -> Result<KeysetPage<Person>> {
        let mut c = Conds::default();
        if let Some(l) = q.library {
            c.eq("library_id", Col::Int(i64::from(l.get())));
        }
        if let Some(p) = q.partner {
            c.eq("partner_id", Col::Int(p));
        }
        c.words(&q.q, &["name_key"]);
        // People of published events are public (through the event_participants_person index).
        const PUBLIC: &str = "id IN (SELECT ep.person_id FROM event_participants ep \
             JOIN events e ON e.id = ep.event_id WHERE e.published = 1)";
        match &q.scope {
            DraftScope::All => {}
            DraftScope::None => c.sql.push(PUBLIC.into()),
            DraftScope::District(d) => {
                let p = c.bind(Col::Text(d.to_string()));
                c.sql.push(format!(
                    "({PUBLIC} OR library_id IN (SELECT id FROM libraries WHERE district_code = {p}) \
                     OR (library_id IS NULL AND partner_id IN \
                         (SELECT id FROM partners WHERE district_code = {p})))"
                ));
            }
            DraftScope::Library(l) => {
                let p = c.bind(Col::Int(i64::from(l.get())));
                c.sql.push(format!("({PUBLIC} OR library_id = {p})"));
            }
        }
        self.keyset_page("persons", c, page).await
    }

    /// Events that pass the query, by id.
    pub async fn page_events(&self, q: &EventQuery, page: Keyset) -> Result<KeysetPage<Event>> {
        let mut c = Conds::default();
        if let Some(d) = &q.district {
            c.eq("district_code", Col::Text(d.to_string()));
        }
        if let Some(k) = q.kind {
            c.eq("kind", Col::Text(k.code().into()));
        }
        if let Some(y) = q.year {
            // `starts` is an ISO date, so its year is its first four characters.
            let p = c.bind(Col::Text(format!("{:04}-%", y.get())));
            c.sql.push(format!("starts LIKE {p}"));
        }
        c.words(&q.q, &["title_key"]);
        match &q.drafts {
            DraftScope::All => {}
            DraftScope::District(d) => {
                let p = c.bind(Col::Text(d.to_string()));
                c.sql
                    .push(format!("(published = 1 OR district_code = {p})"));
            }
            DraftScope::None | DraftScope::Library(_) => c.sql.push("published = 1".into()),
        }
        self.keyset_page("events", c, page).await
    }

    /// Deletes a person (recorded in the audit log); links to them from event participants are
    /// cleared by the foreign key.
    pub async fn delete_person(
        &self,
        actor: &Actor,
        id: RecordId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        crate::entities::delete::<Person>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }
}
