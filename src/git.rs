//! Running git for pull-request mode and for files named on the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Settings that keep git from running commands named by the scanned repository's own
/// `.git/config` (a directory from an archive can ship one): no file-system monitor, no
/// hooks, no pager, no external diff or text conversion (`diff` also gets
/// `--no-ext-diff --no-textconv`).
const NO_REPOSITORY_COMMANDS: &[&str] = &[
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    "--no-pager",
];

/// Runs `git -C dir args...` and returns its standard output. Every git command of
/// twelve goes through here, so none runs code from the repository.
pub fn run(dir: &Path, args: &[&str]) -> Result<String, String> {
    run_bytes(dir, args).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Runs `git -C dir args...` and returns its standard output as bytes (paths listed
/// with `-z` need not be UTF-8).
pub fn run_bytes(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = spawn(dir, args).map_err(|err| format!("cannot run git: {err}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.trim().to_string())
    }
}

/// Runs `git -C dir args...` and returns what it printed on standard output, whether it
/// succeeded or not (empty when git cannot run): for a `rev-parse` that asks several
/// questions at once, whose first answers stand when a later one fails.
pub fn run_lossy(dir: &Path, args: &[&str]) -> String {
    spawn(dir, args)
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default()
}

fn spawn(dir: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(NO_REPOSITORY_COMMANDS)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .output()
}

/// The top directory of the work tree holding `dir`, or `None` outside a git repository.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = run(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = out.trim_end_matches(['\n', '\r']);
    (!top.is_empty()).then(|| PathBuf::from(top))
}
