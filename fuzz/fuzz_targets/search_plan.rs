//! The search query planner (`lipa_search::plan`) on any query and three vocabularies (none,
//! everything, a few words of the demo), checking what its module documentation promises: at
//! most `MAX_WORDS` words of the first `MAX_QUERY_CHARS` characters, each typed word planned
//! once with at least one alternative, weights in (0, 1], at most two typos, and the truncations
//! of an alternative prefixes of its word.
//!
//! The first byte of an input picks the vocabulary; the rest is the query (UTF-8).
//!
//! `plan.rs` is compiled in from the search crate's source rather than through a dependency on
//! `lipa-search`: it needs only `lipa-core`, and the crate would bring tantivy and the store
//! (sqlx) into every fuzz build.
#![no_main]

#[path = "../../crates/search/src/plan.rs"]
mod plan;

use libfuzzer_sys::fuzz_target;
use plan::{MAX_QUERY_CHARS, MAX_WORDS, Vocabulary, bounded, plan, typos_for};

const DEMO_WORDS: [&str; 6] = [
    "кюстендил",
    "библиотека",
    "читалище",
    "дупница",
    "жиленци",
    "овощари",
];

fn check(query: &str, vocabulary: &dyn Vocabulary) {
    let plans = plan(query, vocabulary);
    assert!(plans.len() <= MAX_WORDS, "{} words", plans.len());
    assert!(bounded(query).chars().count() <= MAX_QUERY_CHARS);
    assert_eq!(plans, plan(bounded(query), vocabulary));
    for (i, p) in plans.iter().enumerate() {
        assert!(
            plans[..i].iter().all(|q| q.typed != p.typed),
            "{:?} planned twice",
            p.typed
        );
        assert!(
            !p.alternatives.is_empty(),
            "{:?} has no alternative",
            p.typed
        );
        for a in &p.alternatives {
            assert!(
                a.weight > 0.0 && a.weight <= 1.0,
                "{:?}: weight {}",
                a.term,
                a.weight
            );
            assert!(
                a.typos <= typos_for(usize::MAX),
                "{:?}: {} typos",
                a.term,
                a.typos
            );
            let truncations = a.truncations();
            for pair in truncations.windows(2) {
                assert!(pair[0].len() < pair[1].len());
            }
            for t in &truncations {
                assert!(
                    a.word.starts_with(t.as_str()),
                    "{t:?} is not a prefix of {:?}",
                    a.word
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 3 {
        0 => check(query, &|_: &str| false),
        1 => check(query, &|_: &str| true),
        _ => check(query, &|p: &str| {
            DEMO_WORDS.iter().any(|w| w.starts_with(p))
        }),
    }
});
