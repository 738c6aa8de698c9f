//! The charter measured: every service item with a `target`, judged for
//! every client it applies to, period by period of the fiscal year (seed
//! 003: "periodic monitoring of services provided and communications to
//! priority accounts").
//!
//! A period is judged from the client's files alone: its activity notes
//! and captured rows, its reviews and its relationship map. A period that
//! began before the client joined its current tier (or left the list) is
//! not judged: the service it was owed then was another one.

use chrono::NaiveDate;
use serde::Serialize;

use super::Rag;
use crate::model::{
    add_months, ActivityType, By, Client, Date, Model, Per, ServiceItem, Stakeholder,
    StakeholderStatus, Stance, Target,
};

/// Where a period stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    InProgress,
    Missed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::InProgress => "in-progress",
            Status::Missed => "missed",
        }
    }

    /// The status as a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Status::InProgress => "in progress",
            other => other.as_str(),
        }
    }
}

/// One service item judged over one period for one client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judgement {
    /// Index of the item in the client's service level (`service:` of its
    /// tier, or of `untiered`).
    pub item: usize,
    pub from: NaiveDate,
    /// The day after the period.
    pub to: NaiveDate,
    pub per: Per,
    /// What the target asks; for `contact_every_days`, the longest gap
    /// allowed in days.
    pub required: u32,
    /// What the client got; for `contact_every_days`, the longest gap in
    /// days.
    pub actual: u32,
    pub status: Status,
    /// Whether the period is over by today.
    pub over: bool,
    /// The share of the period that has passed by today (0..=1).
    pub elapsed: f64,
    /// Whether the target counts towards a number through the period
    /// (interactions, reviews, allies), so that falling short while it
    /// runs shows amber.
    pub paced: bool,
}

impl Judgement {
    /// What the period counted against what it needed, in words: "1
    /// meeting, 2 needed", "longest gap 41 days, at most 30", "3 of 4
    /// reported on time".
    pub fn figure(&self, target: &Target) -> String {
        let (actual, required) = (self.actual, self.required);
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match target {
            Target::Count { types, .. } => {
                let kind = match types.as_slice() {
                    [one] => one.as_str(),
                    _ => "interaction",
                };
                format!(
                    "{}, {required} needed",
                    plural(actual, kind, &format!("{kind}s"))
                )
            }
            Target::Reviews { .. } => plural(actual, "review", "reviews"),
            Target::Allies { .. } => {
                format!("{}, {required} needed", plural(actual, "ally", "allies"))
            }
            Target::ContactEvery { .. } => {
                format!(
                    "longest gap {}, at most {required}",
                    crate::diag::plural(actual, "day")
                )
            }
            Target::CallReports { .. } => format!("{actual} of {required} reported on time"),
        }
    }

    /// A running period whose count is behind a steady pace to its target:
    /// an amber light before it is missed.
    pub fn behind_pace(&self) -> bool {
        self.paced
            && self.status == Status::InProgress
            && f64::from(self.actual) < f64::from(self.required) * self.elapsed
    }

    /// The light this judgement gives on its own.
    fn light(&self) -> Rag {
        if self.status == Status::Missed {
            Rag::Red
        } else if self.behind_pace() {
            Rag::Amber
        } else {
            Rag::Green
        }
    }
}

/// Per service item, the judgement that sets its light now, and the
/// light: the running period once it is met or missed; while it runs, the
/// last period that ended when it was missed, else the running one (amber
/// when behind pace).
pub fn standing(judgements: &[Judgement]) -> Vec<(Judgement, Rag)> {
    let mut out: Vec<(Judgement, Rag)> = Vec::new();
    for chunk in judgements.chunk_by(|a, b| a.item == b.item) {
        let running = chunk.iter().rev().find(|j| !j.over);
        let ended = chunk.iter().rev().find(|j| j.over);
        let pick = match (running, ended) {
            (Some(r), _) if r.status != Status::InProgress => r,
            (Some(r), Some(e)) if e.status == Status::Missed && r.light() != Rag::Red => e,
            (Some(r), _) => r,
            (None, Some(e)) => e,
            (None, None) => continue,
        };
        out.push((*pick, pick.light()));
    }
    out
}

/// The client's service-level light: the worst of its items; `None` when
/// nothing of its service level is measured yet.
pub fn light(standing: &[(Judgement, Rag)]) -> Option<Rag> {
    standing.iter().map(|(_, rag)| *rag).max()
}

/// How many judgements were met, missed or still running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub met: usize,
    pub missed: usize,
    pub in_progress: usize,
}

