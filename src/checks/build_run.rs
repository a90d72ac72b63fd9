//! Factor V, build/release/run kept apart, read from the start commands:
//! `install-at-boot` (dependencies installed or assets built when the web process
//! starts), `dev-server-start` (a development server or watcher serving production) and
//! `procfile-release-line` (a Heroku `release:` line, which Scalingo ignores: §1.7, §5 #9).

use super::command::{Segment, assigns, segments as segments_of};
use super::start::{StartCommand, named_script, parse_procfile};
use super::{on_start_commands, regex};
use crate::finding::Finding;
use crate::repo::RepoFacts;
use crate::rules::Rule;
use regex::Regex;
use std::sync::LazyLock;

pub fn install_at_boot(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let install = regex(
        r"^(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?(?:\s+--\S+)*$|pnpm\s+(?:i|install)\b|bun\s+install\b|pip3?\s+install\b|python3?\s+-m\s+pip\s+install\b|poetry\s+install\b|pipenv\s+install\b|uv\s+sync\b|composer\s+install\b|bundle(?:\s+install)?(?:\s+--\S+)*$|go\s+mod\s+download\b)",
    );
    let build = regex(
        r"^(?:(?:npm|pnpm|bun)\s+run\s+build\b|yarn\s+(?:run\s+)?build\b|webpack(?:-cli)?(?:\s+--mode[ =]production|\s+-p\b|\s*$)|vite\s+build\b|next\s+build\b|nuxt\s+build\b|ng\s+build\b|tsc\b|(?:bin/)?(?:rails|rake)\s+assets:precompile\b|python3?\s+manage\.py\s+collectstatic\b|go\s+build\b|mvn\b|\./mvnw\b|gradle\b|\./gradlew\b)",
    );
    on_start_commands(rule, facts, true, |_, segments, i| {
        let seg = &segments[i];
        if install.is_match(seg.text) {
            Some(format!(
                "the start command installs dependencies at boot (`{}`)",
                seg.text
            ))
        } else if build.is_match(seg.text) && i + 1 < segments.len() {
            Some(format!(
                "the start command builds the app at boot (`{}`)",
                seg.text
            ))
        } else {
            None
        }
    })
}

pub fn dev_server_start(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    on_start_commands(rule, facts, true, |command: &StartCommand, segments, i| {
        let seg: &Segment = &segments[i];
        if runs_dev_server(&command.command, seg.text) {
            return Some(format!(
                "the production start command runs a development server or watcher (`{}`)",
                seg.text
            ));
        }
        // `web: npm run dev`: the package.json script it names.
        let script = named_script(facts, seg.text)?;
        let dev = segments_of(&script)
            .into_iter()
            .find(|s| runs_dev_server(&script, s.text))?;
        Some(format!(
            "the production start command runs `{}`, a development server or watcher (`{}`)",
            seg.text, dev.text
        ))
    })
}

/// Whether `segment`, a simple command of the command line `command`, runs a
/// development server or watcher.
pub fn runs_dev_server(command: &str, segment: &str) -> bool {
    static DEV: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"^(?:nodemon\b|ts-node-dev\b|node-dev\b|tsx\s+watch\b|node\s+(?:.*\s)?--watch\b|next\s+dev\b|nuxt\s+dev\b|vite(?:\s+(?:dev|serve)\b|\s+--|\s*$)|webpack(?:-dev-server\b|\s+serve\b)|ng\s+serve\b|react-scripts\s+start\b|flask\s+run\b|python3?\s+-m\s+flask\s+run\b|python3?\s+manage\.py\s+runserver\b|php\s+artisan\s+serve\b|php\s+-S\b|(?:uvicorn|gunicorn)\s.*--reload\b|(?:bin/)?rails\s+s(?:erver)?\b.*(?:-e|--environment)[ =]development\b)",
        )
    });
    static RAILS: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:bin/)?rails\s+s(?:erver)?\b"));
    DEV.is_match(segment)
        || (RAILS.is_match(segment) && assigns(command, "RAILS_ENV", "development"))
}

pub fn procfile_release_line(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let Some(text) = facts.manifest("Procfile") else {
        return Vec::new();
    };
    let decls = parse_procfile(text);
    if decls.iter().any(|d| d.name == "postdeploy") {
        return Vec::new();
    }
    decls
        .iter()
        .filter(|d| d.name == "release" && !d.command.is_empty())
        .map(|d| {
            super::finding_at(
                rule,
                "Procfile",
                text,
                (d.offset, d.offset + d.command.len()),
                "the Procfile has a `release:` process, which Scalingo never runs".to_string(),
            )
        })
        .collect()
}
