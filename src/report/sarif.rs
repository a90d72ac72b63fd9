//! SARIF 2.1.0, the format GitHub code scanning and other code hosts import: one run
//! whose driver lists every rule, and one result per finding.

use crate::anchor::Anchors;
use crate::finding::{Finding, Severity};
use crate::report::rules_doc;
use crate::rules::{Registry, Rule};
use crate::scan::Report;
use serde_json::{Value, json};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The driver's `informationUri`: the repository's home page.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// `runs[].automationDetails.id`: code scanning keeps one set of alerts per category,
/// so twelve's never replace another tool's.
const AUTOMATION_ID: &str = "twelve/";
/// Key of our fingerprint in `partialFingerprints`; versioned so a change of the
/// fingerprint scheme never matches old alerts by accident.
const FINGERPRINT_KEY: &str = "twelve/v1";

pub fn render(report: &Report, registry: &Registry) -> String {
    let rules: Vec<&Rule> = registry.rules.iter().collect();
    let anchors = &report.anchors;
    let mut run = json!({
            "tool": { "driver": {
                "name": "twelve",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>(),
            }},
            // Our columns count characters, not UTF-16 code units (SARIF's default).
            "columnKind": "unicodeCodePoints",
            "automationDetails": { "id": AUTOMATION_ID },
            "results": report.findings.iter().map(|f| result(f, &rules, anchors)).collect::<Vec<_>>(),
    });
    if let Some(root) = &anchors.repository_root {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": directory_uri(root) } });
    }
    let document = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    let mut out = serde_json::to_string_pretty(&document).expect("plain data serialises");
    out.push('\n');
    out
}

fn descriptor(rule: &Rule) -> Value {
    let spec = &rule.spec;
    let mut tags = vec!["twelve-factor".to_string()];
    if let Some(factor) = spec.factor {
        tags.push(format!("factor-{factor}"));
    }
    let mut properties = json!({ "tags": tags, "precision": spec.precision.as_str() });
    if let Some(score) = spec.security_severity {
        // A string, as GitHub reads it; the tag puts the alert under "Security".
        properties["security-severity"] = json!(format!("{score:.1}"));
        properties["tags"]
            .as_array_mut()
            .expect("tags")
            .push(json!("security"));
    }
    json!({
        "id": spec.id,
        "name": pascal_case(&spec.id),
        "shortDescription": { "text": spec.title },
        "fullDescription": { "text": spec.docs.what.trim() },
        "help": {
            "text": format!("{}\n\n{}", spec.docs.why.trim(), spec.docs.fix.trim()),
            "markdown": rules_doc::explain(rule),
        },
        "helpUri": rules_doc::doc_url(&spec.id),
        "defaultConfiguration": { "level": level(spec.severity) },
        "properties": properties,
    })
}

fn result(finding: &Finding, rules: &[&Rule], anchors: &Anchors) -> Value {
    let mut result = json!({
        "ruleId": finding.rule,
        "level": level(finding.severity),
        "message": { "text": format!("{}\nhelp: {}", finding.message, finding.help) },
        "locations": [{ "physicalLocation": physical_location(finding, anchors) }],
        "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
    });
    if let Some(index) = rules.iter().position(|r| r.id() == finding.rule) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// Repository-level findings (line 0) point at line 1 of the file they concern: GitHub
/// code scanning places an alert only with `region.startLine`, and regions are 1-based.
fn physical_location(finding: &Finding, anchors: &Anchors) -> Value {
    let region = if finding.is_repository_level() {
        json!({ "startLine": 1 })
    } else {
        json!({
            "startLine": finding.start.line,
            "startColumn": finding.start.column,
            "endLine": finding.end.line,
            "endColumn": finding.end.column,
            "snippet": { "text": finding.excerpt.text },
        })
    };
    let file = anchors.from_repository(&finding.file);
    json!({ "artifactLocation": artifact_location(&file), "region": region })
}

/// The base of relative URIs: the repository root, where code scanning resolves them.
const SRCROOT: &str = "%SRCROOT%";

/// Relative paths (from the repository root) are resolved against `%SRCROOT%`; an
/// absolute path (a root given as absolute among several) becomes a `file://` URI.
fn artifact_location(file: &str) -> Value {
    if file.starts_with('/') {
        json!({ "uri": format!("file://{}", percent_encode(file)) })
    } else {
        json!({ "uri": percent_encode(file), "uriBaseId": SRCROOT })
    }
}

/// `file:///repo/root/`: a directory URI ends with `/`, as SARIF requires of a base.
fn directory_uri(root: &str) -> String {
    let root = root.trim_end_matches('/');
    let slash = if root.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}/", percent_encode(root))
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `hardcoded-port` → `HardcodedPort`, the SARIF convention for a rule's name.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("hardcoded-port"), "HardcodedPort");
        assert_eq!(percent_encode("app/my file#1.js"), "app/my%20file%231.js");
        assert_eq!(percent_encode("é.js"), "%C3%A9.js");
        assert_eq!(artifact_location("/tmp/a b")["uri"], "file:///tmp/a%20b");
        assert_eq!(artifact_location("src/a.js")["uriBaseId"], "%SRCROOT%");
        assert_eq!(directory_uri("/srv/my app"), "file:///srv/my%20app/");
        assert_eq!(directory_uri("C:/code"), "file:///C%3A/code/");
    }
}
