//! Facts about the repository as a whole, gathered during the walk for the structural
//! checks: which files sit at the root, the contents of the root manifests, the apps in
//! first-level folders, and a few facts found in code files. Everything kept here is
//! bounded (root files, first-level folders, capped lists), never one entry per file.

use crate::classify::{Language, Role, role_of};
use crate::code_facts::CodeFacts;
use crate::finding::Finding;
use crate::tracked::{Status, Tracked};
use crate::walk::SkipReason;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Root files (and the few fixed nested paths) whose contents the structural checks read.
const MANIFESTS: &[&str] = &[
    "Procfile",
    "package.json",
    "pom.xml",
    "requirements.txt",
    "Gemfile",
    "composer.json",
    "go.mod",
    "pyproject.toml",
    "cron.json",
    "Dockerfile",
    "Aptfile",
    ".buildpacks",
    "clevercloud/cron.json",
];

/// Compose files at the root: whether one builds the Dockerfile (`checks::start`).
pub const COMPOSE_FILES: &[&str] = &[
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
];

/// Shell scripts that Dockerfiles and Procfiles commonly start the app through; their
/// contents are kept too, for the start-command checks.
pub const START_SCRIPTS: &[&str] = &[
    "entrypoint.sh",
    "docker-entrypoint.sh",
    "start.sh",
    "bin/start",
    "bin/docker-entrypoint",
    "bin/boot",
    "scripts/start.sh",
    "scripts/entrypoint.sh",
    "docker/entrypoint.sh",
];

/// Manifests that make a first-level folder an app of its own (a monorepo part).
pub const APP_MANIFESTS: &[&str] = &[
    "package.json",
    "requirements.txt",
    "pyproject.toml",
    "Pipfile",
    "Gemfile",
    "composer.json",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
];

/// Files that declare how a first-level app starts.
pub const START_FILES: &[&str] = &["Procfile", "Dockerfile"];

/// Dependency manifests, by the stack they declare; a stack's code needs one of them
/// somewhere in the repository.
pub const DEPENDENCY_MANIFESTS: &[(&str, &str)] = &[
    ("package.json", "node"),
    ("requirements.txt", "python"),
    ("Pipfile", "python"),
    ("pyproject.toml", "python"),
    ("setup.py", "python"),
    ("setup.cfg", "python"),
    ("environment.yml", "python"),
    ("Gemfile", "ruby"),
    ("gems.rb", "ruby"),
    ("composer.json", "php"),
    ("go.mod", "go"),
    // Go before modules: dep and glide.
    ("Gopkg.toml", "go"),
    ("glide.yaml", "go"),
    // Rails import maps pin the browser's JavaScript packages.
    ("importmap.rb", "node"),
];

/// The stack whose dependency manifest `rel` is (at any depth).
pub fn dependency_manifest(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.ends_with(".gemspec") {
        return Some("ruby");
    }
    DEPENDENCY_MANIFESTS
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, stack)| *stack)
}

/// An app found in a first-level folder (`api/package.json`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SubApp {
    /// The manifests found in the folder, e.g. `api/package.json`.
    pub manifests: BTreeSet<String>,
    /// Whether a Procfile, a Dockerfile or a package.json start script declares its start.
    pub declares_start: bool,
}

/// Facts found in one production code file by `checks::file_facts`.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub code: CodeFacts,
    /// The stack whose dependency manifest this file is.
    pub manifest: Option<&'static str>,
    /// The first import of a third-party package: (stack, finding).
    pub package_import: Option<(&'static str, Finding)>,
}

#[derive(Debug, Default, Clone)]
pub struct RepoFacts {
    /// Names of the files directly under the scanned root (not ignored).
    pub root_files: BTreeSet<String>,
    /// Contents of the root manifests that were found.
    pub manifests: BTreeMap<String, Vec<u8>>,
    /// Whether the root is inside a git work tree (a `.git` at or above it).
    pub in_git: bool,
    /// Inside a work tree, the files git has (tracked, or untracked and not ignored).
    pub git: Option<Arc<Tracked>>,
    /// Dependency manifests that exist but were not scanned, one per stack (the first
    /// by path), with the reason.
    pub skipped_manifests: BTreeMap<&'static str, (String, SkipReason)>,
    /// Files and folders directly under the root that were not scanned, and why.
    pub skipped_root: BTreeMap<String, SkipReason>,
    /// Apps in first-level folders, by folder name.
    pub sub_apps: BTreeMap<String, SubApp>,
    /// Code sites noted in production code files.
    pub code: CodeFacts,
    /// Whether a `vendor/` folder sits at the root (dependencies committed with the app).
    pub vendored: bool,
    /// Stacks with a dependency manifest anywhere in the repository.
    pub manifest_stacks: BTreeSet<&'static str>,
    /// Per stack: how many production files import third-party packages, and the first.
    pub package_imports: BTreeMap<&'static str, (usize, Finding)>,
    /// Portability report: health-record words in production files (word → `file:line`
    /// of its first use), see `hosts::signals`.
    pub health_terms: BTreeMap<String, String>,
    /// Committed `*.log` files outside tests, fixtures, docs and examples.
    pub log_files: BTreeSet<String>,
    /// Files directly in each folder that may hold an app of a monorepo (see
    /// `app_folder`), by folder; at most `MAX_APP_FILES` per folder.
    pub app_files: BTreeMap<String, BTreeSet<String>>,
}

