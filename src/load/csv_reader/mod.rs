//! CSV files (`activities.csv`, `financials/*.csv`): a header row names the
//! columns; every cell that fails to parse is reported at its line and
//! column, and the row is skipped rather than guessed at.

use std::path::Path;
use std::sync::Arc;

use std::cell::RefCell;

mod place;
mod row;

pub use place::place_cells;
use row::Cells;
pub use row::Row;

use super::source::{read_text, to_u32, MAX_TABLE_BYTES};
use crate::diag::{Diagnostic, Span};
use crate::suggest;

/// Reads a CSV file into rows of `T`. Column names must be among
/// `columns.0` (required, all present) and `columns.1` (optional). A row
/// that fails to parse is reported and left out.
pub fn read_rows<T>(
    root: &Path,
    rel: &Arc<str>,
    columns: Columns,
    parse: impl Fn(&Row<'_>) -> Result<T, Diagnostic>,
    out: &mut Vec<T>,
) -> Vec<Diagnostic> {
    match read_text(root, rel, MAX_TABLE_BYTES) {
        Ok(text) => rows_from(rel, &text, columns, parse, out),
        Err(d) => vec![d],
    }
}

/// Required and optional column names of a kind of table.
pub type Columns = (&'static [&'static str], &'static [&'static str]);

/// The most rows [`rows_from`] reserves room for before it has read them.
/// A 256 MB file of empty lines has no rows at all.
const MAX_RESERVED_ROWS: usize = 1 << 20;

/// [`read_rows`] over text in memory. `out` is reserved for one row per
/// line first (up to [`MAX_RESERVED_ROWS`]): revenue.csv has half a
/// million rows in a large firm, and growing the vector by doubling copied
/// and faulted in its memory twice.
pub fn rows_from<T>(
    rel: &Arc<str>,
    text: &str,
    columns: Columns,
    parse: impl Fn(&Row<'_>) -> Result<T, Diagnostic>,
    out: &mut Vec<T>,
) -> Vec<Diagnostic> {
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    // Only a hint: if the memory is not there, the rows grow as they come.
    let _ = out.try_reserve(lines.min(MAX_RESERVED_ROWS));
    read_csv_from(rel, text, columns.0, columns.1, |row| {
        out.push(parse(row)?);
        Ok(())
    })
}

thread_local! {
    /// csv-core builds its parsing automaton when a reader is made: once
    /// per thread, and reset for each file (the benchmark firm has one table per client).
    static PARSER: RefCell<csv_core::Reader> = RefCell::new(csv_core::Reader::new());
}

/// The records of one CSV text, each as trimmed cells and the line it
/// starts on. Quoted cells may hold commas, quotes and line breaks.
struct Records<'t> {
    /// The whole text, and what the parser has not read yet.
    text: &'t str,
    input: &'t [u8],
    /// Where the current record starts in `text`.
    start: usize,
    /// Line breaks counted up to `counted`.
    counted: usize,
    /// Unescaped cell bytes of the current record, and where each cell ends.
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// How much of `bytes` the current record fills.
    filled: usize,
    /// Trimmed cells of the current record, as ranges into `bytes`.
    cells: Vec<(usize, usize)>,
    line: u64,
    /// The current record had more than [`MAX_CELLS`] cells: only the
    /// first ones were kept.
    too_wide: bool,
}

/// The most cells a row may have. The widest table has a dozen columns; a
/// header of millions of commas must not become millions of strings.
pub const MAX_CELLS: usize = 1024;

/// The most problems reported for one table; the rest are counted in one
/// last diagnostic, so a 256 MB file of bad rows cannot fill the memory
/// with messages.
pub const MAX_PROBLEMS_PER_FILE: usize = 200;

