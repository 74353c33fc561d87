//! The registry's facets in memory: for every value of every facet of the library lists
//! (district, municipality, settlement kind; a service's category, year, status, volunteer flag
//! and target group), a compressed bitmap of the libraries and one of the services that have
//! it. A list's count, its page in programme-ID order and its facet counts are then
//! intersections of bitmaps, whatever the registry's size — where SQL has to join and count
//! every matching service, a million libraries' facets took seconds.
//!
//! The index answers exactly what [`Store::library_facets`] and [`Store::list_libraries`] answer
//! (a property test compares them after random writes), and it follows the store's change log
//! like the search index: built from the tables, then caught up entry by entry — every library a
//! write touched is derived again from its rows. A reader first catches the index up to the log,
//! so that whoever just wrote sees the write; until the first build ends, lists are answered
//! by SQL.
//!
//! Facets are disjunctive, as in SQL: the counts of a facet apply every filter but its own. A
//! service filter asks for one service that passes all of them (not one service per filter), so
//! combined service filters are answered from the services' bitmaps and the matching services
//! mapped to their libraries; a single one, from the libraries' bitmaps at once.

use crate::libraries::{LibraryFilter, LibrarySort};
use crate::record::{Facet, FacetValue};
use crate::reports::TargetGroupReach;
use crate::sql::ids_in;
use crate::{Result, Store};
use lipa_core::audit::EntityKind;
use lipa_core::ids::DistrictCode;
use lipa_core::text::fold_name;
use roaring::RoaringBitmap;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Statuses a list counts as services (a draft is not public; a dropped service is not run).
const PUBLISHED: [&str; 3] = ["planned", "active", "completed"];

/// The facets, in the order of the lists' facets.
const NAMES: [&str; 8] = [
    "district",
    "municipality",
    "settlement_kind",
    "category",
    "year",
    "status",
    "volunteers",
    "target_group",
];
const PLACES: usize = 3;
const CATEGORY: usize = 3;
const YEAR: usize = 4;
const STATUS: usize = 5;
const VOLUNTEERS: usize = 6;
const GROUP: usize = 7;

/// Rows read per statement while building.
const PAGE: i64 = 20_000;
/// Keys per `IN (…)` list of a catch-up.
const CHUNK: usize = 1_000;
/// Past this many log entries behind, the index is built again rather than caught up.
pub const REBUILD_PAST: i64 = 50_000;
/// The services' IDs index a vector of their libraries: past this ID the index stands aside
/// and SQL answers (a registry of tens of millions of services).
const MAX_SERVICE_ID: i64 = 1 << 26;

/// One facet: its values, and for each the libraries and the services that have it.
#[derive(Default, Clone)]
struct Dim {
    names: Vec<String>,
    ids: HashMap<String, usize>,
    /// A place's libraries; for a service's property, the libraries with a published service
    /// that has it.
    libs: Vec<RoaringBitmap>,
    /// The services that have the value (a place: the services of its libraries), of every
    /// status.
    services: Vec<RoaringBitmap>,
}

impl Dim {
    fn id(&mut self, value: &str) -> usize {
        if let Some(&i) = self.ids.get(value) {
            return i;
        }
        let i = self.names.len();
        self.names.push(value.to_owned());
        self.ids.insert(value.to_owned(), i);
        self.libs.push(RoaringBitmap::new());
        self.services.push(RoaringBitmap::new());
        i
    }
}

#[derive(Default, Clone)]
struct State {
    libraries: RoaringBitmap,
    /// Libraries with at least one published service.
    served: RoaringBitmap,
    dims: [Dim; 8],
    /// A service's library, by service ID (0: no such service).
    library_of: Vec<u32>,
    /// A folded target group → the names (values of the group facet) that fold to it.
    groups: HashMap<String, Vec<usize>>,
}

struct LibraryRow {
    id: u32,
    place: [String; PLACES],
}

struct ServiceRow {
    id: u32,
    library: u32,
    /// District, municipality, settlement kind, category, year, status, volunteers.
    values: [String; 7],
    groups: Vec<String>,
}

impl ServiceRow {
    fn published(&self) -> bool {
        PUBLISHED.contains(&self.values[STATUS].as_str())
    }
}

