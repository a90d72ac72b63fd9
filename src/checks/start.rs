//! How an app declares its processes: the Procfile, package.json's start script and the
//! Dockerfile's `CMD`/`ENTRYPOINT`, with the byte offset of each command in its file.

use super::build_run::runs_dev_server;
use super::command::segments;
use crate::repo::{COMPOSE_FILES, RepoFacts, START_SCRIPTS};
use std::sync::LazyLock;

/// One `type: command` line of a Procfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessDecl {
    pub name: String,
    pub command: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the command in the file.
    pub offset: usize,
}

/// Parses a Procfile the way Scalingo does: `<type>: <command>`, type names made of
/// ASCII letters and digits; blank lines, comments and malformed lines are skipped.
pub fn parse_procfile(text: &[u8]) -> Vec<ProcessDecl> {
    let mut offset = 0;
    let mut decls = Vec::new();
    for (i, raw) in text.split_inclusive(|b| *b == b'\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        let line = String::from_utf8_lossy(raw);
        let Some((name, command)) = line.split_once(':') else {
            continue;
        };
        let trimmed = name.trim();
        if !valid_process_name(trimmed) {
            continue;
        }
        let leading = command.len() - command.trim_start().len();
        decls.push(ProcessDecl {
            name: trimmed.to_string(),
            command: command.trim().to_string(),
            line: i + 1,
            offset: line_start + name.len() + 1 + leading,
        });
    }
    decls
}

/// Lines of a Procfile that are not blank, not a `#` comment and not a valid
/// declaration, as (1-based line, reason): Scalingo skips them, so the process they
/// meant to declare never runs.
pub fn procfile_problems(text: &[u8]) -> Vec<(usize, &'static str)> {
    let text = String::from_utf8_lossy(text);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return None;
            }
            let reason = match line.split_once(':') {
                None => "has a line with no `type: command` separator",
                Some((name, _)) if !valid_process_name(name.trim()) => {
                    "has a process type that Scalingo does not accept (1 to 24 ASCII letters and digits)"
                }
                Some((_, command)) if command.trim().is_empty() => {
                    "has a process type with no command"
                }
                Some(_) => return None,
            };
            Some((i + 1, reason))
        })
        .collect()
}

fn valid_process_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 24 && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What package.json says about starting the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeStart {
    pub start_script: Option<String>,
    /// `scripts.prestart`, which `npm start` runs first.
    pub prestart_script: Option<String>,
    /// `scripts.build`: a frontend that only builds static files declares this.
    pub build_script: Option<String>,
    pub main: Option<String>,
    /// `engines.node`.
    pub engines_node: Option<String>,
    /// Whether `dependencies` or `devDependencies` name any package.
    pub has_dependencies: bool,
}

