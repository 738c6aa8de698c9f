//! Small view structs handed to templates: references to clients and
//! people with their URLs and tier badge, tasks, activities. Templates
//! never see the whole model, and lists never carry page bodies.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::format;
use crate::metrics::Metrics;
use crate::model::{Client, Model, TaskRef};

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
    pub fiscal_year: i32,
    pub errors: usize,
    pub warnings: usize,
    pub audience: &'static str,
}

/// A client wherever its name appears: with its tier badge.
#[derive(Clone, Debug, Serialize)]
pub struct ClientRef {
    pub id: String,
    pub name: String,
    /// Root-relative URL of its page.
    pub url: String,
    pub tier: Option<String>,
    pub tier_name: Option<String>,
    pub restricted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
    pub url: String,
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
}

/// Lookups for building views; made once per build.
pub struct Refs<'m> {
    pub model: &'m Model,
    pub metrics: &'m Metrics,
    tier_names: HashMap<&'m str, &'m str>,
    /// `Jan`, `Feb`... from the fiscal year's first month.
    pub months: Vec<String>,
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
        Refs {
            model,
            metrics,
            tier_names,
            months,
        }
    }

    pub fn tier_name(&self, id: &str) -> Option<String> {
        self.tier_names.get(id).map(|s| s.to_string())
    }

    pub fn client(&self, c: &Client) -> ClientRef {
        ClientRef {
            id: c.id.clone(),
            name: c.data.name.value.clone(),
            url: client_url(&c.id),
            tier: c.tier().map(str::to_string),
            tier_name: c.tier().and_then(|t| self.tier_name(t)),
            restricted: c.data.restricted,
        }
    }

    /// A person by id; an unknown id still renders, without a link target.
    pub fn person(&self, id: &str) -> PersonRef {
        match self.model.person(id) {
            Some(p) => PersonRef {
                id: p.id.clone(),
                name: p.data.name.clone(),
                url: person_url(&p.id),
            },
            None => PersonRef {
                id: id.to_string(),
                name: id.to_string(),
                url: String::from("people.html"),
            },
        }
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
