//! A review produces something: findings or actions (seed 004, client account management: "The
//! reviews you undertake need to produce actions"), and an event review
//! says which event prompted it.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model, ReviewKind};

pub const RULE: Rule = Rule {
    id: "review-content",
    default: Severity::Error,
    checks: "every review records findings or actions; event reviews name their trigger",
    fix: "add `findings:` or `actions:` (and `trigger:` for an event review)",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(_model: &Model, client: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for review in &client.reviews {
        let d = &review.data;
        let span = review.src.span_of(&d.date);
        if d.findings.is_empty() && d.actions.is_empty() {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    span.clone(),
                    format!(
                        "review of `{}` on {} records no findings and no actions",
                        client.id, d.date.value
                    ),
                )
                .with_label("what did this review conclude?")
                .with_help("add `findings:` (a list) or `actions:` with owner and due date"),
            );
        }
        if d.kind.value == ReviewKind::Event && d.trigger.is_none() {
            out.push(
                Diagnostic::rule(RULE.id, review.src.at(d.kind.pos).with_len(5), format!("event review of `{}` on {} does not say what triggered it", client.id, d.date.value))
                    .with_label("which event?")
                    .with_help("add `trigger:`, e.g. `client-personnel-change`, `merger-acquisition` or `objective-achieved`"),
            );
        }
    }
    out
}
