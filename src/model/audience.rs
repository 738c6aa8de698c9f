//! Audiences: who a build is for. A build for the wide audience is made
//! from a copy of the model with restricted material removed, so no page,
//! list, chart, count, export, feed or search index can show it.

use std::collections::HashSet;

use super::Model;
use crate::diag::Diagnostic;

/// Who a build is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    /// The client-management team and leadership: everything, with
    /// restricted material marked as such.
    Full,
    /// The whole firm: restricted clients, plans, activities and reviews
    /// are left out entirely.
    Wide,
}

impl Model {
    /// The model as `audience` may see it. The full audience sees it as it
    /// is: no copy (a copy of 36,000 clients costs half a second).
    pub fn for_audience(self, audience: Audience) -> Model {
        let mut model = self;
        if audience == Audience::Full {
            return model;
        }
        let hidden: HashSet<String> = model
            .clients
            .iter()
            .filter(|c| c.data.restricted)
            .map(|c| c.id.clone())
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
        model.client_ids.retain(|id| !hidden.contains(id));
        model.reindex();
        model
    }

    /// Whether a file holds restricted material: a restricted client's
    /// folder, or a restricted plan, activity or review.
    pub fn is_restricted_file(&self, file: &str) -> bool {
        let Some(id) = file
            .strip_prefix("clients/")
            .and_then(|r| r.split('/').next())
        else {
            return false;
        };
        let Some(c) = self.client(id) else {
            return false;
        };
        c.data.restricted
            || c.plan
                .as_ref()
                .is_some_and(|p| p.data.restricted && &*p.src.file == file)
            || c.activities
                .iter()
                .any(|a| a.data.restricted && &*a.src.file == file)
            || c.reviews
                .iter()
                .any(|r| r.data.restricted && &*r.src.file == file)
    }

    /// Diagnostics an audience may see: none located in restricted files,
    /// and none naming a restricted client.
    pub fn diagnostics_for(
        &self,
        audience: Audience,
        diagnostics: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        if audience == Audience::Full {
            return diagnostics.to_vec();
        }
        let hidden: Vec<String> = self
            .clients
            .iter()
            .filter(|c| c.data.restricted)
            .map(|c| format!("`{}`", c.id))
            .collect();
        diagnostics
            .iter()
            .filter(|d| {
                !d.span
                    .as_ref()
                    .is_some_and(|s| self.is_restricted_file(&s.file))
            })
            .filter(|d| !hidden.iter().any(|h| d.message.contains(h.as_str())))
            .cloned()
            .collect()
    }
}
