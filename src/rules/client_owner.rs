//! Every client on the priority list has one accountable owner (seed 000, the client management process,
//! "match resources": "The purpose of this stage is to assign accountability").

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model};

pub const RULE: Rule = Rule {
    id: "client-owner",
    default: Severity::Error,
    checks: "every tiered client has an accountable owner under `coverage`",
    fix: "add `coverage: { owner: <person id> }` to client.yaml",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(_model: &Model, c: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    std::iter::once(c)
        .filter(|c| c.data.coverage.owner.is_none())
        .filter_map(|c| {
            let tier = c.data.tier.as_ref()?;
            Some(
                Diagnostic::rule(
                    RULE.id,
                    c.src.span(tier),
                    format!(
                        "`{}` is on tier `{}` but has no accountable owner",
                        c.id, tier.value
                    ),
                )
                .with_label("tiered clients need an owner")
                .with_help("add `coverage:` with `owner: <person id>` to client.yaml"),
            )
        })
        .collect()
}
