//! A transaction is credited exactly once in total: split shares sum to
//! 100%, so regions and products cannot double-count (seed 002, sales systems).

use rayon::prelude::*;

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
    // Grouped by sorting on a hash of the id, not on the id: a large firm
    // has 500,000 lines, and comparing their ids was the longest part of
    // the firm's rules. The sort is stable, so each transaction's lines
    // stay in file order; equal hashes are split by id, so a collision
    // cannot merge two transactions. On all cores.
    check_lines(&model.financials.revenue, txn_hash)
}

fn check_lines(lines: &[RevenueLine], hash: impl Fn(&str) -> u64 + Sync) -> Vec<Diagnostic> {
    let mut keyed: Vec<(u64, &RevenueLine)> = lines
        .par_iter()
        .map(|line| (hash(&line.txn_id), line))
        .collect();
    keyed.par_sort_by_key(|&(hash, _)| hash);
    let file = std::sync::Arc::from("financials/revenue.csv");
    let mut out = super::RowFindings::default();
    for same_hash in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        let txn = &same_hash[0].1.txn_id;
        if same_hash.iter().all(|(_, l)| &l.txn_id == txn) {
            transaction(same_hash, &file, &mut out);
        } else {
            same_hash.sort_by(|a, b| a.1.txn_id.cmp(&b.1.txn_id));
            for lines in same_hash.chunk_by(|a, b| a.1.txn_id == b.1.txn_id) {
                transaction(lines, &file, &mut out);
            }
        }
    }
    out.finish(RULE.id, &file)
}

fn txn_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The lines of one transaction, in file order (with their id's hash).
fn transaction(
    lines: &[(u64, &RevenueLine)],
    file: &std::sync::Arc<str>,
    out: &mut super::RowFindings,
) {
    let first = lines[0].1;
    let txn = &first.txn_id;
    let total: f64 = lines.iter().map(|(_, l)| l.share).sum();
    // Only for the message: most transactions are fine.
    let line_list = || {
        lines
            .iter()
            .map(|(_, l)| l.line.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if (total - 100.0).abs() > 0.01 {
        out.push_with(|| {
            Diagnostic::rule(RULE.id, Span::new(file, first.line, 1), format!("transaction `{txn}` is credited {total}% in total (lines {})", line_list()))
                .with_cell("share")
                .with_label(if total > 100.0 { "counted more than once" } else { "part of it is credited to nobody" })
                .with_help("the shares of one transaction's lines must add up to 100, so no region or product counts it twice")
        });
    }
    if lines
        .iter()
        .any(|(_, l)| (l.amount - first.amount).abs() > 0.005)
    {
        out.push_with(|| {
            Diagnostic::rule(RULE.id, Span::new(file, first.line, 1), format!("transaction `{txn}` has different amounts on lines {}", line_list()))
                .with_cell("amount")
                .with_help("each line repeats the whole transaction's amount; `share` says how much of it the line credits")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    fn line(txn: &str, share: f64, amount: f64, line: u32) -> RevenueLine {
        RevenueLine {
            date: Date::parse("2026-03-01").unwrap(),
            client: "acme".into(),
            product: "pumps".into(),
            region: "north".into(),
            amount,
            credited_to: String::new(),
            txn_id: txn.into(),
            share,
            quantity: None,
            price: None,
            line,
        }
    }

    #[test]
    fn colliding_hashes_do_not_merge_transactions() {
        let lines = [
            line("T1", 60.0, 100.0, 2),
            line("T2", 100.0, 50.0, 3),
            line("T1", 40.0, 100.0, 4),
            line("T3", 70.0, 10.0, 5),
            line("T3", 20.0, 11.0, 6),
        ];
        let messages = |found: Vec<Diagnostic>| {
            let mut m: Vec<String> = found.into_iter().map(|d| d.message).collect();
            m.sort();
            m
        };
        let expected = [
            "transaction `T3` has different amounts on lines 5, 6",
            "transaction `T3` is credited 90% in total (lines 5, 6)",
        ];
        assert_eq!(messages(check_lines(&lines, txn_hash)), expected);
        assert_eq!(messages(check_lines(&lines, |_| 7)), expected);
    }
}
