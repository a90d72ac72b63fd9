//! Command-line conventions users expect from a linter: configuration found as ruff
//! finds it, `--show-config`, paths from the current directory.

mod common;

use common::{run, work_tree as repo};

const PORT: &str = "app.listen(3000);\n";

#[test]
fn config_is_found_from_a_subfolder_up_to_the_repository_root() {
    let dir = repo(&[
        ("twelve.toml", "ignore = [\"hardcoded-port\"]\n"),
        ("src/worker.js", PORT),
    ]);
    // `twelve check src` now honours ./twelve.toml, as `twelve check src/worker.js` did.
    for target in ["src", "src/worker.js"] {
        let (code, stdout, stderr) = run(dir.path(), &["check", target, "--format", "json"]);
        assert_eq!(code, 0, "{target}: {stdout}{stderr}");
        assert!(!stdout.contains("hardcoded-port"), "{target}: {stdout}");
    }
    // From inside the subfolder too.
    let (code, stdout, _) = run(&dir.path().join("src"), &["check"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn the_nearest_config_wins_and_dotted_names_count() {
    let dir = repo(&[
        ("twelve.toml", "ignore = [\"hardcoded-port\"]\n"),
        ("api/.twelve.toml", "fail-on = \"never\"\n"),
        ("api/server.js", PORT),
    ]);
    let (_, stdout, _) = run(dir.path(), &["check", "api", "--show-config"]);
    assert!(stdout.contains("api/.twelve.toml"), "{stdout}");
    assert!(stdout.contains("fail-on = \"never\""), "{stdout}");
    assert!(
        stdout.contains("ignore = []"),
        "the nearest file alone applies: {stdout}"
    );
}

#[test]
fn a_config_above_the_repository_is_not_used() {
    let outer = tempfile::tempdir().expect("temp");
    std::fs::write(
        outer.path().join("twelve.toml"),
        "ignore = [\"hardcoded-port\"]\n",
    )
    .unwrap();
    common::write_files(
        &outer.path().join("app"),
        &[(".git/HEAD", ""), ("server.js", PORT)],
    );
    let (code, stdout, _) = run(&outer.path().join("app"), &["check"]);
    assert_eq!(code, 1, "{stdout}");
}

#[test]
fn show_config_prints_the_settings_in_force_and_does_not_scan() {
    let dir = repo(&[
        (
            "twelve.toml",
            "fail-on = \"warning\"\n[severity]\nlog-to-file = \"note\"\n",
        ),
        ("server.js", PORT),
    ]);
    let (code, stdout, _) = run(
        dir.path(),
        &["check", "--show-config", "--ignore", "hardcoded-port"],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("# twelve: configuration from "),
        "{stdout}"
    );
    assert!(
        stdout.contains("twelve.toml, with the command line's options"),
        "{stdout}"
    );
    assert!(stdout.contains("fail-on = \"warning\""), "{stdout}");
    assert!(stdout.contains("ignore = [\"hardcoded-port\"]"), "{stdout}");
    assert!(
        stdout.contains("[severity]\nlog-to-file = \"note\""),
        "{stdout}"
    );
    assert!(!stdout.contains("scanned"), "{stdout}");
    let bare = repo(&[]);
    let (_, stdout, _) = run(bare.path(), &["check", "--show-config"]);
    assert!(
        stdout.starts_with("# twelve: no configuration file: defaults"),
        "{stdout}"
    );
}

#[test]
fn paths_with_different_configs_are_an_error() {
    let dir = repo(&[
        ("a/twelve.toml", "fail-on = \"never\"\n"),
        ("a/x.js", PORT),
        ("b/x.js", PORT),
    ]);
    let (code, _, stderr) = run(dir.path(), &["check", "a", "b"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("different configuration files"), "{stderr}");
}

#[test]
fn text_paths_are_relative_to_the_current_directory() {
    let dir = repo(&[("backend/server.js", PORT)]);
    let (_, stdout, _) = run(dir.path(), &["check", "backend", "--color", "never"]);
    assert!(stdout.contains("[backend/server.js:1:12]"), "{stdout}");
    let (_, stdout, _) = run(&dir.path().join("backend"), &["check", "--color", "never"]);
    assert!(stdout.contains("[server.js:1:12]"), "{stdout}");
}
