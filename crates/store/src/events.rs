//! Events: meetings, trainings and working groups (with their participants, agenda and groups'
//! service cards), their writes — which link participants to persons of the registry — and
//! their reads: the API's keyset-paged list, a district's events, and the events of a library
//! or a partner that other pages list.
//!
//! What "an event of this library / partner" means is decided here, once, so that every page
//! agrees:
//!
//! - **library** — the event is held in the library's district (its `district` or the district of
//!   its settlement, the `district_code` column), or one of its participants or agenda lines is a
//!   person of the registry whose `library` is that library;
//! - **partner** — one of its participants or agenda lines is a person whose `partner_id` is that
//!   partner, or a participant's or agenda line's organisation, an organiser, or step 4 of a
//!   working group's card names the partner (its ID, or its name or short name, folded, whole or
//!   followed by a separator: „Община Кюстендил, отдел „Култура…““ names „Община Кюстендил“).
//!
//! Unpublished events are returned too (except by the API's list, which takes a
//! [`DraftScope`]): the caller decides who may see them. The participant links use the
//! `event_participants_person` and `persons_*` indexes, the district the `events_district` index; agenda lines and names are
//! matched in Rust over the events themselves, which are few (a district holds a handful a year).

use crate::record::{
    DraftScope, Entity, Keyset, KeysetPage, Versioned, get, key, list, place_of, replace_links,
    unique_by_key,
};
use crate::sql::{Col, Where};
use crate::{Result, Store};
use lipa_core::Violations;
use lipa_core::audit::EntityKind;
use lipa_core::event::{Event, EventKind};
use lipa_core::ids::{DistrictCode, EventId, LibraryId, PartnerId, PersonId, RecordKey, Year};
use lipa_core::partner::Partner;
use lipa_core::text::fold_name;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub district: Option<DistrictCode>,
    pub kind: Option<EventKind>,
    /// Events that start in this year.
    pub year: Option<Year>,
    /// Words that must all occur in the title (folded).
    pub q: String,
    /// Unpublished events the reader may see: [`DraftScope::District`] or [`DraftScope::All`].
    pub drafts: DraftScope,
}

impl Entity for Event {
    const TABLE: &'static str = "events";
    const KIND: EntityKind = EntityKind::Event;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let district = match (&self.district, &self.settlement) {
            (Some(d), _) => Some(d.to_string()),
            (None, Some(e)) => Some(place_of(e.as_str())?.district.to_string()),
            (None, None) => None,
        };
        if let Some(e) = &self.settlement {
            place_of(e.as_str())?;
        }
        Ok(vec![
            ("title_key", Col::Text(fold_name(&self.title))),
            ("kind", Col::Text(self.kind.code().into())),
            ("starts", Col::Text(self.starts.to_string())),
            ("ends", Col::Text(self.ends.to_string())),
            ("district_code", Col::OptText(district)),
            (
                "settlement_ekatte",
                Col::OptText(self.settlement.as_ref().map(|e| e.to_string())),
            ),
            ("published", Col::Int(i64::from(self.published))),
        ])
    }

    async fn after_write(&self, conn: &mut AnyConnection, id: EventId) -> Result<()> {
        after_event_write(conn, id, self).await
    }
}

impl crate::record::Written for Event {}

/// Links an event's participants to people of the registry (by ID, or by a name only one person
/// has).
pub(crate) async fn after_event_write(
    conn: &mut AnyConnection,
    id: EventId,
    e: &Event,
) -> Result<()> {
    let unnamed: Vec<String> = e
        .participants
        .iter()
        .filter(|p| p.person_id.is_none())
        .map(|p| fold_name(&p.name))
        .collect();
    let by_name = unique_by_key(conn, "persons", &["name_key"], &unnamed).await?;
    let rows = e
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let person_id = p
                .person_id
                .or_else(|| by_name.get(&fold_name(&p.name)).copied());
            vec![
                Col::Int(i as i64),
                Col::OptInt(person_id.map(RecordKey::raw)),
                p.role.code().into(),
            ]
        })
        .collect();
    replace_links(
        conn,
        "event_participants",
        "event_id",
        id,
        &["position", "person_id", "role"],
        rows,
    )
    .await
}

impl Store {
    pub async fn event(&self, id: EventId) -> Result<Option<Versioned<Event>>> {
        self.find::<Event>(id).await
    }

    /// Events, latest first.
    pub async fn events(&self) -> Result<Vec<Versioned<Event>>> {
        self.select::<Event>(&Where::default(), "starts DESC, id DESC")
            .await
    }

    /// Events that pass the query, by id.
    pub async fn page_events(&self, q: &EventQuery, page: Keyset) -> Result<KeysetPage<Event>> {
        let mut w = Where::default();
        if let Some(d) = &q.district {
            w.eq("district_code", d.as_str());
        }
        if let Some(k) = q.kind {
            w.eq("kind", k.code());
        }
        if let Some(y) = q.year {
            // `starts` is an ISO date, so its year is its first four characters.
            let p = w.bind(format!("{:04}-%", y.get()));
            w.push(format!("starts LIKE {p}"));
        }
        w.words(&q.q, &["title_key"]);
        match &q.drafts {
            DraftScope::All => {}
            DraftScope::District(d) => {
                let p = w.bind(d.as_str());
                w.push(format!("(published = 1 OR district_code = {p})"));
            }
            DraftScope::None | DraftScope::Library(_) => w.push("published = 1"),
        }
        self.keyset_page(w, page).await
    }