impl Tally {
    fn add(&mut self, status: Status) {
        match status {
            Status::Met => self.met += 1,
            Status::Missed => self.missed += 1,
            Status::InProgress => self.in_progress += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.met + self.missed + self.in_progress
    }

    /// The share met of those decided (met or missed), in percent; `None`
    /// while none is decided.
    pub fn share(&self) -> Option<f64> {
        let decided = self.met + self.missed;
        (decided > 0).then(|| self.met as f64 / decided as f64 * 100.0)
    }
}

/// A service level's compliance, firm-wide: per item, per quarter of the
/// fiscal year, how many of its clients met it.
#[derive(Clone, Debug, Default)]
pub struct LevelCompliance {
    /// The tier, or `None` for the untiered level.
    pub tier: Option<String>,
    /// Parallel to the level's `service:` items.
    pub items: Vec<ItemCompliance>,
}

#[derive(Clone, Debug, Default)]
pub struct ItemCompliance {
    /// Per quarter, one judgement per client: for a monthly target the
    /// worst of the quarter's months.
    pub quarters: [Tally; 4],
    /// Judgements of yearly targets.
    pub year: Tally,
}

/// One responsible person's compliance across the clients they serve.
#[derive(Clone, Debug, Default)]
pub struct PersonCompliance {
    pub tally: Tally,
    /// The clients with a judged item the person is responsible for.
    pub clients: usize,
}

/// Compliance per service level and per responsible person, from every
/// client's judgements.
pub fn firm<'a>(
    model: &Model,
    judged: impl Iterator<Item = (usize, &'a [Judgement])>,
    fy_start: NaiveDate,
) -> (
    Vec<LevelCompliance>,
    std::collections::HashMap<String, PersonCompliance>,
) {
    let Some(charter) = &model.charter else {
        return (Vec::new(), std::collections::HashMap::new());
    };
    let mut levels: Vec<LevelCompliance> = charter
        .tiers
        .iter()
        .map(|t| LevelCompliance {
            tier: Some(t.id.value.clone()),
            items: vec![ItemCompliance::default(); t.service.len()],
        })
        .chain(std::iter::once(LevelCompliance {
            tier: None,
            items: vec![
                ItemCompliance::default();
                charter.untiered.as_ref().map_or(0, |u| u.service.len())
            ],
        }))
        .collect();
    let mut people: std::collections::HashMap<String, PersonCompliance> =
        std::collections::HashMap::new();
    for (index, judgements) in judged {
        if judgements.is_empty() {
            continue;
        }
        let client = &model.clients[index];
        let Some(level) = levels
            .iter_mut()
            .find(|l| l.tier.as_deref() == client.tier())
        else {
            continue;
        };
        let items = self::level(model, client);
        let mut responsible: Vec<&str> = Vec::new();
        for chunk in judgements.chunk_by(|a, b| a.item == b.item) {
            let Some(slot) = level.items.get_mut(chunk[0].item) else {
                continue;
            };
            // One status per quarter: the worst of the periods in it.
            let mut quarters: [Option<Status>; 4] = [None; 4];
            for j in chunk {
                if j.per == Per::Year {
                    slot.year.add(j.status);
                    continue;
                }
                let q = quarter_index(fy_start, j.from);
                quarters[q] = Some(quarters[q].map_or(j.status, |s| s.max(j.status)));
            }
            for (q, status) in quarters.iter().enumerate() {
                if let Some(status) = status {
                    slot.quarters[q].add(*status);
                }
            }
            let who = items.get(chunk[0].item).map_or("", |i| i.who.as_str());
            for person in responsible_for(model, client, who) {
                let p = people.entry(person.to_string()).or_default();
                for j in chunk {
                    p.tally.add(j.status);
                }
                if !responsible.contains(&person) {
                    responsible.push(person);
                    p.clients += 1;
                }
            }
        }
    }
    (levels, people)
}

/// 0-3: the quarter of the fiscal year starting `fy_start` that `day`
/// is in.
fn quarter_index(fy_start: NaiveDate, day: NaiveDate) -> usize {
    use chrono::Datelike;
    let months = (day.year() - fy_start.year()) * 12 + day.month() as i32 - fy_start.month() as i32;
    usize::try_from(months.div_euclid(3)).unwrap_or(0).min(3)
}

/// Who gives a service item to a client: its owner for `who: owner`,
/// else everyone whose role is `who`.
fn responsible_for<'m>(model: &'m Model, client: &'m Client, who: &str) -> Vec<&'m str> {
    if who.eq_ignore_ascii_case("owner") {
        return client
            .data
            .coverage
            .owner
            .iter()
            .map(|o| o.value.as_str())
            .collect();
    }
    model
        .people
        .iter()
        .filter(|p| p.data.role.eq_ignore_ascii_case(who))
        .map(|p| p.id.as_str())
        .collect()
}

/// The service items a client is owed: its tier's, or the untiered
/// level's.
pub fn level<'m>(model: &'m Model, client: &Client) -> &'m [ServiceItem] {
    let Some(charter) = &model.charter else {
        return &[];
    };
    match client.tier() {
        Some(tier) => model.tier(tier).map_or(&[][..], |t| t.service.as_slice()),
        None => charter
            .untiered
            .as_ref()
            .map_or(&[][..], |u| u.service.as_slice()),
    }
}

