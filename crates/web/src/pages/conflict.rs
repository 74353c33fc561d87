//! Two people editing one record: what the second sees when the first saved in between. Every
//! edit form uses this module (a service's steps, an event's details); it owns the comparison
//! and the box above the form (`templates/conflict.html`), not the forms.
//!
//! A form is saved only at the version it was opened at (the store refuses any other, in the
//! write's transaction), so exactly one of two concurrent saves wins. The other is not thrown
//! away: its form comes back (409) filled with what its author typed, with the record's new
//! version in it, under a box that lists every field of the form where the two differ — the
//! saved value and theirs. Saving that form again is the merge: the author keeps, changes or
//! copies what they want and wins knowingly. A form hands over its fields as (path, value)
//! pairs, values as the form shows them, and names them with its own labels.

use crate::http::ctx::Ctx;

/// One field that the other save and this one set differently.
pub(crate) struct ConflictRow {
    pub label: String,
    pub saved: String,
    pub yours: String,
}

/// The message keys of the box, in the words of the form's record (a card's step, an event).
pub(crate) struct ConflictWords {
    pub heading: &'static str,
    /// With `$version` and `$at`, the saved version and when it was saved.
    pub text: &'static str,
    /// When the two agree on every field of the form.
    pub same: &'static str,
    pub how: &'static str,
}

/// What the box above the form says.
pub(crate) struct Conflict {
    pub heading: String,
    pub text: String,
    pub same: String,
    pub how: String,
    pub rows: Vec<ConflictRow>,
}

impl Conflict {
    /// The box for a form whose fields are `yours` where the record as saved (at `version`,
    /// `updated_at`) gives `saved`.
    pub fn new(
        ctx: &Ctx,
        words: &ConflictWords,
        (version, updated_at): (i64, &str),
        saved: &[(String, String)],
        yours: &[(String, String)],
        label: impl Fn(&str) -> String,
    ) -> Self {
        Conflict {
            heading: ctx.t(words.heading),
            text: ctx.t2(
                words.text,
                "version",
                version,
                "at",
                crate::format::day_time(updated_at),
            ),
            same: ctx.t(words.same),
            how: ctx.t(words.how),
            rows: differences(saved, yours, label),
        }
    }
}

/// The fields whose values differ, in the order of `saved` then the ones only `yours` has.
fn differences(
    saved: &[(String, String)],
    yours: &[(String, String)],
    label: impl Fn(&str) -> String,
) -> Vec<ConflictRow> {
    let value = |list: &[(String, String)], path: &str| {
        list.iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut paths: Vec<&str> = saved.iter().map(|(p, _)| p.as_str()).collect();
    for (p, _) in yours {
        if !paths.contains(&p.as_str()) {
            paths.push(p);
        }
    }
    paths
        .into_iter()
        .filter_map(|path| {
            let (s, y) = (value(saved, path), value(yours, path));
            (s.trim() != y.trim()).then(|| ConflictRow {
                label: label(path),
                saved: s,
                yours: y,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, v)| ((*p).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn only_fields_that_differ_are_listed_and_rows_only_one_side_has_too() {
        let saved = pairs(&[
            ("partners[0].name", "Община Кюстендил"),
            ("partners[0].role", "зала"),
        ]);
        let yours = pairs(&[
            ("partners[0].name", "Община Кюстендил"),
            ("partners[0].role", "зала и проектор "),
            ("partners[1].name", "РБ „Емануил Попдимитров“"),
        ]);
        let rows = differences(&saved, &yours, |p| p.to_uppercase());
        let seen: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.label.as_str(), r.saved.as_str(), r.yours.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("PARTNERS[0].ROLE", "зала", "зала и проектор "),
                ("PARTNERS[1].NAME", "", "РБ „Емануил Попдимитров“"),
            ]
        );
    }
}
