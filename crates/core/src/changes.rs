//! A set of changes to write in one transaction: what an import, the demo loader or a bulk edit
//! hands to the store. The store applies all of it or none of it.
//!
//! Records refer to each other by natural keys where they have no store ID yet: a service partner
//! by its name, an event participant by the person's name. The store links them on write.

use crate::activity_log::ActivityEntry;
use crate::event::Event;
use crate::ids::{EventId, PartnerId, PersonId, ServiceId};
use crate::library::Library;
use crate::partner::Partner;
use crate::person::Person;
use crate::service::Service;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    /// Inserted, or updated when a library with the same programme ID exists.
    pub libraries: Vec<Library>,
    pub new_services: Vec<Service>,
    pub updated_services: Vec<(ServiceId, Service)>,
    pub new_partners: Vec<Partner>,
    pub updated_partners: Vec<(PartnerId, Partner)>,
    pub new_persons: Vec<Person>,
    pub updated_persons: Vec<(PersonId, Person)>,
    pub new_events: Vec<Event>,
    pub updated_events: Vec<(EventId, Event)>,
    /// Entries of activity logs, each for a stored service or one of `new_services` (the
    /// entry's own `service_id` is set on write).
    pub new_activities: Vec<(ServiceRef, ActivityEntry)>,
}

/// The service an entry of a change set belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceRef {
    Stored(ServiceId),
    /// The position in [`ChangeSet::new_services`].
    New(usize),
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.libraries.is_empty()
            && self.new_services.is_empty()
            && self.updated_services.is_empty()
            && self.new_partners.is_empty()
            && self.updated_partners.is_empty()
            && self.new_persons.is_empty()
            && self.updated_persons.is_empty()
            && self.new_events.is_empty()
            && self.updated_events.is_empty()
            && self.new_activities.is_empty()
    }

    /// Number of records written.
    pub fn len(&self) -> usize {
        self.libraries.len()
            + self.new_services.len()
            + self.updated_services.len()
            + self.new_partners.len()
            + self.updated_partners.len()
            + self.new_persons.len()
            + self.updated_persons.len()
            + self.new_events.len()
            + self.updated_events.len()
            + self.new_activities.len()
    }
}
