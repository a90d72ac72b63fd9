//! Secrets found in a repository are never published a second time: every output shows
//! a secret value as its first characters and a mask (`sk_l****`, see
//! `finding::mask`), unless `--show-secrets` is given.
//!
//! Detection marks the values it matched (`secret` and `redact` groups); this module
//! finds the others a finding's excerpt or message may hold (a provider key on a line
//! flagged for its port, a password in a URL) with the same `secret` patterns every
//! rule uses, and is the last pass over what the reporters print.
//!
//! Compiling the ~35 patterns with Unicode classes cost a small app's run a fifth of its
//! time, at its first output, mostly for text that holds no secret. So a text first runs
//! through the patterns' keywords (build.rs extracted them); only the patterns whose
//! keywords it holds run, each compiled on first use, and an ASCII text (most excerpts
//! and messages) runs the byte form the scan uses, with ASCII classes, which matches
//! exactly what the Unicode form matches on ASCII text and compiles six times faster.

use crate::detect::looks_real;
use crate::finding::{Finding, mask};
use crate::rules::{LazyRegex, Matcher, Registry};
use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::borrow::Cow;
use std::sync::OnceLock;

static SHARED: OnceLock<Redactor> = OnceLock::new();

/// A regex whose group `secret` is a value to mask, and the entropy it needs.
struct SecretPattern {
    /// For ASCII text: with ASCII classes, on bytes.
    ascii: LazyRegex,
    /// For any other text: with Unicode classes, compiled on first use.
    source: String,
    unicode: OnceLock<Option<Regex>>,
    single_line: OnceLock<bool>,
    min_entropy: Option<f64>,
    /// Whether a placeholder (`changeme`, `${VAR}`) is masked too.
    placeholders: bool,
}

impl SecretPattern {
    /// `raw` without flags (the ASCII form gets the rules' flags, `literals::FLAGS`) and
    /// `source` as the Unicode form compiles it.
    fn new(
        raw: &str,
        source: String,
        min_entropy: Option<f64>,
        placeholders: bool,
    ) -> SecretPattern {
        SecretPattern {
            ascii: LazyRegex::new(raw),
            source,
            unicode: OnceLock::new(),
            single_line: OnceLock::new(),
            min_entropy,
            placeholders,
        }
    }

    fn unicode(&self) -> Option<&Regex> {
        self.unicode
            .get_or_init(|| Regex::new(&self.source).ok())
            .as_ref()
    }

    /// Whether no match can hold a line break: then a text can be searched line by
    /// line, each line in the form its characters allow, with the same matches.
    fn single_line(&self) -> bool {
        *self.single_line.get_or_init(|| {
            regex_syntax::parse(&self.source).is_ok_and(|hir| !can_match_newline(&hir))
        })
    }

    /// The byte ranges of `text` its `secret` group matches, each moved by `offset`:
    /// with ASCII classes when `text` is ASCII, where both forms match the same.
    fn secrets(&self, text: &str, offset: usize, out: &mut Vec<(usize, usize)>) {
        if text.is_ascii() {
            for caps in self.ascii.regex().captures_iter(text.as_bytes()) {
                if let Some(m) = caps.name("secret") {
                    out.push((m.start() + offset, m.end() + offset));
                }
            }
        } else if let Some(regex) = self.unicode() {
            for caps in regex.captures_iter(text) {
                if let Some(m) = caps.name("secret") {
                    out.push((m.start() + offset, m.end() + offset));
                }
            }
        }
    }
}

/// Whether a literal or a class of `hir` holds `\n` (conservative: whatever the branch).
fn can_match_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(literal) => literal.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(repetition) => can_match_newline(&repetition.sub),
        HirKind::Capture(capture) => can_match_newline(&capture.sub),
        HirKind::Concat(hirs) | HirKind::Alternation(hirs) => hirs.iter().any(can_match_newline),
    }
}

/// Every `secret` pattern of the rules, plus URL passwords and PEM key bodies.
pub struct Redactor {
    patterns: Vec<SecretPattern>,
    /// The patterns' keywords, ignoring ASCII case, and for each the patterns it gates.
    keywords: AhoCorasick,
    gates: Vec<Vec<usize>>,
    /// The patterns without keywords: they run on every text.
    ungated: Vec<usize>,
}

/// The password of a URL's user information (`postgres://app:PASSWORD@db/app`): the
/// scheme, the user and the host stay readable.
const URL_PASSWORD: &str =
    r#"(?i)\b[a-z][a-z0-9+.\-]*://[^\s/:@"'`<>]*:(?P<secret>[^\s/@"'`<>]+)@"#;
/// The body of a PEM private key that sits on the same line as its header (a
/// service-account JSON file keeps the key on one line, with `\n` escapes).
const PEM_BODY: &str = r"PRIVATE KEY(?: BLOCK)?-----(?P<secret>[^-]+)";
/// What every match of `URL_PASSWORD` and of `PEM_BODY` holds, as keywords.
const BUILTIN_KEYWORDS: [&[u8]; 2] = [b"://", b"private key"];

