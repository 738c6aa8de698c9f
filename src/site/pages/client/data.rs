//! The client page's "Third-party data" section: each dataset with rows
//! about the client, its figures charted over time as firm.yaml says, and
//! its rows as a table (seed 002: "any third-party data that can enrich a
//! salesperson's understanding of the account").

use serde::Serialize;

use super::super::super::views::Refs;
use super::super::super::{charts, format};
use crate::metrics::datasets::ClientData;
use crate::metrics::ClientFigures;
use crate::model::{Cell, ChartKind, Client, Dataset};

/// The most rows the client page lists of one dataset, newest first.
pub const ROWS_SHOWN: usize = 24;

/// The most days a chart shows, the latest ones.
const DAYS_CHARTED: usize = 12;

#[derive(Serialize)]
pub struct DataView {
    pub id: String,
    pub name: String,
    pub source: Option<String>,
    /// Root-relative link to the dataset's page.
    pub url: String,
    pub charts: Vec<String>,
    /// The date column's name and then every column's.
    pub columns: Vec<String>,
    /// Newest first, formatted in each column's unit.
    pub rows: Vec<Vec<String>>,
    /// Rows older than those listed.
    pub older: usize,
}

pub fn dataset_url(id: &str) -> String {
    format!("data/{id}.html")
}

pub fn data(refs: &Refs<'_>, c: &Client, f: &ClientFigures) -> Vec<DataView> {
    let datasets = &refs.model.firm.datasets;
    f.data
        .iter()
        .filter_map(|x| Some(view(refs, c, datasets.get(x.dataset)?, x)))
        .collect()
}

fn view(refs: &Refs<'_>, c: &Client, d: &Dataset, x: &ClientData) -> DataView {
    let currency = refs.model.firm.currency.as_str();
    let charts = d
        .columns
        .iter()
        .enumerate()
        .filter(|(_, column)| column.chart() != ChartKind::None)
        .filter_map(|(j, column)| {
            let points = x.points.get(j).filter(|p| !p.is_empty())?;
            let shown = &points[points.len().saturating_sub(DAYS_CHARTED)..];
            let labels: Vec<String> = shown.iter().map(|(day, _)| format::date(*day)).collect();
            let values: Vec<f64> = shown.iter().map(|(_, v)| *v).collect();
            let series = [charts::Series {
                name: column.title(),
                values: &values,
                class: "s1",
            }];
            let title = format!("{}: {}", d.name, column.title());
            let unit = column.unit;
            let fmt = move |v: f64| match unit {
                crate::model::DataUnit::Money => format::money_short(v, currency),
                _ => format::data_value(v, unit, currency),
            };
            Some(match column.chart() {
                ChartKind::Bar => charts::bars(&title, &labels, &series, &fmt),
                _ => charts::line(&title, &labels, &series, &fmt),
            })
        })
        .collect();
    let mut columns = vec![String::from("Date")];
    columns.extend(d.columns.iter().map(|column| column.title().to_string()));
    let rows: Vec<Vec<String>> =
        x.rows
            .iter()
            .rev()
            .take(ROWS_SHOWN)
            .filter_map(|at| at.get(refs.model, c))
            .map(|row| {
                let mut cells = vec![format::date(row.date.0)];
                cells.extend(d.columns.iter().zip(row.cells.iter()).map(
                    |(column, cell)| match cell {
                        Cell::Empty => String::from("–"),
                        Cell::Number(n) => format::data_value(*n, column.unit, currency),
                        Cell::Text(t) => t.to_string(),
                    },
                ));
                cells
            })
            .collect();
    DataView {
        id: d.id.value.clone(),
        name: d.name.clone(),
        source: d.source.clone(),
        url: dataset_url(&d.id.value),
        charts,
        columns,
        older: x.rows.len().saturating_sub(ROWS_SHOWN),
        rows,
    }
}
