//! The activity log on the service page: the entries (what the library actually did for the
//! service) with their totals, the form that adds one, and the page that changes or deletes
//! one. Everyone who sees the service sees its log; whoever may change the service writes it.
//! A form that breaks a rule comes back as typed, with the error summary of the card's forms;
//! a change or a delete names the version the form was built from (a stale one gets the 409
//! page and writes nothing). No JavaScript: a few spare target-group rows are always there.

use super::*;
use lipa_core::activity_log::{ActivityEntry, ActivityKind, ActivityTotals, PeopleReached};
use lipa_core::ids::ActivityId;

/// Spare target-group rows a form offers beyond those filled.
const SPARE_ROWS: usize = 2;

/// One entry as the log's table shows it.
pub(crate) struct ActivityRow {
    pub id: ActivityId,
    pub date: String,
    pub kind: String,
    pub hours: String,
    pub volunteers: u32,
    pub volunteer_hours: String,
    /// `Пенсионери: 12`, `Младежи: ≈30`.
    pub reached: Vec<String>,
    pub note: String,
}

/// The log of a service, as its page shows it.
pub(crate) struct ActivityLogView {
    pub rows: Vec<ActivityRow>,
    pub hours: String,
    pub volunteers: u64,
    pub volunteer_hours: String,
    /// The people reached, with `≈` when any count is an estimate.
    pub people: String,
}

/// A number of hours in the reader's way: `2,5` / `2.5`, no trailing zeros.
fn hours_label(lang: Lang, h: f64) -> String {
    let text = format!("{:.2}", h);
    let text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    if lang == Lang::Bg {
        text.replace('.', ",")
    } else {
        text
    }
}

fn approx(estimated: bool, n: impl std::fmt::Display) -> String {
    if estimated {
        format!("≈{n}")
    } else {
        n.to_string()
    }
}

pub(crate) fn log_view(lang: Lang, entries: &[Versioned<ActivityEntry>]) -> ActivityLogView {
    let totals = ActivityTotals::of(entries.iter().map(|e| &e.record));
    ActivityLogView {
        rows: entries
            .iter()
            .map(|e| {
                let a = &e.record;
                ActivityRow {
                    id: e.id,
                    date: date_label(lang, a.date),
                    kind: a.kind.label(lang),
                    hours: hours_label(lang, a.hours),
                    volunteers: a.volunteers,
                    volunteer_hours: hours_label(lang, a.volunteer_hours),
                    reached: a
                        .reached
                        .iter()
                        .map(|r| format!("{}: {}", r.target_group, approx(r.estimated, r.count)))
                        .collect(),
                    note: a.note.clone(),
                }
            })
            .collect(),
        hours: hours_label(lang, totals.hours),
        volunteers: totals.volunteers,
        volunteer_hours: hours_label(lang, totals.volunteer_hours),
        people: approx(totals.estimated, totals.people),
    }
}

/// A kind of activity, for the form's select.
pub(crate) struct KindChoice {
    pub value: &'static str,
    pub label: String,
}

pub(crate) fn kind_choices(lang: Lang) -> Vec<KindChoice> {
    ActivityKind::ALL
        .into_iter()
        .map(|k| KindChoice {
            value: k.code(),
            label: k.label(lang),
        })
        .collect()
}

/// One target-group row of the form, as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReachedRow {
    pub target_group: String,
    pub count: String,
    pub estimated: bool,
}

/// The entry form as typed, so that what the rules refuse comes back exactly as it was.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActivityForm {
    pub date: String,
    pub kind: String,
    pub hours: String,
    pub volunteers: String,
    pub volunteer_hours: String,
    pub reached: Vec<ReachedRow>,
    pub note: String,
}

