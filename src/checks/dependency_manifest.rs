//! Factor II, `missing-dependency-manifest`: production code of a stack imports
//! third-party packages, and no dependency manifest of that stack exists anywhere in the
//! repository, so nothing declares what the code needs.

use super::{PerLanguage, per_language};
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::{FileFacts, RepoFacts};
use crate::rules::Rule;
use crate::source::SourceFile;

/// So many files must import packages: one stray script is not an app.
const MIN_FILES: usize = 3;

/// Node's own modules, which need no manifest.
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "buffer",
    "child_process",
    "cluster",
    "crypto",
    "dgram",
    "dns",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "querystring",
    "readline",
    "stream",
    "string_decoder",
    "timers",
    "tls",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "worker_threads",
    "zlib",
];

fn stack_of(language: Language) -> Option<&'static str> {
    Some(match language {
        Language::Javascript | Language::Typescript => "node",
        Language::Python => "python",
        Language::Ruby => "ruby",
        Language::Php => "php",
        Language::Go => "go",
        _ => return None,
    })
}

/// Imports of third-party packages, the package name in `pkg`. For Python, Ruby and PHP
/// only well-known packages count, since local modules look the same.
fn import_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r#"(?:\brequire\(\s*|^\s*import\s[^'"\n;]*?\bfrom\s*|^\s*import\s*)['"](?P<pkg>@?[a-z][\w.-]*)(?:/[^'"]*)?['"]"#
        }
        Language::Python => {
            r"^\s*(?:from|import)\s+(?P<pkg>flask|django|fastapi|requests|numpy|pandas|sqlalchemy|celery|boto3|redis|psycopg2?|pydantic|uvicorn|gunicorn|jinja2|yaml|bs4|click|aiohttp|starlette|werkzeug|pymongo|httpx|dotenv|stripe|sentry_sdk)\b"
        }
        Language::Ruby => {
            r#"^\s*require\s+['"](?P<pkg>sinatra|rails|rack|sequel|pg|redis|sidekiq|puma|httparty|nokogiri|activerecord)['"]"#
        }
        Language::Php => {
            r"^\s*use\s+(?P<pkg>Illuminate|Symfony|GuzzleHttp|Monolog|Doctrine|Slim|Laminas)\\"
        }
        Language::Go => {
            r#"^\s*(?:import\s+)?(?:[\w.]+\s+)?"(?P<pkg>(?:github\.com|golang\.org/x|gopkg\.in)/[^"]+)""#
        }
        _ => return None,
    }))
}

pub fn import_facts(rule: &Rule, file: &SourceFile, facts: &mut FileFacts) {
    static IMPORTS: PerLanguage = PerLanguage::new();
    let (Some(stack), Some(imports)) = (
        stack_of(file.language),
        per_language(&IMPORTS, import_pattern, file.language),
    ) else {
        return;
    };
    // Scripts for the browser are bundled from elsewhere or loaded as they are.
    if stack == "node" && super::signals::in_browser_folder(&file.rel_path) {
        return;
    }
    let found = imports.captures_iter(&file.masked).find_map(|caps| {
        let pkg = caps.name("pkg")?;
        let name = String::from_utf8_lossy(pkg.as_bytes());
        let builtin = stack == "node" && NODE_BUILTINS.contains(&name.as_ref());
        (!builtin).then_some((pkg.start(), pkg.end(), name.into_owned()))
    });
    if let Some((start, end, name)) = found {
        let message = format!(
            "this code imports the package `{name}`, and no dependency manifest of its stack exists in the repository"
        );
        let finding = rule.finding(&file.rel_path, file.locate(start, end), message);
        facts.package_import = Some((stack, finding));
    }
}

pub fn missing_dependency_manifest(_rule: &Rule, facts: &RepoFacts) -> Vec<Finding> {
    facts
        .package_imports
        .iter()
        .filter(|(stack, (files, _))| {
            *files >= MIN_FILES && !facts.manifest_stacks.contains(*stack)
        })
        // PHP and Go code may vendor its dependencies instead, which the factor allows.
        .filter(|(stack, _)| !(facts.vendored && matches!(**stack, "php" | "go")))
        .map(|(_, (_, first))| first.clone())
        .collect()
}
