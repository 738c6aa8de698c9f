//! Datasets: `clients/<id>/data/<dataset>.csv` and the firm-wide
//! `financials/market/<dataset>.csv`, read against their declarations in
//! firm.yaml. A file whose dataset is not declared is an `unknown-file`
//! warning; a missing or unknown column stops its file; a cell of the
//! wrong kind is reported at its line and column and its row left out.

use std::path::Path;
use std::sync::Arc;

use super::csv_reader::{read_csv_from, Row};
use super::source::{read_text, MAX_TABLE_BYTES};
use super::{list_dir, Entry};
use crate::diag::Diagnostic;
use crate::model::{Cell, DataRow, DataTable, DataUnit, Dataset, MarketRow, MarketTable};
use crate::suggest;

/// The folder of firm-wide datasets.
pub const MARKET_DIR: &str = "financials/market";

/// The datasets of one client folder, `dir` being `clients/<id>`.
pub(super) fn client_data(
    root: &Path,
    dir: &str,
    declared: &[Dataset],
    diags: &mut Vec<Diagnostic>,
) -> Vec<DataTable> {
    let folder = format!("{dir}/data");
    let mut tables = Vec::new();
    for (entry, dataset) in dataset_files(root, &folder, declared, diags) {
        let mut rows = Vec::new();
        diags.extend(read(root, &entry.rel, dataset, false, |_, row| {
            rows.push(row);
        }));
        rows.sort_by_key(|r| r.date);
        tables.push(DataTable {
            dataset: dataset.id.value.clone(),
            file: entry.rel,
            rows,
        });
    }
    tables
}

/// `financials/market/*.csv`: datasets for every client at once, each row
/// naming its client.
pub(super) fn market_data(
    root: &Path,
    declared: &[Dataset],
    diags: &mut Vec<Diagnostic>,
) -> Vec<MarketTable> {
    let mut tables = Vec::new();
    for (entry, dataset) in dataset_files(root, MARKET_DIR, declared, diags) {
        let mut rows = Vec::new();
        diags.extend(read(root, &entry.rel, dataset, true, |client, row| {
            rows.push(MarketRow {
                client: client.unwrap_or_default().to_string(),
                row,
            });
        }));
        tables.push(MarketTable {
            dataset: dataset.id.value.clone(),
            file: entry.rel,
            rows,
        });
    }
    tables
}

/// The CSV files of `folder` with the dataset each is; anything else there
/// is reported.
fn dataset_files<'d>(
    root: &Path,
    folder: &str,
    declared: &'d [Dataset],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Entry, &'d Dataset)> {
    let mut found = Vec::new();
    let ids = || declared.iter().map(|d| d.id.value.as_str());
    for entry in list_dir(root, folder, diags) {
        let name = entry.rel.rsplit('/').next().unwrap_or_default().to_string();
        let dataset = declared.iter().find(|d| d.id.value == entry.stem);
        match dataset {
            Some(d) if entry.is_file && name.ends_with(".csv") => found.push((entry, d)),
            _ => {
                let shown = if entry.is_file {
                    name
                } else {
                    format!("{name}/")
                };
                let help = match (entry.is_file, suggest::did_you_mean(&entry.stem, ids())) {
                    (true, Some(best)) if dataset.is_none() => format!("did you mean `{best}.csv`? each file here is a dataset firm.yaml declares under `datasets:`"),
                    _ if declared.is_empty() => format!("{folder}/ holds one CSV file per dataset, and firm.yaml declares none: add it under `datasets:` with its columns and units"),
                    _ => format!("{folder}/ holds one CSV file per dataset firm.yaml declares: {}", ids().map(|i| format!("`{i}.csv`")).collect::<Vec<_>>().join(", ")),
                };
                diags.push(super::client::unknown_file(&entry.rel, &shown, help));
            }
        }
    }
    found
}

/// Reads one dataset file; `keyed` files have a `client` column, which
/// `each` gets with every row.
fn read(
    root: &Path,
    rel: &Arc<str>,
    dataset: &Dataset,
    keyed: bool,
    mut each: impl FnMut(Option<&str>, DataRow),
) -> Vec<Diagnostic> {
    let text = match read_text(root, rel, MAX_TABLE_BYTES) {
        Ok(text) => text,
        Err(d) => return vec![d],
    };
    let mut required: Vec<&str> = Vec::with_capacity(dataset.columns.len() + 2);
    if keyed {
        required.push("client");
    }
    required.push(&dataset.date.value);
    required.extend(dataset.columns.iter().map(|c| c.id.value.as_str()));
    read_csv_from(rel, &text, &required, &[], |row| {
        let client = if keyed {
            Some(row.required("client")?)
        } else {
            None
        };
        each(client, data_row(row, dataset)?);
        Ok(())
    })
}

