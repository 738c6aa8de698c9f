//! Goals -> strategies -> action plans stay linked (seed 001, developing a client strategy): a strategy
//! says which goal it serves, an action which strategy it carries out.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Goal, Model, Source, Strategy, Task};

pub const RULE: Rule = Rule {
    id: "strategy-link",
    default: Severity::Error,
    checks: "strategies name the goal they serve and actions the strategy they carry out",
    fix: "add `goal: <goal id>` to the strategy or `strategy: <strategy id>` to the action",
    firm: Some(firm),
    client: Some(client),
    task: None,
};

fn firm(model: &Model, _ctx: &Context) -> Vec<Diagnostic> {
    let s = &model.strategy;
    check(
        &model.strategy_src,
        &s.goals,
        &s.strategies,
        &s.actions,
        "firm",
    )
}

fn client(_model: &Model, client: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let Some(plan) = &client.plan else {
        return Vec::new();
    };
    let p = &plan.data;
    check(
        &plan.src,
        &p.goals,
        &p.strategies,
        &p.actions,
        &format!("`{}` plan", client.id),
    )
}

fn check(
    src: &Source,
    goals: &[Goal],
    strategies: &[Strategy],
    actions: &[Task],
    whose: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !goals.is_empty() {
        for strategy in strategies.iter().filter(|st| st.goal.is_none()) {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    src.span(&strategy.id),
                    format!("{whose} strategy `{}` serves no goal", strategy.id.value),
                )
                .with_label("which goal is this for?")
                .with_help(
                    "add `goal: <goal id>`; a strategy that serves no goal is a candidate to drop",
                ),
            );
        }
    }
    if !strategies.is_empty() {
        for action in actions.iter().filter(|a| a.strategy.is_none()) {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    src.span(&action.title),
                    format!(
                        "{whose} action `{}` is linked to no strategy",
                        action.title.value
                    ),
                )
                .with_label("which strategy does this carry out?")
                .with_help("add `strategy: <strategy id>`"),
            );
        }
    }
    out
}
