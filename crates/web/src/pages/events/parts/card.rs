//! A working group's card: the eight steps the group filled in. A save that lost the race to
//! another gets the card form back as the user typed it, under the conflict box.

use super::*;
use crate::pages::conflict::Conflict;

// --- a group's card -------------------------------------------------------------------------------

/// The card form's values, as text (what was posted, or the stored card).
#[derive(Debug, Default, Clone)]
pub struct CardInput {
    pub name: String,
    pub category: String,
    pub spokesperson: String,
    pub card_name: String,
    pub goal: String,
    pub target_groups: String,
    pub partners: Vec<(String, String)>,
    /// title, starts, ends
    pub activities: Vec<(String, String, String)>,
    /// label, amount, currency, source
    pub budget: Vec<(String, String, String, String)>,
    pub media: String,
    pub social: String,
    pub economic: String,
    pub community: String,
}

/// Empty rows offered after the filled ones, so that a row can be added without JavaScript.
pub(super) const SPARE_ROWS: usize = 2;

impl CardInput {
    fn from_group(g: &WorkingGroup) -> Self {
        let c = &g.card;
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut input = CardInput {
            name: g.name.clone(),
            category: g
                .category
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            spokesperson: g.spokesperson.clone(),
            card_name: c.name.clone(),
            goal: c.goal.clone(),
            target_groups: c.target_groups.join("\n"),
            partners: c
                .partners
                .iter()
                .map(|p| (p.name.clone(), p.role.clone()))
                .collect(),
            activities: c
                .activities
                .iter()
                .map(|a| (a.title.clone(), date(a.starts), date(a.ends)))
                .collect(),
            budget: c
                .budget
                .iter()
                .map(|b| {
                    (
                        b.label.clone(),
                        amount_text(b.amount),
                        b.amount.currency.code().to_owned(),
                        b.source.clone(),
                    )
                })
                .collect(),
            media: c.media.clone(),
            social: c.expected.social.clone(),
            economic: c.expected.economic.clone(),
            community: c.expected.community.clone(),
        };
        input.pad();
        input
    }

    fn from_fields(f: &Fields) -> Self {
        let rows = |prefix: &str| -> usize {
            (0..200)
                .take_while(|i| f.has(&format!("{prefix}_{i}")))
                .count()
        };
        let t = |k: String| f.get(&k).trim().to_owned();
        let mut input = CardInput {
            name: t("name".into()),
            category: t("category".into()),
            spokesperson: t("spokesperson".into()),
            card_name: t("card_name".into()),
            goal: t("goal".into()),
            target_groups: f.get("target_groups").to_owned(),
            partners: (0..rows("partner_name"))
                .map(|i| {
                    (
                        t(format!("partner_name_{i}")),
                        t(format!("partner_role_{i}")),
                    )
                })
                .collect(),
            activities: (0..rows("activity_title"))
                .map(|i| {
                    (
                        t(format!("activity_title_{i}")),
                        t(format!("activity_starts_{i}")),
                        t(format!("activity_ends_{i}")),
                    )
                })
                .collect(),
            budget: (0..rows("budget_label"))
                .map(|i| {
                    (
                        t(format!("budget_label_{i}")),
                        t(format!("budget_amount_{i}")),
                        t(format!("budget_currency_{i}")),
                        t(format!("budget_source_{i}")),
                    )
                })
                .collect(),
            media: t("media".into()),
            social: t("social".into()),
            economic: t("economic".into()),
            community: t("community".into()),
        };
        input.pad();
        input
    }

