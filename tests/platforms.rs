//! The portability report and `twelve init`, end to end through the real binary.

mod common;

use common::{fixture_apps as apps, run as twelve_in, work_tree as app};
use std::path::Path;

fn twelve(args: &[&str]) -> (i32, String, String) {
    twelve_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn json(args: &[&str]) -> serde_json::Value {
    let (_, stdout, stderr) = twelve(args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

/// The `host` of each entry of the `platforms` array.
fn host_ids(doc: &serde_json::Value) -> Vec<&str> {
    doc["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect()
}

fn ids(host: &serde_json::Value, key: &str) -> Vec<String> {
    host[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_fixture_has_a_portability_snapshot() {
    for app in apps() {
        let (_, stdout, _) = twelve(&["check", &format!("fixtures/{app}"), "--color", "never"]);
        let section = stdout
            .split("\nportability\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{app}: no portability section: {stdout}"));
        insta::assert_snapshot!(format!("portability_{app}"), section);
    }
}

#[test]
fn clean_django_is_ready_everywhere() {
    let doc = json(&["check", "fixtures/django-clean", "--format", "json"]);
    let hosts = doc["platforms"].as_array().unwrap();
    assert_eq!(hosts.len(), 3);
    for host in hosts {
        assert_eq!(host["verdict"], "ready", "{host:#}");
        assert_eq!(host["score"], 100);
    }
    assert_eq!(doc["stack"]["frameworks"][0], "Django");
}

#[test]
fn uploads_to_disk_and_localhost_block_every_host() {
    let doc = json(&["check", "fixtures/express-uploads", "--format", "json"]);
    for host in doc["platforms"].as_array().unwrap() {
        assert_eq!(host["verdict"], "blocked", "{host:#}");
        assert_eq!(
            ids(host, "blockers"),
            ["hardcoded-port", "localhost-binding"]
        );
        let degraders = ids(host, "degraders");
        assert!(
            degraders.contains(&"local-file-storage".to_string()),
            "{degraders:?}"
        );
        assert!(host["storage"].is_string(), "storage advice: {host:#}");
        assert_eq!(host["blockers"][0]["locations"][0], "server.js:9");
    }
}

#[test]
fn platform_option_and_config_limit_the_hosts() {
    let doc = json(&[
        "check",
        "fixtures/go-clean",
        "--format",
        "json",
        "--platform",
        "scaleway,clever-cloud",
    ]);
    let hosts = host_ids(&doc);
    assert_eq!(hosts, ["clever-cloud", "scaleway"]);
    let dir = app(&[
        ("twelve.toml", "platforms = [\"scalingo\"]\n"),
        ("main.go", "package main\n"),
        ("go.mod", "module example.com/x\n\ngo 1.25\n"),
    ]);
    let (_, stdout, _) = twelve_in(dir.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["platforms"].as_array().unwrap().len(), 1);
    assert_eq!(doc["platforms"][0]["host"], "scalingo");
    assert_eq!(doc["platforms"][0]["verdict"], "ready");
    let (code, _, stderr) = twelve_in(dir.path(), &["check", "--platform", "heroku"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn require_keeps_only_hosts_with_the_label() {
    let doc = json(&[
        "check",
        "fixtures/django-clean",
        "--format",
        "json",
        "--require",
        "hds",
    ]);
    let hosts = host_ids(&doc);
    assert_eq!(hosts, ["scalingo", "clever-cloud"]);
    let excluded = &doc["stack"]["excluded_hosts"];
    assert_eq!(excluded[0]["host"], "scaleway");
    assert!(
        excluded[0]["reason"]
            .as_str()
            .unwrap()
            .contains("unconfirmed")
    );
}

#[test]
fn require_that_leaves_no_host_is_an_error_naming_each_reason() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = ["check", "fixtures/django-clean", "--require", "secnumcloud"];
    let (code, stdout, stderr) = twelve_in(dir, &args);
    assert_eq!(code, 2, "a compliance gate never passes silently: {stdout}");
    assert!(
        stderr.contains("--require secnumcloud leaves no host"),
        "{stderr}"
    );
    for host in ["scalingo", "clever-cloud", "scaleway"] {
        assert!(stderr.contains(&format!("\n  {host}: ")), "{stderr}");
    }
    let (code, _, stderr) = twelve_in(
        dir,
        &[
            "check",
            "fixtures/django-clean",
            "--platform",
            "scaleway",
            "--require",
            "hds",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("scaleway: HDS for Serverless Containers is unconfirmed"),
        "{stderr}"
    );
}

#[test]
fn health_libraries_advise_hds() {
    let dir = app(&[
        ("requirements.txt", "flask\nfhir.resources==7.1\n"),
        ("Procfile", "web: gunicorn app:app\n"),
    ]);
    let (_, stdout, _) = twelve_in(dir.path(), &["check", "--color", "never"]);
    assert!(
        stdout.contains("requires an HDS-certified host"),
        "{stdout}"
    );
}

#[test]
fn health_record_fields_advise_hds() {
    let dir = app(&[
        ("requirements.txt", "flask\n"),
        ("Procfile", "web: gunicorn app:app\n"),
        (
            "models.py",
            "class Visit(Model):\n    patient_id = ForeignKey(Patient)\n",
        ),
    ]);
    let (_, stdout, _) = twelve_in(dir.path(), &["check", "--color", "never"]);
    assert!(
        !stdout.contains("HDS-certified"),
        "one word is not enough: {stdout}"
    );
    std::fs::write(
        dir.path().join("views.py"),
        "def show(visit):\n    return visit.diagnosis\n",
    )
    .unwrap();
    let (_, stdout, _) = twelve_in(dir.path(), &["check", "--color", "never"]);
    assert!(stdout.contains("health-record fields"), "{stdout}");
    assert!(stdout.contains("`patient` (models.py:2)"), "{stdout}");
}

#[test]
fn init_prints_the_missing_files_per_host() {
    for (app, host) in [
        ("django-clean", "scalingo"),
        ("django-clean", "clever-cloud"),
        ("django-clean", "scaleway"),
        ("flask-violations", "scalingo"),
        ("express-uploads", "scaleway"),
        ("express-clean", "clever-cloud"),
        ("go-clean", "scaleway"),
    ] {
        let (code, stdout, stderr) =
            twelve(&["init", "--platform", host, &format!("fixtures/{app}")]);
        assert_eq!(code, 0, "{stderr}");
        insta::assert_snapshot!(format!("init_{app}_{host}"), stdout);
    }
}

#[test]
fn init_write_never_overwrites() {
    let dir = app(&[
        ("requirements.txt", "Django==5.1\ngunicorn\n"),
        (
            "manage.py",
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        ),
        (".dockerignore", "mine\n"),
    ]);
    let (code, stdout, stderr) =
        twelve_in(dir.path(), &["init", "--platform", "scaleway", "--write"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("wrote Dockerfile"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap(),
        "mine\n"
    );
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("gunicorn shop.wsgi --bind 0.0.0.0:$PORT"),
        "{dockerfile}"
    );
    std::fs::write(dir.path().join("Dockerfile"), "FROM mine\n").unwrap();
    let (_, stdout, _) = twelve_in(dir.path(), &["init", "--platform", "scaleway", "--write"]);
    assert!(!stdout.contains("wrote Dockerfile"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM mine\n"
    );
    let (_, stdout, _) = twelve_in(dir.path(), &["init", "--platform", "scalingo", "--write"]);
    assert!(stdout.contains("wrote Procfile"), "{stdout}");
    let procfile = std::fs::read_to_string(dir.path().join("Procfile")).unwrap();
    assert_eq!(
        procfile,
        "web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT --log-file -\npostdeploy: python manage.py migrate\n"
    );
}

#[test]
fn markdown_table_of_a_fixture() {
    use twelve::{
        config::Config, hosts, report::platforms_markdown, rules::Registry, scan::Scanner,
    };
    let registry = Registry::builtin().unwrap();
    let config = Config::default();
    let scanner = Scanner::new(&registry, &config, 1).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/express-uploads");
    let report = scanner.scan(&[root]);
    let portability = hosts::assess_apps(
        &report.apps,
        &report.findings,
        &registry,
        &hosts::Targets::default(),
    )
    .expect("one directory scanned");
    insta::assert_snapshot!(
        "markdown_express-uploads",
        platforms_markdown::render(&portability)
    );
}

#[test]
fn several_roots_have_no_portability_report() {
    let doc = json(&[
        "check",
        "fixtures/go-clean",
        "fixtures/django-clean",
        "--format",
        "json",
    ]);
    assert!(doc.get("platforms").is_none() && doc.get("stack").is_none());
    // The section does not vanish without a word.
    assert_eq!(doc["no_verdict"]["reason"], "several-folders", "{doc:#}");
    let (_, stdout, _) = twelve(&["check", "fixtures/go-clean", "fixtures/django-clean"]);
    assert!(
        stdout.contains("Portability: no verdict: 2 folders were scanned together"),
        "{stdout}"
    );
    let (_, stdout, _) = twelve(&["check", "fixtures/django-clean", "--quiet"]);
    assert!(!stdout.contains("portability"), "{stdout}");
}

/// The host named `id` in a check's JSON report.
fn host<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == id)
        .unwrap_or_else(|| panic!("no {id} in {doc:#}"))
}

/// Every cause of a host's verdict: blockers, degraders and advisories.
fn causes(host: &serde_json::Value) -> Vec<String> {
    ["blockers", "degraders", "advisories"]
        .iter()
        .flat_map(|key| ids(host, key))
        .collect()
}

fn check_json(dir: &Path) -> serde_json::Value {
    json(&["check", dir.to_str().unwrap(), "--format", "json"])
}

/// Contradiction 1: cron.json with `5-59/20` (every 20 minutes) left the rule silent
/// while a second reading of the minute field blocked Scalingo.
#[test]
fn a_stepped_cron_range_is_read_once() {
    let dir = app(&[
        ("requirements.txt", "flask==3.0\n"),
        (".python-version", "3.13\n"),
        ("Procfile", "web: gunicorn app:app\n"),
        (
            "cron.json",
            r#"{"jobs": [{"command": "5-59/20 * * * * python sync.py"}]}"#,
        ),
    ]);
    let doc = check_json(dir.path());
    assert!(
        !doc["findings"].to_string().contains("scalingo-cron-limits"),
        "{doc:#}"
    );
    let scalingo = host(&doc, "scalingo");
    assert!(
        !causes(scalingo).contains(&"scalingo-cron-limits".to_string()),
        "{scalingo:#}"
    );
}

/// Contradiction 2: a continued `CMD` line was cut at the backslash for Scaleway's start.
#[test]
fn a_continued_dockerfile_command_starts_whole() {
    let dir = app(&[
        ("package.json", r#"{"engines": {"node": "22.x"}}"#),
        ("package-lock.json", "{}"),
        (
            "Dockerfile",
            "FROM node:22\nCMD node migrate.js && \\\n    node server.js\n",
        ),
    ]);
    let doc = check_json(dir.path());
    let start = &host(&doc, "scaleway")["start"]["command"];
    assert_eq!(start, "node migrate.js && node server.js", "{doc:#}");
}

/// Contradiction 3: node-cron in a web app was counted by the rule and by a host check.
#[test]
fn an_in_process_scheduler_counts_once() {
    let dir = app(&[
        (
            "package.json",
            r#"{"engines": {"node": "22.x"}, "scripts": {"start": "node server.js"}, "dependencies": {"node-cron": "3"}}"#,
        ),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const cron = require('node-cron');\ncron.schedule('0 * * * *', () => {});\nprocess.on('SIGTERM', () => process.exit(0));\nrequire('http').createServer().listen(process.env.PORT);\n",
        ),
    ]);
    let doc = check_json(dir.path());
    let scalingo = host(&doc, "scalingo");
    assert_eq!(causes(scalingo), ["in-process-scheduler"], "{scalingo:#}");
    assert_eq!(scalingo["score"], 85, "{scalingo:#}");
}

/// Contradiction 4: a Node version pinned only in `.nvmrc` was counted twice.
#[test]
fn a_version_pinned_only_in_nvmrc_counts_once() {
    let dir = app(&[
        (
            "package.json",
            r#"{"scripts": {"start": "node server.js"}}"#,
        ),
        (".nvmrc", "22\n"),
        ("server.js", "process.on('SIGTERM', () => {});\n"),
    ]);
    let doc = check_json(dir.path());
    let scalingo = host(&doc, "scalingo");
    assert_eq!(
        causes(scalingo),
        ["runtime-version-unpinned"],
        "{scalingo:#}"
    );
    assert_eq!(scalingo["score"], 85, "{scalingo:#}");
}

/// A monorepo whose root is no app is judged app by app: the served app in `backend/`
/// counts, the static frontend and the command-line tool do not.
#[test]
fn a_monorepo_is_judged_by_its_apps() {
    let dir = app(&[
        ("README.md", "two apps\n"),
        ("backend/requirements.txt", "flask==3.0\ngunicorn==23.0\n"),
        ("backend/.python-version", "3.13\n"),
        (
            "backend/Procfile",
            "web: gunicorn app:app --bind 0.0.0.0:8000\n",
        ),
        (
            "frontend/package.json",
            r#"{"engines": {"node": "24.x"}, "scripts": {"build": "vite build"}}"#,
        ),
        ("frontend/package-lock.json", "{}"),
        ("src/cli/pyproject.toml", "[project]\nname = \"cli\"\n"),
    ]);
    let doc = check_json(dir.path());
    let apps: Vec<&str> = doc["stack"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(apps, ["backend"], "{doc:#}");
    let scalingo = host(&doc, "scalingo");
    assert_eq!(scalingo["verdict"], "blocked", "{scalingo:#}");
    let blocker = &scalingo["blockers"][0];
    assert_eq!(blocker["id"], "hardcoded-port", "{scalingo:#}");
    assert!(
        blocker["locations"][0]
            .as_str()
            .unwrap()
            .starts_with("backend/Procfile"),
        "{blocker:#}"
    );
}

/// `[production.env]` in the app's twelve.toml is what production sets: `twelve init`
/// does not propose those variables again; a value that is not a string is a config error.
#[test]
fn init_honours_the_declared_production_environment() {
    let dir = app(&[
        ("requirements.txt", "django==5.1\ngunicorn==23.0\n"),
        (".python-version", "3.13\n"),
        (
            "manage.py",
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        ),
        (
            "twelve.toml",
            "[production.env]\nCC_PYTHON_MODULE = \"config.wsgi:application\"\n",
        ),
    ]);
    let path = dir.path().to_str().unwrap();
    let (code, out, err) = twelve(&["init", "--platform", "clever-cloud", path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CC_PYTHON_MANAGE_TASKS"), "{out}");
    assert!(!out.contains("CC_PYTHON_MODULE"), "{out}");
    std::fs::write(
        dir.path().join("twelve.toml"),
        "[production.env]\nDEBUG = false\n",
    )
    .unwrap();
    let (code, _, err) = twelve(&["check", path]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("twelve.toml"), "{err}");
}

/// The portability section agrees with the findings shown: a cause whose findings a
/// baseline hides still counts and says so; rules turned off are named.
#[test]
fn hidden_causes_are_shown_as_hidden() {
    let dir = app(&[
        (
            "package.json",
            r#"{"engines": {"node": "22.x"}, "scripts": {"start": "node server.js"}}"#,
        ),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "process.on('SIGTERM', () => process.exit(0));\nrequire('http').createServer().listen(3000);\n",
        ),
    ]);
    let path = dir.path().to_str().unwrap();
    let baseline = dir.path().join("baseline.json");
    let (code, _, err) = twelve(&[
        "check",
        path,
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let doc = json(&[
        "check",
        path,
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
    ]);
    assert!(doc["findings"].as_array().unwrap().is_empty(), "{doc:#}");
    let scalingo = host(&doc, "scalingo");
    assert_eq!(scalingo["verdict"], "blocked", "{scalingo:#}");
    assert_eq!(
        scalingo["blockers"][0]["hidden"], "in the baseline",
        "{scalingo:#}"
    );
    let doc = json(&["check", path, "--format", "json", "--select", "log-to-file"]);
    let notes = doc["stack"]["advisories"].to_string();
    assert!(notes.contains("hardcoded-port"), "{notes}");
}

#[test]
fn a_folder_without_an_app_gets_no_verdict_and_says_why() {
    let dir = app(&[
        ("README.md", "notes\n"),
        // A library, not an app: no start, no web framework.
        ("api/package.json", "{\"name\": \"shared\"}\n"),
    ]);
    let (_, stdout, _) = twelve_in(dir.path(), &["check", ".", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert!(doc.get("platforms").is_none(), "{doc:#}");
    assert_eq!(doc["no_verdict"]["reason"], "no-app", "{doc:#}");
    let message = doc["no_verdict"]["message"].as_str().unwrap();
    assert!(message.contains("no manifest at the root"), "{message}");
    assert!(
        message.contains("but no start or web framework: api/"),
        "{message}"
    );
    let (_, text, _) = twelve_in(dir.path(), &["check", ".", "--color", "never"]);
    assert!(
        text.contains("Portability: no verdict: no app detected"),
        "{text}"
    );
    let (_, markdown, _) = twelve_in(dir.path(), &["check", ".", "--format", "markdown"]);
    assert!(
        markdown.contains("**Portability:** no verdict: no app detected"),
        "{markdown}"
    );
}
