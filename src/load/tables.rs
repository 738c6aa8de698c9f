//! The CSV file kinds and their rows: `activities.csv`, and revenue,
//! budget and cost lines under `financials/`. The loader reads them from
//! disk; `parse_table` reads the same kinds from bytes, for tools and the
//! fuzzer.

use std::sync::Arc;

use super::csv_reader::{read_csv_from, Columns, Row};
use crate::diag::Diagnostic;
use crate::model::{ActivityType, Budget, Captured, Cost, Outcome, Period, RevenueLine};

pub const CAPTURED: Columns = (
    &["date", "type", "by"],
    &["summary", "outcome", "source", "uid"],
);
pub const REVENUE: Columns = (
    &[
        "date",
        "client",
        "product",
        "region",
        "amount",
        "credited_to",
        "txn_id",
        "share",
    ],
    &["quantity", "price"],
);
pub const PERIODIC: Columns = (&["client", "period", "amount"], &[]);
/// costs.csv: a budget's columns, and what the cost was for.
pub const COSTS: Columns = (&["client", "period", "amount"], &["category"]);

pub fn captured_row(row: &Row<'_>) -> Result<Captured, Diagnostic> {
    let date = row.date("date")?;
    let kind_text = row.required("type")?;
    let kind = ActivityType::parse(kind_text).ok_or_else(|| {
        let names: Vec<&str> = ActivityType::ALL.iter().map(|t| t.as_str()).collect();
        Diagnostic::input(
            crate::diag::inputs::INVALID_VALUE,
            row.span("type"),
            format!("`{kind_text}` is not an activity type"),
        )
        .with_help(format!("allowed: {}", crate::suggest::list(&names)))
    })?;
    let outcome = match row.text("outcome") {
        "" => None,
        "completed" => Some(Outcome::Completed),
        "not-completed" => Some(Outcome::NotCompleted),
        other => {
            return Err(Diagnostic::input(
                crate::diag::inputs::INVALID_VALUE,
                row.span("outcome"),
                format!("`{other}` is not an outcome"),
            )
            .with_help("allowed: `completed` or `not-completed`"))
        }
    };
    Ok(Captured {
        date,
        kind,
        by: row.required("by")?.to_string(),
        summary: row.text("summary").to_string(),
        outcome,
        source: optional(row.text("source")),
        uid: optional(row.text("uid")),
        line: row.line,
    })
}

fn optional(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

pub fn revenue_row(row: &Row<'_>) -> Result<RevenueLine, Diagnostic> {
    Ok(RevenueLine {
        date: row.date("date")?,
        client: row.required("client")?.to_string(),
        product: row.required("product")?.to_string(),
        region: row.required("region")?.to_string(),
        amount: row.number("amount")?,
        credited_to: row.text("credited_to").to_string(),
        txn_id: row.required("txn_id")?.to_string(),
        share: row.number("share")?,
        quantity: optional_number(row, "quantity", false)?,
        price: optional_number(row, "price", true)?,
        line: row.line,
    })
}

/// An optional figure: `None` for an empty cell (or no such column); a
/// price must be above 0 and a quantity 0 or more.
fn optional_number(row: &Row<'_>, column: &str, positive: bool) -> Result<Option<f64>, Diagnostic> {
    if row.text(column).is_empty() {
        return Ok(None);
    }
    let n = row.number(column)?;
    let fine = if positive { n > 0.0 } else { n >= 0.0 };
    if !fine {
        let what = if positive {
            "a price is above 0"
        } else {
            "a quantity is 0 or more"
        };
        return Err(Diagnostic::input(
            crate::diag::inputs::INVALID_VALUE,
            row.span(column),
            format!("`{column}` is {n}: {what}"),
        )
        .with_help("write the whole transaction's units in `quantity` and one unit's price in `price`; a refund is a negative `amount`"));
    }
    Ok(Some(n))
}

pub fn budget_row(row: &Row<'_>) -> Result<Budget, Diagnostic> {
    Ok(Budget {
        client: row.required("client")?.to_string(),
        period: period(row)?,
        amount: row.number("amount")?,
        line: row.line,
    })
}

pub fn cost_row(row: &Row<'_>) -> Result<Cost, Diagnostic> {
    Ok(Cost {
        client: row.required("client")?.to_string(),
        period: period(row)?,
        amount: row.number("amount")?,
        category: Some(row.text("category").trim().to_lowercase()).filter(|c| !c.is_empty()),
        line: row.line,
    })
}

fn period(row: &Row<'_>) -> Result<Period, Diagnostic> {
    let text = row.required("period")?;
    Period::parse(text).ok_or_else(|| {
        Diagnostic::input(
            crate::diag::inputs::INVALID_VALUE,
            row.span("period"),
            format!("`{text}` is not a period"),
        )
        .with_help("write a fiscal year such as `2026` or a quarter such as `2026-Q3`")
    })
}

/// Parses `bytes` (checked as UTF-8 text first) as the CSV kind named `kind` (`activities`, `revenue`,
/// `budget` or `costs`) and returns the problems found.
pub fn parse_table(kind: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let rel: Arc<str> = Arc::from(format!("{kind}.csv"));
    let text = match super::decode(bytes.to_vec(), &rel) {
        Ok(text) => text,
        Err(d) => return vec![d],
    };
    let text = text.as_str();
    match kind {
        "activities" => read_csv_from(&rel, text, CAPTURED.0, CAPTURED.1, |row| {
            captured_row(row).map(drop)
        }),
        "revenue" => read_csv_from(&rel, text, REVENUE.0, REVENUE.1, |row| {
            revenue_row(row).map(drop)
        }),
        "budget" => read_csv_from(&rel, text, PERIODIC.0, PERIODIC.1, |row| {
            budget_row(row).map(drop)
        }),
        _ => read_csv_from(&rel, text, COSTS.0, COSTS.1, |row| cost_row(row).map(drop)),
    }
}
