//! Spring Boot's start-up migrations: Flyway or Liquibase configured in the effective
//! production settings and not turned off.

use super::{Context, Framework, Key, Setting};

/// The migration tools Spring Boot runs when the app starts, once on the classpath.
pub const MIGRATION_TOOLS: &[&str] = &["flyway", "liquibase"];

/// Effective `spring.flyway.*` and `spring.liquibase.*` entries: (file, key, span,
/// value, variable).
pub type MigrationEntry<'a> = (&'a str, String, (usize, usize), String, Option<String>);

/// The build files that put a migration tool on the classpath.
const BUILD_FILES: &[&str] = &["build.gradle", "build.gradle.kts", "pom.xml"];

/// The migration tools' artifacts a build declares, as entries anchored on the
/// artifact (`org.flywaydb:flyway-core` in build.gradle, `<artifactId>liquibase-core`
/// in pom.xml), keyed `<tool>-core`: Spring Boot runs a tool on the classpath by default.
pub fn build_dependencies(ctx: &Context) -> Vec<MigrationEntry<'static>> {
    let mut out = Vec::new();
    for file in BUILD_FILES {
        let Some(bytes) = ctx.text(file) else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if line.trim_start().starts_with("//") || line.trim_start().starts_with("<!--") {
                continue;
            }
            for tool in MIGRATION_TOOLS {
                let artifact = format!("{tool}-core");
                if let Some(at) = line.find(&artifact)
                    && !out.iter().any(|e: &MigrationEntry| e.1 == artifact)
                {
                    let span = (start + at, start + at + artifact.len());
                    out.push((*file, artifact, span, "true".to_string(), None));
                }
            }
        }
    }
    out
}

/// Flyway or Liquibase configured and not turned off: Spring Boot migrates the database
/// when each web instance starts. Anchored on `enabled=true`, else on the first key of
/// the tool (configuring it means it is a dependency, and it runs by default); a
/// `locations` that names test data loads that data at every start too.
pub fn startup_migrations(entries: &[MigrationEntry], deps: &[MigrationEntry]) -> Vec<Setting> {
    let setting = |(file, _, span, value, variable): &MigrationEntry, detail| Setting {
        key: Key::StartupMigrations,
        framework: Framework::Spring,
        value: value.clone(),
        file: file.to_string(),
        span: *span,
        variable: variable.clone(),
        local: true,
        detail,
    };
    let mut out = Vec::new();
    for tool in MIGRATION_TOOLS {
        let prefix = format!("spring.{tool}.");
        let of_tool: Vec<&MigrationEntry> = entries
            .iter()
            .filter(|e| e.1.starts_with(&prefix))
            .collect();
        let enabled = of_tool.iter().find(|e| e.1 == format!("{prefix}enabled"));
        if enabled.is_some_and(|e| !e.3.eq_ignore_ascii_case("true")) {
            continue;
        }
        let dependency = deps.iter().find(|e| e.1 == format!("{tool}-core"));
        let Some(anchor) = enabled.copied().or(of_tool.first().copied()).or(dependency) else {
            continue;
        };
        let name = if *tool == "flyway" {
            "Flyway"
        } else {
            "Liquibase"
        };
        let how = match enabled {
            Some((_, key, _, value, _)) => format!("`{key}={value}`"),
            None if of_tool.is_empty() => format!(
                "`{}` in {} and `{prefix}enabled` left at its default, true",
                anchor.1, anchor.0
            ),
            None => format!(
                "`{}` set and `{prefix}enabled` left at its default, true",
                anchor.1
            ),
        };
        out.push(setting(
            anchor,
            format!("{name} migrating the database when each web instance starts ({how})"),
        ));
        let test_data = of_tool.iter().find(|e| {
            (e.1.ends_with(".locations") || e.1.ends_with(".change-log"))
                && e.3
                    .split(',')
                    .any(|l| l.to_ascii_lowercase().contains("test"))
        });
        if let Some(entry) = test_data {
            out.push(setting(
                entry,
                format!(
                    "{name} loading test data at each start (`{}={}`)",
                    entry.1, entry.3
                ),
            ));
        }
    }
    out
}
