//! The page of one library: where it is (breadcrumbs district → municipality → settlement, each
//! a link to the list filtered to it), its details and contacts, its services (published ones;
//! drafts too, marked, for users whose scope covers it), the partners its service cards name,
//! and the events of its district.
//!
//! Events are matched by district, not by who took part: participants' organisations are free
//! text, and guessing a library from them would show wrong links. The section says so.

use super::services::ServiceItem;
use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use lipa_app::App;
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{EventId, LibraryId, ServiceId};
use lipa_core::text::fold_name;

pub fn routes() -> Router<AppState> {
    Router::new().route("/libraries/{id}", get(show_library))
}

pub(crate) struct Crumb {
    pub label: String,
    pub href: String,
}

/// One line of the details list.
pub(crate) struct Detail {
    pub term: String,
    pub value: String,
    pub href: Option<String>,
}

/// A partner named in the library's service cards, with what it does in them.
pub(crate) struct PartnerItem {
    pub name: String,
    pub href: Option<String>,
    pub roles: Vec<String>,
    pub services: Vec<String>,
}

pub(crate) struct EventItem {
    pub id: EventId,
    pub title: String,
    pub dates: String,
    pub kind: String,
    pub unpublished: bool,
}

#[derive(Template)]
#[template(path = "library/show.html")]
struct LibraryPage {
    ctx: Ctx,
    id: u32,
    name: String,
    crumbs: Vec<Crumb>,
    details: Vec<Detail>,
    services: Vec<ServiceItem>,
    partners: Vec<PartnerItem>,
    events: Vec<EventItem>,
    district_name: String,
    can_change: bool,
    /// schema.org `Library` (see [`crate::linked_data`]).
    jsonld: Option<String>,
}

