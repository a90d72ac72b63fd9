//! Spring Boot's start-up migrations: Flyway or Liquibase configured in the effective
//! production settings and not turned off.

use super::{Framework, Key, Setting};

/// The migration tools Spring Boot runs when the app starts, once on the classpath.
pub const MIGRATION_TOOLS: &[&str] = &["flyway", "liquibase"];

/// Effective `spring.flyway.*` and `spring.liquibase.*` entries: (file, key, span,
/// value, variable).
pub type MigrationEntry<'a> = (&'a str, String, (usize, usize), String, Option<String>);

/// Flyway or Liquibase configured and not turned off: Spring Boot migrates the database
/// when each web instance starts. Anchored on `enabled=true`, else on the first key of
/// the tool (configuring it means it is a dependency, and it runs by default); a
/// `locations` that names test data loads that data at every start too.
pub fn startup_migrations(entries: &[MigrationEntry]) -> Vec<Setting> {
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
        let Some(anchor) = enabled.or(of_tool.first()) else {
            continue;
        };
        let name = if *tool == "flyway" {
            "Flyway"
        } else {
            "Liquibase"
        };
        let how = match enabled {
            Some((_, key, _, value, _)) => format!("`{key}={value}`"),
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
