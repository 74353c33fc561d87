//! The search evaluation: the queries of `data/search/eval.toml`, each with the records it must
//! find, run against the demo data (the Kyustendil 2012 report) and a synthetic network
//! ([`crate::synthetic`]), scored per group and overall.
//!
//! Measures, per query with the set R of records it must find:
//! - **P@5** — how many of R are among the first five hits, over min(5, |R|): 1 when the first
//!   five hold all of R or five of it (plain P@5 would cap a query with one answer at 0.2);
//! - **recall** — how many of R are found at all;
//! - **MRR** — 1 / the rank of the first hit in R (0 when none is found).
//!
//! Queries run as an anonymous visitor: what they must find is published (drafts are not).

use crate::{Kind, Query, Results, SearchIndex};
use anyhow::Context;
use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::geo::Gazetteer;
use lipa_store::Store;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The evaluation file, compiled in so that the test and the binary read the same queries.
pub const EVAL_TOML: &str = include_str!("../../../data/search/eval.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct EvalFile {
    pub query: Vec<EvalQuery>,
}

/// Which data a query runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dataset {
    #[default]
    Demo,
    Synthetic,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuery {
    pub group: String,
    #[serde(default)]
    pub dataset: Dataset,
    pub q: String,
    /// Only hits of this kind (`library`, `service`, …).
    #[serde(default)]
    pub kind: Option<String>,
    /// The records to find, by reference: `library:705`, `service@719` (a service of library
    /// 719), `partner=Районна здравна инспекция – Кюстендил` (by title).
    #[serde(default)]
    pub expect: Vec<String>,
    /// The records to find, by rule (synthetic data).
    #[serde(default)]
    pub relevant: Option<Relevant>,
}

/// A rule that picks the records a query must find in the synthetic network.
#[derive(Debug, Clone, Deserialize)]
pub struct Relevant {
    /// `library` or `service`.
    pub kind: String,
    /// Settlement name (Bulgarian), every settlement of that name.
    #[serde(default)]
    pub settlement: Option<String>,
    /// Municipality name (Bulgarian).
    #[serde(default)]
    pub municipality: Option<String>,
    /// A service template ID ([`crate::synthetic::TEMPLATES`]).
    #[serde(default)]
    pub template: Option<String>,
    /// The name of the library's chitalishte (`Христо Ботев`).
    #[serde(default)]
    pub chitalishte: Option<String>,
}

/// A record a query must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Id(Kind, i64),
    /// Any service of this library.
    ServiceOf(u32),
    Title(Kind, String),
}

impl Ref {
    pub fn parse(s: &str) -> Option<Ref> {
        if let Some(lib) = s.strip_prefix("service@") {
            return lib.parse().ok().map(Ref::ServiceOf);
        }
        if let Some((kind, title)) = s.split_once('=') {
            return Kind::from_code(kind).map(|k| Ref::Title(k, title.to_owned()));
        }
        let (kind, id) = s.split_once(':')?;
        Some(Ref::Id(Kind::from_code(kind)?, id.parse().ok()?))
    }

    fn found_by(&self, hit: &crate::Hit) -> bool {
        match self {
            Ref::Id(kind, id) => hit.kind == *kind && hit.id == *id,
            Ref::ServiceOf(lib) => hit.kind == Kind::Service && hit.library_id == Some(*lib),
            Ref::Title(kind, title) => hit.kind == *kind && hit.title == *title,
        }
    }
}

/// The scores of one query.
#[derive(Debug, Clone)]
pub struct Scored {
    pub group: String,
    pub q: String,
    pub relevant: usize,
    pub p5: f64,
    pub recall: f64,
    pub rr: f64,
    /// Titles of the first five hits, for the report of misses.
    pub top: Vec<String>,
}

