//! The page builders, one module per group of pages.

mod client;
mod client_list;
mod data;
mod firm;
mod impact;
mod kpis;
mod overview;
mod person;
mod profit;
mod segments;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Refs;
use super::{Options, Out, Scope, SiteError};
use crate::diag::Diagnostic;

pub fn render_all(
    out: &Out<'_>,
    refs: &Refs<'_>,
    diagnostics: &[Diagnostic],
    options: &Options,
    scope: &Scope,
) -> Result<(), SiteError> {
    if scope.firm_pages {
        overview::render(out, refs, diagnostics)?;
        firm::render(out, refs)?;
    }
    if scope.clients.as_ref().is_none_or(|c| !c.is_empty()) {
        client_list::render(out, refs, scope)?;
    }
    // People's pages beside the clients' rather than after them: gathering
    // each person's clients and notes is one pass over every activity, and
    // after the last client page it left one core idle.
    let (clients, people) = rayon::join(
        || {
            (0..refs.model.clients.len())
                .into_par_iter()
                .with_max_len(crate::CLIENTS_PER_TASK)
                .filter(|&i| scope.client(&refs.model.clients[i].id))
                .try_for_each(|i| client::render(out, refs, i, &options.content))
        },
        || person::render_all(out, refs, scope),
    );
    clients?;
    people
}

/// How many months of this fiscal year to draw: those the revenue data
/// reaches into, so a line stops where the data does instead of dropping
/// to zero.
pub fn reported_months(refs: &Refs<'_>) -> usize {
    let covered = refs.metrics.revenue_to.min(refs.metrics.today);
    (0..12u32)
        .filter(|&i| crate::model::add_months(refs.metrics.fy_start, i) <= covered)
        .count()
}

/// A problem as shown on a page.
#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub severity: String,
    pub rule: &'static str,
    pub message: String,
    pub location: String,
    pub help: String,
    pub note: String,
}

pub fn finding_view(d: &Diagnostic) -> FindingView {
    FindingView {
        severity: d.severity.to_string(),
        rule: d.rule,
        message: d.message.clone(),
        location: d.span.as_ref().map_or(String::new(), ToString::to_string),
        help: d.help.clone().unwrap_or_default(),
        note: d.note.clone().unwrap_or_default(),
    }
}
