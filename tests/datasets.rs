//! Third-party data: datasets declared in firm.yaml, rows in
//! `clients/<id>/data/` and the firm-wide `financials/market/`, shown on
//! the client page and compared across clients on the dataset's page;
//! every problem located; a restricted client's rows never in a wide
//! build. Figures are recomputed here from the CSV the test writes.

mod common;

use common::{append, build_site, cells, check_json, edit, text};
use std::path::Path;

const DATASETS: &str = "datasets:
  - id: survey
    name: Client survey
    source: Research house
    columns:
      - {id: score, name: Overall score, unit: count}
      - {id: rank, unit: count, chart: bar}
      - {id: comment, unit: text}
  - id: market-share
    name: Market share
    columns:
      - {id: share, name: Our share, unit: percent, kpi: market-share}
  - id: fund-flows
    name: Fund flows
    label: fund
    columns:
      - {id: fund, unit: text}
      - {id: aum, name: Assets, unit: money}
";

const ACME_SURVEY: &str = "date,score,rank,comment\n2025-06-30,6.5,4,slow research\n2026-06-30,7.5,3,\n2025-12-31,7,\"3\",better\n";
const BOLT_SURVEY: &str = "date,score,rank,comment\n2026-03-31,5,6,\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The base firm with the three datasets: acme and bolt surveyed, a
/// vendor's market share for both, acme's two funds.
fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    append(root, "firm.yaml", DATASETS);
    write(root, "clients/acme/data/survey.csv", ACME_SURVEY);
    write(root, "clients/bolt/data/survey.csv", BOLT_SURVEY);
    write(
        root,
        "financials/market/market-share.csv",
        "client,date,share\nacme,2026-03-31,12.5%\nacme,2026-06-30,14\nbolt,2026-06-30,3.5\n",
    );
    write(
        root,
        "clients/acme/data/fund-flows.csv",
        "date,fund,aum\n2026-06-30,Acme Growth,1000000\n2026-06-30,Acme Income,250000\n2026-09-30,Acme Growth,1100000\n",
    );
    dir
}

/// The latest row of a survey file by date, as the test reads it.
fn latest_score(csv: &str) -> f64 {
    let mut rows: Vec<(&str, f64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0], cells[1].parse().unwrap())
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    rows.last().unwrap().1
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).expect("the section");
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[test]
fn the_demo_passes_and_the_fixture_is_clean() {
    let dir = firm();
    let (code, found) = check_json(dir.path());
    let bad: Vec<_> = found
        .iter()
        .filter(|f| f.file.contains("data/") || f.file.contains("market"))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(code, 0, "{found:#?}");
}

#[test]
fn the_client_page_shows_each_dataset_newest_first_with_its_charts() {
    let dir = firm();
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    let data = section(&html, "data");
    // Survey, market share and fund flows, in firm.yaml's order.
    let names: Vec<usize> = ["Client survey", "Market share", "Fund flows"]
        .iter()
        .map(|n| data.find(&format!(">{n}</a></h3>")).expect(n))
        .collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    assert!(data.contains("Source: Research house"));
    // Score and rank are charted (line, bar); the comment is text.
    assert!(data.contains("aria-label=\"Client survey: Overall score\""));
    assert!(data.contains("aria-label=\"Client survey: rank\""));
    assert!(!data.contains("Client survey: comment"));
    // The market share is drawn by the over-time chart, not twice.
    assert!(!data.contains("aria-label=\"Market share: Our share\""));
    assert!(section(&html, "over-time").contains(">Market share</text>"));
    let survey = &data[data.find(">Client survey<").unwrap()..data.find(">Market share<").unwrap()];
    let rows: Vec<Vec<String>> = survey.split("<tr>").skip(2).map(cells).collect();
    assert_eq!(
        rows,
        vec![
            vec!["30 Jun 2026", "7.5", "3", "–"],
            vec!["31 Dec 2025", "7", "3", "better"],
            vec!["30 Jun 2025", "6.5", "4", "slow research"],
        ]
    );
    // The vendor's percentages, with or without a sign, are one unit.
    let market = &data[data.find(">Market share<").unwrap()..data.find(">Fund flows<").unwrap()];
    assert!(
        market.contains("<td>14%</td>") && market.contains("<td>12.5%</td>"),
        "{market}"
    );
    let funds = &data[data.find(">Fund flows<").unwrap()..];
    assert!(
        funds.contains("<td>Acme Income</td><td>£250,000</td>"),
        "{funds}"
    );
}

