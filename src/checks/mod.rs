//! Structural rules: checks that need the shape of the repository rather than a line
//! pattern. Each is declared in `rules/` like any rule (metadata, docs, examples) and
//! names its implementation here with `check = "..."`.

mod logs;
mod procfile;
pub mod start;

use crate::finding::Finding;
use crate::repo::RepoFacts;
use crate::rules::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// No declared way to start the web process.
    MissingProcfile,
    /// Log files committed to the repository.
    CommittedLogFile,
    /// A `twelve: ignore[...]` comment naming a rule that does not exist; it is run
    /// by the suppression step, which is where such comments are read.
    UnknownSuppression,
}

impl Check {
    pub fn from_name(name: &str) -> Option<Check> {
        match name {
            "missing-procfile" => Some(Check::MissingProcfile),
            "committed-log-file" => Some(Check::CommittedLogFile),
            "unknown-suppression" => Some(Check::UnknownSuppression),
            _ => None,
        }
    }

    /// Meta checks report on twelve's own comments, not on a factor.
    pub fn is_meta(self) -> bool {
        self == Check::UnknownSuppression
    }

    /// Runs a repository-level check on the facts gathered by the walk.
    pub fn run_on_repo(self, rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
        match self {
            Check::MissingProcfile => procfile::missing_procfile(rule, facts),
            Check::CommittedLogFile => logs::committed_log_files(rule, facts),
            Check::UnknownSuppression => Vec::new(),
        }
    }
}
