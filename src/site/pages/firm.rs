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
    vs_budget: String,
    meetings: u32,
    calls: u32,
    activities: u32,
    reviews: u32,
    started: bool,
}

/// The firm pages: quarterly metrics, the charter, the firm strategy,
/// segments and tier benchmarks.
pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    quarterly_metrics(out, refs)?;
    out.page(
        "charter.html",
        "charter.html",
        "charter",
        "Service charter",
        &serde_json::json!({ "charter": refs.model.charter }),
    )?;
    strategy(out, refs)?;
    segments(out, refs)?;
    benchmarks(out, refs)
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
            vs_budget: format::percent_change(q.vs_budget()),
            meetings: q.meetings,
            calls: q.calls,
            activities: q.activities,
            reviews: q.reviews,
            started: q.started,
        })
        .collect();
    let labels: Vec<String> = m.firm.quarters.iter().map(|q| q.label.clone()).collect();
    let revenue: Vec<f64> = m.firm.quarters.iter().map(|q| q.revenue).collect();
    let budget: Vec<f64> = m.firm.quarters.iter().map(|q| q.budget).collect();
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
                name: "Budget",
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
    out.page(
        "strategy.html",
        "strategy.html",
        "strategy",
        "Firm strategy",
        &serde_json::json!({ "goals": goals }),
    )
}

/// `segments.html`: clients, revenue and activity by segment.
fn segments(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let segments: Vec<serde_json::Value> = m
        .firm
        .segments
        .iter()
        .map(|s| {
            serde_json::json!({
                "segment": s.segment, "clients": s.clients, "tiered": s.tiered,
                "revenue_ytd": money(s.revenue_ytd), "revenue_last_ytd": money(s.revenue_last_ytd),
                "growth": format::percent_change(s.growth), "activities": s.activities,
            })
        })
        .collect();
    out.page(
        "segments.html",
        "segments.html",
        "segments",
        "Segments",
        &serde_json::json!({ "segments": segments }),
    )
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
