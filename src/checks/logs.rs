//! `committed-log-file`: log files tracked in the repository. The walk already drops
//! git-ignored files, so every path here was committed (or is about to be).

use crate::app::App;
use crate::finding::Finding;
use crate::rules::Rule;

pub fn committed_log_files(rule: &Rule, app: &App) -> Vec<Finding> {
    let facts = &app.inventory;
    facts
        .log_files
        .iter()
        .map(|path| rule.repo_finding(path, rule.message(None)))
        .collect()
}
