//! Open tasks past their due date, so reviews see what slipped (seed 004, client account management:
//! "you need to manage the achievements of those SMART objectives").

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::TaskRef;

pub const RULE: Rule = Rule {
    id: "overdue-task",
    default: Severity::Warning,
    checks: "open tasks are not past their due date",
    fix: "finish it and set `status: done`, or agree a new `due` date",
    firm: None,
    client: None,
    task: Some(finding),
};

fn finding(t: TaskRef<'_>, ctx: &Context) -> Option<Diagnostic> {
    if !t.task.status.is_open() {
        return None;
    }
    let due = t.task.due.as_ref()?;
    (due.value.0 < ctx.today).then(|| {
        let days = (ctx.today - due.value.0).num_days();
        Diagnostic::rule(
            RULE.id,
            t.src.span_of(due),
            format!(
                "{} `{}` was due {} and is still open",
                t.place.describe(),
                t.task.title.value,
                due.value
            ),
        )
        .with_label(format!("{} overdue", crate::diag::plural(days, "day")))
        .with_help("set `status: done` if it is finished, or agree a new `due` date with the owner")
    })
}
