//! Merging check reports into a portfolio: one app per report, then the views across
//! apps (factors, blockers per host, cause docs). Nothing here reads files.

use super::load::Loaded;
use super::model::{
    App, AppCause, AppHost, Blocker, CauseDoc, FactorCount, HostBlockers, HostInfo, KIND,
    PORTFOLIO_VERSION, Portfolio, factor_name,
};
use super::wire::{CheckReport, HostVerdict};
use crate::hosts::{Compliance, Host, advice};
use std::collections::{BTreeMap, BTreeSet};

/// The portfolio of `reports`; two reports of the same repository are an error.
pub fn merge(reports: Vec<Loaded>) -> Result<Portfolio, String> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut causes: BTreeMap<String, CauseDoc> = BTreeMap::new();
    let mut hosts: Vec<(String, String)> = Vec::new();
    let mut apps = Vec::with_capacity(reports.len());
    for Loaded { path, report } in reports {
        let app = app(&path, report, &mut causes, &mut hosts);
        if let Some(first) = seen.insert(app.name.clone(), path.clone()) {
            return Err(format!(
                "{path}: repository `{}` is also in {first}; give one report per repository (or name them apart with `twelve check --repository NAME`)",
                app.name
            ));
        }
        apps.push(app);
    }
    apps.sort_by_cached_key(|a| a.name.to_lowercase());
    hosts.sort_by_key(|(id, _)| host_order(id));
    let report_versions: BTreeSet<String> = apps.iter().map(|a| a.twelve_version.clone()).collect();
    Ok(Portfolio {
        kind: KIND.into(),
        version: PORTFOLIO_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        report_versions: report_versions.into_iter().collect(),
        factors: factors(&apps),
        blockers: blockers(&apps, &hosts),
        hosts: hosts
            .into_iter()
            .map(|(id, name)| host_info(id, name))
            .collect(),
        apps,
        causes,
        trends: None,
    })
}

fn app(
    path: &str,
    report: CheckReport,
    causes: &mut BTreeMap<String, CauseDoc>,
    hosts: &mut Vec<(String, String)>,
) -> App {
    let (name, commit) = match report.repository {
        Some(repo) => (repo.name, repo.commit),
        // Reports written before `repository` existed: the file's name stands in.
        None => (file_stem(path), None),
    };
    let platforms = report.platforms.unwrap_or_default();
    for verdict in &platforms {
        if !hosts.iter().any(|(id, _)| *id == verdict.host) {
            hosts.push((verdict.host.clone(), verdict.name.clone()));
        }
    }
    let stack = report.stack.unwrap_or_default();
    let mut health: Vec<String> = Vec::new();
    if let Some(data) = report.health_data {
        health.extend(data.libraries.iter().map(|l| format!("dependency {l}")));
        health.extend(data.fields.iter().map(|f| format!("{} ({})", f.name, f.at)));
    } else {
        health.extend(
            stack
                .health_libraries
                .iter()
                .map(|l| format!("dependency {l}")),
        );
    }
    App {
        name,
        commit,
        report: path.to_string(),
        twelve_version: report.tool.version,
        languages: stack.languages,
        frameworks: stack.frameworks,
        counts: report.summary.findings,
        findings: report.findings,
        hosts: platforms.into_iter().map(|v| app_host(v, causes)).collect(),
        health,
        problems: report.summary.problems.len(),
    }
}

fn app_host(verdict: HostVerdict, docs: &mut BTreeMap<String, CauseDoc>) -> AppHost {
    let mut causes = Vec::new();
    for cause in verdict
        .blockers
        .into_iter()
        .chain(verdict.degraders)
        .chain(verdict.advisories)
    {
        let doc = docs.entry(cause.id.clone()).or_default();
        if doc.fix.is_empty() {
            doc.fix = cause.fix;
        }
        if !cause.host_note.is_empty() {
            doc.notes
                .entry(verdict.host.clone())
                .or_insert(cause.host_note);
        }
        causes.push(AppCause {
            id: cause.id,
            impact: cause.impact,
            message: cause.message,
            count: cause.count.max(cause.locations.len()),
            locations: cause.locations,
        });
    }
    AppHost {
        host: verdict.host,
        verdict: verdict.verdict,
        score: verdict.score,
        causes,
    }
}

fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map_or_else(|| "(unnamed)".into(), |s| s.to_string_lossy().into_owned())
}

/// Known hosts in twelve's order, then hosts named by newer reports.
fn host_order(id: &str) -> usize {
    Host::ALL
        .iter()
        .position(|h| h.id() == id)
        .unwrap_or(Host::ALL.len())
}

fn host_info(id: String, name: String) -> HostInfo {
    let known = Host::ALL.into_iter().find(|h| h.id() == id);
    let (hds, hds_note) = match known.map(|h| advice::compliance(h, Compliance::Hds)) {
        Some(Ok(evidence)) => (true, evidence),
        Some(Err(why)) => (false, why),
        None => (false, "not known to this twelve version".into()),
    };
    HostInfo {
        id,
        name,
        hds,
        hds_note,
    }
}

fn factors(apps: &[App]) -> Vec<FactorCount> {
    let mut counts: BTreeMap<Option<u8>, (BTreeSet<usize>, BTreeSet<usize>, usize)> =
        BTreeMap::new();
    for (index, app) in apps.iter().enumerate() {
        let blocking: BTreeSet<&str> = app
            .hosts
            .iter()
            .flat_map(|h| &h.causes)
            .filter(|c| c.impact == "blocks")
            .map(|c| c.id.as_str())
            .collect();
        for finding in &app.findings {
            let entry = counts.entry(finding.factor).or_default();
            entry.0.insert(index);
            if blocking.contains(finding.rule.as_str()) {
                entry.1.insert(index);
            }
            entry.2 += 1;
        }
    }
    let mut out: Vec<FactorCount> = counts
        .into_iter()
        .map(|(factor, (apps, blocked, findings))| FactorCount {
            factor,
            name: factor_name(factor).into(),
            apps: apps.len(),
            blocked_apps: blocked.len(),
            findings,
        })
        .collect();
    // Meta findings (no factor) last, factors in their order.
    out.sort_by_key(|f| f.factor.unwrap_or(u8::MAX));
    out
}

fn blockers(apps: &[App], hosts: &[(String, String)]) -> Vec<HostBlockers> {
    hosts
        .iter()
        .map(|(host, _)| {
            let mut by_id: BTreeMap<&str, Blocker> = BTreeMap::new();
            for app in apps {
                let causes = app.host(host).map_or(&[][..], |h| &h.causes[..]);
                for cause in causes.iter().filter(|c| c.impact == "blocks") {
                    let blocker = by_id.entry(&cause.id).or_insert_with(|| Blocker {
                        id: cause.id.clone(),
                        message: cause.message.clone(),
                        apps: Vec::new(),
                    });
                    // A rule and a host check may both give the same cause id.
                    if blocker.apps.last() != Some(&app.name) {
                        blocker.apps.push(app.name.clone());
                    }
                }
            }
            let mut causes: Vec<Blocker> = by_id.into_values().collect();
            causes.sort_by(|a, b| b.apps.len().cmp(&a.apps.len()).then(a.id.cmp(&b.id)));
            HostBlockers {
                host: host.clone(),
                causes,
            }
        })
        .collect()
}
