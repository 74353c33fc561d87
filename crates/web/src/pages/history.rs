//! One record's history (`/history/{entity}/{id}`): every audit entry about it, newest first,
//! each with who, when, what and a readable before/after diff of the fields that changed. The
//! same entry view and diff serve the admin's audit log (see `admin.rs`).
//!
//! Who may read it: admins, any record; coordinators and librarians, records in their scope —
//! a library by its place, a service by its library, a person by their library, an event or a
//! partner by its district. Accounts and the taxonomy: admins only. A deleted record is placed
//! by its last recorded version, so its history stays readable by the same people.
//!
//! Histories hold personal data (a person's contacts in their earlier versions), which is why
//! the scope rule is the same as for seeing contacts ([`crate::privacy`]).

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{OrPage, PageResult, WebError};
use crate::privacy::{library_place, person_place};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use lipa_core::audit::{AuditEntry, EntityKind};
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{LibraryId, RecordId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::Service;
use lipa_core::user::Place;
use lipa_store::AuditSearch;
use lipa_store::Store;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn routes() -> Router<AppState> {
    Router::new().route("/history/{entity}/{id}", get(show_history))
}

/// Entries per page of a history or of the audit log.
pub const PAGE_SIZE: i64 = 50;

/// One changed field: its dotted path and its value before and after, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// An audit entry as the pages show it.
pub struct EntryView {
    pub id: i64,
    /// RFC 3339, for `<time datetime>`.
    pub at: String,
    /// `2012-06-06 10:20 UTC`.
    pub at_label: String,
    pub actor: String,
    pub action: String,
    pub action_code: &'static str,
    pub entity: String,
    pub entity_code: &'static str,
    pub entity_id: String,
    /// The record's own page, when it has one.
    pub record_href: Option<String>,
    pub history_href: String,
    pub note: String,
    pub changes: Vec<Change>,
}

/// The text of an entity kind (`Library`, `Библиотека`).
pub fn entity_label(ctx: &Ctx, kind: EntityKind) -> String {
    ctx.t(&format!("aud-entity-{}", kind.code()))
}

/// The page of a record, where there is one.
pub fn record_href(kind: EntityKind, id: &str) -> Option<String> {
    let base = match kind {
        EntityKind::Library => "/libraries",
        EntityKind::Service => "/services",
        EntityKind::Partner => "/partners",
        EntityKind::Event => "/events",
        EntityKind::User => "/admin/users",
        _ => return None,
    };
    id.parse::<i64>().ok().map(|n| format!("{base}/{n}"))
}

fn time_label(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => at.to_owned(),
    }
}

pub fn entry_view(ctx: &Ctx, e: &AuditEntry) -> EntryView {
    EntryView {
        id: e.id,
        at: e.at.clone(),
        at_label: time_label(&e.at),
        actor: e.actor.clone(),
        action: ctx.t(&format!("aud-action-{}", e.action.code())),
        action_code: e.action.code(),
        entity: entity_label(ctx, e.entity),
        entity_code: e.entity.code(),
        entity_id: e.entity_id.clone(),
        record_href: record_href(e.entity, &e.entity_id),
        history_href: format!("/history/{}/{}", e.entity.code(), e.entity_id),
        note: e.note.clone(),
        changes: diff(ctx, e.before.as_ref(), e.after.as_ref()),
    }
}

/// The fields of a record as (dotted path, text) in document order; empty lists and objects
/// and nulls are left out, so "absent" and "empty" read the same.
fn flatten(ctx: &Ctx, prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push((
            prefix.to_owned(),
            ctx.t(if *b { "answer-yes" } else { "answer-no" }),
        )),
        Value::Number(n) => out.push((prefix.to_owned(), n.to_string())),
        Value::String(s) => {
            if !s.is_empty() {
                out.push((prefix.to_owned(), s.clone()));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(ctx, &format!("{prefix}[{i}]"), item, out);
            }
        }
        Value::Object(o) => {
            for (k, item) in o {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(ctx, &path, item, out);
            }
        }
    }
}

