//! Factor II, declared and isolated dependencies, read from the root manifests:
//! `missing-lockfile`, `multiple-node-lockfiles` (§1 build blockers, §5 #5),
//! `python-dependency-files` (§1 build blockers, §5 #6) and `runtime-version-unpinned`
//! (§1.9, §2.9, §5 #19-20).

use super::finding_at;
use crate::app::App;
use crate::app::ok;
use crate::app::processes::OTHER_APP_MANIFESTS;
use crate::finding::{Fact, Finding};
use crate::repo::RepoFacts;
use crate::rules::Rule;

const NODE_LOCKS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];

/// Scalingo's Python buildpack needs exactly one of these.
const PYTHON_DEPENDENCY_FILES: &[&str] =
    &["requirements.txt", "Pipfile.lock", "poetry.lock", "uv.lock"];

/// Stacks Scalingo detects before Python (alphabetical order, first match wins: §1.1).
const DETECTED_BEFORE_PYTHON: &[&str] = &[
    "project.clj",
    "go.mod",
    "gradlew",
    "build.gradle",
    "build.gradle.kts",
    "pom.xml",
    "package.json",
    "composer.json",
    "index.php",
];

pub fn missing_lockfile(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let mut findings = Vec::new();
    let mut report = |file: &str, message: &str| {
        findings.push(rule.repo_finding(file, message.to_string()));
    };
    let manifests = &app.manifests;
    let node_deps = manifests.package().is_some_and(|p| p.has_dependencies());
    if node_deps && !facts.has_any(NODE_LOCKS) {
        report(
            "package.json",
            "package.json declares dependencies but no lockfile is committed (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock)",
        );
    }
    if facts.has("Gemfile") && !facts.has_any(&["Gemfile.lock", "gems.locked"]) {
        report("Gemfile", "the Gemfile has no committed Gemfile.lock");
    }
    if ok(&manifests.composer).is_some_and(|c| c.requires_packages()) && !facts.has("composer.lock")
    {
        report(
            "composer.json",
            "composer.json requires packages but no composer.lock is committed",
        );
    }
    if manifests
        .gomod
        .as_ref()
        .is_some_and(|g| !g.requires.is_empty())
        && !facts.has("go.sum")
    {
        report(
            "go.mod",
            "go.mod has requirements but no go.sum is committed",
        );
    }
    let python_lock = facts.has_any(&["Pipfile.lock", "poetry.lock", "uv.lock"]);
    if let Some(requirements) = app.text("requirements.txt")
        && !python_lock
        && let Some((start, end)) = manifests
            .requirements
            .iter()
            .flatten()
            .find(|r| !r.pinned)
            .map(|r| r.span)
    {
        let text = String::from_utf8_lossy(&requirements[start..end]).into_owned();
        findings.push(finding_at(
            rule,
            "requirements.txt",
            requirements,
            (start, end),
            format!("`{text}` is not pinned with `==` and no lockfile fixes its version"),
        ));
    }
    findings
}

pub fn multiple_node_lockfiles(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let found: Vec<&str> = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml"]
        .into_iter()
        .filter(|f| facts.has(f))
        .collect();
    if found.len() < 2 {
        return Vec::new();
    }
    let message = format!(
        "several Node lockfiles are committed ({}); Scalingo refuses to build",
        found.join(", ")
    );
    vec![rule.repo_finding(found[1], message)]
}

pub fn python_dependency_files(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    if !is_python_app(app) || facts.has_any(DETECTED_BEFORE_PYTHON) {
        return Vec::new();
    }
    let found: Vec<&str> = PYTHON_DEPENDENCY_FILES
        .iter()
        .copied()
        .filter(|f| facts.has(f))
        .collect();
    let (file, message) = match found.as_slice() {
        [_] => return Vec::new(),
        [] if facts.has("Pipfile") => (
            "Pipfile",
            "the Pipfile has no committed Pipfile.lock, which Scalingo needs to install it"
                .to_string(),
        ),
        // Point at the manifest the app does have, when it is the project's.
        [] if ok(&app.manifests.pyproject).is_some_and(|p| p.declares_project) => (
            "pyproject.toml",
            "pyproject.toml declares the project, but none of requirements.txt, Pipfile.lock, poetry.lock or uv.lock is committed"
                .to_string(),
        ),
        [] => (
            "requirements.txt",
            "this Python app has none of requirements.txt, Pipfile.lock, poetry.lock or uv.lock"
                .to_string(),
        ),
        [first, ..] => (
            *first,
            format!(
                "this Python app has several dependency files ({}); Scalingo needs exactly one",
                found.join(", ")
            ),
        ),
    };
    let mut finding = rule.repo_finding(file, message);
    if found.is_empty()
        && let Some(nested) = nested_requirements(facts)
    {
        finding.message = format!(
            "{}; {nested} is in a folder, which only a setting pointing at it makes the host install",
            finding.message
        );
        finding.fact = Some(Fact::NestedRequirements);
    }
    vec![finding]
}

/// The pinned requirements file of a `requirements/` folder (the Django layout of
/// `requirements/base.txt`, `prod.txt`, `dev.txt`): the production one when named so,
/// else the base one. Development and test files are no install for production.
fn nested_requirements(facts: &RepoFacts) -> Option<String> {
    let files = facts.app_files.get("requirements")?;
    [
        "production.txt",
        "prod.txt",
        "base.txt",
        "main.txt",
        "common.txt",
    ]
    .iter()
    .find(|name| files.contains(**name))
    .map(|name| format!("requirements/{name}"))
}

