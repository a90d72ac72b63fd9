//! Node (Express, Nest, Next): the configuration NODE_ENV selects for production. The
//! `config` package's `config/default.*` overridden by `config/production.*` (JSON,
//! YAML or JS), with the variables `config/custom-environment-variables.*` maps keys
//! to; `config/env/production.js` modules; and the `production` part of an object
//! picked by `[process.env.NODE_ENV]` (knexfile.js, ormconfig.js, Sequelize's
//! config/config.json). A value `process.env.X || 'memory'` is its default unless
//! production declares X.

use super::flat::{Entry, yaml};
use super::{Context, Framework, Resolved, Setting, masked};
use std::collections::BTreeMap;
use std::sync::LazyLock;

const EXTENSIONS: &[&str] = &[".json", ".yml", ".yaml", ".js", ".cjs", ".ts"];

/// Files of the `config` package: `default`, `production`, `custom-environment-variables`.
const CONFIG_PACKAGE: &[&str] = &["default", "production", "custom-environment-variables"];

/// Modules that usually hold one object per NODE_ENV value.
const SELECTOR_FILES: &[&str] = &["knexfile", "ormconfig", "config/config", "config/database"];

pub fn is_config_file(tail: &str) -> bool {
    let Some(stem) = EXTENSIONS.iter().find_map(|e| tail.strip_suffix(e)) else {
        return false;
    };
    stem.strip_prefix("config/")
        .is_some_and(|name| CONFIG_PACKAGE.contains(&name))
        || stem == "config/env/production"
        || SELECTOR_FILES.contains(&stem)
}

/// `process.env.X || 'default'`, `process.env.X ?? "default"`.
static ENV_DEFAULT: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"^process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])\s*(?:\|\||\?\?)\s*['"`]([^'"`]*)['"`]$"#,
    )
});
static SELECTOR: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"\[\s*process\.env(?:\.NODE_ENV|\[\s*['"]NODE_ENV['"]\s*\])"#)
});
/// `key: value` inside a one-line object.
static INLINE: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"["']?([\w$-]+)["']?\s*:\s*([^,{}]*[^,{}\s])"#));
/// `key: value` or `"key": value` on one line of a JS or JSON object.
static PAIR: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"^\s*["']?([\w$-]+)["']?\s*:\s*(.*?)\s*,?\s*$"#));

pub fn resolve(ctx: &Context) -> Vec<Setting> {
    if ctx.text("package.json").is_none() {
        return Vec::new();
    }
    let files = ctx.files(|rel| !rel.contains('/') || rel.starts_with("config/"));
    let stem_of = |rel: &str| {
        EXTENSIONS
            .iter()
            .find_map(|e| rel.strip_suffix(e))
            .map(str::to_string)
    };
    let mut variables: BTreeMap<String, String> = BTreeMap::new();
    let mut layers: Vec<(u8, &str, Vec<Entry>)> = Vec::new();
    for (rel, bytes) in files {
        let Some(stem) = stem_of(rel) else { continue };
        let text = String::from_utf8_lossy(&masked(rel, bytes)).into_owned();
        let entries = if rel.ends_with(".yml") || rel.ends_with(".yaml") {
            yaml(&text)
        } else {
            object_entries(&text)
        };
        match stem.as_str() {
            "config/custom-environment-variables" => {
                for e in entries {
                    let key = e.key.strip_suffix(".__name").unwrap_or(&e.key).to_string();
                    variables.insert(key, e.value.trim_matches(['"', '\'']).to_string());
                }
            }
            "config/default" => layers.push((0, rel, entries)),
            "config/production" | "config/env/production" => layers.push((1, rel, entries)),
            _ if SELECTOR.is_match(&text) || rel == "config/config.json" => {
                let production: Vec<Entry> = entries
                    .into_iter()
                    .filter_map(|e| {
                        let key = e.key.strip_prefix("production.")?.to_string();
                        Some(Entry { key, ..e })
                    })
                    .collect();
                layers.push((1, rel, production));
            }
            _ => {}
        }
    }
    // A production file that sets a key decides it; the default file's value is unused.
    let overridden: Vec<String> = layers
        .iter()
        .filter(|(rank, _, _)| *rank == 1)
        .flat_map(|(_, _, entries)| entries.iter().map(|e| e.key.clone()))
        .collect();
    let mut out = Vec::new();
    for (rank, file, entries) in &layers {
        for entry in entries {
            if *rank == 0 && overridden.contains(&entry.key) {
                continue;
            }
            let Some((value, mut variable)) = evaluate(ctx, &entry.value) else {
                continue;
            };
            if let Some(mapped) = variables.get(&entry.key) {
                if ctx.declares(mapped) {
                    continue;
                }
                variable.get_or_insert_with(|| mapped.clone());
            }
            // The last two parts name the option: `session.store`, `db.client`.
            let parts: Vec<&str> = entry.key.rsplit('.').take(2).collect();
            let norm = super::defaults::squeeze(&parts.iter().rev().copied().collect::<String>());
            let origin = if *rank == 0 {
                format!("{file}, the defaults production loads")
            } else {
                format!("{file}, production's configuration")
            };
            let Some((key, detail)) =
                super::defaults::local_backend(&norm, &value, &entry.key, &origin)
            else {
                continue;
            };
            out.push(Setting {
                key,
                framework: Framework::Node,
                value,
                file: file.to_string(),
                span: entry.span,
                variable,
                local: true,
                detail,
            });
        }
    }
    out
}

