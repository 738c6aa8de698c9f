//! Quarterly series per client over every fiscal quarter the data covers:
//! "monitoring of changes in depth of relationship and penetration over
//! time" (seed 003). Each quarter holds what the client's files say
//! happened in it; depth and penetration are read from them:
//!
//! - **Depth**: how many people on each side are in the relationship and
//!   how often they meet. Its figure is the quarter's colleague–contact
//!   meetings: every meeting or call counts each pair of a colleague in it
//!   and a client contact in it once (a note that names no contact counts
//!   one), so it grows with more people on either side and with meeting
//!   more often.
//! - **Penetration**: the products bought in the quarter against the
//!   products the firm offers, and the revenue of the last four quarters
//!   against the client's wallet.

use chrono::{Datelike, NaiveDate};

use super::service::{Judgement, Status};
use super::Inputs;
use crate::model::{add_months, ActivityType, Client, Date, Model, Stance};

/// The most quarters a series covers: five years.
pub const MAX_QUARTERS: usize = 20;

/// The fiscal quarters the series cover, oldest first.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub from: NaiveDate,
    pub len: usize,
    /// The quarter today is in: the last, in progress.
    pub today: NaiveDate,
}

impl Span {
    /// From the fiscal quarter of the earliest revenue line or interaction
    /// (on or before today) to the quarter today is in; the last
    /// [`MAX_QUARTERS`] of them at most.
    pub fn of(model: &Model, today: NaiveDate) -> Span {
        let activities = model.clients.iter().flat_map(|c| {
            c.activities
                .iter()
                .map(|a| a.data.date.value.0)
                .chain(c.captured.iter().map(|r| r.date.0))
        });
        let earliest = model
            .financials
            .revenue
            .iter()
            .map(|l| l.date.0)
            .chain(activities)
            .filter(|d| *d <= today)
            .min()
            .unwrap_or(today);
        let current = quarter_start(model, today);
        let quarters = months_between(quarter_start(model, earliest), current) / 3 + 1;
        let len = quarters.clamp(1, MAX_QUARTERS as u32);
        let from = current
            .checked_sub_months(chrono::Months::new(3 * (len - 1)))
            .unwrap_or(current);
        Span {
            from,
            len: len as usize,
            today,
        }
    }

    /// Which quarter `day` is in.
    pub fn index(&self, day: NaiveDate) -> Option<usize> {
        if day < self.from {
            return None;
        }
        let q = (months_between(self.from, day) / 3) as usize;
        (q < self.len).then_some(q)
    }

    /// The first day of quarter `q`.
    pub fn start(&self, q: usize) -> NaiveDate {
        add_months(self.from, 3 * q as u32)
    }

    /// The day after quarter `q`.
    pub fn end(&self, q: usize) -> NaiveDate {
        self.start(q + 1)
    }

    /// Whether quarter `q` has not ended by today.
    pub fn in_progress(&self, q: usize) -> bool {
        self.end(q) > self.today
    }

    /// The last day quarter `q`'s figures are as at: its last day, or
    /// today for the quarter in progress.
    pub fn as_at(&self, q: usize) -> NaiveDate {
        let last = self.end(q).pred_opt().unwrap_or(self.end(q));
        last.min(self.today)
    }

    /// `2026-Q1`, by fiscal year.
    pub fn label(&self, model: &Model, q: usize) -> String {
        model.fiscal_quarter(self.start(q)).to_string()
    }
}

/// The first day of the fiscal quarter `day` is in.
fn quarter_start(model: &Model, day: NaiveDate) -> NaiveDate {
    let year = model.fiscal_year_start(day);
    add_months(year, months_between(year, day) / 3 * 3)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    u32::try_from(months).unwrap_or(0)
}

