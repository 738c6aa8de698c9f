//! Is the priority list working? "The success of the list will be
//! measured on the absolute increase in performance of these accounts, but
//! also in the relative outperformance of the rest of the client base"
//! (seed 003). Two views, from the clients' quarterly series:
//!
//! - **Groups over time**: each tier and the untiered clients, per finished
//!   quarter, with per-client figures indexed to the group's first quarter
//!   (= 100) so that groups of different sizes compare. A client counts in
//!   the tier its priority history gives it at the quarter's end.
//! - **Entering the list** (an event study): every client that entered a
//!   tier within the series is lined up on the quarter it entered (quarter
//!   0 = 100); clients never on the list, over the same calendar quarters
//!   and indexed the same way, show what those quarters brought anyway.
//!
//! A figure of fewer than [`MIN_CLIENTS`] clients is not given: it would
//! be one client's story, not the list's.

use chrono::NaiveDate;

use super::series::{ClientSeries, Span};
use super::ClientFigures;
use crate::model::{Client, Model};

/// The fewest clients a figure of this page is given for.
pub const MIN_CLIENTS: usize = 5;

/// The quarters before and after entry the event study shows.
pub const EVENT_WINDOW: i32 = 4;

/// The tier a client held on `day`, from its priority history: the last
/// entry on or before that day. A client whose history starts later was
/// not on the list yet; one with no history has held its tier throughout.
pub fn tier_on(c: &Client, day: NaiveDate) -> Option<&str> {
    let history = &c.data.priority_history;
    if history.is_empty() {
        return c.tier();
    }
    history
        .iter()
        .filter(|h| h.date.value.0 <= day)
        .max_by_key(|h| h.date.value.0)
        .and_then(|h| h.tier.as_ref().map(|t| t.value.as_str()))
}

/// One group's quarter.
#[derive(Clone, Debug, Default)]
pub struct GroupQuarter {
    pub clients: usize,
    pub revenue: f64,
    /// The revenue of the clients the series reaches back a year for, of
    /// the same clients a year earlier, and how many they are.
    pub revenue_compared: f64,
    pub revenue_year_earlier: f64,
    pub with_year_earlier: usize,
    pub interactions: u64,
    pub depth: u64,
    /// Sum of the clients' product penetration, in percent.
    pub product_penetration: f64,
    /// Four quarters' revenue and wallets of the clients with a wallet.
    pub revenue_4q: f64,
    pub wallet: f64,
}

impl GroupQuarter {
    pub fn enough(&self) -> bool {
        self.clients >= MIN_CLIENTS
    }

    fn per_client(&self, total: f64) -> Option<f64> {
        self.enough().then(|| total / self.clients as f64)
    }

    pub fn revenue_per_client(&self) -> Option<f64> {
        self.per_client(self.revenue)
    }

    pub fn interactions_per_client(&self) -> Option<f64> {
        self.per_client(self.interactions as f64)
    }

    pub fn depth_per_client(&self) -> Option<f64> {
        self.per_client(self.depth as f64)
    }

    pub fn product_penetration(&self) -> Option<f64> {
        self.per_client(self.product_penetration)
    }

    /// Revenue against a year earlier, for the clients the series reaches
    /// back a year for.
    pub fn growth(&self) -> Option<f64> {
        if self.with_year_earlier < MIN_CLIENTS {
            return None;
        }
        super::against(self.revenue_compared, self.revenue_year_earlier)
    }

    pub fn wallet_share(&self) -> Option<f64> {
        (self.enough() && self.wallet > 0.0).then(|| self.revenue_4q / self.wallet * 100.0)
    }
}

/// A tier (or the untiered clients) over the finished quarters.
#[derive(Clone, Debug)]
pub struct Group {
    /// The tier's id; `None` for the untiered clients.
    pub tier: Option<String>,
    pub name: String,
    /// Parallel to [`Impact::quarters`].
    pub quarters: Vec<GroupQuarter>,
}

impl Group {
    /// `value` of each quarter against the first quarter's, as 100; `None`
    /// where either has too few clients.
    pub fn indexed(&self, value: impl Fn(&GroupQuarter) -> Option<f64>) -> Vec<Option<f64>> {
        let base = self.quarters.first().and_then(&value).filter(|b| *b > 0.0);
        self.quarters
            .iter()
            .map(|q| Some(value(q)? / base? * 100.0))
            .collect()
    }
}

/// One quarter relative to entry: the entrants' figures and the
/// never-listed clients' over the same calendar quarters.
#[derive(Clone, Debug, Default)]
pub struct EventQuarter {
    /// Quarters from entry: -1 the quarter before, 0 the quarter of entry.
    pub offset: i32,
    /// Entrants whose series has this quarter finished.
    pub entrants: usize,
    /// Indexed to the quarter of entry; `None` with too few entrants.
    pub revenue: Option<f64>,
    pub interactions: Option<f64>,
    pub untiered_revenue: Option<f64>,
    pub untiered_interactions: Option<f64>,
}

/// The program impact page's figures.
#[derive(Clone, Debug, Default)]
pub struct Impact {
    /// The indexes of the span's finished quarters.
    pub quarters: Vec<usize>,
    /// The charter's tiers in order, then the untiered clients.
    pub groups: Vec<Group>,
    /// Clients that entered a tier within the series (their first entry).
    pub entrants: usize,
    /// Clients never on the list in the series: the comparison.
    pub never_listed: usize,
    pub events: Vec<EventQuarter>,
}

