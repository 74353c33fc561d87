//! Validation errors that a user interface can show in Bulgarian or English.
//!
//! A [`Violation`] names the field it concerns (a dotted path such as `card.goal` or
//! `activities[2].starts`), a message key from the translation files and the arguments the message
//! needs. It never carries prose: the front end renders it in the reader's language with
//! [`Violation::message`].

use crate::i18n::{Lang, tr};
use serde::Serialize;
use std::fmt;

/// One broken rule on one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Dotted path of the field, as the forms and the API name it.
    pub field: String,
    /// Message key in the translation files (`locales/*/core.ftl`).
    pub code: &'static str,
    /// Named arguments of the message.
    pub args: Vec<(&'static str, String)>,
}

impl Violation {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self {
            field: field.into(),
            code,
            args: Vec::new(),
        }
    }

    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr(lang, self.code, &args)
    }

    /// The same violation, moved under a parent field (`name` → `card.name`).
    #[must_use]
    pub fn under(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message(Lang::En))
    }
}

impl std::error::Error for Violation {}

/// Every broken rule of one record, so a form can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn push(&mut self, v: Violation) {
        self.0.push(v);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds the error of `result`, if any, and returns its value.
    pub fn check<T>(&mut self, result: Result<T, Violation>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn extend_under(&mut self, parent: &str, other: Violations) {
        self.0.extend(other.0.into_iter().map(|v| v.under(parent)));
    }

    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }

    /// All messages in the reader's language, one per line, each prefixed with its field.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        self.0
            .iter()
            .map(|v| format!("{}: {}", v.field, v.message(lang)))
            .collect()
    }
}

impl From<Violation> for Violations {
    fn from(v: Violation) -> Self {
        Self(vec![v])
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// Checks a free-text field: required (something besides blanks) or not, and at most `max`
/// characters, blanks included.
pub fn check_text(v: &mut Violations, field: &str, value: &str, required: bool, max: usize) {
    // Required counts what is left without the blanks; the limit counts every character kept,
    // as the API's document (`maxLength`) says.
    if required && value.trim().is_empty() {
        v.push(Violation::new(field, "err-required"));
    } else if value.chars().count() > max {
        v.push(Violation::new(field, "err-too-long").arg("max", max));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_count_blanks_and_required_ignores_them() {
        let mut v = Violations::default();
        check_text(
            &mut v,
            "position",
            &format!("Xj{}", "\t".repeat(300)),
            false,
            300,
        );
        check_text(&mut v, "name", " \t ", true, 300);
        check_text(&mut v, "organisation", &"а".repeat(300), false, 300);
        let found: Vec<(&str, &str)> = v.iter().map(|x| (x.field.as_str(), x.code)).collect();
        assert_eq!(
            found,
            [("position", "err-too-long"), ("name", "err-required")]
        );
    }
}
