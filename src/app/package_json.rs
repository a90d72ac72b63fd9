//! package.json, parsed once: scripts (with where each is written), `main`, engines,
//! the package manager and the dependency names.

use super::formats::{self, ParseError};
use std::collections::BTreeMap;

/// One entry of `scripts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub command: String,
    /// Byte offset of the command's string in the file; the text there differs from
    /// `command` when JSON escapes are used (`\"`), and readers check before pointing
    /// inside it.
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    /// `name`.
    pub name: Option<String>,
    /// Non-empty scripts, by name.
    pub scripts: BTreeMap<String, Script>,
    pub main: Option<String>,
    /// `engines.node`.
    pub engines_node: Option<String>,
    /// `packageManager` (e.g. `pnpm@9.1.0`).
    pub package_manager: Option<String>,
    /// Names under `dependencies`, lower case.
    pub dependencies: Vec<String>,
    /// Names under `devDependencies`, lower case.
    pub dev_dependencies: Vec<String>,
}

impl PackageJson {
    pub fn parse(text: &[u8]) -> Result<PackageJson, ParseError> {
        let value = formats::json(text)?;
        let string = |v: Option<&serde_json::Value>| {
            v.and_then(|s| s.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let names = |key: &str| -> Vec<String> {
            value
                .get(key)
                .and_then(|d| d.as_object())
                .map(|d| d.keys().map(|k| k.to_lowercase()).collect())
                .unwrap_or_default()
        };
        let scripts = value
            .get("scripts")
            .and_then(|s| s.as_object())
            .into_iter()
            .flatten()
            .filter_map(|(name, command)| {
                let command = string(Some(command))?;
                let offset = script_offset(text, name);
                Some((name.clone(), Script { command, offset }))
            })
            .collect();
        Ok(PackageJson {
            name: string(value.get("name")),
            scripts,
            main: string(value.get("main")),
            engines_node: string(value.pointer("/engines/node")),
            package_manager: string(value.get("packageManager")),
            dependencies: names("dependencies"),
            dev_dependencies: names("devDependencies"),
        })
    }

    /// The command of a script, by name.
    pub fn script(&self, name: &str) -> Option<&str> {
        self.scripts.get(name).map(|s| s.command.as_str())
    }

    /// Whether `npm start` has something to run: `scripts.start`, or `main`.
    pub fn declares_start(&self) -> bool {
        self.script("start").is_some() || self.main.is_some()
    }

    /// Whether `dependencies` or `devDependencies` name any package.
    pub fn has_dependencies(&self) -> bool {
        !self.dependencies.is_empty() || !self.dev_dependencies.is_empty()
    }
}

/// Byte offset of the value of `"scripts": {"<name>": "..."}`, found by text (serde_json
/// keeps no positions): the first `"<name>": "` after `"scripts"`.
fn script_offset(package_json: &[u8], name: &str) -> Option<usize> {
    let text = String::from_utf8_lossy(package_json);
    let scripts = text.find("\"scripts\"")?;
    let key = format!("\"{name}\"");
    let at = scripts + text[scripts..].find(&key)? + key.len();
    let rest = &text[at..];
    let colon = rest.trim_start().strip_prefix(':')?;
    let value = colon.trim_start().strip_prefix('"')?;
    Some(at + rest.len() - value.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_offsets() {
        let text = br#"{"name":"start","scripts": {"build":"x", "start" : "node a.js"}}"#;
        let at = script_offset(text, "start").unwrap();
        assert!(text[at..].starts_with(b"node a.js"));
        assert_eq!(script_offset(text, "prestart"), None);
        let package = PackageJson::parse(text).unwrap();
        assert_eq!(package.scripts["start"].offset, Some(at));
    }

    #[test]
    fn start_and_dependencies() {
        let package = PackageJson::parse(
            br#"{"scripts":{"start":"node server.js","dev":" "},"engines":{"node":"22.x"},
                 "dependencies":{"Express":"4"},"devDependencies":{"jest":"1"}}"#,
        )
        .unwrap();
        assert_eq!(package.script("start"), Some("node server.js"));
        assert_eq!(package.script("dev"), None, "blank scripts are no scripts");
        assert_eq!(package.engines_node.as_deref(), Some("22.x"));
        assert_eq!(package.dependencies, ["express"]);
        assert!(package.declares_start() && package.has_dependencies());
        assert_eq!(
            PackageJson::parse(br#"{"main":" "}"#).unwrap(),
            PackageJson::default()
        );
        assert!(PackageJson::parse(b"{").is_err());
    }

    #[test]
    fn escaped_scripts_point_at_their_string() {
        let text = br#"{"scripts":{"start":"node \"a.js\""}}"#;
        let package = PackageJson::parse(text).unwrap();
        assert_eq!(package.scripts["start"].offset, Some(21));
        assert_eq!(package.scripts["start"].command, "node \"a.js\"");
    }
}
