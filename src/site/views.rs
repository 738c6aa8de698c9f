//! Small view structs handed to templates: references to clients and
//! people with their URLs and tier badge, tasks, activities. Templates
//! never see the whole model, and lists never carry page bodies.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;

use super::format;
use crate::metrics::service::{Judgement, Status};
use crate::metrics::{Metrics, Rag};
use crate::model::{Client, Model, Per, ServiceItem, TaskRef};

/// Everything every page needs: who the firm is, where the root is, the
/// validation status for the header.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    pub firm: String,
    /// Relative path from this page to the site root: `""`, `"../../"`.
    pub root: String,
    /// Which navigation entry is current.
    pub active: &'static str,
    pub title: String,
    pub today: String,
    /// The last day the revenue data covers: "revenue to 28 Oct 2026".
    pub revenue_to: String,
    pub fiscal_year: i32,
    pub errors: usize,
    pub warnings: usize,
    pub audience: &'static str,
}

/// A client wherever its name appears, with its tier badge: `id`, `name`,
/// `url` (root-relative), `tier`, `tier_name` and `restricted` for
/// templates. Made once per client per build and shared, like
/// [`PersonRef`].
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct ClientRef(tera::Value);

#[derive(Serialize)]
struct ClientFields<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    tier: Option<&'a str>,
    tier_name: Option<&'a str>,
    restricted: bool,
}

impl ClientRef {
    /// The client's name, for sorting.
    pub fn name(&self) -> &str {
        self.0
            .get_from_path("name")
            .and_then(tera::Value::as_str)
            .unwrap_or_default()
    }
}

/// A person wherever their name appears: `id`, `name` and `url` for
/// templates. Made once per person per build: a page holding it hands
/// tera the same value, which tera shares by reference count instead of
/// converting it again for every row that names the person.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct PersonRef(tera::Value);

#[derive(Serialize)]
struct PersonFields<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
}

impl PersonRef {
    /// The person's id.
    pub fn id(&self) -> &str {
        self.0
            .get_from_path("id")
            .and_then(tera::Value::as_str)
            .unwrap_or_default()
    }

    fn new(id: &str, name: &str, url: String) -> PersonRef {
        PersonRef(tera::Value::from_serializable(&PersonFields {
            id,
            name,
            url,
        }))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TaskView {
    pub title: String,
    pub place: &'static str,
    pub owner: Option<PersonRef>,
    pub due: String,
    pub due_iso: String,
    pub status: &'static str,
    pub overdue: bool,
    pub client: Option<ClientRef>,
    /// Root-relative URL of where the task is written.
    pub url: String,
    /// What kind of action a review decided on: `escalate`, ...
    pub kind: Option<&'static str>,
}

/// A review action of kind `escalate` still open: what, for which client,
/// who owns it and how long it has been open.
#[derive(Clone, Debug, Serialize)]
pub struct EscalationView {
    pub client: ClientRef,
    pub client_owner: Option<PersonRef>,
    pub title: String,
    pub owner: Option<PersonRef>,
    pub raised: DateCell,
    pub age_days: i64,
    pub due: DateCell,
    pub url: String,
}

/// A win: a review action of kind `congratulate`, or an event review
/// after an objective was achieved.
#[derive(Clone, Debug, Serialize)]
pub struct WinView {
    pub client: ClientRef,
    pub date: DateCell,
    pub what: String,
    pub url: String,
}

/// Lookups for building views; made once per build.
pub struct Refs<'m> {
    pub model: &'m Model,
    pub metrics: &'m Metrics,
    tier_names: HashMap<&'m str, &'m str>,
    /// Every person's reference, in the order of `model.people`.
    people: Vec<PersonRef>,
    /// Each client's reference, made the first time a page names it.
    clients: Vec<OnceLock<ClientRef>>,
    /// `Jan`, `Feb`... from the fiscal year's first month.
    pub months: Vec<String>,
    /// `2025-Q1`... for the quarters of the series, the last one marked
    /// in progress.
    pub quarters: Vec<String>,
}

impl<'m> Refs<'m> {
    pub fn new(model: &'m Model, metrics: &'m Metrics) -> Refs<'m> {
        let tier_names = model
            .charter
            .iter()
            .flat_map(|c| {
                c.tiers
                    .iter()
                    .map(|t| (t.id.value.as_str(), t.name.as_str()))
            })
            .collect();
        let months = (0..12)
            .map(|i| {
                crate::model::add_months(metrics.fy_start, i)
                    .format("%b")
                    .to_string()
            })
            .collect();
        let span = &metrics.span;
        let quarters = (0..span.len)
            .map(|q| {
                let label = span.label(model, q);
                if span.in_progress(q) {
                    format!("{label} (to date)")
                } else {
                    label
                }
            })
            .collect();
        let people = model
            .people
            .iter()
            .map(|p| PersonRef::new(&p.id, &p.data.name, person_url(&p.id)))
            .collect();
        Refs {
            model,
            metrics,
            tier_names,
            people,
            clients: model.clients.iter().map(|_| OnceLock::new()).collect(),
            months,
            quarters,
        }
    }

