//! The schema of a rule file under `rules/`. One file holds a rule's metadata, what it
//! matches (patterns or the name of a structural check), its docs and its examples.

use crate::classify::{Language, Role};
use crate::finding::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable kebab-case id, read after "ignore": `ignore[hardcoded-port]`.
    pub id: String,
    /// The twelve-factor factor, 1 to 12; absent only for twelve's own meta rules.
    pub factor: Option<u8>,
    pub severity: Severity,
    pub title: String,
    /// Lower case, no final period; may use `{label}` for the matching pattern's label.
    pub message: String,
    /// One line telling how to fix it.
    pub help: String,
    /// Files in these languages are candidates (together with `files`).
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Globs (relative to the scanned root) of candidate files, besides `languages`.
    #[serde(default)]
    pub files: Vec<String>,
    /// Roles the rule applies to; production code and config by default.
    #[serde(default = "default_roles")]
    pub roles: Vec<Role>,
    /// Report at most one finding per file (the first match).
    #[serde(default)]
    pub once_per_file: bool,
    /// Match the original text, comments included, instead of the comment-masked copy
    /// (for what hides in comments too, such as bidirectional controls). Such a rule
    /// has no keywords: the keyword pass reads the masked copy.
    #[serde(default)]
    pub in_comments: bool,
    #[serde(default)]
    pub patterns: Vec<PatternSpec>,
    /// A match is dropped when its line also matches one of these (e.g. reads the env).
    #[serde(default)]
    pub unless_line: Vec<String>,
    /// A match is dropped when the nearest line above it with no indentation matches
    /// one of these: the enclosing top-level block, e.g. `development:` in database.yml.
    #[serde(default)]
    pub unless_top_level: Vec<String>,
    /// A match is dropped when one of the `AFTER_LINES` lines below its own matches one
    /// of these: the body of the branch the match opens (a guard that raises an error).
    #[serde(default)]
    pub unless_after: Vec<String>,
    /// A file is skipped when it matches one of these anywhere (code only, not comments).
    #[serde(default)]
    pub unless_file: Vec<String>,
    /// A file is a candidate only when it matches all of these (code only).
    #[serde(default)]
    pub require_file: Vec<String>,
    /// Files next to the matched file that take over from it: a finding is dropped when
    /// one of them exists in the same folder and its code matches the regex (if any).
    #[serde(default)]
    pub unless_sibling: Option<SiblingSpec>,
    /// What makes a match matter, near the matched file: a finding in a file matching
    /// `files` is kept only when one of `paths` (relative to the file's folder) exists.
    #[serde(default)]
    pub require_near: Option<NearSpec>,
    /// Rules that report the same problem more precisely: a finding of this rule is
    /// dropped when one of theirs sits on the same line.
    #[serde(default)]
    pub superseded_by: Vec<String>,
    /// Name of the Rust check that implements a structural rule (instead of patterns).
    pub check: Option<String>,
    /// The effective production settings a settings-based check reads (`session.store`,
    /// `log.targets`...), shown by `twelve explain`.
    #[serde(default)]
    pub settings: Vec<String>,
    /// What a finding of this rule means on each host (platforms.md §5), keyed by host
    /// id: `scalingo`, `clever-cloud`, `scaleway`. Required for every factor rule.
    #[serde(default)]
    pub impact: BTreeMap<String, Impact>,
    /// The fix on a given host, where it differs from `help` (keyed by host id).
    #[serde(default)]
    pub host_fix: BTreeMap<String, String>,
    /// For rules about leaked secrets and credentials: GitHub code scanning's
    /// `security-severity` (0.0 to 10.0; 9.0 and up is critical, 7.0 high).
    pub security_severity: Option<f64>,
    /// How often a finding is a true problem (SARIF's `precision`), measured on the real
    /// apps of tests/realworld*.md.
    #[serde(default)]
    pub precision: Precision,
    pub docs: Docs,
    #[serde(default)]
    pub bad: Vec<Example>,
    #[serde(default)]
    pub good: Vec<Example>,
}

fn default_roles() -> Vec<Role> {
    vec![Role::Source, Role::Config]
}

/// Effect of a finding on a host, from platforms.md §5: `blocks` the deploy or makes
/// the app unreachable, `degrades` it (data loss, duplicates, timeouts), is `advisory`,
/// or does not matter there (`none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    None,
    Advisory,
    Degrades,
    Blocks,
}

/// SARIF's `precision` of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    VeryHigh,
    #[default]
    High,
    Medium,
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

/// The hosts twelve knows, by id.
pub const HOSTS: [&str; 3] = ["scalingo", "clever-cloud", "scaleway"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSpec {
    /// Matched against the comment-masked bytes. The span reported is the group named
    /// `hit`, else the group named `secret`, else the whole match; `secret` is checked
    /// against the placeholder list and `min_entropy`. The `secret` and `redact` groups
    /// are secret values, masked in every output unless `--show-secrets` is given.
    pub regex: String,
    /// Restricts this pattern to files in these languages or matching `files`.
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Restricts this pattern to files matching these globs or in `languages`.
    #[serde(default)]
    pub files: Vec<String>,
    /// Words substituted for `{label}` in the message.
    pub label: Option<String>,
    /// Words of which a match always contains one, in any ASCII case (`apikey` covers `apiKey` and
    /// `APIKEY`; `API_KEY` needs `api_key`). A file holding none of
    /// them skips the regex (see `rules::keywords`); without them, the most selective
    /// literals every match contains are extracted from the regex, when it has some.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Minimum Shannon entropy (bits per character) of the `secret` group.
    pub min_entropy: Option<f64>,
    /// How the value the match defines must be used in the same file for the match to
    /// count: a regex in which `{name}` stands for the text of the match's group `name`
    /// (a constant's name), e.g. `requests\.get\(\s*{name}\b`. The finding stays on the
    /// definition; a constant the file never passes to such a use is not reported.
    pub used_as: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// What it does.
    pub what: String,
    /// Why is this bad: the factor's reason.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// What the rule deliberately does not flag.
    pub not_flagged: String,
    /// What it means on each host, keyed by host id.
    #[serde(default)]
    pub hosts: BTreeMap<String, String>,
    pub references: Vec<String>,
}

/// A small repository: one file (`path` + `code`) or several (`files`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub path: Option<String>,
    pub code: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Whether the example is a git repository (the test harness adds a `.git` folder);
    /// `false` only for examples about version control itself.
    #[serde(default = "yes")]
    pub git: bool,
    /// Other rules the example also fires, because they report another fault of the
    /// same line (`flask run` is a development server and listens on 5000).
    #[serde(default)]
    pub also_fires: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Example {
    /// Every file of the example as (path, contents).
    pub fn all_files(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        if let (Some(path), Some(code)) = (&self.path, &self.code) {
            out.push((path.as_str(), code.as_str()));
        }
        out
    }
}

/// `unless_sibling`: file names in the same folder, and what one of them must contain
/// (without `regex`, that it exists is enough).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiblingSpec {
    pub files: Vec<String>,
    pub regex: Option<String>,
}

/// `require_near`: the files it applies to (globs) and the paths, relative to the
/// matched file's folder, one of which must exist (Action Cable's adapter matters only
/// when the app has channels: `../app/channels` from `config/cable.yml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearSpec {
    pub files: Vec<String>,
    pub paths: Vec<String>,
}
