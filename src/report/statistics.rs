//! `--statistics`: how many findings each rule has, most first, as ruff prints them.

use crate::report::text;
use crate::rules::Registry;
use crate::scan::Report;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub fn render(report: &Report, registry: &Registry) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &report.findings {
        *counts.entry(&finding.rule).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (id, count) in rows {
        let (severity, title) = registry.get(id).map_or(("", ""), |rule| {
            (rule.spec.severity.as_str(), rule.spec.title.as_str())
        });
        let _ = writeln!(out, "{count:>5}  {id:<width$}  {severity:<7}  {title}");
    }
    out.push_str(&text::summary_line(report));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Excerpt, Finding, Position, Severity};

    #[test]
    fn counts_per_rule_most_first() {
        let registry = Registry::builtin().expect("rules");
        let finding = |rule: &str| Finding {
            rule: rule.into(),
            factor: Some(7),
            severity: Severity::Error,
            file: "a.js".into(),
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 2 },
            message: String::new(),
            help: String::new(),
            excerpt: Excerpt::default(),
            fingerprint: String::new(),
            fact: None,
            legacy_fingerprint: None,
        };
        let report = Report {
            findings: vec![
                finding("log-to-file"),
                finding("hardcoded-port"),
                finding("hardcoded-port"),
            ],
            ..Report::default()
        };
        let out = render(&report, &registry);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("    2  hardcoded-port  error  "),
            "{out}"
        );
        assert!(lines[1].starts_with("    1  log-to-file     "), "{out}");
        assert!(lines[2].starts_with("scanned "), "{out}");
    }
}
