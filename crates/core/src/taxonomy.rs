//! The service-category taxonomy and the kinds of partner organisation. Both are data: the defaults
//! below (compiled in from `data/taxonomy/`) are the first rows of store tables that the programme
//! unit can extend; code never matches on a category.

use crate::i18n::Lang;
use crate::ids::CategoryCode;
use crate::text::fold_name;
use serde::{Deserialize, Serialize};

const CATEGORIES_CSV: &str = include_str!("../../../data/taxonomy/categories.csv");
const PARTNER_KINDS_CSV: &str = include_str!("../../../data/taxonomy/partner_kinds.csv");

/// A service category: `Е-здраве` (E-health) and its kin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub code: CategoryCode,
    pub name_bg: String,
    pub name_en: String,
    /// The word after `Е-` that names it in legacy tables (`здраве`).
    pub keyword_bg: String,
    pub keyword_en: String,
    pub position: i32,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Bg => &self.name_bg,
            Lang::En => &self.name_en,
        }
    }
}

/// A kind of partner organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerKind {
    pub code: CategoryCode,
    pub name_bg: String,
    pub name_en: String,
    pub position: i32,
}

impl PartnerKind {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Bg => &self.name_bg,
            Lang::En => &self.name_en,
        }
    }
}

/// The categories a new database starts with.
pub fn default_categories() -> Vec<Category> {
    csv::Reader::from_reader(CATEGORIES_CSV.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("data/taxonomy/categories.csv is valid (checked by tests)")
}

/// The partner kinds a new database starts with.
pub fn default_partner_kinds() -> Vec<PartnerKind> {
    csv::Reader::from_reader(PARTNER_KINDS_CSV.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("data/taxonomy/partner_kinds.csv is valid (checked by tests)")
}

/// Finds the category a label names: `Е-здраве`, `Е - култура`, `E- бизнес` (Latin E),
/// `e-health`, `Е-образованиe`, or the bare keyword. Case, spaces and look-alike letters fold.
pub fn match_category<'a>(categories: &'a [Category], label: &str) -> Option<&'a Category> {
    let folded = fold_name(label);
    let folded = folded.trim_end_matches([':', '.', ' ']);
    let keyword = ["е-", "e-", "е ", "e "]
        .iter()
        .find_map(|p| folded.strip_prefix(p))
        .unwrap_or(folded)
        .trim();
    categories.iter().find(|c| {
        fold_name(&c.keyword_bg) == keyword
            || fold_name(&c.keyword_en) == keyword
            || c.code.as_str() == folded
            || fold_name(&c.name_bg) == folded
            || fold_name(&c.name_en) == folded
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let cats = default_categories();
        assert!(cats.len() >= 7);
        assert!(
            default_partner_kinds()
                .iter()
                .any(|k| k.code.as_str() == "media")
        );
    }

    #[test]
    fn matches_every_spelling_of_a_category() {
        let cats = default_categories();
        let code = |s: &str| match_category(&cats, s).map(|c| c.code.as_str().to_owned());
        assert_eq!(code("Е-здраве").as_deref(), Some("e-health"));
        assert_eq!(code("Е - култура").as_deref(), Some("e-culture"));
        assert_eq!(code("Е- бизнес").as_deref(), Some("e-business"));
        assert_eq!(code("E - бизнес").as_deref(), Some("e-business"));
        assert_eq!(code("E-health").as_deref(), Some("e-health"));
        assert_eq!(code("e-skills").as_deref(), Some("e-skills"));
        assert_eq!(code("Е-включване:").as_deref(), Some("e-inclusion"));
        assert_eq!(code("Е-нещо"), None);
    }
}
