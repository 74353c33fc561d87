//! "Check your answers" and publishing: the card with links to change each step, the problems a
//! published card may not have, and the status change.

use super::*;

// --- check your answers and publish ----------------------------------------------------------

#[derive(Template)]
#[template(path = "services/review.html")]
pub(super) struct ReviewPage {
    ctx: Ctx,
    card: CardView,
    errors: FieldErrors,
    can_change: bool,
}

/// What a published card lacks, each linked to its step.
pub(super) fn publish_problems(ctx: &Ctx, id: ServiceId, s: &Service) -> FieldErrors {
    let mut published = s.clone();
    published.status = ServiceStatus::Planned;
    match published.validate() {
        Ok(()) => FieldErrors::default(),
        Err(v) => FieldErrors::new(ctx, &v, |path| {
            format!("/services/{id}/edit/{}", step_of(path))
        }),
    }
}

pub(super) async fn review_page(
    app: &App,
    ctx: &Ctx,
    l: &Loaded,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut card = card_view(app, ctx, l).await?;
    card.change_links = true;
    let page = ReviewPage {
        ctx: ctx.clone(),
        errors: publish_problems(ctx, l.id(), &l.service.record),
        can_change: ctx.can_change(&l.place),
        card,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let run = async {
        let l = load(&state.app, &ctx, &id).await?;
        review_page(&state.app, &ctx, &l, StatusCode::OK).await
    };
    run.await
}

/// Sets a service's status after checking the card with the rules of a published one; a card
/// that breaks them is shown on the review page with its problems.
pub(super) async fn set_status(
    app: &App,
    ctx: &Ctx,
    l: &Loaded,
    version: i64,
    status: ServiceStatus,
) -> Result<Response, WebError> {
    match app
        .set_service_status(&ctx.access(), l.id(), status, Some(version))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/services/{}", l.id())).into_response()),
        Err(AppError::Invalid(_)) => {
            review_page(app, ctx, l, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let run = async {
        let l = load(&state.app, &ctx, &id).await?;
        let version = f.check_version(l.service.version)?;
        set_status(&state.app, &ctx, &l, version, ServiceStatus::Planned).await
    };
    run.await
}

pub(super) async fn change_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let run = async {
        let l = load(&state.app, &ctx, &id).await?;
        let version = f.check_version(l.service.version)?;
        let status = ServiceStatus::from_code(f.get("status"))
            .filter(|s| s.is_published())
            .ok_or_else(|| WebError::BadRequest(ctx.t("svc-err-status")))?;
        set_status(&state.app, &ctx, &l, version, status).await
    };
    run.await
}
