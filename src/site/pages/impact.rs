//! `impact.html`: is the priority list working? Tiers against untiered
//! clients per quarter, and an event study of entering the list (seed 003,
//! implementing a priority list). Every figure comes from
//! [`crate::metrics::impact`]; this only formats and charts them.

use serde::Serialize;

use super::super::views::Refs;
use super::super::{charts, format, Out, SiteError};
use crate::metrics::impact::{EventQuarter, Group, GroupQuarter, Impact, MIN_CLIENTS};

#[derive(Serialize)]
struct Page {
    min_clients: usize,
    groups: Groups,
    entrants: usize,
    never_listed: usize,
    events: Events,
}

/// Tiers against untiered clients: two charts and the table.
#[derive(Serialize)]
struct Groups {
    revenue_chart: Option<String>,
    interactions_chart: Option<String>,
    /// Groups left out of the charts for a quarter with too few clients.
    not_charted: Vec<String>,
    rows: Vec<GroupRow>,
}

/// The event study: two charts and the table.
#[derive(Serialize)]
struct Events {
    revenue_chart: Option<String>,
    interactions_chart: Option<String>,
    rows: Vec<EventRow>,
}

#[derive(Serialize)]
struct GroupRow {
    quarter: String,
    /// Whether this is the first row of its quarter.
    first: bool,
    tier: Option<String>,
    name: String,
    clients: usize,
    enough: bool,
    revenue_per_client: String,
    growth: String,
    interactions_per_client: String,
    depth_per_client: String,
    product_penetration: String,
    wallet_share: String,
    revenue_index: String,
    interactions_index: String,
    depth_index: String,
}

#[derive(Serialize)]
struct EventRow {
    label: String,
    entrants: usize,
    revenue: String,
    untiered_revenue: String,
    interactions: String,
    untiered_interactions: String,
}

fn one_decimal(v: Option<f64>) -> String {
    v.map_or_else(|| String::from("–"), |v| format!("{v:.1}"))
}

fn whole(v: Option<f64>) -> String {
    v.map_or_else(|| String::from("–"), |v| format!("{v:.0}"))
}

/// A line chart of each group whose every quarter has a figure.
fn group_chart(
    title: &str,
    labels: &[String],
    groups: &[Group],
    series: &[Vec<Option<f64>>],
) -> (Option<String>, Vec<String>) {
    let classes = ["s1", "s2", "s3", "s4", "s5", "s6"];
    let mut kept: Vec<(String, Vec<f64>)> = Vec::new();
    let mut left = Vec::new();
    for (g, values) in groups.iter().zip(series) {
        match values.iter().copied().collect::<Option<Vec<f64>>>() {
            Some(v) if !v.is_empty() => kept.push((g.name.clone(), v)),
            _ => left.push(g.name.clone()),
        }
    }
    if kept.is_empty() {
        return (None, left);
    }
    let lines: Vec<charts::Series<'_>> = kept
        .iter()
        .enumerate()
        .map(|(i, (name, values))| charts::Series {
            name,
            values,
            class: classes[i % classes.len()],
        })
        .collect();
    let chart = charts::line(title, labels, &lines, &|v| format!("{v:.0}"));
    (Some(chart), left)
}

pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let impact = &refs.metrics.firm.impact;
    let page = Page {
        min_clients: MIN_CLIENTS,
        groups: groups(refs, impact),
        entrants: impact.entrants,
        never_listed: impact.never_listed,
        events: events(impact),
    };
    out.page(
        "impact.html",
        "impact.html",
        "impact",
        "Program impact",
        &page,
    )
}

