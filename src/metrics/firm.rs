//! Firm-wide figures: the quarterly table, tier benchmarks against
//! untiered accounts (seed 003, implementing a priority list), and segments (seed 002, sales systems).

use std::collections::BTreeMap;

use serde::Serialize;

use super::client::ClientFigures;
use super::service::{LevelCompliance, PersonCompliance};
use super::Period;
use crate::model::Model;

#[derive(Clone, Debug, Default)]
pub struct FirmFigures {
    pub quarters: Vec<QuarterFigures>,
    pub benchmarks: Vec<Benchmark>,
    pub segments: Vec<SegmentFigures>,
    /// firm.yaml's segment dimensions, value by value.
    pub dimensions: Vec<super::segments::Dimension>,
    pub revenue_ytd: f64,
    pub revenue_last_ytd: f64,
    pub budget_ytd: f64,
    pub budget_fy: f64,
    pub revenue_by_month: [f64; 12],
    pub revenue_by_month_last: [f64; 12],
    /// Clients on the priority list.
    pub tiered: usize,
    /// Open tasks without an owner, anywhere.
    pub unowned_tasks: usize,
    /// The charter's compliance per service level, item and quarter.
    pub service: Vec<LevelCompliance>,
    /// Clients whose figures meet a tier's `entry_when` (and are below
    /// it) or its `exit_when` (and are on it).
    pub candidates: Vec<Candidate>,
    /// Per person id, compliance of the service items they are
    /// responsible for.
    pub service_by_person: std::collections::HashMap<String, PersonCompliance>,
    /// Every change of tier up to today, newest first.
    pub movers: Vec<super::movers::Move>,
    /// Clients whose last finished quarter moved far from their trend or
    /// budget, the largest moves first; and that quarter.
    pub outliers: Vec<super::outliers::Outlier>,
    pub outlier_quarter: crate::model::Period,
    /// Parallel to the firm strategy's goals: the progress of those with
    /// a target.
    pub goals: Vec<Option<super::goals::GoalProgress>>,
    /// Tiers against untiered clients over time, and entering the list.
    pub impact: super::impact::Impact,
    /// Contribution by tier, segment and relationship manager.
    pub profit: super::profit::Profitability,
    /// Each dataset firm.yaml declares, across the clients.
    pub datasets: Vec<super::datasets::DatasetFigures>,
    /// Client KPIs per tier and segment value, quarter by quarter.
    pub kpis: super::kpis::Kpis,
}

impl FirmFigures {
    /// Revenue year to date against the budget to date, in percent.
    pub fn vs_budget(&self) -> Option<f64> {
        super::client::against(self.revenue_ytd, self.budget_ytd)
    }
}

impl QuarterFigures {
    /// Revenue against the quarter's budget to the day the revenue data
    /// covers, in percent, once the quarter has begun: a quarter in
    /// progress is compared with the part of its budget that has passed.
    pub fn vs_budget(&self) -> Option<f64> {
        super::client::against(self.revenue, self.budget_to_date).filter(|_| self.started)
    }
}

/// One quarter of the current fiscal year, firm-wide.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QuarterFigures {
    pub label: String,
    pub meetings: u32,
    pub calls: u32,
    pub activities: u32,
    pub reviews: u32,
    pub revenue: f64,
    pub budget: f64,
    /// The budget pro-rated to the day the revenue data covers.
    pub budget_to_date: f64,
    pub started: bool,
    /// Begun and not over by today.
    pub in_progress: bool,
}

/// One tier (or the untiered accounts) measured against the others.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Benchmark {
    pub tier: Option<String>,
    pub name: String,
    pub clients: usize,
    /// Logged interactions per client per completed quarter.
    pub activity_per_client: f64,
    pub revenue_ytd: f64,
    pub revenue_last_ytd: f64,
    /// Growth against the same period last year, percent.
    pub growth: Option<f64>,
    /// Average products with revenue this year (depth of relationship).
    pub products_per_client: f64,
    /// Revenue over estimated wallet, percent (penetration).
    pub wallet_share: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SegmentFigures {
    pub segment: String,
    pub clients: usize,
    pub tiered: usize,
    pub revenue_ytd: f64,
    pub revenue_last_ytd: f64,
    pub growth: Option<f64>,
    pub activities: u32,
}

