//! Formats for CI and tools: GitHub workflow commands with a step summary,
//! and SARIF 2.1.0 for code scanning.
//!
//! Both name files relative to the repository root (`prefix` is the
//! content folder's path from there), since that is what a pull request's
//! files are called. Both show one cause once ([`super::causes`]); SARIF
//! keeps every finding, as code scanning tracks each alert.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use super::human::Sources;
use super::{causes, Diagnostic, Severity, Summary};

/// What SARIF says of a rule or an input problem.
pub struct RuleText {
    pub id: &'static str,
    /// One line: what it checks.
    pub short: &'static str,
    /// A paragraph: what it checks, how it is set, what it means.
    pub full: String,
    /// One line: how to put it right.
    pub fix: &'static str,
    pub default: Severity,
}

/// One `::error file=…,line=…,col=…,title=RULE::message` line per cause.
/// Data is escaped as the Actions toolkit does (`%`, CR, LF; plus `:` and
/// `,` inside properties).
pub fn render_github(diagnostics: &[Diagnostic], prefix: &str) -> String {
    let mut out = String::new();
    for cause in causes(diagnostics) {
        let d = cause.first;
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(span) = &d.span {
            props.push(format!(
                "file={}",
                escape_property(&format!("{prefix}{}", span.file))
            ));
            props.push(format!("line={}", span.line));
            props.push(format!("col={}", span.col));
            props.push(format!("endColumn={}", span.col + span.len.max(1)));
        }
        props.push(format!("title={}", escape_property(d.rule)));
        let mut message = d.message.clone();
        if cause.count > 1 {
            message.push('\n');
            message.push_str(&cause.elsewhere(prefix));
        }
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        if let Some(note) = &d.note {
            message.push_str("\nnote: ");
            message.push_str(note);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub refuses a step summary over 1 MiB and then shows none of it; the
/// table stops well before, leaving room for other steps' summaries.
pub const SUMMARY_LIMIT: usize = 512 * 1024;

/// A Markdown table for `$GITHUB_STEP_SUMMARY`, one row per cause, that
/// stops with an "N more" line before `SUMMARY_LIMIT` (512 KiB).
pub fn github_summary(diagnostics: &[Diagnostic], summary: &Summary, prefix: &str) -> String {
    let mut out = String::from("## clientele check\n\n");
    if diagnostics.is_empty() {
        out.push_str("All process rules pass.\n");
        return out;
    }
    let causes = causes(diagnostics);
    let _ = writeln!(
        out,
        "{}, {} ({} {})\n\n| severity | rule | where | problem | found |\n|---|---|---|---|---:|",
        super::plural(summary.total_errors(), "error"),
        super::plural(summary.warnings, "warning"),
        causes.len(),
        if causes.len() == 1 { "cause" } else { "causes" },
    );
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    // Room kept for the closing line.
    let budget = SUMMARY_LIMIT - 512;
    for (i, cause) in causes.iter().enumerate() {
        let d = cause.first;
        let place = d
            .span
            .as_ref()
            .map_or(String::new(), |s| format!("{prefix}{s}"));
        let found = if cause.count == 1 {
            String::from("1")
        } else {
            format!("{} ({})", cause.count, cell(&cause.elsewhere(prefix)))
        };
        let row = format!(
            "| {} | `{}` | `{}` | {} | {} |\n",
            d.severity,
            d.rule,
            cell(&place),
            cell(&d.message),
            found
        );
        if out.len() + row.len() > budget {
            let rest = &causes[i..];
            let findings: usize = rest.iter().map(|c| c.count).sum();
            let _ = writeln!(
                out,
                "\n… and {} more {} ({}) not shown, to keep this summary under GitHub's 1 MiB limit: the annotations and `clientele check` list them all.",
                rest.len(),
                if rest.len() == 1 { "cause" } else { "causes" },
                super::plural(findings, "finding"),
            );
            return out;
        }
        out.push_str(&row);
    }
    out
}

/// Where SARIF's `%SRCROOT%` points: the repository root, when known.
pub struct SarifRoot<'a> {
    /// The content folder, to read the lines fingerprints are made of.
    pub content: &'a Path,
    /// The content folder's path from the repository root, `/`-terminated
    /// or empty.
    pub prefix: &'a str,
    /// The repository root, absolute.
    pub root: Option<&'a Path>,
}

/// SARIF 2.1.0 as GitHub code scanning takes it: every rule and input
/// problem described (`fullDescription`, `help`), columns counted in
/// Unicode code points as clientele counts them, locations relative to
/// `%SRCROOT%`, and a fingerprint per result made of the rule, the file
/// and the text of the line, so an alert survives lines added above it.
pub fn render_sarif(diagnostics: &[Diagnostic], rules: &[RuleText], at: &SarifRoot<'_>) -> String {
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let driver_rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let mut rule = serde_json::json!({
                "id": r.id,
                "shortDescription": { "text": sentence(r.short) },
                "fullDescription": { "text": r.full },
                "help": {
                    "text": sentence(r.fix),
                    "markdown": format!("**How to fix:** {}", sentence(r.fix)),
                },
                "defaultConfiguration": { "level": level(r.default) },
            });
            // A readable name, where it says more than the id does.
            let name = pascal_case(r.id);
            if !name.eq_ignore_ascii_case(r.id) {
                rule["name"] = name.into();
            }
            rule
        })
        .collect();
    let mut sources = Sources::new(at.content);
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(". Help: ");
                message.push_str(help);
            }
            if let Some(note) = &d.note {
                message.push_str(". Note: ");
                message.push_str(note);
            }
            let mut result = serde_json::json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": message },
            });
            if let Some(&i) = index.get(d.rule) {
                result["ruleIndex"] = i.into();
            }
            if let Some(span) = &d.span {
                let mut artifact = serde_json::json!({
                    "uri": percent_encode_path(&format!("{}{}", at.prefix, span.file)),
                });
                if at.root.is_some() {
                    artifact["uriBaseId"] = "%SRCROOT%".into();
                }
                result["locations"] = serde_json::json!([{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": {
                            "startLine": span.line,
                            "startColumn": span.col,
                            "endColumn": span.col + span.len.max(1),
                        },
                    }
                }]);
                let line = sources.line(span);
                let text = line.as_deref().map_or(d.message.as_str(), str::trim);
                let hash = xxhash_rust::xxh3::xxh3_64(
                    format!("{}\0{}\0{text}", d.rule, span.file).as_bytes(),
                );
                let n = seen.entry(hash).or_insert(0);
                *n += 1;
                result["partialFingerprints"] = serde_json::json!({
                    "clienteleFinding/v1": format!("{hash:016x}:{n}"),
                });
            }
            result
        })
        .collect();
    let mut driver = serde_json::json!({
        "name": "clientele",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": driver_rules,
    });
    if let Some(uri) = INFORMATION_URI {
        driver["informationUri"] = uri.into();
    }
    let mut run = serde_json::json!({
        "tool": { "driver": driver },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = at.root {
        run["originalUriBaseIds"] = serde_json::json!({
            "%SRCROOT%": { "uri": file_uri(root) },
        });
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// Where to learn about clientele: Cargo.toml's `homepage`, else its
/// `repository`, when the package names one.
const INFORMATION_URI: Option<&str> = match (
    option_env!("CARGO_PKG_HOMEPAGE"),
    option_env!("CARGO_PKG_REPOSITORY"),
) {
    (Some(h), _) if !h.is_empty() => Some(h),
    (_, Some(r)) if !r.is_empty() => Some(r),
    _ => None,
};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `unknown-reference` → `UnknownReference`, SARIF's readable rule name.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase().chain(c).collect::<String>()
            })
        })
        .collect()
}

