//! Who may see personal data. A person's name, position and organisation are public where the
//! person appears in a published record; their contacts (GDPR personal data) are shown only to
//! admins, to the coordinator of the district of the person's library, and to the librarian of
//! that library. Everyone else — the public, viewers, other districts, and everyone for a person
//! linked to no library — gets nothing.
//!
//! The rule needs the place of the person's library, which only the store knows: look it up
//! once with [`person_place`] and pass it to [`visible_contacts`] (or call [`contacts_for`],
//! which does both). Every page and API answer that
//! shows a person's contacts goes through [`visible_contacts`]; nothing else reads
//! `Person::contacts` for display.

use crate::ctx::Ctx;
use crate::error::WebError;
use lipa_core::geo::Gazetteer;
use lipa_core::library::Library;
use lipa_core::person::{Person, PersonalContacts};
use lipa_core::user::Place;
use lipa_store::Store;

/// Where a library sits in the tree: its district (from the gazetteer) and itself.
pub fn library_place(lib: &Library) -> Place {
    Place {
        district: Gazetteer::get()
            .settlement(lib.settlement.as_str())
            .map(|s| s.district.clone()),
        library: Some(lib.id),
    }
}

/// The place of a person's library; nowhere (only admins cover it) when the person is linked
/// to no library. A library that no longer exists still counts for its own librarian.
pub async fn person_place(store: &Store, person: &Person) -> Result<Place, WebError> {
    let Some(id) = person.library else {
        return Ok(Place {
            district: None,
            library: None,
        });
    };
    Ok(match store.library(id).await? {
        Some(lib) => library_place(&lib.record),
        None => Place {
            district: None,
            library: Some(id),
        },
    })
}

/// The person's contacts, when the reader may see them; `place` is [`person_place`] of the
/// same person.
pub fn visible_contacts<'a>(
    ctx: &Ctx,
    person: &'a Person,
    place: &Place,
) -> Option<&'a PersonalContacts> {
    let user = ctx.user.as_ref()?;
    let covered = match person.library {
        // The place must be the person's own library, whatever the caller passed.
        Some(lib) => place.library == Some(lib) && user.role.covers(place),
        None => user.role == lipa_core::user::Role::Admin,
    };
    covered.then_some(&person.contacts)
}

/// [`visible_contacts`] in one call, looking the place up: for pages that show one person.
pub async fn contacts_for<'a>(
    store: &Store,
    ctx: &Ctx,
    person: &'a Person,
) -> Result<Option<&'a PersonalContacts>, WebError> {
    if ctx.user.is_none() {
        return Ok(None);
    }
    let place = person_place(store, person).await?;
    Ok(visible_contacts(ctx, person, &place))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::SignedIn;
    use lipa_core::Lang;
    use lipa_core::ids::{DistrictCode, LibraryId};
    use lipa_core::user::Role;

    fn ctx(role: Option<Role>) -> Ctx {
        Ctx {
            lang: Lang::Bg,
            user: role.map(|role| SignedIn {
                id: 1,
                login: "u".into(),
                display_name: "U".into(),
                role,
                csrf: "x".into(),
                must_change_password: false,
            }),
            here: "/".into(),
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
        let sees = |role: Option<Role>| visible_contacts(&ctx(role), &person, &place).is_some();
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
        let nowhere = Person {
            library: None,
            ..person.clone()
        };
        let none = Place {
            district: None,
            library: None,
        };
        assert!(visible_contacts(&ctx(Some(Role::Admin)), &nowhere, &none).is_some());
        assert!(
            visible_contacts(
                &ctx(Some(Role::Coordinator { district: knl })),
                &nowhere,
                &none
            )
            .is_none()
        );
    }
}
