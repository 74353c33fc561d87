//! The service card as a page: the card as a view, the card page with its status and adopt
//! forms, and the printable A4 card.

use super::*;

// --- the card as a view ---------------------------------------------------------------------

pub(crate) struct PartnerView {
    pub name: String,
    pub role: String,
    pub href: Option<String>,
}

pub(crate) struct ActivityView {
    pub title: String,
    pub starts: String,
    pub ends: String,
}

pub(crate) struct BudgetView {
    pub label: String,
    pub source: String,
    pub amount: String,
    /// The other currency at the fixed rate, for items in leva.
    pub converted: String,
}

/// Everything a card page, the print sheet and the review page show of a service.
pub(crate) struct CardView {
    pub id: ServiceId,
    pub version: i64,
    pub name: String,
    pub category: String,
    pub year: i32,
    pub status: String,
    pub status_code: &'static str,
    pub draft: bool,
    pub library_id: u32,
    pub library_name: String,
    pub place: String,
    pub titles: Vec<String>,
    pub goal: String,
    pub target_groups: Vec<String>,
    pub partners: Vec<PartnerView>,
    pub activities: Vec<ActivityView>,
    pub budget: Vec<BudgetView>,
    pub total_eur: String,
    pub total_bgn: String,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
    pub volunteer_supported: bool,
    pub volunteers: Vec<(String, String)>,
    /// "Change" links to the steps (the review page).
    pub change_links: bool,
}

impl CardView {
    /// The title of step `n` (1–8).
    pub fn title(&self, n: usize) -> &str {
        self.titles.get(n - 1).map(String::as_str).unwrap_or("")
    }
}

pub(crate) fn step_titles(ctx: &Ctx) -> Vec<String> {
    (1..=STEPS)
        .map(|n| ctx.t(&format!("svc-step-{n}")))
        .collect()
}

pub(super) async fn card_view(app: &App, ctx: &Ctx, l: &Loaded) -> Result<CardView, WebError> {
    let categories = app.categories().await?;
    let links = app.service_partner_links(&[l.id()]).await?;
    let s = &l.service.record;
    let c = &s.card;
    let lang = ctx.lang;
    let (place, _) = crate::format::place_label(lang, &l.library.record);
    Ok(CardView {
        id: l.id(),
        version: l.service.version,
        name: c.name.clone(),
        category: category_name(&categories, lang, &s.category),
        year: s.year.get(),
        status: s.status.label(lang),
        status_code: s.status.code(),
        draft: s.status == ServiceStatus::Draft,
        library_id: l.library.record.id.get(),
        library_name: l.library.record.name.clone(),
        place,
        titles: step_titles(ctx),
        goal: c.goal.clone(),
        target_groups: c.target_groups.clone(),
        partners: c
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| PartnerView {
                name: p.name.clone(),
                role: p.role.clone(),
                href: p
                    .partner_id
                    .or_else(|| {
                        links
                            .iter()
                            .find(|k| k.position == i)
                            .and_then(|k| k.partner_id)
                    })
                    .map(|id| format!("/partners/{id}")),
            })
            .collect(),
        activities: c
            .activities
            .iter()
            .map(|a| ActivityView {
                title: a.title.clone(),
                starts: a.starts.map(|d| date_label(lang, d)).unwrap_or_default(),
                ends: a.ends.map(|d| date_label(lang, d)).unwrap_or_default(),
            })
            .collect(),
        budget: c
            .budget
            .iter()
            .map(|b| BudgetView {
                label: b.label.clone(),
                source: b.source.clone(),
                amount: money_label(lang, b.amount),
                converted: if b.amount.currency == Currency::Bgn {
                    money_label(lang, b.amount.convert(Currency::Eur))
                } else {
                    money_label(lang, b.amount.convert(Currency::Bgn))
                },
            })
            .collect(),
        total_eur: money_label(lang, c.budget_total(Currency::Eur)),
        total_bgn: money_label(lang, c.budget_total(Currency::Bgn)),
        media: c.media.clone(),
        social: c.expected.social.clone(),
        economic: c.expected.economic.clone(),
        community: c.expected.community.clone(),
        volunteer_supported: s.volunteer_supported,
        volunteers: s
            .volunteers
            .iter()
            .map(|v| (v.name.clone(), v.role.clone()))
            .collect(),
        change_links: false,
    })
}

// --- the card page --------------------------------------------------------------------------

/// A library the user may adopt a service into.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "services/show.html")]
pub(super) struct ShowPage {
    ctx: Ctx,
    card: CardView,
    can_change: bool,
    statuses: Vec<Choice>,
    adopt_targets: Vec<Choice>,
    this_year: i32,
    /// The activity log: what was done for the service.
    log: ActivityLogView,
    /// The form that adds an entry (for those who may change the service), and what its
    /// template (`services/activity_form.html`) needs.
    form: ActivityForm,
    kinds: Vec<KindChoice>,
    errors: FieldErrors,
    form_action: String,
    form_version: Option<i64>,
    /// schema.org `Service` of a published service (see [`crate::linked_data`]).
    jsonld: Option<String>,
}

pub(super) fn this_year() -> i32 {
    i32::from(jiff::ZonedDateTime::now().year())
}

/// Most libraries the adopt form offers (a coordinator's district has a few hundred at most).
pub(super) const ADOPT_CHOICES: i64 = 1000;

/// The libraries in the user's scope, but `except`, for the adopt form.
pub(super) async fn adopt_targets(
    app: &App,
    ctx: &Ctx,
    except: LibraryId,
) -> Result<Vec<Choice>, WebError> {
    Ok(app
        .adopt_targets(&ctx.access(), Some(except), ADOPT_CHOICES)
        .await?
        .into_iter()
        .map(|l| {
            let (place, _) = crate::format::place_label(ctx.lang, &l.record);
            Choice {
                value: l.record.id.to_string(),
                label: format!("{} – {} ({})", l.record.id, l.record.name, place),
            }
        })
        .collect())
}

pub(super) async fn show_service(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let app = &state.app;
    let l = load_visible(app, &ctx, &id).await?;
    let card = card_view(app, &ctx, &l).await?;
    let adopt = adopt_targets(app, &ctx, l.library.record.id).await?;
    let entries = app.service_activities(&ctx.access(), l.id()).await?;
    let page = ShowPage {
        log: log_view(ctx.lang, &entries),
        form: ActivityForm::blank(&l.service.record.card.target_groups),
        kinds: kind_choices(ctx.lang),
        errors: FieldErrors::default(),
        form_action: format!("/services/{}/activities", l.id()),
        form_version: None,
        can_change: ctx.can_change(&l.place),
        statuses: ServiceStatus::ALL
            .into_iter()
            .filter(|s| s.is_published())
            .map(|s| Choice {
                value: s.code().into(),
                label: s.label(ctx.lang),
            })
            .collect(),
        adopt_targets: adopt,
        this_year: this_year(),
        jsonld: l.service.record.status.is_published().then(|| {
            crate::linked_data::script_json(&crate::linked_data::service(
                &crate::linked_data::origin(&headers, &state),
                &format!("/services/{}", l.id()),
                &l.service.record,
                &card.category,
                &l.library.record,
            ))
        }),
        card,
        ctx,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "services/print.html")]
pub(super) struct PrintPage {
    ctx: Ctx,
    card: CardView,
}

pub(super) async fn print_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let l = load_visible(&state.app, &ctx, &id).await?;
    let card = card_view(&state.app, &ctx, &l).await?;
    Ok(render(&PrintPage { ctx, card }))
}
