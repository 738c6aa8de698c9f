//! The portal in a real browser: runs the Node test files under
//! `tests/browser/` (Debian's Chromium driven by playwright-core, axe-core,
//! the Nu Html Checker, ical.js, the SARIF Multitool, ajv) against this build of `clientele`.
//!
//! They need Node.js, `npm ci --prefix tests/browser`, `/usr/bin/chromium`
//! (or `$CHROMIUM`) and Java. Where those are missing the tests say so and
//! pass, so `cargo test` works on any machine; CI sets
//! `CLIENTELE_BROWSER_TESTS=1`, which turns a missing tool into a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn on_path(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What is missing to run `file`, if anything.
fn missing(needs_chromium: bool, needs_java: bool) -> Vec<String> {
    let mut missing = Vec::new();
    if !on_path("node", "--version") {
        missing.push(String::from("node (Debian: apt-get install nodejs npm)"));
    }
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        missing.push(String::from(
            "the test packages (npm ci --prefix tests/browser)",
        ));
    }
    let chromium = std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    if needs_chromium && !Path::new(&chromium).exists() {
        missing.push(String::from(
            "Chromium (Debian: apt-get install chromium chromium-driver)",
        ));
    }
    if needs_java && !on_path("java", "-version") {
        missing.push(String::from(
            "java (Debian: apt-get install default-jre-headless)",
        ));
    }
    missing
}

/// Says a test was skipped where `cargo test` shows it. The harness
/// captures what `eprintln!` prints and shows it only for a failure; a
/// write to the stderr handle itself is not captured, so the line appears
/// in the run's output beside `ok`.
fn skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "\n{message}");
}

/// Runs one Node test file; fails with its report.
fn run_node_tests(file: &str, needs_chromium: bool, needs_java: bool) {
    let missing = missing(needs_chromium, needs_java);
    if !missing.is_empty() {
        let list = missing.join(", ");
        assert!(
            std::env::var_os("CLIENTELE_BROWSER_TESTS").is_none(),
            "CLIENTELE_BROWSER_TESTS is set but these are missing: {list}"
        );
        skipped(&format!("skipped tests/browser/{file}: missing {list}"));
        return;
    }
    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .arg(browser_dir().join(file))
        .env("CLIENTELE_BIN", env!("CARGO_BIN_EXE_clientele"))
        .env(
            "CLIENTELE_CONTENT",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        )
        .env("NO_COLOR", "1")
        .output()
        .expect("run node");
    let report = String::from_utf8_lossy(&output.stdout);
    eprintln!("{report}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "tests/browser/{file} failed");
    assert!(
        report.contains("fail 0") && !report.contains("pass 0"),
        "tests/browser/{file} ran no test"
    );
}

#[test]
fn portal_works_in_chromium() {
    run_node_tests("portal.test.mjs", true, false);
}

#[test]
fn calendar_feeds_parse_in_ical_js() {
    run_node_tests("feeds.test.mjs", false, false);
}

#[test]
fn sarif_passes_the_sarif_multitool() {
    run_node_tests("sarif.test.mjs", false, false);
}

#[test]
fn schemas_pass_ajv_in_strict_mode() {
    run_node_tests("schemas.test.mjs", false, false);
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    run_node_tests("html.test.mjs", false, true);
}
