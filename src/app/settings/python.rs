//! Django and Flask settings modules (`settings.py`, `settings/*.py`, `config.py`):
//! top-level and config-class assignments, outside classes named for development or
//! tests. A value read from the environment (`os.environ.get`, `os.getenv`,
//! django-environ, python-decouple) counts as its default unless production declares
//! the variable; a literal in an `else:` branch is the fallback production runs with
//! when the branch above is not taken.

use super::{Context, Framework, Key, Resolved, Setting, masked};
use std::sync::LazyLock;

pub fn is_settings_file(tail: &str) -> bool {
    let (dir, name) = tail.rsplit_once('/').unwrap_or(("", tail));
    let Some(stem) = name.strip_suffix(".py") else {
        return false;
    };
    let dir_name = dir.rsplit('/').next().unwrap_or(dir);
    (stem == "settings"
        || stem.starts_with("settings_")
        || stem == "config"
        || dir_name == "settings")
        && !development_name(stem)
}

/// Names of development and test settings (`dev.py`, `settings_test.py`, `TestingConfig`).
pub(super) fn development_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.split(['_', '.', '-']).any(|part| {
        matches!(
            part,
            "dev" | "development" | "test" | "tests" | "testing" | "local" | "ci"
        )
    }) || ["test", "dev", "local"]
        .iter()
        .any(|w| lower.starts_with(w))
}

static ASSIGN: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r"(?m)^([ \t]*)([A-Z][A-Z0-9_]*)[ \t]*(?::[ \t]*[\w\[\], ]+)?[ \t]*=[ \t]*((?:[^\n]*\\\n)*[^\n]*)",
    )
});
static CLASS: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^class[ \t]+(\w+)"));
/// An environment read: `os.environ.get`, `os.getenv`, django-environ `env(...)` and
/// `env.str(...)`, decouple `config(...)`, and the app's own helpers named for it
/// (`get_env_variable("X", default="y")`), with a positional or `default=` literal.
static ENV_READ: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?:os\.environ\.get|os\.getenv|environ\.get|\benv(?:\.[a-z]+)?|\bconfig|\b\w*_env(?:_\w+)?)\(\s*['"](\w+)['"](?:\s*,\s*(?:default\s*=\s*)?['"]([^'"]*)['"]|[^()\n]*?\bdefault\s*=\s*['"]([^'"]*)['"])?"#,
    )
});
static LITERAL: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"(?:^|\bor\s+)['"]([^'"]+)['"]\s*$"#));
static STORAGE_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r"^(?:UPLOAD|UPLOADS|STORAGE|FILE_STORAGE|MEDIA)_(?:PROVIDER|BACKEND|TYPE|DRIVER)$",
    )
});
static LOG_KEY: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"^LOG_(?:FOLDER|DIR|DIRECTORY|FILE|PATH|FILENAME)$"));

