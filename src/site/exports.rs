//! Exports beside the pages: CSV of the priority list, tasks and
//! activities; JSON of the whole model; iCalendar feeds per person and for
//! the firm; and the search index.

use serde::Serialize;

use super::views::{client_url, person_url, Refs};
use super::{markdown, Out, SiteError};
use crate::metrics::Rag;
use crate::write::table::Table;

/// Whether `path` is one of the analysts' exports, which a render with
/// `data_tables` off (serve's) leaves out.
pub fn analysts_export(path: &str) -> bool {
    path == "exports/model.json"
        || path == "exports/series.csv"
        || path == "exports/trades.csv"
        || path.starts_with("exports/data/")
}

pub fn write_all(out: &Out<'_>, refs: &Refs<'_>, data_tables: bool) -> Result<(), SiteError> {
    let model = refs.model;
    let m = refs.metrics;

    let mut priority = Table::new(&[
        "tier",
        "client",
        "name",
        "qualifiers",
        "owner",
        "last_contact",
        "next_review",
        "service",
        "revenue_ytd",
        "budget_ytd",
    ]);
    for (i, c) in model.clients.iter().enumerate() {
        let Some(tier) = c.tier() else { continue };
        let f = m.client(i);
        priority.row(&[
            tier,
            &c.id,
            &c.data.name.value,
            &c.data
                .qualifiers
                .iter()
                .map(|q| q.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            c.data
                .coverage
                .owner
                .as_ref()
                .map_or("", |o| o.value.as_str()),
            &f.last_contact.map_or(String::new(), |d| d.to_string()),
            &f.next_review.map_or(String::new(), |d| d.to_string()),
            f.service.map_or("", Rag::as_str),
            &format!("{:.2}", f.revenue_ytd),
            &format!("{:.2}", f.budget_ytd),
        ]);
    }
    out.file("exports/priority-list.csv", &priority.finish())?;
    out.file("exports/service-levels.csv", &service_levels(refs))?;

    let mut tasks = Table::new(&[
        "place", "client", "title", "owner", "due", "status", "file", "kind",
    ]);
    for t in model.tasks() {
        tasks.row(&[
            t.place.describe(),
            t.client.map_or("", |c| c.id.as_str()),
            &t.task.title.value,
            t.task.owner.as_ref().map_or("", |o| o.value.as_str()),
            &t.task
                .due
                .as_ref()
                .map_or(String::new(), |d| d.value.to_string()),
            super::views::status_name(t.task.status),
            &t.src.file,
            t.task
                .kind
                .map_or("", crate::model::ReviewActionKind::as_str),
        ]);
    }
    out.file("exports/tasks.csv", &tasks.finish())?;

    movers(out, refs)?;
    outliers(out, refs)?;

    let mut acts = Table::new(&["client", "date", "type", "by", "title", "source"]);
    for c in &model.clients {
        for a in &c.activities {
            acts.row(&[
                &c.id,
                &a.data.date.value.to_string(),
                a.data.kind.value.as_str(),
                &a.data.by.value,
                &a.data.title.value,
                "note",
            ]);
        }
        for r in &c.captured {
            acts.row(&[
                &c.id,
                &r.date.to_string(),
                r.kind.as_str(),
                &r.by,
                &r.summary,
                "captured",
            ]);
        }
    }
    out.file("exports/activities.csv", &acts.finish())?;

    super::feeds::write_all(out, refs)?;
    if data_tables {
        out.stream("exports/model.json", &mut |w| {
            // serde_json writes every quote and comma on its own: through
            // a buffer of a known type, not one virtual call each.
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, w);
            serde_json::to_writer(&mut buffered, model).map_err(std::io::Error::other)?;
            std::io::Write::flush(&mut buffered)
        })?;
        super::tables::write_all(out, refs)?;
        series(out, refs)?;
        trades(out, refs)?;
    }
    search_index(out, refs)
}

