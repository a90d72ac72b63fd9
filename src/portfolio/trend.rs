//! What changed since an earlier portfolio (`--previous OLD.json`): per app and host,
//! the verdict and score before and after; per app, the findings fixed and introduced
//! (by fingerprint, which survives unrelated edits).

use super::model::{
    App, AppTrend, Grade, HostTrend, KIND, PORTFOLIO_VERSION, Portfolio, verdict_rank,
};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Reads an earlier `twelve portfolio --format json` document.
pub fn read_previous(path: &std::path::Path) -> Result<Portfolio, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|err| format!("{shown}: cannot read: {err}"))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|err| {
        format!(
            "{shown}:{}:{}: invalid JSON: {err}",
            err.line(),
            err.column()
        )
    })?;
    if value.get("kind").and_then(|k| k.as_str()) != Some(KIND) {
        return Err(format!(
            "{shown}: not a twelve portfolio (--previous takes the output of `twelve portfolio --format json`)"
        ));
    }
    let version = value.get("version").and_then(|v| v.as_u64());
    if version != Some(u64::from(PORTFOLIO_VERSION)) {
        return Err(format!(
            "{shown}: portfolio version {} is not the version this twelve reads ({PORTFOLIO_VERSION})",
            version.map_or_else(|| "none".into(), |v| v.to_string())
        ));
    }
    serde_json::from_value(value)
        .map_err(|err| format!("{shown}: not a portfolio of version {PORTFOLIO_VERSION}: {err}"))
}

/// One trend per app of either portfolio, apps that changed first.
pub fn compare(previous: &Portfolio, current: &Portfolio) -> Vec<AppTrend> {
    let mut out: Vec<AppTrend> = current
        .apps
        .iter()
        .map(|app| {
            let before = previous.apps.iter().find(|a| a.name == app.name);
            app_trend(before, Some(app))
        })
        .collect();
    out.extend(
        previous
            .apps
            .iter()
            .filter(|a| !current.apps.iter().any(|c| c.name == a.name))
            .map(|gone| app_trend(Some(gone), None)),
    );
    out.sort_by_key(|t| (t.change == "unchanged", t.app.to_lowercase()));
    out
}

fn app_trend(before: Option<&App>, after: Option<&App>) -> AppTrend {
    let name = after.or(before).map(|a| a.name.clone()).unwrap_or_default();
    let mut hosts: Vec<String> = Vec::new();
    for app in before.into_iter().chain(after) {
        for host in &app.hosts {
            if !hosts.contains(&host.host) {
                hosts.push(host.host.clone());
            }
        }
    }
    let hosts: Vec<HostTrend> = hosts
        .into_iter()
        .map(|host| {
            let grade = |app: Option<&App>| {
                app.and_then(|a| a.host(&host)).map(|h| Grade {
                    verdict: h.verdict.clone(),
                    score: h.score,
                })
            };
            let (was, is) = (grade(before), grade(after));
            let change = match (&was, &is) {
                (Some(w), Some(i)) => direction(w, i),
                _ => "unchanged",
            };
            HostTrend {
                host,
                before: was,
                after: is,
                change: change.into(),
            }
        })
        .collect();
    let prints = |app: Option<&App>| -> BTreeSet<String> {
        app.map(|a| {
            a.findings
                .iter()
                .map(|f| format!("{}:{}", f.rule, f.fingerprint))
                .collect()
        })
        .unwrap_or_default()
    };
    let (old, new) = (prints(before), prints(after));
    let change = match (before, after) {
        (None, _) => "new",
        (_, None) => "removed",
        _ => {
            let up = hosts.iter().any(|h| h.change == "improved");
            let down = hosts.iter().any(|h| h.change == "regressed");
            match (up, down) {
                (true, true) => "mixed",
                (true, false) => "improved",
                (false, true) => "regressed",
                (false, false) => "unchanged",
            }
        }
    };
    AppTrend {
        app: name,
        change: change.into(),
        hosts,
        fixed: if after.is_some() {
            old.difference(&new).count()
        } else {
            0
        },
        introduced: if before.is_some() {
            new.difference(&old).count()
        } else {
            0
        },
    }
}

/// A better verdict, or the same verdict with a better score, is an improvement.
fn direction(before: &Grade, after: &Grade) -> &'static str {
    let order = verdict_rank(&after.verdict)
        .cmp(&verdict_rank(&before.verdict))
        .then(after.score.cmp(&before.score));
    match order {
        Ordering::Greater => "improved",
        Ordering::Less => "regressed",
        Ordering::Equal => "unchanged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(verdict: &str, score: u8) -> Grade {
        Grade {
            verdict: verdict.into(),
            score,
        }
    }

    #[test]
    fn verdict_first_then_score() {
        assert_eq!(
            direction(&grade("blocked", 90), &grade("needs-changes", 40)),
            "improved"
        );
        assert_eq!(
            direction(&grade("ready", 100), &grade("needs-changes", 100)),
            "regressed"
        );
        assert_eq!(
            direction(&grade("needs-changes", 60), &grade("needs-changes", 70)),
            "improved"
        );
        assert_eq!(
            direction(&grade("ready", 100), &grade("ready", 100)),
            "unchanged"
        );
    }
}
