//! The program impact page: tiers against untiered clients per quarter,
//! and the event study of entering the list, on a fixture whose entry date
//! is known. Figures are recomputed here from the fixture's numbers.

mod common;

use std::path::Path;

/// Five clients enter `strategic` on 15 April 2026 (2026-Q2); five are
/// never on the list. Revenue and captured interactions per client and
/// quarter (2026-Q1, Q2, Q3).
const ENTRANTS: usize = 5;
fn entrant_revenue(i: usize) -> [f64; 3] {
    [100.0 + 10.0 * i as f64, 200.0, 300.0 + 50.0 * i as f64]
}
const ENTRANT_INTERACTIONS: [usize; 3] = [1, 2, 4];
const NEVER_REVENUE: [f64; 3] = [100.0, 120.0, 90.0];
const NEVER_INTERACTIONS: [usize; 3] = [2, 2, 3];
const QUARTER_DAYS: [&str; 3] = ["2026-02-10", "2026-05-12", "2026-08-11"];

fn rows(days: &[&str; 3], counts: &[usize; 3]) -> String {
    let mut table = String::from("date,type,by,summary,outcome\n");
    for (day, n) in days.iter().zip(counts) {
        for _ in 0..*n {
            table += &format!("{day},email,bob,Sent a note,\n");
        }
    }
    table
}

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    let mut revenue = String::new();
    let folders = common::add_clients(root, 2 * ENTRANTS);
    for (i, folder) in folders.iter().enumerate() {
        let id = folder.file_name().unwrap().to_string_lossy().into_owned();
        let entrant = i < ENTRANTS;
        if entrant {
            common::append(
                root,
                &format!("clients/{id}/client.yaml"),
                "tier: strategic\npriority_history:\n  - date: 2026-04-15\n    tier: strategic\n    reason: Named opportunity\n",
            );
        }
        let (amounts, counts) = if entrant {
            (entrant_revenue(i), ENTRANT_INTERACTIONS)
        } else {
            (NEVER_REVENUE, NEVER_INTERACTIONS)
        };
        for (q, amount) in amounts.iter().enumerate() {
            revenue += &format!(
                "{},{id},research,uk,{amount},bob,R{i}{q},100\n",
                QUARTER_DAYS[q]
            );
        }
        std::fs::write(folder.join("activities.csv"), rows(&QUARTER_DAYS, &counts)).unwrap();
    }
    common::append(root, "financials/revenue.csv", &revenue);
    dir
}

/// The cells of the row of `table` whose first cell is `first`.
fn row(page: &str, first: &str) -> Vec<String> {
    let row = page
        .split("<tr")
        .find(|r| r.contains(&format!(">{first}</th>")))
        .unwrap_or_else(|| panic!("no row {first}"));
    common::cells(row)
}

fn index(now: f64, base: f64) -> String {
    format!("{:.0}", now / base * 100.0)
}

fn page(root: &Path) -> String {
    let site = common::build_site(root);
    std::fs::read_to_string(site.join("impact.html")).unwrap()
}

#[test]
fn entering_the_list_is_indexed_to_the_quarter_of_entry() {
    let dir = firm();
    let page = page(dir.path());
    let entry = &page[page.find(r#"id="h-entry""#).expect("the event study")..];
    // Pooled: the entrants' total in each quarter against their total in
    // the quarter of entry (Q2); the never-listed clients (the five, and
    // bolt, which has no revenue and no rows) over the same quarters.
    let total = |q: usize| (0..ENTRANTS).map(|i| entrant_revenue(i)[q]).sum::<f64>();
    let never = |q: usize| NEVER_REVENUE[q] * ENTRANTS as f64 / (ENTRANTS + 1) as f64;
    let never_rows = |q: usize| NEVER_INTERACTIONS[q] as f64;
    let acts = |q: usize| ENTRANT_INTERACTIONS[q] as f64;
    for (label, q) in [("1 before", 0), ("Quarter of entry", 1), ("1 after", 2)] {
        assert_eq!(
            row(entry, label),
            [
                ENTRANTS.to_string(),
                index(total(q), total(1)),
                index(never(q), never(1)),
                index(acts(q), acts(1)),
                index(never_rows(q), never_rows(1)),
            ],
            "{label}"
        );
    }
    assert_eq!(
        row(entry, "1 before")[1],
        "60",
        "worked by hand: 600 of 1000"
    );
    assert_eq!(
        row(entry, "1 after")[1],
        "200",
        "worked by hand: 2000 of 1000"
    );
    // Acme entered in the quarter in progress: not an entrant yet.
    assert!(entry.contains("within these quarters (5)"), "{entry}");
    assert!(
        !entry.contains("2 after"),
        "Q4 is in progress: no quarter two after entry"
    );
    assert!(entry.contains("<svg"), "the indices are charted");
}

#[test]
fn groups_follow_the_tier_held_at_each_quarters_end_and_too_few_are_not_given() {
    let dir = firm();
    let page = page(dir.path());
    let groups =
        &page[page.find(r#"id="h-groups""#).unwrap()..page.find(r#"id="h-entry""#).unwrap()];
    let quarter = |label: &str| {
        let start = groups.find(&format!("<td>{label}</td>")).unwrap();
        let rest = &groups[start..];
        let end = rest[10..]
            .find("group-start")
            .map_or(rest.len(), |e| e + 10);
        rest[..end].to_string()
    };
    // Q1: the entrants were not on the list yet; acme entered in October.
    let q1 = quarter("2026-Q1");
    assert!(
        q1.contains("Untiered</th><td class=\"num\">12</td>"),
        "{q1}"
    );
    assert!(q1.contains("Strategic</span></th><td class=\"num\">0</td><td colspan=\"9\" class=\"muted\">too few clients"), "{q1}");
    // Q2: the five entrants are strategic; revenue per client as written.
    let q2 = quarter("2026-Q2");
    let per_client = (0..ENTRANTS).map(|i| entrant_revenue(i)[1]).sum::<f64>() / ENTRANTS as f64;
    assert!(
        q2.contains(&format!(
            "<td class=\"num\">5</td><td class=\"num\">£{per_client:.0}</td>"
        )),
        "{q2}"
    );
    assert!(q2.contains("Untiered</th><td class=\"num\">7</td>"), "{q2}");
    assert!(
        !page.contains("2026-Q4"),
        "the quarter in progress is left out"
    );
}
