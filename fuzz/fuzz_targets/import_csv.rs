//! The registry CSV importer on any bytes: encoding and separator detection, the bounds, the
//! rows. It may refuse the input, never panic or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok((registry, reading)) = lipa_io::registry::read_csv(bytes) {
        assert!(reading.separator.is_some());
        // What reads writes back and reads again to the same records.
        let again =
            lipa_io::registry::from_csv(&lipa_io::registry::to_csv(&registry, lipa_core::Lang::Bg));
        assert_eq!(again.as_ref().ok(), Some(&registry));
    }
});
