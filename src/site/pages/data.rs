//! `data.html`, the datasets firm.yaml declares, and `data/<id>.html` per
//! dataset: what it holds and where from, and each figure compared across
//! the clients — by tier, by segment, over the quarters, client by client.
//! Every figure comes from [`crate::metrics::datasets`].

use serde::Serialize;

use super::super::views::{ClientRef, Refs};
use super::super::{charts, format, Out, SiteError};
use super::client::data::dataset_url;
use crate::metrics::datasets::{ColumnFigures, DatasetFigures, Group};
use crate::model::{DataUnit, Dataset};

/// The most clients a dataset page lists per figure, the highest.
pub const CLIENTS_LISTED: usize = 100;

#[derive(Serialize)]
struct Index {
    datasets: Vec<Summary>,
}

#[derive(Serialize)]
struct Summary {
    name: String,
    url: String,
    source: Option<String>,
    description: Option<String>,
    clients: usize,
    rows: usize,
    latest: String,
    files: Vec<String>,
    columns: Vec<ColumnInfo>,
}

#[derive(Serialize)]
struct ColumnInfo {
    id: String,
    name: String,
    unit: &'static str,
    chart: &'static str,
    kpi: Option<&'static str>,
}

#[derive(Serialize)]
struct DatasetPage {
    summary: Summary,
    figures: Vec<FigureView>,
    listed: usize,
}

#[derive(Serialize)]
struct FigureView {
    name: String,
    trend_chart: Option<String>,
    tiers_chart: Option<String>,
    all: GroupRow,
    tiers: Vec<GroupRow>,
    dimensions: Vec<DimensionView>,
    clients: Vec<ClientRow>,
    total: usize,
}

#[derive(Serialize)]
struct DimensionView {
    name: String,
    groups: Vec<GroupRow>,
}

#[derive(Serialize)]
struct GroupRow {
    name: String,
    url: Option<String>,
    clients: usize,
    mean: String,
    median: String,
    min: String,
    max: String,
}

#[derive(Serialize)]
struct ClientRow {
    client: ClientRef,
    day: String,
    latest: String,
    before: String,
    change: String,
}

pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let datasets = &refs.model.firm.datasets;
    let index = Index {
        datasets: refs
            .metrics
            .firm
            .datasets
            .iter()
            .filter_map(|f| Some(summary(datasets.get(f.dataset)?, f)))
            .collect(),
    };
    out.page("data.html", "data.html", "data", "Third-party data", &index)?;
    for f in &refs.metrics.firm.datasets {
        let Some(d) = datasets.get(f.dataset) else {
            continue;
        };
        let page = DatasetPage {
            summary: summary(d, f),
            figures: f
                .columns
                .iter()
                .filter_map(|c| figure(refs, d, c))
                .collect(),
            listed: CLIENTS_LISTED,
        };
        out.page(
            &dataset_url(&d.id.value),
            "dataset.html",
            "data",
            &d.name,
            &page,
        )?;
    }
    Ok(())
}

fn summary(d: &Dataset, f: &DatasetFigures) -> Summary {
    let id = &d.id.value;
    Summary {
        name: d.name.clone(),
        url: dataset_url(id),
        source: d.source.clone(),
        description: d.description.clone(),
        clients: f.clients,
        rows: f.rows,
        latest: format::date_opt(f.latest),
        files: vec![
            format!("clients/<client>/data/{id}.csv"),
            format!("{}/{id}.csv", crate::load::MARKET_DIR),
        ],
        columns: std::iter::once(ColumnInfo {
            id: d.date.value.clone(),
            name: String::from("Date"),
            unit: "date",
            chart: "",
            kpi: None,
        })
        .chain(d.columns.iter().map(|c| ColumnInfo {
            id: c.id.value.clone(),
            name: c.title().to_string(),
            unit: c.unit.as_str(),
            chart: match c.chart() {
                crate::model::ChartKind::Line => "line",
                crate::model::ChartKind::Bar => "bar",
                crate::model::ChartKind::None => "none",
            },
            kpi: c.kpi.map(|_| "market share"),
        }))
        .collect(),
    }
}

fn figure(refs: &Refs<'_>, d: &Dataset, f: &ColumnFigures) -> Option<FigureView> {
    let column = d.columns.get(f.column)?;
    let currency = refs.model.firm.currency.as_str();
    let unit = column.unit;
    let value = |v: f64| format::data_value(v, unit, currency);
    let short = move |v: f64| match unit {
        DataUnit::Money => format::money_short(v, currency),
        _ => format::data_value(v, unit, currency),
    };
    let group = |g: &Group| {
        let figure = |v: f64| {
            if g.clients == 0 {
                String::from("–")
            } else {
                value(v)
            }
        };
        GroupRow {
            name: g.name.clone(),
            url: g
                .segment
                .as_ref()
                .map(|(dim, v)| format!("segments/{dim}/{v}.html")),
            clients: g.clients,
            mean: figure(g.mean),
            median: figure(g.median),
            min: figure(g.min),
            max: figure(g.max),
        }
    };
    let trend: Vec<f64> = f.trend.iter().map(|v| v.unwrap_or(0.0)).collect();
    let trend_chart = f.trend.iter().any(Option::is_some).then(|| {
        charts::line(
            &format!(
                "{}: the clients' average at each quarter's end",
                column.title()
            ),
            &refs.quarters,
            &[charts::Series {
                name: "Average of the clients with data",
                values: &trend,
                class: "s1",
            }],
            &short,
        )
    });
    let with_data: Vec<&Group> = f.tiers.iter().filter(|g| g.clients > 0).collect();
    let tiers_chart = (!with_data.is_empty()).then(|| {
        let labels: Vec<String> = with_data.iter().map(|g| g.name.clone()).collect();
        let means: Vec<f64> = with_data.iter().map(|g| g.mean).collect();
        let medians: Vec<f64> = with_data.iter().map(|g| g.median).collect();
        charts::bars(
            &format!("{}: latest figures by tier", column.title()),
            &labels,
            &[
                charts::Series {
                    name: "Average",
                    values: &means,
                    class: "s1",
                },
                charts::Series {
                    name: "Median",
                    values: &medians,
                    class: "s2",
                },
            ],
            &short,
        )
    });
    let clients = client_rows(refs, f, unit, &value);
    Some(FigureView {
        name: column.title().to_string(),
        trend_chart,
        tiers_chart,
        all: group(&f.all),
        tiers: f.tiers.iter().map(group).collect(),
        dimensions: f
            .dimensions
            .iter()
            .map(|(name, groups)| DimensionView {
                name: name.clone(),
                groups: groups.iter().map(group).collect(),
            })
            .collect(),
        clients,
        total: f.ranked.len(),
    })
}

/// The clients with the highest latest figures, with the change from the
/// figure before: points for a percentage, percent otherwise.
fn client_rows(
    refs: &Refs<'_>,
    f: &ColumnFigures,
    unit: DataUnit,
    value: &dyn Fn(f64) -> String,
) -> Vec<ClientRow> {
    f.ranked
        .iter()
        .take(CLIENTS_LISTED)
        .map(|&(i, day, latest, before)| ClientRow {
            client: refs.client(&refs.model.clients[i]),
            day: format::date(day),
            latest: value(latest),
            before: before.map_or_else(|| String::from("–"), value),
            change: before.map_or_else(
                || String::from("–"),
                |b| match unit {
                    DataUnit::Percent => format!("{:+.1} pts", latest - b),
                    _ => format::percent_change(crate::metrics::against(latest, b)),
                },
            ),
        })
        .collect()
}
