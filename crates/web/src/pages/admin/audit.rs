//! The audit log: searched by record, actor and days, on the page and as CSV.

use super::*;

// --- audit log --------------------------------------------------------------------------------

/// The audit search as the form sends it; kept as typed, so the form shows it back.
#[derive(Debug, Default, Clone)]
pub(super) struct AuditQuery {
    pairs: Vec<(String, String)>,
    entity: String,
    id: String,
    actor: String,
    from: String,
    to: String,
    page: i64,
}

impl AuditQuery {
    fn parse(raw: Option<&str>) -> Self {
        let pairs = crate::pages::query::pairs(raw);
        let get = |k: &str| crate::pages::query::get(&pairs, k);
        AuditQuery {
            entity: get("entity"),
            id: get("id"),
            actor: get("actor"),
            from: get("from"),
            to: get("to"),
            // A page past any log's end, not an overflow of `(page - 1) * PAGE_SIZE`.
            page: get("page")
                .parse::<i64>()
                .unwrap_or(1)
                .clamp(1, i64::MAX / PAGE_SIZE),
            pairs,
        }
    }

    /// The store's search, or the problems of the date fields.
    fn search(&self, ctx: &Ctx, errors: &mut FormErrors) -> AuditSearch {
        let mut date = |field: &'static str, s: &str| -> Option<jiff::civil::Date> {
            if s.is_empty() {
                return None;
            }
            match s.parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, ctx.t1("aud-err-date", "value", s));
                    None
                }
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", ctx.t("aud-err-range"));
        }
        AuditSearch {
            entity: EntityKind::from_code(&self.entity),
            entity_id: Some(self.id.clone()).filter(|s| !s.is_empty()),
            actor: Some(self.actor.to_lowercase()).filter(|s| !s.is_empty()),
            from,
            to,
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
        }
    }

    /// The query string without the page (for the export link and page links).
    fn without_page(&self) -> String {
        crate::pages::query::with(&self.pairs, "page", None)
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub(super) struct AuditPage {
    ctx: Ctx,
    q: AuditQuery,
    kinds: Vec<(&'static str, String)>,
    entries: Vec<EntryView>,
    show_history_links: bool,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    export_query: String,
    errors: FormErrors,
}

pub(super) async fn audit_log(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    require_admin(&ctx)?;
    let q = AuditQuery::parse(raw.as_deref());
    let mut errors = FormErrors::default();
    let search = q.search(&ctx, &mut errors);
    let (entries, total) = if errors.is_empty() {
        state.app.search_audit(&ctx.access(), &search).await?
    } else {
        (Vec::new(), 0)
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let base = q.without_page();
    let page_link = |p: i64| {
        let sep = if base.is_empty() { "?" } else { "&" };
        format!("/admin/audit{base}{sep}page={p}")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AuditPage {
        kinds: EntityKind::ALL
            .iter()
            .map(|k| (k.code(), entity_label(&ctx, *k)))
            .collect(),
        entries: entries.iter().map(|e| entry_view(&ctx, e)).collect(),
        show_history_links: true,
        total,
        page: q.page,
        pages,
        prev: (q.page > 1).then(|| page_link(q.page - 1)),
        next: (q.page < pages).then(|| page_link(q.page + 1)),
        export_query: base.clone(),
        errors,
        q,
        ctx,
    };
    Ok(render_status(status, &page))
}

/// One CSV field: quoted, quotes doubled; a text that a spreadsheet would run as a formula
/// gets a leading apostrophe.
pub(super) fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if risky { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub(super) fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

pub(super) fn changes_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) async fn audit_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    require_admin(&ctx)?;
    let q = AuditQuery::parse(raw.as_deref());
    let mut errors = FormErrors::default();
    let mut search = q.search(&ctx, &mut errors);
    if let Some((_, m)) = errors.0.first() {
        return Err(WebError::BadRequest(m.clone()));
    }
    search.limit = 0;
    search.offset = 0;
    let (entries, _) = state.app.search_audit(&ctx.access(), &search).await?;
    let mut body = String::from("\u{FEFF}");
    body.push_str(&csv_line(
        &[
            "aud-th-id",
            "aud-th-at",
            "aud-th-actor",
            "aud-th-action",
            "aud-th-entity",
            "aud-th-record",
            "aud-note",
            "aud-th-changes",
            "aud-th-before-json",
            "aud-th-after-json",
        ]
        .map(|k| ctx.t(k)),
    ));
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    for e in &entries {
        let view = entry_view(&ctx, e);
        body.push_str(&csv_line(&[
            e.id.to_string(),
            e.at.clone(),
            e.actor.clone(),
            view.action,
            view.entity,
            e.entity_id.clone(),
            e.note.clone(),
            changes_text(&view.changes),
            json(&e.before),
            json(&e.after),
        ]));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lipa-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
