//! Which files to scan: a parallel, gitignore-aware walk (the `ignore` crate) that skips
//! vendored and generated folders and reports every skip instead of hiding it.

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};

/// Folders that hold dependencies, build output or caches, not the app's own code.
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
    /// A symbolic link (not followed).
    Symlink,
    /// Larger than `max-file-size`.
    TooLarge,
    /// Holds a NUL byte in its first 8 KiB.
    Binary,
    /// Encoded in UTF-16 (byte-order mark), which the rules do not read.
    Utf16,
    /// A kind of file no rule looks at (images, lock files, unknown extensions).
    NoRules,
}

impl SkipReason {
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::DefaultExcludedDir => "excluded-dir",
            SkipReason::ConfigExcluded => "config-exclude",
            SkipReason::Symlink => "symlink",
            SkipReason::TooLarge => "too-large",
            SkipReason::Binary => "binary",
            SkipReason::Utf16 => "utf-16",
            SkipReason::NoRules => "no-rules",
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
}

/// Walks `root` in parallel, calling `visit` from the walker's threads.
pub fn walk(root: &Path, options: &WalkOptions, visit: &(dyn Fn(Entry) + Sync)) {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .threads(options.threads);
    builder.build_parallel().run(|| {
        Box::new(move |result| match result {
            Ok(entry) => visit_entry(root, &entry, options, visit),
            Err(err) => {
                visit(Entry::Error {
                    path: error_path(&err).unwrap_or_else(|| root.display().to_string()),
                    message: error_message(&err),
                });
                WalkState::Continue
            }
        })
    });
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
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
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
