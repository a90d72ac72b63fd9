//! Symfony: the environments the configuration is split into, and what the `prod`
//! environment runs with. `when@<env>` blocks in config/packages/*.yaml and
//! config/services.yaml, and config/packages/<env>/ folders, name the environments
//! Symfony selects by `APP_ENV`. Symfony's own are `dev`, `test` and `prod`; any other
//! name is a deployment (`staging`, `develop`) whose values live in the code.
//!
//! The committed `.env` holds the defaults Symfony's Dotenv loads whenever the host does
//! not set a variable (`symfony_dotenv.rs`); config/packages/*.yaml read structurally
//! decide sessions and log handlers (`symfony_packages.rs`).

use super::{Context, Framework, Setting};
use std::sync::LazyLock;

pub fn is_config_file(tail: &str) -> bool {
    tail == "config/services.yaml"
        || tail == ".env"
        || tail
            .strip_prefix("config/packages/")
            .is_some_and(|rest| rest.ends_with(".yaml") || rest.ends_with(".yml"))
}

/// Symfony's own environments.
const STANDARD: &[&str] = &["dev", "test", "prod"];

/// A `when@` key, also one naming several environments (`when@prod, when@staging:`).
static WHEN: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^when@[\w-]+(?:[ \t]*,[ \t]*when@[\w-]+)*[ \t]*:"));
static WHEN_NAME: LazyLock<regex::Regex> = LazyLock::new(|| crate::checks::regex(r"when@([\w-]+)"));

pub fn resolve(ctx: &Context, base: &str) -> Vec<Setting> {
    let mut out = environments(ctx, base);
    if is_symfony(ctx, base) {
        out.extend(super::symfony_dotenv::resolve(ctx, base));
        out.extend(super::symfony_packages::resolve(ctx, base));
    }
    out
}

/// A Symfony app: its config/packages/ folder holds the framework bundle's file.
fn is_symfony(ctx: &Context, base: &str) -> bool {
    let framework = format!("{base}config/packages/framework.");
    !ctx.files(|rel| rel.starts_with(&framework)).is_empty()
}

/// `when@<env>` blocks and config/packages/<env>/ folders named for deployments.
fn environments(ctx: &Context, base: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    let packages = format!("{base}config/packages/");
    let services = format!("{base}config/services.yaml");
    for (file, bytes) in ctx.files(|rel| rel.starts_with(&packages) || rel == services) {
        let text = String::from_utf8_lossy(bytes);
        let folder = file[packages.len().min(file.len())..]
            .split_once('/')
            .map(|(dir, _)| dir)
            .filter(|_| file.starts_with(&packages));
        if let Some(env) = folder {
            if !STANDARD.contains(&env) && !development(env) {
                out.push(block(file, env, (0, 0), "the folder"));
            }
            continue;
        }
        for key in WHEN.find_iter(&text) {
            for caps in WHEN_NAME.captures_iter(key.as_str()) {
                let env = &caps[1];
                if STANDARD.contains(&env) || development(env) {
                    continue;
                }
                out.push(block(file, env, (key.start(), key.end()), "the block"));
            }
        }
    }
    out
}

/// Names of development and test environments besides Symfony's own (`local`, `ci`).
fn development(env: &str) -> bool {
    matches!(env, "local" | "ci" | "e2e" | "docker")
}

fn block(file: &str, env: &str, span: (usize, usize), what: &str) -> Setting {
    Setting::deployment_environment(
        Framework::Symfony,
        env,
        file,
        span,
        "APP_ENV",
        format!("{what} for the `{env}` environment"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;

    #[test]
    fn custom_environments_are_deployments() {
        let framework = "framework:\n  secret: '%env(APP_SECRET)%'\nwhen@test:\n  framework:\n    test: true\nwhen@staging:\n  framework:\n    trusted_hosts: ['staging.example.org']\nwhen@prod:\n  framework: {}\n";
        let doctrine = "when@prod, when@recette:\n  doctrine: {}\n";
        let facts = test_facts(&[
            ("config/packages/doctrine.yaml", doctrine),
            ("config/packages/framework.yaml", framework),
            ("config/packages/preprod/monolog.yaml", "monolog: {}\n"),
            ("config/packages/dev/monolog.yaml", "monolog: {}\n"),
        ]);
        let env = DeclaredEnv::default();
        let found = resolve(
            &Context {
                files: &facts,
                env: &env,
            },
            "",
        );
        let names: Vec<_> = found
            .iter()
            .map(|s| (s.file.as_str(), s.value.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("config/packages/doctrine.yaml", "recette"),
                ("config/packages/framework.yaml", "staging"),
                ("config/packages/preprod/monolog.yaml", "preprod"),
            ]
        );
    }
}
