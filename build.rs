//! Embeds every rule file under `rules/` into the binary, with what a run would otherwise
//! compute from it on every start: each file is parsed here and embedded as JSON (the
//! same document, which a run deserializes several times faster than TOML), each regex's
//! syntax checked, and each pattern's keywords extracted (`src/rules/literals.rs`). A new
//! rule needs no Rust change; a rule file that does not parse or holds a bad regex fails
//! the build with its path. The schema and the rest of the validation stay in
//! `rules::Registry`, which costs microseconds.
use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/rules/literals.rs"]
mod literals;

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The strings of `key` in `table`: one string or an array of them.
fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    match table.get(key) {
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks a regex's syntax as the registry will compile it (`literals::FLAGS`).
fn check_regex(source: &str, errors: &mut Vec<String>) -> String {
    let full = format!("{}{source}", literals::FLAGS);
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(&full);
    if let Err(e) = parsed {
        errors.push(format!("bad regex `{source}`: {e}"));
    }
    full
}

/// Each pattern's keywords, as a Rust expression, after checking the file's regexes.
fn keywords_of(rule: &toml::Table, errors: &mut Vec<String>) -> String {
    for key in [
        "unless_line",
        "unless_top_level",
        "unless_file",
        "require_file",
    ] {
        for source in strings(rule, key) {
            check_regex(&source, errors);
        }
    }
    if let Some(toml::Value::Table(sibling)) = rule.get("unless_sibling") {
        for source in strings(sibling, "regex") {
            check_regex(&source, errors);
        }
    }
    let patterns = match rule.get("patterns") {
        Some(toml::Value::Array(patterns)) => patterns.as_slice(),
        _ => &[],
    };
    let mut code = String::from("&[");
    for pattern in patterns.iter().filter_map(toml::Value::as_table) {
        let Some(source) = pattern.get("regex").and_then(toml::Value::as_str) else {
            continue;
        };
        let full = check_regex(source, errors);
        if let Some(used) = pattern.get("used_as").and_then(toml::Value::as_str) {
            check_regex(&used.replace("{name}", "NAME"), errors);
        }
        code.push_str("&[");
        for word in literals::keyword_set(&strings(pattern, "keywords"), &full) {
            let _ = write!(code, "b\"{}\",", word.escape_ascii());
        }
        code.push_str("],");
    }
    code.push(']');
    code
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules_dir = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/literals.rs");
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    let mut code = String::from(
        "/// Rule files embedded at build time, with their patterns' keywords.\npub static RULE_FILES: &[RuleFile] = &[\n",
    );
    let mut failures = String::new();
    for file in &files {
        let rel = file
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(file);
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut errors = Vec::new();
        let (json, keywords) = match text.parse::<toml::Table>() {
            Ok(rule) => (
                serde_json::to_string(&rule).expect("a TOML table is a JSON object"),
                keywords_of(&rule, &mut errors),
            ),
            Err(e) => {
                errors.push(e.to_string());
                (String::new(), String::new())
            }
        };
        for error in errors {
            let _ = writeln!(failures, "{rel}: {error}");
        }
        let _ = writeln!(
            code,
            "    RuleFile {{ path: {rel:?}, json: {json:?}, keywords: {keywords} }},"
        );
    }
    assert!(failures.is_empty(), "invalid rule files:\n{failures}");
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_files.rs");
    fs::write(out, code).expect("write generated rule list");
}
