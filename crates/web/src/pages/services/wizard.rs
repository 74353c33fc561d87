//! The guided form: one step of the eight per page, with the card kept as a draft between
//! steps, and a new service for a library.

use super::*;

// --- the guided form ------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub(crate) struct PartnerRow {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ActivityRow {
    pub title: String,
    pub starts: String,
    pub ends: String,
}

#[derive(Debug, Clone)]
pub(crate) struct BudgetRow {
    pub label: String,
    pub amount: String,
    pub currency: String,
    pub source: String,
}

impl Default for BudgetRow {
    fn default() -> Self {
        Self {
            label: String::new(),
            amount: String::new(),
            // The currency of Bulgaria since 1 January 2026.
            currency: Currency::Eur.code().into(),
            source: String::new(),
        }
    }
}

/// The card as the form holds it: text as typed, so that a refused value is shown back as it
/// was entered.
#[derive(Debug, Clone, Default)]
pub(crate) struct CardForm {
    pub name: String,
    pub category: String,
    pub year: String,
    pub goal: String,
    pub target_groups: Vec<String>,
    pub partners: Vec<PartnerRow>,
    pub volunteer_supported: bool,
    pub volunteers: Vec<PartnerRow>,
    pub activities: Vec<ActivityRow>,
    pub budget: Vec<BudgetRow>,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
}

/// Empty rows every list offers below its filled ones.
pub(super) const EMPTY_ROWS: usize = 2;
/// The most empty rows "add another row" piles up.
pub(super) const MAX_EXTRA: usize = 20;

