//! Moves on and off the priority list are recorded with a date and a
//! reason (seed 000, the client management process: "very little discipline around how clients make it in
//! or drop out of these lists").

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model};

pub const RULE: Rule = Rule {
    id: "tier-history",
    default: Severity::Error,
    checks: "a client's tier matches the latest `priority_history` entry, and every entry has a date that has come and a reason",
    fix: "add `- { date: YYYY-MM-DD, tier: <tier>, reason: ... }` to priority_history",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(_model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let d = &client.data;
    let mut out = Vec::new();
    for change in &d.priority_history {
        if change.date.value.0 > ctx.today {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    client.src.span_of(&change.date),
                    format!(
                        "priority change of `{}` is dated {}, after today ({})",
                        client.id, change.date.value, ctx.today
                    ),
                )
                .with_label("not yet happened")
                .with_help(
                    "record a change on the day it takes effect; plan a future one as a task",
                ),
            );
        }
        let missing = change
            .reason
            .as_ref()
            .is_none_or(|r| r.value.trim().is_empty());
        if missing {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    client.src.span_of(&change.date),
                    format!(
                        "priority change of `{}` on {} has no reason",
                        client.id, change.date.value
                    ),
                )
                .with_label("why did the tier change?")
                .with_help("add `reason:` saying which entry or exit criterion was met"),
            );
        }
    }
    let latest = d.priority_history.iter().max_by_key(|c| c.date.value);
    let latest_tier = latest
        .and_then(|c| c.tier.as_ref())
        .map(|t| t.value.as_str());
    match (&d.tier, latest) {
        (Some(tier), None) => out.push(
            Diagnostic::rule(RULE.id, client.src.span(tier), format!("`{}` is on tier `{}` but its priority history is empty", client.id, tier.value))
                .with_label("when and why did it join this tier?")
                .with_help(format!("add `priority_history:` with `- {{ date: YYYY-MM-DD, tier: {}, reason: ... }}`", tier.value)),
        ),
        (Some(tier), Some(last)) if latest_tier != Some(tier.value.as_str()) => out.push(
            Diagnostic::rule(
                RULE.id,
                client.src.span(tier),
                format!(
                    "`{}` is on tier `{}` but its latest priority change ({}) says {}",
                    client.id,
                    tier.value,
                    last.date.value,
                    latest_tier.map_or(String::from("it left the list"), |t| format!("`{t}`"))
                ),
            )
            .with_label("tier changed without a recorded reason")
            .with_help(format!("add a priority_history entry with the date it moved to `{}` and why", tier.value)),
        ),
        (None, Some(last)) if latest_tier.is_some() => out.push(
            Diagnostic::rule(
                RULE.id,
                client.src.span_of(&last.date),
                format!("`{}` has no tier but its latest priority change puts it on `{}`", client.id, latest_tier.unwrap_or_default()),
            )
            .with_label("latest change")
            .with_help("add the tier to client.yaml, or record when and why it left the list (an entry without `tier:`)"),
        ),
        _ => {}
    }
    out
}
