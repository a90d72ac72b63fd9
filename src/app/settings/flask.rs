//! Flask app modules (`__init__.py`, `app.py`, `extensions.py`...): the Flask-Caching
//! configuration an app factory passes as a dict (`cache.init_app(app, {...})`,
//! `Cache(config={...})`, `app.config["CACHE_TYPE"] = ...`), which settings modules
//! alone do not show. The settings modules' own `CACHE_TYPE = ...` lines are
//! `python.rs`'s; these forms are read in both kinds of file.

use super::python::{development_name, in_else_branch, value_of};
use super::{Context, Framework, Key, Setting, masked};
use std::sync::LazyLock;

/// Module names an app factory and its extensions live in.
pub fn is_app_module(tail: &str) -> bool {
    let name = tail.rsplit('/').next().unwrap_or(tail);
    matches!(
        name,
        "__init__.py" | "app.py" | "application.py" | "factory.py" | "extensions.py"
    )
}

/// `"CACHE_TYPE": expr` in a dict, `config["CACHE_TYPE"] = expr`, and the keyword
/// `CACHE_TYPE=expr` of `dict(...)` or `config.update(...)`: the rest of the line.
static CACHE_ENTRY: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?:['"]CACHE_TYPE['"]\s*(?::|\]\s*=[^=])|[(,]\s*CACHE_TYPE\s*=[^=])\s*([^\n]*)"#,
    )
});

/// What Flask-Caching's configuration dicts select, in the settings and app modules.
pub fn cache_configs(ctx: &Context) -> Vec<Setting> {
    let files = ctx.files(|rel| {
        rel.ends_with(".py") && (is_app_module(rel) || super::python::is_settings_file(rel))
    });
    let mut out = Vec::new();
    for (file, bytes) in files {
        let text = String::from_utf8_lossy(&masked(file, bytes)).into_owned();
        // An app module's dict is Flask-Caching's when the module hands it to the extension.
        if is_app_module(file)
            && !["init_app", "Cache(", "flask_caching", ".config"]
                .iter()
                .any(|w| text.contains(w))
        {
            continue;
        }
        for caps in CACHE_ENTRY.captures_iter(&text) {
            let whole = caps.get(0).expect("match");
            if for_development(&text, whole.start()) {
                continue;
            }
            let expr = caps.get(1).expect("group");
            let trimmed = expr.as_str().trim_end_matches([',', '}', ')', ' ', '\t']);
            let Some((value, variable)) = value_of(ctx, trimmed) else {
                continue;
            };
            let lower = value.to_ascii_lowercase();
            let local = matches!(
                lower.rsplit('.').next().unwrap_or(&lower),
                "filesystem" | "filesystemcache" | "simple" | "simplecache"
            );
            let detail = if in_else_branch(&text, whole.start()) {
                format!("CACHE_TYPE `{value}`, the fallback when the branch above is not taken")
            } else {
                format!("CACHE_TYPE `{value}`")
            };
            out.push(Setting {
                key: Key::CacheStore,
                framework: Framework::Flask,
                value,
                file: file.to_string(),
                span: (whole.start(), expr.start() + trimmed.len()),
                variable,
                local,
                detail,
            });
        }
    }
    out
}

/// Whether the line at `offset` sits in a block for development or tests: under an
/// `if` on testing, debug or a development name, or in a function or class named for
/// them (`if app.testing:`, `def create_test_app`, `class DevelopmentConfig`).
fn for_development(text: &str, offset: usize) -> bool {
    static BRANCH: LazyLock<regex::Regex> =
        LazyLock::new(|| crate::checks::regex(r"^(?:el)?if\b.*(?i:test|debug|dev|local)"));
    static NAMED: LazyLock<regex::Regex> =
        LazyLock::new(|| crate::checks::regex(r"^(?:class|def)\s+(\w+)"));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut indent = text[line_start..].len() - text[line_start..].trim_start().len();
    for line in text[..line_start].lines().rev() {
        let trimmed = line.trim_start();
        let own = line.len() - trimmed.len();
        if trimmed.is_empty() || own >= indent {
            continue;
        }
        indent = own;
        if BRANCH.is_match(trimmed)
            || NAMED
                .captures(trimmed)
                .is_some_and(|c| development_name(&c[1]))
        {
            return true;
        }
        if indent == 0 {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(files: &[(&str, &str)], declared: &[(&str, &str)]) -> Vec<(String, bool)> {
        super::super::with_context(files, declared, |ctx| {
            cache_configs(ctx)
                .into_iter()
                .map(|s| (s.value, s.local))
                .collect()
        })
    }

    #[test]
    fn dicts_passed_to_flask_caching() {
        let factory = "import os\nfrom .extensions import cache\n\ndef configure_cache(app):\n    conf = {\n        \"CACHE_TYPE\": os.getenv(\"CACHE_TYPE\", \"SimpleCache\"),\n    }\n    if conf[\"CACHE_TYPE\"] == \"RedisCache\":\n        conf[\"CACHE_REDIS_URL\"] = os.getenv(\"REDIS_URL\")\n    cache.init_app(app, conf)\n";
        let files = [("ecosante/__init__.py", factory)];
        assert_eq!(found(&files, &[]), [("SimpleCache".to_string(), true)]);
        assert_eq!(
            found(&files, &[("CACHE_TYPE", "RedisCache")]),
            [("RedisCache".to_string(), false)]
        );
        let ext = "from flask_caching import Cache\n\ncache = Cache(config={'CACHE_TYPE': 'simple'})\n\ndef create_app(testing=False):\n    if testing:\n        app.config['CACHE_TYPE'] = 'SimpleCache'\n";
        assert_eq!(
            found(&[("app/extensions.py", ext)], &[]),
            [("simple".to_string(), true)]
        );
        let other = "CONF = {'CACHE_TYPE': 'simple'}\n";
        assert!(found(&[("app/views.py", other)], &[]).is_empty());
    }
}
