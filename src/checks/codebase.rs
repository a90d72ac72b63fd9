//! Factor I, one codebase tracked in version control: `not-a-git-repository` and
//! `apps-without-start` (several apps in first-level folders, one of which declares no
//! way to start it; the hosts deploy one folder per app: `PROJECT_DIR`, `APP_FOLDER`).

use crate::app::App;
use crate::finding::Finding;
use crate::rules::Rule;

pub fn not_a_git_repository(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    if facts.in_git {
        return Vec::new();
    }
    let message = "the app is not in a git repository, so no commit identifies what is deployed";
    vec![rule.repo_finding(".git", message.to_string())]
}

pub fn apps_without_start(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    let apps: Vec<(&String, &crate::repo::SubApp)> = facts
        .sub_apps
        .iter()
        .filter(|(_, app)| !app.manifests.is_empty())
        .collect();
    // One app at the root, or a single app in a folder, is not a monorepo question.
    if apps.len() < 2 || facts.has("Procfile") {
        return Vec::new();
    }
    let names: Vec<&str> = apps.iter().map(|(dir, _)| dir.as_str()).collect();
    apps.iter()
        .filter(|(_, app)| !app.declares_start)
        .filter_map(|(dir, app)| {
            let manifest = app.manifests.iter().next()?;
            let message = format!(
                "`{dir}/` is one of {} apps in this repository ({}) and declares no start command",
                apps.len(),
                names.join(", ")
            );
            Some(rule.repo_finding(manifest, message))
        })
        .collect()
}
