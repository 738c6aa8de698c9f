//! Hostile input: each case is laid over the base fixture, and `check` must
//! answer within a minute (a hang guard, not a benchmark) with one clear
//! diagnostic at the right place, the right exit code, and no panic.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `check --format json` with a watchdog: (exit code, JSON lines, stderr).
fn check_guarded(dir: &Path) -> (i32, Vec<serde_json::Value>, String) {
    let (code, stdout, stderr) = run_guarded(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--today".as_ref(),
        common::TODAY.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let found = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    (code, found, stderr)
}

/// Writes `bytes` at `rel` over the base fixture, checks, and asserts the
/// first diagnostic.
fn case(rel: &str, bytes: &[u8], code: i32, rule: &str, line: u64) {
    let dir = common::repo("");
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let (got, found, stderr) = check_guarded(dir.path());
    assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
    assert_eq!(got, code, "{rel}: {found:?}");
    let first = found
        .first()
        .unwrap_or_else(|| panic!("{rel}: no diagnostic"));
    assert_eq!(
        (
            first["rule"].as_str().unwrap(),
            first["file"].as_str().unwrap(),
            first["line"].as_u64().unwrap()
        ),
        (rule, rel, line),
        "{rel}: {first}"
    );
    assert!(!first["message"].as_str().unwrap().is_empty());
}

#[test]
fn alias_bomb() {
    let mut yaml = String::from("name: Acme\nqualifiers:\n  - &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, next) in ('a'..'j').zip('b'..='j') {
        yaml.push_str(&format!("  - &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    // Reported where the expansion passes the parser's budget, not as the
    // wrong shape of the first alias.
    case(
        "clients/acme/client.yaml",
        yaml.as_bytes(),
        2,
        "invalid-yaml",
        8,
    );
}

#[test]
fn ten_megabyte_single_line_value() {
    let yaml = format!("name: {}\n", "x".repeat(10 << 20));
    case(
        "clients/acme/client.yaml",
        yaml.as_bytes(),
        2,
        "file-too-large",
        1,
    );
}

#[test]
fn deeply_nested_yaml() {
    let yaml = format!(
        "name: Acme\nqualifiers: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    case(
        "clients/acme/client.yaml",
        yaml.as_bytes(),
        2,
        "invalid-yaml",
        2,
    );
}

#[test]
fn nul_bytes() {
    case(
        "team/bob.yaml",
        b"name: Bob\0\nrole: RM\n",
        2,
        "invalid-text",
        1,
    );
}

#[test]
fn non_utf8_bytes() {
    case(
        "clients/acme/activities/2026-11-02-meeting.md",
        b"---\ndate: 2026-11-02\ntype: meeting\nby: ada\ntitle: Caf\xe9\n---\n",
        2,
        "invalid-text",
        5,
    );
}

#[test]
fn tab_indentation() {
    case(
        "team/bob.yaml",
        b"name: Bob\n\trole: RM\n",
        2,
        "invalid-yaml",
        1,
    );
}

#[test]
fn unclosed_front_matter() {
    case(
        "clients/acme/plan.md",
        b"---\nfiscal_year: 2026\n\n# Plan that forgot its closing line\n",
        2,
        "front-matter",
        1,
    );
}

#[test]
fn ragged_csv_with_quoted_newlines() {
    // The quoted newline is one cell; the short row after it is the problem.
    case("clients/acme/activities.csv", b"date,type,by,summary,outcome\n2026-11-04,email,bob,\"Sent a note\nwith two lines\",\n2026-11-05,transaction,ada\n", 2, "csv-shape", 4);
}

#[test]
fn bom_crlf_and_unicode_are_fine() {
    let dir = common::repo("");
    std::fs::write(
        dir.path().join("team/bob.yaml"),
        "\u{feff}name: Bob Marley — Zoë\r\nrole: Relationship Manager\r\nmanager: ada\r\n",
    )
    .unwrap();
    let (code, found, _) = check_guarded(dir.path());
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn awkward_file_names_and_links_are_refused() {
    let dir = common::repo("");
    let acts = dir.path().join("clients/acme/activities");
    std::fs::rename(
        acts.join("2026-11-02-meeting.md"),
        acts.join("2026-11-02 meeting with Tom ü.md"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("clients/-rf")).unwrap();
    std::fs::write(dir.path().join("clients/-rf/client.yaml"), "name: X\n").unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), dir.path().join("clients/linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            dir.path().join("clients/acme/documents/secret.md"),
        )
        .unwrap();
    }
    let (code, found, stderr) = check_guarded(dir.path());
    assert_eq!(code, 2, "{stderr}");
    let rules: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(rules.contains(&("invalid-id", "clients/-rf")), "{rules:?}");
    assert!(
        rules.contains(&(
            "invalid-id",
            "clients/acme/activities/2026-11-02 meeting with Tom ü.md"
        )),
        "{rules:?}"
    );
    #[cfg(unix)]
    {
        assert!(rules.contains(&("symlink", "clients/linked")), "{rules:?}");
        assert!(
            rules.contains(&("symlink", "clients/acme/documents/secret.md")),
            "{rules:?}"
        );
    }
}

/// Runs clientele with `args`; a hang guard, not a benchmark: it must
/// finish within a minute. (exit code, stdout, stderr).
fn run_guarded(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("clientele {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (
        status.code().expect("exit code, not a signal"),
        reader.join().unwrap(),
        err_reader.join().unwrap(),
    )
}

/// `build` of `root` into `out` under the watchdog.
fn build_guarded(root: &Path, out: &Path, allow_errors: bool) -> (i32, String, String) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        root.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--today".as_ref(),
        common::TODAY.as_ref(),
    ];
    if allow_errors {
        args.push("--allow-errors".as_ref());
    }
    run_guarded(&args)
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn fifos_never_block_check_or_build() {
    let dir = common::repo("");
    let root = dir.path();
    std::fs::remove_file(root.join("clients/acme/plan.md")).unwrap();
    mkfifo(&root.join("clients/acme/plan.md"));
    mkfifo(&root.join("team/eve.yaml"));
    mkfifo(&root.join("clients/acme/documents/pipe.pdf"));
    mkfifo(&root.join("clients/acme/activities/2026-11-03-call.md"));
    std::fs::create_dir_all(root.join("themes/static")).unwrap();
    mkfifo(&root.join("themes/static/pipe.css"));
    let (code, found, stderr) = check_guarded(root);
    assert_eq!(code, 2, "{stderr}");
    let refused: Vec<&str> = found
        .iter()
        .filter(|d| d["rule"] == "unreadable-file")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    for file in [
        "clients/acme/plan.md",
        "team/eve.yaml",
        "clients/acme/documents/pipe.pdf",
        "clients/acme/activities/2026-11-03-call.md",
    ] {
        assert!(refused.contains(&file), "{file}: {refused:?}");
    }
    // The human report reads the lines it shows without opening a FIFO.
    let (code, _, stderr) = run_guarded(&[
        "check".as_ref(),
        root.as_os_str(),
        "--today".as_ref(),
        common::TODAY.as_ref(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("FIFO"), "{stderr}");
    // A build with --allow-errors skips them and never opens one.
    let out = root.join("public");
    let (code, _, stderr) = build_guarded(root, &out, true);
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("clients/acme/documents/pipe.pdf").exists());
    assert!(!out.join("static/pipe.css").exists());
    // A theme template that is a FIFO is an error, not a hang.
    std::fs::create_dir_all(root.join("themes/templates")).unwrap();
    mkfifo(&root.join("themes/templates/base.html"));
    let (code, _, stderr) = build_guarded(root, &out, true);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("themes/templates/base.html"), "{stderr}");
}

#[test]
fn hidden_files_are_never_published() {
    let dir = common::repo("");
    let root = dir.path();
    let docs = root.join("clients/acme/documents");
    std::fs::create_dir_all(docs.join(".git")).unwrap();
    std::fs::write(docs.join(".git/config"), "[remote] url = secret").unwrap();
    std::fs::create_dir_all(docs.join(".private")).unwrap();
    std::fs::write(docs.join(".private/notes.txt"), "secret").unwrap();
    std::fs::create_dir_all(docs.join("deals/.draft")).unwrap();
    std::fs::write(docs.join("deals/.draft/offer.txt"), "secret").unwrap();
    std::fs::write(docs.join("deals/offer.txt~"), "secret").unwrap();
    std::fs::write(docs.join("deals/offer.txt"), "public").unwrap();
    std::fs::create_dir_all(root.join("themes/static/.cache")).unwrap();
    std::fs::write(root.join("themes/static/.env"), "TOKEN=secret").unwrap();
    std::fs::write(root.join("themes/static/.cache/x.css"), "secret").unwrap();
    let out = root.join("public");
    let (code, _, stderr) = build_guarded(root, &out, false);
    assert_eq!(code, 0, "{stderr}");
    let published: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(published
        .iter()
        .any(|p| p == "clients/acme/documents/deals/offer.txt"));
    for p in &published {
        let hidden = p.split('/').any(|c| c.starts_with('.') || c.ends_with('~'));
        let ours = p == ".clientele-build" || p == ".clientele-files";
        assert!(!hidden || ours, "{p} was published");
        let text = std::fs::read_to_string(out.join(p)).unwrap_or_default();
        assert!(!text.contains("secret"), "{p} holds a hidden file's text");
    }
}

#[test]
fn document_names_that_cannot_be_written_are_reported_and_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = common::repo("");
    let root = dir.path();
    let docs = root.join("clients/acme/documents");
    std::fs::write(docs.join(std::ffi::OsStr::from_bytes(b"caf\xe9.pdf")), "x").unwrap();
    std::fs::write(docs.join("back\\slash.pdf"), "x").unwrap();
    std::fs::write(docs.join("CON.txt"), "x").unwrap();
    std::fs::write(docs.join("fine name.pdf"), "x").unwrap();
    let (code, found, stderr) = check_guarded(root);
    assert_eq!(code, 2, "{stderr}");
    let bad: Vec<&str> = found
        .iter()
        .filter(|d| d["rule"] == "invalid-file-name")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(bad.len(), 3, "{found:?}");
    assert!(bad.iter().all(|f| f.starts_with("clients/acme/documents/")));
    let out = root.join("public");
    let (code, _, stderr) = build_guarded(root, &out, true);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("invalid-file-name"), "{stderr}");
    assert!(out.join("clients/acme/documents/fine name.pdf").is_file());
    assert!(!out.join("clients/acme/documents/CON.txt").exists());
}

#[test]
fn a_yaml_document_of_too_many_nodes_is_one_problem() {
    // 4 MiB of one-letter list items is 2 million nodes: the parser's
    // budget (250,000 nodes) stops it with one diagnostic.
    let dir = common::repo("");
    let items = "  - a\n".repeat(600_000);
    std::fs::write(
        dir.path().join("clients/bolt/client.yaml"),
        format!("name: Bolt\nqualifiers:\n{items}"),
    )
    .unwrap();
    let (code, found, stderr) = check_guarded(dir.path());
    assert_eq!(code, 2, "{stderr}");
    let in_file: Vec<_> = found
        .iter()
        .filter(|d| d["file"] == "clients/bolt/client.yaml")
        .collect();
    assert_eq!(in_file.len(), 1, "{in_file:?}");
    assert_eq!(in_file[0]["rule"], "invalid-yaml", "{in_file:?}");
}
