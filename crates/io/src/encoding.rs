//! Text files as people really have them: the encoding a file is in, found and undone before any
//! importer reads it, and said back to the user in the preview.
//!
//! - A byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE (Excel's "Unicode text"). A byte
//!   sequence that is not valid in that encoding is an error with its line.
//! - Without one, text that is valid UTF-8 is UTF-8.
//! - Otherwise `chardetng` (Firefox's detector) guesses among the legacy encodings, told that
//!   the file comes from Bulgaria (`.bg`: Windows-1251, what Excel writes on a Bulgarian
//!   Windows). The guess stands only if the bytes alone give the same one (the detector without
//!   the hint): a file that the hint decides is truly ambiguous and is refused, saying how to
//!   save it instead ("CSV UTF-8").
//! - NUL bytes without a byte-order mark (UTF-16 without its mark, or a binary file) are refused
//!   the same way: no guessing at byte pairs.
//!
//! This module owns only the bytes → text step and its description; the separator of a CSV file
//! is found by [`crate::registry`], which knows the header names.

use crate::error::ImportErrors;
use crate::limits::{check_size, one};
use encoding_rs::{Encoding, UTF_8};
use lipa_core::i18n::tr;
use lipa_core::{Lang, Violation};

/// The character between the cells of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    pub const ALL: [Separator; 3] = [Separator::Comma, Separator::Semicolon, Separator::Tab];

    pub fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    /// Its name in messages: `import-separator-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Separator::Comma => "comma",
            Separator::Semicolon => "semicolon",
            Separator::Tab => "tab",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        tr(lang, &format!("import-separator-{}", self.code()), &[])
    }
}

/// How a text file was read: for the preview, so that a user sees "Windows-1251, `;`" before
/// anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextReading {
    pub encoding: &'static Encoding,
    /// The file started with a byte-order mark.
    pub bom: bool,
    /// For CSV: the separator read.
    pub separator: Option<Separator>,
}

impl TextReading {
    /// `Read as Windows-1251, cells separated by semicolons (;).`
    pub fn describe(&self, lang: Lang) -> String {
        let name = encoding_name(self.encoding);
        let encoding = if self.bom {
            tr(lang, "import-encoding-bom", &[("encoding", &name)])
        } else {
            name
        };
        match self.separator {
            None => tr(lang, "import-read-as", &[("encoding", &encoding)]),
            Some(s) => tr(
                lang,
                "import-read-as-csv",
                &[("encoding", &encoding), ("separator", &s.label(lang))],
            ),
        }
    }
}

/// The name people know an encoding by: `UTF-8`, `UTF-16LE`, `Windows-1251`.
pub fn encoding_name(e: &'static Encoding) -> String {
    match e.name().strip_prefix("windows-") {
        Some(code) => format!("Windows-{code}"),
        None => e.name().to_owned(),
    }
}

/// The file's text and how it was read; a file that cannot be read for sure is an error that
/// says how to save it instead.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextReading), ImportErrors> {
    check_size(bytes)?;
    let reading = |encoding, bom| TextReading {
        encoding,
        bom,
        separator: None,
    };
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok((text.into_owned(), reading(encoding, true))),
            None => Err(malformed(encoding, body)),
        };
    }
    if bytes.contains(&0) {
        return Err(one(0, Violation::new("", "err-encoding-unreadable")));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), reading(UTF_8, false)));
    }
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"bg"), Utf8Detection::Deny);
    // The detector's own test of a guess: when being told the file is Bulgarian changes the
    // verdict, the bytes alone do not decide it.
    if detector.guess(None, Utf8Detection::Deny) != encoding {
        return Err(one(
            0,
            Violation::new("", "err-encoding-ambiguous").arg("guess", encoding_name(encoding)),
        ));
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), reading(encoding, false))),
        None => Err(malformed(encoding, bytes)),
    }
}

/// The error for a byte sequence that `encoding` cannot read, on the line where it starts.
fn malformed(encoding: &'static Encoding, body: &[u8]) -> ImportErrors {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut prefix = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len()),
    );
    // Stops at the first malformed sequence: what was decoded before it gives the line.
    let _ = decoder.decode_to_string_without_replacement(body, &mut prefix, true);
    let line = prefix.matches('\n').count() + 1;
    one(
        line,
        Violation::new("", "err-encoding-malformed").arg("encoding", encoding_name(encoding)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1251};

    const TEXT: &str = "ID;Име на библиотеката;Населено място\r\n732;Библиотека при НЧ „Лоза 1870“;гр. Бобошево\r\n705;Регионална библиотека „Емануил Попдимитров“;гр. Кюстендил\r\n";

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn every_common_encoding_reads_to_the_same_text() {
        let (cp1251, _, lossy) = WINDOWS_1251.encode(TEXT);
        assert!(!lossy);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat();
        let cases: [(Vec<u8>, &Encoding, bool); 5] = [
            (TEXT.as_bytes().to_vec(), UTF_8, false),
            (with_bom, UTF_8, true),
            (cp1251.into_owned(), WINDOWS_1251, false),
            (utf16(TEXT, false), UTF_16LE, true),
            (utf16(TEXT, true), UTF_16BE, true),
        ];
        for (bytes, encoding, bom) in cases {
            let (text, reading) = decode_text(&bytes).unwrap();
            assert_eq!(text, TEXT, "{}", encoding.name());
            assert_eq!(reading.encoding, encoding);
            assert_eq!(reading.bom, bom);
        }
    }

    #[test]
    fn utf16_without_its_mark_is_refused_not_guessed() {
        let bytes = &utf16(TEXT, false)[2..];
        let e = decode_text(bytes).unwrap_err();
        assert_eq!(e.0[0].violation.code, "err-encoding-unreadable");
        assert!(e.messages(Lang::Bg)[0].contains("CSV UTF-8"), "{e}");
    }

    #[test]
    fn a_broken_sequence_after_a_mark_is_an_error_on_its_line() {
        let mut bytes = utf16("ред 1\nред 2\n", false);
        // An unpaired high surrogate on line 3.
        bytes.extend_from_slice(&[0x00, 0xD8, b'x', 0x00]);
        let e = decode_text(&bytes).unwrap_err();
        assert_eq!(e.0[0].line, 3);
        assert_eq!(e.0[0].violation.code, "err-encoding-malformed");
        assert!(e.messages(Lang::En)[0].contains("UTF-16LE"), "{e}");
    }

    #[test]
    fn a_guess_the_bulgarian_hint_decides_is_refused() {
        // „добро“ in Windows-1251, five bytes: KOI8-U with the hint, Windows-1255 without.
        let e = decode_text(b"\xE4\xEE\xE1\xF0\xEE").unwrap_err();
        assert_eq!(e.0[0].violation.code, "err-encoding-ambiguous");
        assert!(e.messages(Lang::En)[0].contains("CSV UTF-8"), "{e}");
        // A whole header line is enough for the bytes alone to say Windows-1251.
        let (cp1251, _, _) = WINDOWS_1251.encode("ID;Име на библиотеката;Населено място");
        assert_eq!(decode_text(&cp1251).unwrap().1.encoding, WINDOWS_1251);
    }

    #[test]
    fn the_reading_is_described_in_both_languages() {
        let r = TextReading {
            encoding: WINDOWS_1251,
            bom: false,
            separator: Some(Separator::Semicolon),
        };
        assert!(r.describe(Lang::Bg).contains("Windows-1251"));
        assert!(r.describe(Lang::Bg).contains("точка и запетая"));
        assert!(r.describe(Lang::En).contains("semicolon"));
    }
}
