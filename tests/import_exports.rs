//! `clientele import mail` and `clientele import csv` as a user runs them:
//! an .eml (multipart, an RFC 2047 subject, a date in New York), an mbox
//! (a folded subject, `>From` quoting, a newsletter, an auto-reply, bulk
//! mail, an odd date) and a Maildir with a Maildir++ `.Sent` folder; a
//! Salesforce-style export with a BOM and CRLF, read with its map.

mod common;

use std::path::Path;

use common::{check_json, fixtures, repo};

use common::import as run;

fn input(name: &str) -> String {
    fixtures()
        .join("import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The three mail fixtures into `dir`.
fn import_mail(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![String::from("mail")];
    args.extend(["mail/pricing.eml", "mail/inbox.mbox", "mail/maildir"].map(input));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, dir)
}

fn import_salesforce(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let (csv, map) = (input("salesforce.csv"), input("salesforce.yaml"));
    let mut args = vec!["csv", csv.as_str(), "--map", map.as_str()];
    args.extend(extra);
    run(&args, dir)
}

use common::snapshot as files;

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

const MAIL_SUMMARY: &str = "imported 5 activities for 2 clients (bolt 3, acme 2); 0 already present; skipped 1 internal, 3 bulk, 0 without a colleague; 1 unmatched, 1 ambiguous";

#[test]
fn emails_become_rows_of_their_clients_and_a_second_run_adds_nothing() {
    let dir = repo("");
    let acme_before = read(dir.path(), "clients/acme/activities.csv");
    let (code, _, stderr) = import_mail(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.trim(), MAIL_SUMMARY);
    // acme's table has no source or uid columns: its rows are appended in
    // its own columns, and nothing above them changes. 20:30 in New York
    // on the 16th is the 17th in London; the encoded subject is decoded,
    // the folded one unfolded.
    assert_eq!(
        read(dir.path(), "clients/acme/activities.csv"),
        format!(
            "{acme_before}2026-11-17,email,ada,Pricing for 2027 – draft,\n\
             2026-11-11,email,bob,Re: Q4 rebalancing and the futures roll,\n"
        )
    );
    // bolt had no table: it gets every column. The auto-reply is skipped;
    // the Maildir's message and its reply in `.Sent` are both there, the
    // windows-1252 dash decoded.
    assert_eq!(
        read(dir.path(), "clients/bolt/activities.csv"),
        "date,type,by,summary,outcome,source,uid\n\
         2026-11-12,email,bob,Settlement instructions for the December roll,,mail,set-2211@mail.testfirm.co.uk\n\
         2026-11-14,email,bob,Margin call – 14 Nov,,mail,m-5521@boltcapital.com\n\
         2026-11-15,email,bob,Re: Margin call - 14 Nov,,mail,r-5521@mail.testfirm.co.uk\n"
    );
    let after = files(dir.path());
    let (code, _, stderr) = import_mail(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim(),
        "imported 0 activities for 0 clients; 5 already present; skipped 1 internal, 3 bulk, 0 without a colleague; 1 unmatched, 1 ambiguous"
    );
    assert!(files(dir.path()) == after, "a second import changed files");
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 0, "{found:?}");
}

#[test]
fn a_keyed_crlf_table_keeps_its_line_ending_and_knows_its_message_ids() {
    let dir = repo("");
    let table = "date,type,by,summary,outcome,source,uid\r\n\
                 2026-11-11,email,bob,Re: Q4 rebalancing,,mail,CAF3x9q1@acme-am.com\r\n";
    std::fs::write(dir.path().join("clients/acme/activities.csv"), table).unwrap();
    let (code, _, stderr) = import_mail(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("(bolt 3, acme 1); 1 already present;"),
        "{stderr}"
    );
    assert_eq!(
        read(dir.path(), "clients/acme/activities.csv"),
        format!(
            "{table}2026-11-17,email,ada,Pricing for 2027 – draft,,mail,20261116203000.4421@mail.testfirm.co.uk\r\n"
        )
    );
}

