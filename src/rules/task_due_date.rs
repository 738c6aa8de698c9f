//! Every task has a due date, so "I haven't got round to that yet" shows up
//! as overdue rather than never (seed 004, client account management, managing to the plan).

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::TaskRef;

pub const RULE: Rule = Rule {
    id: "task-due-date",
    default: Severity::Error,
    checks: "every task has a due date",
    fix: "add `due: YYYY-MM-DD` to the task",
    firm: None,
    client: None,
    task: Some(finding),
};

fn finding(t: TaskRef<'_>, _ctx: &Context) -> Option<Diagnostic> {
    (t.task.due.is_none()).then(|| {
        Diagnostic::rule(
            RULE.id,
            t.src.span(&t.task.title),
            format!(
                "{} `{}` has no due date",
                t.place.describe(),
                t.task.title.value
            ),
        )
        .with_label("when is this due?")
        .with_help("add `due: YYYY-MM-DD` to this task")
    })
}
