//! The HTML report: one self-contained page (inline CSS, SVG and a few lines of
//! JavaScript that only sort and filter; no network). Every text taken from a report
//! (names, paths, messages) goes through `esc`, since scanned repositories are
//! untrusted; the JSON it reads is already redacted by `twelve check`.

mod apps;
mod sections;

use super::model::{Portfolio, verdict_label, verdict_rank};
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Which page: a portfolio of many apps, or one repository's `twelve check --format html`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Portfolio,
    Check,
}

pub fn render(portfolio: &Portfolio, page: Page) -> String {
    let mut out = String::with_capacity(4096 + portfolio.apps.len() * 4096);
    let title = match (page, portfolio.apps.as_slice()) {
        (Page::Check, [app]) => format!("twelve check: {}", app.name),
        _ => format!("twelve portfolio: {} apps", portfolio.apps.len()),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        esc(&title),
        apps::card_labels(portfolio),
        esc(&title)
    );
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} · {} · made by twelve {} from reports of twelve {}</p>",
        plural(portfolio.apps.len(), "app"),
        plural(portfolio.hosts.len(), "host"),
        esc(&portfolio.tool_version),
        esc(&portfolio.report_versions.join(", "))
    );
    out.push_str(&nav(portfolio, page));
    out.push_str("</header>\n<main>\n");
    // One repository's page has no portfolio-wide views: its matrix row says it all.
    if page == Page::Portfolio {
        sections::summary(portfolio, &mut out);
    }
    sections::matrix(portfolio, &mut out);
    if let Some(trends) = &portfolio.trends {
        sections::trends(portfolio, trends, &mut out);
    }
    if page == Page::Portfolio {
        sections::factors(portfolio, &mut out);
        sections::blockers(portfolio, &mut out);
    }
    sections::health(portfolio, &mut out);
    apps::drill_downs(portfolio, page == Page::Check, &mut out);
    apps::cause_docs(portfolio, &mut out);
    out.push_str(
        "</main>\n<footer><p class=\"meta\">Verdicts: ✓ ready, ! needs changes, ✕ blocked; the score is out of 100. \
         Sorting and filtering need JavaScript; everything else is plain HTML. \
         Rules and fixes: <code>twelve explain RULE</code>.</p></footer>\n",
    );
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn nav(portfolio: &Portfolio, page: Page) -> String {
    let mut links = Vec::new();
    if page == Page::Portfolio {
        links.push(("summary", "Summary"));
    }
    links.push(("matrix", "Readiness matrix"));
    if portfolio.trends.is_some() {
        links.push(("trends", "Since last run"));
    }
    if page == Page::Portfolio {
        links.extend([("factors", "Factors"), ("blockers", "Top blockers")]);
    }
    if portfolio.apps.iter().any(|a| !a.health.is_empty()) {
        links.push(("health", "Health data"));
    }
    links.push((
        "apps",
        if page == Page::Check {
            "Findings"
        } else {
            "Apps"
        },
    ));
    links.push(("causes", "Causes and fixes"));
    let mut out = String::from("<nav aria-label=\"Sections\"><ul>");
    for (id, label) in links {
        let _ = write!(out, "<li><a href=\"#{id}\">{label}</a></li>");
    }
    out.push_str("</ul></nav>\n");
    out
}

/// Text as HTML: markup characters escaped, control characters dropped (scanned
/// content must never become markup or script).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A fragment id from free text: letters, digits and `-` only.
fn anchor(prefix: &str, text: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{body}")
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A table cell for a verdict and score, sortable by both; `label` names the column
/// when a phone shows the row as a card.
fn verdict_cell(verdict: &str, score: u8, label: &str) -> String {
    let class = match verdict {
        "ready" | "needs-changes" | "blocked" => verdict,
        _ => "unknown",
    };
    format!(
        "<td class=\"v v-{class} num\" data-label=\"{}\" data-value=\"{}\">{} <span class=\"score\">{score}</span></td>",
        esc(label),
        u32::from(verdict_rank(verdict)) * 1000 + u32::from(score),
        verdict_label(verdict)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"\u{1b}[31m"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;[31m"
        );
        assert_eq!(anchor("app", "org/My App"), "app-org-my-app");
    }
}