impl State {
    fn add_library(&mut self, r: &LibraryRow) {
        self.libraries.insert(r.id);
        for (k, v) in r.place.iter().enumerate() {
            let i = self.dims[k].id(v);
            self.dims[k].libs[i].insert(r.id);
        }
    }

    fn add_service(&mut self, s: &ServiceRow) {
        let published = s.published();
        for (k, v) in s.values.iter().enumerate() {
            let i = self.dims[k].id(v);
            self.dims[k].services[i].insert(s.id);
            if published && k >= PLACES {
                self.dims[k].libs[i].insert(s.library);
            }
        }
        for g in &s.groups {
            let dim = &mut self.dims[GROUP];
            let fresh = !dim.ids.contains_key(g.as_str());
            let i = dim.id(g);
            dim.services[i].insert(s.id);
            if published {
                dim.libs[i].insert(s.library);
            }
            if fresh {
                self.groups.entry(fold_name(g)).or_default().push(i);
            }
        }
        if published {
            self.served.insert(s.library);
        }
        let at = s.id as usize;
        if self.library_of.len() <= at {
            self.library_of.resize(at + 1, 0);
        }
        self.library_of[at] = s.library;
    }

    fn remove_library(&mut self, id: u32) {
        self.libraries.remove(id);
        self.served.remove(id);
        for dim in &mut self.dims {
            for b in &mut dim.libs {
                b.remove(id);
            }
        }
    }

    fn remove_service(&mut self, id: u32) {
        for dim in &mut self.dims {
            for b in &mut dim.services {
                b.remove(id);
            }
        }
        if let Some(l) = self.library_of.get_mut(id as usize) {
            *l = 0;
        }
    }

    fn library_of(&self, service: u32) -> u32 {
        self.library_of.get(service as usize).copied().unwrap_or(0)
    }
}

/// A list's filter in the index's terms: each condition the IDs of the values it accepts
/// (none: nothing passes).
struct Conds {
    /// Per facet (places and service properties); `None` where the filter says nothing. The
    /// status slot is `None` for the published statuses.
    by_dim: [Option<Vec<usize>>; 8],
    ids: Option<RoaringBitmap>,
    has_service: Option<bool>,
}

impl Conds {
    fn new(s: &State, f: &LibraryFilter) -> Conds {
        let one = |k: usize, v: Option<String>| -> Option<Vec<usize>> {
            v.map(|v| s.dims[k].ids.get(&v).copied().into_iter().collect())
        };
        let by_dim = [
            one(0, f.district.as_ref().map(|d| d.as_str().to_owned())),
            one(1, f.municipality.as_ref().map(|m| m.as_str().to_owned())),
            one(2, f.settlement_kind.map(|k| k.code().to_owned())),
            one(CATEGORY, f.category.as_ref().map(|c| c.as_str().to_owned())),
            one(YEAR, f.year.map(|y| y.get().to_string())),
            one(STATUS, f.status.map(|st| st.code().to_owned())),
            one(VOLUNTEERS, f.volunteers.map(|v| i64::from(v).to_string())),
            f.target_group
                .as_ref()
                .map(|t| s.groups.get(&fold_name(t)).cloned().unwrap_or_default()),
        ];
        Conds {
            by_dim,
            ids: f
                .ids
                .as_ref()
                .map(|ids| ids.iter().map(|i| i.get()).collect()),
            has_service: f.has_service,
        }
    }

    /// Whether a service filter (but `skip`'s) is set: only then must a library have a
    /// matching service.
    fn has_service_filters(&self, skip: Option<usize>) -> bool {
        (PLACES..8).any(|k| Some(k) != skip && self.by_dim[k].is_some())
    }
}

fn union<'a>(sets: impl IntoIterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
    let mut out = RoaringBitmap::new();
    for s in sets {
        out |= s;
    }
    out
}

/// What the index says of a list: how many libraries pass, and the page's programme IDs when
/// the list is in programme-ID order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub total: i64,
    pub page: Option<Vec<u32>>,
}