impl ActivityForm {
    /// An empty form, a row for each of the card's target groups.
    pub(crate) fn blank(target_groups: &[String]) -> Self {
        let mut f = ActivityForm {
            kind: ActivityKind::Training.code().into(),
            reached: target_groups
                .iter()
                .map(|t| ReachedRow {
                    target_group: t.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        f.spare_rows();
        f
    }

    fn of(lang: Lang, a: &ActivityEntry) -> Self {
        let mut f = ActivityForm {
            date: a.date.to_string(),
            kind: a.kind.code().into(),
            hours: hours_label(lang, a.hours),
            volunteers: a.volunteers.to_string(),
            volunteer_hours: hours_label(lang, a.volunteer_hours),
            reached: a
                .reached
                .iter()
                .map(|r| ReachedRow {
                    target_group: r.target_group.clone(),
                    count: r.count.to_string(),
                    estimated: r.estimated,
                })
                .collect(),
            note: a.note.clone(),
        };
        f.spare_rows();
        f
    }

    fn spare_rows(&mut self) {
        self.reached
            .extend(std::iter::repeat_n(ReachedRow::default(), SPARE_ROWS));
    }

    fn read(f: &FormData) -> Self {
        let mut form = ActivityForm {
            date: f.get("date").into(),
            kind: f.get("kind").into(),
            hours: f.get("hours").into(),
            volunteers: f.get("volunteers").into(),
            volunteer_hours: f.get("volunteer_hours").into(),
            // A checkbox alone does not make a row: "estimated" of an empty row means nothing.
            reached: f
                .rows(
                    "reached",
                    &["target_group", "count", "estimated"],
                    &["estimated"],
                )
                .into_iter()
                .map(|r| ReachedRow {
                    target_group: r[0].clone(),
                    count: r[1].clone(),
                    estimated: !r[2].is_empty(),
                })
                .collect(),
            note: f.get("note").into(),
        };
        form.spare_rows();
        form
    }

    /// The entry for `service`, or every field that cannot be read and every rule broken.
    fn entry(&self, service: ServiceId) -> Result<ActivityEntry, Violations> {
        let mut v = Violations::default();
        let date = if self.date.trim().is_empty() {
            v.push(Violation::new("date", "err-required"));
            None
        } else {
            let d = parse_date(&self.date);
            if d.is_none() {
                v.push(Violation::new("date", "svc-err-date").arg("value", self.date.trim()));
            }
            d
        };
        let kind = ActivityKind::from_code(&self.kind);
        if kind.is_none() {
            v.push(Violation::new("kind", "err-required"));
        }
        let hours = decimal(&mut v, "hours", &self.hours);
        let volunteer_hours = decimal(&mut v, "volunteer_hours", &self.volunteer_hours);
        let volunteers = whole(&mut v, "volunteers", &self.volunteers);
        let reached: Vec<PeopleReached> = self
            .reached
            .iter()
            .filter(|r| !(r.target_group.trim().is_empty() && r.count.trim().is_empty()))
            .enumerate()
            .map(|(i, r)| PeopleReached {
                target_group: r.target_group.trim().to_owned(),
                count: whole(&mut v, &format!("reached[{i}].count"), &r.count),
                estimated: r.estimated,
            })
            .collect();
        let (Some(date), Some(kind)) = (date, kind) else {
            return Err(v);
        };
        let mut entry = ActivityEntry {
            service_id: service,
            date,
            kind,
            hours,
            volunteers,
            volunteer_hours,
            reached,
            note: self.note.trim().to_owned(),
        };
        entry.normalise();
        if let Err(rules) = entry.validate() {
            for r in rules.0 {
                if !v.iter().any(|x| x.field == r.field) {
                    v.push(r);
                }
            }
        }
        v.into_result().map(|()| entry)
    }
}

/// A decimal as typed (`2,5` or `2.5`; empty is 0).
fn decimal(v: &mut Violations, field: &str, text: &str) -> f64 {
    let t = text.trim().replace([' ', '\u{a0}'], "").replace(',', ".");
    if t.is_empty() {
        return 0.0;
    }
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() => n,
        _ => {
            v.push(Violation::new(field, "err-number"));
            0.0
        }
    }
}

/// A whole number as typed (empty is 0).
fn whole(v: &mut Violations, field: &str, text: &str) -> u32 {
    let t = text.trim().replace([' ', '\u{a0}'], "");
    if t.is_empty() {
        return 0;
    }
    match t.parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            v.push(Violation::new(field, "act-err-whole").arg("value", text.trim()));
            0
        }
    }
}

/// The HTML id of a field of the entry form: `reached[1].count` → `a-reached-1-count`.
fn activity_field_id(path: &str) -> String {
    let mut id = String::from("a-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    if path == "reached" {
        id.push_str("-0-target_group");
    }
    id
}

