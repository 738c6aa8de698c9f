//! One page per person, and the people index: my clients, my open tasks,
//! my calendar and my logged activity by week. This is what salespeople get
//! back for logging (seed 002, sales systems: "they should be able to run calendars or
//! reports of activities logged into the system").

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use super::super::views::{
    client_url, date_cell, person_url, ClientRef, DateCell, EscalationView, PersonRef, PersonStats,
    Refs, ServiceView, TaskView,
};
use super::super::{charts, format, Out, SiteError};
use crate::metrics::Rag;
use crate::model::TaskRef;

/// What one person touches, gathered in a single pass over the model.
#[derive(Default)]
struct Bucket<'m> {
    clients: Vec<(usize, &'static str)>,
    tasks: Vec<TaskRef<'m>>,
    /// (date, client index, kind, title, anchor) of notes they logged.
    notes: Vec<(NaiveDate, usize, &'static str, &'m str, String)>,
    /// Dates of everything they logged, notes and captured rows.
    logged: Vec<NaiveDate>,
}

#[derive(Serialize)]
struct MyClient {
    client: ClientRef,
    role: &'static str,
    last_contact: DateCell,
    next_review: DateCell,
    review_rag: Option<Rag>,
    service: ServiceView,
}

#[derive(Serialize)]
struct CalendarEntry {
    date: DateCell,
    what: String,
    kind: &'static str,
    url: String,
    overdue: bool,
}

#[derive(Serialize)]
struct Logged {
    date: String,
    client: ClientRef,
    kind: &'static str,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Page {
    person: PersonRef,
    role: String,
    team: String,
    email: String,
    manager: Option<PersonRef>,
    clients: Vec<MyClient>,
    tasks: Vec<TaskView>,
    calendar: Vec<CalendarEntry>,
    weeks_chart: String,
    weeks: Vec<[String; 2]>,
    logged_ytd: usize,
    recent: Vec<Logged>,
    service: Option<ServiceGiven>,
    /// Open escalations they own, or raised about a client they own.
    escalations: Vec<EscalationView>,
    /// Their own figures, first: feedback before oversight.
    me: PersonStats,
    /// Their direct reports' figures, when they manage anyone.
    team_stats: Vec<PersonStats>,
}

/// `people.html`: a struct rather than a `json!` map, so the rows reach
/// tera without a copy as `serde_json::Value`s.
#[derive(Serialize)]
struct PeoplePage {
    rows: Vec<Row>,
    /// Everyone's figures, in the order of `rows`.
    stats: Vec<PersonStats>,
    /// Per tier: what the charter asked last quarter across its clients,
    /// and the interactions they got.
    coverage: Vec<TierCoverage>,
    last_quarter: String,
}

#[derive(Serialize)]
struct TierCoverage {
    tier: String,
    clients: usize,
    asked: u32,
    delivered: u32,
    share: String,
    short: bool,
}

#[derive(Serialize)]
struct Row {
    person: PersonRef,
    role: String,
    team: String,
    clients: usize,
    open_tasks: usize,
    logged_ytd: usize,
    service: Option<ServiceGiven>,
}

/// The service items a person is responsible for, judged across the
/// clients they serve this fiscal year.
#[derive(Serialize)]
struct ServiceGiven {
    share: String,
    met: usize,
    missed: usize,
    in_progress: usize,
    clients: usize,
}

fn service_given(refs: &Refs<'_>, id: &str) -> Option<ServiceGiven> {
    let c = refs.metrics.firm.service_by_person.get(id)?;
    Some(ServiceGiven {
        share: c
            .tally
            .share()
            .map_or_else(|| String::from("–"), |s| format!("{s:.0}%")),
        met: c.tally.met,
        missed: c.tally.missed,
        in_progress: c.tally.in_progress,
        clients: c.clients,
    })
}

