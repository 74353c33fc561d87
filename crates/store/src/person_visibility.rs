//! Which people appear in a published record: the participants (and speakers with an ID) of
//! published events. Their name, position and organisation are public; everyone else's only
//! for the roles whose scope covers them (the rule is `lipa-app`'s `Access`; this answers the
//! fact it needs, through the `event_participants_person` index).

use crate::{Result, Store};
use lipa_core::ids::{PersonId, RecordKey};
use sqlx::Row;

impl Store {
    /// Whether person `id` appears in a published event.
    pub async fn person_in_published_record(&self, id: PersonId) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM event_participants ep JOIN events e ON e.id = ep.event_id \
             WHERE ep.person_id = $1 AND e.published = 1",
        )
        .bind(id.raw())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }
}
