//! The app's processes, each with its origin (a Procfile line, a package.json script
//! that a start command runs, the Dockerfile's `CMD`/`ENTRYPOINT`, a start script they
//! run), its kind and the command it runs, with where that command is written.

use super::Manifests;
use super::command::{assigns, segments};
use super::dockerfile::{Dockerfile, Form};
use super::package_json::Script;
use crate::classify::{Language, language_of, names_non_production_environment};
use crate::repo::{APP_MANIFESTS, RepoFacts, START_SCRIPTS, app_folder, is_followed_file};
use regex::Regex;
use std::sync::LazyLock;

/// Where a process is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Procfile,
    /// A package.json script (`start`, `prestart`), run by `npm start` or by default.
    PackageScript,
    /// The Dockerfile's `CMD` or `ENTRYPOINT`.
    Dockerfile,
    /// A shell script that a web start command runs (`entrypoint.sh`).
    StartScript,
    /// A package.json script that another process runs by name (`npm run migrate`,
    /// `run-s build:**`); it has the kind of the process that runs it.
    NamedScript,
    /// A composer.json `extra.paas.compile` command, run at the end of Scalingo's PHP build.
    ComposerCompile,
}

/// What the process is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Web,
    Worker,
    /// A scheduler process (`clock:`, `scheduler:`, `cron:`).
    Clock,
    /// Heroku's `release:`, which Scalingo never runs.
    Release,
    /// Scalingo's `postdeploy:`, run once per deploy.
    Postdeploy,
    /// The build step the Node buildpack runs: package.json's `scalingo-postbuild`,
    /// else `build` (Scalingo/nodejs-buildpack lib/dependencies.sh).
    Build,
}

impl Kind {
    /// The kind of a Procfile process type.
    pub fn of_procfile_type(name: &str) -> Kind {
        match name {
            "web" => Kind::Web,
            "release" => Kind::Release,
            "postdeploy" => Kind::Postdeploy,
            _ if ["clock", "sched", "cron"].iter().any(|w| name.contains(w)) => Kind::Clock,
            _ => Kind::Worker,
        }
    }
}

/// A command that starts a process, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub origin: Origin,
    pub kind: Kind,
    /// The Procfile type, the script's name, `CMD`/`ENTRYPOINT`, or the script's path.
    pub name: String,
    /// The file it is written in (`Procfile`, `package.json`, a Dockerfile, a script).
    pub file: String,
    pub command: String,
    /// Byte offset of the command in `file`.
    pub offset: usize,
    /// Whether each byte of `command` sits at `offset + i` in the file, even where the
    /// text differs (a start script's comments are blanked, its line breaks read as `;`).
    pub exact: bool,
}

