//! Target groups: whom the published services reach, by category.

use super::*;

// --- target groups ------------------------------------------------------------------------------

pub struct GroupRow {
    pub name: String,
    pub href: String,
    pub services: i64,
    pub libraries: i64,
    /// Category names with their number of services.
    pub categories: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "reports/target_groups.html")]
pub(super) struct TargetGroupsPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    rows: Vec<GroupRow>,
    chart: Vec<Bar>,
}

pub(super) async fn target_groups_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let form = FilterForm::any_district(app, &ctx, "/reports/target-groups", &q, false).await?;
    let categories = app.categories().await?;
    let reach = app.target_group_reach(q.district.as_ref()).await?;
    let rows: Vec<GroupRow> = reach
        .into_iter()
        .map(|r| {
            let mut link = vec![("group", r.name.clone())];
            if let Some(d) = &q.district {
                link.push(("district", d.to_string()));
            }
            GroupRow {
                href: format!(
                    "/libraries?{}",
                    serde_urlencoded::to_string(&link).unwrap_or_default()
                ),
                categories: r
                    .categories
                    .iter()
                    .map(|(c, n)| (category_name(ctx.lang, &categories, c), *n))
                    .collect(),
                name: r.name,
                services: r.services,
                libraries: r.libraries,
            }
        })
        .collect();
    let chart = bars(
        rows.iter()
            .map(|r| (r.name.clone(), r.services, r.href.clone()))
            .collect(),
    );
    let title = match &q.district {
        Some(d) => ctx.t1(
            "rep-target-groups-heading-district",
            "district",
            district_name(ctx.lang, d.as_str()),
        ),
        None => ctx.t("rep-target-groups-title"),
    };
    Ok(render(&TargetGroupsPage {
        form,
        title,
        rows,
        chart,
        ctx,
    }))
}
