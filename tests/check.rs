//! `clientele check` as a user runs it: each fixture breaks exactly one rule
//! or feeds one kind of bad input, and the test asserts the exit code, the
//! rule id, and the file and line it points at.

mod common;

use common::{check_human, check_json, repo, TODAY};

/// Asserts that the overlay yields only `rule`, first at `file:line`.
fn expect_only(overlay: &str, code: i32, rule: &str, file: &str, line: u64) -> Vec<common::Found> {
    let dir = repo(overlay);
    let (got_code, found) = check_json(dir.path());
    assert!(
        !found.is_empty(),
        "{overlay}: expected `{rule}`, got nothing"
    );
    let rules: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
    assert!(
        rules.iter().all(|r| *r == rule),
        "{overlay}: expected only `{rule}`, got {rules:?}"
    );
    assert_eq!(
        (found[0].file.as_str(), found[0].line),
        (file, line),
        "{overlay}: location of {:?}",
        found[0]
    );
    assert_eq!(got_code, code, "{overlay}: exit code; found {found:?}");
    found
}

#[test]
fn base_fixture_is_clean() {
    let dir = repo("");
    let (code, found) = check_json(dir.path());
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn demo_firm_passes_check() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (code, found) = check_json(&content);
    let errors: Vec<_> = found.iter().filter(|f| f.severity == "error").collect();
    assert_eq!(code, 0, "{errors:?}");
    assert!(errors.is_empty());
}

#[test]
fn task_owner() {
    let f = expect_only(
        "rules/task-owner",
        1,
        "task-owner",
        "clients/acme/plan.md",
        12,
    );
    assert_eq!(f[0].column, 12);
    assert!(f[0]
        .message
        .contains("`Present research offer` has no owner"));
}

#[test]
fn task_due_date() {
    expect_only(
        "rules/task-due-date",
        1,
        "task-due-date",
        "clients/acme/plan.md",
        12,
    );
}

#[test]
fn overdue_task_is_a_warning() {
    let f = expect_only(
        "rules/overdue-task",
        0,
        "overdue-task",
        "clients/acme/activities/2026-11-02-meeting.md",
        12,
    );
    assert_eq!(f[0].severity, "warning");
}

#[test]
fn client_owner() {
    expect_only(
        "rules/client-owner",
        1,
        "client-owner",
        "clients/acme/client.yaml",
        2,
    );
}

#[test]
fn missing_plan() {
    expect_only(
        "rules/missing-plan",
        1,
        "missing-plan",
        "clients/acme/client.yaml",
        2,
    );
}

#[test]
fn missing_review() {
    let f = expect_only(
        "rules/missing-review",
        1,
        "missing-review",
        "clients/acme/client.yaml",
        2,
    );
    assert!(
        f[0].message
            .contains("last reviewed 2026-09-10; tier `strategic` requires a monthly review"),
        "{}",
        f[0].message
    );
}

#[test]
fn review_content() {
    expect_only(
        "rules/review-content",
        1,
        "review-content",
        "clients/acme/reviews/2026-11-10-monthly.md",
        2,
    );
}

#[test]
fn tier_history() {
    expect_only(
        "rules/tier-history",
        1,
        "tier-history",
        "clients/acme/client.yaml",
        2,
    );
}

#[test]
fn call_report() {
    expect_only(
        "rules/call-report",
        1,
        "call-report",
        "clients/acme/activities/2026-11-02-meeting.md",
        3,
    );
}

#[test]
fn event_review_follows_the_events_the_files_show() {
    let f = expect_only(
        "rules/event-review",
        1,
        "event-review",
        "clients/acme/client.yaml",
        13,
    );
    let messages: Vec<(&str, u64, &str)> = f
        .iter()
        .map(|f| (f.file.as_str(), f.line, f.message.as_str()))
        .collect();
    // Raj Patel's turn from ally had its event review; Kim Ode's from
    // protester to neutral is no event; Lou Grant left a week ago, inside
    // the 14 days.
    assert_eq!(
        messages,
        [
            (
                "clients/acme/client.yaml",
                13,
                "`acme` moved from key to strategic on 2026-10-01; no event review of `acme` followed within 14 days"
            ),
            (
                "clients/acme/plan.md",
                29,
                "Ann Lee left on 2026-10-20; no event review of `acme` followed within 14 days"
            ),
        ]
    );
    assert!(f[1]
        .help
        .contains("`kind: event` and `trigger: client-personnel-change`"));
}

#[test]
fn activity_minimum_warns_per_completed_quarter() {
    let f = expect_only(
        "rules/activity-minimum",
        0,
        "activity-minimum",
        "clients/acme/client.yaml",
        2,
    );
    assert_eq!(f.len(), 3, "Q1-Q3 are over, Q4 is not: {f:?}");
}

