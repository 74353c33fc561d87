//! The working groups of a meeting.

use super::*;

// --- working groups -------------------------------------------------------------------------------

pub struct AssignRow {
    pub name: String,
    /// 1-based group number, 0 for none.
    pub group: usize,
}

#[derive(Template)]
#[template(path = "events/groups.html")]
pub(super) struct GroupsPage {
    ctx: Ctx,
    id: EventId,
    version: i64,
    title: String,
    /// The page's heading, which names the event.
    heading: String,
    groups: Vec<GroupView>,
    assign: Vec<AssignRow>,
    /// The create form's group name and working title, kept after an error.
    new_group: (String, String),
    errors: FormErrors,
}

pub(super) fn groups_page_for(
    ctx: &Ctx,
    ev: &Versioned<Event>,
    categories: &[Category],
    new_group: (String, String),
    errors: FormErrors,
) -> GroupsPage {
    let e = &ev.record;
    GroupsPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        title: e.title.clone(),
        heading: ctx.t1("ev-groups-title", "title", &e.title),
        groups: e
            .working_groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupView::new(ctx.lang, categories, i + 1, g))
            .collect(),
        assign: e
            .participants
            .iter()
            .map(|p| AssignRow {
                name: p.name.clone(),
                group: e
                    .working_groups
                    .iter()
                    .position(|g| g.members.contains(&p.name))
                    .map_or(0, |i| i + 1),
            })
            .collect(),
        new_group,
        errors,
    }
}

pub async fn groups_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ForChange(ev): ForChange,
) -> PageResult {
    let categories = state.app.categories().await?;
    Ok(render(&groups_page_for(
        &ctx,
        &ev,
        &categories,
        Default::default(),
        FormErrors::default(),
    )))
}

pub async fn groups_post(
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
    let back = format!("/events/{id}/groups");
    match f.get("action") {
        "create" => {
            // A group exists to design a service, and the domain wants every card named: the
            // group starts with a working title (step 1), which its card page can change.
            let name = f.get("name").trim().to_owned();
            let card_name = f.get("card_name").trim().to_owned();
            e.working_groups.push(WorkingGroup {
                name: name.clone(),
                card: ServiceCard {
                    name: card_name.clone(),
                    ..Default::default()
                },
                ..Default::default()
            });
            if let Err(v) = e.validate() {
                let at = format!("working_groups[{}].", e.working_groups.len() - 1);
                let mut errors = FormErrors::default();
                for violation in v.iter() {
                    match violation.field.strip_prefix(&at) {
                        Some("name") => errors.add("name", violation.message(ctx.lang)),
                        Some("card.name") => errors.add("card_name", violation.message(ctx.lang)),
                        _ => {}
                    }
                }
                if !errors.is_empty() {
                    let categories = state.app.categories().await?;
                    let page = groups_page_for(&ctx, &ev, &categories, (name, card_name), errors);
                    return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
                }
            }
        }
        "remove" => {
            Posted::fresh(stale)?;
            if let Some(i) = f.index("group", e.working_groups.len())? {
                e.working_groups.remove(i);
            }
        }
        _ => {
            // The assignment: each participant's group (1-based; empty for none). Members who
            // are not on the participant list are kept as they are.
            Posted::fresh(stale)?;
            let names: Vec<String> = e.participants.iter().map(|p| p.name.clone()).collect();
            for g in &mut e.working_groups {
                g.members.retain(|m| !names.contains(m));
            }
            for (i, name) in names.iter().enumerate() {
                let v = f.get(&format!("group_{i}")).trim();
                if v.is_empty() || v == "0" {
                    continue;
                }
                let n = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=e.working_groups.len()).contains(n))
                    .ok_or_else(|| WebError::BadRequest("group".into()))?;
                if !e.working_groups[n - 1].members.contains(name) {
                    e.working_groups[n - 1].members.push(name.clone());
                }
            }
        }
    }
    save(&state, &ctx, id, version, &e, &back).await
}
