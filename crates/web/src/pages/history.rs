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
//! the scope rule is the same as for seeing contacts; the rule is `lipa_app`'s (`App::history`).

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::render;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use lipa_core::audit::{AuditEntry, EntityKind};
use serde::Deserialize;
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
    let kind = EntityKind::from_code(&entity).ok_or(WebError::NotFound)?;
    let page = q.page.unwrap_or(1).clamp(1, i64::MAX / PAGE_SIZE);
    let history = state
        .app
        .history(&ctx.access(), kind, &id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    let (entries, total, name) = (history.entries, history.total, history.name);
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
