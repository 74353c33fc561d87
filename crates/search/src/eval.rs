//! The search evaluation: the queries of `data/search/eval.toml`, each with the records it must
//! find (or must not), run against the demo data (the Kyustendil 2012 report) and a synthetic
//! network ([`crate::synthetic`]), scored per class of query, per data set and overall.
//!
//! Measures, per query with the set R of records it must find (see [`DEFINITIONS`]):
//! - **P@5** — relevant hits among the first five / 5: the textbook measure; a query with one
//!   record to find reaches at most 0.2, so it is read beside the ceiling it could reach;
//! - **nP@5** — relevant among the first five / min(5, |R|): 1 when the first five are as good as
//!   they can be;
//! - **R@20** — relevant among the first [`RECALL_AT`] hits (what the API answers by default) / |R|;
//! - **R@all** — relevant found at any rank / |R|: what the matching finds, ranking aside (a
//!   synthetic query with 150 records to find cannot reach R@20 above 0.13);
//! - **MRR** — 1 / the rank of the first relevant hit (0 when none is among the first 20).
//!
//! A negative query (`reject` or `expect_none`) is not scored on those: it passes when none of
//! the records it rejects is among the hits (at any rank), and, with `expect_none`, when there is
//! no hit at all. Negative queries are counted apart, so they neither raise nor lower the means.
//!
//! A query marked `via_suggestion` (a query that finds nothing as typed) is scored on what its
//! first "did you mean" suggestion finds: the link a person would follow.
//!
//! Queries run as an anonymous visitor, as the API answers them (the last word may be a prefix):
//! what they must find is published (drafts are not).

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Default)]
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
    /// A negative query: records that must not be found (a typo past the allowance).
    #[serde(default)]
    pub reject: Vec<String>,
    /// A negative query: nothing at all may be found (nonsense).
    #[serde(default)]
    pub expect_none: bool,
    /// Records rejected by rule (synthetic data).
    #[serde(default)]
    pub reject_relevant: Option<Relevant>,
    /// A query that finds nothing as typed: it is scored by what its first "did you mean"
    /// suggestion finds (as a person would follow the link; a query that finds something is
    /// scored as it is).
    #[serde(default)]
    pub via_suggestion: bool,
}

