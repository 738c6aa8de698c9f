//! Movers on the priority list: every change of a client's tier that its
//! priority history records, with the fiscal quarter and the reason. The
//! list "needs to be dynamic and reviewed regularly" (seed 003,
//! implementing a priority list): this is what the reviews changed.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Model, Period};

/// One change of tier.
#[derive(Clone, Debug, Serialize)]
pub struct Move {
    /// Index into `model.clients`.
    pub client: usize,
    pub date: NaiveDate,
    /// The fiscal quarter of `date`.
    pub quarter: Period,
    pub kind: MoveKind,
    /// The tier before, if the client was on the list.
    pub from: Option<String>,
    /// The tier after, if the client stays on the list.
    pub to: Option<String>,
    pub reason: Option<String>,
}

/// What a change of tier was, by the charter's order of tiers (its first
/// tier is the highest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoveKind {
    Entered,
    Left,
    Promoted,
    Demoted,
    /// Between tiers the charter does not both list, so neither up nor
    /// down.
    Moved,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Entered => "entered",
            MoveKind::Left => "left",
            MoveKind::Promoted => "promoted",
            MoveKind::Demoted => "demoted",
            MoveKind::Moved => "moved",
        }
    }
}

/// Every move of every client dated up to `today`, newest first. Each
/// history is read in date order; an entry that names the tier the client
/// is already on (a confirmation at a list review) is no move.
pub fn movers(model: &Model, today: NaiveDate) -> Vec<Move> {
    let tiers: Vec<&str> = model
        .charter
        .iter()
        .flat_map(|c| c.tiers.iter().map(|t| t.id.value.as_str()))
        .collect();
    let rank = |tier: &str| tiers.iter().position(|t| *t == tier);
    let mut out = Vec::new();
    for (i, c) in model.clients.iter().enumerate() {
        let mut history: Vec<_> = c
            .data
            .priority_history
            .iter()
            .filter(|p| p.date.value.0 <= today)
            .collect();
        history.sort_by_key(|p| p.date.value.0);
        let mut on: Option<&str> = None;
        for change in history {
            let to = change.tier.as_ref().map(|t| t.value.as_str());
            let kind = match (on, to) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => MoveKind::Entered,
                (Some(_), None) => MoveKind::Left,
                (Some(a), Some(b)) => match (rank(a), rank(b)) {
                    (Some(x), Some(y)) if y < x => MoveKind::Promoted,
                    (Some(x), Some(y)) if y > x => MoveKind::Demoted,
                    _ => MoveKind::Moved,
                },
            };
            let date = change.date.value.0;
            out.push(Move {
                client: i,
                date,
                quarter: model.fiscal_quarter(date),
                kind,
                from: on.map(str::to_string),
                to: to.map(str::to_string),
                reason: change.reason.as_ref().map(|r| r.value.clone()),
            });
            on = to;
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then(a.client.cmp(&b.client)));
    out
}
