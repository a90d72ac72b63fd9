//! Rails: config/environments/production.rb (what production runs), the Active
//! Storage service it names (looked up in config/storage.yml), its cache store, the
//! `RAILS_LOG_TO_STDOUT` switch around the STDOUT logger, and CarrierWave's storage.

use super::{Context, Framework, Key, Resolved, Setting, masked};
use std::sync::LazyLock;

static ASSIGN: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r"(?m)^[ \t]*config\.(active_storage\.service|cache_store|storage)[ \t]*=[ \t]*([^\n]+)",
    )
});
static STDOUT_SWITCH: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?m)^[ \t]*(?:if|unless)[ \t]+ENV(?:\[[ \t]*['"]RAILS_LOG_TO_STDOUT['"][ \t]*\]|\.fetch\([ \t]*['"]RAILS_LOG_TO_STDOUT['"][^)]*\))[^\n]*"#,
    )
});
static CACHE_SESSIONS: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r"(?m)^[ \t]*config\.session_store[ \t]*\(?[ \t]*:cache_store\b[^\n]*")
});
static ENV_REF: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"ENV(?:\[\s*['"](\w+)['"]\s*\]|\.fetch\(\s*['"](\w+)['"])"#)
});
static TERNARY: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"\?\s*(:\w+|['"]\w+['"])\s*:\s*(:\w+|['"]\w+['"])"#));
static SYMBOL: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"^\[?\s*(?::(\w+)|['"](\w+)['"])"#));
static FALLBACK: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"ENV(?:\.fetch\(\s*['"]\w+['"]\s*,\s*(?::(\w+)|['"](\w+)['"])|\.fetch\(\s*['"]\w+['"]\s*\)\s*\{\s*(?::(\w+)|['"](\w+)['"])|\[\s*['"]\w+['"]\s*\]\s*\|\|\s*(?::(\w+)|['"](\w+)['"]))"#,
    )
});

/// config/environments/<name>.rb for a deployment of the app's own (`staging.rb`):
/// Rails' own environments are development, test and production.
pub fn is_deployment_environment(tail: &str) -> bool {
    tail.strip_prefix("config/environments/")
        .and_then(|name| name.strip_suffix(".rb"))
        .is_some_and(super::deployment_named)
}

/// The environments the app adds for its deployments, chosen by RAILS_ENV.
fn deployment_environments(ctx: &Context, base: &str) -> Vec<Setting> {
    ctx.files(|rel| {
        rel.strip_prefix(base)
            .is_some_and(is_deployment_environment)
    })
    .into_iter()
    .map(|(rel, _)| {
        let name = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".rb");
        Setting::deployment_environment(
            Framework::Rails,
            name,
            rel,
            (0, 0),
            "RAILS_ENV",
            format!("the `{name}` environment"),
        )
    })
    .collect()
}

pub fn resolve(ctx: &Context, base: &str) -> Vec<Setting> {
    let mut out = deployment_environments(ctx, base);
    let production = format!("{base}config/environments/production.rb");
    if let Some(bytes) = ctx.text(&production) {
        let text = String::from_utf8_lossy(&masked(&production, bytes)).into_owned();
        let storage = ctx.text(&format!("{base}config/storage.yml"));
        for caps in ASSIGN.captures_iter(&text) {
            let (what, expr) = (&caps[1], caps.get(2).expect("group"));
            let Some((value, variable)) = choice(ctx, expr.as_str()) else {
                continue;
            };
            let (key, local, detail) = match what {
                "active_storage.service" => {
                    let service = storage.and_then(|s| storage_service(s, &value));
                    let local = service.as_deref() == Some("Disk");
                    let detail = match service {
                        Some(kind) => {
                            format!("the `{value}` service of config/storage.yml (`{kind}`)")
                        }
                        None => format!("the `{value}` service"),
                    };
                    (Key::StorageDefault, local, detail)
                }
                "cache_store" => {
                    let local = matches!(value.as_str(), "file_store" | "memory_store");
                    (Key::CacheStore, local, format!("the `:{value}`"))
                }
                _ => continue,
            };
            out.push(Setting {
                key,
                framework: Framework::Rails,
                value,
                file: production.clone(),
                span: (expr.start(), expr.end()),
                variable,
                local,
                detail,
            });
        }
        if !out.iter().any(|s| s.key == Key::CacheStore)
            && let Some(default) = default_cache(ctx, base, &production, bytes)
        {
            out.push(default);
        }
        // Sessions in the cache are as local as the cache.
        let local_cache = out
            .iter()
            .find(|s| s.key == Key::CacheStore && s.local)
            .map(|s| (s.value.clone(), s.variable.clone()));
        if let (Some(sessions), Some((cache, variable))) = (CACHE_SESSIONS.find(&text), local_cache)
        {
            out.push(Setting {
                key: Key::SessionStore,
                framework: Framework::Rails,
                value: "cache_store".into(),
                file: production.clone(),
                span: (sessions.start(), sessions.end()),
                variable,
                local: true,
                detail: format!("sessions in the `:{cache}` cache of each process"),
            });
        }
        if let Some(switch) = STDOUT_SWITCH.find(&text)
            && !ctx.declares("RAILS_LOG_TO_STDOUT")
        {
            out.push(Setting {
                key: Key::LogTargets,
                framework: Framework::Rails,
                value: "log/production.log".into(),
                file: production.clone(),
                span: (switch.start(), switch.end()),
                variable: Some("RAILS_LOG_TO_STDOUT".into()),
                local: true,
                detail: "Rails' log file, log/production.log (the STDOUT logger is installed only when RAILS_LOG_TO_STDOUT is set)".into(),
            });
        }
    }
    let database = format!("{base}config/database.yml");
    if let Some(bytes) = ctx.text(&database) {
        out.extend(super::database_yml::merged_sqlite(
            &String::from_utf8_lossy(bytes),
            &database,
        ));
    }
    let carrierwave = format!("{base}config/initializers/carrierwave.rb");
    if let Some(bytes) = ctx.text(&carrierwave) {
        let text = String::from_utf8_lossy(&masked(&carrierwave, bytes)).into_owned();
        for caps in ASSIGN.captures_iter(&text) {
            let expr = caps.get(2).expect("group");
            if &caps[1] != "storage" || !expr.as_str().trim().starts_with(":file") {
                continue;
            }
            let (in_production, variable) = production_guard(&text, expr.start());
            if !in_production || variable.as_deref().is_some_and(|v| ctx.declares(v)) {
                continue;
            }
            out.push(Setting {
                key: Key::StorageDefault,
                framework: Framework::Rails,
                value: "file".into(),
                file: carrierwave.clone(),
                span: (expr.start(), expr.end()),
                variable,
                local: true,
                detail: "CarrierWave's `:file` storage, under public/uploads".into(),
            });
        }
    }
    out
}