/// One client's quarter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quarter {
    /// Interactions by type, in [`ActivityType::ALL`]'s order.
    pub by_type: [u32; 6],
    /// Distinct client contacts named in the quarter's notes.
    pub contacts: u32,
    /// Distinct colleagues who logged or attended an interaction.
    pub colleagues: u32,
    /// Colleague–contact meetings (see the module's note).
    pub depth: u32,
    /// Distinct products with revenue in the quarter.
    pub products: u32,
    pub revenue: f64,
    /// Allies and opponents (protesters and enemies) on the relationship
    /// map at the quarter's end.
    pub allies: u32,
    pub opponents: u32,
    /// Service items judged in the quarter (per month or per quarter) and
    /// how many were met; 0 judged before the current fiscal year.
    pub service_judged: u32,
    pub service_met: u32,
}

impl Quarter {
    pub fn interactions(&self) -> u32 {
        self.by_type.iter().sum()
    }

    pub fn of_type(&self, kind: ActivityType) -> u32 {
        ActivityType::ALL
            .iter()
            .position(|k| *k == kind)
            .map_or(0, |i| self.by_type[i])
    }

    /// The share of the quarter's judged service items met, in percent.
    pub fn service_compliance(&self) -> Option<f64> {
        (self.service_judged > 0)
            .then(|| f64::from(self.service_met) / f64::from(self.service_judged) * 100.0)
    }
}

/// One product's trading in one quarter, from the revenue lines that give
/// units (`quantity`, or `price`): seed 002's "volume and order size ...
/// pricing changes".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trade {
    pub product: String,
    /// Index into the span.
    pub quarter: usize,
    /// Units credited to the client: each line's units times its share.
    pub volume: f64,
    /// Transactions: a transaction split over several lines counts by
    /// its shares, so once in all.
    pub orders: f64,
    /// The credited amount of those lines.
    pub amount: f64,
}

impl Trade {
    /// The average price of a unit.
    pub fn average_price(&self) -> Option<f64> {
        (self.volume > 0.0).then(|| self.amount / self.volume)
    }

    /// The average units of a transaction.
    pub fn order_size(&self) -> Option<f64> {
        (self.orders > 0.0).then(|| self.volume / self.orders)
    }
}

/// A client's quarters, parallel to the span, with what the derived
/// figures need.
#[derive(Clone, Debug, Default)]
pub struct ClientSeries {
    pub quarters: Vec<Quarter>,
    /// The client's estimated wallet at each quarter's end (its history,
    /// else `wallet_size`); 0 where there is none.
    pub wallets: Vec<f64>,
    /// Revenue a year before the quarter in progress, up to the same day:
    /// what its revenue to date is compared with.
    pub year_earlier_to_date: f64,
    /// The firm's share of the client's business at each quarter's end,
    /// in percent, from the dataset column firm.yaml marks
    /// `kpi: market-share`; empty without one.
    pub market_share: Vec<Option<f64>>,
    /// Per product and quarter with units, by product then quarter.
    pub trades: Vec<Trade>,
}

impl ClientSeries {
    /// Revenue of the same quarter a year earlier; for the quarter in
    /// progress (the last), of the same days a year earlier. `None` when
    /// the span does not reach back that far.
    pub fn revenue_year_earlier(&self, q: usize) -> Option<f64> {
        if q + 1 == self.quarters.len() {
            return Some(self.year_earlier_to_date);
        }
        Some(self.quarters.get(q.checked_sub(4)?)?.revenue)
    }

    /// Revenue in quarter `q` against a year earlier, in percent; `None`
    /// without that revenue.
    pub fn revenue_growth(&self, q: usize) -> Option<f64> {
        super::against(self.quarters.get(q)?.revenue, self.revenue_year_earlier(q)?)
    }

    /// The revenue of the four quarters ending with `q`; `None` before the
    /// span has four.
    pub fn revenue_4q(&self, q: usize) -> Option<f64> {
        let first = q.checked_sub(3)?;
        Some(
            self.quarters
                .get(first..=q)?
                .iter()
                .map(|x| x.revenue)
                .sum(),
        )
    }

    /// The revenue of the four quarters ending with `q` against the
    /// wallet, in percent.
    pub fn wallet_share(&self, q: usize) -> Option<f64> {
        let wallet = self.wallet(q)?;
        Some(self.revenue_4q(q)? / wallet * 100.0)
    }

