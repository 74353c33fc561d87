//! Adopting a group's card as a library's draft, and publishing the event.

use super::*;

// --- adopt and publish ----------------------------------------------------------------------------

/// Copies a group's card into a library's services as a DRAFT for the event's year. The user's
/// scope must cover the library; the event must be one they can see.
pub async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let ev = load_visible(&state, &ctx, parse_id(&id)?).await?;
    let n = group_number(&n, &ev.record)?;
    let library = LibraryId::parse(f.get("library"))
        .map_err(|_| WebError::BadRequest(ctx.t("ev-err-library")))?;
    let saved = match state
        .app
        .adopt_group_card(&ctx.access(), ev.id, n, library)
        .await
    {
        Ok(s) => s,
        Err(AppError::Invalid(v)) if v.0.iter().any(|x| x.code == "ev-adopt-need-card") => {
            return Err(WebError::BadRequest(ctx.t("ev-adopt-need-card")));
        }
        Err(AppError::Invalid(_)) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/services/{}", saved.id)).into_response())
}

/// One click: the event, its participants (without contacts) and its report go public.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted {
        ev, version, stale, ..
    }: Posted,
) -> PageResult {
    // Publishing is of the event as the organiser last saw it.
    Posted::fresh(stale)?;
    let id = ev.id;
    let mut e = ev.record.clone();
    e.published = true;
    save(
        &state,
        &ctx,
        id,
        version,
        &e,
        &format!("/events/{id}?done=published"),
    )
    .await
}
