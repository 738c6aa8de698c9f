//! Client KPIs in aggregate (seed 002: "client-specific KPIs ... volume
//! and order size, movements versus peers, pricing changes, and changes in
//! wallet size and market share"): per tier and per segment value, quarter
//! by quarter, from the clients' own series. A client counts in the tier
//! and the segments it has today.

use super::series::Span;
use super::ClientFigures;
use crate::model::{Client, Model};

/// One group's quarter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KpiQuarter {
    pub clients: usize,
    pub revenue: f64,
    /// Transactions of the revenue lines that give units.
    pub orders: f64,
    /// Four quarters' revenue and the wallets, of clients with a wallet.
    pub revenue_4q: f64,
    pub wallet: f64,
    /// Market shares of the clients with one, summed, and how many.
    pub market_share_sum: f64,
    pub market_shares: usize,
    /// Price changes of the products traded in the quarter and the
    /// quarter before, weighted by the quarter's amount.
    pub price_change_sum: f64,
    pub price_weight: f64,
}

impl KpiQuarter {
    pub fn revenue_per_client(&self) -> Option<f64> {
        (self.clients > 0).then(|| self.revenue / self.clients as f64)
    }

    pub fn wallet_share(&self) -> Option<f64> {
        (self.wallet > 0.0).then(|| self.revenue_4q / self.wallet * 100.0)
    }

    /// The average market share of the clients with one.
    pub fn market_share(&self) -> Option<f64> {
        (self.market_shares > 0).then(|| self.market_share_sum / self.market_shares as f64)
    }

    /// The amount-weighted average price change, in percent.
    pub fn price_change(&self) -> Option<f64> {
        (self.price_weight > 0.0).then(|| self.price_change_sum / self.price_weight)
    }

    fn add(&mut self, f: &ClientFigures, q: usize) {
        let s = &f.series;
        self.clients += 1;
        self.revenue += s.quarters.get(q).map_or(0.0, |x| x.revenue);
        self.orders += s.orders(q);
        if let (Some(w), Some(r)) = (s.wallet(q), s.revenue_4q(q)) {
            self.wallet += w;
            self.revenue_4q += r;
        }
        if let Some(m) = s.market_share(q) {
            self.market_share_sum += m;
            self.market_shares += 1;
        }
        for (i, t) in s.trades.iter().enumerate().filter(|(_, t)| t.quarter == q) {
            if let Some(change) = s.price_change(i) {
                self.price_change_sum += change * t.amount;
                self.price_weight += t.amount;
            }
        }
    }
}

/// A tier, the untiered clients, or a segment value.
#[derive(Clone, Debug, Default)]
pub struct KpiGroup {
    pub name: String,
    pub tier: Option<String>,
    /// `(dimension, value)` of a segment value.
    pub segment: Option<(String, String)>,
    /// Parallel to the span.
    pub quarters: Vec<KpiQuarter>,
}

#[derive(Clone, Debug, Default)]
pub struct Kpis {
    /// Each tier of the charter, then the clients on none.
    pub tiers: Vec<KpiGroup>,
    /// Per segment dimension, its name and a group per value.
    pub dimensions: Vec<(String, Vec<KpiGroup>)>,
    /// Per product with units, by tier (parallel to `tiers`) and quarter:
    /// volumes of different products are not added together.
    pub products: Vec<(String, Vec<Vec<TradeSum>>)>,
}

/// A tier's trading in one product and quarter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TradeSum {
    pub clients: usize,
    pub volume: f64,
    pub orders: f64,
    pub amount: f64,
    pub price_change_sum: f64,
    pub price_weight: f64,
}

impl TradeSum {
    pub fn order_size(&self) -> Option<f64> {
        (self.orders > 0.0).then(|| self.volume / self.orders)
    }

    pub fn average_price(&self) -> Option<f64> {
        (self.volume > 0.0).then(|| self.amount / self.volume)
    }

    /// The amount-weighted average of the clients' price changes.
    pub fn price_change(&self) -> Option<f64> {
        (self.price_weight > 0.0).then(|| self.price_change_sum / self.price_weight)
    }
}

/// Which of `tiers` a client is in: its tier's index, else the last
/// (the clients on none).
fn tier_index(model: &Model, c: &Client, tiers: usize) -> usize {
    let ids = model.charter.iter().flat_map(|ch| &ch.tiers);
    c.tier()
        .and_then(|t| ids.into_iter().position(|x| x.id.value == t))
        .unwrap_or(tiers - 1)
}

/// Volume, orders and price per product, tier and quarter.
fn products(
    model: &Model,
    clients: &[ClientFigures],
    span: &Span,
    tiers: usize,
) -> Vec<(String, Vec<Vec<TradeSum>>)> {
    let mut names: Vec<&str> = clients
        .iter()
        .flat_map(|f| f.series.trades.iter().map(|t| t.product.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut sums = vec![vec![vec![TradeSum::default(); span.len]; tiers]; names.len()];
    for (c, f) in model.clients.iter().zip(clients) {
        let k = tier_index(model, c, tiers);
        let s = &f.series;
        for (i, t) in s.trades.iter().enumerate() {
            let Ok(p) = names.binary_search(&t.product.as_str()) else {
                continue;
            };
            let Some(sum) = sums[p][k].get_mut(t.quarter) else {
                continue;
            };
            sum.clients += 1;
            sum.volume += t.volume;
            sum.orders += t.orders;
            sum.amount += t.amount;
            if let Some(change) = s.price_change(i) {
                sum.price_change_sum += change * t.amount;
                sum.price_weight += t.amount;
            }
        }
    }
    names.into_iter().map(String::from).zip(sums).collect()
}

pub fn kpis(model: &Model, clients: &[ClientFigures], span: &Span) -> Kpis {
    let group = |name: String,
                 tier: Option<String>,
                 segment: Option<(String, String)>,
                 keep: &dyn Fn(&Client) -> bool| {
        let mut quarters = vec![KpiQuarter::default(); span.len];
        for (c, f) in model.clients.iter().zip(clients) {
            if keep(c) {
                for (q, cell) in quarters.iter_mut().enumerate() {
                    cell.add(f, q);
                }
            }
        }
        KpiGroup {
            name,
            tier,
            segment,
            quarters,
        }
    };
    let mut tiers: Vec<KpiGroup> = model
        .charter
        .iter()
        .flat_map(|c| &c.tiers)
        .map(|t| {
            let id = &t.id.value;
            group(t.name.clone(), Some(id.clone()), None, &|c| {
                c.tier() == Some(id)
            })
        })
        .collect();
    tiers.push(group(String::from("Not on the list"), None, None, &|c| {
        c.tier().is_none_or(|t| model.tier(t).is_none())
    }));
    let dimensions = model
        .firm
        .segment_dimensions
        .iter()
        .map(|d| {
            let groups = d
                .values
                .iter()
                .map(|v| {
                    let on = |c: &Client| c.in_segment(&d.id.value, &v.value);
                    let segment = Some((d.id.value.clone(), v.value.clone()));
                    group(v.value.clone(), None, segment, &on)
                })
                .filter(|g| g.quarters.first().is_some_and(|q| q.clients > 0))
                .collect();
            (d.name.clone(), groups)
        })
        .collect();
    let products = products(model, clients, span, tiers.len());
    Kpis {
        tiers,
        dimensions,
        products,
    }
}
