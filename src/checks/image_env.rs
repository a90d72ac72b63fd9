//! Factor III, `env-file-in-image`: a production image's final stage copies an
//! environment file of the repository to the name the app loads (`COPY .env.example
//! /app/.env`, `COPY .env.production .env`), so every container starts with the values
//! committed to git, and the framework's dotenv loader reads them as the app's config.

use super::finding_at;
use crate::app::App;
use crate::app::processes::production_images;
use crate::finding::Finding;
use crate::rules::Rule;

pub fn env_file_in_image(rule: &Rule, app: &App) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, image) in production_images(&app.manifests, &app.inventory) {
        let Some(text) = app.inventory.manifest(path) else {
            continue;
        };
        for copy in image.context_copies() {
            let (instruction, sources) = (copy.instruction, &copy.sources);
            let destination = copy.destination.as_str();
            let Some(source) = sources
                .iter()
                .map(String::as_str)
                .find(|s| is_committed_env_file(app, s))
            else {
                continue;
            };
            let source_name = file_name(source);
            // Into a folder the file keeps its name; otherwise it takes the destination's.
            let loaded_as = if destination.ends_with('/') || sources.len() > 1 {
                source_name
            } else {
                file_name(destination)
            };
            if !is_loaded_env_name(loaded_as) {
                continue;
            }
            let end = text[instruction.offset.min(text.len())..]
                .iter()
                .position(|b| *b == b'\n' || *b == b'\r')
                .map_or(text.len(), |n| instruction.offset + n);
            findings.push(finding_at(
                rule,
                path,
                text,
                (instruction.offset, end),
                format!(
                    "the image ships the committed `{source_name}` as `{destination}`, which the app loads as its configuration"
                ),
            ));
        }
    }
    findings
}

fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// A `.env` file of the build context that git holds (`.env`, `.env.example`,
/// `.env.production`, `docker/.env.prod`).
fn is_committed_env_file(app: &App, source: &str) -> bool {
    let rel = source.trim_start_matches("./");
    let name = file_name(rel);
    (name == ".env" || name.starts_with(".env."))
        && !rel.contains(['*', '?', '$'])
        && (app.inventory.has(rel) || app.inventory.manifest(rel).is_some())
}

/// The names dotenv loaders read at start: `.env`, and `.env.<environment>` for the
/// production environments (`.env.production`, `.env.prod`, `.env.local` loaded over it).
fn is_loaded_env_name(name: &str) -> bool {
    matches!(
        name,
        ".env" | ".env.production" | ".env.prod" | ".env.local" | ".env.production.local"
    )
}
