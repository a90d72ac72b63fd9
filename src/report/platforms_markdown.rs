//! The per-host table in Markdown, for a pull-request comment or a job summary.

use crate::hosts::Portability;
use crate::report::platforms::stack_line;
use crate::rules::spec::Impact;
use std::fmt::Write as _;

/// Keeps table cells on one line and their pipes literal.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A table with one row per host (verdict, score, runtime, blocking and degrading
/// causes), then each host's fixes.
pub fn render(p: &Portability) -> String {
    let mut out = String::from("### Portability\n\n");
    let _ = writeln!(out, "Stack: {}\n", cell(&stack_line(p)));
    out.push_str(
        "| host | verdict | score | runtime | blocks | degrades |\n|---|---|---|---|---|---|\n",
    );
    for host in &p.hosts {
        let ids = |impact: Impact| {
            let ids: Vec<String> = host
                .causes
                .iter()
                .filter(|c| c.impact == impact)
                .map(|c| format!("`{}`", c.id))
                .collect();
            if ids.is_empty() {
                "-".to_string()
            } else {
                ids.join(", ")
            }
        };
        let runtime = match &host.runtime.warning {
            Some(warning) => format!("{} ⚠ {}", host.runtime.name, warning),
            None => host.runtime.name.clone(),
        };
        let _ = writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} |",
            host.host.name(),
            host.verdict.as_str(),
            host.score,
            cell(&runtime),
            ids(Impact::Blocks),
            ids(Impact::Degrades)
        );
    }
    for excluded in &p.excluded {
        let _ = writeln!(
            out,
            "\n{} is left out: {}",
            excluded.host.name(),
            cell(&excluded.reason)
        );
    }
    for host in &p.hosts {
        let fixes: Vec<_> = host
            .causes
            .iter()
            .filter(|c| c.impact >= Impact::Degrades)
            .collect();
        if fixes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n**{}**\n", host.host.name());
        for cause in fixes {
            let _ = writeln!(
                out,
                "- `{}` ({}): {}",
                cause.id,
                cause.impact.as_str(),
                cell(&cause.fix)
            );
        }
    }
    for advisory in &p.advisories {
        let _ = writeln!(out, "\n> {}", cell(advisory));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosts::{Targets, assess};
    use crate::repo::RepoFacts;
    use crate::rules::Registry;

    #[test]
    fn table_has_a_row_per_host() {
        let mut facts = RepoFacts::default();
        facts.root_files.insert("Dockerfile".into());
        facts.manifests.insert(
            "Dockerfile".into(),
            b"FROM alpine\nCMD [\"/app\"]\n".to_vec(),
        );
        let registry = Registry::builtin().unwrap();
        let p = assess(&facts, &[], &registry, &Targets::default());
        let md = render(&p);
        assert!(md.contains("| Scalingo | **blocked** | 40 |"), "{md}");
        assert!(md.contains("`dockerfile-only`"), "{md}");
        assert!(md.contains("| Clever Cloud | **ready** |"), "{md}");
        assert_eq!(
            md.matches("\n| ").count(),
            4,
            "header and three hosts: {md}"
        );
    }
}
