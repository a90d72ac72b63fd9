//! The rows of platforms.md §5 that no rule expresses because they depend on the host:
//! each returns what it means on every host (impact and host-specific fix). Rows that
//! are plain findings (ports, bindings, disk, logs, secrets) come from the rules'
//! `[impact]` tables instead, see `verdict`.

use super::Host;
use super::runtime::Runtime;
use super::stack::{Lang, Stack};
use crate::repo::RepoFacts;
use crate::rules::spec::Impact;

/// A repository-level cause found by a host check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformIssue {
    /// Kebab-case id, shown beside rule ids.
    pub id: &'static str,
    /// Row of platforms.md §5.
    pub row: Option<u8>,
    /// The file it concerns.
    pub file: String,
    pub message: String,
    /// Impact and fix on Scalingo, Clever Cloud, Scaleway (in `Host::ALL` order).
    pub effects: [(Impact, String); 3],
    /// The platform fact behind it is marked (unconfirmed) in platforms.md.
    pub unconfirmed: bool,
}

impl PlatformIssue {
    pub fn effect(&self, host: Host) -> &(Impact, String) {
        &self.effects[host as usize]
    }
}

fn none() -> (Impact, String) {
    (Impact::None, String::new())
}

fn effect(impact: Impact, fix: &str) -> (Impact, String) {
    (impact, fix.to_string())
}

/// Runs every host check on the stack.
pub fn run(stack: &Stack, facts: &RepoFacts) -> Vec<PlatformIssue> {
    let mut issues = Vec::new();
    issues.extend(mixed_root(stack));
    issues.extend(procfile_release(stack));
    issues.extend(extra_process_types(stack));
    issues.extend(in_process_scheduler(stack));
    issues.extend(scalingo_cron(facts));
    issues.extend(clever_cron(facts));
    issues.extend(dockerfile_only(stack));
    issues.extend(development_image(facts));
    issues.extend(package_manager_as_pid1(stack));
    issues.extend(version_pin_files(stack));
    issues.extend(submodules(facts));
    issues.extend(env_var_names(facts));
    issues.extend(clever_legacy_config(stack));
    issues
}

/// Row 21: the pinned version (or the stack) is not offered by the host: blocks where
/// the host reads that pin, advisory where the version is set in its environment.
pub fn unsupported_runtime(runtimes: &[Runtime; 3]) -> Option<PlatformIssue> {
    let effects = runtimes.clone().map(|r| match (r.blocks, r.warning) {
        (true, Some(warning)) => (
            Impact::Blocks,
            format!("{warning}: pin one of those versions"),
        ),
        (false, Some(warning)) => (Impact::Advisory, warning),
        _ => none(),
    });
    let blocking = runtimes.iter().find(|r| r.warning.is_some())?;
    Some(PlatformIssue {
        id: "unsupported-runtime",
        row: Some(21),
        file: blocking.pin_file.clone().unwrap_or_default(),
        message: match &blocking.version {
            Some(version) => format!("the pinned version {version} is not offered on every host"),
            None => "the stack has no buildpack on this host".into(),
        },
        effects,
        unconfirmed: false,
    })
}

