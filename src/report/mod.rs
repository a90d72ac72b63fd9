//! Rendering: the same findings and summary as text for people or JSON for tools.
//! Reporters never read files; everything they show is in the findings.

pub mod json;
pub mod platforms;
pub mod platforms_markdown;
pub mod rules_doc;
pub mod text;

use crate::finding::Severity;
use crate::scan::Report;

/// Output formats of `twelve check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette diagnostics and a summary line, for people.
    Text,
    /// A versioned JSON document, for tools.
    Json,
}

/// Counts of findings per severity, most severe first.
pub fn counts(report: &Report) -> [(Severity, usize); 3] {
    [Severity::Error, Severity::Warning, Severity::Note].map(|s| {
        (
            s,
            report.findings.iter().filter(|f| f.severity == s).count(),
        )
    })
}
