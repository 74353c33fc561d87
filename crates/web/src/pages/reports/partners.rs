//! The partner network: partners by kind and the services that name each.

use super::*;

// --- partners -----------------------------------------------------------------------------------

pub struct PartnerRow {
    pub id: lipa_core::ids::PartnerId,
    pub name: String,
    pub services: i64,
    pub libraries: i64,
}

pub struct KindGroup {
    pub name: String,
    pub partners: i64,
    pub services: i64,
    pub libraries: i64,
    pub rows: Vec<PartnerRow>,
}

#[derive(Template)]
#[template(path = "reports/partners.html")]
pub(super) struct PartnersPage {
    ctx: Ctx,
    form: FilterForm,
    title: String,
    kinds: Vec<KindGroup>,
}

pub(super) async fn partners_page(
    State(state): State<AppState>,
    ctx: Ctx,
    q: ReportQuery,
) -> PageResult {
    let app = &state.app;
    let form = FilterForm::any_district(app, &ctx, "/reports/partners", &q, false).await?;
    let kinds = app.partner_kinds().await?;
    let by_kind = app.partner_kind_reach(q.district.as_ref()).await?;
    let partners = app.partner_reach(q.district.as_ref()).await?;
    let mut groups: Vec<(usize, KindGroup)> = by_kind
        .iter()
        .map(|k| {
            let position = kinds
                .iter()
                .position(|pk| pk.code.as_str() == k.kind)
                .unwrap_or(usize::MAX);
            let rows = partners
                .iter()
                .filter(|p| p.partner.kind.as_str() == k.kind)
                .map(|p| PartnerRow {
                    id: p.id,
                    name: p.partner.name.clone(),
                    services: p.services,
                    libraries: p.libraries,
                })
                .collect();
            (
                position,
                KindGroup {
                    name: kind_name(ctx.lang, &kinds, &k.kind),
                    partners: k.partners,
                    services: k.services,
                    libraries: k.libraries,
                    rows,
                },
            )
        })
        .collect();
    groups.sort_by_key(|(p, _)| *p);
    let title = match &q.district {
        Some(d) => ctx.t1(
            "rep-partners-heading-district",
            "district",
            district_name(ctx.lang, d.as_str()),
        ),
        None => ctx.t("rep-partners-title"),
    };
    Ok(render(&PartnersPage {
        form,
        title,
        kinds: groups.into_iter().map(|(_, g)| g).collect(),
        ctx,
    }))
}
