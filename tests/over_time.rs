//! Quarterly series per client (depth and penetration over time): the
//! client page's "Over time" table and `exports/series.csv`, each figure
//! recomputed here from the fixture's own records.

mod common;

/// A note of acme's: day, type, by, attendees, contacts.
type Note = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const NOTES: [Note; 7] = [
    ("2025-02-03", "meeting", "ada", &[], &["Tom Pearce"]),
    ("2025-05-12", "call", "bob", &[], &[]),
    (
        "2025-05-20",
        "meeting",
        "ada",
        &["bob"],
        &["Tom Pearce", "Carl Dunn"],
    ),
    (
        "2026-04-14",
        "meeting",
        "ada",
        &["bob"],
        &["Tom Pearce", "Ann Lee"],
    ),
    ("2026-05-05", "call", "bob", &[], &["Ann Lee"]),
    ("2026-06-29", "event", "ada", &[], &["Tom Pearce"]),
    ("2026-06-30", "meeting", "bob", &[], &[]),
];

/// Captured rows: day, type, by.
const ROWS: [(&str, &str, &str); 3] = [
    ("2025-05-02", "email", "bob"),
    ("2026-05-06", "call", "ada"),
    ("2026-06-01", "email", "bob"),
];

/// Revenue lines of acme: day, product, amount, share.
const REVENUE: [(&str, &str, f64, f64); 6] = [
    ("2025-05-01", "research", 800.0, 100.0),
    ("2025-08-01", "execution", 300.0, 100.0),
    ("2025-11-01", "research", 200.0, 100.0),
    ("2026-04-10", "research", 1200.0, 100.0),
    ("2026-05-10", "fx", 400.0, 50.0),
    ("2026-05-10", "fx", 400.0, 50.0),
];

const WALLET: f64 = 20000.0;

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    common::append(
        root,
        "firm.yaml",
        "products: [research, execution, fx, prime-services]\n",
    );
    common::edit(
        root,
        "clients/acme/client.yaml",
        "domains:",
        &format!("wallet_size: {WALLET}\ndomains:"),
    );
    common::edit(
        root,
        "clients/acme/plan.md",
        "    email: tom.pearce@acme-am.com\n",
        "    email: tom.pearce@acme-am.com
    changes:
      - date: 2025-09-01
        from: neutral
  - name: Ann Lee
    stance: ally
    since: 2026-04-01
  - name: Carl Dunn
    stance: protester
    left: 2026-08-01
",
    );
    for (i, (day, kind, by, attendees, contacts)) in NOTES.iter().enumerate() {
        let mut text = format!("---\ndate: {day}\ntype: {kind}\nby: {by}\ntitle: Note {i}\n");
        if !attendees.is_empty() {
            text += &format!("attendees: [{}]\n", attendees.join(", "));
        }
        if !contacts.is_empty() {
            text += &format!("contacts: [{}]\n", contacts.join(", "));
        }
        text += "---\n\nWhat was said.\n";
        let path = root.join(format!("clients/acme/activities/{day}-{kind}.md"));
        std::fs::write(path, text).unwrap();
    }
    let rows: String = ROWS
        .iter()
        .map(|(day, kind, by)| format!("{day},{kind},{by},Logged,\n"))
        .collect();
    let table = std::fs::read_to_string(root.join("clients/acme/activities.csv")).unwrap();
    let (header, rest) = table.split_once('\n').unwrap();
    std::fs::write(
        root.join("clients/acme/activities.csv"),
        format!("{header}\n{rows}{rest}"),
    )
    .unwrap();
    let lines: String = REVENUE
        .iter()
        .enumerate()
        .map(|(i, (day, product, amount, share))| {
            format!(
                "{day},acme,{product},uk,{amount},ada,S{},{share}\n",
                i.min(4)
            )
        })
        .collect();
    common::append(root, "financials/revenue.csv", &lines);
    dir
}

/// Whether `day` is in calendar quarter `quarter` ("2026-Q2") of a fiscal
/// year starting in January.
fn in_quarter(day: &str, quarter: &str) -> bool {
    let (year, q) = quarter.split_once("-Q").unwrap();
    let month: u32 = day[5..7].parse().unwrap();
    day.starts_with(year) && (month - 1) / 3 + 1 == q.parse::<u32>().unwrap()
}