impl State {
    /// The libraries that pass the place conditions (but `skip`'s), the ID list and the
    /// has-a-service condition.
    fn places(&self, c: &Conds, skip: Option<usize>) -> RoaringBitmap {
        let mut out = self.libraries.clone();
        for k in 0..PLACES {
            if Some(k) == skip {
                continue;
            }
            if let Some(ids) = &c.by_dim[k] {
                out &= union(ids.iter().map(|&i| &self.dims[k].libs[i]));
            }
        }
        if let Some(ids) = &c.ids {
            out &= ids;
        }
        match c.has_service {
            Some(true) => out &= &self.served,
            Some(false) => out -= &self.served,
            None => {}
        }
        out
    }

    fn published(&self) -> RoaringBitmap {
        let d = &self.dims[STATUS];
        union(
            PUBLISHED
                .iter()
                .filter_map(|p| d.ids.get(*p).map(|&i| &d.services[i])),
        )
    }

    /// The services that pass the service conditions (but `skip`'s) and, with `places`, the
    /// place conditions.
    fn services(&self, c: &Conds, skip: Option<usize>, places: bool) -> RoaringBitmap {
        let mut out = match (&c.by_dim[STATUS], skip == Some(STATUS)) {
            (Some(ids), false) => union(ids.iter().map(|&i| &self.dims[STATUS].services[i])),
            _ => self.published(),
        };
        let from = if places { 0 } else { PLACES };
        for k in from..8 {
            if k == STATUS || Some(k) == skip {
                continue;
            }
            if let Some(ids) = &c.by_dim[k] {
                out &= union(ids.iter().map(|&i| &self.dims[k].services[i]));
            }
        }
        out
    }

