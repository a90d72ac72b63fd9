//! Django: the settings module production loads, and the modules it star-imports
//! (`from .base import *`), in load order. The module is DJANGO_SETTINGS_MODULE as
//! production declares it, else the default wsgi.py, asgi.py or manage.py sets. A
//! chain that defines no INSTALLED_APPS is not the real settings (the host's
//! environment then names another module): no chain, and every settings file counts.

use super::{Context, Framework, Key, Resolved, Setting};
use std::sync::LazyLock;

/// The files that name the settings module, by file name.
pub fn is_entry_file(tail: &str) -> bool {
    let name = tail.rsplit('/').next().unwrap_or(tail);
    matches!(name, "wsgi.py" | "asgi.py" | "manage.py")
}

static DEFAULT_MODULE: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"['"]DJANGO_SETTINGS_MODULE['"]\s*[,\]]\s*=?\s*['"]([\w.]+)['"]"#)
});
static STAR_IMPORT: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"(?m)^from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\*"));

/// The most modules a chain follows (a cycle or a deep tree stops there).
const MAX_CHAIN: usize = 12;

/// The settings files production loads, earliest first: a later one overrides an
/// earlier one. `None` when the module is unknown, not kept, or defines no apps.
pub fn production_chain(ctx: &Context) -> Option<Vec<String>> {
    let module = production_module(ctx)?;
    let first = module_file(ctx, &module)?;
    let mut chain = Vec::new();
    visit(ctx, &first, &mut chain);
    let defines_apps = chain.iter().any(|f| {
        ctx.text(f)
            .is_some_and(|t| String::from_utf8_lossy(t).contains("INSTALLED_APPS"))
    });
    defines_apps.then_some(chain)
}

/// Settings modules beside production's named for another deployment (`staging.py`,
/// `preprod.py`): DJANGO_SETTINGS_MODULE picks one per deploy.
pub(super) fn deployment_modules(ctx: &Context, chain: &[String]) -> Vec<Setting> {
    let Some((folder, _)) = chain.last().and_then(|f| f.rsplit_once('/')) else {
        return Vec::new();
    };
    let folder = format!("{folder}/");
    ctx.files(|rel| rel.starts_with(&folder) && rel.ends_with(".py"))
        .into_iter()
        .filter_map(|(rel, _)| {
            let stem = rel[folder.len()..].strip_suffix(".py")?;
            super::deployment_named(stem).then(|| {
                Setting::deployment_environment(
                    Framework::Django,
                    stem,
                    rel,
                    (0, 0),
                    "DJANGO_SETTINGS_MODULE",
                    format!("the `{stem}` settings module"),
                )
            })
        })
        .collect()
}

/// DJANGO_SETTINGS_MODULE: declared for production, else the default of the WSGI or
/// ASGI entry point (what the server loads), else manage.py's.
fn production_module(ctx: &Context) -> Option<String> {
    if let Resolved::Declared(module) = ctx.var("DJANGO_SETTINGS_MODULE", None) {
        return Some(module);
    }
    let entries = ctx.files(is_entry_file);
    ["wsgi.py", "asgi.py", "manage.py"].iter().find_map(|name| {
        entries
            .iter()
            .filter(|(rel, _)| rel.rsplit('/').next() == Some(*name))
            .find_map(|(rel, bytes)| {
                let text = super::masked(rel, bytes);
                DEFAULT_MODULE
                    .captures(&String::from_utf8_lossy(&text))
                    .map(|c| c[1].to_string())
            })
    })
}

/// The kept file of a dotted module (`config.settings.prod`), wherever the project
/// folder sits.
fn module_file(ctx: &Context, module: &str) -> Option<String> {
    let suffix = format!(".{module}");
    ctx.files(|rel| rel.ends_with(".py"))
        .into_iter()
        .map(|(rel, _)| rel)
        .find(|rel| {
            let dotted = rel
                .trim_end_matches(".py")
                .trim_end_matches("/__init__")
                .replace('/', ".");
            dotted == module || dotted.ends_with(&suffix)
        })
        .map(str::to_string)
}

