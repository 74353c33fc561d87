//! Translations: the Fluent files under `locales/` compiled into the binary, and the reader's
//! language. Bulgarian is the default and the fallback; English is second.
//!
//! Every user-facing string of every layer comes through [`tr`]; code holds message keys only.

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "bg",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static BG: LanguageIdentifier = langid!("bg");
static EN: LanguageIdentifier = langid!("en");

/// The reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Bg,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Bg, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Bg => "bg",
            Lang::En => "en",
        }
    }

    /// `bg`, `en`, `en-GB`, `bg_BG.UTF-8` … → a language; anything else → `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_', '.', ';']).next().unwrap_or("");
        match primary {
            "bg" => Some(Lang::Bg),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header (quality values respected).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("");
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    /// The language of the process environment (`LIPA_LANG`, then `LC_ALL`, `LC_MESSAGES`,
    /// `LANG`), Bulgarian when none names a supported one. The value is read by the caller.
    pub fn from_env_values<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> Lang {
        values
            .into_iter()
            .flatten()
            .find_map(Lang::parse)
            .unwrap_or_default()
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Bg => &BG,
            Lang::En => &EN,
        }
    }
}

/// The message `key` in `lang`, with named arguments. A missing key shows as the key itself, so a
/// gap is visible but never fatal; a test checks that both files define the same keys.
pub fn tr(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    if args.is_empty() {
        return LOCALES
            .try_lookup(lang.id(), key)
            .unwrap_or_else(|| key.to_owned());
    }
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| {
            let value = match v.parse::<f64>() {
                Ok(n) if !v.starts_with('0') || *v == "0" => FluentValue::from(n),
                _ => FluentValue::from(*v),
            };
            (Cow::Owned((*k).to_owned()), value)
        })
        .collect();
    LOCALES
        .try_lookup_with_args(lang.id(), key, &map)
        .unwrap_or_else(|| key.to_owned())
}

/// Message keys defined for `lang`, for the test that keeps the files in step.
pub fn has_key(lang: Lang, key: &str) -> bool {
    LOCALES.try_lookup(lang.id(), key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,bg;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de, bg;q=0.5, en;q=0.4"),
            Some(Lang::Bg)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
    }

    #[test]
    fn env_language_falls_back_to_bulgarian() {
        assert_eq!(
            Lang::from_env_values([None, Some("C.UTF-8"), Some("en_US.UTF-8")]),
            Lang::En
        );
        assert_eq!(Lang::from_env_values([Some("C"), None]), Lang::Bg);
    }

    #[test]
    fn messages_are_translated_with_arguments() {
        let bg = tr(Lang::Bg, "err-too-long", &[("max", "200")]);
        let en = tr(Lang::En, "err-too-long", &[("max", "200")]);
        assert!(bg.contains("200") && bg.contains("символа"), "{bg}");
        assert!(en.contains("200") && en.contains("characters"), "{en}");
    }
}

#[cfg(test)]
mod file_tests {
    /// Both languages define the same message keys, so no page shows a bare key.
    #[test]
    fn bulgarian_and_english_define_the_same_keys() {
        use std::collections::BTreeSet;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales");
        let keys = |lang: &str| -> BTreeSet<String> {
            let mut out = BTreeSet::new();
            for entry in std::fs::read_dir(format!("{dir}/{lang}")).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for line in text.lines() {
                    if let Some((k, _)) = line.split_once(" =")
                        && !k.starts_with(['#', ' ', '.'])
                        && !k.is_empty()
                    {
                        out.insert(k.trim().to_owned());
                    }
                }
            }
            out
        };
        let bg = keys("bg");
        let en = keys("en");
        let only_bg: Vec<_> = bg.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&bg).collect();
        assert!(
            only_bg.is_empty() && only_en.is_empty(),
            "only bg: {only_bg:?}; only en: {only_en:?}"
        );
        assert!(bg.len() > 20);
    }
}
