//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per
//! finding, which the runner turns into annotations on the pull request's diff.
//!
//! GitHub shows at most 10 annotations of each level per step (and 50 per job) and
//! drops the rest silently, so findings are ranked (errors first) and capped; the job
//! summary counts those left out, and the SARIF report keeps them all.

use crate::finding::{Finding, Severity};
use crate::report::escape::visible;
use crate::report::{markdown, text};
use crate::scan::Report;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Annotations GitHub shows per level in one step (three levels stay under the 50 a
/// job shows).
pub const PER_LEVEL: usize = 10;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let (shown, left_out) = annotated(report);
    for finding in shown {
        out.push_str(&command(
            finding,
            &report.anchors.from_repository(&finding.file),
        ));
        out.push('\n');
    }
    let _ = writeln!(out, "twelve: {}", text::summary_line(report).trim_end());
    if left_out > 0 {
        let _ = writeln!(out, "twelve: {}", left_out_note(left_out));
    }
    text::unless_shown(report, out)
}

/// The findings that become annotations, most severe first, and how many are left out.
pub fn annotated(report: &Report) -> (Vec<&Finding>, usize) {
    let mut ranked: Vec<&Finding> = report.findings.iter().collect();
    ranked.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut per_level = [0usize; 3];
    let shown: Vec<&Finding> = ranked
        .into_iter()
        .filter(|f| {
            let count = &mut per_level[f.severity as usize];
            *count += 1;
            *count <= PER_LEVEL
        })
        .collect();
    let left_out = report.findings.len() - shown.len();
    (shown, left_out)
}

fn left_out_note(left_out: usize) -> String {
    format!(
        "{left_out} more findings are not annotated: GitHub shows {PER_LEVEL} annotations of each \
         level per step; the table and the SARIF report list them all"
    )
}

/// Appends the Markdown summary to the job summary file named by `$GITHUB_STEP_SUMMARY`,
/// when it is set (on a GitHub runner).
pub fn append_step_summary(report: &Report) -> Result<(), String> {
    match std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        Some(path) => append_summary(Path::new(&path), report),
        None => Ok(()),
    }
}

fn append_summary(path: &Path, report: &Report) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|err| format!("{}: cannot open the job summary: {err}", path.display()))?;
    let mut summary = markdown::render(report);
    let (_, left_out) = annotated(report);
    if left_out > 0 {
        let _ = write!(summary, "\n> {}.\n", left_out_note(left_out));
    }
    file.write_all(summary.as_bytes())
        .map_err(|err| format!("{}: cannot write the job summary: {err}", path.display()))
}

/// The workflow command of a finding whose file is `file` from the repository root.
fn command(finding: &Finding, file: &str) -> String {
    let name = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = vec![("file", visible(file).into_owned())];
    if !finding.is_repository_level() {
        properties.extend([
            ("line", finding.start.line.to_string()),
            ("col", finding.start.column.to_string()),
            ("endLine", finding.end.line.to_string()),
            ("endColumn", finding.end.column.to_string()),
        ]);
    }
    let factor = finding
        .factor
        .map_or_else(String::new, |f| format!(" (factor {f})"));
    properties.push(("title", format!("twelve {}{factor}", finding.rule)));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    // Escaped before the runner's own escaping: a log viewer renders what the runner
    // decodes, escape sequences included.
    let message = format!(
        "{}\nhelp: {}",
        visible(&finding.message),
        visible(&finding.help)
    );
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// The runner's escaping for a command's message (`toCommandValue` in @actions/core).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Properties are also split on `:` and `,`, so those are escaped too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Excerpt, Position};

    fn finding(line: usize, severity: Severity) -> Finding {
        Finding {
            rule: "hardcoded-port".into(),
            factor: Some(7),
            severity,
            file: "a,b:c%.js".into(),
            start: Position { line, column: 3 },
            end: Position {
                line,
                column: if line == 0 { 0 } else { 7 },
            },
            message: "100% wrong\r\nreally".into(),
            help: "fix: it".into(),
            excerpt: Excerpt::default(),
            fingerprint: String::new(),
            fact: None,
            legacy_fingerprint: None,
        }
    }

    #[test]
    fn escapes_data_and_properties() {
        let f = finding(4, Severity::Warning);
        assert_eq!(
            command(&f, &f.file),
            "::warning file=a%2Cb%3Ac%25.js,line=4,col=3,endLine=4,endColumn=7,\
             title=twelve hardcoded-port (factor 7)::100%25 wrong\\x0d\\x0areally%0Ahelp: fix: it"
        );
    }

    #[test]
    fn repository_level_findings_have_no_line() {
        let line = command(&finding(0, Severity::Warning), "backend/Procfile");
        assert!(
            line.starts_with("::warning file=backend/Procfile,title="),
            "{line}"
        );
    }

    #[test]
    fn errors_come_first_and_each_level_is_capped() {
        let mut report = Report::default();
        for line in 1..=15 {
            report.findings.push(finding(line, Severity::Note));
            report.findings.push(finding(line, Severity::Warning));
        }
        report.findings.push(finding(99, Severity::Error));
        let (shown, left_out) = annotated(&report);
        assert_eq!(shown[0].severity, Severity::Error);
        assert_eq!(shown.len(), 21);
        assert_eq!(left_out, 10);
        let levels: Vec<Severity> = shown.iter().map(|f| f.severity).collect();
        assert!(levels.is_sorted_by(|a, b| a >= b), "{levels:?}");
        assert!(render(&report).contains("10 more findings are not annotated"));
    }
}
