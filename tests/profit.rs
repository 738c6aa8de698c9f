//! Profitability: costs by category applied against revenue per quarter,
//! grouped by tier, segment and relationship manager; the clients that
//! cost more than they bring; entertainment and training per client. The
//! figures are worked out here from the rows this test writes.

mod common;

use std::path::Path;

/// acme's credited revenue per quarter of FY2026 (the base fixture's March
/// lines give Q1), and bolt's.
const ACME_REVENUE: [f64; 3] = [1500.0, 2000.0, 3000.0];
const BOLT_REVENUE: f64 = 100.0;

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    common::append(
        root,
        "financials/revenue.csv",
        "2026-05-10,acme,research,uk,2000,ada,P1,100\n\
         2026-08-10,acme,research,uk,3000,ada,P2,100\n\
         2026-02-01,bolt,research,uk,100,bob,P3,100\n",
    );
    std::fs::write(
        root.join("financials/costs.csv"),
        "client,period,category,amount\n\
         acme,2026-Q1,coverage,400\n\
         acme,2026-Q2,entertainment,700\n\
         acme,2026,training,1200\n\
         bolt,2026-Q1,coverage,500\n\
         bolt,2026-Q3,Entertainment,50\n",
    )
    .unwrap();
    dir
}

fn page(site: &Path, name: &str) -> String {
    common::text(&std::fs::read_to_string(site.join(name)).unwrap())
}

#[test]
fn contribution_per_quarter_applies_each_cost_to_its_quarter() {
    let dir = firm();
    let site = common::build_site(dir.path());
    // The training year's 1200 is 300 a quarter. The revenue data runs to
    // its latest line, 10 August, so Q3's costs count for the share of Q3
    // it covers (41 of 92 days), as its revenue does.
    let q3_share = 41.0 / 92.0;
    let acme_costs = [400.0 + 300.0, 700.0 + 300.0, 300.0 * q3_share];
    let contribution: Vec<String> = (0..3)
        .map(|q| format!("£{}", thousands(ACME_REVENUE[q] - acme_costs[q])))
        .collect();
    let client = page(&site, "clients/acme.html");
    for (q, c) in contribution.iter().enumerate() {
        let row = format!(
            "Q{} £{} £{} {c}",
            q + 1,
            thousands(ACME_REVENUE[q]),
            thousands(acme_costs[q])
        );
        assert!(client.contains(&row), "{row} not in: {client}");
    }
    assert!(
        client.contains(
            "Costs to date by category: coverage £400 · entertainment £700 to justify · training £"
        ),
        "{client}"
    );
    let firm = page(&site, "profitability.html");
    let ytd = ACME_REVENUE.iter().sum::<f64>() - acme_costs.iter().sum::<f64>();
    assert!(
        firm.contains(&format!(
            "Strategic 1 {} {} {}",
            contribution[0], contribution[1], contribution[2]
        )),
        "{firm}"
    );
    assert!(firm.contains(&format!("£{}", thousands(ytd))), "{firm}");
}

#[test]
fn a_client_costing_more_than_it_brings_is_listed_with_its_hospitality() {
    let dir = firm();
    let site = common::build_site(dir.path());
    let firm = page(&site, "profitability.html");
    let losses = &firm[firm.find("Costing more than they bring").unwrap()
        ..firm.find("Entertainment and training Spend").unwrap()];
    // bolt: 100 of revenue against 500 of coverage in Q1 and Q3's 50 of
    // entertainment (written `Entertainment`, the same category) for the
    // 41 of 92 days of Q3 the revenue data covers.
    let entertainment = 50.0 * 41.0 / 92.0;
    let costs = 500.0 + entertainment;
    assert!(
        losses.contains(&format!(
            "Bolt Capital Bob Marley £100 £{} -£{} £{} £0",
            thousands(costs),
            thousands(costs - BOLT_REVENUE),
            thousands(entertainment)
        )),
        "{losses}"
    );
    assert!(!losses.contains("Acme"), "{losses}");
    let justified = &firm[firm.find("Entertainment and training Spend").unwrap()..];
    let acme = justified.find("Acme").unwrap();
    let bolt = justified.find("Bolt").unwrap();
    assert!(acme < bolt, "the largest spend first: {justified}");
}

/// `1,234` for 1234.4, as the pages write whole amounts.
fn thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}
