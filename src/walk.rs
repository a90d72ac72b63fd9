//! Which files to scan: a parallel, gitignore-aware walk (the `ignore` crate) that skips
//! vendored and generated folders and reports every skip instead of hiding it. Inside a
//! git work tree, what git has (`tracked`) decides instead of the ignore files.

use crate::bounded::{self, Device, Mount};
use crate::tracked::{Status, Tracked};
use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};

/// Folders that hold dependencies, build output or caches, not the app's own code.
/// A path that could not be read; the scan goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScanProblem {
    pub path: String,
    pub message: String,
}

pub const DEFAULT_EXCLUDED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "target",
    "dist",
    "build",
    "out",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".parcel-cache",
    ".cache",
    "coverage",
    ".gradle",
    ".idea",
    ".terraform",
    ".bundle",
];

/// Version-control metadata: never part of the app, always skipped, not counted.
const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// Why a path was not scanned. Each reason is counted in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A vendored or generated folder from the default list.
    DefaultExcludedDir,
    /// Matched an `exclude` glob of the configuration.
    ConfigExcluded,
    /// A symbolic link, not followed (the default).
    Symlink,
    /// With `--follow`: a link back to one of its own parent folders.
    SymlinkLoop,
    /// With `--follow`: a link whose target is outside the scanned root.
    SymlinkOutsideRoot,
    /// With `--follow`: a link whose target does not exist.
    DanglingSymlink,
    /// A named pipe, socket or device: reading it could block or never end.
    SpecialFile,
    /// A folder on another file system (a mount point), with `--one-file-system`.
    OtherFileSystem,
    /// A mount of a kernel pseudo file system (procfs, sysfs, devpts...): never entered.
    PseudoFileSystem,
    /// Larger than `max-file-size`.
    TooLarge,
    /// Holds a NUL byte in its first 8 KiB (after decoding UTF-16).
    Binary,
    /// A kind of file no rule looks at (images, lock files, unknown extensions).
    NoRules,
    /// Inside a git work tree: neither tracked nor an untracked file git would add.
    GitIgnored,
}

impl SkipReason {
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::DefaultExcludedDir => "excluded-dir",
            SkipReason::ConfigExcluded => "config-exclude",
            SkipReason::Symlink => "symlink",
            SkipReason::SymlinkLoop => "symlink-loop",
            SkipReason::SymlinkOutsideRoot => "symlink-outside-root",
            SkipReason::DanglingSymlink => "dangling-symlink",
            SkipReason::SpecialFile => "special-file",
            SkipReason::OtherFileSystem => "other-file-system",
            SkipReason::PseudoFileSystem => "pseudo-file-system",
            SkipReason::TooLarge => "too-large",
            SkipReason::Binary => "binary",
            SkipReason::NoRules => "no-rules",
            SkipReason::GitIgnored => "git-ignored",
        }
    }
}

/// One thing the walk met.
pub enum Entry {
    File {
        path: PathBuf,
        /// Relative to the root, `/`-separated.
        rel: String,
        size: u64,
    },
    Skipped {
        rel: String,
        reason: SkipReason,
    },
    Error {
        path: String,
        message: String,
    },
}

pub struct WalkOptions<'a> {
    pub threads: usize,
    pub default_excludes: bool,
    pub exclude: Option<&'a GlobSet>,
    /// Follow symbolic links whose target is inside the root; loops are detected.
    pub follow_links: bool,
    /// Do not enter folders on another file system than the root's.
    pub one_file_system: bool,
    /// Inside a git work tree, the files git has: they replace the ignore files.
    pub git: Option<&'a Tracked>,
}

/// Walks `root` in parallel, calling `visit` from the walker's threads. The walk keeps
/// its own queue of folders, so depth costs memory, never stack.
pub fn walk(root: &Path, options: &WalkOptions, visit: &(dyn Fn(Entry) + Sync)) {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .git_global(false)
        .require_git(false)
        // Git's own list says which files it ignores, tracked ones never.
        .git_ignore(options.git.is_none())
        .git_exclude(options.git.is_none())
        .follow_links(options.follow_links)
        .threads(options.threads);
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let walker = Walker {
        root,
        real_root: &real_root,
        device: std::fs::metadata(root).ok().as_ref().and_then(Device::of),
        options,
        visit,
    };
    builder.build_parallel().run(|| {
        Box::new(|result| match result {
            Ok(entry) => walker.visit_entry(&entry),
            Err(err) => walker.visit_error(&err),
        })
    });
}