/// Reads `scripts.start` and `main` from package.json; `Err` when it is not valid JSON.
pub fn node_start(package_json: &[u8]) -> Result<NodeStart, String> {
    let value: serde_json::Value =
        serde_json::from_slice(package_json).map_err(|e| e.to_string())?;
    let text = |v: Option<&serde_json::Value>| {
        v.and_then(|s| s.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let non_empty = |key: &str| {
        value
            .get(key)
            .and_then(|d| d.as_object())
            .is_some_and(|d| !d.is_empty())
    };
    Ok(NodeStart {
        start_script: text(value.pointer("/scripts/start")),
        prestart_script: text(value.pointer("/scripts/prestart")),
        build_script: text(value.pointer("/scripts/build")),
        main: text(value.get("main")),
        engines_node: text(value.pointer("/engines/node")),
        has_dependencies: non_empty("dependencies") || non_empty("devDependencies"),
    })
}

/// The package.json script that `segment` runs by name (`npm run dev`, `yarn dev`,
/// `pnpm run serve`), other than `start`, which the start commands read already.
pub fn named_script(facts: &RepoFacts, segment: &str) -> Option<String> {
    let words: Vec<&str> = segment.split_whitespace().collect();
    let name = match words.as_slice() {
        ["npm" | "yarn" | "pnpm" | "bun", "run", name, ..] => *name,
        ["yarn" | "pnpm", name, ..] if !matches!(*name, "install" | "add" | "exec" | "dlx") => {
            *name
        }
        _ => return None,
    };
    if name == "start" {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(facts.manifest("package.json")?).ok()?;
    let script = value.get("scripts")?.get(name)?.as_str()?;
    Some(script.to_string())
}

/// Byte offset of the value of `"scripts": {"<name>": "..."}` in package.json, found by
/// text (serde_json keeps no positions); the first `"<name>": "` after `"scripts"`.
pub fn script_offset(package_json: &[u8], name: &str) -> Option<usize> {
    let text = String::from_utf8_lossy(package_json);
    let scripts = text.find("\"scripts\"")?;
    let key = format!("\"{name}\"");
    let at = scripts + text[scripts..].find(&key)? + key.len();
    let rest = &text[at..];
    let colon = rest.trim_start().strip_prefix(':')?;
    let value = colon.trim_start().strip_prefix('"')?;
    Some(at + rest.len() - value.len())
}

/// A `CMD` or `ENTRYPOINT` of a Dockerfile, the exec form joined with spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerCommand {
    pub instruction: &'static str,
    pub command: String,
    /// Byte offset of the instruction's argument in the file.
    pub offset: usize,
}

/// The last `CMD` and the last `ENTRYPOINT` of the final stage: those the container runs.
pub fn docker_commands(dockerfile: &[u8]) -> Vec<DockerCommand> {
    let mut offset = 0;
    let mut found: Vec<DockerCommand> = Vec::new();
    let lines: Vec<&[u8]> = dockerfile.split_inclusive(|b| *b == b'\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let start = offset;
        let mut logical = String::from_utf8_lossy(lines[i]).trim_end().to_string();
        offset += lines[i].len();
        // Continuation lines end with a backslash.
        while logical.ends_with('\\') && i + 1 < lines.len() {
            logical.pop();
            logical.truncate(logical.trim_end().len());
            i += 1;
            logical.push(' ');
            logical.push_str(String::from_utf8_lossy(lines[i]).trim());
            offset += lines[i].len();
        }
        i += 1;
        let trimmed = logical.trim_start();
        let indent = logical.len() - trimmed.len();
        let Some((word, rest)) = trimmed.split_once(char::is_whitespace) else {
            continue;
        };
        let instruction = match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                found.clear();
                continue;
            }
            "CMD" => "CMD",
            "ENTRYPOINT" => "ENTRYPOINT",
            _ => continue,
        };
        let argument = rest.trim_start();
        let command = serde_json::from_str::<Vec<String>>(argument)
            .map(|words| words.join(" "))
            .unwrap_or_else(|_| argument.to_string());
        found.retain(|c| c.instruction != instruction);
        found.push(DockerCommand {
            instruction,
            command,
            offset: start + indent + word.len() + 1 + (rest.len() - argument.len()),
        });
    }
    found
}

/// A command that starts a process, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartCommand {
    /// The file it is written in (`Procfile`, `package.json`, `Dockerfile`).
    pub file: &'static str,
    /// `web`, `worker`... for a Procfile; `start`/`prestart` for package.json; `CMD` or
    /// `ENTRYPOINT` for a Dockerfile.
    pub process: String,
    pub command: String,
    pub offset: usize,
    /// Whether each byte of `command` sits at `offset + i` in the file, even where the
    /// text differs (a start script's comments are blanked, its line breaks read as `;`).
    pub exact: bool,
}

impl StartCommand {
    /// Whether this command starts (or runs before) the web process.
    pub fn is_web(&self) -> bool {
        self.file != "Procfile" || self.process == "web"
    }
}

/// Root manifests of stacks that, beside a package.json, make it an asset build or a
/// frontend of the real app (Scalingo also detects Go, Gradle and Maven before Node).
pub const OTHER_APP_MANIFESTS: &[&str] = &[
    "composer.json",
    "Gemfile",
    "requirements.txt",
    "Pipfile",
    "pyproject.toml",
    "manage.py",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "project.clj",
];