/// Scores a result list against the records it must find.
pub fn score(group: &str, q: &str, refs: &[Ref], results: &Results) -> Scored {
    let mut first_rank: Vec<Option<usize>> = vec![None; refs.len()];
    for (rank, hit) in results.hits.iter().enumerate() {
        // Each hit answers at most one record, each record is answered once.
        if let Some(i) = (0..refs.len()).find(|&i| first_rank[i].is_none() && refs[i].found_by(hit))
        {
            first_rank[i] = Some(rank);
        }
    }
    let n = refs.len().max(1) as f64;
    let in_top5 = first_rank.iter().flatten().filter(|&&r| r < 5).count() as f64;
    let found = first_rank.iter().flatten().count() as f64;
    let best = first_rank.iter().flatten().min();
    Scored {
        group: group.to_owned(),
        q: q.to_owned(),
        relevant: refs.len(),
        p5: in_top5 / (refs.len().clamp(1, 5) as f64),
        recall: found / n,
        rr: best.map_or(0.0, |r| 1.0 / (*r as f64 + 1.0)),
        top: results
            .hits
            .iter()
            .take(5)
            .map(|h| format!("{}:{} {}", h.kind.code(), h.id, h.title))
            .collect(),
    }
}

/// Averages of a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub queries: usize,
    pub p5: f64,
    pub recall: f64,
    pub mrr: f64,
}

pub fn summarize<'a>(scores: impl IntoIterator<Item = &'a Scored>) -> Summary {
    let mut s = Summary::default();
    for q in scores {
        s.queries += 1;
        s.p5 += q.p5;
        s.recall += q.recall;
        s.mrr += q.rr;
    }
    if s.queries > 0 {
        let n = s.queries as f64;
        s.p5 /= n;
        s.recall /= n;
        s.mrr /= n;
    }
    s
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub scores: Vec<Scored>,
    /// Queries skipped because their rule picked no record (a smaller synthetic network).
    pub skipped: Vec<String>,
}

impl Report {
    pub fn by_group(&self) -> BTreeMap<String, Summary> {
        let mut groups: BTreeMap<String, Vec<&Scored>> = BTreeMap::new();
        for s in &self.scores {
            groups.entry(s.group.clone()).or_default().push(s);
        }
        groups.into_iter().map(|(g, v)| (g, summarize(v))).collect()
    }

    pub fn overall(&self) -> Summary {
        summarize(&self.scores)
    }

    /// Scores of the queries on one data set.
    pub fn of(&self, dataset: Dataset, file: &EvalFile) -> Summary {
        summarize(self.scores.iter().filter(|s| {
            file.query
                .iter()
                .any(|q| q.q == s.q && q.group == s.group && q.dataset == dataset)
        }))
    }

    /// The report as a text table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<22} {:>7} {:>6} {:>7} {:>6}\n",
            "group", "queries", "P@5", "recall", "MRR"
        );
        let line = |name: &str, s: &Summary| {
            format!(
                "{:<22} {:>7} {:>6.3} {:>7.3} {:>6.3}\n",
                name, s.queries, s.p5, s.recall, s.mrr
            )
        };
        for (g, s) in self.by_group() {
            out.push_str(&line(&g, &s));
        }
        out.push_str(&line("overall", &self.overall()));
        out
    }

    /// The queries that missed something in their first five, with what came instead.
    pub fn misses(&self) -> String {
        let mut out = String::new();
        for s in self.scores.iter().filter(|s| s.p5 < 1.0) {
            out.push_str(&format!(
                "[{}] {:?}: P@5 {:.2}, recall {:.2} ({} to find)\n",
                s.group, s.q, s.p5, s.recall, s.relevant
            ));
            for t in &s.top {
                out.push_str(&format!("    {t}\n"));
            }
        }
        out
    }
}

pub fn load_file() -> anyhow::Result<EvalFile> {
    toml::from_str(EVAL_TOML).context("data/search/eval.toml")
}

/// A fresh test store ([`Store::open_test`]: in-memory SQLite or a PostgreSQL database) holding the demo data.
pub async fn demo_store() -> anyhow::Result<Store> {
    let store = Store::open_test().await?;
    let registry = lipa_io::demo::load().map_err(|e| anyhow::anyhow!("demo data: {e}"))?;
    let mut first = lipa_io::preview::plan(&registry, &[], &[]).changes;
    // The store writes persons before libraries, and a demo person works at a demo library:
    // people and the event go in a second set, after the libraries.
    let second = ChangeSet {
        new_persons: std::mem::take(&mut first.new_persons),
        new_events: std::mem::take(&mut first.new_events),
        ..Default::default()
    };
    let actor = Actor("eval".into());
    store.apply(&actor, "demo", &first).await?;
    store.apply(&actor, "demo", &second).await?;
    Ok(store)
}

