//! Laravel: the arrays config/*.php return (or app/Config/*.php). `env('X', default)`
//! is the default unless production declares X; `.env.example` is a template and never
//! read. Resolves the session driver, the cache store, the default disk (and the disks
//! packages pick, such as media-library's `disk_name`) and the log channel with its stack.

use super::php::{Node, env_call, returned_array, string_literal};
use super::{Context, Framework, Key, Resolved, Setting, masked};

const CONFIG_DIRS: &[&str] = &["config/", "app/Config/"];

pub fn is_config_file(tail: &str) -> bool {
    CONFIG_DIRS.iter().any(|dir| {
        tail.strip_prefix(dir)
            .is_some_and(|name| name.ends_with(".php") && !name.contains('/'))
    })
}

/// One parsed config file.
struct Config {
    file: String,
    text: String,
    root: Node,
}

pub fn resolve(ctx: &Context, base: &str) -> Vec<Setting> {
    let Some(dir) = CONFIG_DIRS.iter().map(|d| format!("{base}{d}")).find(|d| {
        ["session", "cache", "filesystems", "logging"]
            .iter()
            .any(|name| ctx.text(&format!("{d}{name}.php")).is_some())
    }) else {
        return Vec::new();
    };
    let load = |name: &str| -> Option<Config> {
        let file = format!("{dir}{name}.php");
        let bytes = ctx.text(&file)?;
        let text = String::from_utf8_lossy(&masked(&file, bytes)).into_owned();
        let root = returned_array(&text)?;
        Some(Config { file, text, root })
    };
    let mut out = Vec::new();
    if let Some(session) = load("session") {
        out.extend(store(ctx, &session, "driver", Key::SessionStore, None));
    }
    if let Some(cache) = load("cache") {
        out.extend(store(
            ctx,
            &cache,
            "default",
            Key::CacheStore,
            Some("stores"),
        ));
    }
    let filesystems = load("filesystems");
    if let Some(fs) = &filesystems {
        out.extend(disk(ctx, fs, "default", fs));
    }
    if let Some(fs) = &filesystems {
        for (rel, _) in ctx.files(|rel| {
            rel.starts_with(&dir)
                && is_config_file(&rel[base.len()..])
                && !rel.ends_with("/filesystems.php")
        }) {
            let name = rel[dir.len()..].trim_end_matches(".php");
            if let Some(config) = load(name) {
                for key in ["disk_name", "disk", "default_disk"] {
                    out.extend(disk(ctx, &config, key, fs));
                }
                out.extend(backup_disks(ctx, &config, fs));
            }
        }
    }
    if let Some(logging) = load("logging") {
        out.extend(log_channel(ctx, &logging));
    }
    out
}

/// A value as production runs it, and the variable whose default it is.
fn evaluate(ctx: &Context, expr: &str) -> Option<(String, Option<String>)> {
    if let Some(value) = string_literal(expr) {
        return Some((value, None));
    }
    let (name, default) = env_call(expr)?;
    match ctx.var(&name, Some("")) {
        Resolved::Declared(value) => Some((value, None)),
        Resolved::Unknown => None,
        Resolved::Default(_) => {
            let (value, _) = evaluate(ctx, default?)?;
            Some((value, Some(name)))
        }
    }
}

const LOCAL_STORES: &[&str] = &["file", "array", "apc"];

/// The session driver or the default cache store (resolved through `stores`).
fn store(
    ctx: &Context,
    config: &Config,
    key: &str,
    setting: Key,
    stores: Option<&str>,
) -> Option<Setting> {
    let node = config.root.get(key)?;
    let (name, variable) = evaluate(ctx, node.text(&config.text))?;
    let driver = stores
        .and_then(|s| config.root.get(s)?.get(&name)?.get("driver"))
        .and_then(|d| string_literal(d.text(&config.text)))
        .unwrap_or_else(|| name.clone());
    let local = LOCAL_STORES.contains(&driver.as_str());
    let what = if setting == Key::SessionStore {
        "sessions"
    } else {
        "the cache"
    };
    let detail = match driver.as_str() {
        "file" => format!("{what} in files under storage/framework on each container's disk"),
        "array" | "apc" => format!("{what} in each process's memory"),
        _ => format!("{what} in `{driver}`"),
    };
    Some(Setting {
        key: setting,
        framework: Framework::Laravel,
        value: name,
        file: config.file.clone(),
        span: node.span,
        variable,
        local,
        detail,
    })
}

