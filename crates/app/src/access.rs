//! Who sees and touches what: the one [`Access`] value every use case takes.
//!
//! An `Access` is built once per request (or CLI command) from the signed-in user, or is
//! anonymous. It owns every rule of visibility and write rights, so that pages, API, search,
//! exports and the CLI cannot disagree:
//! - **place**: where a record sits in the tree ([`Access::library_place`],
//!   [`Access::event_place`], [`Access::district_place`]); a role covers a place
//!   ([`lipa_core::user::Role::covers`]);
//! - **writes**: a signed-in user whose role covers the record's place, before and after the
//!   change ([`Access::require_change`]); 401 for the anonymous, 403 out of scope;
//! - **drafts and unpublished events**: seen by the roles that could change them, else they do not
//!   exist (404, and absent from every list, count, hit and export) — [`Access::sees`],
//!   [`Access::draft_scope`] for lists, [`Access::search_viewer`] for the index;
//! - **personal data**: a person's contacts only for admins, the coordinator of the district of
//!   the person's library and that library's librarian; a person of no library (a partner's
//!   contact) only for admins ([`Access::sees_contacts`]). A person's name, position and
//!   organisation are public where the person appears in a published record (an event's
//!   participants or agenda), else only for the roles whose scope covers the person
//!   ([`Access::sees_person`]).
//!
//! Nothing else in lipa decides who sees what.

use crate::error::{AppError, Result};
use lipa_core::audit::Actor;
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, LibraryId, UserId};
use lipa_core::library::Library;
use lipa_core::person::Person;
use lipa_core::user::{Place, Role};
use lipa_store::DraftScope;

/// A signed-in user as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessUser {
    pub id: UserId,
    pub login: String,
    pub role: Role,
}

/// Who is asking: a signed-in user, the command line (the programme unit's operator, with an
/// admin's rights), or nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    user: Option<AccessUser>,
    cli: bool,
}

impl Access {
    /// The public: published records, no personal data, no writes.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// A signed-in user.
    pub fn user(id: UserId, login: impl Into<String>, role: Role) -> Self {
        Access {
            user: Some(AccessUser {
                id,
                login: login.into(),
                role,
            }),
            cli: false,
        }
    }

    /// The operator at the command line of the server: everything, recorded as `cli`.
    pub fn cli() -> Self {
        Access {
            user: Some(AccessUser {
                // No account: the command line is not a user of the system.
                id: UserId::new(0),
                login: Actor::cli().0,
                role: Role::Admin,
            }),
            cli: true,
        }
    }

    pub fn signed_in(&self) -> Option<&AccessUser> {
        self.user.as_ref()
    }

    pub fn role(&self) -> Option<&Role> {
        self.user.as_ref().map(|u| &u.role)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(&Role::Admin)
    }

