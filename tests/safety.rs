//! twelve runs on repositories it does not trust, and its output goes to public CI
//! logs: it never prints a secret it found, never lets scanned text drive a terminal or
//! forge CI output, never runs repository code, and never reads without end.

mod common;

use common::{git, git_repo, repo, run, run_env, work_tree, write_files};
use std::path::Path;

/// A reproducible string of `len` characters from `alphabet` (xorshift, seeded).
fn random(alphabet: &str, len: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chars[(state % chars.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &str = "0123456789abcdef";
const UPPER32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LOWER_NUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A planted secret: the file and line that hold it, the rule that must find it, and
/// the part of the value that must never be printed (its random part).
struct Planted {
    file: &'static str,
    line: String,
    rule: &'static str,
    hidden: String,
}

/// One secret of every kind the rules find: each provider format of `hardcoded-secret`,
/// each pattern of `hardcoded-credential` and `signing-secret-literal`, a password in a
/// backing-service URL, and a value in a committed `.env`. In each line,
/// `{seed:ALPHABET:len}` is a random part that must never be printed (from the first
/// such part to the last), `[seed:ALPHABET:len]` one that may be (a Sentry key's public
/// half). One line each, as a table.
#[rustfmt::skip]
const PLANTED: &[(&str, &str, &str)] = &[
    ("src/keys.js", "hardcoded-secret", "const a = 'AKIA{1:UPPER32:16}';"),
    ("src/keys.js", "hardcoded-secret", "const b = 'ghp_{2:ALNUM:36}';"),
    ("src/keys.js", "hardcoded-secret", "const c = 'glpat-{3:ALNUM:20}';"),
    ("src/keys.js", "hardcoded-secret", "const d = 'xoxb-{4:ALNUM:24}';"),
    ("src/keys.js", "hardcoded-secret", "const e = 'https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/{5:ALNUM:24}';"),
    ("src/keys.js", "hardcoded-secret", "const f = 'sk_live_{6:ALNUM:24}';"),
    ("src/keys.js", "hardcoded-secret", "const g = 'SG.{7:ALNUM:22}.{8:ALNUM:43}';"),
    ("src/keys.js", "hardcoded-secret", "const h = 'xkeysib-{9:HEX:64}-{10:ALNUM:16}';"),
    ("src/keys.js", "hardcoded-secret", "const i = 'key-{11:HEX:32}';"),
    ("src/keys.js", "hardcoded-secret", "const j = 'SK{12:HEX:32}';"),
    ("src/keys.js", "hardcoded-secret", "const k = 'AIza{13:ALNUM:35}';"),
    ("src/keys.js", "hardcoded-secret", "const l = 'tk-us-{14:ALNUM:48}';"),
    ("src/keys.js", "hardcoded-secret", "const m = 'HRKU-AA{15:ALNUM:58}';"),
    ("src/keys.js", "hardcoded-secret", "const n = 'npm_{16:ALNUM:36}';"),
    ("src/keys.js", "hardcoded-secret", "const o = { aws_secret_access_key: '{17:B64:40}' };"),
    ("src/keys.js", "hardcoded-secret", "const p = 'glrt-{18:ALNUM:24}';"),
    ("src/keys.js", "hardcoded-secret", "const q = 'xapp-1-A0123ABCD-2938475610293-{19:LOWER_NUM:40}';"),
    ("src/keys.js", "hardcoded-secret", "const r = 'whsec_{20:ALNUM:32}';"),
    ("src/keys.js", "hardcoded-secret", "const t = { MJ_APIKEY_PRIVATE: '{21:HEX:32}' };"),
    ("src/keys.js", "hardcoded-secret", "const u = { TWILIO_AUTH_TOKEN: '{22:HEX:32}' };"),
    ("src/keys.js", "hardcoded-secret", "const v = 'https://[23:HEX:32]:{24:HEX:32}@o1.ingest.sentry.io/42';"),
    ("src/keys.js", "hardcoded-secret", "const w = 'DefaultEndpointsProtocol=https;AccountKey={25:ALNUM:86}==';"),
    ("src/keys.js", "hardcoded-secret", "const x = 'dop_v1_{26:HEX:64}';"),
    ("src/keys.js", "hardcoded-secret", "const y = 'sk-proj-{27:ALNUM:24}T3BlbkFJ{28:ALNUM:24}';"),
    ("src/keys.js", "hardcoded-secret", "const z = 'sk-ant-api03-{29:ALNUM:90}';"),
    ("src/keys.js", "hardcoded-secret", "const aa = 'shpat_{30:HEX:32}';"),
    ("src/keys.js", "hardcoded-secret", "const ab = 'pypi-AgEIcHlwaS5vcmc{31:ALNUM:60}';"),
    ("src/keys.js", "hardcoded-secret", "const ac = { TELEGRAM_BOT_TOKEN: '538291746:AA{32:ALNUM:33}' };"),
    ("config/sa.json", "hardcoded-secret", "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{33:B64:64}\\n-----END PRIVATE KEY-----\\n\"}"),
    ("app/settings.py", "hardcoded-credential", "DB_PASSWORD = \"{40:ALNUM:14}\""),
    ("app/geo.py", "hardcoded-credential", "geocoder_api_key = \"{41:ALNUM:32}\""),
    ("config/app.yml", "hardcoded-credential", "mailer_password: {42:ALNUM:14}"),
    ("config/app.properties", "hardcoded-credential", "service.token={43:ALNUM:24}"),
    ("web/settings.py", "signing-secret-literal", "SECRET_KEY = \"{50:ALNUM:40}\""),
    ("src/session.js", "signing-secret-literal", "app.use(session({ secret: '{51:ALNUM:20}' }));"),
    ("src/token.js", "signing-secret-literal", "const t = jwt.sign(payload, '{52:ALNUM:20}');"),
    ("config/secrets.yml", "signing-secret-literal", "production:\n  secret_key_base: {53:HEX:64}"),
    ("src/db.js", "backing-service-url", "const db = 'postgres://app:{60:ALNUM:16}@db.internal:5432/app';"),
    (".env", "committed-dotenv", "SESSION_TOKEN={61:ALNUM:24}"),
];

fn secrets() -> Vec<Planted> {
    PLANTED
        .iter()
        .map(|&(file, rule, template)| {
            let (line, hidden) = expand(template);
            Planted {
                file,
                line,
                rule,
                hidden,
            }
        })
        .collect()
}

/// The line a template stands for, and its hidden part.
fn expand(template: &str) -> (String, String) {
    let mut line = String::new();
    let mut hidden = (usize::MAX, 0);
    let mut rest = template;
    while let Some(open) = rest.find(['{', '[']) {
        line.push_str(&rest[..open]);
        let close = if rest[open..].starts_with('{') {
            '}'
        } else {
            ']'
        };
        let random = rest[open + 1..]
            .split_once(close)
            .and_then(|(spec, after)| {
                let mut fields = spec.split(':');
                let seed = fields.next()?.parse().ok()?;
                let alphabet = match fields.next()? {
                    "ALNUM" => ALNUM,
                    "HEX" => HEX,
                    "UPPER32" => UPPER32,
                    "LOWER_NUM" => LOWER_NUM,
                    "B64" => B64,
                    _ => return None,
                };
                let len = fields.next()?.parse().ok()?;
                Some((random(alphabet, len, seed), after))
            });
        let Some((value, after)) = random else {
            line.push_str(&rest[open..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        if close == '}' {
            hidden = (hidden.0.min(line.len()), line.len() + value.len());
        }
        line.push_str(&value);
        rest = after;
    }
    line.push_str(rest);
    let hidden = line.get(hidden.0..hidden.1).unwrap_or_default().to_string();
    assert!(!hidden.is_empty(), "no hidden part in {template}");
    (line, hidden)
}

/// A repository holding every planted secret, one per line.
fn secrets_repo(planted: &[Planted]) -> tempfile::TempDir {
    let mut files: std::collections::BTreeMap<&str, String> = Default::default();
    for p in planted {
        let text = files.entry(p.file).or_default();
        text.push_str(&p.line);
        text.push('\n');
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(k, v)| (*k, v.as_str())).collect();
    work_tree(&files)
}

/// Every window of 6 characters of the hidden part: the mask shows at most 4.
fn leaks<'a>(output: &str, planted: &'a [Planted]) -> Vec<&'a str> {
    planted
        .iter()
        .filter(|p| {
            let chars: Vec<char> = p.hidden.chars().collect();
            chars
                .windows(6)
                .any(|w| output.contains(&w.iter().collect::<String>()))
        })
        .map(|p| p.hidden.as_str())
        .collect()
}

const FORMATS: [&str; 6] = ["text", "json", "sarif", "github", "markdown", "gitlab"];

#[test]
fn no_output_format_prints_a_planted_secret() {
    let planted = secrets();
    let dir = secrets_repo(&planted);
    // Each planted secret is found: the test would pass vacuously otherwise.
    let (_, json, stderr) = run(dir.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect(&stderr);
    let findings = doc["findings"].as_array().expect("findings");
    for p in &planted {
        let line = p.line.lines().count();
        let before: usize = planted
            .iter()
            .take_while(|q| !std::ptr::eq(*q, p))
            .filter(|q| q.file == p.file)
            .map(|q| q.line.lines().count())
            .sum();
        let found = findings
            .iter()
            .any(|f| f["file"] == p.file && f["rule"] == p.rule && f["line"] == before + line);
        assert!(found, "{} not found in {}: {json}", p.rule, p.line);
    }
    let summary = dir.path().join("summary.md");
    for format in FORMATS {
        let (_, out, err) = run_env(
            dir.path(),
            &["check", "--format", format, "--color", "always"],
            &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))],
        );
        assert_eq!(
            leaks(&out, &planted),
            Vec::<&str>::new(),
            "--format {format}:\n{out}"
        );
        assert_eq!(leaks(&err, &planted), Vec::<&str>::new(), "{err}");
    }
    let job_summary = std::fs::read_to_string(&summary).expect("job summary");
    assert_eq!(
        leaks(&job_summary, &planted),
        Vec::<&str>::new(),
        "{job_summary}"
    );
    let (_, _, _) = run(dir.path(), &["check", "--write-baseline", "base.json"]);
    let baseline = std::fs::read_to_string(dir.path().join("base.json")).expect("baseline");
    assert_eq!(leaks(&baseline, &planted), Vec::<&str>::new());
    assert!(json.contains("sk_l****"), "the mask keeps a prefix: {json}");

    // --show-secrets prints them: the check above can see a leak.
    let (_, shown, _) = run(dir.path(), &["check", "--format", "json", "--show-secrets"]);
    let visible = leaks(&shown, &planted).len();
    assert_eq!(visible, planted.len(), "{shown}");
}

#[test]
fn fingerprints_do_not_depend_on_the_hidden_part_of_a_secret() {
    let fingerprint = |key: &str| {
        let dir = work_tree(&[("src/pay.js", &format!("stripe('sk_live_{key}');\n"))]);
        let (_, json, _) = run(
            dir.path(),
            &["check", "--format", "json", "--select", "hardcoded-secret"],
        );
        let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
        doc["findings"][0]["fingerprint"]
            .as_str()
            .expect("a finding")
            .to_string()
    };
    assert_eq!(
        fingerprint(&random(ALNUM, 24, 1)),
        fingerprint(&random(ALNUM, 24, 2))
    );
}

#[test]
fn terminal_escapes_and_bidi_controls_are_shown_escaped() {
    let dir = work_tree(&[
        (
            "server.js",
            "const t = '\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m'; app.listen(3000);\n",
        ),
        (
            "src/access.js",
            "/*\u{202e} } \u{2066}if (isAdmin)\u{2069} \u{2066} begin admins only */\n",
        ),
        ("tests/sample.js", "const s = '\u{202e}';\n"),
    ]);
    for format in ["text", "github", "markdown"] {
        let (_, out, _) = run(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
        );
        assert!(
            !out.contains([
                '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{2069}'
            ]),
            "--format {format}: {out:?}"
        );
        assert!(out.contains("bidi-control-character"), "{out}");
    }
    // The scanned repository's twelve.toml is shown in error messages.
    let hostile = work_tree(&[(
        "twelve.toml",
        "select = [\"hard\u{1b}]0;pwned\u{7}coded\"]\n",
    )]);
    let (code, _, err) = run(hostile.path(), &["check", "--color", "never"]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
    let (_, text, _) = run(dir.path(), &["check", "--color", "never"]);
    assert!(
        text.contains("\\x1b]0;pwned\\x07\\x1b[2J\\u{9b}31m"),
        "{text}"
    );
    assert!(
        text.contains("/*\\u{202e} } \\u{2066}if (isAdmin)\\u{2069}"),
        "{text}"
    );
    let (_, json, _) = run(dir.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    let bidi: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "bidi-control-character")
        .map(|f| f["file"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(bidi, ["src/access.js"], "production files only: {json}");
}

/// File names and content that try to forge workflow commands, Markdown, HTML or
/// SARIF structure.
const HOSTILE: [&str; 4] = [
    "evil\n::error file=forged.js,line=1::forged annotation\n.js",
    "a%0A::warning::x%25.js",
    "cell|break<script>alert(1)<.js",
    "[link](javascript:alert(1))`x`.js",
];

fn hostile_repo() -> tempfile::TempDir {
    let content = "app.listen(3000); // ::error::from content %0A <script>alert(1)</script> | a\n";
    let files: Vec<(&str, &str)> = HOSTILE.iter().map(|name| (*name, content)).collect();
    work_tree(&files)
}

#[test]
fn hostile_names_cannot_forge_workflow_commands() {
    let dir = hostile_repo();
    let summary = dir.path().join("summary.md");
    let (_, out, _) = run_env(
        dir.path(),
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        HOSTILE.len() + 1,
        "one line per finding: {out}"
    );
    for line in &lines {
        let ours = [
            "::error file=",
            "::warning file=",
            "::notice file=",
            "twelve: ",
        ];
        assert!(ours.iter().any(|p| line.starts_with(p)), "{line}");
        assert!(!line.contains("\u{1b}"));
    }
    // The runner splits properties on `,` and ends them at `::`: a name cannot add one.
    for line in &lines[..HOSTILE.len()] {
        let command = line.strip_prefix("::").expect("a command");
        let (_, rest) = command.split_once(' ').expect("properties");
        let properties = rest.split("::").next().expect("properties");
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split('=').next().unwrap_or(""))
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
    }
    let job_summary = std::fs::read_to_string(&summary).expect("job summary");
    assert_markdown_is_inert(&job_summary);
}

/// No HTML tag, link or image opens, and every table row keeps its columns.
fn assert_markdown_is_inert(markdown: &str) {
    assert!(!markdown.contains("<script"), "{markdown}");
    assert!(!markdown.contains("]("), "{markdown}");
    for row in markdown.lines().filter(|l| l.starts_with('|')) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 6, "{row}");
    }
}

#[test]
fn hostile_names_cannot_break_markdown_or_sarif() {
    let dir = hostile_repo();
    let (_, markdown, _) = run(dir.path(), &["check", "--format", "markdown"]);
    assert_markdown_is_inert(&markdown);
    assert_eq!(markdown.matches("\n| warning |").count(), 0);
    assert_eq!(
        markdown
            .lines()
            .filter(|l| l.starts_with("| error |"))
            .count(),
        HOSTILE.len()
    );

    let (_, sarif, _) = run(dir.path(), &["check", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&sarif).expect("valid SARIF JSON");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), HOSTILE.len());
    let mut uris: Vec<String> = results
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "{uri}");
            percent_decode(uri)
        })
        .collect();
    uris.sort();
    let mut names: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    names.sort();
    assert_eq!(uris, names, "each URI names its file exactly");

    let (_, text, _) = run(dir.path(), &["check", "--color", "never"]);
    assert!(text.contains("evil\\x0a::error file=forged.js"), "{text}");
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("::")),
        "{text}"
    );
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// A repository whose hooks, scripts, build files and git settings would each leave a
/// mark if anything ran them.
#[test]
fn repository_code_is_never_run() {
    let marks = tempfile::tempdir().expect("marks dir");
    let mark = |name: &str| marks.path().join(name).display().to_string();
    let package = format!(
        "{{\"scripts\": {{\"postinstall\": \"touch {}\", \"preinstall\": \"touch {}\", \"prepare\": \"touch {}\", \"start\": \"touch {} && node server.js\"}}}}\n",
        mark("postinstall"),
        mark("preinstall"),
        mark("prepare"),
        mark("start")
    );
    let makefile = format!("all:\n\ttouch {}\n", mark("make"));
    let setup = format!("import os\nos.system('touch {}')\n", mark("setup-py"));
    let gradlew = format!("#!/bin/sh\ntouch {}\n", mark("gradlew"));
    let dir = git_repo(&[
        ("package.json", &package),
        ("Makefile", &makefile),
        ("setup.py", &setup),
        ("gradlew", &gradlew),
        ("server.js", "app.listen(3000);\n"),
        (
            "Procfile",
            &format!("web: touch {} && node server.js\n", mark("procfile")),
        ),
    ]);
    let hook = format!("#!/bin/sh\ntouch {}\n", mark("hook"));
    for name in [
        "pre-commit",
        "post-checkout",
        "post-merge",
        "pre-push",
        "post-index-change",
        "fsmonitor-watchman",
    ] {
        let path = dir.path().join(".git/hooks").join(name);
        std::fs::write(&path, &hook).expect("hook");
        make_executable(&path);
    }
    let monitor = dir.path().join("monitor.sh");
    std::fs::write(
        &monitor,
        format!("#!/bin/sh\ntouch {}\n", mark("fsmonitor")),
    )
    .expect("monitor");
    make_executable(&monitor);
    git(
        dir.path(),
        &["config", "core.fsmonitor", &monitor.display().to_string()],
    );
    git(
        dir.path(),
        &[
            "config",
            "core.pager",
            &format!("touch {}; cat", mark("pager")),
        ],
    );
    git(
        dir.path(),
        &["config", "diff.external", &monitor.display().to_string()],
    );
    write_files(dir.path(), &[("server.js", "app.listen(4000);\n")]);

    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["check", "--diff-base", "HEAD"],
        vec!["check", "server.js", "package.json"],
        vec!["init", "--platform", "scalingo"],
    ] {
        run(dir.path(), &args);
    }
    let left: Vec<String> = std::fs::read_dir(marks.path())
        .expect("marks")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "repository code ran: {left:?}");
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Files of a kernel file system report size 0 and may never end; the size limit
/// still applies. Scanning such a tree asked for explicitly stays small and ends.
#[cfg(target_os = "linux")]
#[test]
fn a_procfs_root_is_read_with_the_size_limit() {
    let (code, out, err) = run(
        Path::new("/"),
        &["check", "/proc/self", "--format", "json", "--threads", "1"],
    );
    assert!(code == 0 || code == 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(doc["summary"]["files_skipped"].is_object(), "{out}");
}

/// A procfs mount inside the scanned tree is never entered, and is counted. Mounting
/// needs root and a kernel that allows it: elsewhere the test says it is skipped.
#[cfg(target_os = "linux")]
#[test]
fn a_procfs_mount_inside_the_tree_is_not_entered() {
    let dir = repo(&[("server.js", "app.listen(3000);\n")]);
    let proc_dir = dir.path().join("proc");
    std::fs::create_dir(&proc_dir).expect("mkdir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "proc", "proc"])
        .arg(&proc_dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount procfs here (needs root and CAP_SYS_ADMIN)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&proc_dir);
    for crossing in [&[][..], &["--no-one-file-system"][..]] {
        let mut args = vec!["check", ".", "--format", "json"];
        args.extend_from_slice(crossing);
        let (_, out, err) = run(dir.path(), &args);
        let doc: serde_json::Value = serde_json::from_str(&out).expect(&err);
        assert_eq!(
            doc["summary"]["files_skipped"]["pseudo-file-system"], 1,
            "{out}"
        );
        assert_eq!(doc["summary"]["files_scanned"], 1, "{out}");
    }
}

/// /dev holds devices (never read) and, on Linux, mounts of its own (/dev/pts,
/// /dev/shm): both are skipped and counted.
#[cfg(target_os = "linux")]
#[test]
fn devices_and_mounts_are_skipped_and_counted() {
    let (_, out, err) = run(Path::new("/"), &["check", "/dev", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect(&err);
    let skipped = &doc["summary"]["files_skipped"];
    assert!(skipped["special-file"].as_u64().unwrap_or(0) > 0, "{out}");
    let mounts = skipped["pseudo-file-system"].as_u64().unwrap_or(0)
        + skipped["other-file-system"].as_u64().unwrap_or(0);
    let pts = std::fs::metadata("/dev/pts").ok();
    let dev = std::fs::metadata("/dev").ok();
    let pts_is_a_mount = {
        use std::os::unix::fs::MetadataExt as _;
        pts.zip(dev).is_some_and(|(p, d)| p.dev() != d.dev())
    };
    if pts_is_a_mount {
        assert!(mounts > 0, "{out}");
    }
}
