//! An event: a regional meeting or a training, with its agenda, its participants, the working
//! groups that design services during it and the report published after it.

use crate::error::{Violation, Violations, check_text};
use crate::i18n::Lang;
use crate::ids::{CategoryCode, DistrictCode, Ekatte, EventId, Keyed, PersonId};
use crate::service::ServiceCard;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    #[default]
    Meeting,
    Training,
    Conference,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::Meeting,
        EventKind::Training,
        EventKind::Conference,
        EventKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Meeting => "meeting",
            EventKind::Training => "training",
            EventKind::Conference => "conference",
            EventKind::Other => "other",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::tr(lang, &format!("event-kind-{}", self.code()), &[])
    }
}

/// One line of the programme: who speaks, from where, about what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    #[serde(default)]
    pub speaker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub organisation: String,
    pub topic: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ParticipantRole {
    Organiser,
    Guest,
    Speaker,
    Facilitator,
    #[default]
    Participant,
}

impl ParticipantRole {
    pub const ALL: [ParticipantRole; 5] = [
        ParticipantRole::Organiser,
        ParticipantRole::Guest,
        ParticipantRole::Speaker,
        ParticipantRole::Facilitator,
        ParticipantRole::Participant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParticipantRole::Organiser => "organiser",
            ParticipantRole::Guest => "guest",
            ParticipantRole::Speaker => "speaker",
            ParticipantRole::Facilitator => "facilitator",
            ParticipantRole::Participant => "participant",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A person at the event. The name, position and organisation are kept as they were on the day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub role: ParticipantRole,
    /// Came (true) or only registered.
    #[serde(default = "yes")]
    pub attended: bool,
}

fn yes() -> bool {
    true
}

/// A working group: its members pick a category and fill a service card; a spokesperson presents
/// it, and libraries may adopt it as their draft service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryCode>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spokesperson: String,
    #[serde(default)]
    pub card: ServiceCard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub title: String,
    #[serde(default)]
    pub kind: EventKind,
    pub starts: Date,
    pub ends: Date,
    /// The district whose coordinator runs it (for scope), when it is a district's event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Ekatte>,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub organisers: Vec<String>,
    /// Why they met: the focus of the meeting.
    #[serde(default)]
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_participants: Option<u32>,
    /// Head count as reported ("над 40"), when the participant list is not complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_participants: Option<u32>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub working_groups: Vec<WorkingGroup>,
    /// The methodology the groups followed, as presented to them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group_method: String,
    #[serde(default)]
    pub published: bool,
}

impl Keyed for Event {
    type Id = EventId;
}

/// The largest head count an event may give (expected or reported).
pub const MAX_HEAD_COUNT: u32 = 1_000_000;

impl Event {
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        check_text(&mut v, "title", &self.title, true, 300);
        check_text(&mut v, "venue", &self.venue, false, 300);
        check_text(&mut v, "purpose", &self.purpose, false, 8000);
        for (i, o) in self.organisers.iter().enumerate() {
            check_text(&mut v, &format!("organisers[{i}]"), o, false, 300);
        }
        check_text(&mut v, "group_method", &self.group_method, false, 8000);
        if self.ends < self.starts {
            v.push(Violation::new("ends", "err-ends-before-starts"));
        }
        for (field, n) in [
            ("expected_participants", self.expected_participants),
            ("reported_participants", self.reported_participants),
        ] {
            if n.is_some_and(|n| n > MAX_HEAD_COUNT) {
                v.push(Violation::new(field, "err-too-large").arg("max", MAX_HEAD_COUNT));
            }
        }
        for (i, a) in self.agenda.iter().enumerate() {
            check_text(&mut v, &format!("agenda[{i}].topic"), &a.topic, true, 1000);
            check_text(
                &mut v,
                &format!("agenda[{i}].speaker"),
                &a.speaker,
                false,
                200,
            );
            check_text(
                &mut v,
                &format!("agenda[{i}].organisation"),
                &a.organisation,
                false,
                300,
            );
            if let Some(d) = a.day
                && (d < self.starts || d > self.ends)
            {
                v.push(Violation::new(
                    format!("agenda[{i}].day"),
                    "err-day-outside-event",
                ));
            }
        }
        for (i, p) in self.participants.iter().enumerate() {
            check_text(
                &mut v,
                &format!("participants[{i}].name"),
                &p.name,
                true,
                200,
            );
            check_text(
                &mut v,
                &format!("participants[{i}].position"),
                &p.position,
                false,
                300,
            );
            check_text(
                &mut v,
                &format!("participants[{i}].organisation"),
                &p.organisation,
                false,
                300,
            );
        }
        for (i, g) in self.working_groups.iter().enumerate() {
            check_text(
                &mut v,
                &format!("working_groups[{i}].name"),
                &g.name,
                true,
                200,
            );
            for (j, m) in g.members.iter().enumerate() {
                check_text(
                    &mut v,
                    &format!("working_groups[{i}].members[{j}]"),
                    m,
                    false,
                    200,
                );
            }
            check_text(
                &mut v,
                &format!("working_groups[{i}].spokesperson"),
                &g.spokesperson,
                false,
                200,
            );
            v.extend_under(&format!("working_groups[{i}].card"), g.card.validate(false));
        }
        v.into_result()
    }

    /// The head count to report: the reported figure or the attended list, whichever is larger.
    pub fn participant_count(&self) -> u32 {
        let listed = self.participants.iter().filter(|p| p.attended).count() as u32;
        self.reported_participants.unwrap_or(0).max(listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_counts_have_a_ceiling() {
        let event = |reported: u64| -> Event {
            serde_json::from_value(serde_json::json!({
                "title": "Регионална среща",
                "starts": "2012-05-21",
                "ends": "2012-05-21",
                "reported_participants": reported,
            }))
            .unwrap()
        };
        assert!(event(u64::from(MAX_HEAD_COUNT)).validate().is_ok());
        let too_many = event(2_147_483_648).validate().unwrap_err();
        let found: Vec<_> = too_many
            .iter()
            .map(|v| (v.field.as_str(), v.code))
            .collect();
        assert_eq!(found, [("reported_participants", "err-too-large")]);
    }
}