impl Process {
    /// Whether this command starts (or runs before) the web process.
    pub fn is_web(&self) -> bool {
        self.kind == Kind::Web
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

/// Every start command at the root, then the start scripts web commands run.
/// package.json's scripts count only when nothing else declares the web process or that
/// declaration runs them (`web: npm start`), since a Procfile or a Dockerfile wins over
/// them, and only when no other stack's manifest makes package.json an asset build.
pub fn processes(manifests: &Manifests, facts: &RepoFacts) -> Vec<Process> {
    let mut out = Vec::new();
    for decl in manifests.procfile.iter().flatten() {
        out.push(Process {
            origin: Origin::Procfile,
            kind: Kind::of_procfile_type(&decl.name),
            name: decl.name.clone(),
            file: "Procfile".into(),
            command: decl.command.clone(),
            offset: decl.offset,
            exact: false,
        });
    }
    for (path, image) in production_images(manifests, facts) {
        for instruction in image.commands() {
            out.push(Process {
                origin: Origin::Dockerfile,
                kind: image_kind(path),
                name: instruction.keyword.clone(),
                file: path.to_string(),
                command: instruction.form().to_string(),
                offset: instruction.offset,
                exact: false,
            });
        }
    }
    let declared_elsewhere = out.iter().any(Process::is_web);
    let runs_npm_start = out
        .iter()
        .any(|p| p.is_web() && runs_start_script(&p.command));
    let package = manifests
        .package()
        .filter(|_| !declared_elsewhere || runs_npm_start)
        .filter(|_| !facts.has_any(OTHER_APP_MANIFESTS));
    for name in ["prestart", "start"] {
        let Some(script) = package.and_then(|p| p.scripts.get(name)) else {
            continue;
        };
        let Some(offset) = script.offset else {
            continue;
        };
        out.push(Process {
            origin: Origin::PackageScript,
            kind: Kind::Web,
            name: name.to_string(),
            file: "package.json".into(),
            command: script.command.clone(),
            offset,
            exact: false,
        });
    }
    let build = manifests.package().and_then(|p| {
        ["scalingo-postbuild", "build"]
            .into_iter()
            .find_map(|name| Some((name, p.scripts.get(name)?)))
    });
    if let Some((name, script)) = build
        && let Some(offset) = script.offset
    {
        out.push(Process {
            origin: Origin::PackageScript,
            kind: Kind::Build,
            name: name.to_string(),
            file: "package.json".into(),
            command: script.command.clone(),
            offset,
            exact: false,
        });
    }
    let compile = super::ok(&manifests.composer).map(|c| c.compile.as_slice());
    for (command, offset) in compile.unwrap_or_default() {
        let Some(offset) = *offset else {
            continue;
        };
        out.push(Process {
            origin: Origin::ComposerCompile,
            kind: Kind::Build,
            name: "extra.paas.compile".into(),
            file: "composer.json".into(),
            command: command.clone(),
            offset,
            exact: false,
        });
    }
    let named = named_scripts(&out, manifests);
    out.extend(named);
    let scripts = start_scripts(&out, manifests, facts);
    out.extend(scripts);
    out
}

/// The app's production images: the root Dockerfile unless it is a development image,
/// then the nested ones (`nested_images`), each with its path.
pub fn production_images<'a>(
    manifests: &Manifests,
    facts: &'a RepoFacts,
) -> Vec<(&'a str, Dockerfile)> {
    let root = manifests
        .dockerfile
        .clone()
        .filter(|_| development_image(manifests).is_none())
        .map(|image| ("Dockerfile", image));
    root.into_iter().chain(nested_images(facts)).collect()
}

/// The production Dockerfiles besides the root one (`docker/Dockerfile`,
/// `.docker/prod/worker.dockerfile`, `Dockerfile.prod`). One directly in a folder that
/// holds an app manifest belongs to that app; one whose `CMD` runs a development server
/// is for a laptop, as are those named or filed for development, tests or CI.
fn nested_images(facts: &RepoFacts) -> Vec<(&str, Dockerfile)> {
    facts
        .manifests
        .iter()
        .filter(|(path, _)| {
            path.as_str() != "Dockerfile"
                && language_of(path, b"") == Some(Language::Dockerfile)
                && is_followed_file(path)
                && !owned_by_app(facts, path)
        })
        .map(|(path, text)| (path.as_str(), Dockerfile::parse(text)))
        .filter(|(_, image)| {
            !image.commands().iter().any(|i| {
                let command = i.form().to_string();
                segments(&command)
                    .iter()
                    .any(|s| runs_dev_server(&command, s.text))
            })
        })
        .collect()
}

/// Whether `path` sits directly in a monorepo app folder that has a manifest of its own.
fn owned_by_app(facts: &RepoFacts, path: &str) -> bool {
    app_folder(path).is_some_and(|(dir, inner)| {
        !inner.contains('/')
            && facts
                .app_files
                .get(dir)
                .is_some_and(|files| APP_MANIFESTS.iter().any(|m| files.contains(*m)))
    })
}

/// A nested image's process, from the words of its folder and name: `worker.dockerfile`
/// or `docker/worker/Dockerfile` runs a worker, `cron.dockerfile` a scheduler.
fn image_kind(path: &str) -> Kind {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or("");
    let folder = parts.next().unwrap_or("");
    let words: Vec<&str> = name
        .split(['.', '-', '_'])
        .chain(folder.split(['.', '-', '_']))
        .collect();
    if words
        .iter()
        .any(|w| ["clock", "sched", "cron"].iter().any(|k| w.contains(k)))
    {
        Kind::Clock
    } else if words.iter().any(|w| {
        matches!(
            *w,
            "worker" | "workers" | "jobs" | "queue" | "sidekiq" | "celery"
        )
    }) {
        Kind::Worker
    } else {
        Kind::Web
    }
}

/// The package.json scripts that the processes run by name, and those that these run in
/// turn, each once per kind, so that a finding lands on the line of the script that does
/// the work (`build` = `run-s build:**` runs `build:db:migrate`).
fn named_scripts(processes: &[Process], manifests: &Manifests) -> Vec<Process> {
    let mut seen: Vec<(Kind, String)> = processes
        .iter()
        .filter(|p| p.file == "package.json")
        .map(|p| (p.kind, p.name.clone()))
        .collect();
    let mut out: Vec<Process> = Vec::new();
    let mut queue: Vec<(Kind, String)> = processes
        .iter()
        .map(|p| (p.kind, p.command.clone()))
        .collect();
    while let Some((kind, command)) = queue.pop() {
        for segment in segments(&command) {
            for (name, script) in scripts_run_by(manifests, segment.text) {
                let Some(offset) = script.offset else {
                    continue;
                };
                if seen.iter().any(|(k, n)| *k == kind && n == name) {
                    continue;
                }
                seen.push((kind, name.to_string()));
                queue.push((kind, script.command.clone()));
                out.push(Process {
                    origin: Origin::NamedScript,
                    kind,
                    name: name.to_string(),
                    file: "package.json".into(),
                    command: script.command.clone(),
                    offset,
                    exact: false,
                });
            }
        }
    }
    out.sort_by_key(|p| p.offset);
    out
}

/// The shell scripts that the long-running processes run, and those these run in turn,
/// each read as one command line: comments blanked and line breaks read as `;`, so
/// offsets stay those of the file. A script is named by its path (`web: bash
/// ./start.sh`, `CMD ["/app/docker-entrypoint.sh"]`), or reached through the `COPY`
/// that put it where the image's command runs it; a `COPY` whose source holds a build
/// variable (`demarrage_${APP_ENV}.sh`) may bring any matching script, except those
/// named for development, tests or CI.
fn start_scripts(commands: &[Process], manifests: &Manifests, facts: &RepoFacts) -> Vec<Process> {
    let mut seen: Vec<(Kind, String)> = Vec::new();
    let mut out: Vec<Process> = Vec::new();
    let mut queue: Vec<Process> = commands
        .iter()
        .filter(|c| matches!(c.kind, Kind::Web | Kind::Worker | Kind::Clock))
        .cloned()
        .collect();
    while let Some(command) = queue.pop() {
        let image = match command.origin {
            Origin::Dockerfile if command.file == "Dockerfile" => manifests.dockerfile.clone(),
            Origin::Dockerfile => facts.manifest(&command.file).map(Dockerfile::parse),
            _ => None,
        };
        let dir = command.file.rsplit_once('/').map_or("", |(d, _)| d);
        for path in scripts_named(&command.command, dir, image.as_ref(), facts) {
            if seen.iter().any(|(k, p)| *k == command.kind && *p == path) {
                continue;
            }
            let Some(text) = facts.manifest(&path) else {
                continue;
            };
            seen.push((command.kind, path.clone()));
            let script = Process {
                origin: Origin::StartScript,
                kind: command.kind,
                name: path.clone(),
                file: path,
                command: shell_as_one_line(text),
                offset: 0,
                exact: true,
            };
            queue.push(script.clone());
            out.push(script);
        }
    }
    out.sort_by(|a, b| (&a.file, a.offset).cmp(&(&b.file, b.offset)));
    out
}

/// The kept scripts a command line names, by path from the root or from `dir` (the
/// folder of the file it is written in), as a path ending in one (`/app/start.sh`), or
/// through the image's `COPY` to the path it runs.
fn scripts_named(
    command: &str,
    dir: &str,
    image: Option<&Dockerfile>,
    facts: &RepoFacts,
) -> Vec<String> {
    let is_script = |path: &str| {
        START_SCRIPTS.contains(&path)
            || language_of(path, b"") == Some(Language::Shell) && is_followed_file(path)
    };
    let scripts: Vec<&str> = facts
        .manifests
        .keys()
        .map(String::as_str)
        .filter(|p| is_script(p))
        .collect();
    let mut found = Vec::new();
    for word in command_words(command) {
        let relative = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/{word}")
        };
        for script in &scripts {
            if *script == word || *script == relative || word.ends_with(&format!("/{script}")) {
                found.push(script.to_string());
            }
        }
        for source in image.into_iter().flat_map(|i| copied_to(i, word)) {
            let Some(pattern) = path_pattern(&source) else {
                continue;
            };
            let in_dir = path_pattern(&format!("{dir}/{source}")).filter(|_| !dir.is_empty());
            for script in &scripts {
                let name = script.rsplit('/').next().unwrap_or(script);
                let variable = source.contains('$') || source.contains('*');
                if (pattern.is_match(script) || in_dir.as_ref().is_some_and(|r| r.is_match(script)))
                    && !(variable && names_non_production_environment(name))
                {
                    found.push(script.to_string());
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The words of a command line, quotes, brackets and separators dropped, each without
/// a leading `./`: the paths it may run.
fn command_words(command: &str) -> impl Iterator<Item = &str> {
    command
        .split(|c: char| c.is_whitespace() || "\"'[],;()`&|".contains(c))
        .map(|w| w.trim_start_matches("./"))
        .filter(|w| !w.is_empty())
}

/// The repository files that the root's process declarations run by path: a Procfile
/// line, a Scalingo or Clever Cloud cron job, the root Dockerfile's command. Read from
/// disk before the walk, so that a file's role can follow from them: cron.json's
/// `tools/send-reminders.sh` is production code, though `tools/` holds developer tools.
pub fn files_run_by_processes(root: &std::path::Path) -> std::collections::BTreeSet<String> {
    const MAX_SIZE: u64 = 1 << 20;
    let read = |name: &str| {
        let path = root.join(name);
        let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_SIZE);
        small.then(|| std::fs::read(&path).ok()).flatten()
    };
    let mut commands: Vec<String> = Vec::new();
    if let Some(text) = read("Procfile") {
        commands.extend(
            super::procfile::parse_procfile(&text)
                .into_iter()
                .map(|d| d.command),
        );
    }
    if let Some(Ok(Some(jobs))) = read("cron.json").map(|t| super::cron::scalingo_jobs(&t)) {
        commands.extend(jobs.into_iter().map(|j| j.entry));
    }
    if let Some(Ok(jobs)) = read("clevercloud/cron.json").map(|t| super::cron::clever_entries(&t)) {
        commands.extend(jobs.into_iter().map(|j| j.entry));
    }
    if let Some(text) = read("Dockerfile") {
        let image = Dockerfile::parse(&text);
        commands.extend(image.commands().iter().map(|i| i.form().to_string()));
    }
    commands
        .iter()
        .flat_map(|c| command_words(c))
        .filter(|w| w.contains('/') && !w.starts_with('/') && !w.starts_with('$'))
        .map(String::from)
        .collect()
}

/// The sources of the image's `COPY`/`ADD` instructions that put a file at `target`
/// (the path a command runs): to that path, or into the folder it names, with `./`
/// dropped from each.
fn copied_to(image: &Dockerfile, target: &str) -> Vec<String> {
    let mut sources = Vec::new();
    for instruction in image
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword.as_str(), "COPY" | "ADD"))
    {
        let words: Vec<String> = match instruction.form() {
            Form::Exec(words) => words,
            Form::Shell(text) => text.split_whitespace().map(String::from).collect(),
        };
        let words: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !w.starts_with("--"))
            .collect();
        let Some((dest, srcs)) = words.split_last() else {
            continue;
        };
        let dest = dest.trim_start_matches("./");
        for src in srcs {
            let src = src.trim_start_matches("./");
            let base = src.rsplit('/').next().unwrap_or(src);
            let into_dir = dest.ends_with('/') || dest == "." || dest.is_empty();
            let full = if into_dir {
                format!("{}/{base}", dest.trim_end_matches(['/', '.']))
            } else {
                dest.to_string()
            };
            let full = full.trim_start_matches('/');
            let matches =
                path_pattern(full).is_some_and(|r| r.is_match(target.trim_start_matches('/')));
            if matches {
                sources.push(src.to_string());
            }
        }
    }
    sources
}

/// A `COPY` path as a whole-path regex: build variables (`${APP_ENV}`, `$APP_ENV`) and
/// `*` match any part of a name.
fn path_pattern(path: &str) -> Option<Regex> {
    static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
        crate::checks::regex(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\*")
    });
    let mut pattern = String::from("^");
    let mut last = 0;
    for m in VARIABLE.find_iter(path) {
        pattern.push_str(&regex::escape(&path[last..m.start()]));
        pattern.push_str("[^/]*");
        last = m.end();
    }
    pattern.push_str(&regex::escape(&path[last..]));
    pattern.push('$');
    Regex::new(&pattern).ok()
}

