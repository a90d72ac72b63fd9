//! The command line as users meet it: exit codes, errors, options, suppressions.

mod common;

use common::{run, work_tree as repo};

const VIOLATION: (&str, &str) = ("server.js", "app.listen(3000);\n");

#[test]
fn exit_codes_follow_the_fail_level() {
    let dir = repo(&[VIOLATION]);
    assert_eq!(run(dir.path(), &["check"]).0, 1);
    assert_eq!(run(dir.path(), &["check", "--fail-on", "never"]).0, 0);
    let clean = repo(&[("server.js", "app.listen(process.env.PORT);\n")]);
    let (code, stdout, _) = run(clean.path(), &["check"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("0 errors"), "{stdout}");
}

#[test]
fn warnings_fail_only_when_asked() {
    let dir = repo(&[(".env", "SECRET=abc123\n")]);
    assert_eq!(run(dir.path(), &["check"]).0, 0);
    assert_eq!(run(dir.path(), &["check", "--fail-on", "warning"]).0, 1);
}

#[test]
fn missing_path_is_an_error() {
    let dir = repo(&[]);
    let (code, _, stderr) = run(dir.path(), &["check", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = repo(&[]);
    assert_eq!(run(dir.path(), &["check", "--format", "yaml"]).0, 2);
    assert_eq!(run(dir.path(), &["check", "--ignore", "no-such-rule"]).0, 2);
    assert_eq!(run(dir.path(), &["explain", "no-such-rule"]).0, 2);
    assert_eq!(run(dir.path(), &["--version"]).0, 0);
}

#[test]
fn select_and_ignore() {
    let dir = repo(&[VIOLATION, ("config.py", "password = \"v9!Lq2#mZp\"\n")]);
    let (_, out, _) = run(
        dir.path(),
        &["check", "--select", "hardcoded-port", "--format", "json"],
    );
    assert!(
        out.contains("hardcoded-port") && !out.contains("hardcoded-credential"),
        "{out}"
    );
    let (_, out, _) = run(
        dir.path(),
        &["check", "--ignore", "hardcoded-port", "--format", "json"],
    );
    assert!(
        !out.contains("\"hardcoded-port\"") && out.contains("hardcoded-credential"),
        "{out}"
    );
}

#[test]
fn config_file_is_read_and_validated() {
    let dir = repo(&[
        VIOLATION,
        ("twelve.toml", "[severity]\nhardcoded-port = \"note\"\n"),
    ]);
    let (code, out, _) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"severity\": \"note\""), "{out}");

    let bad = repo(&[
        VIOLATION,
        ("twelve.toml", "fail-on = \"error\"\nselct = []\n"),
    ]);
    let (code, _, err) = run(bad.path(), &["check", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("selct") && err.contains("twelve.toml"),
        "{err}"
    );
    assert!(err.contains("2 │ selct"), "the error shows the line: {err}");

    let unknown = repo(&[("twelve.toml", "ignore = [\"nope\"]\n")]);
    let (code, _, err) = run(unknown.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `nope`"), "{err}");
}

#[test]
fn exclude_and_per_path_ignores() {
    let dir = repo(&[
        ("legacy/server.js", "app.listen(3000);\n"),
        ("scripts/dev.js", "app.listen(3001);\n"),
        (
            "twelve.toml",
            "exclude = [\"legacy/**\"]\n[per-path-ignores]\n\"scripts/**\" = [\"hardcoded-port\"]\n",
        ),
    ]);
    let (code, out, _) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"config-exclude\": 1"), "{out}");
}

#[test]
fn inline_suppression_and_unknown_names() {
    let dir = repo(&[(
        "server.js",
        "// twelve: ignore[hardcoded-port] legacy worker\napp.listen(3000);\napp.listen(3001); // twelve: ignore[hardcoded-prot]\nconst s = 'twelve: ignore[hardcoded-port]'; app.listen(3002);\n",
    )]);
    let (_, out, _) = run(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(u64, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "hardcoded-port"),
            (3, "unknown-suppression"),
            (4, "hardcoded-port")
        ]
    );
}

#[test]
fn explain_works_for_every_rule() {
    let dir = repo(&[]);
    let (code, list, _) = run(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_str(&list).unwrap();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let (code, doc, _) = run(dir.path(), &["explain", id]);
        assert_eq!(code, 0, "{id}");
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## What it does not flag",
            "## Example",
            "## How to fix",
            "## References",
        ] {
            assert!(doc.contains(section), "{id}: missing {section}");
        }
    }
}

#[test]
fn skips_are_counted_not_silent() {
    let dir = repo(&[
        ("node_modules/x/index.js", "app.listen(3000);\n"),
        ("logo.png", "\u{89}PNG"),
        ("data.js", "a\0b"),
        VIOLATION,
    ]);
    let (_, out, _) = run(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let skipped = &json["summary"]["files_skipped"];
    assert_eq!(skipped["excluded-dir"], 1, "{out}");
    assert_eq!(skipped["binary"], 1, "{out}");
    assert_eq!(skipped["no-rules"], 1, "{out}");
    assert_eq!(json["findings"].as_array().unwrap().len(), 1, "{out}");
}

#[test]
fn gitignored_files_are_not_scanned() {
    let dir = repo(&[
        (".gitignore", "generated/\n"),
        ("generated/server.js", "app.listen(3000);\n"),
    ]);
    assert_eq!(run(dir.path(), &["check"]).0, 0);
}

#[test]
fn a_folder_outside_git_gets_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("Procfile"), "web: bin/server\n").unwrap();
    let (code, out, _) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "a note does not fail the scan");
    assert!(out.contains("\"rule\": \"not-a-git-repository\""), "{out}");
    let git = repo(&[("Procfile", "web: bin/server\n")]);
    let (_, out, _) = run(git.path(), &["check", "--format", "json"]);
    assert!(!out.contains("not-a-git-repository"), "{out}");
}

#[test]
fn committed_log_files_are_reported_even_when_too_large_to_read() {
    let big = "GET / 200\n".repeat(200);
    let dir = repo(&[
        ("log/production.log", big.as_str()),
        ("tmp/ignored.log", "x\n"),
        (".gitignore", "tmp/\n"),
        ("twelve.toml", "max-file-size = 100\n"),
    ]);
    let (_, stdout, stderr) = run(
        dir.path(),
        &[
            "check",
            "--select",
            "committed-log-file",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    let files: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files, ["log/production.log"], "{stdout}");
    assert_eq!(json["summary"]["files_skipped"]["too-large"], 1, "{stdout}");
}

/// The benchmark (benches/run.sh) runs the exported patterns with `rg -U -f`: ripgrep's
/// regex parser must accept every one of them, inline flags included.
#[test]
fn ripgrep_accepts_every_exported_pattern() {
    if !common::client_available("ripgrep", &["rg", "--version"]) {
        return;
    }
    let dir = repo(&[VIOLATION]);
    let (code, patterns, stderr) = run(dir.path(), &["rules", "--export-patterns"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(patterns.lines().count() > 100, "{patterns}");
    let file = dir.path().join("patterns.txt");
    std::fs::write(&file, &patterns).expect("write the patterns");
    let out = std::process::Command::new("rg")
        .args(["-U", "-c", "-f"])
        .arg(&file)
        .arg(dir.path().join(VIOLATION.0))
        .output()
        .expect("run rg");
    // 0: a match, 1: none; 2: a pattern ripgrep could not compile.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
