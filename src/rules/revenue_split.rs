//! A transaction is credited exactly once in total: split shares sum to
//! 100%, so regions and products cannot double-count (seed 002).

use rayon::slice::ParallelSliceMut;

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{Model, RevenueLine};

pub const RULE: Rule = Rule {
    id: "revenue-split",
    default: Severity::Error,
    checks:
        "the `share` column of each transaction's lines in revenue.csv sums to 100, with one amount",
    fix: "correct the shares so each `txn_id` adds up to 100",
    firm: Some(firm),
    client: None,
    task: None,
};

fn firm(model: &Model, _ctx: &Context) -> Vec<Diagnostic> {
    // Grouped by sorting, not hashing: a large firm has 500,000 lines, and
    // a stable sort keeps each transaction's lines in file order. On all
    // cores, since the firm's rules are the last to finish.
    let mut sorted: Vec<&RevenueLine> = model.financials.revenue.iter().collect();
    sorted.par_sort_by(|a, b| a.txn_id.cmp(&b.txn_id));
    let file = std::sync::Arc::from("financials/revenue.csv");
    let mut out = Vec::new();
    for lines in sorted.chunk_by(|a, b| a.txn_id == b.txn_id) {
        let txn = &lines[0].txn_id;
        let total: f64 = lines.iter().map(|l| l.share).sum();
        // Only for the message: most transactions are fine.
        let line_list = || {
            lines
                .iter()
                .map(|l| l.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let first = lines[0];
        if (total - 100.0).abs() > 0.01 {
            let line_list = line_list();
            out.push(
                Diagnostic::rule(RULE.id, Span::new(&file, first.line, 1), format!("transaction `{txn}` is credited {total}% in total (lines {line_list})"))
                    .with_label(if total > 100.0 { "counted more than once" } else { "part of it is credited to nobody" })
                    .with_help("the shares of one transaction's lines must add up to 100, so no region or product counts it twice"),
            );
        }
        if lines
            .iter()
            .any(|l| (l.amount - first.amount).abs() > 0.005)
        {
            let line_list = line_list();
            out.push(
                Diagnostic::rule(RULE.id, Span::new(&file, first.line, 1), format!("transaction `{txn}` has different amounts on lines {line_list}"))
                    .with_help("each line repeats the whole transaction's amount; `share` says how much of it the line credits"),
            );
        }
    }
    out
}
