//! Baselines for adopting twelve on an existing codebase: `--write-baseline FILE`
//! records today's findings by fingerprint, `--baseline FILE` hides them afterwards.
//! Fingerprints hash the rule, the file and the flagged line's text, so a baseline
//! survives edits elsewhere and lines moving.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// Rule and file are kept for people reading the file; only the fingerprint matches.
#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    rule: String,
    file: String,
}

#[derive(Debug, Default, Clone)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("{}: cannot read the baseline: {err}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|err| format!("{}: not a twelve baseline: {err}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Whether the baseline records the finding: by its fingerprint, or by the one an
    /// older twelve gave it when its line holds a secret (see `finding::assign_fingerprints`;
    /// `--write-baseline` records the new one).
    pub fn contains(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint)
            || finding
                .legacy_fingerprint
                .as_ref()
                .is_some_and(|old| self.fingerprints.contains(old))
    }
}

/// Writes the findings' fingerprints to `path`.
pub fn write(path: &Path, findings: &[Finding]) -> Result<(), String> {
    let file = File {
        version: VERSION,
        findings: findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                file: f.file.clone(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("plain data serialises");
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|err| format!("{}: cannot write the baseline: {err}", path.display()))
}