fn data_row(row: &Row<'_>, dataset: &Dataset) -> Result<DataRow, Diagnostic> {
    let date = row.date(&dataset.date.value)?;
    let cells = dataset
        .columns
        .iter()
        .map(|c| cell(row, &c.id.value, c.unit))
        .collect::<Result<Box<[Cell]>, Diagnostic>>()?;
    Ok(DataRow {
        date,
        cells,
        line: row.line,
    })
}

fn cell(row: &Row<'_>, column: &str, unit: DataUnit) -> Result<Cell, Diagnostic> {
    let text = row.text(column);
    if text.is_empty() {
        return Ok(Cell::Empty);
    }
    match unit {
        DataUnit::Text => Ok(Cell::Text(text.into())),
        DataUnit::Percent => {
            let digits = text.strip_suffix('%').unwrap_or(text).trim_end();
            row.number_in(column, digits).map(Cell::Number)
        }
        DataUnit::Count | DataUnit::Money => row.number_in(column, text).map(Cell::Number),
    }
}

/// What firm.yaml's `datasets:` may not say, reported at the value and
/// the dataset left out: an id that cannot name a file and a page, one
/// given twice, a dataset without columns, a column named twice or named
/// as the date or `client`, a label that is not one of its text columns,
/// and a market share that is not a percentage.
pub(super) fn declaration_problems(
    firm: &mut crate::model::Firm,
    src: &crate::model::Source,
) -> Vec<Diagnostic> {
    use crate::diag::inputs::{INVALID_ID, INVALID_VALUE};
    let mut diags = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut bad = vec![false; firm.datasets.len()];
    for (k, d) in firm.datasets.iter().enumerate() {
        let mut problem =
            |rule, value: &crate::model::Spanned<String>, message: String, help: String| {
                diags.push(Diagnostic::input(rule, src.span(value), message).with_help(help));
                bad[k] = true;
            };
        if !super::is_valid_id(&d.id.value) {
            problem(INVALID_ID, &d.id, format!("`{}` cannot name a dataset file", d.id.value), format!("a dataset's id is its file's name: lower-case letters, digits, `-`, `_` and `.`, such as `{}`", super::slugify(&d.id.value)));
        } else if seen.contains(&d.id.value.as_str()) {
            problem(
                INVALID_VALUE,
                &d.id,
                format!("dataset `{}` is declared twice", d.id.value),
                String::from("give each dataset one entry under `datasets:`"),
            );
        }
        seen.push(&d.id.value);
        if d.columns.is_empty() {
            problem(
                INVALID_VALUE,
                &d.id,
                format!("dataset `{}` has no columns", d.id.value),
                String::from(
                    "list its columns with their units: `columns: [{id: score, unit: count}]`",
                ),
            );
        }
        let mut names: Vec<&str> = vec![&d.date.value];
        for c in &d.columns {
            let name = c.id.value.as_str();
            if names.contains(&name) || name == "client" {
                let why = if name == d.date.value {
                    "is the date column"
                } else if name == "client" {
                    "names the client in a firm-wide file"
                } else {
                    "is listed twice"
                };
                problem(
                    INVALID_VALUE,
                    &c.id,
                    format!("column `{name}` of dataset `{}` {why}", d.id.value),
                    String::from("give each column of a dataset its own name"),
                );
            }
            names.push(name);
            if c.kpi.is_some() && c.unit != DataUnit::Percent {
                problem(
                    INVALID_VALUE,
                    &c.id,
                    format!(
                        "column `{name}` is the market share but its unit is `{}`",
                        c.unit.as_str()
                    ),
                    String::from("a market share is a percentage: `unit: percent`"),
                );
            }
        }
        if let Some(label) = &d.label {
            let text = d
                .columns
                .iter()
                .any(|c| c.id.value == label.value && c.unit == DataUnit::Text);
            if !text {
                problem(INVALID_VALUE, label, format!("the label `{}` is not a text column of dataset `{}`", label.value, d.id.value), String::from("a label names what a row is about: list it among the columns with `unit: text`"));
            }
        }
    }
    let mut k = 0;
    firm.datasets.retain(|_| {
        k += 1;
        !bad[k - 1]
    });
    diags
}
