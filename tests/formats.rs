//! Output formats end to end: SARIF validated against the official 2.1.0 schema,
//! GitHub workflow commands and job summary, Markdown, and `--output`.

mod common;

use common::{client_available, fixture_apps, run, run_env, work_tree as repo};
use std::path::Path;
use std::process::Command;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/schemas/sarif-schema-2.1.0.json"
);

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft4Validator(schema)
failed = False
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path))):
        failed = True
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
sys.exit(1 if failed else 0)
"#;

#[test]
fn sarif_of_every_fixture_validates_against_the_schema() {
    if !client_available(
        "python3 with jsonschema",
        &["python3", "-c", "import jsonschema"],
    ) {
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for app in fixture_apps() {
        let sarif = out.path().join(format!("{app}.sarif"));
        let fixture = format!("fixtures/{app}");
        let sarif_arg = sarif.to_string_lossy().into_owned();
        let args = [
            "check", &fixture, "--format", "sarif", "--output", &sarif_arg,
        ];
        let (code, stdout, stderr) = run(manifest, &args);
        assert!(code == 0 || code == 1, "{app}: {stderr}");
        assert!(
            stdout.contains("scanned "),
            "text report on the terminal: {stdout}"
        );
        files.push(sarif_arg);
    }
    // A repository-level finding (on line 1) and a file name needing percent-encoding.
    let odd = repo(&[
        ("requirements.txt", "flask==3.0.3\n"),
        (".python-version", "3.12\n"),
        ("my app.js", "app.listen(3000);\n"),
    ]);
    let (_, sarif, _) = run(odd.path(), &["check", "--format", "sarif"]);
    let odd_file = out.path().join("odd.sarif");
    std::fs::write(&odd_file, &sarif).expect("write");
    files.push(odd_file.to_string_lossy().into_owned());
    let doc: serde_json::Value = serde_json::from_str(&sarif).expect("json");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert_eq!(uris, ["Procfile", "my%20app.js"]);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({ "startLine": 1 })
    );

    let status = Command::new("python3")
        .args(["-c", VALIDATE, SCHEMA])
        .args(&files)
        .output()
        .expect("python3");
    assert!(
        status.status.success(),
        "{}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn sarif_describes_every_rule_and_finding() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, sarif, _) = run(
        manifest,
        &["check", "fixtures/express-uploads", "--format", "sarif"],
    );
    let doc: serde_json::Value = serde_json::from_str(&sarif).expect("json");
    let sarif_run = &doc["runs"][0];
    let rules = sarif_run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let (_, list, _) = run(manifest, &["rules", "--format", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&list).expect("rules json");
    assert_eq!(rules.len(), listed.as_array().expect("array").len());
    let port = rules
        .iter()
        .find(|r| r["id"] == "hardcoded-port")
        .expect("hardcoded-port");
    assert_eq!(port["name"], "HardcodedPort");
    assert_eq!(
        port["helpUri"],
        "https://github.com/twelve-lint/twelve/blob/main/docs/rules/hardcoded-port.md"
    );
    let markdown = port["help"]["markdown"].as_str().expect("help.markdown");
    assert!(markdown.starts_with("# hardcoded-port"), "{markdown}");
    assert_eq!(port["properties"]["precision"], "high");
    assert!(port["properties"].get("security-severity").is_none());
    let secret = rules
        .iter()
        .find(|r| r["id"] == "hardcoded-secret")
        .expect("hardcoded-secret");
    assert_eq!(secret["properties"]["security-severity"], "9.0");
    assert_eq!(secret["properties"]["precision"], "very-high");
    assert!(
        secret["properties"]["tags"]
            .as_array()
            .expect("tags")
            .contains(&serde_json::json!("security"))
    );
    assert_eq!(sarif_run["automationDetails"]["id"], "twelve/");
    let base = sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("repository base");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert_eq!(port["defaultConfiguration"]["level"], "error");
    assert_eq!(port["properties"]["tags"][1], "factor-7");
    let result = sarif_run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "hardcoded-port")
        .expect("finding");
    let location = &result["locations"][0]["physicalLocation"];
    // From the repository root, where code scanning resolves it.
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/express-uploads/server.js"
    );
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(9), Some(16))
    );
    assert_eq!(region["endColumn"], 20);
    assert_eq!(
        result["partialFingerprints"]["twelve/v1"]
            .as_str()
            .map(str::len),
        Some(16)
    );
    let index = result["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(rules[index]["id"], "hardcoded-port");
}

#[test]
fn github_format_annotates_and_writes_the_job_summary() {
    let dir = repo(&[
        ("server.js", "app.listen(3000);\n"),
        (".env", "SECRET=abc123\n"),
    ]);
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let summary_arg = summary.to_string_lossy().into_owned();
    let (code, stdout, _) = run_env(
        dir.path(),
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary_arg)],
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(
            &"::error file=server.js,line=1,col=12,endLine=1,endColumn=16,\
              title=twelve hardcoded-port (factor 7)::the server listens on a hardcoded port \
              instead of the PORT environment variable%0Ahelp: read the port from the \
              environment, e.g. `process.env.PORT`, `$PORT`, `${PORT:8080}`"
        ),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=.env,line=1,")),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert!(written.starts_with("earlier step\n## twelve"), "{written}");
    assert!(
        written.contains("| error | `hardcoded-port` | 7 | server.js:1 |"),
        "{written}"
    );
    assert!(
        written.contains("; 1 error, 1 warning, 0 notes\n\n|"),
        "{written}"
    );
}

#[test]
fn markdown_format_and_output_file() {
    let dir = repo(&[("server.js", "app.listen(3000);\n")]);
    let (code, stdout, _) = run(dir.path(), &["check", "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("## twelve"), "{stdout}");
    assert!(
        stdout.contains("| error | `hardcoded-port` | 7 | server.js:1 |"),
        "{stdout}"
    );

    let (code, stdout, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            "out/report.json",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 2, "a missing folder is an error");
    assert!(stdout.is_empty());
    let (code, stdout, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "-o",
            "report.json",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("hardcoded-port") && stdout.contains("1 error,"),
        "{stdout}"
    );
    let json = std::fs::read_to_string(dir.path().join("report.json")).expect("report");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["findings"][0]["rule"], "hardcoded-port");
}

#[test]
fn gitlab_code_quality_report() {
    let dir = repo(&[
        ("requirements.txt", "flask==3.0.3\n"),
        (".python-version", "3.12\n"),
        ("app.py", "app.run(port=5000)\nLOG = open('app.log', 'a')\n"),
        ("server.js", "const x = 1;\napp.listen(3000);\n"),
    ]);
    let (code, stdout, _) = run(dir.path(), &["check", "--format", "gitlab"]);
    assert_eq!(code, 1);
    let issues: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let issues = issues.as_array().expect("array");
    let procfile = issues
        .iter()
        .find(|i| i["check_name"] == "missing-procfile")
        .expect("repository-level finding");
    assert_eq!(procfile["location"]["path"], "Procfile");
    assert_eq!(
        procfile["location"]["lines"]["begin"], 1,
        "GitLab needs a line"
    );
    let port = issues
        .iter()
        .find(|i| i["location"]["path"] == "server.js")
        .expect("port finding");
    assert_eq!(port["severity"], "major");
    assert_eq!(port["location"]["lines"]["begin"], 2);
    assert_eq!(port["fingerprint"].as_str().map(str::len), Some(16));
    assert!(
        port["description"]
            .as_str()
            .unwrap_or("")
            .starts_with("hardcoded-port: ")
    );
}
