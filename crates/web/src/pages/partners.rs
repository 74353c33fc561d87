//! The partners of the libraries: the list (search by name, a kind facet with counts) and the
//! page of one partner with the libraries and services it partners in — the services whose
//! step 4 names it, as the store links them on every save (`service_partners`).
//!
//! Drafts count only for users whose scope covers their library, as everywhere.

use super::services::ServiceItem;
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use lipa_app::{App, PartnerFilter};
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{CategoryCode, PartnerId};
use lipa_core::taxonomy::PartnerKind;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partners", get(list_partners))
        .route("/partners/{id}", get(show_partner))
}

fn kind_name(kinds: &[PartnerKind], lang: Lang, code: &CategoryCode) -> String {
    kinds
        .iter()
        .find(|k| &k.code == code)
        .map(|k| k.name(lang).to_owned())
        .unwrap_or_else(|| code.to_string())
}

pub(crate) struct KindOption {
    pub label: String,
    pub count: i64,
    pub href: String,
    pub selected: bool,
}

pub(crate) struct PartnerRow {
    pub id: PartnerId,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub services: i64,
}

#[derive(Template)]
#[template(path = "partners/list.html")]
struct ListPage {
    ctx: Ctx,
    q: String,
    kind: String,
    kinds: Vec<KindOption>,
    clear_kind: Option<String>,
    rows: Vec<PartnerRow>,
}

fn list_href(kind: Option<&str>, q: &str) -> String {
    let mut pairs = Vec::new();
    if let Some(k) = kind {
        pairs.push(("kind", k));
    }
    if !q.trim().is_empty() {
        pairs.push(("q", q.trim()));
    }
    let s = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if s.is_empty() {
        "/partners".into()
    } else {
        format!("/partners?{s}")
    }
}

async fn list_partners(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    list_page(&state.app, &ctx, raw.as_deref()).await
}

async fn list_page(app: &App, ctx: &Ctx, raw: Option<&str>) -> Result<Response, WebError> {
    let pairs = super::query::pairs(raw);
    let get = |k: &str| super::query::get(&pairs, k);
    let q = get("q");
    // An unknown kind is ignored, never an error page: the query string is the user's to edit.
    let kind = CategoryCode::parse(&get("kind")).ok();
    let filter = PartnerFilter {
        kind: kind.clone(),
        q: q.clone(),
    };
    let kinds = app.partner_kinds().await?;
    let list = app.partner_list(&ctx.access(), &filter).await?;
    let counts = list.kind_counts;
    let uses = list.service_counts;
    let rows = list
        .partners
        .into_iter()
        .map(|p| PartnerRow {
            id: p.id,
            services: uses
                .iter()
                .find(|(id, _)| *id == p.id)
                .map(|(_, n)| *n)
                .unwrap_or(0),
            name: p.record.name,
            short_name: p.record.short_name,
            kind: kind_name(&kinds, ctx.lang, &p.record.kind),
        })
        .collect();
    let kind_code = kind.as_ref().map(|k| k.to_string()).unwrap_or_default();
    let page = ListPage {
        ctx: ctx.clone(),
        kinds: counts
            .iter()
            .map(|c| KindOption {
                label: CategoryCode::parse(&c.value)
                    .map(|code| kind_name(&kinds, ctx.lang, &code))
                    .unwrap_or_else(|_| c.value.clone()),
                count: c.count,
                href: list_href(Some(&c.value), &q),
                selected: c.value == kind_code,
            })
            .collect(),
        clear_kind: kind.is_some().then(|| list_href(None, &q)),
        kind: kind_code,
        rows,
        q,
    };
    Ok(render(&page))
}

/// A service the partner takes part in, with its library and the partner's role in it.
pub(crate) struct Involvement {
    pub service: ServiceItem,
    pub library_id: u32,
    pub library_name: String,
    pub place: String,
    pub role: String,
}

/// A library the partner works with, and how many of its services.
pub(crate) struct LibraryLink {
    pub id: u32,
    pub name: String,
    pub place: String,
    pub services: usize,
}

#[derive(Template)]
#[template(path = "partners/show.html")]
struct ShowPage {
    ctx: Ctx,
    name: String,
    short_name: String,
    kind: String,
    kind_href: String,
    place: String,
    website: String,
    description: String,
    libraries: Vec<LibraryLink>,
    involvements: Vec<Involvement>,
}

async fn show_partner(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    partner_page(&state.app, &ctx, &id).await
}

async fn partner_page(app: &App, ctx: &Ctx, raw: &str) -> Result<Response, WebError> {
    let id: PartnerId = raw.trim().parse().map_err(|_| WebError::NotFound)?;
    let view = app.partner_view(&ctx.access(), id).await?;
    let partner = &view.partner;
    let p = &partner.record;
    let kinds = app.partner_kinds().await?;
    let categories = app.categories().await?;
    let (services, links, libs) = (&view.services, &view.links, &view.libraries);

    let mut involvements = Vec::new();
    let mut libraries: Vec<LibraryLink> = Vec::new();
    for s in services {
        let Some(lib) = libs.iter().find(|l| l.record.id == s.record.library) else {
            continue;
        };
        let (place, _) = crate::format::place_label(ctx.lang, &lib.record);
        // The rows of step 4 that are this partner (by the card's ID or the store's link).
        let role = s
            .record
            .card
            .partners
            .iter()
            .enumerate()
            .filter(|(i, sp)| {
                sp.partner_id == Some(id)
                    || links.iter().any(|k| {
                        k.service_id == s.id && k.position == *i && k.partner_id == Some(id)
                    })
            })
            .map(|(_, sp)| sp.role.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        match libraries.iter_mut().find(|l| l.id == lib.record.id.get()) {
            Some(l) => l.services += 1,
            None => libraries.push(LibraryLink {
                id: lib.record.id.get(),
                name: lib.record.name.clone(),
                place: place.clone(),
                services: 1,
            }),
        }
        involvements.push(Involvement {
            service: ServiceItem::new(ctx.lang, &categories, s),
            library_id: lib.record.id.get(),
            library_name: lib.record.name.clone(),
            place,
            role,
        });
    }
    let place = p
        .settlement
        .as_ref()
        .and_then(|e| Gazetteer::get().settlement(e.as_str()))
        .map(|s| {
            if ctx.lang == Lang::Bg {
                s.label_bg()
            } else {
                s.name_en.clone()
            }
        })
        .unwrap_or_default();
    let page = ShowPage {
        ctx: ctx.clone(),
        name: p.name.clone(),
        short_name: p.short_name.clone(),
        kind: kind_name(&kinds, ctx.lang, &p.kind),
        kind_href: list_href(Some(p.kind.as_str()), ""),
        place,
        website: if p.website.starts_with("https://") || p.website.starts_with("http://") {
            p.website.clone()
        } else {
            String::new()
        },
        description: p.description.clone(),
        libraries,
        involvements,
    };
    Ok(render(&page))
}