/// Every target of the client's service level judged over the periods of
/// the fiscal year starting `fy_start` that have begun by `today`.
pub fn judge(
    model: &Model,
    client: &Client,
    fy_start: NaiveDate,
    today: NaiveDate,
) -> Vec<Judgement> {
    let items = level(model, client);
    let mut out = Vec::new();
    if items.iter().all(|i| i.target.is_none()) {
        return out;
    }
    // The day the client's current place on the list began.
    let since = client
        .data
        .priority_history
        .iter()
        .map(|p| p.date.value.0)
        .filter(|d| *d <= today)
        .max();
    let facts = Facts::of(model, client, today);
    for (i, item) in items.iter().enumerate() {
        let Some(target) = &item.target else { continue };
        let per = target.per();
        let fy_end = add_months(fy_start, 12);
        let mut from = fy_start;
        while from <= today && from < fy_end {
            let to = add_months(from, per.months());
            if since.is_none_or(|s| s <= from) {
                out.push(judge_one(&facts, &target.value, i, per, from, to, today));
            }
            from = to;
        }
    }
    out
}

/// What a client's files say, gathered once for all its targets.
struct Facts<'m> {
    /// (date, type, people who held or attended it, reported on time
    /// within how many days; `None` when it has no report).
    interactions: Vec<Interaction<'m>>,
    reviews: Vec<NaiveDate>,
    /// The relationship map.
    stakeholders: &'m [Stakeholder],
    owner: Option<&'m str>,
    team: Vec<&'m str>,
    model: &'m Model,
}

struct Interaction<'m> {
    date: NaiveDate,
    kind: ActivityType,
    /// Who held it, and who else of the firm attended.
    by: &'m str,
    attendees: &'m [crate::model::Spanned<String>],
    /// Days from the interaction to its call report; `None` without one.
    reported_after: Option<i64>,
    /// Whether it needs a call report: meetings and calls logged as
    /// notes, and meetings captured as rows (a captured call from a phone
    /// log is not written up), as the `call-report` rule asks.
    needs_report: bool,
}

impl<'m> Facts<'m> {
    fn of(model: &'m Model, client: &'m Client, today: NaiveDate) -> Facts<'m> {
        let mut interactions: Vec<Interaction<'m>> = client
            .activities
            .iter()
            .map(|a| {
                let d = &a.data;
                let date = d.date.value.0;
                let reported_after = (!a.body.trim().is_empty()).then(|| {
                    d.reported
                        .as_ref()
                        .map_or(0, |r| (r.value.0 - date).num_days())
                });
                Interaction {
                    date,
                    kind: d.kind.value,
                    by: d.by.value.as_str(),
                    attendees: &d.attendees,
                    reported_after,
                    needs_report: d.kind.value.needs_call_report(),
                }
            })
            .chain(client.captured.iter().map(|r| Interaction {
                date: r.date.0,
                kind: r.kind,
                by: r.by.as_str(),
                attendees: &[],
                reported_after: None,
                needs_report: r.kind == ActivityType::Meeting,
            }))
            .filter(|i| i.date <= today)
            .collect();
        interactions.sort_by_key(|i| i.date);
        let mut reviews: Vec<NaiveDate> =
            client.reviews.iter().map(|r| r.data.date.value.0).collect();
        reviews.sort();
        let stakeholders = client
            .plan
            .as_ref()
            .map_or(&[][..], |p| p.data.stakeholders.as_slice());
        let coverage = &client.data.coverage;
        let owner = coverage.owner.as_ref().map(|o| o.value.as_str());
        let team = owner
            .into_iter()
            .chain(coverage.team.iter().map(|p| p.value.as_str()))
            .chain(coverage.support.iter().map(|s| s.person.value.as_str()))
            .collect();
        Facts {
            interactions,
            reviews,
            stakeholders,
            owner,
            team,
            model,
        }
    }

    fn counts(&self, by: &By, person: &str) -> bool {
        match by {
            By::Anyone => true,
            By::Owner => self.owner == Some(person),
            By::Team => self.team.contains(&person),
            By::Role(role) => self
                .model
                .person(person)
                .is_some_and(|p| p.data.role.eq_ignore_ascii_case(role)),
        }
    }

    /// Allies on the map on `day`: their stance then, not yet left.
    fn allies_on(&self, day: NaiveDate) -> u32 {
        let day = Date(day);
        let allies = self.stakeholders.iter().filter(|s| {
            let gone = s.status == StakeholderStatus::Left && s.left.is_none();
            s.stance_on(day) == Stance::Ally && s.present_on(day) && !gone
        });
        u32::try_from(allies.count()).unwrap_or(u32::MAX)
    }
}

