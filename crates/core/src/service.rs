//! An innovative service: the card of the programme's 8-step method, for one library and one
//! year, in one category, with its volunteers, status and the results actually reached.
//!
//! The steps: 1 service and name; 2 goal; 3 target groups; 4 partners with their role;
//! 5 implementation activities with dates; 6 resources and budget; 7 media presentation;
//! 8 expected results — social and economic effect, impact on the community.

use crate::error::{Violation, Violations, check_text};
use crate::i18n::Lang;
use crate::ids::{CategoryCode, Keyed, LibraryId, PartnerId, ServiceId, Year};
use crate::money::{Currency, Money};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where a service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ServiceStatus {
    /// Being written; not public.
    #[default]
    Draft,
    Planned,
    Active,
    Completed,
    Dropped,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 5] = [
        ServiceStatus::Draft,
        ServiceStatus::Planned,
        ServiceStatus::Active,
        ServiceStatus::Completed,
        ServiceStatus::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceStatus::Draft => "draft",
            ServiceStatus::Planned => "planned",
            ServiceStatus::Active => "active",
            ServiceStatus::Completed => "completed",
            ServiceStatus::Dropped => "dropped",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Everything but a draft is published.
    pub fn is_published(self) -> bool {
        self != ServiceStatus::Draft
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::tr(lang, &format!("service-status-{}", self.code()), &[])
    }
}

/// Step 4: a partner of the service and what it does in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePartner {
    /// The partner organisation in the registry, when it is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<PartnerId>,
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// Step 5: one implementation activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
}

/// Step 6: one budget line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetItem {
    pub label: String,
    pub amount: Money,
    /// Who provides it (the library, a partner, the programme…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// Step 8.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedResults {
    #[serde(default)]
    pub social: String,
    #[serde(default)]
    pub economic: String,
    #[serde(default)]
    pub community: String,
}

/// The 8 steps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    /// Step 1.
    pub name: String,
    /// Step 2.
    #[serde(default)]
    pub goal: String,
    /// Step 3.
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// Step 4.
    #[serde(default)]
    pub partners: Vec<ServicePartner>,
    /// Step 5.
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// Step 6.
    #[serde(default)]
    pub budget: Vec<BudgetItem>,
    /// Step 7.
    #[serde(default)]
    pub media: String,
    /// Step 8.
    #[serde(default)]
    pub expected: ExpectedResults,
}

/// The number of steps of the card.
pub const STEPS: u8 = 8;

impl ServiceCard {
    /// Checks one step (1–8). `complete` asks for what a published card needs; a draft may leave
    /// fields empty but never break a rule on what it has.
    pub fn validate_step(&self, step: u8, complete: bool) -> Violations {
        let mut v = Violations::default();
        match step {
            1 => check_text(&mut v, "name", &self.name, true, 300),
            2 => check_text(&mut v, "goal", &self.goal, false, 4000),
            3 => {
                if complete && self.target_groups.iter().all(|t| t.trim().is_empty()) {
                    v.push(Violation::new("target_groups", "err-required"));
                }
                for (i, t) in self.target_groups.iter().enumerate() {
                    check_text(&mut v, &format!("target_groups[{i}]"), t, false, 200);
                }
            }
            4 => {
                for (i, p) in self.partners.iter().enumerate() {
                    check_text(&mut v, &format!("partners[{i}].name"), &p.name, true, 300);
                    check_text(&mut v, &format!("partners[{i}].role"), &p.role, false, 500);
                }
            }
            5 => {
                for (i, a) in self.activities.iter().enumerate() {
                    check_text(
                        &mut v,
                        &format!("activities[{i}].title"),
                        &a.title,
                        true,
                        500,
                    );
                    if let (Some(s), Some(e)) = (a.starts, a.ends)
                        && e < s
                    {
                        v.push(Violation::new(
                            format!("activities[{i}].ends"),
                            "err-ends-before-starts",
                        ));
                    }
                }
            }
            6 => {
                for (i, b) in self.budget.iter().enumerate() {
                    check_text(&mut v, &format!("budget[{i}].label"), &b.label, true, 300);
                    if b.amount.minor < 0 {
                        v.push(Violation::new(
                            format!("budget[{i}].amount"),
                            "err-negative",
                        ));
                    }
                }
            }
            7 => check_text(&mut v, "media", &self.media, false, 4000),
            8 => {
                check_text(
                    &mut v,
                    "expected.social",
                    &self.expected.social,
                    false,
                    4000,
                );
                check_text(
                    &mut v,
                    "expected.economic",
                    &self.expected.economic,
                    false,
                    4000,
                );
                check_text(
                    &mut v,
                    "expected.community",
                    &self.expected.community,
                    false,
                    4000,
                );
            }
            _ => {}
        }
        v
    }

