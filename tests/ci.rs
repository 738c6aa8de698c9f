//! What CI sees: GitHub annotations and step summary, SARIF for code
//! scanning. Files are named from the repository root wherever the check
//! runs; one cause is reported once; a pull request's own problems first.

mod common;

use std::path::Path;
use std::process::Output;

use common::{clientele, repo, TODAY};

/// A git repository holding the base fixture under `plans/content`, with
/// `owners` extra clients owned by nobody the team knows.
fn plans_repo(owners: &[&str]) -> tempfile::TempDir {
    let fixture = repo("");
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("plans/content");
    common::copy_tree(fixture.path(), &content);
    for (i, owner) in owners.iter().enumerate() {
        let folder = content.join(format!("clients/x{i:04}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("client.yaml"),
            format!("name: Lost Client {i}\ncoverage:\n  owner: {owner}\n"),
        )
        .unwrap();
    }
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "plans"]);
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let done = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(done.status.success(), "git {args:?}: {done:?}");
}

/// `clientele check TYPED` run in `cwd` with `--format`, and `env`.
fn check_in(cwd: &Path, typed: &str, format: &str, env: &[(&str, &Path)]) -> Output {
    let mut cmd = clientele();
    cmd.current_dir(cwd)
        .args(["check", typed, "--today", TODAY, "--format", format]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The `file=` of every annotation.
fn annotated_files(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split("file=").nth(1))
        .map(|rest| rest.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn annotations_name_files_from_the_repository_root_wherever_the_check_runs() {
    let dir = plans_repo(&["carol"]);
    let root = dir.path();
    let content = root.join("plans/content");
    let want = vec![String::from("plans/content/clients/x0000/client.yaml")];
    let absolute = content.to_string_lossy().into_owned();
    for (cwd, typed) in [
        (content.clone(), "."),
        (root.to_path_buf(), "plans/content"),
        (root.join("plans"), "content/"),
        (std::env::temp_dir(), absolute.as_str()),
    ] {
        let out = check_in(&cwd, typed, "github", &[]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            annotated_files(&out),
            want,
            "from {} as {typed}",
            cwd.display()
        );
        // SARIF: relative to %SRCROOT%, which is the repository root.
        let out = check_in(&cwd, typed, "sarif", &[]);
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let run = &log["runs"][0];
        let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], want[0].as_str());
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        let real = std::fs::canonicalize(root).unwrap();
        assert_eq!(srcroot, format!("file://{}/", real.display()));
    }
    // Under Actions the workspace is the root, even without `.git`.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    let out = check_in(&content, ".", "github", &[("GITHUB_WORKSPACE", root)]);
    assert_eq!(annotated_files(&out), want);
    // Outside any repository, files are named as the folder was typed.
    let out = check_in(root, "plans/content", "github", &[]);
    assert_eq!(annotated_files(&out), want);
    let out = check_in(&content, ".", "github", &[]);
    assert_eq!(annotated_files(&out), ["clients/x0000/client.yaml"]);
}

#[test]
fn one_cause_is_reported_once_with_its_count_and_first_places() {
    // Forty clients owned by carol, who left the team.
    let owners = vec!["carol"; 40];
    let dir = plans_repo(&owners);
    let content = dir.path().join("plans/content");

    let (code, found) = common::check_json(&content);
    assert_eq!(code, 1);
    let about_carol = found
        .iter()
        .filter(|f| f.message == "unknown person `carol`")
        .count();
    assert_eq!(about_carol, 40, "the JSON output keeps every finding");

    let (code, human) = common::check_human(&content);
    assert_eq!(code, 1);
    assert_eq!(
        human.matches("unknown person `carol`").count(),
        1,
        "{human}"
    );
    assert!(
        human.contains(
            "the same problem in 39 more places: clients/x0001/client.yaml:3:10, clients/x0002/client.yaml:3:10, clients/x0003/client.yaml:3:10, clients/x0004/client.yaml:3:10, clients/x0005/client.yaml:3:10 and 34 more (`--format json` lists each)"
        ),
        "{human}"
    );

    let summary = dir.path().join("summary.md");
    let out = check_in(
        &content,
        ".",
        "github",
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with(
        "::error file=plans/content/clients/x0000/client.yaml,line=3,col=10,endColumn=15,title=unknown-reference::unknown person `carol`%0Athe same problem in 39 more places: plans/content/clients/x0001/client.yaml:3:10, "
    ), "{stdout}");
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.contains("40 errors, 0 warnings (1 cause)"), "{table}");
    assert!(
        table.contains("| error | `unknown-reference` | `plans/content/clients/x0000/client.yaml:3:10` | unknown person `carol` | 40 (the same problem in 39 more places: "),
        "{table}"
    );
}