/// Each client's tier at the end of each quarter of the span.
fn tiers<'m>(model: &'m Model, span: &Span) -> Vec<Vec<Option<&'m str>>> {
    model
        .clients
        .iter()
        .map(|c| (0..span.len).map(|q| tier_on(c, span.as_at(q))).collect())
        .collect()
}

pub fn impact(model: &Model, clients: &[ClientFigures], span: &Span, offered: usize) -> Impact {
    let quarters: Vec<usize> = (0..span.len).filter(|&q| !span.in_progress(q)).collect();
    let held = tiers(model, span);
    let mut ids: Vec<Option<(&str, &str)>> = model
        .charter
        .iter()
        .flat_map(|c| {
            c.tiers
                .iter()
                .map(|t| Some((t.id.value.as_str(), t.name.as_str())))
        })
        .collect();
    ids.push(None);
    let groups = ids
        .iter()
        .map(|id| Group {
            tier: id.map(|(t, _)| t.to_string()),
            name: id.map_or_else(|| String::from("Untiered"), |(_, n)| n.to_string()),
            quarters: quarters
                .iter()
                .map(|&q| {
                    let mut g = GroupQuarter::default();
                    let members = clients
                        .iter()
                        .zip(&held)
                        .filter(|(_, t)| t[q] == id.map(|(t, _)| t))
                        .map(|(f, _)| &f.series);
                    for s in members {
                        add(&mut g, s, q, offered);
                    }
                    g
                })
                .collect(),
        })
        .collect();
    let never: Vec<&ClientSeries> = clients
        .iter()
        .zip(&held)
        .filter(|(_, t)| t.iter().all(Option::is_none))
        .map(|(f, _)| &f.series)
        .collect();
    // The first quarter a client is on the list after a quarter off it.
    let entries: Vec<(&ClientSeries, usize)> = clients
        .iter()
        .zip(&held)
        .filter_map(|(f, t)| {
            let q = (1..span.len).find(|&q| t[q].is_some() && t[q - 1].is_none())?;
            // An entry in the quarter in progress has no finished quarter
            // to be indexed to yet.
            (!span.in_progress(q)).then_some((&f.series, q))
        })
        .collect();
    let finished = |q: i64| q >= 0 && (q as usize) < span.len && !span.in_progress(q as usize);
    let events = (-EVENT_WINDOW..=EVENT_WINDOW)
        .map(|offset| {
            let cohort: Vec<(&ClientSeries, usize, usize)> = entries
                .iter()
                .filter(|(_, e)| finished(*e as i64 + i64::from(offset)))
                .map(|(s, e)| (*s, *e, (*e as i64 + i64::from(offset)) as usize))
                .collect();
            let index = |value: &dyn Fn(&ClientSeries, usize) -> f64| {
                let now: f64 = cohort.iter().map(|(s, _, q)| value(s, *q)).sum();
                let base: f64 = cohort.iter().map(|(s, e, _)| value(s, *e)).sum();
                (cohort.len() >= MIN_CLIENTS && base > 0.0).then(|| now / base * 100.0)
            };
            let average = |q: usize, value: &dyn Fn(&ClientSeries, usize) -> f64| {
                never.iter().map(|s| value(s, q)).sum::<f64>() / never.len().max(1) as f64
            };
            let control = |value: &dyn Fn(&ClientSeries, usize) -> f64| {
                let now: f64 = cohort.iter().map(|(_, _, q)| average(*q, value)).sum();
                let base: f64 = cohort.iter().map(|(_, e, _)| average(*e, value)).sum();
                (cohort.len() >= MIN_CLIENTS && never.len() >= MIN_CLIENTS && base > 0.0)
                    .then(|| now / base * 100.0)
            };
            let revenue = |s: &ClientSeries, q: usize| s.quarters[q].revenue;
            let interactions = |s: &ClientSeries, q: usize| f64::from(s.quarters[q].interactions());
            EventQuarter {
                offset,
                entrants: cohort.len(),
                revenue: index(&revenue),
                interactions: index(&interactions),
                untiered_revenue: control(&revenue),
                untiered_interactions: control(&interactions),
            }
        })
        .collect();
    Impact {
        quarters,
        groups,
        entrants: entries.len(),
        never_listed: never.len(),
        events,
    }
}

fn add(g: &mut GroupQuarter, s: &ClientSeries, q: usize, offered: usize) {
    let x = &s.quarters[q];
    g.clients += 1;
    g.revenue += x.revenue;
    if let Some(earlier) = s.revenue_year_earlier(q) {
        g.revenue_compared += x.revenue;
        g.revenue_year_earlier += earlier;
        g.with_year_earlier += 1;
    }
    g.interactions += u64::from(x.interactions());
    g.depth += u64::from(x.depth);
    g.product_penetration += s.product_penetration(q, offered).unwrap_or(0.0);
    if let (Some(wallet), Some(four)) = (s.wallet(q), s.revenue_4q(q)) {
        g.wallet += wallet;
        g.revenue_4q += four;
    }
}
