//! Strategy checks at the firm's cadence (seed 001, developing a client
//! strategy): "perform strategy checks against goals and strategies to
//! evaluate whether they are still achievable, and in some cases still
//! relevant". firm.yaml's `strategy_checks` sets how often; strategy.yaml
//! records each check.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{add_months, Model, StrategyCheck};

pub const RULE: Rule = Rule {
    id: "strategy-check",
    default: Severity::Warning,
    checks: "strategy.yaml records a strategy check at the cadence `strategy_checks` in firm.yaml sets, and the latest judges every goal and strategy",
    fix: "record the check under `checks:` in strategy.yaml: its date, reviewers, and for each goal and strategy `{ achievable: true, relevant: true, note: ... }`",
    firm: Some(firm),
    client: None,
    task: None,
};

fn firm(model: &Model, ctx: &Context) -> Vec<Diagnostic> {
    let Some(cadence) = &model.firm.strategy_checks else {
        return Vec::new();
    };
    let s = &model.strategy;
    if s.goals.is_empty() && s.strategies.is_empty() {
        return Vec::new();
    }
    let every = match cadence.value {
        crate::model::Cadence::Monthly => "every month",
        crate::model::Cadence::Quarterly => "every quarter",
        crate::model::Cadence::Annual => "every year",
    };
    let Some(last) = latest(&s.checks, ctx.today) else {
        return vec![Diagnostic::rule(
            RULE.id,
            model
                .firm_src
                .at(cadence.pos)
                .with_len(cadence.value.as_str().len()),
            "no strategy check is recorded in strategy.yaml",
        )
        .with_label(format!("a check of the goals and strategies {every}"))
        .with_help(RULE.fix)];
    };
    let src = &model.strategy_src;
    let at = || src.span_of(&last.date);
    let mut out = Vec::new();
    let due = add_months(last.date.value.0, cadence.value.months());
    if due < ctx.today {
        out.push(
            Diagnostic::rule(
                RULE.id,
                at(),
                format!(
                    "the last strategy check was on {}; the next was due on {due}",
                    last.date.value
                ),
            )
            .with_label(format!("firm.yaml asks for one {every}"))
            .with_help("check whether each goal and strategy is still achievable and still relevant, and record it under `checks:`"),
        );
    }
    let left_out: Vec<String> = s
        .goals
        .iter()
        .filter(|g| last.verdict(&g.id.value, true).is_none())
        .map(|g| format!("goal `{}`", g.id.value))
        .chain(
            s.strategies
                .iter()
                .filter(|st| last.verdict(&st.id.value, false).is_none())
                .map(|st| format!("strategy `{}`", st.id.value)),
        )
        .collect();
    if !left_out.is_empty() {
        out.push(
            Diagnostic::rule(
                RULE.id,
                at(),
                format!(
                    "the strategy check of {} does not judge {}",
                    last.date.value,
                    left_out.join(", ")
                ),
            )
            .with_label("the latest check")
            .with_help("give each goal and strategy a verdict: `{ achievable: true, relevant: true, note: ... }`"),
        );
    }
    out
}

/// The latest check held by `today`.
pub fn latest(checks: &[StrategyCheck], today: chrono::NaiveDate) -> Option<&StrategyCheck> {
    checks
        .iter()
        .filter(|c| c.date.value.0 <= today)
        .max_by_key(|c| c.date.value.0)
}
