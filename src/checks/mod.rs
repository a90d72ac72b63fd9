//! Structural rules: checks that need the shape of the repository rather than a line
//! pattern. Each is declared in `rules/` like any rule (metadata, docs, examples) and
//! names its implementation here with `check = "..."`.

pub mod manifest;
mod procfile;
pub mod start;

use crate::finding::Finding;
use crate::repo::RepoFacts;
use crate::rules::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// No declared way to start the web process.
    MissingProcfile,
    /// A `twelve: ignore[...]` comment naming a rule that does not exist; it is run
    /// by the suppression step, which is where such comments are read.
    UnknownSuppression,
    /// A manifest (package.json, Procfile, pyproject.toml...) that does not parse; run
    /// on each file by the scan, where the file's text is at hand.
    MalformedManifest,
}

impl Check {
    pub fn from_name(name: &str) -> Option<Check> {
        match name {
            "missing-procfile" => Some(Check::MissingProcfile),
            "unknown-suppression" => Some(Check::UnknownSuppression),
            "malformed-manifest" => Some(Check::MalformedManifest),
            _ => None,
        }
    }

    /// Meta checks report on twelve's own comments or on files it cannot read, not on a
    /// factor.
    pub fn is_meta(self) -> bool {
        matches!(self, Check::UnknownSuppression | Check::MalformedManifest)
    }

    /// Whether a root file's presence or contents decide this repository-level check:
    /// a change to one (pre-commit, `--diff-base`) is a reason to report it.
    pub fn watches(self, name: &str) -> bool {
        match self {
            Check::MissingProcfile => procfile::watches(name),
            Check::UnknownSuppression | Check::MalformedManifest => false,
        }
    }

    /// Runs a repository-level check on the facts gathered by the walk.
    pub fn run_on_repo(self, rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
        match self {
            Check::MissingProcfile => procfile::missing_procfile(rule, facts),
            Check::UnknownSuppression | Check::MalformedManifest => Vec::new(),
        }
    }
}
