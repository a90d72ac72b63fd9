//! The portability report (decide step): for each target host, a verdict, a score, the
//! findings and host checks that drive it with the host's own fix, the runtime the
//! host would use, and what to set up. Facts come from `/work/shared/platforms.md`
//! (Scalingo §1, Clever Cloud §2, Scaleway Serverless Containers §3; checklist §5).

pub mod advice;
pub mod checks;
pub mod init;
pub mod monorepo;
pub mod no_verdict;
pub mod runtime;
pub mod verdict;

use crate::app::App;
use crate::app::stack;
use crate::finding::Finding;
use crate::rules::Registry;
use crate::rules::spec::Impact;
pub use verdict::{Cause, Verdict};

pub use crate::platform::{Compliance, Host};

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Advisory => "advisory",
            Impact::Degrades => "degrades",
            Impact::Blocks => "blocks",
        }
    }
}

/// What the user asked for: which hosts, and which label they must hold.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Empty: every host.
    pub hosts: Vec<Host>,
    pub require: Option<Compliance>,
}

impl Targets {
    /// The hosts asked for, in twelve's order (every host when none is named).
    pub fn wanted(&self) -> Vec<Host> {
        Host::ALL
            .into_iter()
            .filter(|h| self.hosts.is_empty() || self.hosts.contains(h))
            .collect()
    }

    /// When `require` leaves none of the wanted hosts: each one with why it is out. The
    /// label depends on the host alone, so this is known before any scan.
    pub fn unmet_requirement(&self) -> Option<Vec<Excluded>> {
        let require = self.require?;
        let mut excluded = Vec::new();
        for host in self.wanted() {
            match advice::compliance(host, require) {
                Ok(_) => return None,
                Err(reason) => excluded.push(Excluded { host, reason }),
            }
        }
        Some(excluded)
    }
}

/// One host's assessment.
#[derive(Debug, Clone)]
pub struct HostReport {
    pub host: Host,
    pub verdict: Verdict,
    pub score: u8,
    /// Blocking, then degrading, then advisory causes.
    pub causes: Vec<Cause>,
    pub runtime: runtime::Runtime,
    /// How the host would start the web process, if it can tell.
    pub start: Option<stack::Start>,
    /// What to configure there (environment variables, addons, hooks).
    pub setup: Vec<String>,
    /// Object storage to use instead of the local disk, when local storage was found.
    pub storage: Option<String>,
    /// The compliance label asked for, and its evidence.
    pub compliance: Option<String>,
}

/// A host left out by `--require`, and why.
#[derive(Debug, Clone)]
pub struct Excluded {
    pub host: Host,
    pub reason: String,
}

