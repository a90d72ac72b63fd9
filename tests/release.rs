//! The release workflow's Build and Package steps, run locally for the host target as
//! the workflow runs them on each platform: a release build, the archive and its
//! SHA-256, checked with `sha256sum --check`, and the packed binary answering. Its
//! build shares pre-commit's release target folder (`<target>/pre-commit`).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn workflow() -> Value {
    let text =
        std::fs::read_to_string(Path::new(MANIFEST_DIR).join(".github/workflows/release.yml"))
            .expect("release.yml");
    serde_norway::from_str(&text).expect("release.yml is YAML")
}

fn host_target() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host line")
        .to_string()
}

#[test]
fn release_builds_every_platform_the_action_downloads() {
    let workflow = workflow();
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("matrix")
        .iter()
        .filter_map(|entry| entry["target"].as_str())
        .collect();
    let install = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("action/install.sh"))
        .expect("install.sh");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "{target} not built");
    }
    for triple in [
        "unknown-linux-musl",
        "apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            install.contains(triple),
            "the action does not download {triple}"
        );
    }
}

#[test]
fn build_and_package_steps_run_for_the_host_target() {
    let workflow = workflow();
    let target = host_target();
    let bin = Path::new(env!("CARGO_BIN_EXE_twelve"));
    let cargo_target = bin
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("pre-commit");
    let out_dir = Path::new(MANIFEST_DIR).join("dist/out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let steps = workflow["jobs"]["build"]["steps"]
        .as_array()
        .expect("steps");
    for name in ["Build", "Package"] {
        let step = steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name} step"));
        assert_eq!(step["shell"], "bash");
        let script = step["run"].as_str().expect("run");
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(MANIFEST_DIR)
            .env("TARGET", &target)
            .env("CARGO_TARGET_DIR", &cargo_target)
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let archive = format!("twelve-{target}.tar.gz");
    let check = Command::new("sha256sum")
        .args(["--check", &format!("{archive}.sha256")])
        .current_dir(&out_dir)
        .output()
        .expect("sha256sum");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let unpacked = tempfile::tempdir().expect("temp");
    let tar = Command::new("tar")
        .arg("-xzf")
        .arg(out_dir.join(&archive))
        .arg("-C")
        .arg(unpacked.path())
        .status()
        .expect("tar");
    assert!(tar.success());
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "README.md"] {
        assert!(unpacked.path().join(file).is_file(), "{file} not packed");
    }
    let version = Command::new(unpacked.path().join("twelve"))
        .arg("--version")
        .output()
        .expect("packed twelve runs");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("twelve {}", env!("CARGO_PKG_VERSION"))
    );
    let _ = std::fs::remove_dir_all(&out_dir);
}
