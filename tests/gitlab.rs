//! The GitLab CI job template (templates/twelve.gitlab-ci.yml) run as a runner would:
//! each `script` entry in a shell, in a clone whose `origin` holds the target branch,
//! with GitLab's variables, the job's own variables, and a stand-in `cargo install`
//! that copies the debug binary. Also the Dockerfile's promises, which no test here can
//! build (there is no Docker daemon).

mod common;

use common::{git, write_files};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn job() -> Value {
    let text =
        std::fs::read_to_string(Path::new(MANIFEST_DIR).join("templates/twelve.gitlab-ci.yml"))
            .expect("template");
    let doc: Value = serde_norway::from_str(&text).expect("template is YAML");
    doc["twelve"].clone()
}

/// Runs the job's script in `project`; (success, output).
fn run_job(project: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let job = job();
    let bin = tempfile::tempdir().expect("bin");
    let cargo = bin.path().join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\" && cp \"$TWELVE_DEBUG_BIN\" \"$2/bin/twelve\"\n",
    )
    .expect("fake cargo");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut output = String::new();
    // GitLab runs the entries one after another in one shell session.
    let script: Vec<&str> = job["script"]
        .as_array()
        .expect("script")
        .iter()
        .map(|entry| entry.as_str().expect("script entry"))
        .collect();
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-e", "-c", &script.join("\n")])
        .current_dir(project)
        .env("PATH", path)
        .env("CI", "true")
        .env("CI_PROJECT_DIR", project)
        .env("TWELVE_DEBUG_BIN", env!("CARGO_BIN_EXE_twelve"));
    for (key, value) in job["variables"].as_object().expect("variables") {
        command.env(key, value.as_str().expect("variable"));
    }
    command.envs(env.iter().copied());
    let out = command.output().expect("bash");
    output.push_str(&String::from_utf8_lossy(&out.stdout));
    output.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), output)
}

/// A clone of a repository whose `main` has one hardcoded port, on a branch that adds
/// a second one.
fn merge_request() -> (tempfile::TempDir, tempfile::TempDir) {
    let upstream = tempfile::tempdir().expect("upstream");
    write_files(
        upstream.path(),
        &[
            ("old.js", "app.listen(3000);\n"),
            (
                "package.json",
                "{\"scripts\": {\"start\": \"node old.js\"}}\n",
            ),
        ],
    );
    git(upstream.path(), &["init", "-q"]);
    git(upstream.path(), &["add", "-A"]);
    git(upstream.path(), &["commit", "-qm", "main"]);
    let clone = tempfile::tempdir().expect("clone");
    git(
        clone.path(),
        &["clone", "-q", &upstream.path().display().to_string(), "."],
    );
    git(clone.path(), &["checkout", "-qb", "feature"]);
    write_files(clone.path(), &[("new.js", "server.listen(4000);\n")]);
    git(clone.path(), &["add", "-A"]);
    git(clone.path(), &["commit", "-qm", "feature"]);
    (upstream, clone)
}

/// The files of the report's `hardcoded-port` issues, sorted.
fn port_issues(project: &Path) -> Vec<String> {
    let text =
        std::fs::read_to_string(project.join("gl-code-quality-report.json")).expect("report");
    let issues = serde_json::from_str::<Vec<Value>>(&text).expect("report json");
    let mut paths: Vec<String> = issues
        .iter()
        .filter(|i| i["check_name"] == "hardcoded-port")
        .filter_map(|i| i["location"]["path"].as_str().map(String::from))
        .collect();
    paths.sort_unstable();
    paths
}

#[test]
fn merge_request_pipelines_report_only_the_change() {
    let (_upstream, clone) = merge_request();
    let (ok, output) = run_job(
        clone.path(),
        &[
            ("CI_PIPELINE_SOURCE", "merge_request_event"),
            ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ],
    );
    assert!(!ok, "an error fails the job: {output}");
    assert_eq!(port_issues(clone.path()), ["new.js"], "{output}");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(clone.path().join("twelve.sarif")).expect("sarif artifact"),
    )
    .expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["ruleId"] == "hardcoded-port"),
        "{sarif}"
    );
    assert!(
        results
            .iter()
            .all(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "new.js"),
        "only the change: {sarif}"
    );
}

#[test]
fn default_branch_pipelines_report_everything_and_reuse_the_cached_binary() {
    let (_upstream, clone) = merge_request();
    let (ok, output) = run_job(clone.path(), &[("CI_COMMIT_BRANCH", "main")]);
    assert!(!ok, "{output}");
    assert_eq!(port_issues(clone.path()), ["new.js", "old.js"], "{output}");
    assert!(clone.path().join(".twelve-bin/bin/twelve").is_file());
    // The cache restores .twelve-bin/: no second install.
    std::fs::remove_file(clone.path().join("gl-code-quality-report.json")).expect("rm");
    let (_, output) = run_job(clone.path(), &[("PATH", "/usr/bin:/bin")]);
    assert!(
        clone.path().join("gl-code-quality-report.json").is_file(),
        "{output}"
    );
}

#[test]
fn dockerfile_builds_a_static_binary_from_what_the_crate_includes() {
    let dockerfile =
        std::fs::read_to_string(Path::new(MANIFEST_DIR).join("Dockerfile")).expect("Dockerfile");
    let manifest =
        std::fs::read_to_string(Path::new(MANIFEST_DIR).join("Cargo.toml")).expect("Cargo.toml");
    let manifest: toml::Table = toml::from_str(&manifest).expect("toml");
    let copied: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("COPY "))
        .filter(|l| !l.starts_with("--from"))
        .flat_map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            parts[..parts.len() - 1].to_vec()
        })
        .collect();
    for entry in manifest["package"]["include"].as_array().expect("include") {
        let entry = entry.as_str().expect("path").trim_start_matches('/');
        if entry.starts_with("LICENSE") || entry == "README.md" {
            continue; // not read by the build
        }
        assert!(
            copied.contains(&entry),
            "the image build lacks {entry}: {copied:?}"
        );
    }
    assert!(
        dockerfile.contains("FROM rust:1-alpine AS build"),
        "musl: a static binary"
    );
    assert!(dockerfile.contains("cargo build --release --locked"));
    assert!(dockerfile.contains("ENTRYPOINT [\"twelve\"]"));
}
