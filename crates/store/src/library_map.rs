//! The libraries of a list for maps and GeoJSON, under the same [`LibraryFilter`] as the list:
//! how many match in each settlement (one grouped query, for a map that stays small at a million
//! libraries), and the matching libraries in batches by programme ID with the number of their
//! counted services per category (two queries a batch, never one per library). Batches follow
//! the key (`id > after`), not an offset, so that walking a million rows stays linear.

use crate::libraries::{LibraryFilter, Skip};
use crate::record::{Versioned, decode, key};
use crate::sql::Where;
use crate::{Result, Store};
use lipa_core::ids::LibraryId;
use lipa_core::library::Library;
use sqlx::Row;

/// Largest batch [`Store::library_batch`] returns.
pub const MAX_BATCH: i64 = 1000;

/// A library of a list with its services that the filter counts, by category.
#[derive(Debug, Clone)]
pub struct LibrarySummary {
    pub library: Versioned<Library>,
    /// (category code, number of services), by code.
    pub categories: Vec<(String, i64)>,
}

impl LibrarySummary {
    /// The number of its services the filter counts.
    pub fn services(&self) -> i64 {
        self.categories.iter().map(|(_, n)| n).sum()
    }
}

impl Store {
    /// How many libraries of the filter are in each settlement (EKATTE code), by code.
    /// `f.sort`, `f.limit` and `f.offset` are ignored.
    pub async fn libraries_by_settlement(&self, f: &LibraryFilter) -> Result<Vec<(String, i64)>> {
        let mut w = Where::default();
        f.library_conds(&mut w, Skip::None);
        let q = format!(
            "SELECT l.settlement_ekatte AS v, COUNT(*) AS n FROM libraries l WHERE {}
             GROUP BY l.settlement_ekatte ORDER BY l.settlement_ekatte",
            w.clause()
        );
        let rows = w.query(q).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Up to `limit` (at most [`MAX_BATCH`]) libraries of the filter with a programme ID above
    /// `after`, by ID. `f.sort`, `f.limit` and `f.offset` are ignored. An empty batch is the end.
    pub async fn library_batch(
        &self,
        f: &LibraryFilter,
        after: Option<LibraryId>,
        limit: i64,
    ) -> Result<Vec<LibrarySummary>> {
        let mut w = Where::default();
        f.library_conds(&mut w, Skip::None);
        let after = after.map_or(0, |id| i64::from(id.get()));
        let limit = limit.clamp(1, MAX_BATCH);
        let q = format!(
            "SELECT l.id, l.body, l.version, l.created_at, l.updated_at FROM libraries l
             WHERE {} AND l.id > {after} ORDER BY l.id LIMIT {limit}",
            w.clause()
        );
        let rows = w.query(q).fetch_all(&self.pool).await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(LibrarySummary {
                    library: decode(r)?,
                    categories: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (Some(first), Some(last)) = (out.first(), out.last()) else {
            return Ok(out);
        };
        // The batch's IDs are a contiguous range of the filtered list, so a range of the
        // services' library index covers them.
        let (lo, hi) = (first.library.id, last.library.id);
        let mut w = Where::default();
        f.service_conds(&mut w, Skip::None);
        let q = format!(
            "SELECT s.library_id, s.category, COUNT(*) FROM services s
             WHERE s.library_id BETWEEN {lo} AND {hi} AND {}
             GROUP BY s.library_id, s.category ORDER BY s.library_id, s.category",
            w.clause()
        );
        let counts = w.query(q).fetch_all(&self.pool).await?;
        let mut at = 0;
        for r in &counts {
            let id: LibraryId = key(r, 0)?;
            while at < out.len() && out[at].library.id < id {
                at += 1;
            }
            // A library between lo and hi that the filter leaves out has no summary.
            if let Some(lib) = out.get_mut(at).filter(|l| l.library.id == id) {
                lib.categories.push((r.try_get(1)?, r.try_get(2)?));
            }
        }
        Ok(out)
    }
}