pub fn render_all(
    out: &Out<'_>,
    refs: &Refs<'_>,
    scope: &super::super::Scope,
) -> Result<(), SiteError> {
    let model = refs.model;
    if !scope.firm_pages && scope.people.as_ref().is_some_and(|p| p.is_empty()) {
        return Ok(());
    }
    // people.html counts for everyone; otherwise only the people in scope
    // are gathered (serve re-renders the pages of one edited client's team).
    let wanted = |id: &str| scope.firm_pages || scope.person(id);
    let mut buckets: HashMap<&str, Bucket<'_>> = HashMap::new();
    for (i, c) in model.clients.iter().enumerate() {
        let cov = &c.data.coverage;
        let roles = cov.owner.iter().map(|o| (o, "owner"));
        let roles = roles.chain(cov.team.iter().map(|t| (t, "team")));
        for (person, role) in roles.chain(cov.support.iter().map(|s| (&s.person, "support"))) {
            if let Some(b) = bucket(&mut buckets, &wanted, &person.value) {
                b.clients.push((i, role));
            }
        }
        for a in &c.activities {
            if let Some(b) = bucket(&mut buckets, &wanted, &a.data.by.value) {
                b.notes.push((
                    a.data.date.value.0,
                    i,
                    a.data.kind.value.as_str(),
                    &a.data.title.value,
                    format!("a-{}", a.id),
                ));
                b.logged.push(a.data.date.value.0);
            }
        }
        for r in &c.captured {
            if let Some(b) = bucket(&mut buckets, &wanted, &r.by) {
                b.logged.push(r.date.0);
            }
        }
    }
    for t in model.tasks() {
        if let Some(b) = t
            .task
            .owner
            .as_ref()
            .and_then(|o| bucket(&mut buckets, &wanted, &o.value))
        {
            b.tasks.push(t);
        }
    }
    let empty = Bucket::default();
    let fy_start = refs.metrics.fy_start;
    let rows: Vec<Row> = model
        .people
        .iter()
        .map(|p| {
            let b = buckets.get(p.id.as_str()).unwrap_or(&empty);
            Row {
                person: refs.person(&p.id),
                role: p.data.role.clone(),
                team: p.data.team.clone().unwrap_or_default(),
                clients: b.clients.iter().filter(|(_, r)| *r == "owner").count(),
                open_tasks: b.tasks.iter().filter(|t| t.task.status.is_open()).count(),
                logged_ytd: b
                    .logged
                    .iter()
                    .filter(|d| **d >= fy_start && **d <= refs.metrics.today)
                    .count(),
                service: service_given(refs, &p.id),
            }
        })
        .collect();
    if scope.firm_pages {
        out.page(
            "people.html",
            "people.html",
            "people",
            "People",
            &PeoplePage {
                rows,
                stats: (0..model.people.len())
                    .map(|i| refs.person_stats(i))
                    .collect(),
                coverage: tier_coverage(refs),
                last_quarter: last_quarter_label(refs),
            },
        )?;
    }
    model
        .people
        .par_iter()
        // A person's page costs as many clients as they cover.
        .with_max_len(1)
        .filter(|p| scope.person(&p.id))
        .try_for_each(|p| {
            let b = buckets.get(p.id.as_str()).unwrap_or(&empty);
            person_page(out, refs, p, b)
        })
}

/// The last finished quarter of this fiscal year, by number; `None` in
/// the first quarter.
fn last_quarter(refs: &Refs<'_>) -> Option<usize> {
    let m = refs.metrics;
    (1..=4usize)
        .rev()
        .find(|&q| crate::model::add_months(m.fy_start, 3 * q as u32) <= m.today)
}

fn last_quarter_label(refs: &Refs<'_>) -> String {
    last_quarter(refs).map_or_else(
        || String::from("the last quarter of the previous year"),
        |q| format!("Q{q}"),
    )
}

