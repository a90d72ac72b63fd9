//! End to end: the real binary on every app in `fixtures/`. Each planted violation is
//! marked next to its line (`twelve-expect: rule-id` on the line, or
//! `twelve-expect-next: rule-id` on a comment line just above); the scan must report
//! exactly those lines, plus the repository-level findings listed here, and nothing
//! else. The whole JSON report is also kept as an insta snapshot.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use twelve::source::{Decoded, decode};

/// Findings with no line to mark: (fixture, file, rule).
const REPO_LEVEL: &[(&str, &str, &str)] = &[
    ("flask-violations", "Procfile", "missing-procfile"),
    (
        "flask-violations",
        ".python-version",
        "runtime-version-unpinned",
    ),
    (
        "express-uploads",
        "package.json",
        "runtime-version-unpinned",
    ),
    (
        "laravel-violations",
        "storage/logs/laravel.log",
        "committed-log-file",
    ),
];

fn twelve(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_twelve"))
        .args(args)
        .env_remove("COLUMNS")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run twelve");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read fixture dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// (file, line, rule) for every marker in the fixture.
fn expected(app: &str) -> BTreeSet<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(app);
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let mut set = BTreeSet::new();
    for path in files {
        // Markers are read the way twelve reads files: UTF-16 decoded, invalid UTF-8
        // kept, and `\r\n`, `\r` and `\n` all ending a line (see fixtures/odd-files).
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Decoded::Text(bytes) = decode(bytes) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (i, line) in text.split(['\n', '\r']).enumerate() {
            for (marker, offset) in [("twelve-expect-next:", 2), ("twelve-expect:", 1)] {
                for part in line.split(marker).skip(1) {
                    // An id ends at the first character no id holds (`-->`, `"`, `,`).
                    let id: String = part
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    let id = id.trim_end_matches('-').to_string();
                    set.insert((rel.clone(), i + offset, id));
                }
            }
        }
    }
    for (fixture, file, rule) in REPO_LEVEL {
        if *fixture == app {
            set.insert((file.to_string(), 0, rule.to_string()));
        }
    }
    set
}

const FIXED_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

#[test]
fn every_fixture_reports_exactly_its_planted_violations() {
    let apps = common::fixture_apps();
    assert!(apps.len() >= 6, "expected at least six fixture apps");
    for app in apps {
        let path = format!("fixtures/{app}");
        // A fixed repository and commit keep the snapshot the same from commit to commit.
        let (code, stdout, stderr) = twelve(&[
            "check",
            &path,
            "--format",
            "json",
            "--repository",
            &path,
            "--commit",
            FIXED_COMMIT,
        ]);
        let json: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{app}: invalid JSON ({e}): {stdout}\n{stderr}"));
        let got: BTreeSet<(String, usize, String)> = json["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap() as usize,
                    f["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want = expected(&app);
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{app}: missing {missing:#?}\nunexpected {extra:#?}"
        );
        let has_errors = json["summary"]["findings"]["error"].as_u64().unwrap() > 0;
        assert_eq!(code, i32::from(has_errors), "{app}: exit code");
        insta::assert_snapshot!(format!("json_{app}"), stdout);
    }
}

#[test]
fn text_report_of_a_fixture() {
    let (code, stdout, _) = twelve(&["check", "fixtures/express-uploads", "--color", "never"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("text_express-uploads", stdout);
}
