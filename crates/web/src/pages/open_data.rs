//! Open data: the public part of the registry as one JSON file, in the format `lipa import`
//! reads — libraries, published services, partners and published events. People are left out:
//! their names appear in the events they took part in, their contacts never.

use crate::AppState;
use crate::http::error::PageResult;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/export/registry.json", get(registry_json))
}

async fn registry_json(State(state): State<AppState>) -> PageResult {
    let reg = state.app.public_registry().await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"lipa-registry.json\"",
            ),
        ],
        lipa_io::registry::to_json(&reg),
    )
        .into_response())
}
