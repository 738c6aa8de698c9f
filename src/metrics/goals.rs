//! Progress of the firm's goals that name a measure the data computes
//! (seed 001: goals are measurable, and checked): per quarter of the
//! fiscal year, and the year to date, against the goal's target.

use super::client::ClientFigures;
use super::service::LevelCompliance;
use super::Period;
use crate::model::{GoalMeasure, GoalTarget, Model};

/// One goal's figures, in percent: per quarter of the fiscal year (`None`
/// before the quarter has data to judge) and the year to date.
#[derive(Clone, Debug, Default)]
pub struct GoalProgress {
    pub quarters: [Option<f64>; 4],
    pub ytd: Option<f64>,
}

/// The progress of each firm goal, parallel to `model.strategy.goals`.
pub fn progress(
    model: &Model,
    clients: &[ClientFigures],
    service: &[LevelCompliance],
    p: &Period,
) -> Vec<Option<GoalProgress>> {
    model
        .strategy
        .goals
        .iter()
        .map(|g| {
            let target = g.target.as_ref()?;
            Some(match target.measure {
                GoalMeasure::RevenueGrowth => revenue_growth(model, clients, target, p),
                GoalMeasure::ServiceCompliance => compliance(service, target),
            })
        })
        .collect()
}

/// Whether a client's current tier puts it in the target's group.
fn in_group(group: &str, tier: Option<&str>) -> bool {
    match group {
        "all" => true,
        "tiered" => tier.is_some(),
        "untiered" => tier.is_none(),
        id => tier == Some(id),
    }
}

/// Credited revenue of the group per finished quarter against the same
/// quarter a year earlier; the year to date against the same days of
/// last year.
fn revenue_growth(
    model: &Model,
    clients: &[ClientFigures],
    target: &GoalTarget,
    p: &Period,
) -> GoalProgress {
    let group = target.group();
    let mut now = [0.0; 4];
    let mut before = [0.0; 4];
    let (mut ytd, mut last_ytd) = (0.0, 0.0);
    for (c, f) in model.clients.iter().zip(clients) {
        if !in_group(group, c.tier()) {
            continue;
        }
        for q in 0..4 {
            now[q] += f.revenue_by_month[q * 3..q * 3 + 3].iter().sum::<f64>();
            before[q] += f.revenue_by_month_last[q * 3..q * 3 + 3]
                .iter()
                .sum::<f64>();
        }
        ytd += f.revenue_ytd;
        last_ytd += f.revenue_last_ytd;
    }
    let growth = |n: f64, b: f64| (b > 0.0).then(|| (n - b) / b * 100.0);
    let mut progress = GoalProgress {
        ytd: growth(ytd, last_ytd),
        ..GoalProgress::default()
    };
    for q in 0..4 {
        // Judged once the revenue data covers the whole quarter.
        let (_, to) = p.quarter(q as u32 + 1);
        if p.revenue_to >= to.pred_opt().unwrap_or(to) {
            progress.quarters[q] = growth(now[q], before[q]);
        }
    }
    progress
}

/// The share of the group's judged service items met, per quarter (items
/// judged per quarter or per month) and over the year (every decided
/// judgement).
fn compliance(service: &[LevelCompliance], target: &GoalTarget) -> GoalProgress {
    let group = target.group();
    let mut quarters = [(0usize, 0usize); 4];
    let (mut met, mut decided) = (0, 0);
    for level in service
        .iter()
        .filter(|l| in_group(group, l.tier.as_deref()))
    {
        for item in &level.items {
            for (q, tally) in item.quarters.iter().enumerate() {
                quarters[q].0 += tally.met;
                quarters[q].1 += tally.met + tally.missed;
                met += tally.met;
                decided += tally.met + tally.missed;
            }
            met += item.year.met;
            decided += item.year.met + item.year.missed;
        }
    }
    let share = |m: usize, d: usize| (d > 0).then(|| m as f64 / d as f64 * 100.0);
    GoalProgress {
        quarters: quarters.map(|(m, d)| share(m, d)),
        ytd: share(met, decided),
    }
}
