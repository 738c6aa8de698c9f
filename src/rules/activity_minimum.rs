//! Each quarter once it is over, tiered clients get at least
//! the charter's minimum activity (seed 003, implementing a priority list: "periodic monitoring of
//! services provided"; seed 000, the client management process, "measure effort").

use std::collections::BTreeMap;

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{ActivityType, Client, Model, Tier};

pub const RULE: Rule = Rule {
    id: "activity-minimum",
    default: Severity::Warning,
    checks: "each completed quarter of the fiscal year (and in its first quarter, the last one of the year before), a tiered client got the charter's `minimum_per_quarter` of each activity type",
    fix: "plan the missing meetings or calls, or revisit the client's tier",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let fy_start = model.fiscal_year_start(ctx.today);
    let mut out = Vec::new();
    let Some(tier_ref) = &client.data.tier else {
        return out;
    };
    let Some(tier) = model.tier(&tier_ref.value) else {
        return out;
    };
    if tier.minimum_per_quarter.is_empty() {
        return out;
    }
    // Without a recorded date the client joined the tier, no quarter can
    // be judged fairly; `tier-history` reports the missing record.
    let Some(since) = client
        .data
        .priority_history
        .iter()
        .map(|p| p.date.value.0)
        .max()
    else {
        return out;
    };
    for (q, from) in judged(model, fy_start, ctx.today) {
        let to = crate::model::add_months(from, 3);
        // Only whole quarters that are over, spent entirely on this tier.
        if to > ctx.today || since > from {
            continue;
        }
        let counts = count(client, from, to);
        for (kind, &minimum) in &tier.minimum_per_quarter {
            let got = counts.get(kind).copied().unwrap_or(0);
            if got < minimum {
                out.push(shortfall(client, tier, *kind, got, minimum, q, from));
            }
        }
    }
    out
}

/// The quarters judged on `today`, by number (1-4) and first day: those
/// of the current fiscal year, and until the first of them is over, the
/// previous year's last quarter, so that a quarter is judged once it ends
/// whichever year `today` is in.
fn judged(
    model: &Model,
    fy_start: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Vec<(u32, chrono::NaiveDate)> {
    let mut quarters: Vec<(u32, chrono::NaiveDate)> = (0..4u32)
        .map(|q| (q + 1, crate::model::add_months(fy_start, 3 * q)))
        .collect();
    if crate::model::add_months(fy_start, 3) > today {
        let previous = model.fiscal_year_start(fy_start - chrono::Days::new(1));
        quarters.insert(0, (4, crate::model::add_months(previous, 9)));
    }
    quarters
}

fn count(
    client: &Client,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> BTreeMap<ActivityType, u32> {
    let mut counts = BTreeMap::new();
    let dates = client
        .activities
        .iter()
        .map(|a| (a.data.kind.value, a.data.date.value.0))
        .chain(client.captured.iter().map(|c| (c.kind, c.date.0)));
    for (kind, date) in dates {
        if date >= from && date < to {
            *counts.entry(kind).or_insert(0) += 1;
        }
    }
    counts
}

fn shortfall(
    client: &Client,
    tier: &Tier,
    kind: ActivityType,
    got: u32,
    minimum: u32,
    q: u32,
    from: chrono::NaiveDate,
) -> Diagnostic {
    let tier_ref = client
        .data
        .tier
        .as_ref()
        .map_or_else(|| client.src.whole(), |t| client.src.span(t));
    Diagnostic::rule(
        RULE.id,
        tier_ref,
        format!(
            "`{}` had {got} {}{} in Q{q} (from {from}); tier `{}` expects at least {minimum}",
            client.id,
            kind.as_str(),
            if got == 1 { "" } else { "s" },
            tier.id.value
        ),
    )
    .with_label(format!(
        "{minimum} {}s a quarter on this tier",
        kind.as_str()
    ))
    .with_help("log the missing activity if it happened; otherwise plan it, or revisit the tier")
}
