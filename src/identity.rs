//! Which repository and commit a report is about, so that many reports can be merged
//! into a portfolio (`twelve portfolio`). Read from git when the scanned folder is a
//! work tree; the command line can name both for exported trees and CI checkouts.

use crate::git;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The `repository` object of the JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `owner/name` from the `origin` remote, else the folder's name.
    pub name: String,
    /// The full commit id of `HEAD`, when known.
    pub commit: Option<String>,
}

/// The identity of the repository scanned at `root`; `name` and `commit` given on the
/// command line win over what git says.
pub fn detect(root: &Path, name: Option<&str>, commit: Option<&str>) -> Identity {
    // One git run answers the three questions, in this order: the work tree's top
    // (nothing outside git), the folder's path inside it, and HEAD (nothing before the
    // first commit, when git fails after printing the first two).
    let answers = git::run_lossy(
        root,
        &[
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--verify",
            "-q",
            "HEAD",
        ],
    );
    let mut lines = answers.lines();
    let top = lines.next().filter(|t| !t.is_empty()).map(PathBuf::from);
    let remote = top
        .as_ref()
        .and_then(|_| git::run(root, &["remote", "get-url", "origin"]).ok())
        .and_then(|url| name_from_remote(url.trim()));
    let repository = match &top {
        Some(top) => remote.unwrap_or_else(|| folder_name(top)),
        None => folder_name(root),
    };
    // An app in a folder of a monorepo is named by its path too, so apps stay apart.
    let inside = lines
        .next()
        .map(|prefix| prefix.trim().trim_end_matches('/').to_string())
        .filter(|prefix| !prefix.is_empty());
    let detected = match inside {
        Some(prefix) => format!("{repository}/{prefix}"),
        None => repository,
    };
    let head = lines
        .next()
        .map(|out| out.trim().to_string())
        .filter(|sha| !sha.is_empty());
    Identity {
        name: name.map_or(detected, str::to_string),
        commit: commit.map(str::to_string).or(head),
    }
}

/// `owner/name` from `https://github.com/owner/name.git`, `git@host:owner/name` or a
/// local path; credentials in an https URL are never kept.
fn name_from_remote(url: &str) -> Option<String> {
    let path = url
        .rsplit_once("://")
        .map(|(_, rest)| rest.split_once('/').map_or("", |(_, p)| p))
        .or_else(|| url.split_once(':').map(|(_, p)| p))
        .unwrap_or(url);
    let parts: Vec<&str> = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit('/')
        .filter(|p| !p.is_empty())
        .take(2)
        .collect();
    match parts.as_slice() {
        [name, owner] => Some(format!("{owner}/{name}")),
        [name] => Some((*name).to_string()),
        _ => None,
    }
}

fn folder_name(root: &Path) -> String {
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_remotes() {
        for (url, name) in [
            (
                "https://github.com/betagouv/sante-psy.git",
                "betagouv/sante-psy",
            ),
            ("https://x-access-token:abc@github.com/org/app", "org/app"),
            ("git@gitlab.com:group/sub/app.git", "sub/app"),
            ("/srv/git/app/", "git/app"),
            ("ssh://git@host:22/org/app.git", "org/app"),
        ] {
            assert_eq!(name_from_remote(url).as_deref(), Some(name), "{url}");
        }
    }

    #[test]
    fn the_command_line_wins() {
        let dir = tempfile::tempdir().unwrap();
        let id = detect(dir.path(), Some("org/app"), Some("abc123"));
        assert_eq!(id.name, "org/app");
        assert_eq!(id.commit.as_deref(), Some("abc123"));
        let id = detect(dir.path(), None, None);
        assert_eq!(id.name, folder_name(dir.path()));
    }
}