/// The package.json scripts a simple command runs by name, with their names: `npm run
/// <name>` (flags before the name skipped), `yarn <name>`, `pnpm <name>`, or
/// npm-run-all's `run-s`/`run-p`/`npm-run-all` with names and `*`/`**` patterns
/// (`run-s build:**`).
pub fn scripts_run_by<'a>(manifests: &'a Manifests, segment: &str) -> Vec<(&'a str, &'a Script)> {
    let Some(package) = manifests.package() else {
        return Vec::new();
    };
    let words: Vec<&str> = segment
        .split_whitespace()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let patterns: &[&str] = match words.as_slice() {
        ["run-s" | "run-p" | "npm-run-all", rest @ ..] => rest,
        ["npm" | "yarn" | "pnpm" | "bun", "run", name, ..] => std::slice::from_ref(name),
        ["yarn" | "pnpm", name, ..] if !matches!(*name, "install" | "add" | "exec" | "dlx") => {
            std::slice::from_ref(name)
        }
        _ => return Vec::new(),
    };
    package
        .scripts
        .iter()
        .filter(|(name, _)| patterns.iter().any(|p| script_matches(p, name)))
        .map(|(name, script)| (name.as_str(), script))
        .collect()
}

/// npm-run-all's patterns: `build:*` matches one part after the colon, `build:**` any.
fn script_matches(pattern: &str, name: &str) -> bool {
    match pattern
        .strip_suffix("**")
        .or_else(|| pattern.strip_suffix('*'))
    {
        Some(prefix) if pattern.ends_with("**") => name.starts_with(prefix) && name != prefix,
        Some(prefix) => name
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(':')),
        None => pattern == name,
    }
}

