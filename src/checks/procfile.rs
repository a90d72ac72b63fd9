//! `missing-procfile`: the stack found at the root has no default way to start its web
//! process and nothing declares one (platforms.md §1-2: Python has no default on
//! Scalingo; Node needs `scripts.start` or `main` on Clever Cloud).

use crate::app::App;
use crate::finding::Finding;
use crate::rules::Rule;

/// Root files by which Scalingo's Python buildpack recognises a Python app.
const PYTHON_MARKERS: &[&str] = &[
    "requirements.txt",
    "Pipfile",
    "pyproject.toml",
    "setup.py",
    "manage.py",
    "uv.lock",
    "poetry.lock",
];

/// Root files other than the Python markers that decide the check.
const OTHER_STACK_FILES: &[&str] = &[
    "Procfile",
    "package.json",
    "pom.xml",
    "composer.json",
    "index.php",
    "Gemfile",
];

/// Whether `missing_procfile` looks at this root file.
pub fn watches(name: &str) -> bool {
    OTHER_STACK_FILES.contains(&name) || PYTHON_MARKERS.contains(&name)
}

/// Java frameworks for which Scalingo's buildpack provides a default web process.
const JAVA_DEFAULTS: &[&str] = &["spring-boot", "quarkus", "micronaut", "wildfly-swarm"];

pub fn missing_procfile(rule: &Rule, app: &App) -> Vec<Finding> {
    let procfile = &app.manifests.procfile;
    if procfile
        .as_ref()
        .is_some_and(|decls| decls.iter().any(|d| d.name == "web"))
    {
        return Vec::new();
    }
    let declared = match procfile {
        Some(_) => "the Procfile declares no `web` process",
        None => "no Procfile",
    };
    let Some(why) = stack_without_default(app) else {
        return Vec::new();
    };
    vec![rule.repo_finding("Procfile", format!("{declared} and {why}"))]
}

/// Describes the root stack when nothing starts it. Scalingo picks Node.js before PHP,
/// Python and Ruby, but a package.json beside another stack's manifest usually only
/// builds assets: the other stack's start command is the one that matters.
fn stack_without_default(app: &App) -> Option<String> {
    let facts = &app.inventory;
    if let Some(artifacts) = app.manifests.java.get("pom.xml") {
        let framework = artifacts
            .iter()
            .any(|a| JAVA_DEFAULTS.iter().any(|f| a.starts_with(f)));
        return (!framework).then(|| {
            "this Maven app uses no framework with a default start command (Spring Boot, Quarkus, Micronaut)".to_string()
        });
    }
    let node = match &app.manifests.package {
        // A malformed package.json is reported on its own; do not guess here.
        Some(package) => Some(package.as_ref().ok()?),
        None => None,
    };
    if node.is_some_and(|n| n.declares_start()) {
        return None;
    }
    if facts.has("composer.json") || facts.has("index.php") || facts.has("Gemfile") {
        return None;
    }
    if let Some(marker) = PYTHON_MARKERS.iter().find(|m| facts.has(m)) {
        return Some(format!(
            "this Python app (found `{marker}`) has no default start command"
        ));
    }
    node.map(|_| {
        "package.json has neither `scripts.start` nor `main`, so `npm start` has nothing to run"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watches_the_files_it_reads() {
        assert!(watches("Procfile") && watches("requirements.txt") && watches("Gemfile"));
        assert!(!watches("server.js"));
    }
}