/// A Python app by its dependency declarations; a pyproject.toml counts only when it
/// declares a project (it may only configure tools such as ruff or black).
fn is_python_app(app: &App) -> bool {
    ok(&app.manifests.pyproject).is_some_and(|p| p.declares_project)
        || app.has_any(&[
            "requirements.txt",
            "Pipfile",
            "Pipfile.lock",
            "poetry.lock",
            "uv.lock",
            "setup.py",
        ])
}

pub fn runtime_version_unpinned(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let mut findings = Vec::new();
    let manifests = &app.manifests;
    // Beside another stack's manifest (a Rails app's Gemfile), package.json is built only
    // when `.buildpacks` lists the Node.js buildpack, which then reads `engines.node`.
    let node_buildpack = manifests
        .buildpacks
        .as_ref()
        .is_some_and(|b| b.iter().any(|url| url.contains("nodejs-buildpack")));
    let node_app = !facts.has_any(OTHER_APP_MANIFESTS) || node_buildpack;
    if let Some(node) = manifests.package()
        && node_app
        && node.engines_node.is_none()
    {
        // The version file the team keeps is where the pin belongs to be moved from.
        match [".nvmrc", ".node-version"]
            .into_iter()
            .find(|f| facts.has(f))
        {
            Some(file) => {
                let message = format!(
                    "the Node version is pinned only in `{file}`, which Scalingo and Clever Cloud do not read"
                );
                let pin = manifests.version_files.get(file).map(String::as_bytes);
                let located = facts.manifest(file).zip(pin).and_then(|(text, pin)| {
                    let start = text.windows(pin.len()).position(|w| w == pin)?;
                    Some((text, (start, start + pin.len())))
                });
                findings.push(match located {
                    Some((text, span)) if span.1 > span.0 => {
                        finding_at(rule, file, text, span, message)
                    }
                    _ => rule.repo_finding("package.json", message),
                });
            }
            None => findings.push(rule.repo_finding(
                "package.json",
                "package.json does not pin the Node version in `engines.node`".to_string(),
            )),
        }
    }
    let python = is_python_app(app) && !facts.has_any(DETECTED_BEFORE_PYTHON);
    // runtime.txt is deprecated on Scalingo but still read first: the version is pinned.
    if python && !facts.has_any(&[".python-version", "Pipfile.lock", "runtime.txt"]) {
        findings.push(rule.repo_finding(
            ".python-version",
            "this Python app does not pin its Python version in .python-version".to_string(),
        ));
    }
    if let Some(gemfile) = &manifests.gemfile
        && gemfile.ruby.is_none()
    {
        let message = if facts.has(".ruby-version") {
            "the Ruby version is pinned only in .ruby-version; the hosts read the Gemfile's `ruby` line (`ruby file: \".ruby-version\"`)"
        } else {
            "the Gemfile does not pin the Ruby version with a `ruby` line"
        };
        findings.push(rule.repo_finding("Gemfile", message.to_string()));
    }
    if ok(&manifests.composer).is_some_and(|c| c.php.is_none()) {
        findings.push(rule.repo_finding(
            "composer.json",
            "composer.json does not pin the PHP version in `require.php`".to_string(),
        ));
    }
    if facts.has_any(&["pom.xml", "build.gradle", "build.gradle.kts"])
        && !manifests.version_files.contains_key("system.properties")
    {
        findings.push(java_unpinned(rule, facts));
    }
    findings
}

/// The Java version a Gradle release runs on at most, from the first release that
/// runs on each Java (docs.gradle.org/current/userguide/compatibility.html).
fn gradle_max_java(version: (u32, u32)) -> u32 {
    const FIRST_RUNNING: &[(u32, (u32, u32))] = &[
        (26, (9, 4)),
        (25, (9, 1)),
        (24, (8, 14)),
        (23, (8, 10)),
        (22, (8, 8)),
        (21, (8, 5)),
        (20, (8, 3)),
        (19, (7, 6)),
        (18, (7, 5)),
        (17, (7, 3)),
        (16, (7, 0)),
        (15, (6, 7)),
        (14, (6, 3)),
        (13, (6, 0)),
        (12, (5, 4)),
        (11, (5, 0)),
    ];
    FIRST_RUNNING
        .iter()
        .find(|(_, first)| version >= *first)
        .map_or(8, |(java, _)| *java)
}

/// `distributionUrl=...gradle-7.4-bin.zip` → (7, 4).
fn wrapper_version(properties: &str) -> Option<(u32, u32)> {
    let url = properties
        .lines()
        .find_map(|l| l.trim().strip_prefix("distributionUrl"))?;
    let name = url.rsplit('/').next()?.strip_prefix("gradle-")?;
    let mut parts = name.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A Maven or Gradle app without `java.runtime.version` in system.properties. With a
/// Gradle wrapper, the finding's fact is the newest Java that release runs on: a host
/// whose default JDK is newer fails the build.
fn java_unpinned(rule: &Rule, facts: &crate::repo::RepoFacts) -> Finding {
    let gradle = facts
        .manifest_text("gradle/wrapper/gradle-wrapper.properties")
        .and_then(|t| wrapper_version(&t));
    let mut message =
        "this Java app does not pin its Java version in system.properties (`java.runtime.version`)"
            .to_string();
    if let Some((major, minor)) = gradle {
        let max = gradle_max_java((major, minor));
        message.push_str(&format!(
            "; its Gradle {major}.{minor} wrapper runs on Java {max} at most"
        ));
    }
    let mut finding = rule.repo_finding("system.properties", message);
    finding.fact = gradle.map(|v| Fact::Number(u64::from(gradle_max_java(v))));
    finding
}
