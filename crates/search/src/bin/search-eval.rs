//! Prints the search evaluation: precision at 5, recall at 20 and MRR per class of query, per
//! data set and overall, on the demo data and on a synthetic network (`data/search/eval.toml`),
//! and how many negative queries found nothing they must not (definitions: `eval::DEFINITIONS`).
//!
//! ```text
//! cargo run -p lipa-search --features eval --bin search-eval --release [-- --libraries 2000] [--misses]
//! cargo run -p lipa-search --features eval --bin search-eval --release -- --demo "kiustendil"   # one query
//! ```

use lipa_search::eval;
use lipa_search::{Query, SearchIndex};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(q) = value("--demo") {
        let store = eval::demo_store().await?;
        let index = SearchIndex::open_in_ram()?;
        index.rebuild(&store).await?;
        let results = index.search(&Query::new(q).limit(15))?;
        for h in &results.hits {
            println!(
                "{:>7.3} {}:{} lib {:?} {}\n        {}",
                h.score,
                h.kind.code(),
                h.id,
                h.library_id,
                h.title,
                h.snippet_html
            );
        }
        println!(
            "total {} facets {:?} suggestions {:?} cost {:?}",
            results.total, results.facets, results.suggestions, results.cost
        );
        return Ok(());
    }
    let libraries: usize = value("--libraries")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(2000);
    let file = eval::load_file()?;
    let started = std::time::Instant::now();
    let mut report = eval::evaluate_demo(&file).await?;
    let synthetic = eval::evaluate_synthetic(&file, libraries).await?;
    report.scores.extend(synthetic.scores);
    report.skipped.extend(synthetic.skipped);
    println!(
        "lipa search evaluation ({} queries; synthetic network of {libraries} libraries, seed {})\n",
        report.scores.len(),
        eval::SEED
    );
    print!("{}", report.table());
    if !report.skipped.is_empty() {
        println!(
            "skipped (nothing to find in this network): {:?}",
            report.skipped
        );
    }
    if args.iter().any(|a| a == "--misses") {
        println!("\n{}", report.misses());
    }
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}