    /// The fields as the form shows them, under the message key of each label (`#n` after the
    /// key for the `n`th row of a list): what a conflict compares.
    fn fields(&self, ctx: &Ctx, categories: &[Category]) -> Vec<(String, String)> {
        let category = categories
            .iter()
            .find(|c| c.code.as_str() == self.category)
            .map(|c| c.name(ctx.lang).to_owned())
            .unwrap_or_else(|| self.category.clone());
        let mut out: Vec<(String, String)> = [
            ("ev-f-group-name", &self.name),
            ("ev-f-category", &category),
            ("ev-f-spokesperson", &self.spokesperson),
            ("ev-f-card-name", &self.card_name),
            ("ev-f-goal", &self.goal),
            ("ev-f-target-groups", &self.target_groups),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.clone()))
        .collect();
        let mut row = |key: &str, i: usize, value: &str| {
            out.push((format!("{key}#{}", i + 1), value.to_owned()));
        };
        for (i, (name, role)) in self.partners.iter().enumerate() {
            row("ev-f-partner-name", i, name);
            row("ev-f-partner-role", i, role);
        }
        for (i, (title, starts, ends)) in self.activities.iter().enumerate() {
            row("ev-f-activity-title", i, title);
            row("ev-f-activity-starts", i, starts);
            row("ev-f-activity-ends", i, ends);
        }
        for (i, (label, amount, currency, source)) in self.budget.iter().enumerate() {
            row("ev-f-budget-label", i, label);
            row("ev-f-budget-amount", i, amount);
            row("ev-f-budget-currency", i, currency);
            row("ev-f-budget-source", i, source);
        }
        for (key, value) in [
            ("ev-f-media", &self.media),
            ("ev-f-expected-social", &self.social),
            ("ev-f-expected-economic", &self.economic),
            ("ev-f-expected-community", &self.community),
        ] {
            out.push((key.to_owned(), value.clone()));
        }
        out
    }

    /// Keeps exactly [`SPARE_ROWS`] empty rows at the end of each list.
    fn pad(&mut self) {
        let empty2 = |r: &(String, String)| r.0.is_empty() && r.1.is_empty();
        let empty3 =
            |r: &(String, String, String)| r.0.is_empty() && r.1.is_empty() && r.2.is_empty();
        let empty4 = |r: &(String, String, String, String)| {
            r.0.is_empty() && r.1.is_empty() && r.3.is_empty()
        };
        while self.partners.last().is_some_and(empty2) {
            self.partners.pop();
        }
        while self.activities.last().is_some_and(empty3) {
            self.activities.pop();
        }
        while self.budget.last().is_some_and(empty4) {
            self.budget.pop();
        }
        for _ in 0..SPARE_ROWS {
            self.partners.push(Default::default());
            self.activities.push(Default::default());
            self.budget.push((
                String::new(),
                String::new(),
                Currency::Eur.code().into(),
                String::new(),
            ));
        }
    }

    /// The group as the form describes it, or the errors by field id.
    fn to_group(
        &self,
        ctx: &Ctx,
        categories: &[Category],
        base: &WorkingGroup,
    ) -> Result<WorkingGroup, FormErrors> {
        let mut errors = FormErrors::default();
        let mut g = base.clone();
        g.name = self.name.clone();
        g.category = if self.category.is_empty() {
            None
        } else {
            match CategoryCode::parse(&self.category) {
                Ok(c) if categories.iter().any(|k| k.code == c) => Some(c),
                _ => {
                    errors.add("category", ctx.t("ev-err-category"));
                    None
                }
            }
        };
        g.spokesperson = self.spokesperson.clone();
        let date = |id: String, s: &str, errors: &mut FormErrors| {
            if s.is_empty() {
                return None;
            }
            s.parse::<Date>()
                .map_err(|_| errors.add(id, ctx.t("ev-err-date")))
                .ok()
        };
        let mut card = ServiceCard {
            name: self.card_name.clone(),
            goal: self.goal.clone(),
            target_groups: self.target_groups.lines().map(str::to_owned).collect(),
            partners: Vec::new(),
            activities: Vec::new(),
            budget: Vec::new(),
            media: self.media.clone(),
            expected: lipa_core::service::ExpectedResults {
                social: self.social.clone(),
                economic: self.economic.clone(),
                community: self.community.clone(),
            },
        };
        // Row numbers in field ids stay those of the form, so messages land beside their row;
        // `positions` maps the card's rows back to them.
        let mut partner_rows = Vec::new();
        for (i, (name, role)) in self.partners.iter().enumerate() {
            if name.is_empty() && role.is_empty() {
                continue;
            }
            partner_rows.push(i);
            card.partners.push(ServicePartner {
                partner_id: None,
                name: name.clone(),
                role: role.clone(),
            });
        }
        let mut activity_rows = Vec::new();
        for (i, (title, s, e)) in self.activities.iter().enumerate() {
            if title.is_empty() && s.is_empty() && e.is_empty() {
                continue;
            }
            activity_rows.push(i);
            card.activities.push(Activity {
                title: title.clone(),
                starts: date(format!("activity_starts_{i}"), s, &mut errors),
                ends: date(format!("activity_ends_{i}"), e, &mut errors),
            });
        }
        let mut budget_rows = Vec::new();
        for (i, (label, amount, currency, source)) in self.budget.iter().enumerate() {
            if label.is_empty() && amount.is_empty() && source.is_empty() {
                continue;
            }
            let currency = Currency::parse(currency).unwrap_or(Currency::Eur);
            let amount = match Money::parse(amount, currency) {
                Ok(m) => m,
                Err(v) => {
                    errors.add(format!("budget_amount_{i}"), v.message(ctx.lang));
                    Money::new(0, currency)
                }
            };
            budget_rows.push(i);
            card.budget.push(BudgetItem {
                label: label.clone(),
                amount,
                source: source.clone(),
            });
        }
        card.normalise();
        for v in card.validate(false).iter() {
            errors.add(
                card_field_id(&v.field, &partner_rows, &activity_rows, &budget_rows),
                v.message(ctx.lang),
            );
        }
        g.card = card;
        let mut v = lipa_core::Violations::default();
        lipa_core::error::check_text(&mut v, "name", &g.name, true, 200);
        for x in v.iter() {
            errors.add("name", x.message(ctx.lang));
        }
        if errors.is_empty() {
            Ok(g)
        } else {
            Err(errors)
        }
    }
}

