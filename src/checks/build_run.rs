//! Factor V, build/release/run kept apart, read from the start commands:
//! `install-at-boot` (dependencies installed or assets built when the web process
//! starts, TypeScript compiled at every start), `dev-server-start` (a development server
//! or watcher serving production, local containers brought up) and
//! `procfile-release-line` (a Heroku `release:` line, which Scalingo ignores: §1.7, §5 #9).

use super::{finding_at, on_start_commands, regex};
use crate::app::App;
use crate::app::command::{Segment, segments};
use crate::app::processes::{Kind, Origin, Process, runs_dev_server};
use crate::finding::{Fact, Finding};
use crate::rules::Rule;

pub fn install_at_boot(rule: &Rule, app: &App) -> Vec<Finding> {
    let install = regex(
        r"^(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?(?:\s+--\S+)*$|pnpm\s+(?:i|install)\b|bun\s+install\b|pip3?\s+install\b|python3?\s+-m\s+pip\s+install\b|poetry\s+install\b|pipenv\s+install\b|uv\s+sync\b|composer\s+install\b|bundle(?:\s+install)?(?:\s+--\S+)*$|go\s+mod\s+download\b)",
    );
    let build = regex(
        r"^(?:(?:npm|pnpm|bun)\s+run\s+build\b|yarn\s+(?:run\s+)?build\b|webpack(?:-cli)?(?:\s+--mode[ =]production|\s+-p\b|\s*$)|vite\s+build\b|next\s+build\b|nuxt\s+build\b|ng\s+build\b|tsc\b|(?:bin/)?(?:rails|rake)\s+assets:precompile\b|python3?\s+manage\.py\s+collectstatic\b|go\s+build\b|mvn\b|\./mvnw\b|gradle\b|\./gradlew\b)",
    );
    // A TypeScript runner compiles the sources in every container at every start.
    let typescript = regex(
        r"^(?:tsx\s|ts-node\s|node\s+(?:.*\s)?(?:-r|--require|--loader|--import)[ =](?:ts-node|tsx)\b)",
    );
    on_start_commands(rule, app, true, |command, segments, i| {
        let seg = &segments[i];
        if typescript.is_match(seg.text) && !runs_dev_server(&command.command, seg.text) {
            Some(format!(
                "the start command compiles TypeScript at every start (`{}`)",
                seg.text
            ))
        } else if install.is_match(seg.text) {
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
    // Local infrastructure brought up by the start command: on a host there is no
    // Docker daemon, and the database is an attached service.
    let compose_up = regex(r"^docker(?:-compose|\s+compose)\s+(?:.*\s)?up\b");
    let mut findings = overridden_start(rule, app);
    findings.extend(on_start_commands(
        rule,
        app,
        true,
        |command: &Process, segments, i| {
            let seg: &Segment = &segments[i];
            if runs_dev_server(&command.command, seg.text) {
                Some(format!(
                    "the production start command runs a development server or watcher (`{}`)",
                    seg.text
                ))
            } else if compose_up.is_match(seg.text) {
                Some(format!(
                    "the production start command brings up local containers (`{}`)",
                    seg.text
                ))
            } else {
                None
            }
        },
    ));
    findings
}

/// package.json's `start` when a Procfile or Dockerfile overrides it: Clever Cloud
/// ignores the Procfile and runs `npm start` for a Node app, so a development server
/// there (`nest start`, `next dev`) is what serves on that host.
fn overridden_start(rule: &Rule, app: &App) -> Vec<Finding> {
    let runs_start = app
        .processes
        .iter()
        .any(|p| p.file == "package.json" && p.name == "start");
    // A Node app: no other stack's manifest, and the web command it overrides starts Node.
    let node = regex(r"^(?:node|npm|yarn|pnpm|bun|npx|nest|next|nuxt|tsx|ts-node)\b");
    let node_app = !app.has_any(crate::app::processes::OTHER_APP_MANIFESTS)
        && app.processes.iter().any(|p| {
            p.is_web()
                && matches!(p.origin, Origin::Procfile | Origin::Dockerfile)
                && segments(&p.command).iter().any(|s| node.is_match(s.text))
        });
    let Some(script) = app
        .manifests
        .package()
        .and_then(|p| p.scripts.get("start"))
        .filter(|_| !runs_start && node_app)
    else {
        return Vec::new();
    };
    let (Some(offset), Some(text)) = (script.offset, app.text("package.json")) else {
        return Vec::new();
    };
    segments(&script.command)
        .iter()
        .find(|seg| runs_dev_server(&script.command, seg.text))
        .map(|seg| {
            let mut finding = finding_at(
                rule,
                "package.json",
                text,
                (offset, offset + script.command.len()),
                format!(
                    "package.json's `start`, which Clever Cloud runs instead of the Procfile, runs a development server or watcher (`{}`)",
                    seg.text
                ),
            );
            finding.fact = Some(Fact::CleverCloudOnly);
            finding
        })
        .into_iter()
        .collect()
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
