//! Client profitability: "applying costs against client revenues" (seed
//! 002). Each client's credited revenue and its costs (costs.csv, by
//! category) per quarter of the fiscal year, and the contribution they
//! leave; grouped by tier, segment and relationship manager; and the
//! clients that cost more than they bring, for discussion.
//!
//! Costs are written per quarter or per year (a year's cost is a quarter
//! of it each quarter). Figures to date are honest about the quarter in
//! progress: its costs count for the share of it the revenue data covers,
//! as its budget does.

use std::collections::BTreeMap;

use super::client::elapsed;
use super::{ClientFigures, Inputs, Period};
use crate::model::Model;

/// The categories seed 004 expects to be justified client by client.
pub const JUSTIFIED: [&str; 2] = ["entertainment", "training"];

/// A client's revenue and costs per quarter of the fiscal year.
#[derive(Clone, Debug, Default)]
pub struct Profit {
    /// Credited revenue per quarter (to the day the data covers).
    pub revenue: [f64; 4],
    /// Costs per quarter, counted to date (see the module's note).
    pub costs: [f64; 4],
    /// The same costs per category, in category order; costs without
    /// one under "uncategorised".
    pub categories: Vec<(String, [f64; 4])>,
}

impl Profit {
    pub fn contribution(&self, q: usize) -> f64 {
        self.revenue[q] - self.costs[q]
    }

    pub fn revenue_ytd(&self) -> f64 {
        self.revenue.iter().sum()
    }

    pub fn costs_ytd(&self) -> f64 {
        self.costs.iter().sum()
    }

    pub fn contribution_ytd(&self) -> f64 {
        self.revenue_ytd() - self.costs_ytd()
    }

    /// A category's costs to date.
    pub fn category_ytd(&self, name: &str) -> f64 {
        self.categories
            .iter()
            .find(|(c, _)| c == name)
            .map_or(0.0, |(_, q)| q.iter().sum())
    }
}

/// Contribution against revenue, in percent; `None` without revenue.
pub fn margin(revenue: f64, costs: f64) -> Option<f64> {
    (revenue > 0.0).then(|| (revenue - costs) / revenue * 100.0)
}

/// One client's profit, from its revenue by month and its cost lines.
pub fn of(inputs: &Inputs<'_>, revenue_by_month: &[f64; 12], p: &Period) -> Profit {
    let mut profit = Profit::default();
    for (q, revenue) in profit.revenue.iter_mut().enumerate() {
        *revenue = revenue_by_month[q * 3..q * 3 + 3].iter().sum();
    }
    let share: Vec<f64> = (1..=4u32)
        .map(|q| {
            let (from, to) = p.quarter(q);
            elapsed(from, to, p.revenue_to)
        })
        .collect();
    let mut categories: BTreeMap<&str, [f64; 4]> = BTreeMap::new();
    for k in inputs
        .costs
        .iter()
        .filter(|k| k.period.year == p.fiscal_year)
    {
        let quarters: Vec<usize> = match k.period.quarter {
            Some(q) => vec![usize::from(q.clamp(1, 4)) - 1],
            None => (0..4).collect(),
        };
        let each = k.amount / quarters.len() as f64;
        let row = categories
            .entry(k.category.as_deref().unwrap_or("uncategorised"))
            .or_default();
        for q in quarters {
            profit.costs[q] += each * share[q];
            row[q] += each * share[q];
        }
    }
    profit.categories = categories
        .into_iter()
        .map(|(name, q)| (name.to_string(), q))
        .collect();
    profit
}

/// A group of clients' revenue and costs per quarter.
#[derive(Clone, Debug, Default)]
pub struct ProfitGroup {
    /// The tier's id, the segment, or the person's id; empty for none.
    pub key: String,
    pub clients: usize,
    pub revenue: [f64; 4],
    pub costs: [f64; 4],
}

