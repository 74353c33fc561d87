//! Open data: the public part of the registry as one JSON file, in the format `lipa import`
//! reads — libraries, published services, partners and published events. People are left out:
//! their names appear in the events they took part in, their contacts never.

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{OrPage, PageError};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lipa_io::Registry;

pub fn routes() -> Router<AppState> {
    Router::new().route("/export/registry.json", get(registry_json))
}

async fn registry_json(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let store = &state.store;
    let reg = Registry {
        libraries: store
            .libraries()
            .await
            .or_page(&ctx)?
            .into_iter()
            .map(|v| v.record)
            .collect(),
        services: store
            .services()
            .await
            .or_page(&ctx)?
            .into_iter()
            .map(|v| v.record)
            .filter(|s| s.status.is_published())
            .collect(),
        partners: store
            .partners()
            .await
            .or_page(&ctx)?
            .into_iter()
            .map(|v| v.record)
            .collect(),
        persons: Vec::new(),
        events: store
            .events()
            .await
            .or_page(&ctx)?
            .into_iter()
            .map(|v| v.record)
            .filter(|e| e.published)
            .collect(),
    };
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
