//! Factor V, build/release/run kept apart, read from the start commands:
//! `install-at-boot` (dependencies installed or assets built when the web process
//! starts), `dev-server-start` (a development server or watcher serving production) and
//! `procfile-release-line` (a Heroku `release:` line, which Scalingo ignores: §1.7, §5 #9).

use super::{on_start_commands, regex};
use crate::app::App;
use crate::app::command::{Segment, segments as segments_of};
use crate::app::processes::{Kind, Process, named_script, runs_dev_server};
use crate::finding::Finding;
use crate::rules::Rule;

pub fn install_at_boot(rule: &Rule, app: &App) -> Vec<Finding> {
    let install = regex(
        r"^(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?(?:\s+--\S+)*$|pnpm\s+(?:i|install)\b|bun\s+install\b|pip3?\s+install\b|python3?\s+-m\s+pip\s+install\b|poetry\s+install\b|pipenv\s+install\b|uv\s+sync\b|composer\s+install\b|bundle(?:\s+install)?(?:\s+--\S+)*$|go\s+mod\s+download\b)",
    );
    let build = regex(
        r"^(?:(?:npm|pnpm|bun)\s+run\s+build\b|yarn\s+(?:run\s+)?build\b|webpack(?:-cli)?(?:\s+--mode[ =]production|\s+-p\b|\s*$)|vite\s+build\b|next\s+build\b|nuxt\s+build\b|ng\s+build\b|tsc\b|(?:bin/)?(?:rails|rake)\s+assets:precompile\b|python3?\s+manage\.py\s+collectstatic\b|go\s+build\b|mvn\b|\./mvnw\b|gradle\b|\./gradlew\b)",
    );
    on_start_commands(rule, app, true, |_, segments, i| {
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

pub fn dev_server_start(rule: &Rule, app: &App) -> Vec<Finding> {
    on_start_commands(rule, app, true, |command: &Process, segments, i| {
        let seg: &Segment = &segments[i];
        if runs_dev_server(&command.command, seg.text) {
            return Some(format!(
                "the production start command runs a development server or watcher (`{}`)",
                seg.text
            ));
        }
        // `web: npm run dev`: the package.json script it names.
        let script = named_script(&app.manifests, seg.text)?;
        let dev = segments_of(script)
            .into_iter()
            .find(|s| runs_dev_server(script, s.text))?;
        Some(format!(
            "the production start command runs `{}`, a development server or watcher (`{}`)",
            seg.text, dev.text
        ))
    })
}

/// A Heroku `release:` process, unless a `postdeploy:` one runs too.
pub fn procfile_release_line(rule: &Rule, app: &App) -> Vec<Finding> {
    let Some(text) = app.text("Procfile") else {
        return Vec::new();
    };
    let procfile = || app.processes.iter().filter(|p| p.file == "Procfile");
    if procfile().any(|p| p.kind == Kind::Postdeploy) {
        return Vec::new();
    }
    procfile()
        .filter(|p| p.kind == Kind::Release && !p.command.is_empty())
        .map(|p| {
            super::finding_at(
                rule,
                "Procfile",
                text,
                (p.offset, p.offset + p.command.len()),
                "the Procfile has a `release:` process, which Scalingo never runs".to_string(),
            )
        })
        .collect()
}