impl EvalQuery {
    pub fn is_negative(&self) -> bool {
        self.expect_none || !self.reject.is_empty() || self.reject_relevant.is_some()
    }
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

/// Hits counted by R@20 and MRR: what `/api/v1/search` answers by default.
pub const RECALL_AT: usize = 20;

/// The definitions printed above the figures.
pub const DEFINITIONS: &str = "\
P@5   = relevant hits among the first 5 / 5 (one record to find caps it at 0.2; see ceil)
ceil  = the best P@5 the group could reach: mean of min(5, |R|) / 5
nP@5  = relevant hits among the first 5 / min(5, |R|)
R@20  = relevant hits among the first 20 / |R| (R: all the records the query must find)
R@all = relevant hits at any rank / |R| (what the matching finds, ranking aside)
MRR   = mean of 1 / rank of the first relevant hit (0 if none in the first 20)
neg   = negative queries passed / run: no rejected record among the hits (nonsense: no hit at all)
";

/// The scores of one query.
#[derive(Debug, Clone)]
pub struct Scored {
    pub group: String,
    pub dataset: Dataset,
    pub q: String,
    pub relevant: usize,
    /// Relevant among the first five, over 5.
    pub p5: f64,
    /// The best `p5` this query could reach.
    pub p5_ceiling: f64,
    /// Relevant among the first five, over min(5, |R|).
    pub np5: f64,
    pub recall: f64,
    pub recall_all: f64,
    pub rr: f64,
    /// `Some(passed)` for a negative query (then the measures above are not counted).
    pub negative: Option<bool>,
    /// Titles of the first five hits, for the report of misses.
    pub top: Vec<String>,
}

fn top5(results: &Results) -> Vec<String> {
    results
        .hits
        .iter()
        .take(5)
        .map(|h| format!("{}:{} {}", h.kind.code(), h.id, h.title))
        .collect()
}

/// Scores a result list against the records it must find.
pub fn score(group: &str, dataset: Dataset, q: &str, refs: &[Ref], results: &Results) -> Scored {
    let mut first_rank: Vec<Option<usize>> = vec![None; refs.len()];
    for (rank, hit) in results.hits.iter().enumerate() {
        // Each hit answers at most one record, each record is answered once.
        if let Some(i) = (0..refs.len()).find(|&i| first_rank[i].is_none() && refs[i].found_by(hit))
        {
            first_rank[i] = Some(rank);
        }
    }
    let n = refs.len().max(1) as f64;
    let ranks = || first_rank.iter().flatten();
    let in_top5 = ranks().filter(|&&r| r < 5).count() as f64;
    let in_top_k = ranks().filter(|&&r| r < RECALL_AT).count() as f64;
    let best = ranks().filter(|&&r| r < RECALL_AT).min();
    let reachable = refs.len().clamp(1, 5) as f64;
    Scored {
        group: group.to_owned(),
        dataset,
        q: q.to_owned(),
        relevant: refs.len(),
        p5: in_top5 / 5.0,
        p5_ceiling: reachable / 5.0,
        np5: in_top5 / reachable,
        recall: in_top_k / n,
        recall_all: ranks().count() as f64 / n,
        rr: best.map_or(0.0, |r| 1.0 / (*r as f64 + 1.0)),
        negative: None,
        top: top5(results),
    }
}

/// Scores a negative query: passed when no rejected record is among the hits and, when
/// `expect_none`, when there is no hit at all.
pub fn score_negative(
    group: &str,
    dataset: Dataset,
    q: &str,
    rejected: &[Ref],
    expect_none: bool,
    results: &Results,
) -> Scored {
    let found_rejected = results
        .hits
        .iter()
        .any(|h| rejected.iter().any(|r| r.found_by(h)));
    let found_any = expect_none && results.total > 0;
    let passed = !(found_rejected || found_any);
    Scored {
        group: group.to_owned(),
        dataset,
        q: q.to_owned(),
        relevant: 0,
        p5: 0.0,
        p5_ceiling: 0.0,
        np5: 0.0,
        recall: 0.0,
        recall_all: 0.0,
        rr: 0.0,
        negative: Some(passed),
        top: top5(results),
    }
}

/// Averages of a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Positive queries (those the means are over).
    pub queries: usize,
    pub p5: f64,
    pub p5_ceiling: f64,
    pub np5: f64,
    pub recall: f64,
    pub recall_all: f64,
    pub mrr: f64,
    pub negatives: usize,
    pub negatives_passed: usize,
}

