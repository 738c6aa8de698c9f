//! `clientele build` as a user runs it: build fixtures and the demo firm
//! into temporary folders and assert on the pages and exports.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::repo;

/// Builds `content` into `out`; returns the exit code and stderr.
fn build(content: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let o = common::build(content, out, extra);
    (
        o.status.code().expect("exit code"),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The text inside every `<span class="{class}"...>...</span>` of `html`.
fn spans(html: &str, class: &str) -> Vec<String> {
    let open = format!("<span class=\"{class}\"");
    html.match_indices(&open)
        .map(|(i, _)| {
            let rest = &html[i..];
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</span>").unwrap();
            rest[start..end].to_string()
        })
        .collect()
}

#[test]
fn demo_firm_builds_and_shows_the_seed_metrics_table() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let (code, stderr) = build(&demo(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(&site.join("clients/widecombe-industrial.html"));
    let table = &page[page
        .find("<table class=\"metrics\">")
        .expect("metrics table")..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<&str> = table
        .match_indices("<th scope=\"row\">")
        .map(|(i, _)| {
            let r = &table[i + 16..];
            &r[..r.find(['<']).unwrap()]
        })
        .collect();
    assert_eq!(
        rows,
        [
            "Friends and allies (target)",
            "Enemies and protestors",
            "Number of meetings per quarter",
            "Number of new services used",
            "Number new opportunities secured",
            "Increase in income over last FY",
        ]
    );
    let targets = spans(table, "target");
    assert_eq!(
        targets,
        [
            "2", "8", "12", "15", "-1", "-3", "-6", "-8", "2", "3", "3", "3", "0", "1", "3", "4",
            "1", "3", "4", "4", "£15k", "£22k", "£25k", "£28k"
        ]
    );
    // Derived allies: Tom Pearce and Peter Gurney in Q1; Bill Brewer (April)
    // and Dan Middleton (converted in June) join them by the end of Q2.
    let actuals = spans(table, "actual");
    assert_eq!(&actuals[..4], ["2", "4", "4", "4"], "allies by quarter");
    // Enemies and protesters: Dan converted, Jan Stewer retired: -2 from Q2.
    assert_eq!(
        &actuals[4..8],
        ["0", "-2", "-2", "-2"],
        "opponents change by quarter"
    );
    insta::assert_snapshot!("widecombe_metrics_table", table);
}

#[test]
fn person_pages_badge_every_client() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    assert_eq!(build(&demo(), &site, &[]).0, 0);
    let page = read(&site.join("people/lchen.html"));
    assert!(page.contains(">Widecombe Industrial Holdings</a><span class=\"tier tier-key\" title=\"Tier: Key\">Key</span>"), "no badge beside the client");
    assert!(
        page.contains("My open tasks")
            && page.contains("My calendar")
            && page.contains("My logged activity")
    );
    // Every client link on every page carries its badge when the client is tiered.
    let tiered: Vec<String> = std::fs::read_dir(demo().join("clients"))
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let yaml = std::fs::read_to_string(e.path().join("client.yaml")).ok()?;
            yaml.contains("\ntier: ")
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    for (path, bytes) in snapshot(&site)
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|x| x == "html"))
    {
        let html = String::from_utf8_lossy(bytes);
        for (i, _) in html.match_indices("class=\"client\" href=\"") {
            let href = &html[i + 21..];
            let href = &href[..href.find('"').unwrap()];
            let id = href
                .trim_start_matches("../")
                .trim_start_matches("clients/")
                .split(['/', '#'])
                .next()
                .unwrap()
                .trim_end_matches(".html");
            assert!(!id.is_empty(), "{href}");
            if tiered.iter().any(|t| t == id) {
                let after = &html[i..];
                let close = after.find("</a>").unwrap();
                assert!(
                    after[close..].starts_with("</a><span class=\"tier"),
                    "{}: `{id}` without its tier badge",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn overdue_review_is_on_the_dashboard() {
    let dir = repo("rules/missing-review");
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 1, "rule errors fail the build: {stderr}");
    assert!(!site.exists(), "a failed build writes nothing");
    let (code, stderr) = build(dir.path(), &site, &["--allow-errors"]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(&site.join("index.html"));
    let section =
        &html[html.find("id=\"h-overdue\"").unwrap()..html.find("id=\"h-breaches\"").unwrap()];
    assert!(section.contains(">Acme Asset Management</a>"), "{section}");
    assert!(
        html.contains("1 error"),
        "the header shows the validation status"
    );
    assert!(read(&site.join("validation.html")).contains("missing-review"));
}

#[test]
fn markdown_cannot_run_script() {
    let dir = repo("site/xss");
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(&site.join("clients/acme.html"));
    assert!(page.contains("Met Tom."), "the report itself is shown");
    // Escaped text such as `&lt;img onerror=...&gt;` is inert; look at real tags.
    for (path, bytes) in snapshot(&site)
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|x| x == "html"))
    {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for tag in text
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
        {
            let ours = tag.starts_with("script src=") && tag.contains("static/search.js");
            assert!(
                ours || !tag.starts_with("script"),
                "{}: <{tag}>",
                path.display()
            );
            for bad in ["onerror", "onclick", "onload", "javascript:", "iframe"] {
                assert!(!tag.contains(bad), "{}: <{tag}>", path.display());
            }
        }
    }
    assert!(
        page.contains("Quarterly &lt;script&gt;"),
        "titles are escaped, not dropped"
    );
}

#[test]
fn failed_build_leaves_the_old_site_untouched() {
    let dir = repo("");
    let site = dir.path().join("public");
    assert_eq!(build(dir.path(), &site, &[]).0, 0);
    let before = snapshot(&site);
    assert!(before.len() > 20);
    // A rule error.
    std::fs::write(
        dir.path()
            .join("clients/acme/reviews/2026-11-10-monthly.md"),
        "---\ndate: 2026-11-10\nkind: monthly\n---\n",
    )
    .unwrap();
    assert_eq!(build(dir.path(), &site, &[]).0, 1);
    assert_eq!(snapshot(&site), before);
    // A template that does not compile.
    std::fs::create_dir_all(dir.path().join("themes/templates")).unwrap();
    std::fs::write(
        dir.path().join("themes/templates/dashboard.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock %}",
    )
    .unwrap();
    let (code, stderr) = build(dir.path(), &site, &["--allow-errors"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("index.html"), "names the page: {stderr}");
    assert_eq!(snapshot(&site), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("clientele-"))
        .collect();
    assert_eq!(
        leftovers,
        [".public.clientele-lock"],
        "staging folders are cleaned up; the lock file stays"
    );
}

#[test]
fn foreign_output_folder_is_refused() {
    let dir = repo("");
    let site = dir.path().join("docs");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("was not made by clientele"), "{stderr}");
    assert_eq!(read(&site.join("notes.txt")), "mine");
    let (code, _) = build(dir.path(), dir.path(), &[]);
    assert_eq!(code, 2, "the content folder itself is never an output");
}

#[test]
fn theme_files_can_be_overridden() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join("themes/static")).unwrap();
    std::fs::write(
        dir.path().join("themes/static/style.css"),
        "/* house style */",
    )
    .unwrap();
    std::fs::write(dir.path().join("themes/static/logo.svg"), "<svg/>").unwrap();
    let site = dir.path().join("public");
    assert_eq!(build(dir.path(), &site, &[]).0, 0);
    assert_eq!(read(&site.join("static/style.css")), "/* house style */");
    assert_eq!(read(&site.join("static/logo.svg")), "<svg/>");
}

#[test]
fn exports_parse_and_are_reproducible() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("a");
    assert_eq!(build(&demo(), &site, &[]).0, 0);
    let mut rows = 0;
    for name in ["priority-list", "tasks", "activities"] {
        let mut reader = csv::Reader::from_path(site.join(format!("exports/{name}.csv"))).unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            assert!(
                record.iter().all(|c| !c.starts_with(['=', '+', '@'])),
                "{record:?}"
            );
            rows += 1;
        }
    }
    assert!(rows > 1000);
    let model: serde_json::Value =
        serde_json::from_str(&read(&site.join("exports/model.json"))).unwrap();
    assert_eq!(model["clients"].as_array().unwrap().len(), 40);
    let search: serde_json::Value = serde_json::from_str(&read(&site.join("search.json"))).unwrap();
    assert!(search
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["title"] == "Widecombe Industrial Holdings" && e["kind"] == "client"));
    let ics = read(&site.join("calendar/lchen.ics"));
    assert!(
        ics.starts_with("BEGIN:VCALENDAR")
            && ics.contains("UID:review-widecombe-industrial@clientele")
    );
    assert!(
        ics.contains("DTSTAMP:20261122T000000Z"),
        "stamped with --today, not the clock"
    );
    assert!(
        !ics.contains("URL:"),
        "firm.yaml's base_url `/` is no address a calendar app can open"
    );
    let portal = out.path().join("portal");
    assert_eq!(
        build(
            &demo(),
            &portal,
            &["--base-url", "https://intranet.example/portal/"]
        )
        .0,
        0
    );
    assert!(read(&portal.join("calendar/firm.ics"))
        .contains("URL:https://intranet.example/portal/clients/"));
    let again = out.path().join("b");
    assert_eq!(build(&demo(), &again, &[]).0, 0);
    for f in [
        "calendar/firm.ics",
        "calendar/lchen.ics",
        "exports/model.json",
        "index.html",
    ] {
        assert_eq!(
            read(&site.join(f)),
            read(&again.join(f)),
            "{f} differs between two builds"
        );
    }
}

