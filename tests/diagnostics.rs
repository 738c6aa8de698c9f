//! Diagnostics that never hide a problem: every problem of a file and of
//! a client at once, what was skipped because of them, CSV findings at
//! their cell, files clientele does not read, and counts that read right.

mod common;

use std::path::Path;

use common::{check, check_json, repo, Found};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn human(root: &Path) -> (i32, String) {
    let out = check(root, &[]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// (rule, file, line, column) of each finding, in the report's order.
fn places(found: &[Found]) -> Vec<(String, String, u64, u64)> {
    found
        .iter()
        .map(|f| (f.rule.clone(), f.file.clone(), f.line, f.column))
        .collect()
}

/// The problems `check` finds in acme's client.yaml written as `text`;
/// they must stop the check (exit 2).
fn client_yaml_problems(text: &str) -> Vec<Found> {
    let dir = repo("");
    write(dir.path(), "clients/acme/client.yaml", text);
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 2, "{found:#?}");
    found
}

fn place(rule: &str, file: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (rule.to_string(), file.to_string(), line, column)
}

#[test]
fn every_problem_of_a_yaml_file_is_reported() {
    let found = client_yaml_problems(
        "name: Acme Asset Management
tier: strategic
segmnt: asset-manager
wallet_size: lots
coverage:
  owner: ada
  team: [bob, 7]
  lead: ada
priority_history:
  - date: 2026-13-01
    tier: strategic
  - date: 2026-10-01
    tier: strategic
    resaon: Revenue passed 1m
restricted: yess
",
    );
    let file = "clients/acme/client.yaml";
    assert_eq!(
        places(&found),
        vec![
            place("unknown-field", file, 3, 1),
            place("wrong-type", file, 4, 14),
            place("unknown-field", file, 8, 3),
            place("invalid-date", file, 10, 11),
            place("unknown-field", file, 14, 5),
            place("wrong-type", file, 15, 13),
        ],
        "{found:#?}"
    );
    assert!(found[0].help.contains("did you mean `segment`?"));
    assert!(found[4].help.contains("did you mean `reason`?"));
}

#[test]
fn every_file_of_a_client_is_read_for_its_problems() {
    let dir = repo("");
    let root = dir.path();
    write(
        root,
        "clients/acme/client.yaml",
        "name: Acme\ncoverage:\n  ownr: ada\n",
    );
    write(
        root,
        "clients/acme/activities.csv",
        "date,type,by,summary\n2026-11-04,email,bob,Sent research note\n2026-11-31,call,ada,Call\n",
    );
    write(
        root,
        "clients/acme/activities/2026-11-02-meeting.md",
        "---\ndate: 2026-11-02\ntype: meting\nby: ada\ntitle: Quarterly review\n---\nReport.\n",
    );
    let (code, found) = check_json(root);
    assert_eq!(code, 2);
    assert_eq!(
        places(&found),
        vec![
            place("invalid-date", "clients/acme/activities.csv", 3, 1),
            place(
                "invalid-value",
                "clients/acme/activities/2026-11-02-meeting.md",
                3,
                7
            ),
            place("unknown-field", "clients/acme/client.yaml", 3, 3),
        ],
        "{found:#?}"
    );
    // The report says once that the client's rules were skipped.
    let (_, text) = human(root);
    assert_eq!(
        text.matches("the process rules skip `clients/acme/` until its files can be read")
            .count(),
        1,
        "{text}"
    );
}

#[test]
fn a_firm_yaml_that_cannot_be_read_says_what_was_used_instead() {
    let dir = repo("");
    write(
        dir.path(),
        "firm.yaml",
        "name: Test Firm\ncurrency: GBP\nfiscal_year_start_month: april\ntimezone: Europe/London\n",
    );
    let (code, text) = human(dir.path());
    assert_eq!(code, 2);
    assert!(
        text.contains("note: until firm.yaml can be read, clientele uses its defaults: amounts in GBP, the fiscal year from January, the time zone UTC"),
        "{text}"
    );
}

#[test]
fn csv_findings_point_at_their_cell_with_a_snippet() {
    let dir = repo("");
    let root = dir.path();
    write(
        root,
        "clients/acme/activities.csv",
        "date,type,by,summary,outcome\n2026-11-04,email,bob,Sent research note,\n2026-11-05,email, zed ,\"Note, with a comma\",\n",
    );
    let (code, found) = check_json(root);
    assert_eq!(code, 1);
    let unknown: Vec<&Found> = found
        .iter()
        .filter(|f| f.rule == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 1, "{found:#?}");
    assert_eq!(
        (unknown[0].line, unknown[0].column),
        (3, 19),
        "the `by` cell, after its leading space"
    );
    let (_, text) = human(root);
    assert!(
        text.contains(
            " --> clients/acme/activities.csv:3:19\n  |\n3 | 2026-11-05,email, zed ,\"Note, with a comma\",\n  |                   ^^^ no person has this id"
        ),
        "{text}"
    );
}

#[test]
fn files_and_folders_clientele_does_not_read_are_reported() {
    let dir = repo("");
    let root = dir.path();
    let acme = "clients/acme";
    write(
        root,
        &format!("{acme}/review/2026-11-01-monthly.md"),
        "---\n---\n",
    );
    write(
        root,
        &format!("{acme}/activites/2026-11-01-call.md"),
        "---\n---\n",
    );
    write(root, &format!("{acme}/notes.txt"), "x\n");
    write(root, &format!("{acme}/Plan.MD"), "---\n---\n");
    write(
        root,
        &format!("{acme}/activities/2026-11-03-call.txt"),
        "x\n",
    );
    write(
        root,
        &format!("{acme}/activities/2025/2025-01-03-call.md"),
        "---\n---\n",
    );
    write(root, &format!("{acme}/.DS_Store"), "x");
    write(root, "themes/templates/clinet.html", "{{ x }}");
    write(
        root,
        "themes/templates/client.html",
        "{% extends \"base.html\" %}",
    );
    write(root, "themes/statics/logo.svg", "<svg/>");
    let (code, found) = check_json(root);
    assert_eq!(code, 0, "warnings only: {found:#?}");
    let unknown: Vec<(&str, &str, &str)> = found
        .iter()
        .filter(|f| f.rule == "unknown-file")
        .map(|f| (f.file.as_str(), f.severity.as_str(), f.help.as_str()))
        .collect();
    let help_of = |file: &str| {
        unknown
            .iter()
            .find(|u| u.0 == file)
            .unwrap_or_else(|| panic!("{file} not reported: {unknown:#?}"))
            .2
    };
    assert_eq!(unknown.len(), 8, "{unknown:#?}");
    assert!(unknown.iter().all(|u| u.1 == "warning"));
    assert!(help_of("clients/acme/review").contains("did you mean `reviews/`?"));
    assert!(help_of("clients/acme/activites").contains("did you mean `activities/`?"));
    assert!(help_of("clients/acme/Plan.MD").contains("did you mean `plan.md`?"));
    assert!(help_of("clients/acme/notes.txt").contains("documents/"));
    assert!(help_of("clients/acme/activities/2026-11-03-call.txt").contains("`2026-11-03-call.md`"));
    assert!(help_of("clients/acme/activities/2025").contains("not from folders inside it"));
    assert!(help_of("themes/templates/clinet.html").contains("did you mean `client.html`?"));
    assert!(help_of("themes/statics").contains("did you mean `static/`?"));
}

#[test]
fn a_yaml_syntax_error_is_reported_where_the_parser_lost_track() {
    // A missing `:` makes `owner ada` a value where fields belong; the
    // parser loses track on the next line, and that is what is reported,
    // not the shape of the value.
    let found = client_yaml_problems(
        "name: Acme Asset Management\ncoverage:\n  owner ada\n  team: [bob]\nsegmnt: x\n",
    );
    assert_eq!(
        places(&found),
        vec![place("invalid-yaml", "clients/acme/client.yaml", 4, 7)],
        "{found:#?}"
    );
    assert!(found[0].message.contains("mapping values are not allowed"));
}

#[test]
fn a_value_of_the_wrong_shape_is_a_wrong_type() {
    let found = client_yaml_problems(
        "name: Acme Asset Management\nqualifiers: cross-sell, growth\ncoverage: ada\n",
    );
    let file = "clients/acme/client.yaml";
    assert_eq!(
        places(&found),
        vec![
            place("wrong-type", file, 2, 13),
            place("wrong-type", file, 3, 11)
        ],
        "{found:#?}"
    );
    assert_eq!(found[0].message, "expected a list here");
    assert!(found[0].help.contains("`[a, b]`"));
    assert!(found[1].message.starts_with("expected fields"));
}

#[test]
fn counts_read_right() {
    let dir = repo("");
    let root = dir.path();
    let plan = std::fs::read_to_string(root.join("clients/acme/plan.md")).unwrap();
    assert!(plan.contains("actions:"), "the base plan has actions");
    // A task due yesterday is one day overdue.
    let plan = plan.replacen(
        "actions:\n",
        "actions:\n  - title: Send the pricing pack\n    owner: ada\n    due: 2026-11-21\n",
        1,
    );
    write(root, "clients/acme/plan.md", &plan);
    let (_, text) = human(root);
    assert!(text.contains("1 day overdue"), "{text}");
    assert!(!text.contains("1 days"), "{text}");
}

#[test]
fn misnamed_files_outside_client_folders_are_reported() {
    let dir = repo("");
    let root = dir.path();
    // What a repository's root may hold beside its plans is left alone;
    // only near misses of what clientele reads are reported.
    for folder in [
        "docs",
        "schemas",
        "public",
        ".github",
        "client",
        "templates",
    ] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    for file in [
        "README.md",
        "LICENSE",
        "Makefile",
        "strategy.yml",
        "Firm.yaml",
    ] {
        write(root, file, "x\n");
    }
    write(root, "financials/revenues.csv", "x\n");
    write(root, "team/ada.json", "{}\n");
    let (code, found) = check_json(root);
    assert_eq!(code, 0, "warnings only: {found:#?}");
    let unknown: Vec<(&str, &str)> = found
        .iter()
        .filter(|f| f.rule == "unknown-file")
        .map(|f| (f.file.as_str(), f.help.as_str()))
        .collect();
    assert_eq!(
        unknown,
        [
            ("Firm.yaml", "did you mean `firm.yaml`?"),
            ("client", "did you mean `clients/`?"),
            ("financials/revenues.csv", "did you mean `revenue.csv`?"),
            ("strategy.yml", "did you mean `strategy.yaml`?"),
            (
                "team/ada.json",
                "a person is a YAML file: rename it `ada.yaml`"
            ),
            ("templates", "did you mean `themes/`?"),
        ]
    );
}
