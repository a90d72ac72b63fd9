//! Rules over the effective production settings (`app.settings`): a local backend
//! production runs with by default, file logs, literal public origins and debug
//! switches in production configuration. Each reports the span that decides the value.

use super::{Gate, Seen, finding_at};
use crate::app::App;
use crate::app::settings::{Framework, Key, Setting};
use crate::classify::Language;
use crate::finding::{Fact, Finding};
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use std::sync::LazyLock;

/// Notes where app code keeps data of its own in the cache store: Ruby
/// `Rails.cache.write`/`fetch` (what makes a per-container default cache lose that
/// data), and Python counters in the cache (`cache.inc(key)`, or `n = cache.get(key)`
/// then `cache.set(key, int(n) + 1)`), the rate limits and attempt counts that a
/// per-container cache lets each instance count on its own.
pub fn cache_use_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    if !seen.any(Gate::CacheUse) {
        return;
    }
    static RAILS: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"\bRails\.cache\.(?:write|fetch)\b").expect("valid regex")
    });
    let found = match file.language {
        Language::Ruby => RAILS.find(&file.masked).map(|m| {
            (
                m.start(),
                m.end(),
                "the app keeps its own data in Rails.cache",
            )
        }),
        Language::Python => python_cache_counter(&file.masked)
            .map(|(start, end)| (start, end, "the app keeps a counter in the cache")),
        _ => None,
    };
    if let Some((start, end, message)) = found {
        let located = file.locate(start, end);
        facts
            .code
            .cache_uses
            .push(rule.finding(&file.rel_path, located, message.to_string()));
    }
}

/// Notes the settings Python code tests against a string (`settings.APP_ENV == "prod"`,
/// `settings.ENV not in ["dev", "test"]`, `"prod" == settings.ENV`): an environment name
/// read with a development default matters only where code branches on it.
pub fn setting_test_facts(file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    static TEST: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(
            r#"\bsettings\.([A-Z][A-Z0-9_]*)\s*(?:[!=]=\s*['"]|(?:not\s+)?in\s*[(\[{])|['"]\s*[!=]=\s*settings\.([A-Z][A-Z0-9_]*)\b"#,
        )
        .expect("valid regex")
    });
    if file.language != Language::Python || !seen.any(Gate::SettingTest) {
        return;
    }
    for caps in TEST.captures_iter(&file.masked) {
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
            continue;
        };
        let line = file.lines().line_number(name.start());
        facts
            .code
            .setting_tests
            .entry(String::from_utf8_lossy(name.as_bytes()).into_owned())
            .or_insert_with(|| format!("{}:{line}", file.rel_path));
    }
}

/// The first counter a Python file keeps in the cache: `cache.inc(...)`/`incr`, or a
/// `name = cache.get(...)` that a `cache.set(..., name + 1)` below writes back.
fn python_cache_counter(text: &[u8]) -> Option<(usize, usize)> {
    static INC: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"\bcache\.(?:inc|incr)\(").expect("valid regex")
    });
    static GET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r"\b(\w+)[ \t]*=[ \t]*cache\.get\(").expect("valid regex")
    });
    /// How far below the read the write-back may sit.
    const WINDOW: usize = 2000;
    let incremented = GET.captures_iter(text).find_map(|c| {
        let read = c.get(0).expect("match");
        let name = String::from_utf8_lossy(&c[1]);
        let below = &text[read.end()..text.len().min(read.end() + WINDOW)];
        let write =
            regex::bytes::Regex::new(&format!(r"\bcache\.set\([^\n]*\b{name}\b\s*\)?\s*\+\s*1\b"))
                .expect("valid regex");
        let call_end = read.end() - 1;
        write
            .is_match(below)
            .then(|| (call_end - "cache.get".len(), call_end))
    });
    let inc = INC.find(text).map(|m| (m.start(), m.end() - 1));
    [incremented, inc].into_iter().flatten().min()
}

/// Sessions, cache or default storage on a backend local to one container.
pub fn local_backend_default(rule: &Rule, app: &App) -> Vec<Finding> {
    local(
        rule,
        app,
        &[
            Key::SessionStore,
            Key::CacheStore,
            Key::StorageDefault,
            Key::DatabaseEngine,
        ],
    )
    .into_iter()
    .chain(cache_counters(rule, app))
    .collect()
}

/// The listen port or address from configuration defaults. The port is the finding's
/// fact, for the hosts that route to a fixed port (Clever Cloud's 8080).
pub fn listen_default(rule: &Rule, app: &App) -> Vec<Finding> {
    let own_start = unported_java_start(app);
    local_pairs(rule, app, &[Key::Port, Key::ListenHost])
        .into_iter()
        .filter(|(_, s)| !spring_port(s) || ((s.value != "8080" || own_start) && !passes_port(app)))
        .map(|(mut finding, s)| {
            if s.key == Key::Port {
                finding.fact = s.value.parse().ok().map(Fact::Number);
            }
            finding
        })
        .collect()
}

