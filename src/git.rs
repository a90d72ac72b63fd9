//! Running git for pull-request mode and for files named on the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git -C dir args...` and returns its standard output.
pub fn run(dir: &Path, args: &[&str]) -> Result<String, String> {
    run_bytes(dir, args).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// Runs `git -C dir args...` and returns its standard output as bytes (paths listed
/// with `-z` need not be UTF-8).
pub fn run_bytes(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.trim().to_string())
    }
}

/// The top directory of the work tree holding `dir`, or `None` outside a git repository.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = run(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = out.trim_end_matches(['\n', '\r']);
    (!top.is_empty()).then(|| PathBuf::from(top))
}