    /// An admin or a district coordinator: the roles that run events, partners and people.
    pub fn is_coordinator_or_admin(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Coordinator { .. }))
    }

    /// The name the audit log records for a write.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor(u.login.clone()),
            None => Actor("anonymous".into()),
        }
    }

    /// Whether the role's scope covers `place`: the right to change what is there and to see
    /// what is not public there.
    pub fn covers(&self, place: &Place) -> bool {
        self.role().is_some_and(|r| r.covers(place))
    }

    /// 401 for the anonymous, 403 when the scope does not cover `place`.
    pub fn require_change(&self, place: &Place) -> Result<&AccessUser> {
        let user = self.require_user()?;
        if user.role.covers(place) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// 401 unless signed in.
    pub fn require_user(&self) -> Result<&AccessUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// 401 for the anonymous, 403 unless an admin.
    pub fn require_admin(&self) -> Result<&AccessUser> {
        let user = self.require_user()?;
        if user.role == Role::Admin {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// 401 / 403 unless an admin or a coordinator (creating events, partners, people).
    pub fn require_coordinator(&self) -> Result<&AccessUser> {
        let user = self.require_user()?;
        if matches!(user.role, Role::Admin | Role::Coordinator { .. }) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether a record at `place` that is `public` (a published service or event) is visible.
    pub fn sees(&self, public: bool, place: &Place) -> bool {
        public || self.covers(place)
    }

    /// A record that is not visible is not found.
    pub fn require_sees(&self, public: bool, place: &Place) -> Result<()> {
        if self.sees(public, place) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Which unpublished records (draft services, unpublished events) lists show besides the
    /// published ones. A librarian's scope is their library: no district-level event.
    pub fn draft_scope(&self) -> DraftScope {
        match self.role() {
            Some(Role::Admin) => DraftScope::All,
            Some(Role::Coordinator { district }) => DraftScope::District(district.clone()),
            Some(Role::Librarian { library }) => DraftScope::Library(*library),
            Some(Role::Viewer) | None => DraftScope::None,
        }
    }

    /// Which unpublished events lists show besides the published ones: events are
    /// district-level, so a librarian sees none.
    pub fn event_draft_scope(&self) -> DraftScope {
        match self.draft_scope() {
            DraftScope::Library(_) => DraftScope::None,
            other => other,
        }
    }

    /// What the reader may find in the search index.
    pub fn search_viewer(&self) -> lipa_search::Viewer {
        match self.role() {
            Some(role) => lipa_search::Viewer::SignedIn(role.clone()),
            None => lipa_search::Viewer::Anonymous,
        }
    }

    /// Whether the reader may see the personal contacts of `person`, whose library sits at
    /// `place` ([`Access::person_place`]).
    pub fn sees_contacts(&self, person: &Person, place: &Place) -> bool {
        let Some(role) = self.role() else {
            return false;
        };
        match person.library {
            // The place must be the person's own library, whatever the caller passed.
            Some(lib) => place.library == Some(lib) && role.covers(place),
            None => *role == Role::Admin,
        }
    }

    /// Whether the reader may see that `person` exists (name, position, organisation):
    /// public where they appear in a published record, else for roles covering their place.
    pub fn sees_person(&self, in_published_record: bool, place: &Place) -> bool {
        in_published_record || self.covers(place)
    }

    /// Where a library sits: its settlement's district and itself.
    pub fn library_place(lib: &Library) -> Place {
        Place {
            district: district_of(lib.settlement.as_str()),
            library: Some(lib.id),
        }
    }

    /// Where an event sits: its district, or its settlement's. Events are district-level.
    pub fn event_place(e: &Event) -> Place {
        let district = e
            .district
            .clone()
            .or_else(|| e.settlement.as_ref().and_then(|s| district_of(s.as_str())));
        Self::district_place(district)
    }

    /// A district-level place (partners, people, events, creating libraries).
    pub fn district_place(district: Option<DistrictCode>) -> Place {
        Place {
            district,
            library: None,
        }
    }

    /// Where a partner sits: its settlement's district.
    pub fn partner_place(p: &lipa_core::partner::Partner) -> Place {
        Self::district_place(p.settlement.as_ref().and_then(|e| district_of(e.as_str())))
    }

    /// A library-level place whose district is not known yet (a library that no longer exists).
    pub fn orphan_library_place(library: LibraryId) -> Place {
        Place {
            district: None,
            library: Some(library),
        }
    }
}

/// The district of a settlement, when the gazetteer knows it.
pub fn district_of(ekatte: &str) -> Option<DistrictCode> {
    Gazetteer::get()
        .settlement(ekatte)
        .map(|s| s.district.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lipa_core::person::PersonalContacts;

    fn as_role(role: Option<Role>) -> Access {
        match role {
            Some(r) => Access::user(UserId::new(1), "u", r),
            None => Access::anonymous(),
        }
    }

    #[test]
    fn contacts_only_inside_the_scope() {
        let l705 = LibraryId::new(705).unwrap();
        let knl = DistrictCode::parse("KNL").unwrap();
        let person = Person {
            name: "Мария Петрова".into(),
            position: String::new(),
            organisation: String::new(),
            partner_id: None,
            library: Some(l705),
            contacts: PersonalContacts {
                email: "m@example.bg".into(),
                phone: String::new(),
            },
        };
        let place = Place {
            district: Some(knl.clone()),
            library: Some(l705),
        };
        let sees = |role: Option<Role>| as_role(role).sees_contacts(&person, &place);
        assert!(sees(Some(Role::Admin)));
        assert!(sees(Some(Role::Coordinator {
            district: knl.clone()
        })));
        assert!(sees(Some(Role::Librarian { library: l705 })));
        assert!(!sees(Some(Role::Coordinator {
            district: DistrictCode::parse("SOF").unwrap()
        })));
        assert!(!sees(Some(Role::Librarian {
            library: LibraryId::new(1).unwrap()
        })));
        assert!(!sees(Some(Role::Viewer)));
        assert!(!sees(None));
        // A place that is not the person's own library does not open the contacts.
        let elsewhere = Place {
            district: Some(knl.clone()),
            library: Some(LibraryId::new(706).unwrap()),
        };
        assert!(
            !as_role(Some(Role::Coordinator {
                district: knl.clone()
            }))
            .sees_contacts(&person, &elsewhere)
        );
        let nowhere = Person {
            library: None,
            ..person.clone()
        };
        let none = Access::district_place(Some(knl.clone()));
        assert!(as_role(Some(Role::Admin)).sees_contacts(&nowhere, &none));
        assert!(!as_role(Some(Role::Coordinator { district: knl })).sees_contacts(&nowhere, &none));
    }

    #[test]
    fn drafts_follow_the_scope_and_lists_get_the_same_rule() {
        let knl = DistrictCode::parse("KNL").unwrap();
        let l705 = LibraryId::new(705).unwrap();
        let place = Place {
            district: Some(knl.clone()),
            library: Some(l705),
        };
        let coordinator = as_role(Some(Role::Coordinator {
            district: knl.clone(),
        }));
        assert!(coordinator.sees(false, &place));
        assert_eq!(coordinator.draft_scope(), DraftScope::District(knl));
        assert!(!Access::anonymous().sees(false, &place));
        assert!(Access::anonymous().sees(true, &place));
        assert_eq!(Access::anonymous().draft_scope(), DraftScope::None);
        assert!(matches!(
            Access::anonymous().require_change(&place),
            Err(AppError::Unauthenticated)
        ));
        assert!(matches!(
            as_role(Some(Role::Viewer)).require_change(&place),
            Err(AppError::Forbidden)
        ));
        assert!(Access::cli().require_change(&place).is_ok());
        assert_eq!(Access::cli().actor(), Actor::cli());
    }
}