impl CardForm {
    pub(super) fn from_service(lang: Lang, s: &Service) -> Self {
        let c = &s.card;
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            name: c.name.clone(),
            category: s.category.to_string(),
            year: s.year.to_string(),
            goal: c.goal.clone(),
            target_groups: c.target_groups.clone(),
            partners: c
                .partners
                .iter()
                .map(|p| PartnerRow {
                    name: p.name.clone(),
                    role: p.role.clone(),
                })
                .collect(),
            volunteer_supported: s.volunteer_supported,
            volunteers: s
                .volunteers
                .iter()
                .map(|v| PartnerRow {
                    name: v.name.clone(),
                    role: v.role.clone(),
                })
                .collect(),
            activities: c
                .activities
                .iter()
                .map(|a| ActivityRow {
                    title: a.title.clone(),
                    starts: date(a.starts),
                    ends: date(a.ends),
                })
                .collect(),
            budget: c
                .budget
                .iter()
                .map(|b| BudgetRow {
                    label: b.label.clone(),
                    amount: amount_input(lang, b.amount),
                    currency: b.amount.currency.code().into(),
                    source: b.source.clone(),
                })
                .collect(),
            media: c.media.clone(),
            social: c.expected.social.clone(),
            economic: c.expected.economic.clone(),
            community: c.expected.community.clone(),
        }
    }

    /// Takes the fields of `step` from a posted form.
    pub(super) fn read_step(&mut self, step: u8, f: &FormData) {
        let pair = |r: Vec<String>| PartnerRow {
            name: r[0].clone(),
            role: r[1].clone(),
        };
        match step {
            1 => {
                self.name = f.get("name").to_owned();
                self.category = f.get("category").to_owned();
                self.year = f.get("year").to_owned();
            }
            2 => self.goal = f.get("goal").to_owned(),
            3 => {
                self.target_groups = f
                    .rows("target_groups", &[""], &[])
                    .into_iter()
                    .map(|mut r| r.remove(0))
                    .collect();
            }
            4 => {
                self.partners = f
                    .rows("partners", &["name", "role"], &[])
                    .into_iter()
                    .map(pair)
                    .collect();
                self.volunteer_supported = f.get("volunteer_supported") == "yes";
                self.volunteers = f
                    .rows("volunteers", &["name", "role"], &[])
                    .into_iter()
                    .map(pair)
                    .collect();
            }
            5 => {
                self.activities = f
                    .rows("activities", &["title", "starts", "ends"], &[])
                    .into_iter()
                    .map(|r| ActivityRow {
                        title: r[0].clone(),
                        starts: r[1].clone(),
                        ends: r[2].clone(),
                    })
                    .collect();
            }
            6 => {
                self.budget = f
                    .rows(
                        "budget",
                        &["label", "amount", "currency", "source"],
                        &["currency"],
                    )
                    .into_iter()
                    .map(|r| BudgetRow {
                        label: r[0].clone(),
                        amount: r[1].clone(),
                        currency: r[2].clone(),
                        source: r[3].clone(),
                    })
                    .collect();
            }
            7 => self.media = f.get("media").to_owned(),
            8 => {
                self.social = f.get("expected.social").to_owned();
                self.economic = f.get("expected.economic").to_owned();
                self.community = f.get("expected.community").to_owned();
            }
            _ => {}
        }
    }

    /// The fields of `step` as (path, value) pairs, the paths those of the violations
    /// (`partners[0].role`): what the conflict page compares.
    pub(super) fn step_fields(&self, step: u8) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut put = |path: String, value: &str| out.push((path, value.to_owned()));
        match step {
            1 => {
                put("name".into(), &self.name);
                put("category".into(), &self.category);
                put("year".into(), &self.year);
            }
            2 => put("goal".into(), &self.goal),
            3 => {
                for (i, g) in self.target_groups.iter().enumerate() {
                    put(format!("target_groups[{i}]"), g);
                }
            }
            4 => {
                for (i, p) in self.partners.iter().enumerate() {
                    put(format!("partners[{i}].name"), &p.name);
                    put(format!("partners[{i}].role"), &p.role);
                }
                put(
                    "volunteer_supported".into(),
                    if self.volunteer_supported { "✓" } else { "" },
                );
                for (i, p) in self.volunteers.iter().enumerate() {
                    put(format!("volunteers[{i}].name"), &p.name);
                    put(format!("volunteers[{i}].role"), &p.role);
                }
            }
            5 => {
                for (i, a) in self.activities.iter().enumerate() {
                    put(format!("activities[{i}].title"), &a.title);
                    put(format!("activities[{i}].starts"), &a.starts);
                    put(format!("activities[{i}].ends"), &a.ends);
                }
            }
            6 => {
                for (i, b) in self.budget.iter().enumerate() {
                    put(format!("budget[{i}].label"), &b.label);
                    put(format!("budget[{i}].amount"), &b.amount);
                    put(format!("budget[{i}].currency"), &b.currency);
                    put(format!("budget[{i}].source"), &b.source);
                }
            }
            7 => put("media".into(), &self.media),
            8 => {
                put("expected.social".into(), &self.social);
                put("expected.economic".into(), &self.economic);
                put("expected.community".into(), &self.community);
            }
            _ => {}
        }
        out
    }

    /// Writes the fields of `step` into `s`, with the rules of a draft: what cannot be read
    /// (a date, an amount) and what `ServiceCard::validate_step` refuses.
    fn apply_step(&self, step: u8, categories: &[Category], s: &mut Service) -> Violations {
        let mut v = Violations::default();
        match step {
            1 => {
                s.card.name = self.name.trim().to_owned();
                match categories.iter().find(|c| c.code.as_str() == self.category) {
                    Some(c) => s.category = c.code.clone(),
                    None => v.push(Violation::new("category", "svc-err-choose-category")),
                }
                match Year::parse(&self.year) {
                    Ok(y) => s.year = y,
                    Err(e) => v.push(Violation {
                        field: "year".into(),
                        ..e
                    }),
                }
            }
            2 => s.card.goal = self.goal.trim().to_owned(),
            3 => {
                s.card.target_groups = self
                    .target_groups
                    .iter()
                    .map(|t| t.trim().to_owned())
                    .collect();
            }
            4 => {
                let old = std::mem::take(&mut s.card.partners);
                s.card.partners = self
                    .partners
                    .iter()
                    .map(|p| {
                        let name = p.name.trim().to_owned();
                        // A partner kept under the same name keeps its link to the registry.
                        let partner_id = old
                            .iter()
                            .find(|o| fold_name(&o.name) == fold_name(&name))
                            .and_then(|o| o.partner_id);
                        ServicePartner {
                            partner_id,
                            name,
                            role: p.role.trim().to_owned(),
                        }
                    })
                    .collect();
                s.volunteer_supported = self.volunteer_supported;
                s.volunteers = self
                    .volunteers
                    .iter()
                    .map(|p| Volunteer {
                        name: p.name.trim().to_owned(),
                        role: p.role.trim().to_owned(),
                    })
                    .collect();
                for (i, vol) in s.volunteers.iter().enumerate() {
                    lipa_core::error::check_text(
                        &mut v,
                        &format!("volunteers[{i}].name"),
                        &vol.name,
                        true,
                        200,
                    );
                    lipa_core::error::check_text(
                        &mut v,
                        &format!("volunteers[{i}].role"),
                        &vol.role,
                        false,
                        300,
                    );
                }
            }
            5 => {
                let mut date = |i: usize, field: &str, text: &str| {
                    if text.trim().is_empty() {
                        return None;
                    }
                    let d = parse_date(text);
                    if d.is_none() {
                        v.push(
                            Violation::new(format!("activities[{i}].{field}"), "svc-err-date")
                                .arg("value", text.trim()),
                        );
                    }
                    d
                };
                s.card.activities = self
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Activity {
                        title: a.title.trim().to_owned(),
                        starts: date(i, "starts", &a.starts),
                        ends: date(i, "ends", &a.ends),
                    })
                    .collect();
            }
            6 => {
                s.card.budget = self
                    .budget
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let currency = Currency::parse(&b.currency).unwrap_or(Currency::Eur);
                        let amount = if b.amount.trim().is_empty() {
                            v.push(Violation::new(
                                format!("budget[{i}].amount"),
                                "err-required",
                            ));
                            Money::new(0, currency)
                        } else {
                            Money::parse(&b.amount, currency).unwrap_or_else(|e| {
                                v.push(Violation {
                                    field: format!("budget[{i}].amount"),
                                    ..e
                                });
                                Money::new(0, currency)
                            })
                        };
                        BudgetItem {
                            label: b.label.trim().to_owned(),
                            amount,
                            source: b.source.trim().to_owned(),
                        }
                    })
                    .collect();
            }
            7 => s.card.media = self.media.trim().to_owned(),
            8 => {
                s.card.expected.social = self.social.trim().to_owned();
                s.card.expected.economic = self.economic.trim().to_owned();
                s.card.expected.community = self.community.trim().to_owned();
            }
            _ => {}
        }
        let rules: Vec<Violation> = s
            .card
            .validate_step(step, false)
            .0
            .into_iter()
            .filter(|r| !v.0.iter().any(|e| e.field == r.field))
            .collect();
        v.0.extend(rules);
        v
    }

    /// Adds the empty rows a list offers to fill.
    fn pad(&mut self, extra: usize) {
        let n = |filled: usize| EMPTY_ROWS.max(3usize.saturating_sub(filled)) + extra;
        let k = n(self.target_groups.len());
        self.target_groups
            .extend(std::iter::repeat_n(String::new(), k));
        let k = n(self.partners.len());
        self.partners
            .extend(std::iter::repeat_n(PartnerRow::default(), k));
        let k = n(self.volunteers.len()).min(EMPTY_ROWS + extra);
        self.volunteers
            .extend(std::iter::repeat_n(PartnerRow::default(), k));
        let k = n(self.activities.len());
        self.activities
            .extend(std::iter::repeat_n(ActivityRow::default(), k));
        let k = n(self.budget.len());
        self.budget
            .extend(std::iter::repeat_n(BudgetRow::default(), k));
    }
}

