//! Which configuration file applies to a scanned path: the nearest `.twelve.toml` or
//! `twelve.toml` from the path's folder up to the root of its repository, as ruff
//! finds its own (the dotted name wins in one folder, as `.ruff.toml` does).

use std::path::{Path, PathBuf};

/// The names looked for in each folder, in order of precedence.
pub const CONFIG_NAMES: [&str; 2] = [".twelve.toml", "twelve.toml"];

/// The configuration file for `path` (a folder, or a file whose folder is used), and
/// none when no folder up to the repository root holds one. Outside a git repository
/// only the folder itself is looked at, so a stray file in a parent never applies.
pub fn config_for(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let start = start.canonicalize().ok()?;
    let in_repository = start.ancestors().any(is_repository_root);
    for dir in start.ancestors() {
        if let Some(found) = CONFIG_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
        {
            return Some(found);
        }
        if !in_repository || is_repository_root(dir) {
            break;
        }
    }
    None
}

/// A folder holding `.git` (a folder, or a file in a worktree or submodule).
fn is_repository_root(dir: &Path) -> bool {
    dir.join(".git").exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp");
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "").expect("write");
        }
        dir
    }

    fn found(dir: &tempfile::TempDir, from: &str) -> Option<String> {
        config_for(&dir.path().join(from)).map(|p| {
            p.strip_prefix(dir.path().canonicalize().expect("canonical"))
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
    }

    #[test]
    fn walks_up_to_the_repository_root() {
        let dir = tree(&["repo/.git/HEAD", "repo/twelve.toml", "repo/src/app/x.js"]);
        assert_eq!(
            found(&dir, "repo/src/app").as_deref(),
            Some("repo/twelve.toml")
        );
        assert_eq!(
            found(&dir, "repo/src/app/x.js").as_deref(),
            Some("repo/twelve.toml")
        );
    }

    #[test]
    fn the_nearest_wins_and_the_dotted_name_first() {
        let dir = tree(&[
            "repo/.git/HEAD",
            "repo/twelve.toml",
            "repo/api/twelve.toml",
            "repo/api/.twelve.toml",
        ]);
        assert_eq!(
            found(&dir, "repo/api").as_deref(),
            Some("repo/api/.twelve.toml")
        );
    }

    #[test]
    fn stops_at_the_repository_root_and_outside_git_at_the_folder() {
        let dir = tree(&[
            "twelve.toml",
            "repo/.git/HEAD",
            "repo/src/x.js",
            "plain/src/x.js",
        ]);
        assert_eq!(found(&dir, "repo/src"), None);
        assert_eq!(found(&dir, "plain/src"), None);
        assert_eq!(found(&dir, ".").as_deref(), Some("twelve.toml"));
    }
}