#[test]
fn the_step_summary_stays_under_githubs_limit() {
    // Four thousand causes: one unknown owner each, with long ids.
    let owners: Vec<String> = (0..4000)
        .map(|i| format!("former-colleague-of-the-institutional-desk-who-left-in-the-summer-reorganisation-{i:04}"))
        .collect();
    let owners: Vec<&str> = owners.iter().map(String::as_str).collect();
    let dir = plans_repo(&owners);
    let summary = dir.path().join("summary.md");
    let out = check_in(
        &dir.path().join("plans/content"),
        ".",
        "github",
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        4000,
        "every cause is annotated"
    );
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.len() <= 512 * 1024, "{} bytes", table.len());
    let rows = table.lines().filter(|l| l.starts_with("| error |")).count();
    let last = table.lines().last().unwrap();
    assert_eq!(
        last,
        format!(
            "… and {n} more causes ({n} findings) not shown, to keep this summary under GitHub's 1 MiB limit: the annotations and `clientele check` list them all.",
            n = 4000 - rows
        )
    );
    assert!(rows > 1000, "{rows} rows shown");
}

#[test]
fn under_actions_the_report_is_not_printed_twice() {
    let dir = plans_repo(&["carol"]);
    let content = dir.path().join("plans/content");
    let out = clientele()
        .current_dir(&content)
        .env("GITHUB_ACTIONS", "true")
        .args(["check", ".", "--today", TODAY])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("unknown person"), "{stderr}");
    assert!(stderr.contains("check failed"), "{stderr}");
    // Outside Actions, `--format github` still shows people the report.
    let out = check_in(&content, ".", "github", &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown person `carol`"));
}

#[test]
fn problems_in_changed_files_come_first() {
    let dir = plans_repo(&["carol", "dave"]);
    let content = dir.path().join("plans/content");
    // A branch that breaks bolt, a file that sorts after the others.
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    let bolt = content.join("clients/x0001/client.yaml");
    let text = std::fs::read_to_string(&bolt).unwrap();
    std::fs::write(&bolt, text.replace("dave", "erin")).unwrap();
    git(dir.path(), &["commit", "-qam", "erin owns it"]);
    let places = |out: &Output| annotated_files(out);
    let plain = check_in(&content, ".", "github", &[]);
    assert_eq!(
        places(&plain),
        [
            "plans/content/clients/x0000/client.yaml",
            "plans/content/clients/x0001/client.yaml"
        ]
    );
    let mut cmd = clientele();
    let out = cmd
        .current_dir(&content)
        .args(["check", ".", "--today", TODAY, "--format", "github"])
        .args(["--changed-from", "main"])
        .output()
        .unwrap();
    assert_eq!(
        places(&out),
        [
            "plans/content/clients/x0001/client.yaml",
            "plans/content/clients/x0000/client.yaml"
        ]
    );
    // GitHub Actions names the base branch; its remote ref is compared.
    git(
        dir.path(),
        &["update-ref", "refs/remotes/origin/main", "main"],
    );
    let out = check_in(
        &content,
        ".",
        "github",
        &[("GITHUB_BASE_REF", Path::new("main"))],
    );
    assert_eq!(places(&out)[0], "plans/content/clients/x0001/client.yaml");
    // A revision git does not know: a warning, and the usual order.
    let out = clientele()
        .current_dir(&content)
        .args(["check", ".", "--today", TODAY, "--format", "github"])
        .args(["--changed-from", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(places(&out), places(&plain));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("warning: cannot tell which files changed since `no-such-branch`"));
}

#[test]
fn sarif_describes_every_rule_and_keeps_fingerprints_when_lines_move() {
    let dir = plans_repo(&["carol"]);
    let content = dir.path().join("plans/content");
    let sarif = |cwd: &Path| -> serde_json::Value {
        serde_json::from_slice(&check_in(cwd, ".", "sarif", &[]).stdout).unwrap()
    };
    let log = sarif(&content);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap_or_default();
            assert!(text.len() > 10 && text.ends_with('.'), "{key} of {rule}");
        }
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"invalid-value") && ids.contains(&"unknown-reference"));
    let print = |log: &serde_json::Value| {
        let result = &log["runs"][0]["results"][0];
        (
            result["partialFingerprints"]["clienteleFinding/v1"].clone(),
            result["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (before, line) = print(&log);
    assert_eq!(line, 3);
    // Two comment lines above the owner: the alert moves, and is the same.
    let file = content.join("clients/x0000/client.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("# lost\n# owner left\n{text}")).unwrap();
    let (after, line) = print(&sarif(&content));
    assert_eq!(line, 5);
    assert_eq!(before, after);
    assert!(before.as_str().unwrap().ends_with(":1"));
}
