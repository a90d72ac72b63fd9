//! Spring Boot: application.properties / application.yml and their profile files
//! (`application-prod.properties`), wherever the build copies them from. The base file
//! applies to every profile; a profile file overrides it. Production is the base file
//! with every profile that is not named for development or tests (a staging or an
//! integration profile is a deployment too). `${VAR:default}` is the default unless
//! production declares VAR.

use super::flat::{Entry, yaml};
use super::spring_migrations::{self, MIGRATION_TOOLS};
use super::{Context, Framework, Key, Resolved, Setting, is_local_host};
use std::collections::BTreeMap;

const EXTENSIONS: &[&str] = &[".properties", ".yml", ".yaml"];

/// `application.yml`, `application-prod.properties`; not development or test profiles.
pub fn is_properties_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some(stem) = EXTENSIONS.iter().find_map(|e| name.strip_suffix(e)) else {
        return false;
    };
    match stem.strip_prefix("application") {
        Some("") => true,
        Some(profile) => profile
            .strip_prefix('-')
            .is_some_and(|p| !p.is_empty() && !development_profile(p)),
        None => false,
    }
}

fn development_profile(profile: &str) -> bool {
    let lower = profile.to_ascii_lowercase();
    ["dev", "local", "test", "h2", "docker", "ci", "e2e"]
        .iter()
        .any(|w| lower.starts_with(w) || lower.split(['-', '_']).any(|p| p == *w))
}

/// Every kept Spring file, wherever the build copies it from.
pub fn resolve(ctx: &Context) -> Vec<Setting> {
    let files = ctx.files(is_properties_file);
    if files.is_empty() {
        return Vec::new();
    }
    let mut out = super::spring_logging::resolve(ctx, development_profile);
    let parsed: Vec<(&str, bool, Vec<Entry>)> = files
        .iter()
        .map(|(rel, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            let is_base = rel
                .rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with("application."));
            let entries = if rel.ends_with(".properties") {
                properties(&text)
            } else {
                production_documents(&text, yaml(&text))
            };
            (*rel, is_base, entries)
        })
        .collect();
    let overridden: BTreeMap<&str, ()> = parsed
        .iter()
        .filter(|(_, is_base, _)| !is_base)
        .flat_map(|(_, _, entries)| entries.iter().map(|e| (e.key.as_str(), ())))
        .collect();
    out.extend(default_port(ctx, &parsed));
    let mut migrations = Vec::new();
    for (file, is_base, entries) in &parsed {
        for entry in entries {
            // A profile file that sets the key decides for production.
            if *is_base && overridden.contains_key(entry.key.as_str()) {
                continue;
            }
            let Some((value, variable)) = evaluate(ctx, &entry.value) else {
                continue;
            };
            if ctx.written_property(&entry.key) {
                out.push(Setting {
                    key: Key::WrittenPath,
                    framework: Framework::Spring,
                    value: value.clone(),
                    file: file.to_string(),
                    span: entry.span,
                    variable: variable.clone(),
                    local: true,
                    detail: entry.key.clone(),
                });
            }
            let key = entry.key.to_ascii_lowercase();
            if MIGRATION_TOOLS
                .iter()
                .any(|t| key.starts_with(&format!("spring.{t}.")))
            {
                migrations.push((
                    *file,
                    key.clone(),
                    entry.span,
                    value.clone(),
                    variable.clone(),
                ));
            }
            let setting = |k, local, detail: String| Setting {
                key: k,
                framework: Framework::Spring,
                value: value.clone(),
                file: file.to_string(),
                span: entry.span,
                variable: variable.clone(),
                local,
                detail,
            };
            if key.ends_with("allowed-origins")
                || key.ends_with("allowedorigins")
                || key.ends_with("allowed_origins")
            {
                let public: Vec<&str> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|o| o.contains("://") && !is_local_host(o))
                    .collect();
                if !public.is_empty() {
                    out.push(setting(
                        Key::AllowedOrigins,
                        false,
                        format!("`{}` lists {}", entry.key, public.join(", ")),
                    ));
                }
            } else if (key == "server.error.include-stacktrace" && value == "always")
                || (key.ends_with(".debug") && value == "true")
            {
                out.push(setting(
                    Key::Debug,
                    true,
                    format!("`{}={value}`", entry.key),
                ));
            } else if key == "server.port"
                // A literal port is `hardcoded-port`'s; a declared variable is resolved.
                && variable.as_deref().is_some_and(|v| v != "PORT")
            {
                out.push(setting(
                    Key::Port,
                    true,
                    format!("port {value} (`server.port`), not the port in `PORT`"),
                ));
            } else if matches!(
                key.as_str(),
                "logging.file.name" | "logging.file.path" | "logging.file" | "logging.path"
            ) {
                out.push(setting(
                    Key::LogTargets,
                    true,
                    format!("a log file, {value} (`{}`)", entry.key),
                ));
            }
        }
    }
    out.extend(spring_migrations::startup_migrations(
        &migrations,
        &spring_migrations::build_dependencies(ctx),
    ));
    out
}