/// At most this many file names are kept per monorepo app folder.
const MAX_APP_FILES: usize = 512;

/// Folders that group a monorepo's apps one level down (`src/api`, `apps/web`).
const APP_GROUPS: &[&str] = &["apps", "services", "src"];

/// Splits `rel` into the monorepo app folder it may belong to and its path inside it:
/// a first-level folder (`backend/Gemfile`), or a folder of `apps/`, `services/` or
/// `src/` (`src/api/pyproject.toml`). Hidden folders hold no app.
pub fn app_folder(rel: &str) -> Option<(&str, &str)> {
    let (first, rest) = rel.split_once('/')?;
    if first.starts_with('.') || first.is_empty() {
        return None;
    }
    if APP_GROUPS.contains(&first)
        && let Some((second, inner)) = rest.split_once('/')
        && !second.starts_with('.')
    {
        let dir = &rel[..first.len() + 1 + second.len()];
        return Some((dir, inner));
    }
    Some((first, rest))
}

impl RepoFacts {
    /// Whether the walk should keep this file's contents (`rel` relative to the root):
    /// a root manifest, or one at the root of a monorepo app folder.
    pub fn wants_contents(rel: &str) -> bool {
        let root_manifest = |rel: &str| {
            MANIFESTS.contains(&rel)
                || COMPOSE_FILES.contains(&rel)
                || START_SCRIPTS.contains(&rel)
                || hosts_wants_contents(rel)
        };
        root_manifest(rel)
            || app_folder(rel).is_some_and(|(_, inner)| root_manifest(inner))
            || crate::app::settings::wants(rel)
            || is_followed_file(rel)
    }

    /// Keeps a manifest's contents; of the Dockerfiles and shell scripts kept at any
    /// path (`is_followed_file`), at most `MAX_FOLLOWED_FILES`, the first by path.
    pub fn keep_manifest(&mut self, name: String, contents: Vec<u8>) {
        let followed = is_followed_file(&name) && !MANIFESTS.contains(&name.as_str());
        self.manifests.insert(name, contents);
        if followed {
            let kept: Vec<&String> = self
                .manifests
                .keys()
                .filter(|k| is_followed_file(k) && !MANIFESTS.contains(&k.as_str()))
                .collect();
            if kept.len() > MAX_FOLLOWED_FILES
                && let Some(last) = kept.last().map(|k| (*k).clone())
            {
                self.manifests.remove(&last);
            }
        }
    }

    /// Records a file that sits directly in a monorepo app folder.
    pub fn add_app_file(&mut self, rel: &str) {
        let Some((dir, name)) = app_folder(rel).filter(|(_, name)| !name.contains('/')) else {
            return;
        };
        let files = self.app_files.entry(dir.to_string()).or_default();
        if files.len() < MAX_APP_FILES {
            files.insert(name.to_string());
        }
    }

    /// The facts of the app in folder `dir`, with paths relative to it: its files, its
    /// manifests and the code sites under it. `None` when the folder has no manifest.
    pub fn for_app(&self, dir: &str) -> Option<RepoFacts> {
        let prefix = format!("{dir}/");
        let files = self.app_files.get(dir)?;
        let manifests: BTreeMap<String, Vec<u8>> = self
            .manifests
            .iter()
            .filter_map(|(name, bytes)| {
                Some((name.strip_prefix(&prefix)?.to_string(), bytes.clone()))
            })
            .collect();
        if manifests.is_empty() {
            return None;
        }
        Some(RepoFacts {
            root_files: files.clone(),
            manifests,
            in_git: self.in_git,
            code: self.code.inside(&prefix),
            manifest_stacks: self.manifest_stacks.clone(),
            health_terms: self.health_terms.clone(),
            ..RepoFacts::default()
        })
    }

