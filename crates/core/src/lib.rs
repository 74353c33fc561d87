//! The domain of lipa: what a library, an innovative service, a partner, a person, an event, a user
//! and an audit entry are, the rules that make them valid, the service-category taxonomy, the
//! embedded gazetteer of Bulgaria and the translations every front end speaks with.
//!
//! This crate does no I/O: no files, no network, no database, no clock except through arguments.
//! Reference data (gazetteer, default taxonomy, translations) is compiled in. Everything above it —
//! store, importers, web — builds on these types and must not redefine them.

pub mod activity_log;
pub mod audit;
pub mod changes;
pub mod error;
pub mod event;
pub mod geo;
pub mod i18n;
pub mod ids;
pub mod library;
pub mod money;
pub mod partner;
pub mod person;
pub mod sample;
pub mod search_text;
pub mod service;
pub mod taxonomy;
pub mod text;
pub mod user;

pub use error::{Violation, Violations};
pub use i18n::Lang;