/// Adds the modules `file` star-imports, then `file` itself.
fn visit(ctx: &Context, file: &str, chain: &mut Vec<String>) {
    if chain.len() >= MAX_CHAIN || chain.iter().any(|f| f == file) {
        return;
    }
    let Some(bytes) = ctx.text(file) else {
        return;
    };
    let text = String::from_utf8_lossy(&super::masked(file, bytes)).into_owned();
    for caps in STAR_IMPORT.captures_iter(&text) {
        let imported = if caps[1].is_empty() {
            module_file(ctx, &caps[2])
        } else {
            relative_file(ctx, file, caps[1].len(), &caps[2])
        };
        if let Some(imported) = imported {
            visit(ctx, &imported, chain);
        }
    }
    if !chain.iter().any(|f| f == file) {
        chain.push(file.to_string());
    }
}

/// `from .base import *` in `config/settings/prod.py` → `config/settings/base.py`.
fn relative_file(ctx: &Context, file: &str, dots: usize, name: &str) -> Option<String> {
    let mut package = file.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    for _ in 1..dots {
        package = package
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_string();
    }
    let path = [package.as_str(), &name.replace('.', "/")]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    [format!("{path}.py"), format!("{path}/__init__.py")]
        .into_iter()
        .find(|candidate| ctx.text(candidate).is_some())
}

/// A backend class named in Django settings, and what it means for production.
struct Backend {
    class: &'static str,
    key: Key,
    /// Only the `default` alias counts (a LocMemCache for one helper cache is fine).
    default_only: bool,
    detail: &'static str,
}

const BACKENDS: &[Backend] = &[
    Backend {
        class: "django.core.cache.backends.filebased.FileBasedCache",
        key: Key::CacheStore,
        default_only: false,
        detail: "a Django FileBasedCache on the container's disk",
    },
    Backend {
        class: "django.core.cache.backends.locmem.LocMemCache",
        key: Key::CacheStore,
        default_only: true,
        detail: "a Django LocMemCache as the default cache, in each process's memory",
    },
    Backend {
        class: "django.core.files.storage.FileSystemStorage",
        key: Key::StorageDefault,
        default_only: true,
        detail: "Django's FileSystemStorage as the default storage: uploads under MEDIA_ROOT on the container's disk",
    },
];

static BACKEND_LITERAL: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"['"](django\.core\.(?:cache\.backends\.(?:filebased\.FileBasedCache|locmem\.LocMemCache)|files\.storage\.FileSystemStorage))['"]"#,
    )
});
/// The alias a backend sits under in its statement (`"default": {`,
/// `STORAGES["default"] =`).
static ALIAS: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"['"](\w+)['"]\s*:\s*\{|\[\s*['"](\w+)['"]\s*\]\s*="#));
static UPPER_NAME: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r"\b([A-Z][A-Z0-9_]+)\b"));

/// What one Django settings module says about local backends.
#[derive(Default)]
pub(super) struct Backends {
    pub settings: Vec<Setting>,
    /// Whether the `default` cache production runs is local (what makes cache-backed
    /// sessions local).
    pub default_cache_local: bool,
    /// `SESSION_ENGINE = "...backends.cache"` production runs: local when the default
    /// cache is, in this module or another of the chain.
    pub cache_sessions: Vec<Setting>,
}

