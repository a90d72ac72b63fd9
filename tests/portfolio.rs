//! `twelve portfolio` end to end: check reports of the fixture apps merged into JSON,
//! CSV, Markdown and HTML; folders of reports; trends; every error with its file.

mod common;

use common::{fixture_reports, run};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn portfolio(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["portfolio"];
    all.extend_from_slice(args);
    run(root(), &all)
}

fn json_portfolio(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = portfolio(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("portfolio JSON")
}

fn app<'a>(p: &'a Value, name: &str) -> &'a Value {
    p["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no app {name}"))
}

fn verdict(p: &Value, name: &str, host: &str) -> String {
    let hosts = app(p, name)["hosts"].as_array().unwrap();
    let h = hosts.iter().find(|h| h["host"] == host).unwrap();
    h["verdict"].as_str().unwrap().to_string()
}

#[test]
fn the_check_report_names_its_repository_and_commit() {
    let dir = common::git_repo(&[("Procfile", "web: node server.js\n")]);
    let (_, stdout, _) = run(dir.path(), &["check", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let head = common::git(dir.path(), &["rev-parse", "HEAD"]);
    assert_eq!(report["repository"]["commit"], head.trim());
    let folder = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(
        report["repository"]["name"],
        folder.file_name().unwrap().to_str().unwrap()
    );
    common::git(
        dir.path(),
        &["remote", "add", "origin", "https://github.com/org/app.git"],
    );
    let (_, stdout, _) = run(dir.path(), &["check", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["repository"]["name"], "org/app");
}

#[test]
fn merges_the_fixture_apps() {
    let dir = tempfile::tempdir().unwrap();
    let reports = fixture_reports(dir.path());
    let p = json_portfolio(&[dir.path().to_str().unwrap()]);
    assert_eq!(p["kind"], "twelve-portfolio");
    assert_eq!(p["apps"].as_array().unwrap().len(), reports.len());
    for host in ["scalingo", "clever-cloud", "scaleway"] {
        assert_eq!(verdict(&p, "fixtures/django-clean", host), "ready");
        assert_eq!(verdict(&p, "fixtures/express-uploads", host), "blocked");
    }
    let scalingo = &p["blockers"][0];
    assert_eq!(scalingo["host"], "scalingo");
    let port = scalingo["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "hardcoded-port")
        .expect("hardcoded-port blocks on Scalingo");
    assert!(
        port["apps"]
            .as_array()
            .unwrap()
            .contains(&Value::from("fixtures/express-uploads"))
    );
    let hds: Vec<bool> = p["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["hds"].as_bool().unwrap())
        .collect();
    assert_eq!(hds, [true, true, false]);
    let config = p["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["factor"] == 3)
        .unwrap();
    assert!(config["apps"].as_u64().unwrap() >= 3, "{config}");
    assert_eq!(config["name"], "III. Config");
}

#[test]
fn csv_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let reports = fixture_reports(dir.path());
    let args: Vec<&str> = reports.iter().map(|p| p.to_str().unwrap()).collect();
    let (code, csv, _) = portfolio(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("app,commit,host,verdict,score"));
    assert_eq!(lines.len(), 1 + 3 * reports.len());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("fixtures/django-clean,") && l.contains(",scalingo,ready,100,"))
    );
    let (_, markdown, _) = portfolio(&args);
    assert!(
        markdown.contains("| fixtures/django-clean | ✓ ready 100 | ✓ ready 100 | ✓ ready 100 |")
    );
    assert!(markdown.contains("### Top blockers"));
    let html = dir.path().join("out/portfolio.html");
    std::fs::create_dir_all(html.parent().unwrap()).unwrap();
    let (code, stdout, stderr) =
        portfolio(&[&args[..], &["--output", html.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("id=\"matrix-table\""));
    // Self-contained: nothing is fetched.
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!page.contains(external), "{external}");
    }
}

#[test]
fn a_folder_of_artifacts_is_searched() {
    let dir = tempfile::tempdir().unwrap();
    fixture_reports(dir.path());
    // As actions/download-artifact lays them out: one folder per job.
    let nested = dir.path().join("artifacts/report-django-clean");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::rename(
        dir.path().join("django-clean.json"),
        nested.join("django-clean.json"),
    )
    .unwrap();
    let p = json_portfolio(&[dir.path().to_str().unwrap()]);
    assert_eq!(verdict(&p, "fixtures/django-clean", "scalingo"), "ready");
    let empty = tempfile::tempdir().unwrap();
    let (code, _, stderr) = portfolio(&[empty.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no .json report in this folder"),
        "{stderr}"
    );
}

fn write_report(dir: &Path, name: &str, edit: impl Fn(&mut Value)) -> String {
    let src = dir.join("flask-violations.json");
    let mut report: Value = serde_json::from_str(&std::fs::read_to_string(src).unwrap()).unwrap();
    edit(&mut report);
    let out = dir.join(name);
    std::fs::write(&out, serde_json::to_string(&report).unwrap()).unwrap();
    out.to_str().unwrap().to_string()
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fixture_reports(dir.path());
    let d = dir.path();
    let cases: Vec<(String, &str)> = vec![
        (
            write_report(d, "newer.json", |r| {
                r["version"] = 2.into();
                r["tool"]["version"] = "9.0.0".into();
            }),
            "written by twelve 9.0.0 in JSON version 2; this twelve",
        ),
        (
            write_report(d, "several.json", |r| {
                r.as_object_mut().unwrap().remove("platforms");
                r.as_object_mut().unwrap().remove("repository");
            }),
            "no per-host verdicts and no repository",
        ),
        (
            write_report(d, "twice.json", |_| {}),
            "repository `fixtures/flask-violations` is also in",
        ),
    ];
    for (file, message) in cases {
        let flask = d.join("flask-violations.json");
        let (code, _, stderr) = portfolio(&[flask.to_str().unwrap(), &file]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains(&file), "{stderr}");
    }
    let broken = d.join("broken.json");
    std::fs::write(&broken, "{\n  \"version\": 1,\n  nope").unwrap();
    let (code, _, stderr) = portfolio(&[broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.json:3:3: invalid JSON"), "{stderr}");
    let (code, _, stderr) = portfolio(&["no/such/report.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no/such/report.json: no such file"),
        "{stderr}"
    );
}

#[test]
fn reports_of_another_twelve_release_merge_and_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    fixture_reports(dir.path());
    let older = write_report(dir.path(), "older.json", |r| {
        r["tool"]["version"] = "0.0.9".into();
        r["repository"]["name"] = "org/older".into();
        // Written before `repository` and `health_data` existed.
        r.as_object_mut().unwrap().remove("health_data");
    });
    let flask = dir.path().join("flask-violations.json");
    let p = json_portfolio(&[flask.to_str().unwrap(), &older]);
    let versions: Vec<&str> = p["report_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.0.9", env!("CARGO_PKG_VERSION")]);
    // A repository with no app in it (docs, a library) is listed without verdicts.
    let docs = write_report(dir.path(), "docs.json", |r| {
        r.as_object_mut().unwrap().remove("platforms");
        r["repository"]["name"] = "org/docs".into();
    });
    let (code, markdown, stderr) = portfolio(&[&docs]);
    assert_eq!(code, 0, "{stderr}");
    assert!(markdown.contains("| org/docs |"), "{markdown}");
    let unnamed = write_report(dir.path(), "legacy-app.json", |r| {
        r.as_object_mut().unwrap().remove("repository");
    });
    let p = json_portfolio(&[&unnamed]);
    assert_eq!(p["apps"][0]["name"], "legacy-app");
}

#[test]
fn trends_against_the_previous_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    fixture_reports(dir.path());
    let flask = dir.path().join("flask-violations.json");
    let before = write_report(dir.path(), "before.json", |r| {
        // The earlier run: Clever Cloud was blocked, and one more finding.
        let cc = r["platforms"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|h| h["host"] == "clever-cloud")
            .unwrap();
        cc["verdict"] = "blocked".into();
        cc["score"] = 3.into();
        let mut extra = r["findings"][0].clone();
        extra["fingerprint"] = "00000000000000aa".into();
        r["findings"].as_array_mut().unwrap().push(extra);
    });
    let old = dir.path().join("old-portfolio.json");
    let (code, _, stderr) = portfolio(&[
        &before,
        "--format",
        "json",
        "--output",
        old.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let p = json_portfolio(&[flask.to_str().unwrap(), "--previous", old.to_str().unwrap()]);
    let trend = &p["trends"][0];
    assert_eq!(trend["app"], "fixtures/flask-violations");
    assert_eq!(trend["change"], "improved");
    assert_eq!(trend["fixed"], 1);
    assert_eq!(trend["introduced"], 0);
    let cc = trend["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == "clever-cloud")
        .unwrap();
    assert_eq!(cc["before"]["verdict"], "blocked");
    assert_eq!(cc["after"]["verdict"], "needs-changes");
    let (_, html, _) = portfolio(&[
        flask.to_str().unwrap(),
        "--previous",
        old.to_str().unwrap(),
        "--format",
        "html",
    ]);
    assert!(html.contains("id=\"trends\"") && html.contains("▲ improved"));
    // A check report is not a portfolio, and the reverse.
    let (code, _, stderr) = portfolio(&[
        flask.to_str().unwrap(),
        "--previous",
        flask.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a twelve portfolio"), "{stderr}");
    let (code, _, stderr) = portfolio(&[old.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("pass an earlier portfolio with --previous"),
        "{stderr}"
    );
}

#[test]
fn scanned_content_is_escaped_in_html() {
    let dir = tempfile::tempdir().unwrap();
    fixture_reports(dir.path());
    let hostile = write_report(dir.path(), "hostile.json", |r| {
        r["repository"]["name"] = "<script>alert(1)</script>".into();
        r["findings"][0]["file"] = "\"><img src=x onerror=alert(2)>.py".into();
        r["findings"][0]["message"] = "</td></tr></table><script>alert(3)</script>\u{1b}[2J".into();
    });
    let (code, html, _) = portfolio(&[&hostile, "--format", "html"]);
    assert_eq!(code, 0);
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains('\u{1b}'));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.py"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
}

#[test]
fn check_html_is_one_repository_from_the_same_templates() {
    let (code, html, _) = run(
        root(),
        &[
            "check",
            "fixtures/flask-violations",
            "--format",
            "html",
            "--repository",
            "org/flask",
        ],
    );
    assert_eq!(code, 1);
    assert!(html.contains("<title>twelve check: org/flask</title>"));
    assert!(html.contains("id=\"matrix-table\""));
    assert!(html.contains("<details open><summary>Findings (12)</summary>"));
    assert!(html.contains("app/config.py:8"));
    assert!(
        !html.contains("id=\"factors\""),
        "no portfolio-wide sections"
    );
}

/// A thousand reports (copies of the fixture apps' reports under other names) make a
/// page under 5 MB; the time to merge them is measured by benches/portfolio.sh.
#[test]
fn a_thousand_reports_stay_under_five_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let reports = fixture_reports(dir.path());
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    let texts: Vec<Value> = reports
        .iter()
        .map(|r| serde_json::from_str(&std::fs::read_to_string(r).unwrap()).unwrap())
        .collect();
    for i in 0..1000 {
        let mut report = texts[i % texts.len()].clone();
        report["repository"]["name"] = format!("org/app-{i:04}").into();
        std::fs::write(many.join(format!("app-{i:04}.json")), report.to_string()).unwrap();
    }
    let html = dir.path().join("portfolio.html");
    let (code, _, stderr) =
        portfolio(&[many.to_str().unwrap(), "--output", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("portfolio of 1000 apps"), "{stderr}");
    let size = std::fs::metadata(&html).unwrap().len();
    assert!(size < 5 * 1024 * 1024, "{size} bytes");
}
