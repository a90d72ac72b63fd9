//! Where the paths in findings start from. Findings name files relative to the scanned
//! root; GitHub, GitLab and SARIF viewers resolve paths from the repository root, and a
//! person at a terminal from the current directory. The anchors are the prefixes that
//! turn the one into the others, computed once after the scan.

use crate::git;
use std::path::{Component, Path, PathBuf};

/// Prefixes (empty, or ending in `/`) from the repository root and from the current
/// directory to the folder the findings' paths are relative to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    /// From the root of the git work tree (the scanned folder itself outside git).
    pub repository: String,
    /// That root's absolute path with `/` separators (SARIF's `originalUriBaseIds`).
    pub repository_root: Option<String>,
    /// From the current directory; may start with `../`.
    pub cwd: String,
}

impl Anchors {
    /// Anchors for a scan of `roots`: one root is the base of the paths; with several,
    /// each path starts with its root as given, so the base is the current directory.
    pub fn for_roots(roots: &[PathBuf]) -> Anchors {
        let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize()) else {
            return Anchors::default();
        };
        let base = match roots {
            [root] if root.is_dir() => root.canonicalize().unwrap_or_else(|_| cwd.join(root)),
            [root] => root
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .and_then(|p| p.canonicalize().ok())
                .unwrap_or_else(|| cwd.clone()),
            _ => cwd.clone(),
        };
        let top = git::toplevel(&base)
            .and_then(|top| top.canonicalize().ok())
            .filter(|top| base.starts_with(top))
            .unwrap_or_else(|| base.clone());
        Anchors {
            repository: prefix(&relative(&base, &top)),
            repository_root: top.to_str().map(|t| t.replace('\\', "/")),
            cwd: prefix(&relative(&base, &cwd)),
        }
    }

    /// `file` as the repository root sees it.
    pub fn from_repository(&self, file: &str) -> String {
        join(&self.repository, file)
    }

    /// `file` as the current directory sees it.
    pub fn from_cwd(&self, file: &str) -> String {
        join(&self.cwd, file)
    }
}

fn join(prefix: &str, file: &str) -> String {
    if file.starts_with('/') || prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}{file}")
    }
}

/// `path` from `from`, both absolute and canonical, with `..` where it climbs.
fn relative(path: &Path, from: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let from: Vec<Component> = from.components().collect();
    let common = path.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &path[common..] {
        out.push(part);
    }
    out
}

fn prefix(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        text
    } else {
        format!("{text}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        let rel = |a: &str, b: &str| prefix(&relative(Path::new(a), Path::new(b)));
        assert_eq!(rel("/r/backend", "/r"), "backend/");
        assert_eq!(rel("/r", "/r"), "");
        assert_eq!(rel("/r/app", "/r/docs/x"), "../../app/");
        assert_eq!(rel("/r", "/r/sub"), "../");
    }

    #[test]
    fn joins_keep_absolute_paths() {
        let anchors = Anchors {
            repository: "backend/".into(),
            repository_root: None,
            cwd: String::new(),
        };
        assert_eq!(anchors.from_repository("server.js"), "backend/server.js");
        assert_eq!(anchors.from_repository("/abs/x.js"), "/abs/x.js");
        assert_eq!(anchors.from_cwd("server.js"), "server.js");
    }
}
