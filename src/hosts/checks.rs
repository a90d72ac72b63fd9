//! The rows of platforms.md §5 that no rule expresses because they depend on the host:
//! each returns what it means on every host (impact and host-specific fix). Rows that
//! are plain findings (ports, bindings, disk, logs, secrets) come from the rules'
//! `[impact]` tables instead, see `verdict`.

use super::Host;
use super::runtime::Runtime;
use crate::app::App;
use crate::app::stack::{Lang, Stack};
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
pub fn run(app: &App) -> Vec<PlatformIssue> {
    let stack = &app.stack;
    let mut issues = Vec::new();
    issues.extend(mixed_root(app));
    issues.extend(extra_process_types(app));
    issues.extend(dockerfile_only(stack));
    issues.extend(development_image(app));
    issues.extend(submodules(app));
    issues.extend(env_var_names(app));
    issues.extend(clever_legacy_config(stack));
    issues.extend(clever_node_start(app));
    issues.extend(aptfile_ignored(app));
    issues.extend(buildpacks_ignored(app));
    issues
}

/// `.buildpacks` lists buildpacks beyond the language ones (ClamAV, Chrome,
/// LibreOffice): Scalingo runs them, while Clever Cloud's runtimes and Scaleway's Paketo
/// builder read no `.buildpacks`, so without a Dockerfile what they install is missing.
/// The apt buildpack is `aptfile_ignored`'s.
fn buildpacks_ignored(app: &App) -> Option<PlatformIssue> {
    let extra: Vec<String> = app
        .manifests
        .buildpacks
        .iter()
        .flatten()
        .filter(|url| url.contains('/'))
        .map(|url| buildpack_name(url))
        .filter(|name| !is_language_buildpack(name) && !name.contains("apt"))
        .collect();
    if extra.is_empty() || app.stack.dockerfile {
        return None;
    }
    let list = extra.join(", ");
    Some(PlatformIssue {
        id: "buildpacks-ignored",
        row: None,
        file: ".buildpacks".into(),
        message: format!(
            "the app needs what these buildpacks install, which only Scalingo runs: {list}"
        ),
        effects: [
            none(),
            effect(
                Impact::Degrades,
                "Clever Cloud's runtimes do not read .buildpacks: use the Docker runtime with the tools installed, or drop the dependency",
            ),
            effect(
                Impact::Degrades,
                "Paketo buildpacks do not read .buildpacks: build the image from a Dockerfile that installs the tools",
            ),
        ],
        unconfirmed: false,
    })
}

/// `https://github.com/Scalingo/clamav-buildpack.git#v2` → `clamav-buildpack`.
fn buildpack_name(url: &str) -> String {
    let path = url.split('#').next().unwrap_or(url).trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    last.trim_end_matches(".git").to_ascii_lowercase()
}

/// Scalingo's and Heroku's language buildpacks (`php-buildpack`,
/// `heroku-buildpack-nodejs`), which the other hosts replace with their own runtimes.
fn is_language_buildpack(name: &str) -> bool {
    const LANGUAGES: &[&str] = &[
        "nodejs",
        "node",
        "php",
        "python",
        "ruby",
        "go",
        "java",
        "gradle",
        "scala",
        "clojure",
        "jvm-common",
        "multi",
    ];
    let lang = name
        .strip_suffix("-buildpack")
        .or_else(|| name.strip_prefix("heroku-buildpack-"))
        .unwrap_or(name);
    LANGUAGES.contains(&lang)
}

/// An `Aptfile` lists system packages for Scalingo's apt buildpack; the other hosts'
/// builders have no such step (Clever Cloud's runtimes, Scaleway's Paketo builder), so
/// without a Dockerfile the packages are missing there.
fn aptfile_ignored(app: &App) -> Option<PlatformIssue> {
    if !app.has("Aptfile") || app.stack.dockerfile {
        return None;
    }
    Some(PlatformIssue {
        id: "aptfile-ignored",
        row: None,
        file: "Aptfile".into(),
        message: "the app needs the system packages listed in `Aptfile`, which only Scalingo's apt buildpack installs".into(),
        effects: [
            none(),
            effect(
                Impact::Degrades,
                "Clever Cloud's runtimes do not read an Aptfile: use the Docker runtime with the packages installed, or drop the dependency",
            ),
            effect(
                Impact::Degrades,
                "Paketo buildpacks do not read an Aptfile: build the image from a Dockerfile that installs the packages",
            ),
        ],
        unconfirmed: true,
    })
}

