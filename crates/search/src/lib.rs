//! Full-text search of lipa: one tantivy index per server, fed from the store's change log.
//!
//! The index lives in a directory beside the SQLite file (`lipa.db.search/`) or in RAM (tests,
//! `AppState::new`). It is never the source of truth: [`SearchIndex::rebuild`] makes it again from
//! the store, and [`SearchIndex::catch_up`] applies what the audit log says changed since the last
//! audit entry it indexed — an ID kept in the index's own commit payload, so a restarted server
//! goes on where it stopped. With several servers each keeps its own index (tantivy allows one
//! writer per directory).
//!
//! Text goes through the one pipeline of `lipa_core::search_text` ([`analyzer`]); a query is
//! planned word by word ([`plan`]) into alternatives (stems, Cyrillic readings of Latin words,
//! typos, prefixes) and scored with BM25, names above titles above body ([`schema`]). Who may see
//! what is decided at query time from each document's scope: drafts and unpublished events only
//! for users whose role covers them, people only for signed-in users in scope, contacts never.
//!
//! Module map: [`analyzer`] (tantivy tokenizer and filters), [`docs`] (what is indexed of each
//! record), [`schema`] (fields and weights), [`plan`] (query words → alternatives), [`snippet`]
//! (highlighting), [`eval`] and [`synthetic`] (the evaluation and its generated data set).

pub mod analyzer;
pub mod docs;
#[cfg(feature = "eval")]
pub mod eval;
pub mod gate;
pub mod plan;
pub mod schema;
pub mod snippet;
#[cfg(feature = "eval")]
pub mod synthetic;

pub use docs::Kind;

use crate::docs::{IndexDoc, Labels};
use crate::gate::Gate;
use crate::plan::{Alternative, Vocabulary, WordPlan};
use crate::schema::Fields;
use lipa_core::audit::EntityKind;
use lipa_core::ids::{EventId, LibraryId, PartnerId, PersonId, RecordKey, ServiceId};
use lipa_core::library::Library;
use lipa_core::user::Role;
use lipa_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

/// What can go wrong in search. All of it is internal: a front end logs it and says that search
/// is unavailable.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The thread a search ran on failed (a panic: a bug).
    #[error("search task: {0}")]
    Task(String),
    /// Another writer (a running server) holds the index directory.
    #[error("search index {0} is in use by another process")]
    Busy(PathBuf),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Who is searching: what they may see is decided by the same rule as everywhere
/// (`Role::covers`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Viewer {
    /// Not signed in: published records only, no people.
    #[default]
    Anonymous,
    SignedIn(Role),
}

/// A search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// Only hits of this kind (the facet counts still count every kind).
    pub kind: Option<Kind>,
    /// Only services of this category (by code; the facet counts still count every one).
    pub category: Option<String>,
    /// Hits to return (at most [`MAX_HITS`]): what the page shows, no more.
    pub limit: usize,
    pub viewer: Viewer,
    /// When no record has every word, rank the records that have some (a search box); off for a
    /// filter, where "no match" is the answer.
    pub partial: bool,
}

impl Query {
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            kind: None,
            category: None,
            limit: 20,
            viewer: Viewer::Anonymous,
            partial: true,
        }
    }

    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    pub fn category(mut self, code: impl Into<String>) -> Self {
        self.category = Some(code.into());
        self
    }

    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    pub fn viewer(mut self, viewer: Viewer) -> Self {
        self.viewer = viewer;
        self
    }
}

/// One found record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: Kind,
    /// The record's ID: a library's programme ID, else the record ID.
    pub id: i64,
    /// The programme ID of the library a service or person belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library_id: Option<u32>,
    pub title: String,
    /// HTML: the record's text escaped, the matched words in `<mark>`.
    pub snippet_html: String,
    pub score: f32,
}

/// How many hits a facet value has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Hits by kind, whatever the kind filter.
    pub kinds: Vec<FacetCount>,
    /// Service hits by category code.
    pub categories: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Hits in all (of the kind asked for), beyond the limit too.
    pub total: usize,
    pub facets: Facets,
    /// For a search that found nothing: whole queries that find something, made of words of
    /// public records ("did you mean …?"), best first.
    pub suggestions: Vec<String>,
    /// What the search cost (for tests and logs, not for clients).
    #[serde(skip)]
    pub cost: Cost,
}

/// What one catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Audit entries read.
    pub entries: usize,
    /// Documents written or deleted.
    pub documents: usize,
    /// The index was (re)built from scratch.
    pub rebuilt: bool,
}

/// Written with every commit: where in the audit log the index stands, and which pipeline and
/// schema made it (another version means rebuilding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    last_audit_id: i64,
    pipeline: u32,
    schema: u32,
}

impl Payload {
    fn current(last_audit_id: i64) -> Self {
        Payload {
            last_audit_id,
            pipeline: lipa_core::search_text::PIPELINE_VERSION,
            schema: schema::SCHEMA_VERSION,
        }
    }
}

struct WriterState {
    writer: IndexWriter<TantivyDocument>,
    /// Audit entries up to this one are in the index.
    last_audit_id: i64,
    /// False until the index has been built by this pipeline and schema.
    built: bool,
}