#[test]
fn strategy_link() {
    expect_only(
        "rules/strategy-link",
        1,
        "strategy-link",
        "strategy.yaml",
        11,
    );
}

#[test]
fn unknown_reference_suggests() {
    let f = expect_only(
        "rules/unknown-reference",
        1,
        "unknown-reference",
        "clients/acme/client.yaml",
        7,
    );
    assert_eq!(f[0].help, "did you mean `ada`?");
}

#[test]
fn revenue_split() {
    let f = expect_only(
        "rules/revenue-split",
        1,
        "revenue-split",
        "financials/revenue.csv",
        3,
    );
    assert!(f[0].message.contains("credited 120% in total"));
}

#[test]
fn email_domain() {
    let f = expect_only(
        "rules/email-domain",
        1,
        "email-domain",
        "clients/acme/client.yaml",
        13,
    );
    let at: Vec<(&str, u64, u64, &str)> = f
        .iter()
        .map(|f| (f.file.as_str(), f.line, f.column, f.message.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (
                "clients/acme/client.yaml",
                13,
                11,
                "`acme-am.com` is claimed by `acme` and by `bolt`"
            ),
            (
                "clients/acme/plan.md",
                24,
                12,
                "`tom.pearce at acme` is not an email address for Tom Pearce: an address is name@domain"
            ),
            (
                "clients/bolt/client.yaml",
                7,
                5,
                "`ACME-AM.com` is claimed by `bolt` and by `acme`"
            ),
            (
                "clients/bolt/client.yaml",
                8,
                5,
                "`gmail.com` cannot be a domain of `bolt`: it is a public mail service anyone can have an address at"
            ),
            (
                "clients/bolt/client.yaml",
                9,
                5,
                "`testfirm.co.uk` is the firm's own domain (firm.yaml), not `bolt`'s"
            ),
            (
                "clients/bolt/client.yaml",
                10,
                5,
                "`bolt capital` cannot be a domain of `bolt`: a domain is names of letters, digits and dashes joined by dots"
            ),
        ]
    );
}

#[test]
fn duplicate_id() {
    expect_only("rules/duplicate-id", 1, "duplicate-id", "charter.yaml", 17);
}

#[test]
fn invalid_yaml() {
    expect_only(
        "input/invalid-yaml",
        2,
        "invalid-yaml",
        "clients/acme/client.yaml",
        5,
    );
}

#[test]
fn wrong_type() {
    let f = expect_only("input/wrong-type", 2, "wrong-type", "firm.yaml", 3);
    assert!(f[0].message.contains("found `january`"), "{}", f[0].message);
}

#[test]
fn bad_utf8() {
    let f = expect_only("input/bad-utf8", 2, "invalid-text", "team/bob.yaml", 1);
    assert_eq!(f[0].column, 15);
}

#[test]
fn impossible_date() {
    let f = expect_only(
        "input/invalid-date",
        2,
        "invalid-date",
        "clients/acme/activities/2026-11-02-meeting.md",
        2,
    );
    assert_eq!(
        f[0].message,
        "`2026-02-30` is not a real date: February 2026 has 28 days"
    );
}

#[test]
fn duplicate_key() {
    expect_only(
        "input/duplicate-key",
        2,
        "duplicate-key",
        "clients/acme/client.yaml",
        6,
    );
}

#[test]
fn empty_file() {
    expect_only("input/empty-file", 2, "empty-file", "team/bob.yaml", 1);
}

#[test]
fn missing_required_file() {
    expect_only("input/missing-file", 2, "missing-file", "charter.yaml", 1);
}

#[test]
fn unknown_field_suggests() {
    let f = expect_only(
        "input/unknown-field",
        2,
        "unknown-field",
        "clients/acme/client.yaml",
        4,
    );
    assert!(
        f[0].help.starts_with("did you mean `segment`?"),
        "{}",
        f[0].help
    );
}

#[test]
fn unclosed_front_matter_does_not_cascade() {
    // The unread review must not also be reported as "never reviewed".
    expect_only(
        "input/unclosed-front-matter",
        2,
        "front-matter",
        "clients/acme/reviews/2026-11-10-monthly.md",
        1,
    );
}

