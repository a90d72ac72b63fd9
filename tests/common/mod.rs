//! Helpers shared by the integration tests: the real binary, temporary repositories,
//! git, and external clients that CI must have.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs the debug binary in `dir`: (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, &[])
}

/// Runs the debug binary in `dir` with extra environment variables.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_twelve"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        // Reports are compared at the default width and without colour.
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("run twelve");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The apps under `fixtures/`, sorted.
pub fn fixture_apps() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut apps: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    apps.sort();
    apps
}

/// Writes `files` into `dir`, creating folders.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write file");
    }
}

/// A temporary directory holding `files`.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(dir.path(), files);
    dir
}

/// A temporary git work tree holding `files`: a `.git` folder is all twelve looks at
/// (so `not-a-git-repository` stays quiet), without the cost of `git init`.
pub fn work_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    dir
}

/// Runs git in `dir` with a fixed identity; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=twelve",
            "-c",
            "user.email=twelve@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temporary git repository with `files` committed on `main`.
pub fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "first"]);
    dir
}

/// Whether an external client is usable: `probe` is a command that succeeds when it
/// is. Missing in CI (`CI` set) is a failure; elsewhere the test is skipped, saying why.
pub fn client_available(what: &str, probe: &[&str]) -> bool {
    let ok = Command::new(probe[0])
        .args(&probe[1..])
        .output()
        .is_ok_and(|out| out.status.success());
    if !ok {
        let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(!in_ci, "{what} is required in CI (installed by .ci/run)");
        // Written to the process's stderr, past the test harness's capture, so that a
        // plain `cargo test` shows it next to "ok".
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {} ({what} is not installed; .ci/run installs it)",
            std::thread::current().name().unwrap_or("a test")
        );
    }
    ok
}

/// One `twelve check --format json` report per fixture app, in `dir`, each named
/// `fixtures/APP`.
pub fn fixture_reports(dir: &Path) -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fixture_apps()
        .iter()
        .map(|app| {
            let out = dir.join(format!("{app}.json"));
            let (code, _, stderr) = run(
                root,
                &[
                    "check",
                    &format!("fixtures/{app}"),
                    "--format",
                    "json",
                    "--repository",
                    &format!("fixtures/{app}"),
                    "--output",
                    out.to_str().expect("UTF-8 temp path"),
                ],
            );
            assert!(code == 0 || code == 1, "{app}: {stderr}");
            out
        })
        .collect()
}