/// Every figure of acme's `quarter`, from the records above and the base
/// fixture's (its note of 2026-11-02 and its rows and revenue of 2026).
fn expected(quarter: &str) -> Vec<(&'static str, String)> {
    let notes: Vec<&Note> = NOTES.iter().filter(|n| in_quarter(n.0, quarter)).collect();
    let rows: Vec<_> = ROWS.iter().filter(|r| in_quarter(r.0, quarter)).collect();
    let of_type = |t: &str| {
        notes.iter().filter(|n| n.1 == t).count() + rows.iter().filter(|r| r.1 == t).count()
    };
    let meets = |t: &str| t == "meeting" || t == "call";
    let depth: usize = notes
        .iter()
        .filter(|n| meets(n.1))
        .map(|n| (1 + n.3.len()) * n.4.len().max(1))
        .sum::<usize>()
        + rows.iter().filter(|r| meets(r.1)).count();
    let mut contacts: Vec<&str> = notes.iter().flat_map(|n| n.4.iter().copied()).collect();
    contacts.sort();
    contacts.dedup();
    let mut colleagues: Vec<&str> = notes
        .iter()
        .flat_map(|n| std::iter::once(n.2).chain(n.3.iter().copied()))
        .chain(rows.iter().map(|r| r.2))
        .collect();
    colleagues.sort();
    colleagues.dedup();
    let revenue_in = |q: &str| -> f64 {
        REVENUE
            .iter()
            .filter(|r| in_quarter(r.0, q))
            .map(|r| r.2 * r.3 / 100.0)
            .sum()
    };
    let revenue = revenue_in(quarter);
    let mut products: Vec<&str> = REVENUE
        .iter()
        .filter(|r| in_quarter(r.0, quarter))
        .map(|r| r.1)
        .collect();
    products.sort();
    products.dedup();
    let year_earlier = revenue_in(&quarter.replace("2026", "2025"));
    let four: f64 = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
        .iter()
        .map(|q| revenue_in(q))
        .sum::<f64>()
        // The base fixture's revenue of March 2026: 1000, and 500 split
        // 60/40.
        + 1500.0;
    vec![
        ("interactions", (notes.len() + rows.len()).to_string()),
        ("meetings", of_type("meeting").to_string()),
        ("calls", of_type("call").to_string()),
        ("emails", of_type("email").to_string()),
        ("events", of_type("event").to_string()),
        ("contacts_reached", contacts.len().to_string()),
        ("colleagues_involved", colleagues.len().to_string()),
        ("depth", depth.to_string()),
        ("products", products.len().to_string()),
        // Tom Pearce (an ally since 2025-09) and Ann Lee (since April);
        // Carl Dunn, a protester, left in August.
        ("allies", "2".to_string()),
        ("opponents", "1".to_string()),
        ("revenue", format!("{revenue:.2}")),
        ("revenue_year_earlier", format!("{year_earlier:.2}")),
        (
            "revenue_growth_percent",
            format!("{:.2}", (revenue - year_earlier) / year_earlier * 100.0),
        ),
        (
            "product_penetration_percent",
            format!("{:.2}", products.len() as f64 / 4.0 * 100.0),
        ),
        (
            "wallet_share_percent",
            format!("{:.2}", four / WALLET * 100.0),
        ),
    ]
}

#[test]
fn a_quarter_of_the_series_matches_the_files_on_the_page_and_in_the_export() {
    let dir = firm();
    let (_, found) = common::check_json(dir.path());
    let inputs: Vec<_> = found
        .iter()
        .filter(|f| f.rule.starts_with("invalid") || f.rule.starts_with("unknown"))
        .collect();
    assert!(
        inputs.is_empty(),
        "`since` and `products` are read: {inputs:?}"
    );
    let site = common::build_site(dir.path());
    let want = expected("2026-Q2");
    // Worked by hand as well, so that the recomputation cannot drift
    // with the code: two meetings, a noted call and a logged one.
    assert_eq!(
        want[7],
        ("depth", "7".to_string()),
        "(1+1)x2 + 1x1 + 1x(none named) + 1 logged"
    );
    assert_eq!(want[11], ("revenue", "1600.00".to_string()));

    let csv = std::fs::read_to_string(site.join("exports/series.csv")).unwrap();
    assert!(csv.starts_with("client,quarter,measure,value\n"));
    for (measure, value) in &want {
        let row = format!("acme,2026-Q2,{measure},{value}\n");
        assert!(csv.contains(&row), "{row} missing from:\n{csv}");
    }
    let quarters: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("acme,") && l.contains(",interactions,"))
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        quarters,
        ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"],
        "every quarter from the first record to today's"
    );
    // Bolt has no wallet: no wallet share, rather than 0%.
    assert!(!csv.contains("bolt,2026-Q2,wallet_share_percent"));

    let page = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    let section = &page[page
        .find(r#"id="over-time""#)
        .expect("an Over time section")..];
    let row = section
        .split("<tr>")
        .find(|r| r.starts_with("<td>2026-Q2<"))
        .expect("a row for 2026-Q2");
    let cells = common::cells(row);
    let get = |m: &str| want.iter().find(|(k, _)| *k == m).unwrap().1.clone();
    let whole = |m: &str| get(m).parse::<f64>().unwrap();
    assert_eq!(
        cells,
        [
            "2026-Q2".to_string(),
            get("interactions"),
            (whole("meetings") + whole("calls")).to_string(),
            get("contacts_reached"),
            get("colleagues_involved"),
            get("depth"),
            get("products"),
            format!("{:.0}%", whole("product_penetration_percent")),
            "£1,600".to_string(),
            format!("{:+.1}%", whole("revenue_growth_percent")),
            format!("{:.0}%", whole("wallet_share_percent")),
            get("allies"),
            get("opponents"),
            "–".to_string(),
        ]
    );
    assert!(
        section.contains("<svg"),
        "depth and penetration are charted"
    );
}

