//! `exports/data/*.jsonl`: one JSON Lines file per table, what DuckDB,
//! pandas, Spark and BigQuery read without a schema of their own. Each line
//! is one flat record: dates as ISO `YYYY-MM-DD` text, amounts as numbers,
//! enum values as the files write them (`in-progress`, `not-completed`),
//! lists as arrays, and every key on every line (`null` when empty), so a
//! reader infers one type per column.

use serde::Serialize;

use super::views::Refs;
use super::{Out, SiteError};
use crate::model::{
    Activity, ActivityType, Captured, Client, Date, Outcome, Period, RevenueLine, Review,
    ReviewKind, TaskPlace, TaskRef, TaskStatus,
};

/// Writes every table, each streamed line by line.
pub fn write_all(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let model = refs.model;
    lines(out, "clients", model.clients.iter().map(ClientRow::new))?;
    lines(
        out,
        "people",
        model.people.iter().map(|p| PersonRow {
            id: &p.id,
            person: &p.data,
        }),
    )?;
    let notes = model
        .clients
        .iter()
        .flat_map(|c| c.activities.iter().map(move |a| ActivityRow::note(c, a)));
    let captured = model
        .clients
        .iter()
        .flat_map(|c| c.captured.iter().map(move |r| ActivityRow::captured(c, r)));
    lines(out, "activities", notes.chain(captured))?;
    lines(out, "tasks", model.tasks().map(|t| TaskRow::new(&t)))?;
    lines(
        out,
        "reviews",
        model
            .clients
            .iter()
            .flat_map(|c| c.reviews.iter().map(move |r| ReviewRow::new(c, r))),
    )?;
    let f = &model.financials;
    lines(out, "revenue", f.revenue.iter().map(RevenueRow::new))?;
    lines(
        out,
        "budget",
        f.budget
            .iter()
            .map(|b| FigureRow::new(&b.client, b.period, b.amount)),
    )?;
    lines(
        out,
        "costs",
        f.costs
            .iter()
            .map(|c| FigureRow::new(&c.client, c.period, c.amount)),
    )?;
    lines(
        out,
        "movers",
        refs.metrics.firm.movers.iter().map(|m| MoverRow {
            client: &model.clients[m.client].id,
            date: Date(m.date),
            quarter: m.quarter.to_string(),
            year: m.quarter.year,
            move_kind: m.kind,
            from_tier: m.from.as_deref(),
            to_tier: m.to.as_deref(),
            reason: m.reason.as_deref(),
        }),
    )?;
    let firm = &refs.metrics.firm;
    lines(
        out,
        "outliers",
        firm.outliers.iter().map(|o| OutlierRow {
            client: &model.clients[o.client].id,
            quarter: firm.outlier_quarter.to_string(),
            measure: o.measure,
            value: o.value,
            reference: o.reference,
            change_percent: o.change,
        }),
    )
}

/// `exports/data/<name>.jsonl`: one `row` a line.
fn lines<T: Serialize>(
    out: &Out<'_>,
    name: &str,
    rows: impl Iterator<Item = T>,
) -> Result<(), SiteError> {
    let mut rows = rows;
    out.stream(&format!("exports/data/{name}.jsonl"), &mut |w| {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
        for row in rows.by_ref() {
            serde_json::to_writer(&mut buffered, &row).map_err(std::io::Error::other)?;
            std::io::Write::write_all(&mut buffered, b"\n")?;
        }
        std::io::Write::flush(&mut buffered)
    })
}

#[derive(Serialize)]
struct ClientRow<'a> {
    id: &'a str,
    name: &'a str,
    tier: Option<&'a str>,
    qualifiers: Vec<&'a str>,
    segment: Option<&'a str>,
    region: Option<&'a str>,
    owner: Option<&'a str>,
    team: Vec<&'a str>,
    wallet_size: Option<f64>,
    domains: Vec<&'a str>,
    restricted: bool,
}

#[derive(Serialize)]
struct PersonRow<'a> {
    id: &'a str,
    #[serde(flatten)]
    person: &'a crate::model::PersonFile,
}

#[derive(Serialize)]
struct ActivityRow<'a> {
    client: &'a str,
    /// `note` (a file under activities/) or `captured` (a row of
    /// activities.csv).
    kind: &'static str,
    /// A note's file stem; `null` for a captured row.
    id: Option<&'a str>,
    date: Date,
    r#type: ActivityType,
    by: &'a str,
    attendees: Vec<&'a str>,
    contacts: Vec<&'a str>,
    /// A note's title, a captured row's summary.
    title: &'a str,
    outcome: Option<Outcome>,
    source: Option<&'a str>,
    uid: Option<&'a str>,
    /// A note's call report (Markdown); `null` for a captured row.
    report: Option<&'a str>,
}

#[derive(Serialize)]
struct TaskRow<'a> {
    client: Option<&'a str>,
    /// Where it is written: `strategy` (the firm's action plans), `plan`,
    /// `review` or `follow-up` (of a note).
    place: &'static str,
    file: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    due: Option<Date>,
    status: TaskStatus,
    done: Option<Date>,
    strategy: Option<&'a str>,
    kind: Option<&'static str>,
}

#[derive(Serialize)]
struct ReviewRow<'a> {
    client: &'a str,
    id: &'a str,
    date: Date,
    kind: ReviewKind,
    reviewers: Vec<&'a str>,
    findings: &'a [String],
    plan_changed: bool,
    /// How many actions the review decided (each is in tasks.jsonl).
    actions: usize,
}

