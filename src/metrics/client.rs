//! Figures for one client.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::plan::{metric_rows, MetricRow};
use super::service::{self, Judgement};
use super::{Inputs, Period};
use crate::diag::Diagnostic;
use crate::model::{add_months, ActivityType, Client, Model, RevenueLine};

/// Red, amber or green, for status badges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

/// Revenue against budget, in percent above (+) or below (-) it; `None`
/// without a budget.
pub fn against(actual: f64, budget: f64) -> Option<f64> {
    (budget > 0.0).then(|| (actual - budget) / budget * 100.0)
}

impl Rag {
    /// Revenue against budget: on or above it green, up to 10% below it
    /// amber, further below red. Without a budget there is nothing to fall
    /// short of: amber, for a client and for the firm alike.
    pub fn of_budget(vs_budget: Option<f64>) -> Rag {
        match vs_budget {
            Some(v) if v >= 0.0 => Rag::Green,
            Some(v) if v >= -10.0 => Rag::Amber,
            Some(_) => Rag::Red,
            None => Rag::Amber,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

impl ClientFigures {
    /// Revenue year to date against the budget to date, in percent.
    pub fn vs_budget(&self) -> Option<f64> {
        against(self.revenue_ytd, self.budget_ytd)
    }
}

#[derive(Clone, Debug)]
pub struct ClientFigures {
    pub last_contact: Option<NaiveDate>,
    /// When the next plan review is due (tiered clients).
    pub next_review: Option<NaiveDate>,
    pub review_status: Option<Rag>,
    /// Service level from the charter's targets: red when an item is
    /// missed, amber when one is behind pace; `None` when nothing of the
    /// client's service level is measured.
    pub service: Option<Rag>,
    /// Every target of the client's service level, judged per period of
    /// the fiscal year.
    pub judgements: Vec<Judgement>,
    /// Per item, the judgement that sets its light now.
    pub standing: Vec<(Judgement, Rag)>,
    /// Rule findings about this client, most severe first.
    pub findings: Vec<Diagnostic>,
    pub revenue_ytd: f64,
    pub revenue_last_ytd: f64,
    pub revenue_last_fy: f64,
    pub budget_fy: f64,
    /// Budget for the part of the year the revenue data covers.
    pub budget_ytd: f64,
    pub costs_ytd: f64,
    /// Credited revenue and interactions over the last four finished
    /// quarters: what a tier's entry and exit thresholds test.
    pub revenue_4q: f64,
    pub interactions_4q: u32,
    /// Credited revenue by month of the current fiscal year (12 values).
    pub revenue_by_month: [f64; 12],
    pub revenue_by_month_last: [f64; 12],
    /// Products with revenue this fiscal year.
    pub products: Vec<String>,
    /// Activity counts per quarter of the fiscal year: (meetings, calls, all).
    pub quarters: [(u32, u32, u32); 4],
    /// Credited revenue and interactions in the last five finished
    /// quarters, oldest first: the last one against the four before it is
    /// what the outliers judge.
    pub recent: [(f64, u32); 5],
    /// The budget of the last finished quarter, if budget.csv sets one
    /// (its quarter's line, or a quarter of its year's).
    pub budget_last_quarter: Option<f64>,
    pub metric_rows: Vec<MetricRow>,
    /// Every quarter of the span, oldest first.
    pub series: super::series::ClientSeries,
    /// Revenue and costs per quarter of the fiscal year, by category.
    pub profit: super::profit::Profit,
    /// The client's third-party data, per dataset with rows.
    pub data: Vec<super::datasets::ClientData>,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
}

pub fn figures(model: &Model, c: &Client, inputs: &Inputs<'_>, p: &Period) -> ClientFigures {
    let revenue = &inputs.revenue;
    let diags = &inputs.findings;
    let today = p.today;
    let last_contact = c
        .activities
        .iter()
        .map(|a| a.data.date.value.0)
        .chain(c.captured.iter().map(|r| r.date.0))
        .filter(|d| *d <= today)
        .max();
    let tier = c.tier().and_then(|t| model.tier(t));
    let next_review = tier.map(|t| {
        let months = t.review_cadence.months();
        match c.last_review() {
            Some(r) => add_months(r.data.date.value.0, months),
            None => {
                let since = c
                    .data
                    .priority_history
                    .iter()
                    .map(|h| h.date.value.0)
                    .max()
                    .unwrap_or(today);
                add_months(since, months)
            }
        }
    });
    let review_status = next_review.map(|due| {
        if due < today {
            Rag::Red
        } else if due <= today + chrono::Days::new(14) {
            Rag::Amber
        } else {
            Rag::Green
        }
    });
    let mut findings: Vec<Diagnostic> = diags.iter().map(|d| (*d).clone()).collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule.cmp(b.rule)));
    let judgements = service::judge(model, c, p.fy_start, today);
    let standing = service::standing(&judgements);

    let mut f = ClientFigures {
        last_contact,
        next_review,
        review_status,
        service: service::light(&standing),
        judgements,
        standing,
        findings,
        revenue_ytd: 0.0,
        revenue_last_ytd: 0.0,
        revenue_last_fy: 0.0,
        budget_fy: 0.0,
        budget_ytd: 0.0,
        costs_ytd: 0.0,
        revenue_4q: 0.0,
        interactions_4q: 0,
        revenue_by_month: [0.0; 12],
        revenue_by_month_last: [0.0; 12],
        products: Vec::new(),
        quarters: [(0, 0, 0); 4],
        recent: [(0.0, 0); 5],
        budget_last_quarter: None,
        metric_rows: Vec::new(),
        series: super::series::ClientSeries::default(),
        profit: super::profit::Profit::default(),
        data: super::datasets::of_client(model, c, &inputs.market),
        open_tasks: 0,
        overdue_tasks: 0,
    };
    revenue_figures(revenue, p, &mut f);
    budget(inputs, p, &mut f);
    f.profit = super::profit::of(inputs, &f.revenue_by_month, p);
    f.costs_ytd = f.profit.costs_ytd();
    activity_by_quarter(c, p, &mut f);
    for t in c.tasks().filter(|t| t.task.status.is_open()) {
        f.open_tasks += 1;
        if t.task.due.as_ref().is_some_and(|d| d.value.0 < today) {
            f.overdue_tasks += 1;
        }
    }
    f.metric_rows = metric_rows(c, &f, p);
    f.series = super::series::of(&p.span, c, inputs, &f.judgements);
    f.series.market_share = super::datasets::market_share(model, &f.data, &p.span);
    f
}

/// Revenue credited this fiscal year and last, by month and to date, and
/// the products bought this year.
fn revenue_figures(revenue: &[&RevenueLine], p: &Period, f: &mut ClientFigures) {
    let last_start = Period::last_year(p.fy_start);
    let last_today = Period::last_year(p.today);
    let (from_4q, to_4q) = p.last_four_quarters();
    let recent = p.recent_quarters();
    for line in revenue {
        let d = line.date.0;
        let credited = line.credited();
        if d >= from_4q && d < to_4q {
            f.revenue_4q += credited;
        }
        if let Some(q) = recent.of(d) {
            f.recent[q].0 += credited;
        }
        if d >= p.fy_start && d < p.fy_end {
            f.revenue_by_month[month_index(p.fy_start, d)] += credited;
            if d <= p.today {
                f.revenue_ytd += credited;
            }
            if !f.products.contains(&line.product) {
                f.products.push(line.product.clone());
            }
        } else if d >= last_start && d < p.fy_start {
            f.revenue_last_fy += credited;
            f.revenue_by_month_last[month_index(last_start, d)] += credited;
            if d <= last_today {
                f.revenue_last_ytd += credited;
            }
        }
    }
    f.products.sort();
}

/// Meetings, calls and all interactions in each quarter of this fiscal
/// year, from notes and captured rows.
fn activity_by_quarter(c: &Client, p: &Period, f: &mut ClientFigures) {
    let kinds = c
        .activities
        .iter()
        .map(|a| (a.data.kind.value, a.data.date.value.0))
        .chain(c.captured.iter().map(|r| (r.kind, r.date.0)));
    let (from_4q, to_4q) = p.last_four_quarters();
    let recent = p.recent_quarters();
    for (kind, d) in kinds {
        if d >= from_4q && d < to_4q {
            f.interactions_4q += 1;
        }
        if let Some(q) = recent.of(d) {
            f.recent[q].1 += 1;
        }
        if let Some(q) = p.quarter_of(d) {
            let cell = &mut f.quarters[q - 1];
            match kind {
                ActivityType::Meeting => cell.0 += 1,
                ActivityType::Call => cell.1 += 1,
                _ => {}
            }
            cell.2 += 1;
        }
    }
}

/// The budget of the last finished quarter: its own line, or a quarter of
/// its year's; `None` when budget.csv has neither.
fn budget_last_quarter(inputs: &Inputs<'_>, p: &Period) -> Option<f64> {
    let start = p.recent_quarters().start(4);
    let (fy, q) = if start >= p.fy_start {
        let months = (start.year() - p.fy_start.year()) * 12 + start.month() as i32
            - p.fy_start.month() as i32;
        (p.fiscal_year, u8::try_from(months / 3 + 1).unwrap_or(4))
    } else {
        (p.fiscal_year - 1, 4)
    };
    let sum = |quarter: Option<u8>| {
        let lines: Vec<f64> = inputs
            .budget
            .iter()
            .filter(|b| b.period.year == fy && b.period.quarter == quarter)
            .map(|b| b.amount)
            .collect();
        (!lines.is_empty()).then(|| lines.iter().sum::<f64>())
    };
    sum(Some(q)).or_else(|| sum(None).map(|year| year / 4.0))
}

fn budget(inputs: &Inputs<'_>, p: &Period, f: &mut ClientFigures) {
    f.budget_last_quarter = budget_last_quarter(inputs, p);
    let fy = p.fiscal_year;
    let year_days = (p.fy_end - p.fy_start).num_days().max(1) as f64;
    let mut year_budget = None;
    let mut quarters = [None; 4];
    for b in inputs.budget.iter().filter(|b| b.period.year == fy) {
        match b.period.quarter {
            None => year_budget = Some(year_budget.unwrap_or(0.0) + b.amount),
            Some(q) => {
                quarters[usize::from(q) - 1] =
                    Some(quarters[usize::from(q) - 1].unwrap_or(0.0) + b.amount)
            }
        }
    }
    if quarters.iter().any(Option::is_some) {
        f.budget_fy = quarters.iter().flatten().sum();
        for q in 1..=4u32 {
            let (from, to) = p.quarter(q);
            let amount = quarters[q as usize - 1].unwrap_or(0.0);
            f.budget_ytd += amount * elapsed(from, to, p.revenue_to);
        }
    } else if let Some(amount) = year_budget {
        f.budget_fy = amount;
        f.budget_ytd = amount
            * ((p.revenue_to - p.fy_start).num_days() + 1).clamp(0, year_days as i64) as f64
            / year_days;
    }
}

/// Share of [from, to) that has passed by `today`, 0..=1.
pub(super) fn elapsed(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> f64 {
    if today < from {
        0.0
    } else if today >= to {
        1.0
    } else {
        ((today - from).num_days() + 1) as f64 / (to - from).num_days().max(1) as f64
    }
}

fn month_index(start: NaiveDate, day: NaiveDate) -> usize {
    use chrono::Datelike;
    let months = (day.year() - start.year()) * 12 + day.month() as i32 - start.month() as i32;
    months.clamp(0, 11) as usize
}
