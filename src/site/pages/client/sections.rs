//! The sections of a client's page, each built from the model and the
//! client's figures: profile, coverage, money, the account plan, the
//! relationship map, the activity timeline, captured interactions,
//! reviews and documents.

use serde::Serialize;

use super::super::super::views::{goal_tree, GoalView, PersonRef, Refs, TaskView};
use super::super::super::{format, markdown};
use crate::metrics::{ClientFigures, MetricRow, Rag};
use crate::model::{Client, TaskPlace, TaskRef};

/// A row of the quarterly metrics table as the template shows it.
#[derive(Serialize)]
pub(super) struct MetricRowView {
    name: String,
    source: &'static str,
    cells: Vec<QuarterCellView>,
}

#[derive(Serialize)]
pub(super) struct QuarterCellView {
    target: String,
    actual: String,
    status: &'static str,
    /// The actual as a share of the target, 0-100, for the bar in the
    /// cell, when both are numbers.
    progress: u32,
    has_progress: bool,
}

impl MetricRowView {
    pub(super) fn of(row: &MetricRow, currency: &str) -> MetricRowView {
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
                .map(|c| {
                    let progress = match (&c.target, &c.actual) {
                        (
                            Some(crate::model::MetricValue::Number(t)),
                            Some(crate::model::MetricValue::Number(a)),
                        ) if *t > 0.0 => Some((a / t * 100.0).clamp(0.0, 100.0).round() as u32),
                        _ => None,
                    };
                    QuarterCellView {
                        target: show(&c.target),
                        actual: show(&c.actual),
                        status: c.status,
                        progress: progress.unwrap_or(0),
                        has_progress: progress.is_some(),
                    }
                })
                .collect(),
        }
    }
}
#[derive(Serialize)]
pub(super) struct Labelled {
    pub(super) label: String,
    pub(super) text: String,
}

#[derive(Serialize)]
pub(super) struct HistoryRow {
    date: String,
    tier: String,
    reason: String,
}

#[derive(Serialize)]
pub(super) struct Support {
    person: PersonRef,
    area: String,
}

#[derive(Serialize)]
pub(super) struct Money {
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
pub(super) struct PlanView {
    fiscal_year: i32,
    objective: String,
    goals: Vec<GoalView>,
    unlinked: Vec<TaskView>,
    narrative: String,
    restricted: bool,
}

#[derive(Serialize)]
pub(super) struct StakeholderView {
    name: String,
    role: String,
    stance: &'static str,
    owner: Option<PersonRef>,
    email: String,
    left: String,
    changes: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct MonthRow {
    month: String,
    this: String,
    last: String,
}

/// The client's tasks, to list each under the plan, note or review that
/// holds it.
pub(super) struct ClientTasks<'r, 'm> {
    refs: &'r Refs<'m>,
    tasks: Vec<TaskRef<'m>>,
}

impl<'r, 'm> ClientTasks<'r, 'm> {
    pub(super) fn of(refs: &'r Refs<'m>, c: &'m Client) -> ClientTasks<'r, 'm> {
        ClientTasks {
            refs,
            tasks: c.tasks().collect(),
        }
    }

