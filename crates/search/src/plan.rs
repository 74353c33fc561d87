//! From what a person typed to what the index is asked: each query word becomes a set of
//! alternative terms, each with a weight, a typo allowance and whether it may be a prefix.
//!
//! - A Cyrillic word is its stem (`овощарите` → `овощар`), the way the index holds it.
//! - A Latin word is itself (for Latin words in records and the official Latin spellings of
//!   names) and its Cyrillic readings (`kiustendil` → `кюстендил`), official ones first. Readings
//!   are steered by the index's vocabulary so that only words that exist are tried; when none
//!   exists (a typo on top of the transliteration) the cheapest readings are tried with typos.
//! - Typos: one in words of 5–8 letters, two from 9 letters on (Damerau: a swap is one).
//! - The last word may be unfinished (search as you type) unless the query ends in a space.
//! - Stop words are dropped, in either script (`na` is `на`).
//! - A place name of the gazetteer is looked for whole (`русе`, as the index keeps it) and, at a
//!   discount, by its stem; an adjective of a place (`кюстендилските`, `дупнишка`) also looks
//!   for the place.
//! - A word typed with the keyboard layout switched mid-word is read in the script of most of
//!   its letters (`search_text::words` does that) and also looked for as typed.
//! - Cost is bounded: at most [`MAX_WORDS`] words of the first [`MAX_QUERY_CHARS`] characters.

use lipa_core::search_text::{
    self, Script, cyrillic_candidates, index_term, is_place_word, is_stopword, mixes_scripts,
    places_of_adjective, stem,
};

/// One way a query word may appear in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// An index term: the stem of a Cyrillic word, else the word.
    pub term: String,
    /// The word as typed, folded (unstemmed): matched against the vocabulary, where a typo in
    /// an ending or a longer form of the word (`библиотеката` for `библиотека`) is visible.
    pub word: String,
    /// How much a match of this alternative counts (1 for what was typed).
    pub weight: f32,
    /// Edits allowed.
    pub typos: u8,
    /// The term may be the start of an indexed term.
    pub prefix: bool,
    /// A Latin term: also looked for among the Latin spellings of names.
    pub latin: bool,
}

/// A query word and its alternatives: a record matches the word when it matches any.
#[derive(Debug, Clone, PartialEq)]
pub struct WordPlan {
    pub typed: String,
    pub alternatives: Vec<Alternative>,
}

/// What the plan may ask of the index's vocabulary.
pub trait Vocabulary {
    /// Whether some indexed Cyrillic word starts with `prefix`.
    fn has_prefix(&self, prefix: &str) -> bool;
}

impl<F: Fn(&str) -> bool> Vocabulary for F {
    fn has_prefix(&self, prefix: &str) -> bool {
        self(prefix)
    }
}

/// Typos allowed in a word of `chars` letters.
pub fn typos_for(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Cyrillic readings tried per Latin word.
const READINGS: usize = 4;
/// Cheapest readings tried when the vocabulary knows none.
const BLIND_READINGS: usize = 2;
/// A prefix shorter than this matches too much to mean anything.
const MIN_PREFIX_CHARS: usize = 2;
/// Words of a query that are searched for; the rest are ignored (a query is a few words, not a
/// text pasted in).
pub const MAX_WORDS: usize = 10;
/// Characters of a query that are read.
pub const MAX_QUERY_CHARS: usize = 500;
/// What a match of the stem of a place name counts against the name whole.
const STEM_OF_PLACE: f32 = 0.5;
/// What a match of the place an adjective names counts.
const PLACE_OF_ADJECTIVE: f32 = 0.9;
/// Places one adjective may lead to (`бялски`: two towns and a village named Бяла).
const MAX_PLACES_OF_ADJECTIVE: usize = 3;
/// What a match of a mixed-script word as typed counts.
const AS_TYPED: f32 = 0.8;

/// The first [`MAX_QUERY_CHARS`] characters of `query`.
pub fn bounded(query: &str) -> &str {
    match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((at, _)) => &query[..at],
        None => query,
    }
}

