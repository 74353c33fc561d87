//! Text folding for matching names typed by people against names held as reference data:
//! `„Сапарева Баня“`, `сапарева  баня` and `Сaпарева баня` (with a Latin *a*) all fold to the same
//! key. The search pipeline builds on the same steps.

use unicode_normalization::UnicodeNormalization;

/// Latin letters that look exactly like Cyrillic ones, as they slip into Bulgarian text typed on a
/// Latin keyboard layout (`E-бизнес` with a Latin E).
const HOMOGLYPHS: [(char, char); 12] = [
    ('a', 'а'),
    ('b', 'в'),
    ('c', 'с'),
    ('e', 'е'),
    ('h', 'н'),
    ('k', 'к'),
    ('m', 'м'),
    ('o', 'о'),
    ('p', 'р'),
    ('t', 'т'),
    ('x', 'х'),
    ('y', 'у'),
];

/// The Cyrillic twin of a lowercase Latin look-alike letter (`a` → `а`), if it has one.
pub fn cyrillic_twin(c: char) -> Option<char> {
    HOMOGLYPHS
        .iter()
        .find(|(l, _)| *l == c)
        .map(|(_, cyr)| *cyr)
}

/// Quotation marks of every kind, which names carry or drop at whim.
pub fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '„' | '“' | '”' | '‟' | '«' | '»' | '‘' | '’' | '‚' | '`' | '´'
    )
}

/// Dashes and hyphens of every kind.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−')
}

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Replaces Latin look-alike letters by their Cyrillic twins in a word that holds any Cyrillic
/// letter, or in a one-letter word standing beside Cyrillic text (`E - бизнес`). Works on
/// lowercase text.
pub fn cyrillize_homoglyphs(s: &str) -> String {
    let text_has_cyrillic = s.chars().any(is_cyrillic);
    let mut out = String::with_capacity(s.len());
    for word in s.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let word_has_cyrillic = word.chars().any(is_cyrillic);
        let swap = word_has_cyrillic || (text_has_cyrillic && letters == 1);
        for c in word.chars() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match HOMOGLYPHS.iter().find(|(l, _)| *l == lower) {
                Some((_, cyr)) if swap => {
                    if c.is_uppercase() {
                        out.extend(cyr.to_uppercase());
                    } else {
                        out.push(*cyr);
                    }
                }
                _ => out.push(c),
            }
        }
    }
    out
}

/// The key two spellings of one name share: NFC, lowercase, Latin look-alikes made Cyrillic,
/// quotes dropped, dashes made `-` with no space around them, dots followed by a space, runs of
/// white space made one space.
pub fn fold_name(s: &str) -> String {
    let lower: String = s
        .nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| !is_quote(*c))
        .collect();
    let lower = cyrillize_homoglyphs(&lower);
    let mut out = String::with_capacity(lower.len());
    let mut pending_space = false;
    for c in lower.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_dash(c) {
            out.push('-');
            pending_space = false;
            continue;
        }
        if pending_space && !out.ends_with('-') {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
        if c == '.' {
            pending_space = true;
        }
    }
    out.trim_end().to_owned()
}

/// Title-cases a name written in capitals (`ЛОЗА` → `Лоза`, `ВЛ.Д.МАЙСТОРА` → `Вл.Д.Майстора`),
/// leaving mixed-case text as it is.
pub fn title_case_if_shouting(s: &str) -> String {
    let has_lower = s.chars().any(char::is_lowercase);
    if has_lower {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spellings_of_one_name() {
        assert_eq!(fold_name("Сапарева Баня"), fold_name("сапарева  баня"));
        assert_eq!(fold_name("„Сaпарева баня“"), "сапарева баня");
        assert_eq!(fold_name("E - бизнес"), "е-бизнес");
        assert_eq!(fold_name("Е- бизнес"), "е-бизнес");
        assert_eq!(fold_name("гр.Кюстендил"), "гр. кюстендил");
        assert_eq!(fold_name("Kyustendil"), "kyustendil");
    }

    #[test]
    fn title_cases_capitals_only() {
        assert_eq!(title_case_if_shouting("ВЛ.Д.МАЙСТОРА"), "Вл.Д.Майстора");
        assert_eq!(title_case_if_shouting("ЗИНОВИ ДОЙЧИНОВ"), "Зинови Дойчинов");
        assert_eq!(title_case_if_shouting("Зора"), "Зора");
    }

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold_name(&s);
            proptest::prop_assert_eq!(fold_name(&once), once);
        }
    }
}
