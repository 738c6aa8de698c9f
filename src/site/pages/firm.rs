//! Firm-wide pages: quarterly metrics, the service charter, the strategy
//! tree, segments, and the benchmark of tiers against untiered accounts.

use serde::Serialize;

use super::super::views::{goal_tree, Refs, TaskView};
use super::super::{charts, format, Out, SiteError};
use crate::model::TaskPlace;
use crate::site::format::trim_number;

#[derive(Serialize)]
struct QuarterCol {
    label: String,
    revenue: String,
    budget: String,
    budget_to_date: String,
    vs_budget: String,
    meetings: u32,
    calls: u32,
    activities: u32,
    reviews: u32,
    started: bool,
    in_progress: bool,
}

/// The firm pages: quarterly metrics, the charter, the firm strategy,
/// segments and tier benchmarks.
pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    quarterly_metrics(out, refs)?;
    charter(out, refs)?;
    strategy(out, refs)?;
    super::segments::render(out, refs)?;
    benchmarks(out, refs)?;
    super::impact::render(out, refs)?;
    super::data::render(out, refs)?;
    super::kpis::render(out, refs)?;
    super::profit::render(out, refs)
}

/// `metrics.html`: revenue against budget and activity, by quarter.
fn quarterly_metrics(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let quarters: Vec<QuarterCol> = m
        .firm
        .quarters
        .iter()
        .map(|q| QuarterCol {
            label: q.label.clone(),
            revenue: money(q.revenue),
            budget: money(q.budget),
            budget_to_date: money(q.budget_to_date),
            vs_budget: format::percent_change(q.vs_budget()),
            meetings: q.meetings,
            calls: q.calls,
            activities: q.activities,
            reviews: q.reviews,
            started: q.started,
            in_progress: q.in_progress,
        })
        .collect();
    let labels: Vec<String> = m.firm.quarters.iter().map(|q| q.label.clone()).collect();
    let revenue: Vec<f64> = m.firm.quarters.iter().map(|q| q.revenue).collect();
    // A quarter in progress is drawn against its budget to date.
    let budget: Vec<f64> = m.firm.quarters.iter().map(|q| q.budget_to_date).collect();
    let chart = charts::bars(
        "Revenue against budget by quarter",
        &labels,
        &[
            charts::Series {
                name: "Revenue",
                values: &revenue,
                class: "s1",
            },
            charts::Series {
                name: "Budget to date",
                values: &budget,
                class: "s2",
            },
        ],
        &|v| format::money_short(v, currency),
    );
    out.page(
        "metrics.html",
        "metrics.html",
        "metrics",
        "Quarterly metrics",
        &serde_json::json!({ "quarters": quarters, "chart": chart }),
    )
}

/// `strategy.html`: firm goals, strategies and action plans with owners.
fn strategy(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let model = refs.model;
    let s = &model.strategy;
    let views: Vec<TaskView> = model
        .tasks()
        .filter(|t| t.place == TaskPlace::FirmStrategy)
        .map(|t| refs.task(&t))
        .collect();
    let (goals, _) = goal_tree(refs, &s.goals, &s.strategies, &s.actions, &views);
    let mut goals = serde_json::to_value(goals).unwrap_or_default();
    // Each goal and strategy with the verdict of the latest check that
    // judged it.
    let today = refs.metrics.today;
    let held: Vec<&crate::model::StrategyCheck> = {
        let mut held: Vec<_> = s
            .checks
            .iter()
            .filter(|c| c.date.value.0 <= today)
            .collect();
        held.sort_by_key(|c| std::cmp::Reverse(c.date.value.0));
        held
    };
    let verdict = |id: &str, goal: bool| {
        held.iter()
            .find_map(|c| Some((c, c.verdict(id, goal)?)))
            .map(|(c, v)| check_view(refs, c, v))
    };
    for (i, g) in goals.as_array_mut().into_iter().flatten().enumerate() {
        let id = g["id"].as_str().unwrap_or_default().to_string();
        g["check"] = serde_json::to_value(verdict(&id, true)).unwrap_or_default();
        g["progress"] = goal_progress(refs, i);
        for st in g["strategies"].as_array_mut().into_iter().flatten() {
            let id = st["id"].as_str().unwrap_or_default().to_string();
            st["check"] = serde_json::to_value(verdict(&id, false)).unwrap_or_default();
        }
    }
    let checks: Vec<serde_json::Value> = held
        .iter()
        .map(|c| {
            let no_longer: Vec<String> = c
                .goals
                .iter()
                .chain(&c.strategies)
                .filter(|(_, v)| !v.achievable || !v.relevant)
                .map(|(k, _)| k.value.clone())
                .collect();
            serde_json::json!({
                "date": format::date(c.date.value.0),
                "reviewers": reviewer_names(refs, c),
                "judged": format!(
                    "{} and {} judged",
                    crate::diag::plural(c.goals.len(), "goal"),
                    crate::diag::plural(c.strategies.len(), "strategy")
                ),
                "questioned": no_longer,
            })
        })
        .collect();
    let cadence = refs.model.firm.strategy_checks.as_ref().map(|c| {
        let next = held
            .first()
            .map(|c0| format::date(crate::model::add_months(c0.date.value.0, c.value.months())));
        serde_json::json!({ "cadence": c.value.as_str(), "next": next })
    });
    out.page(
        "strategy.html",
        "strategy.html",
        "strategy",
        "Firm strategy",
        &serde_json::json!({ "goals": goals, "checks": checks, "cadence": cadence }),
    )
}

