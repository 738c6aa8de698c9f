//! The client list (`clients.html`, `clients-2.html`, ...), 500 clients to
//! a page, and the row a client has in every list.

use serde::Serialize;

use super::super::views::{date_cell, ClientRef, DateCell, PersonRef, Refs, ServiceView};
use super::super::{charts, format, Out, Scope, SiteError};
use crate::metrics::Rag;

#[derive(Serialize)]
pub(super) struct ClientRow {
    pub(super) client: ClientRef,
    pub(super) qualifiers: Vec<String>,
    pub(super) owner: Option<PersonRef>,
    pub(super) segment: String,
    pub(super) region: String,
    pub(super) last_contact: DateCell,
    pub(super) next_review: DateCell,
    pub(super) review_rag: Option<Rag>,
    pub(super) service: ServiceView,
    pub(super) revenue_ytd: String,
    pub(super) budget_ytd: String,
    pub(super) vs_budget: String,
    pub(super) spark: String,
}

#[derive(Serialize)]
struct ClientList {
    rows: Vec<ClientRow>,
    total: usize,
    from: usize,
    to: usize,
    pager: Vec<PagerLink>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

/// Rows per page of the client list: the benchmark firm gets 72
/// pages rather than one page a browser cannot handle.
const PAGE_ROWS: usize = 500;

/// `clients.html`, `clients-2.html`, ...: every client, by id. With a
/// scope, only the pages holding its clients are rendered again.
pub fn render(out: &Out<'_>, refs: &Refs<'_>, scope: &Scope) -> Result<(), SiteError> {
    use rayon::prelude::*;
    let clients = &refs.model.clients;
    let pages = clients.len().div_ceil(PAGE_ROWS).max(1);
    let url = |p: usize| {
        if p == 0 {
            String::from("clients.html")
        } else {
            format!("clients-{}.html", p + 1)
        }
    };
    (0..pages).into_par_iter().try_for_each(|p| {
        let range = p * PAGE_ROWS..((p + 1) * PAGE_ROWS).min(clients.len());
        if let Some(changed) = &scope.clients {
            if !clients[range.clone()]
                .iter()
                .any(|c| changed.contains(&c.id))
            {
                return Ok(());
            }
        }
        let rows: Vec<ClientRow> = range
            .clone()
            .map(|i| client_row(refs, i, &clients[i], false))
            .collect();
        let pager: Vec<PagerLink> = if pages > 1 {
            (0..pages)
                .map(|q| PagerLink {
                    number: q + 1,
                    url: url(q),
                    current: q == p,
                })
                .collect()
        } else {
            Vec::new()
        };
        let title = if pages > 1 {
            format!("Clients, page {} of {pages}", p + 1)
        } else {
            String::from("Clients")
        };
        out.page(
            &url(p),
            "clients.html",
            "clients",
            &title,
            &ClientList {
                rows,
                total: clients.len(),
                from: range.start + 1,
                to: range.end,
                pager,
                prev: (p > 0).then(|| url(p - 1)),
                next: (p + 1 < pages).then(|| url(p + 1)),
            },
        )
    })
}

pub(super) fn client_row(
    refs: &Refs<'_>,
    i: usize,
    c: &crate::model::Client,
    spark: bool,
) -> ClientRow {
    let f = refs.metrics.client(i);
    let currency = refs.model.firm.currency.as_str();
    let vs = f.vs_budget();
    ClientRow {
        client: refs.client(c),
        qualifiers: c.data.qualifiers.iter().map(|q| q.value.clone()).collect(),
        owner: refs.owner(c),
        segment: c.data.segment.clone().unwrap_or_default(),
        region: c.data.region.clone().unwrap_or_default(),
        last_contact: date_cell(f.last_contact, refs.metrics.today),
        next_review: date_cell(f.next_review, refs.metrics.today),
        review_rag: f.review_status,
        service: refs.service(i, c),
        revenue_ytd: format::money(f.revenue_ytd, currency),
        budget_ytd: format::money(f.budget_ytd, currency),
        vs_budget: format::percent_change(vs),
        spark: if spark {
            charts::sparkline(
                &format!("{} revenue by month", c.data.name.value),
                &f.revenue_by_month,
            )
        } else {
            String::new()
        },
    }
}
