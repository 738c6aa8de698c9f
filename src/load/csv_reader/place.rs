//! Findings on CSV rows, moved to their cells. A rule knows a row of
//! `activities.csv` or `financials/*.csv` only by its line; a finding says
//! which column it is about ([`Diagnostic::cell`]), and this reads the
//! table as written to point at that cell: its line (a quoted cell before
//! it may span lines), column and width. Only tables with such findings
//! are read, each once.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::row::cell_start;
use crate::diag::Diagnostic;
use crate::load::source::{read_text, MAX_TABLE_BYTES};

/// Moves every finding that names a cell to it, and clears the name;
/// whether there was any (their order may then have changed: the
/// findings are sorted after, with the rest).
pub fn place_cells(root: &Path, diagnostics: &mut [Diagnostic]) -> bool {
    let mut by_file: BTreeMap<Arc<str>, Vec<usize>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if let (Some(_), Some(span)) = (d.cell, &d.span) {
            by_file.entry(Arc::clone(&span.file)).or_default().push(i);
        }
    }
    let any = !by_file.is_empty();
    for (file, found) in by_file {
        // A table that cannot be read now was reported when it was loaded.
        let text = read_text(root, &file, MAX_TABLE_BYTES).unwrap_or_default();
        let header = super::header(&text);
        let mut lines: Vec<u32> = found
            .iter()
            .filter_map(|&i| Some(diagnostics[i].span.as_ref()?.line))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let starts = line_starts(&text, &lines);
        for i in found {
            let d = &mut diagnostics[i];
            let column = d.cell.take();
            let (Some(span), Some(column)) = (d.span.as_mut(), column) else {
                continue;
            };
            let Some(k) = header.iter().position(|h| h == column) else {
                continue;
            };
            let Some(&start) = starts.get(&span.line) else {
                continue;
            };
            let written = &text[start..];
            let (below, col) = cell_start(written, k);
            span.line += below;
            span.col = col;
            span.len = cell_width(written, below, col);
        }
    }
    any
}

/// Where each of `lines` (sorted, 1-based) starts in `text`.
fn line_starts(text: &str, lines: &[u32]) -> BTreeMap<u32, usize> {
    let mut starts = BTreeMap::new();
    let mut wanted = lines.iter().copied().peekable();
    if wanted.peek() == Some(&1) {
        starts.insert(1, 0);
        wanted.next();
    }
    for (n, at) in memchr::memchr_iter(b'\n', text.as_bytes()).enumerate() {
        let Some(&next) = wanted.peek() else { break };
        let line = u32::try_from(n + 2).unwrap_or(u32::MAX);
        if line == next {
            starts.insert(line, at + 1);
            wanted.next();
        }
    }
    starts
}

/// The width in characters of the cell at 1-based `col` of the record's
/// line `below` lines after its first: up to its closing quote when it is
/// quoted, else up to the next comma or the line's end, trailing spaces
/// aside. At least 1, so the caret shows.
fn cell_width(written: &str, below: u32, col: u32) -> u32 {
    let Some(line) = written.split('\n').nth(below as usize) else {
        return 1;
    };
    let skip = (col as usize).saturating_sub(1);
    let quoted = skip > 0 && line.chars().nth(skip - 1) == Some('"');
    let rest = line.chars().skip(skip);
    let cell: String = if quoted {
        rest.take_while(|&c| c != '"').collect()
    } else {
        rest.take_while(|&c| c != ',' && c != '\r').collect()
    };
    u32::try_from(cell.trim_end().chars().count())
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str, line: u32, column: &'static str) -> (u32, u32, u32) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), text).unwrap();
        let file: Arc<str> = Arc::from("t.csv");
        let mut d = [Diagnostic::rule(
            "unknown-reference",
            crate::diag::Span::new(&file, line, 1),
            "x",
        )
        .with_cell(column)];
        place_cells(dir.path(), &mut d);
        let s = d[0].span.as_ref().unwrap();
        assert!(d[0].cell.is_none());
        (s.line, s.col, s.len)
    }

    #[test]
    fn a_finding_moves_to_its_cell() {
        let text = "date,by,summary\n2026-01-02,ada,Call\n2026-01-03, zed ,Lunch\n";
        assert_eq!(place(text, 3, "by"), (3, 13, 3));
        assert_eq!(place(text, 2, "summary"), (2, 16, 4));
        assert_eq!(place(text, 2, "date"), (2, 1, 10));
    }

    #[test]
    fn quoted_cells_and_cells_after_a_line_break() {
        let text = "date,summary,by\n2026-01-02,\"Call, long\nand more\",\"zed\"\n";
        assert_eq!(place(text, 2, "summary"), (2, 13, 10));
        assert_eq!(place(text, 2, "by"), (3, 12, 3));
    }

    #[test]
    fn an_unknown_column_or_line_leaves_the_row() {
        let text = "date,by\n2026-01-02,ada\n";
        assert_eq!(place(text, 2, "owner"), (2, 1, 1));
        assert_eq!(place(text, 9, "by"), (9, 1, 1));
    }
}