static CACHE_STORE: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^[ \t]*config\.cache_store[ \t]*="));
static COMMENTED_CACHE_STORE: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^[ \t]*#[ \t]*(config\.cache_store[ \t]*=[^\n]*)"));
static CONFIGURE: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^[ \t]*\w+(?:::\w+)*\.configure[ \t]+do\b[^\n]*"));

/// Rails' default cache store when neither production.rb nor config/application.rb
/// sets one: a `:file_store` in tmp/cache of each container. Reported only when the
/// app code keeps its own data there (`Rails.cache.write`): page fragments in a
/// per-container cache are only recomputed. The span is the generator's commented
/// `# config.cache_store = ...` line, or the `configure do` line.
fn default_cache(ctx: &Context, base: &str, production: &str, raw: &[u8]) -> Option<Setting> {
    let application = format!("{base}config/application.rb");
    if let Some(app) = ctx.text(&application)
        && CACHE_STORE.is_match(&String::from_utf8_lossy(&masked(&application, app)))
    {
        return None;
    }
    let cache_use = ctx
        .files
        .code
        .cache_uses
        .iter()
        .find(|f| f.file.ends_with(".rb"))?;
    let text = String::from_utf8_lossy(raw);
    let span = COMMENTED_CACHE_STORE
        .captures(&text)
        .and_then(|c| c.get(1))
        .or_else(|| CONFIGURE.find(&text))
        .map(|m| (m.start(), m.end()))?;
    Some(Setting {
        key: Key::CacheStore,
        framework: Framework::Rails,
        value: "file_store".into(),
        file: production.to_string(),
        span,
        variable: None,
        local: true,
        detail: format!(
            "Rails' default cache store, a `:file_store` in tmp/cache of each container (no `config.cache_store` is set), where the app keeps its own data ({}:{})",
            cache_use.file, cache_use.start.line
        ),
    })
}

/// `:local`, `ENV['X'].present? ? :amazon : :local`, `ENV.fetch('X', 'local')`: the
/// value production runs with and the variable it depends on (when undeclared).
fn choice(ctx: &Context, expr: &str) -> Option<(String, Option<String>)> {
    let word = |caps: &regex::Captures| {
        (1..caps.len())
            .find_map(|i| caps.get(i))
            .map(|m| m.as_str().to_string())
    };
    let variable = ENV_REF.captures(expr).and_then(|c| word(&c));
    if let (Some(ternary), Some(name)) = (TERNARY.captures(expr), &variable) {
        let arm = |i: usize| ternary[i].trim_matches([':', '\'', '"']).to_string();
        return Some(if ctx.declares(name) {
            (arm(1), None)
        } else {
            (arm(2), Some(name.clone()))
        });
    }
    if let (Some(fallback), Some(name)) = (FALLBACK.captures(expr), &variable) {
        return match ctx.var(name, word(&fallback).as_deref()) {
            Resolved::Declared(value) => Some((value, None)),
            Resolved::Default(value) => Some((value, Some(name.clone()))),
            Resolved::Unknown => None,
        };
    }
    if variable.is_some() {
        return None;
    }
    SYMBOL
        .captures(expr.trim())
        .and_then(|c| word(&c))
        .map(|v| (v, None))
}