#[test]
fn without_a_year_earlier_there_is_no_growth_and_the_quarter_in_progress_is_labelled() {
    let dir = firm();
    let site = common::build_site(dir.path());
    let csv = std::fs::read_to_string(site.join("exports/series.csv")).unwrap();
    assert!(!csv.contains("acme,2025-Q2,revenue_growth_percent"));
    let page = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    assert!(
        page.contains("<td>2026-Q4 (to date)</td>"),
        "the quarter in progress"
    );
    // Its revenue to date (none since October) is compared with the same
    // days a year earlier (the research line of 1 November 2025), not
    // with the whole quarter.
    assert!(
        csv.contains("acme,2026-Q4,revenue_year_earlier,200.00\n"),
        "{csv}"
    );
}

#[test]
fn a_revenue_line_for_a_product_the_firm_does_not_list_is_located() {
    let dir = firm();
    let root = dir.path();
    common::append(
        root,
        "financials/revenue.csv",
        "2026-09-01,acme,reseach,uk,100,ada,S9,100\n",
    );
    let lines = std::fs::read_to_string(root.join("financials/revenue.csv")).unwrap();
    let line = lines.lines().count() as u64;
    let (code, found) = common::check_json(root);
    assert_eq!(code, 1);
    let product: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "unknown-reference" && f.file == "financials/revenue.csv")
        .collect();
    assert_eq!(product.len(), 1, "{found:?}");
    assert_eq!(
        (
            product[0].line,
            product[0].column,
            product[0].message.as_str()
        ),
        (line, 17, "unknown product `reseach`")
    );
    assert!(
        product[0].help.contains("did you mean `research`?"),
        "{:?}",
        product[0]
    );
}

#[test]
fn a_wallet_history_gives_each_quarter_its_own_wallet() {
    let dir = firm();
    let root = dir.path();
    common::edit(
        root,
        "clients/acme/client.yaml",
        &format!("wallet_size: {WALLET}\n"),
        "wallet:\n  - date: 2025-06-30\n    amount: 10000\n    source: client survey\n  - date: 2026-03-31\n    amount: 20000\n",
    );
    let site = common::build_site(root);
    let csv = std::fs::read_to_string(site.join("exports/series.csv")).unwrap();
    // No estimate before 30 June 2025: no wallet, no share.
    assert!(!csv.contains("acme,2025-Q1,wallet"), "{csv}");
    assert!(csv.contains("acme,2025-Q2,wallet,10000.00\n"), "{csv}");
    assert!(csv.contains("acme,2026-Q2,wallet,20000.00\n"), "{csv}");
    // 2025's four quarters brought 800 + 300 + 200 against 10,000.
    let share = (800.0 + 300.0 + 200.0) / 10000.0 * 100.0;
    assert!(
        csv.contains(&format!("acme,2025-Q4,wallet_share_percent,{share:.2}\n")),
        "{csv}"
    );
    let page = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    assert!(
        page.contains("estimated wallet £20,000 (31 Mar 2026)"),
        "the latest estimate is the wallet now"
    );

    // Beside wallet_size it is one wallet too many.
    common::append(root, "clients/acme/client.yaml", "wallet_size: 5000\n");
    let (code, found) = common::check_json(root);
    assert_eq!(code, 2);
    assert!(
        found.iter().any(|f| f.rule == "invalid-value"
            && f.file == "clients/acme/client.yaml"
            && f.message == "`wallet_size` and `wallet` both give the wallet"),
        "{found:?}"
    );
}
