//! The district table of the programme's model: every library of a district with the services it
//! plans for a year, on the page and as CSV and XLSX.

use super::*;

// --- the district table -------------------------------------------------------------------------

/// One row of the district table as the page shows it.
pub struct DistrictRow {
    pub id: u32,
    pub library: String,
    pub municipality: String,
    pub settlement: String,
    /// Category name and service name; `None` for a library without a service.
    pub service: Option<(String, String)>,
    pub target: String,
}

impl DistrictRow {
    /// The service cell as the published tables write it: `Е-здраве: Предоставяне на …`.
    pub fn service_cell(&self) -> String {
        self.service
            .as_ref()
            .map(|(c, n)| format!("{c}: {n}"))
            .unwrap_or_default()
    }
}

/// The table of a district and year, resolved to names in the reader's language.
pub(super) struct DistrictTable {
    district: DistrictCode,
    year: Year,
    title: String,
    headers: Vec<String>,
    rows: Vec<DistrictRow>,
}

impl DistrictTable {
    fn export(&self) -> ExportTable {
        ExportTable {
            slug: format!("district-{}-{}", self.district, self.year),
            title: self.title.clone(),
            headers: self.headers.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::from(r.id),
                        r.library.clone().into(),
                        r.municipality.clone().into(),
                        r.settlement.clone().into(),
                        r.service_cell().into(),
                        r.target.clone().into(),
                    ]
                })
                .collect(),
        }
    }
}

/// The district and year a district table is of: the ones asked for, else the first district
/// (by name) that has libraries and its latest year with services. `None` when the registry has
/// no library yet.
pub(super) async fn district_and_year(
    app: &App,
    ctx: &Ctx,
    q: &ReportQuery,
) -> Result<Option<(DistrictCode, Year)>, WebError> {
    let district = match &q.district {
        Some(d) => d.clone(),
        None => {
            let mut all = app.report_districts().await?;
            all.sort_by_key(|(d, _)| district_name(ctx.lang, d.as_str()));
            match all.into_iter().next() {
                Some((d, _)) => d,
                None => return Ok(None),
            }
        }
    };
    let year = match q.year {
        Some(y) => y,
        None => match app.report_years(Some(&district)).await?.last() {
            Some(y) => *y,
            None => match app.report_years(None).await?.last() {
                Some(y) => *y,
                None => return Ok(None),
            },
        },
    };
    Ok(Some((district, year)))
}

/// Libraries per page of the district table: a district of a world-size registry has tens of
/// thousands.
pub const DISTRICT_PAGE: i64 = 200;

/// The district table: of one page of libraries (`Some(page)`, from 1), or whole (exports).
pub(super) async fn district_table(
    app: &App,
    ctx: &Ctx,
    district: DistrictCode,
    year: Year,
    page: Option<u32>,
) -> Result<DistrictTable, WebError> {
    let categories = app.categories().await?;
    let rows = match page {
        Some(p) => {
            let offset = (i64::from(p) - 1) * DISTRICT_PAGE;
            app.district_table_page(&district, year, DISTRICT_PAGE, offset)
                .await?
        }
        None => app.district_table(&district, year).await?,
    };
    let rows = rows
        .into_iter()
        .map(|r| {
            let (settlement, municipality) = crate::format::place_label(ctx.lang, &r.library);
            DistrictRow {
                id: r.library.id.get(),
                library: r.library.name.clone(),
                municipality,
                settlement,
                service: r.service.as_ref().map(|s| {
                    (
                        category_name(ctx.lang, &categories, s.category.as_str()),
                        s.card.name.clone(),
                    )
                }),
                target: r
                    .service
                    .as_ref()
                    .map(|s| s.card.target_groups.join("; "))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let headers = [
        "rep-col-id",
        "rep-col-library",
        "rep-col-municipality",
        "rep-col-settlement",
        "rep-col-service",
        "rep-col-target",
    ]
    .into_iter()
    .map(|k| ctx.t(k))
    .collect();
    Ok(DistrictTable {
        title: ctx.t2(
            "rep-district-heading",
            "district",
            district_name(ctx.lang, district.as_str()),
            "year",
            year,
        ),
        headers,
        rows,
        district,
        year,
    })
}

#[derive(Template)]
#[template(path = "reports/district.html")]
pub(super) struct DistrictPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    headers: Vec<String>,
    rows: Vec<DistrictRow>,
    /// Published services of the year and libraries, in the whole district.
    with_service: i64,
    libraries: i64,
    page: u32,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    exports: Option<Exports>,
}

pub(super) async fn district_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let chosen = district_and_year(app, &ctx, &q).await?;
    let form = FilterForm {
        action: "/reports/district",
        district: Some(district_select(app, &ctx, chosen.as_ref().map(|c| &c.0), false).await?),
        year: Some(year_select(app, &ctx, None, chosen.as_ref().map(|c| c.1), false).await?),
    };
    let Some((district, year)) = chosen else {
        return Ok(render(&DistrictPage {
            title: ctx.t("rep-district-title"),
            form,
            headers: vec![],
            rows: vec![],
            with_service: 0,
            libraries: 0,
            page: 1,
            pages: 0,
            prev: None,
            next: None,
            exports: None,
            ctx,
        }));
    };
    let (libraries, with_service) = app.district_totals(&district, year).await?;
    let pages = (libraries + DISTRICT_PAGE - 1) / DISTRICT_PAGE;
    let page = q.page.clamp(1, pages.max(1) as u32);
    let table = district_table(app, &ctx, district, year, Some(page)).await?;
    let query = ReportQuery {
        district: Some(table.district.clone()),
        year: Some(table.year),
        page: 1,
    }
    .to_query();
    let link = |p: u32| format!("/reports/district{query}&page={p}");
    Ok(render(&DistrictPage {
        form,
        title: table.title,
        headers: table.headers,
        rows: table.rows,
        with_service,
        libraries,
        page,
        pages,
        prev: (page > 1).then(|| link(page - 1)),
        next: (i64::from(page) < pages).then(|| link(page + 1)),
        exports: Some(Exports {
            csv: format!("/reports/district.csv{query}"),
            xlsx: format!("/reports/district.xlsx{query}"),
        }),
        ctx,
    }))
}

pub(super) async fn district_export(
    state: &AppState,
    ctx: &Ctx,
    raw: Option<&str>,
) -> Result<ExportTable, WebError> {
    let q = ReportQuery::parse(raw);
    let (district, year) = district_and_year(&state.app, ctx, &q)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(district_table(&state.app, ctx, district, year, None)
        .await?
        .export())
}

pub(super) async fn district_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let t = district_export(&state, &ctx, raw.as_deref()).await?;
    Ok(csv_response(&t))
}

pub(super) async fn district_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let t = district_export(&state, &ctx, raw.as_deref()).await?;
    xlsx_response(&t)
}
