//! The evaluation as a regression test: the queries of `data/search/eval.toml` must keep their
//! precision and recall (`cargo run -p lipa-search --bin search-eval --release` prints the full
//! table, per class and data set, on a synthetic network of 2,000 libraries).

use lipa_search::eval::{Dataset, evaluate_demo, evaluate_synthetic, load_file};

/// Floors a little under what the pipeline reaches today (demo: P@5 0.321 of a ceiling of 0.32,
/// nP@5 1.000, R@20 1.000, MRR 0.985, negatives 13/13), so that a real regression fails and a
/// tie that reorders one query does not.
const DEMO_P5: f64 = 0.30;
const DEMO_NP5: f64 = 0.95;
const DEMO_RECALL: f64 = 0.97;
const DEMO_MRR: f64 = 0.95;
/// Per class, on the demo data.
const CLASS_NP5: f64 = 0.85;

/// The classes the issue names, each with queries on both data sets.
const CLASSES: &[&str] = &[
    "cyrillic",
    "latin-official",
    "latin-informal",
    "typo-1",
    "typo-2",
    "inflected",
    "mixed",
    "prefix",
    "negative",
];

#[test]
fn every_class_has_queries_on_both_data_sets() {
    let file = load_file().unwrap();
    assert!(file.query.len() >= 60, "{} queries", file.query.len());
    for class in CLASSES {
        for dataset in [Dataset::Demo, Dataset::Synthetic] {
            let n = file
                .query
                .iter()
                .filter(|q| q.group == *class && q.dataset == dataset)
                .count();
            let least = if dataset == Dataset::Demo { 8 } else { 4 };
            assert!(n >= least, "{class} on {dataset:?}: {n} queries");
        }
    }
    for q in &file.query {
        assert!(
            CLASSES.contains(&q.group.as_str()),
            "{:?}: {}",
            q.q,
            q.group
        );
    }
}

#[tokio::test]
async fn demo_queries_keep_their_precision_and_recall() {
    let file = load_file().unwrap();
    let report = evaluate_demo(&file).await.unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let overall = report.of(Dataset::Demo);
    println!("{}\n{}", report.table(), report.misses());
    assert!(overall.p5 >= DEMO_P5, "P@5 {:.3}", overall.p5);
    assert!(
        overall.np5 >= DEMO_NP5,
        "nP@5 {:.3}\n{}",
        overall.np5,
        report.misses()
    );
    assert!(overall.recall >= DEMO_RECALL, "R@20 {:.3}", overall.recall);
    assert!(overall.mrr >= DEMO_MRR, "MRR {:.3}", overall.mrr);
    assert_eq!(
        overall.negatives_passed,
        overall.negatives,
        "negative queries\n{}",
        report.misses()
    );
    for (class, s) in report.by_group() {
        if s.queries > 0 {
            assert!(
                s.np5 >= CLASS_NP5,
                "{class}: nP@5 {:.3}\n{}",
                s.np5,
                report.misses()
            );
        }
    }
}

#[tokio::test]
async fn a_small_synthetic_network_is_searchable() {
    let file = load_file().unwrap();
    let report = evaluate_synthetic(&file, 300).await.unwrap();
    let s = report.of(Dataset::Synthetic);
    println!("{}\n{}", report.table(), report.misses());
    assert!(s.queries >= 30, "{} synthetic queries ran", s.queries);
    assert!(
        s.recall_all >= 0.95,
        "R@all {:.3}\n{}",
        s.recall_all,
        report.misses()
    );
    assert!(s.np5 >= 0.85, "nP@5 {:.3}\n{}", s.np5, report.misses());
    assert!(s.mrr >= 0.85, "MRR {:.3}\n{}", s.mrr, report.misses());
    // One known failure: „Руса“ stems like „Русе“ (a stemmer's collision, not a typo).
    assert!(
        s.negatives_passed + 1 >= s.negatives,
        "negative queries\n{}",
        report.misses()
    );
}