/// Walks every `href` and `src` of every page: each must be relative (so
/// the site works from file:// and under any sub-path) and resolve to a
/// file, and each `#fragment` to an `id` in that file.
#[test]
fn every_internal_link_resolves() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    assert_eq!(build(&demo(), &site, &[]).0, 0);
    let files = snapshot(&site);
    let mut checked = 0;
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|x| x == "html"))
    {
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                let value = &value[..value.find('"').unwrap()];
                if value.starts_with("mailto:") || value.starts_with("http") {
                    continue;
                }
                assert!(
                    !value.starts_with('/'),
                    "{}: absolute link {value}",
                    path.display()
                );
                let (target, fragment) = value.split_once('#').unwrap_or((value, ""));
                let target = target.split('?').next().unwrap();
                let resolved = if target.is_empty() {
                    path.clone()
                } else {
                    normalize(&path.parent().unwrap().join(target.replace("%20", " ")))
                };
                let body = files
                    .get(&resolved)
                    .unwrap_or_else(|| panic!("{}: broken link {value}", path.display()));
                if !fragment.is_empty() {
                    let id = format!("id=\"{fragment}\"");
                    assert!(
                        String::from_utf8_lossy(body).contains(&id),
                        "{}: no #{fragment} in {}",
                        path.display(),
                        resolved.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "only {checked} links checked");
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every file under `site` whose name or bytes contain `needle`.
fn files_containing(site: &Path, needle: &str) -> Vec<String> {
    snapshot(site)
        .into_iter()
        .filter(|(path, bytes)| {
            path.to_string_lossy().contains(needle)
                || String::from_utf8_lossy(bytes).contains(needle)
        })
        .map(|(path, _)| path.display().to_string())
        .collect()
}

#[test]
fn wide_builds_leave_restricted_material_out() {
    let dir = repo("site/restricted");
    let full = dir.path().join("full");
    let (code, stderr) = build(dir.path(), &full, &[]);
    assert_eq!(code, 0, "{stderr}");
    // The full build shows it, marked.
    let shown = files_containing(&full, "ZQXMARK");
    for expected in [
        "clients/zephyr-private.html",
        "clients/acme.html",
        "clients/bolt.html",
        "exports/model.json",
        "search.json",
        "calendar/firm.ics",
        "exports/tasks.csv",
        "exports/data/activities.jsonl",
        "exports/data/tasks.jsonl",
    ] {
        assert!(
            shown.iter().any(|f| f == expected),
            "full build lacks the marker in {expected}: {shown:?}"
        );
    }
    assert!(read(&full.join("clients/acme.html"))
        .contains("<span class=\"restricted\">restricted</span>"));

    let wide = dir.path().join("wide");
    let (code, stderr) = build(dir.path(), &wide, &["--audience", "wide"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        files_containing(&wide, "ZQXMARK"),
        Vec::<String>::new(),
        "restricted text leaked"
    );
    assert_eq!(
        files_containing(&wide, "zephyr"),
        Vec::<String>::new(),
        "the restricted client's id leaked"
    );
    // Counts and sums leave it out too: 2 clients, and only the visible revenue.
    let dashboard = read(&wide.join("index.html"));
    assert!(dashboard.contains("of 2 clients"), "client count");
    assert!(!dashboard.contains("99,999") && !read(&wide.join("clients.html")).contains("99,999"));
    assert!(read(&wide.join("index.html")).contains("wide audience"));
}

#[test]
fn the_client_list_is_paginated() {
    let dir = repo("");
    common::add_clients(dir.path(), 501);
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let first = read(&site.join("clients.html"));
    let second = read(&site.join("clients-2.html"));
    assert!(
        first.contains("503 clients") && first.contains("1 to 500 here"),
        "503 = 501 + acme + bolt"
    );
    assert!(first.contains("href=\"clients-2.html\" rel=\"next\""));
    assert!(
        second.contains(">Zed Client 500</a>")
            && second.contains("href=\"clients.html\" rel=\"prev\"")
    );
    assert!(!site.join("clients-3.html").exists());
}

/// A rebuild links the pages whose bytes did not change from the output it
/// replaces and writes the rest, so a small edit writes little. A page
/// edited by hand in the output is written again, never kept.
#[test]
fn a_rebuild_writes_only_the_pages_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_tree(&demo(), &content);
    let site = dir.path().join("public");
    let (code, stderr) = build(&content, &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let inode = |page: &str| std::fs::metadata(site.join(page)).unwrap().ino();
    let untouched = inode("clients/atlas-retirement.html");
    let edited = inode("clients/ambleside-wealth.html");
    // Same length, so only its modification time tells.
    let charter = read(&site.join("charter.html")).replacen("<h1", "<h2", 1);
    std::fs::write(site.join("charter.html"), charter).unwrap();
    let note = content.join("clients/ambleside-wealth/activities/2026-01-16-call.md");
    let text = read(&note) + "\nRebuild marker: the portfolio review moved to March.\n";
    std::fs::write(&note, text).unwrap();

    let (code, stderr) = build(&content, &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        inode("clients/atlas-retirement.html"),
        untouched,
        "unchanged page linked"
    );
    assert_ne!(
        inode("clients/ambleside-wealth.html"),
        edited,
        "changed page written"
    );
    assert!(read(&site.join("clients/ambleside-wealth.html")).contains("Rebuild marker"));
    assert!(
        read(&site.join("charter.html")).contains("<h1"),
        "hand edit replaced"
    );
    // The same site as a build from scratch, file for file.
    let fresh = dir.path().join("fresh");
    let (code, stderr) = build(&content, &fresh, &[]);
    assert_eq!(code, 0, "{stderr}");
    let (rebuilt, fresh) = (snapshot(&site), snapshot(&fresh));
    let differ: Vec<_> = rebuilt
        .keys()
        .chain(fresh.keys())
        .filter(|p| *p != Path::new(".clientele-files") && rebuilt.get(*p) != fresh.get(*p))
        .collect();
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");
}

/// `--timings` names every stage of a build and of a check, with seconds
/// and a total; without it, neither prints a table. Only the shape is
/// asserted: tests do not time anything.
#[test]
fn timings_list_the_stages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let stages = |stderr: &str| -> Vec<String> {
        let table = stderr.split("timings:\n").nth(1).unwrap_or("");
        table
            .lines()
            .filter(|l| l.ends_with('%') && l.contains(" s "))
            .filter_map(|l| l.split_whitespace().next().map(String::from))
            .collect()
    };
    let (code, stderr) = build(&demo(), &site, &["--timings"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = [
        "load", "rules", "report", "figures", "pages", "swap", "total",
    ];
    assert_eq!(stages(&stderr), expected, "{stderr}");
    let (code, stderr) = build(&demo(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("timings:"), "{stderr}");

    let out = common::check(&demo(), &["--timings", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stages(&stderr),
        ["load", "rules", "report", "total"],
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("timings"), "stdout stays JSON: {stdout}");
}

/// The captured-interactions table shows the newest rows first, whatever
/// order activities.csv was written in, says how many it shows of how
/// many, and has the older ones one click away.
#[test]
fn captured_interactions_show_the_newest_first() {
    let dir = repo("");
    // Fourteen rows, dated out of order; rows 05 and 10 share a date.
    let days = [3, 17, 9, 1, 21, 12, 5, 28, 14, 21, 2, 25, 7, 19];
    let mut csv = String::from("date,type,by,summary,outcome\n");
    for (i, day) in days.iter().enumerate() {
        csv.push_str(&format!("2026-10-{day:02},email,bob,Row {:02},\n", i + 1));
    }
    std::fs::write(dir.path().join("clients/acme/activities.csv"), csv).unwrap();
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(&site.join("clients/acme.html"));
    let shown: Vec<&str> = page
        .match_indices("<td>Row ")
        .map(|(i, _)| &page[i + 4..i + 10])
        .collect();
    assert_eq!(
        shown,
        [
            "Row 08", "Row 12", "Row 10", "Row 05", "Row 14", "Row 02", "Row 09", "Row 06",
            "Row 03", "Row 13", "Row 07", "Row 01", "Row 11", "Row 04"
        ],
        "newest first; of two rows on 21 October the later one in the file first"
    );
    assert!(page.contains("Captured interactions (14)"));
    assert!(page.contains("The 12 newest of 14 rows"));
    let older = &page[page
        .find(r#"<details id="captured-all">"#)
        .expect("the older rows")..];
    assert!(older.starts_with(
        r#"<details id="captured-all"><summary>The other 2 captured interactions</summary>"#
    ));
    assert!(older.find("Row 11") < older.find("Row 04"));
}

#[test]
fn a_wide_build_fails_closed_when_restricted_files_are_broken() {
    let dir = repo("site/restricted");
    let root = dir.path();
    // The restricted client's client.yaml does not parse: its flag is unknown.
    let client = root.join("clients/zephyr-private/client.yaml");
    let text = read(&client);
    std::fs::write(&client, text.replace("segment:", "segmnt:")).unwrap();
    // A restricted note with a typo, in a client everyone may see.
    std::fs::write(
        root.join("clients/acme/activities/2026-11-06-zqxmark-call.md"),
        "---\ndate: 2026-11-06\ntype: call\nby: ada\ntitel: ZQXMARK-typo-title\nrestricted: true\n---\nZQXMARK-typo-body\n",
    )
    .unwrap();
    // A warning about the restricted client's split transaction.
    let revenue = root.join("financials/revenue.csv");
    let text = read(&revenue);
    std::fs::write(
        &revenue,
        format!("{text}2026-03-16,zephyr-private,advisory,uk,500,bob,ZQXMARK-split,60\n"),
    )
    .unwrap();
    let firm = root.join("firm.yaml");
    let text = read(&firm);
    std::fs::write(&firm, format!("{text}rules:\n  revenue-split: warning\n")).unwrap();

    let full = root.join("full");
    let (code, stderr) = build(root, &full, &["--allow-errors"]);
    assert_eq!(code, 0, "{stderr}");
    let report = read(&full.join("validation.html"));
    assert!(
        report.contains("zqxmark-call"),
        "the full build reports the broken note"
    );

    let wide = root.join("wide");
    let (code, stderr) = build(root, &wide, &["--allow-errors", "--audience", "wide"]);
    assert_eq!(code, 0, "{stderr}");
    for needle in ["ZQXMARK", "zqxmark", "zephyr", "99999", "99,999"] {
        assert_eq!(
            files_containing(&wide, needle),
            Vec::<String>::new(),
            "{needle} leaked into the wide build"
        );
    }
}

#[test]
fn names_cannot_add_events_to_calendar_feeds() {
    let dir = repo("");
    let root = dir.path();
    let evil = "\\r\\nBEGIN:VEVENT\\r\\nUID:evil@x\\r\\nSUMMARY:EVIL\\r\\nEND:VEVENT";
    let person = root.join("team/ada.yaml");
    let text = read(&person);
    let name = text
        .lines()
        .find(|l| l.starts_with("name:"))
        .unwrap()
        .to_string();
    std::fs::write(
        &person,
        text.replace(&name, &format!("name: \"Ada{evil}\"")),
    )
    .unwrap();
    let firm = root.join("firm.yaml");
    let text = read(&firm);
    std::fs::write(
        &firm,
        text.replace("name: Test Firm", &format!("name: \"Test{evil}\"")),
    )
    .unwrap();
    // An open task whose title holds a bare carriage return.
    let strategy = root.join("strategy.yaml");
    let text = read(&strategy);
    std::fs::write(
        &strategy,
        format!("{text}  - title: \"Call\\rSUMMARY:EVIL\"\n    strategy: focus\n    owner: ada\n    due: 2026-12-31\n"),
    )
    .unwrap();
    let site = root.join("public");
    let (code, stderr) = build(root, &site, &["--allow-errors"]);
    assert!(code <= 1, "{stderr}");
    for entry in std::fs::read_dir(site.join("calendar")).unwrap() {
        let path = entry.unwrap().path();
        let feed = read(&path);
        let bare_cr = feed
            .char_indices()
            .any(|(i, c)| c == '\r' && !feed[i + 1..].starts_with('\n'));
        assert!(!bare_cr, "{}: a bare CR", path.display());
        let unfolded = feed.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        let count = |l: &str| lines.iter().filter(|x| **x == l).count();
        let uids = lines.iter().filter(|l| l.starts_with("UID:")).count();
        assert_eq!(count("BEGIN:VEVENT"), uids, "{}", path.display());
        assert_eq!(count("END:VEVENT"), uids, "{}", path.display());
        assert!(!lines
            .iter()
            .any(|l| l.starts_with("SUMMARY:EVIL") || l.starts_with("UID:evil")));
    }
    let ada = read(&site.join("calendar/ada.ics"));
    assert!(
        ada.contains("NAME:Ada\\nBEGIN:VEVENT\\nUID:evil@x\\nSUMMARY:EVIL\\nEND:VEVENT"),
        "{ada}"
    );
    assert!(
        ada.contains("SUMMARY:Due: CallSUMMARY:EVIL"),
        "the task is there, its CR gone: {ada}"
    );
}

#[test]
fn revenue_without_a_budget_is_amber_for_the_firm_and_its_clients() {
    let dir = repo("");
    std::fs::remove_file(dir.path().join("financials/budget.csv")).unwrap();
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let badge = |html: &str| {
        let at = html.find(" vs budget").expect("a vs-budget badge");
        let open = html[..at]
            .rfind("<span class=\"rag ")
            .expect("its RAG class");
        html[open + 17..].split('"').next().unwrap().to_string()
    };
    assert_eq!(badge(&read(&site.join("index.html"))), "rag-amber");
    assert_eq!(badge(&read(&site.join("clients/acme.html"))), "rag-amber");
}

#[test]
fn client_pages_show_how_outside_mail_finds_the_client() {
    let dir = repo("");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let acme = read(&site.join("clients/acme.html"));
    assert!(
        acme.contains("<dt>Email domains</dt><dd><code>acme-am.com</code></dd>"),
        "domains"
    );
    assert!(
        acme.contains(
            "<dt>In other systems</dt><dd>salesforce <code>001A000001AcmeAAA</code></dd>"
        ),
        "external ids"
    );
    assert!(
        acme.contains("<a href=\"mailto:tom.pearce@acme-am.com\">tom.pearce@acme-am.com</a>"),
        "stakeholder email"
    );
    let model: serde_json::Value =
        serde_json::from_str(&read(&site.join("exports/model.json"))).unwrap();
    assert_eq!(
        model["firm"]["domains"],
        serde_json::json!(["testfirm.co.uk"])
    );
    assert_eq!(
        model["clients"][1]["domains"],
        serde_json::json!(["boltcapital.com"])
    );
}

/// A quarter in progress is labelled so and compared with its budget to
/// the last day the revenue data covers, not with the whole quarter; every
/// page that shows revenue says that day.
#[test]
fn figures_are_honest_about_the_quarter_in_progress_and_the_data_date() {
    let dir = repo("");
    let fin = dir.path().join("financials");
    std::fs::write(
        fin.join("budget.csv"),
        "client,period,amount\nacme,2026-Q3,9200\nacme,2026-Q4,9200\n",
    )
    .unwrap();
    std::fs::write(
        fin.join("revenue.csv"),
        "date,client,product,region,amount,credited_to,txn_id,share\n\
         2026-08-14,acme,research,uk,9000,ada,T1,100\n\
         2026-10-10,acme,research,uk,1000,ada,T2,100\n\
         2026-10-28,acme,execution,uk,500,bob,T3,100\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("clients/acme/activities.csv"),
        "date,type,by,summary,outcome\n\
         2026-11-05,transaction,ada,Block trade,completed\n\
         2026-11-06,transaction,ada,Switch into the index fund,not-completed\n",
    )
    .unwrap();
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let metrics = read(&site.join("metrics.html"));
    assert!(metrics.contains("Revenue to 28 Oct 2026"));
    assert!(metrics.contains("Q4 (in progress)"));
    // Independently: 28 of Q4's 92 days have data; Q3 is whole.
    let to_date = 9200.0 * 28.0 / 92.0;
    let q4 = (1500.0 - to_date) / to_date * 100.0;
    let q3 = (9000.0 - 9200.0) / 9200.0 * 100.0;
    let row = &metrics[metrics.find("Against budget to date").expect("row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(&format!("{q3:+.1}%")), "{row}");
    assert!(row.contains(&format!("{q4:+.1}%")), "{row}");
    assert_eq!(to_date, 2800.0);
    assert!(metrics.contains("£2,800 to 28 Oct 2026"));
    for page in [
        "index.html",
        "priority.html",
        "clients.html",
        "clients/acme.html",
        "segments.html",
        "benchmarks.html",
    ] {
        assert!(
            read(&site.join(page)).contains("Revenue to 28 Oct 2026"),
            "{page} says the day the revenue data runs to"
        );
    }
    // The year to date is pro-rated to the same day: Q3 whole and 28 days
    // of Q4, against the revenue of both.
    let ytd = (10_500.0 - (9200.0 + to_date)) / (9200.0 + to_date) * 100.0;
    let client = read(&site.join("clients/acme.html"));
    assert!(client.contains(&format!("{ytd:+.1}% vs budget")), "{ytd}");
    // Transactions that did not go through are shown and counted.
    assert!(
        client.contains("transaction</span> 2 (1 not completed)"),
        "the count"
    );
    assert!(client.contains("<td>Switch into the index fund</td><td><span class=\"rag rag-amber\"><span class=\"dot\" aria-hidden=\"true\"></span>not completed</span></td>"));
}

/// The UIDs of a feed's events, in order.
fn uids(ics: &str) -> Vec<String> {
    ics.lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_task_keeps_its_calendar_uid_when_lines_are_added_above_it() {
    let dir = repo("");
    let plan = dir.path().join("clients/acme/plan.md");
    let site = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: the calendar feeds link to no page: `/` is not an absolute address"),
        "{stderr}"
    );
    let before = uids(&read(&site.join("calendar/bob.ics")));
    assert!(!before.is_empty());
    assert!(before
        .iter()
        .all(|u| u.starts_with("task-") && u.ends_with("@clientele")));

    // A second action above it, and a goal above that: the first action's
    // line moves down by eight.
    let text = read(&plan)
        .replace(
            "goals:\n",
            "goals:\n  - id: retention\n    title: Keep the account\n",
        )
        .replace(
            "actions:\n",
            "actions:\n  - title: Send the research pack\n    owner: bob\n    due: 2026-12-10\n    strategy: research\n",
        );
    std::fs::write(&plan, text).unwrap();
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let after = uids(&read(&site.join("calendar/bob.ics")));
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert!(
        before.iter().all(|u| after.contains(u)),
        "{before:?} kept in {after:?}"
    );

    // Two actions of one title in one file are two events.
    let text = read(&plan).replace("Send the research pack", "Present research offer");
    std::fs::write(&plan, text).unwrap();
    let (code, stderr) = build(dir.path(), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let mut twins = uids(&read(&site.join("calendar/bob.ics")));
    assert_eq!(twins.len(), before.len() + 1, "{twins:?}");
    twins.sort();
    twins.dedup();
    assert_eq!(twins.len(), before.len() + 1, "one UID each");

    // An absolute address links each event to its client's page.
    let (code, stderr) = build(
        dir.path(),
        &site,
        &["--base-url", "https://crm.example/plans"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("link to no page"), "{stderr}");
    let ics = read(&site.join("calendar/bob.ics"));
    assert!(
        ics.contains("URL:https://crm.example/plans/clients/acme.html"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20261215\r\n")
            && ics.contains("DTEND;VALUE=DATE:20261216\r\n"),
        "{ics}"
    );
}