#[test]
fn missing_folder_is_unusable_input() {
    let out = common::check(std::path::Path::new("no/such/folder"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[missing-folder]: `no/such/folder` is not a folder"),
        "{stderr}"
    );
}

#[test]
fn severities_follow_firm_yaml() {
    let dir = repo("rules/overdue-task");
    let firm = dir.path().join("firm.yaml");
    let base = std::fs::read_to_string(&firm).unwrap();
    std::fs::write(&firm, format!("{base}rules:\n  overdue-task: error\n")).unwrap();
    let (code, found) = check_json(dir.path());
    assert_eq!((code, found[0].severity.as_str()), (1, "error"));
    std::fs::write(&firm, format!("{base}rules:\n  overdue-task: off\n")).unwrap();
    let (code, found) = check_json(dir.path());
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
    std::fs::write(&firm, format!("{base}rules:\n  overdue-tasks: off\n")).unwrap();
    // A misspelt rule id is reported, and the rule keeps its default.
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 1);
    let typo = found
        .iter()
        .find(|f| f.file == "firm.yaml")
        .expect("firm.yaml problem");
    assert_eq!(
        (typo.rule.as_str(), typo.help.as_str()),
        ("unknown-reference", "did you mean `overdue-task`?")
    );
    assert!(found
        .iter()
        .any(|f| f.rule == "overdue-task" && f.severity == "warning"));
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let dir = repo("rules/overdue-task");
    let out = common::check(dir.path(), &["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_today_is_a_usage_error() {
    let dir = repo("");
    let out = common::clientele()
        .args(["check"])
        .arg(dir.path())
        .args(["--today", "2026-02-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("February 2026 has 28 days"));
}

#[test]
fn human_output_snapshots() {
    for case in [
        "rules/missing-review",
        "rules/unknown-reference",
        "input/invalid-date",
        "input/unknown-field",
        "rules/revenue-split",
    ] {
        let dir = repo(case);
        let (code, text) = check_human(dir.path());
        assert_ne!(code, 0);
        insta::assert_snapshot!(case.replace('/', "__"), text);
    }
}

#[test]
fn readme_documents_every_rule() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    for rule in clientele::rules::RULES {
        let row = format!("| `{}` | {} |", rule.id, rule.default);
        assert!(readme.contains(&row), "README's rules table lacks `{row}`");
    }
}

#[test]
fn readme_documents_exactly_the_input_problems() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme
        .find("Input problems are always errors")
        .expect("the README's input problems section");
    let table: Vec<(String, String)> = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let (id, meaning) = l[3..].split_once("` | ").unwrap();
            (id.to_string(), meaning.trim_end_matches(" |").to_string())
        })
        .collect();
    let registry: Vec<(String, String)> = clientele::diag::inputs::INPUTS
        .iter()
        .map(|p| (p.id.to_string(), p.meaning.to_string()))
        .collect();
    assert_eq!(
        table, registry,
        "README's input problems and diag::inputs differ"
    );
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let dir = repo("rules/unknown-reference");
    let out = common::check(dir.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= clientele::rules::RULES.len());
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-reference");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "unknown-reference"
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(7), Some(10))
    );
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("clients/acme/client.yaml")
    );
}

#[test]
fn github_format_is_the_default_in_actions() {
    let dir = repo("rules/unknown-reference");
    let summary = dir.path().join("summary.md");
    let out = common::clientele()
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", ".", "--today", common::TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "::error file=clients/acme/client.yaml,line=7,col=10,endColumn=14,title=unknown-reference::unknown person `adaa`%0Ahelp: did you mean `ada`?\n"
    );
    let table = std::fs::read_to_string(summary).unwrap();
    assert!(table.contains("| error | `unknown-reference` | `clients/acme/client.yaml:7:10` | unknown person `adaa` |"), "{table}");
}

#[test]
fn the_last_quarter_of_a_fiscal_year_is_judged_once_it_ends() {
    // A fiscal year from January; acme's only meeting (2 November) is gone,
    // so every quarter falls short of the one meeting its tier asks.
    let dir = repo("rules/activity-minimum");
    std::fs::remove_file(
        dir.path()
            .join("clients/acme/activities/2026-11-02-meeting.md"),
    )
    .unwrap();
    let q = |n: u32, from: &str| {
        format!("`acme` had 0 meetings in Q{n} (from {from}); tier `strategic` expects at least 1")
    };
    // The last day of Q4: it is not over yet.
    assert_eq!(
        findings_on(dir.path(), "2026-12-31", "activity-minimum"),
        [q(1, "2026-01-01"), q(2, "2026-04-01"), q(3, "2026-07-01")]
    );
    // Over: judged in the new fiscal year's first quarter...
    assert_eq!(
        findings_on(dir.path(), "2027-01-01", "activity-minimum"),
        [q(4, "2026-10-01")]
    );
    assert_eq!(
        findings_on(dir.path(), "2027-01-15", "activity-minimum"),
        [q(4, "2026-10-01")]
    );
    // ...until the new year's first quarter is over and judged instead.
    assert_eq!(
        findings_on(dir.path(), "2027-04-01", "activity-minimum"),
        [q(1, "2027-01-01")]
    );

    // A fiscal year from April: its last quarter is January to March.
    let firm = dir.path().join("firm.yaml");
    let yaml = std::fs::read_to_string(&firm).unwrap();
    std::fs::write(
        &firm,
        yaml.replace("fiscal_year_start_month: 1", "fiscal_year_start_month: 4"),
    )
    .unwrap();
    assert_eq!(
        findings_on(dir.path(), "2027-03-31", "activity-minimum"),
        [q(1, "2026-04-01"), q(2, "2026-07-01"), q(3, "2026-10-01")]
    );
    assert_eq!(
        findings_on(dir.path(), "2027-04-10", "activity-minimum"),
        [q(4, "2027-01-01")]
    );
}

