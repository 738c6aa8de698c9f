//! Every tiered client's account plan is reviewed at least as often as its
//! tier's cadence (seed 004, client account management: "The plan is 'a living document'"; seed 000, the client management process,
//! step 5 "review progress").

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{add_months, Client, Model};

pub const RULE: Rule = Rule {
    id: "missing-review",
    default: Severity::Error,
    checks: "every tiered client's plan has a review no older than the tier's review cadence (one cadence of grace after joining the tier)",
    fix: "hold the review and record it under clients/<id>/reviews/",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (Some(tier_ref), Some(_plan)) = (&client.data.tier, &client.plan) else {
        return out;
    };
    let Some(tier) = model.tier(&tier_ref.value) else {
        return out;
    };
    let months = tier.review_cadence.months();
    let cadence = tier.review_cadence.as_str();
    let span = client.src.span(tier_ref);
    // A client that joined its tier recently has one cadence of grace
    // from that day, reviewed before or not.
    let since = client
        .data
        .priority_history
        .iter()
        .map(|p| p.date.value.0)
        .max();
    let grace = since.map(|s| add_months(s, months));
    match client.last_review() {
        Some(last) => {
            let due = add_months(last.data.date.value.0, months).max(grace.unwrap_or_default());
            if due < ctx.today {
                out.push(
                    Diagnostic::rule(
                        RULE.id,
                        span,
                        format!(
                            "account plan for `{}` was last reviewed {}; tier `{}` requires a {cadence} review",
                            client.id, last.data.date.value, tier.id.value
                        ),
                    )
                    .with_label(format!("the next review was due {due}"))
                    .with_help(format!("review the plan and record it in clients/{}/reviews/", client.id)),
                );
            }
        }
        None => {
            if grace.is_some_and(|g| g >= ctx.today) {
                return out;
            }
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    span,
                    format!("account plan for `{}` has never been reviewed; tier `{}` requires a {cadence} review", client.id, tier.id.value),
                )
                .with_label(format!("{cadence} reviews on this tier"))
                .with_help(format!("review the plan and record it in clients/{}/reviews/", client.id)),
            );
        }
    }
    out
}