pub fn resolve(ctx: &Context) -> Vec<Setting> {
    let mut out = Vec::new();
    let (mut default_cache_local, mut cache_sessions) = (false, Vec::new());
    let chain = super::django::production_chain(ctx);
    if let Some(chain) = &chain {
        out.extend(super::django::deployment_modules(ctx, chain));
    }
    let files: Vec<(&str, String)> = ctx
        .files(|rel| rel.ends_with(".py") && is_settings_file(rel))
        .into_iter()
        .map(|(file, bytes)| {
            (
                file,
                String::from_utf8_lossy(&masked(file, bytes)).into_owned(),
            )
        })
        .collect();
    for (file, text) in &files {
        let (file, text) = (*file, text.as_str());
        let django = text.contains("INSTALLED_APPS") || text.contains("django");
        let framework = if django {
            Framework::Django
        } else {
            Framework::Flask
        };
        // With a known chain, Django settings outside it are not what production loads,
        // and a name a later module of the chain assigns again is overridden there.
        let later: Vec<&str> = match &chain {
            Some(chain) if django => match chain.iter().position(|f| f == file) {
                Some(at) => files
                    .iter()
                    .filter(|(f, _)| chain[at + 1..].iter().any(|x| x == f))
                    .map(|(_, t)| t.as_str())
                    .collect(),
                None => continue,
            },
            _ => Vec::new(),
        };
        let overridden = |name: &str| later.iter().any(|t| assigns(t, name));
        let classes: Vec<(usize, String)> = CLASS
            .captures_iter(text)
            .map(|c| (c.get(0).expect("match").start(), c[1].to_string()))
            .collect();
        let in_dev_class = |offset: usize, indented: bool| {
            indented
                && classes
                    .iter()
                    .rev()
                    .find(|(at, _)| *at < offset)
                    .is_some_and(|(_, name)| development_name(name))
        };
        for caps in ASSIGN.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let indented = !caps[1].is_empty();
            if in_dev_class(whole.start(), indented) {
                continue;
            }
            let name = &caps[2];
            let expr = caps.get(3).expect("group");
            if overridden(name) {
                continue;
            }
            if super::python_origins::is_origin_list(name) {
                let found = super::python_origins::public_origins(text, expr.start());
                // Reported once, at the first public entry, naming every one.
                if let Some((public, span)) = found {
                    out.push(Setting {
                        key: Key::AllowedOrigins,
                        framework,
                        value: public.join(", "),
                        file: file.to_string(),
                        span,
                        variable: None,
                        local: false,
                        detail: format!("`{name}` lists {}", public.join(", ")),
                    });
                }
                continue;
            }
            let key = match name {
                "CACHE_TYPE" => Key::CacheStore,
                "SESSION_TYPE" => Key::SessionStore,
                _ if STORAGE_KEY.is_match(name) => Key::StorageDefault,
                _ if LOG_KEY.is_match(name) => Key::LogTargets,
                _ => continue,
            };
            let Some((value, variable)) = value_of(ctx, expr.as_str()) else {
                continue;
            };
            let lower = value.to_ascii_lowercase();
            let local = match key {
                Key::CacheStore => matches!(
                    lower.rsplit('.').next().unwrap_or(&lower),
                    "filesystem" | "filesystemcache" | "simple" | "simplecache"
                ),
                Key::SessionStore => lower == "filesystem",
                Key::StorageDefault => matches!(lower.as_str(), "filesystem" | "local" | "file"),
                _ => true,
            };
            let fallback = in_else_branch(text, whole.start());
            let detail = match key {
                Key::LogTargets => {
                    format!("{name} places the log files in a folder of the container")
                }
                _ if fallback => {
                    format!("{name} `{value}`, the fallback when the branch above is not taken")
                }
                _ => format!("{name} `{value}`"),
            };
            out.push(Setting {
                key,
                framework,
                value,
                file: file.to_string(),
                span: (whole.start() + caps[1].len(), expr.end()),
                variable,
                local,
                detail,
            });
        }
        if framework == Framework::Django {
            let found = super::django::local_backends(ctx, file, text, chain.is_some(), overridden);
            out.extend(found.settings);
            default_cache_local |= found.default_cache_local;
            cache_sessions.extend(found.cache_sessions);
        }
        out.extend(development_default(ctx, framework, file, text));
    }
    out.extend(super::flask::cache_configs(ctx));
    if default_cache_local {
        out.extend(
            cache_sessions
                .into_iter()
                .map(|s| Setting { local: true, ..s }),
        );
    }
    out
}

