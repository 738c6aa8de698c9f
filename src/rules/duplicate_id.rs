//! Ids are unique: two tiers, goals or strategies with one id make every
//! reference to it ambiguous.

use std::collections::HashMap;

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::Spanned;
use crate::model::{Client, Model, Source};

pub const RULE: Rule = Rule {
    id: "duplicate-id",
    default: Severity::Error,
    checks: "tier, qualifier, goal and strategy ids, and stakeholder names in a plan, are unique",
    fix: "rename one of them",
    firm: Some(firm),
    client: Some(client),
    task: None,
};

fn firm(model: &Model, _ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(charter) = &model.charter {
        dupes(
            &model.charter_src,
            charter.tiers.iter().map(|t| &t.id),
            "tier",
            &mut out,
        );
        dupes(
            &model.charter_src,
            charter.qualifiers.iter().map(|q| &q.id),
            "qualifier",
            &mut out,
        );
    }
    let s = &model.strategy;
    dupes(
        &model.strategy_src,
        s.goals.iter().map(|g| &g.id),
        "goal",
        &mut out,
    );
    dupes(
        &model.strategy_src,
        s.strategies.iter().map(|g| &g.id),
        "strategy",
        &mut out,
    );
    out
}

fn client(_model: &Model, client: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(plan) = &client.plan {
        let p = &plan.data;
        dupes(&plan.src, p.goals.iter().map(|g| &g.id), "goal", &mut out);
        dupes(
            &plan.src,
            p.strategies.iter().map(|g| &g.id),
            "strategy",
            &mut out,
        );
        dupes(
            &plan.src,
            p.stakeholders.iter().map(|g| &g.name),
            "stakeholder",
            &mut out,
        );
    }
    out
}

fn dupes<'a>(
    src: &Source,
    ids: impl Iterator<Item = &'a Spanned<String>>,
    kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.value.as_str()) {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    src.span(id),
                    format!("{kind} `{}` is defined twice", id.value),
                )
                .with_label(format!(
                    "first defined on line {}",
                    first.pos.line + src.line_offset
                ))
                .with_help(format!(
                    "rename one of them; every reference to `{}` would be ambiguous",
                    id.value
                )),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}
