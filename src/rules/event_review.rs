//! Events at the client call for a review of the plan (seed 004, client
//! account management, "Client-driven review": review the plan "whenever
//! there is a change of significant personnel at the client"; "Jan has
//! retired, so you review the plan"). The events the files show: a
//! stakeholder who left (`left:`), a stance change that wins or loses an
//! ally or makes an enemy, and a move between tiers of the priority list.

use super::{Context, Rule};
use crate::diag::Severity;
use crate::diag::{Diagnostic, Span};
use crate::model::{Client, Date, Model, ReviewKind, Stance};

pub const RULE: Rule = Rule {
    id: "event-review",
    default: Severity::Error,
    checks: "a tiered client's plan has a review of kind `event` within the tier's `event_review_days` of each event its files show: a stakeholder who left, a stance change to or from `ally` or to `enemy`, a move between tiers",
    fix: "record a review with `kind: event` and its `trigger:` in clients/<id>/reviews/",
    firm: None,
    client: Some(client),
    task: None,
};

/// An event the files show, and where it is written.
struct Event {
    date: chrono::NaiveDate,
    what: String,
    trigger: &'static str,
    span: Span,
}

fn client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let Some(tier) = client.tier().and_then(|t| model.tier(t)) else {
        return Vec::new();
    };
    let Some(days) = tier.event_review_days else {
        return Vec::new();
    };
    let window = chrono::Days::new(u64::from(days));
    let fy_start = model.fiscal_year_start(ctx.today);
    let reviews: Vec<chrono::NaiveDate> = client
        .reviews
        .iter()
        .filter(|r| r.data.kind.value == ReviewKind::Event)
        .map(|r| r.data.date.value.0)
        .collect();
    events(client)
        .into_iter()
        // Judged once its window has passed, while the window reaches into
        // this fiscal year.
        .filter(|e| e.date + window < ctx.today && e.date + window >= fy_start)
        .filter(|e| !reviews.iter().any(|r| *r >= e.date && *r <= e.date + window))
        .map(|e| {
            Diagnostic::rule(
                RULE.id,
                e.span,
                format!(
                    "{} on {}; no event review of `{}` followed within {}",
                    e.what,
                    e.date,
                    client.id,
                    crate::diag::plural(days, "day")
                ),
            )
            .with_label(format!(
                "tier `{}` asks for an event review within {}",
                tier.id.value,
                crate::diag::plural(days, "day")
            ))
            .with_help(format!(
                "review the plan and record it in clients/{}/reviews/ with `kind: event` and `trigger: {}`",
                client.id, e.trigger
            ))
        })
        .collect()
}

fn events(client: &Client) -> Vec<Event> {
    let mut out = Vec::new();
    if let Some(plan) = &client.plan {
        for s in &plan.data.stakeholders {
            if let Some(left) = &s.left {
                out.push(Event {
                    date: left.value.0,
                    what: format!("{} left", s.name.value),
                    trigger: "client-personnel-change",
                    span: plan.src.span_of(left),
                });
            }
            for change in &s.changes {
                let after = s.stance_on(Date(change.date.value.0));
                let significant = change.from != after
                    && (change.from == Stance::Ally
                        || after == Stance::Ally
                        || after == Stance::Enemy);
                if significant {
                    out.push(Event {
                        date: change.date.value.0,
                        what: format!(
                            "{} went from {} to {}",
                            s.name.value,
                            change.from.as_str(),
                            after.as_str()
                        ),
                        trigger: "client-personnel-change",
                        span: plan.src.span_of(&change.date),
                    });
                }
            }
        }
    }
    let mut history: Vec<_> = client.data.priority_history.iter().collect();
    history.sort_by_key(|h| h.date.value);
    for pair in history.windows(2) {
        let (before, now) = (&pair[0], &pair[1]);
        let tier = |h: &crate::model::PriorityChange| {
            h.tier
                .as_ref()
                .map_or("untiered", |t| t.value.as_str())
                .to_string()
        };
        if tier(before) != tier(now) {
            out.push(Event {
                date: now.date.value.0,
                what: format!(
                    "`{}` moved from {} to {}",
                    client.id,
                    tier(before),
                    tier(now)
                ),
                trigger: "internal-objective-change",
                span: client.src.span_of(&now.date),
            });
        }
    }
    out
}