    /// The libraries of `services`, in order, each once.
    fn libraries_of(&self, services: &RoaringBitmap) -> Vec<u32> {
        let mut out = Vec::new();
        let mut last = 0;
        for s in services {
            let l = self.library_of(s);
            // A library's services are mostly written together: neighbours share it.
            if l != 0 && l != last {
                out.push(l);
                last = l;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The libraries with a service that passes every service condition (places aside).
    fn matching(&self, c: &Conds) -> RoaringBitmap {
        let set: Vec<usize> = (PLACES..8).filter(|&k| c.by_dim[k].is_some()).collect();
        if let [k] = set[..] {
            let ids = c.by_dim[k].as_deref().unwrap_or_default();
            let published = k != STATUS
                || ids
                    .iter()
                    .all(|&i| PUBLISHED.contains(&self.dims[STATUS].names[i].as_str()));
            if published {
                // The libraries' own bitmaps hold what one condition asks, on published services.
                return union(ids.iter().map(|&i| &self.dims[k].libs[i]));
            }
        }
        let libs = self.libraries_of(&self.services(c, None, false));
        RoaringBitmap::from_sorted_iter(libs).unwrap_or_default()
    }

    fn select(&self, c: &Conds, f: &LibraryFilter) -> Selection {
        let mut set = self.places(c, None);
        if c.has_service_filters(None) {
            set &= self.matching(c);
        }
        let page = (f.sort == LibrarySort::Id).then(|| {
            let limit = if f.limit <= 0 { 50 } else { f.limit.min(1000) };
            set.iter()
                .skip(f.offset.max(0) as usize)
                .take(limit as usize)
                .collect()
        });
        Selection {
            total: set.len() as i64,
            page,
        }
    }

    fn facets(&self, c: &Conds) -> Vec<Facet> {
        let matching = c.has_service_filters(None).then(|| self.matching(c));
        let base = self.places(c, None);
        let mut out = Vec::with_capacity(NAMES.len());
        for (k, name) in NAMES.iter().enumerate() {
            let dim = &self.dims[k];
            let mut counts: Vec<(usize, u64)> = Vec::new();
            if k < PLACES {
                let mut base = self.places(c, Some(k));
                if let Some(m) = &matching {
                    base &= m;
                }
                for (i, libs) in dim.libs.iter().enumerate() {
                    counts.push((i, base.intersection_len(libs)));
                }
            } else {
                let base = &base;
                let values =
                    dim.libs.iter().enumerate().filter(|(i, _)| {
                        k != STATUS || PUBLISHED.contains(&dim.names[*i].as_str())
                    });
                if c.has_service_filters(Some(k)) {
                    let services = self.services(c, Some(k), true);
                    for (i, _) in values {
                        let these = &services & &dim.services[i];
                        let n = self
                            .libraries_of(&these)
                            .into_iter()
                            .filter(|l| base.contains(*l))
                            .count();
                        counts.push((i, n as u64));
                    }
                } else {
                    for (i, libs) in values {
                        counts.push((i, base.intersection_len(libs)));
                    }
                }
            }
            let mut values: Vec<FacetValue> = counts
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(i, n)| FacetValue {
                    value: dim.names[i].clone(),
                    count: n as i64,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out.push(Facet { name, values });
        }
        out
    }
}

impl State {
    fn target_group_reach(&self, district: Option<&DistrictCode>) -> Vec<TargetGroupReach> {
        let mut services = self.published();
        let mut libraries: Option<&RoaringBitmap> = None;
        if let Some(d) = district {
            let dim = &self.dims[0];
            match dim.ids.get(d.as_str()) {
                Some(&i) => {
                    services &= &dim.services[i];
                    libraries = Some(&dim.libs[i]);
                }
                None => return Vec::new(),
            }
        }
        let groups = &self.dims[GROUP];
        let categories = &self.dims[CATEGORY];
        let mut out = Vec::new();
        for (key, names) in &self.groups {
            let these = &services & union(names.iter().map(|&i| &groups.services[i]));
            if these.is_empty() {
                continue;
            }
            let mut libs = union(names.iter().map(|&i| &groups.libs[i]));
            if let Some(l) = libraries {
                libs &= l;
            }
            // The most frequent spelling names the group (the first by its letters on a tie).
            let name = names
                .iter()
                .map(|&i| {
                    (
                        services.intersection_len(&groups.services[i]),
                        &groups.names[i],
                    )
                })
                .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| key.clone());
            let mut cats: Vec<(String, i64)> = categories
                .services
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        categories.names[i].clone(),
                        these.intersection_len(c) as i64,
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect();
            cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.push(TargetGroupReach {
                key: key.clone(),
                name,
                services: these.len() as i64,
                libraries: libs.len() as i64,
                categories: cats,
            });
        }
        out.sort_by(|a, b| b.services.cmp(&a.services).then_with(|| a.key.cmp(&b.key)));
        out
    }
}

/// The index of one server (see the module's documentation).
#[derive(Default)]
pub struct FacetIndex {
    state: RwLock<Option<State>>,
    /// The last change-log entry the state reflects.
    last_audit_id: AtomicI64,
    /// Catch-ups and builds, one at a time; holds the entry they reached.
    writer: tokio::sync::Mutex<i64>,
    /// Set while a build runs (readers then go to SQL rather than wait).
    building: AtomicBool,
    /// Set when a build found service IDs past what the index keeps: SQL answers from then on,
    /// and the follower does not build again every tick.
    declined: AtomicBool,
}

impl FacetIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the index has been built (and may answer).
    pub fn ready(&self) -> bool {
        self.state.read().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Whether a build is running.
    pub fn building(&self) -> bool {
        self.building.load(Ordering::Relaxed)
    }

    /// The last change-log entry the index reflects.
    pub fn last_audit_id(&self) -> i64 {
        self.last_audit_id.load(Ordering::Acquire)
    }

    /// A list's count and page, as [`Store::list_libraries`] counts them; `None` while the
    /// index is not built, or for lists it does not keep (drafts counted as services).
    pub fn select(&self, f: &LibraryFilter) -> Option<Selection> {
        let guard = self.state.read().ok()?;
        let s = guard.as_ref()?;
        if f.include_drafts {
            return None;
        }
        Some(s.select(&Conds::new(s, f), f))
    }

    /// A list's facet counts, as [`Store::library_facets`] gives them; `None` as for
    /// [`FacetIndex::select`].
    pub fn facets(&self, f: &LibraryFilter) -> Option<Vec<Facet>> {
        let guard = self.state.read().ok()?;
        let s = guard.as_ref()?;
        if f.include_drafts {
            return None;
        }
        Some(s.facets(&Conds::new(s, f)))
    }

    /// The target groups of the published services (in `district`, if given), as
    /// [`Store::target_group_reach`] gives them; `None` while the index is not built.
    pub fn target_group_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Option<Vec<TargetGroupReach>> {
        let guard = self.state.read().ok()?;
        Some(guard.as_ref()?.target_group_reach(district))
    }

    /// Applies the change log written since the last entry taken in (building the index first,
    /// or again when far behind). Cheap when nothing changed: one query of the log.
    pub async fn catch_up(&self, store: &Store) -> Result<()> {
        if self.declined.load(Ordering::Relaxed) {
            return Ok(());
        }
        let target = store.last_audit_id().await?;
        if self.ready() && self.last_audit_id() >= target {
            return Ok(());
        }
        let mut last = self.writer.lock().await;
        if self.ready() && *last >= target {
            return Ok(());
        }
        if !self.ready() || target - *last > REBUILD_PAST {
            self.building.store(true, Ordering::Relaxed);
            let built = build(store, target).await;
            self.building.store(false, Ordering::Relaxed);
            let state = built?;
            self.declined.store(state.is_none(), Ordering::Relaxed);
            *self
                .state
                .write()
                .expect("no reader panics holding the lock") = state;
            *last = target;
            self.last_audit_id.store(target, Ordering::Release);
            return Ok(());
        }
        let mut libraries: BTreeSet<u32> = BTreeSet::new();
        let mut services: BTreeSet<u32> = BTreeSet::new();
        let mut reached = *last;
        loop {
            let entries = store.audit_keys(reached, 10_000).await?;
            let n = entries.len();
            for (id, entity, key) in entries {
                reached = reached.max(id);
                match entity {
                    Some(EntityKind::Library) => libraries.extend(key.parse::<u32>().ok()),
                    Some(EntityKind::Service) => services.extend(key.parse::<u32>().ok()),
                    _ => {}
                }
            }
            if n < 10_000 {
                break;
            }
        }
        if !libraries.is_empty() || !services.is_empty() {
            // Where the touched services were, and where they are now: those libraries are
            // derived again from their rows.
            let before: Vec<u32> = {
                let guard = self
                    .state
                    .read()
                    .expect("no reader panics holding the lock");
                let s = guard.as_ref().expect("ready");
                services.iter().map(|&id| s.library_of(id)).collect()
            };
            libraries.extend(before);
            libraries.extend(service_libraries(store, &services).await?);
            libraries.remove(&0);
            let fresh_libraries = library_rows(store, &libraries).await?;
            let fresh_services = services_of(store, &libraries).await?;
            let mut guard = self
                .state
                .write()
                .expect("no reader panics holding the lock");
            let s = guard.as_mut().expect("ready");
            for &id in &services {
                s.remove_service(id);
            }
            for r in &fresh_services {
                s.remove_service(r.id);
            }
            for &id in &libraries {
                s.remove_library(id);
            }
            for r in &fresh_libraries {
                s.add_library(r);
            }
            for r in &fresh_services {
                s.add_service(r);
            }
        }
        *last = reached;
        self.last_audit_id.store(reached, Ordering::Release);
        Ok(())
    }
}

impl FacetIndex {
    /// Keeps `index` following the store's change log: a catch-up every `every` (the first one
    /// builds it), until the index is dropped. Errors are logged and retried. Needs a tokio
    /// runtime.
    pub fn follow(
        index: &std::sync::Arc<FacetIndex>,
        store: Store,
        every: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let weak = std::sync::Arc::downgrade(index);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(index) = weak.upgrade() else { break };
                if let Err(e) = index.catch_up(&store).await {
                    tracing::warn!(error = %e, "facet index catch-up failed");
                }
            }
        })
    }
}