    /// The events of a district (its own, or held in one of its settlements), latest first.
    pub async fn events_in_district(
        &self,
        district: &DistrictCode,
    ) -> Result<Vec<Versioned<Event>>> {
        let mut w = Where::default();
        w.eq("district_code", district.as_str());
        self.select::<Event>(&w, "starts DESC, id DESC").await
    }

    /// The events related to a library (see the module doc), latest first.
    pub async fn events_for_library(&self, library: LibraryId) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        let district: Option<String> =
            sqlx::query("SELECT district_code FROM libraries WHERE id = $1")
                .bind(library.raw())
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        let (people, linked) = people_of(&mut conn, "library_id", library.raw()).await?;
        let all = list::<Event>(&mut conn, &Where::default(), "starts DESC, id DESC").await?;
        Ok(all
            .into_iter()
            .filter(|e| {
                linked.contains(&e.id)
                    || event_district(&e.record).is_some_and(|d| Some(d) == district.as_deref())
                    || e.record
                        .agenda
                        .iter()
                        .any(|a| a.person_id.is_some_and(|p| people.contains(&p)))
            })
            .collect())
    }

    /// The events related to a partner (see the module doc), latest first.
    pub async fn events_for_partner(&self, partner: PartnerId) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        let Some(p) = get::<Partner>(&mut conn, partner).await? else {
            return Ok(Vec::new());
        };
        let (people, linked) = people_of(&mut conn, "partner_id", partner.raw()).await?;
        let names: Vec<String> = [&p.record.name, &p.record.short_name]
            .into_iter()
            .map(|n| fold_name(n))
            .filter(|n| !n.is_empty())
            .collect();
        let all = list::<Event>(&mut conn, &Where::default(), "starts DESC, id DESC").await?;
        Ok(all
            .into_iter()
            .filter(|e| {
                let ev = &e.record;
                linked.contains(&e.id)
                    || ev
                        .agenda
                        .iter()
                        .any(|a| a.person_id.is_some_and(|id| people.contains(&id)))
                    || ev
                        .participants
                        .iter()
                        .any(|x| names_partner(&names, &x.organisation))
                    || ev
                        .agenda
                        .iter()
                        .any(|a| names_partner(&names, &a.organisation))
                    || ev.organisers.iter().any(|o| names_partner(&names, o))
                    || ev.working_groups.iter().any(|g| {
                        g.card.partners.iter().any(|sp| {
                            sp.partner_id == Some(partner) || names_partner(&names, &sp.name)
                        })
                    })
            })
            .collect())
    }
}

/// The persons whose `column` (`library_id`, `partner_id`) is `value`, and the events that link
/// to them as participants.
async fn people_of(
    conn: &mut AnyConnection,
    column: &str,
    value: i64,
) -> Result<(HashSet<PersonId>, HashSet<EventId>)> {
    async fn ids<K: RecordKey>(
        conn: &mut AnyConnection,
        sql: String,
        value: i64,
    ) -> Result<HashSet<K>> {
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(value)
            .fetch_all(conn)
            .await?;
        rows.iter().map(|r| key(r, 0)).collect()
    }
    let people = ids(
        conn,
        format!("SELECT id FROM persons WHERE {column} = $1"),
        value,
    )
    .await?;
    let linked = ids(
        conn,
        format!(
            "SELECT DISTINCT ep.event_id FROM event_participants ep
             JOIN persons p ON p.id = ep.person_id WHERE p.{column} = $1"
        ),
        value,
    )
    .await?;
    Ok((people, linked))
}

/// The district an event belongs to, as the `district_code` column holds it.
fn event_district(e: &Event) -> Option<&str> {
    e.district.as_ref().map(DistrictCode::as_str).or_else(|| {
        e.settlement.as_ref().and_then(|s| {
            lipa_core::geo::Gazetteer::get()
                .settlement(s.as_str())
                .map(|s| s.district.as_str())
        })
    })
}

/// Whether `text` names one of the folded `names`: equal, or starting with it and followed by a
/// character that is not part of a word (so „Община Кюстендил, отдел …“ names „Община
/// Кюстендил“ but „Общинска библиотека“ does not name „Община“).
fn names_partner(names: &[String], text: &str) -> bool {
    let t = fold_name(text);
    if t.is_empty() {
        return false;
    }
    names.iter().any(|n| {
        t == *n
            || t.strip_prefix(n.as_str())
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::names_partner;
    use lipa_core::text::fold_name;

    #[test]
    fn a_partner_is_named_whole_or_before_a_separator() {
        let names = vec![fold_name("Община Кюстендил"), fold_name("РЗИ")];
        assert!(names_partner(&names, "Община Кюстендил"));
        assert!(names_partner(
            &names,
            "Община Кюстендил, отдел „Култура и духовно развитие“"
        ));
        assert!(names_partner(&names, "РЗИ - Кюстендил"));
        assert!(!names_partner(&names, "Община Кюстендилска"));
        assert!(!names_partner(&names, "Регионална библиотека"));
        assert!(!names_partner(&names, ""));
    }
}