/// Every start command at the root. package.json's scripts count only when nothing else
/// declares the web process or that declaration runs them (`web: npm start`), since a
/// Procfile or a Dockerfile wins over them, and only when no other stack's manifest
/// makes package.json an asset build.
pub fn start_commands(facts: &RepoFacts) -> Vec<StartCommand> {
    let mut commands = Vec::new();
    if let Some(text) = facts.manifest("Procfile") {
        commands.extend(parse_procfile(text).into_iter().map(|d| StartCommand {
            file: "Procfile",
            process: d.name,
            command: d.command,
            offset: d.offset,
            exact: false,
        }));
    }
    if let Some(text) = facts
        .manifest("Dockerfile")
        .filter(|_| development_image(facts).is_none())
    {
        commands.extend(docker_commands(text).into_iter().map(|d| StartCommand {
            file: "Dockerfile",
            process: d.instruction.to_string(),
            command: d.command,
            offset: d.offset,
            exact: false,
        }));
    }
    let declared_elsewhere = commands.iter().any(|c| c.is_web());
    let runs_npm_start = commands
        .iter()
        .any(|c| c.is_web() && runs_start_script(&c.command));
    let package = facts
        .manifest("package.json")
        .filter(|_| !declared_elsewhere || runs_npm_start)
        .filter(|_| !facts.has_any(OTHER_APP_MANIFESTS));
    if let Some((text, Ok(node))) = package.map(|text| (text, node_start(text))) {
        for (name, script) in [
            ("prestart", node.prestart_script),
            ("start", node.start_script),
        ] {
            if let (Some(command), Some(offset)) = (script, script_offset(text, name)) {
                commands.push(StartCommand {
                    file: "package.json",
                    process: name.to_string(),
                    command,
                    offset,
                    exact: false,
                });
            }
        }
    }
    commands
}

/// The `CMD` of the Dockerfile when it is a development image: it runs a development
/// server (`next dev`, `npm run dev`, `manage.py runserver`) and a compose file builds it
/// or a Procfile declares the web process. Such an image is for `docker compose up` on a
/// laptop, not production.
pub fn development_image(facts: &RepoFacts) -> Option<String> {
    static DEV_SCRIPT: LazyLock<regex::Regex> = LazyLock::new(|| {
        super::regex(r"^(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?(?:dev|develop|watch)\b")
    });
    let procfile_web = facts
        .manifest("Procfile")
        .is_some_and(|p| parse_procfile(p).iter().any(|d| d.name == "web"));
    if !(procfile_web || compose_builds(facts)) {
        return None;
    }
    docker_commands(facts.manifest("Dockerfile")?)
        .into_iter()
        .filter(|d| d.instruction == "CMD")
        .find(|d| {
            segments(&d.command)
                .iter()
                .any(|seg| DEV_SCRIPT.is_match(seg.text) || runs_dev_server(&d.command, seg.text))
        })
        .map(|d| d.command)
}

/// Whether a compose file at the root builds an image (a `build:` key).
fn compose_builds(facts: &RepoFacts) -> bool {
    static BUILD: LazyLock<regex::Regex> =
        LazyLock::new(|| super::regex(r"(?m)^[ \t]+build[ \t]*:"));
    COMPOSE_FILES
        .iter()
        .filter_map(|name| facts.manifest(name))
        .any(|text| BUILD.is_match(&String::from_utf8_lossy(text)))
}

/// The start scripts that a web start command runs, each read as one command line:
/// comments blanked and line breaks read as `;`, so offsets stay those of the file.
pub fn start_scripts(facts: &RepoFacts) -> Vec<StartCommand> {
    let web: Vec<String> = start_commands(facts)
        .into_iter()
        .filter(StartCommand::is_web)
        .map(|c| c.command)
        .collect();
    START_SCRIPTS
        .iter()
        .filter(|name| web.iter().any(|c| c.contains(*name)))
        .filter_map(|name| {
            let text = facts.manifest(name)?;
            Some(StartCommand {
                file: name,
                process: "script".to_string(),
                command: shell_as_one_line(text),
                offset: 0,
                exact: true,
            })
        })
        .collect()
}