/// No production file sets `server.port`: Spring Boot listens on 8080 whatever `PORT`
/// says, unless production sets `SERVER_PORT` (Spring binds it to `server.port`).
/// Anchored at the start of the base file, the one that should read `PORT`.
fn default_port(ctx: &Context, parsed: &[(&str, bool, Vec<Entry>)]) -> Option<Setting> {
    let sets_port = parsed
        .iter()
        .flat_map(|(_, _, entries)| entries)
        .any(|e| e.key.eq_ignore_ascii_case("server.port"));
    if sets_port || ctx.declares("SERVER_PORT") {
        return None;
    }
    let (file, _, _) = parsed
        .iter()
        .filter(|(_, is_base, _)| *is_base)
        .min_by_key(|(rel, _, _)| (!rel.contains("src/main/resources/"), rel.len()))?;
    Some(Setting {
        key: Key::Port,
        framework: Framework::Spring,
        value: "8080".into(),
        file: file.to_string(),
        span: (0, 0),
        variable: Some("SERVER_PORT".into()),
        local: true,
        detail: "Spring Boot's default port 8080 (no `server.port` reads `PORT`)".into(),
    })
}

/// The entries of a multi-document YAML file outside the documents activated only on
/// development or test profiles (`spring.config.activate.on-profile: dev`, or the
/// older `spring.profiles`).
fn production_documents(text: &str, entries: Vec<Entry>) -> Vec<Entry> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            starts.push(offset);
        }
        offset += line.len();
    }
    let document = |e: &Entry| starts.iter().filter(|s| **s <= e.span.0).count();
    let development: Vec<usize> = entries
        .iter()
        .filter(|e| {
            matches!(
                e.key.as_str(),
                "spring.config.activate.on-profile" | "spring.profiles"
            ) && e
                .value
                .trim_matches(['"', '\''])
                .split(',')
                .all(|p| development_profile(p.trim()))
        })
        .map(document)
        .collect();
    entries
        .into_iter()
        .filter(|e| !development.contains(&document(e)))
        .collect()
}

/// `${VAR:default}` → the default unless VAR is declared; a literal as is.
fn evaluate(ctx: &Context, value: &str) -> Option<(String, Option<String>)> {
    let value = value.trim().trim_matches(['"', '\'']);
    let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) else {
        return (!value.contains("${")).then(|| (value.to_string(), None));
    };
    let (name, default) = match inner.split_once(':') {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    match ctx.var(name, default) {
        Resolved::Declared(v) => Some((v, None)),
        Resolved::Default(d) if !d.is_empty() => Some((d, Some(name.to_string()))),
        _ => None,
    }
}