/// The `CMD` of the Dockerfile when it is a development image: it runs a development
/// server (`next dev`, `npm run dev`, `manage.py runserver`) and a compose file builds it
/// or a Procfile declares the web process. Such an image is for `docker compose up` on a
/// laptop, not production.
pub fn development_image(manifests: &Manifests) -> Option<String> {
    let procfile_web = manifests.procfile.iter().flatten().any(|d| d.name == "web");
    if !(procfile_web || manifests.compose_builds) {
        return None;
    }
    let dockerfile = manifests.dockerfile.as_ref()?;
    let cmd = dockerfile
        .commands()
        .into_iter()
        .find(|i| i.keyword == "CMD")?;
    let command = cmd.form().to_string();
    let dev = segments(&command).iter().any(|seg| {
        runs_dev_server(&command, seg.text)
            || scripts_run_by(manifests, seg.text)
                .iter()
                .any(|(_, script)| {
                    segments(&script.command)
                        .iter()
                        .any(|s| runs_dev_server(&script.command, s.text))
                })
            || DEV_SCRIPT_NAME.is_match(seg.text)
    });
    dev.then_some(command)
}

/// `npm run dev` and the like, by the script's name, when package.json does not say.
static DEV_SCRIPT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    crate::checks::regex(r"^(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?(?:dev|develop|watch)\b")
});

