//! The evaluation as a regression test: the demo queries of `data/search/eval.toml` must keep
//! their precision and recall (`cargo run -p lipa-search --bin search-eval --release` prints the
//! full table, the synthetic network included).

use lipa_search::eval::{Dataset, evaluate_demo, evaluate_synthetic, load_file};

/// Floors a little under what the pipeline reaches today, so that a real regression fails and
/// a tie that reorders one query does not.
const DEMO_P5: f64 = 0.90;
const DEMO_RECALL: f64 = 0.95;
const DEMO_MRR: f64 = 0.90;
const GROUP_P5: f64 = 0.75;

#[tokio::test]
async fn demo_queries_keep_their_precision_and_recall() {
    let file = load_file().unwrap();
    assert!(
        file.query.len() >= 60,
        "the evaluation has {} queries",
        file.query.len()
    );
    let report = evaluate_demo(&file).await.unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let overall = report.of(Dataset::Demo, &file);
    println!("{}\n{}", report.table(), report.misses());
    assert!(
        overall.p5 >= DEMO_P5,
        "P@5 {:.3}\n{}",
        overall.p5,
        report.misses()
    );
    assert!(
        overall.recall >= DEMO_RECALL,
        "recall {:.3}",
        overall.recall
    );
    assert!(overall.mrr >= DEMO_MRR, "MRR {:.3}", overall.mrr);
    for (group, s) in report.by_group() {
        assert!(
            s.p5 >= GROUP_P5,
            "{group}: P@5 {:.3}\n{}",
            s.p5,
            report.misses()
        );
    }
}

#[tokio::test]
async fn a_small_synthetic_network_is_searchable() {
    let file = load_file().unwrap();
    let report = evaluate_synthetic(&file, 300).await.unwrap();
    let s = report.of(Dataset::Synthetic, &file);
    println!("{}\n{}", report.table(), report.misses());
    assert!(s.queries >= 15, "{} synthetic queries ran", s.queries);
    assert!(
        s.recall >= 0.9,
        "recall {:.3}\n{}",
        s.recall,
        report.misses()
    );
    assert!(s.p5 >= 0.8, "P@5 {:.3}\n{}", s.p5, report.misses());
}
