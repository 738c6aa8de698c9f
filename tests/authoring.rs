//! `clientele init` and `clientele new`: what they write passes check, they
//! never overwrite, and they refuse unknown ids with a suggestion.

mod common;

use std::path::Path;

use common::{check_json, clientele, TODAY};

fn run(args: &[&str]) -> (i32, String, String) {
    let out = clientele().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn init(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("plans");
    let (code, _, stderr) = run(&[
        "init",
        root.to_str().unwrap(),
        "--firm",
        "Acme & Co",
        "--person",
        "jdoe",
        "--person-name",
        "Jane Doe",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{stderr}");
    root.join("content")
}

fn new(content: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--dir", content.to_str().unwrap(), "--today", TODAY]);
    run(&all)
}

fn assert_clean(content: &Path) {
    let (code, found) = check_json(content);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn init_creates_a_repository_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    assert_clean(&content);
    let root = content.parent().unwrap();
    for f in [
        ".gitignore",
        ".github/workflows/plans.yml",
        ".githooks/pre-commit",
        "schemas/client.schema.json",
        ".vscode/settings.json",
        "content/team/jdoe.yaml",
    ] {
        assert!(root.join(f).is_file(), "{f}");
    }
    assert!(std::fs::read_to_string(content.join("firm.yaml"))
        .unwrap()
        .contains("name: Acme & Co\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_ne!(
            std::fs::metadata(root.join(".githooks/pre-commit"))
                .unwrap()
                .permissions()
                .mode()
                & 0o111,
            0
        );
    }
    // Entry criteria are whole sentences, commas and all.
    let model = model_json(&content);
    let entries: Vec<usize> = model["charter"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["entry"].as_array().unwrap().len())
        .collect();
    assert_eq!(entries, [1, 1, 1], "{}", model["charter"]);
    // Not twice, and never over someone's files.
    let (code, _, stderr) = run(&["init", root.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not empty"), "{stderr}");
}

#[test]
fn logging_a_call_takes_one_command() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let (code, stdout, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "meeting",
            "--by",
            "jdoe",
            "--date",
            "2026-11-20",
            "--title",
            "Q4 review",
            "--report",
            "Agreed the Q4 plan: cross-sell FX.",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let path = stdout.trim();
    assert!(
        path.ends_with("clients/example-client/activities/2026-11-20-meeting.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains("title: Q4 review") && text.contains("Agreed the Q4 plan: cross-sell FX."),
        "{text}"
    );
    assert_clean(&content);
    // The same day again gets a new file, never the old one.
    let (code, stdout, _) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "meeting",
            "--by",
            "jdoe",
            "--date",
            "2026-11-20",
            "--title",
            "Second meeting",
            "--report",
            "More.",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.trim().ends_with("2026-11-20-meeting-2.md"));
    assert_eq!(std::fs::read_to_string(path).unwrap(), text);
    assert_clean(&content);
}

#[test]
fn meetings_with_tiered_clients_need_their_report() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "meeting",
            "--by",
            "jdoe",
            "--title",
            "No report",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a call report"), "{stderr}");
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "email",
            "--by",
            "jdoe",
            "--title",
            "Sent the deck",
        ],
    );
    assert_eq!(code, 0, "an email needs no report: {stderr}");
    assert_clean(&content);
}

#[test]
fn unknown_ids_are_refused_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let (code, stdout, stderr) = new(
        &content,
        &[
            "activity",
            "example-clinet",
            "--type",
            "call",
            "--by",
            "jdoe",
            "--title",
            "x",
            "--report",
            "y",
        ],
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("unknown client `example-clinet`")
            && stderr.contains("did you mean `example-client`?"),
        "{stderr}"
    );
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "call",
            "--by",
            "jdo",
            "--title",
            "x",
            "--report",
            "y",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `jdoe`?"), "{stderr}");
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "meting",
            "--by",
            "jdoe",
            "--title",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `meeting`?"), "{stderr}");
}

#[test]
fn new_clients_people_and_reviews_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    new_person_and_client(&content);
    new_reviews(&content);
    a_person_is_never_overwritten(&content);
}

