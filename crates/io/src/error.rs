//! Errors of an import: every bad row with its line number, field and reason, so that a user can
//! fix the file in one pass. An import with any error writes nothing.

use lipa_core::{Lang, Violation};
use serde::Serialize;
use std::fmt;

/// One problem on one line of the input (1-based; 0 when it concerns the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    /// The field, as the user knows it: a column header of the file.
    #[serde(flatten)]
    pub violation: Violation,
}

impl RowError {
    pub fn new(line: usize, violation: Violation) -> Self {
        Self { line, violation }
    }

    /// `Ред 12, „Населено място“: …` in the reader's language.
    ///
    /// The field is shown by its label `import-field-<field>`; failing that, as the column header
    /// `col-<field>` (CSV and XLSX imports name fields by column); failing that, as written (a
    /// record path such as `libraries[2].contacts.email` from a JSON import).
    pub fn message(&self, lang: Lang) -> String {
        use lipa_core::i18n::{has_key, tr};
        let field = &self.violation.field;
        let msg = self.violation.message(lang);
        let line = self.line.to_string();
        let at = if self.line == 0 {
            tr(lang, "import-at-file", &[])
        } else {
            tr(lang, "import-at-line", &[("line", &line)])
        };
        if field.is_empty() {
            return format!("{at}: {msg}");
        }
        let label_key = format!("import-field-{field}");
        let column_key = format!("col-{field}");
        let label = if has_key(lang, &label_key) {
            tr(lang, &label_key, &[])
        } else if has_key(lang, &column_key) {
            tr(lang, &column_key, &[])
        } else {
            field.clone()
        };
        tr(
            lang,
            "import-row-error",
            &[("at", &at), ("field", &label), ("message", &msg)],
        )
    }
}

/// All the problems of one input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportErrors(pub Vec<RowError>);

impl ImportErrors {
    pub fn push(&mut self, line: usize, violation: Violation) {
        self.0.push(RowError::new(line, violation));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn messages(&self, lang: Lang) -> Vec<String> {
        self.0.iter().map(|e| e.message(lang)).collect()
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in self.messages(Lang::En) {
            writeln!(f, "{m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}