/// A link of the step navigation.
pub(crate) struct StepLink {
    pub n: u8,
    pub title: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "services/step.html")]
pub(super) struct StepPage {
    ctx: Ctx,
    id: ServiceId,
    version: i64,
    step: u8,
    title: String,
    steps: Vec<StepLink>,
    service_name: String,
    library_id: u32,
    library_name: String,
    form: CardForm,
    errors: FieldErrors,
    extra: usize,
    categories: Vec<Choice>,
    partner_names: Vec<String>,
    currencies: Vec<&'static str>,
    /// Someone else saved the card since this form was opened (see `conflict.rs`).
    pub(super) conflict: Option<crate::pages::conflict::Conflict>,
}

pub(super) fn parse_step(raw: &str) -> Result<u8, WebError> {
    match raw.parse::<u8>() {
        Ok(n) if (1..=STEPS).contains(&n) => Ok(n),
        _ => Err(WebError::NotFound),
    }
}

pub(super) fn step_links(ctx: &Ctx, id: ServiceId, current: u8) -> Vec<StepLink> {
    (1..=STEPS)
        .map(|n| StepLink {
            n,
            title: ctx.t(&format!("svc-step-short-{n}")),
            href: format!("/services/{id}/edit/{n}"),
            current: n == current,
        })
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page's parts, named at the call"
)]
pub(super) async fn step_page(
    app: &App,
    ctx: &Ctx,
    l: &Loaded,
    step: u8,
    form: CardForm,
    errors: FieldErrors,
    extra: usize,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = step_view(app, ctx, l, step, form, errors, extra).await?;
    Ok(render_status(status, &page))
}