/// The broken rules of an entry form, in page order, each linking to its field.
fn activity_errors(ctx: &Ctx, v: &Violations) -> FieldErrors {
    const ORDER: [&str; 7] = [
        "date",
        "kind",
        "hours",
        "volunteers",
        "volunteer_hours",
        "reached",
        "note",
    ];
    let rank = |p: &str| {
        let head = p.split(['[', '.']).next().unwrap_or("");
        let index = p
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .and_then(|(i, _)| i.parse::<usize>().ok())
            .unwrap_or(0);
        (
            ORDER.iter().position(|o| *o == head).unwrap_or(ORDER.len()),
            index,
            p.ends_with("count"),
        )
    };
    let mut list: Vec<&Violation> = v.iter().collect();
    list.sort_by_key(|x| rank(&x.field));
    let mut out: Vec<FieldError> = Vec::new();
    for x in list {
        if out.iter().any(|e| e.path == x.field) {
            continue;
        }
        let label = match x.field.split_once('[') {
            Some((_, rest)) => {
                let (index, sub) = rest.split_once(']').unwrap_or((rest, ""));
                let n = index.parse::<usize>().map(|i| i + 1).unwrap_or(1);
                let sub = sub.trim_start_matches('.');
                format!(
                    "{} – {}",
                    ctx.t1("act-row-reached", "n", n),
                    ctx.t(&format!("act-field-{sub}")).to_lowercase()
                )
            }
            None => ctx.t(&format!("act-field-{}", x.field)),
        };
        let message = x.message(ctx.lang);
        out.push(FieldError {
            href: format!("#{}", activity_field_id(&x.field)),
            summary: format!("{label}: {message}"),
            message,
            path: x.field.clone(),
        });
    }
    FieldErrors(out)
}

// --- the pages ------------------------------------------------------------------------------

/// The page of one entry's form: a new entry whose form broke a rule, or a change.
#[derive(Template)]
#[template(path = "services/activity.html")]
pub(super) struct ActivityPage {
    ctx: Ctx,
    service_id: ServiceId,
    service_name: String,
    library_id: u32,
    library_name: String,
    /// The entry being changed; none for a new one.
    entry: Option<ActivityId>,
    form: ActivityForm,
    kinds: Vec<KindChoice>,
    errors: FieldErrors,
    form_action: String,
    /// The version of the entry being changed.
    form_version: Option<i64>,
}

impl ActivityPage {
    fn new(
        ctx: Ctx,
        l: &Loaded,
        entry: Option<(ActivityId, i64)>,
        form: ActivityForm,
        errors: FieldErrors,
    ) -> Self {
        ActivityPage {
            form_action: match entry {
                Some((id, _)) => format!("/activities/{id}/edit"),
                None => format!("/services/{}/activities", l.id()),
            },
            form_version: entry.map(|(_, v)| v),
            entry: entry.map(|(id, _)| id),
            kinds: kind_choices(ctx.lang),
            service_id: l.id(),
            service_name: l.service.record.card.name.clone(),
            library_id: l.library.record.id.get(),
            library_name: l.library.record.name.clone(),
            form,
            errors,
            ctx,
        }
    }
}

fn activity_id(raw: &str) -> Result<ActivityId, WebError> {
    raw.trim().parse().map_err(|_| WebError::NotFound)
}

/// Where the log is on the service page.
fn log_href(service: ServiceId) -> String {
    format!("/services/{service}#activities-heading")
}

/// `POST /services/{id}/activities`: adds an entry, back to the service page; a form that
/// breaks a rule comes back on a page of its own.
pub(super) async fn add_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let app = &state.app;
    let l = load(app, &ctx, &id).await?;
    let form = ActivityForm::read(&f);
    let invalid = |ctx: Ctx, form: ActivityForm, v: &Violations| {
        let errors = activity_errors(&ctx, v);
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ActivityPage::new(ctx, &l, None, form, errors),
        )
    };
    let entry = match form.entry(l.id()) {
        Ok(e) => e,
        Err(v) => return Ok(invalid(ctx, form, &v)),
    };
    match app.add_activity(&ctx.access(), l.id(), entry).await {
        Ok(_) => Ok(Redirect::to(&log_href(l.id())).into_response()),
        Err(AppError::Invalid(v)) => Ok(invalid(ctx, form, &v)),
        Err(e) => Err(e.into()),
    }
}

