//! Pull-request mode (`--diff-base REF`): keep only findings on lines added or changed
//! since REF, and repository-level findings when a file they concern changed.

use crate::finding::Finding;
use crate::git;
use crate::rules::Registry;
use crate::scan::root_display;
use crate::selection::concerns_any;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which lines of a file are new.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lines {
    /// An untracked file: every line is new.
    All,
    Some(BTreeSet<usize>),
}

/// What changed since the base, with paths as findings name them.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    lines: BTreeMap<String, Lines>,
    /// Files touched in any way, deleted ones included.
    files: BTreeSet<String>,
}

impl Changes {
    /// The changes under every scanned root, named as the scan names findings.
    pub fn under(roots: &[PathBuf], base: &str) -> Result<Changes, String> {
        let mut all = Changes::default();
        for root in roots {
            let changes = Changes::since(root, base)?;
            all.extend(if roots.len() > 1 {
                changes.prefixed(&root_display(root))
            } else {
                changes
            });
        }
        Ok(all)
    }

    /// The changes under `root` between the merge base of `base` and HEAD (as a pull
    /// request shows them) and the work tree, untracked files included.
    pub fn since(root: &Path, base: &str) -> Result<Changes, String> {
        let dir = if root.is_dir() {
            root
        } else {
            root.parent().unwrap_or(Path::new("."))
        };
        if git::toplevel(dir).is_none() {
            return Err(format!(
                "{}: not a git repository (--diff-base compares with a git revision)",
                root.display()
            ));
        }
        let commit = format!("{base}^{{commit}}");
        git::run(dir, &["rev-parse", "--verify", "--quiet", &commit])
            .map_err(|_| format!("unknown git revision `{base}` (fetch it first?)"))?;
        let from = git::run(dir, &["merge-base", base, "HEAD"])
            .map(|out| out.trim().to_string())
            .unwrap_or_else(|_| base.to_string());
        let diff = git::run(
            dir,
            &[
                "-c",
                "core.quotepath=off",
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--find-renames",
                "--relative",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                &from,
                "--",
                ".",
            ],
        )?;
        let mut changes = parse_diff(&diff);
        let untracked = git::run(dir, &["ls-files", "--others", "--exclude-standard", "-z"])?;
        for name in untracked.split('\0').filter(|n| !n.is_empty()) {
            changes.files.insert(name.to_string());
            changes.lines.insert(name.to_string(), Lines::All);
        }
        Ok(changes)
    }

    /// The same changes with paths under `prefix/`, as findings name them when several
    /// roots are scanned.
    pub fn prefixed(self, prefix: &str) -> Changes {
        let join = |name: String| format!("{prefix}/{name}");
        Changes {
            lines: self.lines.into_iter().map(|(k, v)| (join(k), v)).collect(),
            files: self.files.into_iter().map(join).collect(),
        }
    }

    pub fn extend(&mut self, other: Changes) {
        self.lines.extend(other.lines);
        self.files.extend(other.files);
    }

    /// Whether a finding is new in this change.
    pub fn touches(&self, finding: &Finding, registry: &Registry) -> bool {
        if finding.is_repository_level() {
            return concerns_any(registry, finding, &self.files);
        }
        match self.lines.get(&finding.file) {
            Some(Lines::All) => true,
            Some(Lines::Some(lines)) => lines
                .range(finding.start.line..=finding.end.line.max(finding.start.line))
                .next()
                .is_some(),
            None => false,
        }
    }
}

/// Reads the files and added lines of a `git diff --unified=0`.
fn parse_diff(diff: &str) -> Changes {
    let mut changes = Changes::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(old) = line.strip_prefix("--- ") {
            if let Some(name) = diff_path(old, "a/") {
                changes.files.insert(name);
            }
        } else if let Some(new) = line.strip_prefix("+++ ") {
            current = diff_path(new, "b/");
            if let Some(name) = &current {
                changes.files.insert(name.clone());
            }
        } else if let (Some(hunk), Some(name)) = (line.strip_prefix("@@ "), &current) {
            let Some((start, count)) = added_range(hunk) else {
                continue;
            };
            let entry = changes
                .lines
                .entry(name.clone())
                .or_insert_with(|| Lines::Some(BTreeSet::new()));
            if let Lines::Some(set) = entry {
                set.extend(start..start + count);
            }
        }
    }
    changes
}

/// `@@ -a,b +c,d @@`: the added lines start at c and number d (1 when omitted).
fn added_range(hunk: &str) -> Option<(usize, usize)> {
    let plus = hunk.split(' ').find_map(|part| part.strip_prefix('+'))?;
    let (start, count) = match plus.split_once(',') {
        Some((start, count)) => (start.parse().ok()?, count.parse().ok()?),
        None => (plus.parse().ok()?, 1),
    };
    Some((start, count))
}

/// The path of a `---`/`+++` line, or `None` for `/dev/null`.
fn diff_path(text: &str, prefix: &str) -> Option<String> {
    let text = text.trim_end_matches('\t');
    let path = if text.starts_with('"') {
        unquote(text)
    } else {
        text.to_string()
    };
    path.strip_prefix(prefix).map(str::to_string)
}

/// Undoes git's C-style quoting of unusual file names (`"a\"b\303\251"`).
fn unquote(text: &str) -> String {
    let inner = text.trim_matches('"').as_bytes();
    let mut bytes = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && i + 1 < inner.len() {
            let next = inner[i + 1];
            let octal = inner
                .get(i + 1..i + 4)
                .filter(|d| d.iter().all(u8::is_ascii_digit));
            if let Some(digits) = octal {
                let value = digits
                    .iter()
                    .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'));
                bytes.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
                continue;
            }
            bytes.push(match next {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                other => other,
            });
            i += 2;
        } else {
            bytes.push(inner[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/server.js b/server.js
index 1..2 100644
--- a/server.js
+++ b/server.js
@@ -3,0 +4,2 @@ const app
+a
+b
@@ -10 +12 @@
-x
+y
@@ -20,3 +22,0 @@
diff --git a/Procfile b/Procfile
deleted file mode 100644
--- a/Procfile
+++ /dev/null
@@ -1 +0,0 @@
-web: node server.js
diff --git \"a/caf\\303\\251 \\\"x\\\".js\" \"b/caf\\303\\251 \\\"x\\\".js\"
--- \"a/caf\\303\\251 \\\"x\\\".js\"
+++ \"b/caf\\303\\251 \\\"x\\\".js\"
@@ -0,0 +1 @@
+z
";

    #[test]
    fn reads_added_lines_and_touched_files() {
        let changes = parse_diff(DIFF);
        assert_eq!(
            changes.lines.get("server.js"),
            Some(&Lines::Some([4, 5, 12].into()))
        );
        assert!(changes.files.contains("Procfile"));
        assert!(!changes.lines.contains_key("Procfile"));
        assert_eq!(
            changes.lines.get("café \"x\".js"),
            Some(&Lines::Some([1].into()))
        );
    }
}