/// The local backends a Django settings module (comment-masked `text`) names in CACHES,
/// STORAGES, DEFAULT_FILE_STORAGE and SESSION_ENGINE, as production runs them:
/// unconditionally, or in the arm of an `X if COND else Y` or `if COND: ... else: ...`
/// that production takes when COND reads variables it does not declare. `overridden`
/// says whether a later module of the chain assigns the setting again; without a known
/// chain, a base module's default backends are expected to be replaced by production's.
pub(super) fn local_backends(
    ctx: &Context,
    file: &str,
    text: &str,
    chained: bool,
    overridden: impl Fn(&str) -> bool,
) -> Backends {
    let base_module = !chained && {
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".py");
        matches!(stem, "base" | "common" | "base_settings" | "settings_base")
    };
    let mut found_backends = Backends::default();
    let out = &mut found_backends.settings;
    for found in BACKEND_LITERAL.captures_iter(text) {
        let literal = found.get(0).expect("match");
        let Some(backend) = BACKENDS.iter().find(|b| b.class == &found[1]) else {
            continue;
        };
        let Some((setting, statement)) = setting_of(text, literal.start()) else {
            continue;
        };
        let setting = match backend.key {
            Key::CacheStore => "CACHES",
            _ => setting,
        };
        if overridden(setting) {
            continue;
        }
        let alias = match setting {
            "DEFAULT_FILE_STORAGE" => Some(setting),
            "STORAGES" | "CACHES" => ALIAS
                .captures_iter(&text[statement..literal.start()])
                .last()
                .and_then(|c| c.get(1).or_else(|| c.get(2)))
                .map(|m| m.as_str()),
            _ => None,
        };
        let is_default = matches!(alias, Some("default" | "DEFAULT_FILE_STORAGE"));
        if backend.default_only && (!is_default || base_module) {
            continue;
        }
        let Branch::Default(mut variable) = branch(ctx, text, literal.start()) else {
            continue;
        };
        // A later assignment of the same setting (`STORAGES["default"] = ...` under
        // `if AWS_BUCKET:`) replaces it when production takes that branch, and names
        // the variable that would otherwise change it.
        let reassigned = reassignments(text, setting, literal.end());
        let mut replaced = false;
        for at in reassigned {
            match branch(ctx, text, at) {
                Branch::Default(_) => replaced = true,
                Branch::WhenSet(var) => variable = variable.or(Some(var)),
                Branch::NotTaken | Branch::Unknown => {}
            }
        }
        if replaced {
            continue;
        }
        found_backends.default_cache_local |= backend.key == Key::CacheStore && is_default;
        out.push(Setting {
            key: backend.key,
            framework: Framework::Django,
            value: found[1].rsplit('.').next().unwrap_or(&found[1]).to_string(),
            file: file.to_string(),
            span: (literal.start(), literal.end()),
            variable,
            local: true,
            detail: backend.detail.to_string(),
        });
    }
    for found in SESSION_ENGINE.captures_iter(text) {
        let literal = found.get(1).expect("group");
        if overridden("SESSION_ENGINE") {
            continue;
        }
        let Branch::Default(variable) = branch(ctx, text, literal.start()) else {
            continue;
        };
        let file_sessions = &found[2] == "file";
        let setting = Setting {
            key: Key::SessionStore,
            framework: Framework::Django,
            value: found[2].to_string(),
            file: file.to_string(),
            span: (found.get(0).expect("match").start(), literal.end()),
            variable,
            local: file_sessions,
            detail: if file_sessions {
                "Django's file session engine, sessions on the container's disk".to_string()
            } else {
                "Django's cache session engine on a local default cache".to_string()
            },
        };
        if file_sessions {
            out.push(setting);
        } else {
            found_backends.cache_sessions.push(setting);
        }
    }
    found_backends
}

static SESSION_ENGINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?m)^[ \t]*SESSION_ENGINE[ \t]*=[ \t]*(['"]django\.contrib\.sessions\.backends\.(file|cache)['"])"#,
    )
});

/// The setting (`STORAGES`, `DEFAULT_FILE_STORAGE`) whose assignment holds `offset`,
/// and where that statement starts.
fn setting_of(text: &str, offset: usize) -> Option<(&str, usize)> {
    static HEAD: LazyLock<regex::Regex> = LazyLock::new(|| {
        crate::checks::regex(
            r"(?m)^[ \t]*([A-Z][A-Z0-9_]*)[ \t]*(?:\[[^\]\n]*\][ \t]*)?(?::[^=\n]*)?=",
        )
    });
    HEAD.captures_iter(&text[..offset]).last().map(|c| {
        let name = c.get(1).expect("group");
        (name.as_str(), name.start())
    })
}

/// What guards a value at module level.
enum Guard<'t> {
    /// Nothing: production always runs it.
    Always,
    /// `if COND` guards it; `true` when it is the arm taken when COND holds.
    If(&'t str, bool),
    /// A `try`, `def`, loop or other block: not read.
    Unknown,
}

/// How production meets a branch of the settings.
enum Branch {
    /// It runs it (nothing guards it, or its guard holds while the variable, named
    /// here, is unset).
    Default(Option<String>),
    /// It runs it only once this undeclared variable is set.
    WhenSet(String),
    /// It does not run it (the guard reads a variable production declares).
    NotTaken,
    /// The guard reads no variable (`if TESTING`) or is not a plain `if`.
    Unknown,
}

