//! The portfolio: every app's verdicts and findings, and what the portfolio as a whole
//! shows (factors, blockers per host, health data, trends). It is also the
//! `--format json` document of `twelve portfolio`, read back by `--previous`.

use super::wire::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped only when a field of the portfolio document changes meaning or disappears.
pub const PORTFOLIO_VERSION: u32 = 1;
/// The `kind` of a portfolio document, which tells it apart from a check report.
pub const KIND: &str = "twelve-portfolio";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Portfolio {
    pub kind: String,
    pub version: u32,
    /// The twelve that merged the reports.
    pub tool_version: String,
    /// The twelve versions that wrote the reports.
    pub report_versions: Vec<String>,
    pub hosts: Vec<HostInfo>,
    pub apps: Vec<App>,
    pub factors: Vec<FactorCount>,
    pub blockers: Vec<HostBlockers>,
    /// Fixes and per-host notes, once per cause id.
    pub causes: BTreeMap<String, CauseDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trends: Option<Vec<AppTrend>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostInfo {
    pub id: String,
    pub name: String,
    /// Whether the host carries HDS certification, with the evidence or why not.
    pub hds: bool,
    pub hds_note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    pub name: String,
    pub commit: Option<String>,
    /// The report file the app came from.
    pub report: String,
    pub twelve_version: String,
    pub languages: Vec<String>,
    pub frameworks: Vec<String>,
    /// Findings per severity (`error`, `warning`, `note`).
    pub counts: BTreeMap<String, usize>,
    pub findings: Vec<Finding>,
    pub hosts: Vec<AppHost>,
    /// Signs of health data, empty when there are none.
    pub health: Vec<String>,
    /// Paths the check could not read.
    pub problems: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppHost {
    pub host: String,
    pub verdict: String,
    pub score: u8,
    pub causes: Vec<AppCause>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppCause {
    pub id: String,
    pub impact: String,
    pub message: String,
    pub locations: Vec<String>,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CauseDoc {
    pub fix: String,
    /// Host id → what the cause means there.
    pub notes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorCount {
    /// 1 to 12; `null` for twelve's own meta findings.
    pub factor: Option<u8>,
    pub name: String,
    /// Apps with at least one finding of this factor.
    pub apps: usize,
    /// Apps that a rule of this factor blocks on at least one host.
    pub blocked_apps: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostBlockers {
    pub host: String,
    /// Most apps first.
    pub causes: Vec<Blocker>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Blocker {
    pub id: String,
    pub message: String,
    pub apps: Vec<String>,
}

/// How one app moved since the previous portfolio.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppTrend {
    pub app: String,
    /// `new`, `removed`, `improved`, `regressed`, `mixed` or `unchanged`.
    pub change: String,
    pub hosts: Vec<HostTrend>,
    /// Findings whose fingerprint is gone, and new ones.
    pub fixed: usize,
    pub introduced: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostTrend {
    pub host: String,
    pub before: Option<Grade>,
    pub after: Option<Grade>,
    /// `improved`, `regressed` or `unchanged`.
    pub change: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub verdict: String,
    pub score: u8,
}

impl App {
    pub fn host(&self, id: &str) -> Option<&AppHost> {
        self.hosts.iter().find(|h| h.host == id)
    }

    /// "python · Flask": languages, then frameworks.
    pub fn stack(&self) -> String {
        let parts: Vec<&str> = self
            .languages
            .iter()
            .chain(&self.frameworks)
            .map(String::as_str)
            .collect();
        parts.join(" · ")
    }
}

impl Portfolio {
    pub fn host_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.hosts
            .iter()
            .find(|h| h.id == id)
            .map_or(id, |h| h.name.as_str())
    }
}

/// The factor's name on 12factor.net.
pub fn factor_name(factor: Option<u8>) -> &'static str {
    const NAMES: [&str; 12] = [
        "I. Codebase",
        "II. Dependencies",
        "III. Config",
        "IV. Backing services",
        "V. Build, release, run",
        "VI. Processes",
        "VII. Port binding",
        "VIII. Concurrency",
        "IX. Disposability",
        "X. Dev/prod parity",
        "XI. Logs",
        "XII. Admin processes",
    ];
    factor
        .and_then(|f| NAMES.get(usize::from(f).checked_sub(1)?))
        .copied()
        .unwrap_or("twelve's own checks")
}

/// The verdict as a symbol and words, so colour is never the only signal.
pub fn verdict_label(verdict: &str) -> &'static str {
    match verdict {
        "ready" => "✓ ready",
        "needs-changes" => "! needs changes",
        "blocked" => "✕ blocked",
        _ => "? unknown",
    }
}

/// Rank of a verdict: higher is better; unknown verdicts rank lowest.
pub fn verdict_rank(verdict: &str) -> u8 {
    match verdict {
        "ready" => 3,
        "needs-changes" => 2,
        "blocked" => 1,
        _ => 0,
    }
}