/// The `service:` of a top-level entry of config/storage.yml.
fn storage_service(storage: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(storage);
    let mut inside = false;
    for line in text.lines() {
        if !line.starts_with([' ', '\t']) {
            inside = line.trim_end() == format!("{name}:");
            continue;
        }
        if inside && let Some(service) = line.trim().strip_prefix("service:") {
            return Some(service.trim().trim_matches(['"', '\'']).to_string());
        }
    }
    None
}

/// The condition of the `if`/`unless` that encloses `offset`, and whether `offset`
/// sits in its `else` branch.
fn enclosing_condition(text: &str, offset: usize) -> Option<(&str, bool)> {
    let before = &text[..offset];
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut lines = before.lines().rev();
    let mut level = indent(lines.next().unwrap_or(""));
    let mut in_else = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || indent(line) >= level {
            continue;
        }
        level = indent(line);
        if trimmed.starts_with("else") || trimmed.starts_with("elsif") {
            in_else = true;
            level += 1;
            continue;
        }
        if trimmed.starts_with("if ") || trimmed.starts_with("unless ") {
            return Some((trimmed, in_else));
        }
    }
    None
}

/// Whether the code at `offset` runs in production, and the environment variable that
/// decides whether it runs.
fn production_guard(text: &str, offset: usize) -> (bool, Option<String>) {
    let Some((condition, in_else)) = enclosing_condition(text, offset) else {
        return (true, None);
    };
    let negated = condition.starts_with("unless ");
    let other_env = [
        "test?",
        "development?",
        "local?",
        "== 'test'",
        "== \"test\"",
        "== 'development'",
        "== \"development\"",
    ]
    .iter()
    .any(|t| {
        condition.contains(&format!(
            "Rails.env{}{t}",
            if t.starts_with('=') { " " } else { "." }
        ))
    });
    if other_env {
        // `if Rails.env.test?`: production takes the other branch.
        return (in_else != negated, None);
    }
    if condition.contains("Rails.env.production?") {
        return (in_else == negated, None);
    }
    let variable = ENV_REF
        .captures(condition)
        .and_then(|c| c.get(1).or(c.get(2)))
        .map(|m| m.as_str().to_string());
    (true, variable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;
    use std::collections::BTreeMap;

    fn settings(files: &[(&str, &str)], declared: &[&str]) -> Vec<Setting> {
        let facts = test_facts(files);
        let config: BTreeMap<String, String> = declared
            .iter()
            .map(|k| (k.to_string(), "x".to_string()))
            .collect();
        let env = DeclaredEnv::declare(&config, &[], None, None);
        resolve(
            &Context {
                files: &facts,
                env: &env,
            },
            "",
        )
    }

    const PRODUCTION: &str = "Rails.application.configure do\n  # config.cache_store = :mem_cache_store\n  config.active_storage.service = ENV['BUCKET'].present? ? :amazon : :local\n  config.cache_store = :memory_store\n  if ENV[\"RAILS_LOG_TO_STDOUT\"].present?\n    config.logger = Logger.new(STDOUT)\n  end\nend\n";
    const STORAGE: &str = "local:\n  service: Disk\n  root: <%= Rails.root.join(\"storage\") %>\namazon:\n  service: S3\n";

    #[test]
    fn production_rb_resolves_with_storage_yml() {
        let found = settings(
            &[
                ("config/environments/production.rb", PRODUCTION),
                ("config/storage.yml", STORAGE),
            ],
            &[],
        );
        let got: Vec<_> = found
            .iter()
            .map(|s| (s.key, s.value.as_str(), s.local, s.variable.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Key::StorageDefault, "local", true, Some("BUCKET")),
                (Key::CacheStore, "memory_store", true, None),
                (
                    Key::LogTargets,
                    "log/production.log",
                    true,
                    Some("RAILS_LOG_TO_STDOUT")
                ),
            ]
        );
        let declared = settings(
            &[
                ("config/environments/production.rb", PRODUCTION),
                ("config/storage.yml", STORAGE),
            ],
            &["BUCKET", "RAILS_LOG_TO_STDOUT"],
        );
        assert!(!declared[0].local && declared.len() == 2);
    }

    #[test]
    fn carrierwave_file_storage_in_a_fallback_branch() {
        let init = "if Rails.env.test?\n  CarrierWave.configure do |config|\n    config.storage = :file\n  end\nend\nif ENV['OBJECT_STORE'] == 'on'\n  CarrierWave.configure do |config|\n    config.storage = :fog\n  end\nelse\n  CarrierWave.configure do |config|\n    config.storage = :file\n  end\nend\n";
        let found = settings(&[("config/initializers/carrierwave.rb", init)], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].variable.as_deref(), Some("OBJECT_STORE"));
        assert!(
            settings(
                &[("config/initializers/carrierwave.rb", init)],
                &["OBJECT_STORE"]
            )
            .is_empty()
        );
    }
}
