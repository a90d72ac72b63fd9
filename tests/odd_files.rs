//! Bad input never crashes twelve and never hides a finding: links, unreadable paths,
//! odd targets, size limits, deep folders, broken config, and the files of
//! `fixtures/odd-files` (encodings, line endings, minified code, broken manifests).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::work_tree as repo;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
}

/// Runs `command` and fails the test if it takes longer than `limit` (a hang on a pipe
/// or a quadratic blow-up must fail, not stall the suite).
fn run_command(mut command: Command, limit: Duration) -> Run {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run twelve");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("twelve took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn twelve(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_twelve"));
    command.args(args).current_dir(dir);
    run_command(command, Duration::from_secs(120))
}

const VIOLATION: (&str, &str) = ("server.js", "app.listen(3000);\n");

fn skipped(json: &serde_json::Value, reason: &str) -> u64 {
    json["summary"]["files_skipped"][reason]
        .as_u64()
        .unwrap_or(0)
}

fn files(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect()
}

#[cfg(unix)]
fn links(dir: &Path) {
    use std::os::unix::fs::symlink;
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    symlink("..", dir.join("sub/loop")).unwrap();
    symlink("/etc", dir.join("outside")).unwrap();
    symlink("missing.js", dir.join("dangling.js")).unwrap();
    symlink("server.js", dir.join("alias.js")).unwrap();
}

#[cfg(unix)]
#[test]
fn symlinks_are_counted_not_followed_by_default() {
    let dir = repo(&[VIOLATION]);
    links(dir.path());
    let run = twelve(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(run.code, 1);
    assert_eq!(skipped(&json, "symlink"), 4, "{}", run.stdout);
    assert_eq!(files(&json), ["server.js"]);
    assert_eq!(json["summary"]["problems"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn follow_stays_inside_the_root_and_detects_loops() {
    let dir = repo(&[VIOLATION]);
    links(dir.path());
    let run = twelve(dir.path(), &["check", "--follow", "--format", "json"]);
    let json = run.json();
    assert_eq!(run.code, 1);
    assert_eq!(skipped(&json, "symlink-loop"), 1, "{}", run.stdout);
    assert_eq!(skipped(&json, "symlink-outside-root"), 1);
    assert_eq!(skipped(&json, "dangling-symlink"), 1);
    assert_eq!(skipped(&json, "symlink"), 0);
    assert_eq!(files(&json), ["alias.js", "server.js"]);
    assert_eq!(json["summary"]["problems"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_skipped_not_read() {
    let dir = repo(&[VIOLATION]);
    let status = Command::new("mkfifo")
        .arg(dir.path().join("pipe.js"))
        .status();
    if !status.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let run = twelve(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(skipped(&json, "special-file"), 1, "{}", run.stdout);
    assert_eq!(files(&json), ["server.js"]);
}

/// Whether this process reads files whatever their mode (root, CAP_DAC_OVERRIDE).
#[cfg(unix)]
fn reads_despite_mode(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

/// twelve on `dir` as an unprivileged user: directly, or through `setpriv` as `nobody`
/// when the tests run with privileges that ignore file modes. `None` when neither works.
#[cfg(unix)]
fn twelve_unprivileged(dir: &Path, args: &[&str]) -> Option<Run> {
    if !reads_despite_mode(dir) {
        return Some(twelve(dir, args));
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let mut command = Command::new(setpriv);
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_twelve"))
        .args(args)
        .current_dir(dir);
    Some(run_command(command, Duration::from_secs(120)))
}

#[cfg(unix)]
#[test]
fn unreadable_paths_are_warnings_and_strict_makes_them_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo(&[
        ("ok/server.js", "app.listen(3000);\n"),
        ("locked.js", "app.listen(4000);\n"),
        ("secret/app.js", "app.listen(5000);\n"),
    ]);
    let mode = |path: &str, mode: u32| {
        std::fs::set_permissions(dir.path().join(path), std::fs::Permissions::from_mode(mode))
            .unwrap();
    };
    // Open to the unprivileged user, except the two paths under test.
    mode("", 0o755);
    mode("ok", 0o755);
    mode("ok/server.js", 0o644);
    mode("locked.js", 0o000);
    mode("secret", 0o000);
    let Some(run) = twelve_unprivileged(dir.path(), &["check", "--color", "never"]) else {
        mode("secret", 0o755);
        println!(
            "skipped: running with privileges that read any file, and setpriv is not \
             available to drop them"
        );
        return;
    };
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("warning: could not scan ./locked.js: Permission denied"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("warning: could not scan ./secret: Permission denied"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("scanned 1 file; 1 error, 0 warnings, 0 notes; 2 paths could not be read\n"),
        "{}",
        run.stdout
    );
    let strict = twelve_unprivileged(dir.path(), &["check", "--strict", "--format", "json"])
        .expect("ran once already");
    assert_eq!(strict.code, 2);
    assert!(
        strict
            .stderr
            .contains("--strict: 2 paths could not be read"),
        "{}",
        strict.stderr
    );
    let problems = strict.json()["summary"]["problems"].clone();
    assert_eq!(problems.as_array().map(Vec::len), Some(2), "{problems}");
    assert_eq!(problems[0]["path"], "./locked.js");
    assert_eq!(problems[1]["path"], "./secret");
    mode("secret", 0o755);
}

#[test]
fn a_file_an_empty_folder_and_a_folder_outside_git() {
    let dir = repo(&[
        VIOLATION,
        (".gitignore", "ignored.js\n"),
        ("ignored.js", "app.listen(4000);\n"),
    ]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run = twelve(dir.path(), &["check", "server.js", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(files(&run.json()), ["server.js"]);
    let run = twelve(dir.path(), &["check", "empty", "--color", "never"]);
    assert_eq!(run.code, 0);
    // No app, and the report says so instead of leaving the section out.
    assert!(
        run.stdout
            .starts_with("\nPortability: no verdict: no app detected: no manifest at the root"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("\n\nscanned 0 files; 0 errors, 0 warnings, 0 notes\n"),
        "{}",
        run.stdout
    );
    // Not a git repository: .gitignore is still honoured.
    let run = twelve(dir.path(), &["check", "--format", "json"]);
    assert_eq!(files(&run.json()), ["server.js"]);
    let run = twelve(dir.path(), &["check", "server.js", "no/such/path"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "twelve: error: no/such/path: no such file or directory\n"
    );
}

#[test]
fn files_over_the_size_limit_are_skipped_and_counted() {
    let big = format!("app.listen(3000);\n{}", "// padding\n".repeat(200));
    let dir = repo(&[("server.js", big.as_str())]);
    let run = twelve(dir.path(), &["check", "--format", "json"]);
    assert_eq!(files(&run.json()), ["server.js"]);
    let run = twelve(
        dir.path(),
        &["check", "--max-file-size", "1000", "--format", "json"],
    );
    let json = run.json();
    assert_eq!(run.code, 0);
    assert_eq!(skipped(&json, "too-large"), 1);
    assert_eq!(json["summary"]["files_scanned"], 0);
    // The default limit is 1 MiB.
    let huge = format!("app.listen(3000);\n{}", "x".repeat(1024 * 1024));
    let dir = repo(&[("server.js", huge.as_str())]);
    let json = twelve(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(skipped(&json, "too-large"), 1);
}

/// A root file skipped for its size, or hidden by `.ignore` (which only keeps files out
/// of searches), is still committed: a large lockfile is not a missing one. One that
/// `.gitignore` lists is not committed.
#[test]
fn a_lockfile_too_large_to_scan_or_in_dot_ignore_is_still_committed() {
    let app: &[(&str, &str)] = &[
        ("package.json", r#"{"dependencies": {"express": "^4"}}"#),
        (
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {}}"#,
        ),
    ];
    let missing_lockfile = |extra: &[(&str, &str)], args: &[&str]| {
        let files: Vec<(&str, &str)> = app.iter().chain(extra).copied().collect();
        let dir = repo(&files);
        let mut all = vec!["check", "--format", "json", "--select", "missing-lockfile"];
        all.extend(args);
        let json = twelve(dir.path(), &all).json();
        json["findings"].as_array().expect("findings").len() == 1
    };
    assert!(!missing_lockfile(&[], &[]));
    assert!(!missing_lockfile(&[], &["--max-file-size", "10"]));
    assert!(!missing_lockfile(
        &[(".ignore", "package-lock.json\n")],
        &[]
    ));
    assert!(missing_lockfile(
        &[(".gitignore", "package-lock.json\n")],
        &[]
    ));
}

#[test]
fn two_thousand_nested_folders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut deep = PathBuf::from(dir.path());
    for _ in 0..2000 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("s.js"), "app.listen(3000);\n").unwrap();
    let run = twelve(
        dir.path(),
        &["check", "--format", "json", "--select", "hardcoded-port"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(files(&run.json()), [format!("{}s.js", "d/".repeat(2000))]);
}

#[test]
fn malformed_config_is_an_error_pointing_at_its_span() {
    let dir = repo(&[
        VIOLATION,
        ("twelve.toml", "ignore = []\nfail-on = \"sometimes\"\n"),
    ]);
    let run = twelve(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("twelve::config::syntax"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown variant `sometimes`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("twelve.toml:2:11]"), "{}", run.stderr);
}

/// A minified bundle with a match every 33 bytes on its single 1 MB line: the scan
/// stays linear (before, it counted columns from the line start for every match and
/// took more than five minutes).
#[test]
fn a_minified_bundle_is_scanned_in_linear_time() {
    let line: String = (0..31_000)
        .map(|i| format!("function f{i}(){{app.listen(3000)}};"))
        .collect::<String>();
    let dir = repo(&[("public/bundle.js", &line[..1_000_000])]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_twelve"));
    command
        .args(["check", "--format", "json", "--select", "hardcoded-port"])
        .current_dir(dir.path());
    let run = run_command(command, Duration::from_secs(90));
    let json = run.json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "one finding per rule and line");
    let snippet = findings[0]["snippet"].as_str().unwrap();
    assert_eq!(findings[0]["column"], 26);
    assert!(snippet.len() < 300 && snippet.ends_with('…'), "{snippet}");
}

#[test]
fn odd_files_fixture_lines_columns_and_skips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = twelve(root, &["check", "fixtures/odd-files", "--format", "json"]).json();
    let at = |file: &str| -> (u64, u64, String, String) {
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("no finding in {file}"));
        (
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["rule"].as_str().unwrap().to_string(),
            f["snippet"].as_str().unwrap().to_string(),
        )
    };
    // The byte-order mark is not a column and not part of the snippet.
    let (line, column, _, snippet) = at("bom.py");
    assert_eq!((line, column), (1, 16));
    assert!(snippet.starts_with("DB_PASSWORD"), "{snippet}");
    assert_eq!(at("crlf.js").0, 3);
    assert_eq!(at("lone-cr.js").0, 3);
    assert_eq!(at("no-newline.js").0, 2);
    let (line, column, _, _) = at("utf16.js");
    assert_eq!((line, column), (2, 12));
    // One invalid byte before the match counts as one column.
    assert_eq!((at("invalid-utf8.js").0, at("invalid-utf8.js").1), (2, 31));
    let (line, column, _, snippet) = at("public/app.min.js");
    assert_eq!((line, column), (1, 47292));
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(snippet.contains("app.listen(3007)"));
    let manifest = |file: &str| {
        let (line, column, rule, _) = at(file);
        assert_eq!(rule, "malformed-manifest", "{file}");
        (line, column)
    };
    assert_eq!(manifest("Procfile"), (3, 1));
    assert_eq!(manifest("package.json"), (5, 1));
    assert_eq!(manifest("composer.json"), (1, 74));
    assert_eq!(manifest("docker-compose.yml"), (5, 4));
    assert_eq!(manifest("pyproject.toml"), (3, 11));
    assert_eq!(skipped(&json, "binary"), 1);
    assert!(!files(&json).contains(&"binary.js".to_string()));
    assert!(!files(&json).contains(&"empty.js".to_string()));
    assert_eq!(json["summary"]["files_scanned"], 14);
}
