//! The evaluation as a regression test: the queries of `data/search/eval.toml` must keep their
//! precision and recall (`cargo run -p lipa-search --bin search-eval --release` prints the full
//! table, per class and data set, on a synthetic network of 2,000 libraries).

use lipa_search::eval::{Dataset, evaluate_demo, evaluate_synthetic, load_file};

/// Issue 14 (`cargo run -p lipa-search --bin search-eval`, 2,000 synthetic libraries), nP@5
/// before → after: adjective 0.475 → 0.990, mixed-script 0.643 → 0.986, suggestion 0.333 →
/// 1.000, collision negatives 0/3 → 3/3; no other class lower. The per-class floor below holds
/// every class of the demo data, the new ones included.
///
/// Floors a little under what the pipeline reaches today (demo: P@5 0.321 of a ceiling of 0.32,
/// nP@5 1.000, R@20 1.000, MRR 0.985, negatives 13/13), so that a real regression fails and a
/// tie that reorders one query does not.
const DEMO_P5: f64 = 0.30;
const DEMO_NP5: f64 = 0.95;
const DEMO_RECALL: f64 = 0.97;
const DEMO_MRR: f64 = 0.95;
/// Per class, on the demo data.
const CLASS_NP5: f64 = 0.85;

/// The classes the issues name, each with queries on both data sets: at least this many on the
/// demo data and on the synthetic network.
const CLASSES: &[(&str, usize, usize)] = &[
    ("cyrillic", 8, 4),
    ("latin-official", 8, 4),
    ("latin-informal", 8, 4),
    ("typo-1", 8, 4),
    ("typo-2", 8, 4),
    ("inflected", 8, 4),
    ("mixed", 8, 4),
    ("prefix", 8, 4),
    ("negative", 8, 4),
    // Issue 14.
    ("adjective", 8, 30),
    ("mixed-script", 8, 4),
    ("collision", 0, 4),
    ("suggestion", 8, 4),
];

#[test]
fn every_class_has_queries_on_both_data_sets() {
    let file = load_file().unwrap();
    assert!(file.query.len() >= 60, "{} queries", file.query.len());
    for &(class, demo, synthetic) in CLASSES {
        for (dataset, least) in [(Dataset::Demo, demo), (Dataset::Synthetic, synthetic)] {
            let n = file
                .query
                .iter()
                .filter(|q| q.group == class && q.dataset == dataset)
                .count();
            assert!(n >= least, "{class} on {dataset:?}: {n} queries");
        }
    }
    for q in &file.query {
        assert!(
            CLASSES.iter().any(|(c, _, _)| *c == q.group),
            "{:?}: {}",
            q.q,
            q.group
        );
    }
}

/// The adjectives of the synthetic queries name places in every district.
#[test]
fn adjectives_cover_every_district() {
    use lipa_core::geo::Gazetteer;
    let file = load_file().unwrap();
    let g = Gazetteer::get();
    let mut districts = std::collections::BTreeSet::new();
    let mut places = std::collections::BTreeSet::new();
    for q in file.query.iter().filter(|q| q.group == "adjective") {
        let Some(name) = q.relevant.as_ref().and_then(|r| r.settlement.clone()) else {
            continue;
        };
        for s in g.settlements().iter().filter(|s| s.name_bg == name) {
            if s.kind.abbr_bg() == "гр." {
                districts.insert(s.district.as_str().to_owned());
            }
        }
        places.insert(name);
    }
    assert!(places.len() >= 30, "{} places", places.len());
    // 28 districts; Sofia city and Sofia district share their centre.
    assert!(districts.len() >= 27, "{districts:?}");
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
    // „Руса“ no longer meets „Русе“: place names are kept whole (issue 14).
    assert!(
        s.negatives_passed == s.negatives,
        "negative queries\n{}",
        report.misses()
    );
}
