//! `kpis.html`: client KPIs in aggregate per tier and per segment value —
//! revenue per client, volume and order size, price change, wallet share
//! and market share — the last finished quarter against the one before,
//! and per tier quarter by quarter with charts. Every figure comes from
//! [`crate::metrics::kpis`].

use serde::Serialize;

use super::super::views::Refs;
use super::super::{charts, format, Out, SiteError};
use crate::metrics::kpis::{KpiGroup, KpiQuarter};

#[derive(Serialize)]
struct Page {
    /// The last finished quarter and the one before, or `None` before a
    /// quarter has finished.
    quarter: Option<String>,
    /// The quarter before it, or "the quarter before" outside the data.
    before: String,
    tiers: Vec<Row>,
    dimensions: Vec<Dimension>,
    revenue_chart: Option<String>,
    wallet_chart: Option<String>,
    market_chart: Option<String>,
    /// Per tier, every quarter.
    history: Vec<HistoryRow>,
    products: Vec<ProductView>,
}

#[derive(Serialize)]
struct Dimension {
    name: String,
    rows: Vec<Row>,
}

/// A group's last finished quarter, each figure with its move from the
/// quarter before.
#[derive(Serialize)]
struct Row {
    name: String,
    tier: Option<String>,
    url: Option<String>,
    clients: usize,
    revenue_per_client: Figure,
    orders: Figure,
    price_change: String,
    wallet_share: Figure,
    market_share: Figure,
}

/// A figure and its trend: `up`, `down` or `flat`, and by how much.
#[derive(Serialize)]
struct Figure {
    value: String,
    trend: &'static str,
    change: String,
}

#[derive(Serialize)]
struct HistoryRow {
    quarter: String,
    first: bool,
    name: String,
    tier: Option<String>,
    clients: usize,
    revenue_per_client: String,
    orders: String,
    price_change: String,
    wallet_share: String,
    market_share: String,
}

/// One product's trading by tier in the last finished quarter.
#[derive(Serialize)]
struct ProductView {
    product: String,
    rows: Vec<ProductRow>,
}

#[derive(Serialize)]
struct ProductRow {
    name: String,
    tier: Option<String>,
    clients: usize,
    volume: Figure,
    orders: String,
    order_size: Figure,
    price: Figure,
    price_change: String,
}

/// A figure in percent or in units, its change in points or in percent.
fn figure(
    now: Option<f64>,
    before: Option<f64>,
    show: &dyn Fn(f64) -> String,
    points: bool,
) -> Figure {
    let value = now.map_or_else(|| String::from("–"), show);
    let (Some(n), Some(b)) = (now, before) else {
        return Figure {
            value,
            trend: "flat",
            change: String::new(),
        };
    };
    let change = if points {
        Some(n - b)
    } else {
        crate::metrics::against(n, b)
    };
    let trend = match change {
        Some(c) if c > 0.05 => "up",
        Some(c) if c < -0.05 => "down",
        _ => "flat",
    };
    Figure {
        value,
        trend,
        change: change.map_or_else(String::new, |c| {
            if c.abs() < 0.05 {
                String::from(if points { "±0.0 pts" } else { "±0.0%" })
            } else if points {
                format!("{c:+.1} pts")
            } else {
                format!("{c:+.1}%")
            }
        }),
    }
}

fn row(refs: &Refs<'_>, g: &KpiGroup, q: usize) -> Row {
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let units = |v: f64| format::data_value(v.round(), crate::model::DataUnit::Count, currency);
    let pct = |v: f64| format!("{v:.1}%");
    let now = &g.quarters[q];
    let before = q.checked_sub(1).map(|b| &g.quarters[b]);
    let was = |f: fn(&KpiQuarter) -> Option<f64>| before.and_then(f);
    Row {
        name: g.name.clone(),
        tier: g.tier.clone(),
        url: g
            .segment
            .as_ref()
            .map(|(d, v)| format!("segments/{d}/{v}.html")),
        clients: now.clients,
        revenue_per_client: figure(
            now.revenue_per_client(),
            was(KpiQuarter::revenue_per_client),
            &money,
            false,
        ),
        orders: figure(
            (now.orders > 0.0).then_some(now.orders),
            before.and_then(|b| (b.orders > 0.0).then_some(b.orders)),
            &units,
            false,
        ),
        price_change: format::percent_change(now.price_change()),
        wallet_share: figure(
            now.wallet_share(),
            was(KpiQuarter::wallet_share),
            &pct,
            true,
        ),
        market_share: figure(
            now.market_share(),
            was(KpiQuarter::market_share),
            &pct,
            true,
        ),
    }
}

pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let kpis = &refs.metrics.firm.kpis;
    let span = refs.metrics.span;
    // The last finished quarter: the span's last is in progress.
    let last = (span.len >= 2).then(|| span.len - 2);
    let labels = &refs.quarters;
    let page = Page {
        quarter: last.and_then(|q| labels.get(q).cloned()),
        before: last
            .and_then(|q| q.checked_sub(1))
            .and_then(|q| labels.get(q).cloned())
            .unwrap_or_else(|| String::from("the quarter before")),
        tiers: last.map_or_else(Vec::new, |q| {
            kpis.tiers.iter().map(|g| row(refs, g, q)).collect()
        }),
        dimensions: kpis
            .dimensions
            .iter()
            .map(|(name, groups)| Dimension {
                name: name.clone(),
                rows: last.map_or_else(Vec::new, |q| {
                    groups.iter().map(|g| row(refs, g, q)).collect()
                }),
            })
            .collect(),
        revenue_chart: chart(
            refs,
            "Revenue per client by tier",
            KpiQuarter::revenue_per_client,
            &|v| format::money_short(v, &refs.model.firm.currency),
        ),
        wallet_chart: chart(
            refs,
            "Wallet share by tier, in percent",
            KpiQuarter::wallet_share,
            &|v| format!("{v:.0}%"),
        ),
        market_chart: chart(
            refs,
            "Average market share by tier, in percent",
            KpiQuarter::market_share,
            &|v| format!("{v:.0}%"),
        ),
        history: history(refs),
        products: last.map_or_else(Vec::new, |q| products(refs, q)),
    };
    out.page("kpis.html", "kpis.html", "kpis", "Client KPIs", &page)
}

/// One line per tier over the quarters; `None` when no tier has the figure.
fn chart(
    refs: &Refs<'_>,
    title: &str,
    of: fn(&KpiQuarter) -> Option<f64>,
    fmt: &dyn Fn(f64) -> String,
) -> Option<String> {
    let tiers = &refs.metrics.firm.kpis.tiers;
    let values: Vec<Vec<f64>> = tiers
        .iter()
        .map(|g| g.quarters.iter().map(|q| of(q).unwrap_or(0.0)).collect())
        .collect();
    let any = tiers
        .iter()
        .any(|g| g.quarters.iter().any(|q| of(q).is_some()));
    if !any {
        return None;
    }
    const CLASSES: [&str; 5] = ["s1", "s2", "s3", "s4", "s5"];
    let series: Vec<charts::Series<'_>> = tiers
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (g, v))| charts::Series {
            name: &g.name,
            values: v,
            class: CLASSES[i % CLASSES.len()],
        })
        .collect();
    Some(charts::line(title, &refs.quarters, &series, fmt))
}

fn history(refs: &Refs<'_>) -> Vec<HistoryRow> {
    let currency = refs.model.firm.currency.as_str();
    let tiers = &refs.metrics.firm.kpis.tiers;
    let mut rows = Vec::new();
    for (q, label) in refs.quarters.iter().enumerate().rev() {
        for (k, g) in tiers.iter().enumerate() {
            let x = &g.quarters[q];
            let units =
                |v: f64| format::data_value(v.round(), crate::model::DataUnit::Count, currency);
            rows.push(HistoryRow {
                quarter: label.clone(),
                first: k == 0,
                name: g.name.clone(),
                tier: g.tier.clone(),
                clients: x.clients,
                revenue_per_client: x
                    .revenue_per_client()
                    .map_or_else(|| String::from("–"), |v| format::money(v, currency)),
                orders: if x.orders > 0.0 {
                    units(x.orders)
                } else {
                    String::from("–")
                },
                price_change: format::percent_change(x.price_change()),
                wallet_share: x
                    .wallet_share()
                    .map_or_else(|| String::from("–"), |v| format!("{v:.1}%")),
                market_share: x
                    .market_share()
                    .map_or_else(|| String::from("–"), |v| format!("{v:.1}%")),
            });
        }
    }
    rows
}

/// Per product with units, each tier's volume, orders, order size and
/// average price in quarter `q`, against the quarter before.
fn products(refs: &Refs<'_>, q: usize) -> Vec<ProductView> {
    let kpis = &refs.metrics.firm.kpis;
    let currency = refs.model.firm.currency.as_str();
    let units = |v: f64| format::data_value(v.round(), crate::model::DataUnit::Count, currency);
    let price = |v: f64| format::unit_price(v, currency);
    kpis.products
        .iter()
        .map(|(product, tiers)| ProductView {
            product: product.clone(),
            rows: tiers
                .iter()
                .zip(&kpis.tiers)
                .filter(|(sums, _)| sums[q].clients > 0)
                .map(|(sums, g)| {
                    let (now, before) = (&sums[q], q.checked_sub(1).map(|b| &sums[b]));
                    let traded =
                        |t: &crate::metrics::kpis::TradeSum| (t.orders > 0.0).then_some(t.volume);
                    ProductRow {
                        name: g.name.clone(),
                        tier: g.tier.clone(),
                        clients: now.clients,
                        volume: figure(traded(now), before.and_then(traded), &units, false),
                        orders: format::trim_number((now.orders * 10.0).round() / 10.0),
                        order_size: figure(
                            now.order_size(),
                            before.and_then(|b| b.order_size()),
                            &units,
                            false,
                        ),
                        price: figure(
                            now.average_price(),
                            before.and_then(|b| b.average_price()),
                            &price,
                            false,
                        ),
                        price_change: format::percent_change(now.price_change()),
                    }
                })
                .collect(),
        })
        .filter(|p| !p.rows.is_empty())
        .collect()
}