/// A fresh test store ([`Store::open_test`]: in-memory SQLite or a PostgreSQL database) holding a synthetic network of `libraries` libraries.
pub async fn synthetic_store(
    libraries: usize,
    seed: u64,
) -> anyhow::Result<(Store, crate::synthetic::StoredNetwork)> {
    let store = Store::open_test().await?;
    let network = crate::synthetic::network(libraries, seed);
    let applied = store
        .apply(&Actor("eval".into()), "synthetic", &network.changes())
        .await?;
    Ok((
        store,
        crate::synthetic::StoredNetwork {
            network,
            service_ids: applied.services_created,
        },
    ))
}

/// The records a rule picks in a synthetic network (published ones only).
pub fn relevant_refs(rule: &Relevant, stored: &crate::synthetic::StoredNetwork) -> Vec<Ref> {
    let g = Gazetteer::get();
    let place_ok = |ekatte: &str| -> bool {
        let Some(s) = g.settlement(ekatte) else {
            return false;
        };
        let m = g.municipality(s.municipality.as_str());
        rule.settlement.as_ref().is_none_or(|n| *n == s.name_bg)
            && rule
                .municipality
                .as_ref()
                .is_none_or(|n| m.is_some_and(|m| m.name_bg == *n))
    };
    let net = &stored.network;
    match rule.kind.as_str() {
        "library" => net
            .libraries
            .iter()
            .filter(|l| place_ok(l.settlement.as_str()))
            .filter(|l| {
                rule.chitalishte
                    .as_ref()
                    .is_none_or(|n| l.chitalishte.as_ref().is_some_and(|c| c.name == *n))
            })
            .map(|l| Ref::Id(Kind::Library, i64::from(l.id.get())))
            .collect(),
        "service" => net
            .services
            .iter()
            .zip(&stored.service_ids)
            .filter(|((s, t), _)| {
                s.status.is_published()
                    && rule
                        .template
                        .as_ref()
                        .is_none_or(|id| crate::synthetic::TEMPLATES[*t].id == id)
                    && net
                        .libraries
                        .iter()
                        .find(|l| l.id == s.library)
                        .is_some_and(|l| place_ok(l.settlement.as_str()))
            })
            .map(|(_, id)| Ref::Id(Kind::Service, *id))
            .collect(),
        _ => Vec::new(),
    }
}

/// Runs the queries of one data set against `index` and scores them into `report`.
pub fn run(
    index: &SearchIndex,
    file: &EvalFile,
    dataset: Dataset,
    network: Option<&crate::synthetic::StoredNetwork>,
    report: &mut Report,
) -> anyhow::Result<()> {
    for q in file.query.iter().filter(|q| q.dataset == dataset) {
        let mut refs: Vec<Ref> = q
            .expect
            .iter()
            .map(|r| Ref::parse(r).with_context(|| format!("bad reference {r:?} in {:?}", q.q)))
            .collect::<anyhow::Result<_>>()?;
        if let (Some(rule), Some(net)) = (&q.relevant, network) {
            refs.extend(relevant_refs(rule, net));
        }
        if refs.is_empty() {
            report.skipped.push(q.q.clone());
            continue;
        }
        let mut query = Query::new(&q.q).limit(10_000);
        if let Some(k) = &q.kind {
            query = query.kind(Kind::from_code(k).with_context(|| format!("bad kind {k:?}"))?);
        }
        let results = index.search(&query)?;
        report.scores.push(score(&q.group, &q.q, &refs, &results));
    }
    Ok(())
}

/// The evaluation of the demo data set alone (what the test pins).
pub async fn evaluate_demo(file: &EvalFile) -> anyhow::Result<Report> {
    let store = demo_store().await?;
    let index = SearchIndex::open_in_ram()?;
    index.rebuild(&store).await?;
    let mut report = Report::default();
    run(&index, file, Dataset::Demo, None, &mut report)?;
    Ok(report)
}

/// The evaluation of a synthetic network of `libraries` libraries.
pub async fn evaluate_synthetic(file: &EvalFile, libraries: usize) -> anyhow::Result<Report> {
    let (store, network) = synthetic_store(libraries, SEED).await?;
    let index = SearchIndex::open_in_ram()?;
    index.rebuild(&store).await?;
    let mut report = Report::default();
    run(
        &index,
        file,
        Dataset::Synthetic,
        Some(&network),
        &mut report,
    )?;
    Ok(report)
}

/// The seed of the synthetic network the evaluation uses.
pub const SEED: u64 = 2012;