impl Redactor {
    pub fn new(registry: &Registry) -> Redactor {
        let mut patterns = Vec::new();
        let mut words: Vec<&[u8]> = Vec::new();
        let mut gates: Vec<Vec<usize>> = Vec::new();
        let mut ungated = Vec::new();
        let mut gate = |pattern: usize, keywords: &[&'static [u8]]| {
            if keywords.is_empty() {
                ungated.push(pattern);
            }
            for &word in keywords {
                let at = words.iter().position(|w| *w == word).unwrap_or_else(|| {
                    words.push(word);
                    gates.push(Vec::new());
                    words.len() - 1
                });
                gates[at].push(pattern);
            }
        };
        for rule in &registry.rules {
            let Matcher::Patterns(rule_patterns) = &rule.matcher else {
                continue;
            };
            for pattern in rule_patterns {
                // The rule's own pattern; on text that is not ASCII, with Unicode classes.
                let source = pattern.regex.source.as_str();
                let source = source
                    .strip_prefix(crate::rules::literals::FLAGS)
                    .unwrap_or(source);
                if !source.contains("(?P<secret>") {
                    continue;
                }
                gate(patterns.len(), pattern.words());
                patterns.push(SecretPattern::new(
                    source,
                    format!("(?m){source}"),
                    pattern.min_entropy,
                    false,
                ));
            }
        }
        for (source, keyword) in [URL_PASSWORD, PEM_BODY].into_iter().zip(BUILTIN_KEYWORDS) {
            gate(patterns.len(), &[keyword]);
            patterns.push(SecretPattern::new(source, source.to_string(), None, true));
        }
        let keywords = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .expect("a few short keywords");
        Redactor {
            patterns,
            keywords,
            gates,
            ungated,
        }
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

    /// Which patterns may match `text`: those whose keywords it holds, and those without.
    fn candidates(&self, text: &str) -> Vec<bool> {
        let mut run = vec![false; self.patterns.len()];
        // Unicode case folding lets `(?i)k` and `(?i)s` match the Kelvin sign and the long
        // s, where no ASCII keyword is: a text holding one runs every pattern.
        if !text.is_ascii() && text.contains(['\u{212A}', '\u{17F}']) {
            run.fill(true);
            return run;
        }
        for &i in &self.ungated {
            run[i] = true;
        }
        for found in self.keywords.find_overlapping_iter(text) {
            for &i in &self.gates[found.pattern().as_usize()] {
                run[i] = true;
            }
        }
        run
    }

    /// Byte ranges of `text` that hold a secret value.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let candidates = self.candidates(text);
        // Text that is not ASCII (the text report's `·`, a line of source) is searched
        // line by line by the patterns that allow it: only its non-ASCII lines need the
        // Unicode form, and only for the patterns whose keywords they hold.
        let mut lines: Vec<(usize, &str, Vec<bool>)> = Vec::new();
        if !text.is_ascii() {
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                lines.push((at, line, self.candidates(line)));
                at += line.len();
            }
        }
        let mut found = Vec::new();
        for (i, pattern) in self.patterns.iter().enumerate() {
            if !candidates[i] {
                continue;
            }
            let mut spans = Vec::new();
            if lines.is_empty() || !pattern.single_line() {
                pattern.secrets(text, 0, &mut spans);
            } else {
                for (at, line, _) in lines.iter().filter(|(_, _, run)| run[i]) {
                    pattern.secrets(line, *at, &mut spans);
                }
            }
            for (start, end) in spans {
                let value = &text[start..end];
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
                    found.push((start, end));
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
    /// Every secret pattern of the rules is among the redactor's and compiles in both
    /// forms (one that does not compile as text would be skipped without a word).
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
        let redactor = Redactor::new(&registry);
        assert_eq!(redactor.patterns.len(), secret_patterns + 2);
        for pattern in &redactor.patterns {
            assert!(pattern.unicode().is_some(), "{}", pattern.source);
            pattern.ascii.regex();
        }
    }

    use super::*;

    /// The keywords, the ASCII form and the line-by-line search find what every pattern's
    /// Unicode form finds over the whole text.
    #[test]
    fn the_shortcuts_find_what_the_unicode_patterns_find() {
        let redactor = Redactor::builtin();
        let texts = [
            "password: \"Wq7rTz2LpX9vKm4N\"\nport = 3000",
            "stack: Node.js · Express\n  password = 'Wq7rTz2LpX9vKm4N'\n  é password = 'Wq7rTz2LpX9vKmé4N'",
            "secret_key = \"ab→cdefghijklmnopqrstuvwx\" sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "AW\u{17F}_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n\u{212A}EY",
            "{\"kty\": \"EC\",\n \"d\": \"·MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIB\"}",
            "'postgres://app:Pr0dPassw0rd@db/app' · token: 'abcdefghijklmnop1234'",
        ];
        for text in texts {
            let mut expected = Vec::new();
            for pattern in &redactor.patterns {
                let regex = pattern.unicode().expect("compiles");
                for caps in regex.captures_iter(text) {
                    let secret = caps.name("secret").expect("a secret group");
                    let value = secret.as_str();
                    let real = if pattern.placeholders {
                        !value.starts_with(['$', '<', '{', '%'])
                    } else {
                        looks_real(value, pattern.min_entropy)
                    };
                    if real && !value.contains("****") {
                        expected.push((secret.start(), secret.end()));
                    }
                }
            }
            assert_eq!(redactor.find(text), expected, "{text}");
        }
    }

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
