//! Third-party data about clients (seed 002: "any third-party data that
//! can enrich a salesperson's understanding of the account ... survey
//! data, market share data, fund performance, and securities holdings
//! data"): datasets declared once in firm.yaml, and their rows, read from
//! `clients/<id>/data/<dataset>.csv` or, for data that arrives as one file
//! from a vendor, `financials/market/<dataset>.csv` keyed by client.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Spanned};

/// One dataset of `datasets:` in firm.yaml: what its file holds and how
/// pages show it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// The file's name without `.csv`, and the dataset page's:
    /// `survey` is `clients/<id>/data/survey.csv`, or the firm-wide
    /// `financials/market/survey.csv` with a `client` column.
    pub id: Spanned<String>,
    /// What pages call it, e.g. `Client survey`.
    pub name: String,
    /// What it measures, shown on its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who supplies it, e.g. `Coalition Greenwich`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The column holding each row's day (YYYY-MM-DD).
    #[serde(default = "default_date_column")]
    pub date: Spanned<String>,
    /// A text column naming what a row is about when a day has several
    /// rows (a fund, a desk, a peer): figures of one day add up over it
    /// (percentages are averaged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Spanned<String>>,
    /// The other columns, in any order in the file.
    pub columns: Vec<DataColumn>,
}

fn default_date_column() -> Spanned<String> {
    Spanned::unplaced(String::from("date"))
}

/// One value column of a dataset.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataColumn {
    /// The column's name in the file's header.
    pub id: Spanned<String>,
    /// What pages call it; the id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub unit: DataUnit,
    /// How the client page charts it over time: `line` (the default for
    /// figures), `bar`, or `none` (the default for text and for the market
    /// share, which the over-time chart draws).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartKind>,
    /// What the firm's KPIs read from it: `market-share` makes this
    /// column (a percentage) the client's market share, per quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpi: Option<DataKpi>,
}

impl DataColumn {
    /// The name pages show.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id.value)
    }

    /// How it is charted: `line` for figures unless said otherwise; not
    /// at all for text, nor for the market share, which the client's
    /// over-time chart already draws.
    pub fn chart(&self) -> ChartKind {
        match (self.chart, self.unit) {
            (Some(kind), _) => kind,
            (None, DataUnit::Text) => ChartKind::None,
            (None, _) if self.kpi.is_some() => ChartKind::None,
            (None, _) => ChartKind::Line,
        }
    }
}

/// What a dataset's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DataUnit {
    /// A number of things: a score, a rank, a headcount, shares held.
    Count,
    /// An amount in the firm's currency.
    Money,
    /// A percentage, written `12.5` or `12.5%`.
    Percent,
    /// Words: a rating, a fund's name.
    Text,
}

impl DataUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            DataUnit::Count => "count",
            DataUnit::Money => "money",
            DataUnit::Percent => "percent",
            DataUnit::Text => "text",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Line,
    Bar,
    None,
}

/// A KPI a dataset column supplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DataKpi {
    /// The firm's share of the client's business, in percent.
    MarketShare,
}

/// One cell of a dataset row.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(Box<str>),
}

impl Cell {
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// One row: its day and its cells, in the order of the dataset's
/// `columns` (not the file's).
#[derive(Clone, Debug, Serialize)]
pub struct DataRow {
    pub date: Date,
    pub cells: Box<[Cell]>,
    #[serde(skip)]
    pub line: u32,
}

/// The rows of one dataset file in a client's `data/` folder.
#[derive(Clone, Debug, Serialize)]
pub struct DataTable {
    pub dataset: String,
    #[serde(skip)]
    pub file: Arc<str>,
    pub rows: Vec<DataRow>,
}

/// A row of a firm-wide dataset file, with the client it is about.
#[derive(Clone, Debug, Serialize)]
pub struct MarketRow {
    pub client: String,
    #[serde(flatten)]
    pub row: DataRow,
}

/// `financials/market/<dataset>.csv`: one dataset for every client.
#[derive(Clone, Debug, Serialize)]
pub struct MarketTable {
    pub dataset: String,
    #[serde(skip)]
    pub file: Arc<str>,
    pub rows: Vec<MarketRow>,
}
