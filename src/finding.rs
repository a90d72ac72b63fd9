//! A finding is plain data: which rule fired, where, and the text around it.
//! It is made in `detect`/`checks` and only rendered in `report`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a rule is; ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based position; line 0 marks a repository-level finding with no line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The lines a finding sits on, kept so reporters never re-read files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    /// The full text of the lines from `start.line` to `end.line` (lossy UTF-8).
    pub text: String,
    /// Byte range of the match inside `text`.
    pub highlight: (usize, usize),
}

/// A typed value the detect step read from the match, so that later steps never parse
/// a message or an excerpt again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// The matched text is a number (a port, for `hardcoded-port`).
    Number(u64),
    /// The runtime version is pinned only in this file (`.nvmrc`, `runtime.txt`...).
    PinnedOnlyIn(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    /// 1 to 12; `None` for twelve's own meta findings (e.g. an unknown suppression).
    pub factor: Option<u8>,
    pub severity: Severity,
    /// Path relative to the scanned root, with `/` separators.
    pub file: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub help: String,
    pub excerpt: Excerpt,
    pub fingerprint: String,
    pub fact: Option<Fact>,
}

impl Finding {
    /// Sort key that makes output independent of thread scheduling.
    pub fn sort_key(&self) -> (&str, Position, &str, Position) {
        (&self.file, self.start, &self.rule, self.end)
    }

    pub fn is_repository_level(&self) -> bool {
        self.start.line == 0
    }
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Fingerprints depend on the rule, the file and the matched line's content with white
/// space folded, plus the occurrence index among identical lines: they survive lines
/// moving above, and change when the flagged line itself changes.
pub fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for finding in findings.iter_mut() {
        let folded: String = finding
            .excerpt
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let base = fnv1a(&[
            finding.rule.as_bytes(),
            finding.file.as_bytes(),
            folded.as_bytes(),
        ]);
        let occurrence = seen.entry(base).or_insert(0);
        let hash = fnv1a(&[&base.to_le_bytes(), &occurrence.to_le_bytes()]);
        *occurrence += 1;
        finding.fingerprint = format!("{hash:016x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: usize, text: &str) -> Finding {
        Finding {
            rule: "hardcoded-port".into(),
            factor: Some(7),
            severity: Severity::Error,
            file: "server.js".into(),
            start: Position { line, column: 1 },
            end: Position { line, column: 5 },
            message: String::new(),
            help: String::new(),
            excerpt: Excerpt {
                text: text.into(),
                highlight: (0, 1),
            },
            fingerprint: String::new(),
            fact: None,
        }
    }

    #[test]
    fn fingerprint_survives_line_shift_and_whitespace() {
        let mut a = vec![finding(3, "app.listen(3000)")];
        let mut b = vec![finding(
            40,
            "  app.listen( 3000)".replace("( ", "(").as_str(),
        )];
        assign_fingerprints(&mut a);
        assign_fingerprints(&mut b);
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
    }

    #[test]
    fn identical_lines_get_distinct_fingerprints() {
        let mut v = vec![
            finding(3, "app.listen(3000)"),
            finding(9, "app.listen(3000)"),
        ];
        assign_fingerprints(&mut v);
        assert_ne!(v[0].fingerprint, v[1].fingerprint);
    }

    #[test]
    fn changed_line_changes_fingerprint() {
        let mut a = vec![finding(3, "app.listen(3000)")];
        let mut b = vec![finding(3, "app.listen(4000)")];
        assign_fingerprints(&mut a);
        assign_fingerprints(&mut b);
        assert_ne!(a[0].fingerprint, b[0].fingerprint);
    }
}
