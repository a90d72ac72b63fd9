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
    /// Byte ranges of `text` holding a secret value (sorted, disjoint, on character
    /// boundaries): masked in every output unless `--show-secrets` is given.
    pub secrets: Vec<(usize, usize)>,
}

/// One replacement of `text[start..end]`, for `Excerpt::edited`.
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

impl Excerpt {
    /// The excerpt with each edit applied (`edits` sorted and disjoint). The highlight
    /// and the secret ranges follow the text: a bound inside a replaced range moves to
    /// the start or the end of its replacement.
    pub fn edited(&self, edits: &[Edit]) -> Excerpt {
        if edits.is_empty() {
            return self.clone();
        }
        let mut text = String::with_capacity(self.text.len());
        let mut at = 0;
        for edit in edits {
            text.push_str(&self.text[at..edit.start]);
            text.push_str(&edit.with);
            at = edit.end;
        }
        text.push_str(&self.text[at..]);
        // A bound inside a replaced range goes to the replacement's start (a start) or
        // end (an end); after it, it shifts by how much the replacements before it grew.
        let map = |offset: usize, is_end: bool| {
            let mut moved = offset;
            for edit in edits {
                if edit.end <= offset {
                    moved = moved + edit.with.len() - (edit.end - edit.start);
                } else if edit.start < offset {
                    let start = moved - (offset - edit.start);
                    return if is_end {
                        start + edit.with.len()
                    } else {
                        start
                    };
                } else {
                    break;
                }
            }
            moved
        };
        let range = |(a, b): (usize, usize)| (map(a, false), map(b, true).max(map(a, false)));
        Excerpt {
            text,
            highlight: range(self.highlight),
            secrets: self.secrets.iter().copied().map(range).collect(),
        }
    }

    /// The excerpt with every secret masked (see `mask`).
    pub fn redacted(&self) -> Excerpt {
        let edits: Vec<Edit> = self
            .secrets
            .iter()
            .map(|&(start, end)| Edit {
                start,
                end,
                with: mask(&self.text[start..end]),
            })
            .collect();
        Excerpt {
            secrets: Vec::new(),
            ..self.edited(&edits)
        }
    }

    /// Adds secret ranges, keeping the list sorted and merging overlaps.
    pub fn add_secrets(&mut self, ranges: impl IntoIterator<Item = (usize, usize)>) {
        self.secrets
            .extend(ranges.into_iter().filter(|(a, b)| a < b));
        self.secrets.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.secrets.len());
        for (start, end) in self.secrets.drain(..) {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        self.secrets = merged;
    }
}

/// What a secret value is shown as: its first characters, at most 4 and at most a
/// quarter of it (a short password keeps most of itself hidden), then `****`.
pub fn mask(value: &str) -> String {
    let shown = (value.chars().count() / 4).min(4);
    let mut out: String = value.chars().take(shown).collect();
    out.push_str("****");
    out
}

/// A typed value the detect step read from the match, so that later steps never parse
/// a message or an excerpt again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// The matched text is a number (a port, for `hardcoded-port`).
    Number(u64),
    /// What the finding is about runs on Clever Cloud only: package.json's `start`, which
    /// it runs instead of the Procfile that the other hosts follow.
    CleverCloudOnly,
    /// The app's requirements file sits in a folder (`requirements/base.txt`), which Clever
    /// Cloud installs when `CC_PIP_REQUIREMENTS_FILE` names it (the message names the file);
    /// Scalingo reads the root only.
    NestedRequirements,
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
    /// The fingerprint twelve 0.1 gave a finding whose line holds a secret (it hashed
    /// the secret itself): still matched by `--baseline`, never printed.
    pub legacy_fingerprint: Option<String>,
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
/// space folded and secrets masked, plus the occurrence index among identical lines:
/// they survive lines moving above, change when the flagged line itself changes, and
/// say nothing of a secret beyond what the redacted output shows.
pub fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen = std::collections::HashMap::new();
    let mut legacy_seen = std::collections::HashMap::new();
    for finding in findings.iter_mut() {
        let redacted = finding.excerpt.redacted();
        finding.fingerprint = line_fingerprint(finding, &redacted.text, &mut seen);
        // Every finding counts in the legacy occurrences, as it did.
        let legacy = line_fingerprint(finding, &finding.excerpt.text, &mut legacy_seen);
        finding.legacy_fingerprint = (legacy != finding.fingerprint).then_some(legacy);
    }
}

fn line_fingerprint(
    finding: &Finding,
    text: &str,
    seen: &mut std::collections::HashMap<u64, u32>,
) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let base = fnv1a(&[
        finding.rule.as_bytes(),
        finding.file.as_bytes(),
        folded.as_bytes(),
    ]);
    let occurrence = seen.entry(base).or_insert(0);
    let hash = fnv1a(&[&base.to_le_bytes(), &occurrence.to_le_bytes()]);
    *occurrence += 1;
    format!("{hash:016x}")
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
                secrets: Vec::new(),
            },
            fingerprint: String::new(),
            fact: None,
            legacy_fingerprint: None,
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

    #[test]
    fn masks_keep_at_most_four_characters_and_a_quarter() {
        assert_eq!(mask("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "sk_l****");
        assert_eq!(mask("hunter22"), "hu****");
        assert_eq!(mask("abc"), "****");
    }

    #[test]
    fn redaction_moves_the_highlight_with_the_text() {
        let text = "key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' # x";
        let excerpt = Excerpt {
            text: text.into(),
            highlight: (7, 39),
            secrets: vec![(7, 39)],
        };
        let redacted = excerpt.redacted();
        assert_eq!(redacted.text, "key = 'sk_l****' # x");
        assert_eq!(
            &redacted.text[redacted.highlight.0..redacted.highlight.1],
            "sk_l****"
        );
        assert!(redacted.secrets.is_empty());
    }

    #[test]
    fn edits_shift_later_ranges() {
        let excerpt = Excerpt {
            text: "a\x1bport 3000".into(),
            highlight: (7, 11),
            secrets: vec![],
        };
        let edited = excerpt.edited(&[Edit {
            start: 1,
            end: 2,
            with: "ESC".into(),
        }]);
        assert_eq!(edited.text, "aESCport 3000");
        assert_eq!(&edited.text[edited.highlight.0..edited.highlight.1], "3000");
    }

    #[test]
    fn fingerprint_hides_the_secret_and_keeps_the_old_one_for_baselines() {
        let line = "key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'";
        let other = "key = 'sk_live_9zZ99HqLyjWDarjtT1zdp7dc'";
        let mut a = vec![finding(1, line)];
        let mut b = vec![finding(1, other)];
        let mut plain = vec![finding(1, line)];
        a[0].excerpt.secrets = vec![(7, 39)];
        b[0].excerpt.secrets = vec![(7, 39)];
        assign_fingerprints(&mut a);
        assign_fingerprints(&mut b);
        assign_fingerprints(&mut plain);
        assert_eq!(
            a[0].fingerprint, b[0].fingerprint,
            "only the mask is hashed"
        );
        assert_eq!(
            a[0].legacy_fingerprint.as_ref(),
            Some(&plain[0].fingerprint)
        );
        assert_eq!(plain[0].legacy_fingerprint, None);
    }
}
