//! The search page, `/search?q=…&kind=…&category=…`: every kind of record the reader may see,
//! found by the same index and the same rules as `GET /api/v1/search`
//! ([`crate::search_routes`]), with a snippet where the words are marked, facet counts by kind and
//! by service category (links that filter), and, when nothing is found, "did you mean …?" links
//! made of public records' words. A plain GET form in every page's header leads here: it works
//! without JavaScript.
//!
//! The snippets come from the index already escaped but for `<mark>` (`lipa_search::snippet`);
//! they are the only HTML this page does not escape.

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use crate::search_routes::{href, kind_label};
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use lipa_search::Kind;
use serde::Deserialize;

/// Hits the page shows.
const PAGE_HITS: usize = 50;

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(search_page))
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
}

struct HitRow {
    kind: String,
    title: String,
    href: String,
    /// Escaped record text with `<mark>`s.
    snippet_html: String,
}

struct FacetLink {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

/// "Did you mean …?"
struct SuggestionLink {
    q: String,
    href: String,
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    kind: String,
    category: String,
    total: usize,
    hits: Vec<HitRow>,
    kinds: Vec<FacetLink>,
    categories: Vec<FacetLink>,
    clear_kind: Option<String>,
    clear_category: Option<String>,
    /// "Did you mean …?" links, when nothing was found.
    suggestions: Vec<SuggestionLink>,
    /// While the index is being built from the records: how far, in per cent (its answers
    /// are incomplete until then).
    building: Option<u8>,
}

fn page_href(q: &str, kind: Option<&str>, category: Option<&str>) -> String {
    let mut pairs = vec![("q", q)];
    if let Some(k) = kind {
        pairs.push(("kind", k));
    }
    if let Some(c) = category {
        pairs.push(("category", c));
    }
    format!(
        "/search?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

async fn search_page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    // An unreadable query string is an empty search, never an error page.
    let Params { q, kind, category } =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let category = Some(category.trim()).filter(|c| !c.is_empty());
    page(
        &state,
        &ctx,
        q.trim(),
        Kind::from_code(kind.trim()),
        category,
    )
    .await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    q: &str,
    kind: Option<Kind>,
    category: Option<&str>,
) -> Result<Response, WebError> {
    // A category is a category of services.
    let kind = if category.is_some() {
        Some(Kind::Service)
    } else {
        kind
    };
    let mut query = lipa_search::Query::new(q).limit(PAGE_HITS);
    query.kind = kind;
    query.category = category.map(str::to_owned);
    let results = state.app.search(&ctx.access(), &query).await?;
    let categories = state.app.categories().await?;
    let lang = ctx.lang;
    let page = SearchPage {
        ctx: ctx.clone(),
        q: q.to_owned(),
        kind: kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        category: category.unwrap_or_default().to_owned(),
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|h| HitRow {
                kind: ctx.t(&format!("search-hit-kind-{}", h.kind.code())),
                href: href(h.kind, h.id),
                title: h.title,
                snippet_html: h.snippet_html,
            })
            .collect(),
        kinds: results
            .facets
            .kinds
            .iter()
            .filter_map(|f| Kind::from_code(&f.value).map(|k| (k, f.count)))
            .map(|(k, count)| FacetLink {
                label: kind_label(lang, k),
                count,
                href: page_href(q, Some(k.code()), None),
                selected: Some(k) == kind && category.is_none(),
            })
            .collect(),
        categories: results
            .facets
            .categories
            .into_iter()
            .map(|f| {
                let label = categories
                    .iter()
                    .find(|c| c.code.as_str() == f.value)
                    .map(|c| c.name(lang).to_owned())
                    .unwrap_or_else(|| f.value.clone());
                FacetLink {
                    label,
                    count: f.count,
                    href: page_href(q, Some(Kind::Service.code()), Some(&f.value)),
                    selected: category == Some(f.value.as_str()),
                }
            })
            .collect(),
        clear_kind: kind.map(|_| page_href(q, None, None)),
        clear_category: category.map(|_| page_href(q, Some(Kind::Service.code()), None)),
        suggestions: results
            .suggestions
            .iter()
            .map(|s| SuggestionLink {
                href: page_href(s, kind.map(Kind::code), category),
                q: s.clone(),
            })
            .collect(),
        building: state.app.search_building(),
    };
    Ok(render(&page))
}
