//! The portfolio as Markdown, for a job summary or an issue: verdicts per host, the
//! matrix, what changed and the top blockers. Details stay in the HTML and JSON.

use super::model::{Portfolio, verdict_label};
use crate::report::escape::markdown as cell;
use std::fmt::Write as _;

/// Rows of the matrix before it is cut: job summaries are limited to 1 MiB.
const MAX_ROWS: usize = 500;
const BLOCKERS_PER_HOST: usize = 5;

fn verdict(verdict: &str, score: u8) -> String {
    format!("{} {score}", verdict_label(verdict))
}

pub fn render(p: &Portfolio) -> String {
    let mut out = format!("## twelve portfolio: {} apps\n\n", p.apps.len());
    out.push_str("| app |");
    for host in &p.hosts {
        let _ = write!(out, " {} |", cell(&host.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(p.hosts.len()));
    out.push('\n');
    for app in p.apps.iter().take(MAX_ROWS) {
        let _ = write!(out, "| {} |", cell(&app.name));
        for host in &p.hosts {
            let shown = app.host(&host.id).map_or_else(
                || {
                    if app.hosts.is_empty() {
                        "no app found"
                    } else {
                        "not assessed"
                    }
                    .into()
                },
                |h| verdict(&h.verdict, h.score),
            );
            let _ = write!(out, " {shown} |");
        }
        out.push('\n');
    }
    if p.apps.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more apps (see the HTML report).",
            p.apps.len() - MAX_ROWS
        );
    }
    if let Some(trends) = &p.trends {
        let changed: Vec<_> = trends.iter().filter(|t| t.change != "unchanged").collect();
        let _ = write!(out, "\n### Since the previous run\n\n");
        if changed.is_empty() {
            out.push_str("No app changed.\n");
        }
        for t in changed {
            let _ = writeln!(
                out,
                "- {}: {} ({} findings fixed, {} new)",
                cell(&t.app),
                t.change,
                t.fixed,
                t.introduced
            );
        }
    }
    out.push_str("\n### Top blockers\n\n");
    for host in &p.blockers {
        let _ = writeln!(out, "**{}**\n", cell(p.host_name(&host.host)));
        if host.causes.is_empty() {
            out.push_str("- nothing blocks any app\n");
        }
        for cause in host.causes.iter().take(BLOCKERS_PER_HOST) {
            let _ = writeln!(
                out,
                "- `{}` blocks {}: {}",
                cause.id,
                crate::portfolio::html::plural(cause.apps.len(), "app"),
                cell(&cause.apps.join(", "))
            );
        }
        out.push('\n');
    }
    let health: Vec<&str> = p
        .apps
        .iter()
        .filter(|a| !a.health.is_empty())
        .map(|a| a.name.as_str())
        .collect();
    if !health.is_empty() {
        let hds: Vec<&str> = p
            .hosts
            .iter()
            .filter(|h| h.hds)
            .map(|h| h.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "### Health data\n\n{} name health data and need an HDS host ({}): {}",
            health.len(),
            hds.join(", "),
            cell(&health.join(", "))
        );
    }
    out
}
