//! The portability report (per-host verdicts) as text and as JSON values. The data
//! comes from `hosts::assess`; nothing here decides anything.

use crate::hosts::{Cause, HostReport, Portability};
use crate::rules::spec::Impact;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// "Node.js · Express · npm · 20.x (package.json engines.node)".
pub fn stack_line(p: &Portability) -> String {
    let stack = &p.stack;
    let mut parts: Vec<String> = stack
        .languages
        .iter()
        .map(|l| l.name().to_string())
        .collect();
    if parts.is_empty() && stack.dockerfile {
        parts.push("Dockerfile".into());
    }
    if parts.is_empty() {
        parts.push("no stack detected".into());
    }
    parts.extend(stack.frameworks.iter().cloned());
    parts.extend(stack.package_manager.iter().cloned());
    if let Some(pin) = stack.primary().and_then(|l| stack.version_of(l)) {
        parts.push(format!("{} ({})", pin.requirement, pin.source));
    }
    parts.join(" · ")
}

fn services_line(p: &Portability) -> Option<String> {
    let items: Vec<String> = p
        .services
        .iter()
        .map(|s| {
            let origin = match s.hardcoded_at.first() {
                Some(at) => format!("hardcoded at {at}"),
                None => "no address written in the code".into(),
            };
            format!(
                "{} ({}; {origin})",
                s.service.kind.name(),
                s.service.dependency
            )
        })
        .collect();
    (!items.is_empty()).then(|| items.join(", "))
}

fn cause_label(cause: &Cause) -> String {
    let unconfirmed = if cause.unconfirmed {
        " (unconfirmed)"
    } else {
        ""
    };
    let hidden = cause
        .hidden
        .map(|why| format!(" (not among the findings shown: {why})"))
        .unwrap_or_default();
    format!("{}{unconfirmed}{hidden}", cause.id)
}

/// The text section printed after the findings.
pub fn text(p: &Portability) -> String {
    let mut out = String::from("\nportability\n");
    let _ = writeln!(out, "  stack: {}", stack_line(p));
    for app in &p.apps {
        let verdicts: Vec<String> = app
            .portability
            .hosts
            .iter()
            .map(|h| format!("{} {} ({})", h.host.name(), h.verdict.as_str(), h.score))
            .collect();
        let _ = writeln!(
            out,
            "  app {}/: {}: {}",
            app.path,
            stack_line(&app.portability),
            verdicts.join(", ")
        );
    }
    for start in &p.stack.web {
        let _ = writeln!(out, "  web: `{}` ({})", start.command, start.source);
    }
    for process in &p.stack.processes {
        let _ = writeln!(out, "  process: `{}` ({})", process.command, process.source);
    }
    if let Some(services) = services_line(p) {
        let _ = writeln!(out, "  services: {services}");
    }
    for advisory in &p.advisories {
        let _ = writeln!(out, "  note: {advisory}");
    }
    excluded_text(p, &mut out);
    for host in &p.hosts {
        host_text(host, &mut out);
    }
    out.push('\n');
    out
}

