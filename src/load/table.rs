//! CSV files (`activities.csv`, `financials/*.csv`): a header row names the
//! columns; every cell that fails to parse is reported at its line and
//! column, and the row is skipped rather than guessed at.

use std::path::Path;
use std::sync::Arc;

use csv::{ReaderBuilder, StringRecord, Trim};

use super::source::{io_error, symlink, to_u32};
use super::yaml::Date;
use crate::diag::{Diagnostic, Span};
use crate::suggest;

/// One data row, with the header it belongs to.
pub struct Row<'a> {
    file: &'a Arc<str>,
    header: &'a [String],
    record: &'a StringRecord,
    pub line: u32,
}

impl<'a> Row<'a> {
    fn index(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h == column)
    }

    /// The cell's text, empty if the column is absent.
    pub fn text(&self, column: &str) -> &'a str {
        self.index(column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    /// The position of a cell: columns count characters, delimiters included.
    pub fn span(&self, column: &str) -> Span {
        let Some(i) = self.index(column) else {
            return Span::new(self.file, self.line, 1);
        };
        let before: usize = (0..i)
            .map(|j| self.record.get(j).map_or(0, |f| f.chars().count()) + 1)
            .sum();
        let len = self.record.get(i).map_or(1, |f| f.chars().count());
        Span::new(self.file, self.line, to_u32(before + 1)).with_len(len)
    }

    /// A required, non-empty cell.
    pub fn required(&self, column: &str) -> Result<&'a str, Diagnostic> {
        let text = self.text(column);
        if text.is_empty() {
            return Err(Diagnostic::input(
                "missing-field",
                self.span(column),
                format!("empty `{column}` cell"),
            )
            .with_help(format!("every row needs a `{column}`")));
        }
        Ok(text)
    }

    pub fn date(&self, column: &str) -> Result<Date, Diagnostic> {
        Date::parse(self.required(column)?).map_err(|msg| {
            Diagnostic::input("invalid-date", self.span(column), msg)
                .with_help("dates are written YYYY-MM-DD and must exist in the calendar")
        })
    }

    pub fn number(&self, column: &str) -> Result<f64, Diagnostic> {
        let text = self.required(column)?;
        text.replace([',', '_'], "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| {
                Diagnostic::input("wrong-type", self.span(column), format!("`{text}` is not a number"))
                    .with_help("write amounts as plain numbers such as 12500 or 12500.50, without a currency sign")
            })
    }
}

/// Reads a CSV file and calls `each` on every row. Column names must be
/// among `required` and `optional`; `required` ones must all be present.
pub fn read_csv(
    root: &Path,
    rel: &Arc<str>,
    required: &[&str],
    optional: &[&str],
    each: impl FnMut(&Row<'_>) -> Result<(), Diagnostic>,
) -> Vec<Diagnostic> {
    let path = root.join(&**rel);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => return vec![symlink(rel)],
        Ok(_) => {}
        Err(e) => return vec![io_error(rel, &e)],
    }
    match std::fs::File::open(&path) {
        Ok(file) => read_csv_from(rel, std::io::BufReader::new(file), required, optional, each),
        Err(e) => vec![io_error(rel, &e)],
    }
}

/// [`read_csv`] over any reader: the same checks, for bytes in memory too.
pub fn read_csv_from(
    rel: &Arc<str>,
    input: impl std::io::Read,
    required: &[&str],
    optional: &[&str],
    mut each: impl FnMut(&Row<'_>) -> Result<(), Diagnostic>,
) -> Vec<Diagnostic> {
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .trim(Trim::All)
        .from_reader(input);
    let mut diagnostics = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => return vec![csv_error(rel, &e)],
    };
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    let mut col = 1;
    for name in &header {
        if !known.contains(&name.as_str()) {
            let help = match suggest::did_you_mean(name, known.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? the columns are {}",
                    suggest::list(&known)
                ),
                None => format!("the columns are {}", suggest::list(&known)),
            };
            diagnostics.push(
                Diagnostic::input(
                    "unknown-field",
                    Span::new(rel, 1, col).with_len(name.chars().count()),
                    format!("unknown column `{name}`"),
                )
                .with_help(help),
            );
        }
        col += to_u32(name.chars().count() + 1);
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !header.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        diagnostics.push(
            Diagnostic::input(
                "missing-field",
                Span::new(rel, 1, 1),
                format!("`{rel}` has no {} column", suggest::list(&missing)),
            )
            .with_help(format!(
                "the first line must name the columns: {}",
                known.join(",")
            )),
        );
    }
    if !diagnostics.is_empty() {
        return diagnostics;
    }
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                diagnostics.push(csv_error(rel, &e));
                break;
            }
        }
        let line = record
            .position()
            .map_or(0, |p| to_u32(usize::try_from(p.line()).unwrap_or(0)));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            diagnostics.push(
                Diagnostic::input(
                    "csv-shape",
                    Span::new(rel, line, 1),
                    format!(
                        "this row has {} cells but the header has {}",
                        record.len(),
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
            record: &record,
            line,
        };
        if let Err(d) = each(&row) {
            diagnostics.push(d);
        }
    }
    diagnostics
}

fn csv_error(rel: &Arc<str>, e: &csv::Error) -> Diagnostic {
    let line = e
        .position()
        .map_or(1, |p| to_u32(usize::try_from(p.line()).unwrap_or(1)));
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => format!("`{rel}` is not valid UTF-8"),
        _ => format!("`{rel}` cannot be read as CSV: {e}"),
    };
    Diagnostic::input("invalid-csv", Span::new(rel, line, 1), message)
        .with_help("save the file as UTF-8 CSV with a header row")
}
