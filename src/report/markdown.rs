//! Markdown for a pull-request comment or a GitHub job summary: a summary line and a
//! table of findings.

use crate::finding::Finding;
use crate::report::escape::markdown;
use crate::report::text;
use crate::scan::Report;
use std::fmt::Write as _;

/// Rows shown before the table is cut: job summaries are limited to 1 MiB.
const MAX_ROWS: usize = 500;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## twelve: twelve-factor findings\n\n");
    let _ = write!(out, "{}\n\n", text::summary_line(report).trim_end());
    if !report.findings.is_empty() {
        out.push_str(&findings_table(report));
    }
    if let (None, Some(why)) = (&report.platforms, &report.no_verdict) {
        let _ = write!(out, "\n**Portability:** no verdict: {}\n", why.message);
    }
    if let Some(portability) = &report.platforms {
        out.push('\n');
        out.push_str(&super::platforms_markdown::render(portability));
    }
    text::unless_shown(report, out)
}

/// One row per finding, most severe first (findings arrive sorted by file), with paths
/// from the repository root.
pub fn findings_table(report: &Report) -> String {
    let mut sorted: Vec<&Finding> = report.findings.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut out =
        String::from("| severity | rule | factor | location | message |\n|---|---|---|---|---|\n");
    for finding in sorted.iter().take(MAX_ROWS) {
        let factor = finding.factor.map_or_else(|| "-".into(), |f| f.to_string());
        let _ = writeln!(
            out,
            "| {} | `{}` | {factor} | {} | {} |",
            finding.severity,
            finding.rule,
            markdown(&location(
                finding,
                &report.anchors.from_repository(&finding.file)
            )),
            markdown(&finding.message),
        );
    }
    if sorted.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more (see the full report).",
            sorted.len() - MAX_ROWS
        );
    }
    out
}

fn location(finding: &Finding, file: &str) -> String {
    if finding.is_repository_level() {
        file.to_string()
    } else {
        format!("{file}:{}", finding.start.line)
    }
}