/// The plan of a query: at most [`MAX_WORDS`] words.
pub fn plan(query: &str, vocabulary: &dyn Vocabulary) -> Vec<WordPlan> {
    let query = bounded(query);
    let words = search_text::words(query);
    let open_end = query.chars().last().is_some_and(char::is_alphanumeric);
    let last = words.len().saturating_sub(1);
    let mut out: Vec<WordPlan> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if out.len() == MAX_WORDS {
            break;
        }
        let unfinished = open_end && i == last;
        let mut alternatives = match w.script {
            Script::Cyrillic => {
                if is_stopword(&w.word) {
                    continue;
                }
                let mut alts = cyrillic_alternatives(&w.word, 1.0, unfinished);
                for place in places_of_adjective(&w.word)
                    .iter()
                    .take(MAX_PLACES_OF_ADJECTIVE)
                {
                    alts.push(Alternative {
                        term: index_term(place, true),
                        word: place.clone(),
                        weight: PLACE_OF_ADJECTIVE,
                        typos: 0,
                        prefix: false,
                        latin: false,
                    });
                }
                alts
            }
            Script::Latin => {
                let Some(alts) = latin(&w.word, unfinished, vocabulary) else {
                    continue;
                };
                alts
            }
            Script::Number | Script::Other => {
                if is_stopword(&w.word) {
                    continue;
                }
                vec![Alternative {
                    term: w.word.clone(),
                    word: w.word.clone(),
                    weight: 1.0,
                    typos: 0,
                    prefix: unfinished,
                    latin: true,
                }]
            }
        };
        let raw = &query[w.from..w.to];
        if mixes_scripts(raw) {
            let typed: String = raw.chars().flat_map(char::to_lowercase).collect();
            alternatives.push(Alternative {
                term: typed.clone(),
                word: typed,
                weight: AS_TYPED,
                typos: 0,
                prefix: false,
                latin: true,
            });
        }
        if !out.iter().any(|p| p.typed == w.word) {
            out.push(WordPlan {
                typed: w.word.clone(),
                alternatives,
            });
        }
    }
    out
}

/// The alternatives of a Cyrillic word: its stem; for a place name, the name whole first.
fn cyrillic_alternatives(word: &str, weight: f32, unfinished: bool) -> Vec<Alternative> {
    if !is_place_word(word) {
        return vec![cyrillic(word, weight, unfinished)];
    }
    let whole = Alternative {
        term: word.to_owned(),
        word: word.to_owned(),
        weight,
        typos: typos_for(word.chars().count()),
        prefix: unfinished,
        latin: false,
    };
    vec![whole, cyrillic(word, weight * STEM_OF_PLACE, unfinished)]
}

fn cyrillic(word: &str, weight: f32, unfinished: bool) -> Alternative {
    let term = stem(word);
    Alternative {
        prefix: unfinished && term.chars().count() >= MIN_PREFIX_CHARS,
        typos: typos_for(word.chars().count()),
        term,
        word: word.to_owned(),
        weight,
        latin: false,
    }
}

/// The alternatives of a Latin word, or `None` when it is a stop word in Latin letters.
fn latin(word: &str, unfinished: bool, vocabulary: &dyn Vocabulary) -> Option<Vec<Alternative>> {
    let official = cyrillic_candidates(word, |_| true, 1);
    if official
        .first()
        .is_some_and(|c| c.cost == 0 && is_stopword(&c.word))
    {
        return None;
    }
    let mut alts = vec![Alternative {
        term: word.to_owned(),
        word: word.to_owned(),
        weight: 1.0,
        typos: typos_for(word.chars().count()),
        prefix: unfinished && word.chars().count() >= MIN_PREFIX_CHARS,
        latin: true,
    }];
    let known = cyrillic_candidates(word, |p| vocabulary.has_prefix(p), READINGS);
    let (readings, discount) = if known.is_empty() {
        (cyrillic_candidates(word, |_| true, BLIND_READINGS), 0.5)
    } else {
        (known, 1.0)
    };
    for c in readings {
        if is_stopword(&c.word) {
            continue;
        }
        // Official readings count as typed; each informal habit taken costs a little.
        let weight = discount * (1.0 - 0.02 * f32::from(c.cost)).max(0.4);
        for alt in cyrillic_alternatives(&c.word, weight, unfinished) {
            if !alts.iter().any(|a| a.term == alt.term && !a.latin) {
                alts.push(alt);
            }
        }
    }
    Some(alts)
}