/// How production meets the branch holding `offset`. An unset variable counts as
/// false; a read with a default of its own does not, and makes the guard unknown.
fn branch(ctx: &Context, text: &str, offset: usize) -> Branch {
    let (condition, when_true) = match guard_at(text, offset) {
        Guard::Always => return Branch::Default(None),
        Guard::Unknown => return Branch::Unknown,
        Guard::If(condition, when_true) => match condition.strip_prefix("not ") {
            Some(rest) => (rest.trim(), !when_true),
            None => (condition, when_true),
        },
    };
    let reads = condition_reads(text, condition, 3);
    if reads.is_empty()
        || reads
            .iter()
            .any(|(_, default)| default.as_deref().is_some_and(|d| !d.is_empty()))
    {
        return Branch::Unknown;
    }
    let declared = reads.iter().any(|(name, _)| ctx.declares(name));
    let first = reads.into_iter().next().map(|(name, _)| name);
    match (when_true, declared) {
        (true, true) => Branch::Default(None),
        (true, false) => first.map_or(Branch::Unknown, Branch::WhenSet),
        (false, true) => Branch::NotTaken,
        (false, false) => Branch::Default(first),
    }
}

/// Where `setting` (or its `default` alias) is assigned again after `from`.
fn reassignments(text: &str, setting: &str, from: usize) -> Vec<usize> {
    let again = regex::Regex::new(&format!(
        r#"(?m)^[ \t]*{setting}(?:\[\s*['"]default['"]\s*\](?:\[\s*['"]BACKEND['"]\s*\])?)?[ \t]*="#
    ))
    .expect("valid regex");
    again
        .find_iter(&text[from..])
        .map(|m| from + m.end())
        .collect()
}

/// The guard of `offset`: an inline `A if COND else B` in the parentheses or on the
/// line around it, else the module-level block it sits in.
fn guard_at(text: &str, offset: usize) -> Guard<'_> {
    static INLINE: LazyLock<regex::Regex> =
        LazyLock::new(|| crate::checks::regex(r"(?s)\bif\b(.+?)\belse\b"));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let (from, to) = match enclosing_paren(text, offset) {
        Some(open) => (
            open + 1,
            text[offset..].find(')').map_or(text.len(), |i| offset + i),
        ),
        None => (
            line_start,
            text[offset..].find('\n').map_or(text.len(), |i| offset + i),
        ),
    };
    if let Some(caps) = INLINE.captures(&text[from..to]) {
        let whole = caps.get(0).expect("match");
        let condition = caps.get(1).expect("group").as_str().trim();
        return Guard::If(condition, offset - from < whole.start());
    }
    // The module-level line that starts the statement or opens the block.
    let Some(header) = text[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with([' ', '\t', ')', ']', '}', '#']))
    else {
        return Guard::Always;
    };
    let indented = text[line_start..].starts_with([' ', '\t']);
    if !indented || !header.trim_end().ends_with(':') {
        return Guard::Always;
    }
    fn condition(line: &str) -> Option<&str> {
        line.split_once(' ')
            .and_then(|(_, c)| c.trim_end().strip_suffix(':'))
            .map(str::trim)
    }
    if header.trim_end() == "else:" {
        let header_at = text[..line_start].rfind(header).unwrap_or(0);
        let opener = text[..header_at]
            .lines()
            .rev()
            .find(|l| l.starts_with("if ") || l.starts_with("elif "));
        return match opener.and_then(condition) {
            Some(c) => Guard::If(c, false),
            None => Guard::Unknown,
        };
    }
    let opens = header.starts_with("if ") || header.starts_with("elif ");
    match opens.then(|| condition(header)).flatten() {
        Some(c) => Guard::If(c, true),
        None => Guard::Unknown,
    }
}

/// The unmatched `(` before `offset` within its statement.
fn enclosing_paren(text: &str, offset: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text[..offset].bytes().enumerate().rev() {
        match b {
            b')' => depth += 1,
            b'(' if depth == 0 => return Some(i),
            b'(' => depth -= 1,
            b'\n' if !text[i + 1..].starts_with([' ', '\t', ')', ']', '}']) => return None,
            _ => {}
        }
    }
    None
}

