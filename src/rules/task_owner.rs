//! Every task has an owner: plan actions, review actions, follow-ups and
//! firm action plans. Seed 001: "It's important to be explicit of ownership
//! of all tasks." Whether the owner exists is `unknown-reference`.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::TaskRef;

pub const RULE: Rule = Rule {
    id: "task-owner",
    default: Severity::Error,
    checks: "every task (plan action, review action, follow-up, firm action plan) names an owner",
    fix: "add `owner: <person id>` to the task",
    firm: None,
    client: None,
    task: Some(finding),
};

fn finding(t: TaskRef<'_>, _ctx: &Context) -> Option<Diagnostic> {
    (t.task.owner.is_none()).then(|| {
        Diagnostic::rule(
            RULE.id,
            t.src.span(&t.task.title),
            format!(
                "{} `{}` has no owner",
                t.place.describe(),
                t.task.title.value
            ),
        )
        .with_label("nobody is accountable for this")
        .with_help("add `owner: <person id>` to this task; ids are the file names in team/")
    })
}