/// A one-line text as a sentence: capitalised, ending with a full stop.
fn sentence(text: &str) -> String {
    let mut c = text.chars();
    let mut out: String = c
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A relative path as a URI reference (RFC 3986): every byte outside the
/// unreserved set and `/` percent-encoded, so spaces, `#`, `%` and
/// non-ASCII names survive.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `file:///abs/root/` for an absolute folder.
fn file_uri(dir: &Path) -> String {
    let path = dir.to_string_lossy();
    let mut uri = format!("file://{}", percent_encode_path(&path));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use std::sync::Arc;

    #[test]
    fn github_lines_are_escaped() {
        let file: Arc<str> = Arc::from("clients/a,b/x.yaml");
        let d = Diagnostic::rule("task-owner", Span::new(&file, 3, 5), "100% wrong:\nreally")
            .with_help("fix it");
        let line = render_github(&[d], "content/");
        assert_eq!(
            line,
            "::error file=content/clients/a%2Cb/x.yaml,line=3,col=5,endColumn=6,title=task-owner::100%25 wrong:%0Areally%0Ahelp: fix it\n"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            percent_encode_path("content/clients/café #1/100%.md"),
            "content/clients/caf%C3%A9%20%231/100%25.md"
        );
        assert_eq!(file_uri(Path::new("/srv/plans")), "file:///srv/plans/");
        assert_eq!(pascal_case("unknown-reference"), "UnknownReference");
        assert_eq!(sentence("correct the id"), "Correct the id.");
    }
}
