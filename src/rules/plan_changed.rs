//! A review that says it changed the plan did change it (seed 004, client
//! account management: the plan is "a living document"; a review that
//! claims a change nobody made hides a plan left as it was). Judged from
//! git: `plan.md`'s commits between the previous review and a week after
//! this one.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model};

pub const RULE: Rule = Rule {
    id: "plan-changed",
    default: Severity::Warning,
    checks: "a review with `plan_changed: true` is followed by a commit of the client's plan.md after the previous review and within a week of this one (judged from git history, when it covers that time)",
    fix: "commit the plan change the review decided, or set `plan_changed: false`",
    firm: None,
    client: Some(client),
    task: None,
};

/// A plan change is often committed in the days after the review.
const GRACE_DAYS: u64 = 7;

fn client(model: &Model, client: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let Some(commits) = model.git.plan_commits.get(&client.id) else {
        return Vec::new();
    };
    let Some(&first) = commits.first() else {
        return Vec::new();
    };
    let mut reviews: Vec<_> = client.reviews.iter().collect();
    reviews.sort_by_key(|r| r.data.date.value);
    reviews
        .windows(2)
        .filter(|pair| pair[1].data.plan_changed)
        .filter_map(|pair| {
            let (before, review) = (pair[0].data.date.value.0, pair[1].data.date.value.0);
            // History that starts after the previous review cannot say.
            if first > before {
                return None;
            }
            let until = review + chrono::Days::new(GRACE_DAYS);
            let changed = commits.iter().any(|d| *d > before && *d <= until);
            (!changed).then(|| {
                Diagnostic::rule(
                    RULE.id,
                    pair[1].src.span_of(&pair[1].data.date),
                    format!(
                        "review of `{}` on {review} says the plan changed, but clients/{}/plan.md has no commit after the previous review ({before}) nor in the week after this one",
                        client.id, client.id
                    ),
                )
                .with_label("`plan_changed: true`")
                .with_help("commit the plan change the review decided, or set `plan_changed: false`")
            })
        })
        .collect()
}
