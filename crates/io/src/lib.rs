//! Importers and exporters: bytes in a file format ⇄ lipa's domain records.
//!
//! - [`legacy`] reads the plain-text tables the programme published (columns joined by spaces,
//!   no delimiters), like the table at the end of the Kyustendil 2012 report;
//! - [`registry`] writes and reads the whole registry as JSON, CSV and XLSX;
//! - [`preview`] compares an import with what the store holds and says what is new, what changes
//!   and what stays, producing the [`lipa_core::changes::ChangeSet`] to write;
//! - [`encoding`] reads text files in the encodings people have them in (UTF-8, UTF-16,
//!   Windows-1251), and [`limits`] bounds what any import reads;
//! - [`demo`] turns the readable demo data file (`data/demo/`) into records.
//!
//! This crate does not touch the store: it takes and returns domain records. The binary and the
//! web layer read from the store, call these functions and hand the change set back to the store.

pub mod demo;
pub mod encoding;
pub mod error;
pub mod geojson;
pub mod ical;
pub mod legacy;
pub mod limits;
pub mod participants;
pub mod preview;
pub mod registry;
pub mod synthetic;
pub mod tables;

pub use error::{ImportErrors, RowError};

use lipa_core::activity_log::{ActivityEntry, ActivityKind, PeopleReached};
use lipa_core::event::Event;
use lipa_core::ids::ServiceId;
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::Service;
use serde::{Deserialize, Serialize};

/// A record and the line of the input it came from (1-based), for error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub line: usize,
    pub record: T,
}

/// The registry, or a part of it, as files carry it: records without store IDs. Services name
/// their library by programme ID and their partners by name; event participants name people.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default)]
    pub libraries: Vec<Library>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub persons: Vec<Person>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// The entries of the services' activity logs (absent from a file that has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<LoggedActivity>,
}

/// An entry of a service's activity log as a file carries it: the entry without a store ID,
/// its service named by its position in the file's `services`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedActivity {
    /// The position (from 0) of the entry's service in the file's `services`.
    pub service: usize,
    pub date: jiff::civil::Date,
    pub kind: ActivityKind,
    #[serde(default)]
    pub hours: f64,
    #[serde(default)]
    pub volunteers: u32,
    #[serde(default)]
    pub volunteer_hours: f64,
    #[serde(default)]
    pub reached: Vec<PeopleReached>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl LoggedActivity {
    /// An entry of the service at position `service` of the file.
    pub fn of(service: usize, e: &ActivityEntry) -> Self {
        let ActivityEntry {
            service_id: _,
            date,
            kind,
            hours,
            volunteers,
            volunteer_hours,
            reached,
            note,
        } = e.clone();
        LoggedActivity {
            service,
            date,
            kind,
            hours,
            volunteers,
            volunteer_hours,
            reached,
            note,
        }
    }

    /// The entry, for the stored service `service_id`.
    pub fn entry(&self, service_id: ServiceId) -> ActivityEntry {
        ActivityEntry {
            service_id,
            date: self.date,
            kind: self.kind,
            hours: self.hours,
            volunteers: self.volunteers,
            volunteer_hours: self.volunteer_hours,
            reached: self.reached.clone(),
            note: self.note.clone(),
        }
    }
}
