//! Files named on the command line, as pre-commit passes the staged files: the
//! repository is scanned from its root and only findings in those files are kept;
//! a repository-level finding is kept when a file it concerns is among them.

use crate::finding::Finding;
use crate::git;
use crate::rules::{Matcher, Registry};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The root to scan and the named files, relative to it with `/` separators.
#[derive(Debug, Clone)]
pub struct Selection {
    pub root: PathBuf,
    pub files: BTreeSet<String>,
}

impl Selection {
    /// A selection when every path is a file; `None` when directories are scanned.
    /// The root is the git work tree holding the current directory, else the
    /// current directory itself.
    pub fn from_paths(paths: &[PathBuf]) -> Result<Option<Selection>, String> {
        if paths.is_empty() || !paths.iter().all(|p| p.is_file()) {
            return Ok(None);
        }
        let cwd = std::env::current_dir()
            .map_err(|err| format!("cannot read the current directory: {err}"))?;
        let root = git::toplevel(&cwd).unwrap_or(cwd);
        let root = canonical(&root)?;
        let mut files = BTreeSet::new();
        for path in paths {
            let full = canonical(path)?;
            let rel = full.strip_prefix(&root).map_err(|_| {
                format!(
                    "{}: outside the repository at {}",
                    path.display(),
                    root.display()
                )
            })?;
            files.insert(crate::walk::path_text(rel));
        }
        Ok(Some(Selection { root, files }))
    }

    /// Whether a finding is in one of the named files, or concerns one of them.
    pub fn includes(&self, finding: &Finding, registry: &Registry) -> bool {
        if finding.is_repository_level() {
            concerns_any(registry, finding, &self.files)
        } else {
            self.files.contains(&finding.file)
        }
    }
}

fn canonical(path: &Path) -> Result<PathBuf, String> {
    path.canonicalize()
        .map_err(|err| format!("{}: {err}", path.display()))
}

/// Whether a repository-level finding concerns one of `files`: the file it names, or
/// one its check reads beside it (a manifest at the same root).
pub fn concerns_any<'a>(
    registry: &Registry,
    finding: &Finding,
    files: impl IntoIterator<Item = &'a String>,
) -> bool {
    let dir = finding.file.rsplit_once('/').map(|(dir, _)| dir);
    let check = match registry.get(&finding.rule).map(|r| &r.matcher) {
        Some(Matcher::Check(check)) => Some(*check),
        _ => None,
    };
    files.into_iter().any(|file| {
        let (file_dir, name) = match file.rsplit_once('/') {
            Some((file_dir, name)) => (Some(file_dir), name),
            None => (None, file.as_str()),
        };
        *file == finding.file || (file_dir == dir && check.is_some_and(|c| c.watches(name)))
    })
}
