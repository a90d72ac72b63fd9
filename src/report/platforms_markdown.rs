//! The per-host table in Markdown, for a pull-request comment or a job summary.

use crate::hosts::Portability;
use crate::report::escape::markdown as cell;
use crate::report::platforms::stack_line;
use crate::rules::spec::Impact;
use std::fmt::Write as _;

/// A table with one row per host (verdict, score, runtime, blocking and degrading
/// causes), then each cause once with its fix and what it means on each host.
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
    fixes(p, &mut out);
    for advisory in &p.advisories {
        let _ = writeln!(out, "\n> {}", cell(advisory));
    }
    out
}

/// Each blocking or degrading cause once, with the fix when every host shares it, and a
/// line per host where it matters (the host's note, or its own fix).
fn fixes(p: &Portability, out: &mut String) {
    let mut ids: Vec<&str> = Vec::new();
    for cause in p.hosts.iter().flat_map(|h| &h.causes) {
        if cause.impact >= Impact::Degrades && !ids.contains(&cause.id.as_str()) {
            ids.push(&cause.id);
        }
    }
    if !ids.is_empty() {
        out.push_str("\n#### What to change\n\n");
    }
    for id in ids {
        let per_host: Vec<_> = p
            .hosts
            .iter()
            .filter_map(|h| Some((h.host, h.causes.iter().find(|c| c.id == id)?)))
            .filter(|(_, c)| c.impact >= Impact::Degrades)
            .collect();
        let Some((_, first)) = per_host.first() else {
            continue;
        };
        let same_fix = per_host.iter().all(|(_, c)| c.fix == first.fix);
        let at = if first.locations.is_empty() {
            String::new()
        } else {
            format!(" at {}", cell(&first.locations.join(", ")))
        };
        let _ = write!(out, "- `{id}`{at}: {}", cell(&first.message));
        if same_fix {
            let _ = write!(out, "; fix: {}", cell(&first.fix));
        }
        out.push('\n');
        for (host, cause) in per_host {
            let detail = if same_fix { &cause.note } else { &cause.fix };
            let _ = write!(out, "  - {} ({})", host.name(), cause.impact.as_str());
            if !detail.is_empty() {
                let _ = write!(out, ": {}", cell(detail));
            }
            out.push('\n');
        }
    }
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
        let app = crate::app::App::build(facts, &Default::default());
        let p = assess(&app, &[], &registry, &Targets::default());
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
