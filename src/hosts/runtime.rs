//! Which runtime or buildpack each host would use for the detected stack, and whether
//! the pinned version is one it offers (platforms.md §1.12, §2.12, §3.12).

use super::Host;
use crate::app::stack::{Lang, Stack};
use crate::rules::spec::Impact;
use serde::Serialize;

/// What a host would run the app with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runtime {
    /// Buildpack, runtime type or image, e.g. `Node.js buildpack`, `node runtime`.
    pub name: String,
    /// The pinned version requirement and where it is written.
    pub version: Option<String>,
    /// The stack or version is not offered there (or needs a custom setup).
    pub warning: Option<String>,
    /// The warning means the deploy fails (`platforms.md` §5 row 21).
    #[serde(skip)]
    /// What the warning means there: `Blocks` when the build fails, `Degrades` when the
    /// version installs with a deprecation warning.
    pub impact: Impact,
    /// The file of the version pin this host reads.
    #[serde(skip)]
    pub pin_file: Option<String>,
    /// Whether the warning is about the stack (no buildpack builds it), not the version.
    #[serde(skip)]
    pub stack_unsupported: bool,
}

/// Versions a host offers for a language: a list, or a range of (major, minor).
#[derive(Debug, Clone, Copy)]
enum Offered {
    Versions(&'static [(u32, u32)]),
    Range((u32, u32), (u32, u32)),
}

/// `None`: no list documented (any version the runtime accepts).
fn offered(host: Host, lang: Lang) -> Option<Offered> {
    use Offered::{Range, Versions};
    match (host, lang) {
        // Scalingo [S:languages/*/start]: Node 22/24/26, Python 3.11–3.14, Ruby 3.3/3.4/4.0,
        // PHP 8.2–8.5, Go 1.25–1.27, Java 8–26.
        (Host::Scalingo, Lang::Node) => Some(Versions(&[(22, 0), (24, 0), (26, 0)])),
        (Host::Scalingo, Lang::Python) => Some(Versions(&[(3, 11), (3, 12), (3, 13), (3, 14)])),
        (Host::Scalingo, Lang::Ruby) => Some(Versions(&[(3, 3), (3, 4), (4, 0)])),
        (Host::Scalingo, Lang::Php) => Some(Versions(&[(8, 2), (8, 3), (8, 4), (8, 5)])),
        (Host::Scalingo, Lang::Go) => Some(Versions(&[(1, 25), (1, 26), (1, 27)])),
        (Host::Scalingo, Lang::Java | Lang::Gradle) => Some(Range((8, 0), (26, 0))),
        // Clever Cloud [gh:CleverCloud/documentation:data/runtime_versions.yml]: Python 2
        // and 3.9–3.14, PHP 5.6–8.5, Java 7–25; Node: any stable release.
        (Host::CleverCloud, Lang::Python) => Some(Versions(&[
            (2, 7),
            (3, 9),
            (3, 10),
            (3, 11),
            (3, 12),
            (3, 13),
            (3, 14),
        ])),
        (Host::CleverCloud, Lang::Php) => Some(Range((5, 6), (8, 5))),
        (Host::CleverCloud, Lang::Java | Lang::Gradle) => Some(Range((7, 0), (25, 0))),
        _ => None,
    }
}

impl Offered {
    /// Whether one of these versions meets `requirement`; `None` when it cannot be read.
    fn satisfies(self, lang: Lang, requirement: &str) -> Option<bool> {
        let minor_matters = by_minor(lang);
        let clauses = parse_requirement(requirement, lang)?;
        Some(self.candidates(minor_matters).into_iter().any(|v| {
            clauses
                .iter()
                .any(|clause| clause.iter().all(|c| c.allows(v, minor_matters)))
        }))
    }

    /// Every offered version; a range lists its majors (and minors up to 9 when the
    /// minor matters).
    fn candidates(self, minor_matters: bool) -> Vec<(u32, u32)> {
        match self {
            Offered::Versions(list) => list.to_vec(),
            Offered::Range(lo, hi) => (lo.0..=hi.0)
                .flat_map(|major| {
                    let minors = if minor_matters { 0..=9 } else { 0..=0 };
                    minors.map(move |minor| (major, minor))
                })
                .filter(|v| !minor_matters || (lo <= *v && *v <= hi))
                .collect(),
        }
    }

