//! What a host deploys: inside a git work tree, the files git tracks (its index), plus
//! the untracked files that no ignore rule matches, which `git add .` would commit. A
//! tracked file counts whatever `.gitignore` says, as git itself keeps tracking it. The
//! list comes from one `git ls-files` call per scanned root; the walk consults it.

use std::collections::HashSet;
use std::path::Path;

/// Whether git has a file, as the walk asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In the index (or inside a submodule or nested repository git tracks as a whole).
    Tracked,
    /// Not in the index, and no ignore rule matches it.
    Untracked,
    /// Neither: matched by `.gitignore`, `.git/info/exclude` or the global excludes.
    Ignored,
}

/// The files git has under one scanned root, relative to it, `/`-separated.
#[derive(Debug, Default)]
pub struct Tracked {
    tracked: HashSet<String>,
    untracked: HashSet<String>,
    /// Every folder holding one of them, so that the walk never enters an ignored one.
    dirs: HashSet<String>,
    /// Submodules and nested repositories: git lists the folder, not its files.
    opaque: Vec<String>,
}

impl Tracked {
    /// The files git has under `root`, or `None` when `root` is not inside a work tree,
    /// git cannot run, or git has no file there (a folder the enclosing repository
    /// ignores): then the walk applies the ignore files itself, as outside git.
    pub fn load(root: &Path) -> Option<Tracked> {
        // `-t` tags each path: `?` for untracked, a letter for what the index holds.
        // No fsmonitor: a repository's own config must not make git run a program.
        let out = crate::git::run_bytes(
            root,
            &[
                "-c",
                "core.fsmonitor=false",
                "ls-files",
                "-z",
                "-t",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
        )
        .ok()?;
        let tracked = Tracked::parse(&out);
        (!tracked.tracked.is_empty() || !tracked.untracked.is_empty()).then_some(tracked)
    }

    /// Reads `git ls-files -z -t --cached --others` output.
    fn parse(out: &[u8]) -> Tracked {
        let mut tracked = Tracked::default();
        for record in out.split(|b| *b == 0).filter(|r| r.len() > 2) {
            let (tag, path) = record.split_at(2);
            let path = String::from_utf8_lossy(path);
            let untracked = tag[0] == b'?';
            // `--others` names a nested repository as a folder (`lib/`).
            let (path, nested) = match path.strip_suffix('/') {
                Some(dir) => (dir.to_string(), true),
                None => (path.into_owned(), false),
            };
            tracked.add_parents(&path);
            if nested {
                tracked.opaque.push(path.clone());
            }
            if untracked {
                tracked.untracked.insert(path);
            } else {
                tracked.tracked.insert(path);
            }
        }
        tracked
    }

    fn add_parents(&mut self, path: &str) {
        let mut end = path.len();
        while let Some(slash) = path[..end].rfind('/') {
            // Stop at the first folder already known: its parents are known too.
            if !self.dirs.insert(path[..slash].to_string()) {
                return;
            }
            end = slash;
        }
    }

    /// Whether git has the file at `rel`.
    pub fn status(&self, rel: &str) -> Status {
        if self.tracked.contains(rel) || self.inside_opaque(rel) {
            Status::Tracked
        } else if self.untracked.contains(rel) {
            Status::Untracked
        } else {
            Status::Ignored
        }
    }

    /// Whether the walk should enter the folder at `rel`: it holds a file git has, or
    /// it is (or is inside) a submodule, whose files git does not list one by one.
    pub fn enters(&self, rel: &str) -> bool {
        self.dirs.contains(rel) || self.tracked.contains(rel) || self.inside_opaque(rel)
    }

    fn inside_opaque(&self, rel: &str) -> bool {
        // A tracked path with files under it is a submodule (a gitlink).
        let mut end = rel.len();
        while let Some(slash) = rel[..end].rfind('/') {
            let dir = &rel[..slash];
            if self.tracked.contains(dir) || self.opaque.iter().any(|o| o == dir) {
                return true;
            }
            end = slash;
        }
        self.opaque.iter().any(|o| o == rel)
    }

    /// Names of the files git has directly under the root.
    pub fn root_files(&self) -> impl Iterator<Item = &str> {
        self.tracked
            .iter()
            .chain(&self.untracked)
            .map(String::as_str)
            .filter(|p| !p.contains('/'))
    }

    /// How many files git tracks under the root.
    pub fn tracked_count(&self) -> usize {
        self.tracked.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(entries: &[&str]) -> Tracked {
        let mut out = Vec::new();
        for entry in entries {
            out.extend_from_slice(entry.as_bytes());
            out.push(0);
        }
        Tracked::parse(&out)
    }

    #[test]
    fn tags_tell_tracked_from_untracked() {
        let git = listing(&[
            "H package.json",
            "H src/app/main.ts",
            "? notes.txt",
            "S sparse.md",
        ]);
        assert_eq!(git.status("package.json"), Status::Tracked);
        assert_eq!(git.status("sparse.md"), Status::Tracked);
        assert_eq!(git.status("notes.txt"), Status::Untracked);
        assert_eq!(git.status("dist/main.js"), Status::Ignored);
        assert!(git.enters("src") && git.enters("src/app"));
        assert!(!git.enters("dist"));
        let mut root: Vec<&str> = git.root_files().collect();
        root.sort_unstable();
        assert_eq!(root, ["notes.txt", "package.json", "sparse.md"]);
        assert_eq!(git.tracked_count(), 3);
    }

    #[test]
    fn submodules_and_nested_repositories_are_entered_whole() {
        let git = listing(&["H libs/shared", "? tools/nested/"]);
        assert!(git.enters("libs/shared") && git.enters("libs/shared/src"));
        assert_eq!(git.status("libs/shared/src/index.js"), Status::Tracked);
        assert!(git.enters("tools/nested"));
        assert_eq!(git.status("tools/nested/run.sh"), Status::Tracked);
        assert_eq!(git.status("libs/other.js"), Status::Ignored);
    }
}