/// The search index of one server.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    writer: tokio::sync::Mutex<WriterState>,
    last_audit_id: AtomicI64,
    /// Documents written and to write while a rebuild runs; (0, 0) otherwise.
    building: (AtomicU64, AtomicU64),
}

/// The progress of a rebuild, cleared when it ends (also by an error).
struct Building<'a>(&'a (AtomicU64, AtomicU64));

impl<'a> Building<'a> {
    fn start(state: &'a (AtomicU64, AtomicU64), total: i64) -> Self {
        state.0.store(0, Ordering::Relaxed);
        state.1.store(total.max(1) as u64, Ordering::Relaxed);
        Building(state)
    }

    fn set(&self, done: u64) {
        self.0.0.store(done, Ordering::Relaxed);
    }
}

impl Drop for Building<'_> {
    fn drop(&mut self) {
        self.0.1.store(0, Ordering::Relaxed);
        self.0.0.store(0, Ordering::Relaxed);
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("last_audit_id", &self.last_audit_id())
            .finish_non_exhaustive()
    }
}

/// Memory the writer buffers before it flushes a segment.
const WRITER_MEMORY: usize = 20_000_000;
/// Audit entries read per round of a catch-up.
const BATCH: i64 = 10_000;
/// Past this many pending entries of the log (an import, the demo), a catch-up builds the index
/// again from the records instead of re-reading them one by one.
const REBUILD_PAST: i64 = 50_000;
/// Libraries (with their services), persons, partners or events read per page of a rebuild.
const REBUILD_PAGE: usize = 2_000;
/// The file that marks a directory as lipa's index (and so safe to wipe when it is outdated).
const MARKER: &str = "lipa-search-index";

/// The directory of the index that belongs to a SQLite database file: `<db>.search/`.
pub fn dir_beside(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".search");
    db.with_file_name(name)
}

