//! Any report table — a title, column headers, rows of cells — as a CSV or XLSX file, so that every
//! report page offers "export this table" with the columns and order it shows.
//!
//! CSV is written the way Excel opens it without asking: UTF-8 with a byte-order mark, comma
//! separated, CRLF line ends, quotes only where needed, and no text cell that a spreadsheet would
//! take for a formula; no title line, so that the file is the table and nothing else. XLSX carries the title in its first row (and in the document
//! properties), the bold header below it, frozen and filterable, numbers as numbers. A text cell
//! holds at most what Excel allows ([`MAX_XLSX_CELL`] UTF-16 units); a longer text is cut and
//! ends in `…` ([`xlsx_text`]), rather than the whole file failing.
//!
//! This module knows nothing of what the columns mean: the caller translates the headers and
//! formats the cells.

use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

/// One cell: text, or a number that a spreadsheet should be able to sum.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as CSV writes it: a whole number without a decimal point.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Number(f64::from(n))
    }
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The table as CSV: BOM, header line, one line per row.
pub fn write_table_csv(headers: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail; a failure here would be a bug in the csv crate.
        let _ = w.write_record(headers);
        for row in rows {
            let _ = w.write_record(row.iter().map(csv_cell));
        }
        let _ = w.flush();
    }
    out
}

/// A cell as CSV carries it. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return first) gets a leading `'`, as the registry's CSV export does.
fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        other => other.as_text(),
    }
}

/// Largest column width set, in characters: long service texts wrap instead.
const MAX_WIDTH: usize = 60;

/// The table as an XLSX workbook of one sheet named `sheet` (cut to Excel's 31 characters, with
/// the characters Excel refuses replaced): the title in row 1, the header in row 2, the rows
/// below.
pub fn write_table_xlsx(
    sheet: &str,
    title: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(title));
    let title_format = Format::new().set_bold().set_font_size(13);
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let number = Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(sheet))?;
    ws.write_string_with_format(0, 0, xlsx_text(title), &title_format)?;
    for (c, h) in headers.iter().enumerate() {
        let c = col(c)?;
        ws.write_string_with_format(1, c, h, &header_format)?;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count().max(4)).collect();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            let ci = col(c)?;
            match cell {
                Cell::Text(s) => {
                    ws.write_string_with_format(r, ci, xlsx_text(s), &wrap)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(r, ci, *n, &number)?;
                }
            }
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.as_text().chars().count());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c)?, (*w).min(MAX_WIDTH) as f64 + 2.0)?;
    }
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len() + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.autofilter(1, 0, last_row, col(headers.len() - 1)?)?;
        ws.set_freeze_panes(2, 0)?;
        ws.set_repeat_rows(1, 1)?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}

/// The most an XLSX text cell holds, in UTF-16 code units (Excel's limit, which
/// rust_xlsxwriter enforces by refusing the cell).
pub const MAX_XLSX_CELL: usize = 32_767;

/// `s` as an XLSX cell can hold it: whole when it fits, else cut at a character boundary and
/// ended with `…` within [`MAX_XLSX_CELL`]. Every text field has a smaller limit, but a cell
/// that joins a list (one item a line) can add up past it.
pub fn xlsx_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.encode_utf16().count() <= MAX_XLSX_CELL {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (at, c) in s.char_indices() {
        // One unit is kept for the `…`.
        if units + c.len_utf16() > MAX_XLSX_CELL - 1 {
            break;
        }
        units += c.len_utf16();
        end = at + c.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}…", &s[..end]))
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A name Excel accepts for a sheet: at most 31 characters, none of `[]:*?/\`, not empty.
fn sheet_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                ' '
            } else {
                c
            }
        })
        .take(31)
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'');
    if trimmed.is_empty() {
        "Sheet1".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};
    use std::io::Cursor;

    fn table() -> (Vec<String>, Vec<Vec<Cell>>) {
        (
            vec!["ID".into(), "Име, на библиотеката".into()],
            vec![
                vec![732_u32.into(), "Лоза „1870“".into()],
                vec![705_u32.into(), "РБ\nред".into()],
            ],
        )
    }

    #[test]
    fn csv_has_bom_header_and_quoted_cells() {
        let (h, rows) = table();
        let out = write_table_csv(&h, &rows);
        assert!(out.starts_with(BOM));
        let text = std::str::from_utf8(&out[3..]).unwrap();
        assert!(
            text.starts_with("ID,\"Име, на библиотеката\"\r\n732,Лоза „1870“\r\n"),
            "{text}"
        );
        let mut r = csv::Reader::from_reader(&out[3..]);
        let back: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(back.len(), 2);
        assert_eq!(&back[1][1], "РБ\nред");
    }

    #[test]
    fn xlsx_reads_back_with_title_header_and_numbers() {
        let (h, rows) = table();
        let out = write_table_xlsx("Кюстендил: 2012/13", "Заглавие", &h, &rows).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(out)).unwrap();
        let names = wb.sheet_names();
        assert_eq!(names, vec!["Кюстендил  2012 13".to_owned()]);
        let range = wb.worksheet_range(&names[0]).unwrap();
        let all: Vec<_> = range.rows().collect();
        assert_eq!(all.len(), 4);
        assert_eq!(all[0][0].to_string(), "Заглавие");
        assert_eq!(all[1][1].to_string(), "Име, на библиотеката");
        assert_eq!(all[2][0], calamine::Data::Float(732.0));
        assert_eq!(all[3][1].to_string(), "РБ\nред");
    }

    #[test]
    fn csv_never_carries_a_formula() {
        let out = write_table_csv(
            &["a".into()],
            &[vec!["=1+1".into()], vec![Cell::Number(-3.0)]],
        );
        let text = std::str::from_utf8(&out[3..]).unwrap();
        assert_eq!(text, "a\r\n'=1+1\r\n-3\r\n");
    }

    #[test]
    fn sheet_names_are_cut_and_cleaned() {
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(&"а".repeat(40)).chars().count(), 31);
    }
}
