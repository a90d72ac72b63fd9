//! The dependency manifests of each stack, parsed once: composer.json, go.mod, the
//! Gemfile, pyproject.toml, Pipfile, requirements.txt and Maven/Gradle builds. Names
//! are lower case (Python names with `-` for `_`), as the hosts compare them.

use super::formats::{self, ParseError};

/// composer.json.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composer {
    /// Names under `require`.
    pub require: Vec<String>,
    /// `require.php`.
    pub php: Option<String>,
    /// `extra.paas.compile`: commands Scalingo's PHP buildpack runs at the end of the
    /// build, each with the byte offset of its string in the file.
    pub compile: Vec<(String, Option<usize>)>,
}

impl Composer {
    pub fn parse(text: &[u8]) -> Result<Composer, ParseError> {
        let value = formats::json(text)?;
        let require = value.get("require").and_then(|r| r.as_object());
        Ok(Composer {
            require: require
                .map(|r| r.keys().map(|k| k.to_lowercase()).collect())
                .unwrap_or_default(),
            php: value
                .pointer("/require/php")
                .and_then(|v| v.as_str())
                .map(String::from),
            compile: compile_commands(text, &value),
        })
    }

    /// Whether it requires packages besides PHP itself and its extensions.
    pub fn requires_packages(&self) -> bool {
        self.require
            .iter()
            .any(|k| k != "php" && !k.starts_with("ext-"))
    }
}

/// `extra.paas.compile`, located by text (serde_json keeps no positions): each command's
/// JSON string, in order, after the `"compile"` key.
fn compile_commands(text: &[u8], value: &serde_json::Value) -> Vec<(String, Option<usize>)> {
    let Some(commands) = value
        .pointer("/extra/paas/compile")
        .and_then(|c| c.as_array())
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(text);
    let mut from = text.find("\"compile\"");
    commands
        .iter()
        .filter_map(|c| c.as_str())
        .map(|command| {
            let encoded = serde_json::to_string(command).unwrap_or_default();
            let at = from.and_then(|f| text[f..].find(&encoded).map(|i| f + i));
            from = at.map(|a| a + encoded.len()).or(from);
            (command.to_string(), at.map(|a| a + 1))
        })
        .collect()
}

/// go.mod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoMod {
    pub module: Option<String>,
    /// The `go` directive.
    pub go: Option<String>,
    pub requires: Vec<String>,
}

impl GoMod {
    pub fn parse(text: &str) -> GoMod {
        let mut gomod = GoMod::default();
        let mut in_block = false;
        for line in text.lines() {
            let line = line.trim();
            if in_block {
                if line.starts_with(')') {
                    in_block = false;
                } else if let Some(path) = line.split_whitespace().next()
                    && !path.starts_with("//")
                {
                    gomod.requires.push(path.to_lowercase());
                }
            } else if let Some(rest) = line.strip_prefix("require") {
                let rest = rest.trim();
                if rest.starts_with('(') {
                    in_block = true;
                } else if let Some(path) = rest.split_whitespace().next() {
                    gomod.requires.push(path.to_lowercase());
                }
            } else if let Some(module) = line.strip_prefix("module ") {
                gomod.module = Some(module.trim().trim_matches('"').to_string());
            } else if let Some(go) = line.strip_prefix("go ") {
                gomod.go = Some(go.trim().to_string());
            }
        }
        gomod
    }

    /// The binary `go build` makes: the module path's last part.
    pub fn binary(&self) -> Option<String> {
        self.module
            .as_deref()
            .and_then(|m| m.rsplit('/').next())
            .map(String::from)
    }
}

/// The Gemfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gemfile {
    pub gems: Vec<String>,
    /// The `ruby` line's version (or `file: ".ruby-version"`).
    pub ruby: Option<String>,
}

impl Gemfile {
    pub fn parse(text: &str) -> Gemfile {
        let mut gemfile = Gemfile::default();
        for line in text.lines() {
            let line = line.trim();
            if let Some(ruby) = line.strip_prefix("ruby ") {
                gemfile
                    .ruby
                    .get_or_insert_with(|| ruby.split(',').next().unwrap_or("").trim().to_string());
            } else if let Some(name) = gem_name(line) {
                gemfile.gems.push(name);
            }
        }
        gemfile
    }
}

fn gem_name(line: &str) -> Option<String> {
    let rest = line.strip_prefix("gem")?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let name = rest[1..].split(quote).next()?;
    Some(name.to_lowercase())
}

/// pyproject.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pyproject {
    /// Whether it declares a project (`[project]` or `[tool.poetry]`), not only tool settings.
    pub declares_project: bool,
    pub dependencies: Vec<String>,
}

impl Pyproject {
    pub fn parse(text: &[u8]) -> Result<Pyproject, ParseError> {
        let table = formats::toml(text)?;
        let poetry = table.get("tool").and_then(|t| t.get("poetry"));
        let project = table.get("project");
        let mut dependencies = table_keys(poetry.and_then(|p| p.get("dependencies")));
        let listed = project
            .and_then(|p| p.get("dependencies"))
            .and_then(|d| d.as_array());
        for item in listed.into_iter().flatten() {
            dependencies.extend(item.as_str().and_then(python_requirement));
        }
        Ok(Pyproject {
            declares_project: poetry.is_some() || project.is_some(),
            dependencies,
        })
    }
}

