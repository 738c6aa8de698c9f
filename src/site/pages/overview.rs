//! The dashboard, the priority list, the client list, the review calendar,
//! the validation report and the search page.

use serde::Serialize;

use super::super::views::{
    date_cell, ClientRef, DateCell, EscalationView, PersonRef, Refs, TaskView, WinView,
};
use super::super::{charts, format, Out, SiteError};
use super::client_list::{client_row, ClientRow};
use super::{finding_view, FindingView};
use crate::diag::{Diagnostic, Severity};
use crate::metrics::Rag;

/// A client row of the priority list and the client list.
#[derive(Serialize)]
struct TierSection {
    id: String,
    name: String,
    cadence: &'static str,
    rows: Vec<ClientRow>,
    revenue_ytd: String,
    red: usize,
}

#[derive(Serialize)]
struct Dashboard {
    /// Clients whose last finished quarter moved far, and how they were
    /// found.
    outliers: Vec<OutlierView>,
    outliers_more: usize,
    outliers_method: String,
    tiers: Vec<TierSummary>,
    tiered: usize,
    clients: usize,
    revenue_ytd: String,
    budget_ytd: String,
    vs_budget: String,
    vs_budget_rag: Rag,
    overdue_reviews: Vec<ReviewDue>,
    tasks: Vec<TaskView>,
    unowned: usize,
    overdue: usize,
    breaches: Vec<Breach>,
    /// Missed items beyond those listed.
    breaches_more: usize,
    /// Open escalations, oldest first, and how many more there are.
    escalations: Vec<EscalationView>,
    escalations_more: usize,
    /// Wins this fiscal year, newest first.
    wins: Vec<WinView>,
    wins_more: usize,
    revenue_chart: String,
    revenue_table: Vec<[String; 3]>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct TierSummary {
    id: String,
    name: String,
    clients: usize,
    revenue_ytd: String,
    red: String,
    amber: String,
    green: String,
    unmeasured: Option<String>,
}

#[derive(Serialize)]
struct ReviewDue {
    client: ClientRef,
    owner: Option<PersonRef>,
    due: DateCell,
    last: String,
}

/// A client whose service missed an item of the charter, named.
#[derive(Serialize)]
struct Breach {
    client: ClientRef,
    owner: Option<PersonRef>,
    item: String,
    text: String,
}

/// The dashboard lists this many missed items (and open escalations); the
/// priority list (and each client page) has all.
const BREACHES_SHOWN: usize = 50;

/// The dashboard lists this many wins, the newest.
const WINS_SHOWN: usize = 20;

/// How many outliers the dashboard lists; the export has all.
const OUTLIERS_SHOWN: usize = 20;

/// An outlier on the dashboard: the client and the figure that flags it.
#[derive(Serialize)]
struct OutlierView {
    client: ClientRef,
    owner: Option<PersonRef>,
    measure: &'static str,
    /// "revenue £42k, −63% on the average of the four quarters before (£114k)".
    text: String,
}

// The list pages are plain structs, not `json!` maps: a `serde_json::Value`
// is a copy of every row that tera then converts again, and it would not
// pass the shared client and person references through.

#[derive(Serialize)]
struct PriorityPage<'a> {
    tiers: &'a [TierSection],
    /// Clients whose figures meet a tier's entry thresholds, and tiered
    /// clients that meet their tier's exit thresholds.
    joining: Vec<CandidateRow>,
    leaving: Vec<CandidateRow>,
    /// The latest quarters with changes of tier, newest first.
    movers: Vec<MoverQuarter>,
}

/// One fiscal quarter's changes of tier.
#[derive(Serialize)]
struct MoverQuarter {
    quarter: String,
    /// "2 entered, 1 promoted".
    summary: String,
    rows: Vec<MoverRow>,
    /// Moves of the quarter not listed here (they are in the export).
    more: usize,
}

#[derive(Serialize)]
struct MoverRow {
    date: String,
    client: ClientRef,
    kind: &'static str,
    /// "promoted from Growth to Key".
    change: String,
    reason: String,
}

