//! Coverage: the libraries with no published service yet.

use super::*;

// --- coverage -----------------------------------------------------------------------------------

pub struct GapRow {
    pub id: u32,
    pub library: String,
    pub district: String,
    pub municipality: String,
    pub settlement: String,
}

#[derive(Template)]
#[template(path = "reports/coverage.html")]
pub(super) struct CoveragePage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    summary: String,
    show_district: bool,
    rows: Vec<GapRow>,
}

pub(super) async fn coverage_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let form = FilterForm::any_district(app, &ctx, "/reports/coverage", &q, false).await?;
    let (gaps, total) = app.coverage_gaps(q.district.as_ref()).await?;
    let g = Gazetteer::get();
    let rows: Vec<GapRow> = gaps
        .iter()
        .map(|l| {
            let (settlement, municipality) = crate::format::place_label(ctx.lang, l);
            GapRow {
                id: l.id.get(),
                library: l.name.clone(),
                district: g
                    .settlement(l.settlement.as_str())
                    .map(|s| district_name(ctx.lang, s.district.as_str()))
                    .unwrap_or_default(),
                municipality,
                settlement,
            }
        })
        .collect();
    let (title, summary) = match &q.district {
        Some(d) => {
            let name = district_name(ctx.lang, d.as_str());
            (
                ctx.t1("rep-coverage-heading-district", "district", &name),
                ctx.t2("rep-coverage-summary", "gaps", rows.len(), "total", total),
            )
        }
        None => (
            ctx.t("rep-coverage-title"),
            ctx.t2("rep-coverage-summary", "gaps", rows.len(), "total", total),
        ),
    };
    Ok(render(&CoveragePage {
        form,
        title,
        summary,
        show_district: q.district.is_none(),
        rows,
        ctx,
    }))
}
