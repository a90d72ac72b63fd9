//! Inline suppressions: `twelve: ignore[rule-id, other-id] reason` in a comment at the
//! end of the flagged line (that line only), or in a comment on a line of its own (the
//! next line). A name that is no rule is itself reported.

use crate::finding::Finding;
use crate::rules::{Registry, Rule};
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::sync::OnceLock;

/// The id of the meta rule that reports suppressions naming unknown rules.
pub const UNKNOWN_SUPPRESSION: &str = "unknown-suppression";

fn marker() -> &'static Regex {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    MARKER.get_or_init(|| {
        Regex::new(r"twelve:\s*ignore\[([^\]\r\n]*)\]").expect("suppression regex is valid")
    })
}

struct Suppression {
    line: usize,
    /// A comment on a line of its own covers the next line; one after code does not.
    covers_next: bool,
    rule: String,
}

impl Suppression {
    fn covers(&self, finding: &Finding) -> bool {
        self.rule == finding.rule
            && (self.line == finding.start.line
                || (self.covers_next && self.line + 1 == finding.start.line))
    }
}

/// Whether code (anything the comment masker kept) precedes `offset` on its line.
fn after_code(file: &SourceFile, line: usize, offset: usize) -> bool {
    let (start, _) = file.lines().line_bounds(&file.text, line - 1);
    let before = &file.masked[start..offset];
    let before = before.strip_prefix(crate::source::BOM).unwrap_or(before);
    before.iter().any(|b| !b.is_ascii_whitespace())
}

/// Drops the findings of `file` that a suppression comment covers, and adds a finding
/// for each suppression that names an unknown rule.
pub fn apply(file: &SourceFile, findings: Vec<Finding>, registry: &Registry) -> Vec<Finding> {
    if memchr::memmem::find(&file.text, b"twelve:").is_none() {
        return findings;
    }
    let mut suppressions = Vec::new();
    let mut unknown = Vec::new();
    for caps in marker().captures_iter(&file.text) {
        let (Some(whole), Some(list)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        if !file.in_comment(whole.start()) {
            continue;
        }
        let line = file.lines().line_number(whole.start());
        let covers_next = !after_code(file, line, whole.start());
        let mut offset = list.start();
        for name in list.as_bytes().split(|b| *b == b',') {
            let trimmed = String::from_utf8_lossy(name).trim().to_string();
            let lead = name.len() - name.trim_ascii_start().len();
            let span = (offset + lead, offset + lead + trimmed.len());
            offset += name.len() + 1;
            if trimmed.is_empty() {
                continue;
            }
            if registry.get(&trimmed).is_none() {
                unknown.push((trimmed.clone(), span));
            }
            suppressions.push(Suppression {
                line,
                covers_next,
                rule: trimmed,
            });
        }
    }
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| !suppressions.iter().any(|s| s.covers(f)))
        .collect();
    if let Some(meta) = registry.get(UNKNOWN_SUPPRESSION) {
        kept.extend(unknown_findings(file, meta, unknown));
    }
    kept
}

fn unknown_findings(
    file: &SourceFile,
    meta: &Rule,
    unknown: Vec<(String, (usize, usize))>,
) -> Vec<Finding> {
    unknown
        .into_iter()
        .map(|(name, (start, end))| {
            meta.finding(
                &file.rel_path,
                file.locate(start, end),
                meta.message(Some(&name)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Language, Role};

    /// The `hardcoded-port` findings left on each line of a JavaScript file.
    fn lines_left(code: &str) -> Vec<usize> {
        let registry = Registry::builtin().expect("rules");
        let rule = registry.get("hardcoded-port").expect("rule");
        let file = SourceFile::new(
            "server.js".into(),
            Language::Javascript,
            Role::Source,
            code.as_bytes().to_vec(),
        );
        let findings = (1..=file.lines().line_count())
            .map(|line| {
                let (start, end) = file.lines().line_bounds(&file.text, line - 1);
                rule.finding("server.js", file.locate(start, end), rule.message(None))
            })
            .collect();
        apply(&file, findings, &registry)
            .iter()
            .map(|f| f.start.line)
            .collect()
    }

    #[test]
    fn a_trailing_comment_covers_its_own_line_only() {
        assert_eq!(
            lines_left("a(1); // twelve: ignore[hardcoded-port]\nb(2);\nc(3);\n"),
            [2, 3, 4]
        );
    }

    #[test]
    fn a_comment_on_its_own_line_covers_the_next() {
        assert_eq!(
            lines_left("  // twelve: ignore[hardcoded-port] tests only\nb(2);\nc(3);\n"),
            [3, 4]
        );
        assert_eq!(
            lines_left("\u{feff}/* twelve: ignore[hardcoded-port] */\nb(2);\n"),
            [3]
        );
    }
}