/// A person, then a tiered client they own, after two refused tries.
fn new_person_and_client(content: &Path) {
    let (code, _, stderr) = new(
        content,
        &[
            "person",
            "asmith",
            "--name",
            "Alex Smith",
            "--role",
            "Relationship Manager",
            "--manager",
            "jdoe",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = new(
        content,
        &[
            "client",
            "bolt-capital",
            "--name",
            "Bolt Capital",
            "--tier",
            "strategic",
        ],
    );
    assert_eq!(code, 2, "a tiered client needs an owner");
    assert!(stderr.contains("--owner"), "{stderr}");
    let (code, _, stderr) = new(
        content,
        &[
            "client",
            "bolt-capital",
            "--name",
            "Bolt Capital",
            "--tier",
            "strategc",
            "--owner",
            "asmith",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `strategic`?"), "{stderr}");
    let (code, stdout, stderr) = new(
        content,
        &[
            "client",
            "bolt-capital",
            "--name",
            "Bolt Capital",
            "--tier",
            "strategic",
            "--owner",
            "asmith",
            "--segment",
            "hedge-fund",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("client.yaml") && stdout.contains("plan.md"));
    assert_clean(content);
}

/// An event review: refused without a trigger or with an unknown one.
fn new_reviews(content: &Path) {
    let (code, _, _) = new(
        content,
        &[
            "review",
            "bolt-capital",
            "--kind",
            "event",
            "--reviewers",
            "asmith",
            "--finding",
            "CIO left",
        ],
    );
    assert_eq!(code, 2, "an event review needs its trigger");
    let (code, _, stderr) = new(
        content,
        &[
            "review",
            "bolt-capital",
            "--kind",
            "event",
            "--trigger",
            "cio-left",
            "--reviewers",
            "asmith",
            "--finding",
            "CIO left",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("client-personnel-change"),
        "lists the triggers: {stderr}"
    );
    assert!(
        !content.join("clients/bolt-capital/reviews").exists(),
        "nothing written for a refused review"
    );
    let (code, _, stderr) = new(
        content,
        &[
            "review",
            "bolt-capital",
            "--kind",
            "event",
            "--trigger",
            "client-personnel-change",
            "--reviewers",
            "asmith,jdoe",
            "--finding",
            "CIO left; sponsor to replace",
            "--plan-changed",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_clean(content);
}

fn a_person_is_never_overwritten(content: &Path) {
    let before = std::fs::read_to_string(content.join("team/asmith.yaml")).unwrap();
    let (code, _, stderr) = new(
        content,
        &["person", "asmith", "--name", "Someone Else", "--role", "x"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(content.join("team/asmith.yaml")).unwrap(),
        before
    );
}

/// What the loader read back from the model export of a build.
fn model_json(content: &Path) -> serde_json::Value {
    let out = content.parent().unwrap().join("public");
    let (code, _, stderr) = run(&[
        "build",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&std::fs::read_to_string(out.join("exports/model.json")).unwrap()).unwrap()
}

#[test]
fn values_with_yaml_syntax_are_written_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let title = "Q4: \"plan\" #1 - yes\nsecond line";
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "meeting",
            "--by",
            "jdoe",
            "--title",
            title,
            "--contacts",
            "null,Bob: CFO,- Ann",
            "--report=---\nAgreed: FX.",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = new(
        &content,
        &[
            "person",
            "asmith",
            "--name",
            "O'Brien, \"Al\"",
            "--role",
            "~",
            "--team",
            "2026-01-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_clean(&content);
    let model = model_json(&content);
    let person = model["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "asmith")
        .unwrap();
    assert_eq!(
        (&person["name"], &person["role"], &person["team"]),
        (
            &serde_json::json!("O'Brien, \"Al\""),
            &serde_json::json!("~"),
            &serde_json::json!("2026-01-01")
        )
    );
    let client = &model["clients"][0];
    let meeting = client["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no activity titled {title:?}: {client}"));
    assert_eq!(
        meeting["contacts"],
        serde_json::json!(["null", "Bob: CFO", "- Ann"])
    );
}

#[test]
fn init_refuses_an_unusable_person_id_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("plans");
    let (code, stdout, stderr) = run(&[
        "init",
        root.to_str().unwrap(),
        "--person",
        "j: doe",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[init]: `j: doe` is not a usable person id")
            && stderr.contains("--person j-doe"),
        "{stderr}"
    );
    assert_eq!(stdout, "");
    assert!(!root.exists(), "nothing is written");
}

#[test]
fn a_late_call_report_is_written_with_a_warning_that_check_agrees_with() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    // Eleven days after the meeting; tier `key` asks within three.
    let meeting = [
        "activity",
        "example-client",
        "--type",
        "meeting",
        "--by",
        "jdoe",
        "--date",
        "2026-11-11",
        "--title",
        "Q4 review",
        "--report",
        "Agreed the Q4 plan.",
    ];
    let (code, _, stderr) = new(&content, &meeting);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning[new]: this call report is written 11 days after the meeting; tier `key` asks for it within 3")
            && stderr.contains("--reported"),
        "{stderr}"
    );
    let (_, found) = check_json(&content);
    let rules: Vec<&str> = found.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["call-report"], "{found:?}");
    // Written on time, and said so: no warning, and check agrees.
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let mut on_time = meeting.to_vec();
    on_time.extend(["--reported", "2026-11-12"]);
    let (code, _, stderr) = new(&content, &on_time);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_clean(&content);
}

#[test]
fn follow_ups_outcomes_and_review_actions_are_written_as_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let (code, _, stderr) = new(
        &content,
        &[
            "activity",
            "example-client",
            "--type",
            "transaction",
            "--by",
            "jdoe",
            "--title",
            "FX forward",
            "--outcome",
            "not-completed",
            "--follow-up",
            "Send the FX proposal; jdoe; 2026-12-15",
            "--follow-up",
            "Call the treasurer;jdoe;2026-12-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = new(
        &content,
        &[
            "review",
            "example-client",
            "--kind",
            "quarterly",
            "--reviewers",
            "jdoe",
            "--finding",
            "FX pricing is the blocker",
            "--action",
            "escalate; Agree FX pricing with the desk head; jdoe; 2026-12-10",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_clean(&content);
    let model = model_json(&content);
    let client = &model["clients"][0];
    let fx = client["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "FX forward")
        .unwrap();
    assert_eq!(fx["outcome"], "not-completed");
    let follow_ups: Vec<(&str, &str, &str)> = fx["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap(),
                t["owner"].as_str().unwrap(),
                t["due"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        follow_ups,
        [
            ("Send the FX proposal", "jdoe", "2026-12-15"),
            ("Call the treasurer", "jdoe", "2026-12-01")
        ]
    );
    let review = client["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["findings"][0] == "FX pricing is the blocker")
        .unwrap();
    assert_eq!(review["actions"][0]["kind"], "escalate");
    assert_eq!(
        review["actions"][0]["title"],
        "Agree FX pricing with the desk head"
    );
}

#[test]
fn malformed_tasks_are_refused_with_their_shape() {
    let dir = tempfile::tempdir().unwrap();
    let content = init(dir.path());
    let review = |action: &str| {
        new(
            &content,
            &[
                "review",
                "example-client",
                "--kind",
                "quarterly",
                "--reviewers",
                "jdoe",
                "--finding",
                "x",
                "--action",
                action,
            ],
        )
    };
    let (code, _, stderr) = review("escalte; Agree pricing; jdoe; 2026-12-10");
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `escalate`?"), "{stderr}");
    let (code, _, stderr) = review("Agree pricing; jdoe; 2026-12-10");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("does not have four parts") && stderr.contains("kind; title; owner; due"),
        "{stderr}"
    );
    let (code, _, stderr) = review("escalate; Agree pricing; jdoe; 2026-12-32");
    assert_eq!(code, 2);
    assert!(stderr.contains("December 2026 has 31 days"), "{stderr}");
    let (code, _, stderr) = review("escalate; Agree pricing; jdeo; 2026-12-10");
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `jdoe`?"), "{stderr}");
    assert!(!content
        .join("clients/example-client/reviews")
        .read_dir()
        .unwrap()
        .any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .contains("2026-11-22-quarterly-2")
        }));
}
