//! "Adopt this service": the card copied into a library of the user's scope as a new draft.

use super::*;

// --- adopt ----------------------------------------------------------------------------------

/// Copies the card into a library of the user's scope as a new draft. The people (volunteers)
/// and the results reached stay with the original: they belong to its library.
pub(super) async fn adopt_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let run = async {
        let target = LibraryId::parse(f.get("library"))
            .map_err(|_| WebError::BadRequest(ctx.t("svc-err-adopt-library")))?;
        let year = Year::parse(f.get("year")).ok();
        let id = service_id(&id)?;
        let created = match state
            .app
            .adopt_service(&ctx.access(), id, target, year)
            .await
        {
            Ok(c) => c,
            Err(AppError::Invalid(_)) => {
                return Err(WebError::BadRequest(ctx.t("svc-err-adopt-library")));
            }
            Err(e) => return Err(e.into()),
        };
        Ok::<_, WebError>(Redirect::to(&format!("/services/{}/edit/1", created.id)).into_response())
    };
    run.await
}
