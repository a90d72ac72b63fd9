//! Markdown for a pull-request comment or a GitHub job summary: a summary line and a
//! table of findings.

use crate::finding::Finding;
use crate::report::text;
use crate::scan::Report;
use std::fmt::Write as _;

/// Rows shown before the table is cut: job summaries are limited to 1 MiB.
const MAX_ROWS: usize = 500;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## twelve: twelve-factor findings\n\n");
    let _ = write!(out, "{}\n\n", text::summary_line(report).trim_end());
    if !report.findings.is_empty() {
        out.push_str(&findings_table(&report.findings));
    }
    if let Some(portability) = &report.platforms {
        out.push('\n');
        out.push_str(&super::platforms_markdown::render(portability));
    }
    out
}

/// One row per finding, most severe first (findings arrive sorted by file).
pub fn findings_table(findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
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
            cell(&location(finding)),
            cell(&finding.message),
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

fn location(finding: &Finding) -> String {
    if finding.is_repository_level() {
        finding.file.clone()
    } else {
        format!("{}:{}", finding.file, finding.start.line)
    }
}

/// A table cell stays on one line and never closes its column early.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_column() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