/// A disk choice (`'default' => env('FILESYSTEM_DISK', 'local')`), judged by the
/// disk's driver in filesystems.php.
fn disk(ctx: &Context, config: &Config, key: &str, fs: &Config) -> Option<Setting> {
    disk_at(ctx, config, config.root.get(key)?, fs, "")
}

/// The disks spatie/laravel-backup writes its archives to (`'backup' => ['destination' =>
/// ['disks' => [env('BACKUP_DISK', 'local')]]]`), unless the file switches backups off
/// (`'enabled' => false`, as production runs it).
fn backup_disks(ctx: &Context, config: &Config, fs: &Config) -> Vec<Setting> {
    let Some(backup) = config.root.get("backup") else {
        return Vec::new();
    };
    let enabled = backup
        .get("enabled")
        .and_then(|e| evaluate(ctx, e.text(&config.text)).map(|(v, _)| v))
        .or_else(|| {
            let text = backup.get("enabled")?.text(&config.text);
            let literal = text.rsplit(',').next()?.trim().trim_end_matches(')').trim();
            Some(literal.to_string())
        });
    if enabled.is_some_and(|v| v.eq_ignore_ascii_case("false")) {
        return Vec::new();
    }
    let Some(disks) = backup.get("destination").and_then(|d| d.get("disks")) else {
        return Vec::new();
    };
    disks
        .entries()
        .iter()
        .filter_map(|entry| disk_at(ctx, config, &entry.value, fs, "backups on "))
        .collect()
}

/// A disk named by `node`, judged by its driver in filesystems.php; `what` opens the
/// detail (`backups on `).
fn disk_at(
    ctx: &Context,
    config: &Config,
    node: &Node,
    fs: &Config,
    what: &str,
) -> Option<Setting> {
    let (name, variable) = evaluate(ctx, node.text(&config.text))?;
    let driver = fs
        .root
        .get("disks")
        .and_then(|d| d.get(&name)?.get("driver"))
        .and_then(|d| string_literal(d.text(&fs.text)))?;
    Some(Setting {
        key: Key::StorageDefault,
        framework: Framework::Laravel,
        file: config.file.clone(),
        span: node.span,
        local: driver == "local",
        detail: format!("{what}the `{name}` disk, whose driver is `{driver}`"),
        value: name,
        variable,
    })
}