    pub fn validate(&self, complete: bool) -> Violations {
        let mut v = Violations::default();
        for step in 1..=STEPS {
            v.0.extend(self.validate_step(step, complete).0);
        }
        v
    }

    /// The budget total in `currency` (items in the other currency converted at the fixed rate).
    pub fn budget_total(&self, currency: Currency) -> Money {
        let minor = self
            .budget
            .iter()
            .map(|b| b.amount.convert(currency).minor)
            .sum();
        Money::new(minor, currency)
    }

    /// Target groups with empty entries dropped and spaces trimmed.
    pub fn normalise(&mut self) {
        self.name = self.name.trim().to_owned();
        self.goal = self.goal.trim().to_owned();
        self.target_groups = self
            .target_groups
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        self.target_groups.dedup();
    }
}

/// A volunteer who supports a service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// A result actually reached, reported on a date (`участници: 25`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultReport {
    pub date: Date,
    pub indicator: String,
    pub value: f64,
    #[serde(default)]
    pub expected: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub library: LibraryId,
    pub year: Year,
    pub category: CategoryCode,
    #[serde(default)]
    pub status: ServiceStatus,
    /// Run with the support of volunteers.
    #[serde(default)]
    pub volunteer_supported: bool,
    #[serde(default)]
    pub volunteers: Vec<Volunteer>,
    pub card: ServiceCard,
    #[serde(default)]
    pub results: Vec<ResultReport>,
}

impl Keyed for Service {
    type Id = ServiceId;
}

impl Service {
    /// A published service needs a name and at least one target group; a draft needs a name.
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        v.extend_under("card", self.card.validate(self.status.is_published()));
        for (i, vol) in self.volunteers.iter().enumerate() {
            check_text(
                &mut v,
                &format!("volunteers[{i}].name"),
                &vol.name,
                true,
                200,
            );
        }
        for (i, r) in self.results.iter().enumerate() {
            check_text(
                &mut v,
                &format!("results[{i}].indicator"),
                &r.indicator,
                true,
                300,
            );
            if !r.value.is_finite() {
                v.push(Violation::new(format!("results[{i}].value"), "err-number"));
            }
        }
        v.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        Service {
            library: LibraryId::new(708).unwrap(),
            year: Year::new(2012).unwrap(),
            category: CategoryCode::parse("e-health").unwrap(),
            status: ServiceStatus::Planned,
            volunteer_supported: true,
            volunteers: vec![],
            card: ServiceCard {
                name: "Предоставяне на информация на здравни теми".into(),
                target_groups: vec!["Местна общност".into()],
                ..Default::default()
            },
            results: vec![],
        }
    }

    #[test]
    fn published_service_needs_a_target_group_draft_does_not() {
        let mut s = service();
        s.validate().unwrap();
        s.card.target_groups.clear();
        let err = s.validate().unwrap_err();
        assert_eq!(err.0[0].field, "card.target_groups");
        s.status = ServiceStatus::Draft;
        s.validate().unwrap();
    }

    #[test]
    fn activity_dates_must_be_in_order() {
        let mut s = service();
        s.card.activities.push(Activity {
            title: "Среща".into(),
            starts: Some(jiff::civil::date(2012, 9, 10)),
            ends: Some(jiff::civil::date(2012, 9, 1)),
        });
        let err = s.validate().unwrap_err();
        assert_eq!(err.0[0].field, "card.activities[0].ends");
    }

    #[test]
    fn budget_total_converts_currencies() {
        let mut s = service();
        s.card.budget = vec![
            BudgetItem {
                label: "Проектор".into(),
                amount: Money::new(195_583, Currency::Bgn),
                source: String::new(),
            },
            BudgetItem {
                label: "Хартия".into(),
                amount: Money::new(500, Currency::Eur),
                source: String::new(),
            },
        ];
        assert_eq!(s.card.budget_total(Currency::Eur).minor, 100_500);
    }
}