/// A literal, or an environment read with a literal default, as production sees it.
fn evaluate(ctx: &Context, raw: &str) -> Option<(String, Option<String>)> {
    let raw = raw.trim();
    if let Some(caps) = ENV_DEFAULT.captures(raw) {
        let name = caps.get(1).or(caps.get(2)).expect("group").as_str();
        return match ctx.var(name, Some(&caps[3])) {
            Resolved::Default(d) if !d.is_empty() => Some((d, Some(name.to_string()))),
            Resolved::Declared(v) => Some((v, None)),
            _ => None,
        };
    }
    let quoted = ['"', '\'', '`']
        .iter()
        .any(|q| raw.len() >= 2 && raw.starts_with(*q) && raw.ends_with(*q));
    let value = raw.trim_matches(['"', '\'', '`']);
    (quoted || value.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| value.to_string())
        .filter(|v| !v.is_empty() && !v.contains("${"))
        .map(|v| (v, None))
}

/// The `key: value` pairs of a JS or JSON object written one key a line, with nested
/// objects flattened (`session: {\n store: 'memory' }` → `session.store`), a one-line
/// object (`session: { store: 'memory' }`) included.
fn object_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut offset = 0;
    let joined = |path: &[String], key: &str| {
        path.iter()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .chain([key])
            .collect::<Vec<_>>()
            .join(".")
    };
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end();
        let trimmed = content.trim_start();
        if let Some(caps) = PAIR.captures(content) {
            let key = &caps[1];
            let value = caps.get(2).expect("group");
            let raw = value.as_str();
            if raw.starts_with('{') && !raw.contains('}') {
                path.push(key.to_string());
            } else if raw.starts_with('{') && raw.ends_with('}') && raw.matches('{').count() == 1 {
                path.push(key.to_string());
                for inner in INLINE.captures_iter(&raw[1..raw.len() - 1]) {
                    let at = start + value.start() + 1;
                    let v = inner.get(2).expect("group");
                    out.push(Entry {
                        key: joined(&path, &inner[1]),
                        value: v.as_str().to_string(),
                        span: (at + v.start(), at + v.end()),
                    });
                }
                path.pop();
            } else if !raw.starts_with(['{', '[']) {
                out.push(Entry {
                    key: joined(&path, key),
                    value: raw.to_string(),
                    span: (start + value.start(), start + value.end()),
                });
            }
            continue;
        }
        // An object opened without a key (`module.exports = {`), or closed.
        let opens = trimmed.matches('{').count();
        let closes = trimmed.matches('}').count();
        for _ in closes..opens {
            path.push(String::new());
        }
        for _ in opens..closes {
            path.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::settings::Key;

    fn found(
        files: &[(&str, &str)],
        declared: &[(&str, &str)],
    ) -> Vec<(Key, String, Option<String>)> {
        let mut files = files.to_vec();
        files.push(("package.json", "{}"));
        super::super::with_context(&files, declared, |ctx| {
            resolve(ctx)
                .into_iter()
                .map(|s| (s.key, s.value, s.variable))
                .collect()
        })
    }

    #[test]
    fn the_config_package_layers_and_variables() {
        let default = "{\n  \"session\": {\n    \"store\": \"memory\"\n  },\n  \"cache\": {\n    \"driver\": \"file\"\n  }\n}\n";
        let production = "{\n  \"cache\": {\n    \"driver\": \"redis\"\n  }\n}\n";
        let mapped = "{\n  \"session\": {\n    \"store\": \"SESSION_STORE\"\n  }\n}\n";
        let files = [
            ("config/default.json", default),
            ("config/production.json", production),
            ("config/custom-environment-variables.json", mapped),
        ];
        assert_eq!(
            found(&files, &[]),
            [(
                Key::SessionStore,
                "memory".into(),
                Some("SESSION_STORE".into())
            )]
        );
        assert!(found(&files, &[("SESSION_STORE", "redis")]).is_empty());
    }

    #[test]
    fn one_line_objects_are_flattened() {
        let entries = object_entries(
            "{\n  \"session\": { \"store\": \"memory\", \"ttl\": 60 },\n  \"port\": 3000\n}\n",
        );
        let keys: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("session.store", "\"memory\""),
                ("session.ttl", "60"),
                ("port", "3000")
            ]
        );
    }

    #[test]
    fn the_production_part_of_a_node_env_selector() {
        let knexfile = "const config = {\n  development: {\n    client: 'sqlite3',\n  },\n  production: {\n    client: process.env.DB_CLIENT || 'sqlite3',\n    connection: process.env.DATABASE_URL,\n  },\n};\nmodule.exports = config[process.env.NODE_ENV];\n";
        assert_eq!(
            found(&[("knexfile.js", knexfile)], &[]),
            [(
                Key::DatabaseEngine,
                "sqlite3".into(),
                Some("DB_CLIENT".into())
            )]
        );
        let postgres = knexfile.replace("|| 'sqlite3',\n    conn", "|| 'pg',\n    conn");
        assert!(found(&[("knexfile.js", &postgres)], &[]).is_empty());
    }
}
