//! A partner organisation of libraries: a municipality, a health inspectorate, a school, a medium…

use crate::error::{Violations, check_text};
use crate::ids::{CategoryCode, Ekatte, Keyed, PartnerId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    /// Short name as people say it: `ОИЦ - Кюстендил`, `РЗИ`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_name: String,
    /// A code of the partner-kind taxonomy.
    pub kind: CategoryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Ekatte>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Keyed for Partner {
    type Id = PartnerId;
}

impl Partner {
    pub fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        check_text(&mut v, "name", &self.name, true, 300);
        check_text(&mut v, "short_name", &self.short_name, false, 100);
        check_text(&mut v, "website", &self.website, false, 300);
        check_text(&mut v, "description", &self.description, false, 4000);
        v.into_result()
    }
}