impl Alternative {
    /// The forms of a Cyrillic word from its stem up to the whole word (`библиотек`,
    /// `библиотека`, `библиотекат`, `библиотеката`): a record that has a shorter form of the
    /// word the query has in full matches through its vocabulary, whatever the stemmer made of
    /// each. Empty for Latin terms.
    pub fn truncations(&self) -> Vec<String> {
        if self.latin {
            return Vec::new();
        }
        let stem_chars = self.term.chars().count();
        let mut out = Vec::new();
        for (n, (at, c)) in self.word.char_indices().enumerate() {
            if n + 1 >= stem_chars {
                out.push(self.word[..at + c.len_utf8()].to_owned());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |p: &str| words.iter().any(|w| w.starts_with(p))
    }

    #[test]
    fn cyrillic_words_are_stemmed_and_stop_words_dropped() {
        let p = plan("овощарите в Кюстендил ", &vocabulary(&[]));
        let terms: Vec<&str> = p.iter().map(|w| w.alternatives[0].term.as_str()).collect();
        // A place name whole first, then by its stem at a discount.
        assert_eq!(terms, [stem("овощари"), "кюстендил".to_owned()]);
        assert_eq!(p[1].alternatives[1].term, stem("кюстендил"));
        assert!(p[1].alternatives[1].weight < p[1].alternatives[0].weight);
        assert!(p.iter().all(|w| !w.alternatives[0].prefix));
        assert_eq!(p[1].alternatives[0].typos, 2);
    }

    #[test]
    fn adjectives_lead_to_their_place_and_mixed_words_are_also_taken_as_typed() {
        let p = plan("дупнишките читалища", &vocabulary(&[]));
        assert!(
            p[0].alternatives.iter().any(|a| a.term == "дупница"),
            "{:?}",
            p[0].alternatives
        );
        let p = plan("dупница ", &vocabulary(&[]));
        assert_eq!(p[0].typed, "дупница");
        assert!(
            p[0].alternatives
                .iter()
                .any(|a| a.term == "dупница" && a.latin)
        );
    }

    #[test]
    fn a_query_is_planned_for_at_most_ten_words() {
        let long = "библиотека читалище овощари ".repeat(400);
        let words: String = (0..1000).map(|i| format!("дума{i} ")).collect();
        for q in [long.as_str(), words.as_str()] {
            assert!(plan(q, &vocabulary(&[])).len() <= MAX_WORDS);
        }
        assert_eq!(
            bounded(&"я".repeat(10_000)).chars().count(),
            MAX_QUERY_CHARS
        );
    }

    #[test]
    fn truncations_run_from_the_stem_to_the_word() {
        let p = plan("библиотеката", &vocabulary(&[]));
        let t = p[0].alternatives[0].truncations();
        assert_eq!(
            t.first().map(String::as_str),
            Some(stem("библиотеката").as_str())
        );
        assert_eq!(t.last().map(String::as_str), Some("библиотеката"));
        assert!(t.contains(&"библиотека".to_owned()));
    }

    #[test]
    fn the_last_word_may_be_unfinished() {
        let p = plan("библиотека кюст", &vocabulary(&[]));
        assert!(!p[0].alternatives[0].prefix);
        assert!(p[1].alternatives[0].prefix);
    }

    #[test]
    fn latin_words_are_read_against_the_vocabulary() {
        let v = vocabulary(&["кюстендил", "жиленци"]);
        for typed in ["Kyustendil", "kiustendil", "kjustendil"] {
            let p = plan(typed, &v);
            let alts = &p[0].alternatives;
            assert!(alts[0].latin);
            assert!(
                alts.iter().any(|a| a.term == stem("кюстендил")),
                "{typed}: {alts:?}"
            );
        }
        let p = plan("zhilentsi na", &v);
        assert_eq!(p.len(), 1, "na is на, a stop word");
        assert!(
            p[0].alternatives
                .iter()
                .any(|a| a.term == "жиленци" && a.weight == 1.0)
        );
    }

    #[test]
    fn unknown_latin_words_fall_back_to_blind_readings() {
        let p = plan("kiustendl", &vocabulary(&["кюстендил"]));
        assert!(p[0].alternatives.len() > 1);
        assert!(p[0].alternatives[1..].iter().all(|a| a.weight <= 0.5));
    }
}
