//! Runs the pattern rules on one file. Patterns match the comment-masked text, so a
//! commented-out line never fires; spans point into the original text.

use crate::finding::{Fact, Finding};
use crate::rules::{Matcher, Pattern, Registry, Rule};
use crate::source::SourceFile;
use regex::bytes::Captures;

/// Which keywords of the registry occur in the file's code (one pass for all).
pub fn keywords_present(registry: &Registry, file: &SourceFile) -> Vec<bool> {
    registry
        .keywords
        .present(&file.masked, file.language, file.role)
}

/// Findings of every applicable pattern rule in `file`, in no particular order;
/// `present` comes from `keywords_present`.
pub fn detect(file: &SourceFile, rules: &[&Rule], present: &[bool]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Matcher::Patterns(patterns) = &rule.matcher else {
            continue;
        };
        if !rule.applies_to(&file.rel_path, file.language, file.role) {
            continue;
        }
        // The file gate reads the whole file: judged once, at the rule's first match.
        let mut gate = None;
        let before = findings.len();
        for pattern in patterns {
            let keyword_found = pattern.keywords.is_empty()
                || pattern
                    .keywords
                    .iter()
                    .any(|&k| present.get(k) == Some(&true));
            if !keyword_found || !pattern_applies(pattern, file) {
                continue;
            }
            let mut excluded_line = None;
            let text = if rule.spec.in_comments {
                &file.text
            } else {
                &file.masked
            };
            for caps in pattern.regex.regex().captures_iter(text) {
                let Some((start, end)) = reported_span(&caps) else {
                    continue;
                };
                // One finding per rule and line, however many patterns agree; checked
                // first (and without counting columns) so that a minified bundle's
                // single huge line costs one pass, not one per match.
                let line = file.lines().line_number(start);
                if findings[before..]
                    .iter()
                    .any(|f: &Finding| f.start.line == line)
                {
                    continue;
                }
                if excluded_line == Some(line) {
                    continue;
                }
                if line_excluded(rule, file, start, end) {
                    // Matches on a line come in a row: remember it rather than re-run
                    // `unless_line` over the same huge line for each of them.
                    excluded_line = (file.lines().line_number(end) == line).then_some(line);
                    continue;
                }
                if !secret_is_real(pattern, &caps)
                    || block_excluded(rule, file, start)
                    || body_excluded(rule, file, end)
                {
                    continue;
                }
                if let Some(name) = caps.name("name")
                    && !pattern.used(name.as_bytes(), text)
                {
                    continue;
                }
                if !*gate.get_or_insert_with(|| file_gate(rule, file)) {
                    break;
                }
                let message = rule.message(pattern.label.as_deref());
                let located = file.locate_with_secrets(start, end, &secret_spans(&caps));
                let mut finding = rule.finding(&file.rel_path, located, message);
                finding.fact = number(&file.text[start..end]).map(Fact::Number);
                findings.push(finding);
                if rule.spec.once_per_file {
                    break;
                }
            }
            if gate == Some(false) || (rule.spec.once_per_file && findings.len() > before) {
                break;
            }
        }
    }
    drop_superseded(findings, rules)
}

/// Drops findings of a rule when a rule named in its `superseded_by` fired on that line
/// of the same file (the scan runs it again over a root's findings, for the structural
/// rules that supersede pattern rules).
pub fn drop_superseded(findings: Vec<Finding>, rules: &[&Rule]) -> Vec<Finding> {
    let fired: std::collections::HashSet<(&str, usize, &str)> = findings
        .iter()
        .map(|f| (f.file.as_str(), f.start.line, f.rule.as_str()))
        .collect();
    let superseded = |f: &Finding| {
        rules.iter().find(|r| r.id() == f.rule).is_some_and(|rule| {
            rule.spec
                .superseded_by
                .iter()
                .any(|other| fired.contains(&(f.file.as_str(), f.start.line, other.as_str())))
        })
    };
    let keep: Vec<bool> = findings.iter().map(|f| !superseded(f)).collect();
    findings
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect()
}