    fn describe(self, minor_matters: bool) -> String {
        let show = |v: (u32, u32)| {
            if minor_matters {
                format!("{}.{}", v.0, v.1)
            } else {
                v.0.to_string()
            }
        };
        match self {
            Offered::Versions(list) => list.iter().map(|v| show(*v)).collect::<Vec<_>>().join(", "),
            Offered::Range(lo, hi) => format!("{} to {}", show(lo), show(hi)),
        }
    }
}

/// Whether the language's offered versions are told apart by minor (3.12, 8.4, 1.25).
fn by_minor(lang: Lang) -> bool {
    matches!(lang, Lang::Python | Lang::Ruby | Lang::Php | Lang::Go)
}

/// One comparator of a version requirement (`>=20`, `<22`, `^8.2`, `~3.12`, `20.x`, `3.3.6`).
#[derive(Debug, PartialEq, Eq)]
enum Comparator {
    AtLeast(u32, u32),
    Above(u32, u32),
    Below(u32, u32),
    AtMost(u32, u32),
    /// Same major, and at least this minor (`^`).
    Caret(u32, u32),
    /// This major, and this minor when given (`20.x`, `~3.12`, `3.3.6`).
    Exact(u32, Option<u32>),
}

impl Comparator {
    fn allows(&self, v: (u32, u32), minor_matters: bool) -> bool {
        match *self {
            Comparator::AtLeast(a, b) => v >= (a, b),
            Comparator::Above(a, b) => v > (a, b) || (!minor_matters && v.0 > a),
            Comparator::Below(a, b) => v < (a, b),
            Comparator::AtMost(a, b) => v <= (a, b) || (!minor_matters && v.0 <= a),
            Comparator::Caret(a, b) => v.0 == a && (!minor_matters || v.1 >= b),
            Comparator::Exact(a, b) => v.0 == a && (!minor_matters || b.is_none_or(|b| v.1 == b)),
        }
    }
}

/// A requirement as alternatives (`||`) of comparators that must all hold; `None`
/// when a part cannot be read (`lts/*`, a git URL), so nothing is claimed about it.
fn parse_requirement(text: &str, lang: Lang) -> Option<Vec<Vec<Comparator>>> {
    text.split("||")
        .map(|clause| {
            clause
                .split([' ', ','])
                .filter(|part| !matches!(*part, "" | "*" | "x" | "X"))
                .map(|part| parse_comparator(part, lang))
                .collect::<Option<Vec<_>>>()
        })
        .collect()
}

/// Tilde operators differ: `~>` (Gemfile), `~=` (PEP 440) and Composer's `~` allow
/// newer minors when no patch is given (`~> 3.3` is 3.3 up to 4.0); npm's `~` does not.
fn parse_comparator(text: &str, lang: Lang) -> Option<Comparator> {
    let text = text.trim_start_matches("python-").trim_start_matches('v');
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (op, rest) = text.split_at(digits);
    let parts = rest.split('.').count();
    let loose_tilde = matches!(op, "~>" | "~=") || (op == "~" && lang == Lang::Php);
    if loose_tilde && parts == 2 {
        let mut numbers = rest.split('.').map(|p| p.parse::<u32>().ok());
        return Some(Comparator::Caret(numbers.next()??, numbers.next()??));
    }
    let mut numbers = rest.split('.').map(|p| p.parse::<u32>().ok());
    let major = numbers.next()??;
    let minor = numbers.next().flatten();
    let floor = minor.unwrap_or(0);
    Some(match op.trim_start_matches('v') {
        ">=" => Comparator::AtLeast(major, floor),
        ">" => Comparator::Above(major, floor),
        "<" => Comparator::Below(major, floor),
        "<=" => Comparator::AtMost(major, minor.unwrap_or(u32::MAX)),
        "^" => Comparator::Caret(major, floor),
        "" | "=" | "==" | "~" | "~=" | "~>" => Comparator::Exact(major, minor),
        _ => return None,
    })
}

/// Checks a version requirement against a host's list; `Some(reason)` when none of
/// the offered versions satisfies it.
fn unsupported(host: Host, lang: Lang, requirement: &str) -> Option<String> {
    let offer = offered(host, lang)?;
    (!offer.satisfies(lang, requirement)?).then(|| {
        format!(
            "{} {requirement} is not offered on {} (available: {})",
            lang.name(),
            host.name(),
            offer.describe(by_minor(lang))
        )
    })
}

/// The runtime each host would use for the stack.
pub fn runtime_for(host: Host, stack: &Stack) -> Runtime {
    let language = match host {
        Host::Scalingo => stack.primary(),
        Host::CleverCloud | Host::Scaleway => stack.app_language(),
    };
    let Some(lang) = language else {
        let name = if stack.dockerfile {
            match host {
                Host::Scalingo => "none (Scalingo builds no Dockerfile)",
                Host::CleverCloud => "docker runtime",
                Host::Scaleway => "image built from the Dockerfile",
            }
        } else {
            "none detected"
        };
        return Runtime {
            name: name.into(),
            version: None,
            warning: None,
            impact: Impact::None,
            pin_file: None,
            stack_unsupported: false,
        };
    };
    let pins = || stack.versions.iter().filter(|p| p.lang == lang);
    let pin = pins().find(|p| reads_pin(host, &p.source));
    let version = match (pin, pins().next()) {
        (Some(p), _) => Some(format!("{} ({})", p.requirement, p.source)),
        (None, Some(p)) => Some(format!(
            "{} ({}, which {} does not read)",
            p.requirement,
            p.source,
            host.name()
        )),
        (None, None) => None,
    };
    let mut runtime = Runtime {
        name: runtime_name(host, lang, stack),
        version,
        warning: None,
        impact: Impact::None,
        pin_file: pin.and_then(|p| p.source.split(' ').next().map(String::from)),
        stack_unsupported: false,
    };
    if host == Host::Scalingo
        && !stack.buildpacks_file
        && let Some(warning) = scalingo_unsupported_stack(lang)
    {
        runtime.warning = Some(warning);
        runtime.impact = Impact::Blocks;
        runtime.stack_unsupported = true;
        return runtime;
    }
    // Scaleway builds the Dockerfile when there is one, which pins its own base image;
    // without one, Paketo builds only some stacks.
    let docker_built = stack.dockerfile && host == Host::Scaleway;
    if host == Host::Scaleway
        && !docker_built
        && let Some(warning) = paketo_cannot_build(lang, stack)
    {
        runtime.warning = Some(warning);
        runtime.impact = Impact::Blocks;
        runtime.stack_unsupported = true;
        return runtime;
    }
    if let (Some(pin), false) = (pin, docker_built)
        && let Some(reason) = unsupported(host, lang, &pin.requirement)
    {
        runtime.impact = match scalingo_deprecated(host, lang, &pin.requirement) {
            Some(deprecated) => {
                runtime.warning = Some(deprecated);
                Impact::Degrades
            }
            None => {
                runtime.warning = Some(format!("{reason}: pin one of those versions"));
                Impact::Blocks
            }
        };
    } else if let (None, Some(other)) = (pin, pins().next())
        && let Some(reason) = unsupported(host, lang, &other.requirement)
    {
        // Clever Cloud takes the version from `CC_*_VERSION`: the one in the repository
        // is what the user would set there, so an unoffered one is worth a warning.
        runtime.warning = Some(format!("{reason}; set a supported one in the environment"));
    }
    runtime
}

/// Whether the host takes the version from this file (platforms.md §1.9, §2.9):
/// Scalingo reads every pin but `.nvmrc`/`.node-version`; Clever Cloud reads
/// `engines.node` and the Gemfile's `ruby`, and takes the others from `CC_*_VERSION`.
fn reads_pin(host: Host, source: &str) -> bool {
    match host {
        Host::Scalingo => !matches!(source, ".nvmrc" | ".node-version"),
        Host::CleverCloud => source == "package.json engines.node" || source == "Gemfile ruby",
        Host::Scaleway => true,
    }
}

/// Versions Scalingo still installs, with a warning, though it no longer lists them:
/// an end-of-life Node release its inventory holds (every major from 0.10 up), and
/// Python 3.10 (Scalingo/nodejs-buildpack lib/binaries.sh, Scalingo/python-buildpack
/// lib/python_version.sh). Below 3.10, and a Node version no release matches, fail.
fn scalingo_deprecated(host: Host, lang: Lang, requirement: &str) -> Option<String> {
    let released = match (host, lang) {
        (Host::Scalingo, Lang::Node) => Offered::Range((0, 0), (26, 0)),
        (Host::Scalingo, Lang::Python) => Offered::Versions(&[(3, 10)]),
        _ => return None,
    };
    released.satisfies(lang, requirement)?.then(|| {
        format!(
            "{} {requirement} is end-of-life on Scalingo: it installs with a warning and will become a build error",
            lang.name()
        )
    })
}

/// Scaleway without a Dockerfile builds with Paketo buildpacks, which need Go's go.mod
/// and go.sum, Node's package.json, Python's requirements.txt or Pipfile, a Maven or
/// Gradle build, Cargo.toml or composer.json (platforms.md §3, Scaleway's CLI docs).
fn paketo_cannot_build(lang: Lang, stack: &Stack) -> Option<String> {
    let builds = match lang {
        Lang::Go | Lang::Node | Lang::Java | Lang::Gradle | Lang::Rust | Lang::Php => true,
        Lang::Python => stack
            .root_manifests
            .iter()
            .any(|m| m == "requirements.txt" || m == "Pipfile"),
        _ => false,
    };
    (!builds).then(|| {
        let what = match lang {
            Lang::Python => "a Python app without requirements.txt or a Pipfile".to_string(),
            other => format!("{} apps", other.name()),
        };
        format!(
            "Scaleway builds images without a Dockerfile with Paketo buildpacks, which do not build {what}: add a Dockerfile"
        )
    })
}

fn scalingo_unsupported_stack(lang: Lang) -> Option<String> {
    matches!(lang, Lang::Rust | Lang::Dotnet | Lang::Elixir).then(|| {
        format!(
            "Scalingo has no {} buildpack: set `BUILDPACK_URL` to a custom one",
            lang.name()
        )
    })
}

fn runtime_name(host: Host, lang: Lang, stack: &Stack) -> String {
    match host {
        Host::Scalingo => {
            if stack.buildpacks_file {
                "buildpacks listed in .buildpacks".into()
            } else {
                format!("{} buildpack", lang.name())
            }
        }
        Host::CleverCloud => {
            // With a language manifest the user can pick that runtime; the Docker runtime
            // is the only choice when the Dockerfile is all there is.
            if stack.dockerfile && stack.languages.is_empty() {
                return "docker runtime".into();
            }
            let kind = match lang {
                Lang::Node => "node",
                Lang::Python => "python",
                Lang::Php => "php",
                Lang::Ruby => "ruby",
                Lang::Go => "go",
                Lang::Java => "java (maven)",
                Lang::Gradle => "java (gradle)",
                Lang::Scala => "scala",
                Lang::Rust => "rust",
                Lang::Dotnet => "dotnet",
                Lang::Elixir => "elixir",
                Lang::Clojure => "linux",
            };
            format!(
                "{kind} runtime (`clever create --type {}`)",
                kind.split(' ').next().unwrap_or(kind)
            )
        }
        Host::Scaleway => {
            if stack.dockerfile {
                "image built from the Dockerfile".into()
            } else {
                format!("image built by Paketo buildpacks ({})", lang.name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements() {
        assert_eq!(
            parse_requirement("20.x", Lang::Node),
            Some(vec![vec![Comparator::Exact(20, None)]])
        );
        assert_eq!(
            parse_requirement(">=18 <23", Lang::Node),
            Some(vec![vec![
                Comparator::AtLeast(18, 0),
                Comparator::Below(23, 0)
            ]])
        );
        assert_eq!(
            parse_requirement("python-3.12.1", Lang::Python),
            Some(vec![vec![Comparator::Exact(3, Some(12))]])
        );
        assert_eq!(parse_requirement("lts/*", Lang::Node), None);
    }

    #[test]
    fn ranges_and_alternatives() {
        let s = Host::Scalingo;
        assert!(unsupported(s, Lang::Node, "^20.19.0 || >=22.12.0").is_none());
        assert!(unsupported(s, Lang::Node, ">=20 <22").is_some());
        assert!(unsupported(s, Lang::Node, ">=20 <=22").is_none());
        assert!(unsupported(s, Lang::Node, "^20.19.0").is_some());
        assert!(unsupported(s, Lang::Php, ">=8.3").is_none());
        assert!(unsupported(s, Lang::Python, "~=3.10").is_none());
        assert!(unsupported(s, Lang::Python, "~=3.10.4").is_some());
        assert!(unsupported(s, Lang::Ruby, "~> 3.2").is_none());
        assert!(unsupported(s, Lang::Php, "~8.1").is_none());
        assert!(unsupported(s, Lang::Php, "~8.1.0").is_some());
        assert!(unsupported(s, Lang::Php, ">=7.4,<8.0").is_some());
        assert!(unsupported(s, Lang::Node, "~22.1").is_none());
    }

    #[test]
    fn scalingo_versions() {
        let s = Host::Scalingo;
        assert!(unsupported(s, Lang::Node, "20.x").is_some());
        assert!(unsupported(s, Lang::Node, "22.x").is_none());
        assert!(unsupported(s, Lang::Node, ">=18").is_none());
        assert!(unsupported(s, Lang::Python, "python-3.9.18").is_some());
        assert!(unsupported(s, Lang::Python, "3.12").is_none());
        assert!(unsupported(s, Lang::Php, "^7.4").is_some());
        assert!(unsupported(s, Lang::Php, "^8.0").is_none());
        assert!(unsupported(s, Lang::Go, "1.22").is_some());
        assert!(unsupported(s, Lang::Java, "17").is_none());
        assert!(unsupported(s, Lang::Ruby, "3.3.6").is_none());
        assert!(unsupported(s, Lang::Ruby, "3.1.2").is_some());
    }

    /// What Scalingo's buildpacks do with versions it no longer lists (row 21).
    #[test]
    fn scalingo_end_of_life_versions_degrade() {
        let runtime = |files: &[(&str, &str)]| {
            let app = crate::app::App::build(crate::hosts::test_facts(files), &Default::default());
            runtime_for(Host::Scalingo, &app.stack).impact
        };
        let node = |v: &str| format!(r#"{{"engines": {{"node": "{v}"}}}}"#);
        assert_eq!(
            runtime(&[("package.json", &node("18.x"))]),
            Impact::Degrades
        );
        assert_eq!(runtime(&[("package.json", &node("99.x"))]), Impact::Blocks);
        assert_eq!(runtime(&[("package.json", &node("24.x"))]), Impact::None);
        for (version, impact) in [
            ("3.10", Impact::Degrades),
            ("3.9", Impact::Blocks),
            ("3.13", Impact::None),
        ] {
            let files = [
                ("requirements.txt", "flask\n"),
                (".python-version", version),
            ];
            assert_eq!(runtime(&files), impact, "{version}");
        }
    }

    #[test]
    fn paketo_builds_only_some_stacks() {
        let scaleway = |files: &[(&str, &str)]| {
            let app = crate::app::App::build(crate::hosts::test_facts(files), &Default::default());
            runtime_for(Host::Scaleway, &app.stack).impact
        };
        assert_eq!(scaleway(&[("Gemfile", "gem 'rails'\n")]), Impact::Blocks);
        assert_eq!(
            scaleway(&[("Gemfile", "gem 'rails'\n"), ("Dockerfile", "FROM ruby\n")]),
            Impact::None
        );
        assert_eq!(
            scaleway(&[("pyproject.toml", "[project]\n")]),
            Impact::Blocks
        );
        assert_eq!(scaleway(&[("requirements.txt", "flask\n")]), Impact::None);
    }

    #[test]
    fn clever_versions() {
        let c = Host::CleverCloud;
        assert!(
            unsupported(c, Lang::Node, "14").is_none(),
            "no list documented"
        );
        assert!(unsupported(c, Lang::Python, "3.8").is_some());
        assert!(unsupported(c, Lang::Python, "3.9").is_none());
        assert!(unsupported(c, Lang::Php, "7.4").is_none());
        assert!(unsupported(c, Lang::Java, "26").is_some());
        assert!(unsupported(Host::Scaleway, Lang::Node, "10").is_none());
    }
}
