//! The environment the repository declares for production: what the host will set,
//! as far as the repository says. Rules read it to tell a default that production
//! overrides from one it runs with.

use super::dockerfile::Dockerfile;
use super::procfile::ProcessDecl;
use std::collections::BTreeMap;

/// Where a declared variable comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvSource {
    /// `env` of scalingo.json or app.json (the file's name).
    AppManifest(&'static str),
    /// An `ENV` instruction of the Dockerfile's final stage (its line).
    Dockerfile(usize),
    /// An assignment before a Procfile command (`web: NODE_ENV=production node a.js`).
    Procfile(String),
    /// `[production.env]` in twelve.toml: what the team sets on the host.
    Config,
}

impl EnvSource {
    pub fn describe(&self) -> String {
        match self {
            EnvSource::AppManifest(file) => format!("{file} env"),
            EnvSource::Dockerfile(line) => format!("Dockerfile ENV (line {line})"),
            EnvSource::Procfile(process) => format!("Procfile {process}:"),
            EnvSource::Config => "twelve.toml [production.env]".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The value, when the repository gives one (scalingo.json may give only a description).
    pub value: Option<String>,
    pub source: EnvSource,
}

/// Declared variables by name; the first source wins in the order of `declare`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredEnv {
    pub vars: BTreeMap<String, EnvVar>,
}

impl DeclaredEnv {
    /// Collects the declarations: twelve.toml first (the team's word), then the app
    /// manifests, the Procfile and the Dockerfile.
    pub fn declare(
        config: &BTreeMap<String, String>,
        app_manifests: &[(&'static str, &serde_json::Value)],
        procfile: Option<&[ProcessDecl]>,
        dockerfile: Option<&Dockerfile>,
    ) -> DeclaredEnv {
        let mut env = DeclaredEnv::default();
        for (name, value) in config {
            env.add(name, Some(value.clone()), EnvSource::Config);
        }
        for (file, json) in app_manifests {
            for (name, entry) in json
                .get("env")
                .and_then(|e| e.as_object())
                .into_iter()
                .flatten()
            {
                // `"X": "v"` or `"X": {"value": "v", "description": ...}`.
                let value = entry
                    .as_str()
                    .or_else(|| entry.get("value").and_then(|v| v.as_str()))
                    .map(String::from);
                env.add(name, value, EnvSource::AppManifest(file));
            }
        }
        for decl in procfile.into_iter().flatten() {
            for (name, value) in leading_assignments(&decl.command) {
                env.add(&name, Some(value), EnvSource::Procfile(decl.name.clone()));
            }
        }
        for (name, value, line) in dockerfile.map(Dockerfile::env).into_iter().flatten() {
            env.add(&name, Some(value), EnvSource::Dockerfile(line));
        }
        env
    }

    fn add(&mut self, name: &str, value: Option<String>, source: EnvSource) {
        self.vars
            .entry(name.to_string())
            .or_insert(EnvVar { value, source });
    }

    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.get(name)
    }

    /// Whether production sets `name` (with any value).
    pub fn declares(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
}

/// `A=1 B=two cmd ...` → [(A, 1), (B, two)]; also after `env`.
fn leading_assignments(command: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for word in command.split_whitespace() {
        if word == "env" && out.is_empty() {
            continue;
        }
        match word.split_once('=') {
            Some((name, value))
                if !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !name.as_bytes()[0].is_ascii_digit() =>
            {
                out.push((
                    name.to_string(),
                    value.trim_matches(['"', '\'']).to_string(),
                ));
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::procfile::parse_procfile;

    #[test]
    fn every_source_declares() {
        let config = BTreeMap::from([("SESSION_DRIVER".to_string(), "redis".to_string())]);
        let scalingo: serde_json::Value = serde_json::from_str(
            r#"{"env": {"SESSION_DRIVER": {"value": "file"}, "SECRET": {"description": "x"}, "LOG": "stderr"}}"#,
        )
        .unwrap();
        let procfile = parse_procfile(b"web: NODE_ENV=production PORT=$PORT node a.js --x=1\n");
        let dockerfile = Dockerfile::parse(b"FROM x\nENV CACHE_STORE=redis\n");
        let env = DeclaredEnv::declare(
            &config,
            &[("scalingo.json", &scalingo)],
            Some(&procfile),
            Some(&dockerfile),
        );
        let var = env.get("SESSION_DRIVER").unwrap();
        assert_eq!(
            (var.value.as_deref(), &var.source),
            (Some("redis"), &EnvSource::Config)
        );
        assert_eq!(env.get("SECRET").unwrap().value, None);
        assert_eq!(env.get("LOG").unwrap().value.as_deref(), Some("stderr"));
        assert_eq!(
            env.get("NODE_ENV").unwrap().source,
            EnvSource::Procfile("web".into())
        );
        assert!(env.declares("PORT") && !env.declares("--x"));
        assert_eq!(
            env.get("CACHE_STORE").unwrap().source,
            EnvSource::Dockerfile(2)
        );
    }
}