/// Whether a simple command of `command` runs a development server or a watcher.
pub fn runs_dev_server(command: &str, segment: &str) -> bool {
    static DEV: LazyLock<Regex> = LazyLock::new(|| {
        crate::checks::regex(
            r"^(?:nodemon\b|ts-node-dev\b|node-dev\b|tsx\s+watch\b|node\s+(?:.*\s)?--watch\b|next\s+dev\b|nuxt\s+dev\b|vite(?:\s+(?:dev|serve)\b|\s+--|\s*$)|webpack(?:-dev-server\b|\s+serve\b)|ng\s+serve\b|react-scripts\s+start\b|flask\s+run\b|python3?\s+-m\s+flask\s+run\b|python3?\s+manage\.py\s+runserver\b|php\s+artisan\s+serve\b|php\s+-S\b|(?:uvicorn|gunicorn)\s.*--reload\b|nest\s+start\b|(?:bin/)?rails\s+s(?:erver)?\b.*(?:-e|--environment)[ =]development\b)",
        )
    });
    static RAILS: LazyLock<Regex> =
        LazyLock::new(|| crate::checks::regex(r"^(?:bin/)?rails\s+s(?:erver)?\b"));
    DEV.is_match(segment)
        || (RAILS.is_match(segment) && assigns(command, "RAILS_ENV", "development"))
}