#[test]
fn mail_that_matched_no_client_or_two_is_listed_and_a_dry_run_writes_nothing() {
    let dir = repo("");
    let before = files(dir.path());
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("unsorted.csv");
    let (code, stdout, stderr) = import_mail(
        dir.path(),
        &["--dry-run", "--unmatched", csv.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("would import 5 activities"), "{stderr}");
    assert!(
        stdout.contains("clients/bolt/activities.csv (appended)\n2026-11-12,email,bob,"),
        "{stdout}"
    );
    assert!(files(dir.path()) == before, "a dry run wrote files");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "date,title,uid,reason,addresses or clients\n\
         2026-11-13,Introduction,intro-19@mail.testfirm.co.uk,unmatched,cfo@unknown-corp.com\n\
         2026-11-13,Joint dinner on the 20th,dinner-3@mail.testfirm.co.uk,ambiguous,acme bolt\n"
    );
}

#[test]
fn a_message_without_a_date_is_located_and_nothing_is_written() {
    let dir = repo("");
    let before = files(dir.path());
    let mbox = tempfile::tempdir().unwrap();
    let path = mbox.path().join("broken.mbox");
    let inbox = std::fs::read_to_string(input("mail/inbox.mbox")).unwrap();
    // The Bolt settlement message loses its Date, and its separator line
    // its date: nothing says when it was sent.
    let broken = inbox.replace("Date: 12 Nov 2026 14:00 GMT\n", "").replace(
        "From bob@testfirm.co.uk Thu Nov 12 14:00:00 2026",
        "From bob@testfirm.co.uk",
    );
    std::fs::write(&path, &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l == "From bob@testfirm.co.uk")
        .unwrap()
        + 2;
    let (code, _, stderr) = run(&["mail", path.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[invalid-mail]: this message has no date that can be read")
            && stderr.contains(&format!("broken.mbox:{line}:1")),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(files(dir.path()) == before, "a failed import wrote files");
}

#[test]
fn a_crm_export_becomes_notes_and_rows_through_its_map() {
    let dir = repo("");
    let acme_before = read(dir.path(), "clients/acme/activities.csv");
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("unsorted.csv");
    let (code, _, stderr) = import_salesforce(dir.path(), &["--unmatched", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim(),
        "imported 3 activities for 1 client (acme 3); 0 already present; skipped 1 by the map; 2 unmatched, 0 ambiguous"
    );
    // Calls and meetings are notes that ask for their call report; the
    // person is found by team email ("ada@...") and by name ("Ada
    // Lovelace"), the client by its Salesforce id.
    assert_eq!(
        read(dir.path(), "clients/acme/activities/2026-11-03-call.md"),
        "---\ndate: 2026-11-03\ntype: call\nby: ada\ntitle: \"Call: Q4 rebalancing\"\nsource: salesforce\nuid: 00T5g00001AAA01\n---\n"
    );
    assert!(
        read(dir.path(), "clients/acme/activities/2026-11-13-meeting.md")
            .contains("title: Quarterly review\n")
    );
    // Everything else is a row; a summary with a comma is quoted.
    assert_eq!(
        read(dir.path(), "clients/acme/activities.csv"),
        format!("{acme_before}2026-11-06,email,bob,\"Sent the 2027 fee proposal, v2\",\n")
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "date,title,uid,reason,addresses or clients\n\
         2026-11-10,Intro lunch,00T5g00001AAA04,unmatched,client 001A000009ProsAAA\n\
         2026-11-12,Follow-up on the roll,00T5g00001AAA05,unmatched,person Carol Danvers\n"
    );
    let after = files(dir.path());
    let (code, _, stderr) = import_salesforce(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("imported 0 activities for 0 clients; 3 already present"),
        "{stderr}"
    );
    assert!(files(dir.path()) == after, "a second import changed files");
    let (_, found) = check_json(dir.path());
    let reports: Vec<&str> = found
        .iter()
        .filter(|f| f.rule == "call-report")
        .map(|f| f.file.as_str())
        .collect();
    assert_eq!(
        reports,
        [
            "clients/acme/activities/2026-11-03-call.md",
            "clients/acme/activities/2026-11-13-meeting.md"
        ]
    );
}

#[test]
fn a_map_or_row_that_cannot_be_read_is_located_and_nothing_is_written() {
    let dir = repo("");
    let before = files(dir.path());
    let tmp = tempfile::tempdir().unwrap();
    let map = std::fs::read_to_string(input("salesforce.yaml")).unwrap();
    // A column the export does not have.
    let bad_map = tmp.path().join("map.yaml");
    std::fs::write(&bad_map, map.replace("column: Subject", "column: Subjet")).unwrap();
    let csv = input("salesforce.csv");
    let (code, _, stderr) = run(
        &["csv", &csv, "--map", bad_map.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 2, "{stderr}");
    let (line, text) = map
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("column: Subject"))
        .unwrap();
    let col = text.find("Subject").unwrap() + 1;
    assert!(
        stderr.contains("error[invalid-import-map]: the export has no column `Subjet`")
            && stderr.contains(&format!("map.yaml:{}:{col}", line + 1))
            && stderr.contains("did you mean `Subject`?"),
        "{stderr}"
    );
    // A type the map does not know, in the third row: line 4, inside the
    // third cell's quotes.
    let (code, _, stderr) = run(
        &[
            "csv",
            &csv,
            "--map",
            tmp.path().join("good.yaml").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, 2, "a missing map is an error: {stderr}");
    let good = tmp.path().join("good.yaml");
    std::fs::write(&good, map.replace("    Task: skip\n", "")).unwrap();
    let (code, _, stderr) = run(&["csv", &csv, "--map", good.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[invalid-export-row]: `Task` is not a type the map knows")
            && stderr.contains("salesforce.csv:4:33")
            && stderr.contains("add `Task: <type or skip>`"),
        "{stderr}"
    );
    assert!(files(dir.path()) == before, "a failed import wrote files");
}

/// The summaries the README shows: each `# imported ...` comment with the
/// `# ` lines that continue it, joined.
fn readme_summaries(readme: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in readme.lines() {
        match line.strip_prefix("# ") {
            Some(rest) if rest.starts_with("imported ") => {
                out.push(rest.to_string());
                open = true;
            }
            Some(rest) if open => {
                let last = out.last_mut().unwrap();
                last.push(' ');
                last.push_str(rest);
            }
            _ => open = false,
        }
    }
    out
}

#[test]
fn the_readme_walkthrough_imports_every_example_into_the_demo() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&root.join("content"), dir.path());
    let example = |name: &str| {
        root.join("examples/imports")
            .join(name)
            .to_string_lossy()
            .into_owned()
    };
    let runs: [Vec<String>; 4] = [
        vec!["calendar".into(), example("lucy-chen.ics")],
        vec!["mail".into(), example("lucy-chen.mbox")],
        vec![
            "csv".into(),
            example("salesforce-activities.csv"),
            "--map".into(),
            example("salesforce.yaml"),
        ],
        vec![
            "csv".into(),
            example("phone-log.csv"),
            "--map".into(),
            example("phone-log.yaml"),
        ],
    ];
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shown = readme_summaries(&readme);
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, stderr) = run(&args, dir.path());
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(
            shown.contains(&stderr.trim().to_string()),
            "the README does not show what `import {}` prints:\n{stderr}\nit shows {shown:#?}",
            args[0]
        );
    }
    // Every meeting and call imported asks for its call report (Heron
    // Bay's phone call too: the demo's untiered level sets a window);
    // nothing else is wrong.
    let (_, found) = check_json(dir.path());
    let errors: Vec<&str> = found
        .iter()
        .filter(|f| f.severity == "error")
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(errors, ["call-report"; 12], "{found:?}");
}
