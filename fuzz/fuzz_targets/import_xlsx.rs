//! The registry XLSX importer on any bytes (a zip archive or not). It may refuse the input,
//! never panic, abort or build the dense rectangle a sheet's corners span.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = lipa_io::registry::from_xlsx(bytes);
});