#[test]
fn the_dataset_page_compares_the_latest_figures_by_tier_and_client() {
    let dir = firm();
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("data/survey.html")).unwrap();
    let page = text(&html);
    assert!(page.contains("Clients with data 2"), "{page}");
    assert!(page.contains("Rows 4"), "{page}");
    // acme is strategic, bolt on no tier: each group's figure is its
    // client's latest score.
    let acme = latest_score(ACME_SURVEY);
    let bolt = latest_score(BOLT_SURVEY);
    let figure = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let tier_row = |name: &str| {
        let at = html
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .expect(name);
        let row = &html[at..];
        cells(&row[..row.find("</tr>").unwrap()])
    };
    assert_eq!(
        tier_row("Strategic"),
        vec![
            "1",
            &figure(acme),
            &figure(acme),
            &figure(acme),
            &figure(acme)
        ]
    );
    assert_eq!(
        tier_row("Not on the list"),
        vec![
            "1",
            &figure(bolt),
            &figure(bolt),
            &figure(bolt),
            &figure(bolt)
        ]
    );
    let mean = (acme + bolt) / 2.0;
    let all = tier_row("All clients");
    assert_eq!(all[0], "2");
    assert_eq!(all[1], figure(mean));
    assert_eq!(all[3], figure(acme.min(bolt)));
    assert_eq!(all[4], figure(acme.max(bolt)));
    // Clients, highest first, with the change from the figure before.
    let clients = &html[html.find(">Clients</h3>").unwrap()..];
    let first = clients.find("Acme Asset Management").unwrap();
    assert!(first < clients.find("Bolt Capital").unwrap());
    assert!(
        text(clients).contains("30 Jun 2026 7.5 7 +7.1%"),
        "{}",
        text(clients)
    );
    // The index lists every dataset.
    let index = std::fs::read_to_string(site.join("data.html")).unwrap();
    for name in ["Client survey", "Market share", "Fund flows"] {
        assert!(index.contains(name), "{name}");
    }
}

#[test]
fn a_day_of_several_labelled_rows_counts_their_sum() {
    let dir = firm();
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("data/fund-flows.html")).unwrap();
    let clients = text(&html[html.find(">Clients</h3>").unwrap()..]);
    // 30 Sep: one fund of 1,100,000; 30 Jun: two funds, 1,250,000.
    assert!(
        clients
            .contains("Acme Asset Management Strategic 30 Sep 2026 £1,100,000 £1,250,000 -12.0%"),
        "{clients}"
    );
}

#[test]
fn market_share_is_a_kpi_of_the_quarters() {
    let dir = firm();
    let site = build_site(dir.path());
    let html = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    let over_time = section(&html, "over-time");
    assert!(over_time.contains(">Market share</th>"));
    // 2026-Q2 ends 30 June: 14% then; 2026-Q1 ends 31 March: 12.5%.
    let row = |q: &str| {
        let at = over_time.find(&format!("<td>{q}</td>")).expect(q);
        cells(&over_time[at..at + over_time[at..].find("</tr>").unwrap()])
    };
    assert!(
        row("2026-Q2").contains(&String::from("14.0%")),
        "{:?}",
        row("2026-Q2")
    );
    assert!(
        row("2026-Q1").contains(&String::from("12.5%")),
        "{:?}",
        row("2026-Q1")
    );
    let series = std::fs::read_to_string(site.join("exports/series.csv")).unwrap();
    assert!(
        series.contains("acme,2026-Q2,market_share_percent,14.00\n"),
        "{series}"
    );
    assert!(
        series.contains("bolt,2026-Q3,market_share_percent,3.50\n"),
        "{series}"
    );
}

