//! What production runs with, per framework (model step): the effective value of each
//! operational setting (session store, cache store, default storage, log targets,
//! allowed origins, debug switches), with the file and span that decide it and the
//! variable production could set instead. A value read from the environment with a
//! default is the default unless the repository declares the variable for production
//! (`DeclaredEnv`: the app manifests, Procfile, Dockerfile and `[production.env]`).
//!
//! The walk keeps the settings files these modules read (`wants`): a bounded set of
//! paths by name, at the root or in an app folder up to two levels down.

mod database_yml;
mod defaults;
mod django;
mod flask;
mod flat;
mod go;
mod laravel;
mod node;
mod php;
mod python;
mod python_origins;
mod rails;
mod spring;
mod spring_logging;
mod spring_migrations;
mod symfony;
mod symfony_dotenv;
mod symfony_packages;

use super::env::DeclaredEnv;
use crate::classify::{Language, Role, language_of, role_of};
use crate::repo::RepoFacts;

/// A setting the rules read, named as `twelve explain` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    SessionStore,
    CacheStore,
    StorageDefault,
    LogTargets,
    AllowedOrigins,
    Debug,
    Port,
    ListenHost,
    DatabaseEngine,
    Environments,
    /// A Spring property that code injects as the path of a file it writes
    /// (`detail` holds the property key).
    WrittenPath,
    StartupMigrations,
}

impl Key {
    pub const ALL: [Key; 12] = [
        Key::SessionStore,
        Key::CacheStore,
        Key::StorageDefault,
        Key::LogTargets,
        Key::AllowedOrigins,
        Key::Debug,
        Key::Port,
        Key::ListenHost,
        Key::DatabaseEngine,
        Key::Environments,
        Key::WrittenPath,
        Key::StartupMigrations,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Key::SessionStore => "session.store",
            Key::CacheStore => "cache.store",
            Key::StorageDefault => "storage.default",
            Key::LogTargets => "log.targets",
            Key::AllowedOrigins => "allowed_origins",
            Key::Debug => "debug",
            Key::Port => "port",
            Key::ListenHost => "listen_host",
            Key::DatabaseEngine => "database.engine",
            Key::Environments => "environments",
            Key::WrittenPath => "written.path",
            Key::StartupMigrations => "migrations.at_start",
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    Laravel,
    Rails,
    Django,
    Flask,
    Spring,
    Go,
    Symfony,
    Node,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Laravel => "Laravel",
            Framework::Rails => "Rails",
            Framework::Django => "Django",
            Framework::Flask => "Flask",
            Framework::Spring => "Spring Boot",
            Framework::Go => "Go",
            Framework::Symfony => "Symfony",
            Framework::Node => "Node",
        }
    }
}

/// One effective production setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: Key,
    pub framework: Framework,
    /// The value production runs with (`file`, `local`, `daily`, an origin...).
    pub value: String,
    /// The file and byte span that decide the value.
    pub file: String,
    pub span: (usize, usize),
    /// The variable that would change the value, when production does not declare it.
    pub variable: Option<String>,
    /// Whether the value selects a backend local to one container: process memory,
    /// its disk, a log file.
    pub local: bool,
    /// What the value means, for the message (`the \`daily\` channel writes storage/logs`).
    pub detail: String,
}

impl Setting {
    /// An environment named for a deployment (`environments`), chosen by `variable`.
    fn deployment_environment(
        framework: Framework,
        name: &str,
        file: &str,
        span: (usize, usize),
        variable: &str,
        detail: String,
    ) -> Setting {
        Setting {
            key: Key::Environments,
            framework,
            value: name.to_string(),
            file: file.to_string(),
            span,
            variable: Some(variable.into()),
            local: false,
            detail,
        }
    }
}

/// The effective production settings of one application.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub values: Vec<Setting>,
}