/// Per tier: the interactions its `minimum_per_quarter` asked last quarter
/// across its clients, against those they got.
fn tier_coverage(refs: &Refs<'_>) -> Vec<TierCoverage> {
    let model = refs.model;
    let Some(q) = last_quarter(refs) else {
        return Vec::new();
    };
    model
        .charter
        .iter()
        .flat_map(|c| &c.tiers)
        .map(|t| {
            let members = model.clients_on(&t.id.value);
            let asked = t.minimum_per_quarter.values().sum::<u32>()
                * u32::try_from(members.len()).unwrap_or(u32::MAX);
            let delivered: u32 = members
                .iter()
                .map(|&i| refs.metrics.client(i).quarters[q - 1].2)
                .sum();
            let share = (asked > 0).then(|| f64::from(delivered) / f64::from(asked) * 100.0);
            TierCoverage {
                tier: t.name.clone(),
                clients: members.len(),
                asked,
                delivered,
                share: share.map_or_else(String::new, |s| format!("{s:.0}%")),
                short: share.is_some_and(|s| s < 100.0),
            }
        })
        .collect()
}

/// The open escalations person `id` owns, or that were raised about a
/// client they own, oldest first.
fn escalations_of(refs: &Refs<'_>, id: &str, b: &Bucket<'_>) -> Vec<EscalationView> {
    let model = refs.model;
    let mut out: Vec<EscalationView> = Vec::new();
    let owned = b
        .clients
        .iter()
        .filter(|(_, role)| *role == "owner")
        .map(|(i, _)| *i);
    let escalated = b
        .tasks
        .iter()
        .filter(|t| t.task.kind == Some(crate::model::ReviewActionKind::Escalate))
        .filter_map(|t| t.client)
        .filter_map(|c| model.index.clients.get(&c.id).copied());
    let mut clients: Vec<usize> = owned.chain(escalated).collect();
    clients.sort_unstable();
    clients.dedup();
    for i in clients {
        let c = &model.clients[i];
        let owns = c
            .data
            .coverage
            .owner
            .as_ref()
            .is_some_and(|o| o.value == id);
        out.extend(
            refs.escalations(c)
                .into_iter()
                .filter(|e| owns || e.owner.as_ref().is_some_and(|o| o.id() == id)),
        );
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.age_days));
    out
}

/// The bucket of person `id`, if their pages are being rendered.
fn bucket<'b, 'm>(
    buckets: &'b mut HashMap<&'m str, Bucket<'m>>,
    wanted: &dyn Fn(&str) -> bool,
    id: &'m str,
) -> Option<&'b mut Bucket<'m>> {
    wanted(id).then(|| buckets.entry(id).or_default())
}

