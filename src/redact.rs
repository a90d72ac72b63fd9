//! Secrets found in a repository are never published a second time: every output shows
//! a secret value as its first characters and a mask (`sk_l****`, see
//! `finding::mask`), unless `--show-secrets` is given.
//!
//! Detection marks the values it matched (`secret` and `redact` groups); this module
//! finds the others a finding's excerpt or message may hold (a provider key on a line
//! flagged for its port, a password in a URL) with the same `secret` patterns every
//! rule uses, and is the last pass over what the reporters print.

use crate::detect::looks_real;
use crate::finding::{Finding, mask};
use crate::rules::{Matcher, Registry};
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

static SHARED: OnceLock<Redactor> = OnceLock::new();

/// A regex whose group `secret` is a value to mask, and the entropy it needs.
struct SecretPattern {
    regex: Regex,
    min_entropy: Option<f64>,
    /// Whether a placeholder (`changeme`, `${VAR}`) is masked too.
    placeholders: bool,
}

/// Every `secret` pattern of the rules, plus URL passwords and PEM key bodies.
pub struct Redactor {
    patterns: Vec<SecretPattern>,
}

/// The password of a URL's user information (`postgres://app:PASSWORD@db/app`): the
/// scheme, the user and the host stay readable.
const URL_PASSWORD: &str =
    r#"(?i)\b[a-z][a-z0-9+.\-]*://[^\s/:@"'`<>]*:(?P<secret>[^\s/@"'`<>]+)@"#;
/// The body of a PEM private key that sits on the same line as its header (a
/// service-account JSON file keeps the key on one line, with `\n` escapes).
const PEM_BODY: &str = r"PRIVATE KEY(?: BLOCK)?-----(?P<secret>[^-]+)";

impl Redactor {
    pub fn new(registry: &Registry) -> Redactor {
        let mut patterns = Vec::new();
        for rule in &registry.rules {
            let Matcher::Patterns(rule_patterns) = &rule.matcher else {
                continue;
            };
            for pattern in rule_patterns {
                // The rule's own pattern, without the byte-matching flags the scan
                // compiles it with: here it runs on text, where Unicode is fine.
                let source = pattern.regex.source.as_str();
                let source = source
                    .strip_prefix(crate::rules::literals::FLAGS)
                    .unwrap_or(source);
                if !source.contains("(?P<secret>") {
                    continue;
                }
                if let Ok(regex) = Regex::new(&format!("(?m){source}")) {
                    patterns.push(SecretPattern {
                        regex,
                        min_entropy: pattern.min_entropy,
                        placeholders: false,
                    });
                }
            }
        }
        for source in [URL_PASSWORD, PEM_BODY] {
            patterns.push(SecretPattern {
                regex: Regex::new(source).expect("a built-in regex"),
                min_entropy: None,
                placeholders: true,
            });
        }
        Redactor { patterns }
    }

    /// The one shared by the scan and the reporters, built once from `registry` (the
    /// scan's) on first use.
    pub fn shared(registry: &Registry) -> &'static Redactor {
        SHARED.get_or_init(|| Redactor::new(registry))
    }

    /// The shared one, built from the rules embedded in the binary if the scan did not
    /// build it.
    pub fn builtin() -> &'static Redactor {
        SHARED.get_or_init(|| {
            let registry = Registry::builtin().expect("the built-in rules load (tested)");
            Redactor::new(&registry)
        })
    }

    /// Byte ranges of `text` that hold a secret value.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for pattern in &self.patterns {
            for caps in pattern.regex.captures_iter(text) {
                let Some(secret) = caps.name("secret") else {
                    continue;
                };
                let value = secret.as_str();
                if value.contains("****") {
                    // Masked already (a second pass over an output).
                    continue;
                }
                let template = value.starts_with(['$', '<', '{', '%']);
                let real = if pattern.placeholders {
                    !template
                } else {
                    looks_real(value, pattern.min_entropy)
                };
                if real {
                    found.push((secret.start(), secret.end()));
                }
            }
        }
        found
    }

    /// Marks every secret the finding's excerpt holds, besides those detection marked.
    pub fn mark(&self, finding: &mut Finding) {
        let found = self.find(&finding.excerpt.text);
        finding.excerpt.add_secrets(found);
    }

    /// Masks the finding's marked secrets, and any its message holds.
    pub fn mask(&self, finding: &mut Finding) {
        finding.excerpt = finding.excerpt.redacted();
        if let Cow::Owned(message) = self.redact(&finding.message) {
            finding.message = message;
        }
    }

    /// `text` with every secret it holds masked.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut ranges = self.find(text);
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        ranges.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in ranges {
            if start < at {
                continue;
            }
            out.push_str(&text[at..start]);
            out.push_str(&mask(&text[start..end]));
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// Masks the secrets of every string in a JSON value (for the parts of a JSON
    /// document that are not findings: the portability report).
    pub fn redact_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => {
                if let Cow::Owned(redacted) = self.redact(text) {
                    *text = redacted;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.redact_json(v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.redact_json(v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every secret pattern of the rules is among the redactor's (a pattern that does
    /// not compile as text would be skipped without a word otherwise).
    #[test]
    fn every_secret_pattern_compiles_for_redaction() {
        let registry = crate::rules::Registry::builtin().expect("rules");
        let secret_patterns = registry
            .rules
            .iter()
            .filter_map(|r| match &r.matcher {
                Matcher::Patterns(p) => Some(p),
                _ => None,
            })
            .flatten()
            .filter(|p| p.regex.source.contains("(?P<secret>"))
            .count();
        assert_eq!(Redactor::new(&registry).patterns.len(), secret_patterns + 2);
    }

    use super::*;

    fn redacted(text: &str) -> String {
        Redactor::builtin().redact(text).into_owned()
    }

    #[test]
    fn provider_keys_and_passwords_are_masked() {
        assert_eq!(
            redacted("stripe('sk_live_4eC39HqLyjWDarjtT1zdp7dc')"),
            "stripe('sk_l****')"
        );
        assert_eq!(
            redacted(r#"password: "Wq7rTz2LpX9vKm4N""#),
            r#"password: "Wq7r****""#
        );
        assert_eq!(redacted("port = 3000"), "port = 3000");
    }

    #[test]
    fn masking_twice_changes_nothing() {
        let once =
            redacted("'postgres://app:Pr0dPassw0rd@db/app' sk_live_4eC39HqLyjWDarjtT1zdp7dc");
        assert_eq!(redacted(&once), once);
    }

    #[test]
    fn urls_keep_scheme_user_and_host() {
        assert_eq!(
            redacted("'postgres://app:Pr0dPassw0rd@db.internal:5432/app'"),
            "'postgres://app:Pr0****@db.internal:5432/app'"
        );
        assert_eq!(
            redacted("redis://:hunter2hunter2@cache:6379"),
            "redis://:hun****@cache:6379"
        );
        assert_eq!(
            redacted("postgres://app:${DB_PASSWORD}@db/app"),
            "postgres://app:${DB_PASSWORD}@db/app"
        );
    }

    #[test]
    fn a_key_on_its_header_line_is_masked() {
        let line = r#""private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END"#;
        let out = redacted(line);
        assert!(!out.contains("MIIEvQIBADANBgkq"), "{out}");
    }

    #[test]
    fn json_strings_are_masked_in_place() {
        let mut value = serde_json::json!({"start": ["web: API_SECRET='9f8e7d6c5b4a39281706f5e4d3c2b1a0' node app.js"]});
        Redactor::builtin().redact_json(&mut value);
        assert!(!value.to_string().contains("9f8e7d6c5b4a3928"), "{value}");
    }
}