/// The page of one step, not yet rendered.
pub(super) async fn step_view(
    app: &App,
    ctx: &Ctx,
    l: &Loaded,
    step: u8,
    mut form: CardForm,
    errors: FieldErrors,
    extra: usize,
) -> Result<StepPage, WebError> {
    let categories = app.categories().await?;
    let partner_names = if step == 4 {
        app.partner_names().await?
    } else {
        vec![]
    };
    form.pad(extra);
    let page = StepPage {
        ctx: ctx.clone(),
        id: l.id(),
        version: l.service.version,
        step,
        title: ctx.t(&format!("svc-step-{step}")),
        steps: step_links(ctx, l.id(), step),
        service_name: l.service.record.card.name.clone(),
        library_id: l.library.record.id.get(),
        library_name: l.library.record.name.clone(),
        form,
        errors,
        extra,
        categories: categories
            .iter()
            .map(|c| Choice {
                value: c.code.to_string(),
                label: c.name(ctx.lang).to_owned(),
            })
            .collect(),
        partner_names,
        currencies: vec![Currency::Eur.code(), Currency::Bgn.code()],
        conflict: None,
    };
    Ok(page)
}

pub(super) fn extra_of(raw: Option<&str>) -> usize {
    let pairs = crate::pages::query::pairs(raw);
    let extra = crate::pages::query::get(&pairs, "extra");
    extra.parse::<usize>().unwrap_or(0).min(MAX_EXTRA)
}

pub(super) async fn edit_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let run = async {
        let step = parse_step(&step)?;
        let l = load(&state.app, &ctx, &id).await?;
        let form = CardForm::from_service(ctx.lang, &l.service.record);
        step_page(
            &state.app,
            &ctx,
            &l,
            step,
            form,
            FieldErrors::default(),
            extra_of(raw.as_deref()),
            StatusCode::OK,
        )
        .await
    };
    run.await
}

