//! The JSON document: `{"version": 1, "tool": ..., "findings": [...], "summary": {...}}`.
//! Field names and meanings are stable within a version (see the README).

use crate::finding::Finding;
use crate::health::looks_like_health_data;
use crate::identity::Identity;
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
    /// The repository and commit scanned (absent when several directories are scanned).
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a Identity>,
    /// Signs that the app handles health data (absent when there are none).
    #[serde(skip_serializing_if = "Option::is_none")]
    health_data: Option<HealthData<'a>>,
}

#[derive(Serialize)]
struct NoVerdict<'a> {
    reason: crate::hosts::no_verdict::Reason,
    message: &'a str,
}

#[derive(Serialize)]
struct HealthData<'a> {
    /// FHIR or HL7 libraries among the dependencies.
    libraries: &'a [String],
    /// Health-record field names in production code, with where each was first seen.
    fields: Vec<HealthField<'a>>,
}

#[derive(Serialize)]
struct HealthField<'a> {
    name: &'a str,
    at: &'a str,
}

/// The same signals as the portability report's health-data advice.
fn health_data(report: &Report) -> Option<HealthData<'_>> {
    let libraries = report
        .platforms
        .as_ref()
        .map_or(&[][..], |p| &p.stack.health_libraries[..]);
    // One scanned root (its monorepo apps follow it): the root's words cover them all.
    let mut roots = report.apps.iter().filter(|app| app.path.is_empty());
    let terms = match (roots.next(), roots.next()) {
        (Some(root), None) => Some(&root.inventory.health_terms),
        _ => None,
    };
    let fields: Vec<HealthField> = match terms {
        Some(terms) if looks_like_health_data(terms) => terms
            .iter()
            .map(|(name, at)| HealthField { name, at })
            .collect(),
        _ => Vec::new(),
    };
    (!libraries.is_empty() || !fields.is_empty()).then_some(HealthData { libraries, fields })
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
        repository: report.repository.as_ref(),
        health_data: health_data(report),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("plain data serialises");
    out.push('\n');
    out
}