/// How many quarters with moves, and moves per quarter, the priority list
/// shows; `exports/movers.csv` has every one.
const MOVER_QUARTERS: usize = 8;
const MOVERS_PER_QUARTER: usize = 100;

/// A candidate to join or leave a tier, with the figures that qualify it.
#[derive(Serialize)]
struct CandidateRow {
    client: ClientRef,
    owner: Option<PersonRef>,
    /// The tier to join or leave, by name.
    tier: String,
    tier_id: String,
    /// "revenue over the last four quarters £1.7m (at least £1.5m)".
    figures: Vec<String>,
}

#[derive(Serialize)]
struct ReviewsPage<'a> {
    overdue: &'a [ReviewDue],
    this_month: Vec<ReviewDue>,
    later: Vec<ReviewDue>,
    recent: Vec<RecentReview>,
}

#[derive(Serialize)]
struct RecentReview {
    client: ClientRef,
    date: String,
    kind: String,
    anchor: String,
    findings: usize,
    actions: usize,
}

/// One page of `clients.html`, `clients-2.html`...
/// The firm-wide overview pages: priority list, review calendar,
/// validation report, search and the dashboard that sums them up.
pub fn render(out: &Out<'_>, refs: &Refs<'_>, diagnostics: &[Diagnostic]) -> Result<(), SiteError> {
    let tiers = priority(out, refs)?;
    let overdue = reviews(out, refs)?;
    validation(out, diagnostics)?;
    out.page(
        "search.html",
        "search.html",
        "search",
        "Search",
        &serde_json::json!({}),
    )?;
    dashboard(out, refs, diagnostics, &tiers, overdue)
}

/// `priority.html`: the priority list, by tier. Returns the tiers for the
/// dashboard.
fn priority(out: &Out<'_>, refs: &Refs<'_>) -> Result<Vec<TierSection>, SiteError> {
    let model = refs.model;
    let m = refs.metrics;
    let currency = model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let tiers: Vec<TierSection> = model
        .charter
        .iter()
        .flat_map(|ch| ch.tiers.iter())
        .map(|t| {
            let members = model.clients_on(&t.id.value);
            TierSection {
                id: t.id.value.clone(),
                name: t.name.clone(),
                cadence: t.review_cadence.as_str(),
                revenue_ytd: money(members.iter().map(|&i| m.clients[i].revenue_ytd).sum()),
                red: members
                    .iter()
                    .filter(|&&i| m.clients[i].service == Some(Rag::Red))
                    .count(),
                rows: members
                    .iter()
                    .map(|&i| client_row(refs, i, &model.clients[i], true))
                    .collect(),
            }
        })
        .collect();
    out.page(
        "priority.html",
        "priority.html",
        "priority",
        "Priority list",
        &PriorityPage {
            tiers: &tiers,
            joining: candidate_rows(refs, true),
            leaving: candidate_rows(refs, false),
            movers: mover_quarters(refs),
        },
    )?;
    Ok(tiers)
}

/// The latest quarters in which clients changed tier, each with its moves.
fn mover_quarters(refs: &Refs<'_>) -> Vec<MoverQuarter> {
    use crate::metrics::movers::MoveKind;
    let model = refs.model;
    let name = |id: &Option<String>| {
        id.as_deref()
            .map(|t| refs.tier_name(t).unwrap_or_else(|| t.to_string()))
            .unwrap_or_default()
    };
    let mut quarters: Vec<MoverQuarter> = Vec::new();
    for moves in refs
        .metrics
        .firm
        .movers
        .chunk_by(|a, b| a.quarter == b.quarter)
        .take(MOVER_QUARTERS)
    {
        let count = |kind: MoveKind| moves.iter().filter(|m| m.kind == kind).count();
        let summary: Vec<String> = [
            MoveKind::Entered,
            MoveKind::Left,
            MoveKind::Promoted,
            MoveKind::Demoted,
            MoveKind::Moved,
        ]
        .into_iter()
        .filter(|&k| count(k) > 0)
        .map(|k| format!("{} {}", count(k), k.as_str()))
        .collect();
        quarters.push(MoverQuarter {
            quarter: moves[0].quarter.to_string(),
            summary: summary.join(", "),
            rows: moves
                .iter()
                .take(MOVERS_PER_QUARTER)
                .map(|m| MoverRow {
                    date: format::date(m.date),
                    client: refs.client(&model.clients[m.client]),
                    kind: m.kind.as_str(),
                    change: match m.kind {
                        MoveKind::Entered => format!("entered {}", name(&m.to)),
                        MoveKind::Left => format!("left {}", name(&m.from)),
                        k => format!("{} from {} to {}", k.as_str(), name(&m.from), name(&m.to)),
                    },
                    reason: m.reason.clone().unwrap_or_default(),
                })
                .collect(),
            more: moves.len().saturating_sub(MOVERS_PER_QUARTER),
        });
    }
    quarters
}

