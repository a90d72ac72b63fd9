//! The portfolio-wide sections: verdicts per host, the readiness matrix, trends,
//! factors, top blockers per host and health data.

use super::{anchor, esc, plural, verdict_cell, verdict_label};
use crate::portfolio::model::{AppTrend, Grade, Portfolio};
use std::fmt::Write as _;

/// Apps named per blocker before "and N more".
const APPS_PER_BLOCKER: usize = 12;
/// Blockers listed per host.
const BLOCKERS_PER_HOST: usize = 10;

const VERDICTS: [&str; 3] = ["ready", "needs-changes", "blocked"];

/// A horizontal bar as inline SVG; the numbers are in the table cell beside it.
fn bar(parts: &[(usize, &str)], total: usize) -> String {
    const WIDTH: usize = 160;
    let mut out = format!(
        "<svg width=\"{WIDTH}\" height=\"14\" viewBox=\"0 0 {WIDTH} 14\" aria-hidden=\"true\" focusable=\"false\">"
    );
    let mut x = 0;
    for (n, colour) in parts {
        let w = (n * WIDTH).checked_div(total).unwrap_or(0);
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"1\" width=\"{w}\" height=\"12\" fill=\"{colour}\"/>"
        );
        x += w;
    }
    out.push_str("</svg>");
    out
}

