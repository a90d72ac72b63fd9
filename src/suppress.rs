//! Inline suppressions: `twelve: ignore[rule-id, other-id] reason` in a comment on the
//! flagged line or on the line above it. A name that is no rule is itself reported.

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
    rule: String,
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
        let line = file.lines().position(&file.text, whole.start()).line;
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
                rule: trimmed,
            });
        }
    }
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            !suppressions
                .iter()
                .any(|s| s.rule == f.rule && (s.line == f.start.line || s.line + 1 == f.start.line))
        })
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
