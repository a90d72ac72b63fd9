//! Facts about the repository as a whole, gathered during the walk for the structural
//! checks: which files sit at the root, and the contents of the root manifests.

use crate::classify::{Language, Role, role_of};
use std::collections::{BTreeMap, BTreeSet};

/// Root files whose contents the structural checks read.
const MANIFESTS: &[&str] = &["Procfile", "package.json", "pom.xml"];

#[derive(Debug, Default, Clone)]
pub struct RepoFacts {
    /// Names of the files directly under the scanned root (not ignored).
    pub root_files: BTreeSet<String>,
    /// Contents of the root manifests that were found.
    pub manifests: BTreeMap<String, Vec<u8>>,
    /// Committed `*.log` files outside tests, fixtures, docs and examples.
    pub log_files: BTreeSet<String>,
}

impl RepoFacts {
    /// Whether the walk should keep this root-level file's contents.
    pub fn wants_contents(name: &str) -> bool {
        MANIFESTS.contains(&name)
    }

    /// Whether a walked file is a log file that belongs to the app (not test data).
    pub fn is_committed_log(rel: &str) -> bool {
        let lower = rel.to_ascii_lowercase();
        let is_log = lower.ends_with(".log")
            || lower
                .rsplit_once(".log.")
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        is_log
            && matches!(
                role_of(rel, Language::Text),
                Role::Source | Role::Config | Role::DevConfig
            )
    }

    pub fn has(&self, name: &str) -> bool {
        self.root_files.contains(name)
    }

    pub fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.has(n))
    }

    pub fn manifest(&self, name: &str) -> Option<&[u8]> {
        self.manifests.get(name).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::RepoFacts;

    #[test]
    fn log_files_outside_test_data_are_committed_logs() {
        assert!(RepoFacts::is_committed_log("log/production.log"));
        assert!(RepoFacts::is_committed_log("storage/logs/laravel.log"));
        assert!(RepoFacts::is_committed_log("app.log.1"));
        assert!(!RepoFacts::is_committed_log("tests/data/sample.log"));
        assert!(!RepoFacts::is_committed_log("fixtures/access.log"));
        assert!(!RepoFacts::is_committed_log("docs/example.log"));
        assert!(!RepoFacts::is_committed_log("CHANGELOG.md"));
        assert!(!RepoFacts::is_committed_log("src/catalog.rb"));
        assert!(!RepoFacts::is_committed_log("app.log.bak"));
    }
}
