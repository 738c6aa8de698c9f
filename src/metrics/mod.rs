//! Stage 4: derived figures, computed once from the model and the rule
//! findings: last contact, next review, service-level status, revenue
//! against budget, quarterly actuals, tier benchmarks. Pages read these;
//! they never scan the model themselves.

mod client;
pub mod datasets;
mod firm;
pub mod goals;
pub mod impact;
pub mod kpis;
pub mod movers;
pub mod outliers;
pub mod people;
pub mod plan;
pub mod profit;
pub mod segments;
pub mod series;
pub mod service;

pub use client::{against, ClientFigures, Rag};
pub use firm::{Benchmark, FirmFigures, QuarterFigures, SegmentFigures};
pub use plan::{MetricRow, QuarterCell};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{Budget, Cost, Model, RevenueLine};

/// Every derived figure of a repository on one day.
pub struct Metrics {
    pub today: NaiveDate,
    /// The current fiscal year's name and bounds.
    pub fiscal_year: i32,
    pub fy_start: NaiveDate,
    pub fy_end: NaiveDate,
    /// The last day the revenue data covers: the latest revenue line on or
    /// before today (today when there is none). Budgets to date are
    /// pro-rated to it, and pages showing revenue say it.
    pub revenue_to: NaiveDate,
    /// The fiscal quarters the clients' series cover.
    pub span: series::Span,
    /// How many products the firm offers: firm.yaml's `products`, else
    /// every product revenue.csv has. Product penetration is against it.
    pub products_offered: usize,
    /// Parallel to `model.clients`.
    pub clients: Vec<ClientFigures>,
    /// Parallel to `model.people`.
    pub people: Vec<people::PersonFigures>,
    pub firm: FirmFigures,
}

impl Metrics {
    pub fn compute(model: &Model, diagnostics: &[Diagnostic], today: NaiveDate) -> Metrics {
        let fy_start = model.fiscal_year_start(today);
        let fiscal_year = model.fiscal_year_name(fy_start);
        let (_, fy_end) = model.fiscal_year_bounds(fiscal_year);
        // Every line and finding goes to its client once, by index: no
        // page or figure scans the whole financials per client.
        let inputs = gather(model, diagnostics, model.clients.len(), |id| {
            model.index.clients.get(id).copied()
        });
        let revenue_to = model
            .financials
            .revenue
            .iter()
            .map(|l| l.date.0)
            .filter(|d| *d <= today)
            .max()
            .unwrap_or(today);
        let period = Period {
            today,
            fiscal_year,
            fy_start,
            fy_end,
            revenue_to,
            span: series::Span::of(model, today),
            products_offered: products_offered(model),
        };
        let clients: Vec<ClientFigures> = model
            .clients
            .par_iter()
            .zip(inputs.par_iter())
            .with_max_len(crate::CLIENTS_PER_TASK)
            .map(|(c, inputs)| client::figures(model, c, inputs, &period))
            .collect();
        let firm = firm::figures(model, &clients, &period);
        let people = people::figures(model, &clients, &period);
        Metrics {
            today,
            fiscal_year,
            fy_start,
            fy_end,
            revenue_to,
            span: period.span,
            products_offered: period.products_offered,
            clients,
            people,
            firm,
        }
    }

    /// Recomputes the figures of the clients `ids` after an edit to their
    /// folders, the rest of the model unchanged. The firm-wide figures are
    /// left as they were: `serve` recomputes everything right after.
    pub fn update_clients<'a>(
        &mut self,
        model: &Model,
        diagnostics: &[Diagnostic],
        ids: impl IntoIterator<Item = &'a String>,
    ) {
        let period = Period {
            today: self.today,
            fiscal_year: self.fiscal_year,
            fy_start: self.fy_start,
            fy_end: self.fy_end,
            revenue_to: self.revenue_to,
            span: self.span,
            products_offered: self.products_offered,
        };
        for id in ids {
            let Some(&i) = model.index.clients.get(id.as_str()) else {
                continue;
            };
            let inputs = gather(model, diagnostics, 1, |c| (c == id).then_some(0));
            if let (Some(slot), Some(inputs)) = (self.clients.get_mut(i), inputs.first()) {
                *slot = client::figures(model, &model.clients[i], inputs, &period);
            }
        }
    }

    /// Figures of the client at `model.clients[index]`.
    pub fn client(&self, index: usize) -> &ClientFigures {
        &self.clients[index]
    }
}

