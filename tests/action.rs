//! The GitHub Action's own shell steps, run locally as the runner would: inputs through
//! the `env` of each step, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `RUNNER_TEMP`
//! pointing at temporary files, and the debug binary on PATH (`install: none`).

mod common;

use common::{client_available, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const ACTION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");

/// action.yml as JSON, read by PyYAML (a dependency of pre-commit, installed in CI).
fn action() -> Value {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
            ACTION,
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("action as json")
}

/// Inputs with the action's defaults, overridden by `given`.
fn inputs(action: &Value, given: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_object()
        .expect("inputs")
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect();
    for (key, value) in given {
        assert!(inputs.contains_key(*key), "unknown input {key}");
        inputs.insert((*key).to_string(), (*value).to_string());
    }
    inputs
}

/// `${{ inputs.name }}`, the only expression the steps' `env` uses.
fn expand(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let name = text
        .strip_prefix("${{ inputs.")
        .and_then(|rest| rest.strip_suffix(" }}"))
        .unwrap_or_else(|| panic!("unsupported expression in env: {text}"));
    inputs[name].clone()
}

/// `inputs.name == 'value'`, the only condition the steps use.
fn condition_holds(condition: &str, inputs: &BTreeMap<String, String>) -> bool {
    let (left, right) = condition.split_once(" == ").expect("condition");
    let name = left.strip_prefix("inputs.").expect("an input");
    inputs[name] == right.trim_matches('\'')
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: String,
    summary: String,
}

/// Runs every step that applies, stopping at the first failure, as the runner does.
fn run_action(workspace: &Path, given: &[(&str, &str)]) -> Run {
    let action = action();
    let inputs = inputs(&action, given);
    let temp = tempfile::tempdir().expect("runner temp");
    let output_file = temp.path().join("output");
    let summary_file = temp.path().join("summary");
    let bin = Path::new(env!("CARGO_BIN_EXE_twelve"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut run = Run {
        code: 0,
        stdout: String::new(),
        stderr: String::new(),
        outputs: String::new(),
        summary: String::new(),
    };
    for step in action["runs"]["steps"].as_array().expect("steps") {
        let applies = step["if"]
            .as_str()
            .is_none_or(|condition| condition_holds(condition, &inputs));
        if !applies {
            continue;
        }
        let Some(script) = step["run"].as_str() else {
            panic!("a `uses` step ran with install=none: {step}");
        };
        assert_eq!(step["shell"], "bash");
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(workspace)
            .env("PATH", &path)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("RUNNER_TEMP", temp.path());
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(key, expand(value.as_str().expect("env value"), &inputs));
            }
        }
        let out = command.output().expect("bash");
        run.stdout.push_str(&String::from_utf8_lossy(&out.stdout));
        run.stderr.push_str(&String::from_utf8_lossy(&out.stderr));
        run.code = out.status.code().unwrap_or(-1);
        if run.code != 0 {
            break;
        }
    }
    run.outputs = std::fs::read_to_string(&output_file).unwrap_or_default();
    run.summary = std::fs::read_to_string(&summary_file).unwrap_or_default();
    run
}

#[test]
fn action_steps_produce_annotations_summary_outputs_and_sarif() {
    if !client_available("python3 with PyYAML", &["python3", "-c", "import yaml"]) {
        return;
    }
    // A git work tree whose app is otherwise in order: one error, one warning.
    let workspace = repo(&[
        ("app/.git/HEAD", "ref: refs/heads/main\n"),
        (
            "app/server.js",
            "app.listen(3000);\nprocess.on('SIGTERM', () => process.exit(0));\n",
        ),
        ("app/.env", "SECRET=abc123\n"),
        (
            "app/package.json",
            "{\"scripts\": {\"start\": \"node server.js\"}, \"engines\": {\"node\": \"22.x\"}}\n",
        ),
        ("app/package-lock.json", "{\"lockfileVersion\": 3}\n"),
    ]);
    let run = run_action(workspace.path(), &[("path", "app"), ("install", "none")]);
    assert_eq!(
        run.code, 1,
        "an error-level finding fails the step: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("::error file=server.js,line=1,col=12,endLine=1,endColumn=16,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("::warning file=.env,line=1,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("scanned 3 files"),
        "text report in the log: {}",
        run.stdout
    );
    let outputs: Vec<&str> = run.outputs.lines().collect();
    assert_eq!(
        outputs,
        [
            "findings=2",
            "errors=1",
            "verdicts={\"scalingo\":\"blocked\",\"clever-cloud\":\"blocked\",\"scaleway\":\"blocked\"}",
            "sarif-file=twelve.sarif"
        ]
    );
    assert!(
        run.summary
            .contains("| error | `hardcoded-port` | 7 | server.js:1 |"),
        "{}",
        run.summary
    );
    let sarif = std::fs::read_to_string(workspace.path().join("twelve.sarif")).expect("sarif");
    let sarif: Value = serde_json::from_str(&sarif).expect("sarif json");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );

    let run = run_action(
        workspace.path(),
        &[
            ("path", "app"),
            ("install", "none"),
            ("fail-on", "never"),
            ("sarif-file", "out.sarif"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.outputs.contains("sarif-file=out.sarif"),
        "{}",
        run.outputs
    );
    assert!(workspace.path().join("out.sarif").is_file());
}

#[test]
fn action_stops_on_a_usage_error() {
    if !client_available("python3 with PyYAML", &["python3", "-c", "import yaml"]) {
        return;
    }
    let workspace = repo(&[("server.js", "app.listen(process.env.PORT);\n")]);
    let run = run_action(
        workspace.path(),
        &[("install", "none"), ("diff-base", "main")],
    );
    assert_eq!(run.code, 2, "not a git repository: {}", run.stdout);
    assert!(!run.outputs.contains("findings="), "{}", run.outputs);
}

#[test]
fn every_input_reaches_the_run_step() {
    let text = std::fs::read_to_string(ACTION).expect("action.yml");
    for input in [
        "path",
        "platforms",
        "fail-on",
        "config",
        "baseline",
        "diff-base",
        "sarif-file",
    ] {
        let env = format!(
            "INPUT_{}: ${{{{ inputs.{input} }}}}",
            input.to_uppercase().replace('-', "_")
        );
        assert!(text.contains(&env), "{env}");
        let var = format!("\"$INPUT_{}\"", input.to_uppercase().replace('-', "_"));
        assert!(text.contains(&var), "{var} unused");
    }
}
