//! Third-party data about clients: per client, each declared dataset's
//! rows (its own `data/` file and the firm-wide file's rows about it) and
//! each figure column's value per day; per dataset, every client's latest
//! value compared by tier and by segment, and its average over the
//! quarters.
//!
//! A day with several rows (one per fund, desk or peer) has one figure
//! per column: counts and amounts add up, percentages are averaged.

use chrono::NaiveDate;

use super::series::Span;
use super::ClientFigures;
use crate::model::{Cell, Client, DataRow, DataUnit, Dataset, Model};

/// Where a row of a client's dataset is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowAt {
    /// `client.datasets[table].rows[row]`.
    Own(u32, u32),
    /// `financials.market[table].rows[row]`.
    Market(u32, u32),
}

impl RowAt {
    pub fn get<'m>(self, model: &'m Model, c: &'m Client) -> Option<&'m DataRow> {
        match self {
            RowAt::Own(t, r) => c.datasets.get(t as usize)?.rows.get(r as usize),
            RowAt::Market(t, r) => Some(
                &model
                    .financials
                    .market
                    .get(t as usize)?
                    .rows
                    .get(r as usize)?
                    .row,
            ),
        }
    }
}

/// One dataset of one client.
#[derive(Clone, Debug, Default)]
pub struct ClientData {
    /// Index into firm.yaml's `datasets`.
    pub dataset: usize,
    /// Its rows, oldest first.
    pub rows: Vec<RowAt>,
    /// Per column (firm.yaml's order), the figure of each day with one,
    /// oldest first; empty for text columns.
    pub points: Vec<Vec<(NaiveDate, f64)>>,
}

impl ClientData {
    /// Column `j`'s latest figure on or before `day`.
    pub fn on(&self, j: usize, day: NaiveDate) -> Option<f64> {
        let points = self.points.get(j)?;
        let n = points.partition_point(|(d, _)| *d <= day);
        n.checked_sub(1).map(|i| points[i].1)
    }

    /// Column `j`'s last two figures: (day, latest, the one before).
    pub fn latest(&self, j: usize) -> Option<(NaiveDate, f64, Option<f64>)> {
        let points = self.points.get(j)?;
        let (day, value) = *points.last()?;
        let before = points.len().checked_sub(2).map(|i| points[i].1);
        Some((day, value, before))
    }
}

/// The datasets of one client with any rows; `market` holds the
/// firm-wide rows about it as (table, row).
pub fn of_client(model: &Model, c: &Client, market: &[(u32, u32)]) -> Vec<ClientData> {
    let mut found = Vec::new();
    for (k, d) in model.firm.datasets.iter().enumerate() {
        let mut rows: Vec<RowAt> = Vec::new();
        for (t, table) in c.datasets.iter().enumerate() {
            if table.dataset == d.id.value {
                rows.extend((0..table.rows.len()).map(|r| RowAt::Own(t as u32, r as u32)));
            }
        }
        for &(t, r) in market {
            if model.financials.market[t as usize].dataset == d.id.value {
                rows.push(RowAt::Market(t, r));
            }
        }
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|at| at.get(model, c).map(|r| r.date));
        let points = d
            .columns
            .iter()
            .enumerate()
            .map(|(j, column)| daily(model, c, &rows, j, column.unit))
            .collect();
        found.push(ClientData {
            dataset: k,
            rows,
            points,
        });
    }
    found
}

/// Column `j`'s figure per day over `rows` (sorted by day).
fn daily(
    model: &Model,
    c: &Client,
    rows: &[RowAt],
    j: usize,
    unit: DataUnit,
) -> Vec<(NaiveDate, f64)> {
    if unit == DataUnit::Text {
        return Vec::new();
    }
    let mut points: Vec<(NaiveDate, f64)> = Vec::new();
    let mut count = 0u32;
    for row in rows.iter().filter_map(|at| at.get(model, c)) {
        let Some(value) = row.cells.get(j).and_then(Cell::number) else {
            continue;
        };
        match points.last_mut() {
            Some((day, sum)) if *day == row.date.0 => {
                *sum += value;
                count += 1;
            }
            _ => {
                average(&mut points, count, unit);
                points.push((row.date.0, value));
                count = 1;
            }
        }
    }
    average(&mut points, count, unit);
    points
}

/// Turns the last day's sum of `count` percentages into their average.
fn average(points: &mut [(NaiveDate, f64)], count: u32, unit: DataUnit) {
    if let (DataUnit::Percent, Some(last)) = (unit, points.last_mut()) {
        if count > 1 {
            last.1 /= f64::from(count);
        }
    }
}

/// A group of clients' latest values of one column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub name: String,
    /// `(dimension, value)` of a segment value, for its page.
    pub segment: Option<(String, String)>,
    pub clients: usize,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Group {
    fn of(name: String, segment: Option<(String, String)>, mut values: Vec<f64>) -> Group {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = match n {
            0 => 0.0,
            _ if n % 2 == 1 => values[n / 2],
            _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
        };
        Group {
            name,
            segment,
            clients: n,
            mean: if n == 0 {
                0.0
            } else {
                values.iter().sum::<f64>() / n as f64
            },
            median,
            min: values.first().copied().unwrap_or(0.0),
            max: values.last().copied().unwrap_or(0.0),
        }
    }
}