fn properties(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with(['#', '!']) {
            continue;
        }
        let Some(at) = trimmed.find(['=', ':']) else {
            continue;
        };
        let lead = line.len() - trimmed.len();
        let raw = &trimmed[at + 1..];
        let value = raw.trim();
        let value_start = start + lead + at + 1 + (raw.len() - raw.trim_start().len());
        out.push(Entry {
            key: trimmed[..at].trim().to_string(),
            value: value.to_string(),
            span: (value_start, value_start + value.len()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::env::DeclaredEnv;
    use crate::hosts::test_facts;

    #[test]
    fn profile_files_override_the_base_file() {
        let base = "server.port=${PORT:8080}\nserver.error.include-stacktrace=always\ncors.allowed-origins=http://localhost:3000\n";
        let prod = "server.error.include-stacktrace=never\ncors.allowed-origins=https://app.gouv.fr,https://admin.gouv.fr\nsentry.debug=true\nlogging.file.name=${LOG_FILE:app.log}\n";
        let facts = test_facts(&[
            ("src/main/resources/application.properties", base),
            ("deploy/application-prod.properties", prod),
            (
                "src/main/resources/application-dev.properties",
                "sentry.debug=true\n",
            ),
        ]);
        let env = DeclaredEnv::default();
        let found = resolve(&Context {
            files: &facts,
            env: &env,
        });
        let got: Vec<_> = found.iter().map(|s| (s.key, s.file.as_str())).collect();
        assert_eq!(
            got,
            [
                (Key::AllowedOrigins, "deploy/application-prod.properties"),
                (Key::Debug, "deploy/application-prod.properties"),
                (Key::LogTargets, "deploy/application-prod.properties"),
            ]
        );
        assert!(found[0].detail.contains("https://admin.gouv.fr"));
        assert_eq!(found[2].variable.as_deref(), Some("LOG_FILE"));
    }

    fn migrations(files: &[(&str, &str)]) -> Vec<(String, String, Option<String>)> {
        let facts = test_facts(files);
        let env = DeclaredEnv::default();
        resolve(&Context {
            files: &facts,
            env: &env,
        })
        .into_iter()
        .filter(|s| s.key == Key::StartupMigrations)
        .map(|s| (s.file, s.value, s.variable))
        .collect()
    }

    #[test]
    fn migrations_at_start_follow_the_profiles() {
        let base = "spring.flyway.enabled=true\nspring.flyway.locations=classpath:/db/migration,classpath:/db/testdata\n";
        let found = migrations(&[("src/main/resources/application.properties", base)]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].1, "classpath:/db/migration,classpath:/db/testdata");
        // The production profile keeps Flyway but drops the test data.
        let prod = "spring.flyway.locations=classpath:/db/migration\n";
        let found = migrations(&[
            ("src/main/resources/application.properties", base),
            ("deploy/application-prod.properties", prod),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "src/main/resources/application.properties");
        // Turned off by the production profile, or left to an undeclared variable's default.
        let off = "spring.flyway.enabled=false\n";
        assert!(
            migrations(&[
                ("src/main/resources/application.properties", base),
                ("deploy/application-prod.properties", off),
            ])
            .is_empty()
        );
        let switch = "spring.liquibase.enabled=${LIQUIBASE_ON:true}\n";
        assert_eq!(
            migrations(&[("src/main/resources/application.properties", switch)]),
            [(
                "src/main/resources/application.properties".to_string(),
                "true".to_string(),
                Some("LIQUIBASE_ON".to_string())
            )]
        );
        // Configured without `enabled`: Spring Boot's default runs it.
        let yml = "spring:\n  flyway:\n    baseline-on-migrate: true\n";
        assert_eq!(
            migrations(&[("src/main/resources/application.yml", yml)]).len(),
            1
        );
    }

    fn ports(files: &[(&str, &str)], declared: &[(&str, &str)]) -> Vec<(String, String, usize)> {
        super::super::with_context(files, declared, |ctx| {
            resolve(ctx)
                .into_iter()
                .filter(|s| s.key == Key::Port)
                .map(|s| (s.file, s.value, s.span.0))
                .collect()
        })
    }

    #[test]
    fn the_port_is_spring_boot_default_unless_it_reads_port() {
        let base = "src/main/resources/application.properties";
        assert_eq!(
            ports(&[(base, "spring.application.name=shop\n")], &[]),
            [(base.to_string(), "8080".to_string(), 0)]
        );
        assert!(
            ports(
                &[(base, "spring.application.name=shop\n")],
                &[("SERVER_PORT", "")]
            )
            .is_empty()
        );
        assert!(ports(&[(base, "server.port=${PORT:8080}\n")], &[]).is_empty());
        assert_eq!(
            ports(&[(base, "server.port=${SERVER_PORT:8081}\n")], &[]),
            [(base.to_string(), "8081".to_string(), 12)]
        );
        let yml = "src/main/resources/application.yml";
        let multi = "server:\n  port: ${PORT:8080}\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\nserver:\n  port: 9000\n";
        assert!(ports(&[(yml, multi)], &[]).is_empty());
    }

    #[test]
    fn yaml_keys_are_flattened() {
        let text = "logging:\n  file:\n    name: /var/log/app.log\nweb:\n  cors:\n    allowed-origins:\n      - https://a.fr\n      - https://b.fr\n";
        let entries = yaml(text);
        let keys: Vec<_> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("logging.file.name", "/var/log/app.log"),
                ("web.cors.allowed-origins", "https://a.fr,https://b.fr"),
            ]
        );
        assert_eq!(
            &text[entries[0].span.0..entries[0].span.1],
            "/var/log/app.log"
        );
    }
}
