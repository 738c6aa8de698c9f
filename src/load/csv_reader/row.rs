//! One row of a CSV table: its cells by column name, and the typed
//! readings of a cell (required text, a date, a number) that report a
//! problem at the cell's line and column.

use std::sync::Arc;

use super::super::yaml::Date;
use crate::diag::{Diagnostic, Span};

/// One data row, with the header it belongs to.
pub struct Row<'a> {
    pub(super) file: &'a Arc<str>,
    pub(super) header: &'a [String],
    pub(super) cells: Cells<'a>,
    /// The record as written (and the text after it), to locate a cell.
    pub(super) written: &'a str,
    pub line: u32,
}

/// The trimmed cells of one record: ranges into its unescaped text.
#[derive(Clone, Copy)]
pub(super) struct Cells<'a> {
    pub(super) text: &'a str,
    pub(super) ranges: &'a [(usize, usize)],
}

impl<'a> Cells<'a> {
    pub(super) fn len(self) -> usize {
        self.ranges.len()
    }

    fn get(self, i: usize) -> Option<&'a str> {
        let &(start, end) = self.ranges.get(i)?;
        self.text.get(start..end)
    }

    pub(super) fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// Where cell `i` of the record at the start of `written` begins: lines
/// after the record's first, and the 1-based column.
pub fn cell_start(written: &str, i: usize) -> (u32, u32) {
    let (mut line, mut col) = (0u32, 0u32);
    let (mut cell, mut quoted, mut at_start) = (0, false, true);
    for c in written.chars() {
        col += 1;
        if at_start {
            match c {
                ' ' | '\t' => continue,
                '"' => quoted = true,
                _ => {}
            }
            at_start = false;
            if cell == i {
                return (line, col + u32::from(quoted));
            }
            if quoted {
                continue;
            }
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                cell += 1;
                at_start = true;
            }
            '\n' if quoted => (line, col) = (line + 1, 0),
            '\n' | '\r' => break,
            _ => {}
        }
    }
    (line, col.max(1))
}

impl<'a> Row<'a> {
    fn index(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h == column)
    }

    /// The cell's text, empty if the column is absent.
    pub fn text(&self, column: &str) -> &'a str {
        self.index(column)
            .and_then(|i| self.cells.get(i))
            .unwrap_or("")
    }

    /// The position of a cell as the record is written: inside its quotes,
    /// after leading white space, on the line it is on when a quoted cell
    /// before it spans lines. Only a problem asks, so the record is
    /// scanned again only then.
    pub fn span(&self, column: &str) -> Span {
        let Some(i) = self.index(column) else {
            return Span::new(self.file, self.line, 1);
        };
        let (lines, col) = cell_start(self.written, i);
        let len = self.cells.get(i).map_or(1, |f| f.chars().count());
        Span::new(self.file, self.line + lines, col).with_len(len)
    }

    /// A required, non-empty cell.
    pub fn required(&self, column: &str) -> Result<&'a str, Diagnostic> {
        let text = self.text(column);
        if text.is_empty() {
            return Err(Diagnostic::input(
                crate::diag::inputs::MISSING_FIELD,
                self.span(column),
                format!("empty `{column}` cell"),
            )
            .with_help(format!("every row needs a `{column}`")));
        }
        Ok(text)
    }

    pub fn date(&self, column: &str) -> Result<Date, Diagnostic> {
        Date::parse(self.required(column)?).map_err(|msg| {
            Diagnostic::input(crate::diag::inputs::INVALID_DATE, self.span(column), msg)
                .with_help("dates are written YYYY-MM-DD and must exist in the calendar")
        })
    }

    pub fn number(&self, column: &str) -> Result<f64, Diagnostic> {
        let text = self.required(column)?;
        self.number_in(column, text)
    }

    /// `text`, read from the cell of `column` (perhaps without a sign
    /// around it, such as a trailing `%`), as a number.
    pub fn number_in(&self, column: &str, text: &str) -> Result<f64, Diagnostic> {
        // Copied only to drop digit separators: a large firm has a million
        // amounts and shares, and almost none has one.
        let digits: std::borrow::Cow<'_, str> = if text.contains([',', '_']) {
            text.replace([',', '_'], "").into()
        } else {
            text.into()
        };
        digits
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| {
                Diagnostic::input(crate::diag::inputs::WRONG_TYPE, self.span(column), format!("`{text}` is not a number"))
                    .with_help("write amounts as plain numbers such as 12500 or 12500.50, without a currency sign")
            })
    }
}
