//! Search over every kind of record: `GET /api/v1/search?q=…&limit=…&kind=…` (routed and
//! described with the rest of the API in `api::openapi`), and the helpers the pages use to
//! search with the same index (`pages::search`, `pages::libraries::apply_text_query`).
//!
//! The index and what a reader may find in it are `lipa_app`'s (`App::search`, which applies the
//! pending changes first, so that whoever just saved a record finds it at once): drafts and
//! unpublished events for users in scope, people only for signed-in users in scope, personal
//! contacts never.
//!
//! Answers are JSON; errors are problem+json like the rest of `/api/v1` (the API's own layer and
//! query reader are reused). Snippets are HTML with everything escaped but `<mark>`.
//!
//! A search runs on tokio's blocking pool, never on the async runtime, within the index's own
//! bounds (`lipa_search::plan::MAX_WORDS` words, `MAX_TERMS_PER_WORD` terms a word,
//! `TIME_BUDGET`), and asks the index only for the hits the answer shows; a list page that
//! narrows itself by text asks for library IDs alone (`App::library_ids`).

use crate::AppState;
use crate::api::Reader;
use crate::api::error::{ApiError, ApiQuery, ReadProblems};
use axum::Json;
use axum::extract::State;
use lipa_core::Lang;
use lipa_core::i18n::tr;
use lipa_search::{Kind, Query};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Hits a search answers when the client does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// Most hits a search answers.
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to search for, in Cyrillic or Latin letters; the last one may be unfinished.
    #[serde(default)]
    pub q: Option<String>,
    /// Hits to answer, 1–100 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Only hits of this kind (the facet counts still count every kind).
    #[serde(default)]
    #[param(value_type = Option<SearchKind>)]
    pub kind: Option<SearchKind>,
    /// Only services of this category (a code of `GET /api/v1/categories`, as in
    /// `facets.categories`); the facet counts still count every one.
    #[serde(default)]
    pub category: Option<String>,
}

/// A kind of record, as the search names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    Library,
    Service,
    Partner,
    Event,
    /// Only for signed-in users whose scope covers the person.
    Person,
}

impl From<SearchKind> for Kind {
    fn from(k: SearchKind) -> Self {
        match k {
            SearchKind::Library => Kind::Library,
            SearchKind::Service => Kind::Service,
            SearchKind::Partner => Kind::Partner,
            SearchKind::Event => Kind::Event,
            SearchKind::Person => Kind::Person,
        }
    }
}

/// The answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchAnswer {
    pub q: String,
    /// Hits of the kind asked for, beyond the limit too.
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
    /// When nothing is found: queries that find something, made of the words of public records
    /// closest to the ones asked for ("did you mean …?"), best first. Empty otherwise.
    pub suggestions: Vec<SearchSuggestion>,
}

/// "Did you mean …?"
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchSuggestion {
    /// The query suggested.
    pub q: String,
    /// The same search with the suggested query.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    #[schema(value_type = SearchKind)]
    pub kind: Kind,
    /// A library's programme ID, else the record's ID.
    pub id: i64,
    /// The programme ID of the library of a service or person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library_id: Option<u32>,
    pub title: String,
    /// HTML: the record's text escaped, the words found in `<mark>`.
    pub snippet: String,
    pub score: f32,
    /// The record's page.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacets {
    /// Hits by kind, whatever `kind` asked for.
    pub kinds: Vec<FacetValue>,
    /// Service hits by category.
    pub categories: Vec<FacetValue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// The page of a record.
pub fn href(kind: Kind, id: i64) -> String {
    match kind {
        Kind::Library => format!("/libraries/{id}"),
        Kind::Service => format!("/services/{id}"),
        Kind::Partner => format!("/partners/{id}"),
        Kind::Event => format!("/events/{id}"),
        // People have no page of their own: their record is in the API.
        Kind::Person => format!("/api/v1/persons/{id}"),
    }
}

/// The name of a kind of record, for facet labels.
pub fn kind_label(lang: Lang, kind: Kind) -> String {
    tr(lang, &format!("search-kind-{}", kind.code()), &[])
}

/// Search every kind of record
///
/// Ranked hits of every kind the reader may see: names before titles before body text. Latin
/// finds Cyrillic (`kiustendil` → Кюстендил), word forms find each other, an adjective finds its
/// place (`дупнишки` → Дупница), a typo is forgiven in words of 5–8 letters and two in longer
/// ones, and the last word may be unfinished. At most 10 words are read. When nothing is found,
/// `suggestions` offers queries made of public records' words that do find something.
#[utoipa::path(get, path = "/search", tag = "search", operation_id = "search_records",
    params(SearchParams),
    responses((status = 200, description = "The hits, with facet counts", body = SearchAnswer),
        ReadProblems),
    security((), ("bearer" = [])))]
pub async fn search_records(
    State(state): State<AppState>,
    Reader(ctx): Reader,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let kind = p.kind.map(Kind::from);
    let limit = match p.limit {
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return Err(ApiError::bad_query("limit")),
        None => DEFAULT_LIMIT,
    };
    let q = p.q.unwrap_or_default();
    let category = p.category.filter(|c| !c.trim().is_empty());
    let query = Query {
        text: q.clone(),
        kind,
        category: category.clone(),
        limit,
        viewer: Default::default(),
        partial: true,
    };
    let results = state.app.search(&ctx.access(), &query).await?;
    let categories = state.app.categories().await?;
    let lang = ctx.lang;
    let suggestions = results
        .suggestions
        .iter()
        .map(|s| {
            let mut pairs = vec![("q", s.as_str())];
            if let Some(k) = kind {
                pairs.push(("kind", k.code()));
            }
            if let Some(c) = &category {
                pairs.push(("category", c.as_str()));
            }
            SearchSuggestion {
                q: s.clone(),
                href: format!(
                    "/api/v1/search?{}",
                    serde_urlencoded::to_string(&pairs).unwrap_or_default()
                ),
            }
        })
        .collect();
    let answer = SearchAnswer {
        suggestions,
        q,
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|h| SearchHit {
                href: href(h.kind, h.id),
                kind: h.kind,
                id: h.id,
                library_id: h.library_id,
                title: h.title,
                snippet: h.snippet_html,
                score: h.score,
            })
            .collect(),
        facets: SearchFacets {
            kinds: results
                .facets
                .kinds
                .into_iter()
                .map(|f| FacetValue {
                    label: Kind::from_code(&f.value)
                        .map(|k| kind_label(lang, k))
                        .unwrap_or_else(|| f.value.clone()),
                    value: f.value,
                    count: f.count,
                })
                .collect(),
            categories: results
                .facets
                .categories
                .into_iter()
                .map(|f| FacetValue {
                    label: categories
                        .iter()
                        .find(|c| c.code.as_str() == f.value)
                        .map(|c| c.name(lang).to_owned())
                        .unwrap_or_else(|| f.value.clone()),
                    value: f.value,
                    count: f.count,
                })
                .collect(),
        },
    };
    Ok(Json(answer))
}
