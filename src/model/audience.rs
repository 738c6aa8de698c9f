//! Audiences: who a build is for. A build for the wide audience is made
//! from a copy of the model with restricted material removed, so no page,
//! list, chart, count, export, feed or search index can show it.

use std::collections::HashSet;

use super::Model;
use crate::diag::Diagnostic;

/// Who a build is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The client-management team and leadership: everything, with
    /// restricted material marked as such.
    Full,
    /// The whole firm: restricted clients, plans, activities and reviews
    /// are left out entirely.
    Wide,
}

impl Model {
    /// The clients the wide audience may not see anything of: restricted
    /// clients, and clients whose `client.yaml` could not be read, whose
    /// restricted flag is therefore unknown (fail closed).
    pub fn hidden_clients(&self) -> HashSet<&str> {
        let loaded: HashSet<&str> = self.clients.iter().map(|c| c.id.as_str()).collect();
        self.client_ids
            .iter()
            .map(String::as_str)
            .filter(|id| !loaded.contains(id))
            .chain(
                self.clients
                    .iter()
                    .filter(|c| c.data.restricted)
                    .map(|c| c.id.as_str()),
            )
            .collect()
    }

    /// The model as `audience` may see it. The full audience sees it as it
    /// is: no copy (a copy of the benchmark firm costs half a second).
    pub fn for_audience(self, audience: Audience) -> Model {
        let mut model = self;
        if audience == Audience::Full {
            return model;
        }
        let hidden: HashSet<String> = model
            .hidden_clients()
            .into_iter()
            .map(str::to_string)
            .collect();
        model.clients.retain(|c| !c.data.restricted);
        for c in &mut model.clients {
            if c.plan.as_ref().is_some_and(|p| p.data.restricted) {
                c.plan = None;
            }
            c.activities.retain(|a| !a.data.restricted);
            c.reviews.retain(|r| !r.data.restricted);
        }
        let fin = &mut model.financials;
        fin.revenue.retain(|l| !hidden.contains(&l.client));
        fin.budget.retain(|l| !hidden.contains(&l.client));
        fin.costs.retain(|l| !hidden.contains(&l.client));
        for table in &mut fin.market {
            table.rows.retain(|r| !hidden.contains(&r.client));
        }
        model.client_ids.retain(|id| !hidden.contains(id));
        // Commit subjects and file names can name restricted notes, plans
        // and reviews: the wide audience sees no history.
        model.git = crate::load::GitHistory::default();
        model.reindex();
        model
    }

    /// Whether the wide audience may not see a file: anything of a hidden
    /// client, a restricted plan, activity or review, and a plan, activity
    /// or review that could not be read (its flag is unknown).
    pub fn is_restricted_file(&self, file: &str) -> bool {
        let Some((id, inside)) = super::client_of_path(file).filter(|(_, i)| !i.is_empty()) else {
            return false;
        };
        let Some(c) = self.client(id) else {
            // A client folder whose client.yaml could not be read.
            return self
                .client_ids
                .binary_search_by(|x| x.as_str().cmp(id))
                .is_ok();
        };
        if c.data.restricted {
            return true;
        }
        let flag = |found: Option<bool>| found.unwrap_or(true);
        if inside == "plan.md" {
            return flag(c.plan.as_ref().map(|p| p.data.restricted));
        }
        if inside.starts_with("activities/") {
            return flag(
                c.activities
                    .iter()
                    .find(|a| &*a.src.file == file)
                    .map(|a| a.data.restricted),
            );
        }
        if inside.starts_with("reviews/") {
            return flag(
                c.reviews
                    .iter()
                    .find(|r| &*r.src.file == file)
                    .map(|r| r.data.restricted),
            );
        }
        false
    }

    /// Diagnostics an audience may see. The wide audience sees none
    /// located in material it may not see (see [`Model::is_restricted_file`]),
    /// none on a line of `financials/*.csv` that is not a readable line of
    /// a client it may see, and none naming a hidden client.
    pub fn diagnostics_for(
        &self,
        audience: Audience,
        diagnostics: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        if audience == Audience::Full {
            return diagnostics.to_vec();
        }
        let hidden = self.hidden_clients();
        let mut names: Vec<String> = hidden.iter().map(|id| format!("`{id}`")).collect();
        names.extend(
            self.clients
                .iter()
                .filter(|c| c.data.restricted)
                .map(|c| c.data.name.value.clone())
                .filter(|n| n.len() > 2),
        );
        let fin = &self.financials;
        let visible_rows: HashSet<(&str, u32)> = fin
            .revenue
            .iter()
            .map(|l| ("financials/revenue.csv", l.line, l.client.as_str()))
            .chain(
                fin.budget
                    .iter()
                    .map(|l| ("financials/budget.csv", l.line, l.client.as_str())),
            )
            .chain(
                fin.costs
                    .iter()
                    .map(|l| ("financials/costs.csv", l.line, l.client.as_str())),
            )
            .chain(fin.market.iter().flat_map(|t| {
                t.rows
                    .iter()
                    .map(|r| (&*t.file, r.row.line, r.client.as_str()))
            }))
            .filter(|(_, _, client)| !hidden.contains(client))
            .map(|(file, line, _)| (file, line))
            .collect();
        let located_ok = |d: &Diagnostic| {
            let Some(span) = &d.span else { return true };
            if span.file.starts_with("financials/") && span.line > 1 {
                return visible_rows.contains(&(&*span.file, span.line));
            }
            !self.is_restricted_file(&span.file)
        };
        let names_hidden = |d: &Diagnostic| {
            let texts = [Some(&d.message), d.help.as_ref(), d.label.as_ref()];
            texts
                .into_iter()
                .flatten()
                .any(|t| names.iter().any(|n| t.contains(n.as_str())))
        };
        diagnostics
            .iter()
            .filter(|d| located_ok(d) && !names_hidden(d))
            .cloned()
            .collect()
    }
}