/// `exports/trades.csv`: per client, product and quarter, the volume,
/// orders and average price of the revenue lines that give units, and the
/// price's change from the quarter before.
fn trades(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let m = refs.metrics;
    let mut table = Table::new(&[
        "client",
        "quarter",
        "product",
        "volume",
        "orders",
        "average_price",
        "price_change_percent",
    ]);
    let figure = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.2}"));
    for (c, f) in refs.model.clients.iter().zip(&m.clients) {
        let s = &f.series;
        for (i, t) in s.trades.iter().enumerate() {
            table.row(&[
                &c.id,
                &m.span.label(refs.model, t.quarter),
                &t.product,
                &format!("{:.2}", t.volume),
                &format!("{:.2}", t.orders),
                &figure(t.average_price()),
                &figure(s.price_change(i)),
            ]);
        }
    }
    out.file("exports/trades.csv", &table.finish())
}

/// `exports/series.csv`: every client's quarterly series in long form,
/// one row per client, quarter and measure, as spreadsheets pivot and
/// DuckDB reads them. A measure with no value that quarter (growth without
/// a year earlier, a wallet share without a wallet) has no row. Ids are
/// made of letters, digits, `-`, `_` and `.`, so no cell needs quoting.
fn series(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    use crate::model::ActivityType;
    use std::io::Write;
    let m = refs.metrics;
    let offered = m.products_offered;
    let labels: Vec<String> = (0..m.span.len)
        .map(|q| m.span.label(refs.model, q))
        .collect();
    out.stream("exports/series.csv", &mut |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        w.write_all(b"client,quarter,measure,value\n")?;
        for (c, f) in refs.model.clients.iter().zip(&m.clients) {
            let s = &f.series;
            for (i, q) in s.quarters.iter().enumerate() {
                let counts = [
                    ("interactions", q.interactions()),
                    ("meetings", q.of_type(ActivityType::Meeting)),
                    ("calls", q.of_type(ActivityType::Call)),
                    ("emails", q.of_type(ActivityType::Email)),
                    ("instant_messages", q.of_type(ActivityType::Im)),
                    ("transactions", q.of_type(ActivityType::Transaction)),
                    ("events", q.of_type(ActivityType::Event)),
                    ("contacts_reached", q.contacts),
                    ("colleagues_involved", q.colleagues),
                    ("depth", q.depth),
                    ("products", q.products),
                    ("allies", q.allies),
                    ("opponents", q.opponents),
                ];
                let (id, quarter) = (&c.id, &labels[i]);
                for (measure, value) in counts {
                    writeln!(w, "{id},{quarter},{measure},{value}")?;
                }
                let figures = [
                    ("revenue", Some(q.revenue)),
                    ("revenue_year_earlier", s.revenue_year_earlier(i)),
                    ("revenue_growth_percent", s.revenue_growth(i)),
                    (
                        "product_penetration_percent",
                        s.product_penetration(i, offered),
                    ),
                    ("wallet", s.wallet(i)),
                    ("wallet_share_percent", s.wallet_share(i)),
                    ("market_share_percent", s.market_share(i)),
                    ("service_compliance_percent", q.service_compliance()),
                ];
                for (measure, value) in figures {
                    if let Some(v) = value {
                        writeln!(w, "{id},{quarter},{measure},{v:.2}")?;
                    }
                }
            }
        }
        w.flush()
    })
}

/// `exports/outliers.csv`: every outlier of the last finished quarter.
fn outliers(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let firm = &refs.metrics.firm;
    let mut table = Table::new(&[
        "quarter",
        "client",
        "name",
        "measure",
        "value",
        "reference",
        "change_percent",
    ]);
    let quarter = firm.outlier_quarter.to_string();
    for o in &firm.outliers {
        let c = &refs.model.clients[o.client];
        table.row(&[
            &quarter,
            &c.id,
            &c.data.name.value,
            o.measure.as_str(),
            &super::format::trim_number((o.value * 100.0).round() / 100.0),
            &super::format::trim_number((o.reference * 100.0).round() / 100.0),
            &o.change.map_or(String::new(), |c| format!("{c:.1}")),
        ]);
    }
    out.file("exports/outliers.csv", &table.finish())
}