impl<'t> Records<'t> {
    fn new(text: &'t str) -> Records<'t> {
        Records {
            text,
            input: text.as_bytes(),
            start: 0,
            counted: 0,
            bytes: vec![0; 1024],
            ends: vec![0; 16],
            filled: 0,
            cells: Vec::new(),
            line: 1,
            too_wide: false,
        }
    }

    /// Reads the next record; the line it starts on, or `None` at the end.
    fn next(&mut self, parser: &mut csv_core::Reader) -> Option<u32> {
        use csv_core::ReadRecordResult;
        // The record starts after the line ends the parser skips: blank
        // lines, and the `\n` of a CRLF, which it reads with the next
        // record. Its line is counted from the text, not from the parser.
        let read = self.text.len() - self.input.len();
        let skipped = self
            .input
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        self.start = read + skipped;
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.counted..self.start])
            .count() as u64;
        self.counted = self.start;
        let line = self.line;
        let (mut out, mut ends) = (0, 0);
        self.too_wide = false;
        loop {
            let (result, read, written, ended) =
                parser.read_record(self.input, &mut self.bytes[out..], &mut self.ends[ends..]);
            self.input = &self.input[read..];
            out += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull if self.ends.len() >= MAX_CELLS => {
                    // Too many cells: keep the first ones and read the rest
                    // of the record into the same room, to be thrown away.
                    self.too_wide = true;
                    ends = MAX_CELLS - 1;
                    out = self.ends[ends - 1];
                }
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return None,
            }
        }
        // The input is UTF-8 and the parser only drops ASCII quotes, so the
        // cells are UTF-8 too.
        let text = std::str::from_utf8(&self.bytes[..out]).unwrap_or_default();
        self.filled = text.len();
        self.cells.clear();
        let mut start = 0;
        for &end in &self.ends[..ends] {
            let cell = text.get(start..end).unwrap_or_default();
            let (lead, len) = trimmed(cell);
            self.cells.push((start + lead, start + lead + len));
            start = end;
        }
        Some(to_u32(usize::try_from(line).unwrap_or(usize::MAX)))
    }

    /// The first record as column names: trimmed, without a byte-order
    /// mark.
    fn header(&mut self, parser: &mut csv_core::Reader) -> Vec<String> {
        match self.next(parser) {
            Some(_) => self
                .cells()
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_string())
                .collect(),
            None => Vec::new(),
        }
    }

    /// The record [`Records::next`] read last as written, and the rest of
    /// the text after it.
    fn written(&self) -> &'t str {
        self.text.get(self.start..).unwrap_or_default()
    }

    /// The cells of the record [`Records::next`] read last.
    fn cells(&self) -> Cells<'_> {
        Cells {
            text: std::str::from_utf8(&self.bytes[..self.filled]).unwrap_or_default(),
            ranges: &self.cells,
        }
    }
}

/// Where a cell's text starts after leading white space, and its length
/// without the trailing white space. Most cells begin and end with a
/// printable ASCII byte and need no scan by characters.
fn trimmed(cell: &str) -> (usize, usize) {
    let plain = |b: &u8| b.is_ascii_graphic();
    let bytes = cell.as_bytes();
    if bytes.first().is_none_or(plain) && bytes.last().is_none_or(plain) {
        return (0, cell.len());
    }
    let lead = cell.len() - cell.trim_start().len();
    (lead, cell.trim().len())
}

