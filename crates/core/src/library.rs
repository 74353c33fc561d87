//! A library of the network: its programme ID, name, kind, host chitalishte and settlement.

use crate::error::{Violation, Violations, check_text};
use crate::geo::Gazetteer;
use crate::i18n::Lang;
use crate::ids::{Ekatte, Keyed, LibraryId, Year};
use serde::{Deserialize, Serialize};

/// What kind of library it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LibraryKind {
    /// Регионална библиотека — the district's regional library.
    Regional,
    /// Библиотека при народно читалище.
    #[default]
    Chitalishte,
    /// Общинска библиотека.
    Municipal,
    /// Училищна библиотека.
    School,
    /// Университетска или специализирана библиотека.
    Specialised,
}

impl LibraryKind {
    pub const ALL: [LibraryKind; 5] = [
        LibraryKind::Regional,
        LibraryKind::Chitalishte,
        LibraryKind::Municipal,
        LibraryKind::School,
        LibraryKind::Specialised,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LibraryKind::Regional => "regional",
            LibraryKind::Chitalishte => "chitalishte",
            LibraryKind::Municipal => "municipal",
            LibraryKind::School => "school",
            LibraryKind::Specialised => "specialised",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::tr(lang, &format!("library-kind-{}", self.code()), &[])
    }
}

/// The народно читалище that hosts a library, with its founding year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chitalishte {
    /// The name without the НЧ prefix and year: `Лоза`, `Христо Ботев`.
    pub name: String,
    pub founded: Option<Year>,
}

/// Contacts of the institution (not of a person: those are personal data and live on
/// [`crate::person::Person`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Library {
    pub id: LibraryId,
    /// Display name: `Библиотека при НЧ „Лоза 1870“`, `Регионална библиотека „Емануил Попдимитров“`.
    pub name: String,
    pub kind: LibraryKind,
    pub chitalishte: Option<Chitalishte>,
    pub settlement: Ekatte,
    /// The district's coordinating library (one per district).
    #[serde(default)]
    pub coordinator: bool,
    #[serde(default)]
    pub contacts: Contacts,
}

impl Keyed for Library {
    type Id = LibraryId;
}

impl Library {
    /// Checks the fields, and that the settlement is in the gazetteer.
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        check_text(&mut v, "name", &self.name, true, 300);
        if let Some(c) = &self.chitalishte {
            check_text(&mut v, "chitalishte.name", &c.name, true, 200);
        }
        if Gazetteer::get()
            .settlement(self.settlement.as_str())
            .is_none()
        {
            v.push(
                Violation::new("settlement", "err-unknown-settlement")
                    .arg("value", &self.settlement),
            );
        }
        check_text(
            &mut v,
            "contacts.address",
            &self.contacts.address,
            false,
            300,
        );
        check_text(&mut v, "contacts.phone", &self.contacts.phone, false, 60);
        check_text(
            &mut v,
            "contacts.website",
            &self.contacts.website,
            false,
            300,
        );
        let email = self.contacts.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            v.push(Violation::new("contacts.email", "err-email").arg("value", email));
        }
        v.into_result()
    }

    /// The name a chitalishte library is known by, built from its chitalishte:
    /// `Библиотека при НЧ „Лоза 1870“`.
    pub fn chitalishte_library_name(c: &Chitalishte) -> String {
        match c.founded {
            Some(y) => format!("Библиотека при НЧ „{} {}“", c.name, y),
            None => format!("Библиотека при НЧ „{}“", c.name),
        }
    }
}

/// A plausibility check, not RFC 5322: one `@`, something before it, a dot after it.
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> Library {
        Library {
            id: LibraryId::new(732).unwrap(),
            name: "Библиотека при НЧ „Лоза 1870“".into(),
            kind: LibraryKind::Chitalishte,
            chitalishte: Some(Chitalishte {
                name: "Лоза".into(),
                founded: Some(Year::new(1870).unwrap()),
            }),
            settlement: Ekatte::parse("04532").unwrap(),
            coordinator: false,
            contacts: Contacts::default(),
        }
    }

    #[test]
    fn valid_library_passes() {
        lib().validate().unwrap();
        assert_eq!(
            Library::chitalishte_library_name(lib().chitalishte.as_ref().unwrap()),
            "Библиотека при НЧ „Лоза 1870“"
        );
    }

    #[test]
    fn every_broken_field_is_reported() {
        let mut l = lib();
        l.name = "  ".into();
        l.settlement = Ekatte::parse("99999").unwrap();
        l.contacts.email = "not-an-email".into();
        let err = l.validate().unwrap_err();
        let fields: Vec<_> = err.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["name", "settlement", "contacts.email"]);
        assert!(err.messages(Lang::Bg)[0].contains("задължително"));
    }
}