/// The progress of firm goal `i` against its target, per quarter and for
/// the year to date; `null` for a goal without a target.
fn goal_progress(refs: &Refs<'_>, i: usize) -> serde_json::Value {
    let m = refs.metrics;
    let (Some(goal), Some(Some(progress))) =
        (refs.model.strategy.goals.get(i), m.firm.goals.get(i))
    else {
        return serde_json::Value::Null;
    };
    let Some(target) = &goal.target else {
        return serde_json::Value::Null;
    };
    let group = match target.group() {
        "all" => String::from("all clients"),
        "tiered" => String::from("clients on the priority list"),
        "untiered" => String::from("clients off the priority list"),
        tier => format!(
            "{} clients",
            refs.tier_name(tier).unwrap_or_else(|| tier.to_string())
        ),
    };
    let show = |v: Option<f64>| match target.measure {
        crate::model::GoalMeasure::RevenueGrowth => format::percent_change(v),
        crate::model::GoalMeasure::ServiceCompliance => format::percent(v),
    };
    let status = |v: Option<f64>| match v {
        Some(v) if v >= target.at_least => "met",
        Some(_) => "missed",
        None => "",
    };
    let cells: Vec<serde_json::Value> = m
        .firm
        .quarters
        .iter()
        .zip(progress.quarters)
        .map(
            |(q, v)| serde_json::json!({ "label": q.label, "value": show(v), "status": status(v) }),
        )
        .collect();
    serde_json::json!({
        "target": format!(
            "{} of {group}: at least {}%",
            target.measure.describe(),
            format::trim_number(target.at_least)
        ),
        "cells": cells,
        "ytd": { "value": show(progress.ytd), "status": status(progress.ytd) },
    })
}

