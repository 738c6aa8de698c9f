//! One page per client: profile, coverage, account plan, quarterly metrics
//! table, relationship map, activity timeline with call reports, reviews,
//! documents and revenue.

use serde::Serialize;

use super::super::views::{
    client_url, date_cell, goal_tree, ClientRef, DateCell, GoalView, PersonRef, Refs, TaskView,
};
use super::super::{charts, format, markdown, Out, SiteError};
use super::{finding_view, FindingView};
use crate::metrics::{MetricRow, Rag};

/// A row of the quarterly metrics table as the template shows it.
#[derive(Serialize)]
struct MetricRowView {
    name: String,
    source: &'static str,
    cells: Vec<QuarterCellView>,
}

#[derive(Serialize)]
struct QuarterCellView {
    target: String,
    actual: String,
    status: &'static str,
}

impl MetricRowView {
    fn of(row: &MetricRow, currency: &str) -> MetricRowView {
        let show = |v: &Option<crate::model::MetricValue>| {
            v.as_ref().map_or(String::new(), |v| {
                format::metric_value(v, row.unit, currency)
            })
        };
        MetricRowView {
            name: row.name.clone(),
            source: row.source,
            cells: row
                .cells
                .iter()
                .map(|c| QuarterCellView {
                    target: show(&c.target),
                    actual: show(&c.actual),
                    status: c.status,
                })
                .collect(),
        }
    }
}
use crate::model::{Captured, TaskPlace, TaskRef};

#[derive(Serialize)]
struct Page {
    client: ClientRef,
    segment: String,
    region: String,
    wallet: String,
    qualifiers: Vec<Labelled>,
    history: Vec<HistoryRow>,
    owner: Option<PersonRef>,
    team: Vec<PersonRef>,
    support: Vec<Support>,
    last_contact: DateCell,
    next_review: DateCell,
    review_rag: Option<Rag>,
    service_rag: Rag,
    money: Money,
    plan: Option<PlanView>,
    metric_rows: Vec<MetricRowView>,
    stakeholders: Vec<StakeholderView>,
    activities: Vec<ActivityView>,
    captured_total: usize,
    captured_by_type: Vec<Labelled>,
    captured_recent: Vec<CapturedRow>,
    reviews: Vec<ReviewView>,
    documents: Vec<DocumentView>,
    revenue_chart: String,
    revenue_table: Vec<MonthRow>,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct Labelled {
    label: String,
    text: String,
}

#[derive(Serialize)]
struct HistoryRow {
    date: String,
    tier: String,
    reason: String,
}

#[derive(Serialize)]
struct Support {
    person: PersonRef,
    area: String,
}

#[derive(Serialize)]
struct Money {
    revenue_ytd: String,
    budget_ytd: String,
    budget_fy: String,
    vs_budget: String,
    vs_budget_rag: Rag,
    revenue_last_ytd: String,
    growth: String,
    costs_ytd: String,
    margin: String,
    products: String,
}

#[derive(Serialize)]
struct PlanView {
    fiscal_year: i32,
    objective: String,
    goals: Vec<GoalView>,
    unlinked: Vec<TaskView>,
    narrative: String,
    restricted: bool,
}

#[derive(Serialize)]
struct StakeholderView {
    name: String,
    role: String,
    stance: &'static str,
    owner: Option<PersonRef>,
    left: String,
    changes: Vec<String>,
}

#[derive(Serialize)]
struct ActivityView {
    anchor: String,
    date: String,
    kind: &'static str,
    title: String,
    by: PersonRef,
    attendees: Vec<PersonRef>,
    contacts: String,
    report: String,
    restricted: bool,
    follow_ups: Vec<TaskView>,
}

#[derive(Serialize)]
struct CapturedRow {
    date: String,
    kind: &'static str,
    by: PersonRef,
    summary: String,
}

#[derive(Serialize)]
struct ReviewView {
    anchor: String,
    date: String,
    kind: String,
    trigger: String,
    reviewers: Vec<PersonRef>,
    findings: Vec<String>,
    plan_changed: bool,
    actions: Vec<TaskView>,
    notes: String,
    restricted: bool,
}

#[derive(Serialize)]
struct DocumentView {
    name: String,
    url: String,
    size: String,
}

#[derive(Serialize)]
struct MonthRow {
    month: String,
    this: String,
    last: String,
}

/// The `n` newest captured rows, newest first. Capture tools append in
/// date order, but a file merged or written by hand need not be; of rows
/// on the same date, the one further down the file comes first.
fn newest_captured(rows: &[Captured], n: usize) -> Vec<&Captured> {
    let mut newest: Vec<&Captured> = rows.iter().rev().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.date));
    newest.truncate(n);
    newest
}