/// The variables an expression reads from the environment, each with its literal
/// default.
pub(super) fn env_reads(expr: &str) -> Vec<(String, Option<String>)> {
    static IN_ENVIRON: LazyLock<regex::Regex> =
        LazyLock::new(|| crate::checks::regex(r#"['"](\w+)['"]\s+in\s+os\.environ\b"#));
    ENV_READ
        .captures_iter(expr)
        .map(|c| {
            let default = c
                .get(2)
                .or_else(|| c.get(3))
                .map(|m| m.as_str().to_string());
            (c[1].to_string(), default)
        })
        .chain(
            IN_ENVIRON
                .captures_iter(expr)
                .map(|c| (c[1].to_string(), None)),
        )
        .collect()
}

/// The expression the last top-level `NAME = ...` of a settings text gives `name`.
pub(super) fn top_level_value<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    ASSIGN
        .captures_iter(text)
        .filter(|c| c[1].is_empty() && &c[2] == name)
        .last()
        .map(|c| c.get(3).expect("group").as_str())
}

/// The names settings give the deployment's environment (`APP_ENV`, `BITOUBI_ENV`).
static ENVIRONMENT_NAME: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r"^(?:ENVIRONMENT|ENV|APP_ENV|DJANGO_ENV|ENV_NAME|DEPLOY_ENV|STAGE|[A-Z][A-Z0-9_]*_ENV)$",
    )
});

/// Environment names read with a development default (`ENVIRONMENT =
/// env("ENVIRONMENT", default="development")`) that the same settings test (`==`,
/// `!=`, `in (...)`) or app code tests (`settings.APP_ENV == "prod"`): a production
/// deploy that does not set the variable runs the development branches.
fn development_default(
    ctx: &Context,
    framework: Framework,
    file: &str,
    text: &str,
) -> Vec<Setting> {
    let mut names: Vec<&str> = ASSIGN
        .captures_iter(text)
        .filter(|c| c[1].is_empty() && ENVIRONMENT_NAME.is_match(&c[2]))
        .map(|c| c.get(2).expect("group").as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| development_default_of(ctx, framework, file, text, name))
        .collect()
}

/// `development_default` for the last top-level assignment of `name`.
fn development_default_of(
    ctx: &Context,
    framework: Framework,
    file: &str,
    text: &str,
    name: &str,
) -> Option<Setting> {
    let caps = ASSIGN
        .captures_iter(text)
        .filter(|c| c[1].is_empty() && &c[2] == name)
        .last()?;
    let expr = caps.get(3).expect("group");
    let (variable, default) = env_reads(expr.as_str()).into_iter().next()?;
    let value = match ctx.var(&variable, default.as_deref()) {
        Resolved::Default(value) => value,
        _ => return None,
    };
    if !development_name(&value) {
        return None;
    }
    let test = regex::Regex::new(&format!(
        r#"\b{name}\s*(?:[!=]=\s*['"]|(?:not\s+)?in\s*[(\[])|['"]\s*[!=]=\s*{name}\b"#
    ))
    .expect("valid regex");
    let branch = match test.find(&text[expr.end()..]) {
        Some(tested) => format!(
            "the settings branch on {name}, line {}",
            super::line_of(text.as_bytes(), expr.end() + tested.start())
        ),
        None => format!("the code branches on {name}, {}", ctx.setting_test(name)?),
    };
    Some(Setting {
        key: Key::Debug,
        framework,
        value,
        file: file.to_string(),
        span: (caps.get(0).expect("match").start(), expr.end()),
        variable: Some(variable.clone()),
        local: true,
        // `local_pairs` adds that the variable is unset and undeclared.
        detail: format!(
            "the `{}` environment ({branch})",
            default.unwrap_or_default()
        ),
    })
}

/// Whether a top-level `NAME =` assigns `name` in this settings text.
fn assigns(text: &str, name: &str) -> bool {
    ASSIGN
        .captures_iter(text)
        .any(|c| c[1].is_empty() && &c[2] == name)
}