fn judge_one(
    facts: &Facts<'_>,
    target: &Target,
    item: usize,
    per: Per,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Judgement {
    let over = to <= today;
    let days = (to - from).num_days().max(1) as f64;
    let elapsed = if over {
        1.0
    } else {
        ((today - from).num_days() + 1) as f64 / days
    };
    let within = |d: NaiveDate| d >= from && d < to;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    // Counted targets: met once reached, missed once the period is over.
    let reached = |required: u32, actual: u32| {
        if actual >= required {
            Status::Met
        } else if over {
            Status::Missed
        } else {
            Status::InProgress
        }
    };
    let paced = matches!(
        target,
        Target::Count { .. } | Target::Reviews { .. } | Target::Allies { .. }
    );
    let (required, actual, status) = match target {
        Target::Count {
            types,
            at_least,
            by,
            ..
        } => {
            let actual = count(
                facts
                    .interactions
                    .iter()
                    .filter(|i| within(i.date) && types.contains(&i.kind))
                    .filter(|i| {
                        facts.counts(by, i.by)
                            || i.attendees.iter().any(|p| facts.counts(by, &p.value))
                    })
                    .count(),
            );
            (*at_least, actual, reached(*at_least, actual))
        }
        Target::Reviews { .. } => {
            let actual = count(facts.reviews.iter().filter(|d| within(**d)).count());
            (1, actual, reached(1, actual))
        }
        Target::Allies { at_least } => {
            let day = if over {
                to - chrono::Days::new(1)
            } else {
                today
            };
            let actual = facts.allies_on(day);
            (*at_least, actual, reached(*at_least, actual))
        }
        Target::ContactEvery { days, types } => {
            let gap = longest_gap(facts, types, from, to.min(today + chrono::Days::new(1)));
            let status = if gap > *days {
                Status::Missed
            } else if over {
                Status::Met
            } else {
                Status::InProgress
            };
            (*days, gap, status)
        }
        Target::CallReports { days } => call_reports(facts, *days, from, to, today),
    };
    Judgement {
        item,
        from,
        to,
        per,
        required,
        actual,
        status,
        over,
        elapsed,
        paced,
    }
}

/// Meetings and calls in [from, to) and those reported within `days`: missed
/// once one is late (or still unreported past its window), met when the
/// period is over with every one on time.
fn call_reports(
    facts: &Facts<'_>,
    days: u32,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> (u32, u32, Status) {
    let due = i64::from(days);
    let (mut required, mut on_time, mut late) = (0, 0, false);
    for i in facts
        .interactions
        .iter()
        .filter(|i| i.date >= from && i.date < to && i.needs_report)
    {
        required += 1;
        match i.reported_after {
            Some(after) if after <= due => on_time += 1,
            // Still inside its window: not late yet.
            None if (today - i.date).num_days() <= due => {}
            _ => late = true,
        }
    }
    let status = if late {
        Status::Missed
    } else if to <= today && on_time == required {
        Status::Met
    } else {
        Status::InProgress
    };
    (required, on_time, status)
}

/// The longest run of days in [from, until) without an interaction of
/// `types` (any when empty), counted from the last one before `from` when
/// there is one.
fn longest_gap(
    facts: &Facts<'_>,
    types: &[ActivityType],
    from: NaiveDate,
    until: NaiveDate,
) -> u32 {
    let contact = |i: &&Interaction<'_>| types.is_empty() || types.contains(&i.kind);
    let mut last = facts
        .interactions
        .iter()
        .filter(contact)
        .take_while(|i| i.date < from)
        .last()
        .map_or(from, |i| i.date);
    let mut longest = 0;
    for i in facts
        .interactions
        .iter()
        .filter(contact)
        .filter(|i| i.date >= from && i.date < until)
    {
        longest = longest.max((i.date - last).num_days());
        last = i.date;
    }
    longest = longest.max((until - last).num_days() - 1);
    u32::try_from(longest.max(0)).unwrap_or(u32::MAX)
}
