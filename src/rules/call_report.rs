//! Meetings and calls with tiered clients are written up, within the
//! charter's window (seed 000, the client management process, "share intelligence"; seed 003, implementing a priority list, how each
//! point of service is measured).

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{ActivityType, Client, Model};

pub const RULE: Rule = Rule {
    id: "call-report",
    default: Severity::Error,
    checks: "meetings and calls with tiered clients have a call report, written within the tier's `call_report_days`; with untiered clients too when the charter's `untiered` level sets `call_report_days`",
    fix: "write the call report below the activity's front matter (and set `reported:` to the day it was written)",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Who asks for the report: the client's tier, or the untiered service
    // level when it sets a window (without one, untiered clients' notes
    // are free-form).
    let (level, window) = match &client.data.tier {
        Some(tier) => (
            format!("tier `{}`", tier.value),
            model.tier(&tier.value).and_then(|t| t.call_report_days),
        ),
        None => match model
            .charter
            .as_ref()
            .and_then(|c| c.untiered.as_ref())
            .filter(|u| u.call_report_days.is_some())
        {
            Some(untiered) => (
                format!("the untiered level `{}`", untiered.name),
                untiered.call_report_days,
            ),
            None => return out,
        },
    };
    for activity in &client.activities {
        let a = &activity.data;
        if !a.kind.value.needs_call_report() || a.date.value.0 > ctx.today {
            continue;
        }
        let kind = a.kind.value.as_str();
        let kind_span = activity.src.at(a.kind.pos).with_len(kind.len());
        if activity.body.trim().is_empty() {
            out.push(
                Diagnostic::rule(RULE.id, kind_span, format!("{kind} with `{}` on {} has no call report", client.id, a.date.value))
                    .with_label(format!("{level} asks for a written report of every {kind}"))
                    .with_help("below the closing `---`, write who attended, what was discussed and agreed, and the next steps"),
            );
            continue;
        }
        let (Some(days), Some(reported)) = (window, &a.reported) else {
            continue;
        };
        let late = (reported.value.0 - a.date.value.0).num_days();
        if late > i64::from(days) {
            out.push(
                Diagnostic::rule(
                    RULE.id,
                    activity.src.span_of(reported),
                    format!(
                        "call report for the {kind} with `{}` on {} was written {} later",
                        client.id,
                        a.date.value,
                        crate::diag::plural(late, "day")
                    ),
                )
                .with_label(format!(
                    "{level} requires it within {}",
                    crate::diag::plural(days, "day")
                ))
                .with_help(
                    "write call reports while they are fresh; the charter sets the window per tier",
                ),
            );
        }
    }
    let csv = client_csv(&client.id);
    let mut rows = super::RowFindings::default();
    for row in client
        .captured
        .iter()
        .filter(|r| r.kind == ActivityType::Meeting && r.date.0 <= ctx.today)
    {
        rows.push_with(|| {
            Diagnostic::rule(
                RULE.id,
                crate::diag::Span::new(&csv, row.line, 1),
                format!(
                    "meeting with `{}` on {} was captured without a call report",
                    client.id, row.date
                ),
            )
            .with_cell("type")
            .with_help(format!(
                "log it as a note with its report: `clientele new activity {} --type meeting`",
                client.id
            ))
        });
    }
    out.extend(rows.finish(RULE.id, &csv));
    out
}

fn client_csv(id: &str) -> std::sync::Arc<str> {
    std::sync::Arc::from(format!("clients/{id}/activities.csv"))
}
