//! Factor II, declared and isolated dependencies, read from the root manifests:
//! `missing-lockfile`, `multiple-node-lockfiles` (§1 build blockers, §5 #5),
//! `python-dependency-files` (§1 build blockers, §5 #6) and `runtime-version-unpinned`
//! (§1.9, §2.9, §5 #19-20).

use super::start::{OTHER_APP_MANIFESTS, node_start};
use super::{finding_at, regex};
use crate::finding::Finding;
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

pub fn missing_lockfile(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut report = |file: &str, message: &str| {
        findings.push(rule.repo_finding(file, message.to_string()));
    };
    let node_deps = facts
        .manifest("package.json")
        .and_then(|p| node_start(p).ok())
        .is_some_and(|n| n.has_dependencies);
    if node_deps && !facts.has_any(NODE_LOCKS) {
        report(
            "package.json",
            "package.json declares dependencies but no lockfile is committed (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock)",
        );
    }
    if facts.has("Gemfile") && !facts.has_any(&["Gemfile.lock", "gems.locked"]) {
        report("Gemfile", "the Gemfile has no committed Gemfile.lock");
    }
    if let Some(composer) = facts.manifest("composer.json")
        && composer_requires_packages(composer)
        && !facts.has("composer.lock")
    {
        report(
            "composer.json",
            "composer.json requires packages but no composer.lock is committed",
        );
    }
    if let Some(gomod) = facts.manifest("go.mod")
        && regex(r"(?m)^require\b").is_match(&String::from_utf8_lossy(gomod))
        && !facts.has("go.sum")
    {
        report(
            "go.mod",
            "go.mod has requirements but no go.sum is committed",
        );
    }
    let python_lock = facts.has_any(&["Pipfile.lock", "poetry.lock", "uv.lock"]);
    if let Some(requirements) = facts.manifest("requirements.txt")
        && !python_lock
        && let Some((start, end)) = first_unpinned_requirement(requirements)
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

/// Whether composer.json requires anything besides PHP itself and its extensions.
fn composer_requires_packages(composer: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(composer) else {
        return false;
    };
    value
        .get("require")
        .and_then(|r| r.as_object())
        .is_some_and(|r| r.keys().any(|k| k != "php" && !k.starts_with("ext-")))
}

/// Byte range of the first requirement line that does not pin one version. Options
/// (`-r other.txt`, `--hash`), editable installs and direct references (`pkg @ url`)
/// are left alone: they cannot be judged from this file.
pub fn first_unpinned_requirement(text: &[u8]) -> Option<(usize, usize)> {
    let mut offset = 0;
    for raw in text.split_inclusive(|b| *b == b'\n') {
        let start = offset;
        offset += raw.len();
        let line = String::from_utf8_lossy(raw);
        let code = line.split(" #").next().unwrap_or("").trim_end();
        let trimmed = code.trim_start();
        let is_requirement = trimmed.starts_with(|c: char| c.is_ascii_alphanumeric());
        let pinned = trimmed.contains("==") || trimmed.contains(" @ ") || trimmed.contains("://");
        if is_requirement && !pinned && !trimmed.starts_with("git+") {
            let lead = code.len() - trimmed.len();
            let end = start + lead + trimmed.trim_end_matches('\\').trim_end().len();
            return Some((start + lead, end));
        }
    }
    None
}

pub fn multiple_node_lockfiles(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
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

pub fn python_dependency_files(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    if !is_python_app(facts) || facts.has_any(DETECTED_BEFORE_PYTHON) {
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
    vec![rule.repo_finding(file, message)]
}

/// A Python app by its dependency declarations; a pyproject.toml counts only when it
/// declares a project (it may only configure tools such as ruff or black).
fn is_python_app(facts: &RepoFacts) -> bool {
    let project = facts.manifest("pyproject.toml").is_some_and(|p| {
        regex(r"(?m)^\[(?:project|tool\.poetry)\]").is_match(&String::from_utf8_lossy(p))
    });
    project
        || facts.has_any(&[
            "requirements.txt",
            "Pipfile",
            "Pipfile.lock",
            "poetry.lock",
            "uv.lock",
            "setup.py",
        ])
}

pub fn runtime_version_unpinned(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let node_app = !facts.has_any(OTHER_APP_MANIFESTS);
    if let Some(Ok(node)) = facts.manifest("package.json").map(node_start)
        && node_app
        && node.engines_node.is_none()
    {
        let message = match ["/.nvmrc", "/.node-version"]
            .iter()
            .find(|f| facts.has(&f[1..]))
        {
            Some(f) => format!(
                "the Node version is pinned only in `{}`, which Scalingo and Clever Cloud do not read",
                &f[1..]
            ),
            None => "package.json does not pin the Node version in `engines.node`".to_string(),
        };
        findings.push(rule.repo_finding("package.json", message));
    }
    let python = is_python_app(facts) && !facts.has_any(DETECTED_BEFORE_PYTHON);
    if python && !facts.has_any(&[".python-version", "Pipfile.lock"]) {
        let (file, message) = if facts.has("runtime.txt") {
            (
                "runtime.txt",
                "the Python version is pinned only in runtime.txt, deprecated on Scalingo and not read by Clever Cloud",
            )
        } else {
            (
                ".python-version",
                "this Python app does not pin its Python version in .python-version",
            )
        };
        findings.push(rule.repo_finding(file, message.to_string()));
    }
    if let Some(gemfile) = facts.manifest("Gemfile")
        && !regex(r"(?m)^\s*ruby\b").is_match(&String::from_utf8_lossy(gemfile))
    {
        let message = if facts.has(".ruby-version") {
            "the Ruby version is pinned only in .ruby-version; the hosts read the Gemfile's `ruby` line (`ruby file: \".ruby-version\"`)"
        } else {
            "the Gemfile does not pin the Ruby version with a `ruby` line"
        };
        findings.push(rule.repo_finding("Gemfile", message.to_string()));
    }
    if let Some(composer) = facts.manifest("composer.json")
        && serde_json::from_slice::<serde_json::Value>(composer)
            .is_ok_and(|v| v.pointer("/require/php").is_none())
    {
        findings.push(rule.repo_finding(
            "composer.json",
            "composer.json does not pin the PHP version in `require.php`".to_string(),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::first_unpinned_requirement;

    #[test]
    fn unpinned_requirements() {
        let text = b"# c\n-r base.txt\nDjango==5.1 \\\n    --hash=sha256:abc\npkg @ https://x/y.whl\nrequests>=2\n";
        let (start, end) = first_unpinned_requirement(text).unwrap();
        assert_eq!(&text[start..end], b"requests>=2");
        assert_eq!(first_unpinned_requirement(b"flask==3.0 # web\n"), None);
    }
}
