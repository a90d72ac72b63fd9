//! The hosts' scheduler files, parsed once: Scalingo's `cron.json` (`{"jobs":
//! [{"command": "<cron> <cmd>"}]}`) and Clever Cloud's `clevercloud/cron.json` (an array
//! of `"<cron> <cmd>"` strings), each entry with where it is written; and the one
//! reading of a cron minute field.

use super::formats::{self, ParseError};
use std::collections::BTreeSet;

/// One job: its whole line (`*/10 * * * * python x.py`) and its span in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronJob {
    pub entry: String,
    pub span: (usize, usize),
}

impl CronJob {
    /// The schedule's first field, or the `@` shortcut.
    pub fn minute_field(&self) -> &str {
        self.entry.split_whitespace().next().unwrap_or("")
    }

    pub fn is_shortcut(&self) -> bool {
        self.minute_field().starts_with('@')
    }

    /// The command after the schedule (5 fields, or 1 for an `@` shortcut).
    pub fn command(&self) -> &str {
        let fields = if self.is_shortcut() { 1 } else { 5 };
        let mut rest = self.entry.trim_start();
        for _ in 0..fields {
            rest = rest
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r.trim_start());
        }
        rest
    }
}

/// Scalingo's `cron.json`: `None` when it has no `jobs` array (another tool's file).
pub fn scalingo_jobs(text: &[u8]) -> Result<Option<Vec<CronJob>>, ParseError> {
    let value = formats::json(text)?;
    let Some(jobs) = value.get("jobs").and_then(|j| j.as_array()) else {
        return Ok(None);
    };
    let source = String::from_utf8_lossy(text);
    let keys: Vec<usize> = source
        .match_indices("\"command\"")
        .map(|(at, _)| at)
        .collect();
    let jobs = jobs
        .iter()
        .enumerate()
        .filter_map(|(n, job)| {
            let entry = job.get("command")?.as_str()?.to_string();
            // The n-th `"command"` key, to the end of its line.
            let start = keys.get(n).copied().unwrap_or(0);
            let end = source[start..]
                .find('\n')
                .map_or(source.len(), |e| start + e);
            Some(CronJob {
                entry,
                span: (start, end),
            })
        })
        .collect();
    Ok(Some(jobs))
}

/// Clever Cloud's `clevercloud/cron.json`.
pub fn clever_entries(text: &[u8]) -> Result<Vec<CronJob>, ParseError> {
    let value = formats::json(text)?;
    let source = String::from_utf8_lossy(text);
    Ok(value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(|entry| {
            let start = source.find(entry).unwrap_or(0);
            CronJob {
                entry: entry.to_string(),
                span: (start, start + entry.len()),
            }
        })
        .collect())
}

/// The shortest gap in minutes between two runs of a cron minute field (`*/5` → 5,
/// `0,30` → 30, `5-59/20` → 20, `10-12` → 1), counting the wrap to the next hour;
/// `None` when it runs once an hour or cannot be read.
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
        if from > to || from > 59 {
            return None;
        }
        minutes.extend((from..=to.min(59)).step_by(step as usize));
    }
    let list: Vec<u32> = minutes.into_iter().collect();
    if list.len() < 2 {
        return None;
    }
    let wrap = 60 - list[list.len() - 1] + list[0];
    list.windows(2).map(|w| w[1] - w[0]).chain([wrap]).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_gaps() {
        assert_eq!(minute_gap("*"), Some(1));
        assert_eq!(minute_gap("*/5"), Some(5));
        assert_eq!(minute_gap("*/15"), Some(15));
        assert_eq!(minute_gap("0,30"), Some(30));
        assert_eq!(minute_gap("0,55"), Some(5));
        assert_eq!(minute_gap("10-12"), Some(1));
        assert_eq!(minute_gap("5-59/20"), Some(20));
        assert_eq!(minute_gap("0"), None);
        assert_eq!(minute_gap("x"), None);
        assert_eq!(minute_gap("50-10"), None);
    }

    #[test]
    fn jobs_and_their_spans() {
        let text = b"{\"jobs\": [\n {\"command\": \"*/10 * * * * python x.py\"},\n {\"command\": \"@daily run\"}\n]}";
        let jobs = scalingo_jobs(text).unwrap().unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].command(), "python x.py");
        assert!(jobs[1].is_shortcut() && jobs[1].command() == "run");
        assert!(text[jobs[1].span.0..].starts_with(b"\"command\""));
        assert_eq!(scalingo_jobs(b"{\"other\": 1}").unwrap(), None);
        assert!(scalingo_jobs(b"{").is_err());
        let entries = clever_entries(br#"["0 3 * * * $ROOT/x.sh"]"#).unwrap();
        assert_eq!(entries[0].command(), "$ROOT/x.sh");
    }
}