/// A backing service and whether its address comes from the environment: `hardcoded_at`
/// lists the backing-service findings (factor IV) that name it.
#[derive(Debug, Clone)]
pub struct ServiceStatus {
    pub service: stack::ServiceUse,
    pub hardcoded_at: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Portability {
    pub stack: stack::Stack,
    pub services: Vec<ServiceStatus>,
    pub hosts: Vec<HostReport>,
    pub excluded: Vec<Excluded>,
    /// Repository-wide advice: health data, storage alternatives.
    pub advisories: Vec<String>,
    /// For a monorepo whose root is no app: each app's own assessment.
    pub apps: Vec<monorepo::AppPortability>,
}

/// Assesses one application against the target hosts. Each violation counts once, by
/// the rule that reports it; host checks add only what no rule covers.
pub fn assess(
    app: &App,
    findings: &[Finding],
    registry: &Registry,
    targets: &Targets,
) -> Portability {
    let stack = app.stack.clone();
    let runtimes = Host::ALL.map(|h| runtime::runtime_for(h, &stack));
    let mut issues = checks::run(app);
    issues.extend(checks::unsupported_runtime(&runtimes));
    let wanted = targets.wanted();
    let mut excluded = Vec::new();
    let mut hosts = Vec::new();
    for host in wanted {
        let label = targets.require.map(|c| advice::compliance(host, c));
        if let Some(Err(reason)) = &label {
            excluded.push(Excluded {
                host,
                reason: reason.clone(),
            });
            continue;
        }
        let causes = verdict::causes(host, &stack, findings, registry, &issues);
        let verdict = verdict::verdict(&causes);
        hosts.push(HostReport {
            host,
            verdict,
            score: verdict::score(&causes, verdict),
            causes,
            runtime: runtimes[host as usize].clone(),
            start: advice::start(host, &stack),
            setup: advice::setup(host, app, findings),
            storage: advice::storage(host, findings),
            compliance: label.and_then(Result::ok),
        });
    }
    let advisories = advice::repository(&stack, &app.inventory, findings);
    let services = stack
        .services
        .iter()
        .map(|service| ServiceStatus {
            service: service.clone(),
            hardcoded_at: findings
                .iter()
                .filter(|f| f.factor == Some(4) && names_service(f, service.kind))
                .map(|f| format!("{}:{}", f.file, f.start.line))
                .collect(),
        })
        .collect();
    Portability {
        stack,
        services,
        hosts,
        excluded,
        advisories,
        apps: Vec::new(),
    }
}

fn names_service(finding: &Finding, kind: stack::ServiceKind) -> bool {
    let text = finding.excerpt.text.to_lowercase();
    kind.keywords().iter().any(|k| text.contains(k))
}

/// The decide step of `twelve check`: the verdicts of the one scanned directory (of
/// its apps, for a monorepo whose root is no app); `None` for several directories, or
/// when nothing is an app. `apps` are the scan's models, roots first by path.
pub fn assess_apps(
    apps: &[App],
    findings: &[Finding],
    registry: &Registry,
    targets: &Targets,
) -> Option<Portability> {
    let roots = apps.iter().filter(|a| a.path.is_empty()).count();
    let (root, parts) = apps.split_first().filter(|_| roots == 1)?;
    // No stack and no image: there is no app to judge, so no verdict (not "ready"),
    // unless the repository holds apps in folders.
    if !root.is_empty() {
        return Some(assess(root, findings, registry, targets));
    }
    let parts: Vec<&App> = parts.iter().collect();
    monorepo::assess(&parts, findings, registry, targets)
}

/// Marks the rule causes none of whose findings is among `shown` as hidden for `why`:
/// the verdict still counts them, and the report says where they went.
pub fn mark_hidden(p: &mut Portability, shown: &[Finding], why: &'static str) {
    for cause in p.hosts.iter_mut().flat_map(|h| h.causes.iter_mut()) {
        let visible = shown.iter().any(|f| f.rule == cause.id);
        if cause.origin == verdict::Origin::Rule && !visible && cause.hidden.is_none() {
            cause.hidden = Some(why);
        }
    }
}

/// Says which rules that bear on the verdicts are off (`--select`, `--ignore`,
/// twelve.toml): what they would find is not judged.
pub fn note_rules_off(p: &mut Portability, registry: &Registry, enabled: impl Fn(&str) -> bool) {
    let off: Vec<&str> = registry
        .rules
        .iter()
        .filter(|r| r.spec.impact.values().any(|i| *i != Impact::None))
        .map(|r| r.id())
        .filter(|id| !enabled(id))
        .collect();
    if !off.is_empty() {
        p.advisories.push(format!(
            "{} rule(s) that bear on these verdicts are off, so what they would find is not judged: {}",
            off.len(),
            off.join(", ")
        ));
    }
}

/// Repository facts made of root files with their contents, for unit tests.
#[cfg(test)]
pub(crate) fn test_facts(files: &[(&str, &str)]) -> crate::repo::RepoFacts {
    let mut facts = crate::repo::RepoFacts::default();
    for (name, text) in files {
        facts.root_files.insert(name.to_string());
        facts
            .manifests
            .insert(name.to_string(), text.as_bytes().to_vec());
    }
    facts
}

/// Why `assess_apps` gave no verdict, for the reports: several roots, a file, or no app
/// in the one scanned folder (and what was seen there, with the paths it could not read).
pub fn why_no_verdict(
    roots: usize,
    apps: &[App],
    findings: &[Finding],
    problems: &[crate::walk::ScanProblem],
) -> no_verdict::NoVerdict {
    if roots > 1 {
        return no_verdict::several_folders(roots);
    }
    match apps.iter().find(|a| a.path.is_empty()) {
        Some(root) => no_verdict::no_app(&root.inventory, findings, problems),
        None => no_verdict::not_a_folder(),
    }
}