/// The form field id of a card violation's path (`partners[1].name` → the id of the form row the
/// card's second partner came from).
pub(super) fn card_field_id(
    path: &str,
    partners: &[usize],
    activities: &[usize],
    budget: &[usize],
) -> String {
    let indexed = |prefix: &str, rows: &[usize], field_prefix: &str| -> Option<String> {
        let rest = path.strip_prefix(prefix)?;
        let (n, field) = rest.split_once("].")?;
        let row = rows.get(n.parse::<usize>().ok()?)?;
        Some(format!("{field_prefix}_{field}_{row}"))
    };
    if let Some(id) = indexed("partners[", partners, "partner")
        .or_else(|| indexed("activities[", activities, "activity"))
        .or_else(|| indexed("budget[", budget, "budget"))
    {
        return id;
    }
    match path {
        "name" => "card_name".into(),
        "expected.social" => "social".into(),
        "expected.economic" => "economic".into(),
        "expected.community" => "community".into(),
        p if p.starts_with("target_groups") => "target_groups".into(),
        p => p.to_owned(),
    }
}

/// An amount as the form shows it: `1500.50`.
pub(super) fn amount_text(m: Money) -> String {
    format!("{}.{:02}", m.minor / 100, m.minor % 100)
}

#[derive(Template)]
#[template(path = "events/card.html")]
pub(super) struct CardPage {
    ctx: Ctx,
    id: EventId,
    version: i64,
    n: usize,
    event_title: String,
    group: GroupView,
    input: CardInput,
    errors: FormErrors,
    categories: Vec<(String, String)>,
    members: Vec<String>,
    can_change: bool,
    adopt_libraries: Vec<LibraryOption>,
    year: i16,
    steps: Vec<String>,
    notice: Option<String>,
    /// Someone else saved the event since this form was opened.
    conflict: Option<Conflict>,
}

