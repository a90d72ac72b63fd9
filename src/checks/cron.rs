//! Factor VIII, the hosts' schedulers: `scalingo-cron-limits` (Scalingo's `cron.json`
//! allows at most 5 jobs, none more often than every 10 minutes, else the deploy fails:
//! §1.8, §5 #12) and `clever-cron-relative-command` (Clever Cloud's `clevercloud/cron.json`
//! needs absolute commands and refuses `@reboot`: §2.8, §5 #13).

use super::finding_at;
use crate::finding::Finding;
use crate::repo::RepoFacts;
use crate::rules::Rule;
use std::collections::BTreeSet;

/// Shortest gap in minutes between two runs the minute field allows, within an hour
/// and across its end; `None` when the field runs once an hour or cannot be read.
pub fn minute_gap(field: &str) -> Option<u32> {
    let mut minutes = BTreeSet::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (from, to) = match range {
            "*" => (0, 59),
            _ => match range.split_once('-') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None if step > 1 => (range.parse().ok()?, 59),
                None => {
                    let m: u32 = range.parse().ok()?;
                    (m, m)
                }
            },
        };
        minutes.extend((from..=to.min(59)).step_by(step as usize));
    }
    let list: Vec<u32> = minutes.into_iter().collect();
    if list.len() < 2 {
        return None;
    }
    let wrap = 60 - list[list.len() - 1] + list[0];
    list.windows(2).map(|w| w[1] - w[0]).chain([wrap]).min()
}

/// Byte offset of the `n`th (0-based) occurrence of `needle` in `text`.
fn nth_offset(text: &str, needle: &str, n: usize) -> Option<usize> {
    text.match_indices(needle).nth(n).map(|(at, _)| at)
}

pub fn scalingo_cron_limits(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let Some(bytes) = facts.manifest("cron.json") else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Vec::new();
    };
    let Some(jobs) = value.get("jobs").and_then(|j| j.as_array()) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(bytes);
    let mut findings = Vec::new();
    let at = |n: usize| {
        let start = nth_offset(&text, "\"command\"", n).unwrap_or(0);
        let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
        (start, end.max(start))
    };
    if jobs.len() > 5 {
        findings.push(finding_at(
            rule,
            "cron.json",
            bytes,
            at(5),
            format!(
                "cron.json declares {} jobs, Scalingo runs at most 5",
                jobs.len()
            ),
        ));
    }
    for (n, job) in jobs.iter().enumerate() {
        let Some(command) = job.get("command").and_then(|c| c.as_str()) else {
            continue;
        };
        let minute = command.split_whitespace().next().unwrap_or("");
        if let Some(gap) = minute_gap(minute).filter(|g| *g < 10) {
            findings.push(finding_at(
                rule,
                "cron.json",
                bytes,
                at(n),
                format!("this cron job runs every {gap} minute(s), Scalingo's minimum interval is 10 minutes"),
            ));
        }
    }
    findings
}

pub fn clever_cron_relative_command(rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    let file = "clevercloud/cron.json";
    let Some(bytes) = facts.manifest(file) else {
        return Vec::new();
    };
    let Ok(entries) = serde_json::from_slice::<Vec<String>>(bytes) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(bytes);
    let mut findings = Vec::new();
    for entry in &entries {
        let words: Vec<&str> = entry.split_whitespace().collect();
        let fields = if words.first().is_some_and(|w| w.starts_with('@')) {
            1
        } else {
            5
        };
        let command = words.get(fields).copied().unwrap_or("");
        let message = if words.first() == Some(&"@reboot") {
            "Clever Cloud does not allow `@reboot` in clevercloud/cron.json".to_string()
        } else if command.starts_with('/') || command.starts_with("$ROOT") {
            continue;
        } else {
            format!(
                "the cron command `{command}` is not an absolute path; Clever Cloud runs it from no known directory"
            )
        };
        let start = text.find(entry.as_str()).unwrap_or(0);
        findings.push(finding_at(
            rule,
            file,
            bytes,
            (start, start + entry.len()),
            message,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::minute_gap;

    #[test]
    fn minute_gaps() {
        assert_eq!(minute_gap("*"), Some(1));
        assert_eq!(minute_gap("*/5"), Some(5));
        assert_eq!(minute_gap("*/15"), Some(15));
        assert_eq!(minute_gap("0,30"), Some(30));
        assert_eq!(minute_gap("0,55"), Some(5));
        assert_eq!(minute_gap("10-12"), Some(1));
        assert_eq!(minute_gap("0"), None);
        assert_eq!(minute_gap("x"), None);
    }
}
