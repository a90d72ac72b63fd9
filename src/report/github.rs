//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per
//! finding, which the runner turns into annotations on the pull request's diff.

use crate::finding::{Finding, Severity};
use crate::report::escape::visible;
use crate::report::{markdown, text};
use crate::scan::Report;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&command(finding));
        out.push('\n');
    }
    let _ = writeln!(out, "twelve: {}", text::summary_line(report).trim_end());
    text::unless_shown(report, out)
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
    file.write_all(markdown::render(report).as_bytes())
        .map_err(|err| format!("{}: cannot write the job summary: {err}", path.display()))
}

fn command(finding: &Finding) -> String {
    let name = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = vec![("file", visible(&finding.file).into_owned())];
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

    fn finding(line: usize) -> Finding {
        Finding {
            rule: "hardcoded-port".into(),
            factor: Some(7),
            severity: Severity::Warning,
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
        assert_eq!(
            command(&finding(4)),
            "::warning file=a%2Cb%3Ac%25.js,line=4,col=3,endLine=4,endColumn=7,\
             title=twelve hardcoded-port (factor 7)::100%25 wrong\\x0d\\x0areally%0Ahelp: fix: it"
        );
    }

    #[test]
    fn repository_level_findings_have_no_line() {
        let line = command(&finding(0));
        assert!(
            line.starts_with("::warning file=a%2Cb%3Ac%25.js,title="),
            "{line}"
        );
    }
}