/// firm.yaml's `products`, else the distinct products of revenue.csv.
fn products_offered(model: &Model) -> usize {
    if !model.firm.products.is_empty() {
        return model.firm.products.len();
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut last = "";
    for line in &model.financials.revenue {
        if line.product != last && !seen.contains(&line.product.as_str()) {
            seen.push(&line.product);
        }
        last = &line.product;
    }
    seen.len()
}

/// The financial lines and findings of `len` clients, each handed to the
/// client `slot` maps its client id to, in one pass.
fn gather<'m>(
    model: &'m Model,
    diagnostics: &'m [Diagnostic],
    len: usize,
    slot: impl Fn(&str) -> Option<usize>,
) -> Vec<Inputs<'m>> {
    let mut inputs: Vec<Inputs<'m>> = (0..len).map(|_| Inputs::default()).collect();
    // Lines come grouped by client (half a million revenue lines in a
    // large firm): look a client up only when it changes.
    let mut last: (&str, Option<usize>) = ("", None);
    let mut slot_of = |client: &'m str| {
        if client != last.0 {
            last = (client, slot(client));
        }
        last.1
    };
    for line in &model.financials.revenue {
        if let Some(i) = slot_of(&line.client) {
            inputs[i].revenue.push(line);
        }
    }
    for b in &model.financials.budget {
        if let Some(i) = slot_of(&b.client) {
            inputs[i].budget.push(b);
        }
    }
    for k in &model.financials.costs {
        if let Some(i) = slot_of(&k.client) {
            inputs[i].costs.push(k);
        }
    }
    for (t, table) in model.financials.market.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            if let Some(i) = slot_of(&row.client) {
                inputs[i].market.push((t as u32, r as u32));
            }
        }
    }
    for d in diagnostics {
        let client = d
            .span
            .as_ref()
            .and_then(|s| crate::model::client_of_path(&s.file))
            .map(|(id, _)| id);
        if let Some(i) = client.and_then(&slot) {
            inputs[i].findings.push(d);
        }
    }
    inputs
}

/// What one client's figures are computed from, gathered in one pass.
#[derive(Default)]
pub struct Inputs<'m> {
    pub revenue: Vec<&'m RevenueLine>,
    pub budget: Vec<&'m Budget>,
    pub costs: Vec<&'m Cost>,
    /// Rows of the firm-wide datasets about the client: (table, row).
    pub market: Vec<(u32, u32)>,
    pub findings: Vec<&'m Diagnostic>,
}

/// The current fiscal year and today, handed to the figure builders.
#[derive(Clone, Copy, Debug)]
pub struct Period {
    pub today: NaiveDate,
    pub fiscal_year: i32,
    pub fy_start: NaiveDate,
    pub fy_end: NaiveDate,
    /// The last day the revenue data covers (see [`Metrics::revenue_to`]).
    pub revenue_to: NaiveDate,
    /// The quarters of the clients' series.
    pub span: series::Span,
    /// See [`Metrics::products_offered`].
    pub products_offered: usize,
}

impl Period {
    /// Quarter `q` (1-4) of the current fiscal year as [from, to).
    pub fn quarter(&self, q: u32) -> (NaiveDate, NaiveDate) {
        let from = crate::model::add_months(self.fy_start, 3 * (q - 1));
        (from, crate::model::add_months(from, 3))
    }

    /// 1-4 for a day in the current fiscal year.
    pub fn quarter_of(&self, day: NaiveDate) -> Option<usize> {
        (1..=4u32)
            .find(|&q| {
                let (from, to) = self.quarter(q);
                day >= from && day < to
            })
            .map(|q| q as usize)
    }

    /// The last four finished quarters as [from, to): the year before the
    /// quarter today is in.
    pub fn last_four_quarters(&self) -> (NaiveDate, NaiveDate) {
        let mut to = self.fy_start;
        while crate::model::add_months(to, 3) <= self.today {
            to = crate::model::add_months(to, 3);
        }
        (Period::last_year(to), to)
    }

    /// The last five finished quarters (the last one, and the four it is
    /// judged against), oldest first.
    pub fn recent_quarters(&self) -> Recent {
        let (_, to) = self.last_four_quarters();
        let from = to.checked_sub_months(chrono::Months::new(15)).unwrap_or(to);
        Recent { from, to }
    }

    /// The same span one year earlier.
    pub fn last_year(day: NaiveDate) -> NaiveDate {
        day.checked_sub_months(chrono::Months::new(12))
            .unwrap_or(day)
    }
}

/// Five consecutive quarters ending where the current one begins.
#[derive(Clone, Copy, Debug)]
pub struct Recent {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Recent {
    /// Which of the five quarters (0, the oldest, to 4, the last finished)
    /// `day` is in.
    pub fn of(&self, day: NaiveDate) -> Option<usize> {
        if day < self.from || day >= self.to {
            return None;
        }
        use chrono::Datelike;
        let months =
            (day.year() - self.from.year()) * 12 + day.month() as i32 - self.from.month() as i32;
        usize::try_from(months / 3).ok().filter(|q| *q < 5)
    }

    /// The first day of quarter `q` (0 to 4).
    pub fn start(&self, q: u32) -> NaiveDate {
        crate::model::add_months(self.from, 3 * q)
    }
}
