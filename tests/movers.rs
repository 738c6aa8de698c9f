//! Movers on the priority list: every change of tier the priority
//! histories record, by fiscal quarter, on the priority list page and in
//! `exports/movers.csv` and `exports/data/movers.jsonl`.

mod common;

use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// The base firm with a second tier below `strategic`, and histories with
/// every kind of move. The fiscal year starts in April, so quarters are
/// fiscal: 2025-05-10 is in FY2026 Q1, 2026-01-20 in FY2026 Q4.
fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    common::edit(
        root,
        "firm.yaml",
        "fiscal_year_start_month: 1",
        "fiscal_year_start_month: 4",
    );
    let charter = std::fs::read_to_string(root.join("charter.yaml")).unwrap();
    write(
        root,
        "charter.yaml",
        &charter.replace(
            "qualifiers:",
            "  - id: growth\n    name: Growth\n    entry: [A named opportunity]\n    exit: [No opportunity in a year]\n    review_cadence: quarterly\nqualifiers:",
        ),
    );
    write(
        root,
        "clients/acme/client.yaml",
        "name: Acme Asset Management
tier: strategic
coverage:
  owner: ada
  team: [bob]
priority_history:
  - date: 2026-01-20
    tier: strategic
    reason: Revenue passed 1m
  - date: 2025-05-10
    tier: growth
    reason: Named opportunity in execution
  - date: 2025-09-01
    tier: growth
    reason: Confirmed at the mid-year review
",
    );
    write(
        root,
        "clients/bolt/client.yaml",
        "name: Bolt Capital
coverage:
  owner: bob
priority_history:
  - date: 2025-06-02
    tier: strategic
    reason: Mandate won
  - date: 2025-11-03
    tier: growth
    reason: Revenue fell below 500k
  - date: 2026-02-16
    reason: No opportunity in a year
  - date: 2026-12-01
    tier: growth
    reason: Planned for the next list review
",
    );
    dir
}

#[test]
fn every_change_of_tier_is_a_move_in_its_fiscal_quarter() {
    let dir = firm();
    let site = common::build_site(dir.path());
    let csv = std::fs::read_to_string(site.join("exports/movers.csv")).unwrap();
    // Newest first; acme's confirmation at the mid-year review is no
    // move, and bolt's entry dated after today (2026-11-22) is not yet.
    assert_eq!(
        csv,
        "quarter,date,client,name,move,from_tier,to_tier,reason
2026-Q4,2026-02-16,bolt,Bolt Capital,left,growth,,No opportunity in a year
2026-Q4,2026-01-20,acme,Acme Asset Management,promoted,growth,strategic,Revenue passed 1m
2026-Q3,2025-11-03,bolt,Bolt Capital,demoted,strategic,growth,Revenue fell below 500k
2026-Q1,2025-06-02,bolt,Bolt Capital,entered,,strategic,Mandate won
2026-Q1,2025-05-10,acme,Acme Asset Management,entered,,growth,Named opportunity in execution
"
    );
    let jsonl = std::fs::read_to_string(site.join("exports/data/movers.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        serde_json::json!({
            "client": "bolt", "date": "2026-02-16", "quarter": "2026-Q4", "year": 2026,
            "move": "left", "from_tier": "growth", "to_tier": null,
            "reason": "No opportunity in a year"
        })
    );
    assert_eq!(jsonl.lines().count(), 5);
}

#[test]
fn the_priority_list_shows_the_moves_by_quarter() {
    let dir = firm();
    let site = common::build_site(dir.path());
    let page = std::fs::read_to_string(site.join("priority.html")).unwrap();
    let movers = &page[page.find("id=\"movers\"").expect("a movers section")..];
    let movers = &movers[..movers.find("</section>").unwrap()];
    let q4 = movers.find("<h3>2026-Q4 <span class=\"muted\">· 1 left, 1 promoted</span></h3>");
    let q3 = movers.find("<h3>2026-Q3 <span class=\"muted\">· 1 demoted</span></h3>");
    let q1 = movers.find("<h3>2026-Q1 <span class=\"muted\">· 2 entered</span></h3>");
    assert!(
        q4.is_some() && q3 > q4 && q1 > q3,
        "quarters newest first: {movers}"
    );
    assert!(movers.contains("<td>promoted from Growth to Strategic</td><td>Revenue passed 1m</td>"));
    assert!(movers.contains("<td>left Growth</td>"));
    assert!(movers.contains("<td>entered Strategic</td><td>Mandate won</td>"));
    assert!(!movers.contains("Planned for the next list review"));
    assert!(movers.contains("href=\"exports/movers.csv\""));
}

#[test]
fn a_firm_without_history_says_so() {
    let dir = common::repo("");
    let root = dir.path();
    let acme = std::fs::read_to_string(root.join("clients/acme/client.yaml")).unwrap();
    let cut = acme.find("priority_history:").unwrap();
    let end = acme.find("domains:").unwrap();
    write(
        root,
        "clients/acme/client.yaml",
        &format!("{}{}", &acme[..cut], &acme[end..]),
    );
    let site = common::build_site(root);
    let page = std::fs::read_to_string(site.join("priority.html")).unwrap();
    assert!(page.contains("No client has changed tier yet"));
    assert_eq!(
        std::fs::read_to_string(site.join("exports/movers.csv")).unwrap(),
        "quarter,date,client,name,move,from_tier,to_tier,reason\n"
    );
}
