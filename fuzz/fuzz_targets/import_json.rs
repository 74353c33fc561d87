//! The registry JSON importer on any bytes: encoding detection, syntax, envelope, records.
//! It may refuse the input, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok((registry, _)) = lipa_io::registry::read_json(bytes) {
        // What reads writes back and reads again to the same records.
        let again = lipa_io::registry::from_json(&lipa_io::registry::to_json(&registry));
        assert_eq!(again.as_ref().ok(), Some(&registry));
    }
});