pub(super) async fn save_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    Checked(f): Checked,
) -> PageResult {
    let run = async {
        let step = parse_step(&step)?;
        let app = &state.app;
        let l = load(app, &ctx, &id).await?;
        let action = f.get("action");
        let extra = f.get("extra").parse::<usize>().unwrap_or(0).min(MAX_EXTRA)
            + usize::from(action == "add-row");
        let version = match f.check_version(l.service.version) {
            Err(WebError::Conflict) => {
                return conflict_page(app, &ctx, &id, step, &f, extra).await;
            }
            v => v?,
        };
        let categories = app.categories().await?;
        let mut form = CardForm::from_service(ctx.lang, &l.service.record);
        form.read_step(step, &f);
        let mut service = l.service.record.clone();
        let violations = form.apply_step(step, &categories, &mut service);
        let show_errors = |v: &Violations, form: CardForm| {
            let errors = FieldErrors::new(&ctx, v, |_| String::new());
            step_page(
                app,
                &ctx,
                &l,
                step,
                form,
                errors,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        };
        if !violations.is_empty() {
            return show_errors(&violations, form).await;
        }
        match app
            .replace(&ctx.access(), l.id(), &service, Some(version))
            .await
        {
            Ok(_) => {}
            Err(AppError::Invalid(v)) => return show_errors(&v, form).await,
            // Someone saved between our read and our write.
            Err(AppError::Conflict { .. }) => {
                return conflict_page(app, &ctx, &id, step, &f, extra).await;
            }
            Err(e) => return Err(e.into()),
        }
        let id = l.id();
        let to = match action {
            "leave" => format!("/services/{id}"),
            "add-row" => format!("/services/{id}/edit/{step}?extra={extra}"),
            _ if step < STEPS => format!("/services/{id}/edit/{}", step + 1),
            _ => format!("/services/{id}/review"),
        };
        Ok(Redirect::to(&to).into_response())
    };
    run.await
}

// --- a new service --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "services/new.html")]
pub(super) struct NewPage {
    ctx: Ctx,
    library_id: u32,
    library_name: String,
    categories: Vec<Choice>,
    category: String,
    year: String,
    errors: FieldErrors,
}

/// The library a new service goes to, when it is in the user's scope.
pub(super) async fn load_library(
    app: &App,
    ctx: &Ctx,
    raw: &str,
) -> Result<Versioned<Library>, WebError> {
    let id = LibraryId::parse(raw).map_err(|_| WebError::NotFound)?;
    Ok(app.library_for_change(&ctx.access(), id).await?)
}

pub(super) async fn new_page(
    app: &App,
    ctx: &Ctx,
    lib: &Versioned<Library>,
    category: String,
    year: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let categories = app.categories().await?;
    let page = NewPage {
        ctx: ctx.clone(),
        library_id: lib.record.id.get(),
        library_name: lib.record.name.clone(),
        categories: categories
            .iter()
            .map(|c| Choice {
                value: c.code.to_string(),
                label: c.name(ctx.lang).to_owned(),
            })
            .collect(),
        category,
        year,
        errors,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn new_service_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let run = async {
        let lib = load_library(&state.app, &ctx, &id).await?;
        new_page(
            &state.app,
            &ctx,
            &lib,
            String::new(),
            this_year().to_string(),
            FieldErrors::default(),
            StatusCode::OK,
        )
        .await
    };
    run.await
}

/// Creates the draft at once — with a working title, since a service always has a name — and
/// goes to step 1, where the title is replaced.
pub(super) async fn create_service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let run = async {
        let app = &state.app;
        let lib = load_library(app, &ctx, &id).await?;
        let categories = app.categories().await?;
        let mut v = Violations::default();
        let category = categories
            .iter()
            .find(|c| c.code.as_str() == f.get("category"));
        if category.is_none() {
            v.push(Violation::new("category", "svc-err-choose-category"));
        }
        let year = match Year::parse(f.get("year")) {
            Ok(y) => Some(y),
            Err(e) => {
                v.push(Violation {
                    field: "year".into(),
                    ..e
                });
                None
            }
        };
        let (Some(category), Some(year)) = (category, year) else {
            let errors = FieldErrors::new(&ctx, &v, |_| String::new());
            return new_page(
                app,
                &ctx,
                &lib,
                f.get("category").to_owned(),
                f.get("year").to_owned(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        };
        let service = Service {
            library: lib.record.id,
            year,
            category: category.code.clone(),
            status: ServiceStatus::Draft,
            volunteer_supported: false,
            volunteers: vec![],
            card: ServiceCard {
                name: ctx.t1("svc-working-title", "category", category.name(ctx.lang)),
                ..Default::default()
            },
            results: vec![],
        };
        let created = app.create(&ctx.access(), &service).await?;
        Ok(Redirect::to(&format!("/services/{}/edit/1", created.id)).into_response())
    };
    run.await
}