fn spring_port(s: &Setting) -> bool {
    s.framework == Framework::Spring && s.key == Key::Port
}

/// A start command that passes the port (`java -Dserver.port=$PORT -jar`,
/// `--server.port=$PORT`): it wins over Spring Boot's files.
fn passes_port(app: &App) -> bool {
    app.processes
        .iter()
        .any(|p| p.command.contains("server.port"))
}

/// A web process of the repository's own that runs the JVM without passing the port.
/// Spring Boot's 8080 matters only there: Clever Cloud and Scaleway route to 8080, and
/// Scalingo's buildpacks start an app without a Procfile with `-Dserver.port=$PORT`.
fn unported_java_start(app: &App) -> bool {
    app.processes.iter().any(|p| {
        p.is_web()
            && (p.command.contains("java ") || p.command.contains(".jar"))
            && !p.command.contains("server.port")
    })
}

/// Schema migrations the framework runs when each web instance starts.
pub fn startup_migrations(rule: &Rule, app: &App) -> Vec<Finding> {
    local(rule, app, &[Key::StartupMigrations])
}

/// Logs written to a file by default.
pub fn file_log_default(rule: &Rule, app: &App) -> Vec<Finding> {
    local(rule, app, &[Key::LogTargets])
}

/// Public origins written in production configuration.
pub fn origin_in_settings(rule: &Rule, app: &App) -> Vec<Finding> {
    findings(on_settings(rule, app, &[Key::AllowedOrigins], |s| {
        Some(format!(
            "{} in {} production configuration",
            s.detail,
            s.framework.name()
        ))
    }))
}

/// Configuration split into environments named for deployments.
pub fn deploy_named_config(rule: &Rule, app: &App) -> Vec<Finding> {
    findings(on_settings(rule, app, &[Key::Environments], |s| {
        Some(format!(
            "{} configuration holds {}, a deployment chosen by name",
            s.framework.name(),
            s.detail
        ))
    }))
}

/// Debug switches on in production configuration, or by a default production does not
/// override (Symfony's committed `.env`), naming the variable.
pub fn debug_in_settings(rule: &Rule, app: &App) -> Vec<Finding> {
    local(rule, app, &[Key::Debug])
}

/// Counters the app code keeps in a cache that production runs local to one container
/// (`local-backend-default`): one finding at each file's first counter.
fn cache_counters(rule: &Rule, app: &App) -> Vec<Finding> {
    let Some(cache) = app
        .settings
        .of(Key::CacheStore)
        .find(|s| s.local && matches!(s.framework, Framework::Flask | Framework::Django))
    else {
        return Vec::new();
    };
    let text = app.inventory.manifest(&cache.file).unwrap_or_default();
    let line = crate::app::settings::line_of(text, cache.span.0);
    app.inventory
        .code
        .cache_uses
        .iter()
        .filter(|f| f.file.ends_with(".py"))
        .map(|f| {
            let mut finding = f.clone();
            finding.message = format!(
                "{}: production runs the cache as {} ({}:{line}), so each container keeps its own count and a restart resets it",
                f.message, cache.detail, cache.file
            );
            if let Some(var) = &cache.variable {
                finding.help = format!("declare {var} for production, or {}", rule.spec.help);
            }
            finding
        })
        .collect()
}

fn local(rule: &Rule, app: &App, keys: &[Key]) -> Vec<Finding> {
    findings(local_pairs(rule, app, keys))
}

/// Findings on the local settings under `keys`, naming the variable that would change
/// each, with the setting.
fn local_pairs<'a>(rule: &Rule, app: &'a App, keys: &[Key]) -> Vec<(Finding, &'a Setting)> {
    let mut findings = on_settings(rule, app, keys, |s| {
        s.local.then(|| match &s.variable {
            Some(var) => format!(
                "production runs with {} unless `{var}` is set, and the repository does not declare it for production",
                s.detail
            ),
            None => format!("production runs with {}", s.detail),
        })
    });
    for (finding, setting) in findings.iter_mut() {
        if let Some(var) = &setting.variable {
            finding.help = format!(
                "declare {var} for production (scalingo.json `env`, the host's environment variables, or `[production.env]` in twelve.toml), or {}",
                rule.spec.help
            );
        }
    }
    findings
}

fn findings(found: Vec<(Finding, &Setting)>) -> Vec<Finding> {
    found.into_iter().map(|(f, _)| f).collect()
}

/// A finding on each setting under `keys` that `message` reports, with the setting.
fn on_settings<'a>(
    rule: &Rule,
    app: &'a App,
    keys: &[Key],
    message: impl Fn(&Setting) -> Option<String>,
) -> Vec<(Finding, &'a Setting)> {
    app.settings
        .values
        .iter()
        .filter(|s| keys.contains(&s.key))
        .filter_map(|s| {
            let text = app.inventory.manifest(&s.file)?;
            let finding = finding_at(rule, &s.file, text, s.span, message(s)?);
            Some((finding, s))
        })
        .collect()
}
