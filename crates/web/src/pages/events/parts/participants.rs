//! The participants of an event and their attendance.

use super::*;

// --- participants ---------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct ParticipantInput {
    pub name: String,
    pub position: String,
    pub organisation: String,
    pub role: String,
    pub attended: bool,
}

pub struct ParticipantEdit {
    pub name: String,
    pub position: String,
    pub organisation: String,
    pub role: &'static str,
    pub attended: bool,
}

#[derive(Template)]
#[template(path = "events/participants.html")]
pub(super) struct ParticipantsPage {
    ctx: Ctx,
    id: EventId,
    version: i64,
    title: String,
    /// The page's heading, which names the event.
    heading: String,
    rows: Vec<ParticipantEdit>,
    roles: Vec<(&'static str, String)>,
    input: ParticipantInput,
    errors: FormErrors,
}

pub(super) fn roles(ctx: &Ctx) -> Vec<(&'static str, String)> {
    ParticipantRole::ALL
        .iter()
        .map(|r| (r.code(), role_label(ctx.lang, *r)))
        .collect()
}

pub(super) fn participants_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    input: ParticipantInput,
    errors: FormErrors,
) -> ParticipantsPage {
    ParticipantsPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: ev.record.title.clone(),
        heading: ctx.t1("ev-participants-title", "title", &ev.record.title),
        rows: ev
            .record
            .participants
            .iter()
            .map(|p| ParticipantEdit {
                name: p.name.clone(),
                position: p.position.clone(),
                organisation: p.organisation.clone(),
                role: p.role.code(),
                attended: p.attended,
            })
            .collect(),
        roles: roles(ctx),
        input,
        errors,
    }
}

pub async fn participants_page(ctx: Ctx, ForChange(ev): ForChange) -> PageResult {
    let input = ParticipantInput {
        role: ParticipantRole::Participant.code().into(),
        attended: true,
        ..Default::default()
    };
    Ok(render(&participants_page_for(
        &ctx,
        &ev,
        input,
        FormErrors::default(),
    )))
}

pub async fn participants_post(
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
    let back = format!("/events/{id}/participants");
    match f.get("action") {
        "add" => {
            let input = ParticipantInput {
                name: f.get("name").trim().to_owned(),
                position: f.get("position").trim().to_owned(),
                organisation: f.get("organisation").trim().to_owned(),
                role: f.get("role").trim().to_owned(),
                attended: f.has("attended"),
            };
            let mut errors = FormErrors::default();
            let role = ParticipantRole::from_code(&input.role);
            if role.is_none() {
                errors.add("role", ctx.t("ev-err-role"));
            }
            e.participants.push(Participant {
                person_id: None,
                name: input.name.clone(),
                position: input.position.clone(),
                organisation: input.organisation.clone(),
                role: role.unwrap_or_default(),
                attended: input.attended,
            });
            if let Err(v) = e.validate() {
                let at = format!("participants[{}].", e.participants.len() - 1);
                for violation in v.iter() {
                    if let Some(field) = violation.field.strip_prefix(&at) {
                        errors.add(field, violation.message(ctx.lang));
                    }
                }
            }
            if !errors.is_empty() {
                return Ok(render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &participants_page_for(&ctx, &ev, input, errors),
                ));
            }
        }
        _ => {
            // The attendance form: every row's role and check box, and maybe one row removed.
            Posted::fresh(stale)?;
            for (i, p) in e.participants.iter_mut().enumerate() {
                if f.has(&format!("role_{i}")) {
                    p.role = ParticipantRole::from_code(f.get(&format!("role_{i}")))
                        .ok_or_else(|| WebError::BadRequest("role".into()))?;
                    p.attended = f.has(&format!("attended_{i}"));
                }
            }
            if let Some(i) = f.index("remove", e.participants.len())? {
                let gone = e.participants.remove(i).name;
                // A group member who is no longer a participant leaves the group too.
                if !e.participants.iter().any(|p| p.name == gone) {
                    for g in &mut e.working_groups {
                        g.members.retain(|m| *m != gone);
                    }
                }
            }
        }
    }
    save(&state, &ctx, id, version, &e, &back).await
}
