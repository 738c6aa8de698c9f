//! The command line as cargo's: the content folder found from anywhere
//! inside a plans repository, `DIR` or `--dir` alike, `-q`, `-v`,
//! `--color`, completions and manual pages.

mod common;

use std::path::Path;
use std::process::Output;

use common::{clientele, repo, TODAY};

fn run_in(cwd: &Path, args: &[&str]) -> Output {
    clientele().current_dir(cwd).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A plans repository: the base fixture under `content/`.
fn plans() -> tempfile::TempDir {
    let fixture = repo("");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(fixture.path(), &dir.path().join("content"));
    dir
}

#[test]
fn every_command_finds_the_content_folder_from_anywhere_inside() {
    let dir = plans();
    let root = dir.path();
    let content = root.join("content");
    let summary = |out: &Output| {
        let text = stderr(out);
        let line = text.lines().last().unwrap_or_default().to_string();
        line.split(" in ")
            .nth(1)
            .map(|rest| rest.split(" (").nth(1).unwrap_or_default().to_string())
            .unwrap_or(line)
    };
    let from_root = run_in(root, &["check", "--today", TODAY]);
    assert_eq!(from_root.status.code(), Some(0), "{}", stderr(&from_root));
    assert!(stderr(&from_root).contains("checked 2026-11-22 in content ("));
    for (cwd, shown) in [
        (content.clone(), "."),
        (content.join("clients/acme/activities"), "../../.."),
        (content.join("team"), ".."),
    ] {
        let out = run_in(&cwd, &["check", "--today", TODAY]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("checked 2026-11-22 in {shown} (")),
            "{}",
            stderr(&out)
        );
        assert_eq!(summary(&out), summary(&from_root));
    }
    // DIR and --dir are one option, for every command that reads one.
    let by_flag = run_in(root, &["check", "--dir", "content", "--today", TODAY]);
    assert_eq!(summary(&by_flag), summary(&from_root));
    let both = run_in(root, &["check", "content", "--dir", "content"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
    // build and new find it too.
    let deep = content.join("clients/acme");
    let out = run_in(&deep, &["build", "-o", "../../../site", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(root.join("site/index.html").is_file());
    let out = run_in(
        &deep,
        &[
            "new",
            "activity",
            "acme",
            "--type",
            "call",
            "--by",
            "bob",
            "--date",
            "2026-11-20",
            "--title",
            "Rates call",
            "--report",
            "Agreed the rates.",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(content
        .join("clients/acme/activities/2026-11-20-call.md")
        .is_file());
    // Outside any plans repository: one clear error, exit 2.
    let nowhere = tempfile::tempdir().unwrap();
    let out = run_in(nowhere.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.starts_with("error[content]: could not find `firm.yaml` in `")
            && text.contains("or any folder above it")
            && text.contains("help: run clientele inside a plans repository"),
        "{text}"
    );
}

#[test]
fn quiet_prints_problems_only_and_verbose_prints_more() {
    let dir = plans();
    let root = dir.path();
    let out = run_in(root, &["-q", "build", "--today", TODAY, "-o", "site"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    let out = run_in(root, &["check", "-q", "--today", TODAY]);
    assert_eq!(stderr(&out), "");
    // A problem is still shown, and the failure line with it.
    std::fs::remove_file(root.join("content/team/bob.yaml")).unwrap();
    let out = run_in(root, &["check", "-q", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[unknown-reference]: unknown person `bob`"));
    assert!(stderr(&out).contains("check failed for"));
    let out = run_in(root, &["check", "-v", "--today", TODAY]);
    let text = stderr(&out);
    assert!(text.starts_with("content folder: content\n"), "{text}");
    assert!(text.contains("timings:"), "{text}");
    assert_eq!(
        run_in(root, &["check", "-q", "-v"]).status.code(),
        Some(2),
        "one or the other"
    );
}

#[test]
fn color_is_chosen_with_color() {
    let dir = plans();
    let root = dir.path();
    std::fs::remove_file(root.join("content/team/bob.yaml")).unwrap();
    let ansi = |args: &[&str]| stderr(&run_in(root, args)).contains("\u{1b}[");
    assert!(ansi(&["check", "--today", TODAY, "--color", "always"]));
    assert!(!ansi(&["check", "--today", TODAY, "--color", "never"]));
    assert!(!ansi(&["check", "--today", TODAY]), "auto: not a terminal");
}

#[test]
fn completions_and_manual_pages_come_from_the_same_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("_clientele()") && script.contains("--changed-from"));
    let file = dir.path().join("clientele.bash");
    std::fs::write(&file, &script).unwrap();
    if let Ok(bash) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
    {
        assert!(
            bash.status.success(),
            "{}",
            String::from_utf8_lossy(&bash.stderr)
        );
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = run_in(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(!out.stdout.is_empty(), "{shell}");
    }

    let out = run_in(dir.path(), &["man"]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH clientele 1"), "{page}");
    assert!(page.contains("completions"));
    let out = run_in(dir.path(), &["man", "--out", "man1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in [
        "clientele.1",
        "clientele-check.1",
        "clientele-build.1",
        "clientele-import-calendar.1",
        "clientele-new-activity.1",
    ] {
        let page = std::fs::read_to_string(dir.path().join("man1").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(page.contains(".TH "), "{name}");
    }
    let check = std::fs::read_to_string(dir.path().join("man1/clientele-check.1")).unwrap();
    assert!(check.contains("changed\\-from"), "{check}");
}

#[test]
fn the_ci_action_and_the_pre_commit_hook_are_well_formed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap()).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("actions/cache@"))));
    // Inputs reach the shell through the environment, never spliced into
    // a script.
    for step in steps {
        let run = step["run"].as_str().unwrap_or_default();
        assert!(!run.contains("${{"), "{run}");
    }
    let hooks: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(hooks[0]["id"], "clientele-check");
    assert_eq!(hooks[0]["language"], "rust");
    assert_eq!(hooks[0]["pass_filenames"], false);
}
