//! Django: the settings module production loads, and the modules it star-imports
//! (`from .base import *`), in load order. The module is DJANGO_SETTINGS_MODULE as
//! production declares it, else the default wsgi.py, asgi.py or manage.py sets. A
//! chain that defines no INSTALLED_APPS is not the real settings (the host's
//! environment then names another module): no chain, and every settings file counts.

use super::{Context, Resolved};
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