/// Who held a strategy check, by name.
fn reviewer_names(refs: &Refs<'_>, check: &crate::model::StrategyCheck) -> String {
    check
        .reviewers
        .iter()
        .map(|r| {
            refs.model
                .person(&r.value)
                .map_or_else(|| r.value.clone(), |p| p.data.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A verdict of a strategy check, for the page.
#[derive(serde::Serialize)]
struct CheckView {
    date: String,
    reviewers: String,
    achievable: bool,
    relevant: bool,
    /// "still achievable · no longer relevant".
    verdict: String,
    note: String,
}

fn check_view(
    refs: &Refs<'_>,
    check: &crate::model::StrategyCheck,
    v: &crate::model::Verdict,
) -> CheckView {
    let still = |yes: bool, what: &str| {
        if yes {
            format!("still {what}")
        } else {
            format!("no longer {what}")
        }
    };
    CheckView {
        date: format::date(check.date.value.0),
        reviewers: reviewer_names(refs, check),
        achievable: v.achievable,
        relevant: v.relevant,
        verdict: format!(
            "{} · {}",
            still(v.achievable, "achievable"),
            still(v.relevant, "relevant")
        ),
        note: v.note.clone().unwrap_or_default(),
    }
}

/// `benchmarks.html`: each tier against untiered clients (seed 003, implementing a priority list).
fn benchmarks(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let names: Vec<String> = m.firm.benchmarks.iter().map(|b| b.name.clone()).collect();
    let activity: Vec<f64> = m
        .firm
        .benchmarks
        .iter()
        .map(|b| b.activity_per_client)
        .collect();
    let benchmarks: Vec<serde_json::Value> = m
        .firm
        .benchmarks
        .iter()
        .map(|b| {
            serde_json::json!({
                "tier": b.tier, "name": b.name, "clients": b.clients,
                "activity_per_client": format!("{:.1}", b.activity_per_client),
                "revenue_ytd": money(b.revenue_ytd),
                "revenue_per_client": money(if b.clients > 0 { b.revenue_ytd / b.clients as f64 } else { 0.0 }),
                "growth": format::percent_change(b.growth),
                "products_per_client": format!("{:.1}", b.products_per_client),
                "wallet_share": b.wallet_share.map_or(String::from("–"), |w| format!("{}%", trim_number((w * 10.0).round() / 10.0))),
            })
        })
        .collect();
    let chart = charts::bars(
        "Interactions per client per quarter, by tier",
        &names,
        &[charts::Series {
            name: "interactions per client per quarter",
            values: &activity,
            class: "s1",
        }],
        &|v| format!("{v:.0}"),
    );
    out.page(
        "benchmarks.html",
        "benchmarks.html",
        "benchmarks",
        "Tier benchmarks",
        &serde_json::json!({ "benchmarks": benchmarks, "chart": chart }),
    )
}

/// `charter.html`: the charter as written, and beside each service level
/// its compliance: per item and quarter, the share of clients that met it.
fn charter(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    use crate::metrics::service::Tally;
    let model = refs.model;
    let m = refs.metrics;
    // The quarters begun, labelled by the firm figures ("Q4 (in progress)").
    let begun: Vec<u32> = (1..=4u32)
        .filter(|&q| m.firm.quarters[q as usize - 1].started)
        .collect();
    let quarters: Vec<String> = begun
        .iter()
        .map(|&q| m.firm.quarters[q as usize - 1].label.clone())
        .collect();
    let cell = compliance_cell;
    let services = service_levels(model.charter.as_ref());
    let mut levels = Vec::new();
    let mut chart_series: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (tier, name, items) in &services {
        let Some(level) = m.firm.service.iter().find(|l| l.tier.as_deref() == *tier) else {
            continue;
        };
        let rows: Vec<ComplianceRow> = items
            .iter()
            .zip(&level.items)
            .filter_map(|(item, c)| {
                let target = item.target.as_ref()?;
                let yearly = target.value.per() == crate::model::Per::Year;
                Some(ComplianceRow {
                    what: item.what.clone(),
                    target: target.value.describe(),
                    cells: if yearly {
                        Vec::new()
                    } else {
                        begun
                            .iter()
                            .map(|&q| cell(&c.quarters[q as usize - 1]))
                            .collect()
                    },
                    year: yearly.then(|| cell(&c.year)),
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        // The level's share per quarter, all its quarterly items together.
        let shares: Vec<Option<f64>> = begun
            .iter()
            .map(|&q| {
                let mut all = Tally::default();
                for c in &level.items {
                    let t = c.quarters[q as usize - 1];
                    all.met += t.met;
                    all.missed += t.missed;
                    all.in_progress += t.in_progress;
                }
                all.share()
            })
            .collect();
        chart_series.push((name.to_string(), shares));
        levels.push(LevelView {
            anchor: tier.map_or_else(|| String::from("untiered"), |t| format!("tier-{t}")),
            name: name.to_string(),
            rows,
        });
    }
    let (chart, table) = compliance_chart(&quarters, &chart_series);
    out.page(
        "charter.html",
        "charter.html",
        "charter",
        "Service charter",
        &CharterPage {
            charter: model.charter.as_ref(),
            quarters,
            levels,
            chart,
            table,
            targets: services
                .iter()
                .filter_map(|(tier, _, items)| Some(((*tier)?.to_string(), described(items))))
                .collect(),
            untiered_targets: services
                .iter()
                .find(|(tier, _, _)| tier.is_none())
                .map_or_else(Vec::new, |(_, _, items)| described(items)),
        },
    )
}

#[derive(Serialize)]
struct CharterPage<'a> {
    charter: Option<&'a crate::model::Charter>,
    /// The quarters of the fiscal year begun, as column heads.
    quarters: Vec<String>,
    /// Each service level with a measured item.
    levels: Vec<LevelView>,
    chart: Option<String>,
    /// The chart's data: a level's name, then its share per quarter.
    table: Vec<Vec<String>>,
    /// Per tier id, each service item's target in words, empty where none
    /// is set.
    targets: std::collections::BTreeMap<String, Vec<String>>,
    /// The same for the untiered service level.
    untiered_targets: Vec<String>,
}

#[derive(Serialize)]
struct LevelView {
    anchor: String,
    name: String,
    rows: Vec<ComplianceRow>,
}

#[derive(Serialize)]
struct ComplianceRow {
    what: String,
    target: String,
    cells: Vec<ComplianceCell>,
    year: Option<ComplianceCell>,
}

#[derive(Serialize)]
struct ComplianceCell {
    share: String,
    detail: String,
}

/// Each item's target in words, empty where it has none.
fn described(items: &[crate::model::ServiceItem]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.target
                .as_ref()
                .map_or_else(String::new, |t| t.value.describe())
        })
        .collect()
}

/// A compliance cell: the share met of those decided, and the counts.
fn compliance_cell(t: &crate::metrics::service::Tally) -> ComplianceCell {
    ComplianceCell {
        share: t.share().map_or_else(String::new, |s| format!("{s:.0}%")),
        detail: match (t.total(), t.in_progress) {
            (0, _) => String::from("none judged"),
            (n, 0) => format!("{} of {} met", t.met, crate::diag::plural(n, "client")),
            (n, running) => format!(
                "{} met, {} missed, {running} in progress of {n}",
                t.met, t.missed
            ),
        },
    }
}

/// Each service level of the charter: the tier (`None` for untiered), its
/// name and its items.
fn service_levels(
    charter: Option<&crate::model::Charter>,
) -> Vec<(Option<&str>, &str, &[crate::model::ServiceItem])> {
    charter
        .into_iter()
        .flat_map(|c| {
            c.tiers
                .iter()
                .map(|t| {
                    (
                        Some(t.id.value.as_str()),
                        t.name.as_str(),
                        t.service.as_slice(),
                    )
                })
                .chain(
                    c.untiered
                        .iter()
                        .map(|u| (None, u.name.as_str(), u.service.as_slice())),
                )
        })
        .collect()
}

/// The chart of each level's share met per quarter, and its data table.
fn compliance_chart(
    quarters: &[String],
    chart_series: &[(String, Vec<Option<f64>>)],
) -> (Option<String>, Vec<Vec<String>>) {
    const CLASSES: [&str; 5] = ["s1", "s2", "s3", "s4", "s5"];
    // A quarter with nothing decided yet has no bar; its cell says so.
    let values: Vec<Vec<f64>> = chart_series
        .iter()
        .map(|(_, v)| v.iter().map(|s| s.unwrap_or(0.0)).collect())
        .collect();
    let series: Vec<charts::Series<'_>> = chart_series
        .iter()
        .zip(&values)
        .zip(CLASSES.iter().cycle())
        .map(|(((name, _), values), class)| charts::Series {
            name,
            values,
            class,
        })
        .collect();
    let chart = (!series.is_empty() && !quarters.is_empty()).then(|| {
        charts::bars(
            "Share of measured service met, per service level and quarter",
            quarters,
            &series,
            &|v| format!("{v:.0}%"),
        )
    });
    let table: Vec<Vec<String>> = chart_series
        .iter()
        .map(|(name, values)| {
            std::iter::once(name.clone())
                .chain(values.iter().map(|v| {
                    v.map_or_else(|| String::from("none decided yet"), |v| format!("{v:.0}%"))
                }))
                .collect()
        })
        .collect();
    (chart, table)
}
