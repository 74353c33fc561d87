//! Accounts and their scope in the tree: the programme (everything), a district, a library, or
//! read-only viewing. The same [`Role::covers`] check serves the pages and the API.

use crate::error::{Violation, Violations, check_text};
use crate::ids::{DistrictCode, Keyed, LibraryId, UserId};
use serde::{Deserialize, Serialize};

/// A role with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Role {
    /// Programme unit: everything.
    Admin,
    /// District coordinator: the libraries, services and events of one district.
    Coordinator { district: DistrictCode },
    /// Librarian: one library and its services.
    Librarian { library: LibraryId },
    /// Reads what is published and what is in no one's scope; changes nothing.
    Viewer,
}

/// Where a record sits in the tree, for scope checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub district: Option<DistrictCode>,
    pub library: Option<LibraryId>,
}

impl Role {
    pub fn code(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator { .. } => "coordinator",
            Role::Librarian { .. } => "librarian",
            Role::Viewer => "viewer",
        }
    }

    /// Whether this role may change a record at `place`.
    pub fn covers(&self, place: &Place) -> bool {
        match self {
            Role::Admin => true,
            Role::Coordinator { district } => place.district.as_ref() == Some(district),
            Role::Librarian { library } => place.library == Some(*library),
            Role::Viewer => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Sign-in name: lowercase letters, digits, `.`, `_`, `-`, `@`.
    pub login: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub disabled: bool,
}

impl Keyed for User {
    type Id = UserId;
}

impl User {
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        let ok = !self.login.is_empty()
            && self.login.len() <= 100
            && self.login.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@')
            });
        if !ok {
            v.push(Violation::new("login", "err-login").arg("value", &self.login));
        }
        check_text(&mut v, "display_name", &self.display_name, true, 200);
        v.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_covers_only_its_subtree() {
        let knl = DistrictCode::parse("KNL").unwrap();
        let sof = DistrictCode::parse("SOF").unwrap();
        let l705 = LibraryId::new(705).unwrap();
        let here = Place {
            district: Some(knl.clone()),
            library: Some(l705),
        };
        let there = Place {
            district: Some(sof.clone()),
            library: Some(LibraryId::new(1).unwrap()),
        };
        assert!(Role::Admin.covers(&there));
        assert!(
            Role::Coordinator {
                district: knl.clone()
            }
            .covers(&here)
        );
        assert!(!Role::Coordinator { district: knl }.covers(&there));
        assert!(Role::Librarian { library: l705 }.covers(&here));
        assert!(!Role::Librarian { library: l705 }.covers(&there));
        assert!(!Role::Viewer.covers(&here));
    }
}