/// The environment variables a condition reads, directly or through the names it
/// uses (`IS_S3 = True if AWS_KEY else False`, `AWS_KEY = env("AWS_KEY")`), with the
/// default each read gives.
fn condition_reads(text: &str, condition: &str, depth: usize) -> Vec<(String, Option<String>)> {
    let mut reads: Vec<(String, Option<String>)> = super::python::env_reads(condition);
    if depth == 0 {
        return reads;
    }
    for name in UPPER_NAME.captures_iter(condition) {
        let name = &name[1];
        if reads.iter().any(|(n, _)| n == name) {
            continue;
        }
        if let Some(expr) = super::python::top_level_value(text, name) {
            reads.extend(condition_reads(text, expr, depth - 1));
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(files: &[(&str, &str)], declared: &[(&str, &str)]) -> Option<Vec<String>> {
        super::super::with_context(files, declared, production_chain)
    }

    const BASE: &str = "INSTALLED_APPS = ['django.contrib.sessions']\n";
    const PROD: &str = "from .base import *  # noqa\n\nSESSION_ENGINE = 'x'\n";

    #[test]
    fn the_wsgi_module_and_its_star_imports() {
        let files = [
            (
                "manage.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.local')\n",
            ),
            (
                "site/wsgi.py",
                "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings.prod\")\n",
            ),
            ("site/settings/base.py", BASE),
            ("site/settings/prod.py", PROD),
            ("site/settings/staging.py", "from .prod import *\n"),
        ];
        assert_eq!(
            chain(&files, &[]).expect("chain"),
            ["site/settings/base.py", "site/settings/prod.py"]
        );
        // The declared variable wins over the entry point's default.
        assert_eq!(
            chain(
                &files,
                &[("DJANGO_SETTINGS_MODULE", "site.settings.staging")]
            )
            .expect("chain")
            .last()
            .map(String::as_str),
            Some("site/settings/staging.py")
        );
    }

    fn local_storage(settings: &str, declared: &[(&str, &str)]) -> Vec<Option<String>> {
        super::super::with_context(&[("shop/settings.py", settings)], declared, |ctx| {
            local_backends(ctx, "shop/settings.py", settings, true, |_| false)
                .settings
                .into_iter()
                .map(|s| s.variable)
                .collect()
        })
    }

    #[test]
    fn storage_chosen_by_a_variable() {
        let ternary = "BUCKET = env('BUCKET')\nSTORAGES = {\n    'default': {\n        'BACKEND': (\n            's3' if BUCKET\n            else 'django.core.files.storage.FileSystemStorage'\n        )\n    },\n}\n";
        assert_eq!(local_storage(ternary, &[]), [Some("BUCKET".to_string())]);
        assert!(local_storage(ternary, &[("BUCKET", "media")]).is_empty());
        let later = "STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}}\nif os.getenv('BUCKET'):\n    STORAGES['default'] = {'BACKEND': 's3'}\n";
        assert_eq!(local_storage(later, &[]), [Some("BUCKET".to_string())]);
        assert!(local_storage(later, &[("BUCKET", "")]).is_empty());
        // A switch on the test run reads no variable; static files may sit on disk.
        let testing = "STORAGES = {\n    'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage' if TESTING else 's3'},\n    'staticfiles': {'BACKEND': 'django.core.files.storage.FileSystemStorage'},\n}\n";
        assert!(local_storage(testing, &[]).is_empty());
        let block = "if not os.getenv('BUCKET'):\n    DEFAULT_FILE_STORAGE = 'django.core.files.storage.FileSystemStorage'\nelse:\n    DEFAULT_FILE_STORAGE = 's3'\n";
        assert_eq!(local_storage(block, &[]), [Some("BUCKET".to_string())]);
    }

    #[test]
    fn no_chain_without_apps_or_module() {
        // The default names a package that defines nothing: the host picks the module.
        let files = [
            (
                "conf/wsgi.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings')\n",
            ),
            ("conf/settings/__init__.py", "import os\n"),
            ("conf/settings/base.py", BASE),
        ];
        assert_eq!(chain(&files, &[]), None);
        assert_eq!(chain(&[("conf/settings/base.py", BASE)], &[]), None);
    }
}
