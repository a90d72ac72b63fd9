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

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_shown_losslessly_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo(&[]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.js");
    std::fs::write(dir.path().join(name), PORT).expect("write");
    for format in [
        "text", "concise", "json", "sarif", "github", "gitlab", "markdown",
    ] {
        let (_, stdout, _) = run(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
        );
        let expected = match format {
            // JSON escapes the backslash; Markdown escapes it too, so that it renders as `\`.
            "json" | "gitlab" | "markdown" => "caf\\\\xE9.js",
            "sarif" => "caf%5CxE9.js",
            _ => "caf\\xE9.js",
        };
        assert!(stdout.contains(expected), "{format}: {stdout}");
        assert!(!stdout.contains('\u{FFFD}'), "{format}: {stdout}");
    }
}

#[test]
fn concise_format_is_one_clickable_line_per_finding() {
    let dir = repo(&[
        ("backend/server.js", PORT),
        ("backend/.env", "SECRET=abc123\n"),
    ]);
    let (code, stdout, _) = run(dir.path(), &["check", "backend", "--format", "concise"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "backend/.env:1:1: committed-dotenv this environment file holds values and is not ignored by git"
    );
    assert!(
        lines[1].starts_with("backend/server.js:1:12: hardcoded-port the server listens"),
        "{stdout}"
    );
    assert!(
        lines.last().expect("summary").starts_with("scanned "),
        "{stdout}"
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = repo(&[("a.js", PORT), ("b.js", PORT), (".env", "SECRET=abc123\n")]);
    let (code, stdout, _) = run(
        dir.path(),
        &["check", "--statistics", "--portability", "off"],
    );
    assert_eq!(code, 1, "the exit code still follows the findings");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("    2  hardcoded-port"), "{stdout}");
    assert!(lines[1].contains("committed-dotenv"), "{stdout}");
    let (code, _, stderr) = run(dir.path(), &["check", "--statistics", "--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn completions_and_man_page_are_generated() {
    let dir = repo(&[]);
    for (shell, marker) in [
        ("bash", "_twelve()"),
        ("zsh", "#compdef twelve"),
        ("fish", "complete -c twelve"),
    ] {
        let (code, stdout, _) = run(dir.path(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(stdout.contains(marker), "{shell}: {stdout}");
        assert!(
            stdout.contains("show-config"),
            "{shell} completes check's options"
        );
    }
    let (code, stdout, _) = run(dir.path(), &["man"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(".TH twelve 1"), "{stdout}");
    assert!(stdout.contains(".SH SUBCOMMANDS"), "{stdout}");
    let (code, stdout, _) = run(dir.path(), &["man", "check"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(".TH twelve-check 1"), "{stdout}");
    assert!(stdout.contains("\\-\\-show\\-config"), "{stdout}");
    assert_eq!(run(dir.path(), &["man", "nope"]).0, 2);
    let (code, _, _) = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
}

/// Colours with `--color auto` need a terminal: `script` gives the binary one.
fn on_a_terminal(dir: &std::path::Path, env: &[(&str, &str)]) -> Option<String> {
    let command = format!("{} check --portability off", env!("CARGO_BIN_EXE_twelve"));
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .envs(env.iter().copied())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_follows_no_color_and_term() {
    let dir = repo(&[("server.js", PORT)]);
    if !common::client_available("script (util-linux)", &["script", "--version"]) {
        return;
    }
    let plain = on_a_terminal(dir.path(), &[]).expect("script");
    assert!(plain.contains("\u{1b}["), "colours on a terminal: {plain}");
    let empty = on_a_terminal(dir.path(), &[("NO_COLOR", "")]).expect("script");
    assert!(
        empty.contains("\u{1b}["),
        "an empty NO_COLOR is unset (no-color.org): {empty}"
    );
    let set = on_a_terminal(dir.path(), &[("NO_COLOR", "1")]).expect("script");
    assert!(!set.contains("\u{1b}["), "{set}");
    let dumb = on_a_terminal(dir.path(), &[("TERM", "dumb")]).expect("script");
    assert!(!dumb.contains("\u{1b}["), "{dumb}");
}

#[test]
fn text_wraps_at_the_width_of_columns() {
    let dir = repo(&[(
        "package.json",
        "{\"scripts\": {\"start\": \"node server.js\"}}\n",
    )]);
    let widest = |columns: &str| {
        let (_, stdout, _) = common::run_env(
            dir.path(),
            &["check", "--color", "never", "--portability", "off"],
            &[("COLUMNS", columns)],
        );
        stdout.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    };
    assert!(widest("60") <= 60, "{}", widest("60"));
    assert!(widest("200") > 60);
}
