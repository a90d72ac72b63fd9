//! From findings and host checks to a verdict and a score per host. A finding counts
//! with its rule's `[impact]` for the host (rule data), except for the two §5 rows
//! whose effect depends on details the rule table cannot hold: a hardcoded port 8080
//! (row 1) and a missing start command on Clever Cloud, which ignores the Procfile
//! and starts Python, PHP, Ruby, Go and Java apps its own way (rows 3-4).

use super::Host;
use super::checks::PlatformIssue;
use crate::app::stack::{Lang, Stack};
use crate::finding::{Fact, Finding};
use crate::rules::Registry;
use crate::rules::spec::Impact;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ready,
    NeedsChanges,
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::NeedsChanges => "needs-changes",
            Verdict::Blocked => "blocked",
        }
    }
}

/// Where a cause comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A rule's findings (`id` is the rule id).
    Rule,
    /// A host check on the repository's shape (`id` names it; `row` is its §5 row).
    Platform,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Rule => "rule",
            Origin::Platform => "platform",
        }
    }
}

/// One reason for a host's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub id: String,
    pub origin: Origin,
    pub impact: Impact,
    pub row: Option<u8>,
    pub message: String,
    /// What to do on this host.
    pub fix: String,
    /// What the problem means on this host (the rule's `[docs.hosts]` note).
    pub note: String,
    /// `file:line` of the findings (at most `MAX_LOCATIONS`), or the file concerned.
    pub locations: Vec<String>,
    /// How many findings of the rule count here.
    pub count: usize,
    pub unconfirmed: bool,
    /// Why the findings behind this cause are not among those shown (a baseline, a
    /// file selection or diff mode): it still counts, and the report says so.
    pub hidden: Option<&'static str>,
}

const MAX_LOCATIONS: usize = 5;

/// Ports Scaleway Serverless Containers refuse (platforms.md §3.3).
const SCALEWAY_RESERVED_PORTS: &[u16] = &[8008, 8012, 8013, 8022, 9090, 9091];

/// The causes on one host, most serious first; causes with no effect there are left out.
pub fn causes(
    host: Host,
    stack: &Stack,
    findings: &[Finding],
    registry: &Registry,
    issues: &[PlatformIssue],
) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::new();
    for finding in findings {
        let Some(rule) = registry.get(&finding.rule) else {
            continue;
        };
        let base = rule
            .spec
            .impact
            .get(host.id())
            .copied()
            .unwrap_or(Impact::None);
        let note = rule
            .spec
            .docs
            .hosts
            .get(host.id())
            .map(|n| strip_impact_prefix(n.trim()).to_string())
            .unwrap_or_default();
        let fix = rule
            .spec
            .host_fix
            .get(host.id())
            .unwrap_or(&rule.spec.help)
            .clone();
        let (impact, fix) = host_specific(host, stack, finding).unwrap_or((base, fix));
        if impact == Impact::None {
            continue;
        }
        let location = if finding.is_repository_level() {
            finding.file.clone()
        } else {
            format!("{}:{}", finding.file, finding.start.line)
        };
        match out.iter_mut().find(|c| c.id == finding.rule) {
            Some(cause) => {
                cause.count += 1;
                if cause.locations.len() < MAX_LOCATIONS {
                    cause.locations.push(location);
                }
                if impact > cause.impact {
                    cause.impact = impact;
                    cause.fix = fix;
                }
            }
            None => out.push(Cause {
                id: finding.rule.clone(),
                origin: Origin::Rule,
                impact,
                row: None,
                message: finding.message.clone(),
                fix,
                note,
                locations: vec![location],
                count: 1,
                unconfirmed: false,
                hidden: None,
            }),
        }
    }
    for issue in issues {
        let (impact, fix) = issue.effect(host);
        if *impact == Impact::None {
            continue;
        }
        out.push(Cause {
            id: issue.id.to_string(),
            origin: Origin::Platform,
            impact: *impact,
            row: issue.row,
            message: issue.message.clone(),
            fix: fix.clone(),
            note: String::new(),
            locations: (!issue.file.is_empty())
                .then(|| issue.file.clone())
                .into_iter()
                .collect(),
            count: 1,
            unconfirmed: issue.unconfirmed,
            hidden: None,
        });
    }
    // Most serious first; the order of discovery is kept within a level.
    out.sort_by_key(|c| std::cmp::Reverse(c.impact));
    out
}

/// Host notes often open with the impact (`blocks: ...`), which the report shows apart.
fn strip_impact_prefix(note: &str) -> &str {
    ["blocks: ", "degrades: ", "advisory: "]
        .iter()
        .find_map(|p| note.strip_prefix(p))
        .unwrap_or(note)
}

/// The JDK Scalingo's Java buildpacks install when system.properties pins none.
const SCALINGO_DEFAULT_JAVA: u16 = 25;

