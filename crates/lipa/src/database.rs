//! Where the data lives, as given by `--db`: a SQLite file (a path or `sqlite://…`) or a
//! PostgreSQL server (`postgres://…`), and where the search index of this process goes. Knows
//! how to open the application on it and how to name the database in messages without its
//! password.

use anyhow::Context;
use lipa_app::App;
use std::fmt;
use std::path::PathBuf;

/// The `--db` argument and the `--search-dir` that goes with it.
pub struct Database {
    arg: String,
    search_dir: Option<PathBuf>,
}

impl Database {
    pub fn new(arg: String, search_dir: Option<PathBuf>) -> Self {
        Database { arg, search_dir }
    }

    pub fn is_postgres(&self) -> bool {
        self.arg.starts_with("postgres://") || self.arg.starts_with("postgresql://")
    }

    /// The SQLite file (`None` for PostgreSQL and for an in-memory database).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.is_postgres() || self.arg.contains(":memory:") {
            return None;
        }
        let file = self.arg.strip_prefix("sqlite://").unwrap_or(&self.arg);
        let file = file.strip_prefix("sqlite:").unwrap_or(file);
        Some(PathBuf::from(file.split('?').next().unwrap_or(file)))
    }

    /// Opens the database (creating a SQLite file if needed) and runs pending migrations; the
    /// search index stays in memory until [`crate::search_cmd::open_index`] gives the disk one.
    pub async fn open(&self) -> anyhow::Result<App> {
        App::open(&self.arg).await.with_context(|| self.to_string())
    }

    /// The search index directory: `--search-dir`; else beside a SQLite file
    /// (`lipa.db.search/`); else, for PostgreSQL, `lipa.search/` in the working directory
    /// (every app server keeps its own index, fed from the database's change log).
    pub fn search_dir(&self) -> PathBuf {
        match &self.search_dir {
            Some(dir) => dir.clone(),
            None if self.is_postgres() => PathBuf::from("lipa.search"),
            None => {
                let file = self
                    .sqlite_path()
                    .unwrap_or_else(|| PathBuf::from(&self.arg));
                lipa_search::dir_beside(&file)
            }
        }
    }
}

/// The database for messages: a file as given, a URL without its password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((scheme, rest)) = self.arg.split_once("://") else {
            return f.write_str(&self.arg);
        };
        let host_start = rest.find('@').map_or(0, |i| i + 1);
        let user = rest[..host_start.saturating_sub(1)]
            .split(':')
            .next()
            .unwrap_or_default();
        let host = &rest[host_start..];
        if host_start == 0 {
            write!(f, "{scheme}://{host}")
        } else {
            write!(f, "{scheme}://{user}@{host}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Database;
    use std::path::PathBuf;

    fn db(arg: &str) -> Database {
        Database::new(arg.into(), None)
    }

    #[test]
    fn a_password_never_reaches_a_message() {
        assert_eq!(
            db("postgres://lipa:s3cret@db.local:5432/lipa").to_string(),
            "postgres://lipa@db.local:5432/lipa"
        );
        assert_eq!(db("postgres://db/lipa").to_string(), "postgres://db/lipa");
        assert_eq!(db("data/lipa.db").to_string(), "data/lipa.db");
    }

    #[test]
    fn the_search_index_goes_beside_a_file_or_where_it_is_told() {
        assert_eq!(
            db("data/lipa.db").search_dir(),
            PathBuf::from("data/lipa.db.search")
        );
        assert_eq!(
            db("sqlite://data/lipa.db").search_dir(),
            PathBuf::from("data/lipa.db.search")
        );
        assert_eq!(
            db("postgres://h/lipa").search_dir(),
            PathBuf::from("lipa.search")
        );
        assert_eq!(
            Database::new(
                "postgres://h/lipa".into(),
                Some("/var/lib/lipa/search".into())
            )
            .search_dir(),
            PathBuf::from("/var/lib/lipa/search")
        );
    }
}
