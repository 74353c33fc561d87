//! Highlighted snippets: the part of a record's text where the query's words are thickest, HTML
//! escaped, with the matched words in `<mark>`. The words are found with the same pipeline as
//! the index (so `овощарите` marks `овощари`, and a typo marks the word it was forgiven for).
//!
//! The output is HTML: everything from the record is escaped; the only markup is `<mark>`, so a
//! template may show it unescaped.

use crate::plan::{Alternative, WordPlan};
use lipa_core::search_text::analyze;

/// Characters of text around the matches.
pub const SNIPPET_CHARS: usize = 200;

/// Whether a word of a text (folded, and its index term) matches an alternative of the query:
/// the ways the index matches it (see `SearchIndex::word_query`).
pub fn matches(word: &str, term: &str, alt: &Alternative) -> bool {
    let typos = usize::from(alt.typos);
    term == alt.term
        || (alt.prefix && term.starts_with(&alt.term))
        || (typos > 0 && within(term, &alt.term, typos))
        || alt.truncations().iter().any(|t| t == word)
        || (typos > 0 && !alt.latin && within(word, &alt.word, typos))
}

/// Damerau–Levenshtein distance (adjacent swaps count one) of `a` and `b` is at most `max`.
pub fn within(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m] <= max
}

/// Byte ranges of the words of `text` that match the plan.
pub fn marks(text: &str, plan: &[WordPlan]) -> Vec<(usize, usize)> {
    analyze(text)
        .into_iter()
        .filter(|t| {
            plan.iter()
                .flat_map(|w| &w.alternatives)
                .any(|a| matches(&t.word, &t.term, a) || (a.latin && matches(&t.word, &t.word, a)))
        })
        .map(|t| (t.from, t.to))
        .collect()
}

/// The snippet of `text` for `plan`, as safe HTML.
pub fn snippet_html(text: &str, plan: &[WordPlan]) -> String {
    let marks = marks(text, plan);
    let (start, end) = window(text, &marks);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &(from, to) in marks.iter().filter(|(f, t)| *f >= start && *t <= end) {
        escape_into(&mut out, &text[at..from]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[from..to]);
        out.push_str("</mark>");
        at = to;
    }
    escape_into(&mut out, &text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The byte range of about [`SNIPPET_CHARS`] characters of `text` that holds the most marks,
/// starting and ending at word boundaries.
fn window(text: &str, marks: &[(usize, usize)]) -> (usize, usize) {
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let span_end = |from_char: usize| -> usize {
        char_starts
            .get(from_char + SNIPPET_CHARS)
            .copied()
            .unwrap_or(text.len())
    };
    let char_at = |byte: usize| char_starts.partition_point(|&b| b < byte);
    // Start a little before a mark so that it has some words of context.
    let mut best = (0usize, 0usize);
    for (i, &(from, _)) in marks.iter().enumerate() {
        let start_char = char_at(from).saturating_sub(30);
        let start = char_starts.get(start_char).copied().unwrap_or(0);
        let end = span_end(start_char);
        let count = marks[i..].iter().filter(|(_, t)| *t <= end).count();
        if count > best.1 {
            best = (start, count);
        }
    }
    let start = if best.1 == 0 { 0 } else { best.0 };
    let end = span_end(char_at(start));
    (
        word_boundary_back(text, start),
        word_boundary_forward(text, end),
    )
}

fn word_boundary_back(text: &str, at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(i) => i + text[i..].chars().next().map_or(1, char::len_utf8),
        None => 0,
    }
}

fn word_boundary_forward(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i)
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::plan;
    use proptest::prelude::*;

    fn no_vocabulary(_: &str) -> bool {
        false
    }

    #[test]
    fn marks_word_forms_and_typos() {
        let p = plan("овощарите кюстендл ", &no_vocabulary);
        let html = snippet_html("Услуги за овощари в община Кюстендил", &p);
        assert_eq!(
            html,
            "Услуги за <mark>овощари</mark> в община <mark>Кюстендил</mark>"
        );
    }

    #[test]
    fn escapes_everything_but_marks() {
        let p = plan("здраве", &no_vocabulary);
        let html = snippet_html("<script>alert('x')</script> & здраве", &p);
        assert_eq!(
            html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>здраве</mark>"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_matches() {
        let text = format!("{} овощари {}", "дума ".repeat(100), "край ".repeat(100));
        let p = plan("овощари", &no_vocabulary);
        let html = snippet_html(&text, &p);
        assert!(html.starts_with('…') && html.ends_with('…'));
        assert!(html.contains("<mark>овощари</mark>"));
        assert!(html.chars().count() < SNIPPET_CHARS + 60);
    }

    #[test]
    fn distance() {
        assert!(within("овошар", "овощар", 1));
        assert!(within("кюстенд", "кюстнед", 1));
        assert!(!within("кюстенд", "кюс", 2));
    }

    proptest! {
        #[test]
        fn snippets_hold_no_markup_but_marks(text in "\\PC{0,300}", q in "\\PC{0,20}") {
            let html = snippet_html(&text, &plan(&q, &no_vocabulary));
            let stripped = html.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!stripped.contains('<') && !stripped.contains('>'));
        }
    }
}
