//! Factor II, `missing-dependency-manifest`: production code of a stack imports
//! third-party packages, and no dependency manifest of that stack exists anywhere in the
//! repository, so nothing declares what the code needs.

use super::{Gate, PerLanguage, Seen, per_language};
use crate::app::App;
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::repo::RepoFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::walk::SkipReason;

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
/// only well-known packages count, since local modules look the same. An `import` must
/// open its line (`import_facts` checks it): the JS and Python patterns start at the word,
/// not at `^\s*`, so that the regex engine can skip to the literal (4x faster).
fn import_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r#"(?:\brequire\(\s*|\bimport\s[^'"\n;]*?\bfrom\s*|\bimport\s*)['"](?P<pkg>@[a-z][\w.-]*/[\w.-]+|[a-z][\w.-]*)(?:/[^'"]*)?['"]"#
        }
        Language::Python => {
            r"\b(?:from|import)\s+(?P<pkg>flask|django|fastapi|requests|numpy|pandas|sqlalchemy|celery|boto3|redis|psycopg2?|pydantic|uvicorn|gunicorn|jinja2|yaml|bs4|click|aiohttp|starlette|werkzeug|pymongo|httpx|dotenv|stripe|sentry_sdk)\b"
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

pub fn import_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
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
    if !seen.any(Gate::GoImport) {
        return;
    }
    let found = imports.captures_iter(&file.masked).find_map(|caps| {
        let whole = caps.get(0)?;
        if !whole.as_bytes().starts_with(b"require(") && !opens_line(&file.masked, whole.start()) {
            return None;
        }
        let pkg = caps.name("pkg")?;
        let name = String::from_utf8_lossy(pkg.as_bytes());
        let builtin = stack == "node" && NODE_BUILTINS.contains(&name.as_ref());
        (!builtin).then_some((pkg.start(), pkg.end(), name.into_owned()))
    });
    if let Some((start, end, name)) = found {
        // The repository check adds what the scan saw of the stack's manifests.
        let message = format!("this code imports the package `{name}`");
        let finding = rule.finding(&file.rel_path, file.locate(start, end), message);
        facts.package_import = Some((stack, finding));
    }
}

/// Whether only blanks come before `offset` on its line.
fn opens_line(text: &[u8], offset: usize) -> bool {
    text[..offset]
        .iter()
        .rev()
        .take_while(|b| **b != b'\n' && **b != b'\r')
        .all(|b| *b == b' ' || *b == b'\t')
}

pub fn missing_dependency_manifest(_rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    facts
        .package_imports
        .iter()
        .filter(|(stack, (files, _))| {
            *files >= MIN_FILES && !facts.manifest_stacks.contains(*stack)
        })
        // PHP and Go code may vendor its dependencies instead, which the factor allows.
        .filter(|(stack, _)| !(facts.vendored && matches!(**stack, "php" | "go")))
        .filter_map(|(stack, (files, first))| {
            let seen = manifest_seen(stack, facts)?;
            let mut finding = first.clone();
            finding.message = format!(
                "{} (one of {files} production files that import packages), and {seen}",
                finding.message
            );
            Some(finding)
        })
        .collect()
}

/// What the scan established about the manifests of `stack`, for the message; `None`
/// when one exists but was not read (too large, excluded): nothing is missing then.
fn manifest_seen(stack: &str, facts: &RepoFacts) -> Option<String> {
    let names: Vec<&str> = crate::repo::DEPENDENCY_MANIFESTS
        .iter()
        .filter(|(_, s)| *s == stack)
        .map(|(name, _)| *name)
        .collect();
    match facts.skipped_manifests.get(stack) {
        Some((rel, SkipReason::GitIgnored)) => Some(format!(
            "its manifest `{rel}` is ignored by git and not tracked, so a deploy does not include it"
        )),
        Some(_) => None,
        None => Some(format!(
            "none of the scanned files is a {}",
            names.join(" or ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Role;

    fn imported(path: &str, language: Language, code: &str) -> Option<String> {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let rule = registry.get("missing-dependency-manifest").expect("rule");
        let file = SourceFile::new(path.into(), language, Role::Source, code.into());
        let mut facts = FileFacts::default();
        let present = crate::detect::keywords_present(&registry, &file);
        let seen = super::Seen::new(&registry, file.language, &present);
        import_facts(rule, &file, &seen, &mut facts);
        facts.package_import.map(|(_, f)| f.message)
    }

    #[test]
    fn imports_count_where_they_open_a_line() {
        let js = Language::Javascript;
        assert!(imported("app.js", js, "  import express from 'express';\n").is_some());
        assert!(imported("app.js", js, "const a = 1; const e = require('express');\n").is_some());
        assert!(imported("app.js", js, "run(); import x from 'lodash';\n").is_none());
        assert!(imported("app.js", js, "import fs from 'fs';\n").is_none());
        let scoped = imported("app.ts", js, "import { Module } from '@nestjs/common';\n");
        assert_eq!(
            scoped.as_deref(),
            Some("this code imports the package `@nestjs/common`")
        );
        let py = Language::Python;
        assert!(imported("app.py", py, "def f():\n    from flask import Flask\n").is_some());
        assert!(imported("app.py", py, "x = 1; import flask\n").is_none());
        assert!(imported("app.py", py, "import os\n").is_none());
    }
}
