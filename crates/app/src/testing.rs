//! For tests of the front ends (feature `testing`, never in a release build): the store behind
//! the application, to set up records and to check what a request wrote, and users of any role.

pub use lipa_store::testing::{TEST_DATABASE_URL, TestDatabase};
pub use lipa_store::{AuditFilter, NewPassword, Store, hash_password, verify_password};

use crate::App;
use lipa_core::audit::Actor;
use lipa_core::user::{Role, User};

impl App {
    /// The store behind the application: tests set up and check records with it.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The search index of the application, to ask it without catching up first.
    pub fn search_index(&self) -> &std::sync::Arc<lipa_search::SearchIndex> {
        &self.search
    }

    /// The facet index of the application, to see that the lists are answered from it.
    pub fn facet_index(&self) -> &std::sync::Arc<lipa_store::FacetIndex> {
        &self.facets
    }

    /// An application on a store a test opened itself.
    pub fn on_store(store: Store) -> App {
        App::with_store(store)
    }

    /// A new enabled user with `role` (`test1`, `test2` …), without a password.
    pub async fn test_user(&self, prefix: &str, role: Role) -> lipa_store::Versioned<User> {
        let n = self.store.user_count().await.expect("count users") + 1;
        let user = User {
            login: format!("{prefix}{n}"),
            display_name: format!("Test user {n}"),
            role,
            disabled: false,
        };
        self.store
            .create_user(&Actor("test".into()), &user, None)
            .await
            .expect("create test user")
    }
}

/// Library 705 of the demo: the regional library of Kyustendil, the district's coordinator.
pub fn library_705() -> lipa_core::library::Library {
    use lipa_core::ids::{Ekatte, LibraryId};
    lipa_core::library::Library {
        id: LibraryId::new(705).expect("a library ID"),
        name: "Регионална библиотека „Емануил Попдимитров“".into(),
        kind: lipa_core::library::LibraryKind::Regional,
        chitalishte: None,
        settlement: Ekatte::parse("41112").expect("Kyustendil's EKATTE code"),
        coordinator: true,
        contacts: Default::default(),
    }
}
