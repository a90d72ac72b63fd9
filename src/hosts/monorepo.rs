//! A monorepo whose root is no app: each app folder is assessed on its own (the hosts
//! deploy one folder per app: Scalingo's `PROJECT_DIR`, Clever Cloud's `APP_FOLDER`,
//! Scaleway's build context), and the repository's verdict per host is its worst app's.

use super::{HostReport, Portability, verdict};
use crate::app::App;
use crate::app::stack::Stack;

/// One app of a monorepo and its own assessment.
#[derive(Debug, Clone)]
pub struct AppPortability {
    /// The app's folder, e.g. `backend` or `src/api`.
    pub path: String,
    pub portability: Portability,
}

/// Assesses each app with the findings under its folder, then merges: per host, every
/// app's causes (messages prefixed with the folder), the lowest score, and the runtime,
/// start and setup of the app with the worst verdict.
pub fn assess(
    apps: &[&App],
    findings: &[crate::finding::Finding],
    registry: &crate::rules::Registry,
    targets: &super::Targets,
) -> Option<Portability> {
    let parts: Vec<AppPortability> = apps
        .iter()
        .map(|app| {
            let prefix = format!("{}/", app.path);
            let own: Vec<_> = findings
                .iter()
                .filter(|f| f.file.starts_with(&prefix))
                .cloned()
                .collect();
            AppPortability {
                path: app.path.clone(),
                portability: super::assess(app, &own, registry, targets),
            }
        })
        .collect();
    let first = parts.first()?;
    let hosts = first
        .portability
        .hosts
        .iter()
        .map(|h| merge_host(h.host, &parts))
        .collect();
    let mut advisories = Vec::new();
    for part in &parts {
        for advisory in &part.portability.advisories {
            if !advisories.contains(advisory) {
                advisories.push(advisory.clone());
            }
        }
    }
    Some(Portability {
        stack: merged_stack(&parts),
        services: parts
            .iter()
            .flat_map(|p| p.portability.services.clone())
            .collect(),
        hosts,
        excluded: first.portability.excluded.clone(),
        advisories,
        apps: parts,
    })
}

fn merge_host(host: super::Host, parts: &[AppPortability]) -> HostReport {
    let reports: Vec<(&str, &HostReport)> = parts
        .iter()
        .filter_map(|p| {
            let report = p.portability.hosts.iter().find(|h| h.host == host)?;
            Some((p.path.as_str(), report))
        })
        .collect();
    let (_, worst) = reports
        .iter()
        .max_by_key(|(_, r)| (severity(r.verdict), std::cmp::Reverse(r.score)))
        .copied()
        .expect("every app is assessed for the same hosts");
    let mut causes = Vec::new();
    for (path, report) in &reports {
        for cause in &report.causes {
            let mut cause = cause.clone();
            cause.message = format!("{path}/: {}", cause.message);
            // Rule findings already name files from the repository's root.
            for location in &mut cause.locations {
                if !location.starts_with(&format!("{path}/")) {
                    *location = format!("{path}/{location}");
                }
            }
            causes.push(cause);
        }
    }
    causes.sort_by_key(|c| std::cmp::Reverse(c.impact));
    let verdict = verdict::verdict(&causes);
    HostReport {
        host,
        verdict,
        score: reports.iter().map(|(_, r)| r.score).min().unwrap_or(0),
        causes,
        runtime: worst.runtime.clone(),
        start: worst.start.clone(),
        setup: worst.setup.clone(),
        storage: worst.storage.clone(),
        compliance: worst.compliance.clone(),
    }
}

fn severity(verdict: verdict::Verdict) -> u8 {
    match verdict {
        verdict::Verdict::Ready => 0,
        verdict::Verdict::NeedsChanges => 1,
        verdict::Verdict::Blocked => 2,
    }
}

/// The languages and frameworks of every app, in order, each once.
fn merged_stack(parts: &[AppPortability]) -> Stack {
    let mut stack = Stack::default();
    for part in parts {
        let own = &part.portability.stack;
        for lang in &own.languages {
            if !stack.languages.contains(lang) {
                stack.languages.push(*lang);
            }
        }
        for framework in &own.frameworks {
            if !stack.frameworks.contains(framework) {
                stack.frameworks.push(framework.clone());
            }
        }
    }
    stack
}