/// The candidates to join (or to leave) a tier, each with its figures.
fn candidate_rows(refs: &Refs<'_>, joining: bool) -> Vec<CandidateRow> {
    use crate::model::Measure;
    let model = refs.model;
    let currency = model.firm.currency.as_str();
    refs.metrics
        .firm
        .candidates
        .iter()
        .filter(|c| c.joining == joining)
        .map(|k| {
            let c = &model.clients[k.client];
            let show = |m: Measure, v: f64| match m {
                Measure::Revenue4q | Measure::Wallet => format::money(v, currency),
                Measure::WalletShare => format!("{v:.1}%"),
                Measure::Interactions4q => format!("{v:.0}"),
            };
            CandidateRow {
                client: refs.client(c),
                owner: refs.owner(c),
                tier: refs.tier_name(&k.tier).unwrap_or_else(|| k.tier.clone()),
                tier_id: k.tier.clone(),
                figures: k
                    .figures
                    .iter()
                    .map(|&(m, value, bound, floor)| {
                        format!(
                            "{} {} ({} {})",
                            m.name(),
                            show(m, value),
                            if floor { "at least" } else { "below" },
                            show(m, bound)
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `reviews.html`: reviews overdue, due this month and later, and the
/// latest held. Returns the overdue ones for the dashboard.
fn reviews(out: &Out<'_>, refs: &Refs<'_>) -> Result<Vec<ReviewDue>, SiteError> {
    let model = refs.model;
    let m = refs.metrics;
    let mut due: Vec<(chrono::NaiveDate, ReviewDue)> = model
        .clients
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let next = m.clients[i].next_review?;
            Some((
                next,
                ReviewDue {
                    client: refs.client(c),
                    owner: refs.owner(c),
                    due: date_cell(Some(next), m.today),
                    last: c
                        .last_review()
                        .map_or(String::from("never"), |r| format::date(r.data.date.value.0)),
                },
            ))
        })
        .collect();
    due.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.client.name().cmp(b.1.client.name()))
    });
    let month_end = crate::model::add_months(
        chrono::Datelike::with_day(&m.today, 1).unwrap_or(m.today),
        1,
    );
    let (overdue, rest): (Vec<_>, Vec<_>) = due.into_iter().partition(|(d, _)| *d < m.today);
    let (this_month, later): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(d, _)| *d < month_end);
    let strip =
        |v: Vec<(chrono::NaiveDate, ReviewDue)>| v.into_iter().map(|(_, r)| r).collect::<Vec<_>>();
    let overdue = strip(overdue);
    let mut recent: Vec<_> = model
        .clients
        .iter()
        .flat_map(|c| c.reviews.iter().map(move |r| (c, r)))
        .filter(|(_, r)| r.data.date.value.0 <= m.today)
        .collect();
    recent.sort_by_key(|(_, r)| std::cmp::Reverse(r.data.date.value));
    let recent: Vec<RecentReview> = recent
        .iter()
        .take(25)
        .map(|(c, r)| RecentReview {
            client: refs.client(c),
            date: format::date(r.data.date.value.0),
            kind: r.data.kind.value.as_str().to_string(),
            anchor: format!("r-{}", r.id),
            findings: r.data.findings.len(),
            actions: r.data.actions.len(),
        })
        .collect();
    out.page(
        "reviews.html",
        "reviews.html",
        "reviews",
        "Review calendar",
        &ReviewsPage {
            overdue: &overdue,
            this_month: strip(this_month),
            later: strip(later),
            recent,
        },
    )?;
    Ok(overdue)
}

/// `validation.html`: every problem the audience may see.
fn validation(out: &Out<'_>, diagnostics: &[Diagnostic]) -> Result<(), SiteError> {
    let findings: Vec<FindingView> = diagnostics.iter().map(finding_view).collect();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    out.page(
        "validation.html",
        "validation.html",
        "validation",
        "Validation report",
        &serde_json::json!({ "findings": findings, "errors": errors, "warnings": diagnostics.len() - errors }),
    )
}

/// `index.html`: the priority list by tier, revenue against budget,
/// overdue reviews, unowned or overdue tasks and service-level breaches.
fn dashboard(
    out: &Out<'_>,
    refs: &Refs<'_>,
    diagnostics: &[Diagnostic],
    tiers: &[TierSection],
    overdue: Vec<ReviewDue>,
) -> Result<(), SiteError> {
    let model = refs.model;
    let m = refs.metrics;
    let currency = model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut tasks: Vec<TaskView> = model
        .tasks()
        .filter(|t| t.task.status.is_open())
        .filter(|t| {
            t.task.owner.is_none() || t.task.due.as_ref().is_some_and(|d| d.value.0 < m.today)
        })
        .map(|t| refs.task(&t))
        .collect();
    tasks.sort_by(|a, b| a.due_iso.cmp(&b.due_iso));
    let missed: Vec<(usize, &crate::metrics::service::Judgement)> = model
        .clients
        .iter()
        .enumerate()
        .flat_map(|(i, _)| {
            m.clients[i]
                .standing
                .iter()
                .filter(|(_, rag)| *rag == Rag::Red)
                .map(move |(j, _)| (i, j))
        })
        .collect();
    let breaches: Vec<Breach> = missed
        .iter()
        .take(BREACHES_SHOWN)
        .filter_map(|&(i, j)| {
            let c = &model.clients[i];
            let item = crate::metrics::service::level(model, c).get(j.item)?;
            Some(Breach {
                client: refs.client(c),
                owner: refs.owner(c),
                item: item.what.clone(),
                text: refs.judged(item, j),
            })
        })
        .collect();
    let mut escalations: Vec<EscalationView> = model
        .clients
        .iter()
        .flat_map(|c| refs.escalations(c))
        .collect();
    escalations.sort_by_key(|e| std::cmp::Reverse(e.age_days));
    let escalations_more = escalations.len().saturating_sub(BREACHES_SHOWN);
    escalations.truncate(BREACHES_SHOWN);
    let mut wins: Vec<WinView> = model.clients.iter().flat_map(|c| refs.wins(c)).collect();
    wins.sort_by(|a, b| b.date.iso.cmp(&a.date.iso));
    let wins_more = wins.len().saturating_sub(WINS_SHOWN);
    wins.truncate(WINS_SHOWN);
    let vs = m.firm.vs_budget();
    let (outliers, outliers_method) = outlier_views(refs);
    let dashboard = Dashboard {
        outliers_more: m.firm.outliers.len().saturating_sub(OUTLIERS_SHOWN),
        outliers,
        outliers_method,
        escalations,
        escalations_more,
        wins,
        wins_more,
        tiers: tiers.iter().map(tier_summary).collect(),
        tiered: m.firm.tiered,
        clients: model.clients.len(),
        revenue_ytd: money(m.firm.revenue_ytd),
        budget_ytd: money(m.firm.budget_ytd),
        vs_budget: format::percent_change(vs),
        vs_budget_rag: Rag::of_budget(vs),
        overdue_reviews: overdue,
        unowned: m.firm.unowned_tasks,
        overdue: tasks.iter().filter(|t| t.overdue).count(),
        tasks,
        breaches_more: missed.len().saturating_sub(BREACHES_SHOWN),
        breaches,
        revenue_chart: revenue_chart(refs),
        revenue_table: revenue_table(refs),
        errors,
        warnings: diagnostics.len() - errors,
    };
    out.page(
        "index.html",
        "dashboard.html",
        "dashboard",
        "Dashboard",
        &dashboard,
    )
}

/// The outliers the dashboard lists, and the method in a sentence.
fn outlier_views(refs: &Refs<'_>) -> (Vec<OutlierView>, String) {
    use crate::metrics::outliers::OutlierMeasure;
    let model = refs.model;
    let m = refs.metrics;
    let currency = model.firm.currency.as_str();
    let t = &model.firm.outliers;
    let quarter = m.firm.outlier_quarter;
    let views = m
        .firm
        .outliers
        .iter()
        .take(OUTLIERS_SHOWN)
        .map(|o| {
            let c = &model.clients[o.client];
            let show = |v: f64| match o.measure {
                OutlierMeasure::Interactions => {
                    crate::diag::plural(v.round() as u32, "interaction")
                }
                OutlierMeasure::Depth => {
                    format!(
                        "depth {}",
                        crate::diag::plural(v.round() as u32, "colleague–contact meeting")
                    )
                }
                _ => format!("revenue {}", format::money(v, currency)),
            };
            let reference = match o.measure {
                OutlierMeasure::Interactions | OutlierMeasure::Depth => {
                    format!("{:.1}", o.reference)
                }
                _ => format::money(o.reference, currency),
            };
            let change = o.change.map_or_else(
                || String::from("from nothing"),
                |c| format::percent_change(Some(c)),
            );
            let against = match o.measure {
                OutlierMeasure::Budget => format!("against its budget ({reference})"),
                _ => format!("on the average of the four quarters before ({reference})"),
            };
            OutlierView {
                client: refs.client(c),
                owner: refs.owner(c),
                measure: o.measure.as_str(),
                text: format!("{} in {quarter}, {change} {against}", show(o.value)),
            }
        })
        .collect();
    let method = format!(
        "Each client's last finished quarter, {quarter}, against the average of its four quarters before: listed when its credited revenue, its interactions or its depth (colleague–contact meetings) moved {}% or more, or its revenue was {}% or more off the quarter's budget; moves under {}, {} or a depth of {} are left out. firm.yaml's `outliers` sets these thresholds.",
        format::trim_number(t.change_percent.value),
        format::trim_number(t.budget_percent.value),
        format::money(t.min_revenue.value, currency),
        crate::diag::plural(t.min_interactions, "interaction"),
        t.min_depth,
    );
    (views, method)
}

/// A tier's line on the dashboard: its clients by service level.
fn tier_summary(t: &TierSection) -> TierSummary {
    let count = |rag: Option<Rag>| t.rows.iter().filter(|r| r.service.rag == rag).count();
    let unmeasured = count(None);
    TierSummary {
        id: t.id.clone(),
        name: t.name.clone(),
        clients: t.rows.len(),
        revenue_ytd: t.revenue_ytd.clone(),
        red: format!("{} missed an item", count(Some(Rag::Red))),
        amber: format!("{} behind pace", count(Some(Rag::Amber))),
        green: format!("{} on track", count(Some(Rag::Green))),
        unmeasured: (unmeasured > 0).then(|| format!("{unmeasured} not measured")),
    }
}

/// Firm revenue by month, this fiscal year against the last.
fn revenue_chart(refs: &Refs<'_>) -> String {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let fy = m.fiscal_year;
    let (this_label, last_label) = (format!("FY{fy}"), format!("FY{}", fy - 1));
    let labels = &refs.months;
    charts::line(
        "Firm revenue by month",
        labels,
        &[
            charts::Series {
                name: &last_label,
                values: &m.firm.revenue_by_month_last,
                class: "s2",
            },
            charts::Series {
                name: &this_label,
                values: &m.firm.revenue_by_month[..super::reported_months(refs)],
                class: "s1",
            },
        ],
        &|v| format::money_short(v, currency),
    )
}

/// The chart's data as a table: month, this year, last year.
fn revenue_table(refs: &Refs<'_>) -> Vec<[String; 3]> {
    let m = refs.metrics;
    let currency = refs.model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let labels = &refs.months;
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            [
                l.clone(),
                money(m.firm.revenue_by_month[i]),
                money(m.firm.revenue_by_month_last[i]),
            ]
        })
        .collect()
}