/// A shell script as one command line of the same length: `#` comments (at the start of
/// a word) become spaces and line breaks become `;`.
fn shell_as_one_line(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut in_comment = false;
    for (i, &b) in text.iter().enumerate() {
        let word_start = i == 0 || text[i - 1].is_ascii_whitespace() || text[i - 1] == b';';
        match b {
            b'\n' | b'\r' => {
                in_comment = false;
                out.push(b';');
            }
            b'#' if word_start => {
                in_comment = true;
                out.push(b' ');
            }
            // Multi-byte characters become spaces too, keeping offsets exact.
            _ if in_comment || !b.is_ascii() => out.push(b' '),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Whether a command runs package.json's start script (`npm start`, `yarn start`...).
pub fn runs_start_script(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| matches!(w[0], "npm" | "yarn" | "pnpm" | "bun") && w[1] == "start")
        || words.windows(3).any(|w| {
            matches!(w[0], "npm" | "yarn" | "pnpm" | "bun") && w[1] == "run" && w[2] == "start"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_lines() {
        let decls = parse_procfile(
            b"# c\nweb: gunicorn app:app\r\n\nworker:rq worker\nbad line\nweb-2: x\n",
        );
        let names: Vec<_> = decls.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(names, vec![("web", 2), ("worker", 4)]);
        assert_eq!(decls[0].command, "gunicorn app:app");
        assert_eq!(
            decls[1].offset,
            b"# c\nweb: gunicorn app:app\r\n\nworker:".len()
        );
    }

    #[test]
    fn docker_commands_of_the_last_stage() {
        let text = b"FROM node AS build\nCMD [\"x\"]\nFROM node\nENTRYPOINT [\"./entry.sh\"]\nCMD npm run migrate && \\\n  node server.js\n";
        let commands = docker_commands(text);
        assert_eq!(commands.len(), 2);
        assert_eq!(commands[0].command, "./entry.sh");
        assert_eq!(commands[1].command, "npm run migrate && node server.js");
        let at = commands[1].offset;
        assert!(text[at..].starts_with(b"npm run migrate"));
    }

    #[test]
    fn script_offsets() {
        let text = br#"{"name":"start","scripts": {"build":"x", "start" : "node a.js"}}"#;
        let at = script_offset(text, "start").unwrap();
        assert!(text[at..].starts_with(b"node a.js"));
        assert_eq!(script_offset(text, "prestart"), None);
    }

    #[test]
    fn scripts_read_as_one_line() {
        let text = b"#!/bin/sh\n# migrate first\nrails db:prepare\nexec \"$@\" # run\n";
        let line = shell_as_one_line(text);
        assert_eq!(line.len(), text.len());
        assert_eq!(&line[26..42], "rails db:prepare");
        assert!(!line.contains("migrate first"));
    }

    #[test]
    fn npm_start_commands() {
        assert!(runs_start_script("npm start"));
        assert!(runs_start_script("yarn run start"));
        assert!(!runs_start_script("node server.js"));
        assert!(!runs_start_script("npm run start:prod"));
    }

    #[test]
    fn procfile_problem_lines() {
        let problems =
            procfile_problems(b"# c\nweb: gunicorn app:app\r\n\nworker rq\nweb-2: x\nclock:\n  \n");
        assert_eq!(
            problems,
            vec![
                (4, "has a line with no `type: command` separator"),
                (
                    5,
                    "has a process type that Scalingo does not accept (1 to 24 ASCII letters and digits)"
                ),
                (6, "has a process type with no command"),
            ]
        );
    }

    #[test]
    fn package_json_start() {
        let start = node_start(br#"{"scripts":{"start":"node server.js"}}"#).unwrap();
        assert_eq!(start.start_script.as_deref(), Some("node server.js"));
        assert_eq!(
            node_start(br#"{"main":" "}"#).unwrap(),
            NodeStart::default()
        );
        assert!(node_start(b"{").is_err());
    }

    mod properties {
        use super::*;
        use crate::testing::{config, tricky_bytes};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(config())]

            /// Declarations come in line order with valid names; a line is either a
            /// declaration, a problem, or neither (blank, comment), never both.
            #[test]
            fn procfile_lines_are_declared_or_reported(text in tricky_bytes()) {
                let decls = parse_procfile(&text);
                let problems = procfile_problems(&text);
                let lines = String::from_utf8_lossy(&text).lines().count();
                for pair in decls.windows(2) {
                    prop_assert!(pair[0].line < pair[1].line);
                }
                for decl in &decls {
                    prop_assert!(decl.line >= 1 && decl.line <= lines);
                    prop_assert!(valid_process_name(&decl.name));
                    let both = problems
                        .iter()
                        .any(|(line, reason)| *line == decl.line && !reason.contains("no command"));
                    prop_assert!(!both, "line {} declared and reported", decl.line);
                }
                for (line, _) in &problems {
                    prop_assert!(*line >= 1 && *line <= lines);
                }
            }
        }
    }
}
