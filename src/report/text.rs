//! Text for people: one miette diagnostic per finding (code frame, rule id, factor,
//! help), then a summary line.

use crate::finding::{Finding, Severity};
use crate::redact::Redactor;
use crate::report::escape::{visible, visible_excerpt, visible_lines};
use crate::report::{counts, platforms};
use crate::scan::Report;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Factor names, for "factor III (config)" in messages.
pub const FACTOR_NAMES: [&str; 12] = [
    "codebase",
    "dependencies",
    "config",
    "backing services",
    "build, release, run",
    "processes",
    "port binding",
    "concurrency",
    "disposability",
    "dev/prod parity",
    "logs",
    "admin processes",
];

const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// "factor VII (port binding)".
pub fn factor_label(factor: u8) -> String {
    let i = usize::from(factor.clamp(1, 12) - 1);
    format!("factor {} ({})", ROMAN[i], FACTOR_NAMES[i])
}

/// The lines of a finding, presented to miette at their real line numbers. The column is
/// the finding's: miette shows it in the `[file:line:column]` header (and, since every
/// span it asks for starts on the first line, uses it for nothing else).
#[derive(Debug)]
struct ExcerptSource<'a> {
    name: &'a str,
    text: &'a str,
    first_line: usize,
    column: usize,
}

impl SourceCode for ExcerptSource<'_> {
    fn read_span<'b>(
        &'b self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let line_count = self.text.lines().count().max(1);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.first_line.saturating_sub(1),
            self.column.saturating_sub(1),
            line_count,
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The finding's file from the current directory.
    file: &'a str,
    source: ExcerptSource<'a>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.finding.is_repository_level() {
            write!(f, "{}: {}", self.file, self.finding.message)
        } else {
            f.write_str(&self.finding.message)
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let factor = self
            .finding
            .factor
            .map(|f| format!(" · {}", factor_label(f)))
            .unwrap_or_default();
        Some(Box::new(format!("{}{factor}", self.finding.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} (twelve explain {})",
            self.finding.help, self.finding.rule
        )))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.finding.is_repository_level()).then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.finding.is_repository_level() {
            return None;
        }
        let (start, end) = self.finding.excerpt.highlight;
        let label = LabeledSpan::new_with_span(Some("here".into()), (start, end - start));
        Some(Box::new(std::iter::once(label)))
    }
}

pub struct TextOptions {
    pub color: bool,
    /// Only the summary line.
    pub quiet: bool,
    pub width: usize,
    /// How much of the portability report to show.
    pub portability: PortabilityView,
}

/// `--portability`: the per-host section in full, one line per host, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PortabilityView {
    Off,
    Summary,
    Full,
}

pub fn render(report: &Report, options: &TextOptions) -> String {
    let mut out = String::new();
    if !options.quiet {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(options.width)
            .with_context_lines(0);
        for finding in &report.findings {
            let file = visible(&report.anchors.from_cwd(&finding.file)).into_owned();
            let finding = &visible_finding(finding);
            let diagnostic = FindingDiagnostic {
                finding,
                file: &file,
                source: ExcerptSource {
                    name: &file,
                    text: &finding.excerpt.text,
                    first_line: finding.start.line,
                    column: finding.start.column,
                },
            };
            if handler.render_report(&mut out, &diagnostic).is_err() {
                let _ = writeln!(out, "{}: {}", finding.rule, finding.message);
            }
        }
        for problem in &report.summary.problems {
            let _ = writeln!(
                out,
                "warning: could not scan {}: {}",
                visible(&problem.path),
                visible(&problem.message)
            );
        }
        if let Some(portability) = &report.platforms {
            match options.portability {
                PortabilityView::Full => {
                    out.push_str(&visible_lines(&platforms::text(portability)))
                }
                PortabilityView::Summary => {
                    out.push_str(&visible_lines(&platforms::summary_text(portability)))
                }
                PortabilityView::Off => {}
            }
        } else if let Some(why) = &report.no_verdict {
            let _ = writeln!(
                out,
                "\nPortability: no verdict: {}\n",
                visible(&why.message)
            );
        }
    }
    out.push_str(&summary_line(report));
    unless_shown(report, out)
}

/// The finding with what came from the scanned files made safe for a terminal.
fn visible_finding(finding: &Finding) -> Finding {
    Finding {
        file: visible(&finding.file).into_owned(),
        message: visible(&finding.message).into_owned(),
        help: visible(&finding.help).into_owned(),
        excerpt: visible_excerpt(&finding.excerpt),
        ..finding.clone()
    }
}

/// The last pass over a text output: any secret left in it (in the portability report,
/// say) is masked, unless `--show-secrets` was given.
pub fn unless_shown(report: &Report, out: String) -> String {
    if report.secrets_shown {
        return out;
    }
    match Redactor::builtin().redact(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(redacted) => redacted,
    }
}

/// "scanned 12 files (skipped 3: 2 binary, 1 too-large); 2 errors, 1 warning, 0 notes".
pub fn summary_line(report: &Report) -> String {
    let summary = &report.summary;
    let skipped: usize = summary.skipped.values().sum();
    let mut line = format!("scanned {}", plural(summary.files_scanned, "file"));
    if skipped > 0 {
        let reasons: Vec<String> = summary
            .skipped
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        let _ = write!(line, " (skipped {skipped}: {})", reasons.join(", "));
    }
    let findings: Vec<String> = counts(report)
        .iter()
        .map(|(s, n)| plural(*n, s.as_str()))
        .collect();
    let _ = write!(line, "; {}", findings.join(", "));
    if !summary.problems.is_empty() {
        let _ = write!(
            line,
            "; {} could not be read",
            plural(summary.problems.len(), "path")
        );
    }
    line.push('\n');
    line
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