    /// The wallet at quarter `q`'s end, if the client has one then.
    pub fn wallet(&self, q: usize) -> Option<f64> {
        self.wallets.get(q).copied().filter(|w| *w > 0.0)
    }

    /// Whether the client has a wallet in any quarter.
    pub fn has_wallet(&self) -> bool {
        self.wallets.iter().any(|w| *w > 0.0)
    }

    /// Transactions with units in quarter `q` (see [`Trade::orders`]).
    pub fn orders(&self, q: usize) -> f64 {
        self.trades
            .iter()
            .filter(|t| t.quarter == q)
            .map(|t| t.orders)
            .sum()
    }

    /// The change in percent of `trades[i]`'s average price from the
    /// quarter before's, for the same product.
    pub fn price_change(&self, i: usize) -> Option<f64> {
        let t = self.trades.get(i)?;
        let before = self.trades[..i]
            .iter()
            .rev()
            .find(|b| b.product == t.product && b.quarter + 1 == t.quarter)?;
        super::against(t.average_price()?, before.average_price()?)
    }

    /// The market share at quarter `q`'s end, if the data gives one.
    pub fn market_share(&self, q: usize) -> Option<f64> {
        self.market_share.get(q).copied().flatten()
    }

    /// Products bought in quarter `q` against the `offered`, in percent.
    pub fn product_penetration(&self, q: usize, offered: usize) -> Option<f64> {
        let bought = self.quarters.get(q)?.products;
        (offered > 0).then(|| f64::from(bought) / offered as f64 * 100.0)
    }
}

/// The series of one client.
pub fn of<'c>(
    span: &Span,
    c: &'c Client,
    inputs: &Inputs<'c>,
    judgements: &[Judgement],
) -> ClientSeries {
    let mut quarters = vec![Quarter::default(); span.len];
    let kind_index = |k: ActivityType| ActivityType::ALL.iter().position(|x| *x == k);
    // Names seen per quarter, to count each once: a client's quarter has
    // a few dozen at most, so a short list beats a set.
    let mut contacts: Vec<Vec<&'c str>> = vec![Vec::new(); span.len];
    let mut colleagues: Vec<Vec<&'c str>> = vec![Vec::new(); span.len];
    let mut products: Vec<Vec<&'c str>> = vec![Vec::new(); span.len];
    fn note<'c>(list: &mut Vec<&'c str>, name: &'c str) {
        if !list.contains(&name) {
            list.push(name);
        }
    }
    for a in &c.activities {
        let d = &a.data;
        let Some(q) = span
            .index(d.date.value.0)
            .filter(|_| d.date.value.0 <= span.today)
        else {
            continue;
        };
        let cell = &mut quarters[q];
        if let Some(i) = kind_index(d.kind.value) {
            cell.by_type[i] += 1;
        }
        note(&mut colleagues[q], d.by.value.as_str());
        for at in &d.attendees {
            note(&mut colleagues[q], at.value.as_str());
        }
        for name in &d.contacts {
            note(&mut contacts[q], name.as_str());
        }
        if matches!(d.kind.value, ActivityType::Meeting | ActivityType::Call) {
            let ours = 1 + d.attendees.len() as u32;
            cell.depth += ours * (d.contacts.len() as u32).max(1);
        }
    }
    for r in &c.captured {
        let Some(q) = span.index(r.date.0).filter(|_| r.date.0 <= span.today) else {
            continue;
        };
        if let Some(i) = kind_index(r.kind) {
            quarters[q].by_type[i] += 1;
        }
        note(&mut colleagues[q], r.by.as_str());
        if matches!(r.kind, ActivityType::Meeting | ActivityType::Call) {
            quarters[q].depth += 1;
        }
    }
    let last = span.len - 1;
    let (earlier_from, earlier_to) = (
        super::Period::last_year(span.start(last)),
        super::Period::last_year(span.today),
    );
    let mut year_earlier_to_date = 0.0;
    let mut trades: Vec<Trade> = Vec::new();
    for line in &inputs.revenue {
        let d = line.date.0;
        if d >= earlier_from && d <= earlier_to {
            year_earlier_to_date += line.credited();
        }
        if let Some(q) = span.index(d).filter(|_| d <= span.today) {
            quarters[q].revenue += line.credited();
            note(&mut products[q], line.product.as_str());
            if let Some(units) = line.units() {
                trade(&mut trades, line, q, units);
            }
        }
    }
    trades.sort_by(|a, b| (&a.product, a.quarter).cmp(&(&b.product, b.quarter)));
    let stakeholders: Vec<_> = c
        .plan
        .iter()
        .flat_map(|p| p.data.stakeholders.iter())
        .collect();
    for (q, cell) in quarters.iter_mut().enumerate() {
        cell.contacts = contacts[q].len() as u32;
        cell.colleagues = colleagues[q].len() as u32;
        cell.products = products[q].len() as u32;
        let day = Date(span.as_at(q));
        for s in stakeholders.iter().filter(|s| s.present_on(day)) {
            match s.stance_on(day) {
                Stance::Ally => cell.allies += 1,
                Stance::Protester | Stance::Enemy => cell.opponents += 1,
                Stance::Neutral => {}
            }
        }
    }
    service(&mut quarters, span, judgements);
    ClientSeries {
        quarters,
        wallets: (0..span.len)
            .map(|q| c.wallet_on(span.as_at(q)).unwrap_or(0.0))
            .collect(),
        year_earlier_to_date,
        market_share: Vec::new(),
        trades,
    }
}

