//! Outliers for discussion: a client's last finished quarter against the
//! average of its four quarters before (those the data covers), and its
//! revenue against the quarter's budget, with firm.yaml's thresholds. The
//! expected figures are worked out here from the rows this test writes.

mod common;

use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// Today is 2026-11-22, so the last finished quarter is 2026-Q3 and the
/// four before it run from 2025-Q3 to 2026-Q2.
const QUARTERS: [&str; 5] = [
    "2025-08-15",
    "2025-11-14",
    "2026-02-13",
    "2026-05-15",
    "2026-08-14",
];

/// acme: 100,000 a quarter, then 40,000; bolt: 100,000, then 120,000.
const ACME: [f64; 5] = [100_000.0, 100_000.0, 100_000.0, 100_000.0, 40_000.0];
const BOLT: [f64; 5] = [100_000.0, 100_000.0, 100_000.0, 100_000.0, 120_000.0];

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    let mut revenue = String::from("date,client,product,region,amount,credited_to,txn_id,share\n");
    for (q, day) in QUARTERS.iter().enumerate() {
        for (client, amounts) in [("acme", ACME), ("bolt", BOLT)] {
            revenue.push_str(&format!(
                "{day},{client},research,uk,{},ada,T-{client}-{q},100\n",
                amounts[q]
            ));
        }
    }
    write(root, "financials/revenue.csv", &revenue);
    write(
        root,
        "financials/budget.csv",
        "client,period,amount\nacme,2026-Q3,100000\nbolt,2026-Q3,150000\n",
    );
    // bolt's captured rows start the firm's interactions in 2026-Q1: one
    // in Q1, one in Q2, six in Q3. acme's notes and rows are all in Q4.
    let mut rows = String::from("date,type,by,summary,outcome\n");
    for day in ["2026-01-12", "2026-04-13"]
        .into_iter()
        .chain(std::iter::repeat_n("2026-08-03", 6))
    {
        rows.push_str(&format!("{day},email,bob,Research note,\n"));
    }
    write(root, "clients/bolt/activities.csv", &rows);
    dir
}

fn outliers_csv(root: &Path) -> String {
    let site = common::build_site(root);
    std::fs::read_to_string(site.join("exports/outliers.csv")).unwrap()
}

fn percent(value: f64, reference: f64) -> String {
    format!("{:.1}", (value - reference) / reference * 100.0)
}

#[test]
fn the_last_quarter_is_judged_against_its_trend_and_its_budget() {
    let dir = firm();
    let acme_trend = ACME[..4].iter().sum::<f64>() / 4.0;
    // Interactions: only 2026-Q1 and Q2 are covered, so bolt's trend is
    // one a quarter, and six is +500%.
    let bolt_trend = (1.0 + 1.0) / 2.0;
    let expected = format!(
        "quarter,client,name,measure,value,reference,change_percent
2026-Q3,bolt,Bolt Capital,interactions,6,1,{}
2026-Q3,acme,Acme Asset Management,revenue,40000,100000,{}
2026-Q3,acme,Acme Asset Management,budget,40000,100000,{}
",
        percent(6.0, bolt_trend),
        percent(ACME[4], acme_trend),
        percent(ACME[4], 100_000.0),
    );
    // bolt's revenue (+20% on its trend, -20% against its budget) stays
    // under both thresholds.
    assert_eq!(outliers_csv(dir.path()), expected);
}

#[test]
fn firm_yaml_sets_the_thresholds() {
    let dir = firm();
    let root = dir.path();
    common::append(
        root,
        "firm.yaml",
        "outliers:\n  change_percent: 70\n  budget_percent: 15\n  min_interactions: 6\n",
    );
    // -60% on the trend is now under 70%; bolt's -20% against its budget
    // is over 15%; bolt's five more interactions are under six.
    let csv = outliers_csv(root);
    let measures: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[1], cells[3])
        })
        .collect();
    assert_eq!(measures, [("acme", "budget"), ("bolt", "budget")]);
}

#[test]
fn the_dashboard_lists_them_with_the_method() {
    let dir = firm();
    let root = dir.path();
    outliers_csv(root);
    let page = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    let section = &page[page.find("id=\"outliers\"").expect("an outliers section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("Each client&#39;s last finished quarter, 2026-Q3, against the average of its four quarters before"), "{section}");
    assert!(
        section.contains("moves under £10,000, 3 interactions or a depth of 3 are left out"),
        "{section}"
    );
    assert!(
        section.contains(
            "revenue £40,000 in 2026-Q3, -60.0% on the average of the four quarters before (£100,000)"
        ),
        "{section}"
    );
    assert!(section.contains("revenue £40,000 in 2026-Q3, -60.0% against its budget (£100,000)"));
    assert!(
        section.contains(
            "6 interactions in 2026-Q3, +500.0% on the average of the four quarters before (1.0)"
        ),
        "{section}"
    );
}

#[test]
fn a_quarter_of_much_deeper_contact_is_flagged_on_its_depth() {
    let dir = firm();
    let root = dir.path();
    // One meeting with one contact in 2026-Q1 and Q2 (depth 1 each), then
    // two colleagues meeting three of acme's people in Q3: 2 x 3 = 6. One
    // interaction each quarter, so interactions do not move.
    for (day, attendees, contacts) in [
        ("2026-02-10", "[]", "[Tom Pearce]"),
        ("2026-05-12", "[]", "[Tom Pearce]"),
        ("2026-08-11", "[bob]", "[Tom Pearce, Ann Lee, Carl Dunn]"),
    ] {
        write(
            root,
            &format!("clients/acme/activities/{day}-meeting.md"),
            &format!("---\ndate: {day}\ntype: meeting\nby: ada\ntitle: Review\nattendees: {attendees}\ncontacts: {contacts}\nreported: {day}\n---\n\nMet.\n"),
        );
    }
    let csv = outliers_csv(root);
    let trend = (1.0 + 1.0) / 2.0;
    let row = format!(
        "2026-Q3,acme,Acme Asset Management,depth,6,1,{}\n",
        percent(6.0, trend)
    );
    assert!(csv.contains(&row), "{row} missing:\n{csv}");
    assert!(
        !csv.contains("acme,Acme Asset Management,interactions"),
        "{csv}"
    );
    let page = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(
        page.contains("depth 6 colleague–contact meetings in 2026-Q3, +500.0% on the average of the four quarters before (1.0)"),
        "the dashboard says which figure moved"
    );
}

#[test]
fn a_negative_threshold_is_refused() {
    let dir = common::repo("");
    let root = dir.path();
    common::append(root, "firm.yaml", "outliers: { budget_percent: -5 }\n");
    let (code, found) = common::check_json(root);
    assert_eq!(code, 2);
    assert!(
        found
            .iter()
            .any(|f| f.rule == "invalid-value" && f.file == "firm.yaml" && f.line == 6),
        "{found:#?}"
    );
}
