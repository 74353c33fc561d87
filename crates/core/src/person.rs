//! A person: a librarian, a speaker, a guest, a volunteer. Name, position and organisation are
//! public when the person appears in a published record; contacts are personal data (GDPR) and
//! are shown only to signed-in users whose scope covers the person.

use crate::error::{Violation, Violations, check_text};
use crate::ids::{Keyed, LibraryId, PartnerId, PersonId};
use crate::library::looks_like_email;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub position: String,
    /// Organisation as written (`Районна здравна инспекция`).
    #[serde(default)]
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<PartnerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<LibraryId>,
    /// Personal data.
    #[serde(default)]
    pub contacts: PersonalContacts,
}

impl Keyed for Person {
    type Id = PersonId;
}

/// A person's contacts: personal data, never public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalContacts {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
}

impl PersonalContacts {
    pub fn is_empty(&self) -> bool {
        self.email.is_empty() && self.phone.is_empty()
    }
}

impl Person {
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        check_text(&mut v, "name", &self.name, true, 200);
        check_text(&mut v, "position", &self.position, false, 300);
        check_text(&mut v, "organisation", &self.organisation, false, 300);
        check_text(&mut v, "contacts.phone", &self.contacts.phone, false, 60);
        let email = self.contacts.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            v.push(Violation::new("contacts.email", "err-email").arg("value", email));
        }
        v.into_result()
    }
}