/// `exports/movers.csv`: every change of tier, newest first.
fn movers(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let mut movers = Table::new(&[
        "quarter",
        "date",
        "client",
        "name",
        "move",
        "from_tier",
        "to_tier",
        "reason",
    ]);
    for mv in &refs.metrics.firm.movers {
        let c = &refs.model.clients[mv.client];
        movers.row(&[
            &mv.quarter.to_string(),
            &mv.date.to_string(),
            &c.id,
            &c.data.name.value,
            mv.kind.as_str(),
            mv.from.as_deref().unwrap_or(""),
            mv.to.as_deref().unwrap_or(""),
            mv.reason.as_deref().unwrap_or(""),
        ]);
    }
    out.file("exports/movers.csv", &movers.finish())
}

#[derive(Serialize)]
struct Entry<'a> {
    /// `client`, `person` or `note`.
    kind: &'static str,
    title: &'a str,
    /// Tier, role or client name.
    sub: String,
    url: String,
    text: String,
}

/// `search.json`: clients, people and notes, for the search page's script.
fn search_index(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let model = refs.model;
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for c in &model.clients {
        entries.push(Entry {
            kind: "client",
            title: &c.data.name.value,
            sub: c
                .tier()
                .and_then(|t| refs.tier_name(t))
                .unwrap_or_else(|| String::from("untiered")),
            url: client_url(&c.id),
            text: [
                c.id.as_str(),
                c.data.segment.as_deref().unwrap_or(""),
                c.data.region.as_deref().unwrap_or(""),
            ]
            .join(" "),
        });
    }
    for p in &model.people {
        entries.push(Entry {
            kind: "person",
            title: &p.data.name,
            sub: p.data.role.clone(),
            url: person_url(&p.id),
            text: p.id.clone(),
        });
    }
    for c in &model.clients {
        for a in &c.activities {
            entries.push(Entry {
                kind: "note",
                title: &a.data.title.value,
                sub: format!("{} · {}", c.data.name.value, a.data.date.value),
                url: format!("{}#a-{}", client_url(&c.id), a.id),
                text: markdown::excerpt(&a.body, 160),
            });
        }
    }
    let json = serde_json::to_vec(&entries).map_err(|e| SiteError::Io {
        path: String::from("search.json"),
        message: e.to_string(),
    })?;
    // The same entries as a script, so the search page also works from file://.
    let mut script = b"window.clienteleSearch=".to_vec();
    script.extend_from_slice(&json);
    script.extend_from_slice(b";\n");
    out.file("search-index.js", &script)?;
    out.file("search.json", &json)
}

/// `exports/service-levels.csv`: every measured service item judged for
/// every client and period, the table behind every service light.
fn service_levels(refs: &Refs<'_>) -> Vec<u8> {
    let model = refs.model;
    let mut table = Table::new(&[
        "client", "tier", "item", "period", "required", "actual", "status",
    ]);
    for (i, c) in model.clients.iter().enumerate() {
        let items = crate::metrics::service::level(model, c);
        for j in &refs.metrics.client(i).judgements {
            let Some(item) = items.get(j.item) else {
                continue;
            };
            table.row(&[
                &c.id,
                c.tier().unwrap_or(""),
                &item.what,
                &refs.period_key(j),
                &j.required.to_string(),
                &j.actual.to_string(),
                j.status.as_str(),
            ]);
        }
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use crate::write::table::neutralize;

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("-2+3"), "'-2+3");
        assert_eq!(neutralize("-1250.50"), "-1250.50");
        assert_eq!(neutralize("Acme"), "Acme");
    }
}