/// Adds a revenue line with `units` to its product's trade in quarter `q`.
fn trade(trades: &mut Vec<Trade>, line: &crate::model::RevenueLine, q: usize, units: f64) {
    let share = line.share / 100.0;
    let at = match trades
        .iter()
        .position(|t| t.quarter == q && t.product == line.product)
    {
        Some(at) => at,
        None => {
            trades.push(Trade {
                product: line.product.clone(),
                quarter: q,
                ..Trade::default()
            });
            trades.len() - 1
        }
    };
    let t = &mut trades[at];
    t.volume += units * share;
    t.orders += share;
    t.amount += line.amount * share;
}

/// Each quarter's monthly and quarterly service items decided, and met.
fn service(quarters: &mut [Quarter], span: &Span, judgements: &[Judgement]) {
    for j in judgements
        .iter()
        .filter(|j| j.per != crate::model::Per::Year)
    {
        let decided = match j.status {
            Status::Met => true,
            Status::Missed => false,
            Status::InProgress => continue,
        };
        if let Some(q) = span.index(j.from) {
            quarters[q].service_judged += 1;
            quarters[q].service_met += u32::from(decided);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quarters_count_from_the_fiscal_year() {
        let span = Span {
            from: day(2025, 4, 1),
            len: 7,
            today: day(2026, 11, 22),
        };
        assert_eq!(span.index(day(2025, 3, 31)), None);
        assert_eq!(span.index(day(2025, 4, 1)), Some(0));
        assert_eq!(span.index(day(2025, 7, 1)), Some(1));
        assert_eq!(span.index(day(2026, 12, 31)), Some(6));
        assert_eq!(span.index(day(2027, 1, 1)), None);
        assert_eq!(span.as_at(6), day(2026, 11, 22));
        assert_eq!(span.as_at(5), day(2026, 9, 30));
        assert!(span.in_progress(6) && !span.in_progress(5));
    }

    #[test]
    fn growth_and_wallet_share_need_their_quarters() {
        let revenue = |r: f64| Quarter {
            revenue: r,
            ..Quarter::default()
        };
        let s = ClientSeries {
            quarters: [100.0, 100.0, 100.0, 100.0, 150.0]
                .into_iter()
                .map(revenue)
                .collect(),
            wallets: vec![1000.0; 5],
            year_earlier_to_date: 75.0,
            market_share: Vec::new(),
            trades: Vec::new(),
        };
        assert_eq!(s.revenue_growth(3), None);
        // The last quarter is in progress: against the same days a year
        // earlier, not the whole quarter.
        assert_eq!(s.revenue_growth(4), Some(100.0));
        assert_eq!(s.wallet_share(2), None);
        assert_eq!(s.wallet_share(4), Some(45.0));
    }
}
