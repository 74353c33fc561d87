//! Files as people really have them, and files made to hurt: the registry CSV as Excel saves it
//! on a Bulgarian Windows (Windows-1251, `;`) and as "Unicode text" (UTF-16, tabs), the legacy
//! table and the JSON file in other encodings — each to the same records as the UTF-8 original —
//! and hostile files (a sheet spanning A1:XFD1048576, too many rows, columns, bytes) refused with
//! a clear error, quickly and without taking the memory they ask for.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251};
use lipa_core::Lang;
use lipa_core::taxonomy::default_categories;
use lipa_io::encoding::Separator;
use lipa_io::legacy::{self, LegacyOptions};
use lipa_io::limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
use lipa_io::registry::{from_xlsx, read_csv, read_json, to_csv, to_json, to_xlsx};
use lipa_io::{ImportErrors, Registry};

const SEED: &str = include_str!("../../../tests/fixtures/kyustendil-2012.txt");
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn seed() -> Registry {
    legacy::parse(SEED, &default_categories(), &LegacyOptions::default())
        .expect("the seed parses")
        .into_registry()
}

/// The one error of a refused file: its line and message key.
fn refusal<T: std::fmt::Debug>(r: Result<T, ImportErrors>) -> (usize, &'static str) {
    let e = r.expect_err("the file is refused");
    assert_eq!(e.0.len(), 1, "{e}");
    (e.0[0].line, e.0[0].violation.code)
}

/// The same table with another separator, CRLF line ends, no byte-order mark: what a
/// spreadsheet writes.
fn with_separator(csv_utf8: &[u8], separator: u8) -> String {
    let body = csv_utf8.strip_prefix(BOM).unwrap_or(csv_utf8);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(separator)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// `text` in `encoding`, with the byte-order mark Windows writes for UTF-16; every character
/// must be representable.
fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let units = |big_endian: bool| -> Vec<u8> {
        let mark: &[u8] = if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" };
        let mut out = mark.to_vec();
        for u in text.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    };
    if encoding == UTF_16LE {
        units(false)
    } else if encoding == UTF_16BE {
        units(true)
    } else {
        let (bytes, _, lossy) = encoding.encode(text);
        assert!(!lossy, "the text has characters {} lacks", encoding.name());
        bytes.into_owned()
    }
}