/// One line per host: the verdict, the score and the causes by impact, for pre-commit
/// and other places where the full section is too long.
pub fn summary_text(p: &Portability) -> String {
    let mut out = String::from("\nportability (--portability full for the fixes)\n");
    for host in &p.hosts {
        let mut line = format!("  {}", verdict_head(host));
        for impact in [Impact::Blocks, Impact::Degrades, Impact::Advisory] {
            let ids: Vec<&str> = host
                .causes
                .iter()
                .filter(|c| c.impact == impact)
                .map(|c| c.id.as_str())
                .collect();
            if !ids.is_empty() {
                let _ = write!(line, "; {} {}", impact.as_str(), ids.join(", "));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    excluded_text(p, &mut out);
    out.push('\n');
    out
}

fn excluded_text(p: &Portability, out: &mut String) {
    for excluded in &p.excluded {
        let _ = writeln!(
            out,
            "  excluded {}: {}",
            excluded.host.name(),
            excluded.reason
        );
    }
}

/// "Scalingo: blocked (score 35/100)".
fn verdict_head(host: &HostReport) -> String {
    format!(
        "{}: {} (score {}/100)",
        host.host.name(),
        host.verdict.as_str(),
        host.score
    )
}

fn host_text(host: &HostReport, out: &mut String) {
    let _ = writeln!(out, "\n{}", verdict_head(host));
    if let Some(label) = &host.compliance {
        let _ = writeln!(out, "  compliance: {label}");
    }
    let version = host
        .runtime
        .version
        .as_deref()
        .map(|v| format!(", {v}"))
        .unwrap_or_default();
    let _ = writeln!(out, "  runtime: {}{version}", host.runtime.name);
    if let Some(warning) = &host.runtime.warning {
        let _ = writeln!(out, "  warning: {warning}");
    }
    match &host.start {
        Some(start) => {
            let _ = writeln!(out, "  start: `{}` ({})", start.command, start.source);
        }
        None => {
            let _ = writeln!(out, "  start: nothing declared");
        }
    }
    for cause in &host.causes {
        let where_ = if cause.locations.is_empty() {
            String::new()
        } else {
            let more = cause.count.saturating_sub(cause.locations.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(" at {}{more}", cause.locations.join(", "))
        };
        let _ = writeln!(
            out,
            "  {:<8} {}{where_}: {}",
            cause.impact.as_str(),
            cause_label(cause),
            cause.message
        );
        if !cause.note.is_empty() {
            let _ = writeln!(out, "           on {}: {}", host.host.name(), cause.note);
        }
        let _ = writeln!(out, "           fix: {}", cause.fix);
    }
    for step in &host.setup {
        let _ = writeln!(out, "  setup: {step}");
    }
    if let Some(storage) = &host.storage {
        let _ = writeln!(out, "  storage: {storage}");
    }
}

fn cause_json(cause: &Cause) -> Value {
    json!({
        "id": cause.id,
        "source": cause.origin.as_str(),
        "impact": cause.impact.as_str(),
        "row": cause.row,
        "message": cause.message,
        "fix": cause.fix,
        "host_note": cause.note,
        "locations": cause.locations,
        "count": cause.count,
        "unconfirmed": cause.unconfirmed,
        "hidden": cause.hidden,
    })
}

fn by_impact(host: &HostReport, impact: Impact) -> Vec<Value> {
    host.causes
        .iter()
        .filter(|c| c.impact == impact)
        .map(cause_json)
        .collect()
}

/// The `platforms` array of the JSON document.
pub fn json_hosts(p: &Portability) -> Value {
    Value::Array(
        p.hosts
            .iter()
            .map(|h| {
                json!({
                    "host": h.host.id(),
                    "name": h.host.name(),
                    "verdict": h.verdict.as_str(),
                    "score": h.score,
                    "runtime": {
                        "name": h.runtime.name,
                        "version": h.runtime.version,
                        "warning": h.runtime.warning,
                    },
                    "start": h.start,
                    "blockers": by_impact(h, Impact::Blocks),
                    "degraders": by_impact(h, Impact::Degrades),
                    "advisories": by_impact(h, Impact::Advisory),
                    "setup": h.setup,
                    "storage": h.storage,
                    "compliance": h.compliance,
                })
            })
            .collect(),
    )
}

/// The `stack` object of the JSON document, with services and repository notes.
pub fn json_stack(p: &Portability) -> Value {
    let mut stack = serde_json::to_value(&p.stack).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut stack {
        map.insert(
            "services".into(),
            p.services
                .iter()
                .map(|s| {
                    json!({
                        "kind": s.service.kind,
                        "dependency": s.service.dependency,
                        "from_environment": s.hardcoded_at.is_empty(),
                        "hardcoded_at": s.hardcoded_at,
                    })
                })
                .collect(),
        );
        map.insert("advisories".into(), json!(p.advisories));
        map.insert(
            "apps".into(),
            p.apps
                .iter()
                .map(|a| {
                    let own = &a.portability;
                    json!({
                        "path": a.path,
                        "languages": own.stack.languages,
                        "frameworks": own.stack.frameworks,
                        "verdicts": own.hosts.iter().map(|h| json!({
                            "host": h.host.id(),
                            "verdict": h.verdict.as_str(),
                            "score": h.score,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
        map.insert(
            "excluded_hosts".into(),
            p.excluded
                .iter()
                .map(|e| json!({ "host": e.host.id(), "reason": e.reason }))
                .collect(),
        );
    }
    stack
}
