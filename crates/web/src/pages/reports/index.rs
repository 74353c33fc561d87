//! The reports index.

use super::*;

// --- index --------------------------------------------------------------------------------------

pub struct ReportLink {
    pub href: &'static str,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
pub(super) struct IndexPage {
    ctx: Ctx,
    reports: Vec<ReportLink>,
}

pub(super) async fn reports_index(ctx: Ctx) -> PageResult {
    let reports = [
        ("/reports/district", "district"),
        ("/reports/matrix", "matrix"),
        ("/reports/coverage", "coverage"),
        ("/reports/target-groups", "target-groups"),
        ("/reports/volunteers", "volunteers"),
        ("/reports/partners", "partners"),
    ]
    .into_iter()
    .map(|(href, key)| ReportLink {
        href,
        title: ctx.t(&format!("rep-{key}-title")),
        text: ctx.t(&format!("rep-{key}-desc")),
    })
    .collect();
    Ok(render(&IndexPage { ctx, reports }))
}
