//! Volunteer support: the services that volunteers support, by district and category.

use super::*;

// --- volunteers ---------------------------------------------------------------------------------

pub struct ShareRow {
    pub label: String,
    pub href: String,
    pub volunteer: i64,
    pub all: i64,
    pub pct: i64,
}

#[derive(Template)]
#[template(path = "reports/volunteers.html")]
pub(super) struct VolunteersPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    tables: Vec<ShareTable>,
    total: ShareRow,
}

/// One table of the volunteers report: by district, or by category.
pub struct ShareTable {
    pub id: &'static str,
    pub heading: String,
    pub corner: String,
    pub rows: Vec<ShareRow>,
}

pub(super) async fn volunteers_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let q = ReportQuery {
        district: None,
        ..q
    };
    let form = FilterForm {
        action: "/reports/volunteers",
        district: None,
        year: Some(year_select(app, &ctx, None, q.year, true).await?),
    };
    let categories = app.categories().await?;
    let cells = app.volunteer_support(q.year).await?;
    let year = q.year.map(|y| y.to_string());
    let share =
        |label: String, key: &str, value: &str, rows: &mut Vec<ShareRow>, v: i64, n: i64| {
            if let Some(r) = rows.iter_mut().find(|r| r.label == label) {
                r.volunteer += v;
                r.all += n;
            } else {
                let mut link = vec![(key, value), ("volunteers", "yes")];
                if let Some(y) = &year {
                    link.push(("year", y));
                }
                rows.push(ShareRow {
                    label,
                    href: format!(
                        "/libraries?{}",
                        serde_urlencoded::to_string(&link).unwrap_or_default()
                    ),
                    volunteer: v,
                    all: n,
                    pct: 0,
                });
            }
        };
    let mut by_district = Vec::new();
    let mut by_category = Vec::new();
    for c in &cells {
        share(
            district_name(ctx.lang, &c.district),
            "district",
            &c.district,
            &mut by_district,
            c.volunteer_services,
            c.services,
        );
        share(
            category_name(ctx.lang, &categories, &c.category),
            "category",
            &c.category,
            &mut by_category,
            c.volunteer_services,
            c.services,
        );
    }
    for r in by_district.iter_mut().chain(by_category.iter_mut()) {
        r.pct = percent(r.volunteer, r.all);
    }
    by_district.sort_by(|a, b| a.label.cmp(&b.label));
    // Categories in the taxonomy's order.
    by_category.sort_by_key(|r| {
        categories
            .iter()
            .position(|c| c.name(ctx.lang) == r.label)
            .unwrap_or(usize::MAX)
    });
    let v: i64 = cells.iter().map(|c| c.volunteer_services).sum();
    let n: i64 = cells.iter().map(|c| c.services).sum();
    let total = ShareRow {
        label: ctx.t("rep-total"),
        href: String::new(),
        volunteer: v,
        all: n,
        pct: percent(v, n),
    };
    Ok(render(&VolunteersPage {
        form,
        title: ctx.t1("rep-volunteers-heading", "period", period(&ctx, q.year)),
        tables: vec![
            ShareTable {
                id: "vol-district",
                heading: ctx.t("rep-volunteers-by-district"),
                corner: ctx.t("rep-col-district"),
                rows: by_district,
            },
            ShareTable {
                id: "vol-category",
                heading: ctx.t("rep-volunteers-by-category"),
                corner: ctx.t("rep-col-category"),
                rows: by_category,
            },
        ],
        total,
        ctx,
    }))
}