impl ProfitGroup {
    fn add(&mut self, p: &Profit) {
        self.clients += 1;
        for q in 0..4 {
            self.revenue[q] += p.revenue[q];
            self.costs[q] += p.costs[q];
        }
    }

    pub fn revenue_ytd(&self) -> f64 {
        self.revenue.iter().sum()
    }

    pub fn costs_ytd(&self) -> f64 {
        self.costs.iter().sum()
    }
}

/// The firm's profitability page.
#[derive(Clone, Debug, Default)]
pub struct Profitability {
    pub by_tier: Vec<ProfitGroup>,
    pub by_segment: Vec<ProfitGroup>,
    pub by_manager: Vec<ProfitGroup>,
    /// Clients whose costs to date exceed their revenue, the largest
    /// shortfall first (indexes into `model.clients`).
    pub losses: Vec<usize>,
    /// Clients with entertainment or training spend this year, the
    /// largest first.
    pub justified: Vec<usize>,
    /// Every category written this year, in order.
    pub categories: Vec<String>,
}

pub fn firm(model: &Model, clients: &[ClientFigures]) -> Profitability {
    let mut tiers: BTreeMap<String, ProfitGroup> = BTreeMap::new();
    let mut segments: BTreeMap<String, ProfitGroup> = BTreeMap::new();
    let mut managers: BTreeMap<String, ProfitGroup> = BTreeMap::new();
    let mut categories: Vec<String> = Vec::new();
    for (c, f) in model.clients.iter().zip(clients) {
        let group = |map: &mut BTreeMap<String, ProfitGroup>, key: &str| {
            map.entry(key.to_string())
                .or_insert_with(|| ProfitGroup {
                    key: key.to_string(),
                    ..ProfitGroup::default()
                })
                .add(&f.profit);
        };
        group(&mut tiers, c.tier().unwrap_or(""));
        group(&mut segments, c.data.segment.as_deref().unwrap_or(""));
        let owner = c.data.coverage.owner.as_ref();
        group(&mut managers, owner.map_or("", |o| o.value.as_str()));
        for (name, _) in &f.profit.categories {
            if !categories.contains(name) {
                categories.push(name.clone());
            }
        }
    }
    categories.sort();
    // Tiers in the charter's order, untiered last.
    let order: Vec<&str> = model
        .charter
        .iter()
        .flat_map(|c| c.tiers.iter().map(|t| t.id.value.as_str()))
        .collect();
    let mut by_tier: Vec<ProfitGroup> = tiers.into_values().collect();
    by_tier.sort_by_key(|g| order.iter().position(|t| *t == g.key).unwrap_or(usize::MAX));
    let by_contribution = |map: BTreeMap<String, ProfitGroup>| {
        let mut v: Vec<ProfitGroup> = map.into_values().collect();
        v.sort_by(|a, b| {
            let c = |g: &ProfitGroup| g.revenue_ytd() - g.costs_ytd();
            c(b).total_cmp(&c(a))
        });
        v
    };
    let mut losses: Vec<usize> = (0..clients.len())
        .filter(|&i| clients[i].profit.contribution_ytd() < 0.0)
        .collect();
    losses.sort_by(|&a, &b| {
        let c = |i: usize| clients[i].profit.contribution_ytd();
        c(a).total_cmp(&c(b)).then(a.cmp(&b))
    });
    let spend = |i: usize| -> f64 {
        JUSTIFIED
            .iter()
            .map(|k| clients[i].profit.category_ytd(k))
            .sum()
    };
    let mut justified: Vec<usize> = (0..clients.len()).filter(|&i| spend(i) > 0.0).collect();
    justified.sort_by(|&a, &b| spend(b).total_cmp(&spend(a)).then(a.cmp(&b)));
    Profitability {
        by_tier,
        by_segment: by_contribution(segments),
        by_manager: by_contribution(managers),
        losses,
        justified,
        categories,
    }
}