/// The literal an assignment gives production: a plain string, the fallback after
/// `or`, or the default of an environment read (unless production declares it).
pub(super) fn value_of(ctx: &Context, expr: &str) -> Option<(String, Option<String>)> {
    let expr = expr.trim();
    if let Some(read) = ENV_READ.captures(expr) {
        let name = read[1].to_string();
        let default = read
            .get(2)
            .or_else(|| read.get(3))
            .map(|m| m.as_str().to_string())
            .or_else(|| LITERAL.captures(expr).map(|c| c[1].to_string()))
            .or_else(|| expr.contains("os.path.join").then(|| "a path".to_string()));
        return match ctx.var(&name, default.as_deref()) {
            Resolved::Declared(value) => Some((value, None)),
            Resolved::Default(value) => Some((value, Some(name))),
            Resolved::Unknown => None,
        };
    }
    if let Some(literal) = LITERAL.captures(expr) {
        return Some((literal[1].to_string(), None));
    }
    expr.contains("os.path.join")
        .then(|| ("a path".to_string(), None))
}

/// Whether the line at `offset` sits in an `else:` block.
pub(super) fn in_else_branch(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..].len() - text[line_start..].trim_start().len();
    text[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() < indent)
        .is_some_and(|l| l.trim() == "else:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;
    use std::collections::BTreeMap;

    #[test]
    fn config_classes_and_fallbacks() {
        let config = "import os\n\nclass Config:\n    if os.getenv('REDIS_URL'):\n        CACHE_TYPE = 'redis'\n    else:\n        CACHE_TYPE: str = 'filesystem'\n    UPLOAD_PROVIDER = os.getenv('UPLOAD_PROVIDER') \\\n        or 'filesystem'\n    LOG_FOLDER = os.getenv('LOG_FOLDER') or os.path.join(os.path.dirname(__file__), 'logs')\n\nclass TestingConfig(Config):\n    SESSION_TYPE = 'filesystem'\n";
        let facts = test_facts(&[("app/config.py", config)]);
        let env = DeclaredEnv::declare(&BTreeMap::new(), &[], None, None);
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        let local: Vec<_> = found
            .iter()
            .filter(|s| s.local)
            .map(|s| (s.key, s.value.as_str(), s.variable.as_deref()))
            .collect();
        assert_eq!(
            local,
            [
                (Key::CacheStore, "filesystem", None),
                (Key::StorageDefault, "filesystem", Some("UPLOAD_PROVIDER")),
                (Key::LogTargets, "a path", Some("LOG_FOLDER")),
            ]
        );
        assert!(found.iter().any(|s| s.detail.contains("fallback")));
    }

    #[test]
    fn the_production_chain_decides() {
        let file_cache = "INSTALLED_APPS = []\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache'}}\n";
        let prod = "from .base import *\n\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache'}}\n";
        let settings = [
            ("proj/settings/base.py", file_cache),
            ("proj/settings/prod.py", prod),
            ("proj/settings/staging.py", file_cache),
        ];
        let wsgi = (
            "proj/wsgi.py",
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.prod')\n",
        );
        let files = |with_wsgi: bool| -> Vec<String> {
            let mut all = settings.to_vec();
            if with_wsgi {
                all.push(wsgi);
            }
            super::super::with_context(&all, &[], |ctx| {
                resolve(ctx)
                    .into_iter()
                    .filter(|s| s.key == super::super::Key::CacheStore)
                    .map(|s| s.file)
                    .collect()
            })
        };
        // prod.py overrides base.py's CACHES, and staging.py is not what production loads.
        assert!(files(true).is_empty());
        assert_eq!(
            files(false),
            ["proj/settings/base.py", "proj/settings/staging.py"]
        );
    }

    #[test]
    fn settings_file_names() {
        assert!(is_settings_file("mysite/settings.py"));
        assert!(is_settings_file("config/settings/base.py"));
        assert!(is_settings_file("app/config.py"));
        assert!(!is_settings_file("config/settings/dev.py"));
        assert!(!is_settings_file("config/settings/test.py"));
        assert!(!is_settings_file("app/models.py"));
    }
}