impl SearchIndex {
    /// Opens the index in `path`, creating it if needed. An index of another schema is wiped
    /// and made again by the next catch-up. Fails when another process holds the writer lock.
    pub fn open(path: &Path) -> Result<Self> {
        std::fs::create_dir_all(path)?;
        let fields = Fields::new();
        let index = match Index::open_or_create(MmapDirectory::open(path)?, fields.schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) if path.join(MARKER).exists() => {
                tracing::warn!(path = %path.display(), "search index of an older schema: rebuilding");
                std::fs::remove_dir_all(path)?;
                std::fs::create_dir_all(path)?;
                Index::open_or_create(MmapDirectory::open(path)?, fields.schema.clone())?
            }
            Err(e) => return Err(e.into()),
        };
        std::fs::write(
            path.join(MARKER),
            "The search index of lipa: made from the database, safe to delete.\n",
        )?;
        Self::with_index(index, fields).map_err(|e| match e {
            SearchError::Index(tantivy::TantivyError::LockFailure(..)) => {
                SearchError::Busy(path.to_owned())
            }
            other => other,
        })
    }

    /// A fresh index in memory (tests, and servers that rebuild at start).
    pub fn open_in_ram() -> Result<Self> {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        Self::with_index(index, fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self> {
        index
            .tokenizers()
            .register(analyzer::TERMS, analyzer::terms_analyzer());
        index
            .tokenizers()
            .register(analyzer::WORDS, analyzer::words_analyzer());
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(1)
            .num_merge_threads(1)
            .memory_budget_per_thread(WRITER_MEMORY)
            .build();
        let writer = index.writer_with_options(options)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload: Option<Payload> = index
            .load_metas()?
            .payload
            .and_then(|p| serde_json::from_str(&p).ok());
        let current = payload.filter(|p| *p == Payload::current(p.last_audit_id));
        let last = current.map_or(0, |p| p.last_audit_id);
        Ok(SearchIndex {
            reader,
            fields,
            writer: tokio::sync::Mutex::new(WriterState {
                writer,
                last_audit_id: last,
                built: current.is_some(),
            }),
            last_audit_id: AtomicI64::new(last),
            building: (AtomicU64::new(0), AtomicU64::new(0)),
        })
    }

    /// The last audit entry the index has applied.
    pub fn last_audit_id(&self) -> i64 {
        self.last_audit_id.load(Ordering::Relaxed)
    }

    /// Documents in the index (all kinds, all scopes).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Makes the index again from every record of the store. Returns the number of documents.
    pub async fn rebuild(&self, store: &Store) -> Result<usize> {
        let mut w = self.writer.lock().await;
        self.rebuild_locked(store, &mut w).await
    }

    /// Reads the records a page at a time (libraries with their services and people, then
    /// partners and events), so that memory stays bounded whatever the size of the registry;
    /// [`SearchIndex::building`] tells how far it is.
    async fn rebuild_locked(&self, store: &Store, w: &mut WriterState) -> Result<usize> {
        // The log position first: whatever is written while the records are read is replayed
        // by the next catch-up (indexing a record twice is harmless).
        let last = store.last_audit_id().await?;
        let labels = labels(store).await?;
        let total = store.records_total().await?.max(1);
        let progress = Building::start(&self.building, total);
        w.writer.delete_all_documents()?;
        let mut count = 0usize;
        let mut add = |w: &mut WriterState, d: IndexDoc| -> Result<()> {
            w.writer.add_document(self.fields.document(&d))?;
            count += 1;
            progress.set(count as u64);
            Ok(())
        };
        let mut after = 0;
        loop {
            let libraries = store.libraries_after(after, REBUILD_PAGE).await?;
            let Some(l) = libraries.last() else { break };
            after = i64::from(l.record.id.get());
            let ids: Vec<LibraryId> = libraries.iter().map(|l| l.record.id).collect();
            let by_id: HashMap<LibraryId, &Library> =
                libraries.iter().map(|l| (l.record.id, &l.record)).collect();
            for l in &libraries {
                add(w, docs::library_doc(&l.record))?;
            }
            for s in store.services_of(&ids).await? {
                let lib = by_id.get(&s.record.library).copied();
                add(w, docs::service_doc(s.id, &s.record, lib, &labels))?;
            }
        }
        let mut after = 0;
        loop {
            let persons = store.persons_after(after, REBUILD_PAGE).await?;
            let Some(p) = persons.last() else { break };
            after = p.id.raw();
            let mut ids: Vec<LibraryId> = persons.iter().filter_map(|p| p.record.library).collect();
            ids.sort_unstable();
            ids.dedup();
            let libraries = store.libraries_by_ids(&ids).await?;
            let by_id: HashMap<LibraryId, &Library> =
                libraries.iter().map(|l| (l.record.id, &l.record)).collect();
            for p in &persons {
                let lib = p.record.library.and_then(|l| by_id.get(&l).copied());
                add(w, docs::person_doc(p.id, &p.record, lib))?;
            }
        }
        let mut after = 0;
        loop {
            let partners = store.partners_after(after, REBUILD_PAGE).await?;
            let Some(p) = partners.last() else { break };
            after = p.id.raw();
            for p in &partners {
                add(w, docs::partner_doc(p.id, &p.record, &labels))?;
            }
        }
        let mut after = 0;
        loop {
            let events = store.events_after(after, REBUILD_PAGE).await?;
            let Some(e) = events.last() else { break };
            after = e.id.raw();
            for e in &events {
                add(w, docs::event_doc(e.id, &e.record))?;
            }
        }
        self.commit(w, last)?;
        w.built = true;
        tracing::info!(
            documents = count,
            last_audit_id = last,
            "search index rebuilt"
        );
        Ok(count)
    }

    /// While the index is being built from scratch: how far it is, in per cent. Searches are
    /// answered meanwhile from what the index had (nothing, on a first build).
    pub fn building(&self) -> Option<u8> {
        let (done, total) = (
            self.building.0.load(Ordering::Relaxed),
            self.building.1.load(Ordering::Relaxed),
        );
        (total > 0).then(|| (done.saturating_mul(100) / total).min(99) as u8)
    }

    fn commit(&self, w: &mut WriterState, last: i64) -> Result<()> {
        let mut prepared = w.writer.prepare_commit()?;
        let payload = serde_json::to_string(&Payload::current(last)).unwrap_or_default();
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        w.last_audit_id = last;
        self.last_audit_id.store(last, Ordering::Relaxed);
        Ok(())
    }

    /// Applies the audit entries written since the last one indexed: each record they name is
    /// read again and indexed again (or removed when it is gone). An index never built, or built
    /// by another pipeline, is rebuilt instead. Cheap when nothing changed: one query of the log.
    ///
    /// Catch-ups share their work: a caller asks only for the writes made before it called (the
    /// log's latest entry then), and returns at once when the index is already past them —
    /// also after waiting for a catch-up that was running. A stream of writes with searches
    /// between them costs one index commit per batch, not a queue of commits, one per search.
    pub async fn catch_up(&self, store: &Store) -> Result<CatchUp> {
        let target = store.last_audit_id().await?;
        if target > 0 && self.last_audit_id() >= target {
            return Ok(CatchUp::default());
        }
        let mut w = self.writer.lock().await;
        if w.built && target > 0 && w.last_audit_id >= target {
            return Ok(CatchUp::default());
        }
        if !w.built {
            let documents = self.rebuild_locked(store, &mut w).await?;
            return Ok(CatchUp {
                entries: 0,
                documents,
                rebuilt: true,
            });
        }
        if target - w.last_audit_id > REBUILD_PAST {
            let documents = self.rebuild_locked(store, &mut w).await?;
            return Ok(CatchUp {
                entries: 0,
                documents,
                rebuilt: true,
            });
        }
        let mut out = CatchUp::default();
        let mut last = w.last_audit_id;
        let mut touched: BTreeSet<(u8, &'static str, String)> = BTreeSet::new();
        loop {
            let entries = store.audit_keys(last, BATCH).await?;
            let n = entries.len();
            for (id, entity, key) in entries {
                last = last.max(id);
                let Some(entity) = entity else { continue };
                // Taxonomy first: it relabels many documents that the other entries may
                // name again.
                let order = match entity {
                    EntityKind::Category | EntityKind::PartnerKind => 0,
                    _ => 1,
                };
                touched.insert((order, entity.code(), key));
            }
            out.entries += n;
            if (n as i64) < BATCH {
                break;
            }
        }
        if touched.is_empty() {
            return Ok(out);
        }
        let labels = labels(store).await?;
        let mut done: BTreeSet<String> = BTreeSet::new();
        for (_, code, id) in touched {
            let Some(entity) = EntityKind::from_code(code) else {
                continue;
            };
            out.documents += self
                .reindex(store, &mut w, &labels, entity, &id, &mut done)
                .await?;
        }
        if out.documents > 0 {
            self.commit(&mut w, last)?;
        } else {
            // Nothing indexed changed (users, sessions): remember the position; the next commit
            // writes it down.
            w.last_audit_id = last;
            self.last_audit_id.store(last, Ordering::Relaxed);
        }
        Ok(out)
    }

    /// Indexes again what one audit entry names; `done` keeps keys already redone in this round.
    async fn reindex(
        &self,
        store: &Store,
        w: &mut WriterState,
        labels: &Labels,
        entity: EntityKind,
        id: &str,
        done: &mut BTreeSet<String>,
    ) -> Result<usize> {
        let record_id = || id.parse::<i64>().ok();
        let mut n = 0;
        match entity {
            EntityKind::Library => {
                let Ok(lib_id) = LibraryId::parse(id) else {
                    return Ok(0);
                };
                let lib = store.library(lib_id).await?.map(|v| v.record);
                let key = docs::key(Kind::Library, i64::from(lib_id.get()));
                n += self.replace(w, &key, lib.as_ref().map(docs::library_doc), done)?;
                // A library's name and place are part of its services' and people's documents.
                for s in store.services_of(&[lib_id]).await? {
                    let doc = docs::service_doc(s.id, &s.record, lib.as_ref(), labels);
                    n += self.replace(w, &doc.key(), Some(doc), done)?;
                }
                for p in store.persons().await? {
                    if p.record.library == Some(lib_id) {
                        let doc = docs::person_doc(p.id, &p.record, lib.as_ref());
                        n += self.replace(w, &doc.key(), Some(doc), done)?;
                    }
                }
            }
            EntityKind::Service => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = match store.service(ServiceId::new(rid)).await? {
                    Some(s) => {
                        let lib = store.library(s.record.library).await?.map(|v| v.record);
                        Some(docs::service_doc(s.id, &s.record, lib.as_ref(), labels))
                    }
                    None => None,
                };
                n += self.replace(w, &docs::key(Kind::Service, rid), doc, done)?;
            }
            EntityKind::Partner => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = store
                    .partner(PartnerId::new(rid))
                    .await?
                    .map(|p| docs::partner_doc(p.id, &p.record, labels));
                n += self.replace(w, &docs::key(Kind::Partner, rid), doc, done)?;
            }
            EntityKind::Event => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = store
                    .event(EventId::new(rid))
                    .await?
                    .map(|e| docs::event_doc(e.id, &e.record));
                n += self.replace(w, &docs::key(Kind::Event, rid), doc, done)?;
            }
            EntityKind::Person => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = match store.person(PersonId::new(rid)).await? {
                    Some(p) => {
                        let lib = match p.record.library {
                            Some(l) => store.library(l).await?.map(|v| v.record),
                            None => None,
                        };
                        Some(docs::person_doc(p.id, &p.record, lib.as_ref()))
                    }
                    None => None,
                };
                n += self.replace(w, &docs::key(Kind::Person, rid), doc, done)?;
            }
            EntityKind::Category => {
                let libraries = store.libraries().await?;
                let by_id: HashMap<LibraryId, &Library> =
                    libraries.iter().map(|l| (l.record.id, &l.record)).collect();
                for s in store.services().await? {
                    let lib = by_id.get(&s.record.library).copied();
                    let doc = docs::service_doc(s.id, &s.record, lib, labels);
                    n += self.replace(w, &doc.key(), Some(doc), done)?;
                }
            }
            EntityKind::PartnerKind => {
                for p in store.partners().await? {
                    let doc = docs::partner_doc(p.id, &p.record, labels);
                    n += self.replace(w, &doc.key(), Some(doc), done)?;
                }
            }
            // Activity-log entries are not searched (issue 13 adds them beside the services).
            EntityKind::User | EntityKind::Activity => {}
        }
        Ok(n)
    }

    /// Deletes the document of `key` and adds `doc` in its place (unless it was already redone
    /// in this round).
    fn replace(
        &self,
        w: &mut WriterState,
        key: &str,
        doc: Option<IndexDoc>,
        done: &mut BTreeSet<String>,
    ) -> Result<usize> {
        if !done.insert(key.to_owned()) {
            return Ok(0);
        }
        w.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
        if let Some(d) = doc {
            w.writer.add_document(self.fields.document(&d))?;
        }
        Ok(1)
    }

    /// Runs a search: the hits of the page asked for (`limit`), the facet counts, and, when
    /// nothing is found, suggestions made of public records' words.
    pub fn search(&self, q: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let mut budget = Budget::new();
        let mut results = self.search_with(&searcher, q, &mut budget)?;
        if results.total == 0 && !results.cost.cut_short {
            results.suggestions = self.suggest(&searcher, q, &mut budget)?;
        }
        results.cost = budget.cost(results.cost.words);
        Ok(results)
    }

    /// The libraries `q` finds, directly or through a service of theirs, best first: at most
    /// `cap`, read from a fast field (no stored text, no snippets). What a list page narrows
    /// itself to.
    pub fn library_ids(&self, q: &Query, cap: usize) -> Result<Vec<u32>> {
        let searcher = self.reader.searcher();
        let gate = Gate::new(&searcher, &q.viewer);
        let mut budget = Budget::new();
        let plan = self.planned(&gate, &q.text);
        if plan.is_empty() {
            return Ok(Vec::new());
        }
        let words = self.word_queries(&gate, &plan, &mut budget);
        let mut clauses = self.filters(q, self.words_clause(&words, Occur::Must));
        let kinds: Vec<(Occur, Box<dyn tantivy::query::Query>)> = [Kind::Library, Kind::Service]
            .into_iter()
            .map(|k| (Occur::Should, self.kind_filter(k)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(kinds))));
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(cap.max(1)).order_by_score(),
        )?;
        let columns: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64(schema::LIBRARY_ID).ok())
            .collect();
        let mut out: Vec<u32> = Vec::new();
        let mut seen: HashSet<u32> = HashSet::new();
        for (_, address) in top {
            let id = columns
                .get(address.segment_ord as usize)
                .and_then(Option::as_ref)
                .and_then(|c| c.first(address.doc_id))
                .and_then(|v| u32::try_from(v).ok());
            if let Some(id) = id
                && seen.insert(id)
            {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The plan of `text`, steered by the words `gate` lets through, with typos forgiven only
    /// to words that find nothing as typed (so that `Жиленци` does not also bring every word
    /// one letter away).
    fn planned(&self, gate: &Gate<'_>, text: &str) -> Vec<WordPlan> {
        let vocabulary = IndexVocabulary {
            gate,
            field: self.fields.words,
        };
        let mut plan = plan::plan(text, &vocabulary);
        for word in &mut plan {
            if word.alternatives.iter().any(|a| self.exists(gate, a)) {
                for a in &mut word.alternatives {
                    a.typos = 0;
                }
            }
        }
        plan
    }

    fn search_with(&self, searcher: &Searcher, q: &Query, budget: &mut Budget) -> Result<Results> {
        let gate = Gate::new(searcher, &q.viewer);
        let plan = self.planned(&gate, &q.text);
        if plan.is_empty() {
            return Ok(Results::default());
        }
        let words = self.word_queries(&gate, &plan, budget);
        let mut results = self.run(searcher, q, &plan, self.words_clause(&words, Occur::Must))?;
        if results.total == 0 && plan.len() > 1 && q.partial && !budget.spent() {
            // No record has every word: rank the records that have some.
            results = self.run(searcher, q, &plan, self.words_clause(&words, Occur::Should))?;
        }
        results.cost = budget.cost(plan.len());
        Ok(results)
    }

    /// The words of a plan in one query: each must match (`Must`), or at least one (`Should`).
    fn words_clause(
        &self,
        words: &[Box<dyn tantivy::query::Query>],
        occur: Occur,
    ) -> Box<dyn tantivy::query::Query> {
        Box::new(BooleanQuery::new(
            words.iter().map(|w| (occur, w.box_clone())).collect(),
        ))
    }

    /// The words clause with the reader's visibility filter and the kind and category asked
    /// for.
    fn filters(
        &self,
        q: &Query,
        words: Box<dyn tantivy::query::Query>,
    ) -> Vec<(Occur, Box<dyn tantivy::query::Query>)> {
        // Beside a Must clause (the visibility filter) Should clauses are optional: the words
        // go in a query of their own, so that a record needs at least one of them.
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = vec![(Occur::Must, words)];
        if let Some(filter) = self.visibility(&q.viewer) {
            clauses.push((Occur::Must, filter));
        }
        clauses
    }

    fn kind_filter(&self, kind: Kind) -> Box<dyn tantivy::query::Query> {
        let term = Term::from_field_text(self.fields.kind, kind.code());
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            0.0,
        ))
    }

    fn run(
        &self,
        searcher: &Searcher,
        q: &Query,
        plan: &[WordPlan],
        words: Box<dyn tantivy::query::Query>,
    ) -> Result<Results> {
        let mut clauses = self.filters(q, words);
        let all_kinds =
            BooleanQuery::new(clauses.iter().map(|(o, c)| (*o, c.box_clone())).collect());
        if let Some(kind) = q.kind {
            clauses.push((Occur::Must, self.kind_filter(kind)));
        }
        if let Some(code) = &q.category {
            let facet = tantivy::schema::Facet::from_path(["category", code.as_str()]);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_facet(self.fields.facets, &facet),
                        IndexRecordOption::Basic,
                    )),
                    0.0,
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let limit = q.limit.clamp(1, MAX_HITS);
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit).order_by_score(), Count),
        )?;
        let mut facet_collector = FacetCollector::for_field("facets");
        facet_collector.add_facet("/kind");
        facet_collector.add_facet("/category");
        let counts = searcher.search(&all_kinds, &facet_collector)?;
        let facet = |root: &str| -> Vec<FacetCount> {
            let mut v: Vec<FacetCount> = counts
                .get(root)
                .map(|(f, count)| FacetCount {
                    value: f
                        .to_path()
                        .last()
                        .map(|s| (*s).to_owned())
                        .unwrap_or_default(),
                    count,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        };
        let facets = Facets {
            kinds: facet("/kind"),
            categories: facet("/category"),
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            let Some(kind) = Kind::from_code(&text(self.fields.kind)) else {
                continue;
            };
            hits.push(Hit {
                kind,
                id: doc
                    .get_first(self.fields.id)
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0),
                library_id: doc
                    .get_first(self.fields.library_id)
                    .and_then(|v| v.as_u64())
                    .and_then(|v| u32::try_from(v).ok()),
                title: text(self.fields.title),
                snippet_html: snippet::snippet_html(&text(self.fields.snippet), plan),
                score,
            });
        }
        Ok(Results {
            hits,
            total,
            facets,
            suggestions: Vec::new(),
            cost: Cost::default(),
        })
    }

    /// Whether some document the reader may see has the alternative as typed: as a whole term,
    /// or, when it may be unfinished, as the start of one (the same patterns [`Self::word_query`]
    /// looks for).
    fn exists(&self, gate: &Gate<'_>, alt: &Alternative) -> bool {
        let in_vocabulary = alt
            .truncations()
            .iter()
            .any(|form| gate.visible(self.fields.words, form));
        let mut fields: Vec<tantivy::schema::Field> = self
            .fields
            .weighted()
            .iter()
            .map(|&(f, _)| f)
            .filter(|&f| f != self.fields.latin || alt.latin)
            .collect();
        let as_term = fields.iter().any(|&f| gate.visible(f, &alt.term));
        if !alt.latin {
            fields.push(self.fields.words);
        }
        in_vocabulary
            || as_term
            || (alt.prefix
                && fields
                    .iter()
                    .any(|&f| gate.visible_prefix(f, &alt.word, PREFIX_SCAN)))
    }

    /// One query per word of the plan, within the budget.
    fn word_queries(
        &self,
        gate: &Gate<'_>,
        plan: &[WordPlan],
        budget: &mut Budget,
    ) -> Vec<Box<dyn tantivy::query::Query>> {
        plan.iter()
            .map(|w| self.word_query(gate, w, budget))
            .collect()
    }

    /// One query word: the best of its alternatives in any field, the others adding a little.
    /// At most [`MAX_TERMS_PER_WORD`] terms.
    fn word_query(
        &self,
        gate: &Gate<'_>,
        w: &WordPlan,
        budget: &mut Budget,
    ) -> Box<dyn tantivy::query::Query> {
        let mut disjuncts: Vec<Box<dyn tantivy::query::Query>> = Vec::new();
        let mut left = MAX_TERMS_PER_WORD;
        let push = |disjuncts: &mut Vec<Box<dyn tantivy::query::Query>>,
                    field: tantivy::schema::Field,
                    text: &str,
                    boost: f32,
                    left: &mut usize| {
            if *left == 0 {
                return;
            }
            *left -= 1;
            disjuncts.push(term_query(field, text, boost));
        };
        for alt in &w.alternatives {
            for (field, boost) in self.fields.weighted() {
                if field == self.fields.latin && !alt.latin {
                    continue;
                }
                push(
                    &mut disjuncts,
                    field,
                    &alt.term,
                    boost * alt.weight,
                    &mut left,
                );
                // The allowance is the typed word's, but a stem is shorter: `шоман` is two
                // letters from `шумен` and may not match it through the stems `шом` and `шум`.
                let typos = alt.typos.min(plan::typos_for(alt.term.chars().count()));
                if typos > 0 {
                    let near =
                        FuzzyTermQuery::new(Term::from_field_text(field, &alt.term), typos, true);
                    let boost = boost * alt.weight * TYPO_FACTOR;
                    disjuncts.extend(self.expanded(gate, field, &near, boost, &mut left, budget));
                }
                if alt.prefix {
                    // The prefix is what was typed, not its stem: `руса` may go on to
                    // `русалка`, never to `русе`.
                    let longer = FuzzyTermQuery::new_prefix(
                        Term::from_field_text(field, &alt.word),
                        0,
                        true,
                    );
                    let boost = boost * alt.weight * PREFIX_FACTOR;
                    disjuncts.extend(self.expanded(gate, field, &longer, boost, &mut left, budget));
                }
            }
            let boost = schema::BOOST_WORDS * alt.weight;
            for form in alt.truncations() {
                push(&mut disjuncts, self.fields.words, &form, boost, &mut left);
            }
            if alt.latin {
                continue;
            }
            if alt.typos > 0 {
                let near = FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.words, &alt.word),
                    alt.typos,
                    true,
                );
                disjuncts.extend(self.expanded(
                    gate,
                    self.fields.words,
                    &near,
                    boost * TYPO_FACTOR,
                    &mut left,
                    budget,
                ));
            }
            if alt.prefix {
                let longer = FuzzyTermQuery::new_prefix(
                    Term::from_field_text(self.fields.words, &alt.word),
                    0,
                    true,
                );
                disjuncts.extend(self.expanded(
                    gate,
                    self.fields.words,
                    &longer,
                    boost * PREFIX_FACTOR,
                    &mut left,
                    budget,
                ));
            }
        }
        budget.terms += MAX_TERMS_PER_WORD - left;
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            disjuncts,
            TIE_BREAKER,
        ))
    }

    /// The indexed terms of `field` that `pattern` accepts and the reader may be led to (at
    /// most [`MAX_EXPANSIONS`], and no more than `left` for the word), as BM25 term queries with
    /// `boost`. Stops when the time budget is spent.
    fn expanded(
        &self,
        gate: &Gate<'_>,
        field: tantivy::schema::Field,
        pattern: &FuzzyTermQuery,
        boost: f32,
        left: &mut usize,
        budget: &mut Budget,
    ) -> Vec<Box<dyn tantivy::query::Query>> {
        let limit = MAX_EXPANSIONS.min(*left);
        let terms = self.matching_terms(gate, field, pattern, limit, budget);
        *left -= terms.len();
        terms.iter().map(|t| term_query(field, t, boost)).collect()
    }

    /// The terms of `field` that `pattern` accepts and `gate` lets through, in order, at most
    /// `limit`.
    fn matching_terms(
        &self,
        gate: &Gate<'_>,
        field: tantivy::schema::Field,
        pattern: &FuzzyTermQuery,
        limit: usize,
        budget: &mut Budget,
    ) -> BTreeSet<String> {
        let mut terms: BTreeSet<String> = BTreeSet::new();
        if limit == 0 || budget.spent() {
            return terms;
        }
        for (ord, segment) in gate.searcher().segment_readers().iter().enumerate() {
            let (Ok(inverted), Ok(automaton)) =
                (segment.inverted_index(field), pattern.automaton())
            else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            let mut scanned = 0;
            while terms.len() < limit && scanned < EXPANSION_SCAN && stream.advance() {
                scanned += 1;
                if budget.spent() {
                    return terms;
                }
                if gate.visible_in(ord, field, stream.key(), stream.value())
                    && let Ok(t) = std::str::from_utf8(stream.key())
                {
                    terms.insert(t.to_owned());
                }
            }
        }
        terms
    }

    /// "Did you mean …?": for a search that found nothing, whole queries in which each word no
    /// public record has is replaced by the closest word public records do have (at most
    /// [`MAX_SUGGESTIONS`], each checked to find something for the reader). Private records
    /// are never read for them, whoever asks.
    fn suggest(&self, searcher: &Searcher, q: &Query, budget: &mut Budget) -> Result<Vec<String>> {
        let public = Gate::public(searcher);
        let plan = self.planned(&public, &q.text);
        let mut per_word: Vec<Vec<String>> = Vec::new();
        let mut replaced = false;
        for w in &plan {
            if w.alternatives.iter().any(|a| self.exists(&public, a)) {
                per_word.push(vec![w.typed.clone()]);
                continue;
            }
            let closest = self.closest_words(&public, w, budget);
            replaced |= !closest.is_empty();
            per_word.push(closest);
        }
        if !replaced {
            return Ok(Vec::new());
        }
        let mut out: Vec<String> = Vec::new();
        for i in 0..MAX_SUGGESTIONS {
            let words: Vec<&str> = per_word
                .iter()
                .filter_map(|c| c.get(i.min(c.len().saturating_sub(1))))
                .map(String::as_str)
                .collect();
            let text = words.join(" ");
            if text.is_empty() || out.contains(&text) || budget.spent() {
                continue;
            }
            let check = Query {
                text: format!("{text} "),
                limit: 1,
                ..q.clone()
            };
            if self.search_with(searcher, &check, budget)?.total > 0 {
                out.push(text);
            }
        }
        Ok(out)
    }

    /// The words of public records closest to a query word (by edits, then by how many records
    /// have them), best first.
    fn closest_words(&self, public: &Gate<'_>, w: &WordPlan, budget: &mut Budget) -> Vec<String> {
        let mut found: Vec<(usize, std::cmp::Reverse<u64>, String)> = Vec::new();
        for alt in &w.alternatives {
            let field = if alt.latin {
                self.fields.latin
            } else {
                self.fields.words
            };
            let len = alt.word.chars().count();
            let distance = if len <= 4 { 1 } else { 2 };
            let near = FuzzyTermQuery::new(Term::from_field_text(field, &alt.word), distance, true);
            for t in self.matching_terms(public, field, &near, SUGGESTION_SCAN, budget) {
                let freq = public
                    .searcher()
                    .doc_freq(&Term::from_field_text(field, &t))
                    .unwrap_or(0);
                found.push((edits(&alt.word, &t), std::cmp::Reverse(freq), t));
            }
        }
        found.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, _, t) in found {
            if !out.contains(&t) && t != w.typed {
                out.push(t);
            }
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
        out
    }

    /// The filter of what `viewer` may see; `None` when they may see everything.
    fn visibility(&self, viewer: &Viewer) -> Option<Box<dyn tantivy::query::Query>> {
        let mut terms = vec![schema::PUBLIC.to_owned()];
        match viewer {
            Viewer::SignedIn(Role::Admin) => return None,
            Viewer::SignedIn(Role::Coordinator { district }) => {
                terms.push(schema::district_term(district.as_str()));
            }
            Viewer::SignedIn(Role::Librarian { library }) => {
                terms.push(schema::library_term(library.get()));
            }
            Viewer::SignedIn(Role::Viewer) | Viewer::Anonymous => {}
        }
        let any: Vec<(Occur, Box<dyn tantivy::query::Query>)> = terms
            .into_iter()
            .map(|t| {
                let q: Box<dyn tantivy::query::Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.scope, &t),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(any)),
            0.0,
        )))
    }
}