/// One figure column of a dataset across the clients.
#[derive(Clone, Debug, Default)]
pub struct ColumnFigures {
    /// Index into the dataset's `columns`.
    pub column: usize,
    pub all: Group,
    /// Per tier of the charter, then the clients on none.
    pub tiers: Vec<Group>,
    /// Per segment dimension, its name and a group per value with data.
    pub dimensions: Vec<(String, Vec<Group>)>,
    /// Per quarter of the span, the average of the clients' figures in
    /// force at its end (`None` when no client had one).
    pub trend: Vec<Option<f64>>,
    /// Every client with a figure: (client index, day, latest, before),
    /// highest first.
    pub ranked: Vec<(usize, NaiveDate, f64, Option<f64>)>,
}

/// One dataset across the clients.
#[derive(Clone, Debug, Default)]
pub struct DatasetFigures {
    /// Index into firm.yaml's `datasets`.
    pub dataset: usize,
    /// Clients with rows, and the rows.
    pub clients: usize,
    pub rows: usize,
    pub latest: Option<NaiveDate>,
    pub columns: Vec<ColumnFigures>,
}

/// Every declared dataset across the clients.
pub fn firm(model: &Model, clients: &[ClientFigures], span: &Span) -> Vec<DatasetFigures> {
    model
        .firm
        .datasets
        .iter()
        .enumerate()
        .map(|(k, d)| dataset(model, clients, span, k, d))
        .collect()
}

fn dataset(
    model: &Model,
    clients: &[ClientFigures],
    span: &Span,
    k: usize,
    d: &Dataset,
) -> DatasetFigures {
    let data: Vec<(usize, &ClientData)> = clients
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.data.iter().find(|x| x.dataset == k).map(|x| (i, x)))
        .collect();
    let mut figures = DatasetFigures {
        dataset: k,
        clients: data.len(),
        rows: data.iter().map(|(_, x)| x.rows.len()).sum(),
        latest: None,
        columns: Vec::new(),
    };
    for (i, x) in &data {
        let c = &model.clients[*i];
        let last = x
            .rows
            .last()
            .and_then(|at| at.get(model, c))
            .map(|r| r.date.0);
        figures.latest = figures.latest.max(last);
    }
    for (j, column) in d.columns.iter().enumerate() {
        if column.unit == DataUnit::Text {
            continue;
        }
        let mut ranked: Vec<(usize, NaiveDate, f64, Option<f64>)> = data
            .iter()
            .filter_map(|(i, x)| x.latest(j).map(|(day, v, before)| (*i, day, v, before)))
            .collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let values = |keep: &dyn Fn(&Client) -> bool| -> Vec<f64> {
            ranked
                .iter()
                .filter(|(i, ..)| keep(&model.clients[*i]))
                .map(|r| r.2)
                .collect()
        };
        let mut tiers: Vec<Group> = model
            .charter
            .iter()
            .flat_map(|c| &c.tiers)
            .map(|t| {
                Group::of(
                    t.name.clone(),
                    None,
                    values(&|c| c.tier() == Some(&t.id.value)),
                )
            })
            .collect();
        tiers.push(Group::of(
            String::from("Not on the list"),
            None,
            values(&|c| c.tier().is_none_or(|t| model.tier(t).is_none())),
        ));
        let dimensions = model
            .firm
            .segment_dimensions
            .iter()
            .map(|dim| {
                let groups = dim
                    .values
                    .iter()
                    .map(|v| {
                        let on = |c: &Client| c.in_segment(&dim.id.value, &v.value);
                        Group::of(
                            v.value.clone(),
                            Some((dim.id.value.clone(), v.value.clone())),
                            values(&on),
                        )
                    })
                    .filter(|g| g.clients > 0)
                    .collect();
                (dim.name.clone(), groups)
            })
            .collect();
        let trend = (0..span.len)
            .map(|q| {
                let day = span.as_at(q);
                let found: Vec<f64> = data.iter().filter_map(|(_, x)| x.on(j, day)).collect();
                (!found.is_empty()).then(|| found.iter().sum::<f64>() / found.len() as f64)
            })
            .collect();
        figures.columns.push(ColumnFigures {
            column: j,
            all: Group::of(String::from("All clients"), None, values(&|_| true)),
            tiers,
            dimensions,
            trend,
            ranked,
        });
    }
    figures
}

/// The client's market share at each quarter's end, from the dataset
/// column firm.yaml marks `kpi: market-share`; `None` without one.
pub fn market_share(model: &Model, data: &[ClientData], span: &Span) -> Vec<Option<f64>> {
    let column = model.firm.datasets.iter().enumerate().find_map(|(k, d)| {
        let j = d.columns.iter().position(|c| c.kpi.is_some())?;
        Some((k, j))
    });
    let Some((k, j)) = column else {
        return Vec::new();
    };
    let Some(x) = data.iter().find(|x| x.dataset == k) else {
        return Vec::new();
    };
    (0..span.len).map(|q| x.on(j, span.as_at(q))).collect()
}
