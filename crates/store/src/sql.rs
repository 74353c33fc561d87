//! The one way the store builds a dynamic `WHERE`: [`Where`] collects condition fragments and
//! their bound values, numbering the placeholders `$1`, `$2`… as they are added (the form both
//! SQLite and PostgreSQL accept through sqlx's `Any` driver), and [`like_contains`] is the one
//! escaper for user words in a `LIKE`. Every list, facet, report and audit search uses them.
//!
//! Only column names and fixed SQL written in this crate go into a fragment; a user's value
//! always goes through [`Where::bind`].

use lipa_core::text::fold_name;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyArguments;

pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, AnyArguments>;

/// A value to bind: an indexed column's copy of a record field, or a condition's operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Col {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl From<&str> for Col {
    fn from(s: &str) -> Self {
        Col::Text(s.to_owned())
    }
}

impl From<String> for Col {
    fn from(s: String) -> Self {
        Col::Text(s)
    }
}

impl From<i64> for Col {
    fn from(n: i64) -> Self {
        Col::Int(n)
    }
}

/// Record keys bind as the numbers the database holds.
macro_rules! key_col {
    ($($key:ty),*) => {$(
        impl From<$key> for Col {
            fn from(k: $key) -> Self {
                Col::Int(lipa_core::ids::RecordKey::raw(k))
            }
        }
    )*};
}
key_col!(
    lipa_core::ids::ServiceId,
    lipa_core::ids::PartnerId,
    lipa_core::ids::PersonId,
    lipa_core::ids::EventId,
    lipa_core::ids::UserId,
    lipa_core::ids::LibraryId
);

impl From<bool> for Col {
    fn from(b: bool) -> Self {
        Col::Int(i64::from(b))
    }
}

/// Binds one value to a query.
pub(crate) fn bind(q: AnyQuery<'_>, c: Col) -> AnyQuery<'_> {
    match c {
        Col::Text(s) => q.bind(s),
        Col::OptText(s) => q.bind(s),
        Col::Int(n) => q.bind(n),
        Col::OptInt(n) => q.bind(n),
    }
}

/// `%word%` for `LIKE … ESCAPE '\'`, with LIKE's own wildcards in `word` matching themselves.
pub(crate) fn like_contains(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `column IN (1, 2, 3)` for integer keys (written out: they are numbers, and a list of binds
/// would meet the drivers' limit on their number); a condition no row passes when there are none.
pub(crate) fn ids_in(column: &str, ids: impl IntoIterator<Item = i64>) -> String {
    let list: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    if list.is_empty() {
        "1 = 0".to_owned()
    } else {
        format!("{column} IN ({})", list.join(", "))
    }
}

/// `WHERE` conditions (joined by `AND`) and their binds, numbered as they are added.
#[derive(Debug, Default)]
pub(crate) struct Where {
    conds: Vec<String>,
    binds: Vec<Col>,
}

impl Where {
    /// Binds a value and returns its placeholder (`$3`), for a fragment written by the caller.
    pub(crate) fn bind(&mut self, value: impl Into<Col>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    /// Adds a fragment as written.
    pub(crate) fn push(&mut self, cond: impl Into<String>) {
        self.conds.push(cond.into());
    }

    /// `column = $n`.
    pub(crate) fn eq(&mut self, column: &str, value: impl Into<Col>) {
        let p = self.bind(value);
        self.push(format!("{column} = {p}"));
    }

    /// `column > $n`.
    pub(crate) fn gt(&mut self, column: &str, value: impl Into<Col>) {
        let p = self.bind(value);
        self.push(format!("{column} > {p}"));
    }

    /// `column >= $n`.
    pub(crate) fn ge(&mut self, column: &str, value: impl Into<Col>) {
        let p = self.bind(value);
        self.push(format!("{column} >= {p}"));
    }

    /// `column < $n`.
    pub(crate) fn lt(&mut self, column: &str, value: impl Into<Col>) {
        let p = self.bind(value);
        self.push(format!("{column} < {p}"));
    }

    /// Every word of `q` (folded) must occur in one of `columns` (folded keys).
    pub(crate) fn words(&mut self, q: &str, columns: &[&str]) {
        for word in fold_name(q).split_whitespace() {
            let p = self.bind(like_contains(word));
            let any: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} LIKE {p} ESCAPE '\\'"))
                .collect();
            self.push(format!("({})", any.join(" OR ")));
        }
    }

    /// The conditions that `f` adds, as one clause of their own (for a sub-select, or the second
    /// condition list of one statement), numbered in the same sequence as the rest.
    pub(crate) fn group(&mut self, f: impl FnOnce(&mut Where)) -> String {
        let outer = std::mem::take(&mut self.conds);
        f(self);
        let inner = std::mem::replace(&mut self.conds, outer);
        and(&inner)
    }

    /// The conditions joined by `AND`; `1 = 1` when there are none.
    pub(crate) fn clause(&self) -> String {
        and(&self.conds)
    }

    /// `sql` (which uses [`Where::clause`] and the placeholders given out) with every value bound.
    pub(crate) fn query<'q>(&self, sql: String) -> AnyQuery<'q> {
        self.binds
            .iter()
            .cloned()
            .fold(sqlx::query(AssertSqlSafe(sql)), bind)
    }

    #[cfg(test)]
    pub(crate) fn binds(&self) -> &[Col] {
        &self.binds
    }
}

fn and(conds: &[String]) -> String {
    if conds.is_empty() {
        "1 = 1".to_owned()
    } else {
        conds.join(" AND ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_binds_across_groups() {
        let mut w = Where::default();
        w.eq("a", 1_i64);
        let inner = w.group(|w| {
            w.eq("b", "x");
            w.words("50% 1_2", &["k"]);
        });
        w.push(format!("id IN (SELECT id FROM t WHERE {inner})"));
        assert_eq!(
            w.clause(),
            "a = $1 AND id IN (SELECT id FROM t WHERE b = $2 AND (k LIKE $3 ESCAPE '\\') AND (k LIKE $4 ESCAPE '\\'))"
        );
        assert_eq!(w.binds()[2], Col::Text("%50\\%%".into()));
        assert_eq!(w.binds()[3], Col::Text("%1\\_2%".into()));
        assert_eq!(Where::default().clause(), "1 = 1");
    }
}
