//! The home page: the network at a glance — totals, services by category, the district map.

use crate::AppState;
use crate::charts::{Bar, MAP_WIDTH, MapArea, bars, district_map, map_height};
use crate::http::ctx::Ctx;
use crate::http::error::PageResult;
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use lipa_app::Counts;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    counts: Counts,
    by_category: Vec<Bar>,
    map: Vec<MapArea>,
    map_width: f64,
    map_height: f64,
    coverage_pct: i64,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let counts = state.app.counts(&ctx.access()).await?;
    let categories = state.app.categories().await?;
    let by_category = bars(
        categories
            .iter()
            .map(|c| {
                let n = counts
                    .by_category
                    .iter()
                    .find(|(code, _)| code == c.code.as_str())
                    .map_or(0, |p| p.1);
                (
                    c.name(ctx.lang).to_owned(),
                    n,
                    format!("/libraries?category={}", c.code),
                )
            })
            .filter(|(_, n, _)| *n > 0)
            .collect(),
    );
    let by_district: HashMap<String, i64> = counts.by_district.iter().cloned().collect();
    let map = district_map(&by_district, !ctx.is_bg());
    let with_service = counts.libraries - counts.libraries_without_service;
    let coverage_pct = if counts.libraries > 0 {
        with_service * 100 / counts.libraries
    } else {
        0
    };
    Ok(render(&HomePage {
        map,
        map_width: MAP_WIDTH,
        map_height: map_height(),
        counts,
        by_category,
        coverage_pct,
        ctx,
    }))
}
