//! Every reference resolves: people, clients, goals, strategies, tiers and
//! qualifiers, with a "did you mean" for typos. A plan that names someone
//! who is not in team/ has nobody accountable (seed 001, developing a client strategy).

use rayon::prelude::*;

use super::{reference, Context, RowFindings, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::Spanned;
use crate::model::{Client, Goal, Model, Source, Strategy, Task};

pub const RULE: Rule = Rule {
    id: "unknown-reference",
    default: Severity::Error,
    checks: "every person, client, goal, strategy, tier, qualifier, segment dimension and value, product (when firm.yaml lists them), and rule id that is referred to exists",
    fix: "correct the id (see the suggestion) or add the missing person, client, goal or strategy",
    firm: Some(firm),
    client: Some(client),
    task: None,
};

struct Refs<'m> {
    model: &'m Model,
    out: Vec<Diagnostic>,
    /// The last client and person id a CSV row named that exists. Rows
    /// come grouped (a client's revenue lines, one owner's calls), so most
    /// lookups among half a million lines end here. A third slot for
    /// products.
    last_found: [&'m str; 3],
    /// Findings on CSV rows, by file: bounded (see [`RowFindings`]).
    rows: Vec<(&'m str, RowFindings)>,
}

impl<'m> Refs<'m> {
    fn new(model: &'m Model) -> Refs<'m> {
        Refs {
            model,
            out: Vec::new(),
            last_found: [""; 3],
            rows: Vec::new(),
        }
    }

    /// Every finding, those on rows last.
    fn finish(mut self) -> Vec<Diagnostic> {
        for (file, rows) in self.rows {
            self.out
                .extend(rows.finish(RULE.id, &std::sync::Arc::from(file)));
        }
        self.out
    }

    /// The row findings of `file`, taken out.
    fn take_rows(&mut self, file: &str) -> RowFindings {
        let at = self.rows.iter().position(|(f, _)| *f == file);
        at.map(|i| self.rows.remove(i).1).unwrap_or_default()
    }

    fn person(&mut self, src: &Source, id: &Spanned<String>) {
        if !self.model.is_person(&id.value) {
            let ids = self.model.person_ids.iter().map(String::as_str);
            self.out.push(reference(src, id, "person", ids));
        }
    }

    fn person_opt(&mut self, src: &Source, id: Option<&Spanned<String>>) {
        if let Some(id) = id {
            self.person(src, id);
        }
    }

    fn among<'a>(
        &mut self,
        src: &Source,
        id: &Spanned<String>,
        kind: &str,
        known: impl Iterator<Item = &'a str> + Clone,
    ) {
        if !known.clone().any(|k| k == id.value) {
            self.out.push(reference(src, id, kind, known));
        }
    }

    fn tasks(&mut self, src: &Source, tasks: &[Task]) {
        for task in tasks {
            self.person_opt(src, task.owner.as_ref());
        }
    }

    fn plan_tree(
        &mut self,
        src: &Source,
        goals: &[Goal],
        strategies: &[Strategy],
        actions: &[Task],
    ) {
        let goal_ids = goals.iter().map(|g| g.id.value.as_str());
        let strategy_ids = strategies.iter().map(|s| s.id.value.as_str());
        for goal in goals {
            self.person_opt(src, goal.owner.as_ref());
        }
        for strategy in strategies {
            self.person_opt(src, strategy.owner.as_ref());
            if let Some(goal) = &strategy.goal {
                self.among(src, goal, "goal", goal_ids.clone());
            }
        }
        for action in actions {
            if let Some(strategy) = &action.strategy {
                self.among(src, strategy, "strategy", strategy_ids.clone());
            }
        }
        self.tasks(src, actions);
    }

    /// A client or person named in the cell of `column` of a CSV row,
    /// which the model knows by its line: the cell is placed later.
    fn row(&mut self, file: &'m str, line: u32, cell: (&'static str, &'m str), kind: &str) {
        let (slot, known) = if kind == "client" {
            (0, &self.model.client_ids)
        } else {
            (1, &self.model.person_ids)
        };
        self.row_among(file, line, cell, kind, slot, known);
    }

    /// A cell's value among the sorted `known`; `slot` remembers the last
    /// one found.
    fn row_among(
        &mut self,
        file: &'m str,
        line: u32,
        (column, id): (&'static str, &'m str),
        kind: &str,
        slot: usize,
        known: &'m [String],
    ) {
        if !id.is_empty() && self.last_found[slot] == id {
            return;
        }
        if known.binary_search_by(|k| k.as_str().cmp(id)).is_ok() {
            self.last_found[slot] = id;
        } else {
            let rows = match self.rows.iter().position(|(f, _)| *f == file) {
                Some(i) => &mut self.rows[i].1,
                None => {
                    self.rows.push((file, RowFindings::default()));
                    &mut self.rows.last_mut().expect("just pushed").1
                }
            };
            rows.push_with(|| {
                let src = Source::new(file, 0);
                let mut value = Spanned::unplaced(id.to_string());
                value.pos.line = line;
                value.pos.col = 1;
                let d = reference(&src, &value, kind, known.iter().map(String::as_str));
                d.with_cell(column)
            });
        }
    }
}

fn firm(model: &Model, _ctx: &Context) -> Vec<Diagnostic> {
    let mut refs = Refs::new(model);
    let s = &model.strategy;
    refs.plan_tree(&model.strategy_src, &s.goals, &s.strategies, &s.actions);
    let tier_ids: Vec<&str> = model
        .charter
        .iter()
        .flat_map(|c| c.tiers.iter().map(|t| t.id.value.as_str()))
        .collect();
    for goal in &s.goals {
        let Some(group) = goal.target.as_ref().and_then(|t| t.clients.as_ref()) else {
            continue;
        };
        let groups = ["all", "tiered", "untiered"]
            .into_iter()
            .chain(tier_ids.iter().copied());
        refs.among(&model.strategy_src, group, "client group", groups);
    }
    let goal_ids = s.goals.iter().map(|g| g.id.value.as_str());
    let strategy_ids = s.strategies.iter().map(|st| st.id.value.as_str());
    for check in &s.checks {
        for reviewer in &check.reviewers {
            refs.person(&model.strategy_src, reviewer);
        }
        for goal in check.goals.keys() {
            refs.among(&model.strategy_src, goal, "goal", goal_ids.clone());
        }
        for strategy in check.strategies.keys() {
            refs.among(
                &model.strategy_src,
                strategy,
                "strategy",
                strategy_ids.clone(),
            );
        }
    }
    for person in &model.people {
        refs.person_opt(&person.src, person.data.manager.as_ref());
    }
    let fin = &model.financials;
    // Half a million lines in a large firm, and the firm's rules are the
    // last to finish: in pieces on all cores, findings in file order.
    const REVENUE: &str = "financials/revenue.csv";
    // firm.yaml's products, when it lists them: what penetration counts.
    let mut products: Vec<String> = model
        .firm
        .products
        .iter()
        .map(|p| p.value.clone())
        .collect();
    products.sort();
    let products = &products;
    let chunks: Vec<RowFindings> = fin
        .revenue
        .par_chunks(8192)
        .map(|lines| {
            let mut refs = Refs::new(model);
            for line in lines {
                refs.row(REVENUE, line.line, ("client", &line.client), "client");
                if !line.credited_to.is_empty() {
                    refs.row(
                        REVENUE,
                        line.line,
                        ("credited_to", &line.credited_to),
                        "person",
                    );
                }
                if !products.is_empty() {
                    let cell = ("product", line.product.as_str());
                    refs.row_among(REVENUE, line.line, cell, "product", 2, products);
                }
            }
            refs.take_rows(REVENUE)
        })
        .collect();
    let mut revenue = RowFindings::default();
    for chunk in chunks {
        revenue.append(chunk);
    }
    refs.rows.push((REVENUE, revenue));
    for line in &fin.budget {
        refs.row(
            "financials/budget.csv",
            line.line,
            ("client", &line.client),
            "client",
        );
    }
    for line in &fin.costs {
        refs.row(
            "financials/costs.csv",
            line.line,
            ("client", &line.client),
            "client",
        );
    }
    for table in &fin.market {
        for r in &table.rows {
            refs.row(&table.file, r.row.line, ("client", &r.client), "client");
        }
    }
    refs.finish()
}

fn client(model: &Model, client: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let mut refs = Refs::new(model);
    let tier_ids: Vec<&str> = model
        .charter
        .iter()
        .flat_map(|c| c.tiers.iter().map(|t| t.id.value.as_str()))
        .collect();
    let qualifier_ids: Vec<&str> = model
        .charter
        .iter()
        .flat_map(|c| c.qualifiers.iter().map(|q| q.id.value.as_str()))
        .collect();
    let d = &client.data;
    let src = &client.src;
    if model.charter.is_some() {
        for tier in d
            .tier
            .iter()
            .chain(d.priority_history.iter().filter_map(|p| p.tier.as_ref()))
        {
            refs.among(src, tier, "tier", tier_ids.iter().copied());
        }
        for qualifier in &d.qualifiers {
            refs.among(src, qualifier, "qualifier", qualifier_ids.iter().copied());
        }
    }
    let dimensions = &model.firm.segment_dimensions;
    for (dimension, value) in &d.segments {
        match dimensions.iter().find(|s| s.id.value == dimension.value) {
            Some(s) => refs.among(
                src,
                value,
                &format!("`{}` segment", dimension.value),
                s.values.iter().map(|v| v.value.as_str()),
            ),
            None => refs.among(
                src,
                dimension,
                "segment dimension",
                dimensions.iter().map(|s| s.id.value.as_str()),
            ),
        }
    }
    refs.person_opt(src, d.coverage.owner.as_ref());
    for member in &d.coverage.team {
        refs.person(src, member);
    }
    for support in &d.coverage.support {
        refs.person(src, &support.person);
    }
    if let Some(plan) = &client.plan {
        let p = &plan.data;
        refs.plan_tree(&plan.src, &p.goals, &p.strategies, &p.actions);
        for stakeholder in &p.stakeholders {
            refs.person_opt(&plan.src, stakeholder.owner.as_ref());
        }
    }
    for activity in &client.activities {
        let a = &activity.data;
        refs.person(&activity.src, &a.by);
        for attendee in &a.attendees {
            refs.person(&activity.src, attendee);
        }
        refs.tasks(&activity.src, &a.follow_ups);
    }
    let csv = format!("clients/{}/activities.csv", client.id);
    for row in &client.captured {
        refs.row(&csv, row.line, ("by", &row.by), "person");
    }
    for review in &client.reviews {
        for reviewer in &review.data.reviewers {
            refs.person(&review.src, reviewer);
        }
        refs.tasks(&review.src, &review.data.actions);
    }
    refs.finish()
}
