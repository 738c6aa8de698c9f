//! Strategy checks (seed 001): strategy.yaml records whether each goal and
//! strategy is still achievable and still relevant; the `strategy-check`
//! rule asks for one at the cadence firm.yaml sets; the strategy page
//! shows each goal's and strategy's latest verdict.

mod common;

use std::path::Path;

use common::{check_json, repo};

fn set_cadence(root: &Path, cadence: &str) {
    common::append(root, "firm.yaml", &format!("strategy_checks: {cadence}\n"));
}

/// Gives the base strategy's goal `grow` a target.
fn set_goal_target(root: &Path, target: &str) {
    common::edit(
        root,
        "strategy.yaml",
        "    owner: ada\nstrategies:",
        &format!("    owner: ada\n    target: {target}\nstrategies:"),
    );
}

fn strategy_page(root: &Path) -> String {
    let site = common::build_site(root);
    std::fs::read_to_string(site.join("strategy.html")).unwrap()
}

fn add_checks(root: &Path, checks: &str) {
    let strategy = std::fs::read_to_string(root.join("strategy.yaml")).unwrap();
    std::fs::write(
        root.join("strategy.yaml"),
        format!("{strategy}checks:\n{checks}"),
    )
    .unwrap();
}

/// (rule, file, line, message) of each finding of `rule`.
fn findings(root: &Path, rule: &str) -> Vec<(String, u64, String)> {
    let (_, found) = check_json(root);
    found
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| (f.file, f.line, f.message))
        .collect()
}

#[test]
fn without_a_cadence_nothing_is_asked() {
    let dir = repo("");
    assert_eq!(findings(dir.path(), "strategy-check"), vec![]);
}

