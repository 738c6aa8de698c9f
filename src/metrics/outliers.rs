//! Outliers for discussion (seed 002, sales systems: "flag outliers for
//! discussion"): clients whose last finished quarter moved far from their
//! own trend, or from their budget. The method is meant to be said in one
//! sentence: the last finished quarter against the average of the four
//! before it (credited revenue, interactions and depth), and its revenue
//! against its budget, with firm.yaml's `outliers` thresholds.

use serde::Serialize;

use chrono::NaiveDate;

use super::client::ClientFigures;
use super::series::Span;
use super::Recent;
use crate::model::Model;

/// One client's figure that moved far.
#[derive(Clone, Debug, Serialize)]
pub struct Outlier {
    /// Index into `model.clients`.
    pub client: usize,
    pub measure: OutlierMeasure,
    /// The last finished quarter's figure.
    pub value: f64,
    /// What it is judged against: the average of the four quarters before,
    /// or the quarter's budget.
    pub reference: f64,
    /// The change in percent; `None` from nothing.
    pub change: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutlierMeasure {
    /// Revenue against its own trend.
    Revenue,
    /// Interactions against their own trend.
    Interactions,
    /// Depth (colleague–contact meetings) against its own trend.
    Depth,
    /// Revenue against the quarter's budget.
    Budget,
}

impl OutlierMeasure {
    pub fn as_str(self) -> &'static str {
        match self {
            OutlierMeasure::Revenue => "revenue",
            OutlierMeasure::Interactions => "interactions",
            OutlierMeasure::Depth => "depth",
            OutlierMeasure::Budget => "budget",
        }
    }
}

/// The fewest quarters before the last that make a trend.
pub const MIN_TREND_QUARTERS: usize = 2;

/// Every outlier, the largest moves first. A trend is the average of the
/// four quarters before the last that the repository's data covers (from
/// the quarter of its first interaction, or of its first revenue line):
/// quarters before the firm kept records are not zeros. With fewer than
/// [`MIN_TREND_QUARTERS`] of them, that measure is not judged.
pub fn outliers(
    model: &Model,
    clients: &[ClientFigures],
    recent: Recent,
    span: &Span,
) -> Vec<Outlier> {
    let t = &model.firm.outliers;
    let change_percent = t.change_percent.value;
    let min_revenue = t.min_revenue.value;
    let first_interaction = model
        .clients
        .iter()
        .flat_map(|c| {
            c.activities
                .iter()
                .map(|a| a.data.date.value.0)
                .chain(c.captured.iter().map(|r| r.date.0))
        })
        .min();
    let first_revenue = model.financials.revenue.iter().map(|l| l.date.0).min();
    let covered = |first: Option<NaiveDate>| -> Vec<usize> {
        let Some(first) = first else {
            return Vec::new();
        };
        (0..4)
            .filter(|&q| recent.start(q as u32 + 1) > first)
            .collect()
    };
    let (revenue_quarters, count_quarters) = (covered(first_revenue), covered(first_interaction));
    // The five recent quarters in the series, where it has them.
    let in_series: Vec<Option<usize>> = (0..5).map(|q| span.index(recent.start(q))).collect();
    let depth_quarters: Vec<usize> = count_quarters
        .iter()
        .copied()
        .filter(|&q| in_series[q].is_some())
        .collect();
    let mut out = Vec::new();
    for (i, f) in clients.iter().enumerate() {
        let (last_revenue, last_count) = f.recent[4];
        let average = |quarters: &[usize], value: &dyn Fn(usize) -> f64| {
            (quarters.len() >= MIN_TREND_QUARTERS)
                .then(|| quarters.iter().map(|&q| value(q)).sum::<f64>() / quarters.len() as f64)
        };
        let revenue_trend = average(&revenue_quarters, &|q| f.recent[q].0);
        let count_trend = average(&count_quarters, &|q| f64::from(f.recent[q].1));
        let depth_of = |q: usize| {
            in_series[q]
                .and_then(|i| f.series.quarters.get(i))
                .map_or(0.0, |x| f64::from(x.depth))
        };
        let depth_trend = average(&depth_quarters, &depth_of).filter(|_| in_series[4].is_some());
        let mut flag = |measure, value: f64, reference: f64, min: f64, percent: f64| {
            let change = change(value, reference);
            let far = change.is_none_or(|c| c.abs() >= percent);
            if (value - reference).abs() >= min.max(f64::MIN_POSITIVE) && far {
                out.push(Outlier {
                    client: i,
                    measure,
                    value,
                    reference,
                    change,
                });
            }
        };
        if let Some(trend) = revenue_trend {
            flag(
                OutlierMeasure::Revenue,
                last_revenue,
                trend,
                min_revenue,
                change_percent,
            );
        }
        if let Some(trend) = count_trend {
            flag(
                OutlierMeasure::Interactions,
                f64::from(last_count),
                trend,
                f64::from(t.min_interactions),
                change_percent,
            );
        }
        if let Some(trend) = depth_trend {
            flag(
                OutlierMeasure::Depth,
                depth_of(4),
                trend,
                f64::from(t.min_depth),
                change_percent,
            );
        }
        if let Some(budget) = f.budget_last_quarter.filter(|b| *b > 0.0) {
            flag(
                OutlierMeasure::Budget,
                last_revenue,
                budget,
                min_revenue,
                t.budget_percent.value,
            );
        }
    }
    let size = |o: &Outlier| o.change.map_or(f64::INFINITY, f64::abs);
    out.sort_by(|a, b| size(b).total_cmp(&size(a)).then(a.client.cmp(&b.client)));
    out
}

/// `value` against `reference`, in percent; `None` when the reference is
/// nothing.
fn change(value: f64, reference: f64) -> Option<f64> {
    (reference > 0.0).then(|| (value - reference) / reference * 100.0)
}