#[derive(Serialize)]
struct RevenueRow<'a> {
    date: Date,
    client: &'a str,
    product: &'a str,
    region: &'a str,
    /// The whole transaction's amount.
    amount: f64,
    /// The percentage of it this line credits.
    share: f64,
    /// `amount * share / 100`.
    credited: f64,
    credited_to: &'a str,
    txn_id: &'a str,
}

/// A figure of the last finished quarter that moved far (see
/// `metrics::outliers`).
#[derive(Serialize)]
struct OutlierRow<'a> {
    client: &'a str,
    quarter: String,
    /// `revenue` or `interactions` against their trend, `budget` for
    /// revenue against the quarter's budget.
    measure: crate::metrics::outliers::OutlierMeasure,
    value: f64,
    reference: f64,
    /// `null` when the reference is nothing.
    change_percent: Option<f64>,
}

/// A change of tier (see `metrics::movers`).
#[derive(Serialize)]
struct MoverRow<'a> {
    client: &'a str,
    date: Date,
    /// The fiscal quarter, `2026-Q3`, and its fiscal year.
    quarter: String,
    year: i32,
    /// `entered`, `left`, `promoted`, `demoted` or `moved`.
    #[serde(rename = "move")]
    move_kind: crate::metrics::movers::MoveKind,
    from_tier: Option<&'a str>,
    to_tier: Option<&'a str>,
    reason: Option<&'a str>,
}

/// A budget or cost figure: the period as written (`2026-Q3`, `2026`) and
/// as numbers to group by.
#[derive(Serialize)]
struct FigureRow<'a> {
    client: &'a str,
    period: String,
    year: i32,
    quarter: Option<u8>,
    amount: f64,
}

impl<'a> FigureRow<'a> {
    fn new(client: &'a str, period: Period, amount: f64) -> FigureRow<'a> {
        FigureRow {
            client,
            period: period.to_string(),
            year: period.year,
            quarter: period.quarter,
            amount,
        }
    }
}

impl<'a> ClientRow<'a> {
    fn new(c: &'a Client) -> ClientRow<'a> {
        let d = &c.data;
        ClientRow {
            id: &c.id,
            name: &d.name.value,
            tier: c.tier(),
            qualifiers: d.qualifiers.iter().map(|q| q.value.as_str()).collect(),
            segment: d.segment.as_deref(),
            region: d.region.as_deref(),
            owner: d.coverage.owner.as_ref().map(|o| o.value.as_str()),
            team: d.coverage.team.iter().map(|t| t.value.as_str()).collect(),
            wallet_size: d.wallet_size.as_ref().map(|w| w.value),
            domains: d.domains.iter().map(|x| x.value.as_str()).collect(),
            restricted: d.restricted,
        }
    }
}

impl<'a> ActivityRow<'a> {
    fn note(c: &'a Client, a: &'a Activity) -> ActivityRow<'a> {
        let d = &a.data;
        ActivityRow {
            client: &c.id,
            kind: "note",
            id: Some(&a.id),
            date: d.date.value,
            r#type: d.kind.value,
            by: &d.by.value,
            attendees: d.attendees.iter().map(|x| x.value.as_str()).collect(),
            contacts: d.contacts.iter().map(String::as_str).collect(),
            title: &d.title.value,
            outcome: d.outcome,
            source: d.source.as_deref(),
            uid: d.uid.as_deref(),
            report: Some(&a.body),
        }
    }

    fn captured(c: &'a Client, r: &'a Captured) -> ActivityRow<'a> {
        ActivityRow {
            client: &c.id,
            kind: "captured",
            id: None,
            date: r.date,
            r#type: r.kind,
            by: &r.by,
            attendees: Vec::new(),
            contacts: Vec::new(),
            title: &r.summary,
            outcome: r.outcome,
            source: r.source.as_deref(),
            uid: r.uid.as_deref(),
            report: None,
        }
    }
}

impl<'a> TaskRow<'a> {
    fn new(t: &TaskRef<'a>) -> TaskRow<'a> {
        TaskRow {
            client: t.client.map(|c| c.id.as_str()),
            place: match t.place {
                TaskPlace::FirmStrategy => "strategy",
                TaskPlace::Plan => "plan",
                TaskPlace::Review => "review",
                TaskPlace::FollowUp => "follow-up",
            },
            file: &t.src.file,
            title: &t.task.title.value,
            owner: t.task.owner.as_ref().map(|o| o.value.as_str()),
            due: t.task.due.as_ref().map(|d| d.value),
            status: t.task.status,
            done: t.task.done.as_ref().map(|d| d.value),
            strategy: t.task.strategy.as_ref().map(|s| s.value.as_str()),
            kind: t.task.kind.map(|k| k.as_str()),
        }
    }
}

impl<'a> ReviewRow<'a> {
    fn new(c: &'a Client, r: &'a Review) -> ReviewRow<'a> {
        ReviewRow {
            client: &c.id,
            id: &r.id,
            date: r.data.date.value,
            kind: r.data.kind.value,
            reviewers: r.data.reviewers.iter().map(|x| x.value.as_str()).collect(),
            findings: &r.data.findings,
            plan_changed: r.data.plan_changed,
            actions: r.data.actions.len(),
        }
    }
}

impl<'a> RevenueRow<'a> {
    fn new(r: &'a RevenueLine) -> RevenueRow<'a> {
        RevenueRow {
            date: r.date,
            client: &r.client,
            product: &r.product,
            region: &r.region,
            amount: r.amount,
            share: r.share,
            credited: r.credited(),
            credited_to: &r.credited_to,
            txn_id: &r.txn_id,
        }
    }
}