/// Clever Cloud ignores the Procfile and starts a Node app with `npm start`: a Procfile
/// `web:` line that is the only start declaration leaves it nothing to run. (Without a
/// Procfile either, `missing-procfile` reports it on every host.)
fn clever_node_start(app: &App) -> Option<PlatformIssue> {
    let package = app.manifests.package()?;
    let procfile_web = app
        .processes
        .iter()
        .any(|p| p.origin == crate::app::processes::Origin::Procfile && p.is_web());
    if app.stack.app_language() != Some(Lang::Node)
        || app.stack.dockerfile
        || package.declares_start()
        || !procfile_web
    {
        return None;
    }
    Some(PlatformIssue {
        id: "clever-node-start",
        row: Some(4),
        file: "package.json".into(),
        message: "only the Procfile says how to start this Node app; package.json has neither `scripts.start` nor `main`".into(),
        effects: [
            none(),
            effect(
                Impact::Blocks,
                "Clever Cloud ignores the Procfile and runs `npm start`: add `scripts.start` to package.json, or set `CC_RUN_COMMAND` (https://www.clever.cloud/developers/doc/applications/nodejs/)",
            ),
            none(),
        ],
        unconfirmed: false,
    })
}

/// Row 21: the pinned version (or the stack) is not offered by the host: blocks where
/// the host reads that pin, advisory where the version is set in its environment.
pub fn unsupported_runtime(runtimes: &[Runtime; 3]) -> Option<PlatformIssue> {
    let effects = runtimes.clone().map(|r| match (r.impact, r.warning) {
        (Impact::Blocks | Impact::Degrades, Some(warning)) => (r.impact, warning),
        (_, Some(warning)) => (Impact::Advisory, warning),
        _ => none(),
    });
    let blocking = runtimes.iter().find(|r| r.warning.is_some())?;
    Some(PlatformIssue {
        id: "unsupported-runtime",
        row: Some(21),
        file: blocking.pin_file.clone().unwrap_or_default(),
        message: match &blocking.version {
            Some(version) if !blocking.stack_unsupported => {
                format!("the pinned version {version} is not offered on every host")
            }
            _ => format!(
                "no buildpack of {} builds this stack",
                runtimes
                    .iter()
                    .zip(Host::ALL)
                    .filter(|(r, _)| r.stack_unsupported)
                    .map(|(_, h)| h.name())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        },
        effects,
        unconfirmed: false,
    })
}

/// Row 7: package.json beside another stack's manifest is built as Node.js by Scalingo.
/// Built so, the app starts with `npm start`, which without a `start` script runs
/// `node server.js`: with neither (nor a Procfile `web:`), no web process can start.
fn mixed_root(app: &App) -> Option<PlatformIssue> {
    let stack = &app.stack;
    let other = [Lang::Php, Lang::Python, Lang::Ruby]
        .into_iter()
        .find(|l| stack.has(*l))?;
    if !stack.has(Lang::Node) || stack.buildpacks_file || stack.primary() != Some(Lang::Node) {
        return None;
    }
    let node_start = app.manifests.procfile_web().is_some()
        || app.inventory.has("server.js")
        || app
            .manifests
            .package()
            .is_some_and(|p| p.script("start").is_some());
    let buildpacks = format!(
        "add a `.buildpacks` file listing the Node.js then the {} buildpack (the last one gives the default processes)",
        other.name()
    );
    let scalingo = if node_start {
        effect(
            Impact::Degrades,
            &format!(
                "Scalingo builds it as Node.js (first match wins) unless `BUILDPACK_NAME` or `BUILDPACK_URL` is set in its environment: {buildpacks}"
            ),
        )
    } else {
        effect(
            Impact::Blocks,
            &format!(
                "Scalingo builds it as Node.js (first match wins) and then runs `npm start`, which package.json does not define (no `scripts.start`, no server.js, no Procfile `web:`): {buildpacks}, or set `BUILDPACK_NAME`"
            ),
        )
    };
    Some(PlatformIssue {
        id: "mixed-root-stack",
        row: Some(7),
        file: "package.json".into(),
        message: format!(
            "package.json sits beside a {} app at the root",
            other.name()
        ),
        effects: [
            scalingo,
            none(),
            effect(
                Impact::Advisory,
                "Paketo buildpacks may build either stack: build the image from a Dockerfile",
            ),
        ],
        unconfirmed: false,
    })
}

/// Row 10: Procfile process types besides `web` (and the hooks).
fn extra_process_types(app: &App) -> Option<PlatformIssue> {
    let names: Vec<&str> = app
        .manifests
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
fn development_image(app: &App) -> Option<PlatformIssue> {
    let command = crate::app::processes::development_image(&app.manifests)?;
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

/// Row 23: git submodules.
fn submodules(app: &App) -> Option<PlatformIssue> {
    app.has(".gitmodules").then(|| PlatformIssue {
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
fn env_var_names(app: &App) -> Option<PlatformIssue> {
    let (file, json) = app.manifests.app_manifests().next()?;
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
        let app = App::build(facts(files), &Default::default());
        run(&app).iter().map(|i| i.id).collect()
    }

    #[test]
    fn a_mixed_root_without_a_node_start_blocks_on_scalingo() {
        let scalingo = |files: &[(&str, &str)]| {
            let app = App::build(facts(files), &Default::default());
            let issues = run(&app);
            let mixed = issues.iter().find(|i| i.id == "mixed-root-stack").unwrap();
            mixed.effects[0].0
        };
        let php = ("composer.json", "{}");
        assert_eq!(
            scalingo(&[
                ("package.json", "{\"devDependencies\": {\"sass\": \"1\"}}"),
                php
            ]),
            Impact::Blocks
        );
        assert_eq!(
            scalingo(&[
                (
                    "package.json",
                    "{\"scripts\": {\"start\": \"node app.js\"}}"
                ),
                php
            ]),
            Impact::Degrades
        );
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
            ["extra-process-types"]
        );
        assert_eq!(ids(&[(".gitmodules", "")]), ["git-submodules"]);
        assert_eq!(
            ids(&[("requirements.txt", "django\n"), ("Aptfile", "gdal-bin\n")]),
            ["aptfile-ignored"]
        );
        let buildpacks = "https://github.com/Scalingo/clamav-buildpack\nhttps://github.com/Scalingo/apt-buildpack.git\nhttps://github.com/Scalingo/php-buildpack#v1\n";
        assert_eq!(
            ids(&[("composer.json", "{}"), (".buildpacks", buildpacks)]),
            ["buildpacks-ignored"]
        );
        assert!(
            ids(&[
                ("composer.json", "{}"),
                (".buildpacks", "https://github.com/Scalingo/apt-buildpack\nhttps://github.com/heroku/heroku-buildpack-php\n")
            ])
            .is_empty()
        );
        assert_eq!(
            ids(&[
                ("package.json", "{}"),
                ("Procfile", "web: node dist/main.js\n")
            ]),
            ["clever-node-start"]
        );
        assert_eq!(
            ids(&[("scalingo.json", r#"{"name":"a","env":{"_SECRET":{}}}"#)]),
            ["env-var-name"]
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

    /// What a rule reports is counted by that rule alone: cron limits, Clever Cloud cron
    /// commands, `release:`, in-process schedulers, version pins and the package manager
    /// as the web process have no host check of their own.
    #[test]
    fn no_host_check_twins_a_rule() {
        for files in [
            &[(
                "cron.json",
                r#"{"jobs":[{"command":"*/5 * * * * python x.py"}]}"#,
            )][..],
            &[("clevercloud/cron.json", r#"["0 3 * * * python x.py"]"#)],
            &[
                ("Procfile", "web: npm start\nrelease: rails db:migrate\n"),
                ("package.json", r#"{"main": "a.js"}"#),
            ],
            &[
                ("package.json", r#"{"dependencies":{"node-cron":"3"}}"#),
                (".nvmrc", "22\n"),
            ],
            &[
                ("requirements.txt", "flask==3\n"),
                ("runtime.txt", "python-3.12.1\n"),
            ],
        ] {
            let found = ids(files);
            assert!(
                found.iter().all(|id| *id == "extra-process-types"),
                "{files:?}: {found:?}"
            );
        }
    }
}
