//! "What changed since the last review" on the client page, read from the
//! repository's git history with gix: the commits that touched the
//! client's folder after its last review, with their day, author, subject
//! and files; nothing outside git, with `--no-git` or for the wide
//! audience; a shallow clone says so.

mod common;

use std::path::Path;

use common::git_on;

/// A plans repository whose content folder is `content/` inside the git
/// work tree (as the demo's is). acme's last review is on 2026-11-10.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_tree(&common::fixtures().join("base"), &content);
    let root = dir.path();
    git_on(root, "2026-10-01", &["init", "-q"]);
    git_on(root, "2026-10-01", &["add", "."]);
    git_on(
        root,
        "2026-10-01",
        &["commit", "-q", "-m", "Plans for the autumn"],
    );
    // Before the review: not shown.
    common::append(&content, "clients/acme/plan.md", "More narrative.\n");
    git_on(
        root,
        "2026-11-05",
        &["commit", "-q", "-am", "Tighten the research goal"],
    );
    // After it: a new call report, and a plan change.
    std::fs::write(
        content.join("clients/acme/activities/2026-11-12-call.md"),
        "---\ndate: 2026-11-12\ntype: call\nby: ada\ntitle: Research follow-up\nreported: 2026-11-12\n---\n\nCalled Tom.\n",
    )
    .unwrap();
    common::append(&content, "clients/acme/plan.md", "Even more.\n");
    git_on(root, "2026-11-12", &["add", "."]);
    git_on(
        root,
        "2026-11-12",
        &[
            "commit",
            "-q",
            "-m",
            "Log the November call\n\nWith the follow-up.",
        ],
    );
    // Bolt's folder only: not on acme's page.
    std::fs::write(content.join("clients/bolt/notes.md"), "x").unwrap();
    git_on(root, "2026-11-14", &["add", "."]);
    git_on(root, "2026-11-14", &["commit", "-q", "-m", "Bolt notes"]);
    dir
}

fn changes(content: &Path, extra: &[&str]) -> Option<String> {
    let out = content.parent().unwrap().join("site");
    let built = common::build(content, &out, &[&["--allow-errors"], extra].concat());
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    let page = std::fs::read_to_string(out.join("clients/acme.html")).unwrap();
    let start = page.find(r#"id="changes""#)?;
    let section = &page[start..];
    Some(section[..section.find("</section>").unwrap()].to_string())
}

#[test]
fn the_client_page_lists_the_commits_since_its_last_review() {
    let dir = repository();
    let section = changes(&dir.path().join("content"), &[]).expect("a Changes section");
    assert!(
        section.contains("Changed since the last review (10 Nov 2026)"),
        "{section}"
    );
    assert!(
        section.contains("<td>12 Nov 2026</td><td>Test</td><td>Log the November call</td><td><code>activities/2026-11-12-call.md</code>, <code>plan.md</code></td>"),
        "{section}"
    );
    assert!(
        !section.contains("Tighten the research goal"),
        "before the review"
    );
    assert!(!section.contains("Bolt notes"), "another client's folder");
    assert!(!section.contains("shallow"), "{section}");
}

#[test]
fn no_git_the_wide_audience_and_no_repository_leave_it_out() {
    let dir = repository();
    let content = dir.path().join("content");
    assert_eq!(changes(&content, &["--no-git"]), None);
    assert_eq!(changes(&content, &["--audience", "wide"]), None);
    let plain = common::repo("");
    assert_eq!(changes(plain.path(), &[]), None);
}

#[test]
fn a_shallow_clone_says_its_history_is_cut() {
    let dir = repository();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().display());
    git_on(
        clone.path(),
        "2026-11-20",
        &["clone", "-q", "--depth", "1", &url, "repo"],
    );
    let section = changes(&clone.path().join("repo/content"), &[]).expect("a Changes section");
    assert!(section.contains("This is a shallow clone"), "{section}");
    // The clone's one commit has no parent to compare with: what it
    // changed is unknown, not "every file".
    assert!(!section.contains("<td>Test</td>"), "{section}");
}
