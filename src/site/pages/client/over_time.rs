//! The client page's "Over time" section: depth and penetration per
//! quarter as two charts, and the quarterly series they come from as a
//! table (seed 003: "monitoring of changes in depth of relationship and
//! penetration over time").

use serde::Serialize;

use super::super::super::views::Refs;
use super::super::super::{charts, format};
use crate::metrics::series::ClientSeries;
use crate::model::ActivityType;

#[derive(Serialize)]
pub struct OverTime {
    pub depth_chart: String,
    pub penetration_chart: String,
    pub rows: Vec<SeriesRow>,
    /// How many products the firm offers.
    pub offered: usize,
    /// Whether a dataset gives the client's market share.
    pub market_share: bool,
    /// Volume, order size and price per product and quarter, newest
    /// quarter first, for the last [`TRADE_QUARTERS`].
    pub trades: Vec<TradeRow>,
    /// Whether earlier quarters had trades too (in `exports/trades.csv`).
    pub trades_earlier: bool,
}

/// One product in one quarter, formatted.
#[derive(Serialize)]
pub struct TradeRow {
    pub product: String,
    pub quarter: String,
    pub volume: String,
    pub orders: String,
    pub order_size: String,
    pub price: String,
    pub price_change: String,
}

/// One quarter, formatted.
#[derive(Serialize)]
pub struct SeriesRow {
    pub quarter: String,
    pub interactions: u32,
    pub meetings_calls: u32,
    pub contacts: u32,
    pub colleagues: u32,
    pub depth: u32,
    pub products: u32,
    pub product_penetration: String,
    pub revenue: String,
    pub growth: String,
    pub wallet_share: String,
    /// From the dataset marked `kpi: market-share`.
    pub market_share: String,
    pub allies: u32,
    pub opponents: u32,
    pub service: String,
}

pub fn over_time(refs: &Refs<'_>, s: &ClientSeries, currency: &str) -> Option<OverTime> {
    if s.quarters.is_empty() {
        return None;
    }
    let offered = refs.metrics.products_offered;
    let depth: Vec<f64> = s.quarters.iter().map(|q| f64::from(q.depth)).collect();
    let products: Vec<f64> = (0..s.quarters.len())
        .map(|q| s.product_penetration(q, offered).unwrap_or(0.0))
        .collect();
    let wallet: Vec<f64> = (0..s.quarters.len())
        .map(|q| s.wallet_share(q).unwrap_or(0.0))
        .collect();
    let labels = &refs.quarters;
    let depth_chart = charts::bars(
        "Depth: colleague–contact meetings by quarter",
        labels,
        &[charts::Series {
            name: "Colleague–contact meetings",
            values: &depth,
            class: "s1",
        }],
        &|v| format!("{v:.0}"),
    );
    let mut lines = vec![charts::Series {
        name: "Products bought of those offered",
        values: &products,
        class: "s1",
    }];
    let share: Vec<f64> = (0..s.quarters.len())
        .map(|q| s.market_share(q).unwrap_or(0.0))
        .collect();
    if s.market_share.iter().any(Option::is_some) {
        lines.push(charts::Series {
            name: "Market share",
            values: &share,
            class: "s3",
        });
    }
    if s.has_wallet() {
        lines.push(charts::Series {
            name: "Last four quarters' revenue of the wallet",
            values: &wallet,
            class: "s2",
        });
    }
    let penetration_chart =
        charts::line("Penetration by quarter, in percent", labels, &lines, &|v| {
            format!("{v:.0}%")
        });
    let rows = s
        .quarters
        .iter()
        .enumerate()
        .map(|(i, q)| SeriesRow {
            quarter: labels.get(i).cloned().unwrap_or_default(),
            interactions: q.interactions(),
            meetings_calls: q.of_type(ActivityType::Meeting) + q.of_type(ActivityType::Call),
            contacts: q.contacts,
            colleagues: q.colleagues,
            depth: q.depth,
            products: q.products,
            product_penetration: format::percent(s.product_penetration(i, offered)),
            revenue: format::money(q.revenue, currency),
            growth: format::percent_change(s.revenue_growth(i)),
            wallet_share: format::percent(s.wallet_share(i)),
            market_share: s
                .market_share(i)
                .map_or_else(|| String::from("–"), |v| format!("{v:.1}%")),
            allies: q.allies,
            opponents: q.opponents,
            service: format::percent(q.service_compliance()),
        })
        .collect();
    Some(OverTime {
        depth_chart,
        penetration_chart,
        rows,
        offered,
        market_share: s.market_share.iter().any(Option::is_some),
        trades: trade_rows(refs, s, currency),
        trades_earlier: s
            .trades
            .iter()
            .any(|t| t.quarter + TRADE_QUARTERS < s.quarters.len()),
    })
}

/// The quarters the client page lists trades of: the last four, to the
/// quarter in progress; `exports/trades.csv` has them all.
pub const TRADE_QUARTERS: usize = 4;

fn trade_rows(refs: &Refs<'_>, s: &ClientSeries, currency: &str) -> Vec<TradeRow> {
    let units = |v: f64| format::data_value(v, crate::model::DataUnit::Count, currency);
    let first = s.quarters.len().saturating_sub(TRADE_QUARTERS);
    let mut rows: Vec<(usize, TradeRow)> = s
        .trades
        .iter()
        .enumerate()
        .filter(|(_, t)| t.quarter >= first)
        .map(|(i, t)| {
            let row = TradeRow {
                product: t.product.clone(),
                quarter: refs.quarters.get(t.quarter).cloned().unwrap_or_default(),
                volume: units(t.volume.round()),
                orders: format::trim_number(t.orders),
                order_size: t
                    .order_size()
                    .map_or_else(|| String::from("–"), |v| units(v.round())),
                price: t
                    .average_price()
                    .map_or_else(|| String::from("–"), |p| format::unit_price(p, currency)),
                price_change: format::percent_change(s.price_change(i)),
            };
            (t.quarter, row)
        })
        .collect();
    // Newest quarter first; products in order within it.
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    rows.into_iter().map(|(_, r)| r).collect()
}
