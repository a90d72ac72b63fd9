//! Committed means tracked: inside a git work tree twelve scans what git has, whatever
//! `.gitignore` says about a tracked file; outside git, the ignore files decide. What a
//! tracked file holds can decide its role too (a translation catalog in any folder).

mod common;

use common::{git, git_repo, repo, run, write_files};
use serde_json::Value;
use std::path::Path;

const NEST_IMPORTS: &[(&str, &str)] = &[
    (
        "src/main.ts",
        "import { NestFactory } from '@nestjs/core';\n",
    ),
    (
        "src/app.module.ts",
        "import { Module } from '@nestjs/common';\n",
    ),
    (
        "src/app.service.ts",
        "import { Injectable } from '@nestjs/common';\n",
    ),
];

const PACKAGE_JSON: &str = r#"{"name": "api", "engines": {"node": "22.x"}, "scripts": {"start": "node dist/main.js"}, "dependencies": {"@nestjs/core": "10.0.0"}}
"#;

/// A NestJS app whose `.gitignore` holds `*.json`, as seen on a real one: its
/// package.json is committed anyway (`git add -f`).
fn nest_app(track_manifest: bool) -> tempfile::TempDir {
    let dir = git_repo(NEST_IMPORTS);
    write_files(
        dir.path(),
        &[
            (".gitignore", "*.json\ndist/\n"),
            ("package.json", PACKAGE_JSON),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            // Ignored and untracked: a developer's local settings, never deployed.
            (
                "local.settings.json",
                "{\"password\": \"s3cr3t-Passw0rd-9\"}\n",
            ),
            ("dist/main.js", "const port = 3000; app.listen(3000);\n"),
        ],
    );
    if track_manifest {
        git(
            dir.path(),
            &["add", "-f", "package.json", "package-lock.json"],
        );
    }
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "app"]);
    dir
}

fn check_json(dir: &Path) -> Value {
    let (_, stdout, stderr) = run(
        dir,
        &["check", ".", "--format", "json", "--fail-on", "never"],
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

fn rules(doc: &Value) -> Vec<&str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

/// The `missing-dependency-manifest` finding of a report.
fn missing_manifest(doc: &Value) -> &Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-dependency-manifest")
        .unwrap_or_else(|| panic!("{doc:#}"))
}

#[test]
fn a_tracked_file_matched_by_gitignore_is_scanned_and_counted_as_a_manifest() {
    let app = nest_app(true);
    let doc = check_json(app.path());
    let found = rules(&doc);
    assert!(!found.contains(&"missing-dependency-manifest"), "{doc:#}");
    assert!(!found.contains(&"missing-lockfile"), "{doc:#}");
    // The manifest made the stack and the verdicts.
    assert_eq!(doc["stack"]["languages"][0], "node", "{doc:#}");
    assert_eq!(
        doc["platforms"].as_array().map(Vec::len),
        Some(3),
        "{doc:#}"
    );
    // The ignored, untracked files are skipped and counted: local.settings.json, dist/.
    assert_eq!(doc["summary"]["files_skipped"]["git-ignored"], 2, "{doc:#}");
    assert!(!found.contains(&"hardcoded-credential"), "{doc:#}");
    assert!(!found.contains(&"hardcoded-port"), "{doc:#}");
}

#[test]
fn an_untracked_ignored_manifest_is_skipped_and_the_message_says_so() {
    let app = nest_app(false);
    let doc = check_json(app.path());
    let missing = missing_manifest(&doc);
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("`package.json` is ignored by git and not tracked"),
        "{message}"
    );
    assert!(
        message.contains("(one of 3 production files that import packages)"),
        "{message}"
    );
    assert!(!message.contains("exists"), "{message}");
}

#[test]
fn an_untracked_file_no_rule_ignores_is_scanned() {
    let app = git_repo(&[("README.md", "app\n")]);
    write_files(app.path(), &[("server.js", "app.listen(3000);\n")]);
    let doc = check_json(app.path());
    assert!(rules(&doc).contains(&"hardcoded-port"), "{doc:#}");
}

#[test]
fn outside_git_the_ignore_files_decide() {
    let dir = repo(NEST_IMPORTS);
    write_files(
        dir.path(),
        &[(".gitignore", "*.json\n"), ("package.json", PACKAGE_JSON)],
    );
    let doc = check_json(dir.path());
    let missing = missing_manifest(&doc);
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("none of the scanned files is a package.json"),
        "{missing:#}"
    );
}

#[test]
fn an_ignored_root_manifest_is_the_reason_for_no_verdict() {
    let app = nest_app(false);
    let doc = check_json(app.path());
    assert!(doc.get("platforms").is_none(), "{doc:#}");
    assert_eq!(doc["no_verdict"]["reason"], "manifests-ignored", "{doc:#}");
    let (_, text, _) = run(app.path(), &["check", ".", "--color", "never"]);
    assert!(
        text.contains("Portability: no verdict: no app detected: the root `package.json` is ignored by git and not tracked"),
        "{text}"
    );
}

/// A translation catalog is prose under message keys whatever folder holds it: a URL
/// among its strings is an example for the reader, while the same URL in a file of two
/// settings is configuration.
#[test]
fn a_translation_catalog_in_an_unusual_folder_is_silent() {
    let url = "postgres://app:Kennwort@db.example.org/app";
    let catalog = format!(
        r#"{{"signup.title": "Konto anlegen", "signup.password": "Kennwort", "signup.confirm": "Kennwort bestätigen", "signup.submit": "Absenden", "signup.help": "Hilfe und Kontakt", "signup.example": "{url}"}}"#
    );
    let settings = format!(r#"{{"signup.password": "Kennwort", "signup.example": "{url}"}}"#);
    let app = git_repo(&[
        ("package.json", PACKAGE_JSON),
        ("web/intl/messages/de.json", catalog.as_str()),
        ("web/settings/de.json", settings.as_str()),
    ]);
    let doc = check_json(app.path());
    let files: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"web/settings/de.json"), "{doc:#}");
    assert!(!files.contains(&"web/intl/messages/de.json"), "{doc:#}");
}