impl Settings {
    pub fn resolve(files: &RepoFacts, env: &DeclaredEnv) -> Settings {
        let ctx = Context { files, env };
        let mut values = Vec::new();
        for base in ctx.app_bases() {
            values.extend(laravel::resolve(&ctx, &base));
            values.extend(rails::resolve(&ctx, &base));
            values.extend(symfony::resolve(&ctx, &base));
        }
        values.extend(spring::resolve(&ctx));
        values.extend(python::resolve(&ctx));
        values.extend(go::resolve(&ctx));
        values.extend(node::resolve(&ctx));
        values.sort_by(|a, b| (&a.file, a.span, a.key).cmp(&(&b.file, b.span, b.key)));
        values.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.key == b.key);
        Settings { values }
    }

    /// The settings under `key`.
    pub fn of(&self, key: Key) -> impl Iterator<Item = &Setting> {
        self.values.iter().filter(move |s| s.key == key)
    }
}

/// What a framework module reads: the kept settings files and the declared environment.
pub(crate) struct Context<'a> {
    files: &'a RepoFacts,
    env: &'a DeclaredEnv,
}

/// A variable read with a default, as production sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Production does not declare the variable: the default applies.
    Default(String),
    /// Production declares the variable with this value.
    Declared(String),
    /// Production declares it without a value, or there is no default: unknown.
    Unknown,
}

impl Context<'_> {
    /// The text of a kept settings file.
    pub fn text(&self, rel: &str) -> Option<&[u8]> {
        self.files.manifest(rel)
    }

    /// Kept files whose path passes `pred`, by path.
    pub fn files(&self, pred: impl Fn(&str) -> bool) -> Vec<(&str, &[u8])> {
        self.files
            .manifests
            .iter()
            .filter(|(rel, _)| pred(rel) && wants(rel))
            .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()))
            .collect()
    }

    /// `env('NAME', default)` as production runs it.
    pub fn var(&self, name: &str, default: Option<&str>) -> Resolved {
        match self.env.get(name) {
            Some(var) => var
                .value
                .clone()
                .map_or(Resolved::Unknown, Resolved::Declared),
            None => default.map_or(Resolved::Unknown, |d| Resolved::Default(d.to_string())),
        }
    }

    /// Whether code injects the Spring property `key` as the path of a file it writes.
    pub fn written_property(&self, key: &str) -> bool {
        self.files
            .code
            .property_writes
            .iter()
            .any(|(k, _)| k == key)
    }

    /// Where Python code first tests the setting `name` against a string (`file:line`).
    pub fn setting_test(&self, name: &str) -> Option<&str> {
        self.files.code.setting_tests.get(name).map(String::as_str)
    }

    /// Whether production declares `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.env.declares(name)
    }

    /// The folders an app may sit in: the root (`""`) and each folder holding an app
    /// root's marker (`backend/config/session.php`).
    fn app_bases(&self) -> Vec<String> {
        let mut bases: Vec<String> = std::iter::once(String::new())
            .chain(self.files.manifests.keys().filter_map(|rel| app_base(rel)))
            .collect();
        bases.sort();
        bases.dedup();
        bases
    }
}

/// Markers of an app root, relative to it: the folder before one is the app's base.
const BASE_MARKERS: &[&str] = &[
    "config/environments/production.rb",
    "config/session.php",
    "config/logging.php",
    "config/filesystems.php",
    "config/cache.php",
    "config/packages/",
    "src/main/resources/",
];

fn app_base(rel: &str) -> Option<String> {
    BASE_MARKERS.iter().find_map(|marker| {
        let at = rel.find(marker)?;
        let base = &rel[..at];
        (base.is_empty() || base.ends_with('/')).then(|| base.to_string())
    })
}

/// The longest app folder prefix the walk looks through (`src/api/`).
const MAX_BASE_DEPTH: usize = 2;

/// Whether the walk keeps this file's contents for the settings: settings files by
/// name, at the root or up to two folders down, outside tests, docs and examples.
pub fn wants(rel: &str) -> bool {
    let mut tails = vec![rel];
    let mut rest = rel;
    for _ in 0..MAX_BASE_DEPTH {
        match rest.split_once('/') {
            Some((_, tail)) => {
                tails.push(tail);
                rest = tail;
            }
            None => break,
        }
    }
    let named = tails.iter().any(|tail| at_app_root(tail))
        || spring::is_properties_file(rel)
        || spring_logging::is_logging_file(rel);
    named && {
        let language = language_of(rel, b"").unwrap_or(Language::Text);
        matches!(role_of(rel, language), Role::Source | Role::Config)
    }
}