/// The fields that differ between two versions of a record. A creation lists every field of
/// the new record; a deletion every field of the old one.
pub fn diff(ctx: &Ctx, before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let mut b = Vec::new();
    let mut a = Vec::new();
    if let Some(v) = before {
        flatten(ctx, "", v, &mut b);
    }
    if let Some(v) = after {
        flatten(ctx, "", v, &mut a);
    }
    let find = |list: &[(String, String)], k: &str| {
        list.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let mut out: Vec<Change> = Vec::new();
    for (k, v) in &a {
        let old = find(&b, k).unwrap_or_default();
        if &old != v {
            out.push(Change {
                field: k.clone(),
                before: old,
                after: v.clone(),
            });
        }
    }
    for (k, v) in &b {
        if find(&a, k).is_none() {
            out.push(Change {
                field: k.clone(),
                before: v.clone(),
                after: String::new(),
            });
        }
    }
    out
}

/// The newest recorded version of a record (its `after`, or for a deletion its `before`).
fn latest_snapshot<T: DeserializeOwned>(entries: &[AuditEntry]) -> Option<T> {
    entries
        .iter()
        .find_map(|e| e.after.clone().or_else(|| e.before.clone()))
        .and_then(|v| serde_json::from_value(v).ok())
}

/// A record (current, else its last recorded version) and its name for headings.
async fn find_record<T: DeserializeOwned>(
    store: &Store,
    kind: EntityKind,
    id: &str,
    current: Option<T>,
) -> Result<Option<T>, WebError> {
    if current.is_some() {
        return Ok(current);
    }
    let (entries, _) = store
        .search_audit(&AuditSearch {
            entity: Some(kind),
            entity_id: Some(id.to_owned()),
            limit: 20,
            ..Default::default()
        })
        .await?;
    Ok(latest_snapshot(&entries))
}

async fn place_of_library(store: &Store, id: LibraryId) -> Result<Place, WebError> {
    Ok(match store.library(id).await? {
        Some(l) => library_place(&l.record),
        None => {
            let lib: Option<Library> =
                find_record(store, EntityKind::Library, &id.to_string(), None).await?;
            lib.map(|l| library_place(&l)).unwrap_or(Place {
                district: None,
                library: Some(id),
            })
        }
    })
}

fn district_place(settlement: Option<&lipa_core::ids::Ekatte>) -> Place {
    Place {
        district: settlement
            .and_then(|e| Gazetteer::get().settlement(e.as_str()))
            .map(|s| s.district.clone()),
        library: None,
    }
}

/// Where a record sits in the tree (for the scope check) and its name, if the record exists or
/// ever existed. `Ok(None)`: no such record. A place of `None`: only admins may read it.
pub async fn record_place(
    store: &Store,
    kind: EntityKind,
    id: &str,
) -> Result<Option<(Option<Place>, String)>, WebError> {
    let num: Option<RecordId> = id.parse().ok();
    Ok(match kind {
        EntityKind::Library => {
            let Ok(lib_id) = LibraryId::parse(id) else {
                return Ok(None);
            };
            let current = store.library(lib_id).await?.map(|v| v.record);
            find_record::<Library>(store, kind, id, current)
                .await?
                .map(|l| (Some(library_place(&l)), l.name))
        }
        EntityKind::Service => {
            let Some(n) = num else { return Ok(None) };
            let current = store.service(n).await?.map(|v| v.record);
            match find_record::<Service>(store, kind, id, current).await? {
                Some(s) => Some((Some(place_of_library(store, s.library).await?), s.card.name)),
                None => None,
            }
        }
        EntityKind::Person => {
            let Some(n) = num else { return Ok(None) };
            let current = store.person(n).await?.map(|v| v.record);
            match find_record::<Person>(store, kind, id, current).await? {
                Some(p) => {
                    let place = person_place(store, &p).await?;
                    // A person linked to no library is in no one's scope but the admins'.
                    let place = p.library.map(|_| place);
                    Some((place, p.name))
                }
                None => None,
            }
        }
        EntityKind::Event => {
            let Some(n) = num else { return Ok(None) };
            let current = store.event(n).await?.map(|v| v.record);
            find_record::<Event>(store, kind, id, current)
                .await?
                .map(|e| {
                    let place = match &e.district {
                        Some(d) => Place {
                            district: Some(d.clone()),
                            library: None,
                        },
                        None => district_place(e.settlement.as_ref()),
                    };
                    (place.district.is_some().then_some(place), e.title)
                })
        }
        EntityKind::Partner => {
            let Some(n) = num else { return Ok(None) };
            let current = store.partner(n).await?.map(|v| v.record);
            find_record::<Partner>(store, kind, id, current)
                .await?
                .map(|p| {
                    let place = district_place(p.settlement.as_ref());
                    (place.district.is_some().then_some(place), p.name)
                })
        }
        EntityKind::User => {
            let Some(n) = num else { return Ok(None) };
            store
                .user(n)
                .await?
                .map(|u| (None, u.record.login))
                .or(Some((None, id.to_owned())))
        }
        EntityKind::Category | EntityKind::PartnerKind => Some((None, id.to_owned())),
    })
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "history/record.html")]
struct HistoryPage {
    ctx: Ctx,
    title: String,
    record_name: String,
    record_href: Option<String>,
    entries: Vec<EntryView>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
}