pub fn figures(model: &Model, clients: &[ClientFigures], p: &Period) -> FirmFigures {
    let mut firm = FirmFigures::default();
    for q in 1..=4u32 {
        let (from, to) = p.quarter(q);
        let in_progress = p.today >= from && p.today < to;
        let mut row = QuarterFigures {
            label: if in_progress {
                format!("Q{q} (in progress)")
            } else {
                format!("Q{q}")
            },
            started: p.today >= from,
            in_progress,
            ..Default::default()
        };
        for (c, f) in model.clients.iter().zip(clients) {
            let (m, k, all) = f.quarters[q as usize - 1];
            row.meetings += m;
            row.calls += k;
            row.activities += all;
            row.reviews += c
                .reviews
                .iter()
                .filter(|r| r.data.date.value.0 >= from && r.data.date.value.0 < to)
                .count() as u32;
            row.revenue += f.revenue_by_month[(q as usize - 1) * 3..q as usize * 3]
                .iter()
                .sum::<f64>();
        }
        row.budget = model
            .financials
            .budget
            .iter()
            .filter(|b| b.period.year == p.fiscal_year && b.period.quarter == Some(q as u8))
            .map(|b| b.amount)
            .sum();
        row.budget_to_date = row.budget * super::client::elapsed(from, to, p.revenue_to);
        firm.quarters.push(row);
    }
    firm.tiered = model
        .clients
        .iter()
        .filter(|c| c.data.tier.is_some())
        .count();
    firm.unowned_tasks = model
        .tasks()
        .filter(|t| t.task.status.is_open() && t.task.owner.is_none())
        .count();
    for f in clients {
        firm.revenue_ytd += f.revenue_ytd;
        firm.revenue_last_ytd += f.revenue_last_ytd;
        firm.budget_ytd += f.budget_ytd;
        firm.budget_fy += f.budget_fy;
        for m in 0..12 {
            firm.revenue_by_month[m] += f.revenue_by_month[m];
            firm.revenue_by_month_last[m] += f.revenue_by_month_last[m];
        }
    }
    (firm.service, firm.service_by_person) = super::service::firm(
        model,
        clients
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.judgements.as_slice())),
        p.fy_start,
    );
    firm.goals = super::goals::progress(model, clients, &firm.service, p);
    firm.candidates = candidates(model, clients);
    firm.movers = super::movers::movers(model, p.today);
    firm.outliers = super::outliers::outliers(model, clients, p.recent_quarters(), &p.span);
    firm.outlier_quarter = model.fiscal_quarter(p.recent_quarters().start(4));
    firm.benchmarks = benchmarks(model, clients, p);
    firm.segments = segments(model, clients);
    firm.impact = super::impact::impact(model, clients, &p.span, p.products_offered);
    firm.profit = super::profit::firm(model, clients);
    firm.dimensions = super::segments::dimensions(model, clients);
    firm.datasets = super::datasets::firm(model, clients, &p.span);
    firm.kpis = super::kpis::kpis(model, clients, &p.span);
    firm
}

fn growth(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before * 100.0)
}

fn benchmarks(model: &Model, clients: &[ClientFigures], p: &Period) -> Vec<Benchmark> {
    let completed = (1..=4u32)
        .filter(|&q| p.today >= p.quarter(q).1)
        .count()
        .max(1);
    let mut groups: Vec<(Option<String>, String)> = model
        .charter
        .iter()
        .flat_map(|c| {
            c.tiers
                .iter()
                .map(|t| (Some(t.id.value.clone()), t.name.clone()))
        })
        .collect();
    let untiered = model
        .charter
        .as_ref()
        .and_then(|c| c.untiered.as_ref())
        .map_or("Untiered", |u| u.name.as_str());
    groups.push((None, format!("{untiered} (untiered)")));
    groups
        .into_iter()
        .map(|(tier, name)| {
            let members: Vec<(usize, &ClientFigures)> = model
                .clients
                .iter()
                .zip(clients)
                .enumerate()
                .filter(|(_, (c, _))| c.tier().map(str::to_string) == tier)
                .map(|(i, (_, f))| (i, f))
                .collect();
            let n = members.len();
            let mut b = Benchmark {
                tier,
                name,
                clients: n,
                ..Default::default()
            };
            if n == 0 {
                return b;
            }
            let acts: u32 = members
                .iter()
                .map(|(_, f)| f.quarters.iter().take(completed).map(|q| q.2).sum::<u32>())
                .sum();
            b.activity_per_client = f64::from(acts) / n as f64 / completed as f64;
            b.revenue_ytd = members.iter().map(|(_, f)| f.revenue_ytd).sum();
            b.revenue_last_ytd = members.iter().map(|(_, f)| f.revenue_last_ytd).sum();
            b.growth = growth(b.revenue_ytd, b.revenue_last_ytd);
            b.products_per_client =
                members.iter().map(|(_, f)| f.products.len()).sum::<usize>() as f64 / n as f64;
            let wallet: f64 = members
                .iter()
                .filter_map(|(i, _)| model.clients[*i].data.wallet_size.as_ref().map(|w| w.value))
                .sum();
            b.wallet_share = (wallet > 0.0).then(|| {
                members
                    .iter()
                    .map(|(_, f)| f.revenue_last_fy.max(f.revenue_ytd))
                    .sum::<f64>()
                    / wallet
                    * 100.0
            });
            b
        })
        .collect()
}

