//! The pre-commit hooks with the real client (`pip install pre-commit`): `try-repo`
//! against this checkout in a temporary repository. `twelve` fails on a staged
//! violation with one line of portability per host and passes once it is fixed;
//! `twelve-repo` scans the whole repository before a push. pre-commit builds the hook with a release `cargo install`;
//! its target folder is kept under ours so later runs reuse the compiled dependencies.

mod common;

use common::{client_available, git, git_repo, write_files};
use std::path::{Path, PathBuf};
use std::process::Command;

fn release_target_dir() -> PathBuf {
    // CARGO_BIN_EXE_twelve is <target>/debug/twelve.
    let bin = Path::new(env!("CARGO_BIN_EXE_twelve"));
    let target = bin.parent().and_then(Path::parent).expect("target dir");
    target.join("pre-commit")
}

fn try_repo(repo: &Path, home: &Path, hook: &[&str]) -> (bool, String) {
    let out = Command::new("pre-commit")
        .args(["try-repo", env!("CARGO_MANIFEST_DIR")])
        .args(hook)
        .args(["--color", "never"])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", release_target_dir())
        .output()
        .expect("run pre-commit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn hook_fails_on_a_staged_violation_and_passes_once_fixed() {
    if !client_available("pre-commit", &["pre-commit", "--version"]) {
        return;
    }
    let home = tempfile::tempdir().expect("pre-commit home");
    let repo = git_repo(&[
        (
            "package.json",
            "{\"scripts\": {\"start\": \"node server.js\"}}\n",
        ),
        ("README.md", "app\n"),
    ]);
    write_files(
        repo.path(),
        &[("server.js", "const app = express();\napp.listen(3000);\n")],
    );
    git(repo.path(), &["add", "server.js"]);
    let (ok, output) = try_repo(repo.path(), home.path(), &["twelve"]);
    assert!(!ok, "the hook must fail: {output}");
    assert!(output.contains("hardcoded-port"), "{output}");
    assert!(output.contains("[server.js:"), "{output}");
    assert!(output.contains("app.listen(3000)"), "{output}");
    // One line per host, not the full report with each host's fixes.
    assert!(
        output.contains("portability (--portability full for the fixes)"),
        "{output}"
    );
    assert!(output.contains("  Scalingo: blocked (score "), "{output}");
    assert!(!output.contains("fix: "), "{output}");

    // The whole-repository hook, as `git push` runs it: the full portability report.
    let (ok, output) = try_repo(
        repo.path(),
        home.path(),
        &["twelve-repo", "--hook-stage", "pre-push", "--all-files"],
    );
    assert!(!ok, "the repository hook must fail: {output}");
    assert!(output.contains("twelve (whole repository)"), "{output}");
    assert!(output.contains("hardcoded-port"), "{output}");
    assert!(
        output.contains("fix: "),
        "the full portability report: {output}"
    );

    write_files(
        repo.path(),
        &[(
            "server.js",
            "const app = express();\napp.listen(process.env.PORT);\n",
        )],
    );
    git(repo.path(), &["add", "server.js"]);
    let (ok, output) = try_repo(repo.path(), home.path(), &["twelve"]);
    assert!(ok, "the hook must pass: {output}");
    assert!(output.contains("Passed"), "{output}");
}
