//! `malformed-manifest`: a manifest the host or the build reads (package.json, Procfile,
//! pyproject.toml, docker-compose.yml...) that does not parse. The finding points at the
//! line the parser names; the rest of the scan goes on.

use crate::app::formats::{self, line_start};
use crate::app::procfile::procfile_problems;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Toml,
    Yaml,
    Procfile,
}

/// Which format a manifest is in, from its path; `None` for files that are not
/// manifests (any JSON or YAML file may be a template or a test case, so only files
/// whose names the hosts and build tools read are parsed: platforms.md §9).
fn manifest_format(rel_path: &str) -> Option<Format> {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    let stem = name.split('.').next().unwrap_or(name);
    match name {
        "Procfile" => Some(Format::Procfile),
        "package.json" | "composer.json" | "app.json" | "scalingo.json" | "cron.json" => {
            Some(Format::Json)
        }
        "pyproject.toml" | "Pipfile" | "Cargo.toml" | "mise.toml" => Some(Format::Toml),
        _ if rel_path.starts_with("clevercloud/") && CLEVER_FILES.contains(&name) => {
            Some(Format::Json)
        }
        _ if yaml && yaml_manifest(stem) => Some(Format::Yaml),
        _ => None,
    }
}

/// The JSON files Clever Cloud reads in `clevercloud/` (platforms.md §2.2, §2.9), the
/// legacy `php.json` and `python.json` included.
const CLEVER_FILES: &[&str] = &[
    "cron.json",
    "maven.json",
    "gradle.json",
    "jar.json",
    "war.json",
    "sbt.json",
    "http.json",
    "ssh.json",
    "buckets.json",
    "php.json",
    "python.json",
];

/// `app`, `serverless`, and `compose`, `docker-compose` and `application` with or
/// without a `-suffix` (`application-prod`, `docker-compose-dev`).
fn yaml_manifest(stem: &str) -> bool {
    let suffixed = |name: &str| {
        stem.strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
    };
    matches!(stem, "app" | "serverless")
        || ["docker-compose", "compose", "application"]
            .into_iter()
            .any(suffixed)
}

/// A finding for a manifest of `file` that does not parse, if any.
pub fn malformed(rule: &Rule, file: &SourceFile) -> Vec<Finding> {
    if !rule.applies_to(&file.rel_path, file.language, file.role) {
        return Vec::new();
    }
    let Some(format) = manifest_format(&file.rel_path) else {
        return Vec::new();
    };
    problems(format, &file.text)
        .into_iter()
        .map(|(offset, reason)| {
            let (start, end) = one_char(&file.text, offset);
            let label = format!("{} {reason}", file.rel_path);
            rule.finding(
                &file.rel_path,
                file.locate(start, end),
                rule.message(Some(&label)),
            )
        })
        .collect()
}

/// Byte offsets and reasons of the parse problems of `text` (at most one, except for a
/// Procfile, where each bad line is its own problem).
fn problems(format: Format, text: &[u8]) -> Vec<(usize, String)> {
    if format == Format::Procfile {
        return procfile_problems(text)
            .into_iter()
            .map(|(line, reason)| (line_start(text, line), reason.to_string()))
            .collect();
    }
    // Templated files (ERB, Jinja, Helm) are valid only once rendered.
    if contains(text, b"<%") || contains(text, b"{{") {
        return Vec::new();
    }
    let error = match format {
        Format::Json => formats::json(text).err(),
        Format::Toml => formats::toml(text).err(),
        Format::Yaml => formats::yaml_error(text),
        Format::Procfile => None,
    };
    error.map(|e| (e.offset, e.reason)).into_iter().collect()
}

/// The span of the character at `offset` (empty at a line end or the end of the text).
fn one_char(text: &[u8], offset: usize) -> (usize, usize) {
    match text.get(offset) {
        Some(b'\n' | b'\r') | None => (offset, offset),
        Some(_) => {
            let mut end = offset + 1;
            while text
                .get(end)
                .is_some_and(|b| b & 0b1100_0000 == 0b1000_0000)
            {
                end += 1;
            }
            (offset, end)
        }
    }
}

fn contains(text: &[u8], needle: &[u8]) -> bool {
    text.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(format: Format, text: &str) -> Option<(usize, String)> {
        problems(format, text.as_bytes()).into_iter().next()
    }

    #[test]
    fn manifests_by_name() {
        assert_eq!(manifest_format("package.json"), Some(Format::Json));
        assert_eq!(manifest_format("web/package.json"), Some(Format::Json));
        assert_eq!(manifest_format("clevercloud/php.json"), Some(Format::Json));
        assert_eq!(manifest_format("clevercloud/older_cron.json"), None);
        assert_eq!(manifest_format("src/data.json"), None);
        assert_eq!(
            manifest_format("docker-compose.prod.yml"),
            Some(Format::Yaml)
        );
        assert_eq!(
            manifest_format("config/application-dev.yaml"),
            Some(Format::Yaml)
        );
        assert_eq!(manifest_format(".github/workflows/ci.yml"), None);
        assert_eq!(manifest_format("pyproject.toml"), Some(Format::Toml));
        assert_eq!(manifest_format("Procfile"), Some(Format::Procfile));
    }

    #[test]
    fn templated_files_are_not_judged() {
        assert_eq!(
            first(Format::Yaml, "password: <%= ENV['X'] %>\n  - {\n"),
            None
        );
        let (offset, reason) = first(Format::Json, "{\n  \"a\" 1\n}").unwrap();
        assert_eq!(
            (offset, reason.as_str()),
            (8, "is not valid JSON: expected `:`")
        );
    }

    #[test]
    fn offsets_clamp() {
        assert_eq!(one_char("é".as_bytes(), 0), (0, 2));
    }
}