pub fn summary(p: &Portfolio, out: &mut String) {
    out.push_str("<section id=\"summary\">\n<h2>Verdicts per host</h2>\n<div class=\"scroll\"><table>\n<caption>How many apps each host can run as they are</caption>\n<thead><tr><th scope=\"col\">Host</th><th scope=\"col\" class=\"num\">✓ ready</th><th scope=\"col\" class=\"num\">! needs changes</th><th scope=\"col\" class=\"num\">✕ blocked</th><th scope=\"col\">HDS</th><th scope=\"col\" class=\"wide\">Share</th></tr></thead>\n<tbody>\n");
    for host in &p.hosts {
        let count = |verdict: &str| {
            p.apps
                .iter()
                .filter(|a| a.host(&host.id).is_some_and(|h| h.verdict == verdict))
                .count()
        };
        let [ready, needs, blocked] = VERDICTS.map(count);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{ready}</td><td class=\"num\">{needs}</td><td class=\"num\">{blocked}</td><td>{}</td><td class=\"wide\">{}</td></tr>",
            esc(&host.name),
            if host.hds {
                "✓ certified"
            } else {
                "✕ not certified"
            },
            bar(
                &[(ready, "#2da44e"), (needs, "#d4a72c"), (blocked, "#cf222e")],
                ready + needs + blocked
            )
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

pub fn matrix(p: &Portfolio, out: &mut String) {
    out.push_str("<section id=\"matrix\">\n<h2>Readiness matrix</h2>\n");
    out.push_str(
        "<div id=\"controls\" class=\"controls\" hidden><label>Filter apps <input type=\"search\" id=\"filter\" placeholder=\"name, stack, verdict\"></label>\
         <label>Show <select id=\"verdict-filter\"><option value=\"\">all apps</option>\
         <option value=\"blocked\">blocked on a host</option><option value=\"needs-changes\">needing changes on a host</option>\
         <option value=\"ready\">ready on a host</option></select></label><span id=\"shown\" aria-live=\"polite\"></span></div>\n",
    );
    out.push_str("<div class=\"scroll\"><table id=\"matrix-table\" class=\"cards\">\n<caption>Each app's verdict and score (out of 100) per host; the app's name leads to its findings</caption>\n<thead><tr><th scope=\"col\">App</th><th scope=\"col\" class=\"wide\">Stack</th><th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num wide\">Warnings</th>");
    for host in &p.hosts {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(&host.name)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (index, app) in p.apps.iter().enumerate() {
        let verdicts: Vec<&str> = app.hosts.iter().map(|h| h.verdict.as_str()).collect();
        let count = |s: &str| app.counts.get(s).copied().unwrap_or(0);
        let _ = write!(
            out,
            "<tr data-verdicts=\"{}\"><th scope=\"row\"><a href=\"#app-{index}\">{}</a>{}</th><td class=\"wide\">{}</td><td class=\"num\" data-label=\"Errors\" data-value=\"{e}\">{e}</td><td class=\"num wide\" data-value=\"{w}\">{w}</td>",
            esc(&verdicts.join(" ")),
            esc(&app.name),
            app.commit
                .as_deref()
                .map(|c| format!(" <small>{}</small>", esc(c.get(..7).unwrap_or(c))))
                .unwrap_or_default(),
            esc(&app.stack()),
            e = count("error"),
            w = count("warning"),
        );
        for host in &p.hosts {
            match app.host(&host.id) {
                Some(h) => out.push_str(&verdict_cell(&h.verdict, h.score, &host.name)),
                None => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-label=\"{}\" data-value=\"-1\">{}</td>",
                        esc(&host.name),
                        if app.hosts.is_empty() {
                            "— no app found"
                        } else {
                            "— not assessed"
                        }
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn grade(g: Option<&Grade>) -> String {
    g.map_or_else(
        || "—".into(),
        |g| format!("{} {}", verdict_label(&g.verdict), g.score),
    )
}

fn change_label(change: &str) -> String {
    let (class, label) = match change {
        "improved" => ("up", "▲ improved"),
        "regressed" => ("down", "▼ regressed"),
        "mixed" => ("", "▲▼ mixed"),
        "new" => ("", "+ new"),
        "removed" => ("", "− removed"),
        _ => ("", "= unchanged"),
    };
    format!("<span class=\"{class}\">{label}</span>")
}

pub fn trends(p: &Portfolio, trends: &[AppTrend], out: &mut String) {
    let changed = trends.iter().filter(|t| t.change != "unchanged").count();
    let _ = write!(
        out,
        "<section id=\"trends\">\n<h2>Since the previous run</h2>\n<p>{} changed of {}.</p>\n<div class=\"scroll\"><table>\n<caption>Verdict and score before → after, per host; findings fixed and introduced (by fingerprint)</caption>\n<thead><tr><th scope=\"col\">App</th><th scope=\"col\">Change</th>",
        plural(changed, "app"),
        trends.len()
    );
    for host in &p.hosts {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&host.name));
    }
    out.push_str("<th scope=\"col\" class=\"num\">Fixed</th><th scope=\"col\" class=\"num\">New</th></tr></thead>\n<tbody>\n");
    for trend in trends {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&trend.app),
            change_label(&trend.change)
        );
        for host in &p.hosts {
            match trend.hosts.iter().find(|h| h.host == host.id) {
                Some(h) => {
                    let _ = write!(
                        out,
                        "<td>{} → {} {}</td>",
                        grade(h.before.as_ref()),
                        grade(h.after.as_ref()),
                        if h.change == "unchanged" {
                            String::new()
                        } else {
                            change_label(&h.change)
                        }
                    );
                }
                None => out.push_str("<td>—</td>"),
            }
        }
        let _ = writeln!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            trend.fixed, trend.introduced
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

pub fn factors(p: &Portfolio, out: &mut String) {
    out.push_str("<section id=\"factors\">\n<h2>Factors across the portfolio</h2>\n");
    if p.factors.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    let total = p.apps.len();
    out.push_str("<div class=\"scroll\"><table>\n<caption>Which factors hold apps back: apps with findings of each factor, and apps a rule of that factor blocks on a host</caption>\n<thead><tr><th scope=\"col\">Factor</th><th scope=\"col\" class=\"num\">Apps with findings</th><th scope=\"col\" class=\"num\">Apps blocked</th><th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\" class=\"wide\">Share of apps</th></tr></thead>\n<tbody>\n");
    for f in &p.factors {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"wide\">{}</td></tr>",
            esc(&f.name),
            f.apps,
            f.blocked_apps,
            f.findings,
            bar(
                &[
                    (f.blocked_apps, "#cf222e"),
                    (f.apps - f.blocked_apps, "#3b6fb6")
                ],
                total
            )
        );
    }
    out.push_str("</tbody></table></div>\n<p class=\"meta\">Bars: red for apps blocked, blue for the other apps with findings, out of every app.</p>\n</section>\n");
}

fn app_links(p: &Portfolio, names: &[String]) -> String {
    let mut links: Vec<String> = names
        .iter()
        .take(APPS_PER_BLOCKER)
        .map(|name| match p.apps.iter().position(|a| &a.name == name) {
            Some(i) => format!("<a href=\"#app-{i}\">{}</a>", esc(name)),
            None => esc(name),
        })
        .collect();
    if names.len() > APPS_PER_BLOCKER {
        links.push(format!("and {} more", names.len() - APPS_PER_BLOCKER));
    }
    links.join(", ")
}

pub fn blockers(p: &Portfolio, out: &mut String) {
    out.push_str("<section id=\"blockers\">\n<h2>Top blockers per host</h2>\n");
    for host in &p.blockers {
        let _ = writeln!(out, "<h3>{}</h3>", esc(p.host_name(&host.host)));
        if host.causes.is_empty() {
            out.push_str("<p>Nothing blocks any app here.</p>\n");
            continue;
        }
        out.push_str("<ol>\n");
        for cause in host.causes.iter().take(BLOCKERS_PER_HOST) {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\"><code>{}</code></a>: {} <br><small>blocks {}:</small> {}</li>",
                anchor("cause", &cause.id),
                esc(&cause.id),
                esc(&cause.message),
                plural(cause.apps.len(), "app"),
                app_links(p, &cause.apps)
            );
        }
        out.push_str("</ol>\n");
        if host.causes.len() > BLOCKERS_PER_HOST {
            let _ = writeln!(
                out,
                "<p class=\"meta\">{} more blockers in the JSON portfolio.</p>",
                host.causes.len() - BLOCKERS_PER_HOST
            );
        }
    }
    out.push_str("</section>\n");
}

pub fn health(p: &Portfolio, out: &mut String) {
    let apps: Vec<(usize, &crate::portfolio::model::App)> = p
        .apps
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.health.is_empty())
        .collect();
    if apps.is_empty() {
        return;
    }
    let hds: Vec<_> = p.hosts.iter().filter(|h| h.hds).collect();
    let _ = write!(
        out,
        "<section id=\"health\">\n<h2>Health data</h2>\n<p>{} name health-record data; hosting health data of French patients requires an HDS-certified host.</p>\n<div class=\"scroll\"><table>\n<caption>Apps that name health data, and their verdict on each HDS-certified host</caption>\n<thead><tr><th scope=\"col\">App</th><th scope=\"col\">Signs</th>",
        plural(apps.len(), "app")
    );
    for host in &hds {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{} (HDS)</th>",
            esc(&host.name)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (index, app) in apps {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"#app-{index}\">{}</a></th><td>{}</td>",
            esc(&app.name),
            esc(&app
                .health
                .iter()
                .take(4)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "))
        );
        for host in &hds {
            match app.host(&host.id) {
                Some(h) => out.push_str(&verdict_cell(&h.verdict, h.score, &host.name)),
                None => out.push_str("<td>not assessed</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n<ul>\n");
    for host in &p.hosts {
        let _ = writeln!(
            out,
            "<li>{}: {} — {}</li>",
            esc(&host.name),
            if host.hds { "✓ HDS" } else { "✕ no HDS" },
            esc(&host.hds_note)
        );
    }
    out.push_str("</ul>\n</section>\n");
}