    /// Whether `rel` is a file that makes or starts a first-level app (`api/Procfile`).
    pub fn is_sub_app_file(rel: &str) -> bool {
        rel.split_once('/').is_some_and(|(dir, name)| {
            !dir.starts_with('.')
                && !name.contains('/')
                && (APP_MANIFESTS.contains(&name) || START_FILES.contains(&name))
        })
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

    /// Whether git tracks the file at `rel`; `None` outside a git work tree.
    pub fn is_tracked(&self, rel: &str) -> Option<bool> {
        self.git
            .as_ref()
            .map(|git| git.status(rel) == Status::Tracked)
    }

    /// Records a path the walk skipped: at the root, and when it is a dependency manifest
    /// (the first by path for each stack).
    pub fn add_skipped(&mut self, rel: String, reason: SkipReason) {
        if !rel.contains('/') {
            self.skipped_root.insert(rel.clone(), reason);
        }
        let Some(stack) = dependency_manifest(&rel) else {
            return;
        };
        let slot = self
            .skipped_manifests
            .entry(stack)
            .or_insert_with(|| (rel.clone(), reason));
        if rel < slot.0 {
            *slot = (rel, reason);
        }
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

    /// Records a first-level app file; `declares_start` for a start script or file.
    pub fn add_sub_app_file(&mut self, rel: &str, declares_start: bool) {
        let Some((dir, name)) = rel.split_once('/') else {
            return;
        };
        let app = self.sub_apps.entry(dir.to_string()).or_default();
        if APP_MANIFESTS.contains(&name) {
            app.manifests.insert(rel.to_string());
        }
        app.declares_start |= declares_start;
    }

    /// Merges the facts of one file, keeping the lists bounded and independent of the
    /// order in which threads deliver files.
    pub fn add_file_facts(&mut self, facts: FileFacts) {
        self.code.merge(facts.code);
        self.manifest_stacks.extend(facts.manifest);
        if let Some((stack, found)) = facts.package_import {
            let entry = self
                .package_imports
                .entry(stack)
                .or_insert((0, found.clone()));
            entry.0 += 1;
            if found.sort_key() < entry.1.sort_key() {
                entry.1 = found;
            }
        }
    }
}

/// Whether `root` or one of its parents holds `.git` (a folder, or a file in a worktree).
pub fn inside_git(root: &std::path::Path) -> bool {
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    absolute.ancestors().any(|dir| dir.join(".git").exists())
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
    "gradle/wrapper/gradle-wrapper.properties",
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

/// At most this many Dockerfiles and shell scripts are kept beside the fixed manifests.
const MAX_FOLLOWED_FILES: usize = 256;

/// Files whose contents the start commands may lead to, wherever they sit: production
/// Dockerfiles (`docker/Dockerfile`, `.docker/prod/web.dockerfile`, `Dockerfile.prod`)
/// and shell scripts, which a Procfile line, a `CMD` or a `COPY` names by any path.
/// Tests, examples, docs and development-only files are left out by their path.
pub fn is_followed_file(rel: &str) -> bool {
    let language = match crate::classify::language_of(rel, b"") {
        Some(l @ (Language::Dockerfile | Language::Shell)) => l,
        // nginx server configurations, which an image copies into /etc/nginx.
        Some(l @ Language::Ini) if is_nginx_conf(rel) => l,
        _ => return false,
    };
    matches!(role_of(rel, language), Role::Source | Role::Config)
}

/// A `.conf` file named or filed for nginx (`docker/nginx/default.conf`, `nginx.conf`).
pub fn is_nginx_conf(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".conf") && lower.contains("nginx")
}

/// Folder of Clever Cloud's deployment files.
pub const CLEVER_DIR: &str = "clevercloud/";

fn hosts_wants_contents(rel: &str) -> bool {
    HOST_MANIFESTS.contains(&rel)
        || rel
            .strip_prefix(CLEVER_DIR)
            .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_app_files() {
        assert!(RepoFacts::is_sub_app_file("api/package.json"));
        assert!(RepoFacts::is_sub_app_file("web/Procfile"));
        assert!(!RepoFacts::is_sub_app_file("package.json"));
        assert!(!RepoFacts::is_sub_app_file("a/b/package.json"));
        assert!(!RepoFacts::is_sub_app_file(".github/package.json"));
        let mut facts = RepoFacts::default();
        facts.add_sub_app_file("api/package.json", false);
        facts.add_sub_app_file("api/Procfile", true);
        assert!(facts.sub_apps["api"].declares_start);
        assert_eq!(facts.sub_apps["api"].manifests.len(), 1);
    }

    #[test]
    fn git_is_found_above_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        std::fs::create_dir_all(&app).unwrap();
        assert!(!inside_git(&app) || inside_git(dir.path()));
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(inside_git(&app));
    }

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
