//! One page per client: profile, coverage, account plan, quarterly metrics
//! table, relationship map, activity timeline with call reports, reviews,
//! documents and revenue.

mod changes;
pub mod data;
mod over_time;
mod sections;
mod timeline;

use serde::Serialize;

use super::super::views::{
    client_url, date_cell, ClientRef, DateCell, EscalationView, PersonRef, Refs, ServiceView,
};
use super::super::{charts, format, Out, SiteError};
use super::{finding_view, FindingView};
use crate::metrics::Rag;
use sections::*;
use timeline::*;

#[derive(Serialize)]
struct Page {
    client: ClientRef,
    segment: String,
    region: String,
    wallet: String,
    /// The client's email domains.
    domains: Vec<String>,
    /// Its ids in other systems: the system as the label, the id as text.
    external_ids: Vec<Labelled>,
    qualifiers: Vec<Labelled>,
    history: Vec<HistoryRow>,
    owner: Option<PersonRef>,
    team: Vec<PersonRef>,
    support: Vec<Support>,
    last_contact: DateCell,
    next_review: DateCell,
    review_rag: Option<Rag>,
    service: ServiceView,
    service_table: Option<ServiceTable>,
    money: Money,
    plan: Option<PlanView>,
    metric_rows: Vec<MetricRowView>,
    stakeholders: Vec<StakeholderView>,
    activities: Vec<ActivityView>,
    captured_total: usize,
    captured_by_type: Vec<Labelled>,
    /// The newest captured rows, and the older ones behind a click.
    captured_recent: Vec<CapturedRow>,
    captured_older: Vec<CapturedRow>,
    reviews: Vec<ReviewView>,
    escalations: Vec<EscalationView>,
    documents: Vec<DocumentView>,
    /// Meetings and calls per quarter against the tier's minimum, for a
    /// tiered client whose tier sets one; with its data.
    activity_chart: Option<String>,
    activity_table: Vec<[String; 3]>,
    revenue_chart: String,
    revenue_table: Vec<MonthRow>,
    /// Revenue against costs per quarter, and costs by category.
    profit: Option<ProfitView>,
    /// Depth and penetration per quarter, and the series.
    over_time: Option<over_time::OverTime>,
    /// What git says changed in the client's folder since its last review.
    changes: Option<changes::Changes>,
    /// Third-party data about the client, per dataset.
    data: Vec<data::DataView>,
    findings: Vec<FindingView>,
}

pub fn render(
    out: &Out<'_>,
    refs: &Refs<'_>,
    index: usize,
    content: &std::path::Path,
) -> Result<(), SiteError> {
    let c = &refs.model.clients[index];
    let f = refs.metrics.client(index);
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let today = refs.metrics.today;
    let d = &c.data;
    let tasks = ClientTasks::of(refs, c);
    let mut captured = captured_rows(refs, c);
    let effort = activity_chart(refs, c, f)
        .map_or((None, Vec::new()), |(chart, table)| (Some(chart), table));
    let page = Page {
        client: refs.client(c),
        segment: d.segment.clone().unwrap_or_default(),
        region: d.region.clone().unwrap_or_default(),
        wallet: wallet(c, &money),
        domains: d.domains.iter().map(|d| d.value.clone()).collect(),
        external_ids: d
            .external_ids
            .iter()
            .map(|(system, id)| Labelled {
                label: system.clone(),
                text: id.clone(),
            })
            .collect(),
        qualifiers: qualifiers(refs, c),
        history: history(refs, c),
        owner: refs.owner(c),
        team: refs.people(&d.coverage.team),
        support: support(refs, c),
        last_contact: date_cell(f.last_contact, today),
        next_review: date_cell(f.next_review, today),
        review_rag: f.review_status,
        service: refs.service(index, c),
        service_table: service_table(refs, index, c),
        money: money_view(f, currency),
        plan: plan_view(refs, c, &tasks),
        metric_rows: f
            .metric_rows
            .iter()
            .map(|r| MetricRowView::of(r, currency))
            .collect(),
        stakeholders: stakeholders(refs, c),
        activities: activities(refs, c, &tasks),
        captured_total: c.captured.len(),
        captured_by_type: captured_by_type(c),
        captured_older: captured.split_off(CAPTURED_SHOWN.min(captured.len())),
        captured_recent: captured,
        reviews: reviews(refs, c, &tasks),
        escalations: refs.escalations(c),
        documents: documents(c),
        activity_chart: effort.0,
        activity_table: effort.1,
        revenue_chart: revenue_chart(refs, f, currency),
        revenue_table: revenue_table(refs, f, currency),
        profit: profit_view(refs, f, currency),
        over_time: over_time::over_time(refs, &f.series, currency),
        changes: changes::changes(refs.model, c),
        data: data::data(refs, c, f),
        findings: f.findings.iter().map(finding_view).collect(),
    };
    let path = client_url(&c.id);
    out.page(&path, "client.html", "clients", &c.data.name.value, &page)?;
    for doc in &c.documents {
        let src = content
            .join("clients")
            .join(&c.id)
            .join("documents")
            .join(&doc.name);
        let bytes = crate::load::open::read_limited(&src, crate::load::MAX_DOCUMENT_BYTES)
            .map_err(|e| SiteError::Io {
                path: src.display().to_string(),
                message: e.to_string(),
            })?;
        out.file(&format!("clients/{}/documents/{}", c.id, doc.name), &bytes)?;
    }
    Ok(())
}

