//! One row per app and host (RFC 4180), for a spreadsheet.

use super::model::Portfolio;

const HEADER: &str =
    "app,commit,host,verdict,score,blockers,degraders,errors,warnings,notes,health_data\r\n";

/// A field quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`
/// or `@` is prefixed with `'` so a spreadsheet never runs it as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub fn render(p: &Portfolio) -> String {
    let mut out = String::from(HEADER);
    for app in &p.apps {
        let count = |s: &str| app.counts.get(s).copied().unwrap_or(0);
        for host in &app.hosts {
            let impacts = |impact: &str| host.causes.iter().filter(|c| c.impact == impact).count();
            let row = [
                field(&app.name),
                field(app.commit.as_deref().unwrap_or("")),
                field(&host.host),
                field(&host.verdict),
                host.score.to_string(),
                impacts("blocks").to_string(),
                impacts("degrades").to_string(),
                count("error").to_string(),
                count("warning").to_string(),
                count("note").to_string(),
                (!app.health.is_empty()).to_string(),
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("org/app"), "org/app");
    }
}
