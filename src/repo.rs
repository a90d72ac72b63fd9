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
    /// Portability report: health-record words in production files (word → `file:line`
    /// of its first use), see `hosts::signals`.
    pub health_terms: BTreeMap<String, String>,
}

impl RepoFacts {
    /// Whether the walk should keep this file's contents (`rel`: path from the root).
    pub fn wants_contents(rel: &str) -> bool {
        MANIFESTS.contains(&rel) || hosts_wants_contents(rel)
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

    /// A manifest's contents as text (lossy UTF-8).
    pub fn manifest_text(&self, name: &str) -> Option<String> {
        self.manifest(name)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }
}

// --- Portability report (src/hosts/) ------------------------------------------------
// The files the per-host verdicts read: stack manifests, version pins and the hosts'
// own deployment files. `clevercloud/*.json` is the one non-root location: Clever
// Cloud reads its config there (platforms.md §2.9).

/// Root files read by the portability report, besides `MANIFESTS`.
const HOST_MANIFESTS: &[&str] = &[
    "requirements.txt",
    "Pipfile",
    "pyproject.toml",
    "runtime.txt",
    ".python-version",
    "manage.py",
    "Gemfile",
    "composer.json",
    "go.mod",
    "build.gradle",
    "build.gradle.kts",
    "system.properties",
    "Dockerfile",
    ".nvmrc",
    ".node-version",
    ".buildpacks",
    "cron.json",
    "scalingo.json",
    "app.json",
    "Cargo.toml",
    "mix.exs",
];

/// Folder of Clever Cloud's deployment files.
pub const CLEVER_DIR: &str = "clevercloud/";

fn hosts_wants_contents(rel: &str) -> bool {
    HOST_MANIFESTS.contains(&rel)
        || rel
            .strip_prefix(CLEVER_DIR)
            .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}
