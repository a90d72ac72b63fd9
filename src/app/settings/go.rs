//! Go: the defaults a config package writes in a struct literal (`config/config.go`:
//! `Port: 80`, `Bind: "localhost"`, `Dialect: "sqlite3"`, `UploadsDir: "data/uploads"`).
//! They are what production runs with unless the file reads the value from the
//! environment: `PORT` for the port (a host sets `PORT`, not the app's own prefixed
//! variable), and any environment read (os.Getenv, envconfig, viper's AutomaticEnv,
//! configor's ENV prefix) for the other values.

use super::{Context, Framework, Key, Setting, masked};
use std::sync::LazyLock;

pub fn is_config_file(tail: &str) -> bool {
    let (dir, name) = tail.rsplit_once('/').unwrap_or(("", tail));
    name.ends_with(".go")
        && !name.ends_with("_test.go")
        && (name == "config.go" || dir == "config" || dir.ends_with("/config"))
}

static FIELD: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"(?m)^[ \t]+([A-Z]\w*)[ \t]*:[ \t]*("[^"\n]*"|\d+)[ \t]*,"#)
});
static READS_PORT: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"(?:Getenv|LookupEnv)\(\s*"PORT"\s*\)|envconfig:"PORT"|env:"PORT""#)
});
static READS_ENV: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"os\.Getenv|os\.LookupEnv|AutomaticEnv|envconfig|configor|env:""#)
});

pub fn resolve(ctx: &Context) -> Vec<Setting> {
    let mut out = Vec::new();
    for (file, bytes) in ctx.files(|rel| rel.ends_with(".go")) {
        let text = String::from_utf8_lossy(&masked(file, bytes)).into_owned();
        let reads_port = READS_PORT.is_match(&text);
        let reads_env = READS_ENV.is_match(&text);
        // The first `Port:` is the server's; later ones belong to nested parts (TLS).
        let mut port_seen = false;
        for caps in FIELD.captures_iter(&text) {
            let field = &caps[1];
            let raw = caps.get(2).expect("group");
            let value = raw.as_str().trim_matches('"').to_string();
            let lower = field.to_ascii_lowercase();
            let (key, local, detail) = match lower.as_str() {
                "port"
                    if !std::mem::replace(&mut port_seen, true)
                        && !reads_port
                        && value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    (
                        Key::Port,
                        true,
                        format!("port {value} from the config defaults, and PORT is never read"),
                    )
                }
                "bind" | "host" | "listen" | "address" | "addr"
                    if !reads_env && matches!(value.as_str(), "localhost" | "127.0.0.1") =>
                {
                    (
                        Key::ListenHost,
                        true,
                        format!("the listen address `{value}` from the config defaults"),
                    )
                }
                "dialect" | "driver" | "dbtype" | "type" if value.starts_with("sqlite") => (
                    Key::DatabaseEngine,
                    true,
                    format!("an SQLite database (`{field}: \"{value}\"` in the config defaults)"),
                ),
                _ if (lower.ends_with("dir")
                    || lower.ends_with("folder")
                    || lower.ends_with("path"))
                    && ["upload", "image", "media", "attachment", "file"]
                        .iter()
                        .any(|w| lower.contains(w))
                    && !value.is_empty() =>
                {
                    (
                        Key::StorageDefault,
                        true,
                        format!(
                            "uploads in `{value}` on the container's disk (`{field}` in the config defaults)"
                        ),
                    )
                }
                _ => continue,
            };
            out.push(Setting {
                key,
                framework: Framework::Go,
                value,
                file: file.to_string(),
                span: (
                    caps.get(0).expect("match").start() + caps[0].len()
                        - caps[0].trim_start().len(),
                    raw.end(),
                ),
                variable: None,
                local,
                detail,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;

    #[test]
    fn struct_literal_defaults() {
        let config = "package config\n\nfunc New() *Config {\n\treturn &Config{\n\t\tServer: Server{\n\t\t\tPort: 8080,\n\t\t\tBind: \"localhost\",\n\t\t\tTLS: TLS{\n\t\t\t\tPort: 443,\n\t\t\t},\n\t\t},\n\t\tDatabase: Database{\n\t\t\tDialect: \"sqlite3\",\n\t\t},\n\t\tUploadedImagesDir: \"data/images\",\n\t\tName: \"app\",\n\t}\n}\n";
        let facts = test_facts(&[("config/config.go", config)]);
        let env = DeclaredEnv::default();
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        let keys: Vec<_> = found.iter().map(|s| s.key).collect();
        assert_eq!(
            keys,
            [
                Key::Port,
                Key::ListenHost,
                Key::DatabaseEngine,
                Key::StorageDefault
            ]
        );
        let reads = config.replace(
            "package config\n",
            "package config\n\nvar port = os.Getenv(\"PORT\")\n",
        );
        let facts = test_facts(&[("config/config.go", &reads)]);
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        assert!(found.iter().all(|s| s.key != Key::Port));
    }
}