pub fn render(
    out: &Out<'_>,
    refs: &Refs<'_>,
    index: usize,
    content: &std::path::Path,
) -> Result<(), SiteError> {
    let c = &refs.model.clients[index];
    let f = refs.metrics.client(index);
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let today = refs.metrics.today;
    let d = &c.data;
    let tasks: Vec<TaskRef<'_>> = c.tasks().collect();
    let task_views = |place: TaskPlace, file: &str| -> Vec<TaskView> {
        tasks
            .iter()
            .filter(|t| t.place == place && &*t.src.file == file)
            .map(|t| refs.task(t))
            .collect()
    };
    let vs_budget = f.vs_budget();
    let page = Page {
        client: refs.client(c),
        segment: d.segment.clone().unwrap_or_default(),
        region: d.region.clone().unwrap_or_default(),
        wallet: d.wallet_size.map_or(String::new(), money),
        qualifiers: d
            .qualifiers
            .iter()
            .map(|q| Labelled {
                label: q.value.clone(),
                text: refs
                    .model
                    .charter
                    .iter()
                    .flat_map(|ch| ch.qualifiers.iter())
                    .find(|x| x.id.value == q.value)
                    .map_or(String::new(), |x| x.description.clone()),
            })
            .collect(),
        history: {
            let mut h: Vec<_> = d.priority_history.iter().collect();
            h.sort_by_key(|p| std::cmp::Reverse(p.date.value));
            h.iter()
                .map(|p| HistoryRow {
                    date: format::date(p.date.value.0),
                    tier: p.tier.as_ref().map_or(String::from("left the list"), |t| {
                        refs.tier_name(&t.value).unwrap_or_else(|| t.value.clone())
                    }),
                    reason: p.reason.as_ref().map_or(String::new(), |r| r.value.clone()),
                })
                .collect()
        },
        owner: d.coverage.owner.as_ref().map(|o| refs.person(&o.value)),
        team: d
            .coverage
            .team
            .iter()
            .map(|p| refs.person(&p.value))
            .collect(),
        support: d
            .coverage
            .support
            .iter()
            .map(|s| Support {
                person: refs.person(&s.person.value),
                area: s.area.clone(),
            })
            .collect(),
        last_contact: date_cell(f.last_contact, today),
        next_review: date_cell(f.next_review, today),
        review_rag: f.review_status,
        service_rag: f.service,
        money: Money {
            revenue_ytd: money(f.revenue_ytd),
            budget_ytd: money(f.budget_ytd),
            budget_fy: money(f.budget_fy),
            vs_budget: format::percent_change(vs_budget),
            vs_budget_rag: Rag::of_budget(vs_budget),
            revenue_last_ytd: money(f.revenue_last_ytd),
            growth: format::percent_change(
                (f.revenue_last_ytd > 0.0)
                    .then(|| (f.revenue_ytd - f.revenue_last_ytd) / f.revenue_last_ytd * 100.0),
            ),
            costs_ytd: money(f.costs_ytd),
            margin: if f.costs_ytd > 0.0 {
                money(f.revenue_ytd - f.costs_ytd)
            } else {
                String::from("–")
            },
            products: f.products.join(", "),
        },
        plan: c.plan.as_ref().map(|p| {
            let views = task_views(TaskPlace::Plan, &p.src.file);
            let (goals, unlinked) = goal_tree(
                refs,
                &p.data.goals,
                &p.data.strategies,
                &p.data.actions,
                &views,
            );
            PlanView {
                fiscal_year: p.data.fiscal_year.value,
                objective: p.data.objective.clone().unwrap_or_default(),
                goals,
                unlinked,
                narrative: markdown::render(&p.body),
                restricted: p.data.restricted,
            }
        }),
        metric_rows: f
            .metric_rows
            .iter()
            .map(|r| MetricRowView::of(r, currency))
            .collect(),
        stakeholders: c
            .plan
            .iter()
            .flat_map(|p| p.data.stakeholders.iter())
            .map(|s| StakeholderView {
                name: s.name.value.clone(),
                role: s.role.clone().unwrap_or_default(),
                stance: s.stance.as_str(),
                owner: s.owner.as_ref().map(|o| refs.person(&o.value)),
                left: s.left.as_ref().map_or(
                    if s.status == crate::model::StakeholderStatus::Left {
                        String::from("left")
                    } else {
                        String::new()
                    },
                    |l| format!("left {}", format::date(l.value.0)),
                ),
                changes: s
                    .changes
                    .iter()
                    .map(|ch| {
                        format!(
                            "{} until {}{}",
                            ch.from.as_str(),
                            format::date(ch.date.value.0),
                            ch.note.as_ref().map_or(String::new(), |n| format!(": {n}"))
                        )
                    })
                    .collect(),
            })
            .collect(),
        activities: c
            .activities
            .iter()
            .rev()
            .map(|a| ActivityView {
                anchor: format!("a-{}", a.id),
                date: format::date(a.data.date.value.0),
                kind: a.data.kind.value.as_str(),
                title: a.data.title.value.clone(),
                by: refs.person(&a.data.by.value),
                attendees: a
                    .data
                    .attendees
                    .iter()
                    .map(|p| refs.person(&p.value))
                    .collect(),
                contacts: a.data.contacts.join(", "),
                report: markdown::render(&a.body),
                restricted: a.data.restricted,
                follow_ups: task_views(TaskPlace::FollowUp, &a.src.file),
            })
            .collect(),
        captured_total: c.captured.len(),
        captured_by_type: crate::model::ActivityType::ALL
            .iter()
            .filter_map(|t| {
                let n = c.captured.iter().filter(|r| r.kind == *t).count();
                (n > 0).then(|| Labelled {
                    label: t.as_str().to_string(),
                    text: n.to_string(),
                })
            })
            .collect(),
        captured_recent: newest_captured(&c.captured, 12)
            .into_iter()
            .map(|r| CapturedRow {
                date: format::date(r.date.0),
                kind: r.kind.as_str(),
                by: refs.person(&r.by),
                summary: r.summary.clone(),
            })
            .collect(),
        reviews: c
            .reviews
            .iter()
            .rev()
            .map(|r| ReviewView {
                anchor: format!("r-{}", r.id),
                date: format::date(r.data.date.value.0),
                kind: r.data.kind.value.as_str().to_string(),
                trigger: r
                    .data
                    .trigger
                    .as_ref()
                    .map_or(String::new(), |t| t.value.as_str().replace('-', " ")),
                reviewers: r
                    .data
                    .reviewers
                    .iter()
                    .map(|p| refs.person(&p.value))
                    .collect(),
                findings: r.data.findings.clone(),
                plan_changed: r.data.plan_changed,
                actions: task_views(TaskPlace::Review, &r.src.file),
                notes: markdown::render(&r.body),
                restricted: r.data.restricted,
            })
            .collect(),
        documents: c
            .documents
            .iter()
            .map(|doc| DocumentView {
                name: doc.name.clone(),
                url: format!("clients/{}/documents/{}", c.id, url_encode_path(&doc.name)),
                size: human_size(doc.bytes),
            })
            .collect(),
        revenue_chart: revenue_chart(refs, f, currency),
        revenue_table: refs
            .months
            .iter()
            .enumerate()
            .map(|(i, m)| MonthRow {
                month: m.clone(),
                this: money(f.revenue_by_month[i]),
                last: money(f.revenue_by_month_last[i]),
            })
            .collect(),
        findings: f.findings.iter().map(finding_view).collect(),
    };
    let path = client_url(&c.id);
    out.page(&path, "client.html", "clients", &c.data.name.value, &page)?;
    for doc in &c.documents {
        let src = content
            .join("clients")
            .join(&c.id)
            .join("documents")
            .join(&doc.name);
        let bytes = crate::load::open::read_limited(&src, crate::load::MAX_DOCUMENT_BYTES)
            .map_err(|e| SiteError::Io {
                path: src.display().to_string(),
                message: e.to_string(),
            })?;
        out.file(&format!("clients/{}/documents/{}", c.id, doc.name), &bytes)?;
    }
    Ok(())
}

fn revenue_chart(refs: &Refs<'_>, f: &crate::metrics::ClientFigures, currency: &str) -> String {
    let fy = refs.metrics.fiscal_year;
    let this = format!("FY{fy}");
    let last = format!("FY{}", fy - 1);
    charts::line(
        "Revenue by month",
        &refs.months,
        &[
            charts::Series {
                name: &last,
                values: &f.revenue_by_month_last,
                class: "s2",
            },
            charts::Series {
                name: &this,
                values: &f.revenue_by_month[..super::reported_months(refs, &f.revenue_by_month)],
                class: "s1",
            },
        ],
        &|v| format::money_short(v, currency),
    )
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// Percent-encodes a relative path for an href, keeping `/`.
pub fn url_encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
