//! The category × municipality (or district) matrix, on the page and as CSV and XLSX.

use super::*;

// --- the category matrix ------------------------------------------------------------------------

pub struct MatrixCellView {
    pub count: i64,
    /// The libraries list behind a non-zero count.
    pub href: Option<String>,
}

pub struct MatrixRow {
    pub label: String,
    pub cells: Vec<MatrixCellView>,
    pub total: i64,
}

pub(super) struct Matrix {
    slug: String,
    title: String,
    corner: String,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    totals: Vec<i64>,
    total: i64,
}

impl Matrix {
    fn export(&self, ctx: &Ctx) -> ExportTable {
        let mut headers = vec![self.corner.clone()];
        headers.extend(self.columns.iter().cloned());
        headers.push(ctx.t("rep-total"));
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::from(r.label.clone())];
                row.extend(r.cells.iter().map(|c| Cell::from(c.count)));
                row.push(r.total.into());
                row
            })
            .collect();
        let mut last = vec![Cell::from(ctx.t("rep-total"))];
        last.extend(self.totals.iter().map(|n| Cell::from(*n)));
        last.push(self.total.into());
        rows.push(last);
        ExportTable {
            slug: self.slug.clone(),
            title: self.title.clone(),
            headers,
            rows,
        }
    }
}

pub(super) async fn matrix(app: &App, ctx: &Ctx, q: &ReportQuery) -> Result<Matrix, WebError> {
    let categories = app.categories().await?;
    let places = app.library_places(q.district.as_ref()).await?;
    let cells = app.category_matrix(q.district.as_ref(), q.year).await?;
    let by_municipality = q.district.is_some();
    let place_name = |code: &str| {
        if by_municipality {
            municipality_name(ctx.lang, code)
        } else {
            district_name(ctx.lang, code)
        }
    };
    let mut places: Vec<(String, String)> = places
        .into_iter()
        .map(|(code, _)| (place_name(&code), code))
        .collect();
    places.sort();
    let count: HashMap<(&str, &str), i64> = cells
        .iter()
        .map(|c| ((c.category.as_str(), c.place.as_str()), c.services))
        .collect();
    let year = q.year.map(|y| y.to_string());
    let rows: Vec<MatrixRow> = categories
        .iter()
        .map(|c| {
            let cells: Vec<MatrixCellView> = places
                .iter()
                .map(|(_, code)| {
                    let n = count
                        .get(&(c.code.as_str(), code.as_str()))
                        .copied()
                        .unwrap_or(0);
                    let mut link: Vec<(&str, &str)> = Vec::new();
                    if by_municipality {
                        link.push(("municipality", code));
                    } else {
                        link.push(("district", code));
                    }
                    link.push(("category", c.code.as_str()));
                    if let Some(y) = &year {
                        link.push(("year", y));
                    }
                    MatrixCellView {
                        count: n,
                        href: (n > 0).then(|| {
                            format!(
                                "/libraries?{}",
                                serde_urlencoded::to_string(&link).unwrap_or_default()
                            )
                        }),
                    }
                })
                .collect();
            MatrixRow {
                label: c.name(ctx.lang).to_owned(),
                total: cells.iter().map(|c| c.count).sum(),
                cells,
            }
        })
        .collect();
    let totals: Vec<i64> = (0..places.len())
        .map(|i| rows.iter().map(|r| r.cells[i].count).sum())
        .collect();
    let total = totals.iter().sum();
    let (title, corner) = match &q.district {
        Some(d) => (
            ctx.t2(
                "rep-matrix-heading-district",
                "district",
                district_name(ctx.lang, d.as_str()),
                "period",
                period(ctx, q.year),
            ),
            ctx.t("rep-matrix-corner-municipality"),
        ),
        None => (
            ctx.t1("rep-matrix-heading-all", "period", period(ctx, q.year)),
            ctx.t("rep-matrix-corner-district"),
        ),
    };
    let slug = format!(
        "matrix-{}-{}",
        q.district
            .as_ref()
            .map_or("all".to_owned(), |d| d.to_string()),
        q.year.map_or("all".to_owned(), |y| y.to_string())
    );
    Ok(Matrix {
        slug,
        title,
        corner,
        columns: places.into_iter().map(|(name, _)| name).collect(),
        rows,
        totals,
        total,
    })
}

#[derive(Template)]
#[template(path = "reports/matrix.html")]
pub(super) struct MatrixPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    corner: String,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    totals: Vec<i64>,
    total: i64,
    exports: Exports,
}

pub(super) async fn matrix_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let form = FilterForm::any_district(app, &ctx, "/reports/matrix", &q, true).await?;
    let m = matrix(app, &ctx, &q).await?;
    let query = q.to_query();
    Ok(render(&MatrixPage {
        form,
        title: m.title,
        corner: m.corner,
        columns: m.columns,
        rows: m.rows,
        totals: m.totals,
        total: m.total,
        exports: Exports {
            csv: format!("/reports/matrix.csv{query}"),
            xlsx: format!("/reports/matrix.xlsx{query}"),
        },
        ctx,
    }))
}

pub(super) async fn matrix_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let m = matrix(&state.app, &ctx, &q).await?;
    Ok(csv_response(&m.export(&ctx)))
}

pub(super) async fn matrix_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let m = matrix(&state.app, &ctx, &q).await?;
    xlsx_response(&m.export(&ctx))
}
