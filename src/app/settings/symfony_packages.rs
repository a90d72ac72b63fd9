//! What Symfony's `prod` environment runs with, from config/packages/: the keys of each
//! file outside `when@<env>` blocks, then config/packages/prod/, then `when@prod:`
//! blocks, a later layer overriding an earlier one key by key (Symfony merges them).
//! Read: the session handler, rate limiters on the app cache and monolog's handlers.

use super::flat::{Entry, yaml};
use super::{Context, Framework, Key, Setting};
use std::collections::BTreeMap;

/// An effective key: the file and entry that decide it.
type Layered<'f> = BTreeMap<String, (&'f str, Entry)>;

pub fn resolve(ctx: &Context, base: &str) -> Vec<Setting> {
    let packages = format!("{base}config/packages/");
    let files = ctx.files(|rel| rel.starts_with(&packages));
    let prod = production_keys(&files, &packages);
    let mut out = Vec::new();
    out.extend(session(&prod));
    out.extend(app_cache(&prod));
    out.extend(log_handlers(&prod));
    out
}

fn production_keys<'f>(files: &[(&'f str, &[u8])], packages: &str) -> Layered<'f> {
    let mut layers: [Vec<(&'f str, Entry)>; 3] = Default::default();
    for (file, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        let rest = &file[packages.len()..];
        if let Some((env, _)) = rest.split_once('/') {
            if env == "prod" {
                layers[1].extend(yaml(&text).into_iter().map(|e| (*file, e)));
            }
            continue;
        }
        for mut entry in yaml(&text) {
            if let Some(key) = entry.key.strip_prefix("when@prod.") {
                entry.key = key.to_string();
                layers[2].push((*file, entry));
            } else if !entry.key.starts_with("when@") {
                layers[0].push((*file, entry));
            }
        }
    }
    let mut keys = Layered::new();
    for (file, entry) in layers.into_iter().flatten() {
        keys.insert(entry.key.clone(), (file, entry));
    }
    keys
}

fn setting(key: Key, (file, entry): &(&str, Entry), detail: String) -> Setting {
    Setting {
        key,
        framework: Framework::Symfony,
        value: unquote(&entry.value).to_string(),
        file: file.to_string(),
        span: entry.span,
        variable: None,
        local: true,
        detail,
    }
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches(['"', '\''])
}

/// Sessions on, with no handler or a file handler: PHP's native handler keeps session
/// files on the container's disk (php.ini's `session.save_path`), and
/// `session.handler.native_file` in var/sessions.
fn session(prod: &Layered) -> Option<Setting> {
    let on = prod
        .get("framework.session")
        .is_none_or(|(_, e)| !matches!(unquote(&e.value), "false" | "off"));
    let anchor = prod
        .get("framework.session")
        .or_else(|| {
            prod.range("framework.session.".to_string()..)
                .next()
                .map(|(_, v)| v)
        })
        .filter(|(_, e)| e.key.starts_with("framework.session"))?;
    if !on {
        return None;
    }
    match prod.get("framework.session.handler_id") {
        None => Some(setting(
            Key::SessionStore,
            anchor,
            "PHP's native file sessions (`framework.session` without a `handler_id`)".into(),
        )),
        Some(handler) => {
            let value = unquote(&handler.1.value);
            let native = matches!(value, "~" | "null" | "session.handler.native_file")
                || value.starts_with("file://");
            native.then(|| {
                setting(
                    Key::SessionStore,
                    handler,
                    format!("file sessions (`handler_id: {value}`)"),
                )
            })
        }
    }
}

/// Rate limiters counting in the app cache (their default `cache_pool`,
/// `cache.rate_limiter`, sits on `cache.app`) while the app cache is on the filesystem
/// adapter, set so or left at Symfony's default: each container counts on its own. A
/// filesystem app cache that only caches is not reported: each container recomputes it.
fn app_cache(prod: &Layered) -> Vec<Setting> {
    let app = prod.get("framework.cache.app");
    if app.is_some_and(|(_, e)| unquote(&e.value) != "cache.adapter.filesystem") {
        return Vec::new();
    }
    let how = if app.is_some() {
        "`framework.cache.app: cache.adapter.filesystem`"
    } else {
        "Symfony's default app cache"
    };
    let mut out = Vec::new();
    for (key, policy) in prod.range("framework.rate_limiter.".to_string()..) {
        if !key.starts_with("framework.rate_limiter.") {
            break;
        }
        let Some(name) = key
            .strip_prefix("framework.rate_limiter.")
            .and_then(|k| k.strip_suffix(".policy"))
            .filter(|n| !n.contains('.'))
        else {
            continue;
        };
        let own_storage = ["cache_pool", "storage_service"]
            .iter()
            .any(|k| prod.contains_key(&format!("framework.rate_limiter.{name}.{k}")));
        if !own_storage {
            out.push(setting(
                Key::CacheStore,
                policy,
                format!("the rate limiter `{name}` counting in the filesystem app cache ({how})"),
            ));
        }
    }
    out.extend(login_throttling(prod, how));
    out
}

/// A firewall's `login_throttling` counts failed logins in `cache.rate_limiter` unless
/// it names its own `limiter` service.
fn login_throttling(prod: &Layered, how: &str) -> Vec<Setting> {
    let mut firewalls: BTreeMap<&str, (&(&str, Entry), bool)> = BTreeMap::new();
    for (key, entry) in prod.range("security.firewalls.".to_string()..) {
        let Some(rest) = key.strip_prefix("security.firewalls.") else {
            break;
        };
        let Some((firewall, option)) = rest.split_once(".login_throttling") else {
            continue;
        };
        if firewall.contains('.') || !(option.is_empty() || option.starts_with('.')) {
            continue;
        }
        let own = option == ".limiter";
        let slot = firewalls.entry(firewall).or_insert((entry, false));
        slot.1 |= own;
    }
    firewalls
        .into_iter()
        .filter(|(_, (_, own))| !own)
        .map(|(firewall, (entry, _))| {
            setting(
                Key::CacheStore,
                entry,
                format!(
                    "the login throttling of the `{firewall}` firewall, counting in the filesystem app cache ({how})"
                ),
            )
        })
        .collect()
}

/// Monolog handlers of production that write a file: `stream` or `rotating_file` with
/// a path that is not a PHP stream (`php://stderr`) or a variable (`%env(LOG_PATH)%`);
/// with no path, Monolog's default `%kernel.logs_dir%/%kernel.environment%.log`.
fn log_handlers(prod: &Layered) -> Vec<Setting> {
    let mut out = Vec::new();
    for (key, typed) in prod.range("monolog.handlers.".to_string()..) {
        let Some(name) = key
            .strip_prefix("monolog.handlers.")
            .and_then(|k| k.strip_suffix(".type"))
            .filter(|n| !n.contains('.'))
        else {
            if !key.starts_with("monolog.handlers.") {
                break;
            }
            continue;
        };
        if !matches!(unquote(&typed.1.value), "stream" | "rotating_file") {
            continue;
        }
        let path = prod.get(&format!("monolog.handlers.{name}.path"));
        let shown = path.map_or("%kernel.logs_dir%/%kernel.environment%.log", |p| {
            unquote(&p.1.value)
        });
        if shown.starts_with("php://") || shown.starts_with("%env(") {
            continue;
        }
        out.push(setting(
            Key::LogTargets,
            path.unwrap_or(typed),
            format!("a log file, {shown} (monolog handler `{name}`)"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::with_context;
    use super::*;

    fn found(files: &[(&str, &str)]) -> Vec<(Key, String, String)> {
        with_context(files, &[], |ctx| {
            resolve(ctx, "")
                .into_iter()
                .map(|s| (s.key, s.file, s.value))
                .collect()
        })
    }

    #[test]
    fn production_layers_override_the_base() {
        let framework = "framework:\n    secret: '%env(APP_SECRET)%'\n    session: true\nwhen@test:\n    framework:\n        session:\n            storage_factory_id: session.storage.factory.mock_file\n";
        let monolog = "monolog:\n    channels: [deprecation]\nwhen@dev:\n    monolog:\n        handlers:\n            main:\n                type: stream\n                path: \"%kernel.logs_dir%/dev.log\"\nwhen@prod:\n    monolog:\n        handlers:\n            main:\n                type: fingers_crossed\n                handler: nested\n            nested:\n                type: stream\n                path: php://stderr\n            audit:\n                type: rotating_file\n                path: '%kernel.logs_dir%/audit.log'\n";
        assert_eq!(
            found(&[
                ("config/packages/framework.yaml", framework),
                ("config/packages/monolog.yaml", monolog),
            ]),
            [
                (
                    Key::SessionStore,
                    "config/packages/framework.yaml".to_string(),
                    "true".to_string()
                ),
                (
                    Key::LogTargets,
                    "config/packages/monolog.yaml".to_string(),
                    "%kernel.logs_dir%/audit.log".to_string()
                ),
            ]
        );
    }

    #[test]
    fn shared_handlers_are_not_local() {
        let framework = "framework:\n    session:\n        handler_id: '%env(REDIS_URL)%'\n        cookie_secure: auto\n    cache:\n        app: cache.adapter.redis\n";
        let prod_folder = "monolog:\n    handlers:\n        main:\n            type: stream\n            path: php://stderr\n";
        let base_monolog = "monolog:\n    handlers:\n        main:\n            type: stream\n            path: '%kernel.logs_dir%/app.log'\n";
        assert!(
            found(&[
                ("config/packages/framework.yaml", framework),
                ("config/packages/monolog.yaml", base_monolog),
                ("config/packages/prod/monolog.yaml", prod_folder),
            ])
            .is_empty()
        );
        let off =
            "framework:\n    session: false\n    cache:\n        app: cache.adapter.filesystem\n";
        assert!(found(&[("config/packages/framework.yaml", off)]).is_empty());
        let limiter = "framework:\n    rate_limiter:\n        login:\n            policy: fixed_window\n            limit: 5\n        api:\n            policy: sliding_window\n            cache_pool: cache.redis_limiter\n";
        assert_eq!(
            found(&[
                ("config/packages/framework.yaml", off),
                ("config/packages/rate_limiter.yaml", limiter),
            ]),
            [(
                Key::CacheStore,
                "config/packages/rate_limiter.yaml".to_string(),
                "fixed_window".to_string()
            )]
        );
        let throttled = "security:\n    firewalls:\n        main:\n            login_throttling:\n                max_attempts: 3\n        api:\n            login_throttling:\n                limiter: app.redis_login_limiter\n";
        assert_eq!(
            found(&[
                ("config/packages/framework.yaml", off),
                ("config/packages/prod/security.yaml", throttled),
            ]),
            [(
                Key::CacheStore,
                "config/packages/prod/security.yaml".to_string(),
                "3".to_string()
            )]
        );
        let redis = "framework:\n    cache:\n        app: cache.adapter.redis\n";
        assert!(
            found(&[
                ("config/packages/cache.yaml", redis),
                ("config/packages/rate_limiter.yaml", limiter),
                ("config/packages/security.yaml", throttled),
            ])
            .is_empty()
        );
    }
}