fn person_page(
    out: &Out<'_>,
    refs: &Refs<'_>,
    p: &crate::model::Person,
    b: &Bucket<'_>,
) -> Result<(), SiteError> {
    let model = refs.model;
    let today = refs.metrics.today;
    let mut tasks: Vec<&TaskRef<'_>> = b.tasks.iter().filter(|t| t.task.status.is_open()).collect();
    tasks.sort_by_key(|t| t.task.due.as_ref().map(|d| d.value));
    let calendar = calendar(refs, b, &tasks);

    let (labels, counts) = weekly_activity(b, today);
    let mut recent: Vec<_> = b.notes.iter().filter(|n| n.0 <= today).collect();
    recent.sort_by_key(|n| std::cmp::Reverse(n.0));
    let page = Page {
        person: refs.person(&p.id),
        role: p.data.role.clone(),
        team: p.data.team.clone().unwrap_or_default(),
        email: p.data.email.clone().unwrap_or_default(),
        manager: p.data.manager.as_ref().map(|m| refs.person(&m.value)),
        clients: b
            .clients
            .iter()
            .map(|(i, role)| {
                let f = refs.metrics.client(*i);
                MyClient {
                    client: refs.client(&model.clients[*i]),
                    role,
                    last_contact: date_cell(f.last_contact, today),
                    next_review: date_cell(f.next_review, today),
                    review_rag: f.review_status,
                    service: refs.service(*i, &model.clients[*i]),
                }
            })
            .collect(),
        tasks: tasks.iter().map(|t| refs.task(t)).collect(),
        calendar,
        weeks_chart: charts::bars(
            "Activity logged per week",
            &labels,
            &[charts::Series {
                name: "interactions logged",
                values: &counts,
                class: "s1",
            }],
            &|v| super::super::format::thousands(v.round() as u64),
        ),
        weeks: labels
            .iter()
            .zip(&counts)
            .map(|(l, c)| [format!("week of {l}"), format!("{c}")])
            .collect(),
        logged_ytd: b
            .logged
            .iter()
            .filter(|d| **d >= refs.metrics.fy_start && **d <= today)
            .count(),
        recent: recent
            .iter()
            .take(20)
            .map(|(d, i, kind, title, anchor)| Logged {
                date: format::date(*d),
                client: refs.client(&model.clients[*i]),
                kind,
                title: title.to_string(),
                url: format!("{}#{anchor}", client_url(&model.clients[*i].id)),
            })
            .collect(),
        service: service_given(refs, &p.id),
        escalations: escalations_of(refs, &p.id, b),
        me: refs.person_stats(model.index.people[p.id.as_str()]),
        team_stats: model
            .people
            .iter()
            .enumerate()
            .filter(|(_, r)| r.data.manager.as_ref().is_some_and(|m| m.value == p.id))
            .map(|(i, _)| refs.person_stats(i))
            .collect(),
    };
    out.page(
        &person_url(&p.id),
        "person.html",
        "people",
        &p.data.name,
        &page,
    )
}

/// The person's plan reviews and task due dates in the next 90 days, and
/// any overdue, by date.
fn calendar(refs: &Refs<'_>, b: &Bucket<'_>, tasks: &[&TaskRef<'_>]) -> Vec<CalendarEntry> {
    let model = refs.model;
    let today = refs.metrics.today;
    let mut calendar: Vec<(NaiveDate, CalendarEntry)> = Vec::new();
    let horizon = today + chrono::Days::new(90);
    for (i, role) in &b.clients {
        let c = &model.clients[*i];
        if *role != "owner" {
            continue;
        }
        if let Some(due) = refs
            .metrics
            .client(*i)
            .next_review
            .filter(|d| *d <= horizon)
        {
            calendar.push((
                due,
                CalendarEntry {
                    date: date_cell(Some(due), today),
                    what: format!("Plan review due: {}", c.data.name.value),
                    kind: "review",
                    url: format!("{}#reviews", client_url(&c.id)),
                    overdue: due < today,
                },
            ));
        }
    }
    for t in tasks {
        if let Some(due) = t
            .task
            .due
            .as_ref()
            .map(|d| d.value.0)
            .filter(|d| *d <= horizon)
        {
            let view = refs.task(t);
            calendar.push((
                due,
                CalendarEntry {
                    date: date_cell(Some(due), today),
                    what: view.title,
                    kind: "task",
                    url: view.url,
                    overdue: due < today,
                },
            ));
        }
    }
    calendar.sort_by_key(|(d, _)| *d);
    calendar.into_iter().map(|(_, e)| e).collect()
}

/// Activity the person logged in each of the last twelve ISO weeks: the
/// weeks' labels and the counts.
fn weekly_activity(b: &Bucket<'_>, today: NaiveDate) -> (Vec<String>, Vec<f64>) {
    let this_monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let weeks: Vec<NaiveDate> = (0..12)
        .rev()
        .map(|w| this_monday - chrono::Days::new(7 * w))
        .collect();
    let counts: Vec<f64> = weeks
        .iter()
        .map(|start| {
            b.logged
                .iter()
                .filter(|d| **d >= *start && **d < *start + chrono::Days::new(7))
                .count() as f64
        })
        .collect();
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| w.format("%-d %b").to_string())
        .collect();
    (labels, counts)
}