    pub fn tier_name(&self, id: &str) -> Option<String> {
        self.tier_names.get(id).map(|s| s.to_string())
    }

    pub fn client(&self, c: &Client) -> ClientRef {
        let made = || {
            ClientRef(tera::Value::from_serializable(&ClientFields {
                id: &c.id,
                name: &c.data.name.value,
                url: client_url(&c.id),
                tier: c.tier(),
                tier_name: c.tier().and_then(|t| self.tier_names.get(t).copied()),
                restricted: c.data.restricted,
            }))
        };
        match self.model.index.clients.get(&c.id) {
            Some(&i) if std::ptr::eq(&self.model.clients[i], c) => {
                self.clients[i].get_or_init(made).clone()
            }
            _ => made(),
        }
    }

    /// A person by id; an unknown id still renders, without a link target.
    pub fn person(&self, id: &str) -> PersonRef {
        match self.model.index.people.get(id) {
            Some(&i) => self.people[i].clone(),
            None => PersonRef::new(id, id, String::from("people.html")),
        }
    }

    /// People named by id in a list (attendees, reviewers, a team).
    pub fn people(&self, ids: &[crate::model::Spanned<String>]) -> Vec<PersonRef> {
        ids.iter().map(|p| self.person(&p.value)).collect()
    }

    /// The client's accountable owner, if it has one.
    pub fn owner(&self, c: &crate::model::Client) -> Option<PersonRef> {
        c.data
            .coverage
            .owner
            .as_ref()
            .map(|o| self.person(&o.value))
    }

    pub fn task(&self, t: &TaskRef<'_>) -> TaskView {
        let today = self.metrics.today;
        let due = t.task.due.as_ref().map(|d| d.value.0);
        TaskView {
            title: t.task.title.value.clone(),
            place: t.place.describe(),
            owner: t.task.owner.as_ref().map(|o| self.person(&o.value)),
            due: format::date_opt(due),
            due_iso: due.map_or(String::new(), |d| d.to_string()),
            status: status_name(t.task.status),
            overdue: t.task.status.is_open() && due.is_some_and(|d| d < today),
            client: t.client.map(|c| self.client(c)),
            url: match t.client {
                Some(c) => format!(
                    "{}#{}",
                    client_url(&c.id),
                    match t.place {
                        crate::model::TaskPlace::Plan => "plan",
                        crate::model::TaskPlace::Review => "reviews",
                        _ => "activity",
                    }
                ),
                None => String::from("strategy.html"),
            },
            kind: t.task.kind.map(crate::model::ReviewActionKind::as_str),
        }
    }

