//! The legacy plain-text table importer on any bytes: encoding detection, then the table parser.
//! It may refuse the input, never panic or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lipa_io::legacy::{LegacyOptions, read};
use std::sync::LazyLock;

static CATEGORIES: LazyLock<Vec<lipa_core::taxonomy::Category>> =
    LazyLock::new(lipa_core::taxonomy::default_categories);

fuzz_target!(|bytes: &[u8]| {
    if let Ok((table, _)) = read(bytes, &CATEGORIES, &LegacyOptions::default()) {
        // What reads is records with their lines, each within the input.
        let lines = bytes.len() + 1;
        assert!(table.libraries.iter().all(|l| l.line <= lines));
    }
});
