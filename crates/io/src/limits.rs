//! How much an import reads before it refuses: the bounds that keep one uploaded file from taking
//! the server's memory or time. Every importer checks them while it reads — never after building
//! something as large as the file claims to be — and says which bound was passed, where, and how
//! to split the file.
//!
//! The bounds are generous for the programme's files (a district's table is a few hundred rows,
//! the whole registry a few thousand): a file beyond them is split, not read.

use crate::error::ImportErrors;
use lipa_core::Violation;

/// The largest file read, in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// The most rows of a table (CSV, XLSX, text table) or records of one list (JSON).
pub const MAX_ROWS: usize = 100_000;
/// The most columns of a table: the registry has 30, a spreadsheet may add a few of its own.
pub const MAX_COLUMNS: usize = 256;
/// The most cells of a table, counting each row up to its last cell.
pub const MAX_CELLS: usize = 5_000_000;
/// The most bytes the parts of an XLSX workbook may unpack to, as the workbook declares them.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;

const MB: usize = 1024 * 1024;

/// A file larger than [`MAX_FILE_BYTES`] is refused before it is read.
pub fn check_size(bytes: &[u8]) -> Result<(), ImportErrors> {
    check_len(bytes.len() as u64)
}

/// [`check_size`] for a file not read yet: its length on disk.
pub fn check_len(len: u64) -> Result<(), ImportErrors> {
    if len > MAX_FILE_BYTES as u64 {
        return Err(one(
            0,
            Violation::new("", "err-file-too-large").arg("limit", MAX_FILE_BYTES / MB),
        ));
    }
    Ok(())
}

/// Counts the rows and cells of a table as it is read, and says when a bound is passed.
#[derive(Debug, Default)]
pub(crate) struct TableBounds {
    rows: usize,
    cells: usize,
}

impl TableBounds {
    /// One more row of `width` cells (up to its last one), at `line` of the file.
    pub(crate) fn row(&mut self, line: usize, width: usize) -> Result<(), ImportErrors> {
        self.rows += 1;
        self.widen(line, 0, width)
    }

    /// A row already counted grows from `from` to `to` cells.
    pub(crate) fn widen(
        &mut self,
        line: usize,
        from: usize,
        to: usize,
    ) -> Result<(), ImportErrors> {
        if self.rows > MAX_ROWS {
            return Err(one(
                line,
                Violation::new("", "err-too-many-rows").arg("limit", MAX_ROWS),
            ));
        }
        if to > MAX_COLUMNS {
            return Err(one(
                line,
                Violation::new("", "err-too-many-columns")
                    .arg("column", to)
                    .arg("limit", MAX_COLUMNS),
            ));
        }
        self.cells += to.saturating_sub(from);
        if self.cells > MAX_CELLS {
            return Err(one(
                line,
                Violation::new("", "err-too-many-cells").arg("limit", MAX_CELLS),
            ));
        }
        Ok(())
    }
}

pub(crate) fn one(line: usize, v: Violation) -> ImportErrors {
    let mut e = ImportErrors::default();
    e.push(line, v);
    e
}