/// The default log channel, and each file channel of its stack.
fn log_channel(ctx: &Context, config: &Config) -> Vec<Setting> {
    let text = &config.text;
    let Some(default) = config.root.get("default") else {
        return Vec::new();
    };
    let Some((name, variable)) = evaluate(ctx, default.text(text)) else {
        return Vec::new();
    };
    let Some(channels) = config.root.get("channels") else {
        return Vec::new();
    };
    let setting = |value: &str, span, local, detail: String| Setting {
        key: Key::LogTargets,
        framework: Framework::Laravel,
        value: value.to_string(),
        file: config.file.clone(),
        span,
        variable: variable.clone(),
        local,
        detail,
    };
    let file_channel = |channel: &str| -> Option<String> {
        let node = channels.get(channel)?;
        let driver = string_literal(node.get("driver")?.text(text))?;
        matches!(driver.as_str(), "single" | "daily").then(|| {
            let path = node.get("path").map(|p| p.text(text)).unwrap_or("a file");
            format!("`{channel}`, a file channel writing {path}")
        })
    };
    let Some(chosen) = channels.get(&name) else {
        return Vec::new();
    };
    let driver = chosen
        .get("driver")
        .and_then(|d| string_literal(d.text(text)));
    if driver.as_deref() != Some("stack") {
        let local = file_channel(&name);
        let detail = match &local {
            Some(file) => format!("the log channel {file}"),
            None => format!("the `{name}` log channel"),
        };
        return vec![setting(&name, default.span, local.is_some(), detail)];
    }
    // A stack: its listed channels, literal or from `explode(',', env('LOG_STACK', 'single'))`.
    let Some(list) = chosen.get("channels") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if list.entries.is_some() {
        let members: Vec<_> = list
            .entries()
            .iter()
            .filter_map(|e| Some((string_literal(e.value.text(text))?, e.value.span)))
            .collect();
        let files: Vec<_> = members
            .iter()
            .filter_map(|(member, span)| Some((file_channel(member)?, *span)))
            .collect();
        if !files.is_empty() && files.len() == members.len() {
            // Every channel of the stack is a file: production's logs reach no stream at all,
            // and the choice to fix is the default channel (`LOG_CHANNEL`), so the finding sits
            // on that line and names the stack's.
            let line = super::line_of(text.as_bytes(), list.span.0);
            let details: Vec<_> = files.into_iter().map(|(d, _)| d).collect();
            out.push(setting(
                &name,
                default.span,
                true,
                format!(
                    "the `{name}` log channel, whose stack (line {line}) holds only {}",
                    details.join(" and ")
                ),
            ));
        } else {
            // A stack mixing a stream with a file channel: the member to drop is the fix.
            for (detail, span) in files {
                out.push(setting(
                    &name,
                    span,
                    true,
                    format!("the `{name}` log channel, whose stack includes {detail}"),
                ));
            }
        }
    } else if let Some(inner) = list
        .text(text)
        .find("env(")
        .map(|at| &list.text(text)[at..])
        && let Some(end) = inner.find(')')
        && let Some((stack_var, _)) = evaluate(ctx, &inner[..=end])
    {
        for member in stack_var.split(',').map(str::trim) {
            if let Some(detail) = file_channel(member) {
                out.push(setting(
                    &name,
                    list.span,
                    true,
                    format!("the `{name}` log channel, whose stack includes {detail}"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(files: &[(&str, &str)], declared: &[(&str, &str)]) -> Vec<Setting> {
        super::super::with_context(files, declared, |ctx| resolve(ctx, ""))
    }

    const SESSION: &str = "<?php\nreturn [\n    // 'driver' => 'redis',\n    'driver' => env('SESSION_DRIVER', 'file'),\n];\n";

    #[test]
    fn an_env_default_is_what_production_runs_unless_declared() {
        let found = settings(&[("config/session.php", SESSION)], &[]);
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!((s.value.as_str(), s.local), ("file", true));
        assert_eq!(s.variable.as_deref(), Some("SESSION_DRIVER"));
        assert_eq!(super::super::line_of(SESSION.as_bytes(), s.span.0), 4);
        let declared = settings(
            &[("config/session.php", SESSION)],
            &[("SESSION_DRIVER", "redis")],
        );
        assert!(!declared[0].local && declared[0].variable.is_none());
    }

    #[test]
    fn log_stacks_and_disks_resolve_to_their_drivers() {
        let logging = "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'stack'),\n  'channels' => [\n    'stack' => [\n      'driver' => 'stack',\n      'channels' => ['stderr', 'daily'],\n    ],\n    'daily' => ['driver' => 'daily', 'path' => storage_path('logs/laravel.log')],\n    'stderr' => ['driver' => 'monolog'],\n  ],\n];\n";
        let fs = "<?php\nreturn [\n  'default' => env('FILESYSTEM_DISK', 's3'),\n  'disks' => [\n    'public' => ['driver' => 'local', 'root' => storage_path('app/public')],\n    's3' => ['driver' => 's3'],\n  ],\n];\n";
        let media = "<?php\nreturn [\n  'disk_name' => env('MEDIA_DISK', 'public'),\n];\n";
        let found = settings(
            &[
                ("config/logging.php", logging),
                ("config/filesystems.php", fs),
                ("config/media-library.php", media),
            ],
            &[],
        );
        let local: Vec<_> = found
            .iter()
            .filter(|s| s.local)
            .map(|s| (s.key, s.file.as_str(), s.variable.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            local,
            [
                (
                    Key::StorageDefault,
                    "config/media-library.php",
                    "MEDIA_DISK"
                ),
                (Key::LogTargets, "config/logging.php", "LOG_CHANNEL"),
            ]
        );
        let s3 = found
            .iter()
            .find(|s| s.file == "config/filesystems.php")
            .unwrap();
        assert!(!s3.local);
    }

    #[test]
    fn a_stack_of_file_channels_only_is_reported_on_the_default_line() {
        let logging = "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'stack'),\n  'channels' => [\n    'stack' => [\n      'driver' => 'stack',\n      'channels' => ['daily'],\n    ],\n    'daily' => ['driver' => 'daily', 'path' => storage_path('logs/laravel.log')],\n  ],\n];\n";
        let found = settings(&[("config/logging.php", logging)], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            super::super::line_of(logging.as_bytes(), found[0].span.0),
            3
        );
        assert!(found[0].detail.contains("(line 7) holds only `daily`"));
    }
}