/// Row 7: package.json beside another stack's manifest is built as Node.js by Scalingo.
fn mixed_root(stack: &Stack) -> Option<PlatformIssue> {
    let other = [Lang::Php, Lang::Python, Lang::Ruby]
        .into_iter()
        .find(|l| stack.has(*l))?;
    if !stack.has(Lang::Node) || stack.buildpacks_file || stack.primary() != Some(Lang::Node) {
        return None;
    }
    Some(PlatformIssue {
        id: "mixed-root-stack",
        row: Some(7),
        file: "package.json".into(),
        message: format!(
            "package.json sits beside a {} app at the root",
            other.name()
        ),
        effects: [
            effect(
                Impact::Degrades,
                &format!(
                    "Scalingo builds it as Node.js (first match wins) unless `BUILDPACK_NAME` or `BUILDPACK_URL` is set in its environment: add a `.buildpacks` file listing the Node.js then the {} buildpack (the last one gives the default processes)",
                    other.name()
                ),
            ),
            none(),
            effect(
                Impact::Advisory,
                "Paketo buildpacks may build either stack: build the image from a Dockerfile",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 9: a Heroku `release:` process.
fn procfile_release(stack: &Stack) -> Option<PlatformIssue> {
    let release = stack
        .procfile
        .iter()
        .flatten()
        .find(|d| d.name == "release")?;
    Some(PlatformIssue {
        id: "procfile-release",
        row: Some(9),
        file: "Procfile".into(),
        message: format!(
            "the Procfile runs `{}` as a `release:` process",
            release.command
        ),
        effects: [
            effect(
                Impact::Blocks,
                "Scalingo ignores `release:`: rename the line `postdeploy:`",
            ),
            effect(
                Impact::Blocks,
                "Clever Cloud ignores the Procfile: run the command in `CC_PRE_RUN_HOOK`",
            ),
            effect(
                Impact::Blocks,
                "no release hook: run the command in the entrypoint before binding the port, or as a Serverless Job",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 10: Procfile process types besides `web` (and the hooks).
fn extra_process_types(stack: &Stack) -> Option<PlatformIssue> {
    let names: Vec<&str> = stack
        .procfile
        .iter()
        .flatten()
        .map(|d| d.name.as_str())
        .filter(|n| !matches!(*n, "web" | "postdeploy" | "release"))
        .collect();
    if names.is_empty() {
        return None;
    }
    let list = names.join("`, `");
    Some(PlatformIssue {
        id: "extra-process-types",
        row: Some(10),
        file: "Procfile".into(),
        message: format!("the Procfile declares other process types: `{list}`"),
        effects: [
            effect(
                Impact::Advisory,
                &format!(
                    "only `web` starts by default: scale `{list}` to at least 1 (e.g. `scalingo scale {}:1`)",
                    names[0]
                ),
            ),
            effect(
                Impact::Degrades,
                "the Procfile is ignored: declare each one with `CC_WORKER_COMMAND_N`; workers run on every web instance, and not with Docker",
            ),
            effect(
                Impact::Degrades,
                "a container is one HTTP service: deploy each process as its own container with a port, or as a Serverless Job",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 11: a scheduler library running jobs inside the web processes.
fn in_process_scheduler(stack: &Stack) -> Option<PlatformIssue> {
    let first = stack.schedulers.first()?;
    let clock = stack.processes.iter().any(|p| {
        ["clock", "sched", "cron"]
            .iter()
            .any(|w| p.source.contains(w))
    });
    let scalingo = if clock {
        effect(
            Impact::Advisory,
            "keep the scheduler in its own `clock` process, scaled to exactly 1",
        )
    } else {
        effect(
            Impact::Degrades,
            "every web container runs the jobs: move them to `cron.json` (Scalingo Scheduler) or one `clock` process",
        )
    };
    Some(PlatformIssue {
        id: "in-process-scheduler",
        row: Some(11),
        file: String::new(),
        message: format!("`{first}` schedules jobs inside the app's processes"),
        effects: [
            scalingo,
            effect(
                Impact::Degrades,
                "every instance runs the jobs: use `clevercloud/cron.json`, and run once with `INSTANCE_NUMBER` = 0",
            ),
            effect(
                Impact::Blocks,
                "with `min-scale` 0 the container sleeps and the jobs never run: use CRON triggers (HTTP calls) or Serverless Jobs",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 12: Scalingo's `cron.json` allows at most 5 jobs, 10 minutes apart at least.
fn scalingo_cron(facts: &RepoFacts) -> Option<PlatformIssue> {
    let json: serde_json::Value = serde_json::from_slice(facts.manifest("cron.json")?).ok()?;
    let jobs = json.get("jobs")?.as_array()?;
    let commands: Vec<&str> = jobs
        .iter()
        .filter_map(|j| j.get("command")?.as_str())
        .collect();
    let problem = if jobs.len() > 5 {
        format!("cron.json declares {} jobs (at most 5)", jobs.len())
    } else if let Some(cmd) = commands.iter().find(|c| c.trim_start().starts_with('@')) {
        format!("`{cmd}` uses an `@` shortcut, which the Scalingo Scheduler refuses")
    } else if let Some(cmd) = commands
        .iter()
        .find(|c| minute_gap(c).is_some_and(|g| g < 10))
    {
        format!("`{cmd}` runs more often than every 10 minutes")
    } else {
        return None;
    };
    Some(PlatformIssue {
        id: "scalingo-cron-limits",
        row: Some(12),
        file: "cron.json".into(),
        message: problem,
        effects: [
            effect(
                Impact::Blocks,
                "the deploy fails: keep at most 5 jobs, at least 10 minutes apart, written as 5-field expressions (UTC)",
            ),
            none(),
            none(),
        ],
        unconfirmed: false,
    })
}

/// Smallest gap in minutes between runs from a cron expression's minute field.
fn minute_gap(command: &str) -> Option<u32> {
    let minute = command.split_whitespace().next()?;
    if minute == "*" {
        return Some(1);
    }
    if let Some(step) = minute.strip_prefix("*/") {
        return step.parse().ok();
    }
    if minute.contains('-') {
        return Some(1);
    }
    let mut values: Vec<u32> = minute.split(',').filter_map(|v| v.parse().ok()).collect();
    if values.len() < 2 {
        return None;
    }
    values.sort_unstable();
    let wrap = 60 + values[0] - values[values.len() - 1];
    values.windows(2).map(|w| w[1] - w[0]).chain([wrap]).min()
}

/// Row 13: `clevercloud/cron.json` commands need absolute paths.
fn clever_cron(facts: &RepoFacts) -> Option<PlatformIssue> {
    let json: serde_json::Value =
        serde_json::from_slice(facts.manifest("clevercloud/cron.json")?).ok()?;
    let bad = json
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str())
        .find(|line| {
            if line.trim_start().starts_with("@reboot") {
                return true;
            }
            let command = line.split_whitespace().nth(5).unwrap_or("");
            !(command.starts_with('/') || command.starts_with("$ROOT"))
        })?;
    Some(PlatformIssue {
        id: "clever-cron-command",
        row: Some(13),
        file: "clevercloud/cron.json".into(),
        message: format!("`{bad}` does not run an absolute path (or uses `@reboot`)"),
        effects: [
            none(),
            effect(
                Impact::Degrades,
                "commands need absolute paths (`$ROOT/...`), and get the environment only through a `#!/bin/bash -l` script",
            ),
            none(),
        ],
        unconfirmed: false,
    })
}

/// Row 14: a Dockerfile and no manifest a buildpack recognises.
fn dockerfile_only(stack: &Stack) -> Option<PlatformIssue> {
    if !stack.dockerfile || !stack.languages.is_empty() {
        return None;
    }
    Some(PlatformIssue {
        id: "dockerfile-only",
        row: Some(14),
        file: "Dockerfile".into(),
        message: "the app is described only by a Dockerfile".into(),
        effects: [
            effect(
                Impact::Blocks,
                "Scalingo builds with buildpacks and deploys no Dockerfile: add the stack's manifest, or deploy the image elsewhere",
            ),
            effect(
                Impact::Advisory,
                "the Docker runtime builds it, without workers, cron or FS Bucket",
            ),
            none(),
        ],
        unconfirmed: false,
    })
}

/// No §5 row: the Dockerfile is a development image (`checks::start`), which the
/// buildpack hosts never run but Scaleway would, being the image the repository builds.
fn development_image(facts: &RepoFacts) -> Option<PlatformIssue> {
    let command = crate::checks::start::development_image(facts)?;
    Some(PlatformIssue {
        id: "development-image",
        row: None,
        file: "Dockerfile".into(),
        message: format!(
            "the Dockerfile is a development image: its CMD runs a development server (`{command}`)"
        ),
        effects: [
            none(),
            none(),
            effect(
                Impact::Degrades,
                "Scaleway runs the image the repository builds: give production a Dockerfile whose CMD starts the production server (gunicorn, `node server.js`...), and keep this one for docker compose",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 18: `npm`/`yarn` as the process that receives SIGTERM.
fn package_manager_as_pid1(stack: &Stack) -> Option<PlatformIssue> {
    let start = stack.web.iter().find(|s| {
        (s.source.starts_with("Procfile") || s.source.starts_with("Dockerfile"))
            && ["npm ", "yarn ", "pnpm "]
                .iter()
                .any(|p| s.command.starts_with(p))
    })?;
    let fix = "the package manager does not forward SIGTERM, so the app is killed without a graceful shutdown: start `node` directly";
    Some(PlatformIssue {
        id: "package-manager-as-pid1",
        row: Some(18),
        file: start.source.split(' ').next().unwrap_or("").to_string(),
        message: format!(
            "`{}` starts the app through the package manager ({})",
            start.command, start.source
        ),
        effects: [
            effect(Impact::Advisory, fix),
            effect(Impact::Advisory, fix),
            effect(Impact::Advisory, fix),
        ],
        unconfirmed: false,
    })
}

/// Rows 19 and 20: the version is pinned only where a host does not look.
fn version_pin_files(stack: &Stack) -> Option<PlatformIssue> {
    let first = |lang| stack.version_of(lang).map(|p| p.source.as_str());
    match (first(Lang::Node), first(Lang::Python)) {
        (Some(src @ (".nvmrc" | ".node-version")), _) => Some(PlatformIssue {
            id: "version-pin-ignored",
            row: Some(19),
            file: src.into(),
            message: format!("the Node.js version is pinned only in `{src}`"),
            effects: [
                effect(
                    Impact::Degrades,
                    "Scalingo does not read it: set `engines.node` in package.json",
                ),
                effect(
                    Impact::Degrades,
                    "Clever Cloud ignores and deletes `.nvmrc`: set `engines.node` in package.json",
                ),
                effect(
                    Impact::Advisory,
                    "pin the version in package.json `engines.node` or in the Dockerfile's base image",
                ),
            ],
            unconfirmed: false,
        }),
        (_, Some("runtime.txt"))
            if !stack.versions.iter().any(|v| v.source == ".python-version") =>
        {
            Some(PlatformIssue {
                id: "version-pin-ignored",
                row: Some(20),
                file: "runtime.txt".into(),
                message: "the Python version is pinned only in `runtime.txt`".into(),
                effects: [
                    effect(
                        Impact::Advisory,
                        "`runtime.txt` is deprecated: write the version in `.python-version`",
                    ),
                    effect(
                        Impact::Degrades,
                        "Clever Cloud reads only `CC_PYTHON_VERSION`: set it",
                    ),
                    effect(
                        Impact::Advisory,
                        "pin the version in `.python-version` or the Dockerfile's base image",
                    ),
                ],
                unconfirmed: false,
            })
        }
        _ => None,
    }
}

/// Row 23: git submodules.
fn submodules(facts: &RepoFacts) -> Option<PlatformIssue> {
    facts.has(".gitmodules").then(|| PlatformIssue {
        id: "git-submodules",
        row: Some(23),
        file: ".gitmodules".into(),
        message: "the repository uses git submodules".into(),
        effects: [
            effect(
                Impact::Blocks,
                "Scalingo does not pull submodules: vendor the code or install it as a package",
            ),
            none(),
            none(),
        ],
        unconfirmed: false,
    })
}

/// Row 29: env var names Scalingo refuses, from the app manifest's `env`.
fn env_var_names(facts: &RepoFacts) -> Option<PlatformIssue> {
    let (file, bytes) = ["scalingo.json", "app.json"]
        .iter()
        .find_map(|f| Some((*f, facts.manifest(f)?)))?;
    let json: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let bad = json.get("env")?.as_object()?.keys().find(|name| {
        name.starts_with('_')
            || name.len() > 64
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })?;
    Some(PlatformIssue {
        id: "env-var-name",
        row: Some(29),
        file: file.into(),
        message: format!(
            "environment variable `{bad}` starts with `_`, is over 64 characters or has other characters than letters, digits and `_`"
        ),
        effects: [
            effect(
                Impact::Blocks,
                "Scalingo refuses the name: rename the variable",
            ),
            none(),
            none(),
        ],
        unconfirmed: false,
    })
}

/// platforms.md §2.2: `clevercloud/php.json` and `python.json` left the docs in 2025.
fn clever_legacy_config(stack: &Stack) -> Option<PlatformIssue> {
    let file = stack
        .clever_files
        .iter()
        .find(|f| f.ends_with("/php.json") || f.ends_with("/python.json"))?;
    Some(PlatformIssue {
        id: "clever-legacy-config",
        row: Some(9),
        file: file.clone(),
        message: format!("`{file}` is a legacy Clever Cloud file"),
        effects: [
            none(),
            effect(
                Impact::Advisory,
                "it left the docs in 2025 and may no longer be read: use `CC_WEBROOT`, `CC_PYTHON_MODULE` and `CC_PYTHON_MANAGE_TASKS`",
            ),
            none(),
        ],
        unconfirmed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::hosts::test_facts as facts;

    fn ids(files: &[(&str, &str)]) -> Vec<&'static str> {
        let facts = facts(files);
        let stack = crate::hosts::stack::detect(&facts);
        run(&stack, &facts).iter().map(|i| i.id).collect()
    }

    #[test]
    fn repository_shapes() {
        assert_eq!(
            ids(&[("Dockerfile", "FROM x\nCMD [\"/app\"]\n")]),
            ["dockerfile-only"]
        );
        assert_eq!(
            ids(&[("package.json", "{}"), ("composer.json", "{}")]),
            ["mixed-root-stack"]
        );
        assert!(
            ids(&[
                ("package.json", "{}"),
                ("composer.json", "{}"),
                (".buildpacks", "x")
            ])
            .is_empty()
        );
        assert_eq!(
            ids(&[(
                "Procfile",
                "web: node a.js\nrelease: npm run migrate\nworker: node w.js\n"
            )]),
            ["procfile-release", "extra-process-types"]
        );
        assert_eq!(
            ids(&[(
                "cron.json",
                r#"{"jobs":[{"command":"*/5 * * * * python x.py"}]}"#
            )]),
            ["scalingo-cron-limits"]
        );
        assert!(
            ids(&[(
                "cron.json",
                r#"{"jobs":[{"command":"*/10 * * * * python x.py"}]}"#
            )])
            .is_empty()
        );
        assert_eq!(
            ids(&[("clevercloud/cron.json", r#"["0 3 * * * python x.py"]"#)]),
            ["clever-cron-command"]
        );
        assert!(ids(&[("clevercloud/cron.json", r#"["0 3 * * * $ROOT/bin/x.sh"]"#)]).is_empty());
        assert_eq!(
            ids(&[("package.json", "{}"), (".nvmrc", "22\n")]),
            ["version-pin-ignored"]
        );
        assert_eq!(ids(&[(".gitmodules", "")]), ["git-submodules"]);
        assert_eq!(
            ids(&[("scalingo.json", r#"{"name":"a","env":{"_SECRET":{}}}"#)]),
            ["env-var-name"]
        );
        assert_eq!(
            ids(&[("package.json", r#"{"dependencies":{"node-cron":"3"}}"#)]),
            ["in-process-scheduler"]
        );
        assert_eq!(
            ids(&[("Procfile", "web: npm start\n"), ("package.json", "{}")]),
            ["package-manager-as-pid1"]
        );
        // A docker compose image that runs the development server, beside a buildpack app.
        let dev =
            "FROM python:3.13\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n";
        let app = [("requirements.txt", "django\n"), ("Dockerfile", dev)];
        assert!(ids(&app).is_empty());
        let compose = ("compose.yaml", "services:\n  web:\n    build: .\n");
        assert_eq!(ids(&[app[0], app[1], compose]), ["development-image"]);
        let prod = "FROM python:3.13\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
        assert!(ids(&[app[0], ("Dockerfile", prod), compose]).is_empty());
    }

    #[test]
    fn cron_minute_gaps() {
        assert_eq!(minute_gap("*/5 * * * * x"), Some(5));
        assert_eq!(minute_gap("* * * * * x"), Some(1));
        assert_eq!(minute_gap("0,30 * * * * x"), Some(30));
        assert_eq!(minute_gap("0,5,30 * * * * x"), Some(5));
        assert_eq!(minute_gap("15 3 * * * x"), None);
    }
}