#[test]
fn csv_as_excel_saves_it_reads_to_the_same_records() {
    let original = seed();
    let utf8 = to_csv(&original, Lang::Bg);
    let (expected, reading) = read_csv(&utf8).unwrap();
    assert_eq!(expected, original);
    assert_eq!(
        (reading.encoding, reading.bom, reading.separator),
        (UTF_8, true, Some(Separator::Comma))
    );

    let comma = with_separator(&utf8, b',');
    let semicolon = with_separator(&utf8, b';');
    let tab = with_separator(&utf8, b'\t');
    let cases: [(&str, Vec<u8>, &Encoding, bool, Separator); 4] = [
        (
            "UTF-8 without a mark",
            comma.into_bytes(),
            UTF_8,
            false,
            Separator::Comma,
        ),
        (
            "CSV (разделител запетая) on a Bulgarian Windows",
            encode(&semicolon, WINDOWS_1251),
            WINDOWS_1251,
            false,
            Separator::Semicolon,
        ),
        (
            "Unicode text",
            encode(&tab, UTF_16LE),
            UTF_16LE,
            true,
            Separator::Tab,
        ),
        (
            "UTF-16 big-endian",
            encode(&tab, UTF_16BE),
            UTF_16BE,
            true,
            Separator::Tab,
        ),
    ];
    for (what, bytes, encoding, bom, separator) in cases {
        let (records, reading) = read_csv(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(records, original, "{what}");
        assert_eq!(reading.encoding, encoding, "{what}");
        assert_eq!(reading.bom, bom, "{what}");
        assert_eq!(reading.separator, Some(separator), "{what}");
    }
    let (_, cp1251) = read_csv(&encode(&semicolon, WINDOWS_1251)).unwrap();
    assert_eq!(
        cp1251.describe(Lang::Bg),
        "Прочетен като Windows-1251, с клетки, разделени с точка и запетая (;)."
    );
    assert_eq!(
        cp1251.describe(Lang::En),
        "Read as Windows-1251, cells separated by semicolons (;)."
    );
}

#[test]
fn the_legacy_table_and_json_read_in_every_encoding() {
    let categories = default_categories();
    let opts = LegacyOptions::default();
    let original = legacy::parse(SEED, &categories, &opts).unwrap();
    for encoding in [WINDOWS_1251, UTF_16LE, UTF_16BE] {
        let (table, reading) = legacy::read(&encode(SEED, encoding), &categories, &opts)
            .unwrap_or_else(|e| panic!("{}: {e}", encoding.name()));
        assert_eq!(table, original, "{}", encoding.name());
        assert_eq!(reading.encoding, encoding);
    }
    let json = to_json(&seed());
    for bytes in [json.clone().into_bytes(), encode(&json, UTF_16LE)] {
        assert_eq!(read_json(&bytes).unwrap().0, seed());
    }
}

#[test]
fn unreadable_and_ambiguous_files_are_refused_with_how_to_save_them() {
    let csv = with_separator(&to_csv(&seed(), Lang::Bg), b'\t');
    // UTF-16 without its byte-order mark: NUL bytes, no guessing.
    let bare = &encode(&csv, UTF_16LE)[2..];
    assert_eq!(refusal(read_csv(bare)), (0, "err-encoding-unreadable"));
    let e = read_csv(bare).unwrap_err();
    assert!(e.messages(Lang::Bg)[0].contains("„CSV UTF-8"), "{e}");
    assert!(e.messages(Lang::En)[0].contains("“CSV UTF-8"), "{e}");
    // A byte-order mark that lies: UTF-8's mark before Windows-1251 bytes, bad from line 1.
    let lying = [BOM, &encode("ID;Име\r\n1;Библиотека\r\n", WINDOWS_1251)].concat();
    assert_eq!(refusal(read_csv(&lying)), (1, "err-encoding-malformed"));
    // A header that splits equally at two separators.
    assert_eq!(
        refusal(read_csv(b"a,b;c\n1,2;3\n")),
        (1, "err-csv-separator")
    );
    // Quotes are respected: the commas inside the quoted headers are not separators.
    let quoted = "\"ID на библиотеката\";\"Бележка, за читателя\"\r\n705;x\r\n";
    let e = read_csv(quoted.as_bytes()).unwrap_err();
    let unknown =
        e.0.iter()
            .find(|e| e.violation.code == "err-table-unknown-column")
            .expect("the second header is read whole");
    assert_eq!(unknown.violation.args[0].1, "Бележка, за читателя");
}

/// A workbook whose only cells are A1 and XFD1048576: 2 KB on disk, a 16,384 × 1,048,576 grid
/// if read as a range — the read that used to abort the server.
fn corner_to_corner_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "ID на библиотеката").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_sheet_spanning_a1_to_xfd1048576_is_refused_quickly() {
    let bytes = corner_to_corner_workbook();
    assert!(bytes.len() < 8 * 1024, "{} bytes", bytes.len());
    let started = std::time::Instant::now();
    let e = from_xlsx(&bytes).unwrap_err();
    assert_eq!(
        (e.0[0].line, e.0[0].violation.code),
        (1_048_576, "err-too-many-columns")
    );
    assert!(
        e.messages(Lang::Bg)[0].contains("колона 16384"),
        "{}",
        e.messages(Lang::Bg)[0]
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn a_sparse_sheet_reads_cell_by_cell() {
    // Far-apart rows within the bounds read as the rows they are, blank rows skipped.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "ID на библиотеката").unwrap();
    ws.write_string(0, 1, "Име на библиотеката").unwrap();
    ws.write_string(1_000_000, 0, "705").unwrap();
    ws.write_string(1_000_000, 1, "Регионална библиотека")
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let e = from_xlsx(&bytes).unwrap_err();
    // Row 1,000,001 is read as the library it is (without its place), not refused for its
    // distance from row 1.
    assert!(
        !e.0.is_empty() && e.0.iter().all(|e| e.line == 1_000_001),
        "{e}"
    );
    let registry = seed();
    assert_eq!(
        from_xlsx(&to_xlsx(&registry, Lang::En).unwrap()).unwrap(),
        registry
    );
}

#[test]
fn a_workbook_that_unpacks_to_too_much_is_refused_before_unpacking() {
    let mut bytes = to_xlsx(&Registry::default(), Lang::Bg).unwrap();
    // Every central directory entry declares 4 GB unpacked.
    let mut at = 0;
    while let Some(i) = bytes[at..]
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .map(|i| i + at)
    {
        bytes[i + 24..i + 28].copy_from_slice(&u32::MAX.to_le_bytes());
        at = i + 4;
    }
    assert_eq!(refusal(from_xlsx(&bytes)), (0, "err-xlsx-too-large"));
}

#[test]
fn csv_rows_columns_and_bytes_are_bounded() {
    let header = "ID на библиотеката\n";
    let rows = format!("{header}{}", "1\n".repeat(MAX_ROWS + 1));
    assert_eq!(
        refusal(read_csv(rows.as_bytes())),
        (MAX_ROWS + 1, "err-too-many-rows")
    );
    let wide = format!("{header}1{}x\n", ",".repeat(MAX_COLUMNS));
    assert_eq!(
        refusal(read_csv(wide.as_bytes())),
        (2, "err-too-many-columns")
    );
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(refusal(read_csv(&big)), (0, "err-file-too-large"));
    assert_eq!(
        refusal(legacy::read(
            &big,
            &default_categories(),
            &LegacyOptions::default()
        )),
        (0, "err-file-too-large")
    );
}

#[test]
fn json_lists_are_bounded() {
    let list = vec!["{}"; MAX_ROWS + 1].join(",");
    let json = format!(r#"{{"format": "lipa-registry", "version": 1, "libraries": [{list}]}}"#);
    let e = read_json(json.as_bytes()).unwrap_err();
    assert_eq!(e.0[0].violation.code, "err-too-many-rows");
    assert_eq!(e.0[0].violation.field, "libraries");
}
