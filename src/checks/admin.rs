//! Factor XII, `migrate-at-boot`: migrations and other one-off steps (loading fixtures,
//! dropping tables) chained before the server in the web start command run in every web
//! container, at every restart and scale-up, racing each other; in the build step they
//! change the database before the release exists.

use super::{on_commands, regex};
use crate::app::App;
use crate::app::processes::{Kind, Process};
use crate::finding::Finding;
use crate::rules::Rule;
use regex::Regex;
use std::sync::LazyLock;

/// The web commands, the start scripts they run (Rails' bin/docker-entrypoint prepares
/// the database before `exec`-ing the server) and the package.json scripts they name.
pub fn web_commands_and_scripts(app: &App) -> impl Iterator<Item = &Process> {
    app.processes.iter().filter(|p| p.is_web())
}

/// What a simple command does to the database, when it is a one-off step.
fn one_off_step(text: &str) -> Option<&'static str> {
    static MIGRATE: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"(?:manage\.py\s+migrate\b|(?:^|[\s"'])db:(?:migrate|prepare|setup)\b|\bprisma\s+migrate\s+deploy\b|\bprisma\s+db\s+push\b|\balembic\s+upgrade\b|\bartisan\s+migrate\b|\bknex\s+migrate:latest\b|\bsequelize(?:-cli)?\s+db:migrate\b|\btypeorm\b.*\bmigration:run\b|\bflask\s+db\s+upgrade\b|\bgoose\b.*\bup\b|\bmigrate\s+.*-path\b.*\bup\b|\bdoctrine:migrations?:migrate\b|\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:--?[\w-]+\s+)*(?:db:)?migrat(?:e|ion)(?::\w+)*\b)"#,
        )
    });
    static FIXTURES: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r#"(?:\bfixtures?:load\b|\bdoctrine:fixtures:load\b|manage\.py\s+loaddata\b|(?:^|[\s"'])db:(?:seed|reset)\b|\bmigrate:fresh\b|\bdoctrine:schema:drop\b|\bdropdb\b|(?i:\bdrop\s+(?:table|schema|database)\b))"#,
        )
    });
    if MIGRATE.is_match(text) {
        Some("runs migrations")
    } else if FIXTURES.is_match(text) {
        Some("loads fixtures or drops data")
    } else {
        None
    }
}

pub fn migrate_at_boot(rule: &Rule, app: &App) -> Vec<Finding> {
    let mut findings = on_commands(
        rule,
        app,
        web_commands_and_scripts(app),
        |_, segments, i| {
            // A migration alone is a one-off process; chained before the server, it runs at boot.
            let chained = i + 1 < segments.len();
            let step = one_off_step(segments[i].text).filter(|_| chained)?;
            Some(format!(
                "the web start command {step} before the server (`{}`)",
                segments[i].text
            ))
        },
    );
    // The build step runs before the release exists: a migration there changes the
    // database for code that may never be deployed. The scripts it runs by name are
    // processes of their own, so the finding lands on the script that does it.
    let build = app.processes.iter().filter(|p| p.kind == Kind::Build);
    findings.extend(on_commands(rule, app, build, |_, segments, i| {
        let step = one_off_step(segments[i].text)?;
        Some(format!(
            "the build step {step} (`{}`), before the new release is deployed",
            segments[i].text
        ))
    }));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_off_steps() {
        assert_eq!(
            one_off_step("bin/console doctrine:migrations:migrate -n"),
            Some("runs migrations")
        );
        assert_eq!(
            one_off_step("npm run fixtures:load"),
            Some("loads fixtures or drops data")
        );
        assert_eq!(
            one_off_step("psql \"$DATABASE_URL\" -c 'DROP TABLE users'"),
            Some("loads fixtures or drops data")
        );
        assert_eq!(one_off_step("gunicorn app"), None);
        assert_eq!(
            one_off_step("bin/rails db:prepare"),
            Some("runs migrations")
        );
        // A script's name is no migration: the script it names is read on its own line.
        assert_eq!(one_off_step("npm run --silent build:db:migrate"), None);
    }
}
