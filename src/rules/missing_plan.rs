//! Every client on the priority list has an account plan (seed 004, client account management: active
//! management of a client account starts with the plan).

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model};

pub const RULE: Rule = Rule {
    id: "missing-plan",
    default: Severity::Error,
    checks: "every tiered client has an account plan (plan.md)",
    fix: "write clients/<id>/plan.md with the objective, goals, strategies, actions and metrics",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(_model: &Model, c: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    std::iter::once(c)
        .filter(|c| c.plan.is_none())
        .filter_map(|c| {
            let tier = c.data.tier.as_ref()?;
            Some(
                Diagnostic::rule(
                    RULE.id,
                    c.src.span(tier),
                    format!(
                        "`{}` is on tier `{}` but has no account plan",
                        c.id, tier.value
                    ),
                )
                .with_label("tiered clients are managed to a plan")
                .with_help(format!(
                    "write clients/{}/plan.md; the README shows its fields",
                    c.id
                )),
            )
        })
        .collect()
}
