//! Formats for CI and tools: GitHub workflow commands with a step summary,
//! and SARIF 2.1.0 for code-scanning dashboards.

use std::fmt::Write;

use super::{Diagnostic, Severity, Summary};

/// One `::error file=…,line=…,col=…,title=RULE::message` line per problem.
/// Data is escaped as the Actions toolkit does (`%`, CR, LF; plus `:` and
/// `,` inside properties).
pub fn render_github(diagnostics: &[Diagnostic], content_prefix: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(span) = &d.span {
            props.push(format!(
                "file={}",
                escape_property(&format!("{content_prefix}{}", span.file))
            ));
            props.push(format!("line={}", span.line));
            props.push(format!("col={}", span.col));
            props.push(format!("endColumn={}", span.col + span.len.max(1)));
        }
        props.push(format!("title={}", escape_property(d.rule)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
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

/// A Markdown table for `$GITHUB_STEP_SUMMARY`: annotations are capped per
/// step, the summary is not.
pub fn github_summary(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let mut out = String::from("## clientele check\n\n");
    if diagnostics.is_empty() {
        out.push_str("All process rules pass.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{}, {}\n\n| severity | rule | where | problem |\n|---|---|---|---|",
        super::plural(summary.total_errors(), "error"),
        super::plural(summary.warnings, "warning")
    );
    for d in diagnostics {
        let place = d.span.as_ref().map_or(String::new(), ToString::to_string);
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} |",
            d.severity,
            d.rule,
            cell(&place),
            cell(&d.message)
        );
    }
    out
}

/// SARIF 2.1.0: one run, the rules as `tool.driver.rules`, one result per
/// problem with its physical location.
pub fn render_sarif(
    diagnostics: &[Diagnostic],
    rules: &[(&str, &str, &str)],
    content_prefix: &str,
) -> String {
    // An absolute content folder becomes a file URI; a relative one stays
    // relative to where the check ran (the repository root in CI).
    let content_prefix = &if content_prefix.starts_with('/') {
        format!("file://{content_prefix}")
    } else {
        content_prefix.to_string()
    };
    let rule_ids: Vec<&str> = rules.iter().map(|r| r.0).collect();
    let mut extra: Vec<&str> = diagnostics
        .iter()
        .map(|d| d.rule)
        .filter(|r| !rule_ids.contains(r))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    let mut driver_rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|(id, checks, fix)| {
            serde_json::json!({
                "id": id,
                "shortDescription": { "text": checks },
                "help": { "text": fix },
            })
        })
        .collect();
    driver_rules.extend(extra.iter().map(|id| serde_json::json!({ "id": id, "shortDescription": { "text": "input problem: the file could not be read as written" } })));
    let all: Vec<&str> = rule_ids
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(". Help: ");
                message.push_str(help);
            }
            let mut result = serde_json::json!({
                "ruleId": d.rule,
                "ruleIndex": all.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": message },
            });
            if let Some(span) = &d.span {
                result["locations"] = serde_json::json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": format!("{content_prefix}{}", span.file) },
                        "region": { "startLine": span.line, "startColumn": span.col, "endColumn": span.col + span.len.max(1) },
                    }
                }]);
            }
            result
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "clientele",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
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
}