/// The names of the regular files at the top of `root` that Git has or would commit
/// (inside a work tree, what `git` lists; elsewhere, what the root `.gitignore` and
/// `.git/info/exclude` do not match) and no `exclude` glob drops. Whether a root file
/// exists (a lockfile, a Procfile) is a fact about the repository, so `.ignore`, which
/// only hides files from searches, and the size limit have no say in it.
pub fn committed_root_files(
    root: &Path,
    exclude: Option<&GlobSet>,
    git: Option<&Tracked>,
) -> Vec<String> {
    let is_file = |name: &str| {
        root.join(name)
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_file())
    };
    let kept = |name: &String| !exclude.is_some_and(|g| g.is_match(name));
    if let Some(git) = git {
        return git
            .root_files()
            .filter(|name| is_file(name))
            .map(str::to_string)
            .filter(kept)
            .collect();
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    for file in [".gitignore", ".git/info/exclude"] {
        let path = root.join(file);
        if path.is_file() {
            // A malformed line is skipped, as Git skips it; the rest still applies.
            let _ = builder.add(path);
        }
    }
    let gitignore = builder
        .build()
        .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty());
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| !gitignore.matched(root.join(name), false).is_ignore())
        .filter(kept)
        .collect()
}

struct Walker<'a> {
    root: &'a Path,
    /// The root with links resolved, to tell where a followed link lands.
    real_root: &'a Path,
    /// The root's file system, to tell mount points.
    device: Option<Device>,
    options: &'a WalkOptions<'a>,
    visit: &'a (dyn Fn(Entry) + Sync),
}

impl Walker<'_> {
    fn visit_entry(&self, entry: &ignore::DirEntry) -> WalkState {
        if entry.path_is_symlink() && self.options.follow_links && entry.depth() > 0 {
            let inside = std::fs::canonicalize(entry.path())
                .is_ok_and(|target| target.starts_with(self.real_root));
            if !inside {
                self.skip(entry.path(), SkipReason::SymlinkOutsideRoot);
                return WalkState::Skip;
            }
        }
        if let Some(reason) = self.mount_skip(entry) {
            self.skip(entry.path(), reason);
            return WalkState::Skip;
        }
        visit_entry(self.root, entry, self.options, self.visit)
    }

    /// Why a folder below the root that is a mount point is not entered, if it is not.
    fn mount_skip(&self, entry: &ignore::DirEntry) -> Option<SkipReason> {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return None;
        }
        let meta = entry.metadata().ok()?;
        match bounded::mount(
            entry.path(),
            &meta,
            self.device,
            self.options.one_file_system,
        ) {
            Mount::Enter => None,
            Mount::Other => Some(SkipReason::OtherFileSystem),
            Mount::Pseudo => Some(SkipReason::PseudoFileSystem),
        }
    }

    /// A loop or a dangling link met while following links is a skip, counted; any
    /// other error (permission denied...) is a problem, reported with its path.
    fn visit_error(&self, err: &ignore::Error) -> WalkState {
        let path = error_path(err);
        if let Some(child) = loop_child(err) {
            self.skip(child, SkipReason::SymlinkLoop);
        } else if let Some(link) = path.as_deref().filter(|p| is_dangling_link(p)) {
            self.skip(link, SkipReason::DanglingSymlink);
        } else {
            (self.visit)(Entry::Error {
                path: path.map_or_else(
                    || self.root.display().to_string(),
                    |p| p.display().to_string(),
                ),
                message: error_message(err),
            });
        }
        WalkState::Continue
    }

    fn skip(&self, path: &Path, reason: SkipReason) {
        (self.visit)(Entry::Skipped {
            rel: relative(self.root, path),
            reason,
        });
    }
}

