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
pub mod eval;

pub mod plan;
pub mod schema;
pub mod snippet;
pub mod synthetic;

pub use docs::Kind;

use crate::docs::{IndexDoc, Labels};
use crate::plan::{Alternative, Vocabulary, WordPlan};
use crate::schema::Fields;
use lipa_core::audit::EntityKind;
use lipa_core::ids::{LibraryId, RecordId};
use lipa_core::library::Library;
use lipa_core::user::Role;
use lipa_store::{AuditFilter, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
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
            limit: 20,
            viewer: Viewer::Anonymous,
            partial: true,
        }
    }

    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
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
const BATCH: i64 = 1000;
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

    async fn rebuild_locked(&self, store: &Store, w: &mut WriterState) -> Result<usize> {
        // The log position first: whatever is written while the records are read is replayed
        // by the next catch-up (indexing a record twice is harmless).
        let last = store
            .audit_entries(&AuditFilter {
                limit: Some(1),
                ..Default::default()
            })
            .await?
            .first()
            .map_or(0, |e| e.id);
        let labels = labels(store).await?;
        let libraries = store.libraries().await?;
        let by_id: HashMap<LibraryId, &Library> =
            libraries.iter().map(|l| (l.record.id, &l.record)).collect();
        let mut docs: Vec<IndexDoc> = libraries
            .iter()
            .map(|l| docs::library_doc(&l.record))
            .collect();
        for s in store.services().await? {
            let lib = by_id.get(&s.record.library).copied();
            docs.push(docs::service_doc(s.id, &s.record, lib, &labels));
        }
        for p in store.partners().await? {
            docs.push(docs::partner_doc(p.id, &p.record, &labels));
        }
        for e in store.events().await? {
            docs.push(docs::event_doc(e.id, &e.record));
        }
        for p in store.persons().await? {
            let lib = p.record.library.and_then(|l| by_id.get(&l).copied());
            docs.push(docs::person_doc(p.id, &p.record, lib));
        }
        w.writer.delete_all_documents()?;
        for d in &docs {
            w.writer.add_document(self.fields.document(d))?;
        }
        self.commit(w, last)?;
        w.built = true;
        tracing::info!(
            documents = docs.len(),
            last_audit_id = last,
            "search index rebuilt"
        );
        Ok(docs.len())
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
    pub async fn catch_up(&self, store: &Store) -> Result<CatchUp> {
        let mut w = self.writer.lock().await;
        if !w.built {
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
            let entries = store
                .audit_entries(&AuditFilter {
                    after_id: Some(last),
                    limit: Some(BATCH),
                    ..Default::default()
                })
                .await?;
            let n = entries.len();
            for e in entries {
                last = last.max(e.id);
                // Taxonomy first: it relabels many documents that the other entries may
                // name again.
                let order = match e.entity {
                    EntityKind::Category | EntityKind::PartnerKind => 0,
                    _ => 1,
                };
                touched.insert((order, e.entity.code(), e.entity_id));
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
        let record_id = || id.parse::<RecordId>().ok();
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
                let doc = match store.service(rid).await? {
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
                    .partner(rid)
                    .await?
                    .map(|p| docs::partner_doc(p.id, &p.record, labels));
                n += self.replace(w, &docs::key(Kind::Partner, rid), doc, done)?;
            }
            EntityKind::Event => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = store
                    .event(rid)
                    .await?
                    .map(|e| docs::event_doc(e.id, &e.record));
                n += self.replace(w, &docs::key(Kind::Event, rid), doc, done)?;
            }
            EntityKind::Person => {
                let Some(rid) = record_id() else { return Ok(0) };
                let doc = match store.person(rid).await? {
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
            EntityKind::User => {}
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

    /// Runs a search.
    pub fn search(&self, q: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let vocabulary = IndexVocabulary::new(&searcher, self.fields.words);
        let mut plan = plan::plan(&q.text, &vocabulary);
        if plan.is_empty() {
            return Ok(Results::default());
        }
        // A word the index has as typed is meant as typed: typos are forgiven only to words
        // that find nothing, so that `Жиленци` does not also bring every word one letter away.
        for word in &mut plan {
            if word.alternatives.iter().any(|a| self.exists(&searcher, a)) {
                for a in &mut word.alternatives {
                    a.typos = 0;
                }
            }
        }
        let mut results = self.run(&searcher, q, &plan, Occur::Must)?;
        if results.total == 0 && plan.len() > 1 && q.partial {
            // No record has every word: rank the records that have some.
            results = self.run(&searcher, q, &plan, Occur::Should)?;
        }
        Ok(results)
    }

    fn run(
        &self,
        searcher: &Searcher,
        q: &Query,
        plan: &[WordPlan],
        words: Occur,
    ) -> Result<Results> {
        let word_clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = plan
            .iter()
            .map(|w| (words, self.word_query(searcher, w)))
            .collect();
        // Beside a Must clause (the visibility filter) Should clauses are optional: the words
        // go in a query of their own, so that a record needs at least one of them.
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(word_clauses)))];
        if let Some(filter) = self.visibility(&q.viewer) {
            clauses.push((Occur::Must, filter));
        }
        let all_kinds =
            BooleanQuery::new(clauses.iter().map(|(o, c)| (*o, c.box_clone())).collect());
        if let Some(kind) = q.kind {
            let term = Term::from_field_text(self.fields.kind, kind.code());
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    0.0,
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let limit = q.limit.clamp(1, 10_000);
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
        })
    }

    /// Whether some document has the alternative as typed (as a whole term, or as the start of
    /// one when it may be unfinished).
    fn exists(&self, searcher: &Searcher, alt: &Alternative) -> bool {
        let in_vocabulary = alt.truncations().iter().any(|form| {
            searcher
                .doc_freq(&Term::from_field_text(self.fields.words, form))
                .is_ok_and(|n| n > 0)
        });
        in_vocabulary
            || self.fields.weighted().iter().any(|&(field, _)| {
                if field == self.fields.latin && !alt.latin {
                    return false;
                }
                let term = Term::from_field_text(field, &alt.term);
                if !alt.prefix {
                    return searcher.doc_freq(&term).is_ok_and(|n| n > 0);
                }
                searcher.segment_readers().iter().any(|segment| {
                    let Ok(inverted) = segment.inverted_index(field) else {
                        return false;
                    };
                    let Ok(mut stream) = inverted
                        .terms()
                        .range()
                        .ge(alt.term.as_bytes())
                        .into_stream()
                    else {
                        return false;
                    };
                    stream.advance() && stream.key().starts_with(alt.term.as_bytes())
                })
            })
    }

    /// One query word: the best of its alternatives in any field, the others adding a little.
    fn word_query(&self, searcher: &Searcher, w: &WordPlan) -> Box<dyn tantivy::query::Query> {
        let mut disjuncts: Vec<Box<dyn tantivy::query::Query>> = Vec::new();
        for alt in &w.alternatives {
            for (field, boost) in self.fields.weighted() {
                if field == self.fields.latin && !alt.latin {
                    continue;
                }
                disjuncts.extend(self.alternative_queries(searcher, field, boost, alt));
            }
            let boost = schema::BOOST_WORDS * alt.weight;
            for form in alt.truncations() {
                disjuncts.push(Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.words, &form),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                )));
            }
            if alt.typos > 0 && !alt.latin {
                let near = FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.words, &alt.word),
                    alt.typos,
                    true,
                );
                disjuncts.extend(self.expanded(
                    searcher,
                    self.fields.words,
                    &near,
                    boost * TYPO_FACTOR,
                ));
            }
        }
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            disjuncts,
            TIE_BREAKER,
        ))
    }

    /// The queries of one alternative in one field: the term itself, scored by BM25, and the
    /// indexed terms within its typos or starting with it, each scored by BM25 too (so that the
    /// records that say a word more often, or in a shorter field, still rank first) at a
    /// discount.
    fn alternative_queries(
        &self,
        searcher: &Searcher,
        field: tantivy::schema::Field,
        boost: f32,
        alt: &Alternative,
    ) -> Vec<Box<dyn tantivy::query::Query>> {
        let term = Term::from_field_text(field, &alt.term);
        let mut out: Vec<Box<dyn tantivy::query::Query>> = vec![Box::new(BoostQuery::new(
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
            boost * alt.weight,
        ))];
        // The allowance is the typed word's, but a stem is shorter: `шоман` is two letters from
        // `шумен` and may not match it through the stems `шом` and `шум`.
        let typos = alt.typos.min(plan::typos_for(alt.term.chars().count()));
        if typos > 0 {
            let near = FuzzyTermQuery::new(term.clone(), typos, true);
            out.extend(self.expanded(searcher, field, &near, boost * alt.weight * TYPO_FACTOR));
        }
        if alt.prefix {
            let longer = FuzzyTermQuery::new_prefix(term, 0, true);
            out.extend(self.expanded(searcher, field, &longer, boost * alt.weight * PREFIX_FACTOR));
        }
        out
    }

    /// The indexed terms of `field` that `pattern` accepts (at most [`MAX_EXPANSIONS`]), as BM25
    /// term queries with `boost`.
    fn expanded(
        &self,
        searcher: &Searcher,
        field: tantivy::schema::Field,
        pattern: &FuzzyTermQuery,
        boost: f32,
    ) -> Vec<Box<dyn tantivy::query::Query>> {
        let mut terms: BTreeSet<Vec<u8>> = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let (Ok(inverted), Ok(automaton)) =
                (segment.inverted_index(field), pattern.automaton())
            else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while terms.len() < MAX_EXPANSIONS && stream.advance() {
                terms.insert(stream.key().to_vec());
            }
        }
        terms
            .into_iter()
            .filter_map(|bytes| String::from_utf8(bytes).ok())
            .map(|t| -> Box<dyn tantivy::query::Query> {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &t),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                ))
            })
            .collect()
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
const MAX_EXPANSIONS: usize = 64;

/// The index's words, as the query planner asks about them.
struct IndexVocabulary<'a> {
    searcher: &'a Searcher,
    field: tantivy::schema::Field,
    seen: RefCell<HashMap<String, bool>>,
}

impl<'a> IndexVocabulary<'a> {
    fn new(searcher: &'a Searcher, field: tantivy::schema::Field) -> Self {
        IndexVocabulary {
            searcher,
            field,
            seen: RefCell::new(HashMap::new()),
        }
    }

    fn lookup(&self, prefix: &str) -> bool {
        self.searcher.segment_readers().iter().any(|segment| {
            let Ok(inverted) = segment.inverted_index(self.field) else {
                return false;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                return false;
            };
            stream.advance() && stream.key().starts_with(prefix.as_bytes())
        })
    }
}

impl Vocabulary for IndexVocabulary<'_> {
    fn has_prefix(&self, prefix: &str) -> bool {
        if let Some(&known) = self.seen.borrow().get(prefix) {
            return known;
        }
        let found = self.lookup(prefix);
        self.seen.borrow_mut().insert(prefix.to_owned(), found);
        found
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