/// The number a finding carries: the port a `hardcoded-port` finding highlights (its
/// `hit` group), the newest Java a Gradle wrapper runs on.
fn finding_number(finding: &Finding) -> Option<u16> {
    match finding.fact {
        Some(Fact::Number(n)) => u16::try_from(n).ok(),
        _ => None,
    }
}

fn host_specific(host: Host, stack: &Stack, finding: &Finding) -> Option<(Impact, String)> {
    match (finding.rule.as_str(), host) {
        ("hardcoded-port" | "listen-default-in-settings", Host::CleverCloud)
            if finding_number(finding) == Some(8080) =>
        {
            Some((Impact::None, String::new()))
        }
        // Scalingo's Java and Gradle buildpacks start a Spring Boot app that has no
        // Procfile with `java -Dserver.port=$PORT -jar ...`.
        ("listen-default-in-settings", Host::Scalingo)
            if finding_number(finding).is_some() && spring_default_start(stack) =>
        {
            Some((
                Impact::Advisory,
                "with no Procfile, Scalingo starts Spring Boot with `-Dserver.port=$PORT`; a Procfile `web:` line must pass it too (https://doc.scalingo.com/languages/java/start)".into(),
            ))
        }
        ("hardcoded-port" | "listen-default-in-settings", Host::Scaleway) => {
            let port = finding_number(finding)?;
            if SCALEWAY_RESERVED_PORTS.contains(&port) {
                Some((
                    Impact::Blocks,
                    format!(
                        "port {port} is reserved on Serverless Containers: read `PORT` (the container's Port parameter, default 8080)"
                    ),
                ))
            } else if port == 8080 {
                Some((
                    Impact::Advisory,
                    "8080 is the default Port parameter, so this works until the parameter changes: read `PORT`".into(),
                ))
            } else {
                None
            }
        }
        // Without system.properties Scalingo installs its default JDK, which a Gradle
        // wrapper older than that JDK cannot run: the build fails.
        ("runtime-version-unpinned", Host::Scalingo)
            if finding_number(finding).is_some_and(|max| max < SCALINGO_DEFAULT_JAVA) =>
        {
            let max = finding_number(finding)?;
            Some((
                Impact::Blocks,
                format!(
                    "Scalingo installs Java {SCALINGO_DEFAULT_JAVA} when system.properties pins none, and this Gradle wrapper runs on Java {max} at most: add `java.runtime.version={max}` to system.properties (https://doc.scalingo.com/languages/java/start)"
                ),
            ))
        }
        _ if finding.fact == Some(Fact::CleverCloudOnly) && host != Host::CleverCloud => {
            Some((Impact::None, String::new()))
        }
        // Clever Cloud installs any requirements file `CC_PIP_REQUIREMENTS_FILE` names: one
        // setting, not a build that cannot run.
        ("python-dependency-files", Host::CleverCloud)
            if finding.fact == Some(Fact::NestedRequirements) =>
        {
            Some((
                Impact::Degrades,
                "set `CC_PIP_REQUIREMENTS_FILE` to the requirements file the message names (https://www.clever.cloud/developers/doc/applications/python/)".into(),
            ))
        }
        ("missing-procfile", Host::CleverCloud) if stack.app_language() != Some(Lang::Node) => {
            Some((Impact::None, String::new()))
        }
        // An image built by buildpacks, with nothing that says how to start it, has no
        // command to run.
        ("missing-procfile", Host::Scaleway) if !stack.dockerfile => Some((
            Impact::Blocks,
            "the image Paketo builds has no start command: add a Procfile `web:` line or a Dockerfile with a `CMD`".into(),
        )),
        _ => None,
    }
}

/// A Spring Boot app without a Procfile `web:` line: the buildpack's default start.
fn spring_default_start(stack: &Stack) -> bool {
    stack.frameworks.iter().any(|f| f == "Spring Boot")
        && !stack.web.iter().any(|s| s.source.starts_with("Procfile"))
}

pub fn verdict(causes: &[Cause]) -> Verdict {
    let worst = causes
        .iter()
        .map(|c| c.impact)
        .max()
        .unwrap_or(Impact::None);
    match worst {
        Impact::Blocks => Verdict::Blocked,
        Impact::Degrades => Verdict::NeedsChanges,
        Impact::Advisory | Impact::None => Verdict::Ready,
    }
}