#[test]
fn a_cadence_without_a_check_asks_for_one() {
    let dir = repo("");
    set_cadence(dir.path(), "quarterly");
    let firm_lines = std::fs::read_to_string(dir.path().join("firm.yaml"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(
        findings(dir.path(), "strategy-check"),
        vec![(
            "firm.yaml".to_string(),
            firm_lines,
            "no strategy check is recorded in strategy.yaml".to_string()
        )]
    );
}

#[test]
fn an_old_or_partial_check_is_reported_at_its_date() {
    let dir = repo("");
    let root = dir.path();
    set_cadence(root, "quarterly");
    let before = std::fs::read_to_string(root.join("strategy.yaml"))
        .unwrap()
        .lines()
        .count() as u64;
    // The base strategy has goal `grow` and strategy `focus`. The check on
    // 2026-08-01 leaves `focus` out; today is 2026-11-22, so the next was
    // due on 2026-11-01. A check dated after today does not count yet.
    add_checks(
        root,
        "  - date: 2026-06-01
    reviewers: [ada]
    goals: { grow: { achievable: true, relevant: true } }
    strategies: { focus: { achievable: true, relevant: true } }
  - date: 2026-08-01
    reviewers: [ada, bob]
    goals: { grow: { achievable: false, relevant: true, note: Needs FY2027 } }
  - date: 2026-12-01
    goals: { grow: { achievable: true, relevant: true } }
    strategies: { focus: { achievable: true, relevant: true } }
",
    );
    let line = before + 6; // after `checks:` and the first check's four lines
    assert_eq!(
        findings(root, "strategy-check"),
        vec![
            (
                "strategy.yaml".to_string(),
                line,
                "the last strategy check was on 2026-08-01; the next was due on 2026-11-01"
                    .to_string()
            ),
            (
                "strategy.yaml".to_string(),
                line,
                "the strategy check of 2026-08-01 does not judge strategy `focus`".to_string()
            ),
        ]
    );
    // A yearly cadence is content with August.
    let firm = std::fs::read_to_string(root.join("firm.yaml")).unwrap();
    std::fs::write(root.join("firm.yaml"), firm.replace("quarterly", "annual")).unwrap();
    assert_eq!(
        findings(root, "strategy-check").len(),
        1,
        "only the unjudged strategy"
    );
}

#[test]
fn a_check_names_known_goals_strategies_and_people() {
    let dir = repo("");
    add_checks(
        dir.path(),
        "  - date: 2026-10-01
    reviewers: [adda]
    goals: { grwo: { achievable: true, relevant: true } }
    strategies: { focus: { achievable: true, relevant: true } }
",
    );
    let unknown: Vec<String> = findings(dir.path(), "unknown-reference")
        .into_iter()
        .map(|f| f.2)
        .collect();
    assert_eq!(unknown, ["unknown person `adda`", "unknown goal `grwo`"]);
}

#[test]
fn the_strategy_page_shows_the_latest_verdicts() {
    let dir = repo("");
    let root = dir.path();
    set_cadence(root, "quarterly");
    add_checks(
        root,
        "  - date: 2026-06-01
    reviewers: [ada]
    goals: { grow: { achievable: true, relevant: true } }
    strategies: { focus: { achievable: true, relevant: false, note: Done in May } }
  - date: 2026-10-05
    reviewers: [ada, bob]
    goals: { grow: { achievable: false, relevant: true, note: Needs FY2027 } }
",
    );
    let page = strategy_page(root);
    assert!(
        page.contains("checked quarterly, the next check due 5 Jan 2027"),
        "{page}"
    );
    // The goal's verdict is October's; the strategy's is June's, the
    // latest check that judged it.
    assert!(page.contains(
        "Last check 5 Oct 2026 (Ada Lovelace, Bob Marley): <strong>no longer achievable · still relevant</strong> — Needs FY2027"
    ), "{page}");
    assert!(page.contains(
        "Last check 1 Jun 2026: <strong>still achievable · no longer relevant</strong> — Done in May"
    ));
    assert!(page.contains("<td>5 Oct 2026</td><td>Ada Lovelace, Bob Marley</td><td>1 goal and 0 strategies judged</td><td><code>grow</code> </td>"));
}

#[test]
fn a_goal_with_a_target_shows_its_progress_by_quarter() {
    let dir = repo("");
    let root = dir.path();
    set_goal_target(
        root,
        "{ measure: revenue_growth, clients: tiered, at_least: 10 }",
    );
    // acme is tiered, bolt is not. Q1: 1,200 against 1,000; Q2: 900
    // against 1,000; Q3 is not judged, as the revenue data stops in
    // August. The year to date (to 22 November) is 2,100 against 2,000.
    std::fs::write(
        root.join("financials/revenue.csv"),
        "date,client,product,region,amount,credited_to,txn_id,share
2025-02-10,acme,research,uk,1000,ada,T1,100
2026-02-10,acme,research,uk,1200,ada,T2,100
2025-05-10,acme,research,uk,1000,ada,T3,100
2026-05-12,acme,research,uk,900,ada,T4,100
2025-08-10,bolt,research,uk,50000,bob,T5,100
2026-08-10,bolt,research,uk,1000,bob,T6,100
",
    )
    .unwrap();
    let growth = |now: f64, before: f64| format!("{:+.1}%", (now - before) / before * 100.0);
    let page = strategy_page(root);
    assert!(page.contains(
        "Target: revenue growth against the same quarter a year earlier of clients on the priority list: at least 10%"
    ), "{page}");
    let cells = format!(
        "<td class=\"num cell-met\">{}</td><td class=\"num cell-missed\">{}</td><td class=\"num\">–</td><td class=\"num\">–</td><td class=\"num cell-missed\">{}</td>",
        growth(1200.0, 1000.0),
        growth(900.0, 1000.0),
        growth(2100.0, 2000.0),
    );
    assert!(page.contains(&cells), "{cells}\n{page}");
}

#[test]
fn a_target_names_a_known_group_and_belongs_to_the_firm() {
    let dir = repo("");
    let root = dir.path();
    set_goal_target(
        root,
        "{ measure: service_compliance, clients: strategc, at_least: 90 }",
    );
    common::edit(
        root,
        "clients/acme/plan.md",
        "    title: Grow revenue\n",
        "    title: Grow revenue\n    target: { measure: revenue_growth, at_least: 10 }\n",
    );
    let (code, found) = check_json(root);
    assert_eq!(code, 2);
    let unknown: Vec<(&str, &str)> = found
        .iter()
        .filter(|f| f.rule == "unknown-reference")
        .map(|f| (f.message.as_str(), f.help.as_str()))
        .collect();
    assert_eq!(
        unknown,
        [(
            "unknown client group `strategc`",
            "did you mean `strategic`?"
        )]
    );
    assert!(found.iter().any(|f| f.rule == "invalid-value"
        && f.file == "clients/acme/plan.md"
        && f.message == "goal `revenue` has a `target`, which only the firm's goals take"));
}

#[test]
fn a_service_compliance_target_counts_the_judged_items() {
    let dir = repo("");
    let root = dir.path();
    set_goal_target(
        root,
        "{ measure: service_compliance, clients: strategic, at_least: 75 }",
    );
    // The strategic tier promises a meeting a quarter. acme is on it from
    // 2025-12-01 and was met in Q2 (this note) and Q4 (the base note of
    // 2 November): Q1 and Q3 missed.
    common::edit(
        root,
        "charter.yaml",
        "        measure: A review every month\n",
        "        measure: A review every month\n      - what: A meeting every quarter\n        who: owner\n        measure: Meetings logged\n        target: { count: [meeting], per: quarter, at_least: 1, by: anyone }\n",
    );
    common::edit(
        root,
        "clients/acme/client.yaml",
        "  - date: 2026-10-01",
        "  - date: 2025-12-01",
    );
    std::fs::write(
        root.join("clients/acme/activities/2026-05-04-meeting.md"),
        "---\ndate: 2026-05-04\ntype: meeting\nby: ada\ntitle: Research review\nreported: 2026-05-05\n---\nThey want more on rates.\n",
    )
    .unwrap();
    let page = strategy_page(root);
    // Q1 0 of 1, Q2 1 of 1, Q3 0 of 1, Q4 1 of 1: 2 of 4 met in the year.
    let cells = "<td class=\"num cell-missed\">0%</td><td class=\"num cell-met\">100%</td><td class=\"num cell-missed\">0%</td><td class=\"num cell-met\">100%</td><td class=\"num cell-missed\">50%</td>";
    assert!(page.contains(cells), "{page}");
}