/// How much the other matches of a word add to its best one.
const TIE_BREAKER: f32 = 0.2;
/// What a match with typos counts, against an exact one.
const TYPO_FACTOR: f32 = 0.5;
/// What a match of a longer term counts, when the word may be unfinished.
const PREFIX_FACTOR: f32 = 0.8;
/// Indexed terms a typo or a prefix may stand for, per field: enough for any real word.
pub const MAX_EXPANSIONS: usize = 64;
/// Terms one query word may be looked for as, all alternatives and fields together.
pub const MAX_TERMS_PER_WORD: usize = 256;
/// Most hits a search returns (each is read from the index and given a snippet).
pub const MAX_HITS: usize = 10_000;
/// Time a search may spend widening its words (typos, prefixes, suggestions); past it, it runs
/// with what it has.
pub const TIME_BUDGET: Duration = Duration::from_millis(1500);
/// Dictionary terms looked at per pattern and segment, visible or not.
const EXPANSION_SCAN: usize = 1024;
/// Dictionary terms looked at for "does a visible word start with this".
const PREFIX_SCAN: usize = 256;
/// Dictionary terms looked at per word for a suggestion.
const SUGGESTION_SCAN: usize = 64;
/// Suggestions a search that found nothing offers.
pub const MAX_SUGGESTIONS: usize = 3;

