//! Audit entries: who changed which record when, with the record before and after.

use serde::{Deserialize, Serialize};

/// What kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Library,
    Service,
    Partner,
    Person,
    Event,
    User,
    Category,
    PartnerKind,
    /// An entry of a service's activity log.
    Activity,
}

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Library,
        EntityKind::Service,
        EntityKind::Partner,
        EntityKind::Person,
        EntityKind::Event,
        EntityKind::User,
        EntityKind::Category,
        EntityKind::PartnerKind,
        EntityKind::Activity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntityKind::Library => "library",
            EntityKind::Service => "service",
            EntityKind::Partner => "partner",
            EntityKind::Person => "person",
            EntityKind::Event => "event",
            EntityKind::User => "user",
            EntityKind::Category => "category",
            EntityKind::PartnerKind => "partner-kind",
            EntityKind::Activity => "activity",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    /// Personal data removed on request; the entry keeps that it happened, not the values.
    Erase,
}

impl AuditAction {
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Erase => "erase",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::Erase,
        ]
        .into_iter()
        .find(|a| a.code() == s)
    }
}

/// Who did it: a user's login, or a named tool (`cli`, `import`, `demo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor(pub String);

impl Actor {
    pub fn cli() -> Self {
        Actor("cli".into())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    pub action: AuditAction,
    pub entity: EntityKind,
    pub entity_id: String,
    /// A short description (`import kyustendil.txt`).
    pub note: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}
