//! The activity log of a service: what a library actually did for it, entry by entry — a
//! training, a consultation, an event, a publication — on a date, with the hours it took, the
//! volunteers who helped and the people it reached by target group.
//!
//! Not to be confused with the card's step 5 ([`crate::service::Activity`]), which is the plan.
//! An entry belongs to one service and is kept beside it, not inside it: the log grows with the
//! years while the card stays the same. Evidence files, indicators and roll-ups are not here.

use crate::error::{Violation, Violations, check_text};
use crate::i18n::Lang;
use crate::ids::{ActivityId, Keyed, ServiceId};
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

/// What kind of work an entry records: a closed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    #[default]
    Training,
    Consultation,
    Event,
    Publication,
    Other,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::Training,
        ActivityKind::Consultation,
        ActivityKind::Event,
        ActivityKind::Publication,
        ActivityKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::Training => "training",
            ActivityKind::Consultation => "consultation",
            ActivityKind::Event => "event",
            ActivityKind::Publication => "publication",
            ActivityKind::Other => "other",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::tr(lang, &format!("activity-kind-{}", self.code()), &[])
    }
}

/// The people of one target group an entry reached; `estimated` when counted roughly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleReached {
    pub target_group: String,
    pub count: u32,
    #[serde(default)]
    pub estimated: bool,
}

/// One entry of a service's activity log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub service_id: ServiceId,
    pub date: Date,
    pub kind: ActivityKind,
    /// Hours of work, staff and volunteers together (a decimal: 1.5).
    #[serde(default)]
    pub hours: f64,
    /// The number of volunteers who helped.
    #[serde(default)]
    pub volunteers: u32,
    /// The hours those volunteers gave, together.
    #[serde(default)]
    pub volunteer_hours: f64,
    #[serde(default)]
    pub reached: Vec<PeopleReached>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Keyed for ActivityEntry {
    type Id = ActivityId;
}

impl ActivityEntry {
    /// The earliest date an entry may have (the programme's libraries started before 2012;
    /// nothing in the log is older than this).
    pub const FIRST_DATE: Date = date(2000, 1, 1);
    /// The latest date an entry may have.
    pub const LAST_DATE: Date = date(2100, 12, 31);
    /// Most hours one entry may record (a year of days and nights).
    pub const MAX_HOURS: f64 = 10_000.0;
    /// Most volunteers one entry may name.
    pub const MAX_VOLUNTEERS: u32 = 10_000;
    /// Most people one target group of one entry may count.
    pub const MAX_REACHED: u32 = 1_000_000;
    /// Most target groups one entry may list.
    pub const MAX_GROUPS: usize = 50;
    /// Longest note.
    pub const MAX_NOTE: usize = 4000;

    /// Checks the numbers, the date and the target groups; every broken rule at its field.
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        if self.date < Self::FIRST_DATE || self.date > Self::LAST_DATE {
            v.push(
                Violation::new("date", "err-activity-date")
                    .arg("value", self.date)
                    .arg("min", Self::FIRST_DATE)
                    .arg("max", Self::LAST_DATE),
            );
        }
        check_hours(&mut v, "hours", self.hours);
        check_hours(&mut v, "volunteer_hours", self.volunteer_hours);
        if self.volunteers > Self::MAX_VOLUNTEERS {
            v.push(Violation::new("volunteers", "err-too-large").arg("max", Self::MAX_VOLUNTEERS));
        }
        if self.volunteers == 0 && self.volunteer_hours > 0.0 {
            v.push(Violation::new(
                "volunteer_hours",
                "err-activity-hours-without-volunteers",
            ));
        }
        if self.reached.len() > Self::MAX_GROUPS {
            v.push(Violation::new("reached", "err-too-many").arg("max", Self::MAX_GROUPS));
        }
        for (i, r) in self.reached.iter().enumerate() {
            check_text(
                &mut v,
                &format!("reached[{i}].target_group"),
                &r.target_group,
                true,
                200,
            );
            if r.count > Self::MAX_REACHED {
                v.push(
                    Violation::new(format!("reached[{i}].count"), "err-too-large")
                        .arg("max", Self::MAX_REACHED),
                );
            }
        }
        check_text(&mut v, "note", &self.note, false, Self::MAX_NOTE);
        v.into_result()
    }

    /// The people reached, all target groups together.
    pub fn people(&self) -> u64 {
        self.reached.iter().map(|r| u64::from(r.count)).sum()
    }

    /// Whether any count of people is an estimate.
    pub fn estimated(&self) -> bool {
        self.reached.iter().any(|r| r.estimated)
    }

    /// Trims the texts and drops target-group rows left wholly empty (a form's spare rows).
    pub fn normalise(&mut self) {
        self.note = self.note.trim().to_owned();
        for r in &mut self.reached {
            r.target_group = r.target_group.trim().to_owned();
        }
        self.reached
            .retain(|r| !(r.target_group.is_empty() && r.count == 0 && !r.estimated));
    }
}

