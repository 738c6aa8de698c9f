//! Client KPIs from the revenue lines (seed 002: "volume and order size
//! ... pricing changes"): optional `quantity` and `price` columns give
//! volume, orders, order size and average price per product and quarter,
//! on the client page, in `exports/trades.csv`, and per tier on
//! `kpis.html`. Every figure is recomputed here from the lines written.

mod common;

use common::{build_site, cells, check_json, text};

/// acme's execution lines: day, amount, txn, share, quantity, price.
/// T7 is split 60/40 and counts as one order; T5 gives only a price.
const LINES: [(&str, f64, &str, f64, &str, &str); 6] = [
    ("2026-04-10", 600.0, "T3", 100.0, "300", ""),
    ("2026-05-12", 400.0, "T4", 100.0, "100", "4"),
    ("2026-07-01", 900.0, "T7", 60.0, "500", ""),
    ("2026-07-01", 900.0, "T7", 40.0, "500", ""),
    ("2026-08-20", 300.0, "T5", 100.0, "", "3"),
    ("2026-09-03", 50.0, "T6", 100.0, "20", ""),
];

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    let path = root.join("financials/revenue.csv");
    let mut csv =
        String::from("date,client,product,region,amount,credited_to,txn_id,share,quantity,price\n");
    for line in std::fs::read_to_string(&path).unwrap().lines().skip(1) {
        csv.push_str(&format!("{line},,\n"));
    }
    for (day, amount, txn, share, quantity, price) in LINES {
        csv.push_str(&format!(
            "{day},acme,execution,uk,{amount},ada,{txn},{share},{quantity},{price}\n"
        ));
    }
    std::fs::write(path, csv).unwrap();
    dir
}

/// (volume, orders, amount) of acme's execution lines with units in the
/// months `from..=to` of 2026, as the README defines them.
fn quarter(from: u32, to: u32) -> (f64, f64, f64) {
    let mut sums = (0.0, 0.0, 0.0);
    for (day, amount, _, share, quantity, price) in LINES {
        let month: u32 = day[5..7].parse().unwrap();
        if month < from || month > to {
            continue;
        }
        let units = match (quantity.parse::<f64>(), price.parse::<f64>()) {
            (Ok(q), _) => q,
            (_, Ok(p)) => amount / p,
            _ => continue,
        };
        sums.0 += units * share / 100.0;
        sums.1 += share / 100.0;
        sums.2 += amount * share / 100.0;
    }
    sums
}

#[test]
fn the_client_page_shows_volume_order_size_and_price_per_quarter() {
    let dir = firm();
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 0, "{found:#?}");
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    let at = html.find("id=\"trades\"").expect("the trades table");
    let table = &html[at..at + html[at..].find("</table>").unwrap()];
    let rows: Vec<Vec<String>> = table.split("<tr>").skip(2).map(cells).collect();
    let (v2, o2, a2) = quarter(4, 6);
    let (v3, o3, a3) = quarter(7, 9);
    let (p2, p3) = (a2 / v2, a3 / v3);
    let thousands = |v: f64| {
        let n = v.round() as i64;
        if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    };
    assert_eq!(
        rows[0],
        vec![
            String::from("2026-Q3"),
            String::from("execution"),
            thousands(v3),
            format!("{o3}"),
            thousands(v3 / o3),
            format!("£{p3:.2}"),
            format!("{:+.1}%", (p3 / p2 - 1.0) * 100.0),
        ]
    );
    assert_eq!(rows[1][0], "2026-Q2");
    assert_eq!(rows[1][2], thousands(v2));
    assert_eq!(rows[1][3], format!("{o2}"));
    assert_eq!(rows[1][6], "–", "no quarter before with units");
    // The March lines give no units: no row for 2026-Q1.
    assert_eq!(rows.len(), 2);
    let trades = std::fs::read_to_string(site.join("exports/trades.csv")).unwrap();
    assert!(
        trades.contains(&format!(
            "acme,2026-Q3,execution,{v3:.2},{o3:.2},{p3:.2},{:.2}\n",
            (p3 / p2 - 1.0) * 100.0
        )),
        "{trades}"
    );
}

#[test]
fn kpis_compare_the_tiers_with_their_trend() {
    let dir = firm();
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("kpis.html")).unwrap();
    let page = text(&html);
    // 2026-Q4 is in progress on 22 November: Q3 against Q2.
    assert!(page.contains("By tier, 2026-Q3"), "{page}");
    let (v2, o2, a2) = quarter(4, 6);
    let (v3, o3, a3) = quarter(7, 9);
    let at = html
        .find("Volume and price: execution")
        .expect("the product's section");
    let section = text(&html[at..at + html[at..].find("</section>").unwrap()]);
    let volume_change = (v3 / v2 - 1.0) * 100.0;
    let price_change = (a3 / v3) / (a2 / v2) * 100.0 - 100.0;
    let expected = format!(
        "Strategic 1 {} ▲ {volume_change:+.1}% {o3}",
        (v3.round() as i64)
    );
    assert!(section.contains(&expected), "{expected} in {section}");
    assert!(
        section.contains(&format!("{price_change:+.1}%")),
        "{section}"
    );
    // Orders per tier: acme's Q3 transactions with units, against Q2's.
    let tier = &html[html.find("aria-label=\"KPIs by tier\"").unwrap()..];
    let row = &tier[tier.find("<tbody>").unwrap()..];
    let strategic = text(&row[..row.find("</tr>").unwrap()]);
    assert!(
        strategic.contains(&format!("{o3} ▲ {:+.1}%", (o3 / o2 - 1.0) * 100.0)),
        "{strategic}"
    );
}

#[test]
fn a_price_or_quantity_that_cannot_be_is_located() {
    let dir = firm();
    let root = dir.path();
    common::edit(
        root,
        "financials/revenue.csv",
        "T4,100,100,4",
        "T4,100,100,0",
    );
    common::edit(root, "financials/revenue.csv", "T3,100,300,", "T3,100,-3,");
    let (code, found) = check_json(root);
    assert_eq!(code, 2);
    let bad: Vec<_> = found
        .iter()
        .filter(|f| f.file == "financials/revenue.csv" && f.rule == "invalid-value")
        .collect();
    assert_eq!(bad.len(), 2, "{found:#?}");
    assert!(bad
        .iter()
        .any(|f| f.message.contains("`price` is 0") && f.line == 6));
    assert!(bad
        .iter()
        .any(|f| f.message.contains("`quantity` is -3") && f.line == 5));
}

#[test]
fn the_client_page_lists_the_last_four_quarters_and_the_export_all() {
    let dir = firm();
    common::append(
        dir.path(),
        "financials/revenue.csv",
        "2025-05-05,acme,execution,uk,100,ada,T9,100,10,\n",
    );
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    let at = html.find("id=\"trades\"").expect("the trades table");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    assert!(!section.contains("<td>2025-Q2</td>"), "{section}");
    assert!(section.contains("exports/trades.csv</a> has every quarter"));
    let trades = std::fs::read_to_string(site.join("exports/trades.csv")).unwrap();
    assert!(
        trades.contains("acme,2025-Q2,execution,10.00,1.00,10.00,\n"),
        "{trades}"
    );
}