/// A shell script as one command line of the same length: `#` comments (at the start of
/// a word) become spaces, line breaks become `;`, and a backslash that continues a line
/// becomes a space with its line break.
fn shell_as_one_line(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut in_comment = false;
    let mut continued = false;
    for (i, &b) in text.iter().enumerate() {
        let word_start = i == 0 || text[i - 1].is_ascii_whitespace() || text[i - 1] == b';';
        let next = text.get(i + 1).copied();
        match b {
            b'\\' if !in_comment && matches!(next, Some(b'\n' | b'\r')) => {
                continued = true;
                out.push(b' ');
            }
            b'\r' if continued && next == Some(b'\n') => out.push(b' '),
            b'\n' | b'\r' if continued => {
                continued = false;
                out.push(b' ');
            }
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
    use crate::hosts::test_facts;

    #[test]
    fn scripts_read_as_one_line() {
        let text = b"#!/bin/sh\n# migrate first\nrails db:prepare\nexec \"$@\" # run\n";
        let line = shell_as_one_line(text);
        assert_eq!(line.len(), text.len());
        assert_eq!(&line[26..42], "rails db:prepare");
        assert!(!line.contains("migrate first"));
        let continued = b"exec gunicorn app \\\n  --bind 0.0.0.0:8000\nwait\n";
        let line = shell_as_one_line(continued);
        assert_eq!(line.len(), continued.len());
        assert_eq!(
            segments(&line).iter().map(|s| s.text).collect::<Vec<_>>(),
            ["gunicorn app     --bind 0.0.0.0:8000", "wait"]
        );
    }

    #[test]
    fn scripts_run_by_name_become_processes_on_their_line() {
        let facts = test_facts(&[(
            "package.json",
            r#"{"scripts":{"build":"run-s build:**","build:db":"yarn migrate","migrate":"knex migrate:latest","start":"node a.js"}}"#,
        )]);
        let app = crate::app::App::build(facts, &Default::default());
        let named: Vec<(Kind, &str)> = app
            .processes
            .iter()
            .filter(|p| p.origin == Origin::NamedScript)
            .map(|p| (p.kind, p.name.as_str()))
            .collect();
        assert_eq!(named, [(Kind::Build, "build:db"), (Kind::Build, "migrate")]);
    }

    #[test]
    fn scripts_run_by_name_and_pattern() {
        let facts = test_facts(&[(
            "package.json",
            r#"{"scripts":{"build":"run-s build:**","build:a":"vite build","build:db:up":"npm run --silent migrate","migrate":"knex migrate:latest"}}"#,
        )]);
        let app = crate::app::App::build(facts, &Default::default());
        let run = |segment| -> Vec<&str> {
            scripts_run_by(&app.manifests, segment)
                .into_iter()
                .map(|(_, script)| script.command.as_str())
                .collect()
        };
        assert_eq!(
            run("run-s build:**"),
            ["vite build", "npm run --silent migrate"]
        );
        assert_eq!(run("run-p build:*"), ["vite build"]);
        assert_eq!(run("npm run --silent migrate"), ["knex migrate:latest"]);
        assert!(run("node server.js").is_empty());
    }

    #[test]
    fn npm_start_commands() {
        assert!(runs_start_script("npm start"));
        assert!(runs_start_script("yarn run start"));
        assert!(!runs_start_script("node server.js"));
        assert!(!runs_start_script("npm run start:prod"));
    }

    #[test]
    fn kinds_and_origins() {
        let facts = test_facts(&[
            (
                "Procfile",
                "web: bin/start.sh\nclock: python clock.py\npostdeploy: rails db:migrate\nworker: rq\n",
            ),
            ("package.json", r#"{"scripts":{"start":"node a.js"}}"#),
            ("bin/start.sh", "x"),
        ]);
        let app = crate::app::App::build(facts, &Default::default());
        let kinds: Vec<(Origin, Kind)> = app.processes.iter().map(|p| (p.origin, p.kind)).collect();
        assert_eq!(
            kinds,
            [
                (Origin::Procfile, Kind::Web),
                (Origin::Procfile, Kind::Clock),
                (Origin::Procfile, Kind::Postdeploy),
                (Origin::Procfile, Kind::Worker),
                (Origin::StartScript, Kind::Web),
            ],
            "package.json's start does not run: the Procfile declares web, through bin/start"
        );
    }

    #[test]
    fn nested_images_and_the_scripts_they_copy() {
        let facts = test_facts(&[
            (
                ".docker/prod/web.dockerfile",
                "FROM php\nCOPY ./.docker/scripts/boot_${APP_ENV}.sh /app/bin/boot.sh\nENTRYPOINT [\"/app/bin/boot.sh\"]\n",
            ),
            (
                ".docker/prod/worker.dockerfile",
                "FROM php\nCMD [\"supervisord\"]\n",
            ),
            (
                ".docker/dev.dockerfile",
                "FROM php\nCMD [\"php\", \"-S\", \"0.0.0.0:80\"]\n",
            ),
            (
                ".docker/scripts/boot_prod.sh",
                "#!/bin/sh\nexec frankenphp php-server\n",
            ),
            (
                ".docker/scripts/boot_staging.sh",
                "#!/bin/sh\nexec frankenphp php-server\n",
            ),
            (
                ".docker/scripts/boot_test.sh",
                "#!/bin/sh\nexec frankenphp php-server\n",
            ),
        ]);
        let app = crate::app::App::build(facts, &Default::default());
        let found: Vec<(Origin, Kind, &str)> = app
            .processes
            .iter()
            .map(|p| (p.origin, p.kind, p.file.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Origin::Dockerfile, Kind::Web, ".docker/prod/web.dockerfile"),
                (
                    Origin::Dockerfile,
                    Kind::Worker,
                    ".docker/prod/worker.dockerfile"
                ),
                (
                    Origin::StartScript,
                    Kind::Web,
                    ".docker/scripts/boot_prod.sh"
                ),
                (
                    Origin::StartScript,
                    Kind::Web,
                    ".docker/scripts/boot_staging.sh"
                ),
            ],
            "the development image and the test script are left out"
        );
    }

    #[test]
    fn paths_run_by_the_process_declarations() {
        let dir = std::env::temp_dir().join(format!("twelve-run-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("Procfile"), "web: bash ./bin/web.sh\n").expect("Procfile");
        std::fs::write(
            dir.join("cron.json"),
            r#"{"jobs":[{"command":"0 6 * * * tools/remind.sh && python manage.py x"}]}"#,
        )
        .expect("cron.json");
        let run = files_run_by_processes(&dir);
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(
            run.iter().map(String::as_str).collect::<Vec<_>>(),
            ["bin/web.sh", "tools/remind.sh"]
        );
    }

    #[test]
    fn a_dev_script_by_name_makes_a_development_image() {
        let facts = test_facts(&[
            ("Procfile", "web: node server.js\n"),
            (
                "Dockerfile",
                "FROM node\nCMD [\"npm\", \"run\", \"serve\"]\n",
            ),
            (
                "package.json",
                r#"{"scripts":{"serve":"nodemon server.js"}}"#,
            ),
        ]);
        let app = crate::app::App::build(facts, &Default::default());
        assert_eq!(
            development_image(&app.manifests).as_deref(),
            Some("npm run serve")
        );
    }
}