/// What a search cost: what the bounds above hold it to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// Query words searched for (at most [`plan::MAX_WORDS`]).
    pub words: usize,
    /// Term queries built for them, expansions included (at most [`MAX_TERMS_PER_WORD`] per
    /// word and run of the planner).
    pub terms: usize,
    /// The time budget ran out: the search ran with the expansions it had.
    pub cut_short: bool,
}

/// The time and terms a search has spent.
struct Budget {
    deadline: Instant,
    terms: usize,
    cut_short: bool,
}

impl Budget {
    fn new() -> Self {
        Budget {
            deadline: Instant::now() + TIME_BUDGET,
            terms: 0,
            cut_short: false,
        }
    }

    fn spent(&mut self) -> bool {
        if !self.cut_short && Instant::now() >= self.deadline {
            self.cut_short = true;
        }
        self.cut_short
    }

    fn cost(&self, words: usize) -> Cost {
        Cost {
            words,
            terms: self.terms,
            cut_short: self.cut_short,
        }
    }
}

fn term_query(
    field: tantivy::schema::Field,
    text: &str,
    boost: f32,
) -> Box<dyn tantivy::query::Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        )),
        boost,
    ))
}

/// Edits between two words (Damerau: a swap of two letters is one).
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The index's words the reader may be led to, as the query planner asks about them.
struct IndexVocabulary<'g, 's> {
    gate: &'g Gate<'s>,
    field: tantivy::schema::Field,
}

