//! Adopting twelve on an existing codebase, on temporary git repositories: baselines,
//! pull-request mode (`--diff-base`) and file arguments as pre-commit passes them.

mod common;

use common::{git, git_repo, repo, run, write_files};

/// (file, line, rule) of each finding in a JSON report.
fn findings(json: &str) -> Vec<(String, u64, String)> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("json report");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn hit(file: &str, line: u64, rule: &str) -> (String, u64, String) {
    (file.to_string(), line, rule.to_string())
}

#[test]
fn baseline_hides_known_findings_and_survives_line_shifts() {
    let dir = git_repo(&[("server.js", "const app = express();\napp.listen(3000);\n")]);
    let (code, _, stderr) = run(dir.path(), &["check", "--write-baseline", "base.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("recorded 1 findings"), "{stderr}");
    let (code, stdout, _) = run(dir.path(), &["check", "--baseline", "base.json"]);
    assert_eq!(code, 0, "{stdout}");

    // Lines inserted above the known finding, and a new finding below it.
    write_files(
        dir.path(),
        &[(
            "server.js",
            "// a comment\n\nconst app = express();\n  app.listen(3000);\nhttp.listen(8080);\n",
        )],
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &["check", "--baseline", "base.json", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(findings(&stdout), [hit("server.js", 5, "hardcoded-port")]);
    assert!(stderr.contains("1 findings in the baseline"), "{stderr}");

    // Changing the flagged line itself makes it new again.
    write_files(dir.path(), &[("server.js", "app.listen(4000);\n")]);
    let (code, _, _) = run(dir.path(), &["check", "--baseline", "base.json"]);
    assert_eq!(code, 1);
}

/// twelve 0.1 hashed the line with its secret; such a baseline still hides the finding,
/// and a baseline written now records a fingerprint of the masked line.
#[test]
fn baselines_of_secret_lines_written_before_redaction_still_match() {
    let line = "const stripe = require(\"stripe\")(\"sk_live_4eC39HqLyjWDarjtT1zdp7dc\");\n";
    let dir = git_repo(&[("pay.js", line)]);
    let old = r#"{"version": 1, "findings": [{"fingerprint": "3930efcd9ddd0af0", "rule": "hardcoded-secret", "file": "pay.js"}]}"#;
    write_files(dir.path(), &[("old.json", old)]);
    let (code, stdout, _) = run(dir.path(), &["check", "--baseline", "old.json"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, _, _) = run(dir.path(), &["check", "--write-baseline", "new.json"]);
    assert_eq!(code, 0);
    let new = std::fs::read_to_string(dir.path().join("new.json")).expect("baseline");
    assert!(!new.contains("3930efcd9ddd0af0"), "{new}");
    let (code, _, _) = run(dir.path(), &["check", "--baseline", "new.json"]);
    assert_eq!(code, 0);
}

#[test]
fn unreadable_baseline_is_an_error() {
    let dir = repo(&[("base.json", "{\"findings\": 3}")]);
    let (code, _, stderr) = run(dir.path(), &["check", "--baseline", "base.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a twelve baseline"), "{stderr}");
    let (code, _, stderr) = run(dir.path(), &["check", "--baseline", "none.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("none.json"), "{stderr}");
}

#[test]
fn diff_mode_reports_only_changed_lines() {
    let dir = git_repo(&[
        (
            "server.js",
            "app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n",
        ),
        (
            "package.json",
            "{\"scripts\": {\"start\": \"node server.js\"}}\n",
        ),
        ("lib/db.js", "const a = 1;\n"),
    ]);
    git(dir.path(), &["checkout", "-qb", "feature"]);
    write_files(
        dir.path(),
        &[
            (
                "lib/db.js",
                "const a = 1;\nconst url = \"postgres://app:s3cret@db.internal:5432/app\";\n",
            ),
            ("new.js", "server.listen(8080);\n"),
        ],
    );
    git(dir.path(), &["add", "lib/db.js"]);
    git(dir.path(), &["commit", "-qm", "db"]);
    let (code, stdout, stderr) = run(
        dir.path(),
        &["check", "--diff-base", "main", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    // The old hardcoded port in server.js is not part of the change; the untracked
    // file is.
    assert_eq!(
        findings(&stdout),
        [
            hit("lib/db.js", 2, "backing-service-url"),
            hit("new.js", 1, "hardcoded-port")
        ]
    );
    // Without the diff, the old finding is there.
    let (_, all, _) = run(dir.path(), &["check", "--format", "json"]);
    assert!(findings(&all).contains(&hit("server.js", 1, "hardcoded-port")));
}

#[test]
fn diff_mode_reports_repository_findings_when_a_file_they_concern_changed() {
    let dir = git_repo(&[
        ("requirements.txt", "flask==3.0.3\n"),
        (".python-version", "3.12\n"),
        ("Procfile", "web: gunicorn app:app\n"),
        ("app.py", "x = 1\n"),
    ]);
    git(dir.path(), &["rm", "-q", "Procfile"]);
    git(dir.path(), &["commit", "-qm", "no procfile"]);
    let args = ["check", "--diff-base", "HEAD~1", "--format", "json"];
    let (_, stdout, _) = run(dir.path(), &args);
    assert_eq!(
        findings(&stdout),
        [hit("Procfile", 0, "missing-procfile")],
        "deleting the Procfile concerns it"
    );

    write_files(dir.path(), &[("app.py", "x = 2\n")]);
    git(dir.path(), &["commit", "-qam", "edit"]);
    let args = ["check", "--diff-base", "HEAD~1", "--format", "json"];
    let (code, stdout, _) = run(dir.path(), &args);
    assert_eq!(
        (code, findings(&stdout)),
        (0, vec![]),
        "app.py does not concern it"
    );
}

#[test]
fn diff_mode_needs_a_git_repository_and_a_known_revision() {
    let plain = repo(&[("server.js", "x\n")]);
    let (code, _, stderr) = run(plain.path(), &["check", "--diff-base", "main"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a git repository"), "{stderr}");
    let repo = git_repo(&[("server.js", "x\n")]);
    let (code, _, stderr) = run(repo.path(), &["check", "--diff-base", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown git revision `nope`"), "{stderr}");
}

#[test]
fn file_arguments_report_those_files_from_the_repository_root() {
    let dir = git_repo(&[
        ("requirements.txt", "flask==3.0.3\n"),
        (".python-version", "3.12\n"),
        ("app/server.js", "app.listen(3000);\n"),
        ("app/other.js", "app.listen(4000);\n"),
    ]);
    let sub = dir.path().join("app");
    let (code, stdout, stderr) = run(&sub, &["check", "server.js", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        findings(&stdout),
        [hit("app/server.js", 1, "hardcoded-port")]
    );

    // A file a repository-level check reads brings that check's finding, once.
    let args = [
        "check",
        "requirements.txt",
        "app/other.js",
        "--format",
        "json",
    ];
    let (_, stdout, _) = run(dir.path(), &args);
    assert_eq!(
        findings(&stdout),
        [
            hit("Procfile", 0, "missing-procfile"),
            hit("app/other.js", 1, "hardcoded-port")
        ]
    );
}
