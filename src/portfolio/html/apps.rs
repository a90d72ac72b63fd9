//! Per app: its findings (file:line, rule, message) and, per host, the causes of its
//! verdict; then each cause's fix and host notes, written once for the whole page.

use super::{anchor, esc, plural, verdict_label};
use crate::portfolio::model::{App, Portfolio};
use crate::portfolio::wire::Finding;
use std::fmt::Write as _;

/// Findings shown per app; the JSON portfolio keeps them all. Keeps a page of a
/// thousand apps small enough to open on a phone.
const FINDINGS_PER_APP: usize = 100;
/// Locations shown per cause.
const LOCATIONS_PER_CAUSE: usize = 3;

/// Every app's section; `open` (one repository's page) opens its drill-downs.
pub fn drill_downs(p: &Portfolio, open: bool, out: &mut String) {
    out.push_str(if open {
        "<section id=\"apps\">\n<h2>Findings and causes</h2>\n"
    } else {
        "<section id=\"apps\">\n<h2>Apps</h2>\n"
    });
    let open = if open { " open" } else { "" };
    for (index, app) in p.apps.iter().enumerate() {
        let _ = writeln!(
            out,
            "<section class=\"app\" id=\"app-{index}\" aria-labelledby=\"app-{index}-name\">\n<h3 id=\"app-{index}-name\">{}</h3>\n<p class=\"meta\">{}</p>",
            esc(&app.name),
            esc(&app_meta(app))
        );
        let mut verdicts = Vec::new();
        for host in &app.hosts {
            verdicts.push(format!(
                "{}: {} {}",
                esc(p.host_name(&host.host)),
                verdict_label(&host.verdict),
                host.score
            ));
        }
        let _ = writeln!(out, "<p>{}</p>", verdicts.join(" · "));
        let _ = writeln!(
            out,
            "<details{open}><summary>Findings ({})</summary>",
            app.findings.len()
        );
        findings(app, out);
        out.push_str("</details>\n");
        let _ = writeln!(out, "<details{open}><summary>Causes per host</summary>");
        causes(p, app, out);
        out.push_str("</details>\n</section>\n");
    }
    out.push_str("</section>\n");
}

fn app_meta(app: &App) -> String {
    let mut parts = Vec::new();
    if let Some(commit) = &app.commit {
        parts.push(format!("commit {commit}"));
    }
    let stack: Vec<&str> = app
        .languages
        .iter()
        .chain(&app.frameworks)
        .map(String::as_str)
        .collect();
    if !stack.is_empty() {
        parts.push(stack.join(" · "));
    }
    if !app.report.is_empty() {
        parts.push(format!(
            "report {} (twelve {})",
            app.report, app.twelve_version
        ));
    }
    if app.problems > 0 {
        parts.push(format!(
            "{} could not be read",
            plural(app.problems, "path")
        ));
    }
    parts.join(" · ")
}

fn location(f: &Finding) -> String {
    if f.line == 0 {
        f.file.clone()
    } else {
        format!("{}:{}", f.file, f.line)
    }
}

fn findings(app: &App, out: &mut String) {
    if app.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
        return;
    }
    let mut sorted: Vec<&Finding> = app.findings.iter().collect();
    sorted.sort_by_key(|f| severity_rank(&f.severity));
    out.push_str("<div class=\"scroll\"><table class=\"cards\">\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Where</th><th scope=\"col\">Rule</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n");
    for f in sorted.iter().take(FINDINGS_PER_APP) {
        let _ = writeln!(
            out,
            "<tr><td data-label=\"Severity\">{}</td><td data-label=\"Where\"><code>{}</code></td><td data-label=\"Rule\"><a href=\"#{}\"><code>{}</code></a></td><td class=\"text\" data-label=\"Message\">{}</td></tr>",
            esc(&f.severity),
            esc(&location(f)),
            anchor("cause", &f.rule),
            esc(&f.rule),
            esc(&f.message)
        );
    }
    out.push_str("</tbody></table></div>\n");
    if sorted.len() > FINDINGS_PER_APP {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} more findings in the app's JSON report.</p>",
            sorted.len() - FINDINGS_PER_APP
        );
    }
}

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

fn causes(p: &Portfolio, app: &App, out: &mut String) {
    for host in &app.hosts {
        let _ = writeln!(
            out,
            "<h4>{}: {}, score {}</h4>",
            esc(p.host_name(&host.host)),
            verdict_label(&host.verdict),
            host.score
        );
        if host.causes.is_empty() {
            out.push_str("<p>Nothing to change.</p>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for cause in &host.causes {
            let shown: Vec<&str> = cause
                .locations
                .iter()
                .take(LOCATIONS_PER_CAUSE)
                .map(String::as_str)
                .collect();
            let more = cause.count.saturating_sub(shown.len());
            let _ = writeln!(
                out,
                "<li><strong>{}</strong> <a href=\"#{}\"><code>{}</code></a>{}{}: {}</li>",
                esc(&cause.impact),
                anchor("cause", &cause.id),
                esc(&cause.id),
                if shown.is_empty() {
                    String::new()
                } else {
                    format!(" at <code>{}</code>", esc(&shown.join(", ")))
                },
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                esc(&cause.message)
            );
        }
        out.push_str("</ul>\n");
    }
}

pub fn cause_docs(p: &Portfolio, out: &mut String) {
    out.push_str("<section id=\"causes\">\n<h2>Causes and fixes</h2>\n<dl>\n");
    for (id, doc) in &p.causes {
        let _ = writeln!(
            out,
            "<dt id=\"{}\"><code>{}</code></dt>\n<dd><p>Fix: {}</p>",
            anchor("cause", id),
            esc(id),
            esc(&doc.fix)
        );
        for (host, note) in &doc.notes {
            let _ = writeln!(out, "<p>On {}: {}</p>", esc(p.host_name(host)), esc(note));
        }
        out.push_str("</dd>\n");
    }
    // Rules with findings but no verdict cause (notes, meta findings) still get an anchor.
    let mut listed: Vec<&str> = Vec::new();
    for f in p.apps.iter().flat_map(|a| &a.findings) {
        if !p.causes.contains_key(&f.rule) && !listed.contains(&f.rule.as_str()) {
            listed.push(&f.rule);
            let _ = writeln!(
                out,
                "<dt id=\"{}\"><code>{}</code></dt>\n<dd><p>Fix: {}</p></dd>",
                anchor("cause", &f.rule),
                esc(&f.rule),
                esc(&f.help)
            );
        }
    }
    out.push_str("</dl>\n</section>\n");
}
