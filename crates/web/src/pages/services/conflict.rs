//! Two people editing one card: what the second sees when the first saved in between.
//!
//! A step is saved only at the version its form was opened at (the store refuses any other, in
//! the write's transaction), so exactly one of two concurrent saves wins. The other is not
//! thrown away: its step page comes back (409) filled with what its author typed, on top of the
//! card as it is now saved, with the new version in the form, and a table above it of every
//! field of the step where the two differ — the saved value and theirs. Saving that form again
//! is the merge: the author keeps, changes or copies what they want and wins knowingly.

use super::wizard::{CardForm, step_view};
use super::*;

/// One field of the step that the other save and this one set differently.
pub(crate) struct ConflictRow {
    pub label: String,
    pub saved: String,
    pub yours: String,
}

/// What the conflict box above the form says.
pub(crate) struct Conflict {
    pub version: i64,
    pub saved_at: String,
    pub rows: Vec<ConflictRow>,
}

/// The step page after a lost race: the card as now saved, with the step as the user typed it.
pub(super) async fn conflict_page(
    app: &App,
    ctx: &Ctx,
    raw_id: &str,
    step: u8,
    f: &FormData,
    extra: usize,
) -> PageResult {
    let now = load(app, ctx, raw_id).await?;
    let saved = CardForm::from_service(ctx.lang, &now.service.record);
    let mut yours = saved.clone();
    yours.read_step(step, f);
    let rows = differences(ctx, &saved.step_fields(step), &yours.step_fields(step));
    let conflict = Conflict {
        version: now.service.version,
        saved_at: crate::format::day_time(&now.service.updated_at),
        rows,
    };
    let mut page = step_view(app, ctx, &now, step, yours, FieldErrors::default(), extra).await?;
    page.conflict = Some(conflict);
    Ok(render_status(StatusCode::CONFLICT, &page))
}

/// The fields whose values differ, in the order of `saved` then the ones only `yours` has.
fn differences(
    ctx: &Ctx,
    saved: &[(String, String)],
    yours: &[(String, String)],
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
                label: field_label(ctx, path),
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
        let ctx = Ctx {
            lang: Lang::En,
            user: None,
            here: String::new(),
        };
        let saved = pairs(&[
            ("partners[0].name", "Община Кюстендил"),
            ("partners[0].role", "зала"),
        ]);
        let yours = pairs(&[
            ("partners[0].name", "Община Кюстендил"),
            ("partners[0].role", "зала и проектор"),
            ("partners[1].name", "РБ „Емануил Попдимитров“"),
        ]);
        let rows = differences(&ctx, &saved, &yours);
        let seen: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.label.as_str(), r.saved.as_str(), r.yours.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("Partner 1 – role", "зала", "зала и проектор"),
                ("Partner 2 – organisation", "", "РБ „Емануил Попдимитров“"),
            ]
        );
    }
}