fn list_link(pairs: &[(&str, &str)]) -> String {
    format!(
        "/libraries?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// District → municipality → settlement, each linking to the list of libraries there.
fn crumbs(ctx: &Ctx, ekatte: &str) -> (Vec<Crumb>, String) {
    let g = Gazetteer::get();
    let bg = ctx.lang == Lang::Bg;
    let mut out = vec![Crumb {
        label: ctx.t("nav-libraries"),
        href: "/libraries".into(),
    }];
    let Some(s) = g.settlement(ekatte) else {
        return (out, String::new());
    };
    let mut district_name = String::new();
    if let Some(d) = g.district(s.district.as_str()) {
        district_name = if bg {
            d.name_bg.clone()
        } else {
            d.name_en.clone()
        };
        out.push(Crumb {
            label: ctx.t1("lib-crumb-district", "name", &district_name),
            href: list_link(&[("district", d.code.as_str())]),
        });
    }
    if let Some(m) = g.municipality(s.municipality.as_str()) {
        let name = if bg { &m.name_bg } else { &m.name_en };
        out.push(Crumb {
            label: ctx.t1("lib-crumb-municipality", "name", name),
            href: list_link(&[
                ("district", s.district.as_str()),
                ("municipality", m.code.as_str()),
            ]),
        });
    }
    out.push(Crumb {
        label: if bg { s.label_bg() } else { s.name_en.clone() },
        // The list has no settlement filter; its search finds a settlement by name.
        href: list_link(&[
            ("district", s.district.as_str()),
            ("municipality", s.municipality.as_str()),
            ("q", s.name_bg.as_str()),
        ]),
    });
    (out, district_name)
}

async fn show_library(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let origin = crate::linked_data::origin(&headers, &state);
    library_page(&state.app, &ctx, &id, &origin).await
}

async fn library_page(app: &App, ctx: &Ctx, raw: &str, origin: &str) -> Result<Response, WebError> {
    let id = LibraryId::parse(raw).map_err(|_| WebError::NotFound)?;
    let view = app.library_view(&ctx.access(), id).await?;
    let l = &view.library.record;
    let place = view.place.clone();
    let categories = app.categories().await?;
    let services = &view.services;
    let (crumbs, district_name) = crumbs(ctx, l.settlement.as_str());

    let mut details = vec![
        Detail {
            term: ctx.t("lib-id"),
            value: l.id.to_string(),
            href: None,
        },
        Detail {
            term: ctx.t("lib-kind"),
            value: l.kind.label(ctx.lang),
            href: None,
        },
    ];
    if let Some(c) = &l.chitalishte {
        details.push(Detail {
            term: ctx.t("lib-chitalishte"),
            value: ctx.t1("lib-chitalishte-name", "name", &c.name),
            href: None,
        });
        if let Some(y) = c.founded {
            details.push(Detail {
                term: ctx.t("lib-founded"),
                value: y.to_string(),
                href: None,
            });
        }
    }
    let (settlement, municipality) = crate::format::place_label(ctx.lang, l);
    details.push(Detail {
        term: ctx.t("lib-place"),
        value: ctx.t2(
            "lib-place-value",
            "settlement",
            settlement,
            "municipality",
            municipality,
        ),
        href: None,
    });
    details.push(Detail {
        term: ctx.t("lib-coordinator"),
        value: ctx.t(if l.coordinator {
            "lib-coordinator-yes"
        } else {
            "answer-no"
        }),
        href: None,
    });
    let c = &l.contacts;
    for (key, value, href) in [
        ("lib-address", &c.address, None),
        ("lib-phone", &c.phone, Some(format!("tel:{}", c.phone))),
        ("lib-email", &c.email, Some(format!("mailto:{}", c.email))),
        (
            "lib-website",
            &c.website,
            (c.website.starts_with("https://") || c.website.starts_with("http://"))
                .then(|| c.website.clone()),
        ),
    ] {
        if !value.trim().is_empty() {
            details.push(Detail {
                term: ctx.t(key),
                value: value.clone(),
                href,
            });
        }
    }

    // Step 4 of the cards, one entry per partner (the registry's, or a name not in it).
    let ids: Vec<ServiceId> = services.iter().map(|s| s.id).collect();
    let links = app.service_partner_links(&ids).await?;
    let mut partners: Vec<(String, PartnerItem)> = Vec::new();
    for s in services {
        for (i, p) in s.record.card.partners.iter().enumerate() {
            let partner_id = p.partner_id.or_else(|| {
                links
                    .iter()
                    .find(|k| k.service_id == s.id && k.position == i)
                    .and_then(|k| k.partner_id)
            });
            let key = match partner_id {
                Some(pid) => format!("#{pid}"),
                None => fold_name(&p.name),
            };
            let entry = match partners.iter().position(|(k, _)| *k == key) {
                Some(at) => &mut partners[at].1,
                None => {
                    partners.push((
                        key,
                        PartnerItem {
                            name: p.name.clone(),
                            href: partner_id.map(|pid| format!("/partners/{pid}")),
                            roles: vec![],
                            services: vec![],
                        },
                    ));
                    &mut partners.last_mut().expect("just pushed").1
                }
            };
            let role = p.role.trim();
            if !role.is_empty() && !entry.roles.iter().any(|r| r == role) {
                entry.roles.push(role.to_owned());
            }
            if !entry.services.contains(&s.record.card.name) {
                entry.services.push(s.record.card.name.clone());
            }
        }
    }

    let events = view
        .events
        .iter()
        .map(|e| EventItem {
            id: e.id,
            title: e.record.title.clone(),
            dates: if e.record.starts == e.record.ends {
                crate::format::date_label(ctx.lang, e.record.starts)
            } else {
                format!(
                    "{} – {}",
                    crate::format::date_label(ctx.lang, e.record.starts),
                    crate::format::date_label(ctx.lang, e.record.ends)
                )
            },
            kind: e.record.kind.label(ctx.lang),
            unpublished: !e.record.published,
        })
        .collect();

    let page = LibraryPage {
        ctx: ctx.clone(),
        id: l.id.get(),
        name: l.name.clone(),
        crumbs,
        details,
        services: services
            .iter()
            .map(|s| ServiceItem::new(ctx.lang, &categories, s))
            .collect(),
        partners: partners.into_iter().map(|(_, p)| p).collect(),
        events,
        district_name,
        can_change: ctx.can_change(&place),
        jsonld: Some(crate::linked_data::script_json(
            &crate::linked_data::library(origin, l),
        )),
    };
    Ok(render(&page))
}
