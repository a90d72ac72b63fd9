//! The model of one application (model step): built once per scanned directory from
//! what the walk gathered, and read by every structural check, every host verdict and
//! `twelve init`. It holds the inventory (`RepoFacts`: which files exist, first-level
//! apps, facts noted in code as sites), every deployment manifest parsed once with its
//! parse error, the processes with their origin and kind, the stack, and the
//! environment the repository declares for production. Nothing after this step parses
//! a manifest again.

pub mod command;
pub mod cron;
pub mod deps;
pub mod dockerfile;
pub mod env;
pub mod formats;
pub mod package_json;
pub mod processes;
pub mod procfile;
pub mod settings;
pub mod stack;

use crate::repo::{COMPOSE_FILES, RepoFacts};
use cron::CronJob;
use deps::{Composer, Gemfile, GoMod, Pyproject, Requirement};
use dockerfile::Dockerfile;
use env::DeclaredEnv;
use formats::ParseError;
use package_json::PackageJson;
use processes::Process;
use procfile::ProcessDecl;
use settings::Settings;
use stack::Stack;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A manifest that was found; `Err` when it does not parse.
pub type Parsed<T> = Option<Result<T, ParseError>>;

/// The entries of a list file, one a line (`.buildpacks`, `Aptfile`): blank lines and
/// `#` comments left out.
fn entries(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// Every root deployment manifest, parsed once.
#[derive(Debug, Clone, Default)]
pub struct Manifests {
    pub procfile: Option<Vec<ProcessDecl>>,
    pub package: Parsed<PackageJson>,
    pub dockerfile: Option<Dockerfile>,
    pub composer: Parsed<Composer>,
    pub gomod: Option<GoMod>,
    pub gemfile: Option<Gemfile>,
    pub pyproject: Parsed<Pyproject>,
    pub pipfile: Parsed<Vec<String>>,
    pub requirements: Option<Vec<Requirement>>,
    /// Artifacts of pom.xml, build.gradle and build.gradle.kts, by file.
    pub java: BTreeMap<&'static str, Vec<String>>,
    /// The `<module>`s of a multi-module Maven build.
    pub maven_modules: Vec<String>,
    /// Scalingo's cron.json; `Ok(None)` for a cron.json without `jobs`.
    pub scalingo_cron: Parsed<Option<Vec<CronJob>>>,
    pub clever_cron: Parsed<Vec<CronJob>>,
    /// scalingo.json and app.json.
    pub app_manifests: Vec<(&'static str, Result<serde_json::Value, ParseError>)>,
    /// The buildpacks `.buildpacks` lists.
    pub buildpacks: Option<Vec<String>>,
    /// The system packages (or `.deb` URLs) Scalingo's apt buildpack installs from `Aptfile`.
    pub aptfile: Option<Vec<String>>,
    /// Whether a root compose file builds an image (a `build:` key).
    pub compose_builds: bool,
    /// The settings module manage.py sets (`DJANGO_SETTINGS_MODULE`).
    pub django_settings: Option<String>,
    /// Single-line version files: `.nvmrc`, `.node-version`, `runtime.txt`,
    /// `.python-version`, and `java.runtime.version` of system.properties.
    pub version_files: BTreeMap<&'static str, String>,
}

impl Manifests {
    /// The command of the Procfile's `web:` process.
    pub fn procfile_web(&self) -> Option<&str> {
        self.procfile
            .iter()
            .flatten()
            .find(|d| d.name == "web")
            .map(|d| d.command.as_str())
    }

    pub fn parse(facts: &RepoFacts) -> Manifests {
        let bytes = |name: &str| facts.manifest(name);
        let text = |name: &str| facts.manifest_text(name);
        let mut java = BTreeMap::new();
        for file in ["pom.xml", "build.gradle", "build.gradle.kts"] {
            if let Some(text) = text(file) {
                java.insert(file, deps::java_artifacts(&text));
            }
        }
        let mut version_files = BTreeMap::new();
        for file in [".nvmrc", ".node-version", "runtime.txt", ".python-version"] {
            if let Some(text) = text(file) {
                version_files.insert(file, first_line(&text).to_string());
            }
        }
        if let Some(java) = text("system.properties").and_then(|t| {
            t.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "java.runtime.version").then(|| v.trim().to_string())
            })
        }) {
            version_files.insert("system.properties", java);
        }
        Manifests {
            procfile: bytes("Procfile").map(procfile::parse_procfile),
            package: bytes("package.json").map(PackageJson::parse),
            dockerfile: bytes("Dockerfile").map(Dockerfile::parse),
            composer: bytes("composer.json").map(Composer::parse),
            gomod: text("go.mod").map(|t| GoMod::parse(&t)),
            gemfile: text("Gemfile").map(|t| Gemfile::parse(&t)),
            pyproject: bytes("pyproject.toml").map(Pyproject::parse),
            pipfile: bytes("Pipfile").map(deps::pipfile_packages),
            requirements: bytes("requirements.txt").map(deps::requirements),
            java,
            maven_modules: text("pom.xml")
                .map(|t| deps::maven_modules(&t))
                .unwrap_or_default(),
            scalingo_cron: bytes("cron.json").map(cron::scalingo_jobs),
            clever_cron: bytes("clevercloud/cron.json").map(cron::clever_entries),
            app_manifests: ["scalingo.json", "app.json"]
                .into_iter()
                .filter_map(|name| Some((name, formats::json(bytes(name)?))))
                .collect(),
            buildpacks: text(".buildpacks").map(|t| entries(&t)),
            aptfile: text("Aptfile").map(|t| entries(&t)),
            compose_builds: COMPOSE_FILES
                .iter()
                .filter_map(|name| text(name))
                .any(|t| COMPOSE_BUILD.is_match(&t)),
            django_settings: text("manage.py").and_then(|m| django_settings(&m)),
            version_files,
        }
    }

    /// package.json, when it parses.
    pub fn package(&self) -> Option<&PackageJson> {
        ok(&self.package)
    }

    /// The app manifests that parse (scalingo.json, app.json).
    pub fn app_manifests(&self) -> impl Iterator<Item = (&'static str, &serde_json::Value)> {
        self.app_manifests
            .iter()
            .filter_map(|(name, parsed)| Some((*name, parsed.as_ref().ok()?)))
    }

    /// The root manifests that do not parse, with where and why.
    pub fn errors(&self) -> Vec<(&'static str, &ParseError)> {
        let fixed = [
            ("package.json", err(&self.package)),
            ("composer.json", err(&self.composer)),
            ("pyproject.toml", err(&self.pyproject)),
            ("Pipfile", err(&self.pipfile)),
            ("cron.json", err(&self.scalingo_cron)),
            ("clevercloud/cron.json", err(&self.clever_cron)),
        ];
        let apps = self
            .app_manifests
            .iter()
            .map(|(name, parsed)| (*name, parsed.as_ref().err()));
        fixed
            .into_iter()
            .chain(apps)
            .filter_map(|(file, error)| Some((file, error?)))
            .collect()
    }
}

