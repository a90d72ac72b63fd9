//! Why the portability report gives no verdict, when it gives none: the section never
//! vanishes without a word. The reason names what the scan saw at the root.

use crate::finding::Finding;
use crate::repo::RepoFacts;
use crate::walk::ScanProblem;
use crate::walk::SkipReason;
use serde::Serialize;

/// The kind of reason, stable in JSON (`no_verdict.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Several folders were scanned: their stacks would mix.
    SeveralFolders,
    /// A single file was scanned, not an app's folder.
    NotAFolder,
    /// No manifest and no Dockerfile at the root.
    NoApp,
    /// The root manifests exist but git ignores them (untracked) or the config excludes them.
    ManifestsIgnored,
    /// The root manifests exist but could not be read.
    ManifestsUnreadable,
    /// A root manifest does not parse.
    ParseError,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoVerdict {
    pub reason: Reason,
    /// For people: what was seen, lower case, no final period.
    pub message: String,
}

/// At most this many first-level apps are named.
const MAX_NAMED_APPS: usize = 5;

/// Several roots: one verdict per app needs one app per run.
pub fn several_folders(count: usize) -> NoVerdict {
    NoVerdict {
        reason: Reason::SeveralFolders,
        message: format!(
            "{count} folders were scanned together; run `twelve check` on one app's folder for its verdicts"
        ),
    }
}

/// A file instead of a folder.
pub fn not_a_folder() -> NoVerdict {
    NoVerdict {
        reason: Reason::NotAFolder,
        message:
            "a single file was scanned; run `twelve check` on the app's folder for its verdicts"
                .into(),
    }
}

/// Why no app was detected in the scanned folder, from the most specific cause.
pub fn no_app(facts: &RepoFacts, findings: &[Finding], problems: &[ScanProblem]) -> NoVerdict {
    let markers: Vec<&str> = crate::app::stack::MARKERS
        .iter()
        .flat_map(|(_, files)| files.iter().copied())
        .chain(["Dockerfile"])
        .collect();
    let skipped: Vec<(&str, SkipReason)> = facts
        .skipped_root
        .iter()
        .filter(|(name, _)| markers.contains(&name.as_str()))
        .map(|(name, reason)| (name.as_str(), *reason))
        .collect();
    if let Some((name, reason)) = skipped.first() {
        let (kind, why) = match reason {
            SkipReason::GitIgnored => (
                Reason::ManifestsIgnored,
                "is ignored by git and not tracked, so a deploy does not include it",
            ),
            SkipReason::ConfigExcluded => (
                Reason::ManifestsIgnored,
                "is excluded by the configuration (`exclude`)",
            ),
            other => (Reason::ManifestsUnreadable, skip_words(*other)),
        };
        return NoVerdict {
            reason: kind,
            message: format!("no app detected: the root `{name}` {why}"),
        };
    }
    let unreadable = problems.iter().find(|p| {
        let name = p.path.rsplit(['/', '\\']).next().unwrap_or(&p.path);
        markers.contains(&name)
    });
    if let Some(problem) = unreadable {
        return NoVerdict {
            reason: Reason::ManifestsUnreadable,
            message: format!(
                "no app detected: `{}` could not be read ({})",
                problem.path, problem.message
            ),
        };
    }
    let malformed = findings
        .iter()
        .find(|f| f.rule == "malformed-manifest" && !f.file.contains('/'));
    if let Some(finding) = malformed {
        return NoVerdict {
            reason: Reason::ParseError,
            message: format!(
                "no app detected: `{}` does not parse (line {})",
                finding.file, finding.start.line
            ),
        };
    }
    NoVerdict {
        reason: Reason::NoApp,
        message: format!(
            "no app detected: no manifest at the root (package.json, requirements.txt, pyproject.toml, Gemfile, composer.json, go.mod, pom.xml, build.gradle...) and no Dockerfile{}",
            first_level_apps(facts)
        ),
    }
}

fn skip_words(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::TooLarge => "is larger than `max-file-size`",
        SkipReason::Binary => "holds binary data",
        SkipReason::Symlink
        | SkipReason::SymlinkLoop
        | SkipReason::SymlinkOutsideRoot
        | SkipReason::DanglingSymlink => "is a symbolic link, not followed",
        _ => "was not read",
    }
}

/// "; first-level folders with a manifest but no start or web framework: api/, web/".
fn first_level_apps(facts: &RepoFacts) -> String {
    let apps: Vec<String> = facts
        .sub_apps
        .iter()
        .filter(|(_, app)| !app.manifests.is_empty())
        .map(|(dir, _)| format!("{dir}/"))
        .collect();
    if apps.is_empty() {
        return String::new();
    }
    let more = apps.len().saturating_sub(MAX_NAMED_APPS);
    let mut named = apps[..apps.len().min(MAX_NAMED_APPS)].join(", ");
    if more > 0 {
        named.push_str(&format!(" and {more} more"));
    }
    format!("; first-level folders with a manifest but no start or web framework: {named}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ignored_root_manifest_is_named() {
        let mut facts = RepoFacts::default();
        facts.add_skipped("package.json".into(), SkipReason::GitIgnored);
        let why = no_app(&facts, &[], &[]);
        assert_eq!(why.reason, Reason::ManifestsIgnored);
        assert!(
            why.message.contains("`package.json` is ignored by git"),
            "{why:?}"
        );
    }

    #[test]
    fn an_unreadable_root_manifest_is_named() {
        let problem = ScanProblem {
            path: "/srv/app/composer.json".into(),
            message: "Permission denied (os error 13)".into(),
        };
        let why = no_app(&RepoFacts::default(), &[], &[problem]);
        assert_eq!(why.reason, Reason::ManifestsUnreadable);
        assert!(why.message.contains("composer.json` could not be read"));
    }

    #[test]
    fn without_a_manifest_the_first_level_apps_are_named() {
        let mut facts = RepoFacts::default();
        facts.add_sub_app_file("api/package.json", true);
        facts.add_sub_app_file("web/requirements.txt", false);
        let why = no_app(&facts, &[], &[]);
        assert_eq!(why.reason, Reason::NoApp);
        assert!(
            why.message.ends_with(
                "first-level folders with a manifest but no start or web framework: api/, web/"
            ),
            "{why:?}"
        );
    }
}