fn revenue_chart(refs: &Refs<'_>, f: &crate::metrics::ClientFigures, currency: &str) -> String {
    let fy = refs.metrics.fiscal_year;
    let this = format!("FY{fy}");
    let last = format!("FY{}", fy - 1);
    charts::line(
        "Revenue by month",
        &refs.months,
        &[
            charts::Series {
                name: &last,
                values: &f.revenue_by_month_last,
                class: "s2",
            },
            charts::Series {
                name: &this,
                values: &f.revenue_by_month[..super::reported_months(refs)],
                class: "s1",
            },
        ],
        &|v| format::money_short(v, currency),
    )
}

/// Meetings and calls logged per quarter begun against the tier's
/// `minimum_per_quarter` for them, the quarter in progress labelled.
fn activity_chart(
    refs: &Refs<'_>,
    c: &crate::model::Client,
    f: &crate::metrics::ClientFigures,
) -> Option<(String, Vec<[String; 3]>)> {
    use crate::model::ActivityType;
    let tier = c.tier().and_then(|t| refs.model.tier(t))?;
    let minimum: u32 = [ActivityType::Meeting, ActivityType::Call]
        .iter()
        .filter_map(|k| tier.minimum_per_quarter.get(k))
        .sum();
    if minimum == 0 {
        return None;
    }
    let m = refs.metrics;
    let begun: Vec<usize> = (0..4).filter(|&q| m.firm.quarters[q].started).collect();
    let labels: Vec<String> = begun
        .iter()
        .map(|&q| m.firm.quarters[q].label.clone())
        .collect();
    let logged: Vec<f64> = begun
        .iter()
        .map(|&q| f64::from(f.quarters[q].0 + f.quarters[q].1))
        .collect();
    let asked = vec![f64::from(minimum); begun.len()];
    let chart = charts::bars(
        "Meetings and calls against the charter minimum, by quarter",
        &labels,
        &[
            charts::Series {
                name: "Meetings and calls",
                values: &logged,
                class: "s1",
            },
            charts::Series {
                name: "Charter minimum",
                values: &asked,
                class: "s2",
            },
        ],
        &|v| format!("{v:.0}"),
    );
    let table = labels
        .iter()
        .zip(&logged)
        .map(|(l, v)| [l.clone(), format!("{v:.0}"), minimum.to_string()])
        .collect();
    Some((chart, table))
}

/// The wallet now; with a history, where and when its latest estimate
/// was made.
fn wallet(c: &crate::model::Client, money: &dyn Fn(f64) -> String) -> String {
    let d = &c.data;
    let Some(now) = d.wallet_size.as_ref() else {
        return String::new();
    };
    match d.wallet.iter().max_by_key(|w| w.date.value) {
        Some(latest) => {
            let when = format::date(latest.date.value.0);
            match &latest.source {
                Some(source) => format!("{} ({source}, {when})", money(now.value)),
                None => format!("{} ({when})", money(now.value)),
            }
        }
        None => money(now.value),
    }
}

/// Percent-encodes a relative path for an href, keeping `/`.
pub fn url_encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
