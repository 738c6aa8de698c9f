//! The quarterly metrics table of an account plan (seed 004, client account management): targets
//! against actuals, where actuals are written by hand or derived from the
//! activity log, the relationship map and revenue.

use super::client::ClientFigures;
use super::Period;
use crate::model::Date;
use crate::model::{Client, MetricSource, MetricValue, QuarterlyMetric, Stance, Unit};

/// One row of the table: the metric's targets and actuals per quarter, as
/// numbers or text; the site formats them in the metric's unit.
#[derive(Clone, Debug)]
pub struct MetricRow {
    pub name: String,
    pub unit: Unit,
    /// Where actuals come from, e.g. "from the activity log"; empty if by hand.
    pub source: &'static str,
    pub cells: Vec<QuarterCell>,
}

#[derive(Clone, Debug)]
pub struct QuarterCell {
    pub target: Option<MetricValue>,
    pub actual: Option<MetricValue>,
    /// `met`, `missed`, `so-far` (quarter in progress) or empty.
    pub status: &'static str,
}

pub fn metric_rows(client: &Client, figures: &ClientFigures, p: &Period) -> Vec<MetricRow> {
    let Some(plan) = &client.plan else {
        return Vec::new();
    };
    plan.data
        .metrics
        .iter()
        .map(|m| row(client, figures, m, p))
        .collect()
}

fn row(client: &Client, figures: &ClientFigures, m: &QuarterlyMetric, p: &Period) -> MetricRow {
    let source = m.source.as_ref().map(|s| s.value);
    let cells = (1..=4u32)
        .map(|q| {
            let (from, to) = p.quarter(q);
            let target = m.targets.value.get(q as usize - 1);
            let started = p.today >= from;
            let finished = p.today >= to;
            let actual: Option<MetricValue> = match source {
                Some(src) if started => {
                    Some(MetricValue::Number(derived(client, figures, src, q, p)))
                }
                Some(_) => None,
                None => m
                    .actuals
                    .as_ref()
                    .and_then(|a| a.value.get(q as usize - 1).cloned().flatten()),
            };
            let lower_is_better = source == Some(MetricSource::OpponentsChange)
                || matches!(target, Some(MetricValue::Number(t)) if *t < 0.0);
            let status = match (&actual, target) {
                (Some(MetricValue::Number(a)), Some(MetricValue::Number(t))) => {
                    let met = if lower_is_better { a <= t } else { a >= t };
                    if met {
                        "met"
                    } else if finished {
                        "missed"
                    } else {
                        "so-far"
                    }
                }
                (Some(_), _) if !finished => "so-far",
                _ => "",
            };
            QuarterCell {
                target: target.cloned(),
                actual,
                status,
            }
        })
        .collect();
    MetricRow {
        name: m.name.value.clone(),
        unit: m.unit,
        source: match source {
            Some(MetricSource::Allies) => "allies on the relationship map",
            Some(MetricSource::OpponentsChange) => "change in enemies and protesters",
            Some(MetricSource::Meetings) => "meetings logged",
            Some(MetricSource::Calls) => "calls logged",
            Some(MetricSource::IncomeGrowth) => "revenue.csv against last year",
            None => "",
        },
        cells,
    }
}

/// The derived actual for quarter `q`: as at the quarter's end, or today
/// for the quarter in progress.
fn derived(
    client: &Client,
    figures: &ClientFigures,
    source: MetricSource,
    q: u32,
    p: &Period,
) -> f64 {
    let (_, to) = p.quarter(q);
    let as_at = Date(if p.today < to {
        p.today
    } else {
        to.pred_opt().unwrap_or(to)
    });
    let stakeholders = client
        .plan
        .iter()
        .flat_map(|pl| pl.data.stakeholders.iter());
    match source {
        MetricSource::Allies => stakeholders
            .filter(|s| s.present_on(as_at) && s.stance_on(as_at) == Stance::Ally)
            .count() as f64,
        MetricSource::OpponentsChange => {
            let start = Date(p.fy_start);
            let opposed = |day: Date| {
                client
                    .plan
                    .iter()
                    .flat_map(|pl| pl.data.stakeholders.iter())
                    .filter(|s| {
                        s.present_on(day)
                            && matches!(s.stance_on(day), Stance::Enemy | Stance::Protester)
                    })
                    .count() as f64
            };
            opposed(as_at) - opposed(start)
        }
        MetricSource::Meetings => f64::from(figures.quarters[q as usize - 1].0),
        MetricSource::Calls => f64::from(figures.quarters[q as usize - 1].1),
        MetricSource::IncomeGrowth if p.today < to => {
            figures.revenue_ytd - figures.revenue_last_ytd
        }
        MetricSource::IncomeGrowth => {
            let months = (1..=q as usize * 3).take(12);
            let this: f64 = months
                .clone()
                .map(|m| figures.revenue_by_month[m - 1])
                .sum();
            let last: f64 = months.map(|m| figures.revenue_by_month_last[m - 1]).sum();
            this - last
        }
    }
}