/// Reads the whole index from the tables, page by page; `None` when the services' IDs are past
/// what it keeps.
async fn build(store: &Store, target: i64) -> Result<Option<State>> {
    let started = std::time::Instant::now();
    let mut s = State::default();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, district_code, municipality_code, settlement_kind FROM libraries
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(PAGE)
        .fetch_all(&store.pool)
        .await?;
        for r in &rows {
            let lib = library_row(r)?;
            after = i64::from(lib.id);
            s.add_library(&lib);
        }
        if (rows.len() as i64) < PAGE {
            break;
        }
    }
    let mut after = 0i64;
    loop {
        let sql = format!("{SERVICE_COLUMNS} WHERE id > $1 ORDER BY id LIMIT {PAGE}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .fetch_all(&store.pool)
            .await?;
        let Some(last) = rows.last() else { break };
        let last: i64 = last.try_get(0)?;
        if last > MAX_SERVICE_ID {
            tracing::warn!(
                last,
                "service IDs past what the facet index keeps; lists are counted by SQL"
            );
            return Ok(None);
        }
        let groups = sqlx::query(
            "SELECT service_id, name FROM service_target_groups
             WHERE service_id > $1 AND service_id <= $2 ORDER BY service_id, position",
        )
        .bind(after)
        .bind(last)
        .fetch_all(&store.pool)
        .await?;
        let n = rows.len();
        for r in service_rows(&rows, &groups)? {
            s.add_service(&r);
        }
        after = last;
        if (n as i64) < PAGE {
            break;
        }
    }
    tracing::info!(
        libraries = s.libraries.len(),
        log_entry = target,
        ms = started.elapsed().as_millis() as u64,
        "facet index built"
    );
    Ok(Some(s))
}

