//! The service charter measured (#17): targets in charter.yaml, judged per
//! client, item and period; the lights, the charter page, the people pages,
//! `exports/service-levels.csv` and the `service-target` rule.
//!
//! The fixture (`tests/fixtures/rules/service-target/`) puts `acme` on the strategic
//! tier from 2026-04-01 with five measured items and one unmeasured, and
//! `bolt` on the untiered level, whose one item asks for a call a month.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{build, check_json, repo, TODAY};

/// One row of `exports/service-levels.csv`.
#[derive(Debug, PartialEq)]
struct Row {
    client: String,
    tier: String,
    item: String,
    period: String,
    required: u32,
    actual: u32,
    status: String,
}

fn export(site: &Path) -> Vec<Row> {
    let mut reader =
        csv::Reader::from_path(site.join("exports/service-levels.csv")).expect("the export");
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        ["client", "tier", "item", "period", "required", "actual", "status"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            Row {
                client: r[0].to_string(),
                tier: r[1].to_string(),
                item: r[2].to_string(),
                period: r[3].to_string(),
                required: r[4].parse().expect("required"),
                actual: r[5].parse().expect("actual"),
                status: r[6].to_string(),
            }
        })
        .collect()
}

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = repo("rules/service-target");
    let out = tempfile::tempdir().expect("out");
    let site = out.path().join("site");
    // The late call report is an error of `call-report`: build anyway.
    let done = build(dir.path(), &site, &["--allow-errors"]);
    assert!(
        done.status.code() == Some(1) || done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    (dir, out)
}