/// `GET /activities/{id}/edit`: the form of an entry.
pub(super) async fn edit_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let app = &state.app;
    let id = activity_id(&id)?;
    let current = app.for_change::<ActivityEntry>(&ctx.access(), id).await?;
    let l = app
        .service_for_change(&ctx.access(), current.record.service_id)
        .await?;
    let form = ActivityForm::of(ctx.lang, &current.record);
    Ok(render(&ActivityPage::new(
        ctx,
        &l,
        Some((id, current.version)),
        form,
        FieldErrors::default(),
    )))
}

/// `POST /activities/{id}/edit`: saves an entry at the version the form was built from, back to
/// the service page.
pub(super) async fn save_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let app = &state.app;
    let id = activity_id(&id)?;
    let current = app.for_change::<ActivityEntry>(&ctx.access(), id).await?;
    let version = f.check_version(current.version)?;
    let service = current.record.service_id;
    let l = app.service_for_change(&ctx.access(), service).await?;
    let form = ActivityForm::read(&f);
    let invalid = |ctx: Ctx, form: ActivityForm, v: &Violations| {
        let errors = activity_errors(&ctx, v);
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ActivityPage::new(ctx, &l, Some((id, version)), form, errors),
        )
    };
    let entry = match form.entry(service) {
        Ok(e) => e,
        Err(v) => return Ok(invalid(ctx, form, &v)),
    };
    match app
        .change_activity(&ctx.access(), id, entry, Some(version))
        .await
    {
        Ok(_) => Ok(Redirect::to(&log_href(service)).into_response()),
        Err(AppError::Invalid(v)) => Ok(invalid(ctx, form, &v)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /activities/{id}/delete`: deletes an entry at the version the form was built from.
pub(super) async fn delete_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Checked(f): Checked,
) -> PageResult {
    let app = &state.app;
    let id = activity_id(&id)?;
    let current = app.for_change::<ActivityEntry>(&ctx.access(), id).await?;
    let version = f.check_version(current.version)?;
    app.delete::<ActivityEntry>(&ctx.access(), id, Some(version))
        .await?;
    Ok(Redirect::to(&log_href(current.record.service_id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ActivityForm {
        ActivityForm {
            date: "4.10.2012".into(),
            kind: "training".into(),
            hours: "2,5".into(),
            volunteers: "2".into(),
            volunteer_hours: "4".into(),
            reached: vec![
                ReachedRow {
                    target_group: "Пенсионери".into(),
                    count: "12".into(),
                    estimated: false,
                },
                ReachedRow::default(),
            ],
            note: " Бележка ".into(),
        }
    }

    #[test]
    fn a_form_reads_into_an_entry() {
        let e = form().entry(ServiceId::new(3)).unwrap();
        assert_eq!(e.date, jiff::civil::date(2012, 10, 4));
        assert_eq!(e.hours, 2.5);
        assert_eq!(e.reached.len(), 1, "the spare row is dropped");
        assert_eq!(e.note, "Бележка");
        assert_eq!(e.service_id, ServiceId::new(3));
    }

    #[test]
    fn what_cannot_be_read_is_named_at_its_field() {
        let mut f = form();
        f.date = "утре".into();
        f.hours = "две".into();
        f.reached[0].count = "-3".into();
        let v = f.entry(ServiceId::new(3)).unwrap_err();
        let fields: Vec<(&str, &str)> = v.iter().map(|x| (x.field.as_str(), x.code)).collect();
        assert_eq!(
            fields,
            [
                ("date", "svc-err-date"),
                ("hours", "err-number"),
                ("reached[0].count", "act-err-whole")
            ]
        );
    }

    #[test]
    fn hours_are_written_the_readers_way() {
        assert_eq!(hours_label(Lang::Bg, 2.5), "2,5");
        assert_eq!(hours_label(Lang::En, 2.5), "2.5");
        assert_eq!(hours_label(Lang::En, 3.0), "3");
        assert_eq!(hours_label(Lang::En, 0.0), "0");
        assert_eq!(activity_field_id("reached[1].count"), "a-reached-1-count");
    }
}
