//! The search text pipeline (`lipa_core::search_text`) on any text, checking what its module
//! documentation promises: byte ranges inside the text, a Cyrillic stem a prefix of its word,
//! the terms of `normalize(text)` the terms of `text`, and no panic in transliteration.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lipa_core::search_text::{Script, analyze, cyrillic_candidates, normalize, terms, to_latin};

fuzz_target!(|text: &str| {
    let tokens = analyze(text);
    for t in &tokens {
        assert!(t.from <= t.to && t.to <= text.len());
        assert!(
            text.get(t.from..t.to).is_some(),
            "a range splits a character"
        );
        if t.script == Script::Cyrillic {
            assert!(
                t.word.starts_with(&t.term),
                "{:?} is not a prefix of {:?}",
                t.term,
                t.word
            );
        }
        if t.script == Script::Latin {
            let _ = cyrillic_candidates(&t.word, |_| true, 8);
        }
    }
    assert_eq!(terms(&normalize(text)), terms(text));
    let _ = to_latin(text);
});
