//! Rendering: the same findings and summary as text for people, or JSON, SARIF,
//! GitHub workflow commands and Markdown for tools. Reporters never read files;
//! everything they show is in the findings.

pub mod concise;
/// Escaping lives beside the steps that also use it (config errors); reporters reach it here.
pub use crate::escape;
pub mod github;
pub mod gitlab;
pub mod init;
pub mod json;
pub mod markdown;
pub mod platforms;
pub mod platforms_markdown;
pub mod rules_doc;
pub mod sarif;
pub mod statistics;
pub mod text;

use crate::finding::Severity;
use crate::rules::Registry;
use crate::scan::Report;

/// Output formats of `twelve check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette diagnostics and a summary line, for people.
    Text,
    /// One line per finding, `path:line:col: rule message`, clickable in terminals.
    Concise,
    /// A versioned JSON document, for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other code hosts.
    Sarif,
    /// GitHub Actions workflow commands (annotations); also writes the job summary.
    Github,
    /// A Markdown summary and table of findings.
    Markdown,
    /// GitLab code quality report (Code Climate JSON), for merge requests.
    Gitlab,
    /// One self-contained HTML page, from the templates of `twelve portfolio`.
    Html,
}

/// Renders a report in any format; `text` says how text output looks.
pub fn render(
    format: Format,
    report: &Report,
    registry: &Registry,
    text: &text::TextOptions,
) -> String {
    match format {
        Format::Text => text::render(report, text),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, registry),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Html => crate::portfolio::check_html(&json::render(report)),
    }
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