    /// The open escalations raised in `c`'s reviews, oldest first.
    pub fn escalations(&self, c: &Client) -> Vec<EscalationView> {
        let today = self.metrics.today;
        let mut out: Vec<EscalationView> = c
            .reviews
            .iter()
            .flat_map(|r| r.data.actions.iter().map(move |a| (r, a)))
            .filter(|(_, a)| {
                a.kind == Some(crate::model::ReviewActionKind::Escalate) && a.status.is_open()
            })
            .map(|(r, a)| {
                let raised = r.data.date.value.0;
                EscalationView {
                    client: self.client(c),
                    client_owner: self.owner(c),
                    title: a.title.value.clone(),
                    owner: a.owner.as_ref().map(|o| self.person(&o.value)),
                    raised: date_cell(Some(raised), today),
                    age_days: (today - raised).num_days().max(0),
                    due: date_cell(a.due.as_ref().map(|d| d.value.0), today),
                    url: format!("{}#r-{}", client_url(&c.id), r.id),
                }
            })
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.age_days));
        out
    }

    /// The wins recorded in `c`'s reviews this fiscal year, newest first.
    pub fn wins(&self, c: &Client) -> Vec<WinView> {
        let m = self.metrics;
        let mut out: Vec<(NaiveDate, WinView)> = Vec::new();
        for r in &c.reviews {
            let date = r.data.date.value.0;
            if date < m.fy_start || date > m.today {
                continue;
            }
            let url = format!("{}#r-{}", client_url(&c.id), r.id);
            let mut whats: Vec<String> = r
                .data
                .actions
                .iter()
                .filter(|a| a.kind == Some(crate::model::ReviewActionKind::Congratulate))
                .map(|a| a.title.value.clone())
                .collect();
            if r.data.trigger.as_ref().map(|t| t.value)
                == Some(crate::model::ReviewTrigger::ObjectiveAchieved)
            {
                whats.push(
                    r.data
                        .findings
                        .first()
                        .cloned()
                        .unwrap_or_else(|| String::from("Objective achieved")),
                );
            }
            for what in whats {
                out.push((
                    date,
                    WinView {
                        client: self.client(c),
                        date: date_cell(Some(date), m.today),
                        what,
                        url: url.clone(),
                    },
                ));
            }
        }
        out.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
        out.into_iter().map(|(_, w)| w).collect()
    }

    /// A client's service-level light and, for its hover text, the items
    /// that set it.
    pub fn service(&self, index: usize, c: &Client) -> ServiceView {
        let f = self.metrics.client(index);
        let items = crate::metrics::service::level(self.model, c);
        let concerns: Vec<String> = f
            .standing
            .iter()
            .filter(|(_, rag)| *rag != Rag::Green)
            .filter_map(|(j, _)| {
                let item = items.get(j.item)?;
                Some(format!("{}: {}", item.what, self.judged(item, j)))
            })
            .collect();
        let note = match (f.service, concerns.is_empty()) {
            (None, _) => String::from("nothing of this client's service level is measured yet"),
            (Some(_), true) => format!(
                "{} measured service item{} on track",
                f.standing.len(),
                if f.standing.len() == 1 { "" } else { "s" }
            ),
            (Some(_), false) => concerns.join("; "),
        };
        ServiceView {
            rag: f.service,
            note,
        }
    }

    /// How one period of a target went, in words: "missed in Q3: 0 of 1
    /// meeting", "behind pace in Q4: 1 of 3 so far".
    pub fn judged(&self, item: &ServiceItem, j: &Judgement) -> String {
        let period = self.period(j);
        let figure = item
            .target
            .as_ref()
            .map_or_else(String::new, |t| j.figure(&t.value));
        match j.status {
            Status::Missed => format!("missed in {period}: {figure}"),
            Status::Met => format!("met in {period}: {figure}"),
            Status::InProgress if j.behind_pace() => {
                format!("behind pace in {period}: {figure} so far")
            }
            Status::InProgress => format!("in progress in {period}: {figure} so far"),
        }
    }

    /// A person's figures as the people pages show them, the same columns
    /// for everyone: their own page first, their manager's team section,
    /// the firm-wide people page.
    pub fn person_stats(&self, index: usize) -> PersonStats {
        let p = &self.model.people[index];
        let f = &self.metrics.people[index];
        let currency = self.model.firm.currency.as_str();
        let o = f.objectives;
        let service = self.metrics.firm.service_by_person.get(&p.id);
        let capacity = (f.asked_per_quarter > 0)
            .then(|| f64::from(f.last_quarter) / f64::from(f.asked_per_quarter) * 100.0);
        PersonStats {
            person: self.person(&p.id),
            role: p.data.role.clone(),
            clients: f.owned.len(),
            this_quarter: f.this_quarter,
            last_quarter: f.last_quarter,
            asked: f.asked_per_quarter,
            capacity: capacity.map_or_else(String::new, |c| format!("{c:.0}%")),
            stretched: capacity.is_some_and(|c| c < 100.0),
            service: service
                .and_then(|c| c.tally.share())
                .map_or_else(|| String::from("–"), |s| format!("{s:.0}%")),
            overdue_tasks: f.overdue_tasks,
            overdue_reviews: f.overdue_reviews,
            revenue_ytd: format::money(f.revenue_ytd, currency),
            vs_budget: format::percent_change(crate::metrics::against(f.revenue_ytd, f.budget_ytd)),
            objectives: format!(
                "{} on time · {} late · {} undated · {} open · {} overdue",
                o.on_time, o.late, o.undated, o.open, o.overdue
            ),
            overdue_objectives: o.overdue,
        }
    }

    /// A judged period's name: `Q3`, `Aug 2026` or `FY2026`.
    pub fn period(&self, j: &Judgement) -> String {
        period_label(j, self.metrics.fy_start, self.metrics.fiscal_year)
    }

    /// A judged period as exports write it, whole on its own line:
    /// `FY2026-Q3`, `2026-08` or `FY2026`.
    pub fn period_key(&self, j: &Judgement) -> String {
        match j.per {
            Per::Month => j.from.format("%Y-%m").to_string(),
            Per::Year => format!("FY{}", self.metrics.fiscal_year),
            Per::Quarter => format!("FY{}-{}", self.metrics.fiscal_year, self.period(j)),
        }
    }
}

