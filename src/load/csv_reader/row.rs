//! One row of a CSV table: its cells by column name, and the typed
//! readings of a cell (required text, a date, a number) that report a
//! problem at the cell's line and column.

use std::sync::Arc;

use super::super::source::to_u32;
use super::super::yaml::Date;
use crate::diag::{Diagnostic, Span};

/// One data row, with the header it belongs to.
pub struct Row<'a> {
    pub(super) file: &'a Arc<str>,
    pub(super) header: &'a [String],
    pub(super) cells: Cells<'a>,
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

    /// The position of a cell: columns count characters, delimiters included.
    pub fn span(&self, column: &str) -> Span {
        let Some(i) = self.index(column) else {
            return Span::new(self.file, self.line, 1);
        };
        let before: usize = self
            .cells
            .iter()
            .take(i)
            .map(|f| f.chars().count() + 1)
            .sum();
        let len = self.cells.get(i).map_or(1, |f| f.chars().count());
        Span::new(self.file, self.line, to_u32(before + 1)).with_len(len)
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