impl Vocabulary for IndexVocabulary<'_, '_> {
    fn has_prefix(&self, prefix: &str) -> bool {
        self.gate.visible_prefix(self.field, prefix, PREFIX_SCAN)
    }
}

async fn labels(store: &Store) -> Result<Labels> {
    Ok(Labels {
        categories: store.categories().await?,
        partner_kinds: store.partner_kinds().await?,
    })
}

/// Keeps `index` following the store's change log: a catch-up every `every`, until the index is
/// dropped. Errors are logged and retried on the next tick. Needs a tokio runtime.
pub fn follow(
    index: &Arc<SearchIndex>,
    store: Store,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    let weak: Weak<SearchIndex> = Arc::downgrade(index);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(index) = weak.upgrade() else { break };
            if let Err(e) = index.catch_up(&store).await {
                tracing::warn!(error = %e, "search index catch-up failed");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuild_tells_how_far_it_is_until_it_ends() {
        let index = SearchIndex::open_in_ram().unwrap();
        assert_eq!(index.building(), None);
        {
            let progress = Building::start(&index.building, 200);
            assert_eq!(index.building(), Some(0));
            progress.set(50);
            assert_eq!(index.building(), Some(25));
            // Never 100 % while it runs: the commit is still to come.
            progress.set(200);
            assert_eq!(index.building(), Some(99));
        }
        assert_eq!(index.building(), None, "ended, also by an error");
    }
}
