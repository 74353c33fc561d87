//! A card's step that lost the race to another save: the step page again (409), on top of the
//! card as it is now saved, filled with what its author typed, under the box of
//! [`crate::pages::conflict`] comparing the step's fields.

use super::wizard::{CardForm, step_view};
use super::*;
use crate::pages::conflict::{Conflict, ConflictWords};

/// The box's words for a card's step.
const WORDS: ConflictWords = ConflictWords {
    heading: "svc-conflict-heading",
    text: "svc-conflict-text",
    same: "svc-conflict-same",
    how: "svc-conflict-how",
};

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
    let conflict = Conflict::new(
        ctx,
        &WORDS,
        (now.service.version, &now.service.updated_at),
        &saved.step_fields(step),
        &yours.step_fields(step),
        |path| field_label(ctx, path),
    );
    let mut page = step_view(app, ctx, &now, step, yours, FieldErrors::default(), extra).await?;
    page.conflict = Some(conflict);
    Ok(render_status(StatusCode::CONFLICT, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_of_a_step_are_named_as_the_step_names_them() {
        let ctx = Ctx {
            lang: Lang::En,
            user: None,
            here: String::new(),
        };
        assert_eq!(field_label(&ctx, "partners[0].role"), "Partner 1 – role");
        assert_eq!(
            field_label(&ctx, "partners[1].name"),
            "Partner 2 – organisation"
        );
    }
}