/// The value of a manifest that parsed.
pub fn ok<T>(parsed: &Parsed<T>) -> Option<&T> {
    parsed.as_ref()?.as_ref().ok()
}

fn err<T>(parsed: &Parsed<T>) -> Option<&ParseError> {
    parsed.as_ref()?.as_ref().err()
}

static COMPOSE_BUILD: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^[ \t]+build[ \t]*:"));

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("")
}

/// `os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')` → `mysite.settings`.
fn django_settings(manage_py: &str) -> Option<String> {
    let at = manage_py.find("DJANGO_SETTINGS_MODULE")?;
    let rest = &manage_py[at + "DJANGO_SETTINGS_MODULE".len()..];
    let value = rest.split(['"', '\'']).nth(2)?;
    (!value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
    .then(|| value.to_string())
}

/// One application: what the walk found, parsed once.
#[derive(Debug, Clone, Default)]
pub struct App {
    /// Its folder relative to the scanned root: empty for the root, `backend` or
    /// `src/api` for an app of a monorepo.
    pub path: String,
    pub inventory: RepoFacts,
    pub manifests: Manifests,
    pub processes: Vec<Process>,
    pub stack: Stack,
    pub env: DeclaredEnv,
    /// What production runs with, per framework, with the line that decides each value.
    pub settings: Settings,
}

impl App {
    /// Builds the model; `production_env` is `[production.env]` of twelve.toml.
    pub fn build(inventory: RepoFacts, production_env: &BTreeMap<String, String>) -> App {
        let manifests = Manifests::parse(&inventory);
        let processes = processes::processes(&manifests, &inventory);
        let stack = stack::detect(&inventory, &manifests, &processes);
        let app_manifests: Vec<_> = manifests.app_manifests().collect();
        let env = DeclaredEnv::declare(
            production_env,
            &app_manifests,
            manifests.procfile.as_deref(),
            manifests.dockerfile.as_ref(),
        );
        let settings = Settings::resolve(&inventory, &env);
        App {
            path: String::new(),
            inventory,
            manifests,
            processes,
            stack,
            env,
            settings,
        }
    }

    /// Whether nothing at this folder's root makes an app: no stack and no image.
    pub fn is_empty(&self) -> bool {
        self.stack.languages.is_empty() && !self.has("Dockerfile")
    }

    /// The apps of a monorepo whose root is no app: each folder (`backend`, `src/api`)
    /// with a stack that declares how it starts or uses a web framework; folders of
    /// libraries, tools and static assets are left out.
    pub fn monorepo_apps(&self, production_env: &BTreeMap<String, String>) -> Vec<App> {
        self.inventory
            .app_files
            .keys()
            .filter(|dir| !is_non_app_folder(dir))
            .filter_map(|dir| {
                let mut app = App::build(self.inventory.for_app(dir)?, production_env);
                app.path = dir.clone();
                // A Procfile `web:`, a Node start, a web framework, or an image that
                // exposes a port: a Dockerfile alone may package a command-line tool.
                let procfile_web = app
                    .processes
                    .iter()
                    .any(|p| p.origin == processes::Origin::Procfile && p.is_web());
                let image_serves = app.manifests.dockerfile.as_ref().is_some_and(|d| {
                    d.start().is_some() && d.instructions.iter().any(|i| i.keyword == "EXPOSE")
                });
                let served = procfile_web
                    || app.manifests.package().is_some_and(|p| p.declares_start())
                    || !app.stack.frameworks.is_empty()
                    || image_serves;
                (!app.is_empty() && served).then_some(app)
            })
            .collect()
    }

    /// The text of a root manifest, for spans.
    pub fn text(&self, name: &str) -> Option<&[u8]> {
        self.inventory.manifest(name)
    }

    /// Whether a file exists at the root.
    pub fn has(&self, name: &str) -> bool {
        self.inventory.has(name)
    }

    pub fn has_any(&self, names: &[&str]) -> bool {
        self.inventory.has_any(names)
    }
}

/// Folders that hold no deployed app, whatever manifest they carry.
fn is_non_app_folder(dir: &str) -> bool {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    crate::classify::role_of(&format!("{dir}/x.json"), crate::classify::Language::Json)
        != crate::classify::Role::Config
        || matches!(
            name,
            "docs" | "doc" | "scripts" | "tools" | "bench" | "benches" | "e2e" | "end2end"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::test_facts;

    #[test]
    fn parse_errors_are_data() {
        let facts = test_facts(&[("package.json", "{\n  \"a\" 1\n}"), ("cron.json", "[")]);
        let app = App::build(facts, &BTreeMap::new());
        let errors: Vec<(&str, usize)> = app
            .manifests
            .errors()
            .iter()
            .map(|(f, e)| (*f, e.offset))
            .collect();
        assert_eq!(errors, [("package.json", 8), ("cron.json", 0)]);
        assert!(app.manifests.package().is_none());
    }

    #[test]
    fn django_settings_module() {
        assert_eq!(
            django_settings(
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.prod')"
            )
            .as_deref(),
            Some("mysite.settings.prod")
        );
        assert_eq!(django_settings("x"), None);
    }
}
