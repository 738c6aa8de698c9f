//! One page per client: profile, coverage, account plan, quarterly metrics
//! table, relationship map, activity timeline with call reports, reviews,
//! documents and revenue.

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
    revenue_chart: String,
    revenue_table: Vec<MonthRow>,
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
    let page = Page {
        client: refs.client(c),
        segment: d.segment.clone().unwrap_or_default(),
        region: d.region.clone().unwrap_or_default(),
        wallet: d.wallet_size.map_or(String::new(), money),
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
        revenue_chart: revenue_chart(refs, f, currency),
        revenue_table: revenue_table(refs, f, currency),
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
