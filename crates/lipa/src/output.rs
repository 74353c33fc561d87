//! Messages to the terminal, in the user's language, from the translation files.

use lipa_core::Lang;
use lipa_core::i18n::tr;

pub struct Out {
    pub lang: Lang,
}

impl Out {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        tr(self.lang, key, args)
    }

    /// A message on standard error (standard output is kept for data, as `export` writes it).
    pub fn say(&self, key: &str, args: &[(&str, &str)]) {
        eprintln!("{}", self.text(key, args));
    }

    pub fn line(&self, s: &str) {
        eprintln!("{s}");
    }

    pub fn error(&self, key: &str, args: &[(&str, &str)]) {
        eprintln!("{}: {}", self.text("cli-error", &[]), self.text(key, args));
    }
}
