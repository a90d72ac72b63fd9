//! One line per finding, `path:line:col: rule message`, with the path from the current
//! directory: terminals and editors turn each line into a link to the spot.

use crate::report::text;
use crate::scan::Report;
use std::fmt::Write as _;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        // Repository-level findings point at the start of the file they concern, as
        // SARIF and GitLab do, so the line stays clickable.
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}",
            report.anchors.from_cwd(&finding.file),
            finding.start.line.max(1),
            finding.start.column.max(1),
            finding.rule,
            finding.message
        );
    }
    out.push_str(&text::summary_line(report));
    out
}
