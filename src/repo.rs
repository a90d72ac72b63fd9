//! Facts about the repository as a whole, gathered during the walk for the structural
//! checks: which files sit at the root, and the contents of the root manifests.

use std::collections::{BTreeMap, BTreeSet};

/// Root files whose contents the structural checks read.
const MANIFESTS: &[&str] = &["Procfile", "package.json", "pom.xml"];

#[derive(Debug, Default, Clone)]
pub struct RepoFacts {
    /// Names of the files directly under the scanned root (not ignored).
    pub root_files: BTreeSet<String>,
    /// Contents of the root manifests that were found.
    pub manifests: BTreeMap<String, Vec<u8>>,
}

impl RepoFacts {
    /// Whether the walk should keep this root-level file's contents.
    pub fn wants_contents(name: &str) -> bool {
        MANIFESTS.contains(&name)
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
