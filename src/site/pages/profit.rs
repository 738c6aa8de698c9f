//! `profitability.html`: costs applied against client revenues (seed
//! 002): contribution and margin per quarter by tier, segment and
//! relationship manager; the clients that cost more than they bring; and
//! entertainment and training spend client by client (seed 004 expects it
//! justified). Every figure comes from [`crate::metrics::profit`].

use serde::Serialize;

use super::super::views::{ClientRef, PersonRef, Refs};
use super::super::{format, Out, SiteError};
use crate::metrics::profit::{margin, ProfitGroup, JUSTIFIED};

/// The most clients each list shows; the rest are counted.
const LISTED: usize = 50;

#[derive(Serialize)]
struct Page {
    quarters: Vec<String>,
    /// By tier, segment and relationship manager.
    groups: Vec<Groups>,
    /// The clients costing more than they bring, and the entertainment
    /// and training spenders.
    lists: Vec<ClientList>,
}

#[derive(Serialize)]
struct Groups {
    id: &'static str,
    title: &'static str,
    /// The first column's heading.
    label: &'static str,
    rows: Vec<GroupRow>,
}

#[derive(Serialize)]
struct ClientList {
    id: &'static str,
    title: &'static str,
    note: &'static str,
    empty: &'static str,
    rows: Vec<ClientRow>,
    more: usize,
}

#[derive(Serialize)]
struct GroupRow {
    name: String,
    tier: Option<String>,
    person: Option<PersonRef>,
    clients: usize,
    /// Contribution per quarter begun.
    quarters: Vec<String>,
    revenue: String,
    costs: String,
    contribution: String,
    margin: String,
}

#[derive(Serialize)]
struct ClientRow {
    client: ClientRef,
    owner: Option<PersonRef>,
    revenue: String,
    costs: String,
    contribution: String,
    entertainment: String,
    training: String,
}

pub fn render(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let m = refs.metrics;
    let begun: Vec<usize> = (0..4).filter(|&q| m.firm.quarters[q].started).collect();
    let page = Page {
        quarters: begun
            .iter()
            .map(|&q| m.firm.quarters[q].label.clone())
            .collect(),
        groups: groups(refs, &begun),
        lists: lists(refs),
    };
    out.page(
        "profitability.html",
        "profitability.html",
        "profitability",
        "Profitability",
        &page,
    )
}

/// By tier, segment and relationship manager.
fn groups(refs: &Refs<'_>, begun: &[usize]) -> Vec<Groups> {
    let m = refs.metrics;
    let model = refs.model;
    let currency = model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let row = |g: &ProfitGroup, name: String, tier: Option<String>, person: Option<PersonRef>| {
        let (revenue, costs) = (g.revenue_ytd(), g.costs_ytd());
        GroupRow {
            name,
            tier,
            person,
            clients: g.clients,
            quarters: begun
                .iter()
                .map(|&q| money(g.revenue[q] - g.costs[q]))
                .collect(),
            revenue: money(revenue),
            costs: money(costs),
            contribution: money(revenue - costs),
            margin: format::percent(margin(revenue, costs)),
        }
    };
    let p = &m.firm.profit;
    let by_tier = p
        .by_tier
        .iter()
        .map(|g| {
            let tier = (!g.key.is_empty()).then(|| g.key.clone());
            let name = tier
                .as_deref()
                .and_then(|t| model.tier(t))
                .map_or_else(|| String::from("Untiered"), |t| t.name.clone());
            row(g, name, tier, None)
        })
        .collect();
    let by_segment = p
        .by_segment
        .iter()
        .map(|g| {
            let name = if g.key.is_empty() {
                String::from("(no segment)")
            } else {
                g.key.clone()
            };
            row(g, name, None, None)
        })
        .collect();
    let by_manager = p
        .by_manager
        .iter()
        .map(|g| {
            let person = (!g.key.is_empty()).then(|| refs.person(&g.key));
            let name = if g.key.is_empty() {
                String::from("(no owner)")
            } else {
                g.key.clone()
            };
            row(g, name, None, person)
        })
        .collect();
    vec![
        Groups {
            id: "tier",
            title: "By tier",
            label: "Tier",
            rows: by_tier,
        },
        Groups {
            id: "segment",
            title: "By segment",
            label: "Segment",
            rows: by_segment,
        },
        Groups {
            id: "manager",
            title: "By relationship manager",
            label: "Relationship manager",
            rows: by_manager,
        },
    ]
}

/// The clients costing more than they bring, and the hospitality list.
fn lists(refs: &Refs<'_>) -> Vec<ClientList> {
    let m = refs.metrics;
    let model = refs.model;
    let currency = model.firm.currency.as_str();
    let money = |v: f64| format::money(v, currency);
    let p = &m.firm.profit;
    let client_row = |i: usize| {
        let c = &model.clients[i];
        let f = &m.client(i).profit;
        ClientRow {
            client: refs.client(c),
            owner: refs.owner(c),
            revenue: money(f.revenue_ytd()),
            costs: money(f.costs_ytd()),
            contribution: money(f.contribution_ytd()),
            entertainment: money(f.category_ytd(JUSTIFIED[0])),
            training: money(f.category_ytd(JUSTIFIED[1])),
        }
    };
    let list = |clients: &[usize]| -> (Vec<ClientRow>, usize) {
        let rows = clients
            .iter()
            .take(LISTED)
            .map(|&i| client_row(i))
            .collect();
        (rows, clients.len().saturating_sub(LISTED))
    };
    let (losses, losses_more) = list(&p.losses);
    let (justified, justified_more) = list(&p.justified);
    vec![
            ClientList {
                id: "losses",
                title: "Costing more than they bring",
                note: "Clients whose costs to date exceed their revenue, the largest shortfall first: for discussion.",
                empty: "Every client brings more than it costs so far this year.",
                rows: losses,
                more: losses_more,
            },
            ClientList {
                id: "justified",
                title: "Entertainment and training",
                note: "Spend to be justified client by client, the largest first, beside what the client brings.",
                empty: "No entertainment or training costs recorded this year (the category column of costs.csv).",
                rows: justified,
                more: justified_more,
            },
        ]
}