/// [`read_csv`] over text in memory: the same checks, for tools and tests too.
pub fn read_csv_from(
    rel: &Arc<str>,
    text: &str,
    required: &[&str],
    optional: &[&str],
    each: impl FnMut(&Row<'_>) -> Result<(), Diagnostic>,
) -> Vec<Diagnostic> {
    read_table(
        rel,
        text,
        |header, written| known_columns(rel, header, written, required, optional),
        each,
    )
}

/// A table whose columns the caller judges: `header` gets the column
/// names (and the header as written, to locate them) and returns its
/// problems, which stop the reading; then `each` gets every row, with the
/// same shape checks and the same bound on problems as every table.
pub fn read_table(
    rel: &Arc<str>,
    text: &str,
    header: impl FnOnce(&[String], &str) -> Vec<Diagnostic>,
    each: impl FnMut(&Row<'_>) -> Result<(), Diagnostic>,
) -> Vec<Diagnostic> {
    PARSER.with(|parser| match parser.try_borrow_mut() {
        Ok(mut parser) => {
            parser.reset();
            read_records(rel, text, &mut parser, header, each)
        }
        // Only if `each` itself read a table: give it a parser of its own.
        Err(_) => read_records(rel, text, &mut csv_core::Reader::new(), header, each),
    })
}

/// The column names of a table, as every reader of it sees them.
pub fn header(text: &str) -> Vec<String> {
    Records::new(text).header(&mut csv_core::Reader::new())
}

/// Every column among `required` and `optional`, and every required one
/// present.
fn known_columns(
    rel: &Arc<str>,
    header: &[String],
    written: &str,
    required: &[&str],
    optional: &[&str],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    for (k, name) in header.iter().enumerate() {
        if !known.contains(&name.as_str()) {
            let help = match suggest::did_you_mean(name, known.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? the columns are {}",
                    suggest::list(&known)
                ),
                None => format!("the columns are {}", suggest::list(&known)),
            };
            let (_, col) = row::cell_start(written, k);
            diagnostics.push(
                Diagnostic::input(
                    crate::diag::inputs::UNKNOWN_FIELD,
                    Span::new(rel, 1, col).with_len(name.chars().count()),
                    format!("unknown column `{name}`"),
                )
                .with_help(help),
            );
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !header.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        diagnostics.push(
            Diagnostic::input(
                crate::diag::inputs::MISSING_FIELD,
                Span::new(rel, 1, 1),
                format!("`{rel}` has no {} column", suggest::list(&missing)),
            )
            .with_help(format!(
                "the first line must name the columns: {}",
                known.join(",")
            )),
        );
    }
    diagnostics
}

fn read_records(
    rel: &Arc<str>,
    text: &str,
    parser: &mut csv_core::Reader,
    check_header: impl FnOnce(&[String], &str) -> Vec<Diagnostic>,
    mut each: impl FnMut(&Row<'_>) -> Result<(), Diagnostic>,
) -> Vec<Diagnostic> {
    let mut records = Records::new(text);
    let header = records.header(parser);
    if records.too_wide {
        return vec![too_wide(rel, 1)];
    }
    let diagnostics = check_header(&header, records.written().trim_start_matches('\u{feff}'));
    if !diagnostics.is_empty() {
        return diagnostics;
    }
    let mut problems = Problems {
        rel,
        found: diagnostics,
        more: 0,
    };
    while let Some(line) = records.next(parser) {
        let cells = records.cells();
        if records.too_wide {
            problems.push(too_wide(rel, line));
            continue;
        }
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if cells.len() != header.len() {
            problems.push(
                Diagnostic::input(
                    crate::diag::inputs::CSV_SHAPE,
                    Span::new(rel, line, 1),
                    format!(
                        "this row has {} but the header has {}",
                        crate::diag::plural(cells.len(), "cell"),
                        header.len()
                    ),
                )
                .with_help("check for a missing or extra comma; quote cells that contain commas"),
            );
            continue;
        }
        let row = Row {
            file: rel,
            header: &header,
            cells,
            written: records.written(),
            line,
        };
        if let Err(d) = each(&row) {
            problems.push(d);
        }
    }
    problems.finish()
}

/// The problems of one table, at most [`MAX_PROBLEMS_PER_FILE`] of them.
struct Problems<'a> {
    rel: &'a Arc<str>,
    found: Vec<Diagnostic>,
    /// Problems past the limit, counted.
    more: usize,
}

impl Problems<'_> {
    fn push(&mut self, d: Diagnostic) {
        if self.found.len() < MAX_PROBLEMS_PER_FILE {
            self.found.push(d);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        if self.more > 0 {
            let rel = self.rel;
            self.found.push(
                Diagnostic::input(
                    crate::diag::inputs::TOO_MANY_PROBLEMS,
                    Span::file(rel),
                    format!(
                        "`{rel}` has {} more problems that are not listed",
                        self.more
                    ),
                )
                .with_help("fix the ones above first; a problem repeated on every row usually has one cause, such as a wrong header"),
            );
        }
        self.found
    }
}

fn too_wide(rel: &Arc<str>, line: u32) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::CSV_SHAPE,
        Span::new(rel, line, 1),
        format!("this row has more than {MAX_CELLS} cells"),
    )
    .with_help("check the file is comma-separated CSV; quote cells that contain commas")
}

#[cfg(test)]
mod tests;
