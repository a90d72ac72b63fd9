//! Which runtime or buildpack each host would use for the detected stack, and whether
//! the pinned version is one it offers (platforms.md §1.12, §2.12, §3.12).

use super::Host;
use super::stack::{Lang, Stack};
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
    pub blocks: bool,
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
    fn newest(self) -> (u32, u32) {
        match self {
            Offered::Versions(list) => list.iter().max().copied().unwrap_or((0, 0)),
            Offered::Range(_, hi) => hi,
        }
    }

    /// Whether some offered version satisfies `major` (and `minor`, exactly or as a
    /// floor when `caret`).
    fn satisfies(self, major: u32, minor: Option<u32>, caret: bool) -> bool {
        let wanted = |v: (u32, u32)| match minor {
            Some(m) if caret => v.0 == major && v.1 >= m,
            Some(m) => v == (major, m),
            None => v.0 == major,
        };
        match self {
            Offered::Versions(list) => list.iter().any(|v| wanted(*v)),
            Offered::Range(lo, hi) => {
                let floor = (major, minor.unwrap_or(0));
                let ceiling = if minor.is_some() && !caret {
                    floor
                } else {
                    (major, u32::MAX)
                };
                floor <= hi && ceiling >= lo
            }
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

/// A requirement reduced to what matters here: one version it pins (major, and
/// minor when given), or an open lower bound (`>=`), which any newer version satisfies.
#[derive(Debug, PartialEq, Eq)]
enum Requirement {
    Pinned(u32, Option<u32>, bool),
    AtLeast(u32, u32),
}

/// `20.x`, `^20.1`, `~3.12`, `python-3.12.1`, `3.3.6`, `>=18` (the first clause of
/// a range); `None` when it cannot be read.
fn parse_requirement(text: &str) -> Option<Requirement> {
    let first = text.split("||").next()?.split_whitespace().next()?;
    let first = first.trim_start_matches("python-").trim_start_matches('v');
    let (op, rest) = match first.find(|c: char| c.is_ascii_digit()) {
        Some(i) => first.split_at(i),
        None => return None,
    };
    let mut numbers = rest.split('.').map(|p| p.parse::<u32>().ok());
    let major = numbers.next()??;
    let minor = numbers.next().flatten();
    Some(match op {
        ">=" | ">" => Requirement::AtLeast(major, minor.unwrap_or(0)),
        // `^8.2` allows any 8.x from 8.2: the major is pinned, the minor is a floor.
        "^" => Requirement::Pinned(major, minor, true),
        _ => Requirement::Pinned(major, minor, false),
    })
}

/// Checks a version requirement against a host's list; `Some(reason)` when none of
/// the offered versions satisfies it.
fn unsupported(host: Host, lang: Lang, requirement: &str) -> Option<String> {
    let offer = offered(host, lang)?;
    let minor_matters = by_minor(lang);
    let ok = match parse_requirement(requirement)? {
        Requirement::AtLeast(major, minor) => offer.newest() >= (major, minor),
        Requirement::Pinned(major, minor, caret) => {
            offer.satisfies(major, minor.filter(|_| minor_matters), caret)
        }
    };
    (!ok).then(|| {
        format!(
            "{} {requirement} is not offered on {} (available: {})",
            lang.name(),
            host.name(),
            offer.describe(minor_matters)
        )
    })
}

/// The runtime each host would use for the stack.
pub fn runtime_for(host: Host, stack: &Stack) -> Runtime {
    let Some(lang) = stack.primary() else {
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
            blocks: false,
        };
    };
    let pin = stack.version_of(lang);
    let version = pin.map(|p| format!("{} ({})", p.requirement, p.source));
    let mut runtime = Runtime {
        name: runtime_name(host, lang, stack),
        version,
        warning: None,
        blocks: false,
    };
    if host == Host::Scalingo
        && !stack.buildpacks_file
        && let Some(warning) = scalingo_unsupported_stack(lang)
    {
        runtime.warning = Some(warning);
        runtime.blocks = true;
        return runtime;
    }
    // A Dockerfile build on Clever Cloud or Scaleway pins its own base image.
    let docker_built = stack.dockerfile && host != Host::Scalingo;
    if let (Some(pin), false) = (pin, docker_built)
        && let Some(reason) = unsupported(host, lang, &pin.requirement)
    {
        runtime.warning = Some(reason);
        runtime.blocks = true;
    }
    runtime
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
            if stack.dockerfile
                && !stack
                    .web
                    .iter()
                    .any(|w| !w.source.starts_with("Dockerfile"))
            {
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
            parse_requirement("20.x"),
            Some(Requirement::Pinned(20, None, false))
        );
        assert_eq!(
            parse_requirement(">=18 <23"),
            Some(Requirement::AtLeast(18, 0))
        );
        assert_eq!(
            parse_requirement("^8.2"),
            Some(Requirement::Pinned(8, Some(2), true))
        );
        assert_eq!(
            parse_requirement("python-3.12.1"),
            Some(Requirement::Pinned(3, Some(12), false))
        );
        assert_eq!(parse_requirement("lts/*"), None);
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