/// The package names under Pipfile's `[packages]`.
pub fn pipfile_packages(text: &[u8]) -> Result<Vec<String>, ParseError> {
    let table = formats::toml(text)?;
    Ok(table_keys(table.get("packages")))
}

fn table_keys(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(|v| v.as_table())
        .map(|t| {
            t.keys()
                .map(|k| k.to_lowercase().replace('_', "-"))
                .collect()
        })
        .unwrap_or_default()
}

/// One requirement line of requirements.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    /// Span of the requirement (without comment or continuation) in the file.
    pub span: (usize, usize),
    /// Pinned with `==`, or installed from a URL or VCS.
    pub pinned: bool,
}

/// requirements.txt; options (`-r base.txt`), comments and blank lines are not requirements.
pub fn requirements(text: &[u8]) -> Vec<Requirement> {
    let mut offset = 0;
    let mut out = Vec::new();
    for raw in text.split_inclusive(|b| *b == b'\n') {
        let start = offset;
        offset += raw.len();
        let line = String::from_utf8_lossy(raw);
        let code = line.split(" #").next().unwrap_or("").trim_end();
        let trimmed = code.trim_start();
        if !trimmed.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        let Some(name) = python_requirement(trimmed) else {
            continue;
        };
        let pinned = trimmed.contains("==")
            || trimmed.contains(" @ ")
            || trimmed.contains("://")
            || trimmed.starts_with("git+");
        let lead = code.len() - trimmed.len();
        let end = start + lead + trimmed.trim_end_matches('\\').trim_end().len();
        out.push(Requirement {
            name,
            span: (start + lead, end),
            pinned,
        });
    }
    out
}

/// The package name of a requirement (`psycopg[binary]==3.2` → `psycopg`).
pub fn python_requirement(line: &str) -> Option<String> {
    let line = line.split('#').next()?.trim();
    if line.is_empty() || line.starts_with('-') {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(line.len());
    (end > 0).then(|| line[..end].to_lowercase().replace('_', "-"))
}

/// Artifact names of a Maven pom.xml or a Gradle build (`group:artifact:version` strings).
pub fn java_artifacts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split("<artifactId>").skip(1) {
        if let Some(id) = part.split("</artifactId>").next() {
            out.push(id.trim().to_lowercase());
        }
    }
    for quoted in text.split(['"', '\'']).skip(1).step_by(2) {
        let pieces: Vec<&str> = quoted.split(':').collect();
        if pieces.len() >= 2 && !pieces[0].contains(' ') && pieces[0].contains('.') {
            out.push(pieces[1].to_lowercase());
        }
    }
    out
}

/// The `<module>` entries of a Maven pom.xml (a multi-module build).
pub fn maven_modules(text: &str) -> Vec<String> {
    text.split("<module>")
        .skip(1)
        .filter_map(|part| part.split("</module>").next())
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpinned_requirements() {
        let text = b"# c\n-r base.txt\nDjango==5.1 \\\n    --hash=sha256:abc\npkg @ https://x/y.whl\nrequests>=2\n";
        let reqs = requirements(text);
        let names: Vec<(&str, bool)> = reqs.iter().map(|r| (r.name.as_str(), r.pinned)).collect();
        assert_eq!(
            names,
            [("django", true), ("pkg", true), ("requests", false)]
        );
        let (start, end) = reqs[2].span;
        assert_eq!(&text[start..end], b"requests>=2");
        assert!(requirements(b"flask==3.0 # web\n")[0].pinned);
    }

    #[test]
    fn manifests() {
        let gomod = GoMod::parse(
            "module github.com/acme/notes-api\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.2\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.0.0\n)\n",
        );
        assert_eq!(gomod.binary().as_deref(), Some("notes-api"));
        assert_eq!(gomod.go.as_deref(), Some("1.22"));
        assert_eq!(gomod.requires.len(), 2);
        let gemfile = Gemfile::parse("ruby '3.3.6'\ngem \"rails\", \"~> 7.2\"\n");
        assert_eq!(gemfile.ruby.as_deref(), Some("'3.3.6'"));
        assert_eq!(gemfile.gems, ["rails"]);
        let composer = Composer::parse(br#"{"require":{"php":"^8.2","ext-pdo":"*"}}"#).unwrap();
        assert!(!composer.requires_packages());
        assert_eq!(composer.php.as_deref(), Some("^8.2"));
        let text =
            br#"{"extra": {"paas": {"compile": ["yarn install", "php bin/console d:m:m"]}}}"#;
        let composer = Composer::parse(text).unwrap();
        let at = composer.compile[1].1.unwrap();
        assert_eq!(composer.compile[1].0, "php bin/console d:m:m");
        assert!(text[at..].starts_with(b"php bin/console"));
        let project = Pyproject::parse(b"[project]\ndependencies = [\"Flask>=3\"]\n").unwrap();
        assert!(project.declares_project);
        assert_eq!(project.dependencies, ["flask"]);
        assert!(!Pyproject::parse(b"[tool.ruff]\n").unwrap().declares_project);
        assert_eq!(
            maven_modules("<modules><module>api</module><module> web </module></modules>"),
            ["api", "web"]
        );
    }
}
