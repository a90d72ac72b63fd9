//! The JSON document: `{"version": 1, "tool": ..., "findings": [...], "summary": {...}}`.
//! Field names and meanings are stable within a version (see the README).

use crate::finding::Finding;
use crate::redact::Redactor;
use crate::report::{counts, platforms};
use crate::scan::Report;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary<'a>,
    /// Per-host verdicts (absent when several directories are scanned).
    #[serde(skip_serializing_if = "Option::is_none")]
    platforms: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<serde_json::Value>,
    /// Why `platforms` is absent: `{"reason": "no-app", "message": "..."}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_verdict: Option<NoVerdict<'a>>,
}

#[derive(Serialize)]
struct NoVerdict<'a> {
    reason: crate::hosts::no_verdict::Reason,
    message: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    factor: Option<u8>,
    severity: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: &'a str,
    snippet: &'a str,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    files_scanned: usize,
    files_skipped: &'a BTreeMap<&'static str, usize>,
    findings: BTreeMap<&'static str, usize>,
    problems: Vec<Problem<'a>>,
}

#[derive(Serialize)]
struct Problem<'a> {
    path: &'a str,
    message: &'a str,
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &f.rule,
        factor: f.factor,
        severity: f.severity.as_str(),
        file: &f.file,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        message: &f.message,
        help: &f.help,
        snippet: &f.excerpt.text,
        fingerprint: &f.fingerprint,
    }
}

/// The portability report is built from the repository's files (start commands...):
/// any secret in it is masked, unless `--show-secrets` was given.
fn unless_shown(report: &Report, mut value: serde_json::Value) -> serde_json::Value {
    if !report.secrets_shown {
        Redactor::builtin().redact_json(&mut value);
    }
    value
}

pub fn render(report: &Report) -> String {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "twelve",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(finding).collect(),
        summary: JsonSummary {
            files_scanned: report.summary.files_scanned,
            files_skipped: &report.summary.skipped,
            findings: counts(report)
                .into_iter()
                .map(|(s, n)| (s.as_str(), n))
                .collect(),
            problems: report
                .summary
                .problems
                .iter()
                .map(|p| Problem {
                    path: &p.path,
                    message: &p.message,
                })
                .collect(),
        },
        platforms: report
            .platforms
            .as_ref()
            .map(|p| unless_shown(report, platforms::json_hosts(p))),
        stack: report
            .platforms
            .as_ref()
            .map(|p| unless_shown(report, platforms::json_stack(p))),
        no_verdict: report
            .no_verdict
            .as_ref()
            .filter(|_| report.platforms.is_none())
            .map(|why| NoVerdict {
                reason: why.reason,
                message: &why.message,
            }),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("plain data serialises");
    out.push('\n');
    out
}