    pub(super) fn views(&self, place: TaskPlace, file: &str) -> Vec<TaskView> {
        self.tasks
            .iter()
            .filter(|t| t.place == place && &*t.src.file == file)
            .map(|t| self.refs.task(t))
            .collect()
    }
}

/// The qualifiers, each with the charter's description.
pub(super) fn qualifiers(refs: &Refs<'_>, c: &Client) -> Vec<Labelled> {
    let d = &c.data;
    d.qualifiers
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
        .collect()
}

/// The priority history, newest first.
pub(super) fn history(refs: &Refs<'_>, c: &Client) -> Vec<HistoryRow> {
    let d = &c.data;
    {
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
    }
}

/// Revenue, budget, costs and products, formatted.
pub(super) fn money_view(f: &ClientFigures, currency: &str) -> Money {
    let money = |v: f64| format::money(v, currency);
    let vs_budget = f.vs_budget();
    Money {
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
    }
}

/// Revenue against costs per quarter begun, and the costs by category.
#[derive(Serialize)]
pub(super) struct ProfitView {
    /// Quarter, revenue, costs, contribution, margin.
    rows: Vec<[String; 5]>,
    /// Each category's costs to date, the ones to justify marked.
    categories: Vec<CategoryCost>,
}

#[derive(Serialize)]
struct CategoryCost {
    name: String,
    amount: String,
    justify: bool,
}

/// `None` for a client without costs this year.
pub(super) fn profit_view(
    refs: &Refs<'_>,
    f: &ClientFigures,
    currency: &str,
) -> Option<ProfitView> {
    use crate::metrics::profit::{margin, JUSTIFIED};
    let p = &f.profit;
    if p.categories.is_empty() {
        return None;
    }
    let money = |v: f64| format::money(v, currency);
    let quarters = &refs.metrics.firm.quarters;
    let rows = (0..4)
        .filter(|&q| quarters[q].started)
        .map(|q| {
            [
                quarters[q].label.clone(),
                money(p.revenue[q]),
                money(p.costs[q]),
                money(p.contribution(q)),
                format::percent(margin(p.revenue[q], p.costs[q])),
            ]
        })
        .collect();
    let categories = p
        .categories
        .iter()
        .map(|(name, q)| CategoryCost {
            name: name.clone(),
            amount: money(q.iter().sum()),
            justify: JUSTIFIED.contains(&name.as_str()),
        })
        .collect();
    Some(ProfitView { rows, categories })
}

/// The account plan: goals, strategies, actions and the narrative.
pub(super) fn plan_view(
    refs: &Refs<'_>,
    c: &Client,
    tasks: &ClientTasks<'_, '_>,
) -> Option<PlanView> {
    c.plan.as_ref().map(|p| {
        let views = tasks.views(TaskPlace::Plan, &p.src.file);
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
    })
}

/// The relationship map.
pub(super) fn stakeholders(refs: &Refs<'_>, c: &Client) -> Vec<StakeholderView> {
    c.plan
        .iter()
        .flat_map(|p| p.data.stakeholders.iter())
        .map(|s| StakeholderView {
            name: s.name.value.clone(),
            role: s.role.clone().unwrap_or_default(),
            stance: s.stance.as_str(),
            owner: s.owner.as_ref().map(|o| refs.person(&o.value)),
            email: s.email.as_ref().map_or(String::new(), |e| e.value.clone()),
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
        .collect()
}

/// Revenue by month, this fiscal year and last, as the chart's table.
pub(super) fn revenue_table(refs: &Refs<'_>, f: &ClientFigures, currency: &str) -> Vec<MonthRow> {
    let money = |v: f64| format::money(v, currency);
    refs.months
        .iter()
        .enumerate()
        .map(|(i, m)| MonthRow {
            month: m.clone(),
            this: money(f.revenue_by_month[i]),
            last: money(f.revenue_by_month_last[i]),
        })
        .collect()
}

/// The support people and the area each covers.
pub(super) fn support(refs: &Refs<'_>, c: &Client) -> Vec<Support> {
    c.data
        .coverage
        .support
        .iter()
        .map(|s| Support {
            person: refs.person(&s.person.value),
            area: s.area.clone(),
        })
        .collect()
}

/// The client's service level measured: each item of its tier's (or the
/// untiered) service, its target, the light it gives now and every period
/// judged so far.
#[derive(Serialize)]
pub(super) struct ServiceTable {
    level: String,
    rows: Vec<ServiceRow>,
}

#[derive(Serialize)]
struct ServiceRow {
    what: String,
    who: String,
    measure: String,
    target: String,
    now: Option<Rag>,
    now_text: String,
    periods: Vec<PeriodCell>,
}

#[derive(Serialize)]
struct PeriodCell {
    label: String,
    rag: Rag,
    status: &'static str,
    text: String,
}

pub(super) fn service_table(refs: &Refs<'_>, index: usize, c: &Client) -> Option<ServiceTable> {
    use crate::metrics::service::Status;
    let model = refs.model;
    let charter = model.charter.as_ref()?;
    let level = match c.tier() {
        Some(tier) => model.tier(tier)?.name.clone(),
        None => charter.untiered.as_ref()?.name.clone(),
    };
    let items = crate::metrics::service::level(model, c);
    if items.is_empty() {
        return None;
    }
    let f = refs.metrics.client(index);
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let standing = f.standing.iter().find(|(j, _)| j.item == i);
            ServiceRow {
                what: item.what.clone(),
                who: item.who.clone(),
                measure: item.measure.clone(),
                target: item
                    .target
                    .as_ref()
                    .map_or_else(String::new, |t| t.value.describe()),
                now: standing.map(|(_, rag)| *rag),
                now_text: standing.map_or_else(String::new, |(j, _)| refs.judged(item, j)),
                periods: f
                    .judgements
                    .iter()
                    .filter(|j| j.item == i)
                    .map(|j| PeriodCell {
                        label: refs.period(j),
                        rag: match j.status {
                            Status::Met => Rag::Green,
                            Status::Missed => Rag::Red,
                            Status::InProgress => Rag::Amber,
                        },
                        status: j.status.label(),
                        text: refs.judged(item, j),
                    })
                    .collect(),
            }
        })
        .collect();
    Some(ServiceTable { level, rows })
}
