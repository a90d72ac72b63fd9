//! GitLab code quality report (a subset of the Code Climate format), which merge
//! requests show as a widget and as marks in the diff.

use crate::finding::{Finding, Severity};
use crate::scan::Report;
use serde_json::{Value, json};

pub fn render(report: &Report) -> String {
    let issues: Vec<Value> = report
        .findings
        .iter()
        .map(|f| issue(f, &report.anchors.from_repository(&f.file)))
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("plain data serialises");
    out.push('\n');
    out
}

/// The issue of a finding whose file is `path` from the repository root, where GitLab
/// resolves it.
fn issue(finding: &Finding, path: &str) -> Value {
    let severity = match finding.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    };
    // GitLab needs a line; repository-level findings go on the first line of the file
    // they concern.
    let line = finding.start.line.max(1);
    json!({
        "type": "issue",
        "check_name": finding.rule,
        "description": format!("{}: {}", finding.rule, finding.message),
        "content": { "body": finding.help },
        "categories": ["Bug Risk"],
        "severity": severity,
        "fingerprint": finding.fingerprint,
        "location": { "path": path, "lines": { "begin": line, "end": finding.end.line.max(line) } },
    })
}