fn segments(model: &Model, clients: &[ClientFigures]) -> Vec<SegmentFigures> {
    let mut by: BTreeMap<String, SegmentFigures> = BTreeMap::new();
    for (c, f) in model.clients.iter().zip(clients) {
        let name = c
            .data
            .segment
            .clone()
            .unwrap_or_else(|| String::from("(no segment)"));
        let s = by.entry(name.clone()).or_insert_with(|| SegmentFigures {
            segment: name,
            ..Default::default()
        });
        s.clients += 1;
        s.tiered += usize::from(c.data.tier.is_some());
        s.revenue_ytd += f.revenue_ytd;
        s.revenue_last_ytd += f.revenue_last_ytd;
        s.activities += f.quarters.iter().map(|q| q.2).sum::<u32>();
    }
    let mut out: Vec<SegmentFigures> = by.into_values().collect();
    for s in &mut out {
        s.growth = growth(s.revenue_ytd, s.revenue_last_ytd);
    }
    out.sort_by(|a, b| b.revenue_ytd.total_cmp(&a.revenue_ytd));
    out
}

/// A client a tier's thresholds point at: to join it, or to leave it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index in `model.clients`.
    pub client: usize,
    /// The tier to join, or the tier to leave.
    pub tier: String,
    pub joining: bool,
    /// Each threshold that qualifies it: the measure, the client's figure,
    /// the bound, and whether the bound is a floor.
    pub figures: Vec<(crate::model::Measure, f64, f64, bool)>,
}

/// The candidates of every tier with thresholds. A client is a candidate
/// to join only the highest tier above its own whose `entry_when` it meets,
/// and to leave its own tier when it meets that tier's `exit_when`.
fn candidates(model: &Model, clients: &[ClientFigures]) -> Vec<Candidate> {
    use crate::model::{Measure, Thresholds};
    let Some(charter) = &model.charter else {
        return Vec::new();
    };
    let tiers = &charter.tiers;
    let rank = |tier: Option<&str>| {
        tier.and_then(|t| tiers.iter().position(|x| x.id.value == t))
            .unwrap_or(tiers.len())
    };
    let meets = |c: &crate::model::Client, f: &ClientFigures, when: &Thresholds| {
        let wallet = c
            .data
            .wallet_size
            .as_ref()
            .map(|w| w.value)
            .filter(|w| *w > 0.0);
        let bounds = when.bounds();
        if bounds.is_empty() {
            return None;
        }
        bounds
            .into_iter()
            .map(|(measure, bound, floor)| {
                let value = match measure {
                    Measure::Revenue4q => Some(f.revenue_4q),
                    Measure::Wallet => wallet,
                    Measure::WalletShare => wallet.map(|w| f.revenue_4q / w * 100.0),
                    Measure::Interactions4q => Some(f64::from(f.interactions_4q)),
                }?;
                let holds = if floor { value >= bound } else { value < bound };
                holds.then_some((measure, value, bound, floor))
            })
            .collect::<Option<Vec<_>>>()
    };
    let mut out = Vec::new();
    for (i, (c, f)) in model.clients.iter().zip(clients).enumerate() {
        let own = rank(c.tier());
        if let Some((tier, figures)) = tiers
            .iter()
            .take(own)
            .find_map(|t| Some((t, meets(c, f, t.entry_when.as_ref()?)?)))
        {
            out.push(Candidate {
                client: i,
                tier: tier.id.value.clone(),
                joining: true,
                figures,
            });
        }
        if let Some(tier) = tiers.get(own) {
            if let Some(figures) = tier.exit_when.as_ref().and_then(|w| meets(c, f, w)) {
                out.push(Candidate {
                    client: i,
                    tier: tier.id.value.clone(),
                    joining: false,
                    figures,
                });
            }
        }
    }
    out
}