const SERVICE_COLUMNS: &str = "SELECT id, library_id, district_code, municipality_code,
    settlement_kind, category, year, status, volunteer_supported FROM services";

fn library_row(r: &AnyRow) -> Result<LibraryRow> {
    Ok(LibraryRow {
        id: r.try_get::<i64, _>(0)? as u32,
        place: [r.try_get(1)?, r.try_get(2)?, r.try_get(3)?],
    })
}

/// Services with their target groups (`groups`: service ID and name, in the services' order).
fn service_rows(rows: &[AnyRow], groups: &[AnyRow]) -> Result<Vec<ServiceRow>> {
    let mut by_service: HashMap<i64, Vec<String>> = HashMap::new();
    for g in groups {
        by_service
            .entry(g.try_get(0)?)
            .or_default()
            .push(g.try_get(1)?);
    }
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            let library: i64 = r.try_get(1)?;
            let year: i64 = r.try_get(6)?;
            let volunteers: i64 = r.try_get(8)?;
            Ok(ServiceRow {
                id: id as u32,
                library: library as u32,
                values: [
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                    r.try_get(5)?,
                    year.to_string(),
                    r.try_get(7)?,
                    volunteers.to_string(),
                ],
                groups: by_service.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The libraries the services are in now.
async fn service_libraries(store: &Store, services: &BTreeSet<u32>) -> Result<Vec<u32>> {
    let ids: Vec<u32> = services.iter().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT DISTINCT library_id FROM services WHERE {}",
            ids_in("id", chunk.iter().map(|&i| i64::from(i)))
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&store.pool)
            .await?
        {
            out.push(r.try_get::<i64, _>(0)? as u32);
        }
    }
    Ok(out)
}

async fn library_rows(store: &Store, libraries: &BTreeSet<u32>) -> Result<Vec<LibraryRow>> {
    let ids: Vec<u32> = libraries.iter().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, district_code, municipality_code, settlement_kind FROM libraries WHERE {}",
            ids_in("id", chunk.iter().map(|&i| i64::from(i)))
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&store.pool)
            .await?
        {
            out.push(library_row(&r)?);
        }
    }
    Ok(out)
}

/// Every service of the libraries, with its target groups.
async fn services_of(store: &Store, libraries: &BTreeSet<u32>) -> Result<Vec<ServiceRow>> {
    let ids: Vec<u32> = libraries.iter().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "{SERVICE_COLUMNS} WHERE {} ORDER BY id",
            ids_in("library_id", chunk.iter().map(|&i| i64::from(i)))
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&store.pool)
            .await?;
        let mut groups = Vec::new();
        let service_ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
        for part in service_ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT service_id, name FROM service_target_groups WHERE {}
                 ORDER BY service_id, position",
                ids_in("service_id", part.iter().copied())
            );
            groups.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&store.pool)
                    .await?,
            );
        }
        out.extend(service_rows(&rows, &groups)?);
    }
    Ok(out)
}
