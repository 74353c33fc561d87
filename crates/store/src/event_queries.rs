//! The reads behind the event pages and the event report, and the ones other pages use to list
//! the events of a library or a partner.
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
//! Unpublished events are returned too: the caller decides who may see them. Read-only; every
//! write goes through `entities.rs`. The participant links use the `event_participants_person`
//! and `persons_*` indexes, the district the `events_district` index; agenda lines and names are
//! matched in Rust over the events themselves, which are few (a district holds a handful a year).

use crate::entities::{Col, Versioned, decode, list};
use crate::{Result, Store};
use lipa_core::event::Event;
use lipa_core::ids::{DistrictCode, LibraryId, RecordId, Year};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::service::Service;
use lipa_core::text::fold_name;
use sqlx::Row;
use std::collections::HashSet;

impl Store {
    /// The events related to a library (see the module doc), latest first.
    pub async fn events_for_library(&self, library: LibraryId) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        let lib_key = i64::from(library.get());
        let district: Option<String> =
            sqlx::query("SELECT district_code FROM libraries WHERE id = $1")
                .bind(lib_key)
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        let people: HashSet<RecordId> = sqlx::query("SELECT id FROM persons WHERE library_id = $1")
            .bind(lib_key)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        let linked: HashSet<RecordId> = sqlx::query(
            "SELECT DISTINCT ep.event_id FROM event_participants ep
         JOIN persons p ON p.id = ep.person_id WHERE p.library_id = $1",
        )
        .bind(lib_key)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
        let all = list::<Event>(&mut conn, "1 = 1", vec![], "starts DESC, id DESC").await?;
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
    pub async fn events_for_partner(&self, partner: RecordId) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        let Some(p) = crate::entities::get::<Partner>(&mut conn, partner).await? else {
            return Ok(Vec::new());
        };
        let people: HashSet<RecordId> = sqlx::query("SELECT id FROM persons WHERE partner_id = $1")
            .bind(partner)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        let linked: HashSet<RecordId> = sqlx::query(
            "SELECT DISTINCT ep.event_id FROM event_participants ep
         JOIN persons p ON p.id = ep.person_id WHERE p.partner_id = $1",
        )
        .bind(partner)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
        let names: Vec<String> = [&p.record.name, &p.record.short_name]
            .into_iter()
            .map(|n| fold_name(n))
            .filter(|n| !n.is_empty())
            .collect();
        let all = list::<Event>(&mut conn, "1 = 1", vec![], "starts DESC, id DESC").await?;
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

impl Store {
    /// The libraries of a district, by programme ID.
    pub async fn district_libraries(
        &self,
        district: &DistrictCode,
    ) -> Result<Vec<Versioned<Library>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Library>(
            &mut conn,
            "district_code = $1",
            vec![Col::Text(district.to_string())],
            "id",
        )
        .await
    }

    /// The services of a district's libraries for a year, drafts included (the caller decides which
    /// to show), by library and ID.
    pub async fn district_services(
        &self,
        district: &DistrictCode,
        year: Year,
    ) -> Result<Vec<Versioned<Service>>> {
        let rows = sqlx::query(
            "SELECT id, body, version, created_at, updated_at FROM services
         WHERE district_code = $1 AND year = $2 ORDER BY library_id, id",
        )
        .bind(district.as_str())
        .bind(i64::from(year.get()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }
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
