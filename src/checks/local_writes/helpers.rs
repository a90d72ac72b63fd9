//! One hop through the repository's own helpers: an app that rewrites its configuration
//! file at run time calls a helper of its own (`SaveConfig`, `save_settings`) whose body
//! writes it out. Each file notes the savers it defines and the calls it makes; the model
//! joins them, so a call is reported only when the repository defines a saver of that name
//! whose body writes.

use super::super::bytes_regex;
use crate::app::App;
use crate::classify::Language;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A name that says it writes the app's configuration out: a verb, `_` or not, `app`
/// or not, what is saved (`save_config`, `WriteAppSettings`, `dumpCfgFile`).
const VERBS: [&str; 4] = ["save", "write", "persist", "dump"];
const SAVED: [&str; 4] = ["config", "conf", "cfg", "settings"];

fn saver() -> String {
    let (verbs, saved) = (VERBS.join("|"), SAVED.join("|"));
    format!(r"(?i:(?:{verbs})_?(?:app_?)?(?:{saved})(?:_?file)?)")
}

/// Literals one of which every saver name holds: a verb, `_` or not, then `app` or
/// what is saved (the gate of the call pattern).
pub fn saver_literals() -> Vec<String> {
    let mut words = Vec::new();
    for verb in VERBS {
        for joint in ["", "_"] {
            for next in std::iter::once("app").chain(SAVED) {
                words.push(format!("{verb}{joint}{next}"));
            }
        }
    }
    words
}

struct Patterns {
    definition: Regex,
    call: Regex,
    saver: Regex,
    writes: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        definition: bytes_regex(
            r"^([ \t]*)(?:(?:export|async|public|private|protected|static|final|override|suspend)\s+)*(?:func\s+(?:\([^)\n]*\)\s*)?|def\s+(?:self\.)?|function\s+|fun\s+)(?P<name>[A-Za-z_]\w*)\s*\(",
        ),
        call: bytes_regex(&format!(r"\b(?P<name>{})\s*\(", saver())),
        saver: bytes_regex(&format!(r"^{}$", saver())),
        // A save or write call with a first argument that is a value, not a keyword
        // (`model.save(update_fields=...)` and `obj.save()` write rows, not files).
        writes: bytes_regex(
            r#"\b(?:\w+\.)*(?:Save\w*|save\w*|[Ww]rite\w*|dump)\s*\(\s*[A-Za-z_&*"'][^=()\n]*[,)]"#,
        ),
    })
}

/// Savers defined in `file` (name → `file:line`) and the calls of savers it makes.
pub fn saver_facts(
    rule: &Rule,
    file: &SourceFile,
    savers: &mut BTreeMap<String, String>,
    calls: &mut Vec<(String, Finding)>,
) {
    if !Language::CODE.contains(&file.language) || !patterns().call.is_match(&file.masked) {
        return;
    }
    let p = patterns();
    let text = &file.masked;
    // (start, end of body, name, is a saver) of every definition, in order.
    let definitions: Vec<(usize, usize, String, bool)> = p
        .definition
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let indent = caps.get(1).map_or(0, |m| m.len());
            let name = String::from_utf8_lossy(caps.name("name")?.as_bytes()).into_owned();
            let end = body_end(text, whole.end(), indent);
            let saver = p.saver.is_match(name.as_bytes())
                && p.writes.is_match(&text[whole.end().min(end)..end]);
            Some((whole.start(), end, name, saver))
        })
        .collect();
    for (start, _, name, saver) in &definitions {
        if *saver {
            let line = file.locate(*start, *start).0.line;
            savers
                .entry(name.clone())
                .or_insert_with(|| format!("{}:{line}", file.rel_path));
        }
    }
    for caps in p.call.captures_iter(text) {
        let Some(name) = caps.name("name") else {
            continue;
        };
        let enclosing = definitions
            .iter()
            .rfind(|(start, end, _, _)| *start <= name.start() && name.start() < *end);
        // Definitions, and the savers' own pass-through calls (reported at their callers).
        if enclosing.is_some_and(|(start, _, n, saver)| {
            *saver || (n.as_bytes() == name.as_bytes() && line_start(text, name.start()) == *start)
        }) || declaration(file.language, text, name.start())
        {
            continue;
        }
        let called = String::from_utf8_lossy(name.as_bytes()).into_owned();
        let located = file.locate(name.start(), name.end());
        calls.push((called, rule.finding(&file.rel_path, located, String::new())));
    }
}

/// Where a definition's body ends: the first non-blank line after its header indented no
/// deeper than it.
fn body_end(text: &[u8], from: usize, indent: usize) -> usize {
    let mut offset = text[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(text.len(), |n| from + n + 1);
    let from = offset;
    for line in text[from..].split_inclusive(|b| *b == b'\n') {
        let trimmed = line.trim_ascii_start();
        if !trimmed.is_empty() && line.len() - trimmed.len() <= indent {
            return offset;
        }
        offset += line.len();
    }
    offset
}

fn line_start(text: &[u8], at: usize) -> usize {
    text[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |n| n + 1)
}

/// An interface or abstract method (`SaveConfig(*Config) error`), not a call.
fn declaration(language: Language, text: &[u8], at: usize) -> bool {
    let typed = matches!(
        language,
        Language::Go | Language::Java | Language::Kotlin | Language::Typescript
    );
    typed
        && text[line_start(text, at)..at]
            .iter()
            .all(u8::is_ascii_whitespace)
}

/// The calls of a saver the repository defines, outside the saver itself.
pub fn saver_calls(app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    facts
        .code.saver_calls
        .iter()
        .filter_map(|(name, call)| {
            let defined = facts.code.config_savers.get(name)?;
            let mut call = call.clone();
            call.message = format!(
                "`{name}` ({defined}) rewrites the app's configuration file at run time, on this instance's own disk: lost on restart and not seen by the other instances"
            );
            Some(call)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{rule, source};
    use super::*;

    fn facts(path: &str, language: Language, code: &str) -> (BTreeMap<String, String>, Vec<usize>) {
        let (mut savers, mut calls) = (BTreeMap::new(), Vec::new());
        saver_facts(
            &rule(),
            &source(path, language, code),
            &mut savers,
            &mut calls,
        );
        (savers, calls.iter().map(|(_, f)| f.start.line).collect())
    }

    #[test]
    fn a_saver_writes_and_its_callers_are_noted() {
        let code = "package app\n\ntype Store interface {\n\tSaveConfig(c *Config) error\n}\n\nfunc (a *App) SaveConfig(c *Config) error {\n\treturn config.Save(c, a.path)\n}\n\nfunc handle(a *App) {\n\t_ = a.SaveConfig(a.cfg)\n}\n";
        let (savers, calls) = facts("app.go", Language::Go, code);
        assert_eq!(
            savers.get("SaveConfig").map(String::as_str),
            Some("app.go:7")
        );
        assert_eq!(calls, vec![12]);
    }

    #[test]
    fn a_saver_that_saves_a_row_is_no_saver() {
        let code = "def save_settings(request):\n    request.user.settings.save()\n\n\ndef view(request):\n    save_settings(request)\n";
        let (savers, calls) = facts("app/views.py", Language::Python, code);
        assert!(savers.is_empty());
        assert_eq!(calls, vec![6]);
    }
}
