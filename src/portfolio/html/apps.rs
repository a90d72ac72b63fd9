//! Per app: its findings (file:line, rule, message) and, per host, the causes of its
//! verdict; then each cause's fix and host notes, written once for the whole page.

use super::{anchor, esc, plural, verdict_label};
use crate::portfolio::model::{App, AppCause, Portfolio};
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
        if verdicts.is_empty() {
            verdicts.push("No app found (no language or Dockerfile), so no host verdict".into());
        }
        let _ = writeln!(out, "<p>{}</p>", verdicts.join(" · "));
        let _ = writeln!(
            out,
            "<details{open}><summary>Findings ({})</summary>",
            app.findings.len()
        );
        findings(app, out);
        out.push_str("</details>\n");
        let _ = writeln!(out, "<details{open}><summary>Impact per host</summary>");
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
    let stack = app.stack();
    if !stack.is_empty() {
        parts.push(stack);
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
    out.push_str("<div class=\"scroll\"><table class=\"cards findings\">\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Where</th><th scope=\"col\">Rule</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n");
    for f in sorted.iter().take(FINDINGS_PER_APP) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td></tr>",
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

/// One row per cause with its impact on each host: the same cause is written once,
/// not once per host. Causes without a finding (host checks) carry their message.
fn causes(p: &Portfolio, app: &App, out: &mut String) {
    let mut ids: Vec<&AppCause> = Vec::new();
    for cause in app.hosts.iter().flat_map(|h| &h.causes) {
        if !ids.iter().any(|c| c.id == cause.id) {
            ids.push(cause);
        }
    }
    if ids.is_empty() {
        out.push_str("<p>Nothing to change on any host.</p>\n");
        return;
    }
    out.push_str("<div class=\"scroll\"><table class=\"cards impacts\">\n<thead><tr><th scope=\"col\">Cause</th><th scope=\"col\">Where</th>");
    for host in &p.hosts {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&host.name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for cause in ids {
        let shown: Vec<&str> = cause
            .locations
            .iter()
            .take(LOCATIONS_PER_CAUSE)
            .map(String::as_str)
            .collect();
        let more = cause.count.saturating_sub(shown.len());
        let message = if app.findings.iter().any(|f| f.rule == cause.id) {
            String::new()
        } else {
            format!("<br>{}", esc(&cause.message))
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"#{}\"><code>{}</code></a>{message}</th><td><code>{}</code>{}</td>",
            anchor("cause", &cause.id),
            esc(&cause.id),
            esc(&shown.join(", ")),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        );
        for host in &p.hosts {
            let impact = match app.host(&host.id) {
                Some(h) => h
                    .causes
                    .iter()
                    .find(|c| c.id == cause.id)
                    .map_or("—", |c| c.impact.as_str()),
                None => "not assessed",
            };
            let _ = write!(out, "<td>{}</td>", esc(impact));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// Phone cards label each cell from its column: the labels of the findings and impact
/// tables, once for the page rather than on every cell.
pub fn card_labels(p: &Portfolio) -> String {
    let mut css = String::from(
        "@media (max-width:40rem){.findings td:nth-child(1)::before{content:\"Severity\"}.findings td:nth-child(2)::before{content:\"Where\"}.findings td:nth-child(3)::before{content:\"Rule\"}.findings td:nth-child(4){display:block}.findings td:nth-child(4)::before{content:\"Message\";display:block}.impacts td:nth-child(2)::before{content:\"Where\"}",
    );
    for (i, host) in p.hosts.iter().enumerate() {
        // Column 1 is the row header (a th), 2 is "Where": hosts start at 3.
        let _ = write!(
            css,
            ".impacts td:nth-child({})::before{{content:\"{}\"}}",
            i + 3,
            css_string(&host.name)
        );
    }
    css.push_str("}\n");
    css
}

/// Text inside a CSS string: only letters, digits, spaces and simple punctuation.
fn css_string(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect()
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