/// `100 − 25 × blocking − 10 × degrading − 2 × advisory` causes (each rule or host
/// check counts once, however many findings it has), floored at 0, then capped at 40
/// for `blocked` and 85 for `needs-changes`, so the score never contradicts the verdict.
pub fn score(causes: &[Cause], verdict: Verdict) -> u8 {
    let weight = |c: &Cause| match c.impact {
        Impact::Blocks => 25,
        Impact::Degrades => 10,
        Impact::Advisory => 2,
        Impact::None => 0,
    };
    let raw = 100u32.saturating_sub(causes.iter().map(weight).sum());
    let cap = match verdict {
        Verdict::Blocked => 40,
        Verdict::NeedsChanges => 85,
        Verdict::Ready => 100,
    };
    u8::try_from(raw.min(cap)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(impact: Impact) -> Cause {
        Cause {
            id: "x".into(),
            origin: Origin::Rule,
            impact,
            row: None,
            message: String::new(),
            fix: String::new(),
            note: String::new(),
            locations: Vec::new(),
            count: 1,
            unconfirmed: false,
            hidden: None,
        }
    }

    fn port_finding(port: &str) -> Finding {
        let text = format!("app.listen({port});");
        Finding {
            rule: "hardcoded-port".into(),
            factor: Some(7),
            severity: crate::finding::Severity::Error,
            file: "server.js".into(),
            start: crate::finding::Position {
                line: 3,
                column: 12,
            },
            end: crate::finding::Position {
                line: 3,
                column: 16,
            },
            message: "the server listens on a hardcoded port".into(),
            help: String::new(),
            excerpt: crate::finding::Excerpt {
                highlight: (11, 11 + port.len()),
                text,
                secrets: Vec::new(),
            },
            fingerprint: String::new(),
            fact: port.parse().ok().map(Fact::Number),
            legacy_fingerprint: None,
        }
    }

    fn impacts(findings: &[Finding], stack: &Stack) -> Vec<Option<Impact>> {
        let registry = Registry::builtin().unwrap();
        Host::ALL
            .iter()
            .map(|h| {
                causes(*h, stack, findings, &registry, &[])
                    .first()
                    .map(|c| c.impact)
            })
            .collect()
    }

    #[test]
    fn port_8080_is_fine_on_clever_cloud_only() {
        let stack = Stack::default();
        assert_eq!(
            impacts(&[port_finding("8080")], &stack),
            [Some(Impact::Blocks), None, Some(Impact::Advisory)]
        );
        assert_eq!(
            impacts(&[port_finding("3000")], &stack),
            [Some(Impact::Blocks); 3]
        );
        let registry = Registry::builtin().unwrap();
        let reserved = causes(
            Host::Scaleway,
            &stack,
            &[port_finding("9090")],
            &registry,
            &[],
        );
        assert!(reserved[0].fix.contains("reserved"), "{reserved:?}");
    }

    /// A requirements file in a folder is one Clever Cloud setting away; Scalingo still
    /// finds no dependency file at the root.
    #[test]
    fn nested_requirements_degrade_clever_cloud_only() {
        let mut finding = port_finding("1");
        finding.rule = "python-dependency-files".into();
        finding.start.line = 0;
        finding.fact = None;
        let stack = Stack::default();
        let blocks = [
            Some(Impact::Blocks),
            Some(Impact::Blocks),
            Some(Impact::Advisory),
        ];
        assert_eq!(impacts(std::slice::from_ref(&finding), &stack), blocks);
        finding.fact = Some(Fact::NestedRequirements);
        assert_eq!(
            impacts(std::slice::from_ref(&finding), &stack),
            [
                Some(Impact::Blocks),
                Some(Impact::Degrades),
                Some(Impact::Advisory)
            ]
        );
    }

    #[test]
    fn missing_start_blocks_clever_cloud_only_for_node() {
        let mut finding = port_finding("1");
        finding.rule = "missing-procfile".into();
        finding.start.line = 0;
        let python = Stack {
            languages: vec![Lang::Python],
            ..Stack::default()
        };
        let node = Stack {
            languages: vec![Lang::Node],
            ..Stack::default()
        };
        assert_eq!(impacts(std::slice::from_ref(&finding), &python)[1], None);
        assert_eq!(
            impacts(std::slice::from_ref(&finding), &node)[1],
            Some(Impact::Blocks)
        );
    }

    #[test]
    fn verdict_and_score() {
        assert_eq!(verdict(&[]), Verdict::Ready);
        assert_eq!(score(&[], Verdict::Ready), 100);
        let advisory = [cause(Impact::Advisory)];
        assert_eq!(
            (verdict(&advisory), score(&advisory, Verdict::Ready)),
            (Verdict::Ready, 98)
        );
        let degraded = [cause(Impact::Degrades), cause(Impact::Advisory)];
        assert_eq!(verdict(&degraded), Verdict::NeedsChanges);
        assert_eq!(score(&degraded, Verdict::NeedsChanges), 85);
        let blocked = [
            cause(Impact::Blocks),
            cause(Impact::Blocks),
            cause(Impact::Degrades),
        ];
        assert_eq!(verdict(&blocked), Verdict::Blocked);
        assert_eq!(score(&blocked, Verdict::Blocked), 40);
        let many = vec![cause(Impact::Blocks); 5];
        assert_eq!(score(&many, Verdict::Blocked), 0);
    }
}
