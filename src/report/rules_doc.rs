//! `twelve rules` and `twelve explain`: generated from the rule files, never written twice.

use crate::report::text::factor_label;
use crate::rules::{Registry, Rule};
use std::fmt::Write as _;

/// One line per rule: id, factor, severity, title.
pub fn list(registry: &Registry) -> String {
    let width = registry.ids().map(str::len).max().unwrap_or(0);
    let mut out = String::new();
    for rule in &registry.rules {
        let factor = rule
            .spec
            .factor
            .map(|f| format!("{f:>2}"))
            .unwrap_or_else(|| " -".into());
        let _ = writeln!(
            out,
            "{:<width$}  {factor}  {:<7}  {}",
            rule.spec.id,
            rule.spec.severity.as_str(),
            rule.spec.title
        );
    }
    out
}

/// The README's rule table (a test keeps the README in step with the rule files).
pub fn markdown_table(registry: &Registry) -> String {
    let mut out = String::from("| rule | factor | severity | what it flags |\n|---|---|---|---|\n");
    for rule in &registry.rules {
        let factor = rule
            .spec
            .factor
            .map(|f| f.to_string())
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "| `{}` | {factor} | {} | {} |",
            rule.spec.id, rule.spec.severity, rule.spec.title
        );
    }
    out
}

/// Every pattern's regex as compiled (with its flags in front), one per line, named
/// groups made plain so that ripgrep can join them (`rg -f`) in the benchmark.
pub fn patterns(registry: &Registry) -> String {
    let named = regex::Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("valid regex");
    let mut out = String::new();
    for rule in &registry.rules {
        if let crate::rules::Matcher::Patterns(patterns) = &rule.matcher {
            for pattern in patterns {
                let _ = writeln!(out, "{}", named.replace_all(&pattern.regex.source, "(?:"));
            }
        }
    }
    out
}

/// The rules as JSON, for tools and docs.
pub fn list_json(registry: &Registry) -> String {
    let rules: Vec<serde_json::Value> = registry
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.spec.id,
                "factor": r.spec.factor,
                "severity": r.spec.severity.as_str(),
                "title": r.spec.title,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).expect("plain data serialises");
    out.push('\n');
    out
}

/// Where a rule's documentation is published: `docs/rules/ID.md` in the repository,
/// generated from the rule file by `explain` (tests/readme.rs keeps them in step).
pub fn doc_url(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The full documentation of a rule, in ruff's order, as Markdown-flavoured text.
pub fn explain(rule: &Rule) -> String {
    let spec = &rule.spec;
    let docs = &spec.docs;
    let mut out = String::new();
    let factor = spec
        .factor
        .map(factor_label)
        .unwrap_or_else(|| "twelve itself".into());
    let _ = writeln!(out, "# {} ({})\n", spec.id, spec.title);
    let _ = writeln!(out, "{factor} · severity {}\n", spec.severity);
    let _ = writeln!(out, "## What it does\n{}\n", docs.what.trim());
    let _ = writeln!(out, "## Why is this bad?\n{}\n", docs.why.trim());
    let _ = writeln!(
        out,
        "## What it does not flag\n{}\n",
        docs.not_flagged.trim()
    );
    if !spec.settings.is_empty() {
        let _ = writeln!(out, "## Settings it reads");
        for setting in &spec.settings {
            let _ = writeln!(out, "- `{setting}`");
        }
        out.push('\n');
    }
    for example in &spec.bad {
        let _ = writeln!(out, "## Example\n{}", render_example(example));
    }
    let _ = writeln!(out, "## How to fix\n{}\n", docs.fix.trim());
    for example in &spec.good {
        let _ = writeln!(out, "Use instead:\n{}", render_example(example));
    }
    if !spec.impact.is_empty() || !docs.hosts.is_empty() {
        let _ = writeln!(out, "## On each host");
        for host in crate::rules::spec::HOSTS {
            let impact = spec
                .impact
                .get(host)
                .map(|i| format!("{i:?}").to_lowercase())
                .unwrap_or_else(|| "none".into());
            let note = docs.hosts.get(host).map(|n| n.trim()).unwrap_or("");
            let _ = writeln!(out, "- {host} ({impact}): {note}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## References");
    for reference in &docs.references {
        let _ = writeln!(out, "- {reference}");
    }
    out
}

fn render_example(example: &crate::rules::spec::Example) -> String {
    let mut out = String::new();
    for (path, code) in example.all_files() {
        let _ = writeln!(out, "```\n# {path}\n{}\n```\n", code.trim_end());
    }
    out
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn explain_lists_the_settings_a_rule_reads() {
        let registry = Registry::builtin().expect("rules load");
        let text = explain(registry.get("local-backend-default").expect("rule"));
        assert!(
            text.contains("## Settings it reads\n- `session.store`\n"),
            "{text}"
        );
        let pattern_rule = explain(registry.get("hardcoded-port").expect("rule"));
        assert!(!pattern_rule.contains("## Settings it reads"));
    }
}
