//! Figures per person: the clients they own, the interactions the charter
//! asks of them against what they delivered, their objectives' scorecard,
//! overdue work and revenue against budget. A manager sees them for each
//! direct report; everyone sees their own first (seed 003, implementing a
//! priority list: monitoring "framed as feedback"; seed 004, objectives
//! that feed performance management; seed 000, "capacity, skills, and
//! relationships in place to execute the plan").

use std::collections::HashMap;

use chrono::NaiveDate;

use super::client::ClientFigures;
use super::Period;
use crate::model::{Model, TaskPlace};

/// One person's figures.
#[derive(Clone, Debug, Default)]
pub struct PersonFigures {
    /// Clients they own, by index in `model.clients`.
    pub owned: Vec<usize>,
    /// Interactions they held or attended in the quarter in progress, and
    /// in the last finished quarter.
    pub this_quarter: u32,
    pub last_quarter: u32,
    /// What the charter asks a quarter across the clients they own: the
    /// sum of their tiers' `minimum_per_quarter`.
    pub asked_per_quarter: u32,
    pub overdue_tasks: usize,
    /// Tiered clients they own whose plan review is overdue.
    pub overdue_reviews: usize,
    pub revenue_ytd: f64,
    pub budget_ytd: f64,
    pub objectives: Scorecard,
}

/// Their account-plan actions and review actions: done this fiscal year
/// (on time or late by their `done:` date, or undated), open, overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scorecard {
    pub on_time: usize,
    pub late: usize,
    /// Done, without a `done:` date to say when.
    pub undated: usize,
    pub open: usize,
    pub overdue: usize,
}

/// Figures of every person, parallel to `model.people`.
pub fn figures(model: &Model, clients: &[ClientFigures], p: &Period) -> Vec<PersonFigures> {
    let mut out: Vec<PersonFigures> = vec![PersonFigures::default(); model.people.len()];
    let slot: HashMap<&str, usize> = model
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let (this_from, last_from) = quarters(p);
    let count = |out: &mut Vec<PersonFigures>, who: &str, date: NaiveDate| {
        if let Some(f) = slot.get(who).map(|&i| &mut out[i]) {
            if date >= this_from && date <= p.today {
                f.this_quarter += 1;
            } else if date >= last_from && date < this_from {
                f.last_quarter += 1;
            }
        }
    };
    for (i, (c, cf)) in model.clients.iter().zip(clients).enumerate() {
        if let Some(f) = c
            .data
            .coverage
            .owner
            .as_ref()
            .and_then(|o| slot.get(o.value.as_str()))
            .map(|&s| &mut out[s])
        {
            f.owned.push(i);
            f.revenue_ytd += cf.revenue_ytd;
            f.budget_ytd += cf.budget_ytd;
            f.overdue_reviews += usize::from(cf.next_review.is_some_and(|d| d < p.today));
            if let Some(tier) = c.tier().and_then(|t| model.tier(t)) {
                f.asked_per_quarter += tier.minimum_per_quarter.values().sum::<u32>();
            }
        }
        for a in &c.activities {
            let date = a.data.date.value.0;
            count(&mut out, &a.data.by.value, date);
            for attendee in &a.data.attendees {
                count(&mut out, &attendee.value, date);
            }
        }
        for r in &c.captured {
            count(&mut out, &r.by, r.date.0);
        }
    }
    for t in model.tasks() {
        let Some(f) = t
            .task
            .owner
            .as_ref()
            .and_then(|o| slot.get(o.value.as_str()))
            .map(|&s| &mut out[s])
        else {
            continue;
        };
        let due = t.task.due.as_ref().map(|d| d.value.0);
        let open = t.task.status.is_open();
        if open && due.is_some_and(|d| d < p.today) {
            f.overdue_tasks += 1;
        }
        if !matches!(t.place, TaskPlace::Plan | TaskPlace::Review) {
            continue;
        }
        let this_year = due.is_some_and(|d| d >= p.fy_start && d < p.fy_end);
        let s = &mut f.objectives;
        match (t.task.status, open) {
            (_, true) if due.is_some_and(|d| d < p.today) => s.overdue += 1,
            (_, true) => s.open += 1,
            (crate::model::TaskStatus::Done, _) if this_year => {
                let done = t.task.done.as_ref().map(|d| d.value.0);
                match (done, due) {
                    (Some(done), Some(due)) if done > due => s.late += 1,
                    (Some(_), _) => s.on_time += 1,
                    (None, _) => s.undated += 1,
                }
            }
            _ => {}
        }
    }
    out
}

/// The first days of the quarter in progress and of the one before it.
fn quarters(p: &Period) -> (NaiveDate, NaiveDate) {
    let (_, this) = p.last_four_quarters();
    let last = this
        .checked_sub_months(chrono::Months::new(3))
        .unwrap_or(this);
    (this, last)
}