/// `key: value` lines of a note's front matter.
fn front_matter(text: &str) -> BTreeMap<String, String> {
    text.split("---")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

#[test]
fn owner_meetings_per_quarter_are_counted_from_the_notes() {
    let (dir, out) = built();
    // Independently: every meeting note of acme held or attended by its
    // owner (ada), by fiscal quarter (the year starts in January). Rows in
    // activities.csv count too, but acme's are an email and a transaction.
    let mut counted: BTreeMap<u32, u32> = BTreeMap::new();
    let notes = dir.path().join("clients/acme/activities");
    for entry in std::fs::read_dir(notes).expect("notes") {
        let fm =
            front_matter(&std::fs::read_to_string(entry.expect("entry").path()).expect("note"));
        let with_ada = fm["by"] == "ada" || fm["attendees"].contains("ada");
        if fm["type"] == "meeting" && with_ada && fm["date"].as_str() <= TODAY {
            let month: u32 = fm["date"][5..7].parse().expect("month");
            *counted.entry((month - 1) / 3 + 1).or_default() += 1;
        }
    }
    let rows: Vec<Row> = export(&out.path().join("site"))
        .into_iter()
        .filter(|r| r.client == "acme" && r.item == "Owner meets the client twice a quarter")
        .collect();
    // Acme joined the tier on 1 April: Q1 is not judged.
    let periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
    assert_eq!(periods, ["FY2026-Q2", "FY2026-Q3", "FY2026-Q4"]);
    for r in &rows {
        let q: u32 = r.period[8..].parse().expect("quarter");
        let actual = counted.get(&q).copied().unwrap_or(0);
        let status = match (actual >= 2, q < 4) {
            (true, _) => "met",
            (false, true) => "missed",
            (false, false) => "in-progress",
        };
        assert_eq!(
            (r.required, r.actual, r.status.as_str(), r.tier.as_str()),
            (2, actual, status, "strategic"),
            "{r:?}"
        );
    }
    assert_eq!(
        counted.get(&3),
        None,
        "the fixture has Q3 without the owner"
    );
}

#[test]
fn every_kind_of_target_is_judged() {
    let (_dir, out) = built();
    let rows = export(&out.path().join("site"));
    let find = |client: &str, item: &str, period: &str| {
        rows.iter()
            .find(|r| r.client == client && r.item == item && r.period == period)
            .map(|r| (r.required, r.actual, r.status.as_str()))
            .unwrap_or_else(|| panic!("no row {client} {item} {period}"))
    };
    // From 1 April: 9, 40, 36 and 5 days; then 50 days from 25 June to
    // 14 August; then 80 days to 2 November, already missed in Q4.
    assert_eq!(
        find("acme", "Regular contact", "FY2026-Q2"),
        (45, 40, "met")
    );
    assert_eq!(
        find("acme", "Regular contact", "FY2026-Q3"),
        (45, 50, "missed")
    );
    assert_eq!(
        find("acme", "Regular contact", "FY2026-Q4"),
        (45, 80, "missed")
    );
    // The August meeting was written up 6 days later.
    assert_eq!(find("acme", "Call reports", "FY2026-Q2"), (3, 3, "met"));
    assert_eq!(find("acme", "Call reports", "FY2026-Q3"), (1, 0, "missed"));
    // Monthly reviews: none in August.
    assert_eq!(find("acme", "Monthly review", "2026-07"), (1, 1, "met"));
    assert_eq!(find("acme", "Monthly review", "2026-08"), (1, 0, "missed"));
    assert_eq!(find("acme", "Monthly review", "2026-11"), (1, 1, "met"));
    // Tom Pearce was neutral until 1 September.
    assert_eq!(find("acme", "A sponsor", "FY2026-Q2"), (1, 0, "missed"));
    assert_eq!(find("acme", "A sponsor", "FY2026-Q3"), (1, 1, "met"));
    // Untiered: a call a month, none in March, none yet in November.
    assert_eq!(find("bolt", "Desk coverage", "2026-02"), (1, 1, "met"));
    assert_eq!(find("bolt", "Desk coverage", "2026-03"), (1, 0, "missed"));
    assert_eq!(
        find("bolt", "Desk coverage", "2026-11"),
        (1, 0, "in-progress")
    );
    assert!(
        rows.iter().all(|r| r.item != "Research on request"),
        "an item without a target is not judged"
    );
    assert_eq!(rows.iter().filter(|r| r.client == "bolt").count(), 11);
}

#[test]
fn the_light_names_the_item_missed() {
    let (_dir, out) = built();
    let site = out.path().join("site");
    let page = std::fs::read_to_string(site.join("clients/acme.html")).expect("client page");
    assert!(
        page.contains(r#"class="rag rag-red" title="Owner meets the client twice a quarter: missed in Q3: 0 meetings, 2 needed"#),
        "the light and its hover text"
    );
    assert!(page.contains(r#"<section class="panel" id="service""#));
    assert!(page.contains("Service: Strategic"));
    assert!(page.contains("not measured: Answered the same day"));
    assert!(page.contains("Q3 missed"), "every period judged is listed");
    let priority = std::fs::read_to_string(site.join("priority.html")).expect("priority list");
    assert!(priority.contains("Regular contact: missed in Q4: longest gap 80 days, at most 45"));
    // Bolt met October and is behind pace in November: amber.
    let clients = std::fs::read_to_string(site.join("clients.html")).expect("client list");
    assert!(clients.contains(
        r#"rag rag-amber" title="Desk coverage: behind pace in Nov 2026: 0 calls, 1 needed so far""#
    ));
    let dashboard = std::fs::read_to_string(site.join("index.html")).expect("dashboard");
    assert!(dashboard.contains("Service missed"));
    assert!(dashboard.contains("1 missed an item"));
}

#[test]
fn the_charter_page_shows_the_share_met_per_quarter() {
    let (_dir, out) = built();
    let page = std::fs::read_to_string(out.path().join("site/charter.html")).expect("charter");
    assert!(page.contains("Compliance FY2026"));
    assert!(page.contains(r#"<svg class="chart""#), "with a chart");
    assert!(
        page.contains("<summary>Data table</summary>"),
        "and its data"
    );
    assert!(page.contains("Q4 (in progress)"));
    // Desk coverage per quarter, bolt alone: Q1 has March missed.
    let desk = page
        .split("<td>Desk coverage</td>")
        .nth(1)
        .expect("the untiered item's row");
    let row = &desk[..desk.find("</tr>").expect("row end")];
    assert!(
        row.contains("0% <span class=\"muted\">0 of 1 client met"),
        "{row}"
    );
    assert!(
        row.contains("100% <span class=\"muted\">1 of 1 client met"),
        "{row}"
    );
    assert!(page.contains("at least 2 meetings a quarter by the owner"));
}

#[test]
fn people_see_the_service_they_are_responsible_for() {
    let (_dir, out) = built();
    let site = out.path().join("site");
    let ada = std::fs::read_to_string(site.join("people/ada.html")).expect("ada's page");
    assert!(ada.contains("The service I give"));
    // Ada owns acme: the owner's items (meetings, call reports, reviews,
    // sponsor) and, as Head of Client Management, nothing else.
    let rows = export(&site);
    let owner_items = [
        "Owner meets the client twice a quarter",
        "Call reports",
        "Monthly review",
        "A sponsor",
    ];
    let mine: Vec<&Row> = rows
        .iter()
        .filter(|r| r.client == "acme" && owner_items.contains(&r.item.as_str()))
        .collect();
    let met = mine.iter().filter(|r| r.status == "met").count();
    let missed = mine.iter().filter(|r| r.status == "missed").count();
    let share = (met as f64 / (met + missed) as f64 * 100.0).round();
    assert!(
        ada.contains(&format!("<strong>{share}%</strong>")),
        "{met} met, {missed} missed"
    );
    assert!(ada.contains(&format!("{met} met, {missed} missed")));
}

#[test]
fn check_warns_once_per_item_whose_last_period_was_missed() {
    let dir = repo("rules/service-target");
    let (_, found) = check_json(dir.path());
    let mut warned: Vec<&str> = found
        .iter()
        .filter(|f| f.rule == "service-target")
        .map(|f| f.message.as_str())
        .collect();
    warned.sort();
    assert_eq!(
        warned,
        [
            "`acme` missed \"Call reports\" from 2026-07-01 to 2026-09-30: 0 of 1 reported on time",
            "`acme` missed \"Owner meets the client twice a quarter\" from 2026-07-01 to 2026-09-30: 0 meetings, 2 needed",
            "`acme` missed \"Regular contact\" from 2026-07-01 to 2026-09-30: longest gap 50 days, at most 45",
        ],
        "August's missed review and March's missed call were followed by met periods"
    );
    let first = found
        .iter()
        .find(|f| f.rule == "service-target")
        .expect("a finding");
    assert_eq!(
        (
            first.file.as_str(),
            first.line,
            first.column,
            first.severity.as_str()
        ),
        ("clients/acme/client.yaml", 2, 7, "warning")
    );
}

#[test]
fn a_quarter_is_judged_after_the_year_it_belongs_to_ends() {
    // 10 January 2027: Q3 2026 is no longer the last finished quarter;
    // Q4 2026 is, and acme met neither meetings nor contact in it.
    let dir = repo("rules/service-target");
    let out = common::clientele()
        .arg("check")
        .arg(dir.path())
        .args(["--today", "2027-01-10", "--format", "json"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(
        "`acme` missed \\\"Owner meets the client twice a quarter\\\" from 2026-10-01 to 2026-12-31: 1 meeting, 2 needed (and 1 earlier period)"
    ), "{text}");
    assert!(text.contains("from 2026-10-01 to 2026-12-31: longest gap 80 days, at most 45"));
}

#[test]
fn a_target_that_names_two_kinds_is_a_located_error() {
    let dir = repo("rules/service-target");
    let path = dir.path().join("charter.yaml");
    let text = std::fs::read_to_string(&path).expect("charter");
    std::fs::write(
        &path,
        text.replace(
            "target: { allies_at_least: 1 }",
            "target: { allies_at_least: 1, review_every: month }",
        ),
    )
    .expect("write");
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 2);
    let bad = found
        .iter()
        .find(|f| f.rule == "invalid-value")
        .expect("an invalid-value error");
    assert_eq!((bad.file.as_str(), bad.line), ("charter.yaml", 30));
    assert!(
        bad.message.contains("exactly one of") && bad.message.contains("this one names 2"),
        "{}",
        bad.message
    );
    assert!(bad.help.contains("{ review_every: month }"), "{}", bad.help);
}

#[test]
fn the_untiered_call_report_window_is_enforced() {
    let dir = repo("rules/service-target");
    let note = dir
        .path()
        .join("clients/bolt/activities/2026-11-09-meeting.md");
    std::fs::create_dir_all(note.parent().expect("folder")).expect("mkdir");
    std::fs::write(
        &note,
        "---\ndate: 2026-11-09\ntype: meeting\nby: bob\ntitle: Lunch\n---\n",
    )
    .expect("note");
    let (_, found) = check_json(dir.path());
    let report = found
        .iter()
        .find(|f| f.rule == "call-report" && f.file.ends_with("2026-11-09-meeting.md"))
        .expect("the untiered level asks for a report");
    assert!(
        report.message.contains("has no call report"),
        "{}",
        report.message
    );
    // Without `call_report_days` on the untiered level, notes are free-form.
    let charter = dir.path().join("charter.yaml");
    let text = std::fs::read_to_string(&charter).expect("charter");
    std::fs::write(&charter, text.replace("  call_report_days: 5\n", "")).expect("write");
    let (_, found) = check_json(dir.path());
    assert!(!found
        .iter()
        .any(|f| f.rule == "call-report" && f.file.contains("bolt")));
}

#[test]
fn open_escalations_are_listed_with_their_age_where_people_look() {
    let (_dir, out) = built();
    let site = out.path().join("site");
    let read = |page: &str| std::fs::read_to_string(site.join(page)).expect(page);
    let title = "Raise the late research deliveries with the head of research";
    // Raised at the review of 15 October, 38 days before TODAY.
    for page in [
        "index.html",
        "clients/acme.html",
        "people/ada.html",
        "people/bob.html",
    ] {
        let html = read(page);
        let at = html
            .find(title)
            .unwrap_or_else(|| panic!("{page} lists the open escalation"));
        let row = &html[at..at + html[at..].find("</tr>").expect("row end")];
        assert!(row.contains("38 days"), "{page}: {row}");
    }
    assert!(
        !read("index.html").contains("Settle the invoice dispute"),
        "a done escalation is not open"
    );
    assert!(
        read("index.html").contains("Thank Tom for championing the trial"),
        "a win"
    );
    // Every action's kind is shown where it is listed, and exported.
    assert!(read("clients/acme.html")
        .contains(r#"<span class="action-kind action-congratulate">congratulate</span>"#));
    let mut tasks = csv::Reader::from_path(site.join("exports/tasks.csv")).expect("tasks.csv");
    let kinds: Vec<(String, String)> = tasks
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| r[6].ends_with("2026-10-15-monthly.md"))
        .map(|r| (r[2].to_string(), r[7].to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            (title.to_string(), String::from("escalate")),
            (
                String::from("Thank Tom for championing the trial"),
                String::from("congratulate")
            ),
            (
                String::from("Settle the invoice dispute"),
                String::from("escalate")
            ),
        ]
    );
}

#[test]
fn the_priority_list_shows_candidates_with_the_figures_that_qualify_them() {
    let dir = repo("rules/service-target");
    let charter = dir.path().join("charter.yaml");
    let text = std::fs::read_to_string(&charter).expect("charter");
    std::fs::write(
        &charter,
        text.replace(
            "    review_cadence: monthly\n",
            "    review_cadence: monthly\n    entry_when: { revenue_4q_at_least: 2000 }\n    exit_when: { revenue_4q_below: 5000 }\n",
        ),
    )
    .expect("write");
    let revenue = "date,client,product,region,amount,credited_to,txn_id,share\n\
        2025-09-30,bolt,research,uk,9000,bob,T1,100\n\
        2025-10-01,bolt,research,uk,1500,bob,T2,100\n\
        2026-06-15,bolt,execution,uk,1200,bob,T3,100\n\
        2026-10-01,bolt,execution,uk,7000,bob,T4,100\n\
        2026-03-02,acme,research,uk,1000,ada,T5,100\n\
        2026-03-09,acme,execution,uk,3000,bob,T6,100\n";
    std::fs::write(dir.path().join("financials/revenue.csv"), revenue).expect("revenue");
    // Independently: the last four finished quarters on 22 November 2026
    // (the fiscal year starts in January) run from 1 October 2025 to 30
    // September 2026.
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    for line in revenue.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if ("2025-10-01".."2026-10-01").contains(&cells[0]) {
            *sums.entry(cells[1].to_string()).or_default() +=
                cells[4].parse::<f64>().expect("amount");
        }
    }
    let money = |v: f64| {
        let whole = format!("{v:.0}");
        let grouped: Vec<String> = whole
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        format!("£{}", grouped.join(","))
    };
    let out = tempfile::tempdir().expect("out");
    let site = out.path().join("site");
    build(dir.path(), &site, &["--allow-errors"]);
    let page = std::fs::read_to_string(site.join("priority.html")).expect("priority list");
    let candidates = &page[page.find(r#"id="candidates""#).expect("candidates")..];
    let joining = &candidates[..candidates.find("To leave their tier").expect("leaving")];
    let leaving = &candidates[candidates.find("To leave their tier").expect("leaving")..];
    assert!(joining.contains("Bolt Capital"), "{joining}");
    assert!(
        joining.contains(&format!(
            "revenue over the last four quarters {} (at least £2,000)",
            money(sums["bolt"])
        )),
        "{joining}"
    );
    assert!(leaving.contains("Acme Asset Management"), "{leaving}");
    assert!(
        leaving.contains(&format!(
            "revenue over the last four quarters {} (below £5,000)",
            money(sums["acme"])
        )),
        "{leaving}"
    );
    assert_eq!((sums["bolt"], sums["acme"]), (2700.0, 4000.0));
}

#[test]
fn a_manager_sees_each_direct_report_on_the_same_columns_as_their_own() {
    let (dir, out) = built();
    let site = out.path().join("site");
    // Independently: interactions bob held or attended, from every note
    // and every captured row, this quarter (1 October to today) and last.
    let (mut this_q, mut last_q) = (0, 0);
    let mut tally = |date: &str| {
        if ("2026-10-01"..="2026-11-22").contains(&date) {
            this_q += 1;
        } else if ("2026-07-01".."2026-10-01").contains(&date) {
            last_q += 1;
        }
    };
    for client in std::fs::read_dir(dir.path().join("clients")).expect("clients") {
        let folder = client.expect("client").path();
        if let Ok(notes) = std::fs::read_dir(folder.join("activities")) {
            for note in notes {
                let fm = front_matter(
                    &std::fs::read_to_string(note.expect("note").path()).expect("read"),
                );
                let attended = fm.get("attendees").is_some_and(|a| a.contains("bob"));
                if fm["by"] == "bob" || attended {
                    tally(&fm["date"]);
                }
            }
        }
        if let Ok(text) = std::fs::read_to_string(folder.join("activities.csv")) {
            for row in text.lines().skip(1) {
                let cells: Vec<&str> = row.split(',').collect();
                if cells[2] == "bob" {
                    tally(cells[0]);
                }
            }
        }
    }
    let ada = std::fs::read_to_string(site.join("people/ada.html")).expect("ada's page");
    let team = &ada[ada.find("My team").expect("ada manages bob")..];
    let row = &team[team.find("Bob Marley").expect("bob's row")..];
    let cells: Vec<&str> = row[..row.find("</tr>").expect("row end")]
        .split(r#"<td class="num">"#)
        .skip(1)
        .map(|c| c.split('<').next().unwrap_or_default().trim())
        .collect();
    // Clients owned, this quarter, last quarter, asked a quarter.
    assert_eq!(
        cells[..4],
        ["1", &this_q.to_string(), &last_q.to_string(), "0"],
        "{row}"
    );
    assert_eq!((this_q, last_q), (3, 4));
    // Objectives: bob's settled dispute was done two days early; his
    // escalation and his plan action are open.
    assert!(
        row.contains("1 on time · 0 late · 0 undated · 2 open · 0 overdue"),
        "{row}"
    );
    // Her own figures come first on her page: the thank-you was late.
    assert!(ada.find("My figures") < ada.find("My team"));
    let mine = &ada[ada.find("My figures").expect("mine")..ada.find("My team").expect("team")];
    assert!(mine.contains("0 on time · 1 late · 0 undated"), "{mine}");
    let people = std::fs::read_to_string(site.join("people.html")).expect("people");
    assert!(people.contains("Coverage by tier, Q3"));
}

#[test]
fn the_client_page_draws_effort_against_the_charter_and_progress_in_each_metric_cell() {
    let (_dir, out) = built();
    let page = std::fs::read_to_string(out.path().join("site/clients/acme.html")).expect("page");
    let effort = &page[page.find("Effort against the charter").expect("the chart")..];
    assert!(effort.contains(r#"<svg class="chart""#));
    let table =
        &effort[effort.find("<tbody>").expect("data")..effort.find("</tbody>").expect("end")];
    let rows: Vec<String> = table
        .split("<tr>")
        .skip(1)
        .map(|r| {
            r.split("</td>")
                .map(|c| c.rsplit('>').next().unwrap_or_default().trim())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // Meetings and calls from the notes: none in Q1, two meetings and a
    // call in Q2, one meeting in Q3 and one so far in Q4; the tier asks 1.
    assert_eq!(rows, ["Q1 0 1", "Q2 3 1", "Q3 1 1", "Q4 (in progress) 1 1"]);
    // The plan's "Meetings per quarter" (target 1) has a bar in each cell
    // with an actual: Q3 and Q4 met it.
    assert!(page.contains(r#"aria-label="100% of target""#));
    assert!(page.contains(r#"aria-label="0% of target""#), "Q1 had none");
}