async fn show_history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((entity, id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let user = ctx.require_user().or_page(&ctx)?;
    let kind = EntityKind::from_code(&entity)
        .ok_or(WebError::NotFound)
        .or_page(&ctx)?;
    let store = &state.store;
    let page = q.page.unwrap_or(1).max(1);
    let (entries, total) = store
        .search_audit(&AuditSearch {
            entity: Some(kind),
            entity_id: Some(id.clone()),
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            ..Default::default()
        })
        .await
        .or_page(&ctx)?;
    let found = record_place(store, kind, &id).await.or_page(&ctx)?;
    let (place, name) = match found {
        Some(f) => f,
        // Nothing recorded and nothing stored: an admin learns so; others learn nothing more.
        None if total == 0 => return Err(WebError::NotFound).or_page(&ctx),
        None => (None, String::new()),
    };
    let allowed = ctx.is_admin() || place.as_ref().is_some_and(|p| user.role.covers(p));
    if !allowed {
        return Err(WebError::Forbidden).or_page(&ctx);
    }
    if total == 0 && name.is_empty() {
        return Err(WebError::NotFound).or_page(&ctx);
    }
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let base = format!("/history/{}/{}", kind.code(), id);
    let page_link = |p: i64| format!("{base}?page={p}");
    let view = HistoryPage {
        title: ctx.t2(
            "aud-history-title",
            "entity",
            entity_label(&ctx, kind),
            "id",
            &id,
        ),
        record_name: name,
        record_href: record_href(kind, &id),
        entries: entries.iter().map(|e| entry_view(&ctx, e)).collect(),
        total,
        page,
        pages,
        prev: (page > 1).then(|| page_link(page - 1)),
        next: (page < pages).then(|| page_link(page + 1)),
        ctx,
    };
    Ok(render(&view))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lipa_core::Lang;
    use serde_json::json;

    fn ctx() -> Ctx {
        Ctx {
            lang: Lang::En,
            user: None,
            here: "/".into(),
        }
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let before =
            json!({"name": "Читалище", "contacts": {"phone": "078 1"}, "coordinator": false});
        let after = json!({"name": "Читалище „Лоза 1870“", "contacts": {}, "coordinator": false});
        let d = diff(&ctx(), Some(&before), Some(&after));
        assert_eq!(
            d,
            vec![
                Change {
                    field: "name".into(),
                    before: "Читалище".into(),
                    after: "Читалище „Лоза 1870“".into()
                },
                Change {
                    field: "contacts.phone".into(),
                    before: "078 1".into(),
                    after: String::new()
                },
            ]
        );
    }

    #[test]
    fn creation_lists_every_field_with_list_positions() {
        let after = json!({"participants": [{"name": "А"}, {"name": "Б"}], "published": true});
        let d = diff(&ctx(), None, Some(&after));
        let fields: Vec<_> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["participants[0].name", "participants[1].name", "published"]
        );
        assert_eq!(d[2].after, "yes");
    }
}
