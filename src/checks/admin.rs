//! Factor XII, `migrate-at-boot`: migrations chained before the server in the web start
//! command run in every web container, at every restart and scale-up, racing each other.

use super::{on_commands, regex};
use crate::app::App;
use crate::app::command::segments as segments_of;
use crate::app::processes::{Kind, Process, scripts_run_by};
use crate::finding::Finding;
use crate::rules::Rule;

/// The web commands, and the start scripts they run (Rails' bin/docker-entrypoint
/// prepares the database before `exec`-ing the server).
pub fn web_commands_and_scripts(app: &App) -> impl Iterator<Item = &Process> {
    app.processes.iter().filter(|p| p.is_web())
}

pub fn migrate_at_boot(rule: &Rule, app: &App) -> Vec<Finding> {
    let migrate = regex(
        r"(?:manage\.py\s+migrate\b|\bdb:migrate\b|\bdb:prepare\b|\bdb:setup\b|\bprisma\s+migrate\s+deploy\b|\bprisma\s+db\s+push\b|\balembic\s+upgrade\b|\bartisan\s+migrate\b|\bknex\s+migrate:latest\b|\bsequelize(?:-cli)?\s+db:migrate\b|\btypeorm\b.*\bmigration:run\b|\bflask\s+db\s+upgrade\b|\bgoose\b.*\bup\b|\bmigrate\s+.*-path\b.*\bup\b|\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:--?[\w-]+\s+)*(?:db:)?migrat(?:e|ion)(?::\w+)*\b)",
    );
    let mut findings = on_commands(
        rule,
        app,
        web_commands_and_scripts(app),
        |_, segments, i| {
            // A migration alone is a one-off process; chained before the server, it runs at boot.
            let chained = i + 1 < segments.len();
            (chained && migrate.is_match(segments[i].text)).then(|| {
                format!(
                    "the web start command runs migrations before the server (`{}`)",
                    segments[i].text
                )
            })
        },
    );
    // The build step runs before the release exists: a migration there changes the
    // database for code that may never be deployed. Up to two hops into the scripts it
    // runs by name (`npm run x`, `run-s build:**`).
    let runs_migration = |text: &str| -> Option<String> {
        if migrate.is_match(text) {
            return Some(text.to_string());
        }
        scripts_run_by(&app.manifests, text)
            .into_iter()
            .find_map(|script| {
                segments_of(script).into_iter().find_map(|s| {
                    let inner = scripts_run_by(&app.manifests, s.text);
                    (migrate.is_match(s.text) || inner.iter().any(|i| migrate.is_match(i)))
                        .then(|| s.text.to_string())
                })
            })
    };
    let build = app.processes.iter().filter(|p| p.kind == Kind::Build);
    findings.extend(on_commands(rule, app, build, |_, segments, i| {
        let found = runs_migration(segments[i].text)?;
        Some(format!(
            "the build step runs migrations (`{found}`), before the new release is deployed"
        ))
    }));
    findings
}