/// `require_file` and `unless_file` look at the whole masked file.
fn file_gate(rule: &Rule, file: &SourceFile) -> bool {
    rule.require_file.iter().all(|r| r.is_match(&file.masked))
        && !rule.unless_file.iter().any(|r| r.is_match(&file.masked))
}

/// Like a rule, a pattern with `languages` or `files` applies to files matching either.
fn pattern_applies(pattern: &Pattern, file: &SourceFile) -> bool {
    let no_filter = pattern.languages.is_empty() && pattern.files.is_none();
    no_filter
        || pattern.languages.contains(&file.language)
        || pattern
            .files
            .as_ref()
            .is_some_and(|g| g.is_match(&file.rel_path))
}

/// The `hit` group, else the `secret` group, else the whole match.
fn reported_span(caps: &Captures) -> Option<(usize, usize)> {
    let m = caps
        .name("hit")
        .or_else(|| caps.name("secret"))
        .or_else(|| caps.get(0))?;
    Some((m.start(), m.end()))
}

/// The groups named `secret` (a value checked by `secret_is_real`) and `redact` (a
/// value shown masked, whatever it looks like): secret values to mask in the outputs.
fn secret_spans(caps: &Captures) -> Vec<(usize, usize)> {
    ["secret", "redact"]
        .iter()
        .filter_map(|name| caps.name(name))
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Lines before a match that can hold the call it is an argument of.
const CALL_LINES: usize = 3;

/// Whether the lines of the match also match an `unless_line` exclusion. The lines of a
/// call the match is an argument of count too (`os.environ.get(\n  "DATABASE_URL",\n
/// "postgres://localhost/app")`): lines ending with `,` back to one ending with `(`, at
/// most `CALL_LINES` lines before (a hash or list literal, opened otherwise, does not).
fn line_excluded(rule: &Rule, file: &SourceFile, start: usize, end: usize) -> bool {
    if rule.unless_line.is_empty() {
        return false;
    }
    let mut first = file.lines().line_number(start);
    let last = file.lines().line_number(end);
    let mut line = first;
    for _ in 0..CALL_LINES {
        if line < 2 {
            break;
        }
        line -= 1;
        let (from, to) = file.lines().line_bounds(&file.masked, line - 1);
        let text = file.masked[from..to].trim_ascii_end();
        if text.ends_with(b"(") {
            first = line;
            break;
        }
        if !text.ends_with(b",") {
            break;
        }
    }
    let (from, _) = file.lines().line_bounds(&file.masked, first - 1);
    let (_, to) = file.lines().line_bounds(&file.masked, last - 1);
    let lines = &file.masked[from..to.max(from)];
    rule.unless_line.iter().any(|r| r.is_match(lines))
}

/// Lines below a match that `unless_after` reads: a branch's first statements.
const AFTER_LINES: usize = 2;

/// Whether the lines just below the match's last line match an `unless_after` exclusion.
fn body_excluded(rule: &Rule, file: &SourceFile, end: usize) -> bool {
    if rule.unless_after.is_empty() {
        return false;
    }
    let lines = file.lines();
    let last = lines.line_number(end);
    let (_, from) = lines.line_bounds(&file.masked, last - 1);
    let mut to = from;
    for n in last..last + AFTER_LINES {
        if n >= lines.line_count() {
            break;
        }
        to = lines.line_bounds(&file.masked, n).1;
    }
    let body = &file.masked[from..to.max(from)];
    rule.unless_after.iter().any(|r| r.is_match(body))
}

/// Whether the enclosing top-level block (nearest unindented line above) is excluded.
fn block_excluded(rule: &Rule, file: &SourceFile, start: usize) -> bool {
    if rule.unless_top_level.is_empty() {
        return false;
    }
    let line = file.lines().line_number(start);
    let enclosing = (1..line).rev().find_map(|n| {
        let (from, to) = file.lines().line_bounds(&file.masked, n - 1);
        let text = &file.masked[from..to];
        text.first()
            .is_some_and(|b| !b.is_ascii_whitespace())
            .then_some(text)
    });
    enclosing.is_some_and(|text| rule.unless_top_level.iter().any(|r| r.is_match(text)))
}

/// A `secret` group must not be a placeholder and must reach the pattern's entropy.
fn secret_is_real(pattern: &Pattern, caps: &Captures) -> bool {
    caps.name("secret").is_none_or(|secret| {
        looks_real(
            &String::from_utf8_lossy(secret.as_bytes()),
            pattern.min_entropy,
        )
    })
}

/// A secret value that is no placeholder and has at least `min_entropy` bits a character.
pub fn looks_real(value: &str, min_entropy: Option<f64>) -> bool {
    !is_placeholder(value) && min_entropy.is_none_or(|min| entropy(value) >= min)
}

/// Words and shapes that mark a value as a stand-in or as no secret at all, shared by
/// every rule (as gitleaks does): `${VAR}`, `{{ var }}`, `<your-key>`, `changeme`,
/// `xxxx`, environment variable names, identifiers (`invalid_password`), paths, URLs,
/// e-mail addresses, validation rules (`required|string`) and plain words.
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "example",
        "placeholder",
        "your_",
        "your-",
        "yourkey",
        "dummy",
        // French for dummy (`bidon123456` in a review-app seed task).
        "bidon",
        "sample",
        "replace",
        "redacted",
        "notasecret",
        "not-a-secret",
        "todo",
        "fixme",
        "xxxx",
        "****",
        "....",
        "0000000",
        "1234567",
        "password",
        "admin",
        // "not defined" in its forms: `NO-API-KEY-DEFINED`, `undefined`, `NOT_SET`.
        "defined",
        "not_set",
        "not-set",
        "notset",
    ];
    let lower = value.to_ascii_lowercase();
    // The name of an environment variable (`STRIPE_SECRET_KEY`) or a URL is not a secret.
    let env_name = value.contains('_')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let identifier = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.' || b == b'-');
    let words = value.chars().all(|c| c.is_alphabetic() || c == ' ');
    // A date or a timestamp (`2024-04-30T15:33:19.000Z`).
    let date = value.len() >= 10
        && value.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let email = value.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.contains(['/', ':'])
    });
    if env_name
        || date
        || identifier
        || words
        || email
        || value.contains("://")
        || value.starts_with('/')
        || value.contains('|')
    {
        return true;
    }
    let shaped = ["${", "{{", "<%", "%(", "#{", "%s", "{0}"]
        .iter()
        .any(|s| lower.contains(s))
        || (lower.starts_with('<') && lower.ends_with('>'))
        || lower.starts_with('$')
        || lower.starts_with("env:");
    shaped || WORDS.iter().any(|w| lower.contains(w))
}

/// Shannon entropy in bits per character.
pub fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = value.chars().count() as f64;
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// The match read as a number, when it is one (`3000`).
fn number(text: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(text).ok()?.trim();
    (!text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for v in [
            "${SECRET}",
            "{{ secret }}",
            "<your-api-key>",
            "changeme",
            "xxxxxxxxxxxx",
            "sk_test_EXAMPLE",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "invalid_password",
            "spotify.access_token",
            "/mot-passe-oublie",
            "required|string",
            "secretariat-auto@rdv.fr",
            "Passwort",
            "STRIPE_SECRET_KEY",
            "NO-API-KEY-DEFINED",
            "2024-04-30T15:33:19.000Z",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "Pr0dPassw0rd!",
            "v9!Lq2#mZp",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn entropy_separates_words_from_keys() {
        assert!(entropy("aaaaaaaaaaaa") < 1.0);
        assert!(entropy("9f8e7d6c5b4a39281706f5e4d3c2b1a0") > 3.5);
    }
}