pub(super) async fn card_page_for(
    state: &AppState,
    ctx: &Ctx,
    ev: &Versioned<Event>,
    n: usize,
    input: Option<CardInput>,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<CardPage, WebError> {
    let g = &ev.record.working_groups[n - 1];
    let categories = state.app.categories().await?;
    Ok(CardPage {
        ctx: ctx.clone(),
        id: ev.id,
        version: ev.version,
        n,
        event_title: ev.record.title.clone(),
        group: GroupView::new(ctx.lang, &categories, n, g),
        input: input.unwrap_or_else(|| CardInput::from_group(g)),
        errors,
        categories: categories
            .iter()
            .map(|c| (c.code.to_string(), c.name(ctx.lang).to_owned()))
            .collect(),
        members: if g.members.is_empty() {
            ev.record
                .participants
                .iter()
                .map(|p| p.name.clone())
                .collect()
        } else {
            g.members.clone()
        },
        can_change: ctx.can_change(&event_place(&ev.record)),
        adopt_libraries: adoptable_libraries(state, ctx).await?,
        year: ev.record.starts.year(),
        steps: (1..=8).map(|i| ctx.t(&format!("ev-step-{i}"))).collect(),
        notice,
        conflict: None,
    })
}

pub(super) fn group_number(raw: &str, e: &Event) -> Result<usize, WebError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| (1..=e.working_groups.len()).contains(n))
        .ok_or(WebError::NotFound)
}

/// The card page: the form for those who may change the event, the card and the adopt form for
/// everyone else who may see it.
pub async fn card_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> PageResult {
    let ev = load_visible(&state, &ctx, parse_id(&id)?).await?;
    let n = group_number(&n, &ev.record)?;
    let page = card_page_for(
        &state,
        &ctx,
        &ev,
        n,
        None,
        FormErrors::default(),
        done.message(&ctx),
    )
    .await?;
    Ok(render(&page))
}

/// A card's form reads its own fields: a stale version gets the conflict page with the user's
/// text, not the bare 409 that [`Posted`] answers.
pub async fn card_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::new(pairs);
    ctx.check_csrf(f.get("csrf"))?;
    let ev = load_for_change(&state, &ctx, parse_id(&id)?).await?;
    let id = ev.id;
    let n = group_number(&n, &ev.record)?;
    let input = CardInput::from_fields(&f);
    let version = match check_version(&ev, f.get("version")) {
        Err(WebError::Conflict) => return card_conflict(&state, &ctx, id, n, input).await,
        v => v?,
    };
    let categories = state.app.categories().await?;
    match input.to_group(&ctx, &categories, &ev.record.working_groups[n - 1]) {
        Ok(g) => {
            let mut e = ev.record.clone();
            e.working_groups[n - 1] = g;
            let to = format!("/events/{id}/groups/{n}?done=saved");
            match save(&state, &ctx, id, version, &e, &to).await {
                // Someone saved between our read and our write.
                Err(WebError::Conflict) => card_conflict(&state, &ctx, id, n, input).await,
                done => done,
            }
        }
        Err(errors) => {
            let page = card_page_for(&state, &ctx, &ev, n, Some(input), errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// The card form after a lost race: what the user typed, at the event's new version, under the
/// box that compares it with the card as saved.
async fn card_conflict(
    state: &AppState,
    ctx: &Ctx,
    id: EventId,
    n: usize,
    input: CardInput,
) -> PageResult {
    let now = load_for_change(state, ctx, id).await?;
    // The group may be gone, removed by the other save.
    let n = group_number(&n.to_string(), &now.record)?;
    let categories = state.app.categories().await?;
    let saved = CardInput::from_group(&now.record.working_groups[n - 1]);
    let conflict = Conflict::new(
        ctx,
        &CONFLICT_WORDS,
        (now.version, &now.updated_at),
        &saved.fields(ctx, &categories),
        &input.fields(ctx, &categories),
        |path| conflict_label(ctx, path),
    );
    let mut page = card_page_for(
        state,
        ctx,
        &now,
        n,
        Some(input),
        FormErrors::default(),
        None,
    )
    .await?;
    page.conflict = Some(conflict);
    Ok(render_status(StatusCode::CONFLICT, &page))
}
