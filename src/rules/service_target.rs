//! Every measured item of the service charter is met, period by period
//! (seed 003, implementing a priority list: "how each point of service is
//! going to be measured and monitored"; "periodic monitoring of services
//! provided and communications to priority accounts").

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::metrics::service::{judge, level, Judgement, Status};
use crate::model::{Client, Model, ServiceItem};

pub const RULE: Rule = Rule {
    id: "service-target",
    default: Severity::Warning,
    checks: "the last period that ended (in this fiscal year, or until its first quarter ends, the year before) met each `target` of the client's service level in charter.yaml",
    fix: "log the service if it was given; otherwise plan it, or revisit the target with the charter's owner",
    firm: None,
    client: Some(client),
    task: None,
};

fn client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let items = level(model, client);
    if items.iter().all(|i| i.target.is_none()) {
        return Vec::new();
    }
    let fy_start = model.fiscal_year_start(ctx.today);
    let mut ended: Vec<Judgement> = Vec::new();
    // A quarter is judged once it ends, whichever fiscal year today is in:
    // in a year's first quarter, the last quarter of the year before.
    if ctx.today < crate::model::add_months(fy_start, 3) {
        let previous = model.fiscal_year_start(fy_start - chrono::Days::new(1));
        ended.extend(judge(model, client, previous, ctx.today));
    }
    ended.extend(judge(model, client, fy_start, ctx.today));
    ended.retain(|j| j.over);
    ended.sort_by_key(|j| (j.item, j.from));
    // One finding per item, about its last period that ended, when that
    // one was missed: the service is short now. Earlier misses are counted.
    ended
        .chunk_by(|a, b| a.item == b.item)
        .filter_map(|periods| {
            let last = periods.last()?;
            if last.status != Status::Missed {
                return None;
            }
            let earlier = periods[..periods.len() - 1]
                .iter()
                .filter(|j| j.status == Status::Missed)
                .count();
            Some(finding(model, client, items.get(last.item)?, last, earlier))
        })
        .collect()
}

fn finding(
    model: &Model,
    client: &Client,
    item: &ServiceItem,
    j: &Judgement,
    earlier: usize,
) -> Diagnostic {
    let span = match &client.data.tier {
        Some(tier) => client.src.span(tier),
        None => client.src.span(&client.data.name),
    };
    let level = match client.tier() {
        Some(tier) => format!("tier `{tier}`"),
        None => model
            .charter
            .as_ref()
            .and_then(|c| c.untiered.as_ref())
            .map_or_else(String::new, |u| format!("the untiered level `{}`", u.name)),
    };
    let target = item
        .target
        .as_ref()
        .map_or_else(String::new, |t| t.value.describe());
    let last = j.to - chrono::Days::new(1);
    Diagnostic::rule(
        RULE.id,
        span,
        format!(
            "`{}` missed \"{}\" from {} to {last}: {}{}",
            client.id,
            item.what,
            j.from,
            item.target.as_ref().map_or_else(String::new, |t| j.figure(&t.value)),
            match earlier {
                0 => String::new(),
                1 => String::from(" (and 1 earlier period)"),
                n => format!(" (and {n} earlier periods)"),
            }
        ),
    )
    .with_label(format!("{level} promises {target}"))
    .with_help(format!(
        "the Service section of clients/{}.html shows every period; log the service if it was given, plan it if not, or revisit the target",
        client.id
    ))
}