pub fn summarize<'a>(scores: impl IntoIterator<Item = &'a Scored>) -> Summary {
    let mut s = Summary::default();
    for q in scores {
        match q.negative {
            Some(passed) => {
                s.negatives += 1;
                s.negatives_passed += usize::from(passed);
            }
            None => {
                s.queries += 1;
                s.p5 += q.p5;
                s.p5_ceiling += q.p5_ceiling;
                s.np5 += q.np5;
                s.recall += q.recall;
                s.recall_all += q.recall_all;
                s.mrr += q.rr;
            }
        }
    }
    if s.queries > 0 {
        let n = s.queries as f64;
        s.p5 /= n;
        s.p5_ceiling /= n;
        s.np5 /= n;
        s.recall /= n;
        s.recall_all /= n;
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
    /// Figures per class of query (the `group` of the file), both data sets together.
    pub fn by_group(&self) -> BTreeMap<String, Summary> {
        self.grouped(|s| s.group.clone())
    }

    /// Figures per class and data set.
    pub fn by_group_and_dataset(&self) -> BTreeMap<(String, Dataset), Summary> {
        self.grouped(|s| (s.group.clone(), s.dataset))
    }

    fn grouped<K: Ord>(&self, key: impl Fn(&Scored) -> K) -> BTreeMap<K, Summary> {
        let mut groups: BTreeMap<K, Vec<&Scored>> = BTreeMap::new();
        for s in &self.scores {
            groups.entry(key(s)).or_default().push(s);
        }
        groups.into_iter().map(|(g, v)| (g, summarize(v))).collect()
    }

    pub fn overall(&self) -> Summary {
        summarize(&self.scores)
    }

    /// Scores of the queries on one data set.
    pub fn of(&self, dataset: Dataset) -> Summary {
        summarize(self.scores.iter().filter(|s| s.dataset == dataset))
    }

    /// The report as a text table: the definitions, then a row per class and data set, per
    /// class, per data set and overall.
    pub fn table(&self) -> String {
        let mut out = format!("{DEFINITIONS}\n");
        out.push_str(&format!(
            "{:<26} {:>4} {:>6} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6}\n",
            "class / data", "n", "P@5", "ceil", "nP@5", "R@20", "R@all", "MRR", "neg"
        ));
        let line = |name: &str, s: &Summary| {
            let neg = if s.negatives > 0 {
                format!("{}/{}", s.negatives_passed, s.negatives)
            } else {
                "-".to_owned()
            };
            if s.queries == 0 {
                return format!(
                    "{name:<26} {:>4} {:>6} {:>5} {:>6} {:>6} {:>6} {:>6} {neg:>6}\n",
                    0, "-", "-", "-", "-", "-", "-"
                );
            }
            format!(
                "{:<26} {:>4} {:>6.3} {:>5.2} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {neg:>6}\n",
                name, s.queries, s.p5, s.p5_ceiling, s.np5, s.recall, s.recall_all, s.mrr
            )
        };
        for ((g, d), s) in self.by_group_and_dataset() {
            out.push_str(&line(&format!("{g} / {}", d.name()), &s));
        }
        out.push('\n');
        for (g, s) in self.by_group() {
            out.push_str(&line(&g, &s));
        }
        out.push('\n');
        for d in [Dataset::Demo, Dataset::Synthetic] {
            out.push_str(&line(&format!("all / {}", d.name()), &self.of(d)));
        }
        out.push_str(&line("overall", &self.overall()));
        out
    }

    /// The queries that missed something in their first five (or at all), and
    /// the negative queries that failed, with what came instead.
    pub fn misses(&self) -> String {
        let mut out = String::new();
        for s in &self.scores {
            match s.negative {
                Some(true) => continue,
                Some(false) => out.push_str(&format!(
                    "[{} / {}] {:?}: negative query FAILED\n",
                    s.group,
                    s.dataset.name(),
                    s.q
                )),
                None if s.np5 < 1.0 || s.recall_all < 1.0 => out.push_str(&format!(
                    "[{} / {}] {:?}: nP@5 {:.2}, R@20 {:.2}, R@all {:.2} ({} to find)\n",
                    s.group,
                    s.dataset.name(),
                    s.q,
                    s.np5,
                    s.recall,
                    s.recall_all,
                    s.relevant
                )),
                None => continue,
            }
            for t in &s.top {
                out.push_str(&format!("    {t}\n"));
            }
        }
        out
    }
}

impl Dataset {
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Demo => "demo",
            Dataset::Synthetic => "synthetic",
        }
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
            .map(|(_, id)| Ref::Id(Kind::Service, id.get()))
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_refs(refs: &[String], q: &str) -> anyhow::Result<Vec<Ref>> {
    refs.iter()
        .map(|r| Ref::parse(r).with_context(|| format!("bad reference {r:?} in {q:?}")))
        .collect()
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
        let mut refs = parse_refs(&q.expect, &q.q)?;
        let mut rejected = parse_refs(&q.reject, &q.q)?;
        if let Some(net) = network {
            if let Some(rule) = &q.relevant {
                refs.extend(relevant_refs(rule, net));
            }
            if let Some(rule) = &q.reject_relevant {
                rejected.extend(relevant_refs(rule, net));
            }
        }
        let negative = q.is_negative();
        if (!negative && refs.is_empty()) || (!q.expect_none && negative && rejected.is_empty()) {
            report.skipped.push(q.q.clone());
            continue;
        }
        let mut query = Query::new(&q.q).limit(10_000);
        if let Some(k) = &q.kind {
            query = query.kind(Kind::from_code(k).with_context(|| format!("bad kind {k:?}"))?);
        }
        let mut results = index.search(&query)?;
        if q.via_suggestion
            && let (0, Some(s)) = (results.total, results.suggestions.first())
        {
            results = index.search(&Query {
                text: s.clone(),
                ..query.clone()
            })?;
        }
        report.scores.push(if negative {
            score_negative(&q.group, dataset, &q.q, &rejected, q.expect_none, &results)
        } else {
            score(&q.group, dataset, &q.q, &refs, &results)
        });
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