/// A link whose target cannot be found.
fn is_dangling_link(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
        && !path.exists()
}

fn visit_entry(
    root: &Path,
    entry: &ignore::DirEntry,
    options: &WalkOptions,
    visit: &(dyn Fn(Entry) + Sync),
) -> WalkState {
    let rel = relative(root, entry.path());
    let Some(file_type) = entry.file_type() else {
        return WalkState::Continue;
    };
    if entry.depth() == 0 && file_type.is_dir() {
        return WalkState::Continue;
    }
    if options.exclude.is_some_and(|g| g.is_match(&rel)) {
        visit(Entry::Skipped {
            rel,
            reason: SkipReason::ConfigExcluded,
        });
        return skip_if_dir(file_type.is_dir());
    }
    if git_ignored(options.git, entry, &rel) {
        visit(Entry::Skipped {
            rel,
            reason: SkipReason::GitIgnored,
        });
        return skip_if_dir(file_type.is_dir());
    }
    if file_type.is_symlink() {
        visit(Entry::Skipped {
            rel,
            reason: SkipReason::Symlink,
        });
        return WalkState::Continue;
    }
    if file_type.is_dir() {
        let name = entry.file_name().to_string_lossy();
        if VCS_DIRS.contains(&name.as_ref()) {
            return WalkState::Skip;
        }
        if options.default_excludes && DEFAULT_EXCLUDED_DIRS.contains(&name.as_ref()) {
            visit(Entry::Skipped {
                rel,
                reason: SkipReason::DefaultExcludedDir,
            });
            return WalkState::Skip;
        }
        return WalkState::Continue;
    }
    if !file_type.is_file() {
        visit(Entry::Skipped {
            rel,
            reason: SkipReason::SpecialFile,
        });
        return WalkState::Continue;
    }
    match entry.metadata() {
        Ok(meta) => visit(Entry::File {
            path: entry.path().to_path_buf(),
            rel,
            size: meta.len(),
        }),
        Err(err) => visit(Entry::Error {
            path: entry.path().display().to_string(),
            message: error_message(&err),
        }),
    }
    WalkState::Continue
}

/// Whether git has nothing at `rel` (a folder with none of its files, or a file it
/// neither tracks nor would add); its own metadata folders are skipped apart.
fn git_ignored(git: Option<&Tracked>, entry: &ignore::DirEntry, rel: &str) -> bool {
    let Some(git) = git else {
        return false;
    };
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        let name = entry.file_name().to_string_lossy();
        !VCS_DIRS.contains(&name.as_ref()) && !git.enters(rel)
    } else {
        git.status(rel) == Status::Ignored
    }
}

fn skip_if_dir(is_dir: bool) -> WalkState {
    if is_dir {
        WalkState::Skip
    } else {
        WalkState::Continue
    }
}

/// Path relative to the root with `/` separators; the file name when root is a file.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => Path::new(path.file_name().unwrap_or(path.as_os_str())),
    };
    path_text(rel)
}

/// A relative path as text with `/` separators, each component shown losslessly:
/// `\` as `\\` and each byte that is not UTF-8 as `\xNN`, so two names never print alike.
pub fn path_text(path: &Path) -> String {
    path.components()
        .map(|c| escape_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

fn escape_name(name: &std::ffi::OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    if !bytes.contains(&b'\\')
        && let Some(text) = name.to_str()
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The link that closes a loop, when `err` reports one.
fn loop_child(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_child(err),
        _ => None,
    }
}

/// The innermost message, without the path the caller prints separately.
fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        other => other.to_string(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn names_that_are_not_utf8_are_escaped_losslessly() {
        let path = Path::new(std::ffi::OsStr::from_bytes(b"caf\xE9/r\xC3\xA9sum\xFF.js"));
        assert_eq!(path_text(path), "caf\\xE9/résum\\xFF.js");
        let literal = Path::new("caf\\xE9");
        assert_eq!(
            path_text(literal),
            "caf\\\\xE9",
            "a real backslash stays distinct"
        );
        assert_eq!(path_text(Path::new("src/app.js")), "src/app.js");
    }
}