/// A goal with the strategies that serve it, as the firm strategy and each
/// account plan have them.
#[derive(Clone, Debug, Serialize)]
pub struct GoalView {
    pub id: String,
    pub title: String,
    pub owner: Option<PersonRef>,
    pub measure: String,
    pub strategies: Vec<StrategyView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StrategyView {
    pub id: String,
    pub title: String,
    pub owner: Option<PersonRef>,
    pub actions: Vec<TaskView>,
    /// How many of the actions are done.
    pub done: usize,
}

/// Goals -> strategies -> actions. `views` are the views of `actions`, in
/// the same order. Returns the tree and the actions linked to no strategy
/// of this tree.
pub fn goal_tree(
    refs: &Refs<'_>,
    goals: &[crate::model::Goal],
    strategies: &[crate::model::Strategy],
    actions: &[crate::model::Task],
    views: &[TaskView],
) -> (Vec<GoalView>, Vec<TaskView>) {
    let linked_to = |sid: &str| -> Vec<TaskView> {
        actions
            .iter()
            .zip(views)
            .filter(|(a, _)| a.strategy.as_ref().is_some_and(|s| s.value == sid))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let tree = goals
        .iter()
        .map(|g| GoalView {
            id: g.id.value.clone(),
            title: g.title.clone(),
            owner: g.owner.as_ref().map(|o| refs.person(&o.value)),
            measure: g.measure.clone().unwrap_or_default(),
            strategies: strategies
                .iter()
                .filter(|st| st.goal.as_ref().is_some_and(|x| x.value == g.id.value))
                .map(|st| {
                    let actions = linked_to(&st.id.value);
                    StrategyView {
                        id: st.id.value.clone(),
                        title: st.title.clone(),
                        owner: st.owner.as_ref().map(|o| refs.person(&o.value)),
                        done: actions.iter().filter(|a| a.status == "done").count(),
                        actions,
                    }
                })
                .collect(),
        })
        .collect();
    let known: Vec<&str> = strategies.iter().map(|st| st.id.value.as_str()).collect();
    let unlinked = actions
        .iter()
        .zip(views)
        .filter(|(a, _)| {
            a.strategy
                .as_ref()
                .is_none_or(|s| !known.contains(&s.value.as_str()))
        })
        .map(|(_, v)| v.clone())
        .collect();
    (tree, unlinked)
}

pub fn status_name(s: crate::model::TaskStatus) -> &'static str {
    use crate::model::TaskStatus::*;
    match s {
        Open => "open",
        InProgress => "in progress",
        Done => "done",
        Dropped => "dropped",
    }
}

pub fn client_url(id: &str) -> String {
    format!("clients/{id}.html")
}

pub fn person_url(id: &str) -> String {
    format!("people/{id}.html")
}

/// `"../" * depth` for a page `depth` folders below the root.
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A date for a table cell: display text and ISO for sorting.
#[derive(Clone, Debug, Serialize)]
pub struct DateCell {
    pub text: String,
    pub iso: String,
    pub relative: String,
}

pub fn date_cell(d: Option<NaiveDate>, today: NaiveDate) -> DateCell {
    DateCell {
        text: format::date_opt(d),
        iso: d.map_or(String::new(), |d| d.to_string()),
        relative: d.map_or(String::new(), |d| format::relative(d, today)),
    }
}

/// A client's service level wherever it appears: the light, and the items
/// that set it for the hover text.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceView {
    pub rag: Option<Rag>,
    pub note: String,
}

/// A judged period's name: `Q3` of the fiscal year starting `fy_start`,
/// `Aug 2026` for a month, `FY2026` for the year.
pub fn period_label(j: &Judgement, fy_start: NaiveDate, fiscal_year: i32) -> String {
    use chrono::Datelike;
    match j.per {
        Per::Month => j.from.format("%b %Y").to_string(),
        Per::Year => format!("FY{fiscal_year}"),
        Per::Quarter => {
            let months = (j.from.year() - fy_start.year()) * 12 + j.from.month() as i32
                - fy_start.month() as i32;
            format!("Q{}", months.div_euclid(3) + 1)
        }
    }
}

/// One person's row on the people pages.
#[derive(Clone, Debug, Serialize)]
pub struct PersonStats {
    pub person: PersonRef,
    pub role: String,
    /// Clients they own.
    pub clients: usize,
    /// Interactions they held or attended this quarter and last quarter,
    /// and what the charter asks a quarter across the clients they own.
    pub this_quarter: u32,
    pub last_quarter: u32,
    pub asked: u32,
    /// Last quarter's interactions as a share of what is asked.
    pub capacity: String,
    /// Delivered less than the charter asked last quarter.
    pub stretched: bool,
    /// Share of the service items they are responsible for that were met.
    pub service: String,
    pub overdue_tasks: usize,
    pub overdue_reviews: usize,
    pub revenue_ytd: String,
    pub vs_budget: String,
    /// Plan and review actions: on time, late, undated, open, overdue.
    pub objectives: String,
    pub overdue_objectives: usize,
}