fn groups(refs: &Refs<'_>, impact: &Impact) -> Groups {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let labels: Vec<String> = impact
        .quarters
        .iter()
        .map(|&q| m.span.label(refs.model, q))
        .collect();
    let indexed = |value: fn(&GroupQuarter) -> Option<f64>| -> Vec<Vec<Option<f64>>> {
        impact.groups.iter().map(|g| g.indexed(value)).collect()
    };
    let revenue = indexed(GroupQuarter::revenue_per_client);
    let interactions = indexed(GroupQuarter::interactions_per_client);
    let depth = indexed(GroupQuarter::depth_per_client);
    let (revenue_chart, mut not_charted) = group_chart(
        "Revenue per client by quarter, indexed to the first quarter (= 100)",
        &labels,
        &impact.groups,
        &revenue,
    );
    let (interactions_chart, left) = group_chart(
        "Interactions per client by quarter, indexed to the first quarter (= 100)",
        &labels,
        &impact.groups,
        &interactions,
    );
    not_charted.extend(left);
    not_charted.sort();
    not_charted.dedup();
    let mut rows = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        for (gi, g) in impact.groups.iter().enumerate() {
            let q = &g.quarters[i];
            rows.push(GroupRow {
                quarter: label.clone(),
                first: gi == 0,
                tier: g.tier.clone(),
                name: g.name.clone(),
                clients: q.clients,
                enough: q.enough(),
                revenue_per_client: q
                    .revenue_per_client()
                    .map_or_else(|| String::from("–"), |v| format::money(v, currency)),
                growth: format::percent_change(q.growth()),
                interactions_per_client: one_decimal(q.interactions_per_client()),
                depth_per_client: one_decimal(q.depth_per_client()),
                product_penetration: format::percent(q.product_penetration()),
                wallet_share: format::percent(q.wallet_share()),
                revenue_index: whole(revenue[gi][i]),
                interactions_index: whole(interactions[gi][i]),
                depth_index: whole(depth[gi][i]),
            });
        }
    }
    Groups {
        revenue_chart,
        interactions_chart,
        not_charted,
        rows,
    }
}

fn events(impact: &Impact) -> Events {
    let rows: Vec<EventRow> = impact
        .events
        .iter()
        .filter(|e| e.entrants > 0)
        .map(|e| EventRow {
            label: offset_label(e.offset),
            entrants: e.entrants,
            revenue: whole(e.revenue),
            untiered_revenue: whole(e.untiered_revenue),
            interactions: whole(e.interactions),
            untiered_interactions: whole(e.untiered_interactions),
        })
        .collect();
    // Charted where every figure is given.
    let drawn: Vec<&EventQuarter> = impact
        .events
        .iter()
        .filter(|e| {
            e.revenue.is_some()
                && e.untiered_revenue.is_some()
                && e.interactions.is_some()
                && e.untiered_interactions.is_some()
        })
        .collect();
    let labels: Vec<String> = drawn.iter().map(|e| offset_label(e.offset)).collect();
    let chart = |title: &str,
                 ours: fn(&EventQuarter) -> Option<f64>,
                 theirs: fn(&EventQuarter) -> Option<f64>| {
        if drawn.len() < 2 {
            return None;
        }
        let entrants: Vec<f64> = drawn.iter().map(|e| ours(e).unwrap_or(0.0)).collect();
        let never: Vec<f64> = drawn.iter().map(|e| theirs(e).unwrap_or(0.0)).collect();
        Some(charts::line(
            title,
            &labels,
            &[
                charts::Series {
                    name: "Clients that entered the list",
                    values: &entrants,
                    class: "s1",
                },
                charts::Series {
                    name: "Clients never on the list",
                    values: &never,
                    class: "s2",
                },
            ],
            &|v| format!("{v:.0}"),
        ))
    };
    Events {
        revenue_chart: chart(
            "Revenue around entering the list, quarter of entry = 100",
            |e| e.revenue,
            |e| e.untiered_revenue,
        ),
        interactions_chart: chart(
            "Interactions around entering the list, quarter of entry = 100",
            |e| e.interactions,
            |e| e.untiered_interactions,
        ),
        rows,
    }
}

/// `quarter of entry`, `1 before`, `2 after`.
fn offset_label(offset: i32) -> String {
    match offset {
        0 => String::from("Quarter of entry"),
        n if n < 0 => format!("{} before", -n),
        n => format!("{n} after"),
    }
}
