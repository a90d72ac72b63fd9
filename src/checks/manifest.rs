//! `malformed-manifest`: a manifest the host or the build reads (package.json, Procfile,
//! pyproject.toml, docker-compose.yml...) that does not parse. The finding points at the
//! line the parser names; the rest of the scan goes on.

use super::start::procfile_problems;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::source::SourceFile;
use serde::Deserialize;

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    let skip = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[skip..];
    let error = match format {
        Format::Json => json_error(body),
        Format::Toml => toml_error(body),
        Format::Yaml => yaml_error(body),
        Format::Procfile => None,
    };
    error
        .map(|(offset, reason)| (skip + offset.min(body.len()), reason))
        .into_iter()
        .collect()
}

fn json_error(text: &[u8]) -> Option<(usize, String)> {
    let err = serde_json::from_slice::<serde::de::IgnoredAny>(text).err()?;
    let offset = offset_of(text, err.line(), err.column());
    Some((
        offset,
        format!("is not valid JSON: {}", reason(&err.to_string())),
    ))
}

fn toml_error(text: &[u8]) -> Option<(usize, String)> {
    let text = match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(err) => return Some((err.valid_up_to(), "is not valid UTF-8".into())),
    };
    let err = toml::from_str::<toml::Table>(text).err()?;
    let offset = err.span().map_or(0, |span| span.start);
    Some((
        offset,
        format!("is not valid TOML: {}", reason(err.message())),
    ))
}

fn yaml_error(text: &[u8]) -> Option<(usize, String)> {
    for document in serde_norway::Deserializer::from_slice(text) {
        if let Err(err) = serde::de::IgnoredAny::deserialize(document) {
            let offset = err
                .location()
                .map_or(0, |at| offset_of(text, at.line(), at.column()));
            return Some((
                offset,
                format!("is not valid YAML: {}", reason(&err.to_string())),
            ));
        }
    }
    None
}

/// The parser's message, first line, without its own "at line N column M".
fn reason(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    let mut chars = cut.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "unknown error".into(),
    }
}

/// Byte offset of a 1-based line and 1-based character column; 0 means the start.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let start = line_start(text, line);
    let rest = &text[start..];
    let line_len = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let chars = String::from_utf8_lossy(&rest[..line_len]);
    let bytes: usize = chars
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    start + bytes.min(line_len)
}

/// Byte offset where the 1-based line `line` starts (lines end with `\n`).
fn line_start(text: &[u8], line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
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
    fn json_error_points_at_the_bad_character() {
        let text = "{\n  \"name\": \"app\",\n  \"main\" \"server.js\"\n}\n";
        let (offset, reason) = first(Format::Json, text).unwrap();
        assert_eq!(&text[offset..offset + 1], "\"");
        assert_eq!(offset, text.find("\"server.js").unwrap());
        assert_eq!(reason, "is not valid JSON: expected `:`");
    }

    #[test]
    fn json_with_a_bom_parses() {
        assert_eq!(first(Format::Json, "\u{FEFF}{\"a\": 1}"), None);
        let (offset, _) = first(Format::Json, "\u{FEFF}{\"a\" 1}").unwrap();
        assert_eq!(offset, 3 + 5);
    }

    #[test]
    fn toml_and_yaml_errors() {
        let (offset, reason) = first(Format::Toml, "[project]\nname = \n").unwrap();
        assert_eq!(offset, 17);
        assert!(reason.starts_with("is not valid TOML: "), "{reason}");
        let yaml = "services:\n  web:\n    image: x\n   ports: [80\n";
        let (offset, reason) = first(Format::Yaml, yaml).unwrap();
        assert!(reason.starts_with("is not valid YAML: "), "{reason}");
        assert!(offset > yaml.find("image").unwrap(), "{offset}");
        assert_eq!(first(Format::Yaml, "a: 1\n---\nb: 2\n"), None);
        assert_eq!(
            first(Format::Yaml, "password: <%= ENV['X'] %>\n  - {\n"),
            None
        );
    }

    #[test]
    fn invalid_utf8_toml() {
        let (offset, reason) = problems(Format::Toml, b"name = \"\xff\"\n").remove(0);
        assert_eq!((offset, reason.as_str()), (8, "is not valid UTF-8"));
    }

    #[test]
    fn offsets_clamp() {
        assert_eq!(offset_of(b"ab\ncd", 2, 99), 5);
        assert_eq!(offset_of(b"ab\ncd", 9, 1), 5);
        assert_eq!(offset_of(b"ab", 1, 0), 0);
        assert_eq!(one_char("é".as_bytes(), 0), (0, 2));
    }
}