/// The messages of `rule` from `check` on `day`.
fn findings_on(dir: &std::path::Path, day: &str, rule: &str) -> Vec<String> {
    let out = common::clientele()
        .arg("check")
        .arg(dir)
        .args(["--today", day, "--format", "json"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["rule"] == rule)
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_client_that_just_joined_its_tier_has_one_cadence_of_grace() {
    // Reviewed in February, off the list in March, back on the monthly
    // tier on 20 November.
    let dir = repo("");
    let acme = dir.path().join("clients/acme");
    let yaml = std::fs::read_to_string(acme.join("client.yaml")).unwrap();
    let history = "priority_history:\n  - date: 2025-01-10\n    tier: strategic\n    reason: Revenue passed 1m\n  - date: 2026-03-01\n    reason: Mandate paused\n  - date: 2026-11-20\n    tier: strategic\n    reason: Mandate resumed\n";
    let start = yaml.find("priority_history:").unwrap();
    let end = yaml.find("domains:").unwrap();
    std::fs::write(
        acme.join("client.yaml"),
        format!("{}{history}{}", &yaml[..start], &yaml[end..]),
    )
    .unwrap();
    std::fs::remove_file(acme.join("reviews/2026-11-10-monthly.md")).unwrap();
    std::fs::write(
        acme.join("reviews/2026-02-05-monthly.md"),
        "---\ndate: 2026-02-05\nkind: monthly\nreviewers: [ada]\nfindings:\n  - On track\n---\n",
    )
    .unwrap();
    assert_eq!(
        findings_on(dir.path(), "2026-11-22", "missing-review"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings_on(dir.path(), "2026-12-20", "missing-review"),
        Vec::<String>::new()
    );
    assert_eq!(
        findings_on(dir.path(), "2026-12-21", "missing-review"),
        ["account plan for `acme` was last reviewed 2026-02-05; tier `strategic` requires a monthly review"]
    );
}

#[test]
fn a_priority_change_cannot_be_dated_after_today() {
    let dir = repo("");
    let path = dir.path().join("clients/acme/client.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        yaml.replace("  - date: 2026-10-01", "  - date: 2026-12-01"),
    )
    .unwrap();
    assert_eq!(
        findings_on(dir.path(), TODAY, "tier-history"),
        ["priority change of `acme` is dated 2026-12-01, after today (2026-11-22)"]
    );
    assert_eq!(
        findings_on(dir.path(), "2026-12-01", "tier-history"),
        Vec::<String>::new()
    );
}

/// Runs git in `dir` with a fixed author and commit date.
#[test]
fn plan_changed_is_judged_from_the_plans_git_history() {
    let dir = repo("");
    let reviews = dir.path().join("clients/acme/reviews");
    let review = |date: &str, changed: bool| {
        std::fs::write(
            reviews.join(format!("{date}-monthly.md")),
            format!("---\ndate: {date}\nkind: monthly\nreviewers: [ada]\nfindings: [On track]\nplan_changed: {changed}\n---\n"),
        )
        .unwrap();
    };
    review("2026-09-15", false);
    review("2026-10-15", true);
    common::git_on(dir.path(), "2026-09-01", &["init", "-q"]);
    common::git_on(dir.path(), "2026-09-01", &["add", "."]);
    common::git_on(dir.path(), "2026-09-01", &["commit", "-q", "-m", "plans"]);
    let (_, found) = check_json(dir.path());
    let warned: Vec<_> = found.iter().filter(|f| f.rule == "plan-changed").collect();
    assert_eq!(warned.len(), 1, "{found:?}");
    assert_eq!(
        (
            warned[0].file.as_str(),
            warned[0].line,
            warned[0].severity.as_str()
        ),
        ("clients/acme/reviews/2026-10-15-monthly.md", 2, "warning")
    );
    assert!(warned[0]
        .message
        .contains("after the previous review (2026-09-15)"));
    // The plan committed five days after the review: the change was made.
    let plan = dir.path().join("clients/acme/plan.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("Narrative.", "Narrative, revised.")).unwrap();
    common::git_on(
        dir.path(),
        "2026-10-20",
        &["commit", "-q", "-am", "revise the plan"],
    );
    let (_, found) = check_json(dir.path());
    assert!(!found.iter().any(|f| f.rule == "plan-changed"), "{found:?}");
}