/// Whether an environment's name is a deployment of the app's own besides production:
/// staging, a review app, a demo, a customer's acceptance instance.
pub(super) fn deployment_named(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().replace('-', "_").as_str(),
        "staging"
            | "stage"
            | "preprod"
            | "pre_prod"
            | "preproduction"
            | "pre_production"
            | "recette"
            | "review"
            | "review_app"
            | "review_apps"
            | "demo"
            | "sandbox"
            | "qa"
            | "uat"
            | "preview"
            | "integration"
    )
}

/// Settings files by their path from the app's root.
fn at_app_root(tail: &str) -> bool {
    const FIXED: &[&str] = &[
        "config/environments/production.rb",
        "config/application.rb",
        "config/storage.yml",
        "config/database.yml",
        "config/initializers/carrierwave.rb",
    ];
    FIXED.contains(&tail)
        || rails::is_deployment_environment(tail)
        || laravel::is_config_file(tail)
        || python::is_settings_file(tail)
        || flask::is_app_module(tail)
        || django::is_entry_file(tail)
        || go::is_config_file(tail)
        || node::is_config_file(tail)
        || symfony::is_config_file(tail)
}

/// The 1-based line of byte `offset`.
pub fn line_of(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// The comment-masked text of a settings file (same offsets as the original).
pub(crate) fn masked(rel: &str, text: &[u8]) -> Vec<u8> {
    let language = language_of(rel, b"").unwrap_or(Language::Text);
    crate::mask::mask_comments(text, language)
}

/// Whether a URL or host names the developer's machine.
pub(crate) fn is_local_host(value: &str) -> bool {
    let host = value
        .split("://")
        .nth(1)
        .unwrap_or(value)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "")
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".test")
        || host == "example.com"
        || host.ends_with(".example.com")
}

/// Runs `f` on a context of these files, with `declared` as production's environment.
#[cfg(test)]
pub(crate) fn with_context<T>(
    files: &[(&str, &str)],
    declared: &[(&str, &str)],
    f: impl FnOnce(&Context) -> T,
) -> T {
    let facts = crate::hosts::test_facts(files);
    let config: std::collections::BTreeMap<String, String> = declared
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let env = DeclaredEnv::declare(&config, &[], None, None);
    f(&Context {
        files: &facts,
        env: &env,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_files_are_kept_by_name() {
        for kept in [
            "config/session.php",
            "backend/config/logging.php",
            "config/environments/production.rb",
            "config/storage.yml",
            "mysite/settings.py",
            "config/settings/base.py",
            "app/config.py",
            "backend/src/main/resources/application.yml",
            "infra/backend/application-prod.properties",
            "internal/config/config.go",
        ] {
            assert!(wants(kept), "{kept}");
        }
        for skipped in [
            "config/environments/development.rb",
            "tests/config/session.php",
            "a/b/c/config/session.php",
            "app/views/settings.py.txt",
            "docs/settings.py",
            "src/main/resources/application-test.yml",
            "config/config_test.go",
            "cmd/server/main.go",
        ] {
            assert!(!wants(skipped), "{skipped}");
        }
    }

    #[test]
    fn app_bases_come_from_markers() {
        assert_eq!(app_base("config/session.php").as_deref(), Some(""));
        assert_eq!(
            app_base("backend/src/main/resources/application.yml").as_deref(),
            Some("backend/")
        );
        assert_eq!(app_base("myconfig/session.php"), None);
    }

    #[test]
    fn local_hosts() {
        assert!(is_local_host("http://localhost:3000"));
        assert!(is_local_host("http://127.0.0.1"));
        assert!(!is_local_host("https://app.example.fr"));
    }
}
