//! `financials/*.csv`: revenue lines with split credit, budgets and costs,
//! and the firm-wide datasets of `financials/market/`, read as one unit
//! (an edit to any of them reloads them all).

use std::path::Path;
use std::sync::Arc;

use super::csv_reader::read_rows;
use super::tables;
use crate::diag::Diagnostic;
use crate::model::Financials;

/// `financials/*.csv`, and the problems met reading them.
pub(crate) fn load_financials(
    root: &Path,
    datasets: &[crate::model::Dataset],
) -> (Financials, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut fin = Financials::default();
    let exists = |rel: &str| std::fs::symlink_metadata(root.join(rel)).is_ok();
    let (revenue, budget, costs): (Arc<str>, Arc<str>, Arc<str>) = (
        Arc::from("financials/revenue.csv"),
        Arc::from("financials/budget.csv"),
        Arc::from("financials/costs.csv"),
    );
    if exists(&revenue) {
        let rows = &mut fin.revenue;
        diags.extend(read_rows(
            root,
            &revenue,
            tables::REVENUE,
            tables::revenue_row,
            rows,
        ));
    }
    if exists(&budget) {
        let rows = &mut fin.budget;
        diags.extend(read_rows(
            root,
            &budget,
            tables::PERIODIC,
            tables::budget_row,
            rows,
        ));
    }
    if exists(&costs) {
        let rows = &mut fin.costs;
        diags.extend(read_rows(
            root,
            &costs,
            tables::COSTS,
            tables::cost_row,
            rows,
        ));
    }
    fin.market = super::datasets::market_data(root, datasets, &mut diags);
    (fin, diags)
}