#[test]
fn problems_in_data_files_are_located() {
    let dir = firm();
    let root = dir.path();
    write(
        root,
        "clients/acme/data/survey.csv",
        "date,score,rank,comment\n2026-06-30,high,3,\n2026-07-31,7,2,\n",
    );
    write(root, "clients/bolt/data/surveys.csv", "date,score\n");
    write(
        root,
        "clients/bolt/data/market-share.csv",
        "date,shares\n2026-06-30,3\n",
    );
    write(
        root,
        "financials/market/market-share.csv",
        "client,date,share\nacme,2026-03-31,12.5\nacmee,2026-06-30,14\n",
    );
    let (code, found) = check_json(root);
    // Input that cannot be used.
    assert_eq!(code, 2);
    let find = |file: &str, rule: &str| {
        found
            .iter()
            .find(|f| f.file == file && f.rule == rule)
            .unwrap_or_else(|| panic!("{rule} in {file}: {found:#?}"))
    };
    let cell = find("clients/acme/data/survey.csv", "wrong-type");
    assert_eq!((cell.line, cell.column), (2, 12));
    assert!(cell.message.contains("`high` is not a number"));
    let unknown = find("clients/bolt/data/surveys.csv", "unknown-file");
    assert_eq!(unknown.severity, "warning");
    assert!(
        unknown.help.contains("did you mean `survey.csv`?"),
        "{}",
        unknown.help
    );
    let column = find("clients/bolt/data/market-share.csv", "unknown-field");
    assert!(
        column.help.contains("did you mean `share`?"),
        "{}",
        column.help
    );
    find("clients/bolt/data/market-share.csv", "missing-field");
    let client = find("financials/market/market-share.csv", "unknown-reference");
    assert_eq!(client.line, 3);
    assert!(client.help.contains("acme"), "{}", client.help);
    // The good row of the broken survey is still read.
    let site = {
        let out = common::build(root, &root.join("public"), &["--allow-errors"]);
        assert_eq!(out.status.code(), Some(0));
        root.join("public")
    };
    let html = std::fs::read_to_string(site.join("clients/acme.html")).unwrap();
    assert!(section(&html, "data").contains("31 Jul 2026"));
}

#[test]
fn a_declaration_that_cannot_be_used_is_located_in_firm_yaml() {
    let dir = common::repo("");
    let root = dir.path();
    append(
        root,
        "firm.yaml",
        "datasets:\n  - id: Flows\n    name: Flows\n    columns: [{id: x, unit: count}]\n  - id: share\n    name: Share\n    label: peer\n    columns: [{id: peer, unit: count}, {id: v, unit: money, kpi: market-share}]\n",
    );
    write(root, "clients/acme/data/share.csv", "date,peer,v\n");
    let (code, found) = check_json(root);
    // Input that cannot be used.
    assert_eq!(code, 2);
    let in_firm: Vec<_> = found.iter().filter(|f| f.file == "firm.yaml").collect();
    let id = in_firm
        .iter()
        .find(|f| f.rule == "invalid-id")
        .expect("the id");
    assert_eq!((id.line, id.column), (7, 9));
    assert!(in_firm
        .iter()
        .any(|f| f.message.contains("label `peer` is not a text column")));
    assert!(in_firm.iter().any(|f| f
        .message
        .contains("is the market share but its unit is `money`")));
    // The dataset left out, its file is not known.
    assert!(found
        .iter()
        .any(|f| f.file == "clients/acme/data/share.csv" && f.rule == "unknown-file"));
}

#[test]
fn a_restricted_clients_rows_never_reach_a_wide_build() {
    let dir = firm();
    let root = dir.path();
    append(root, "clients/bolt/client.yaml", "restricted: true\n");
    // A broken row of the restricted client's in the vendor file, too.
    edit(
        root,
        "financials/market/market-share.csv",
        "bolt,2026-06-30,3.5\n",
        "bolt,2026-06-30,3.5\nbolt,2026-09-30,lots\n",
    );
    let out = common::build(
        root,
        &root.join("wide"),
        &["--audience", "wide", "--allow-errors"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (entry, bytes) in common::snapshot(&root.join("wide")) {
        let body = String::from_utf8_lossy(&bytes);
        let leaks = ["Bolt Capital", "bolt,", "\"bolt\""];
        assert!(
            !leaks.iter().any(|l| body.contains(l)),
            "{}",
            entry.display()
        );
        assert!(!body.contains("lots"), "{}", entry.display());
    }
    let html = std::fs::read_to_string(root.join("wide/data/market-share.html")).unwrap();
    assert!(text(&html).contains("Clients with data 1"));
}

#[test]
fn the_firm_schema_describes_datasets() {
    let schema = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/firm.schema.json"),
    )
    .unwrap();
    for word in [
        "\"datasets\"",
        "\"market-share\"",
        "\"percent\"",
        "\"label\"",
    ] {
        assert!(schema.contains(word), "{word}");
    }
}