fn check_hours(v: &mut Violations, field: &str, hours: f64) {
    if !hours.is_finite() {
        v.push(Violation::new(field, "err-number"));
    } else if hours < 0.0 {
        v.push(Violation::new(field, "err-negative-number"));
    } else if hours > ActivityEntry::MAX_HOURS {
        v.push(Violation::new(field, "err-too-large").arg("max", ActivityEntry::MAX_HOURS));
    }
}

/// The totals of a list of entries, as the service page shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityTotals {
    pub entries: usize,
    pub hours: f64,
    pub volunteers: u64,
    pub volunteer_hours: f64,
    pub people: u64,
    /// Whether any count of people behind `people` is an estimate.
    pub estimated: bool,
}

impl ActivityTotals {
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a ActivityEntry>) -> Self {
        let mut t = Self::default();
        for e in entries {
            t.entries += 1;
            t.hours += e.hours;
            t.volunteers += u64::from(e.volunteers);
            t.volunteer_hours += e.volunteer_hours;
            t.people += e.people();
            t.estimated |= e.estimated();
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> ActivityEntry {
        ActivityEntry {
            service_id: ServiceId::new(1),
            date: date(2012, 10, 4),
            kind: ActivityKind::Training,
            hours: 2.5,
            volunteers: 2,
            volunteer_hours: 4.0,
            reached: vec![
                PeopleReached {
                    target_group: "Пенсионери".into(),
                    count: 12,
                    estimated: false,
                },
                PeopleReached {
                    target_group: "Младежи".into(),
                    count: 30,
                    estimated: true,
                },
            ],
            note: "Основни компютърни умения".into(),
        }
    }

    fn fields(e: &ActivityEntry) -> Vec<(String, &'static str)> {
        match e.validate() {
            Ok(()) => vec![],
            Err(v) => v.iter().map(|x| (x.field.clone(), x.code)).collect(),
        }
    }

    #[test]
    fn a_sound_entry_passes_and_adds_up() {
        let e = entry();
        assert_eq!(fields(&e), vec![]);
        assert_eq!(e.people(), 42);
        assert!(e.estimated());
        let t = ActivityTotals::of([&e, &e]);
        assert_eq!(
            (t.entries, t.hours, t.volunteers, t.people),
            (2, 5.0, 4, 84)
        );
        assert_eq!(t.volunteer_hours, 8.0);
    }

    #[test]
    fn broken_rules_are_named_at_their_fields() {
        let mut e = entry();
        e.date = date(1899, 1, 1);
        e.hours = -1.0;
        e.volunteer_hours = f64::NAN;
        e.volunteers = ActivityEntry::MAX_VOLUNTEERS + 1;
        e.reached[1].target_group = "  ".into();
        e.reached[0].count = ActivityEntry::MAX_REACHED + 1;
        assert_eq!(
            fields(&e),
            vec![
                ("date".into(), "err-activity-date"),
                ("hours".into(), "err-negative-number"),
                ("volunteer_hours".into(), "err-number"),
                ("volunteers".into(), "err-too-large"),
                ("reached[0].count".into(), "err-too-large"),
                ("reached[1].target_group".into(), "err-required"),
            ]
        );
    }

    #[test]
    fn volunteer_hours_need_volunteers_and_hours_are_bounded() {
        let mut e = entry();
        e.volunteers = 0;
        e.hours = ActivityEntry::MAX_HOURS + 0.5;
        assert_eq!(
            fields(&e),
            vec![
                ("hours".into(), "err-too-large"),
                (
                    "volunteer_hours".into(),
                    "err-activity-hours-without-volunteers"
                ),
            ]
        );
    }

    #[test]
    fn kinds_have_codes_and_json_round_trips() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(k.code()), Some(k));
        }
        assert_eq!(ActivityKind::from_code("party"), None);
        let e = entry();
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"training""#), "{json}");
        assert_eq!(serde_json::from_str::<ActivityEntry>(&json).unwrap(), e);
    }

    #[test]
    fn normalise_drops_spare_rows() {
        let mut e = entry();
        e.reached.push(PeopleReached::default());
        e.reached[0].target_group = " Пенсионери ".into();
        e.normalise();
        assert_eq!(e.reached.len(), 2);
        assert_eq!(e.reached[0].target_group, "Пенсионери");
    }
}
