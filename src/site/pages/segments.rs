//! `segments.html` and a page per segment value: clients, revenue and
//! activity by `segment`, then each dimension firm.yaml declares drilled
//! down value by value (clients, revenue and growth, contribution, wallet
//! share, service compliance, with a chart), and under
//! `segments/<dimension>/<value>.html` the clients of one value.

use serde::Serialize;

use super::super::views::{ClientRef, PersonRef, Refs};
use super::super::{charts, format, Out, SiteError};
use crate::metrics::segments::{Dimension, ValueFigures};

#[derive(Serialize)]
struct Page {
    segments: Vec<serde_json::Value>,
    dimensions: Vec<DimensionView>,
}

#[derive(Serialize)]
struct DimensionView {
    id: String,
    name: String,
    chart: String,
    rows: Vec<ValueRow>,
}

#[derive(Serialize)]
struct ValueRow {
    /// The value, or "(none)".
    name: String,
    /// Root-relative, for a declared value.
    url: Option<String>,
    clients: usize,
    revenue_ytd: String,
    growth: String,
    contribution: String,
    wallet_share: String,
    service: String,
}

#[derive(Serialize)]
struct ValuePage {
    dimension: String,
    value: String,
    row: ValueRow,
    clients: Vec<ClientRow>,
}

#[derive(Serialize)]
struct ClientRow {
    client: ClientRef,
    owner: Option<PersonRef>,
    revenue_ytd: String,
    growth: String,
    contribution: String,
    service: String,
}

fn value_url(dimension: &str, value: &str) -> String {
    format!("segments/{dimension}/{value}.html")
}

fn row(refs: &Refs<'_>, d: &Dimension, v: &ValueFigures) -> ValueRow {
    let money = |x: f64| format::money(x, &refs.model.firm.currency);
    ValueRow {
        name: v.value.clone().unwrap_or_else(|| String::from("(none)")),
        url: v.value.as_ref().map(|value| value_url(&d.id, value)),
        clients: v.clients.len(),
        revenue_ytd: money(v.revenue_ytd),
        growth: format::percent_change(v.growth()),
        contribution: money(v.contribution_ytd),
        wallet_share: format::percent(v.wallet_share()),
        service: format::percent(v.service_compliance()),
    }
}

pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
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
    let dimensions = m
        .firm
        .dimensions
        .iter()
        .map(|d| {
            let rows: Vec<ValueRow> = d.values.iter().map(|v| row(refs, d, v)).collect();
            let labels: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
            let revenue: Vec<f64> = d.values.iter().map(|v| v.revenue_ytd).collect();
            let contribution: Vec<f64> = d.values.iter().map(|v| v.contribution_ytd).collect();
            let chart = charts::bars(
                &format!(
                    "Revenue and contribution to date by {}",
                    d.name.to_lowercase()
                ),
                &labels,
                &[
                    charts::Series {
                        name: "Revenue to date",
                        values: &revenue,
                        class: "s1",
                    },
                    charts::Series {
                        name: "Contribution to date",
                        values: &contribution,
                        class: "s2",
                    },
                ],
                &|v| format::money_short(v, currency),
            );
            DimensionView {
                id: d.id.clone(),
                name: d.name.clone(),
                chart,
                rows,
            }
        })
        .collect();
    out.page(
        "segments.html",
        "segments.html",
        "segments",
        "Segments",
        &Page {
            segments,
            dimensions,
        },
    )?;
    for d in &m.firm.dimensions {
        for v in &d.values {
            let Some(value) = &v.value else { continue };
            value_page(out, refs, d, v, value)?;
        }
    }
    Ok(())
}

/// `segments/<dimension>/<value>.html`: the clients of one value.
fn value_page(
    out: &Out<'_>,
    refs: &Refs<'_>,
    d: &Dimension,
    v: &ValueFigures,
    value: &str,
) -> Result<(), SiteError> {
    let model = refs.model;
    let money = |x: f64| format::money(x, &model.firm.currency);
    let mut clients: Vec<ClientRow> = v
        .clients
        .iter()
        .map(|&i| {
            let c = &model.clients[i];
            let f = refs.metrics.client(i);
            let met = f
                .standing
                .iter()
                .filter(|(_, rag)| *rag == crate::metrics::Rag::Green)
                .count();
            ClientRow {
                client: refs.client(c),
                owner: refs.owner(c),
                revenue_ytd: money(f.revenue_ytd),
                growth: format::percent_change(super::super::super::metrics::against(
                    f.revenue_ytd,
                    f.revenue_last_ytd,
                )),
                contribution: money(f.profit.contribution_ytd()),
                service: if f.standing.is_empty() {
                    String::from("not measured")
                } else {
                    format!("{met} of {} on track", f.standing.len())
                },
            }
        })
        .collect();
    clients.sort_by(|a, b| a.client_name().cmp(b.client_name()));
    let page = ValuePage {
        dimension: d.name.clone(),
        value: value.to_string(),
        row: row(refs, d, v),
        clients,
    };
    out.page(
        &value_url(&d.id, value),
        "segment.html",
        "segments",
        &format!("{}: {value}", d.name),
        &page,
    )
}

impl ClientRow {
    fn client_name(&self) -> &str {
        self.client.name()
    }
}
