//! The agenda of an event: items with day, time, speaker, organisation and topic.

use super::*;

// --- agenda ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct AgendaInput {
    pub day: String,
    pub time: String,
    pub speaker: String,
    pub organisation: String,
    pub topic: String,
}

#[derive(Template)]
#[template(path = "events/agenda.html")]
pub(super) struct AgendaPage {
    ctx: Ctx,
    id: EventId,
    version: i64,
    title: String,
    /// The page's heading, which names the event.
    heading: String,
    items: Vec<crate::pages::events::AgendaRow>,
    days: Vec<(String, String)>,
    names: Vec<String>,
    input: AgendaInput,
    errors: FormErrors,
}

pub(super) fn agenda_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    input: AgendaInput,
    errors: FormErrors,
) -> AgendaPage {
    let e = &ev.record;
    AgendaPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: e.title.clone(),
        heading: ctx.t1("ev-agenda-title", "title", &e.title),
        items: crate::pages::events::AgendaRow::all(ctx.lang, e),
        days: event_days(e)
            .into_iter()
            .map(|d| {
                (
                    d.to_string(),
                    crate::pages::events::dates_in_words(ctx.lang, d, d),
                )
            })
            .collect(),
        names: e.participants.iter().map(|p| p.name.clone()).collect(),
        input,
        errors,
    }
}

pub async fn agenda_page(ctx: Ctx, ForChange(ev): ForChange) -> PageResult {
    Ok(render(&agenda_page_for(
        &ctx,
        &ev,
        AgendaInput::default(),
        FormErrors::default(),
    )))
}

pub async fn agenda_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted {
        f,
        ev,
        version,
        stale,
    }: Posted,
) -> PageResult {
    let id = ev.id;
    let mut e = ev.record.clone();
    let back = format!("/events/{id}/agenda");
    if let Some(i) = f.index("remove", e.agenda.len())? {
        Posted::fresh(stale)?;
        e.agenda.remove(i);
        return save(&state, &ctx, id, version, &e, &back).await;
    }
    let input = AgendaInput {
        day: f.get("day").trim().to_owned(),
        time: f.get("time").trim().to_owned(),
        speaker: f.get("speaker").trim().to_owned(),
        organisation: f.get("organisation").trim().to_owned(),
        topic: f.get("topic").trim().to_owned(),
    };
    let mut errors = FormErrors::default();
    let day = if input.day.is_empty() {
        None
    } else {
        match input.day.parse::<Date>() {
            Ok(d) if d >= e.starts && d <= e.ends => Some(d),
            Ok(_) => {
                errors.add(
                    "day",
                    lipa_core::i18n::tr(ctx.lang, "err-day-outside-event", &[]),
                );
                None
            }
            Err(_) => {
                errors.add("day", ctx.t("ev-err-date"));
                None
            }
        }
    };
    let time = if input.time.is_empty() {
        None
    } else {
        match input.time.parse::<Time>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add("time", ctx.t("ev-err-time"));
                None
            }
        }
    };
    // A speaker who is a participant brings their person link and, unless given, organisation.
    let known = e.participants.iter().find(|p| {
        lipa_core::text::fold_name(&p.name) == lipa_core::text::fold_name(&input.speaker)
    });
    let item = AgendaItem {
        day,
        time,
        speaker: input.speaker.clone(),
        person_id: known.and_then(|p| p.person_id),
        organisation: if input.organisation.is_empty() {
            known.map(|p| p.organisation.clone()).unwrap_or_default()
        } else {
            input.organisation.clone()
        },
        topic: input.topic.clone(),
    };
    e.agenda.push(item);
    if let Err(v) = e.validate() {
        let at = format!("agenda[{}].", e.agenda.len() - 1);
        for violation in v.iter() {
            if let Some(field) = violation.field.strip_prefix(&at) {
                errors.add(field, violation.message(ctx.lang));
            }
        }
    }
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &agenda_page_for(&ctx, &ev, input, errors),
        ));
    }
    save(&state, &ctx, id, version, &e, &back).await
}
